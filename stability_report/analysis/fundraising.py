"""Fundraising and valuation: the targets in force over time, what was raised against them and
the cut to the target; the valuations as multiples of revenue; the 2022 raise checked against the
later cash; and the break-even point of a growing revenue."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import pandas as pd

from ..errors import MissingFact
from ..facts.base import Facts
from ..facts.ids import by_number
from ..formats import when
from .cash import cash_position
from .cited import Cited, cite
from .money import money_facts, need, select, value

# Words of a quote that give the parties after them as examples, not as the whole list ("from
# major investors like NVIDIA, Google, ..."), with the group they stand for when one is named.
_EXAMPLES = re.compile(
    r"(?:\b(?:from|with|by)\s+((?:[\w-]+\s+){1,3}?))?\b(?:like|such as|including)\s+$", re.I
)


def parties_as_given(row) -> str:
    """The counterparty of a money fact as its source gives it: 'major investors, e.g. NVIDIA,
    Google, Intel, World Bank' when its quote names them as examples ('major investors like
    NVIDIA, Google, ...'), else the counterparty as recorded ('' when there is none)."""
    party = row.get("counterparty")
    if not isinstance(party, str) or not party.strip():
        return ""
    # the fact base may already mark them as examples ("e.g. NVIDIA; Google")
    parties = [p.strip().removeprefix("e.g.").strip() for p in party.split(";") if p.strip()]
    quote = row.get("quote") if isinstance(row.get("quote"), str) else ""
    at = quote.find(parties[0])
    m = _EXAMPLES.search(quote[:at]) if at > 0 else None
    if m is None:
        return party
    group = (m.group(1) or "").strip()
    return (f"{group}, " if group else "") + "e.g. " + ", ".join(parties)


@dataclass(frozen=True)
class Dating:
    """One reading of when the 2022 money came in: the fact that dates it, the shortest and
    longest whole months from its date range to the cash figure (cited by the dating fact and
    the cash figure), and the burn they imply (the longest interval gives the floor, the
    shortest the highest average), cited by the facts of the amounts it divides and the dating
    fact."""

    fact_id: str
    source_id: str
    start: pd.Timestamp
    end: pd.Timestamp
    months: tuple[int, int]
    floor: Cited
    highest: Cited


@dataclass(frozen=True)
class RaiseCheck:
    raised: Cited
    spent: Cited  # raised less the cash left (more than it when the cash is an upper bound)
    months: tuple[int, int]  # shortest and longest interval on the report's dating
    cash_after: Cited
    implied_burn: Cited  # lower bound of the average net burn over the longest interval
    highest_burn: Cited  # the average net burn over the shortest interval
    others: list[Dating] = field(default_factory=list)  # other sources' dating of the round


def span_months(a: pd.Timestamp, b: pd.Timestamp) -> int:
    """Whole months from day `a` to day `b`, to the nearest month."""
    return round((b - a).days / (365.25 / 12))


def raise_check(facts: Facts) -> RaiseCheck:
    """What the money raised from October 2022 implies about burn, given the cash reported in
    October 2023. The cash held before October 2022 is unknown, so the implied burn is a floor;
    the interval runs from the round's date range to the cash figure's date, so the floor is
    taken over the longest interval, and each other fact dating a 2022 raise gives its own."""
    pos = cash_position(facts)
    funding = select(facts, "funding_closed")
    r2022 = funding[(funding["date_start"].dt.year == 2022)].sort_values("value")
    if r2022.empty:
        raise MissingFact("no 2022 funding fact")
    first = r2022.iloc[-1]  # the larger (more precise) reading of the 2022 raise
    start = first["date_end"]
    # funding closed after the 2022 raise and before the month of the cash figure is in that
    # figure; funding of the same month (the Intel note) is assumed not to be.
    between = funding[(funding["date_start"] > start) & (funding["date_end"] < pos.month)]
    raised = float(first["value"]) + float(between["value"].sum())
    ids = (first["fact_id"],) + tuple(between["fact_id"])
    spent = raised - pos.cash.value

    def dating(row: pd.Series) -> Dating:
        lo = span_months(row["date_end"], pos.on)
        hi = span_months(row["date_start"], pos.on)
        # the amounts are always those of `ids`; another reading of the round adds its date
        dated = () if row["fact_id"] in ids else (row["fact_id"],)
        return Dating(
            row["fact_id"],
            row["source_id"],
            row["date_start"],
            row["date_end"],
            (lo, hi),
            cite(spent / max(hi, 1), ids, pos.cash.ids, dated, fmt="money_floor"),
            cite(spent / max(lo, 1), ids, pos.cash.ids, dated),
        )

    main = dating(first)
    # every fact dating a 2022 raise, including a reading a recorded conflict sets aside (the
    # round's timing is uncertain between the sources, so each dating bounds the floor)
    t = facts.money
    every = t[(t["metric"] == "funding_closed") & (t["date_start"].dt.year == 2022)]
    others = [dating(r) for _, r in every.iterrows() if r["fact_id"] != first["fact_id"]]
    others = [d for d in others if (d.start, d.end) != (main.start, main.end)]
    return RaiseCheck(
        raised=cite(raised, ids),
        spent=cite(spent, ids, pos.cash.ids),
        months=main.months,
        cash_after=pos.cash,
        implied_burn=main.floor,
        highest_burn=main.highest,
        others=others,
    )


