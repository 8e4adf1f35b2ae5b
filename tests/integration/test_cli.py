"""The command line: the tests that need a whole run (the report rendered, a kernel, a browser or
the command line in a subprocess); the others, and what they cover, are in tests/unit/test_cli.py.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import subprocess
import sys
import time

import pipeline_support as support
import pytest

from stability_report.pipeline import inputs, output
from stability_report.render import chromium


def test_help_lists_options_parameters_and_exit_codes():
    r = support.run_cli("run", "--help", timeout=60)
    assert r.returncode == 0
    for text in (
        "--as-of",
        "--force",
        "--show-code",
        "--no-pdf",
        "--output",
        "--params-file",
        "-p NAME VALUE",
        "burn_basis",
        "horizon_months",
        "exit codes",
        "another run holds the lock",
        "make system-deps",
    ):
        assert text in r.stdout, text


def test_no_command_is_a_usage_error():
    r = support.run_cli(timeout=60)
    assert r.returncode == 2
    assert "run" in r.stderr


@pytest.mark.parametrize(
    "args, needle",
    [
        (["-p", "burn_basis", "nonsense"], "burn_basis"),
        (["-p", "horizon_months", "2.5"], "horizon_months"),
        (["-p", "no_such_parameter", "1"], "unknown parameter"),
        (["-p", "as_of", "__import__('os').system('true')"], "as_of"),
        (["--as-of", "2024-13-45"], "as_of"),
        (["-p", "burn_basis", "custom"], "custom_monthly_burn_usd"),
    ],
)
def test_bad_parameter_exits_2_before_anything_runs(tmp_path, args, needle):
    out = tmp_path / "report"
    t0 = time.monotonic()
    r = support.run_cli("run", "--output", str(out), *args, timeout=60)
    assert r.returncode == 2, r.stderr
    assert needle in r.stderr
    assert "bad parameter" in r.stderr
    assert "starting the kernel" not in r.stderr
    assert not out.exists()  # nothing was created, let alone run
    assert time.monotonic() - t0 < 10


def test_bad_params_file_exits_2(tmp_path):
    bad = tmp_path / "p.json"
    bad.write_text("{not json", encoding="utf-8")
    r = support.run_cli(
        "run", "--output", str(tmp_path / "o"), "--params-file", str(bad), timeout=60
    )
    assert r.returncode == 2
    assert "p.json" in r.stderr


def test_missing_notebooks_directory_exits_2(tmp_path):
    r = support.run_cli(
        "run", "--output", str(tmp_path / "o"), "--notebooks", str(tmp_path / "nowhere"), timeout=60
    )
    assert r.returncode == 2
    assert "does not exist" in r.stderr


def test_output_that_cannot_be_created_exits_4(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    r = support.run_cli(
        "run", "--output", str(blocker / "report"), "--as-of", support.AS_OF, timeout=60
    )
    assert r.returncode == 4, r.stderr
    assert "cannot write" in r.stderr


def test_second_concurrent_run_is_refused(tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    with open(out / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        lock.write(f"{os.getpid()}\n")
        lock.flush()
        r = support.run_cli(
            "run",
            "--output",
            str(out),
            "--as-of",
            support.AS_OF,
            "--notebooks",
            str(support.FIXTURE_NOTEBOOKS),
            timeout=60,
        )
    assert r.returncode == 3, r.stderr
    assert f"another run (pid {os.getpid()}) is in progress" in r.stderr
    assert not (out / ".work").exists()


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_noop_rerun_is_fast_renders_nothing_and_clears_a_stale_lock():
    done = support.published()
    out = support.copy_output(done.output, "noop")
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    dead = _dead_pid()
    (out / ".lock").write_text(f"{dead}\n")  # left by a run killed with SIGKILL
    t0 = time.monotonic()
    r = support.render(out, done.notebooks)
    took = time.monotonic() - t0
    assert r.returncode == 0, r.stderr
    assert f"stale lock from pid {dead} cleared" in r.stderr
    assert f"unchanged since the report as of {support.AS_OF}: nothing to render" in r.stderr
    assert "starting the kernel" not in r.stderr
    assert took < 2.0  # includes the interpreter's start; typically 0.1-0.2 s
    after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    kept = {".lock", "checked.json"}  # the lock, and the record of this check
    assert {p: t for p, t in after.items() if p.name not in kept} == {
        p: t for p, t in before.items() if p.name not in kept
    }
    checked = json.loads((out / "checked.json").read_text())
    assert checked == {
        "checked_as_of": support.AS_OF,
        "report_as_of": support.AS_OF,
        "run_id": done.manifest["run_id"],
        "inputs_hash": done.manifest["inputs_hash"],
    }


def test_noop_path_imports_no_heavy_module():
    done = support.published()
    out = support.copy_output(done.output, "noop-imports")
    code = (
        "import sys\n"
        "from stability_report.cli import main\n"
        f"rc = main(['run', '--output', {str(out)!r}, '--notebooks', {str(done.notebooks)!r},"
        f" '--as-of', {support.AS_OF!r}])\n"
        "heavy = {'pandas', 'matplotlib', 'nbconvert', 'papermill', 'nbclient', 'nbformat',"
        " 'playwright', 'numpy', 'jupyter_client'} & set(sys.modules)\n"
        "print(rc, sorted(heavy))\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code],
        cwd=support.ROOT,
        env=support.cli_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.stdout.strip() == "0 []", r.stdout + r.stderr


def test_render_process_imports_no_pandas():
    """The render process (the command line's, not the kernel's) renders the HTML and prints the
    PDF without pandas, matplotlib or numpy: they are the kernel's."""
    done = support.published()
    out = support.copy_output(done.output, "render-imports")
    code = (
        "import sys\n"
        "from stability_report.cli import main\n"
        f"rc = main(['run', '--force', '--output', {str(out)!r}, '--notebooks',"
        f" {str(done.notebooks)!r}, '--as-of', {support.AS_OF!r}])\n"
        "heavy = {'pandas', 'matplotlib', 'numpy', 'pandera'} & set(sys.modules)\n"
        "print(rc, sorted(heavy))\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code],
        cwd=support.ROOT,
        env=support.cli_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.stdout.strip().splitlines()[-1] == "0 []", r.stdout + r.stderr
    assert "rendering run" in r.stderr  # it did render


def test_changed_input_is_not_up_to_date(tmp_path):
    done = support.published()
    cfg = inputs.Config(
        params=done.manifest["params"],
        output=done.output,
        figures=done.output / "figures",
        notebooks=done.notebooks,
    )
    digest = inputs.inputs_hash(cfg, inputs.input_files(cfg))
    assert output.up_to_date(cfg, digest)
    other = inputs.Config(
        params={**cfg.params, "horizon_months": 24},
        output=done.output,
        figures=cfg.figures,
        notebooks=done.notebooks,
    )
    assert not output.up_to_date(other, inputs.inputs_hash(other, inputs.input_files(other)))
    shown = inputs.Config(
        params=cfg.params,
        output=done.output,
        figures=cfg.figures,
        notebooks=done.notebooks,
        show_code=True,
    )
    assert not output.up_to_date(shown, inputs.inputs_hash(shown, inputs.input_files(shown)))


@pytest.mark.parametrize("option", ["--timeout", "--print-timeout"])
def test_time_limits_must_be_positive(tmp_path, option):
    r = support.run_cli("run", "--output", str(tmp_path / "o"), option, "0", timeout=60)
    assert r.returncode == 2, r.stderr
    assert "--timeout and --print-timeout must be above 0" in r.stderr


def test_help_names_the_print_timeout_and_the_start_up_limit():
    r = support.run_cli("run", "--help", timeout=60)
    assert "--print-timeout SECONDS" in r.stdout
    assert f"its start-up has a limit of its own, {chromium.CHROMIUM_START_TIMEOUT} s" in " ".join(
        r.stdout.split()
    )


def test_timestamps_begin_every_line_of_the_log(tmp_path):
    """--timestamps (the cron job's log): each line begins with the date and time."""
    r = support.run_cli(
        "run", "--timestamps", "--output", str(tmp_path / "o"), "--notebooks", str(tmp_path)
    )
    assert r.returncode == 2, r.stderr
    lines = r.stderr.splitlines()
    assert lines and all(
        re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d stability-report: ", ln)
        for ln in lines
    ), lines
