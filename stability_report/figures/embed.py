"""A figure's SVG as the report shows it, inline in the page (so that the marks the figures link
to their facts are links, on screen and in the PDF Chromium prints): its ids made unique in the
page, each linked mark given a tooltip naming its fact. And for figures drawn in the background
(see stability_report.figures.style): the placeholder a figure's HTML carries until its SVG is
written, and the function that puts the SVG in its place.

Kept apart from style.py so that the pipeline's process can use it without importing matplotlib.
"""

from __future__ import annotations

import re
from pathlib import Path

_MARK = "@@stability-report-svg:"
NAME = r"[a-z0-9][a-z0-9-]*"  # a figure's name (style.save checks it): safe in a path and in HTML
# A comment only style.save() writes: text from the facts reaches the HTML escaped (no bare
# "<!--"), so it cannot forge one.
_PLACED = re.compile("<!-- " + re.escape(_MARK) + f"({NAME})@@ -->")
_PROLOG = re.compile(r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE[^>]*>\s*)?", re.S)
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(\b(?:xlink:)?href="#|url\(#)([^")]+)')
_LINK = re.compile(r'<a (xlink:href="#([a-z]+)-([A-Z]\d{3,})")(?: target="_blank")?>')


def placeholder(name: str) -> str:
    """What stands for the inline SVG of figure `name` until it is written."""
    return f"<!-- {_MARK}{name}@@ -->"


def inline_svg(svg: str, name: str, links: bool = True) -> str:
    """matplotlib's SVG of figure `name` ready to sit in a page beside other figures: without its
    XML prolog, its own ids (glyphs, clip paths, hatches) prefixed with the figure's name, and
    a <title> in each link to a fact (a browser shows it on hover); without `links`, the marks
    are not links (a page without the evidence appendix, such as the brief)."""
    svg = _PROLOG.sub("", svg)
    own = set(_ID.findall(svg))
    prefix = f"{name}-"
    svg = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = _REF.sub(lambda m: m.group(1) + (prefix if m.group(2) in own else "") + m.group(2), svg)
    if not links:
        return _LINK.sub("<g>", svg).replace("</a>", "</g>")
    return _LINK.sub(
        lambda m: f"<a {m.group(1)}><title>{m.group(3)}: see its evidence</title>", svg
    )


def embed_svgs(html_text: str, figures: Path, links: bool = True) -> str:
    """html_text with each placeholder replaced by the inline SVG of figures/<name>.svg (see
    inline_svg for `links`). Raises FileNotFoundError for a figure that was not written."""
    if _MARK not in html_text:
        return html_text
    cache: dict[str, str] = {}

    def svg(m: re.Match) -> str:
        name = m.group(1)
        if name not in cache:
            text = (figures / f"{name}.svg").read_text(encoding="utf-8")
            cache[name] = inline_svg(text, name, links)
        return cache[name]

    return _PLACED.sub(svg, html_text)


def embed_notebook(nb, figures: Path) -> None:
    """embed_svgs on every HTML output of an executed notebook, in place."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if isinstance(data.get("text/html"), str):
                data["text/html"] = embed_svgs(data["text/html"], figures)
