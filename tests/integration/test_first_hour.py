"""A newcomer's first hour, on a fresh clone (tests/fresh_clone.py): `make report` changes no
tracked file when only the date would change, the run information names the commit however long
git takes to filter notebooks, and a notebook JupyterLab saved neither shows in `git status` nor
marks the next report as made from uncommitted inputs."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import threading
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import fresh_clone as fc
import pytest

from stability_report.analysis.asof import signature
from stability_report.pipeline import inputs


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    return fc.make_clone(tmp_path_factory.mktemp("first-hour") / "clone")


def make(clone: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=clone,
        env=fc.env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def day_with_todays_signature(facts: Path) -> str | None:
    """A day before today whose as-of signature is today's (only the printed date differs)."""
    today = date.today()
    for back in range(1, 31):
        d = (today - timedelta(days=back)).isoformat()
        if signature(facts, d) == signature(facts, today.isoformat()):
            return d
    return None


def test_the_clone_starts_clean(clone):
    assert fc.status(clone) == ""
    assert not (clone / "report" / "runs").exists()


def test_make_report_in_a_fresh_clone_changes_nothing_when_only_the_date_would(clone):
    """The clone's report is first made the committed one by this code (rendered as of a day
    with today's signature and committed); the clone then loses what a clone never has
    (report/runs/, latest, checked.json), and `make report`, as of today, leaves `git status`
    clean, saying that nothing but the date would change."""
    earlier = day_with_todays_signature(clone / "data" / "facts")
    if earlier is None:
        pytest.skip("the fact base changes the analysis every day of the past month")
    first = make(clone, "report", f"ARGS=--as-of {earlier}")
    assert first.returncode == 0, first.stderr[-3000:]
    fc.git(clone, "add", "-A")
    fc.git(clone, "-c", "core.hooksPath=/dev/null", "commit", "-q", "--allow-empty", "-m", "r")
    fc.git(clone, "clean", "-q", "-f", "-d", "-X", "report")
    assert not (clone / "report" / "runs").exists() and fc.status(clone) == ""
    committed = json.loads((clone / "report" / "results.json").read_text(encoding="utf-8"))

    again = make(clone, "report")
    assert again.returncode == 0, again.stderr[-3000:]
    assert fc.status(clone) == "", again.stderr[-2000:]
    assert f"unchanged since the report as of {committed['as_of']}" in again.stderr
    # the committed run (report/latest/run.json) says so at once, or, where a clone has only
    # the published files, the rendered content is found to be the published one
    assert "nothing to render" in again.stderr or "nothing published" in again.stderr

    once_more = make(clone, "report")  # the same inputs: known at once, nothing rendered
    assert once_more.returncode == 0, once_more.stderr[-3000:]
    assert "nothing to render" in once_more.stderr and "running" not in once_more.stderr
    assert fc.status(clone) == ""


