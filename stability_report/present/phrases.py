"""Phrases the chapters' sentences are built from, with no sentence of their own: a runway
range across the burn rates, when the funding came against the cash figure, the unpaid bills in
their quotes' words, who gives a computed value, lists of names. Each returns cited Markdown or
plain text (present.markdown).
"""

from __future__ import annotations

import re

import pandas as pd

from ..analysis import attrition, revenue, runway
from ..analysis.cash import cash_position
from ..analysis.cited import Cited, cite
from ..analysis.runway import RUNWAY_TABLE
from ..facts.base import Facts
from ..formats import bound_words, join_words
from . import story
from .markdown import md
from .story import source_of_claim


def text_value(s: str) -> Cited:
    """Words that stand in a sentence as they are, citing nothing."""
    return cite(s, fmt="text")


def month_value(t: pd.Timestamp) -> Cited:
    """A date said as its month ('October 2023')."""
    return cite(t, fmt="month")


def who_says(facts: Facts, c: Cited) -> Cited:
    """Who gives a computed value: the sources of the facts it rests on."""
    return source_of_claim(facts, *c.ids)


# Words of a convertible instrument's terms: a source giving any of them is not said to give none.
TERMS = re.compile(
    r"(?i)\binterest\b|\bmaturity\b|\bconversion price\b|\bvaluation cap\b|\bdiscount\b"
)


def months_between_claims(facts: Facts, check) -> int:
    """How many revenue figures the sources give for months after the first claimed one and up
    to the end of its year, besides the claims themselves."""
    pts = revenue.revenue_points(facts)
    end = pd.Timestamp(year=check.first_month.year, month=12, day=31)
    later = pts[(pts["date_start"] > check.first_month) & (pts["date_start"] <= end)]
    return int((later["status"] != "claimed").sum())


# A deadline in a bill's quote, said in its words ('by the end of October').
DEADLINE = re.compile(r"\bby the end of [A-Z][a-z]+(?: \d{4})?")


def bills_words(facts: Facts, ids: tuple[str, ...]) -> str:
    """What the unpaid bills up to the cash figure are, in the words of their quotes: a bill
    the company only 'does not intend to pay' is said as such."""
    parts = []
    for fid in ids:
        r = story.fact_row(facts, fid)
        amount = bound_words(r["bound"]) + story._plain(r)
        month = f"{r['date_start']:%B}"
        who = r["counterparty"] if isinstance(r["counterparty"], str) else "a provider"
        if "intend" in r["quote"]:
            by = DEADLINE.search(r["quote"])
            parts.append(
                f"did not intend to pay the {amount} owed to {who} for {month}"
                + (f" {by.group(0)}" if by else "")
            )
        else:
            parts.append(f"had failed to pay the {amount} bill from {who} for {month}")
    if not parts:
        return "record no unpaid bill"
    return "record that the company " + join_words(parts)


def runway_range(h: runway.Headline, funded: bool = False, at_most: str = "") -> Cited:
    """'at most 0.3 to 1.5 months (November to December 2023)': the range across the bases, the
    months the cash runs out to the month, cited by the runway table; `at_most` ("at most ")
    qualifies each runway when the cash is an upper bound. A runway past the model's horizon
    is said to be beyond it, never as a maximum."""
    lo, hi = h.funded if funded else h.none
    beyond = f"beyond the model's {h.horizon}-month horizon"

    def months(r: runway.Runway) -> str:
        return f"{r.months:.1f}" if r.months is not None else f"more than {h.horizon}"

    def month(r: runway.Runway) -> str:
        return f"{r.cash_out:%B %Y}" if r.cash_out is not None else ""

    if lo.cash_out is None:
        text = f"{beyond} on every rate"
    elif lo is hi or lo.months == hi.months:
        text = f"{at_most}{months(lo)} months (to {month(lo)})"
    elif hi.cash_out is None:
        text = (
            f"{at_most}{months(lo)} months (to {month(lo)}) on the highest burn rate, and "
            f"{beyond} on the lowest"
        )
    elif lo.cash_out.year == hi.cash_out.year:
        text = f"{at_most}{months(lo)} to {months(hi)} months ({lo.cash_out:%B} to {month(hi)})"
    else:
        text = f"{at_most}{months(lo)} to {months(hi)} months ({month(lo)} to {month(hi)})"
    return cite(text, runway.Headline.ids((lo, hi)), fmt="text").via(RUNWAY_TABLE)


def funding_timing(facts: Facts, h: runway.Headline) -> str:
    """'the same month' when every funding event added to the cash falls in the cash figure's
    month, else 'after it'."""
    pos = cash_position(facts)
    same = all(d.to_period("M") == h.on.to_period("M") for d, _, _ in pos.funding_after)
    return "the same month" if same else "after it"


