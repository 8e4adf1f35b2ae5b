"""`python -m stability_report compare A B`: what changed between two runs, from their
results.json (stability_report.results): the parameters, the sources and facts added, removed or
changed (by id, with the quote), the key numbers that moved (old -> new) and the counts.

`diff` is also what the report's "What changed" section is made from. Standard library only: it
runs in the command line's process and in the kernel alike.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from . import results

USAGE = 2


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What changed from the run `old` to the run `new` (two results.json objects).

    `facts_differ` is true when a source, a fact or a conflict was added, removed or changed;
    every list is sorted by id (key numbers by key)."""
    order = results._id_order

    def added_removed_changed(a: dict, b: dict, show) -> tuple[list, list, list]:
        added = [show(k, None, b[k]) for k in sorted(set(b) - set(a), key=order)]
        removed = [show(k, a[k], None) for k in sorted(set(a) - set(b), key=order)]
        changed = [show(k, a[k], b[k]) for k in sorted(set(a) & set(b), key=order)
                   if a[k].get("row_hash") != b[k].get("row_hash")]
        return added, removed, changed

    def fact(k, a, b):
        out = {"id": k, "table": (b or a)["table"], "source_id": (b or a)["source_id"]}
        if a is not None and b is not None:
            out["quote_before"], out["quote"] = a["quote"], b["quote"]
            if "fields" in a and "fields" in b:
                fa, fb = a["fields"], b["fields"]
                out["fields_changed"] = {k: [fa.get(k, ""), fb.get(k, "")]
                                         for k in sorted(set(fa) | set(fb))
                                         if fa.get(k, "") != fb.get(k, "")}
        else:
            out["quote"] = (b or a)["quote"]
        return out

    def source(k, a, b):
        s = b or a
        return {"id": k, "headline": s.get("headline", ""),
                "published_start": s.get("published_start"),
                "published_end": s.get("published_end")}

    def conflict(k, a, b):
        c = b or a
        return {"id": k, "topic": c.get("topic", ""), "facts": c.get("facts", [])}

    fa, fr, fc = added_removed_changed(old["facts"], new["facts"], fact)
    sa, sr, sc = added_removed_changed(old["sources"], new["sources"], source)
    ca, cr, cc = added_removed_changed(old["conflicts"], new["conflicts"], conflict)
    params = {k: [old["params"].get(k), new["params"].get(k)]
              for k in sorted(set(old["params"]) | set(new["params"]))
              if old["params"].get(k) != new["params"].get(k)}
    kn_old, kn_new = old["key_numbers"], new["key_numbers"]
    moved = []
    for k in sorted(set(kn_old) | set(kn_new)):
        a, b = kn_old.get(k), kn_new.get(k)
        if a is not None and b is not None and a["text"] == b["text"]:
            continue  # the same as the report prints it (a value moved within its rounding)
        n = b or a
        moved.append({"key": k, "label": n["label"], "unit": n["unit"],
                      "before": None if a is None else {"value": a["value"], "text": a["text"]},
                      "after": None if b is None else {
                          "value": b["value"], "text": b["text"], "fact_ids": b["fact_ids"],
                          **({"table": b["table"]} if b.get("table") else {})}})
    counts = {}
    for k in sorted(set(old["counts"]) | set(new["counts"])):
        a, b = old["counts"].get(k), new["counts"].get(k)
        if a != b:
            counts[k] = [a, b]
    return {
        "before": {"as_of": old["as_of"], "run_id": old["run"].get("run_id"),
                   "facts_hash": old["facts_hash"]},
        "after": {"as_of": new["as_of"], "run_id": new["run"].get("run_id"),
                  "facts_hash": new["facts_hash"]},
        "facts_differ": bool(fa or fr or fc or sa or sr or sc or ca or cr or cc),
        "params": params,
        "sources": {"added": sa, "removed": sr, "changed": sc},
        "facts": {"added": fa, "removed": fr, "changed": fc},
        "conflicts": {"added": ca, "removed": cr, "changed": cc},
        "key_numbers": moved,
        "counts": counts,
    }


# ---------------------------------------------------------------------------------------------
# the command


