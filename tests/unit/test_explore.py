"""The runway explorer (stability_report.explore) in process: its widgets' values make checked
parameters; each change recomputes the runway table and chart with analysis.runway's functions,
the same numbers the notebook shows for those parameters; a refused value or missing facts show
a message, never raise; outside an interactive front end, or without ipywidgets, it displays
nothing and raises nothing."""

from __future__ import annotations

import base64
import re
import sys
from datetime import date

import ipywidgets
import pandas as pd
import pytest

from stability_report import explore
from stability_report.analysis import burn, runway
from stability_report.errors import ParameterError
from stability_report.facts.load import load_facts
from stability_report.params import Params

P = Params()


@pytest.fixture(scope="module")
def facts():
    return load_facts().as_of(P.as_of)


@pytest.fixture
def explorer(facts):
    return explore.Explorer(facts, P, ipywidgets)


def _svg(chart_html: str) -> str:
    data = re.search(r'src="data:image/svg\+xml;base64,([^"]*)"', chart_html).group(1)
    return base64.b64decode(data).decode("utf-8")


def test_it_starts_from_the_notebook_s_parameters(explorer, facts):
    assert explorer.scenario.params == P
    pd.testing.assert_frame_equal(explorer.scenario.table, runway.runway_table(facts, P))
    assert explorer.basis.value == P.burn_basis
    assert [key for _, key in explorer.basis.options] == list(burn.bases(facts, P))
    assert explorer.table.value == explorer.scenario.table_html
    assert "Runway from the last cash figure" in explorer.table.value
    assert "2023 projection" in explorer.chart.value  # the chosen basis in the caption
    assert "parameters, assumptions of yours, not facts" in explorer.widget.children[0].value


def test_changing_the_growth_recomputes_the_table_and_chart(explorer, facts):
    table, chart = explorer.table.value, explorer.chart.value
    explorer.growth.value = 0.05  # the widget's observer, as a click in JupyterLab
    expected = Params.from_mapping(P.as_dict() | {"revenue_growth": 0.05})
    assert explorer.scenario.params == expected
    pd.testing.assert_frame_equal(explorer.scenario.table, runway.runway_table(facts, expected))
    assert explorer.table.value != table and explorer.chart.value != chart
    before = runway.runway_table(facts, P)
    col = "No new money: months"
    # growing revenue can only lengthen a runway (or leave it past the horizon)
    assert (explorer.scenario.table[col].fillna(99) >= before[col].fillna(99)).all()
    assert (explorer.scenario.table[col].fillna(99) > before[col].fillna(99)).any()


def test_extra_funding_and_its_date_add_the_parameter_s_scenario(explorer, facts):
    explorer.funding.value = 100.0
    explorer.date.value = date(2024, 3, 1)
    p = explorer.scenario.params
    assert (p.extra_funding_usd, p.extra_funding_date) == (100e6, "2024-03-01")
    table = explorer.scenario.table
    pd.testing.assert_frame_equal(table, runway.runway_table(facts, p))
    assert "+ extra funding (parameter): months" in table.columns
    assert "+ extra funding (parameter)" in explorer.table.value
    assert "+ extra funding (parameter)" in _svg(explorer.chart.value)  # the chart's legend
    explorer.funding.value = 0.0  # no amount: the date does not count
    assert explorer.scenario.params.extra_funding_date == ""
    assert "+ extra funding (parameter): months" not in explorer.scenario.table.columns


def test_changing_the_basis_redraws_the_chart_on_it(explorer, facts):
    explorer.basis.value = "feb2024"
    assert explorer.scenario.params.burn_basis == "feb2024"
    assert "February 2024" in explorer.chart.value and "2023 projection" not in (
        explorer.chart.value
    )
    # the table holds every basis whichever is chosen; the chart follows the choice
    pd.testing.assert_frame_equal(
        explorer.scenario.table, runway.runway_table(facts, explorer.scenario.params)
    )


def test_a_refused_value_shows_its_message_and_raises_nothing(explorer):
    explorer.funding.value = 50.0
    explorer.date.value = None  # cleared in the date picker
    assert explorer.scenario is None
    assert "extra_funding_date: expected an ISO date" in explorer.message.value
    assert explorer.table.value == explorer.chart.value == ""
    explorer.date.value = date(2024, 1, 15)  # and it recovers
    assert explorer.scenario is not None and explorer.message.value == ""
    assert explorer.table.value and explorer.chart.value


