"""Chapter 2, section 2.3: the cash figure and who gives it, the unpaid bills up to it, and
the money investors put in through convertible instruments."""

from __future__ import annotations

from ...analysis.cash import cash_position, convertibles
from ...analysis.cited import cite
from ...errors import MissingFact
from ...facts.base import Facts
from ...formats import bound_words
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
    return text + md(
        "the bills reported later, or not dated, are listed separately below, and those "
        "without an amount are left out of every total."
    )


BILLS_CAPTION = (
    "Unpaid bills, as the sources report them (each entry of the evidence says who records "
    "the bill): those for months up to the cash figure, then those reported later or dated "
    "only loosely"
)


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
