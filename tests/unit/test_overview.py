"""The summary: the bottom line computed and cited, each number with its status, freshness stated,
nothing invented when the facts are missing."""

import pytest

from stability_report.facts.load import load_facts
from stability_report.params import Params
from stability_report.present import overview
from stability_report.present.markdown import DOLLAR, value_text


@pytest.fixture(scope="module")
def all_facts():
    return load_facts()


def summary(all_facts, **kw):
    p = Params.from_mapping(kw)
    return overview.summarise(all_facts.as_of(p.as_of), p, all_facts.sources)


def test_headline_is_one_quotable_sentence(all_facts):
    h = summary(all_facts).headline
    assert h.startswith("**Stability AI") and h.endswith(".**") and h.count(". ") == 0
    assert f"{DOLLAR}1 billion" in h and "M002" in h  # the 2022 valuation, cited
    assert f"less than {DOLLAR}4 million" in h and "internal memo" in h and "M014" in h
    assert 'href="#tbl-departures"' in h and "chief executive" in h


def test_bottom_line_on_the_default_date(all_facts):
    s = summary(all_facts)
    assert 3 <= len(s.bottom_line) <= 5
    money, runway, people, control, sure = s.bottom_line
    assert f"{DOLLAR}153 million" in money and f"about {DOLLAR}99 million" in money
    assert "M024" in money and "financial report" in money  # the revenue and who gives it
    # the runway is a range across the three bases, to the month, never one basis' day
    assert "0.3 to 1.5 months (November to December 2023)" in runway
    # with the funding: 4.6 months on the highest rate, and the lowest past the 18-month
    # horizon (never "at most ... more than")
    funded = runway.split("Bloomberg", 1)[1]
    assert "4.6 months" in funded and "March 2024" in funded and "18-month" in funded
    assert "more than 18" not in runway
    assert "internal memo" in runway and "Bloomberg" in runway  # who gives the cash, the money
    # the brief starts here: the memo's amount and month are given, so "the same month" has one
    memo = runway.split("internal memo's cash", 1)[1].split("would have lasted")[0]
    assert f"less than {DOLLAR}4 million" in memo and "M014" in memo and "October 2023" in memo
    assert "the sources do not say" in runway  # the order of the two same-month events
    assert "November 2023" not in runway.split("(")[0]
    assert "burn_basis" not in runway and "revenue_growth" not in runway
    assert "16<sup" in people and 'href="#tbl-departures"' in people  # a count links a table
    assert "three<sup" in people and "E004" in people  # the three authors it had hired
    assert "R019" in people and "R021" not in people  # a board exit only announced is no date
    # R019's note says S001 gives no date: the resignation is said undated, the bound the report's
    assert "give no date" in people.split("R019")[0].rsplit("chief executive", 1)[1]
    assert "report's grouping" in people  # the groups are the report's classification
    # the chief executive is one of the 16, not of the research group; the authors' month is
    # one source's date, and says whose
    assert people.index("chief executive") < people.index("research and model development")
    assert "S001" in people.split("March 2024", 1)[1]
    assert "“In March this year”" in people  # the words the report dated it from, verbatim
    assert "could not directly remove" in control  # the hedge of E091
    assert "S001" in control.split("could not")[0]  # whose account it is
    # the board exits: who dates them, the outlet S000 restates and S001's own words
    exits = control.split("could not directly remove")[1]
    assert "Bloomberg" in exits and "S000" in exits and "By October last year" in exits
    # S001's words date the investors reaching their limit, the sentence before its exits: the
    # reader is shown what they date
    assert "“By October last year, Coatue and Lightspeed had reached their limit”" in exits
    assert "Mostaque said on X" in control and "majority of the shares" in control
    assert "upper bound" in sure and "claims by the chief executive" in sure
    for outlet in ("Bloomberg", "Forbes", "the Financial Times"):
        assert outlet in sure
    assert "not independent" in sure


def test_no_sentence_trails_more_than_a_few_ids(all_facts):
    import re

    for sentence in summary(all_facts).bottom_line:
        for ids in re.findall(r'<sup class="cite">\[([^\]]*)\]</sup>', sentence):
            assert len(ids.split(", ")) <= 4


def test_key_numbers_carry_status_and_citations(all_facts):
    t = summary(all_facts).key_numbers

    def row(word):
        (hit,) = [r for _, r in t.iterrows() if word in r["measure"]]
        return hit

    assert row("Target cut")["status"] == "reported"
    assert value_text(row("Target cut")["value"]) == "more than 80%"
    # "Target cut by October 2023": the source's date words quoted without a second "by"
    assert row("Target cut")["measure"].endswith("(S001: “October of last year”)")
    assert row("reportedly sought")["status"] == "planned"  # the hedge of M026 in the label
    conv = row("Convertible")
    assert conv["status"] == "derived" and set(conv["value"].ids) == {"M029", "M006"}
    assert "Bloomberg" in conv["measure"] and "internal document" in conv["measure"]
    assert row("Net burn")["status"] == "derived"
    assert row("laid off")["status"] == "reported" and "sources" in row("laid off")["measure"]
    assert set(t["status"]) <= {"reported", "claimed", "projected", "planned", "derived"}
    assert all(v.ids or v.ref for v in t["value"])  # every number cites its facts
    # a value resting on several facts is derived, on one fact that fact's status
    for _, r in t.iterrows():
        if len(r["value"].ids) > 1:
            assert r["status"] == "derived", r["measure"]


