"""The content of results.json (schema in stability_report.resultsfile and
docs/results.md), computed where the facts are loaded (the kernel): the parameters, the key
numbers (present.keynumbers: value, unit, the text the report prints, the ids of the facts
behind each), the counts
of the facts the run used, every source and fact of the fact base (id, table, source, quote, a
hash of its row) and the hash of the fact base. Everything in it is derived from the inputs: the
same inputs give the same bytes (sorted keys, no clock).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..resultsfile import SCHEMA, SCHEMA_VERSION, dumps, id_order

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
    from .keynumbers import json_value, key_numbers

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
            "published_start": json_value(r["published_start"]),
            "published_end": json_value(r["published_end"]),
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
