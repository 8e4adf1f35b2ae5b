"""results.json, the results of a run as data: its schema (SCHEMA_VERSION, documented in
docs/results.md), reading and checking it, writing it byte for byte the same for the same
content, and `diff`, what changed from one run's results to another's (what the `compare`
command prints and the report's "What changed" section shows).

The file's format, shared by everyone who writes or reads the file, so it stands at the top of
the package, beside params: the report computes the content in the kernel (present.results) and
compares with the previous run (present.changes); the run has the kernel write it and keeps the
previous run's copy (pipeline.results, whose environment variables are in config); the tools
read and compare runs (tools.compare, tools.sweep). A leaf, standard library only (it imports
bounded and errors): the command line and the render process read and compare results without
pandas.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from . import bounded
from .errors import ResultsError

SCHEMA = "stability-report/results"
SCHEMA_VERSION = 1
NAME = "results.json"
MAX_RESULTS_BYTES = 1 << 28  # results.json of a fact base far larger than the current one
# the results.json of the published run a run compares itself with (kept in its run folder)
PREVIOUS_NAME = "previous-results.json"
_TOP_KEYS = (
    "schema",
    "schema_version",
    "as_of",
    "params",
    "facts_hash",
    "key_numbers",
    "counts",
    "sources",
    "facts",
    "conflicts",
    "run",
)


def id_order(fid: str) -> tuple[str, int]:
    """Ids sort by prefix, then by number (M999 before M1000)."""
    m = re.match(r"^([A-Z]+)(\d+)$", fid)
    return (m.group(1), int(m.group(2))) if m else (fid, -1)


def dumps(results: dict[str, Any]) -> str:
    """results.json's text: keys sorted, two-space indent, UTF-8 as is, one final newline."""
    return json.dumps(results, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def loads(text: str, where: str = NAME) -> dict[str, Any]:
    """Parse and check results.json; ResultsError names the file and what is wrong."""
    try:
        data = bounded.loads(text)
    except bounded.TooLarge as e:
        raise ResultsError(f"{where}: {e}") from None
    except (ValueError, RecursionError) as e:
        raise ResultsError(f"{where}: not JSON ({e})") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ResultsError(f'{where}: not a results file (expected "schema": "{SCHEMA}")')
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ResultsError(
            f"{where}: schema_version {version!r}; this program reads version {SCHEMA_VERSION}"
        )
    missing = [k for k in _TOP_KEYS if k not in data]
    if missing:
        raise ResultsError(f"{where}: missing {', '.join(missing)}")
    for key in ("params", "key_numbers", "counts", "sources", "facts", "conflicts", "run"):
        if not isinstance(data[key], dict):
            raise ResultsError(f'{where}: "{key}" is not an object')
    for k, n in data["key_numbers"].items():
        if not isinstance(n, dict) or not {"label", "value", "unit", "text", "fact_ids"} <= set(n):
            raise ResultsError(
                f"{where}: key number {k!r} lacks label, value, unit, text or fact_ids"
            )
    for fid, f in data["facts"].items():
        if not isinstance(f, dict) or not {"table", "source_id", "quote", "row_hash"} <= set(f):
            raise ResultsError(f"{where}: fact {fid!r} lacks table, source_id, quote or row_hash")
    return data


def read(path: Path) -> dict[str, Any]:
    """results.json from a file (ResultsError if it is missing or not this schema)."""
    try:
        text = bounded.read_bytes(path, MAX_RESULTS_BYTES).decode("utf-8")
    except bounded.TooLarge as e:
        raise ResultsError(f"{path}: {e}") from None
    except FileNotFoundError:
        raise ResultsError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ResultsError(f"{path}: cannot be read ({e})") from None
    return loads(text, str(path))


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What changed from the run `old` to the run `new` (two results.json objects).

    `facts_differ` is true when a source, a fact or a conflict was added, removed or changed;
    every list is sorted by id (key numbers by key)."""

    def added_removed_changed(a: dict, b: dict, show) -> tuple[list, list, list]:
        added = [show(k, None, b[k]) for k in sorted(set(b) - set(a), key=id_order)]
        removed = [show(k, a[k], None) for k in sorted(set(a) - set(b), key=id_order)]
        changed = [
            show(k, a[k], b[k])
            for k in sorted(set(a) & set(b), key=id_order)
            if a[k].get("row_hash") != b[k].get("row_hash")
        ]
        return added, removed, changed

    def fact(k, a, b):
        out = {"id": k, "table": (b or a)["table"], "source_id": (b or a)["source_id"]}
        if a is not None and b is not None:
            out["quote_before"], out["quote"] = a["quote"], b["quote"]
            if "fields" in a and "fields" in b:
                fa, fb = a["fields"], b["fields"]
                out["fields_changed"] = {
                    k: [fa.get(k, ""), fb.get(k, "")]
                    for k in sorted(set(fa) | set(fb))
                    if fa.get(k, "") != fb.get(k, "")
                }
        else:
            out["quote"] = (b or a)["quote"]
        return out

    def source(k, a, b):
        s = b or a
        return {
            "id": k,
            "headline": s.get("headline", ""),
            "published_start": s.get("published_start"),
            "published_end": s.get("published_end"),
            **({"outlet": s["outlet"]} if s.get("outlet") else {}),
        }

    def conflict(k, a, b):
        c = b or a
        return {"id": k, "topic": c.get("topic", ""), "facts": c.get("facts", [])}

    fa, fr, fc = added_removed_changed(old["facts"], new["facts"], fact)
    corroborated, uncorroborated = [], []
    for k in sorted(set(old["facts"]) & set(new["facts"]), key=id_order):
        a = {r["source_id"]: r for r in old["facts"][k].get("references", [])}
        b = {r["source_id"]: r for r in new["facts"][k].get("references", [])}
        for out, gained in ((corroborated, set(b) - set(a)), (uncorroborated, set(a) - set(b))):
            if gained:
                refs = b if out is corroborated else a
                out.append(
                    {
                        "id": k,
                        "table": new["facts"][k]["table"],
                        "references": [refs[s] for s in sorted(gained, key=id_order)],
                    }
                )
    sa, sr, sc = added_removed_changed(old["sources"], new["sources"], source)
    ca, cr, cc = added_removed_changed(old["conflicts"], new["conflicts"], conflict)
    params = {
        k: [old["params"].get(k), new["params"].get(k)]
        for k in sorted(set(old["params"]) | set(new["params"]))
        if old["params"].get(k) != new["params"].get(k)
    }
    kn_old, kn_new = old["key_numbers"], new["key_numbers"]
    moved = []
    for k in sorted(set(kn_old) | set(kn_new)):
        a, b = kn_old.get(k), kn_new.get(k)
        if a is not None and b is not None and a["text"] == b["text"]:
            continue  # the same as the report prints it (a value moved within its rounding)
        n = b or a
        after = None
        if b is not None:
            after = {"value": b["value"], "text": b["text"], "fact_ids": b["fact_ids"]}
            if b.get("table"):
                after["table"] = b["table"]
        moved.append(
            {
                "key": k,
                "label": n["label"],
                "unit": n["unit"],
                "before": None if a is None else {"value": a["value"], "text": a["text"]},
                "after": after,
            }
        )
    counts = {}
    for k in sorted(set(old["counts"]) | set(new["counts"])):
        a, b = old["counts"].get(k), new["counts"].get(k)
        if a != b:
            counts[k] = [a, b]
    return {
        "before": {
            "as_of": old["as_of"],
            "run_id": old["run"].get("run_id"),
            "facts_hash": old["facts_hash"],
        },
        "after": {
            "as_of": new["as_of"],
            "run_id": new["run"].get("run_id"),
            "facts_hash": new["facts_hash"],
        },
        "facts_differ": bool(
            fa or fr or fc or sa or sr or sc or ca or cr or cc or corroborated or uncorroborated
        ),
        "params": params,
        "sources": {"added": sa, "removed": sr, "changed": sc},
        "facts": {
            "added": fa,
            "removed": fr,
            "changed": fc,
            "corroborated": corroborated,
            "references_removed": uncorroborated,
        },
        "conflicts": {"added": ca, "removed": cr, "changed": cc},
        "key_numbers": moved,
        "counts": counts,
    }
