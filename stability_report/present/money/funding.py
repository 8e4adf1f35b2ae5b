"""Chapter 2, sections 2.5 and 2.6: the fundraising targets against the money raised, the
valuation against revenue, and the cross-check of the 2022 raise against the cash left."""

from __future__ import annotations

import re

from ...analysis import attrition, burn, fundraising
from ...analysis.cash import cash_position
from ...analysis.cited import cite
from ...errors import MissingFact
from ...facts.base import Facts
from ...formats import bound_words, join_words
from ...params import Params
from .. import phrases, story
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
        who = who.replace("the outlet", r["source_id"]) if who else ""
        span = text_value(
            _month_span(r["date_start"], r["date_end"])
            if r["date_precision"] == "range"
            else attrition.interval(r["date_start"], r["date_end"], r["date_precision"])
        )
        said = _sought_words(r)
        if said and who:
            tail = md(
                ", which {who} says the company “{verb} … {words}” ({when} by the report's dating)",
                who=text_value(who),
                verb=text_value(said[0]),
                words=text_value(said[1]),
                when=span,
            )
        else:
            tail = md(
                " ({when}){by}",
                when=span,
                by=text_value(f", sought according to {who}" if who else ""),
            )
        others.append(
            md(
                "{x} from {whom}",
                x=cite(r["value"], r["fact_id"]),
                whom=text_value(r["counterparty"] or "investors"),
            )
            + tail
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
        rows = facts.money[facts.money["fact_id"] == fr.cut.ids[0]]
        text += md(
            "By {when}{words} Mostaque had cut the fundraising target by {bound}{cut}: if the "
            "cut applied to the plan's {target}, that leaves {less}{left} (the report's "
            "arithmetic)",
            when=month_value(cut["date_end"]),
            words=text_value(phrases.source_words(rows)),
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
    vrow = story.fact_row(facts, m.valuation.ids[0])
    rrow = story.fact_row(facts, m.revenue.ids[0])
    v_year, r_year = vrow["date_end"].year, rrow["date_end"].year
    text = md(
        "On the report's arithmetic (the sources give no multiple), the {v_year} valuation of "
        "{about}{v}{hedged} is about {vm} the {rev} of revenue the company expected for "
        "{r_year} in its October financial report (of {r_year}, on the report's reading){gap}",
        v_year=text_value(str(v_year)),
        about=text_value(bound_words(vrow["bound"])),
        v=m.valuation,
        hedged=_hedged_elsewhere(facts, vrow),
        vm=m.valuation_multiple,
        rev=m.revenue,
        r_year=text_value(str(r_year)),
        gap=text_value(
            ", a projection made the year after that valuation"
            if r_year == v_year + 1
            else f", a projection made {r_year - v_year} years after that valuation"
            if r_year > v_year + 1
            else ""
        ),
    )
    if m.sought_multiple is not None:
        text += md(
            ", and the {s} it was reported to be seeking in {year} is about {sm} that figure",
            s=m.sought,
            year=text_value(str(story.fact_row(facts, m.sought.ids[0])["date_end"].year)),
            sm=m.sought_multiple,
        )
    return text + "."


_APPROX = re.compile(r"\b(approximately|about|around|roughly|nearly|almost|some)\b", re.I)


def _hedged_elsewhere(facts: Facts, row) -> str:
    """' (S001: “approximately”)': another source's hedge on the same figure, in its words, when
    the figure used is given exactly."""
    if row["bound"] != "exact":
        return text_value("")
    m = facts.money
    same = m[
        (m["metric"] == row["metric"])
        & (m["value"] == row["value"])
        & (m["source_id"] != row["source_id"])
        & (m["bound"] != "exact")
    ]
    for _, r in same.iterrows():
        w = _APPROX.search(r["quote"])
        if w:
            return cite(f" ({r['source_id']}: “{w.group(1)}”)", r["fact_id"], fmt="text")
    return text_value("")


def raise_check_text(facts: Facts, params: Params) -> str:
    """The 2022 raise against the cash left: the average burn it implies over the interval the
    facts' own dates allow (a floor over the longest), on the report's dating of the round and
    on each other source's, set against the net burn of each rate."""
    rc = fundraising.raise_check(facts)
    lo, hi = rc.months
    first = facts.money.set_index("fact_id").loc[rc.raised.ids[0]]
    text = md(
        "From the 2022 round to the cash figure the company took in {raised}{who} and was left "
        "with {bound}{cash} by the internal memo's count: ",
        raised=rc.raised,
        who=text_value(phrases.partly(facts, rc.raised.ids)),
        bound=text_value(bound_words(cash_position(facts).bound)),
        cash=rc.cash_after,
    )
    text += md(
        "on the report's reading of the dates (the round in {round}, {dated}, the "
        "second-quarter money in 2023, the Intel note not in the memo's count), that is {months} "
        "months, so it burned at least {burn} a month on average.",
        round=month_value(first["date_end"]),
        dated=text_value(
            f"when {first['source_id']} says it was announced"
            if "announc" in str(first["quote"]).lower()
            else f"as {first['source_id']} dates it"
        ),
        months=cite(
            f"{lo}" if lo == hi else f"{lo}–{hi}", rc.raised.ids, rc.cash_after.ids, fmt="text"
        ),
        burn=rc.implied_burn,
    )
    for d in rc.others:
        a, b = d.months
        text += md(
            " If the money came when {src} has it (its {bound0}{ref}, in {when} on the "
            "report's reading of its words), the same sums (from {docs}the {memo}'s "
            "{bound}{cash}) span {months} months: at least {floor} a month.",
            src=text_value(d.source_id),
            docs=text_value("".join(f"the {w} and " for w in _sayers(facts, rc.raised.ids[1:]))),
            memo=text_value(
                _sayers(facts, rc.cash_after.ids)[0]
                if _sayers(facts, rc.cash_after.ids)
                else "source"
            ),
            bound=text_value(bound_words(cash_position(facts).bound)),
            cash=rc.cash_after,
            when=text_value(attrition.interval(d.start, d.end, "range")),
            bound0=text_value(bound_words(story.fact_row(facts, d.fact_id)["bound"])),
            ref=cite(story.fact_row(facts, d.fact_id)["value"], d.fact_id),
            months=cite(f"{a}" if a == b else f"{a}–{b}", d.floor.ids, fmt="text"),
            floor=d.floor,
        )
    text += md(
        " {Both} the report's arithmetic over the longest interval, and {floors}, since the "
        "cash held before the round is unknown.",
        Both=text_value("Both are" if len(rc.others) == 1 else "All are" if rc.others else "It is"),
        floors=text_value("floors" if rc.others else "a floor"),
    )
    floors = [rc.implied_burn.value] + [d.floor.value for d in rc.others]
    highest = max([rc.highest_burn.value] + [d.highest.value for d in rc.others])
    rates = list(burn.bases(facts).values())
    below = [b for b in rates if b.net.value < min(floors)]
    above = [b for b in rates if b.net.value >= highest]
    if below:
        text += md(
            " On every reading the floor is above the net burn of {labels}",
            labels=text_value(join_words([f"the {b.label} rate" for b in below])),
        )
        text += (
            md(
                "; only {labels} reaches it.",
                labels=text_value(join_words([f"the {b.label} rate" for b in above])),
            )
            if above and len(below) + len(above) == len(rates)
            else "."
        )
    return text


def _sayers(facts: Facts, ids) -> list[str]:
    """'internal document': who the facts `ids` come from, without the article, once each."""
    out = []
    for i in ids:
        who = story.fact_row(facts, i).get("attributed_to")
        if isinstance(who, str) and who.strip():
            out.append(who.strip().removeprefix("an ").removeprefix("a ").removeprefix("the "))
    return list(dict.fromkeys(out))


_VERB = re.compile(r"\b(?:has|had|have|was|were|is)\s+(.+?)\s+\$")
_DATE_WORDS = re.compile(r"^'([^']+)'")


def _sought_words(r) -> tuple[str, str] | None:
    """('repeatedly tried to raise', 'over the past year'): the source's verb for money sought
    and its own date words (which the fact's inference note opens with, quoted), both exact
    substrings of the quote; None when either cannot be found."""
    quote, note = str(r["quote"]), r.get("inference_note")
    verb = _VERB.search(quote)
    words = _DATE_WORDS.match(note) if isinstance(note, str) else None
    if not verb or not words or words.group(1) not in quote:
        return None
    return verb.group(1), words.group(1)


def _month_span(start, end) -> str:
    """'February 2023 to June 2024': a span of months as words."""
    return (
        f"{start:%B %Y} to {end:%B %Y}" if start.year != end.year else (f"{start:%B}–{end:%B %Y}")
    )