def test_key_numbers_do_not_repeat_the_bottom_line(all_facts):
    s = summary(all_facts)
    measures = " ".join(s.key_numbers["measure"]).lower()
    assert (
        "cash" not in measures
        and "departures" not in measures
        and "costs projected" not in measures
    )


def test_before_any_fact(all_facts):
    s = summary(all_facts, as_of="2023-06-30")
    assert s.key_numbers.empty
    assert "No fact is available as of 30 June 2023" in s.freshness
    assert "1 February 2024" in s.freshness  # S000's earliest possible publication


def test_far_future_says_the_facts_are_old(all_facts):
    s = summary(all_facts, as_of="2030-01-01")
    assert "more than a year old" in s.freshness


def test_bottom_line_does_not_follow_the_chosen_basis(all_facts):
    a = summary(all_facts).bottom_line[1]
    b = summary(all_facts, burn_basis="feb2024").bottom_line[1]
    assert a == b


def test_a_sources_date_words_are_quoted_in_the_sentence_that_holds_them():
    import pandas as pd

    from stability_report.present.phrases import date_clause

    def rows(quote, note):
        return pd.DataFrame({"quote": [quote], "inference_note": [note]})

    two = "Late last spring, the lenders lost patience. The chair left the board."
    note = "'late last spring' resolved to May 2023: the source was written in 2024"
    # the words date the first sentence; the statement is the second: the first is quoted
    assert date_clause(rows(two, note)) == "Late last spring, the lenders lost patience"
    one = "The chair left the board late last spring."
    assert date_clause(rows(one, note)) == "late last spring"  # the words, in the quote's case
    assert date_clause(rows(one, "read from the headline")) == ""  # not dated from its words
    assert date_clause(rows(one, None)) == ""
    # a note whose words the quote does not hold gives nothing to quote
    assert date_clause(rows(one, "'in the spring' resolved to May 2023")) == ""


def test_the_control_line_attributes_the_investors_limits_as_the_fact_does(all_facts):
    from stability_report.facts.base import Facts

    p = Params.from_mapping({})
    control = overview.summarise(all_facts.as_of(p.as_of), p, all_facts.sources).bottom_line[3]
    # E091 is S001's own narration (its insiders are credited with the sentence before it)
    assert "According to S001, Coatue" in control and "insiders" not in control
    # the same statement recorded as what insiders said: they are named, with the article
    tables = dict(all_facts.tables)
    e = tables["events"].copy()
    e.loc[e["fact_id"] == "E091", "attributed_to"] = "insiders"
    tables["events"] = e
    told = Facts(tables=tables, texts=all_facts.texts, digest="test").as_of(p.as_of)
    control = overview.summarise(told, p, all_facts.sources).bottom_line[3]
    assert "According to insiders cited by S001, Coatue" in control


def test_a_departure_dated_between_two_days_reads_as_between_with_the_source_words(all_facts):
    # a fictitious third source dates the chief executive's resignation 'last week' (18 to 24
    # March 2024); the summary and chapter 3 say 'between ... and ...', never 'in 18 Mar – 24 Mar',
    # and quote the words the date was resolved from
    from stability_report.analysis import attrition
    from stability_report.present import people
    from unit.test_quality import with_third_source

    facts = with_third_source(all_facts).as_of("2026-12-05")
    people_line = overview.summarise(facts, Params.from_mapping({}), facts.sources).bottom_line[2]
    assert "who resigned between 18 and 24 March 2024" in people_line
    assert "(S002: “last week”)" in people_line and "R900" in people_line
    assert " in 18 " not in people_line
    deps = attrition.departures(facts, "2026-12-05")
    exit_text = people.ceo_exit_text(facts, deps)
    assert exit_text.startswith("Emad Mostaque resigned as chief executive between 18 and 24")
    # with the two real sources, the bound the report sets and says it sets
    two = summary(all_facts, as_of="2026-12-05").bottom_line[2]
    assert "(the sources give no date; the report bounds it to March–December 2024" in two


def test_how_sure_counts_the_articles_that_restate_other_outlets(all_facts):
    # two of two real articles restate other outlets; a third, fictitious, restates none
    from unit.test_quality import with_third_source

    two = summary(all_facts, as_of="2026-12-05").bottom_line[-1]
    assert "the articles restate Bloomberg, Forbes and the Financial Times, so they are" in two
    facts = with_third_source(all_facts).as_of("2026-12-05")
    sure = overview.summarise(facts, Params.from_mapping({}), facts.sources).bottom_line[-1]
    assert "two of the three articles restate Bloomberg, Forbes and the Financial Times" in sure
    assert "the articles restate" not in sure
