"""The chapter 2 figures (stability_report.figures.runway), drawn from the real fact base with the
default parameters: each is one figure in the house style, showing the values it was given."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402

from stability_report.analysis import fundraising, money, revenue, runway, sensitivity  # noqa: E402
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
    # forecasts: scatter marks with dashed outlines (the projection's dashed line is no mark)
    drawn += sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))
    assert drawn == len(points) > 0
    assert len(ax.texts) == len(points)  # each point labelled with its amount


def _revenue_row(day, value, status, quote, note="", who="Pat Doe, in a post"):
    return {
        "fact_id": f"M9{day[5:7]}",
        "source_id": "S900",
        "date_start": pd.Timestamp(day),
        "date_end": pd.Timestamp(day) + pd.offsets.MonthEnd(0),
        "value": value,
        "status": status,
        "quote": quote,
        "attributed_to": who,
        "inference_note": note,
    }


@pytest.mark.parametrize(
    ("status", "quote", "note", "expected"),
    [
        ("claimed", "the firm had $1 million in revenue in May", "", False),
        ("claimed", "and would earn $2 million in June", "", True),
        ("claimed", "revenue of $2 million in June", "A forecast made in May", True),
        ("projected", "revenue of $2 million in June", "", True),
        ("reported", "revenue was $2 million in June", "", False),
        ("reported", "revenue will reach $2 million in June", "", True),
    ],
)
def test_a_figure_is_a_forecast_by_its_status_quote_or_note(status, quote, note, expected):
    row = _revenue_row("2030-06-01", 2e6, status, quote, note)
    assert money.forecast(row) is expected


def test_revenue_figure_draws_and_names_a_forecast_apart_from_a_claim():
    # fictitious: a claimed past month and a forecast by the same person, one reported month
    points = pd.DataFrame(
        [
            _revenue_row("2030-05-01", 1e6, "claimed", "had $1 million in revenue in May"),
            _revenue_row("2030-06-01", 2e6, "claimed", "would earn $2 million in June"),
            _revenue_row("2030-08-01", 4e6, "reported", "revenue of $4 million", who=None),
        ]
    )
    points["forecast"] = [money.forecast(r) for _, r in points.iterrows()]
    fig = charts.revenue_figure(points, None)
    (ax,) = fig.axes
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["$1.0M", "$2.0M (forecast)", "$4.0M"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [
        "claimed by Pat Doe (not reported as fact)",
        "forecast by Pat Doe (not reported as fact)",
        "reported",
    ]
    (dashed,) = [c for c in ax.collections if isinstance(c, PathCollection)]  # the forecast
    assert dashed.get_linestyle()[0][1] is not None
    assert dashed.get_offsets().shape == (1, 2)
    assert style.linked_ids(fig) == ["M905", "M906", "M908"]


def test_revenue_points_mark_the_sources_forecasts(facts):
    points = revenue.revenue_points(facts)
    for _, r in points.iterrows():
        assert r["forecast"] == money.forecast(r)


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
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [style.label(r[0], width=charts._FUNDING_LABEL_CHARS, lines=3) for r in rows]
    assert not any("…" in t for t in labels)  # every label whole, on up to three lines


@pytest.mark.parametrize(
    ("quote", "party", "expected"),
    [
        (
            "plans to raise $90 million from large funds like Acme, Birch, and Cedar",
            "Acme; Birch; Cedar",
            "large funds, e.g. Acme, Birch, Cedar",
        ),
        ("hoped for money such as Acme's", "Acme", "e.g. Acme"),
        # the fact base already marks them as examples: said once
        (
            "plans to raise $90 million from large funds like Acme, Birch, and Cedar",
            "e.g. Acme; Birch; Cedar",
            "large funds, e.g. Acme, Birch, Cedar",
        ),
        ("plans to raise $90 million from Acme and Birch", "Acme; Birch", "Acme; Birch"),
        ("plans to raise $90 million", None, ""),
    ],
)
def test_parties_a_quote_gives_as_examples_are_named_as_examples(quote, party, expected):
    row = {"quote": quote, "counterparty": party}
    assert fundraising.parties_as_given(row) == expected


def test_sensitivity_figure_has_one_panel_per_basis(facts):
    s = sensitivity.sensitivity_grid(facts, Params())
    fig = charts.sensitivity_figure(s)
    panels = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert len(panels) >= len(s.panels) > 1
    # each panel titled by its basis, wrapped onto lines when long
    titles = [" ".join(ax.get_title(loc="left").split()) for ax in panels[: len(s.panels)]]
    assert titles == [p.label for p in s.panels]


# ---------------------------------------------------------------------------------------------
# legible in print: no text under the minimum, none cut off at the figure's edge, no two labels
# on top of each other; the marks that stand for facts are links to them


def _all_figures(facts):
    from stability_report.analysis.attrition import departures
    from stability_report.figures import attrition

    params = Params()
    annual = pick(facts, "revenue", per="year", year=2023)
    fr = fundraising.fundraising(facts)
    figs = {
        "cost structure": charts.cost_structure_figure(revenue.cost_structure(facts)),
        "revenue": charts.revenue_figure(
            revenue.revenue_points(facts), None if annual is None else annual["value"]
        ),
        "runway": charts.runway_figure(runway.scenarios(facts, params), "on the test basis"),
        "fundraising": charts.fundraising_figure(fr.bars, fr.bar_ids),
        "sensitivity": charts.sensitivity_figure(sensitivity.sensitivity_grid(facts, params)),
        "departures": attrition.departure_timeline(departures(facts, params.as_of)),
        "timeline": attrition.timeline_figure(facts, params.as_of),
    }
    return {k: v for k, v in figs.items() if v is not None}


def _texts(fig):
    """The texts the figure draws (tick labels beyond an axis' limits are not drawn)."""
    from matplotlib.text import Text

    hidden = set()
    for ax in fig.axes:
        for axis, i in ((ax.xaxis, 0), (ax.yaxis, 1)):
            lo, hi = sorted(axis.get_view_interval())
            for t in axis.get_majorticklabels() + axis.get_minorticklabels():
                v = t.get_position()[i]
                if not lo - 1e-9 * abs(hi - lo) <= v <= hi + 1e-9 * abs(hi - lo):
                    hidden.add(t)
    return [
        t
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and t.get_figure() is fig and t not in hidden
    ]


def test_every_figure_is_legible_in_print(facts):
    for name, fig in _all_figures(facts).items():
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        box = fig.bbox
        placed = []
        for t in _texts(fig):
            # drawn at MIN_PT or more: at the report's print width (a 7 in figure across 180 mm)
            # and in the brief (scale 0.9 at the least) that is 7 pt or more
            assert t.get_fontsize() >= style.MIN_PT, (name, t.get_text(), t.get_fontsize())
            ext = t.get_window_extent(renderer)
            if ext.width == 0:
                continue
            # not cut off by the figure's edge
            assert ext.x0 >= box.x0 - 1 and ext.x1 <= box.x1 + 1, (name, t.get_text(), ext)
            assert ext.y0 >= box.y0 - 1 and ext.y1 <= box.y1 + 1, (name, t.get_text(), ext)
            placed.append((t, ext.shrunk(0.96, 0.9)))
        for i, (a, ea) in enumerate(placed):  # no label on another
            for b, eb in placed[i + 1 :]:
                if a.axes is not None and a.axes is b.axes and _same_axis_ticks(a, b):
                    continue
                assert not ea.overlaps(eb), (name, a.get_text(), b.get_text())
    # the smallest 8 pt text across the 180 mm of the report's page stays above 7 pt
    assert style.MIN_PT * 180 / (style.WIDTH_IN * 25.4) * 0.9 >= 7


def _same_axis_ticks(a, b) -> bool:
    """Tick labels of one axis, side by side (matplotlib spaces them itself)."""
    ax = a.axes
    ticks = set(ax.get_xticklabels()) | set(ax.get_yticklabels())
    return a in ticks and b in ticks


def test_every_mark_that_stands_for_a_fact_links_to_it(facts):
    from stability_report.facts.ids import ID

    figs = _all_figures(facts)
    known = set(facts.all_facts()["fact_id"])
    for name in ("cost structure", "revenue", "runway", "fundraising", "departures", "timeline"):
        ids = style.linked_ids(figs[name])
        assert ids, name
        for fid in ids:
            assert ID.fullmatch(fid) and fid in known, (name, fid)
