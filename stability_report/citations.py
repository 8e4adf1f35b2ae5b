"""Every id the report shows links to its evidence in the same document, and can be checked.

Three steps, run on the rendered page, with the standard library only (the render process does
not import pandas):

- `Linker` passes once over the page's text (not its attributes, styles, code, quotations or
  existing links) and turns each id of the fact base it finds (M014, E001, R002, N003, S000,
  C001, P001) into a link to that id's entry; it makes each `table-ref` link read "Table N";
  it records the ids it has linked.
- `evidence_html` writes the appendix "Evidence: every fact cited": one entry per id shown,
  with its source, its verbatim quote, its period and precision, its status, its amount and
  how anything in it was inferred, read from the fact base the run used (`FactBase`).
- `check_page` parses the finished page on its own and lists every id shown outside a link,
  every link whose target is missing or is not the entry of the id it shows, and every quote
  that is not an exact substring of its source file. The render stops on any of them; the tests
  use the same function.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from . import formats
from .schema import FACT_TABLES, TABLES

# ---------------------------------------------------------------------------------------------
# ids: which table each prefix belongs to, and where its entry is


def _prefixes() -> dict[str, str]:
    """Id prefix -> table name, from each table's id column in the schema."""
    out = {}
    for t in TABLES.values():
        col = next(c for c in t.columns if c.kind == "id" and c.unique)
        m = re.match(r"\^([A-Z]+)", col.pattern or "")
        if m:
            out[m.group(1)] = t.name
    return out


PREFIX_TABLE = _prefixes()  # {"S": "sources", "P": "persons", "N": "person_names", ...}
# the kind of entry each table's ids have: sources -> source, conflicts -> conflict, ...
KIND = {name: ("fact" if name in FACT_TABLES else name.removesuffix("s")) for name in TABLES}
ID = re.compile(r"\b(?:" + "|".join(sorted(PREFIX_TABLE, key=len, reverse=True)) + r")\d{3,}\b")
# the order of the appendix's groups; facts sorted by id within theirs
GROUPS = (("source", "Sources"), ("fact", "Facts"), ("conflict", "Conflicts"), ("person", "People"))


def kind_of(fid: str) -> str:
    """'fact', 'source', 'conflict' or 'person'."""
    return KIND[PREFIX_TABLE[fid.rstrip("0123456789")]]


def anchor(fid: str) -> str:
    """The element id of an id's entry: fact-M014, source-S000, conflict-C001, person-P001."""
    return f"{kind_of(fid)}-{fid}"


def sort_key(fid: str) -> tuple[str, int]:
    """Ids in order: by prefix, then by number (M999 before M1000)."""
    prefix = fid.rstrip("0123456789")
    return prefix, int(fid[len(prefix) :])


TABLE_ANCHOR = re.compile(r"[a-z0-9][a-z0-9-]*")  # the NAME of show_table(..., anchor=NAME)


# ---------------------------------------------------------------------------------------------
# the fact base, read with the csv module


