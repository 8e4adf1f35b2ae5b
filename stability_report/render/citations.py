"""Every id the report shows links to its evidence in the same document, and can be checked. Two
steps, run on the rendered page with the standard library only (the render process does not
import pandas); the appendix they link to is render.evidence.

- `Linker` passes once over the page's text (not its attributes, styles, code, quotations or
  existing links) and turns each id of the fact base it finds (M014, E001, R002, N003, S000,
  C001, P001) into a link to that id's entry; it makes each `table-ref` link read "Table N";
  it records the ids it has linked.
- `check_page` parses the finished page on its own and lists every id shown outside a link,
  every link whose target is missing or is not the entry of the id it shows, and every quote
  that is not an exact substring of its source file, and (render.trust) every sentence that
  states a fact more strongly than its source: a hedge, an attribution or a status dropped. The
  render stops on any of them; the tests use the same function.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from html.parser import HTMLParser

from .. import formats
from ..facts.ids import ID, anchor
from ..facts.plain import FactBase
from . import trust

# ---------------------------------------------------------------------------------------------
# one pass over the page's text


_TAG = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<![^>]*>|<\?[^>]*>"
    r"|<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S,
)
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}
RAW_TEXT = {"script", "style", "textarea", "title"}
# whose text is not the report's own words or is not shown: code, pictures, quotations
SKIP = {"code", "pre", "kbd", "samp", "svg", "math", "q", "template", "head", "noscript"}


def attrs_of(attrs: str) -> dict[str, str]:
    out = {}
    for m in _ATTR.finditer(attrs):
        value = next((g for g in m.groups()[1:] if g is not None), "")
        out[m.group(1).lower()] = html.unescape(value)
    return out


class Linker:
    """Links the ids in a page's text and numbers its table references, in one pass.

    `href(id)` gives the link of an id (None: leave it as text); `tables` maps each table anchor
    to its number, `table_href(name)` gives the link of a table reference and
    `table_label(name, number)` its text ("Table 4"; a page citing another's tables says
    whose). With `print_text`, each link is followed by a plain-text copy shown only in print,
    and the link itself is hidden in print (a page printed to PDF keeps no link to a file that
    is not published with it). `ids` holds every id linked (with where it was first seen),
    `element_ids` every element id of the page, `problems` every table reference to an unknown
    table."""

    def __init__(
        self,
        href: Callable[[str], str | None],
        tables: dict[str, int] | None = None,
        table_href: Callable[[str], str] | None = None,
        print_text: bool = False,
        table_label: Callable[[str, int], str] | None = None,
    ):
        self.href = href
        self.tables = tables or {}
        self.table_href = table_href or (lambda name: f"#tbl-{name}")
        self.print_text = print_text
        self.table_label = table_label or (lambda name, number: f"Table {number}")
        self.ids: dict[str, str] = {}
        self.element_ids: set[str] = set()
        self.problems: list[str] = []
        self._where = "the title page"

    def _link(self, text: str) -> str:
        def one(m: re.Match) -> str:
            fid = m.group(0)
            target = self.href(fid)
            if target is None:
                return fid
            self.ids.setdefault(fid, self._where)
            a = f'<a class="id-ref" href="{html.escape(target, quote=True)}">{fid}</a>'
            if self.print_text:
                a = (
                    f'<a class="id-ref screen-only" href="{html.escape(target, quote=True)}">'
                    f'{fid}</a><span class="id-ref print-only">{fid}</span>'
                )
            return a

        return ID.sub(one, text)

    def run(self, page: str) -> str:
        out: list[str] = []
        skip: list[str] = []  # open elements whose text is left alone
        pos = 0
        n = len(page)
        while pos < n:
            m = _TAG.search(page, pos)
            end = m.start() if m else n
            if end > pos:
                text = page[pos:end]
                out.append(text if skip else self._link(text))
            if m is None:
                break
            out.append(m.group(0))
            pos = self._tag(page, m, out, skip)
        return "".join(out)

    def _tag(self, page: str, m: re.Match, out: list[str], skip: list[str]) -> int:
        """After the tag `m` (written to `out`): where the pass goes on."""
        closing, tag = m.group(1), (m.group(2) or "").lower()
        if not tag:  # a comment, a doctype
            return m.end()
        if closing:
            if tag in skip:  # closes it, and any element left open inside it
                while skip.pop() != tag:
                    pass
            return m.end()
        a = attrs_of(m.group(3) or "")
        if "id" in a:
            self.element_ids.add(a["id"])
            if tag in ("h1", "h2", "h3"):
                self._where = f"the section #{a['id']}"
        if tag in RAW_TEXT:  # its text is not markup: jump to its end tag
            close = re.compile(rf"</{tag}\s*>", re.I).search(page, m.end())
            stop = close.start() if close else len(page)
            out.append(page[m.end() : stop])
            return stop
        if tag == "a" and "table-ref" in a.get("class", "").split():
            return self._table_ref(page, m, a, out)
        self_closing = (m.group(3) or "").rstrip().endswith("/")
        if not (tag in VOID or self_closing) and (skip or tag in SKIP or tag == "a"):
            skip.append(tag)
        return m.end()

    def _table_ref(self, page: str, m: re.Match, a: dict[str, str], out: list[str]) -> int:
        """`<a class="table-ref" href="#tbl-NAME">table</a>` -> a link reading "Table N"."""
        close = page.find("</a>", m.end())
        if close < 0:
            close = len(page)
        href = a.get("href", "")
        name = href[len("#tbl-") :] if href.startswith("#tbl-") else None
        out.pop()  # the start tag, written again below
        number = self.tables.get(name) if name is not None else None
        if number is None:
            self.problems.append(
                f"a table reference in {self._where} points to {href!r}, which "
                "is not a table of the report (show_table(..., anchor=NAME) "
                "makes #tbl-NAME)"
            )
            out.append(m.group(0) + page[m.end() : close] + "</a>")
            return close + 4
        target = html.escape(self.table_href(name), quote=True)
        label = html.escape(self.table_label(name, number))
        if self.print_text:
            out.append(
                f'<a class="table-ref screen-only" href="{target}">{label}</a>'
                f'<span class="table-ref print-only">{label}</span>'
            )
        else:
            out.append(f'<a class="table-ref" href="{target}">{label}</a>')
        return close + 4


# ---------------------------------------------------------------------------------------------
# the check


class _PageScan(HTMLParser):
    """What check_page needs from a page: element ids, links and their text, ids shown outside
    a link, and the quotes of the evidence entries."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.element_ids: set[str] = set()
        self.links: list[dict] = []  # href, text, classes
        self.loose: list[tuple[str, str]] = []  # (id, context) shown outside any link
        self.quotes: list[dict] = []  # entry, source, text
        self.entry_labels: dict[str, str] = {}  # entry element id -> text of its ev-id link
        self._stack: list[tuple[str, set[str]]] = []
        self._skip = 0
        self._raw = 0
        self._link: dict | None = None
        self._quote: dict | None = None
        self._entry: str | None = None
        self._print_only: dict | None = None
        self._last_link_text = ""
        self._context = "the title page"

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        classes = set(a.get("class", "").split())
        if "id" in a:
            self.element_ids.add(a["id"])
            if tag in ("h1", "h2", "h3"):
                self._context = f"the section #{a['id']}"
            if "ev-entry" in classes:
                self._entry = a["id"]
        if tag in RAW_TEXT:
            self._raw += 1
        if tag in VOID:
            return
        self._stack.append((tag, classes))
        if tag in SKIP:
            self._skip += 1
        if tag == "a":
            self._link = {
                "href": a.get("href") or a.get("xlink:href", ""),  # an SVG link: xlink:href
                "text": "",
                "classes": classes,
                "context": self._context,
                "entry": self._entry,
            }
        if tag == "q" and "ev-quote" in classes:
            self._quote = {"entry": self._entry, "source": a.get("data-source", ""), "text": ""}
        if "print-only" in classes:
            self._print_only = {"text": "", "after": self._last_link_text}

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in RAW_TEXT:
            self._raw = max(0, self._raw - 1)
        if not any(t == tag for t, _ in self._stack):
            return
        while self._stack:
            t, classes = self._stack.pop()
            self._closed(t, classes)
            if t == tag:
                break

    def _closed(self, t: str, classes: set[str]) -> None:
        """The element `t` (of these classes) ends: what was open in it is recorded."""
        if t in SKIP:
            self._skip -= 1
        if t == "a" and self._link is not None:
            self._link["text"] = " ".join(self._link["text"].split())
            self.links.append(self._link)
            self._last_link_text = self._link["text"]
            if "ev-id" in self._link["classes"] and self._link["entry"]:
                self.entry_labels.setdefault(self._link["entry"], self._link["text"])
            self._link = None
        if t == "q" and self._quote is not None:
            self.quotes.append(self._quote)
            self._quote = None
        if "print-only" in classes and self._print_only is not None:
            text = " ".join(self._print_only["text"].split())
            if text != self._print_only["after"]:
                for fid in ID.findall(text):
                    self.loose.append((fid, self._context + " (print-only text)"))
            self._print_only = None
        if "ev-entry" in classes:
            self._entry = None

    def handle_data(self, data):
        if self._raw:
            return
        if self._quote is not None:
            self._quote["text"] += data
        if self._link is not None:
            self._link["text"] += data
            return
        if self._print_only is not None:
            self._print_only["text"] += data
            return
        if self._skip:
            return
        for fid in ID.findall(data):
            self.loose.append((fid, self._context))


