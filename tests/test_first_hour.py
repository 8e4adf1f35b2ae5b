"""A newcomer's first hour, on a fresh clone (tests/fresh_clone.py): `make report` changes no
tracked file when only the date would change, the run information names the commit however long
git takes to filter notebooks, and a notebook JupyterLab saved neither shows in `git status` nor
marks the next report as made from uncommitted inputs."""

from __future__ import annotations

import json
import subprocess
from datetime import date, timedelta
from pathlib import Path

import fresh_clone as fc
import pytest

from stability_report.analysis.asof import signature


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


@pytest.mark.slow  # two renders of the report
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
    assert "nothing published" in again.stderr

    once_more = make(clone, "report")  # the same inputs: known at once, nothing rendered
    assert once_more.returncode == 0, once_more.stderr[-3000:]
    assert "nothing to render" in once_more.stderr and "running" not in once_more.stderr
    assert fc.status(clone) == ""
