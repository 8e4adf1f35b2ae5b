"""The sensitivity of the runway to monthly costs and revenue growth: one grid per burn basis,
computed as the runway simulation computes it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import MissingFact
from ..facts.base import Facts
from ..params import Params
from .burn import bases
from .cash import cash_position
from .runway import month_schedule, scenarios


@dataclass(frozen=True)
class Panel:
    """The runway over gross burn (x) and revenue growth (y) for one basis, starting from that
    basis' revenue; `mark` is the basis itself at the parameters' growth, and `months` the
    runway the scenario table gives for it."""

    label: str
    grid: np.ndarray
    gross: np.ndarray
    growth: np.ndarray
    mark: tuple[float, float]
    months: float | None


@dataclass(frozen=True)
class Sensitivity:
    panels: list[Panel]
    scenario: str  # the scenario every panel computes
    horizon: int


def sensitivity_grid(facts: Facts, params: Params) -> Sensitivity:
    """One panel per basis: the runway of the scenario with the funding reported after the cash
    figure (and the arrears paid when `pay_unpaid_bills`), as the scenario table computes it."""
    pos = cash_position(facts)
    all_bases = bases(facts, params)
    if not all_bases:
        raise MissingFact("no burn basis is available")
    top = max(x.gross.value for x in all_bases.values()) * 1.25
    growth = np.linspace(0.0, 0.30, 31)
    cash = pos.cash.value - (pos.arrears.value if params.pay_unpaid_bills else 0.0)
    inflows = [(d, a.value) for d, a, _ in pos.funding_after]
    panels = []
    label = "no new money"
    for b in all_bases.values():
        runs = scenarios(facts, params, b)
        wanted = [r for r in runs if r.label != "+ extra funding (parameter)"][-1]
        label = wanted.label
        gross = np.linspace(max(b.revenue.value, 1e6), top, 41)
        grid = sensitivity(
            cash,
            pos.on,
            b.revenue.value,
            gross,
            growth,
            inflows if wanted.label != "No new money" else (),
            params.horizon_months,
        )
        panels.append(
            Panel(
                b.label, grid, gross, growth, (b.gross.value, params.revenue_growth), wanted.months
            )
        )
    return Sensitivity(panels, label, params.horizon_months)


def sensitivity(
    cash: float,
    start: pd.Timestamp,
    revenue: float,
    gross_grid: np.ndarray,
    growth_grid: np.ndarray,
    inflows=(),
    horizon_months: int = 18,
) -> np.ndarray:
    """Months of runway (capped at the horizon) for each (growth, gross burn) pair.

    The same computation as `simulate` for every pair (same operations in the same order, so
    the same floating-point results), done for a whole row of gross burns at once: the months
    and their inflows depend on neither."""
    _, opened_with, periods = month_schedule(start, list(inflows), horizon_months)
    opening = cash + opened_with
    gross = np.asarray(gross_grid)
    out = np.empty((len(growth_grid), len(gross_grid)))
    for i, g in enumerate(growth_grid):
        balance = np.full(gross.shape, opening, dtype=float)
        months = np.full(gross.shape, float(horizon_months))
        done = np.full(gross.shape, opening <= 0)
        months[done] = 0.0
        for t, (_, _, inflow) in enumerate(periods, start=1):
            rev = revenue * (1 + g) ** t
            before = balance + inflow
            balance = before + rev - gross
            new = ~done & (balance < 0)
            if new.any():
                b, c = before[new], gross[new]
                fraction = np.zeros(b.shape)
                pos = b > 0
                fraction[pos] = b[pos] / (c[pos] - rev)
                months[new] = (t - 1) + fraction
                done |= new
        out[i] = months
    return out
