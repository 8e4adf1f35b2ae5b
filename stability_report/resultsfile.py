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
    _check_parts(data, where)
    return data


def _check_parts(data: dict[str, Any], where: str) -> None:
    """Every top-level key, the objects among them, and what each key number and fact holds."""
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
    fa, fr, fc = _added_removed_changed(old["facts"], new["facts"], _fact)
    corroborated, uncorroborated = _references(old["facts"], new["facts"])
    sa, sr, sc = _added_removed_changed(old["sources"], new["sources"], _source)
    ca, cr, cc = _added_removed_changed(old["conflicts"], new["conflicts"], _conflict)
    return {
        "before": _identity(old),
        "after": _identity(new),
        "facts_differ": bool(
            fa or fr or fc or sa or sr or sc or ca or cr or cc or corroborated or uncorroborated
        ),
        "params": _differing(old["params"], new["params"]),
        "sources": {"added": sa, "removed": sr, "changed": sc},
        "facts": {
            "added": fa,
            "removed": fr,
            "changed": fc,
            "corroborated": corroborated,
            "references_removed": uncorroborated,
        },
        "conflicts": {"added": ca, "removed": cr, "changed": cc},
        "key_numbers": _moved(old["key_numbers"], new["key_numbers"]),
        "counts": _differing(old["counts"], new["counts"]),
    }


def _identity(results: dict[str, Any]) -> dict[str, Any]:
    return {
        "as_of": results["as_of"],
        "run_id": results["run"].get("run_id"),
        "facts_hash": results["facts_hash"],
    }


def _added_removed_changed(a: dict, b: dict, show) -> tuple[list, list, list]:
    """The entries (by id) only `b` has, only `a` has, and those whose row changed, each as
    `show(id, before, after)` puts it."""
    added = [show(k, None, b[k]) for k in sorted(set(b) - set(a), key=id_order)]
    removed = [show(k, a[k], None) for k in sorted(set(a) - set(b), key=id_order)]
    changed = [
        show(k, a[k], b[k])
        for k in sorted(set(a) & set(b), key=id_order)
        if a[k].get("row_hash") != b[k].get("row_hash")
    ]
    return added, removed, changed


def _fact(k: str, a: dict | None, b: dict | None) -> dict[str, Any]:
    out = {"id": k, "table": (b or a)["table"], "source_id": (b or a)["source_id"]}
    if a is None or b is None:
        out["quote"] = (b or a)["quote"]
        return out
    out["quote_before"], out["quote"] = a["quote"], b["quote"]
    if "fields" in a and "fields" in b:
        fa, fb = a["fields"], b["fields"]
        out["fields_changed"] = {
            f: [fa.get(f, ""), fb.get(f, "")]
            for f in sorted(set(fa) | set(fb))
            if fa.get(f, "") != fb.get(f, "")
        }
    return out


def _source(k: str, a: dict | None, b: dict | None) -> dict[str, Any]:
    s = b or a
    return {
        "id": k,
        "headline": s.get("headline", ""),
        "published_start": s.get("published_start"),
        "published_end": s.get("published_end"),
        **({"outlet": s["outlet"]} if s.get("outlet") else {}),
    }


def _conflict(k: str, a: dict | None, b: dict | None) -> dict[str, Any]:
    c = b or a
    return {"id": k, "topic": c.get("topic", ""), "facts": c.get("facts", [])}


def _references(old: dict, new: dict) -> tuple[list, list]:
    """The facts of both runs that gained a further source (corroborated), and those that lost
    one, each with the references gained or lost."""
    corroborated, uncorroborated = [], []
    for k in sorted(set(old) & set(new), key=id_order):
        a = {r["source_id"]: r for r in old[k].get("references", [])}
        b = {r["source_id"]: r for r in new[k].get("references", [])}
        for out, refs, gained in (
            (corroborated, b, set(b) - set(a)),
            (uncorroborated, a, set(a) - set(b)),
        ):
            if gained:
                out.append(
                    {
                        "id": k,
                        "table": new[k]["table"],
                        "references": [refs[s] for s in sorted(gained, key=id_order)],
                    }
                )
    return corroborated, uncorroborated


def _differing(old: dict, new: dict) -> dict[str, list]:
    """Each key whose value differs: [before, after] (None where a side lacks it)."""
    return {
        k: [old.get(k), new.get(k)] for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)
    }


def _moved(old: dict, new: dict) -> list[dict[str, Any]]:
    """The key numbers the report prints differently (a value moved within its rounding is
    not listed)."""
    moved = []
    for k in sorted(set(old) | set(new)):
        a, b = old.get(k), new.get(k)
        if a is not None and b is not None and a["text"] == b["text"]:
            continue
        n = b or a
        moved.append(
            {
                "key": k,
                "label": n["label"],
                "unit": n["unit"],
                "before": None if a is None else {"value": a["value"], "text": a["text"]},
                "after": _after(b),
            }
        )
    return moved


def _after(b: dict | None) -> dict[str, Any] | None:
    if b is None:
        return None
    after = {"value": b["value"], "text": b["text"], "fact_ids": b["fact_ids"]}
    if b.get("table"):
        after["table"] = b["table"]
    return after
