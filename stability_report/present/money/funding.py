"""Chapter 2, sections 2.5 and 2.6: the fundraising targets against the money raised, the
valuation against revenue, and the cross-check of the 2022 raise against the cash left."""

from __future__ import annotations

from ...analysis import attrition, burn, fundraising
from ...analysis.cash import cash_position
from ...analysis.cited import cite
from ...errors import MissingFact
from ...facts.base import Facts
from ...formats import bound_words, join_words
from ...params import Params
from .. import phrases
from ..markdown import md
from ..phrases import month_value, text_value
from ..story import source_of_claim


def fundraising_text(facts: Facts) -> str:
    """The targets in force over time and what came in, never joining two statements the source
    makes separately, and never measuring money against a target it was not raised against."""
    fr = fundraising.fundraising(facts)
    text = ""
    if fr.valuation_sought is not None:
        text += md(
            "In 2023 the company was reported to be seeking a round at a valuation of "
            "{v}, against the {v0} its 2022 round reached. ",
            v=fr.valuation_sought,
            v0=fr.valuation,
        )
    text += md(
        "A plan Mostaque shared in {month} sought {target} from major investors",
        month=month_value(fr.target_month),
        target=fr.target,
    )
    if fr.compute is not None:
        text += md(", plus {c} in computing facilities", c=fr.compute)
    text += ". "
    others = []
    for _, r in fr.other_targets.iterrows():
        who = source_of_claim(facts, r["fact_id"]).value
        others.append(
            md(
                "{x} from {whom} ({when}){by}",
                x=cite(r["value"], r["fact_id"]),
                whom=text_value(r["counterparty"] or "investors"),
                when=text_value(
                    attrition.interval(r["date_start"], r["date_end"], r["date_precision"])
                ),
                by=text_value(
                    f", sought according to {who.replace('the outlet', r['source_id'])}"
                    if who
                    else ""
                ),
            )
        )
    if others:
        text += md("Other amounts the sources say were sought: ") + "; ".join(others) + ". "
    for r, _ in fr.raised:
        note = r.get("inference_note")
        inferred = (
            isinstance(note, str)
            and bool(note.strip())
            and r["date_precision"] in ("quarter", "year", "range")
        )
        text += md(
            "{who} put in {amount} in {when}{inferred}{by}. ",
            inferred=text_value(" (the year inferred, see its evidence entry)" if inferred else ""),
            who=text_value(r["counterparty"]),
            amount=cite(r["value"], r["fact_id"]),
            when=text_value(
                attrition.interval(r["date_start"], r["date_end"], r["date_precision"])
            ),
            by=text_value(
                f", according to {source_of_claim(facts, r['fact_id']).value}"
                if source_of_claim(facts, r["fact_id"]).value
                else ""
            ),
        )
    if fr.cut is not None and fr.target_after_cut is not None:
        cut = facts.money.set_index("fact_id").loc[fr.cut.ids[0]]
        bound = cut["bound"]
        text += md(
            "By {when} Mostaque had cut the target by {bound}{cut}: if the cut applied to the "
            "{target} of the plan, to {less}{left}",
            when=month_value(cut["date_end"]),
            bound=text_value(bound_words(bound)),
            cut=fr.cut,
            target=fr.target,
            less=text_value("less than " if bound in ("more_than", "at_least") else ""),
            left=fr.target_after_cut,
        )
        text += ". "
    return text.strip()


FUNDRAISING_CAPTION = (
    "Money sought (hatched) against money raised (solid), dated as the sources allow (a "
    "quarter with no year in the source is dated by the report's inference); computing "
    "facilities sought are capacity, not cash."
)


def valuation_text(facts: Facts) -> str:
    m = fundraising.valuation_multiples(facts)
    if m.valuation_multiple is None:
        raise MissingFact("no valuation is reported by this date")
    text = md(
        "Against the revenue the company projected for 2023 in its October financial report "
        "({rev}), the 2022 valuation of {v} was {vm} revenue",
        rev=m.revenue,
        v=m.valuation,
        vm=m.valuation_multiple,
    )
    if m.sought_multiple is not None:
        text += md(
            ", and the {s} it was reported to be seeking in 2023 {sm}",
            s=m.sought,
            sm=m.sought_multiple,
        )
    return text + "."


def raise_check_text(facts: Facts, params: Params) -> str:
    """The 2022 raise against the cash left: the average burn it implies, set against the net
    burn of each rate."""
    rc = fundraising.raise_check(facts)
    text = md(
        "From the 2022 round to the cash figure the company took in {raised} over {months} "
        "months{who}, and was left with {bound}{cash} by the internal memo's count: on the "
        "report's reading of the dates (the round in October 2022 as S001 dates it, the second-"
        "quarter money in 2023, the Intel note not in the memo's count), it burned at least "
        "{burn} a month on average (a floor, since the cash it held before the round is "
        "unknown).",
        raised=rc.raised,
        months=cite(rc.months, rc.raised.ids, fmt="int"),
        who=text_value(phrases.partly(facts, rc.raised.ids)),
        bound=text_value(bound_words(cash_position(facts).bound)),
        cash=rc.cash_after,
        burn=rc.implied_burn,
    )
    below = [b for b in burn.bases(facts).values() if b.net.value < rc.implied_burn.value]
    above = [b for b in burn.bases(facts).values() if b.net.value >= rc.implied_burn.value]
    if below:
        text += md(
            " The floor is above the net burn of {labels}",
            labels=text_value(join_words([f"the {b.label} rate" for b in below])),
        )
        text += (
            md(
                "; only {labels} reaches it.",
                labels=text_value(join_words([f"the {b.label} rate" for b in above])),
            )
            if above
            else "."
        )
    return text
