"""The key numbers the bottom line does not state (the valuation sought, the fundraising,
what investors put in, the latest net burn, the layoffs; the claimed revenue figures are in the
bottom line's caveats and chapter 2), each a Cited value with its status taken from its facts:
a value resting on one fact has that fact's status (facts.strength), a value computed from
several is derived; an amount its source qualifies keeps the qualifier ("about"), also in what
is computed from it."""

from __future__ import annotations

import re

import pandas as pd

from ..errors import MissingFact
from ..facts.base import Facts
from ..facts.strength import strength
from ..formats import after_lead, bound_words
from ..params import Params
from . import attrition, burn, cash, fundraising
from .cited import Cited, cite


def _by(r: pd.Series) -> str:
    """Who reports a money fact: the outlet it restates, the speaker, else its source."""
    s = strength(r)
    return (
        f"according to {s.original_reporter or s.speaker}"
        if (s.original_reporter or s.speaker)
        else str(r["source_id"])
    )


def _reported(r: pd.Series) -> str:
    """'internal document; Q2, year inferred as 2023': who reports a money fact, without
    'according to', and the year the report inferred for a quarter its source leaves undated."""
    s = strength(r)
    who = s.original_reporter or s.speaker or str(r["source_id"])
    who = who.removeprefix("an ").removeprefix("a ").removeprefix("the ")
    note = r.get("inference_note")
    if r["date_precision"] == "quarter" and isinstance(note, str) and note.strip():
        who += f"; Q{r['date_start'].quarter}, year inferred as {r['date_start'].year}"
    return who


def _source_words(r: pd.Series, lead: str = "") -> str:
    """' (S001: “October of last year”)': the source's own words for a date the report
    resolved from them (an inference note opens with them), without the `lead` word the label
    already puts before the date ('by'); '' otherwise."""
    note = r.get("inference_note")
    m = _RESOLVED.match(note) if isinstance(note, str) else None
    return f" ({r['source_id']}: “{after_lead(m.group(1), lead)}”)" if m else ""


_RESOLVED = re.compile(r"^'([^']+)' resolved")


def value_text(c: Cited) -> str:
    from ..formats import pct, times

    if c.fmt == "times":
        return times(float(c.value))
    if c.fmt in ("pct", "pct1"):
        return pct(float(c.value), 1 if c.fmt == "pct1" else 0)
    return str(c.value)


def said(fn):
    """fn(), or None when the facts it needs are not available as of the analysis date."""
    try:
        return fn()
    except MissingFact:
        return None


def key_numbers(facts: Facts, params: Params) -> pd.DataFrame:
    """The key numbers the bottom line does not state: the valuation sought, the fundraising
    target and its cut, what investors put in, the latest net burn and the layoffs. Columns:
    key (a stable name for results.json), measure (its label, naming who gives it), value (a
    Cited value, with its citation), status (from its facts)."""
    rows: list[tuple[str, str, Cited, str]] = []
    every = pd.concat([facts.money, facts.events]).set_index("fact_id")

    def add(key: str, label: str, c: Cited | None) -> None:
        if c is None or c.value is None:
            return
        facts_of = [every.loc[i] for i in c.ids if i in every.index]
        status = "derived" if len(facts_of) > 1 else strength(facts_of[0]).status
        approx = [f for f in facts_of if f.get("bound") == "approx"]
        if approx and len(facts_of) > 1 and c.fmt != "text":
            c = cite("about " + value_text(c), c.ids, fmt="text", ref=c.ref)
        rows.append((key, label, c, status))

    fr = said(lambda: fundraising.fundraising(facts))
    if fr is not None:
        add("valuation_sought_in_2023", "Valuation reportedly sought in 2023", fr.valuation_sought)
        month = f"{fr.target_month:%B %Y}"
        add(
            _key(f"fundraising target {month}"),
            f"Target in Mostaque's plan document, {month}",
            fr.target,
        )
        if fr.cut is not None:
            cut = facts.money.set_index("fact_id").loc[fr.cut.ids[0]]
            label = f"Target cut by {cut['date_end']:%B %Y}"
            add(
                _key(label),
                label + _source_words(cut, lead="by"),
                cite(bound_words(cut["bound"]) + f"{fr.cut.value:.0%}", fr.cut.ids, fmt="text"),
            )
    conv = cash.convertibles(facts)
    if len(conv):
        who = " and ".join(f"{r['counterparty']} ({_reported(r)})" for _, r in conv.iterrows())
        years = sorted({d.year for d in conv["date_start"]})
        add(
            _key("convertible money from investors " + " ".join(map(str, years))),
            f"Convertible money, sum of {len(conv)} reports: {who}"
            if len(conv) > 1
            else f"Convertible money: {who}",
            cite(float(conv["value"].sum()), tuple(conv["fact_id"])),
        )
    feb = burn.bases(facts).get("feb2024")
    if feb is not None:
        outlets = sorted({strength(every.loc[i]).original_reporter for i in feb.net.ids} - {""})
        month = every.loc[feb.gross.ids[0], "date_start"]
        inferred = any(
            isinstance(every.loc[i, "inference_note"], str)
            and every.loc[i, "inference_note"].strip()
            for i in feb.net.ids
        )
        add(
            "net_burn_february_2024",
            (
                f"Net burn, {month:%B} ({month:%Y} by the report's dating)"
                if inferred
                else f"Net burn, {month:%B %Y}"
            )
            + (f", costs less revenue, both from {' and '.join(outlets)}" if outlets else ""),
            feb.net,
        )
    laid_off = attrition.layoff_share(facts)
    if laid_off is not None:
        bound = attrition.layoff_bound(facts)
        add(
            "workforce_laid_off",
            "Workforce laid off, according to sources",
            cite(
                (bound + " " if bound else "") + f"{laid_off.value:.0%}", laid_off.ids, fmt="text"
            ),
        )
    return pd.DataFrame(
        {
            "key": [r[0] for r in rows],
            "measure": [r[1] for r in rows],
            "value": [r[2] for r in rows],
            "status": [r[3] for r in rows],
        }
    )


def _key(words: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", words.lower()).strip("_")
