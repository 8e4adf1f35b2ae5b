"""The report with several sources: statements several articles report counted once and cited
with all their sources, the rule that picks among several statements, and no reading a recorded
conflict rejects carrying a claim anywhere (report, brief, results.json)."""

from __future__ import annotations

import json

import pandas as pd
import pipeline_support as support
import pytest
from readings_support import misused

from stability_report.analysis.attrition import rejected_readings
from stability_report.analysis.money import once, pick, preferred, select
from stability_report.facts.base import Facts
from stability_report.facts.load import load_facts


def _with_money(facts: Facts, *rows: dict) -> Facts:
    """The fact base with extra money rows (copies of existing ones with fields replaced)."""
    m = facts.money
    extra = []
    for r in rows:
        base = m[m["fact_id"] == r.pop("like")].iloc[0].to_dict()
        base.update(r)
        extra.append(base)
    tables = dict(facts.tables)
    tables["money"] = pd.concat([m, pd.DataFrame(extra).astype(m.dtypes.to_dict())])
    tables["money"] = tables["money"].reset_index(drop=True)
    sources = facts.sources
    if "S009" not in set(sources["source_id"]):
        later = sources.iloc[[-1]].assign(
            source_id="S009",
            published_start=pd.Timestamp("2025-01-01"),
            published_end=pd.Timestamp("2025-01-31"),
        )
        tables["sources"] = pd.concat([sources, later], ignore_index=True)
    return Facts(tables=tables, texts=facts.texts, digest="test")


@pytest.fixture(scope="module")
def facts() -> Facts:
    return load_facts()


def test_a_statement_repeated_by_a_second_source_as_a_fact_of_its_own_counts_once(facts):
    # the July AWS bill (M016) stated again by a later source as a fact of its own
    more = _with_money(facts, {"like": "M016", "fact_id": "M900", "source_id": "S009"})
    bills = select(more, "unpaid_bill", month="2023-07-01")
    assert list(bills["fact_id"]).count("M016") + list(bills["fact_id"]).count("M900") == 1
    # the later source's fact is the one kept, and the sum of known bills is unchanged
    assert "M900" in set(bills["fact_id"])
    assert select(more, "unpaid_bill")["value"].sum() == select(facts, "unpaid_bill")["value"].sum()


def test_two_equal_amounts_of_one_source_are_two_statements(facts):
    more = _with_money(facts, {"like": "M016", "fact_id": "M900"})  # same source S001
    assert {"M016", "M900"} <= set(select(more, "unpaid_bill", month="2023-07-01")["fact_id"])


def test_of_several_statements_for_one_lookup_the_documented_rule_picks_one(facts):
    # an updated figure for the same year from a later source: used, not an error
    more = _with_money(
        facts, {"like": "M015", "fact_id": "M901", "source_id": "S009", "value": 101e6}
    )
    row = pick(more, "compute_costs", per="year", year=2023)
    assert row["fact_id"] == "M901"
    # same source: the exact amount before the approximate one, then the lower id
    same = _with_money(
        facts,
        {"like": "M015", "fact_id": "M902", "bound": "exact", "value": 98e6},
        {"like": "M015", "fact_id": "M903", "bound": "exact", "value": 97e6},
    )
    order = list(preferred(select(same, "compute_costs"), same)["fact_id"])
    assert order == ["M902", "M903", "M015"]
    assert once(select(facts, "cash"), facts).equals(select(facts, "cash"))


@pytest.mark.slow  # renders the report
def test_no_rejected_reading_carries_a_claim_in_the_report_the_brief_or_the_results():
    rendered = support.published()
    conflicts = load_facts().conflicts
    assert misused(rendered.html, conflicts) == []
    brief = rendered.run_file("brief.html").read_text(encoding="utf-8")
    assert misused(brief, conflicts) == []
    results = json.loads(rendered.run_file("results.json").read_text(encoding="utf-8"))
    # a rejected name or title leaves the rest of its fact standing (a departure counts, under
    # the title the analysis uses); a rejected amount, date or claim rejects the fact
    kinds = ("amount", "date", "timing", "claim", "description")
    rejected = set(rejected_readings(conflicts, kinds))
    for key, number in results["key_numbers"].items():
        assert not rejected & set(number["fact_ids"]), key


def test_the_check_finds_a_rejected_reading_cited_on_its_own():
    conflicts = load_facts().conflicts
    fid, cid = next(iter(rejected_readings(conflicts).items()))
    html = (
        "<h2>2.3 Cash</h2><p>A claim resting on the rejected reading "
        f'<a class="id-ref" href="#fact-{fid}">{fid}</a>.</p>'
    )
    assert [m.split()[0] for m in misused(html, conflicts)] == [fid]
    beside = html.replace("</p>", f' <a class="id-ref" href="#conflict-{cid}">{cid}</a></p>')
    assert misused(beside, conflicts) == []
