"""The operator's files in deploy/: the systemd units pass `systemd-analyze verify`, both the
unit and the cron line publish outside the checkout with a bounded archive, both count exit 3
(another run holds the lock) as success, and a failure is reported (mail through sendmail).

The tests of the same that need a whole run are in tests/integration/test_deploy.py.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


DEPLOY = ROOT / "deploy"


STATE = "/var/lib/stability-report/report"


def directives(path: Path) -> dict[str, list[str]]:
    """Key=value lines of a unit file (comments left out), each key with all its values."""
    found: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";", "[")):
            key, value = line.split("=", 1)
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def cron_line() -> str:
    lines = [
        ln
        for ln in (DEPLOY / "crontab.example").read_text(encoding="utf-8").splitlines()
        if ln.strip() and not ln.startswith("#") and not re.match(r"[A-Z_]+=", ln)
    ]
    assert len(lines) == 1, lines
    return lines[0]


def run_options(command: str) -> list[str]:
    words = shlex.split(command.split(";")[0].split(">>")[0])
    return words[words.index("run") + 1 :]


def test_unit_publishes_outside_the_checkout_and_bounds_the_archive():
    d = directives(DEPLOY / "stability-report.service")
    options = run_options(d["ExecStart"][0])
    assert options[options.index("--output") + 1] == STATE
    assert int(options[options.index("--keep-runs") + 1]) > 0
    assert d["StateDirectory"] == ["stability-report stability-report/report"]
    assert "ReadWritePaths" not in d, "the checkout stays read-only"
    assert d["ProtectSystem"] == ["strict"]
    assert d["SuccessExitStatus"] == ["3"]


def test_cron_line_publishes_outside_the_checkout_and_bounds_the_archive():
    options = run_options(cron_line().split(None, 5)[5])
    assert options[options.index("--output") + 1] == STATE
    assert int(options[options.index("--keep-runs") + 1]) > 0


@pytest.mark.parametrize("where", ["unit", "cron"])
def test_the_scheduled_run_publishes_where_it_says(where):
    """The command line, given the scheduled run's options, publishes into the state directory
    (a run with parameters of its own and no --output would write into scratch/ instead)."""
    from stability_report import cli

    command = (
        directives(DEPLOY / "stability-report.service")["ExecStart"][0]
        if where == "unit"
        else cron_line().split(None, 5)[5]
    )
    args = cli.build_parser().parse_args(["run", *run_options(command)])
    assert cli.make_config(args, cli.resolve_params(args)).output == Path(STATE)


def program_messages() -> list[str]:
    """Every text the package can print: its string literals, an f-string's replacement fields
    as NUL (implicitly joined literals are one text)."""
    import ast

    texts = []
    for path in sorted((ROOT / "stability_report").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                texts.append(
                    "".join(v.value if isinstance(v, ast.Constant) else "\0" for v in node.values)
                )
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                texts.append(node.value)
    return texts


def quoted_messages(path: Path) -> list[str]:
    """What a deploy file's comments quote of the program's output: ("..."), which may run
    over comment lines; <...> stands for what varies (a date)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    comments = " ".join(ln.lstrip("#").strip() for ln in lines if ln.startswith("#"))
    return re.findall(r'\("([^"]+)"\)', comments)


@pytest.mark.parametrize("name", sorted(p.name for p in DEPLOY.iterdir()))
def test_messages_the_deploy_files_quote_are_the_programs_own(name):
    texts = program_messages()
    for quote in quoted_messages(DEPLOY / name):
        pattern = ".+?".join(re.escape(part) for part in re.split(r"<[^>]+>", quote))
        assert any(re.search(pattern, t, re.S) for t in texts), (
            f"{name} quotes {quote!r}, which the program never prints"
        )


def test_a_quote_the_program_does_not_print_is_caught(tmp_path):
    (tmp_path / "x.service").write_text('# exits at once ("report is up to date").\n')
    (quote,) = quoted_messages(tmp_path / "x.service")
    assert not any(quote in t for t in program_messages())


def test_every_deploy_file_quotes_the_no_op_message():
    quoted = [q for p in DEPLOY.iterdir() for q in quoted_messages(p)]
    assert "unchanged since the report as of <date>: nothing to render" in quoted
