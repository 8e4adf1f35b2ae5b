"""The operator's files in deploy/: the systemd units pass `systemd-analyze verify`, both the
unit and the cron line publish outside the checkout with a bounded archive, both count exit 3
(another run holds the lock) as success, and a failure is reported (mail through sendmail)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
CHECKOUT = "/opt/stability-report"  # where the shipped files expect the checkout
STATE = "/var/lib/stability-report/report"
UNITS = ("stability-report.service", "stability-report.timer", "stability-report-failure@.service")


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


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd is not installed here (no systemd-analyze to verify the units)",
)
def test_units_pass_systemd_analyze_verify(tmp_path):
    """The shipped units with this checkout in place of /opt/stability-report (verify checks that
    each command exists): no error and no warning, the failure unit through the instance that
    OnFailure= starts."""
    for name in UNITS:
        text = (DEPLOY / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace(CHECKOUT, str(ROOT)), encoding="utf-8")
    failure = directives(DEPLOY / "stability-report.service")["OnFailure"]
    assert failure == ["stability-report-failure@%n.service"]
    for units in (
        ["stability-report.service", "stability-report.timer"],
        ["stability-report-failure@stability-report.service.service"],
    ):
        r = subprocess.run(
            ["systemd-analyze", "verify", "--man=no", *units],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert (r.returncode, r.stderr) == (0, ""), r.stderr


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


@pytest.mark.parametrize(
    "code, failed",
    [(0, False), (3, False), (1, True), (2, True), (4, True), (5, True), (143, True)],
)
def test_cron_job_prints_only_on_failure_and_counts_exit_3_as_success(tmp_path, code, failed):
    """The cron command run by /bin/sh, as cron runs it, with a stand-in for the program that
    exits with `code`: cron mails what the job prints, so it prints only on a failure, and
    treats exit 3 as the systemd unit does (SuccessExitStatus=3)."""
    command = cron_line().split(None, 5)[5]
    assert "%" not in command, "cron turns % into a newline"
    checkout, log = tmp_path / "checkout", tmp_path / "run.log"
    (checkout / ".venv" / "bin").mkdir(parents=True)
    python = checkout / ".venv" / "bin" / "python"
    python.write_text(f"#!/bin/sh\necho progress line\nexit {code}\n", encoding="utf-8")
    python.chmod(0o755)
    command = command.replace(CHECKOUT, str(checkout)).replace(
        "/var/log/stability-report/run.log", str(log)
    )
    r = subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True, timeout=60)
    assert log.read_text(encoding="utf-8") == "progress line\n"
    if failed:
        assert r.stdout == f"stability-report run failed with exit {code}; see {log}\n"
    else:
        assert r.stdout == ""
    assert r.stderr == ""


def fake_tools(tmp_path: Path) -> dict[str, str]:
    """journalctl and hostname stand-ins on PATH; a sendmail that keeps what it is given."""
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    scripts = {
        "journalctl": 'echo "journalctl $*"\necho "stability-report run failed: exit 1"\n',
        "hostname": "echo reports-host\n",
        "sendmail": f'echo "$*" > {tmp_path}/args\ncat > {tmp_path}/mail\n',
    }
    for name, body in scripts.items():
        (bin_ / name).write_text("#!/bin/sh\n" + body, encoding="utf-8")
        (bin_ / name).chmod(0o755)
    return {
        "PATH": f"{bin_}{os.pathsep}{os.environ['PATH']}",
        "SENDMAIL": str(bin_ / "sendmail"),
        "MAILTO": "ops@example.org",
    }


def test_failure_unit_mails_the_end_of_the_log(tmp_path):
    assert directives(DEPLOY / "stability-report-failure@.service")["ExecStart"] == [
        f"{CHECKOUT}/deploy/notify-failure %i"
    ]
    env = fake_tools(tmp_path)
    r = subprocess.run(
        [str(DEPLOY / "notify-failure"), "stability-report.service"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "args").read_text() == "-t\n"
    mail = (tmp_path / "mail").read_text()
    assert mail.startswith(
        "To: ops@example.org\nSubject: stability-report.service failed on reports-host\n\n"
    )
    assert "journalctl --unit=stability-report.service --lines=60" in mail
    assert "stability-report run failed: exit 1" in mail


def test_failure_unit_without_a_mail_program_says_so(tmp_path):
    env = {**fake_tools(tmp_path), "SENDMAIL": str(tmp_path / "no-sendmail")}
    r = subprocess.run(
        [str(DEPLOY / "notify-failure"), "stability-report.service"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 1
    assert r.stderr.startswith(
        "<3>stability-report.service failed on reports-host; no mail sent to ops@example.org"
    )
    assert not (tmp_path / "mail").exists()


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


def test_the_cron_log_is_stamped_and_rotated():
    """The cron job writes its log with timestamps; the logrotate file rotates that very file
    (and `logrotate --debug` accepts it where logrotate is installed)."""
    command = cron_line().split(None, 5)[5]
    assert "--timestamps" in run_options(command)
    log = re.search(r">>\s*(\S+)", command).group(1)
    rotate = (DEPLOY / "stability-report.logrotate").read_text(encoding="utf-8")
    assert re.search(rf"^{re.escape(log)} {{$", rotate, re.M), (log, rotate)
    if shutil.which("logrotate"):
        r = subprocess.run(
            ["logrotate", "--debug", str(DEPLOY / "stability-report.logrotate")],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert r.returncode == 0 and "error" not in r.stderr.lower(), r.stderr
