"""quality.py: the evidence log of notebook 04 is complete (every fact, conflict and inferred
date appears) and its counts agree with the fact base and with the articles."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from stability_report import quality
from stability_report.facts import Facts, load_facts
from stability_report.narrative import md

AS_OF = "2024-06-04"


@pytest.fixture(scope="module")
def facts() -> Facts:
    return load_facts().as_of(AS_OF)


@pytest.fixture(scope="module")
def empty() -> Facts:
    return load_facts().as_of("2023-06-30")


def test_fact_counts_add_up(facts):
    c = quality.fact_counts(facts).set_index("Source")
    assert list(c.index) == ["S000", "S001", "Both sources"]
    assert c.loc["Both sources", "All facts"] == len(facts.all_facts())
    for sid in ("S000", "S001"):
        assert c.loc[sid, "All facts"] == (facts.all_facts()["source_id"] == sid).sum()
        assert quality.count_of_facts(facts, sid).value == c.loc[sid, "All facts"]
        assert quality.count_of_facts(facts, sid).ids == (sid,)
    assert (c.drop(columns="All facts").sum(axis=1) == c["All facts"]).all()


def test_sources_table(facts):
    s = quality.sources_table(facts).set_index("Source")
    assert list(s.index) == ["S000", "S001"]
    # S000 states only an update date (4 June 2024); S001 is bounded by what it reports
    assert s.loc["S000", "Published"].endswith("(updated 4 June 2024)")
    assert s.loc["S001", "Published"] == "March–December 2024"
    assert s.loc["S000", "Headline"].startswith("Key stable diffusion researchers")
    assert (s["Relative dates resolved against"] == "2024").all()


def test_conflicts_table_keeps_both_readings_and_quotes(facts):
    t = quality.conflicts_table(facts)
    assert len(t) == len(facts.conflicts)
    for a, b, c in zip(t["Reading A"], t["Reading B"], facts.conflicts.itertuples()):
        assert c.fact_id_a in a and c.quote_a in a
        assert c.fact_id_b in b and c.quote_b in b
    assert set(t["Analysis uses"]) <= set(quality.USES_LABELS.values())


def test_conflict_counts_partition(facts):
    cc = quality.conflict_counts(facts)
    total = cc["total"].value
    assert total == len(facts.conflicts)
    assert cc["across"].value + cc["within"].value == total
    assert cc["one"].value + cc["both"].value + cc["neither"].value == total
    # S000 spells the CEO 'Mostak' and 'Mostaque' itself: at least one conflict inside a source
    assert cc["within"].value >= 1
    assert set(cc["neither"].ids) <= set(facts.conflicts["conflict_id"])
    md("{total} {across} {within} {one} {both} {neither}", **cc)  # every count is cited


def test_inferred_dates_lists_every_fact_with_a_note(facts):
    t = quality.inferred_dates(facts)
    expected = sum(int(facts.tables[n]["inference_note"].notna().sum())
                   for n in ("personnel", "money", "events"))
    assert len(t) == expected and t["Fact"].is_unique
    # Newton-Rex's 'In November' is resolved to November 2023
    r012 = facts.personnel.set_index("fact_id")
    nov = [f for f in t["Fact"] if f in r012.index and "Newton-Rex" in r012.loc[f, "quote"]
           and r012.loc[f, "date_precision"] == "month"]
    assert nov and t.set_index("Fact").loc[nov[0], "Date"] == "November 2023"


def test_precision_counts_cover_every_dated_table(facts):
    pc = quality.precision_counts(facts).set_index("Table")
    for name, label in (("personnel", "Personnel statements"), ("money", "Money"),
                        ("events", "Events")):
        assert pc.loc[label].sum() == len(facts.tables[name])
    assert pc.loc["Money", "undated"] == 0  # money is always dated
    ds = quality.dating_summary(facts)
    assert ds["fine"].value + ds["coarse"].value + ds["undated"].value == ds["facts"].value


def test_name_variants(facts):
    v = quality.name_variants(facts).set_index("Report uses")
    assert {"Emad Mostaque", "Louis Castricato", "Jordan Valdés"} <= set(v.index)
    ceo = v.loc["Emad Mostaque"]
    for spelling in ("Mostak", "Mostake", "Mostaque"):
        assert spelling in ceo["S000 writes"]
    assert "Mostak" not in ceo["S001 writes"].replace("Mostaque", "")
    assert "Luis" in v.loc["Louis Castricato", "S000 writes"]
    assert "Valdes" in v.loc["Jordan Valdés", "S000 writes"]
    # a person written the same way everywhere is not a variant
    assert "Robin Rombach" not in set(v.index)


def test_freshness(facts):
    f = quality.freshness(facts, AS_OF)
    # the newest dated period: S001's 'In March this year' (and other S001 facts from 2024)
    assert f["newest"].value == pd.Timestamp("2024-03-01")
    assert f["days"].value == 95
    assert f["days"].ids and set(f["days"].ids) <= set(facts.all_facts()["fact_id"])


def test_precision_figure(facts):
    fig = quality.precision_figure(facts)
    assert fig is not None and fig.get_suptitle()
    plt.close(fig)


def test_everything_handles_no_facts(empty):
    assert empty.sources.empty
    assert quality.fact_counts(empty)["All facts"].sum() == 0
    assert quality.sources_table(empty).empty
    assert quality.conflicts_table(empty).empty
    assert quality.conflict_counts(empty)["total"].value == 0
    assert quality.inferred_dates(empty).empty
    assert quality.name_variants(empty).empty
    assert quality.freshness(empty, "2023-06-30") is None
    assert quality.precision_figure(empty) is None
