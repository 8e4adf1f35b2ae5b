"""Cash runway: for each burn basis (analysis.burn), the month-by-month simulation from the last
cash figure, the scenarios (no new money, the funding reported after it, the arrears paid, the
parameters' extra funding), the runway table, the headline range across the bases, and the
February 2024 trajectory.

Every function takes the validated facts and returns values that carry the ids of the facts they
come from (analysis.cited), so the prose can cite them. Nothing here reads the clock or draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import MissingFact
from ..facts.base import Facts
from ..formats import bound_words, money
from ..formats import month as month_text
from ..params import Params
from .burn import SOURCE_BASES, Basis, bases, chosen_basis
from .cash import CashPosition, cash_position
from .cited import Cited, cite
from .money import months_between
from .revenue import Growth, implied_growth

RUNWAY_TABLE = "runway"  # the anchor of the runway table in chapter 2


@dataclass(frozen=True)
class Runway:
    label: str
    start_cash: float
    months: float | None  # None: the cash lasts beyond the horizon
    cash_out: pd.Timestamp | None
    path: pd.DataFrame = field(repr=False)
    ids: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    basis: str = ""  # the label of the burn basis it runs on

    @property
    def month_cited(self) -> Cited:
        """The month the cash runs out (no more precise than the inputs allow)."""
        return cite(self.cash_out, self.ids, fmt="month")


def month_schedule(start: pd.Timestamp, inflows, horizon_months: int):
    """The months of a simulation from `start`: (start, the inflows on or before it, and for
    t = 1..horizon the first and last day of month t and the inflows dated in it)."""
    start = pd.Timestamp(start)
    opened_with = sum(a for d, a in inflows if pd.Timestamp(d) <= start)
    periods = []
    period_end = start
    for t in range(1, horizon_months + 1):
        period_start = period_end + pd.Timedelta(days=1)
        period_end = start + pd.DateOffset(months=t)
        if start.is_month_end:
            period_end += pd.offsets.MonthEnd(0)
        inflow = sum(a for d, a in inflows if period_start <= pd.Timestamp(d) <= period_end)
        periods.append((period_start, period_end, inflow))
    return start, opened_with, periods


def simulate(
    cash: float,
    start: pd.Timestamp,
    gross: float,
    revenue: float,
    growth: float,
    inflows: list[tuple[pd.Timestamp, float]] = (),
    horizon_months: int = 18,
    label: str = "",
    ids: tuple[str, ...] = (),
    assumptions: tuple[str, ...] = (),
    basis: str = "",
) -> Runway:
    """Month-by-month cash from `start` (the day the cash figure refers to).

    Each month t = 1..horizon spends `gross`, earns revenue * (1 + growth)^t and receives the
    inflows dated in it (at the start of the month; inflows on or before `start` are added to the
    opening cash). Cash runs out on the day, interpolated within the month, the balance reaches
    zero. A non-positive net burn never runs out.
    """
    start, opened_with, periods = month_schedule(start, inflows, horizon_months)
    opening = cash + opened_with
    rows = [{"date": start, "cash": opening, "revenue": np.nan, "costs": np.nan, "inflow": 0.0}]
    balance, out_months, out_date = opening, None, None
    if opening <= 0:
        out_months, out_date = 0.0, start
    for t, (period_start, period_end, inflow) in enumerate(periods, start=1):
        rev = revenue * (1 + growth) ** t
        before = balance + inflow
        balance = before + rev - gross
        rows.append(
            {"date": period_end, "cash": balance, "revenue": rev, "costs": gross, "inflow": inflow}
        )
        if out_months is None and balance < 0:
            fraction = before / (gross - rev) if before > 0 else 0.0
            out_months = (t - 1) + fraction
            days = (period_end - period_start).days + 1
            out_date = period_start + pd.Timedelta(days=int(fraction * days))
            out_date = min(out_date, period_end)
    path = pd.DataFrame(rows)
    return Runway(
        label,
        opening,
        out_months,
        out_date,
        path,
        tuple(dict.fromkeys(ids)),
        tuple(assumptions),
        basis,
    )


def _funding_label(pos: CashPosition) -> str:
    parts = [f"{who or 'funding'} {d:%b %Y}" for d, _, who in pos.funding_after]
    return "+ " + ", ".join(parts) if parts else ""


def scenarios(facts: Facts, params: Params, basis: Basis | None = None) -> list[Runway]:
    """Runway from the last cash figure under one basis (the chosen one by default): no new
    money; with the funding reported after it; that and the arrears paid at once; and the
    parameters' extra funding."""
    pos = cash_position(facts)
    b = basis or chosen_basis(facts, params)
    base_ids = pos.cash.ids + b.gross.ids + b.revenue.ids
    qualifier = {
        "less_than": "the source says less than this, so every runway is an upper bound",
        "exact": "as reported",
    }.get(pos.bound, pos.bound)
    common = (
        f"opening cash {money(pos.cash.value)} at the end of {pos.on:%B %Y} ({qualifier})",
        f"burn: {b.how}",
        f"revenue grows {params.revenue_growth:.1%} a month from {money(b.revenue.value)}",
        "funding arrives at the start of the month it is reported in; funding in the month of "
        "the cash figure is assumed not to be in it",
    )

    def run(label, inflows=(), bills=False, extra_ids=()):
        cash = pos.cash.value - (pos.arrears.value if bills else 0.0)
        ids = base_ids + tuple(extra_ids) + (pos.arrears.ids if bills else ())
        notes = common + (
            (
                f"the {money(pos.arrears.value)} of bills for months before the cash "
                "figure are paid at once",
            )
            if bills
            else ("unpaid bills stay unpaid",)
        )
        return simulate(
            cash,
            pos.on,
            b.gross.value,
            b.revenue.value,
            params.revenue_growth,
            list(inflows),
            params.horizon_months,
            label,
            ids,
            notes,
            b.label,
        )

    out = [run("No new money")]
    inflows = [(d, a.value) for d, a, _ in pos.funding_after]
    ids = [i for _, a, _ in pos.funding_after for i in a.ids]
    if inflows:
        out.append(run(_funding_label(pos), inflows, extra_ids=ids))
    if params.pay_unpaid_bills and pos.arrears.value > 0:
        out.append(
            run(
                (_funding_label(pos) + ", arrears paid").lstrip(", ")
                if inflows
                else "Arrears paid",
                inflows,
                bills=True,
                extra_ids=ids,
            )
        )
    if params.extra_funding_usd > 0:
        extra = (pd.Timestamp(params.extra_funding_date), params.extra_funding_usd)
        out.append(
            run(
                "+ extra funding (parameter)",
                inflows + [extra],
                bills=params.pay_unpaid_bills,
                extra_ids=ids,
            )
        )
    return out


