"""Costs against revenue: the company's 2023 projection (compute against salaries and operating
costs), every revenue figure with its status (reported, claimed, projected: a claim is never mixed
up with an actual), the growth they imply, and the chief executive's claims set against the
company's own projection."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ..facts.base import Facts
from .cited import Cited, cite
from .money import forecast, months_between, need, pick, select, value


@dataclass(frozen=True)
class CostStructure:
    compute: Cited
    salaries_opex: Cited
    total: Cited
    revenue: Cited
    compute_share: Cited
    compute_multiple: Cited  # compute cost as a multiple of revenue
    loss: Cited
    monthly_loss: Cited
    coverage: Cited
    parts_add_up: bool


def cost_structure(facts: Facts) -> CostStructure:
    """The 2023 projection: compute vs salaries and operating costs, the projected loss."""
    compute = value(need(facts, "compute_costs", per="year", year=2023))
    opex = value(need(facts, "salaries_opex", per="year", year=2023))
    total = value(need(facts, "costs", per="year", year=2023))
    revenue = value(need(facts, "revenue", per="year", year=2023))
    loss = total.value - revenue.value
    ids = total.ids + revenue.ids
    return CostStructure(
        compute=compute,
        salaries_opex=opex,
        total=total,
        revenue=revenue,
        compute_share=cite(compute.value / total.value, compute.ids, total.ids, fmt="pct"),
        compute_multiple=cite(compute.value / revenue.value, compute.ids, revenue.ids, fmt="times"),
        loss=cite(loss, ids),
        monthly_loss=cite(loss / 12, ids),
        coverage=cite(revenue.value / total.value, ids, fmt="pct1"),
        parts_add_up=math.isclose(compute.value + opex.value, total.value, rel_tol=0.005),
    )


def revenue_points(facts: Facts) -> pd.DataFrame:
    """Monthly revenue figures in date order, each with its status (reported, claimed,
    projected), who the source says gives it, and whether it is a forecast (money.forecast: a
    projected status, or a quote or note that speaks of the future): a claim is never mixed up
    with an actual, nor a forecast with a past month."""
    rows = select(facts, "revenue", per="month").sort_values("date_start")
    out = rows[
        ["fact_id", "source_id", "date_start", "date_end", "value", "status", "quote"]
        + ["attributed_to", "inference_note"]
    ].reset_index(drop=True)
    out["forecast"] = [bool(forecast(r)) for _, r in rows.iterrows()]
    return out


@dataclass(frozen=True)
class Growth:
    """Compound monthly growth between two monthly revenue figures."""

    rate: Cited
    first: pd.Series
    last: pd.Series
    months: int


def _growth(a: pd.Series, b: pd.Series) -> Growth | None:
    months = months_between(a["date_start"], b["date_start"])
    if months <= 0 or a["value"] <= 0:
        return None
    g = (b["value"] / a["value"]) ** (1 / months) - 1
    return Growth(cite(g, a["fact_id"], b["fact_id"], fmt="pct1"), a, b, months)


def implied_growth(facts: Facts) -> Growth | None:
    """The growth the sources imply: from the earliest monthly revenue figure to the latest
    reported one (whatever the first one's status: the caller says it), or None."""
    pts = revenue_points(facts)
    reported = pts[pts["status"] == "reported"]
    if pts.empty or reported.empty:
        return None
    return _growth(pts.iloc[0], reported.iloc[-1])


@dataclass(frozen=True)
class ClaimCheck:
    """The CEO's claimed monthly figures set against the company's own annual projection: steady
    growth from the first claimed month to the second, continued to the year's end, gives the
    revenue of those months alone."""

    first: Cited
    first_month: pd.Timestamp
    second: Cited
    second_month: pd.Timestamp
    growth: Cited
    rest_of_year: Cited  # revenue from the first claimed month to December, at that growth
    annual: Cited  # the projection for the whole year
    exceeds: bool


def claims_against_projection(facts: Facts) -> ClaimCheck | None:
    """None unless two claimed monthly figures of one year and that year's projection exist."""
    pts = revenue_points(facts)
    claimed = pts[pts["status"] == "claimed"]
    if len(claimed) < 2:
        return None
    a, b = claimed.iloc[0], claimed.iloc[1]
    year = a["date_start"].year
    annual = pick(facts, "revenue", per="year", year=year)
    g = _growth(a, b)
    if annual is None or g is None or b["date_start"].year != year:
        return None
    months = 12 - a["date_start"].month + 1
    total = sum(a["value"] * (1 + g.rate.value) ** t for t in range(months))
    ids = (a["fact_id"], b["fact_id"])
    return ClaimCheck(
        first=cite(a["value"], a["fact_id"]),
        first_month=a["date_start"],
        second=cite(b["value"], b["fact_id"]),
        second_month=b["date_start"],
        growth=g.rate,
        rest_of_year=cite(total, ids),
        annual=value(annual),
        exceeds=total > annual["value"],
    )
