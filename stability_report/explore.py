"""The runway scenario explorer of notebook 02, for JupyterLab: widgets for the burn basis, the
revenue growth and an extra funding amount and date, each a parameter (an assumption, never a
fact). Every change recomputes the runway table and the cash chart from the fact base with the
analysis' own functions (analysis.runway), drawn by the report's own table and figure code.

The report never shows it: its cell in the notebook is tagged `notebook-only`, and where no
interactive front end runs the cell (papermill, the pipeline's kernel, plain Python) or
ipywidgets is not installed, `runway_explorer` displays nothing and raises nothing. It sits above
present and figures, and nothing in the package imports it: only the notebook calls it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, fields
from datetime import date
from types import ModuleType

import pandas as pd

from .analysis import burn, runway
from .analysis.cash import cash_position
from .errors import MissingFact, ParameterError
from .facts.base import Facts
from .figures import runway as charts
from .figures import style
from .formats import BOUND_PHRASES
from .params import Params, funding_window
from .present import money as prose
from .present.tables import runway_cells, table_html

MILLION = 1e6  # the funding widget counts in USD millions; the parameter is in USD
GROWTH_STEP = 0.005  # the revenue growth slider moves by half a percentage point
FUNDING_MAX = 500.0  # USD millions at the funding slider's right end (further if the parameter is)


def _range(name: str) -> tuple[float, float]:
    """The range a numeric parameter allows (params.py)."""
    meta = next(f.metadata for f in fields(Params) if f.name == name)
    return meta["lo"], meta["hi"]


@dataclass(frozen=True)
class Scenario:
    """What the explorer shows for one set of widget values: the parameters they make, the
    runway table (runway.runway_table), and the cash chart on the chosen basis (the report's
    runway figure and caption, its SVG in memory)."""

    params: Params
    table: pd.DataFrame
    chart: str

    @property
    def table_html(self) -> str:
        return table_html(
            runway_cells(self.table, self.params.horizon_months),
            "Runway from the last cash figure for each burn basis and scenario, with the "
            "explorer's parameters: months, and the month the cash runs out",
        )


def scenario_params(
    base: Params,
    burn_basis: str,
    revenue_growth: float,
    extra_funding_musd: float,
    extra_funding_date: date | None,
) -> Params:
    """The notebook's parameters with the explorer's four values, checked as every parameter is
    (ParameterError). The date counts only with an amount above 0."""
    funded = extra_funding_musd > 0
    values = base.as_dict() | {
        "burn_basis": burn_basis,
        "revenue_growth": revenue_growth,
        "extra_funding_usd": extra_funding_musd * MILLION,
        "extra_funding_date": extra_funding_date.isoformat()
        if funded and extra_funding_date
        else "",
    }
    return Params.from_mapping(values)


def compute(facts: Facts, params: Params) -> Scenario:
    """The runway table and the cash chart for `params`, as notebook 02 computes them."""
    table = runway.runway_table(facts, params)
    runs = runway.scenarios(facts, params)
    basis = burn.chosen_basis(facts, params).label
    bound = BOUND_PHRASES.get(cash_position(facts).bound)
    figure = charts.runway_figure(runs, f"on the {basis} basis", bound)
    return Scenario(params, table, style.in_memory(figure, prose.scenarios_caption(facts, params)))


class Explorer:
    """The widgets (`widget`, to display) and what they show. `update()` recomputes from the
    widgets' values; each change of a value calls it. A value the parameters refuse, or facts
    missing as of the analysis date, show their message in place of the table and chart."""

    def __init__(self, facts: Facts, params: Params, widgets: ModuleType):
        self.facts, self.base = facts, params
        self.scenario: Scenario | None = None
        # each control fills its cell of the grid below; its label is a cell of its own
        full = {"layout": widgets.Layout(width="100%", min_width="14em")}
        available = burn.bases(facts, params)
        self.basis = widgets.Dropdown(
            options=[(b.label, key) for key, b in available.items()],
            value=params.burn_basis if params.burn_basis in available else None,
            **full,
        )
        lo, hi = _range("revenue_growth")
        self.growth = widgets.FloatSlider(
            value=params.revenue_growth,
            min=lo,
            max=hi,
            step=GROWTH_STEP,
            readout_format=".1%",
            continuous_update=False,
            **full,
        )
        self.funding = widgets.FloatSlider(
            value=params.extra_funding_usd / MILLION,
            min=0.0,
            max=max(FUNDING_MAX, params.extra_funding_usd / MILLION),
            step=5.0,
            readout_format=",.0f",
            continuous_update=False,
            **full,
        )
        first, last = funding_window(params.horizon_months)
        self.date = widgets.DatePicker(
            value=params.extra_funding_on or first,
            min=first,
            max=last,
            **full,
        )
        self.message = widgets.HTML()
        self.table = widgets.HTML()
        self.chart = widgets.HTML()
        note = widgets.HTML(
            "<p><b>Explore the runway.</b> The values below are parameters, assumptions of "
            "yours, not facts; the cash, costs and revenue come from the fact base as of "
            f"{html.escape(params.as_of)}. The report shows the notebook's parameters, not "
            "these.</p>"
        )
        for control in (self.basis, self.growth, self.funding, self.date):
            control.observe(lambda _change: self.update(), names="value")
        self.widget = widgets.VBox(
            [
                note,
                controls_grid(
                    widgets,
                    [
                        ("burn basis", "burn_basis", self.basis),
                        ("revenue growth a month", "revenue_growth", self.growth),
                        ("extra funding, USD million", "extra_funding_usd", self.funding),
                        ("arriving on", "extra_funding_date", self.date),
                    ],
                ),
                self.message,
                self.table,
                self.chart,
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.update()

    def update(self) -> Scenario | None:
        """Recompute the table and chart from the widgets' values; the scenario shown, or None
        (with the reason in `message`)."""
        try:
            if self.basis.value is None:
                raise MissingFact(f"no burn basis is available as of {self.base.as_of}")
            params = scenario_params(
                self.base, self.basis.value, self.growth.value, self.funding.value, self.date.value
            )
            scenario = compute(self.facts, params)
        except (ParameterError, MissingFact) as e:
            self.scenario = None
            self.message.value = f'<p class="explore-message">{html.escape(str(e))}</p>'
            self.table.value = self.chart.value = ""
            return None
        self.scenario = scenario
        self.message.value = ""
        self.table.value = scenario.table_html
        self.chart.value = scenario.chart
        return scenario


def controls_grid(widgets: ModuleType, rows: list[tuple[str, str, object]]):
    """The controls laid out for JupyterLab at its default width: a grid of two columns, each
    label whole in its own cell (wrapping if it must, never cut) beside its control, which takes
    the rest of the row, so sliders keep a usable track and the dropdown shows its choice whole;
    the labels name the parameter each control sets."""
    cells = []
    for text, name, control in rows:
        cells.append(
            widgets.HTML(
                f'<span class="explore-label">{html.escape(text)} '
                f"<small>(parameter <code>{html.escape(name)}</code>)</small></span>",
                layout=widgets.Layout(width="auto", align_self="center"),
            )
        )
        cells.append(control)
    return widgets.GridBox(
        cells,
        layout=widgets.Layout(
            grid_template_columns="minmax(10em, 19em) minmax(14em, 34em)",
            grid_gap="0.35em 1em",
            width="100%",
            align_items="center",
        ),
    )


def interactive_front_end() -> bool:
    """Whether the running cell was sent by an interactive front end: an IPython kernel whose
    current request carries the cell id that JupyterLab and Jupyter Notebook send with each cell
    they run. nbclient, which papermill and the pipeline run notebooks with, sends none."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    kernel = getattr(get_ipython(), "kernel", None)
    if kernel is None:
        return False
    try:
        request = kernel.get_parent("shell") or {}
    except Exception:  # noqa: BLE001 - a kernel of another make: no front end known
        return False
    return bool(request.get("metadata", {}).get("cellId"))


def runway_explorer(facts: Facts, params: Params) -> None:
    """Display the explorer in JupyterLab; anywhere else (no interactive front end, or no
    ipywidgets) display nothing."""
    if not interactive_front_end():
        return
    try:
        import ipywidgets
    except ImportError:
        return
    from IPython.display import display

    display(Explorer(facts, params, ipywidgets).widget)