def runway_grid(facts: Facts, params: Params) -> dict[str, list[Runway]]:
    """scenarios() for every basis available (basis key -> runs, same scenarios in each)."""
    return {k: scenarios(facts, params, b) for k, b in bases(facts, params).items()}


def runway_table(facts: Facts, params: Params) -> pd.DataFrame:
    """One row per basis (and the February 2024 trajectory), and per scenario the months of
    runway and the month the cash runs out (empty: beyond the horizon)."""
    grid = runway_grid(facts, params)
    if not grid:
        raise MissingFact("no burn basis is available")
    rows = [(b.label, b.net.value, grid[k]) for k, b in bases(facts, params).items()]
    tr = trajectory(facts, params)
    if tr is not None:
        first = tr.runs[0].path.iloc[1]
        rows.append((tr.runs[0].basis, first["costs"] - first["revenue"], tr.runs))
    out = []
    for label, net, runs in rows:
        row = {"basis": label, "net burn, first month": net}
        for r in runs:
            row[f"{r.label}: months"] = r.months
            row[f"{r.label}: runs out"] = r.cash_out
        out.append(row)
    return pd.DataFrame(out)


@dataclass(frozen=True)
class Headline:
    """The runway as a range across the bases the sources give, never one basis as the answer:
    (shortest, longest) months and the months the cash runs out, with no new money and with the
    funding reported after the cash figure. A None end means beyond the horizon."""

    cash: Cited
    bound: str
    on: pd.Timestamp
    bases: tuple[str, ...]
    none: tuple[Runway, Runway]
    funded: tuple[Runway, Runway] | None
    funding: Cited | None
    horizon: int

    @staticmethod
    def ids(runs: tuple[Runway, Runway]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(runs[0].ids + runs[1].ids))