def check_page(
    page: str,
    fb: FactBase,
    *,
    base: str = "",
    targets: set[str] | None = None,
    files: Iterable[str] | None = None,
) -> list[str]:
    """Everything that makes a citation in `page` uncheckable, as messages naming the id:

    - an id shown in the text but not inside a link (print-only copies of a link excepted);
    - a link that shows an id but does not point to that id's entry (`#fact-M014`, or
      `<base>#fact-M014` for a page that cites another document);
    - an internal link with no element of that id (`targets`: the element ids of the document
      `base` names, for links into it);
    - an entry whose quote differs from the fact base's or is not an exact substring of its
      source file, and an entry whose label is not its id;
    - a link to a file of the run (`files`: the paths, relative to the page, that are published
      with it) that is not among them;
    - a sentence that cites a fact more strongly than its source states it (render.trust).
    """
    scan = _PageScan()
    scan.feed(page)
    scan.close()
    problems: list[str] = []
    for fid, where in scan.loose:
        problems.append(f"{fid} is shown in {where} but is not a link to its evidence")
    pools = (scan.element_ids, targets)
    files = set(files) if files is not None else None
    for link in scan.links:
        problems += _link_problems(link, fb, base, pools, files)
    for entry, label in scan.entry_labels.items():
        want = entry.split("-", 1)[1] if "-" in entry else entry
        if label != want:
            problems.append(f"the evidence entry #{entry} is labelled {label!r}")
    for q in scan.quotes:
        problems += _quote_problems(q, fb)
    problems += trust.check_strength(page, fb)
    return list(dict.fromkeys(problems))


