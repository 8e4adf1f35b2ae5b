"""The burn bases: each monthly rate of costs against revenue the sources' figures allow (the
2023 projection divided by 12, February 2024, a monthly spend against a month's revenue), and
the reader's custom rate when the parameters choose it; each with how it was derived from what
the sources say, cited by the facts it rests on. The runway (analysis.runway) runs on them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..errors import MissingFact
from ..facts.base import Facts
from ..formats import money
from ..params import Params
from .cited import Cited, cite
from .money import pick, value

# The bases the sources give (the custom basis is the reader's own number, not a source's).
SOURCE_BASES = ("fy2023_projection", "feb2024", "monthly_spend")


@dataclass(frozen=True)
class Basis:
    key: str
    label: str
    gross: Cited  # monthly costs
    revenue: Cited  # monthly revenue
    how: str  # how the monthly figures were obtained from what the sources say

    @property
    def net(self) -> Cited:
        return cite(self.gross.value - self.revenue.value, self.gross.ids, self.revenue.ids)

    @property
    def coverage(self) -> Cited:
        return cite(
            self.revenue.value / self.gross.value, self.gross.ids, self.revenue.ids, fmt="pct"
        )


def spend_origin(row: pd.Series) -> str:
    """'Bloomberg, undated': the outlet a restated spend comes from (else its source) and, when
    the source dates it no closer than a span of more than a year, that it is undated."""
    outlet = row.get("original_reporter")
    who = outlet if isinstance(outlet, str) and outlet.strip() else row["source_id"]
    loose = row["date_precision"] == "range" and (row["date_end"] - row["date_start"]).days > 366
    return f"{who}, undated" if loose else who


def revenue_mark(row: pd.Series) -> str:
    """'; revenue claimed': the status of the month's revenue a basis nets against the spend
    when it is not reported as fact (a claim, a projection), for the basis's label, so that a
    rate resting on a claim says so; '' for a reported revenue."""
    return "" if row["status"] == "reported" else f"; revenue {row['status']}"


def bases(facts: Facts, params: Params | None = None) -> dict[str, Basis]:
    """Every burn basis the facts allow (and the custom one when chosen)."""
    out: dict[str, Basis] = {}
    costs = pick(facts, "costs", per="year", year=2023)
    revenue = pick(facts, "revenue", per="year", year=2023)
    if costs is not None and revenue is not None:
        out["fy2023_projection"] = Basis(
            "fy2023_projection",
            "2023 projection ÷ 12",
            cite(costs["value"] / 12, costs["fact_id"]),
            cite(revenue["value"] / 12, revenue["fact_id"]),
            "the October 2023 projection of 2023 costs and revenue, divided by 12",
        )
    feb_costs = pick(facts, "costs", per="month", month="2024-02")
    feb_revenue = pick(facts, "revenue", per="month", month="2024-02")
    if feb_costs is not None and feb_revenue is not None:
        out["feb2024"] = Basis(
            "feb2024",
            "February 2024",
            value(feb_costs),
            value(feb_revenue),
            "the costs and revenue reported for February 2024, held flat",
        )
    spend = pick(facts, "monthly_spend", per="month")
    aug = pick(facts, "revenue", per="month", month="2023-08")
    if spend is not None and aug is not None:
        status = "claimed" if aug["status"] == "claimed" else aug["status"]
        out["monthly_spend"] = Basis(
            "monthly_spend",
            f"Spend of {money(spend['value'], short=True)} a month "
            f"({spend_origin(spend)}{revenue_mark(aug)})",
            value(spend),
            value(aug),
            f"the reported monthly spend ({spend_origin(spend)}) as gross burn, less the August "
            f"2023 revenue ({status})",
        )
    if params is not None and params.burn_basis == "custom":
        out["custom"] = Basis(
            "custom",
            "Custom (parameter)",
            cite(params.custom_monthly_burn_usd, fmt="money"),
            cite(0.0),
            "the custom_monthly_burn_usd parameter, taken as net burn",
        )
    return out


def chosen_basis(facts: Facts, params: Params) -> Basis:
    available = bases(facts, params)
    if params.burn_basis not in available:
        raise MissingFact(
            f"burn basis {params.burn_basis!r} needs facts not available as of {params.as_of}; "
            f"available: {', '.join(available) or 'none'}"
        )
    return available[params.burn_basis]
