"""Figures drawn in the background (see stability_report.figures.style): the placeholder a
figure's HTML carries until its SVG is written, and the function that puts the SVG in its place.

Kept apart from style.py so that the pipeline's process can use it without importing matplotlib.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

_MARK = "@@stability-report-svg:"
NAME = r"[a-z0-9][a-z0-9-]*"  # a figure's name (style.save checks it): safe in a path and in HTML
# Only inside the attribute style.save() writes: text from the facts reaches the HTML escaped
# (no bare double quote), so it cannot forge one.
_PLACED = re.compile(r'(src="data:image/svg\+xml;base64,)' + re.escape(_MARK) + f'({NAME})@@"')


def placeholder(name: str) -> str:
    """What stands for the base64 SVG of figure `name` until it is written."""
    return f"{_MARK}{name}@@"


def embed_svgs(html_text: str, figures: Path) -> str:
    """html_text with each placeholder replaced by the base64 of figures/<name>.svg. Raises
    FileNotFoundError for a figure that was not written."""
    if _MARK not in html_text:
        return html_text
    cache: dict[str, str] = {}

    def svg(m: re.Match) -> str:
        name = m.group(2)
        if name not in cache:
            cache[name] = base64.b64encode((figures / f"{name}.svg").read_bytes()).decode("ascii")
        return f'{m.group(1)}{cache[name]}"'

    return _PLACED.sub(svg, html_text)


def embed_notebook(nb, figures: Path) -> None:
    """embed_svgs on every HTML output of an executed notebook, in place."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if isinstance(data.get("text/html"), str):
                data["text/html"] = embed_svgs(data["text/html"], figures)
