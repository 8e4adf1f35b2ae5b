"""Chapter 2, section 2.3: the cash figure and who gives it, the unpaid bills up to it, and
the money investors put in through convertible instruments."""

from __future__ import annotations

from ...analysis.cash import cash_position, convertibles
from ...analysis.cited import cite
from ...analysis.money import month_year_inferred
from ...errors import MissingFact
from ...facts.base import Facts
from ...formats import bound_words, join_words
from .. import phrases
from ..markdown import md
from ..phrases import month_value, text_value, who_says
from ..story import source_of_claim


def cash_text(facts: Facts) -> str:
    pos = cash_position(facts)
    text = md(
        "The {only} cash figure comes from {said_by}: {bound}{cash} in {month}. ",
        only=text_value(
            "only" if len(facts.money[facts.money["metric"] == "cash"]) == 1 else "last"
        ),
        bound=text_value(bound_words(pos.bound)),
        cash=pos.cash,
        month=month_value(pos.month),
        said_by=text_value(pos.said_by),
    )
    text += md(
        "For the months up to it, {who} {bills}; ",
        who=who_says(facts, pos.arrears),
        bills=text_value(phrases.bills_words(facts, pos.arrears.ids)),
    )
    later = _later_by(facts, pos)
    return text + md(
        "the bills {src} reports{unattributed} as going unpaid later, or without a date, are "
        "listed separately below, and those without an amount are left out of every total.",
        src=text_value(later[0] if later else "the source"),
        unattributed=text_value(", without attribution," if later and later[1] else ""),
    )


def _later_by(facts: Facts, pos) -> tuple[str, bool] | None:
    """(the sources, and whether none of them names who records the bills) for the bills
    reported after the cash figure or dated only loosely; None when there are none."""
    if not len(pos.after):
        return None
    srcs = sorted(set(pos.after["source_id"]))
    unattributed = all(not source_of_claim(facts, i).value for i in pos.after["fact_id"])
    return " and ".join(srcs), unattributed


def _recorded_by(facts: Facts, rows) -> str:
    """'internal documents': who the source says records a group of bills; '' when one of
    them is the source's own statement."""
    who = [source_of_claim(facts, i).value for i in rows["fact_id"]]
    return "" if not who or not all(who) else " and ".join(dict.fromkeys(who))


def bills_caption(facts: Facts) -> str:
    """The caption of the unpaid-bills table: who records the bills up to the cash figure, and
    who reports the later or loosely dated ones (without attribution, when so); and that a
    bill's year is the report's reading when its source names the month alone (the fact's
    inference note resolves it)."""
    pos = cash_position(facts)
    parts = []
    if len(pos.before):
        who = _recorded_by(facts, pos.before)
        months = join_words(list(dict.fromkeys(f"{d:%B}" for d in pos.before["date_start"])))
        creditors = join_words(list(dict.fromkeys(pos.before["counterparty"].dropna())))
        parts.append(
            f"the {months} {creditors} bills"
            + (f" as {who} record them" if who else " as the sources report them")
        )
    later = _later_by(facts, pos)
    if later:
        parts.append(
            f"the later or undated bills as {later[0]} reports them"
            + (", without attribution" if later[1] else "")
        )
    if any(month_year_inferred(r) for _, r in pos.bills.iterrows()):
        parts.append("a month's year the source does not state is the report's reading")
    return "Unpaid bills: " + "; ".join(parts) if parts else "Unpaid bills"


def convertibles_caption(facts: Facts) -> str:
    """The caption of the convertibles table, naming who reports each row."""
    conv = convertibles(facts)
    who = [
        f"{source_of_claim(facts, r['fact_id']).value or r['source_id']} ({r['counterparty']})"
        for _, r in conv.iterrows()
    ]
    return (
        "Money investors put in through convertible instruments, and who reports each: "
        + "; ".join(who)
    )


def convertibles_text(facts: Facts) -> str:
    conv = convertibles(facts)
    if conv.empty:
        raise MissingFact("no convertible instrument is reported by this date")
    pos = cash_position(facts)
    ids = tuple(conv["fact_id"])
    return md(
        "Added together, the reports of {who} come to {total} put into convertible "
        "instruments (a sum of the report's, resting on dates partly inferred); whether any of "
        "it is in the {bound}{cash} of the internal memo the sources do not say.{terms}",
        terms=text_value(
            ""
            if any(phrases.TERMS.search(q) for q in conv["quote"])
            else " They give none of their terms (interest, maturity, conversion price), so "
            "what the company owes on them, in money or in shares, cannot be computed."
        ),
        who=source_of_claim(facts, *ids),
        total=cite(float(conv["value"].sum()), ids),
        bound=text_value(bound_words(pos.bound)),
        cash=pos.cash,
    )
