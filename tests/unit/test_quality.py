"""analysis.quality and present.quality: the sources chapter and its registers are complete (every
conflict and every fact with an inferred date appears) and their counts agree with the fact base
and with the articles."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from stability_report.analysis import cash, quality
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
        ("'over the past year' = the twelve months before publication", "relative period"),
        ("'In November' resolved to November 2023: S000 was written in 2024", "month without year"),
        ("Stated in the present tense as of writing", "present tense"),
        ("Dated by the announcement in October 2022", "related event"),
        ("S000 gives no date for this departure", "not dated"),
        ("Value = hours after the announcement", "related event"),
        ("No amount given", "value"),
        ("Something else entirely", "other"),
        # a fact dated by an event its source does not date, whatever relative year bounded
        # the event, is dated by that event
        (
            "On the founder's exit; S900 gives no date for the founder's exit. It lies in "
            "2031-03-01..2031-12-31: 'this year' resolved to 2031",
            "related event",
        ),
        ("'Then' refers either to the launch or to last year's statement", "related event"),
        # ... but a date the note concludes from relative words stays a relative one
        ("'last year' resolved to 2030, so it lies in 2030-01-01..2030-12-31", "relative year"),
        (
            "S900 does not name the year of 'the second quarter'. Read as Q2 2030",
            "quarter without year",
        ),
        ("Dated by the sale 'in the third quarter', read as Q3 2030", "quarter without year"),
    ],
)
def test_inference_kinds(note, kind):
    assert quality._kind(note)[0] == kind


@pytest.mark.parametrize(
    "note,kind",
    [
        ("After the founding (preceding sentence); otherwise no date", "not dated"),
        ("Background from the next sentence", "not dated"),
        ("Value = months between two dates neither source gives", "value"),
    ],
)
def test_an_undated_fact_is_not_dated_whatever_its_note_relates_it_to(note, kind):
    assert quality._kind(note, "undated")[0] == kind
    assert quality._kind(note, "range")[0] != "not dated" or kind == "not dated"


def test_each_phrase_a_kind_quotes_is_recognised_as_that_kind():
    # Table 8 counts and the inference log lists the facts under these labels: a note quoting
    # a phrase a label names must land under that label
    for key, label, _ in quality.INFERENCE_KINDS:
        for phrase in re.findall(r"“([^”]+)”", label):
            note = f"'{phrase}' = a period before publication"
            assert quality._kind(note)[0] == key, (phrase, quality._kind(note)[0])


def test_limits_are_counted_from_the_facts(facts):
    limits = " ".join(quality_text.limits(facts, AS_OF))
    assert "one cash figure" in limits and "upper bound" in limits
    # the September and January bills; M009 ("millions of dollars in invoices") summarises them
    assert 'two<sup class="cite">[M018, M019]</sup> of the unpaid bills' in limits
    assert "12 of the 16" in limits


def _bills_base(facts: Facts) -> Facts:
    """A fictitious fact base (the real tables' columns, no real row): one source, one cash
    figure and five unpaid bills to one creditor, of which one has an amount, three are
    itemised without one (one of them reported as going unpaid later) and one summarises them
    all ("millions of dollars in invoices": no amount, no month)."""
    tables = {name: t.iloc[0:0] for name, t in facts.tables.items()}
    src = facts.sources.iloc[[0]].assign(
        source_id="S900",
        file="ledger-fictitious.txt",
        headline="A fictitious ledger",
        published_start=pd.Timestamp("2023-09-01"),
        published_end=pd.Timestamp("2023-09-30"),
        published_precision="range",
        updated=pd.NaT,
    )
    tables["sources"] = src.astype(facts.sources.dtypes.to_dict()).reset_index(drop=True)

    def row(fid, metric, quote, value, month, counterparty="Acme Cloud", **kw):
        """A money row of S900 for `month` ("2023-04"), or for the period `kw` gives."""
        period = pd.Period(month, "M")
        return {
            "fact_id": fid,
            "source_id": "S900",
            "quote": quote,
            "metric": metric,
            "counterparty": counterparty,
            "value": value,
            "unit": "USD",
            "bound": "exact" if pd.notna(value) else "unknown",
            "date_start": period.start_time.normalize(),
            "date_end": period.end_time.normalize(),
            "date_precision": "month",
            "status": "reported",
        } | kw

    nan = float("nan")
    rows = [
        row("M901", "cash", "It held under $2 million in May", 2e6, "2023-05", bound="less_than"),
        row("M902", "unpaid_bill", "The March bill of $500,000 went unpaid", 5e5, "2023-03"),
        row("M903", "unpaid_bill", "The April bill went unpaid too", nan, "2023-04"),
        row("M904", "unpaid_bill", "Later, the June bill went unpaid", nan, "2023-06"),
        row("M906", "unpaid_bill", "The July bill went unpaid as well", nan, "2023-07"),
        row(
            "M905",
            "unpaid_bill",
            "It owes millions to cloud providers like Acme Cloud",
            nan,
            "2023-09",
            counterparty="cloud providers like Acme Cloud",
            date_precision="range",
        ),
    ]
    money = pd.DataFrame(rows, columns=facts.money.columns)
    tables["money"] = money.astype(facts.money.dtypes.to_dict())
    return Facts(tables=tables, texts={}, digest="fictitious-bills")


def test_bills_without_an_amount_are_counted_as_the_cash_chapter_lists_them(facts):
    base = _bills_base(facts)
    listed = cash.itemised_bills(base)
    assert list(listed["fact_id"]) == ["M902", "M903", "M904", "M906"]  # not the summary M905
    assert list(cash.cash_position(base).bills["fact_id"]) == list(listed["fact_id"])
    limits = " ".join(quality_text.limits(base, "2023-12-31"))
    assert (
        'The amount of three<sup class="cite">[M903, M904, M906]</sup> of the unpaid bills'
        in limits
    )
    # with more bills than a sentence cites inline, the count stands without its ids
    more = _bills_base(facts)
    extra = more.money.iloc[[2, 2]].assign(fact_id=["M907", "M908"])
    more.tables["money"] = pd.concat([more.money, extra], ignore_index=True)
    limits = " ".join(quality_text.limits(more, "2023-12-31"))
    assert "The amount of five of the unpaid bills" in limits


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


def test_board_changes_are_said_when_the_facts_report_them(facts):
    ids = quality.board_changes(facts)
    # one fact per sentence: E019 and E020 quote the same sentence, so do E093 and E094
    assert "E019" in ids and "E020" not in ids and "E093" in ids and "E094" not in ids
    limits = " ".join(quality_text.limits(facts, AS_OF))
    assert "and of changes to the board, not of its full composition" in limits
    none = Facts({**facts.tables, "events": facts.events.iloc[0:0]}, facts.texts)
    assert quality.board_changes(none) == ()


def test_board_composition_is_said_unknown_when_no_fact_speaks_of_the_board(empty):
    assert quality.board_changes(empty) == ()
    limits = " ".join(quality_text.limits(empty, "2023-06-30"))
    assert "voting rights or board composition" in limits
