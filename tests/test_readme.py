"""The README's commands work as written on a fresh clone after the two set-up steps: every
command of its ```sh blocks is run, in the README's order, in a fresh clone (fresh_clone.py),
except `make test` (the whole suite: what CI runs). `make lab` runs until it prints its address
and answers there. What the README asks the reader to do by hand between two commands (review
the candidates in a spreadsheet) is done as the worked example does it (intake_support.review),
and the article the README registers from `~/articles/` is the fictitious one of the tests.

The README also writes each command one way: the project's programs as `.venv/bin/...` or
through `make`, never `python -m ...`."""

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
import pytest

README = fc.ROOT / "README.md"
NOT_IN_A_TEST = {"make test": "the whole test suite, which this test is part of (CI runs it)"}
SERVERS = ("make lab",)


def commands(text: str) -> list[str]:
    """The commands of the README's ```sh blocks, in order: one per line (a line ending in a
    backslash continues on the next)."""
    found = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, re.S | re.M):
        for command in block.replace("\\\n", " ").splitlines():
            if command.strip() and not command.lstrip().startswith("#"):
                found.append(command.strip())
    return found


def program(command: str) -> str:
    """The command without its trailing comment."""
    return command.split("  #", 1)[0].strip()


def test_the_readme_is_a_front_door():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 210
    assert commands(text), "the README shows commands"
    for link in re.findall(r"\]\(([^)#]+)", text):
        assert (fc.ROOT / link).exists(), f"the README links to {link}, which does not exist"
    assert re.search(r"!\[[^]]+\]\(docs/[^)]+\.png\)", text), "a picture of the report"


def test_each_command_is_written_one_way():
    text = README.read_text(encoding="utf-8")
    for command in commands(text):
        first = program(command).split()[0]
        assert first == "make" or first.startswith(".venv/bin/"), command
    assert "python -m stability_report" not in text and "python -m papermill" not in text


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


@pytest.mark.slow  # the report rendered, a scenario, papermill, an article taken in, JupyterLab
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


def test_the_documents_links_lead_somewhere():
    for doc in sorted((fc.ROOT / "docs").glob("*.md")):
        for link in re.findall(r"\]\(([^)#:]+)", doc.read_text(encoding="utf-8")):
            assert (doc.parent / link).exists(), f"{doc.name} links to {link}"
