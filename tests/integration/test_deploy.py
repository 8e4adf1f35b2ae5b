"""The operator's files in deploy/: the tests that need a whole run (the report rendered, a kernel,
a browser or the command line in a subprocess); the others, and what they cover, are in
tests/unit/test_deploy.py.
"""

from __future__ import annotations

import email
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from unit.test_deploy import DEPLOY, ROOT, cron_line, directives, run_options

CHECKOUT = "/opt/stability-report"  # where the shipped files expect the checkout


UNITS = ("stability-report.service", "stability-report.timer", "stability-report-failure@.service")


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
    head = email.message_from_string(mail)
    assert head["To"] == "ops@example.org"
    assert "stability-report.service" in head["Subject"] and "reports-host" in head["Subject"]
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
    # one journal line at priority 3 (error) naming the unit, the host and the address
    first = r.stderr.splitlines()[0]
    assert first.startswith("<3>stability-report.service ")
    assert "reports-host" in first and "no mail" in first and "ops@example.org" in first
    assert not (tmp_path / "mail").exists()


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
