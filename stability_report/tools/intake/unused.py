"""The facts no chapter of the report uses, a finding of `facts check` (intake.check): fact ids
that do not occur in the text of the published report (its citation markers `[M001, ...]`, the
fact-id columns of its tables), read from report/report.html (or --report), whose run
information says which fact base it was rendered from: when that is not the current one, the
finding says so.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from ...facts.base import Facts
from ...facts.schema import FACT_TABLES
from .check import Finding


class _Text(HTMLParser):
    """The text a reader sees, without scripts and styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def report_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return " ".join(parser.parts)


def unused(facts: Facts, report: Path) -> tuple[list[Finding], str]:
    """Facts whose id the published report never shows, and a note on what was read."""
    if not report.exists():
        return [], (
            f"no published report at {report}: render one (`make report`) to find the "
            "facts no chapter uses"
        )
    text = report_text(report)
    shown = set(re.findall(r"\b[A-Z]\d{3,}\b", text))
    ids = [fid for t in FACT_TABLES for fid in facts.tables[t]["fact_id"]]
    missing = [fid for fid in ids if fid not in shown]
    m = re.search(r"Facts digest \(SHA-256\)\s*([0-9a-f]{64})", text)
    note = f"read {report}"
    if m and m.group(1) != facts.digest:
        note += (
            " (rendered from another version of the fact base: facts added or changed since "
            "show as unused until the report is rendered again)"
        )
    elif m:
        note += " (rendered from the current fact base)"
    return [Finding("unused", (fid,), f"{fid}: cited by no chapter") for fid in missing], note