@dataclass
class FactBase:
    """The rows of every table by id, and the text of every source, as the run read them."""

    facts_dir: Path
    raw_dir: Path
    rows: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)  # id -> (table, row)
    sources: list[dict[str, str]] = field(default_factory=list)  # in file order
    texts: dict[str, str] = field(default_factory=dict)  # source id -> the article's text
    files: dict[str, Path] = field(default_factory=dict)  # source id -> its raw file

    @classmethod
    def load(cls, facts_dir: Path, raw_dir: Path) -> FactBase:
        """Read every table of the schema that exists in facts_dir (a byte-order mark and
        Windows line endings are accepted, values are stripped as the loader strips them) and
        every source file sources.csv names. Raises OSError or ValueError on a file that cannot
        be read; the fact base was validated by the kernel before the render starts."""
        fb = cls(Path(facts_dir), Path(raw_dir))
        by_table = {t: p for p, t in PREFIX_TABLE.items()}
        for name in TABLES:
            path = fb.facts_dir / f"{name}.csv"
            if not path.exists():
                continue
            text = path.read_bytes().decode("utf-8-sig")
            id_col = next(c.name for c in TABLES[name].columns if c.kind == "id" and c.unique)
            for row in csv.DictReader(io.StringIO(text, newline="")):
                row = {k: (v or "").strip() for k, v in row.items() if k is not None}
                fid = row.get(id_col, "")
                if fid and name in by_table:
                    fb.rows[fid] = (name, row)
                if name == "sources":
                    fb.sources.append(row)
        for s in fb.sources:
            f = fb.raw_dir / s["file"]
            fb.files[s["source_id"]] = f
            fb.texts[s["source_id"]] = f.read_bytes().decode("utf-8")
        return fb

    def __contains__(self, fid: str) -> bool:
        return fid in self.rows

    def table(self, fid: str) -> str:
        return self.rows[fid][0]

    def row(self, fid: str) -> dict[str, str]:
        return self.rows[fid][1]

    def source_of(self, fid: str) -> str | None:
        """The source a fact (or a source) comes from."""
        table, row = self.rows[fid]
        return fid if table == "sources" else row.get("source_id") or None

    def quotes(self, fid: str) -> list[tuple[str, str]]:
        """(source id, quote) of every verbatim passage an entry of `fid` shows."""
        table, row = self.rows[fid]
        if table == "conflicts":
            return [
                (self.source_of(row[f"fact_id_{s}"]) or "", row[f"quote_{s}"])
                for s in ("a", "b")
                if row.get(f"fact_id_{s}") in self.rows
            ]
        if table == "sources":
            return [(fid, row["headline"])]
        if row.get("quote"):
            return [(row.get("source_id", ""), row["quote"])]
        return []

    def person_name(self, pid: str) -> str:
        if pid in self.rows and self.table(pid) == "persons":
            return self.row(pid).get("canonical_name", "")
        return ""


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
    to its number and `table_href(name)` gives the link of a table reference. With `print_text`,
    each link is followed by a plain-text copy shown only in print, and the link itself is
    hidden in print (a page printed to PDF keeps no link to a file that is not published with
    it). `ids` holds every id linked (with where it was first seen), `element_ids` every element
    id of the page, `problems` every table reference to an unknown table."""

    def __init__(
        self,
        href: Callable[[str], str | None],
        tables: dict[str, int] | None = None,
        table_href: Callable[[str], str] | None = None,
        print_text: bool = False,
    ):
        self.href = href
        self.tables = tables or {}
        self.table_href = table_href or (lambda name: f"#tbl-{name}")
        self.print_text = print_text
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
            closing, tag = m.group(1), (m.group(2) or "").lower()
            out.append(m.group(0))
            pos = m.end()
            if not tag:  # a comment, a doctype
                continue
            if closing:
                if tag in skip:  # closes it, and any element left open inside it
                    while skip.pop() != tag:
                        pass
                continue
            a = attrs_of(m.group(3) or "")
            if "id" in a:
                self.element_ids.add(a["id"])
                if tag in ("h1", "h2", "h3"):
                    self._where = f"the section #{a['id']}"
            self_closing = (m.group(3) or "").rstrip().endswith("/")
            if tag in RAW_TEXT:  # its text is not markup: jump to its end tag
                close = re.compile(rf"</{tag}\s*>", re.I).search(page, pos)
                stop = close.start() if close else n
                out.append(page[pos:stop])
                pos = stop
                continue
            if tag == "a" and "table-ref" in a.get("class", "").split():
                pos = self._table_ref(page, m, a, out)
                continue
            if tag in VOID or self_closing:
                continue
            if skip or tag in SKIP or tag == "a":
                skip.append(tag)
        return "".join(out)

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
        label = f"Table {number}"
        if self.print_text:
            out.append(
                f'<a class="table-ref screen-only" href="{target}">{label}</a>'
                f'<span class="table-ref print-only">{label}</span>'
            )
        else:
            out.append(f'<a class="table-ref" href="{target}">{label}</a>')
        return close + 4


# ---------------------------------------------------------------------------------------------
# the appendix


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _published(fb: FactBase, sid: str) -> str:
    """S001's publication window, short: 'Mar – Dec 2024' ('' when unknown)."""
    if sid not in fb:
        return ""
    s = fb.row(sid)
    start = formats.parse_date(s.get("published_start"))
    end = formats.parse_date(s.get("published_end"))
    return formats.span(start, end or start) if start is not None else ""


def _quote(sid: str, quote: str) -> str:
    return f'<q class="ev-quote" data-source="{html.escape(sid, quote=True)}">{_e(quote)}</q>'


def _head(fid: str, what: str) -> str:
    return f'<a class="ev-id" href="#{anchor(fid)}">{fid}</a> <span class="ev-what">{what}</span>'


def _meta(*parts: str) -> str:
    shown = [p for p in parts if p]
    return f' <span class="ev-meta">{" · ".join(shown)}</span>' if shown else ""


def _note(label: str, text: str) -> str:
    if not text:
        return ""
    return f' <span class="ev-note"><span class="ev-label">{_e(label)}</span> {_e(text)}</span>'


