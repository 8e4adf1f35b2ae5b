"""The chapter 2 figures (stability_report.figures.runway), drawn from the real fact base with the
default parameters: each is one figure in the house style, showing the values it was given."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
import pytest  # noqa: E402

from stability_report.analysis import fundraising, revenue, runway, sensitivity  # noqa: E402
from stability_report.analysis.money import pick  # noqa: E402
from stability_report.facts.load import load_facts  # noqa: E402
from stability_report.figures import runway as charts  # noqa: E402
from stability_report.figures import style  # noqa: E402
from stability_report.params import Params  # noqa: E402


@pytest.fixture(scope="module")
def facts():
    return load_facts()


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _bar_widths(ax) -> list[float]:
    return sorted(round(p.get_width(), 3) for p in ax.patches if p.get_width() > 0)


def test_cost_structure_shows_compute_opex_and_revenue(facts):
    cs = revenue.cost_structure(facts)
    fig = charts.cost_structure_figure(cs)
    (ax,) = fig.axes
    widths = _bar_widths(ax)
    for value in (cs.compute.value, cs.salaries_opex.value, cs.revenue.value):
        assert any(abs(w - value / 1e6) < 1e-3 or abs(w - value) < 1e-3 for w in widths), value
    assert fig.get_figwidth() == style.new_figure()[0].get_figwidth()


def test_revenue_figure_has_one_point_per_monthly_figure(facts):
    points = revenue.revenue_points(facts)
    annual = pick(facts, "revenue", per="year", year=2023)
    fig = charts.revenue_figure(points, None if annual is None else annual["value"])
    (ax,) = fig.axes
    drawn = sum(len(line.get_xdata()) for line in ax.get_lines() if line.get_linestyle() == "None")
    assert drawn == len(points) > 0
    assert len(ax.texts) == len(points)  # each point labelled with its amount


def test_runway_figure_draws_each_scenario(facts):
    params = Params()
    runs = runway.scenarios(facts, params)
    fig = charts.runway_figure(runs, "on the test basis")
    (ax,) = fig.axes
    labels = [line.get_label() for line in ax.get_lines()]
    for r in runs:
        assert any(r.label in label for label in labels), (r.label, labels)


def test_fundraising_figure_has_one_bar_per_row(facts):
    rows = fundraising.fundraising(facts).bars
    fig = charts.fundraising_figure(rows)
    (ax,) = fig.axes
    assert len([p for p in ax.patches if p.get_width() > 0]) == len(rows) > 0
    assert [t.get_text() for t in ax.get_yticklabels()] == [style.label(r[0]) for r in rows]


def test_sensitivity_figure_has_one_panel_per_basis(facts):
    s = sensitivity.sensitivity_grid(facts, Params())
    fig = charts.sensitivity_figure(s)
    panels = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert len(panels) >= len(s.panels) > 1
    titles = [ax.get_title(loc="left") for ax in panels[: len(s.panels)]]
    assert titles == [p.label for p in s.panels]
