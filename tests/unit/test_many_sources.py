"""The report with several sources: statements several articles report counted once and cited
with all their sources, the rule that picks among several statements, and no reading a recorded
conflict rejects carrying a claim anywhere (report, brief, results.json).

The tests of the same that need a whole run are in tests/integration/test_many_sources.py.
"""

from __future__ import annotations

import pandas as pd
import pytest
from readings_support import KINDS, misused

from stability_report.analysis.money import once, pick, preferred, select
from stability_report.analysis.readings import rejected_readings
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


def test_the_check_finds_a_rejected_reading_cited_on_its_own():
    conflicts = load_facts().conflicts
    fid, cid = next(iter(rejected_readings(conflicts, KINDS).items()))
    html = (
        "<h2>2.3 Cash</h2><p>A claim resting on the rejected reading "
        f'<a class="id-ref" href="#fact-{fid}">{fid}</a>.</p>'
    )
    assert [m.split()[0] for m in misused(html, conflicts)] == [fid]
    beside = html.replace("</p>", f' <a class="id-ref" href="#conflict-{cid}">{cid}</a></p>')
    assert misused(beside, conflicts) == []


def test_a_fact_counts_as_of_a_date_when_any_of_its_sources_is_published(facts):
    # M015 is S001's (published from March 2024); a further reference in S000 (from February)
    quote = "Stability raised funds in 2022 that valued the company at $1 billion"
    refs = pd.DataFrame(
        [
            {
                "fact_id": "M015",
                "source_id": "S000",
                "quote": quote,
                "original_reporter": None,
                "attributed_to": None,
                "note": None,
            }
        ]
    ).astype(facts.references.dtypes.to_dict())
    more = Facts(tables={**facts.tables, "references": refs}, texts=facts.texts, digest="t")
    early = more.as_of("2024-02-15")
    row = early.money.set_index("fact_id").loc["M015"]
    assert (row["source_id"], row["quote"]) == ("S000", quote)
    assert early.references.empty  # the reference became the fact's own, as of that date
    assert "M015" not in set(facts.as_of("2024-02-15").money["fact_id"])
    later = more.as_of("2024-06-04")
    assert later.money.set_index("fact_id").loc["M015", "source_id"] == "S001"
    assert list(later.references["fact_id"]) == ["M015"]
    assert more.sources_of("M015") == ["S001", "S000"]
    assert more.first_reported_by(["M015"]) == "S000"