@dataclass(frozen=True)
class BreakEven:
    growth: float
    months: int | None  # None: never within the horizon
    cash_needed: float | None


def break_even(gross: float, revenue: float, growth: float, horizon_months: int = 60) -> BreakEven:
    """Months until revenue growing at `growth` a month covers flat costs `gross`, and the cash
    burned until then (None when it does not happen within the horizon)."""
    if revenue >= gross:
        return BreakEven(growth, 0, 0.0)
    if growth <= 0 or revenue <= 0:
        return BreakEven(growth, None, None)
    months = math.ceil(math.log(gross / revenue) / math.log(1 + growth))
    if months > horizon_months:
        return BreakEven(growth, None, None)
    burned = sum(gross - revenue * (1 + growth) ** t for t in range(1, months))
    return BreakEven(growth, months, burned)


@dataclass(frozen=True)
class Fundraising:
    table: pd.DataFrame  # targets, valuations and money raised in date order
    target: Cited  # the largest 2023 target
    target_month: pd.Timestamp
    compute: Cited | None  # computing facilities sought beside it
    valuation_sought: Cited | None
    valuation: Cited | None  # the last valuation reached before
    raised_2023: Cited
    raised: list[tuple[pd.Series, str]]  # each 2023 raise and when it came against the target
    cut: Cited | None  # the cut to the target, as a fraction
    target_after_cut: Cited | None  # what is left of `target` if the cut applied to it
    other_targets: pd.DataFrame  # the other amounts sought
    bars: list[tuple[str, float, str]]
    bar_ids: list[str] = field(default_factory=list)  # the fact each bar draws, bar by bar


def fundraising(facts: Facts) -> Fundraising:
    """Targets, valuations sought, what was raised (and whether before or after the target it is
    set against) and the cut to the target."""
    metrics = [
        "funding_closed",
        "funding_sought",
        "compute_sought",
        "valuation",
        "valuation_sought",
        "target_cut",
    ]
    m = facts.money
    t = m[m["metric"].isin(metrics)].sort_values(["date_start", "fact_id"], key=by_number)
    sought = select(facts, "funding_sought", year=2023).sort_values("value")
    if sought.empty:
        raise MissingFact("no 2023 fundraising target is reported by this date")
    target = sought.iloc[-1]
    compute = select(facts, "compute_sought", year=2023)
    vs = select(facts, "valuation_sought")
    val = select(facts, "valuation", year=2022).sort_values("fact_id", key=by_number)
    raised = select(facts, "funding_closed", year=2023).sort_values("date_start")
    cut = m[m["metric"] == "target_cut"]
    raised_c = cite(float(raised["value"].sum()), tuple(raised["fact_id"]))
    cut_c = (
        None
        if cut.empty
        else cite(float(cut.iloc[0]["value"]) / 100, cut.iloc[0]["fact_id"], fmt="pct")
    )
    timing = [
        (r, "before" if r["date_end"] < target["date_start"] else "after")
        for _, r in raised.iterrows()
    ]
    bar_ids = [target["fact_id"]] + ([compute.iloc[0]["fact_id"]] if not compute.empty else [])
    bar_ids += [r["fact_id"] for r, _ in timing]
    bars = [
        (
            f"sought: {parties_as_given(target) or 'major investors'} "
            f"({when(target['date_start'], target['date_end'], target['date_precision'])})",
            float(target["value"]),
            "sought",
        )
    ]
    if not compute.empty:
        bars.append(("sought: computing facilities", float(compute.iloc[0]["value"]), "sought"))
    for r, _ in timing:
        bars.append(
            (
                f"raised: {r['counterparty']} "
                f"({when(r['date_start'], r['date_end'], r['date_precision'])})",
                float(r["value"]),
                "raised",
            )
        )
    all_sought = select(facts, "funding_sought")
    return Fundraising(
        table=money_facts(t).reset_index(drop=True),
        target=value(target),
        target_month=target["date_start"],
        compute=None if compute.empty else value(compute.iloc[0]),
        valuation_sought=None if vs.empty else value(vs.iloc[0]),
        valuation=None if val.empty else value(val.iloc[0]),
        raised_2023=raised_c,
        raised=timing,
        cut=cut_c,
        target_after_cut=None
        if cut_c is None
        else cite(float(target["value"]) * (1 - cut_c.value), target["fact_id"], cut_c.ids),
        other_targets=all_sought[all_sought["fact_id"] != target["fact_id"]].sort_values(
            "date_start"
        ),
        bars=bars,
        bar_ids=bar_ids,
    )


@dataclass(frozen=True)
class Multiples:
    revenue: Cited  # the annual revenue the multiples are taken on
    valuation: Cited | None
    valuation_multiple: Cited | None
    sought: Cited | None
    sought_multiple: Cited | None


def valuation_multiples(facts: Facts) -> Multiples:
    """The 2022 valuation and the valuation sought in 2023 as multiples of 2023 revenue (the
    October 2023 projection for the whole year)."""
    rev = value(need(facts, "revenue", per="year", year=2023))
    val = select(facts, "valuation", year=2022).sort_values("fact_id", key=by_number)
    vs = select(facts, "valuation_sought")
    v = None if val.empty else value(val.iloc[0])
    s = None if vs.empty else value(vs.iloc[0])

    def times(x: Cited | None) -> Cited | None:
        return None if x is None else cite(x.value / rev.value, x.ids, rev.ids, fmt="times")

    return Multiples(rev, v, times(v), s, times(s))