def find_results(path: Path) -> Path:
    """results.json of a run folder (`runs/<id>/`), or of an output folder's published run
    (`<output>/latest/results.json`, else `<output>/results.json`)."""
    for candidate in (path / results.NAME, path / "latest" / results.NAME):
        if candidate.is_file():
            return candidate
    if path.is_file() and path.name.endswith(".json"):
        return path
    raise results.ResultsError(f"{path}: no {results.NAME} there (expected a run folder "
                               f"holding {results.NAME}, or an output folder with "
                               f"latest/{results.NAME})")


def _value(v: dict | None) -> str:
    return "(none)" if v is None else v["text"]


def text(d: dict[str, Any]) -> str:
    """The difference as plain text, one item a line."""
    b, a = d["before"], d["after"]
    lines = [f"from {b['run_id'] or '?'} (as of {b['as_of']}) to {a['run_id'] or '?'} "
             f"(as of {a['as_of']})"]
    if b["facts_hash"] == a["facts_hash"]:
        lines.append("fact base: unchanged")
    elif not d["facts_differ"]:
        lines.append("fact base: its files changed, no source, fact or conflict did")

    lines.append("parameters:" + ("" if d["params"] else " unchanged"))
    for k, (x, y) in d["params"].items():
        lines.append(f"  {k}: {json.dumps(x)} -> {json.dumps(y)}")
    for what, key, show in (
        ("sources", "sources", lambda s: f"{s['id']}: {s['headline']}"),
        ("facts", "facts", lambda f: f"{f['id']} ({f['table']}, {f['source_id']}): "
                                     f"\u201c{f['quote']}\u201d"),
        ("conflicts", "conflicts", lambda c: f"{c['id']}: {c['topic']} "
                                             f"({', '.join(c['facts'])})"),
    ):
        part = d[key]
        n = sum(len(v) for v in part.values())
        lines.append(f"{what}:" + ("" if n else " none added, removed or changed"))
        for change in ("added", "removed", "changed"):
            for item in part[change]:
                lines.append(f"  {change} {show(item)}")
                if change == "changed" and "quote_before" in item and \
                        item["quote_before"] != item["quote"]:
                    lines.append(f"    quote before: \u201c{item['quote_before']}\u201d")
                for k, (x, y) in item.get("fields_changed", {}).items():
                    lines.append(f"    {k}: {x or '(empty)'} -> {y or '(empty)'}")
    lines.append("key numbers:" + ("" if d["key_numbers"] else " none moved"))
    for k in d["key_numbers"]:
        ids = k["after"]["fact_ids"] if k["after"] else []
        cited = f" [{', '.join(ids)}]" if ids else ""
        lines.append(f"  {k['label']}: {_value(k['before'])} -> {_value(k['after'])}{cited}")
    lines.append("counts:" + ("" if d["counts"] else " unchanged"))
    for k, (x, y) in d["counts"].items():
        lines.append(f"  {k}: {json.dumps(x, sort_keys=True)} -> {json.dumps(y, sort_keys=True)}")
    return "\n".join(lines) + "\n"


def add_parser(sub) -> None:
    p = sub.add_parser(
        "compare", help="what changed between two runs (parameters, facts, key numbers)",
        description="Print what changed from run A to run B: parameters; sources, facts and "
                    "conflicts added, removed or changed (by id, with the quote); key numbers "
                    "that moved (old -> new); counts. A and B are each a run folder "
                    "(<output>/runs/<run id>/) or an output folder (its published run, "
                    "<output>/latest/). Exit 0 when both were read (whether or not anything "
                    "changed), 2 when one cannot be read.")
    p.add_argument("a", type=Path, metavar="A", help="the earlier run (or output folder)")
    p.add_argument("b", type=Path, metavar="B", help="the later run (or output folder)")
    p.add_argument("--json", action="store_true", help="print the difference as JSON")


def main(args: argparse.Namespace) -> int:
    try:
        old = results.read(find_results(args.a))
        new = results.read(find_results(args.b))
    except results.ResultsError as e:
        print(f"stability-report: error: {e}", file=sys.stderr)
        return USAGE
    d = diff(old, new)
    if args.json:
        sys.stdout.write(json.dumps(d, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(text(d))
    return 0
