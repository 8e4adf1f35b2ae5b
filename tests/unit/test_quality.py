"""analysis.quality and present.quality: the sources chapter and its registers are complete (every
conflict and every fact with an inferred date appears) and their counts agree with the fact base
and with the articles."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from stability_report.analysis import quality
from stability_report.facts.base import Facts
from stability_report.facts.load import load_facts
from stability_report.present import quality as quality_text

AS_OF = "2024-06-04"


@pytest.fixture(scope="module")
def facts() -> Facts:
    return load_facts().as_of(AS_OF)


@pytest.fixture(scope="module")
def empty() -> Facts:
    return load_facts().as_of("2023-06-30")


def test_fact_counts_add_up(facts):
    c = quality.fact_counts(facts).set_index("Source")
    assert c.loc["All sources", "All facts"] == len(facts.all_facts()) == 240
    for sid in ("S000", "S001"):
        assert quality.count_of_facts(facts, sid).value == c.loc[sid, "All facts"]
        assert quality.count_of_facts(facts, sid).ids == (sid,)
    assert (c.loc["S000", "All facts"], c.loc["S001", "All facts"]) == (92, 148)


def test_sources_table_and_text(facts):
    s = quality.sources_table(facts).set_index("Source")
    assert s.loc["S000", "Published"] == "1 Feb – 4 Jun 2024 (updated 4 June 2024)"
    assert s.loc["S001", "Published"] == "March–December 2024"
    assert s.loc["S000", "Facts"] == 92
    text = quality_text.sources_text(facts)
    assert "Neither source states its publication date" in text


def test_status_text_counts_every_money_fact(facts):
    text = quality_text.status_text(facts)
    counts = facts.money["status"].value_counts()
    assert counts["claimed"] == 2  # the deleted tweet's August and November figures
    assert "two claimed" in text and "31 money facts" in text


def test_conflict_register_keeps_every_conflict(facts):
    t = quality.conflict_register(facts)
    assert len(t) == len(facts.conflicts) == 29
    assert t["Reading A"].str.match(r"^[MERN]\d{3,}: ").all()
    assert set(t["Uses"]) <= set(quality.USES_LABELS.values())
    assert quality.conflicts_csv(facts).equals(facts.conflicts.reset_index(drop=True))


def test_conflict_counts_partition(facts):
    cc = quality.conflict_counts(facts)
    assert cc["total"].value == 29 and cc["total"].ref == quality.CONFLICTS_TABLE
    assert cc["across"].value + cc["within"].value == 29
    assert cc["one"].value + cc["both"].value + cc["neither"].value == 29
    visible = quality.visible_conflicts_table(facts)
    assert len(visible) == cc["visible"].value
    kinds = facts.conflicts.set_index("conflict_id").loc[visible["Conflict"], "kind"]
    assert set(kinds) <= set(quality.VISIBLE_KINDS)


def test_inference_log_lists_every_fact_with_a_note(facts):
    kinds = quality.inference_kinds(facts)
    noted = pd.concat(
        [
            facts.tables[t].loc[facts.tables[t]["inference_note"].notna(), "fact_id"]
            for t in ("personnel", "money", "events")
        ]
    )
    assert set(kinds["fact_id"]) == set(noted)
    log = quality.inference_log(facts)
    listed = [i for ids in log["Facts"] for i in ids.split(", ")]
    assert sorted(listed) == sorted(noted) and len(listed) == len(set(listed))
    summary = quality.inference_summary(kinds)
    assert summary["Facts"].sum() == len(noted)


@pytest.mark.parametrize(
    "note,kind",
    [
        ("'last year' resolved to 2023: S000 was written in 2024", "relative year"),
        ("'In March this year' resolved to March 2024", "relative year"),
        ("'Last month' = the month before publication", "relative period"),
        ("'In November' resolved to November 2023: S000 was written in 2024", "month without year"),
        ("Stated in the present tense as of writing", "present tense"),
        ("Dated by the announcement in October 2022", "related event"),
        ("S000 gives no date for this departure", "not dated"),
        ("Value = hours after the announcement", "related event"),
        ("No amount given", "value"),
        ("Something else entirely", "other"),
    ],
)
def test_inference_kinds(note, kind):
    assert quality._kind(note)[0] == kind


def test_limits_are_counted_from_the_facts(facts):
    limits = " ".join(quality_text.limits(facts, AS_OF))
    assert "one cash figure" in limits and "upper bound" in limits
    assert "three of the unpaid bills" in limits  # M009 summary, September, January
    assert "12 of the 16" in limits


def test_dating_text(facts):
    text = quality_text.dating_text(facts)
    assert "Of the 189 personnel, money and event facts" in text


def test_everything_handles_no_facts(empty):
    assert quality.fact_counts(empty)["All facts"].sum() == 0
    assert quality.sources_table(empty).empty
    assert quality.conflict_register(empty).empty
    assert quality.conflict_counts(empty)["total"].value == 0
    assert quality.inference_kinds(empty).empty
    assert quality.inference_log(empty).empty


# A third, fictitious source whose publication window was given when it was registered (not read
# from its text), published by an outlet S001 restates, with a departure it dates ('last week'):
# tests/fixtures/third-source-fictitious.csv.
THIRD = Path(__file__).resolve().parents[1] / "fixtures" / "third-source-fictitious.csv"


def with_third_source(facts: Facts) -> Facts:
    """The fact base with the fixture's rows added, each to its table, typed as the table."""
    extra = pd.read_csv(THIRD, dtype=str, keep_default_na=False)
    tables = dict(facts.tables)
    for table, rows in extra.groupby("table"):
        t = tables[table]
        rows = rows[[c for c in t.columns if c in rows.columns]].replace("", None)
        for c in t.columns:
            if c in rows and pd.api.types.is_datetime64_any_dtype(t[c]):
                rows[c] = pd.to_datetime(rows[c])
        tables[table] = pd.concat([t, rows], ignore_index=True)
    return Facts(tables=tables, texts=facts.texts, digest="third")


@pytest.fixture(scope="module")
def third() -> Facts:
    return with_third_source(load_facts())


def test_a_source_dated_when_registered_is_not_said_to_be_dated_by_its_text(facts, third):
    assert list(quality.dated_by_text(facts)) == [True, True]
    assert list(quality.dated_by_text(third)) == [True, True, False]
    text = quality_text.sources_text(third)
    assert "S000 and S001 state no publication date: each one's window comes from its own" in text
    assert "The publication date of S002 was given when it was registered, not read from" in text
    assert "No source states" not in text and "Neither source" not in text
    assert quality_text.sources_caption(facts) == "The sources, as dated by their own text"
    assert "S002 as given when registered" in quality_text.sources_caption(third)
    limits = " ".join(quality_text.limits(third, "2026-12-05"))
    assert "two of the sources, which are bounded from their text instead, and of S002" in limits
    # the two real sources keep their sentences
    assert "Neither source states its publication date" in quality_text.sources_text(facts)
    assert "The publication date of either source" in " ".join(
        quality_text.limits(facts, "2026-12-05")
    )


def test_the_outlets_sentence_counts_the_articles_and_names_a_registered_outlet(facts, third):
    two = quality_text.outlets_text(facts)
    assert "Both articles rest in part" in two and "The two are therefore" in two
    text = quality_text.outlets_text(third)
    assert "Both articles" not in text
    assert text.startswith(" Two of the three articles rest in part on earlier reporting")
    assert "Bloomberg (eight facts; the outlet of S002)" in text
    assert "S000 and S001 name no outlet of their own" in text
