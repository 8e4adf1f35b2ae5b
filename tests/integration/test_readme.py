"""The README's commands work as written on a fresh clone after the two set-up steps: the tests that
need a whole run (the report rendered, a kernel, a browser or the command line in a subprocess); the
others, and what they cover, are in tests/unit/test_readme.py.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import fresh_clone as fc
import intake_support
from unit.test_readme import README, commands, program

NOT_IN_A_TEST = {"make test": "the whole test suite, which this test is part of (CI runs it)"}


SERVERS = ("make lab",)


def serve(clone: Path, command: str, env: dict[str, str], log: Path) -> None:
    """Run a server command until it prints the address to open, check the address answers,
    and stop it."""
    with log.open("wb") as err:
        proc = subprocess.Popen(
            ["bash", "-c", command],
            cwd=clone,
            env=env,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            start_new_session=True,
        )
    try:
        deadline, address = time.monotonic() + 120, None
        while address is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            if "open http" in line:
                address = line.split("open ", 1)[1].strip()
        assert address, f"{command}: no address printed\n" + log.read_text(errors="replace")
        with urllib.request.urlopen(address, timeout=30) as page:
            assert page.status == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)


def test_every_readme_command_runs_as_written_on_a_fresh_clone(tmp_path):
    clone = fc.make_clone(tmp_path / "clone")
    home = tmp_path / "home"
    (home / "articles").mkdir(parents=True)
    shutil.copy(intake_support.ARTICLE, home / "articles" / "ft-stability.txt")
    env = fc.env(
        HOME=str(home),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"),
        JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data"),
        IPYTHONDIR=str(tmp_path / "ipython"),
    )
    ran = []
    for i, command in enumerate(commands(README.read_text(encoding="utf-8"))):
        if program(command) in NOT_IN_A_TEST:
            continue
        if program(command).startswith(SERVERS):
            lab_args = "LAB_ARGS='--no-browser --ip=127.0.0.1 --port=0 --ServerApp.port_retries=0'"
            serve(clone, f"{program(command)} {lab_args}", env, tmp_path / f"{i}.log")
            ran.append(command)
            continue
        if re.match(r"\.venv/bin/stability-report accept (\S+)", program(command)):
            # the README's review, by hand in a spreadsheet, done as the worked example does it
            candidates = clone / program(command).split()[2]
            intake_support.write_csv(
                candidates, intake_support.review(intake_support.read_csv(candidates))
            )
        r = subprocess.run(
            ["bash", "-c", command],
            cwd=clone,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert r.returncode == 0, f"{command}\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}"
        ran.append(command)
    assert len(ran) >= 8, ran
