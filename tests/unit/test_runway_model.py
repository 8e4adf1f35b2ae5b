"""The runway simulation and break-even arithmetic on hand-computed cases, including the edges:
zero or negative net burn, cash already gone, funding arriving later, a growth that never gets
there."""

import math

import numpy as np
import pandas as pd
import pytest

from stability_report.analysis.fundraising import break_even
from stability_report.analysis.runway import simulate
from stability_report.analysis.sensitivity import sensitivity

OCT = pd.Timestamp("2023-10-31")


def test_runway_is_cash_over_net_burn():
    # $4M at $12.75M costs and $11M/12 revenue a month: 4 / 11.8333 = 0.338 months
    r = simulate(4e6, OCT, 153e6 / 12, 11e6 / 12, 0.0)
    assert r.months == pytest.approx(4 / (142 / 12), rel=1e-9)
    assert r.cash_out == pd.Timestamp("2023-11-11")  # 0.338 of November's 30 days = day 10


def test_runway_over_several_months():
    r = simulate(54e6, OCT, 8e6, 1.2e6, 0.0)
    assert r.months == pytest.approx(54 / 6.8)
    assert r.cash_out.strftime("%Y-%m") == "2024-06"
    assert r.path["cash"].iloc[7] == pytest.approx(54e6 - 7 * 6.8e6)


def test_zero_and_negative_net_burn_never_run_out():
    assert simulate(4e6, OCT, 8e6, 8e6, 0.0).months is None
    r = simulate(4e6, OCT, 8e6, 9e6, 0.0, horizon_months=12)
    assert r.months is None and r.cash_out is None
    assert r.path["cash"].iloc[-1] == pytest.approx(4e6 + 12e6)


def test_no_cash_runs_out_at_once():
    r = simulate(-5.6e6, OCT, 8e6, 1e6, 0.0)
    assert r.months == 0 and r.cash_out == OCT


def test_funding_arrives_in_its_month():
    r = simulate(1e6, OCT, 3e6, 0.0, 0.0, inflows=[(pd.Timestamp("2024-01-15"), 10e6)])
    # Nov: 1-3 = -2 -> runs out in November, before the January money
    assert r.months == pytest.approx(1 / 3)
    r2 = simulate(1e6, OCT, 3e6, 0.0, 0.0, inflows=[(pd.Timestamp("2023-10-15"), 10e6)])
    assert r2.start_cash == 11e6
    assert r2.months == pytest.approx(11 / 3)


def test_revenue_growth_extends_runway():
    flat = simulate(20e6, OCT, 8e6, 5.4e6, 0.0)
    growing = simulate(20e6, OCT, 8e6, 5.4e6, 0.05)
    assert flat.months == pytest.approx(20 / 2.6)
    assert growing.months is None or growing.months > flat.months


def test_break_even_months_and_cash():
    be = break_even(8e6, 5.4e6, 0.05)
    assert be.months == math.ceil(math.log(8 / 5.4) / math.log(1.05)) == 9
    expected = sum(8e6 - 5.4e6 * 1.05**t for t in range(1, 9))
    assert be.cash_needed == pytest.approx(expected)


def test_break_even_edges():
    assert break_even(8e6, 9e6, 0.0).months == 0
    assert break_even(8e6, 5.4e6, 0.0).months is None
    assert break_even(8e6, 5.4e6, -0.1).months is None
    assert break_even(8e6, 1.0, 0.01, horizon_months=60).months is None


def test_sensitivity_grid_shape_and_monotonicity():
    gross = np.array([4e6, 8e6, 12e6])
    growth = np.array([0.0, 0.1])
    grid = sensitivity(20e6, OCT, 2e6, gross, growth, horizon_months=18)
    assert grid.shape == (2, 3)
    assert grid[0, 0] == pytest.approx(10.0)  # 20 / (4 - 2)
    assert (np.diff(grid[0]) <= 0).all()  # more burn, less runway
    assert (grid[1] >= grid[0]).all()  # growth never shortens it