def test_a_notebook_saved_by_jupyterlab_is_the_same_input(tmp_path):
    """Outputs, counts and front-end metadata saved into a notebook change nothing a run reads:
    the inputs' hash stays, so the next run has nothing new to render."""
    notebooks = tmp_path / "notebooks"
    shutil.copytree(fc.ROOT / "notebooks", notebooks, ignore=shutil.ignore_patterns(".*"))
    cfg = inputs.Config(params={"as_of": "2024-06-04"}, notebooks=notebooks)
    before = inputs.input_files(cfg)
    fc.saved_by_jupyterlab(notebooks / "02-cash-runway.ipynb")
    assert inputs.input_files(cfg) == before
    nb = json.loads((notebooks / "02-cash-runway.ipynb").read_text(encoding="utf-8"))
    nb["cells"][-1]["source"] = "# another line\n" + "".join(nb["cells"][-1]["source"])
    (notebooks / "02-cash-runway.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    assert inputs.input_files(cfg) != before


def in_clone(clone: Path, code: str) -> str:
    r = subprocess.run(
        [str(clone / ".venv" / "bin" / "python"), "-c", code],
        cwd=clone,
        env=fc.env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


COMMIT = (
    "from stability_report.pipeline.inputs import Config, git_commit\n"
    "print(git_commit(Config(params={'as_of': '2024-06-04'})))"
)


def test_run_information_names_the_commit_however_slow_git_filters_notebooks(clone, tmp_path):
    """git's notebook filter made to take seconds per notebook and every notebook's time
    changed (so `git status` would filter each), one notebook saved by JupyterLab: the run
    information names the commit, with no uncommitted change; a cell changed is named."""
    head = fc.git(clone, "rev-parse", "HEAD").stdout.strip()
    clean = fc.git(clone, "config", "--get", "filter.nbstripout.clean").stdout.strip()
    saved = clone / "notebooks" / "02-cash-runway.ipynb"
    try:
        fc.git(clone, "config", "filter.nbstripout.clean", f"sleep 4; {clean}")
        for nb in (clone / "notebooks").glob("*.ipynb"):
            os.utime(nb)
        fc.saved_by_jupyterlab(saved)
        r = subprocess.run(
            [".venv/bin/stability-report", "run", "--no-pdf", "--output", str(tmp_path / "out")],
            cwd=clone,
            env=fc.env(),
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert r.returncode == 0, r.stderr[-3000:]
        page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
        assert f"<dt>Commit</dt><dd><code>{head}</code></dd>" in page
        assert in_clone(clone, COMMIT) == head

        nb = json.loads(saved.read_text(encoding="utf-8"))
        nb["cells"][-1]["source"] = "# another line\n" + "".join(nb["cells"][-1]["source"])
        saved.write_text(json.dumps(nb), encoding="utf-8")
        # the commit, marked as changed since, with the input that changed
        described = in_clone(clone, COMMIT)
        assert described.startswith(f"{head} (") and "uncommitted" in described
        assert "notebooks/02-cash-runway.ipynb" in described
    finally:
        fc.git(clone, "config", "filter.nbstripout.clean", clean)
        fc.git(clone, "checkout", "--", "notebooks")
    assert fc.status(clone) == ""


def test_make_lab_answers_on_the_address_it_prints_and_saves_leave_git_clean(clone, tmp_path):
    """`make lab` with options in LAB_ARGS (as root here: the set-up assumes root or sudo)
    prints the address to open; JupyterLab answers there; a notebook saved through it with
    outputs (as JupyterLab saves after a run) leaves `git status` clean, and one whose cell
    changed shows as modified."""
    runtime = tmp_path / "runtime"
    lab_env = fc.env(
        JUPYTER_RUNTIME_DIR=str(runtime),
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
        JUPYTER_DATA_DIR=str(tmp_path / "data"),
        IPYTHONDIR=str(tmp_path / "ipython"),
    )
    options = "--no-browser --ip=127.0.0.1 --port=0 --ServerApp.port_retries=0"
    log = (tmp_path / "lab.log").open("wb")
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"LAB_ARGS={options}"],
        cwd=clone,
        env=lab_env,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()
    try:
        address, deadline = None, time.monotonic() + 120
        while address is None and time.monotonic() < deadline and proc.poll() is None:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            if "open http" in line:
                address = line.split("open ", 1)[1].strip()
        assert address, (tmp_path / "lab.log").read_text(errors="replace")[-3000:]
        with urllib.request.urlopen(address, timeout=30) as page:
            assert page.status == 200 and b"JupyterLab" in page.read()
        base, token = address.split("/lab?token=")

        def api(method: str, path: str, body: dict | None = None):
            req = urllib.request.Request(
                f"{base}/api/contents/{path}",
                method=method,
                data=None if body is None else json.dumps(body).encode(),
                headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
            )
            with urllib.request.urlopen(req, timeout=30) as resp:
                return json.loads(resp.read() or b"null")

        name = "03-executive-attrition.ipynb"
        model = api("GET", name)
        for i, cell in enumerate(model["content"]["cells"], start=1):
            if cell["cell_type"] == "code":
                cell["execution_count"] = i
                cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "y" * 99}]
        api("PUT", name, {"type": "notebook", "format": "json", "content": model["content"]})
        assert poll(lambda: fc.status(clone) == ""), fc.status(clone)

        model["content"]["cells"][-1]["source"] += "\n# changed"
        api("PUT", name, {"type": "notebook", "format": "json", "content": model["content"]})
        assert poll(lambda: fc.status(clone) == f" M notebooks/{name}\n"), fc.status(clone)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
        log.close()
        fc.git(clone, "checkout", "--", "notebooks")


def poll(check, seconds: float = 30) -> bool:
    """Whether `check()` holds within `seconds` (the hook refreshes git's index in a thread)."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.3)
    return True


def test_make_report_with_a_scenario_leaves_the_published_report_alone(clone):
    """`make report ARGS="-p burn_basis feb2024"`: the report goes to scratch/, the message says
    where, and `git status` (report/, figures/) stays clean."""
    r = make(clone, "report", "ARGS=-p burn_basis feb2024 --no-pdf")
    assert r.returncode == 0, r.stderr[-3000:]
    where = "scratch/burn_basis-feb2024"
    assert f"the report goes to {where}/" in r.stderr
    assert f"in {where} (run " in r.stderr
    assert (clone / where / "report.html").is_file()
    assert fc.status(clone) == ""


@pytest.mark.parametrize(("euid", "allow_root"), [(0, True), (1000, False)])
def test_make_lab_allows_root_only_for_root(monkeypatch, euid, allow_root):
    """As root JupyterLab needs --allow-root, which a user does not; LAB_ARGS come after the
    project's own options (a user's --ServerApp.root_dir= wins)."""
    from stability_report import config
    from stability_report.tools import lab

    started = []

    class Finished:
        def __init__(self, cmd):
            started.append(cmd)
            self.pid = 0

        def poll(self):
            return 0

        def wait(self, timeout=None):
            return 0

    monkeypatch.setattr(lab.os, "geteuid", lambda: euid)
    monkeypatch.setattr(lab.subprocess, "Popen", Finished)
    assert lab.main(["--port=8890", "--no-browser"]) == 0
    (cmd,) = started
    assert cmd[1:3] == ["-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={config.NOTEBOOKS}" in cmd
    assert f"--FileContentsManager.post_save_hook={lab.HOOK}" in cmd
    assert ("--allow-root" in cmd) is allow_root
    assert cmd[-2:] == ["--port=8890", "--no-browser"]