def test_no_fact_yet_shows_a_message(facts):
    early = Params(as_of="2023-06-30")
    e = explore.Explorer(load_facts().as_of(early.as_of), early, ipywidgets)
    assert e.scenario is None and "2023-06-30" in e.message.value
    assert e.table.value == e.chart.value == ""


def test_scenario_params_are_checked_as_every_parameter():
    with pytest.raises(ParameterError, match="extra_funding_date"):
        explore.scenario_params(P, "feb2024", 0.0, 10.0, date(2023, 1, 1))  # before the cash
    with pytest.raises(ParameterError, match="revenue_growth"):
        explore.scenario_params(P, "feb2024", 5.0, 0.0, None)
    p = explore.scenario_params(P, "monthly_spend", -0.02, 12.5, date(2024, 2, 1))
    assert (p.burn_basis, p.revenue_growth, p.extra_funding_usd) == ("monthly_spend", -0.02, 12.5e6)
    assert (p.as_of, p.horizon_months) == (P.as_of, P.horizon_months)


def test_the_chart_is_drawn_in_memory_never_written(explorer, tmp_path, monkeypatch):
    monkeypatch.setenv("STABILITY_REPORT_FIGURES_DIR", str(tmp_path / "figures"))
    explorer.growth.value = 0.02
    assert _svg(explorer.chart.value).lstrip().startswith("<?xml")
    assert not (tmp_path / "figures").exists()


class _Kernel:
    def __init__(self, metadata):
        self.metadata = metadata

    def get_parent(self, channel=None):
        return {"header": {"msg_type": "execute_request"}, "metadata": self.metadata}


class _Shell:
    def __init__(self, metadata):
        self.kernel = _Kernel(metadata)


@pytest.mark.parametrize(
    "shell,expected",
    [
        (None, False),  # plain Python
        (_Shell({}), False),  # a kernel run by nbclient: papermill, the pipeline
        (_Shell({"cellId": "explore-runway", "recordTiming": False}), True),  # JupyterLab
    ],
)
def test_the_front_end_is_told_by_the_cell_id_of_the_request(shell, expected, monkeypatch):
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    assert explore.interactive_front_end() is expected


def _displayed(monkeypatch) -> list:
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: shown.append(a))
    return shown


def test_outside_a_front_end_it_shows_nothing(facts, monkeypatch, capsys):
    shown = _displayed(monkeypatch)
    assert explore.runway_explorer(facts, P) is None
    assert shown == [] and capsys.readouterr() == ("", "")


def test_without_ipywidgets_it_shows_nothing_and_raises_nothing(facts, monkeypatch, capsys):
    monkeypatch.setattr(explore, "interactive_front_end", lambda: True)
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import ipywidgets: ImportError
    shown = _displayed(monkeypatch)
    assert explore.runway_explorer(facts, P) is None
    assert shown == [] and capsys.readouterr() == ("", "")


def test_in_a_front_end_it_shows_the_widgets(facts, monkeypatch):
    """The twin of the two above: the same call shows the explorer when a front end runs it."""
    monkeypatch.setattr(explore, "interactive_front_end", lambda: True)
    shown = _displayed(monkeypatch)
    explore.runway_explorer(facts, P)
    ((widget,),) = shown
    assert isinstance(widget, ipywidgets.VBox)
    (grid,) = [w for w in widget.children if isinstance(w, ipywidgets.GridBox)]
    assert sum(isinstance(w, ipywidgets.FloatSlider) for w in grid.children) == 2
    # each control beside a label naming its parameter, in a grid of two columns; no control
    # carries a description of its own (a long one squeezes the control to nothing)
    labels = [w.value for w in grid.children[::2]]
    controls = grid.children[1::2]
    for name in ("burn_basis", "revenue_growth", "extra_funding_usd", "extra_funding_date"):
        assert any(name in label for label in labels), (name, labels)
    assert all(not c.description and c.layout.width == "100%" for c in controls)
    assert grid.layout.grid_template_columns.count("minmax(") == 2