def _what(fb: FactBase, fid: str) -> str:
    """What a fact says, in a few words (the quote follows)."""
    table, r = fb.rows[fid]
    if table == "money":
        extra = ", ".join(x for x in (r.get("counterparty", ""), r.get("instrument", "")) if x)
        what = formats.words(r.get("metric")) + (f" ({extra})" if extra else "")
        amount = formats.amount(r.get("value"), r.get("unit"), r.get("bound"))
        return f"{_e(what)}: <b>{_e(amount)}</b>."
    if table == "events":  # the quote says what happened; only a value is added
        if r.get("value"):
            return f"<b>{_e(formats.amount(r['value'], r.get('unit'), r.get('bound')))}</b>."
        return ""
    if table == "personnel":
        name = fb.person_name(r.get("person_id", ""))
        reason = f"; reason: {r['reason']}" if r.get("reason") else ""
        return f"<b>{_e(name)}</b>, {_e(r.get('role_as_written', ''))}{_e(reason)}."
    if table == "person_names":
        name = fb.person_name(r.get("person_id", ""))
        return f"<b>{_e(r.get('name_as_written', ''))}</b>, a spelling of {_e(name)}."
    return ""


def _fact_entry(fb: FactBase, fid: str) -> str:
    table, r = fb.rows[fid]
    sid = r.get("source_id", "")
    published = _published(fb, sid)
    source = f"{_e(sid)} (published {_e(published)})" if published else _e(sid)
    when = (
        formats.period(r.get("date_start"), r.get("date_end"), r.get("date_precision"))
        if "date_precision" in r
        else ""
    )
    status = formats.words(r.get("status", ""))
    if table == "personnel" and status:
        status = f"the source says: {status}"
    return (
        _head(fid, _what(fb, fid))
        + " "
        + _quote(sid, r.get("quote", ""))
        + _meta(source, _e(when), _e(status))
        + _note("Inferred:", r.get("inference_note", ""))
    )


def _source_entry(fb: FactBase, sid: str, n_facts: int) -> str:
    s = fb.row(sid)
    outlet = f"{_e(s['outlet'])}, " if s.get("outlet") else ""
    pub = formats.publication(
        s.get("published_start"),
        s.get("published_end"),
        s.get("published_precision"),
        s.get("updated"),
    )
    file = f"data/raw/{fb.files[sid].name}" if sid in fb.files else ""
    return (
        _head(sid, f"<cite>{_quote(sid, s.get('headline', ''))}</cite>")
        + _meta(
            f"{outlet}{_e(pub)} (as its text establishes)",
            f"<code>{_e(file)}</code>" if file else "",
            formats.count_words(n_facts, "fact") + " in the fact base",
        )
        + _note("Dating:", s.get("dating_note", ""))
    )


USES = {"a": "reading A", "b": "reading B", "both": "both, as alternatives", "neither": "neither"}


def _conflict_entry(fb: FactBase, cid: str) -> str:
    r = fb.row(cid)
    out = _head(cid, f"{_e(r.get('topic', ''))} ({_e(formats.words(r.get('kind')))}).")
    for side in ("a", "b"):
        fid = r.get(f"fact_id_{side}", "")
        sid = (fb.source_of(fid) if fid in fb else "") or ""
        out += (
            f' <span class="ev-label">{side.upper()}:</span> {_e(fid)} '
            f"{_quote(sid, r.get(f'quote_{side}', ''))} "
            f"({_e(r.get(f'reading_{side}', ''))})."
        )
    uses = USES.get(r.get("analysis_uses", ""), r.get("analysis_uses", ""))
    return out + _note(f"Uses {uses}:", r.get("rationale", ""))


def _person_entry(fb: FactBase, pid: str) -> str:
    r = fb.row(pid)
    return (
        _head(pid, f"<b>{_e(r.get('canonical_name', ''))}</b>.")
        + _meta(
            _e(formats.words(r.get("function"))),
            _e(formats.words(r.get("seniority"))),
            _e(formats.words(r.get("outcome"))),
        )
        + _note("", r.get("canonical_note", ""))
    )


def entry_html(fb: FactBase, fid: str) -> str:
    """One entry, before its ids are linked."""
    kind = kind_of(fid)
    if kind == "source":
        n = sum(1 for t, r in fb.rows.values() if t in FACT_TABLES and r.get("source_id") == fid)
        text = _source_entry(fb, fid, n)
    elif kind == "conflict":
        text = _conflict_entry(fb, fid)
    elif kind == "person":
        text = _person_entry(fb, fid)
    else:
        text = _fact_entry(fb, fid)
    return f'<div class="ev-entry ev-{kind}" id="{anchor(fid)}"><p>{text}</p></div>'


@dataclass
class Evidence:
    html: str
    ids: list[str]  # the ids with an entry, in order
    problems: list[str]


