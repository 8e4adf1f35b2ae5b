"""The one-page brief: the cells of the first notebook tagged `brief` (the bottom line, the key
numbers, the money-and-people figure), as the report renders them, under a short header naming
the sources, in a page of its own (brief.html, printed to brief.pdf on one A4 page).

The cells are taken from the report's own rendering (the template marks them), so the brief's
numbers are the report's. Its ids link to their entries in report.html; in print they are
plain text, and the page says that they refer to the evidence appendix of report.pdf.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from .. import formats
from ..facts.ids import anchor
from ..facts.plain import FactBase
from ..facts.vocabulary import dated_at_registration
from .citations import Linker

# The classes of the brief's <body>: as written here, then as printed without its tables, then
# without its tables and figures (brief.css; render.pdf.print_brief picks the first that fits).
BRIEF_CLASSES = (
    "brief",
    "brief brief-without-tables",
    "brief brief-without-tables brief-without-figures",
)

START = "<!-- stability-report:brief -->"
END = "<!-- /stability-report:brief -->"
REPORT = "report.html"
BRIEF = "brief.html"
_CELL = re.compile(re.escape(START) + r"(.*?)" + re.escape(END), re.S)


def take_cells(body: str) -> tuple[str, list[str]]:
    """The report's HTML without the brief's markers, and the HTML of each marked cell."""
    cells = _CELL.findall(body)
    return body.replace(START, "").replace(END, ""), cells


def sources_line(fb: FactBase, long: bool = True) -> str:
    """'two news articles: S000 “…” (published …); S001 “…” (…)' (HTML, ids not linked)."""
    parts = []
    for s in fb.sources:
        outlet = f", {html.escape(s['outlet'])}" if s.get("outlet") else ""
        pub = formats.publication(
            s.get("published_start"),
            s.get("published_end"),
            s.get("published_precision"),
            s.get("updated"),
            long=long,
        )
        parts.append(
            f"{s['source_id']} “{html.escape(s.get('headline', ''))}”{outlet} ({html.escape(pub)})"
        )
    return formats.count_words(len(fb.sources), "news article") + ": " + "; ".join(parts)


def short_sources_line(fb: FactBase) -> str:
    """'two news articles, dated by the report from their text: S000 (Outlet, published
    Feb–Jun 2024); S001 (published Mar–Dec 2024)' (HTML, ids not linked): the brief names its
    sources by outlet and date, so that its length does not depend on the headlines (the report
    quotes them), and says when the dates are the report's, not stated by the articles."""
    parts = "; ".join(html.escape(formats.source_short(s)) for s in fb.sources)
    line = formats.count_words(len(fb.sources), "news article")
    # how each publication date is known: stated by the article (a day), read by the report from
    # a text that states none (a range), or given when the article was registered
    given = [s["source_id"] for s in fb.sources if dated_at_registration(s)]
    read = [
        s["source_id"]
        for s in fb.sources
        if s.get("published_precision") != "day" and s["source_id"] not in given
    ]
    if read and len(read) == len(fb.sources):
        return f"{line}, dated by the report from their text: {parts}"
    notes = []
    if read:
        its = ("is", "its") if len(read) == 1 else ("are", "their")
        notes.append(f"{formats.join_words(read)} {its[0]} dated by the report from {its[1]} text")
    if given:
        notes.append(f"{formats.join_words(given)} as dated when registered")
    return f"{line}: {parts}" + (f". {', '.join(notes)}" if notes else "")


_FIGURE = re.compile(
    r'<figure class="report-figure[^"]*"[^>]*>.*?<span class="figure-number">(Figure \d+):</span>'
    r".*?</figure>",
    re.S,
)
_TABLE = re.compile(
    r'<div class="report-table-wrap[^"]*"[^>]*>\s*<table class="report-table">\s*<caption>'
    r'<span class="table-number">(Table \d+):</span>.*?</table>\s*</div>',
    re.S,
)


def _left_out_notes(body: str) -> str:
    """After each figure and table, the note printed in its place when the page cannot hold it
    (render.pdf.print_brief leaves out the tables first, then the figures): where the reader
    finds it."""

    def note(kind: str):
        return lambda m: (
            m.group(0) + f'<p class="brief-left-out brief-{kind}-note">{m.group(1)} is left out '
            f"of this page for room; it is {m.group(1)} of the report.</p>"
        )

    return _TABLE.sub(note("table"), _FIGURE.sub(note("figure"), body))


def page(
    cells: Iterable[str],
    fb: FactBase,
    *,
    title: str,
    as_of_long: str,
    css: str,
    tables: dict[str, int],
    generator: str = "",
) -> tuple[str, set[str], list[str]]:
    """brief.html, the ids it links (to their entries in report.html), and its table
    references to tables the report does not have."""
    body = _left_out_notes("\n".join(cells))
    where = (
        "The working behind every number is in the full report, "
        '<a class="screen-only" href="report.html">report.html</a>'
        '<span class="print-only">report.pdf</span>; each id in brackets names a fact quoted '
        "from its article in the report’s evidence appendix."
    )
    head = (
        f'<header class="brief-head">\n'
        f'<p class="kicker">Brief · as of {html.escape(as_of_long)}</p>\n'
        f'<h1 class="brief-title">{html.escape(title)}</h1>\n'
        f'<p class="brief-sources">Built from {short_sources_line(fb)}. {where}</p>\n</header>'
    )
    own = set(re.findall(r'\bid="tbl-([a-z0-9][a-z0-9-]*)"', body))  # the brief's own tables
    linker = Linker(
        lambda fid: f"{REPORT}#{anchor(fid)}",
        tables,
        table_href=lambda name: f"{REPORT}#tbl-{name}",
        print_text=True,
        table_label=lambda name, n: f"Table {n}" if name in own else f"Table {n} of the report",
    )
    main = linker.run(f'{head}\n<main class="brief-body">\n{body}\n</main>')
    meta = (
        f'<meta name="generator" content="{html.escape(generator, quote=True)}">\n'
        if generator
        else ""
    )
    doc = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{meta}<title>{html.escape(title)}: brief (as of {html.escape(as_of_long)})</title>\n"
        f"<style>\n{css}\n</style>\n</head>\n"
        f'<body class="{BRIEF_CLASSES[0]}">\n{main}\n</body>\n</html>\n'
    )
    return doc, set(linker.ids), linker.problems
