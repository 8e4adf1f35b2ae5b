"""The report's citations as a reader of an encyclopedia knows them: each citation link gets an
element id (`cite-fact-M014-2`), so each evidence entry can link back to every place that cites it
(^ a b c); and each carries a preview of what it cites (the source and the verbatim quote), shown
on hover or focus by the stylesheet alone, with no script.

Structural only: it adds attributes to the links the citation Linker made and a line of back-links
to each entry render.evidence wrote; the words of both are theirs.
"""

from __future__ import annotations

import html
import re
from string import ascii_lowercase

from ..facts.plain import FactBase

# the links render.citations.Linker writes for an id (on a page that links to itself)
_CITE = re.compile(r'<a class="id-ref" href="#([a-z]+-[A-Z]\d{3,})">')
# an entry's opening tag (render.evidence): the back-links go first in it, whatever it holds
_ENTRY = re.compile(r'<div class="ev-entry\b[^"]*" id="([a-z]+-[A-Z]\d{3,})">')
PREVIEW_CHARS = 240


def letters(n: int) -> str:
    """The n-th back-link's label: a, b, ... z, aa, ab, ..."""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = ascii_lowercase[r] + out
    return out


def preview(fb: FactBase, fid: str) -> str:
    """'S001: “quote”' for a fact; the headline for a source; '' when there is nothing to show."""
    if fid not in fb:
        return ""
    passages = [(s, q) for s, q in fb.quotes(fid) if q]
    if not passages:
        return ""
    text = "  ".join(f"{s}: “{' '.join(q.split())}”" for s, q in passages)
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1].rstrip() + "…”"


def number_citations(body: str, fb: FactBase) -> tuple[str, dict[str, list[str]]]:
    """Give every citation link of `body` an id and a preview; return the page and, for each
    entry's element id, the ids of the links that cite it, in reading order."""
    cited: dict[str, list[str]] = {}
    previews: dict[str, str] = {}

    def one(m: re.Match) -> str:
        target = m.group(1)
        refs = cited.setdefault(target, [])
        ident = f"cite-{target}-{len(refs) + 1}"
        refs.append(ident)
        if target not in previews:
            previews[target] = preview(fb, target.split("-", 1)[1])
        tip = previews[target]
        extra = f' data-preview="{html.escape(tip, quote=True)}"' if tip else ""
        return f'<a class="id-ref" href="#{target}" id="{ident}"{extra}>'

    return _CITE.sub(one, body), cited


def backlinks_html(refs: list[str]) -> str:
    """'^ a b c' linking to each citation (a lone citation: '^'), as an encyclopedia's
    references begin."""
    if not refs:
        return ""
    if len(refs) == 1:
        links = f'<a href="#{refs[0]}" aria-label="back to where it is cited">^</a>'
    else:
        links = "^ " + " ".join(
            f'<a href="#{r}" aria-label="back to citation {letters(i)}">{letters(i)}</a>'
            for i, r in enumerate(refs)
        )
    return f'<span class="ev-back screen-only">{links}</span>'


def add_backlinks(appendix: str, cited: dict[str, list[str]]) -> str:
    """Each evidence entry of `appendix` with its back-links at its start (on screen)."""

    def one(m: re.Match) -> str:
        return m.group(0) + backlinks_html(cited.get(m.group(1), []))

    return _ENTRY.sub(one, appendix)
