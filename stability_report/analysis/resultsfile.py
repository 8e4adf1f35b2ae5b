"""results.json, the results of a run as data: its schema (SCHEMA_VERSION, documented in
docs/results.md), reading and checking it, writing it byte for byte the same for the same
content, and `diff`, what changed from one run's results to another's (what the `compare`
command prints and the report's "What changed" section shows).

Standard library only: the command line and the render process read and compare results without
pandas; the content is computed in the kernel (stability_report.present.results).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .. import bounded

SCHEMA = "stability-report/results"
SCHEMA_VERSION = 1
NAME = "results.json"
MAX_RESULTS_BYTES = 1 << 28  # results.json of a fact base far larger than the current one
# the results.json of the published run a run compares itself with (kept in its run folder)
PREVIOUS_NAME = "previous-results.json"
ENV_PREVIOUS = "STABILITY_REPORT_PREVIOUS_RESULTS"  # its path, for the kernel
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


class ResultsError(ValueError):
    """A results.json that cannot be read as this schema; the message names the file and why."""


def id_order(fid: str) -> tuple[str, int]:
    """Ids sort by prefix, then by number (M999 before M1000)."""
    m = re.match(r"^([A-Z]+)(\d+)$", fid)
    return (m.group(1), int(m.group(2))) if m else (fid, -1)


def dumps(results: dict[str, Any]) -> str:
    """results.json's text: keys sorted, two-space indent, UTF-8 as is, one final newline."""
    return json.dumps(results, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def _parse(text: str, where: str) -> dict[str, Any]:
    """The JSON object of a results file of this schema and version."""
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
    return data


def loads(text: str, where: str = NAME) -> dict[str, Any]:
    """Parse and check results.json; ResultsError names the file and what is wrong."""
    data = _parse(text, where)
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


def _added_removed_changed(a: dict, b: dict, show) -> tuple[list, list, list]:
    """The entries only in b, only in a, and in both with another row hash, each shown by
    show(id, entry in a or None, entry in b or None), sorted by id."""
    added = [show(k, None, b[k]) for k in sorted(set(b) - set(a), key=id_order)]
    removed = [show(k, a[k], None) for k in sorted(set(a) - set(b), key=id_order)]
    changed = [
        show(k, a[k], b[k])
        for k in sorted(set(a) & set(b), key=id_order)
        if a[k].get("row_hash") != b[k].get("row_hash")
    ]
    return added, removed, changed


def _fact(k: str, a: dict | None, b: dict | None) -> dict[str, Any]:
    """A fact added, removed or changed (then: its quote before, and the fields that changed)."""
    out = {"id": k, "table": (b or a)["table"], "source_id": (b or a)["source_id"]}
    if a is None or b is None:
        out["quote"] = (b or a)["quote"]
        return out
    out["quote_before"], out["quote"] = a["quote"], b["quote"]
    if "fields" in a and "fields" in b:
        out["fields_changed"] = _differing(a["fields"], b["fields"], missing="")
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


def _differing(a: dict, b: dict, missing: Any = None) -> dict[str, list]:
    """key -> [value in a, value in b] for every key whose values differ, sorted by key."""
    return {
        k: [a.get(k, missing), b.get(k, missing)]
        for k in sorted(set(a) | set(b))
        if a.get(k, missing) != b.get(k, missing)
    }


def _references(old: dict, new: dict) -> tuple[list, list]:
    """The facts of both runs that gained a further source (corroborated) and those that lost
    one, with those references."""
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


def _moved(kn_old: dict, kn_new: dict) -> list[dict[str, Any]]:
    """The key numbers the report prints otherwise (or only in one of the runs)."""
    moved = []
    for k in sorted(set(kn_old) | set(kn_new)):
        a, b = kn_old.get(k), kn_new.get(k)
        if a is not None and b is not None and a["text"] == b["text"]:
            continue  # the same as the report prints it (a value moved within its rounding)
        after = None
        if b is not None:
            after = {"value": b["value"], "text": b["text"], "fact_ids": b["fact_ids"]}
            if b.get("table"):
                after["table"] = b["table"]
        moved.append(
            {
                "key": k,
                "label": (b or a)["label"],
                "unit": (b or a)["unit"],
                "before": None if a is None else {"value": a["value"], "text": a["text"]},
                "after": after,
            }
        )
    return moved


def _run(r: dict[str, Any]) -> dict[str, Any]:
    return {"as_of": r["as_of"], "run_id": r["run"].get("run_id"), "facts_hash": r["facts_hash"]}


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What changed from the run `old` to the run `new` (two results.json objects).

    `facts_differ` is true when a source, a fact or a conflict was added, removed or changed;
    every list is sorted by id (key numbers by key)."""
    fa, fr, fc = _added_removed_changed(old["facts"], new["facts"], _fact)
    corroborated, uncorroborated = _references(old["facts"], new["facts"])
    sa, sr, sc = _added_removed_changed(old["sources"], new["sources"], _source)
    ca, cr, cc = _added_removed_changed(old["conflicts"], new["conflicts"], _conflict)
    return {
        "before": _run(old),
        "after": _run(new),
        "facts_differ": any((fa, fr, fc, sa, sr, sc, ca, cr, cc, corroborated, uncorroborated)),
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