def _span(runs: list[Runway]) -> tuple[Runway, Runway]:
    key = [(r.months if r.months is not None else math.inf) for r in runs]
    return runs[int(np.argmin(key))], runs[int(np.argmax(key))]


def headline(facts: Facts, params: Params) -> Headline:
    pos = cash_position(facts)
    keys = [k for k in SOURCE_BASES if k in bases(facts)]
    if not keys:
        raise MissingFact("no burn basis is available")
    p = Params.from_mapping(
        {
            **params.as_dict(),
            "pay_unpaid_bills": False,
            "extra_funding_usd": 0.0,
            "extra_funding_date": "",
        }
    )
    grid = {k: scenarios(facts, p, bases(facts)[k]) for k in keys}
    none = _span([runs[0] for runs in grid.values()])
    funded = funding = None
    if pos.funding_after:
        funded = _span([runs[1] for runs in grid.values()])
        funding = cite(
            sum(a.value for _, a, _ in pos.funding_after), *[a.ids for _, a, _ in pos.funding_after]
        )
    return Headline(
        pos.cash,
        pos.bound,
        pos.on,
        tuple(bases(facts)[k].label for k in keys),
        none,
        funded,
        funding,
        params.horizon_months,
    )


@dataclass(frozen=True)
class Trajectory:
    """The February 2024 month extended both ways: costs held at its level, revenue on the path
    that passes through its revenue at the growth the sources imply; run under the same
    scenarios as the bases."""

    runs: list[Runway]
    growth: Growth
    gross: Cited
    anchor: Cited
    break_even: pd.Timestamp | None  # the first month revenue covers the costs
    anchor_month: pd.Timestamp  # the month of the anchor's revenue

    @property
    def run(self) -> Runway:
        """The scenario with the funding reported after the cash figure (else no new money)."""
        funded = [
            r
            for r in self.runs
            if r.label.startswith("+ ") and "parameter" not in r.label and "arrears" not in r.label
        ]
        return funded[0] if funded else self.runs[0]


def trajectory(facts: Facts, params: Params) -> Trajectory | None:
    """None when the February 2024 figures or an implied growth are missing."""
    feb = bases(facts).get("feb2024")
    g = implied_growth(facts)
    if feb is None or g is None or g.rate.value <= 0:
        return None
    pos = cash_position(facts)
    m = facts.money.set_index("fact_id")
    anchor_month = m.at[feb.revenue.ids[0], "date_start"]
    steps = months_between(pos.month, anchor_month)  # month t=steps is the anchor
    rate = g.rate.value
    basis = Basis(
        "trajectory",
        f"Extrapolated (ours): {month_text(anchor_month)} costs, "
        f"revenue growing {rate:.1%} a month",
        feb.gross,
        cite(feb.revenue.value / (1 + rate) ** steps, feb.revenue.ids, g.rate.ids),
        f"the February 2024 costs held flat; revenue on the path through the February "
        f"2024 revenue, growing {rate:.1%} a month",
    )
    p = Params.from_mapping({**params.as_dict(), "revenue_growth": rate})
    runs = scenarios(facts, p, basis)
    path = runs[0].path.iloc[1:]
    covered = path[path["revenue"] >= path["costs"]]
    be = None if covered.empty else pd.Timestamp(covered["date"].iloc[0]).replace(day=1)
    return Trajectory(runs, g, feb.gross, feb.revenue, be, anchor_month)


def qualified(facts: Facts, c: Cited) -> Cited:
    """A money value with its source's qualifier ('about $99 million', 'less than $4 million'),
    as text, cited like the value."""
    m = facts.money.set_index("fact_id")
    bound = m.at[c.ids[0], "bound"] if c.ids and c.ids[0] in m.index else "exact"
    return cite(bound_words(bound) + money(float(c.value)), c.ids, fmt="text", ref=c.ref)
