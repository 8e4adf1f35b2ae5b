"""Reading a printed report back: its link annotations, where each one leads, and the words on
its pages with their positions (pypdf for the links and named destinations, `pdftotext
-bbox-layout` for the words). Used by tests/integration/test_citations.py to prove that every id
in the PDF is a working link to its own entry. Everything is in PDF points, origin at the bottom
left."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, NameObject


@dataclass(frozen=True)
class Word:
    page: int  # 0-based
    x0: float
    y0: float  # bottom
    x1: float
    y1: float  # top
    text: str


@dataclass(frozen=True)
class Link:
    page: int
    rect: tuple[float, float, float, float]  # x0, y0, x1, y1
    dest: str | None  # the named destination, without the leading slash
    uri: str | None  # an external link's address
    explicit: bool  # an explicit (unnamed) destination array


@dataclass(frozen=True)
class Destination:
    page: int
    left: float
    top: float


def _dest_name(value) -> str | None:
    value = value.get_object() if hasattr(value, "get_object") else value
    if isinstance(value, (ArrayObject, list)):
        return None
    text = str(value)
    return text[1:] if text.startswith("/") else text


def links(pdf: Path) -> list[Link]:
    """Every /Link annotation: its page, rectangle and where it goes (a named destination,
    /Dest or a GoTo action's /D, or a URI)."""
    out = []
    reader = PdfReader(pdf)
    for i, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            a = ref.get_object()
            if a.get("/Subtype") != "/Link":
                continue
            rect = tuple(float(v) for v in a["/Rect"])
            x0, y0, x1, y1 = rect
            rect = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            dest, uri, explicit = None, None, False
            if "/Dest" in a:
                dest = _dest_name(a["/Dest"])
                explicit = dest is None
            action = a.get("/A")
            if action is not None:
                action = action.get_object()
                if action.get("/S") == "/GoTo":
                    dest = _dest_name(action["/D"])
                    explicit = dest is None
                elif action.get("/S") == "/URI":
                    uri = str(action.get("/URI"))
            out.append(Link(i, rect, dest, uri, explicit))
    return out


def destinations(pdf: Path) -> dict[str, Destination]:
    """The document's named destinations: name -> page and position."""
    reader = PdfReader(pdf)
    out = {}
    for name, d in reader.named_destinations.items():
        key = name[1:] if name.startswith("/") else name
        out[key] = Destination(
            reader.get_destination_page_number(d),
            float(d.get("/Left") or 0),
            float(d.get("/Top") or 0),
        )
    return out


def words(pdf: Path) -> list[Word]:
    """Every word of every page with its box (pdftotext -bbox-layout)."""
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml)
    xml = re.sub(r'\sxmlns="[^"]+"', "", xml, count=1)
    root = ET.fromstring(xml)
    out = []
    for i, page in enumerate(root.iter("page")):
        height = float(page.get("height"))
        for w in page.iter("word"):
            out.append(
                Word(
                    i,
                    float(w.get("xMin")),
                    height - float(w.get("yMax")),
                    float(w.get("xMax")),
                    height - float(w.get("yMin")),
                    w.text or "",
                )
            )
    return out


def words_in(
    rect: tuple[float, float, float, float],
    page: int,
    all_words: list[Word],
) -> list[Word]:
    """The words whose centre lies inside `rect` on `page`."""
    x0, y0, x1, y1 = rect
    return [
        w
        for w in all_words
        if w.page == page
        and x0 - 0.5 <= (w.x0 + w.x1) / 2 <= x1 + 0.5
        and y0 - 0.5 <= (w.y0 + w.y1) / 2 <= y1 + 0.5
    ]


def covered(
    word: Word,
    start: int,
    end: int,
    rects: list[tuple[float, float, float, float]],
) -> bool:
    """Whether characters start..end of `word` (their share of its width) lie in a rect."""
    n = max(1, len(word.text))
    a = word.x0 + (word.x1 - word.x0) * start / n
    b = word.x0 + (word.x1 - word.x0) * end / n
    mid_y = (word.y0 + word.y1) / 2
    for x0, y0, x1, y1 in rects:
        if y0 - 1 <= mid_y <= y1 + 1:
            overlap = min(b, x1) - max(a, x0)
            if overlap >= 0.6 * (b - a):
                return True
    return False


def redirect(pdf: Path, out: Path, dest_from: str, dest_to: str) -> int:
    """A copy of `pdf` whose links to `dest_from` go to `dest_to` instead (for the negative
    tests); returns how many links were changed."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=pdf)
    changed = 0
    for page in writer.pages:
        for ref in page.get("/Annots") or []:
            a = ref.get_object()
            if isinstance(a, DictionaryObject) and _dest_name(a.get("/Dest", "")) == dest_from:
                a[NameObject("/Dest")] = NameObject("/" + dest_to)
                changed += 1
    with open(out, "wb") as f:
        writer.write(f)
    return changed


def text_sizes(pdf: Path) -> list[tuple[int, float, str, float]]:
    """(page, size in points, text, height above the page's bottom edge) of every piece of
    text the PDF draws, at the size it is printed: the font size scaled by the text and
    transformation matrices (pypdf)."""
    import math

    def times(m, n):
        a, b, c, d, e, f = m
        A, B, C, D, E, F = n
        return [
            a * A + b * C,
            a * B + b * D,
            c * A + d * C,
            c * B + d * D,
            e * A + f * C + E,
            e * B + f * D + F,
        ]

    out: list[tuple[int, float, str, float]] = []
    for i, page in enumerate(PdfReader(pdf).pages):

        def visit(text, cm, tm, font, size, i=i):
            if text.strip():
                a, b, c, d, _, y = times(tm, cm)
                out.append((i, size * math.sqrt(abs(a * d - b * c)), text.strip(), y))

        page.extract_text(visitor_text=visit)
    return out


def smaller_than(pdf: Path, points: float) -> list[str]:
    """Every piece of text printed under `points` (a hundredth of a point of rounding allowed),
    as 'page N: 6.5 pt "text"'."""
    return [
        f'page {page + 1}: {size:.2f} pt "{text[:40]}"'
        for page, size, text, _ in text_sizes(pdf)
        if size < points - 0.01
    ]
