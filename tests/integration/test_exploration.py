"""Exploring leaves the published report and git alone: a notebook run outside the pipeline
(papermill by hand, as the README shows, or JupyterLab) writes its figures to scratch/, never
over figures/ or report/, and git's notebook filter keeps outputs out of what is committed."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pipeline_support as support
import pytest

from stability_report import config

ROOT = support.ROOT
PAPERMILL = str(Path(sys.executable).parent / "papermill")
NOTEBOOK = "notebooks/02-cash-runway.ipynb"


def git(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, **kw)


def in_git_checkout() -> bool:
    r = git("rev-parse", "--show-toplevel")
    return r.returncode == 0 and Path(r.stdout.strip()).resolve() == ROOT.resolve()


needs_git = pytest.mark.skipif(not in_git_checkout(), reason="the project is not a git checkout")


def digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` with the SHA-256 of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_figures_outside_the_pipeline_go_to_scratch(monkeypatch):
    monkeypatch.delenv(config.ENV_FIGURES, raising=False)
    assert config.figures_dir() == config.SCRATCH / "figures"
    monkeypatch.setenv(config.ENV_FIGURES, "/elsewhere")
    assert config.figures_dir() == Path("/elsewhere")


@needs_git
def test_scratch_is_ignored_by_git():
    r = git("check-ignore", "-q", "scratch/figures/runway-cash-scenarios.svg")
    assert r.returncode == 0, "scratch/ must be ignored by git"


@needs_git
def test_papermill_by_hand_leaves_figures_report_and_git_alone(tmp_path):
    """The README's papermill command, run from the checkout: the committed figures and report
    are byte for byte as they were, `git status` shows nothing new, the figures are in scratch/."""
    status = git("status", "--porcelain", "--untracked-files=all").stdout
    published = {d: digest(ROOT / d) for d in ("figures", "report")}
    scratch = config.SCRATCH / "figures" / "runway-cash-scenarios.svg"
    before = scratch.stat().st_mtime_ns if scratch.exists() else None

    r = subprocess.run(
        [
            PAPERMILL,
            NOTEBOOK,
            str(tmp_path / "02.ipynb"),
            "--no-progress-bar",
            "-p",
            "burn_basis",
            "monthly_spend",
        ],
        cwd=ROOT,
        env=support.cli_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr[-3000:]

    assert {d: digest(ROOT / d) for d in ("figures", "report")} == published
    assert git("status", "--porcelain", "--untracked-files=all").stdout == status
    assert scratch.exists() and scratch.stat().st_mtime_ns != before
    assert (config.SCRATCH / "figures" / "runway-sensitivity.png").exists()


@needs_git
@pytest.mark.parametrize("name", sorted(p.name for p in config.NOTEBOOKS.glob("*.ipynb")))
def test_git_filter_strips_what_jupyterlab_saves(name):
    """A notebook as JupyterLab autosaves it after a run (outputs, execution counts, the
    kernel's language_info, widget state) is staged as the committed notebook, byte for byte:
    git's own clean filter (.gitattributes, set up by `make env`) is applied by hash-object."""
    assert (
        git("check-attr", "filter", f"notebooks/{name}")
        .stdout.strip()
        .endswith("filter: nbstripout")
    ), ".gitattributes must name the nbstripout filter for notebooks"
    clean = git("config", "--get", "filter.nbstripout.clean").stdout.strip()
    assert clean, "git's nbstripout filter is not configured: run `make env`"

    source = ROOT / "notebooks" / name
    nb = nbformat.read(source, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            cell.execution_count = i
            cell.outputs = [
                nbformat.v4.new_output("display_data", data={"text/plain": "x"}),
                nbformat.v4.new_output("stream", name="stdout", text="y\n"),
            ]
            cell.metadata["execution"] = {"iopub.status.busy": "2024-06-04T00:00:00Z"}
    nb.metadata["language_info"].update(
        {
            "version": "3.11.7",
            "mimetype": "text/x-python",
            "file_extension": ".py",
            "codemirror_mode": {"name": "ipython", "version": 3},
            "pygments_lexer": "ipython3",
            "nbconvert_exporter": "python",
        }
    )
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    saved = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"

    staged = git("hash-object", "--stdin", "--path", f"notebooks/{name}", input=saved)
    committed = git("hash-object", "--no-filters", str(source))
    assert staged.returncode == 0, staged.stderr
    assert staged.stdout == committed.stdout, "the filter left something of the run in the notebook"
