"""The report's "What changed since the report of <date>" section: the tests that need a whole run
(the report rendered, a kernel, a browser or the command line in a subprocess); the others, and what
they cover, are in tests/unit/test_changes.py.
"""

from __future__ import annotations

import re

import pipeline_support as support
from unit.test_compare import edited_facts

from stability_report import config, resultsfile
from stability_report.facts.plain import FactBase
from stability_report.render import citations


def test_in_a_rendered_report_after_a_fact_changed(tmp_path):
    """A copy of the published output, rendered again on a fact base whose October 2023 cash
    differs: the new report opens its first chapter with the section, which the render's own
    citation check accepted; the run folder keeps the results it compared with."""
    done = support.published()
    out = support.copy_output(done.output, "changes")
    facts = edited_facts(tmp_path / "facts", {"M014": {"value": "5000000"}})
    r = support.run_cli(
        "run",
        "--output",
        str(out),
        "--notebooks",
        str(done.notebooks),
        "--as-of",
        support.AS_OF,
        "--no-pdf",
        "--facts",
        str(facts),
    )
    assert r.returncode == 0, r.stderr[-3000:]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'href="#What-changed-since-the-report-of-4-June-2024"' in html  # in the contents
    start = html.index('<h2 id="What-changed-since-the-report-of-4-June-2024"')
    end = html.index("<h2", start + 10)
    assert html.index('<h2 id="Bottom-line"') == end  # first in the first chapter
    section = html[start:end]
    assert "one fact changed" in section
    assert "value 4000000.0 → 5000000.0" in section
    shown = re.sub(r"</?span>", "", section).replace("&#36;", "$")  # each $ in its own element
    assert "less than $4 million → less than $5 million" in shown
    assert 'href="#fact-M014"' in section
    assert citations.check_page(html, FactBase.load(facts, config.RAW)) == []
    run = out / "latest"
    kept = resultsfile.read(run / resultsfile.PREVIOUS_NAME)
    assert kept == resultsfile.read(done.output / "results.json")