def _intro(fb: FactBase, shown: dict[str, str]) -> str:
    facts = sum(1 for i in shown if kind_of(i) == "fact")
    n = formats.count_words(len(fb.sources), "source")
    return (
        '<p class="ev-intro">Every id this report shows links to its entry here, sorted by '
        f"id: the {n} it is built from and the {formats.count_words(facts, 'fact')} its "
        "text, tables and captions cite (with the facts the entries refer to in turn). "
        "Each fact entry gives what the fact says, its source, the passage it rests on "
        "quoted verbatim (an exact substring of the article, checked when the report is "
        "rendered), the period it refers to with how precisely the source dates it, its "
        "status, and how anything not stated outright was inferred.</p>"
    )


def evidence_html(fb: FactBase, shown: dict[str, str], elsewhere: set[str]) -> Evidence:
    """The appendix: an entry for every id shown (and for every id an entry shows in turn),
    except those whose entry is already an element of the page (`elsewhere`, element ids), and
    always one for every source. `shown` maps each id to where it was first seen (for the
    message when it is not in the fact base)."""
    problems: list[str] = []
    entries: dict[str, str] = {}
    where = dict(shown)
    queue = [s["source_id"] for s in fb.sources] + sorted(shown, key=sort_key)
    while queue:
        fid = queue.pop(0)
        if fid in entries or anchor(fid) in elsewhere:
            continue
        if fid not in fb:
            problems.append(
                f"{fid} is shown in {where.get(fid, 'the report')} but the fact base "
                f"({fb.facts_dir}) has no row with that id"
            )
            entries[fid] = ""
            continue
        linker = Linker(lambda i: f"#{anchor(i)}")
        linker._where = f"the evidence entry of {fid}"
        entries[fid] = linker.run(entry_html(fb, fid))
        for new, seen in linker.ids.items():
            if new not in entries and new not in queue:
                where.setdefault(new, seen)
                queue.append(new)
    ids = sorted(
        (i for i, e in entries.items() if e),
        key=lambda i: ([g for g, _ in GROUPS].index(kind_of(i)), sort_key(i)),
    )
    out = [
        '<section class="evidence" id="report-evidence" aria-labelledby="evidence">',
        '<h1 id="evidence">Evidence: every fact cited</h1>',
        _intro(fb, shown),
        '<div class="ev-list">',
    ]  # one flow (two columns in print) for all the groups
    for kind, title in GROUPS:
        group = [i for i in ids if kind_of(i) == kind]
        if not group:
            continue
        out.append(f'<h2 id="evidence-{kind}s">{title}</h2>')
        out.extend(entries[i] for i in group)
    out += ["</div>", "</section>"]
    return Evidence("\n".join(out), ids, problems)


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
                "href": a.get("href", ""),
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
                for fid in ID.findall(text):
                    if text != self._print_only["after"]:
                        self.loose.append((fid, self._context + " (print-only text)"))
                self._print_only = None
            if "ev-entry" in classes:
                self._entry = None
            if t == tag:
                break

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
      with it) that is not among them.
    """
    scan = _PageScan()
    scan.feed(page)
    scan.close()
    problems: list[str] = []
    for fid, where in scan.loose:
        problems.append(f"{fid} is shown in {where} but is not a link to its evidence")
    own = scan.element_ids
    files = set(files) if files is not None else None
    for link in scan.links:
        href, text = link["href"], link["text"]
        doc, _, frag = href.partition("#")
        if ID.fullmatch(text):
            if text not in fb and fb.rows:
                problems.append(
                    f"{text} is shown in {link['context']} but the fact base has no "
                    "row with that id"
                )
            if href != f"{base}#{anchor(text)}":
                problems.append(
                    f"{text} in {link['context']} links to {href!r}, not to its "
                    f"entry {base}#{anchor(text)}"
                )
        if href.startswith("#") or (doc and doc == base and frag):
            pool = own if not doc else (targets if targets is not None else None)
            if pool is not None and frag not in pool:
                what = f"{text} in {link['context']}" if text else f"a link in {link['context']}"
                problems.append(f"{what} points to {href!r}, which has no target")
        elif (
            files is not None
            and doc
            and not re.match(r"^[a-z][a-z0-9+.-]*:", doc)
            and doc not in files
        ):
            problems.append(
                f"the link {href!r} in {link['context']} names a file that is not "
                "published with the report"
            )
    for entry, label in scan.entry_labels.items():
        want = entry.split("-", 1)[1] if "-" in entry else entry
        if label != want:
            problems.append(f"the evidence entry #{entry} is labelled {label!r}")
    for q in scan.quotes:
        entry = q["entry"] or "?"
        fid = entry.split("-", 1)[1] if "-" in entry else entry
        sid, text = q["source"], q["text"]
        source_text = fb.texts.get(sid)
        if source_text is None:
            problems.append(
                f"the quote in the entry of {fid} names source {sid!r}, which is not "
                "in the fact base"
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
    return list(dict.fromkeys(problems))