def _link_problems(
    link: dict,
    fb: FactBase,
    base: str,
    pools: tuple[set[str], set[str] | None],
    files: set[str] | None,
) -> list[str]:
    """check_page's messages on one link: the id it shows, its target (`pools`: the page's
    element ids, and those of the document `base` names, if known), the file it names."""
    problems = []
    href, text = link["href"], link["text"]
    doc, _, frag = href.partition("#")
    if ID.fullmatch(text):
        if text not in fb and fb.rows:
            problems.append(
                f"{text} is shown in {link['context']} but the fact base has no row with that id"
            )
        if href != f"{base}#{anchor(text)}":
            problems.append(
                f"{text} in {link['context']} links to {href!r}, not to its "
                f"entry {base}#{anchor(text)}"
            )
    if href.startswith("#") or (doc and doc == base and frag):
        pool = pools[1] if doc else pools[0]
        if pool is not None and frag not in pool:
            what = f"{text} in {link['context']}" if text else f"a link in {link['context']}"
            problems.append(f"{what} points to {href!r}, which has no target")
    elif (
        files is not None and doc and not re.match(r"^[a-z][a-z0-9+.-]*:", doc) and doc not in files
    ):
        problems.append(
            f"the link {href!r} in {link['context']} names a file that is not "
            "published with the report"
        )
    return problems


def _quote_problems(q: dict, fb: FactBase) -> list[str]:
    """check_page's messages on one evidence entry's quote: against its source file and the
    fact base's quote of the fact."""
    problems = []
    entry = q["entry"] or "?"
    fid = entry.split("-", 1)[1] if "-" in entry else entry
    sid, text = q["source"], q["text"]
    source_text = fb.texts.get(sid)
    if source_text is None:
        problems.append(
            f"the quote in the entry of {fid} names source {sid!r}, which is not in the fact base"
        )
    elif text not in source_text:
        problems.append(
            f"the quote in the entry of {fid} is not an exact substring of its "
            f"source {sid} ({fb.files[sid]}): {formats.shorten(text, 70)!r}"
        )
    if fid in fb and (sid, text) not in fb.quotes(fid):
        problems.append(
            f"the quote in the entry of {fid} is not the fact base's quote of "
            f"{fid}: {formats.shorten(text, 70)!r}"
        )
    return problems
