"""The data dictionary (data/README.md), generated from the schema's specs."""

from __future__ import annotations

from .schema import TABLES
from .spec import FORBIDDEN_TEXT_RULE


def data_dictionary() -> str:
    """The data dictionary as Markdown, generated from the specs (written to data/README.md)."""
    lines = [
        "# Data dictionary",
        "",
        "Generated from `stability_report/facts/schema.py` by `python -m stability_report.facts "
        "--dictionary`; a test fails when this file and the schema drift apart.",
        "",
        "- `raw/`: the articles exactly as received. Never edited; each is registered in "
        "`sources.csv` (`python -m stability_report sources add FILE`).",
        "- `facts/`: what was extracted from them, one CSV per table below (UTF-8, comma "
        "separated, header row). Every fact row carries a `quote` that is an exact substring "
        "of its source, and the loader (`stability_report.facts.load.load_facts`) refuses the "
        "whole fact base if any rule below is broken.",
        "",
        "Ids are stable: a fact keeps its id when rows are added, and ids are never reused. "
        "An id is its table's letter and a number of at least three digits (`M001` to `M999`, "
        "then `M1000`, `M12345`, ...; no leading zero past three digits); ids sort by number.",
        "",
    ]
    for t in TABLES.values():
        lines += [
            f"## `{t.file}`",
            "",
            t.doc,
            "",
            "| column | type | required | rule | meaning |",
            "|---|---|---|---|---|",
        ]
        for c in t.columns:
            rule = []
            if c.allowed:
                rule.append("one of " + ", ".join(f"`{a}`" for a in c.allowed))
            if c.pattern:
                rule.append(f"matches `{c.pattern}`".replace("|", "\\|"))  # a table cell
            if c.unique:
                rule.append("unique")
            if c.ref:
                rule.append("id of any fact table" if c.ref == "*" else f"refers to `{c.ref}`")
            if c.ge is not None:
                rule.append(f">= {c.ge:g}")
            if c.le is not None:
                rule.append(f"<= {c.le:g}")
            if c.verbatim:
                rule.append("verbatim in source")
            lines.append(
                f"| `{c.name}` | {c.kind} | {'yes' if c.required else 'no'} | "
                f"{'; '.join(rule)} | {c.doc} |"
            )
        lines.append("")
    lines += [
        "## Rules across columns and tables",
        "",
        "- `date_start` <= `date_end`; both empty exactly when `date_precision` is `undated`.",
        "- `published_start` <= `published_end` in `sources`; the raw file's SHA-256 matches.",
        *(
            f"- In `{t.name}`, " + "; ".join(r.doc for r in t.rules) + "."
            for t in TABLES.values()
            if t.rules
        ),
        "- Every number is finite; every text value is " + FORBIDDEN_TEXT_RULE + ".",
        "",
    ]
    return "\n".join(lines)
