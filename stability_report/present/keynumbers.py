"""The report's key numbers as data (results.json's `key_numbers`): the cash figure, the runway
range of the bottom line and on the chosen basis for each scenario, the departures, the
valuation and the further key numbers of the summary; each with its label, value, unit, the
text the report prints, its status and the ids of the facts behind it. Computed in the kernel
(present.results).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ..analysis import attrition, cash, fundraising, overview, runway
from ..analysis.cited import MAX_INLINE_IDS, Cited, cite
from ..analysis.overview import said
from ..facts.strength import strength
from ..formats import bound_words
from ..resultsfile import id_order
from .markdown import value_text

# The unit of a key number, from the format its Cited value is printed in.
UNITS = {
    "money": "USD",
    "money_short": "USD",
    "money_floor": "USD",
    "pct": "fraction",
    "pct1": "fraction",
    "months": "months",
    "date": "date",
    "month": "date",
    "int": "count",
    "number": "number",
    "times": "ratio",
    "text": "text",
}


def json_value(v: Any) -> Any:
    """A value as JSON writes it the same way every time: numbers as float or int, dates as ISO
    text, anything else as text; None and NaN as null."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, int) or (hasattr(v, "dtype") and getattr(v.dtype, "kind", "") in "iu"):
        return int(v)
    if isinstance(v, float) or (hasattr(v, "dtype") and getattr(v.dtype, "kind", "") == "f"):
        return float(v)
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    return str(v)


# One key number before it is an entry: key, label, value, status, and the text the report
# prints when it is not the value's own.
Number = tuple[str, str, Cited, str, str | None]


def _entry(label: str, c: Cited, status: str, text: str | None) -> dict[str, Any]:
    if len(c.ids) > MAX_INLINE_IDS and not c.ref:  # a runway resting on many facts
        c = c.via(runway.RUNWAY_TABLE)
    value = json_value(c.value)
    out = {
        "label": label,
        "value": value,
        "unit": UNITS.get(c.fmt, "text"),
        "text": text if text is not None else value_text(c),
        "status": status,
        "fact_ids": sorted(set(c.ids), key=id_order),
    }
    if c.ref:  # the report's table listing the facts of a value resting on many
        out["table"] = c.ref
    return out


def _cash(facts) -> list[Number]:
    pos = said(lambda: cash.cash_position(facts))
    if pos is None:
        return []
    text = bound_words(pos.bound) + value_text(pos.cash)
    return [("cash", f"Cash, {pos.month:%B %Y}", pos.cash, "reported", text)]


def _runway_range(facts, params) -> list[Number]:
    """The shortest and longest runway across the sources' bases, with no new money and with
    the funding reported after the cash figure."""
    h = said(lambda: runway.headline(facts, params))
    if h is None:
        return []
    spans = [("no_new_money", "with no new money", h.none)]
    if h.funded is not None:
        spans.append(("with_funding", "with the funding reported after the cash figure", h.funded))
    out = []
    for key, words, (lo, hi) in spans:
        for end, run in (("shortest", lo), ("longest", hi)):
            text = None if run.months is not None else f"more than {h.horizon} months"
            label = f"Runway, {end} of the sources' bases, {words}"
            c = cite(run.months, run.ids, fmt="months")
            out.append((f"runway_{end}_{key}", label, c, "derived", text))
    return out


def _scenarios(facts, params) -> list[Number]:
    out = []
    for run in said(lambda: runway.scenarios(facts, params)) or ():
        text = None if run.months is not None else f"more than {params.horizon_months} months"
        label = f"Runway on the chosen basis ({run.basis}): {run.label}"
        c = cite(run.months, run.ids, fmt="months")
        out.append(("scenario_" + _scenario_key(run.label), label, c, "derived", text))
    return out


def _valuation(facts) -> list[Number]:
    fr = said(lambda: fundraising.fundraising(facts))
    if fr is None or fr.valuation is None:  # stated by the headline, not the table
        return []
    status = (
        strength(facts.money.set_index("fact_id").loc[fr.valuation.ids[0]]).status
        if len(fr.valuation.ids) == 1
        else "derived"
    )
    return [
        (
            "valuation_after_the_2022_round",
            "Valuation after the 2022 round",
            fr.valuation,
            status,
            None,
        )
    ]


def key_numbers(facts, params, deps=None) -> dict[str, dict[str, Any]]:
    """The report's key numbers as data. A number whose facts are not available as of the
    analysis date is left out, as the report leaves it out."""
    if deps is None:
        deps = attrition.departures(facts, params.as_of)
    departures = (
        "departures",
        "Executives and researchers named as having left",
        attrition.departure_count(deps),
        "reported",
        None,
    )
    table = overview.key_numbers(facts, params)
    summary = zip(table["key"], table["measure"], table["value"], table["status"])
    numbers = [
        *_cash(facts),
        *_runway_range(facts, params),
        *_scenarios(facts, params),
        departures,
        *_valuation(facts),
        *((key, measure, value, status, None) for key, measure, value, status in summary),
    ]
    out = {key: _entry(label, c, status, text) for key, label, c, status, text in numbers}
    return dict(sorted(out.items()))


def _scenario_key(label: str) -> str:
    """The kind of a runway scenario (analysis.runway.scenarios), whatever funding its label
    names."""
    if label == "No new money":
        return "no_new_money"
    if label.endswith("(parameter)"):
        return "extra_funding"
    if label.endswith("rrears paid"):
        return "with_funding_arrears_paid" if label.startswith("+") else "arrears_paid"
    return "with_funding"
