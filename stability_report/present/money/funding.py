"""Chapter 2, sections 2.5 and 2.6: the fundraising targets against the money raised, the
valuation against revenue, and the cross-check of the 2022 raise against the cash left."""

from __future__ import annotations

import re

from ...analysis import attrition, burn, fundraising
from ...analysis.cash import cash_position
from ...analysis.cited import cite
from ...errors import MissingFact
from ...facts.base import Facts
from ...facts.strength import strength
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
            words=text_value(phrases.source_words(rows, lead="by")),
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
        "{about}{v}{hedged} is about {vm} the {rev} of revenue the company expected for {r_year}",
        v_year=text_value(str(v_year)),
        about=text_value(bound_words(vrow["bound"])),
        v=m.valuation,
        hedged=_hedged_elsewhere(facts, vrow),
        vm=m.valuation_multiple,
        rev=m.revenue,
        r_year=text_value(str(r_year)),
    )
    if m.sought_multiple is not None:
        text += md(
            ", and the {s} it was reported to be seeking in {year} about {sm}",
            s=m.sought,
            year=text_value(str(story.fact_row(facts, m.sought.ids[0])["date_end"].year)),
            sm=m.sought_multiple,
        )
    return text + md(".") + _revenue_made(rrow, v_year)


def _revenue_made(rrow, v_year: int) -> str:
    """' That revenue figure comes from the company's October financial report, which the
    report dates to 2023, the year after the valuation.': who gave the projection the multiples
    divide by, and when it was made against the valuation (the year of the revenue it expects,
    as the report dates it when the fact's inference note does); '' when the source names no
    one for it."""
    who = rrow.get("attributed_to")
    if not isinstance(who, str) or not who.strip():
        return ""
    r_year = rrow["date_end"].year
    note = rrow.get("inference_note")
    gap = r_year - v_year
    return md(
        " That revenue figure comes from {who}, {dated} {r_year}{gap}.",
        who=text_value(_the(who.strip())),
        dated=text_value(
            "which the report dates to" if isinstance(note, str) and note.strip() else "of"
        ),
        r_year=text_value(str(r_year)),
        gap=text_value(
            ", the year after the valuation"
            if gap == 1
            else f", {gap} years after the valuation"
            if gap > 1
            else ""
        ),
    )


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
    pos = cash_position(facts)
    first = facts.money.set_index("fact_id").loc[rc.raised.ids[0]]
    counter = _the(pos.said_by)
    text = md(
        "From the 2022 round to the cash figure the company took in {raised}{who} and was left "
        "with {bound}{cash} by {counter}'s count: ",
        raised=rc.raised,
        who=text_value(phrases.partly(facts, rc.raised.ids)),
        bound=text_value(bound_words(pos.bound)),
        cash=rc.cash_after,
        counter=text_value(counter),
    )
    text += md(
        "on the report's reading of the dates, that is {months} months, so it burned at least "
        "{burn} a month on average.",
        months=cite(
            f"{lo}" if lo == hi else f"{lo}–{hi}", rc.raised.ids, rc.cash_after.ids, fmt="text"
        ),
        burn=rc.implied_burn,
    )
    dates = _dates_read(facts, rc, first, pos)
    text += md(
        " That reading puts {dates}.",
        dates=text_value(
            dates[0] if len(dates) == 1 else "; ".join(dates[:-1]) + "; and " + dates[-1]
        ),
    )
    for d in rc.others:
        a, b = d.months
        row = story.fact_row(facts, d.fact_id)
        words = _date_words(row)
        note = row.get("inference_note")
        inferred = isinstance(note, str) and bool(note.strip())
        parts = [
            md("{whose} {x}", whose=text_value(_whose(facts, i)), x=cite(_value(facts, i), i))
            for i in rc.raised.ids
        ]
        text += md(
            " If the round came when {src} places its {bound0}{ref}{words} ({when}{reading}), "
            "the company spent {spent_bound}{spent} (",
            src=text_value(d.source_id),
            bound0=text_value(bound_words(row["bound"])),
            ref=cite(row["value"], d.fact_id),
            words=text_value(f", “{words}”" if words else ""),
            when=text_value(attrition.interval(d.start, d.end, "range")),
            reading=text_value(" on the report's reading" if inferred else ""),
            spent_bound=text_value(_SPENT_BOUND.get(pos.bound, "")),
            spent=rc.spent,
        )
        text += join_words(parts) + md(
            ", less the {bound}{cash} left) over {months} months: at least {floor} a month.",
            bound=text_value(_LEFT_BOUND.get(pos.bound, bound_words(pos.bound))),
            cash=rc.cash_after,
            months=cite(f"{a}" if a == b else f"{a}–{b}", d.fact_id, rc.cash_after.ids, fmt="text"),
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


# What the money spent is, given the cash left's qualifier: raised less under $4 million left is
# more than the difference.
_SPENT_BOUND = {"less_than": "more than ", "more_than": "less than ", "at_least": "at most "}
# The cash left's qualifier where "less the less than $4 million left" would stumble.
_LEFT_BOUND = {"less_than": "under ", "more_than": "over "}
_ORDINALS = ("first", "second", "third", "fourth")


def _the(who: str) -> str:
    """'an internal memo' -> 'the internal memo'; a source id ('S001') as it is."""
    for article in ("an ", "a "):
        if who.startswith(article):
            return "the " + who.removeprefix(article)
    return who


def _whose(facts: Facts, fid: str) -> str:
    """ "S001's", "the internal document's", "Bloomberg's": whose figure a money fact is."""
    r = story.fact_row(facts, fid)
    s = strength(r)
    who = s.speaker or s.original_reporter
    return f"{_the(who) if who else r['source_id']}'s"


def _value(facts: Facts, fid: str) -> float:
    return float(story.fact_row(facts, fid)["value"])


def _dates_read(facts: Facts, rc, first, pos) -> list[str]:
    """How the report reads the dates of the money counted against the cash figure: the round
    ("the round in October 2022, when S001 says it was announced", or as its source dates it),
    each later amount counted (a quarter as the report dates it), and the money of the cash
    figure's own month, which is not counted ("the Intel note outside the memo's count")."""
    out = [
        f"the round in {first['date_end']:%B %Y}, "
        + (
            f"when {first['source_id']} says it was announced"
            if "announc" in str(first["quote"]).lower()
            else f"as {first['source_id']} dates it"
        )
    ]
    for fid in rc.raised.ids[1:]:
        r = story.fact_row(facts, fid)
        if r["date_precision"] == "quarter":
            q = _ORDINALS[r["date_start"].quarter - 1]
            out.append(f"the {q}-quarter money in {r['date_start'].year}")
        else:
            out.append(
                f"the {r['counterparty']} money in "
                + attrition.interval(r["date_start"], r["date_end"], r["date_precision"])
            )
    counter = _the(pos.said_by).removeprefix("the ").split()[-1]
    for when, amount, who in pos.funding_after:
        if when.to_period("M") == pos.month.to_period("M"):
            kind = str(story.fact_row(facts, amount.ids[0]).get("instrument") or "")
            noun = kind.split()[-1] if kind.strip() else "money"
            out.append(f"the {who or 'new'} {noun} outside the {counter}'s count")
    return out


def _date_words(row) -> str | None:
    """'within days of launch': the source's own words dating a fact, which its inference note
    opens with, quoted, when they are a substring of its quote; None otherwise."""
    note = row.get("inference_note")
    m = _DATE_WORDS.match(note) if isinstance(note, str) else None
    return m.group(1) if m and m.group(1) in str(row["quote"]) else None


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
