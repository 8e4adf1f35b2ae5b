"""The as-of signature (analysis.asof): the tests that need a whole run (the report rendered, a
kernel, a browser or the command line in a subprocess); the others, and what they cover, are in
tests/unit/test_asof.py.
"""

from __future__ import annotations

import json

import pipeline_support as support
import robustness_support as rs
from unit.test_asof import STALE


def test_a_daily_run_on_unchanged_facts_renders_nothing():
    """Rendered as of D, a run as of D + 1 day is a no-op: one line, exit 0, nothing in the
    output tree changes but the record of the check; a run on a date that changes the
    signature (the facts become more than a year old) renders."""
    out = support.tmpdir("daily") / "report"
    nb = support.report_notebooks()
    first = support.render(out, nb, "--as-of", "2025-02-27", "--no-pdf")
    assert first.returncode == 0, first.stderr[-3000:]
    rid = json.loads((out / "latest" / "run.json").read_text())["run_id"]
    assert rid.startswith("2025-02-27_")
    before = rs.snapshot(out)

    daily = support.render(out, nb, "--as-of", "2025-02-28", "--no-pdf")
    assert daily.returncode == 0, daily.stderr
    assert "unchanged since" in daily.stderr and "2025-02-27" in daily.stderr  # the date kept
    assert "starting the kernel" not in daily.stderr
    after = rs.snapshot(out)
    assert set(after) - set(before) == {"checked.json"}
    assert {k: v for k, v in after.items() if k != "checked.json"} == before
    assert json.loads((out / "checked.json").read_text()) == {
        "checked_as_of": "2025-02-28",
        "report_as_of": "2025-02-27",
        "run_id": rid,
        "inputs_hash": json.loads((out / "latest" / "run.json").read_text())["inputs_hash"],
    }
    assert STALE not in (out / "report.html").read_text(encoding="utf-8")

    stale = support.render(out, nb, "--as-of", "2025-03-02", "--no-pdf")
    assert stale.returncode == 0, stale.stderr[-3000:]
    assert "rendering run 2025-03-02_" in stale.stderr
    assert STALE in (out / "report.html").read_text(encoding="utf-8")
    forced = support.render(out, nb, "--as-of", "2025-03-03", "--no-pdf", "--force")
    assert forced.returncode == 0 and "rendering run 2025-03-03_" in forced.stderr
