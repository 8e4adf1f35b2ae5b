"""The report's "What changed since the report of <date>" section: its text from a difference,
absent when the fact base is the same, and in a rendered report after the facts changed (every
id in it a link, a removed fact's id not)."""

from __future__ import annotations

import copy
import re

import pipeline_support as support
import pytest
from test_compare import edited_facts

from stability_report import config, resultsfile
from stability_report.facts.load import load_facts
from stability_report.facts.plain import FactBase
from stability_report.params import Params
from stability_report.present import changes, results
from stability_report.present.markdown import DOLLAR
from stability_report.render import citations


@pytest.fixture(scope="module")
def base():
    return results.compute(
        load_facts(),
        Params.from_mapping({"as_of": support.AS_OF}),
        {"run_id": "2024-06-04_aaaaaaaaaa"},
    )


def test_absent_when_no_fact_changed(base):
    again = copy.deepcopy(base)
    again["params"]["burn_basis"] = "feb2024"  # another scenario is not a change of the facts
    again["key_numbers"]["cash"]["text"] = "less than $9 million"
    assert changes.section(resultsfile.diff(base, again)) == ""


def test_lists_new_sources_facts_and_moved_numbers(base):
    new = copy.deepcopy(base)
    new["sources"]["S002"] = {
        "headline": "A third <b>article</b>",
        "published_start": None,
        "published_end": None,
        "row_hash": "1" * 16,
    }
    new["facts"]["M999"] = {
        "table": "money",
        "source_id": "S002",
        "quote": "raised $9 million",
        "row_hash": "0" * 16,
    }
    removed_quote = new["facts"].pop("E001")["quote"]
    new["key_numbers"]["cash"] = {
        **new["key_numbers"]["cash"],
        "text": "less than $9 million",
        "value": 9e6,
        "fact_ids": ["M999"],
    }
    text = changes.section(resultsfile.diff(base, new))
    assert text.startswith("## What changed since the report of 4 June 2024\n")
    assert "one new source, one fact added, one fact removed" in text
    assert "- S002: <q>A third &lt;b&gt;article&lt;/b&gt;</q>" in text  # data text made inert
    assert f"- M999 (money, S002): <q>raised {DOLLAR}9 million</q>" in text
    assert f"- `E001` (events): <q>{removed_quote[:30]}" in text  # code: no dangling link
    assert (
        f"Cash, October 2023: less than {DOLLAR}4 million → less than {DOLLAR}9 million"
        '<sup class="cite">[M999]</sup>' in text
    )


@pytest.mark.slow  # a whole run in a subprocess
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
