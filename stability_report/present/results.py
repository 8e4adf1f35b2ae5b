"""The content of results.json (schema in stability_report.resultsfile and
docs/results.md), computed where the facts are loaded (the kernel): the parameters, the key
numbers (value, unit, the text the report prints, the ids of the facts behind each), the counts
of the facts the run used, every source and fact of the fact base (id, table, source, quote, a
hash of its row) and the hash of the fact base. Everything in it is derived from the inputs: the
same inputs give the same bytes (sorted keys, no clock).
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any

from ..resultsfile import SCHEMA, SCHEMA_VERSION, dumps, id_order

# The unit of a key number, from the format its Cited value is printed in.
UNITS = {
    "money": "USD",
    "money_short": "USD",
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
# What a fact says besides its quote, kept so that a comparison can say what changed in it (the
# inference notes and the reasons are left out: they are long, and the row's hash covers them).
FACT_FIELDS = (
    "person_id",
    "name_as_written",
    "role_as_written",
    "function",
    "seniority",
    "metric",
    "category",
    "event",
    "actor",
    "counterparty",
    "instrument",
    "value",
    "unit",
    "bound",
    "date_start",
    "date_end",
    "date_precision",
    "status",
    "original_reporter",
    "attributed_to",
)


def _json_value(v: Any) -> Any:
    """A value as JSON writes it the same way every time: numbers as float or int, dates as ISO
    text, anything else as text; None and NaN as null."""
    import pandas as pd

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


def _cell(v: Any) -> str:
    """A table cell as text, for the hash of a row."""
    import pandas as pd

    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat() if v == v.normalize() else v.isoformat()
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def row_hash(row: dict[str, Any]) -> str:
    """A short hash of one row (column -> value): two rows hash alike when every cell is alike.
    Empty cells are left out, so a column added to a table (empty in the rows it predates)
    changes no row's hash."""
    cells = {k: c for k, c in ((k, _cell(v)) for k, v in row.items()) if c != ""}
    text = json.dumps(cells, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def key_numbers(facts, params, deps=None) -> dict[str, dict[str, Any]]:
    """The report's key numbers as data: the cash figure, the runway range of the bottom line and
    on the chosen basis for each scenario, the departures, and the further key numbers of the
    summary; each with its label, value, unit, the text the report prints, its status and the ids
    of the facts behind it. A number whose facts are not available as of the analysis date is
    left out, as the report leaves it out."""
    from ..analysis import attrition, cash, fundraising, overview, runway
    from ..analysis.cited import MAX_INLINE_IDS, Cited, cite
    from ..errors import MissingFact
    from ..facts.strength import strength
    from ..formats import bound_words
    from .markdown import value_text

    out: dict[str, dict[str, Any]] = {}

    def add(key: str, label: str, c: Cited, status: str, text: str | None = None) -> None:
        if len(c.ids) > MAX_INLINE_IDS and not c.ref:  # a runway resting on many facts
            c = c.via(runway.RUNWAY_TABLE)
        value = _json_value(c.value)
        out[key] = {
            "label": label,
            "value": value,
            "unit": UNITS.get(c.fmt, "text"),
            "text": text if text is not None else value_text(c),
            "status": status,
            "fact_ids": sorted(set(c.ids), key=id_order),
        }
        if c.ref:  # the report's table listing the facts of a value resting on many
            out[key]["table"] = c.ref

    def said(fn):
        try:
            return fn()
        except MissingFact:
            return None

    pos = said(lambda: cash.cash_position(facts))
    if pos is not None:
        add(
            "cash",
            f"Cash, {pos.month:%B %Y}",
            pos.cash,
            "reported",
            bound_words(pos.bound) + value_text(pos.cash),
        )
    h = said(lambda: runway.headline(facts, params))
    if h is not None:
        spans = [("no_new_money", "with no new money", h.none)]
        if h.funded is not None:
            spans.append(
                ("with_funding", "with the funding reported after the cash figure", h.funded)
            )
        for key, words, (lo, hi) in spans:
            for end, run in (("shortest", lo), ("longest", hi)):
                c = cite(run.months, run.ids, fmt="months")
                text = None if run.months is not None else f"more than {h.horizon} months"
                add(
                    f"runway_{end}_{key}",
                    f"Runway, {end} of the sources' bases, {words}",
                    c,
                    "derived",
                    text,
                )
    runs = said(lambda: runway.scenarios(facts, params))
    for run in runs or ():
        text = None if run.months is not None else f"more than {params.horizon_months} months"
        add(
            "scenario_" + _scenario_key(run.label),
            f"Runway on the chosen basis ({run.basis}): {run.label}",
            cite(run.months, run.ids, fmt="months"),
            "derived",
            text,
        )
    if deps is None:
        deps = attrition.departures(facts, params.as_of)
    add(
        "departures",
        "Executives and researchers named as having left",
        attrition.departure_count(deps),
        "reported",
    )
    fr = said(lambda: fundraising.fundraising(facts))
    if fr is not None and fr.valuation is not None:  # stated by the headline, not the table
        add(
            "valuation_after_the_2022_round",
            "Valuation after the 2022 round",
            fr.valuation,
            strength(facts.money.set_index("fact_id").loc[fr.valuation.ids[0]]).status
            if len(fr.valuation.ids) == 1
            else "derived",
        )
    table = overview.key_numbers(facts, params)
    for key, measure, value, status in zip(
        table["key"], table["measure"], table["value"], table["status"]
    ):
        add(key, measure, value, status)
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


def counts(facts, deps) -> dict[str, Any]:
    """How many facts the run used, per table and per source; departures (`deps`, from
    analysis.attrition.departures), conflicts, people."""
    from ..facts.schema import FACT_TABLES

    by_table = {t: int(len(facts.tables[t])) for t in FACT_TABLES}
    by_source: dict[str, int] = {}
    for t in FACT_TABLES:
        for sid, n in facts.tables[t]["source_id"].value_counts().items():
            by_source[str(sid)] = by_source.get(str(sid), 0) + int(n)
    refs = facts.tables.get("references")
    for sid, n in refs["source_id"].value_counts().items() if refs is not None else ():
        by_source[str(sid)] = by_source.get(str(sid), 0) + int(n)
    return {
        "facts": sum(by_table.values()),
        "references": int(len(refs)) if refs is not None else 0,
        "facts_by_table": by_table,
        "facts_by_source": dict(sorted(by_source.items())),
        "sources": int(len(facts.sources)),
        "departures": int(len(deps)),
        "conflicts": int(len(facts.conflicts)),
        "persons": int(len(facts.persons)),
    }


_computed: dict[tuple, str] = {}


def compute(all_facts, params, run: dict[str, str] | None = None) -> dict[str, Any]:
    """results.json's content for the fact base `all_facts` (as loaded, not yet filtered) and
    the parameters `params` (a Params); `run` is the run's id and inputs hash, kept apart."""
    from ..analysis import attrition
    from ..facts.schema import FACT_TABLES

    key = (all_facts.digest, json.dumps(params.as_dict(), sort_keys=True))
    if key in _computed:
        return {**json.loads(_computed[key]), "run": dict(run or {})}
    facts = all_facts.as_of(params.as_of)
    deps = attrition.departures(facts, params.as_of)
    kn = key_numbers(facts, params, deps)
    c = counts(facts, deps)
    sources = {}
    for r in all_facts.sources.to_dict("records"):
        sources[r["source_id"]] = {
            "headline": str(r["headline"]),
            "published_start": _json_value(r["published_start"]),
            "published_end": _json_value(r["published_end"]),
            "row_hash": row_hash(dict(r.items())),
        }
        if _cell(r.get("outlet")):
            sources[r["source_id"]]["outlet"] = _cell(r["outlet"])
    fact_map = {}
    for t in FACT_TABLES:
        for r in all_facts.tables[t].to_dict("records"):
            fact_map[r["fact_id"]] = {
                "table": t,
                "source_id": str(r["source_id"]),
                "quote": str(r["quote"]),
                "row_hash": row_hash(r),
                "fields": {k: _cell(r[k]) for k in FACT_FIELDS if k in r and _cell(r[k])},
            }
    further = all_facts.tables.get("references")
    for r in further.to_dict("records") if further is not None else ():
        ref = {"source_id": str(r["source_id"]), "quote": str(r["quote"])}
        ref.update({k: _cell(r[k]) for k in ("original_reporter", "attributed_to") if _cell(r[k])})
        fact_map[r["fact_id"]].setdefault("references", []).append(ref)
    conflicts = {}
    for r in all_facts.conflicts.to_dict("records"):
        conflicts[r["conflict_id"]] = {
            "topic": str(r["topic"]),
            "facts": [str(r["fact_id_a"]), str(r["fact_id_b"])],
            "row_hash": row_hash(r),
        }

    def by_id(d: dict) -> dict:
        return dict(sorted(d.items(), key=lambda kv: id_order(kv[0])))

    out = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "as_of": str(params.as_of),
        "params": params.as_dict(),
        "facts_hash": all_facts.digest,
        "key_numbers": kn,
        "counts": c,
        "sources": by_id(sources),
        "facts": by_id(fact_map),
        "conflicts": by_id(conflicts),
    }
    _computed.clear()  # one entry: the notebook's section and the pipeline's file share it
    _computed[key] = json.dumps(out)
    return {**out, "run": dict(run or {})}


def write(path: str | Path, params: dict[str, Any], run: dict[str, str]) -> None:
    """Write results.json to `path` for these parameters (a Params mapping) and this run (its id
    and inputs hash), from the fact base as the kernel loads it."""
    from ..facts.load import load_facts
    from ..params import Params

    content = compute(load_facts(), Params.from_mapping(params), run)
    Path(path).write_text(dumps(content), encoding="utf-8")
