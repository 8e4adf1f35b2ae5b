"""`python -m stability_report compare A B`: what changed between two runs, from their
results.json (stability_report.resultsfile, whose `diff` it prints): the parameters,
the sources and facts added, removed or changed (by id, with the quote), the key numbers that
moved (old -> new) and the counts. Standard library only, like the rest of the command line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .. import resultsfile as results
from ..errors import USAGE


def find_results(path: Path) -> Path:
    """results.json of a run folder (`runs/<id>/`), or of an output folder's published run
    (`<output>/latest/results.json`, else `<output>/results.json`)."""
    for candidate in (path / results.NAME, path / "latest" / results.NAME):
        if candidate.is_file():
            return candidate
    if path.is_file() and path.name.endswith(".json"):
        return path
    raise results.ResultsError(
        f"{path}: no {results.NAME} there (expected a run folder "
        f"holding {results.NAME}, or an output folder with "
        f"latest/{results.NAME})"
    )


def _value(v: dict | None) -> str:
    return "(none)" if v is None else v["text"]


# The parts of the fact base `text` lists, each with how one item of it is shown.
_PARTS = (
    ("sources", lambda s: f"{s['id']}: {s['headline']}"),
    ("facts", lambda f: f"{f['id']} ({f['table']}, {f['source_id']}): \u201c{f['quote']}\u201d"),
    ("conflicts", lambda c: f"{c['id']}: {c['topic']} ({', '.join(c['facts'])})"),
)


def _part_lines(what: str, part: dict, show) -> list[str]:
    """The sources, facts or conflicts added, removed and changed, with what changed."""
    n = sum(len(v) for v in part.values())
    lines = [f"{what}:" + ("" if n else " none added, removed or changed")]
    for change in ("added", "removed", "changed"):
        for item in part[change]:
            lines.append(f"  {change} {show(item)}")
            requoted = "quote_before" in item and item["quote_before"] != item["quote"]
            if change == "changed" and requoted:
                lines.append(f"    quote before: \u201c{item['quote_before']}\u201d")
            for k, (x, y) in item.get("fields_changed", {}).items():
                lines.append(f"    {k}: {x or '(empty)'} -> {y or '(empty)'}")
    return lines


def text(d: dict[str, Any]) -> str:
    """The difference as plain text, one item a line."""
    b, a = d["before"], d["after"]
    lines = [
        f"from {b['run_id'] or '?'} (as of {b['as_of']}) to {a['run_id'] or '?'} "
        f"(as of {a['as_of']})"
    ]
    if b["facts_hash"] == a["facts_hash"]:
        lines.append("fact base: unchanged")
    elif not d["facts_differ"]:
        lines.append("fact base: its files changed, no source, fact or conflict did")

    lines.append("parameters:" + ("" if d["params"] else " unchanged"))
    for k, (x, y) in d["params"].items():
        lines.append(f"  {k}: {json.dumps(x)} -> {json.dumps(y)}")
    for what, show in _PARTS:
        lines += _part_lines(what, d[what], show)
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
        "compare",
        help="what changed between two runs (parameters, facts, key numbers)",
        description="Print what changed from run A to run B: parameters; sources, facts and "
        "conflicts added, removed or changed (by id, with the quote); key numbers "
        "that moved (old -> new); counts. A and B are each a run folder "
        "(<output>/runs/<run id>/) or an output folder (its published run, "
        "<output>/latest/). Exit 0 when both were read (whether or not anything "
        "changed), 2 when one cannot be read.",
    )
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
    d = results.diff(old, new)
    if args.json:
        sys.stdout.write(json.dumps(d, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(text(d))
    return 0