def funding_words(facts: Facts) -> list[tuple[Cited, str, str]]:
    """'the $50 million Intel put in (Bloomberg)': the funding after the cash figure, with who
    reports it."""
    pos = cash_position(facts)
    parts = []
    for _, amount, who in pos.funding_after:
        by = source_of_claim(facts, *amount.ids).value
        parts.append((amount, who or "investors", by))
    return parts


def funding_md(facts: Facts) -> str:
    out = []
    for amount, who, by in funding_words(facts):
        out.append(
            md(
                "the {a} {who} put in{by}",
                a=amount,
                who=text_value(who),
                by=text_value(f" (according to {by})" if by else ""),
            )
        )
    return " and ".join(out)


def partly(facts: Facts, ids: tuple[str, ...]) -> str:
    """' (partly according to an internal document)': who the attributed ones among `ids`
    come from, when some are."""
    who = [source_of_claim(facts, i).value for i in ids]
    named = list(dict.fromkeys(w for w in who if w))
    if not named:
        return ""
    return f" ({'partly ' if len(named) < len(who) else ''}according to {join_words(named)})"


# An inference note that says the source gives no date for what it records.
NO_DATE = re.compile(r"(?i)\bgives? no date\b")
# An inference note opening with the source's own date words: "'By October last year' resolved".
SOURCE_WORDS = story.SOURCE_WORDS


def departure_when(facts: Facts, deps: pd.DataFrame) -> str:
    """' in March 2024', ' between 18 and 24 March 2024 (S002: “last week”)' (with the source's
    own words when the report dated the departures from them), or ' (the sources give no date;
    the report bounds it to March to December 2024)' when every statement dating the departures
    says its source gives none."""
    w = attrition.when(deps, facts)
    notes = [story.fact_row(facts, i).get("inference_note") for i in w.ids]
    if notes and all(isinstance(n, str) and NO_DATE.search(n) for n in notes):
        return md(" (the sources give no date; the report bounds it to {w})", w=w)
    w = attrition.when(deps, facts, phrase=True)
    rows = pd.DataFrame([story.fact_row(facts, i) for i in w.ids])
    return md(" {w}", w=w) + (story.source_words(rows) if len(rows) else "")


def dated_by(rows: pd.DataFrame) -> str:
    """'S000 restating Bloomberg, and S001: “By October last year”': who dates a set of
    facts, source by source, with the outlet a source restates and the source's own date words
    when the report resolved them."""
    parts = []
    for sid, g in rows.groupby("source_id", sort=True):
        outlets = [o for o in g["original_reporter"] if isinstance(o, str) and o.strip()]
        words = [
            m.group(1)
            for n in g["inference_note"]
            if isinstance(n, str) and (m := SOURCE_WORDS.match(n))
        ]
        if outlets:
            parts.append(f"{sid} restating {outlets[0]}")
        elif words:
            parts.append(f"{sid}: “{words[0]}”")
        else:
            parts.append(sid)
    return ", and ".join(parts) if len(parts) == 2 else join_words(parts)


# Where one sentence of a quote ends and the next begins.
_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’']?\s+(?=[“\"A-Z0-9])")


def date_clause(rows: pd.DataFrame) -> str:
    """The source's own date words for a set of facts of one source (the words the report
    dated them from, as their inference notes give them), within the sentence of the quote
    that holds them when the quote has several: 'By October last year, Coatue and Lightspeed
    had reached their limit', where the next sentence states the exits, so that the reader
    sees what the words date. '' when the report dated none of them from words its quotes
    hold."""
    for n, quote in zip(rows["inference_note"], rows["quote"]):
        m = SOURCE_WORDS.match(n) if isinstance(n, str) else None
        if m is None:
            continue
        words = m.group(1)
        at = quote.lower().find(words.lower())
        if at < 0:
            continue  # not the quote's own words: nothing to quote
        sentences = _SENTENCE_END.split(quote)
        for sentence in sentences if len(sentences) > 1 else ():
            if words.lower() in sentence.lower():
                return sentence.rstrip(" .;:")
        return quote[at : at + len(words)]  # the words as the quote has them
    return ""


def source_words(rows: pd.DataFrame, lead: str = "") -> str:
    """' (S001: “Last summer”)': the source's own date words, for facts whose dates the report
    resolved from them (their inference notes open with the words); '' when none did, or when
    one of the facts is dated by its source outright. Words opening with the sentence's own
    `lead` before the date ('by') are quoted without it."""
    return story.source_words(rows, lead)


def undated_note(facts: Facts, ids: tuple[str, ...]) -> str:
    """' (the sources give no date; bounded by the report)' when every statement among `ids`
    says in its inference note that its source gives no date; '' otherwise."""
    notes = [story.fact_row(facts, i).get("inference_note") for i in ids]
    if notes and all(isinstance(n, str) and NO_DATE.search(n) for n in notes):
        return " (the sources give no date: the report's bound)"
    return ""
