"""Every sentence as strong as its source, and no stronger: a check over the rendered page.

The page is cut into clauses (a sentence, or the part of it between semicolons; a table row is
one clause, read with its table's caption). For each clause and each fact it cites (a link
to the fact's evidence entry), the fact's strength (facts.strength) must be carried:

- every hedge of its quote ("directly", "at least", "reportedly", "considering") and the
  qualifier of its amount ("less than", "about") is in the clause, in its words or an
  equivalent;
- when the source attributes it ("insiders", "two sources", "Emad Mostaque, on X", an outlet it
  restates), the clause names the speaker or the outlet (a table's caption may name it for
  its rows);
- a fact that is claimed, projected, planned, considered or derived is worded as such, never as
  plain report; a table's status column says "derived" for a value computed from several facts
  and the fact's own status for one.

A clause that is no more than a fact's whole quote, in quotation marks, and a short label (a list
of evidence, as in the section on what changed) quotes the fact rather than stating it, and is left
alone, as is a line recording how a key number moved between two runs ("old → new"), which repeats
a number the chapters state at its strength. A fact cited beside another that states the same thing
(same event, metric and date, or person) without the attribution or status needs neither: the
clause is as strong as its strongest source. The evidence appendix, the registers and a
conflict's row in a table (which quote or label the facts' readings) are not read. The standard
library only, like render.citations, which calls it from check_page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..facts.ids import ID
from ..facts.plain import FactBase
from ..facts.strength import Strength, carries_hedge, marks_status, stem, strength

TABLES = ("money", "events", "personnel")
_BLOCKS = {"p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "caption", "dd"}
_CLAUSE_START = re.compile(r"[^\sa-z0-9$]")  # what may begin a sentence after a full stop
_MOVED = re.compile(r"\S\s*→\s*\S")  # "label: old → new" in the section on what changed
_LABEL = 40  # a clause that is a fact's whole quote and a label this long quotes, not states
_MARK = re.compile(r"\x00([A-Z][0-9]{3,})\x00")
_WORDS = re.compile(r"[A-Za-z][A-Za-z’'/-]*[A-Za-z]")


@dataclass
class Block:
    """A run of the page's own words: a paragraph, a list item, a table row (with its table's
    caption and the text of its status cell) or a caption."""

    kind: str
    where: str
    parts: list[str] = field(default_factory=list)  # text, and \x00ID\x00 for each cited id
    caption: str = ""
    status: str | None = None  # the text of the row's cell under a "status" header


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._open: list[Block] = []
        self._skip: list[str] = []  # elements whose content is not read (appendix, registers)
        self._stack: list[str] = []
        self._where = "the title page"
        self._link_id: str | None = None
        self._tables: list[dict] = []  # caption, header cells, current cell index
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        classes = set(a.get("class", "").split())
        if tag in ("br", "img", "hr", "meta", "link", "input", "wbr", "col", "source"):
            return
        self._stack.append(tag)
        if self._skip:
            self._skip.append(tag)
            return
        if _not_read(tag, classes):
            self._skip.append(tag)
            return
        if tag in ("h1", "h2", "h3") and "id" in a:
            self._where = f"#{a['id']}"
        self._table_part(tag)
        if tag in _BLOCKS:
            b = Block(tag, self._where)
            if tag == "tr" and self._tables:
                self._tables[-1]["cell"] = -1
                b.caption = self._tables[-1]["caption"]
            self._open.append(b)
        if tag == "a":
            self._link_id = ""
        if tag == "q" and self._open:  # a quotation the browser marks: marked here too
            self._open[-1].parts.append("“")

    def _table_part(self, tag: str) -> None:
        """A table, its head, or a cell starts: where the cell is, and whether it heads a
        column."""
        if tag == "table":
            self._tables.append({"caption": "", "headers": [], "cell": -1, "in_head": False})
        if tag == "thead" and self._tables:
            self._tables[-1]["in_head"] = True
        if tag in ("td", "th") and self._tables:
            t = self._tables[-1]
            t["cell"] += 1
            if tag == "th" and (t["in_head"] or not self._open):
                self._heading = []

    def handle_endtag(self, tag):
        if tag not in self._stack:
            return
        while self._stack:
            t = self._stack.pop()
            if self._skip:
                self._skip.pop()
                if t == tag:
                    return
                continue
            self._close(t)
            if t == tag:
                break

    def _close(self, t: str) -> None:
        if t == "q" and self._open:
            self._open[-1].parts.append("”")
        if t == "a" and self._link_id is not None:
            if ID.fullmatch(self._link_id) and self._open:
                self._open[-1].parts.append(f"\x00{self._link_id}\x00")
            self._link_id = None
        if t in ("td", "th") and self._tables:
            self._close_cell(t)
        if t == "thead" and self._tables:
            self._tables[-1]["in_head"] = False
        if t == "table" and self._tables:
            self._tables.pop()
        if t in _BLOCKS and self._open and self._open[-1].kind == t:
            b = self._open.pop()
            if t == "caption" and self._tables:
                self._tables[-1]["caption"] = "".join(b.parts)
            self.blocks.append(b)
            if self._open:  # a block inside another: its words belong to the outer one too
                self._open[-1].parts.extend(b.parts)

    def _close_cell(self, t: str) -> None:
        """A cell of the innermost table ends: a heading's text is its column's name; a cell of
        the column "status" gives its row's status; its cells are kept apart."""
        if self._heading is not None:
            self._tables[-1]["headers"].append(" ".join("".join(self._heading).split()).lower())
            self._heading = None
        if self._open and self._open[-1].kind == "tr":
            tbl = self._tables[-1]
            if tbl["headers"][tbl["cell"] : tbl["cell"] + 1] == ["status"] and t == "td":
                row = self._open[-1]
                text = "".join(p for p in row.parts if not p.startswith("\x00"))
                row.status = text.rsplit("\x01", 1)[-1].strip().lower()
            if self._open[-1].parts:
                self._open[-1].parts.append(" \x01")

    def handle_data(self, data):
        if self._skip:
            return
        if self._link_id is not None:
            self._link_id += data.strip()
            return
        if self._heading is not None:
            self._heading.append(data)
        if self._open:
            self._open[-1].parts.append(data)


def _not_read(tag: str, classes: set[str]) -> bool:
    """An element whose content states no claim of the report (check_strength skips it)."""
    return (
        "ev-entry" in classes
        or "figure-marks" in classes  # the ids a figure's marks link to: a list, no claim
        or (tag == "details" and "register" in classes)
        # a conflict's row lists its two readings in a few words, each linked to its
        # entry, as the register does: a label of each reading, not a claim of the report
        or (tag == "tr" and "conflict-row" in classes)
    )


def _clauses(b: Block) -> list[str]:
    text = "".join(b.parts).replace("\x01", " ")
    if b.kind == "tr":
        return [text]
    return [c for c in _split(text) if _MARK.search(c)]


def _split(text: str) -> list[str]:
    """Sentences, and the parts of a sentence between semicolons; never inside a quotation
    (“...”), whose full stops belong to the speaker's sentence."""
    out, start, depth = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in ".!?;" and i + 1 < len(text) and text[i + 1].isspace():
            rest = text[i + 1 :].lstrip()
            if ch == ";" or (rest and _CLAUSE_START.match(rest)):
                out.append(text[start : i + 1])
                start = i + 1
    out.append(text[start:])
    return out


def _key(fb: FactBase, fid: str) -> tuple:
    table, row = fb.rows[fid]
    if table == "events":
        return (table, row.get("event", ""))
    if table == "money":
        return (table, row.get("metric", ""), row.get("date_start", ""), row.get("value", ""))
    return (table, row.get("person_id", ""), row.get("status", ""))


# A speaker that is a document of the company (a memo, internal documents, its projections or
# financial report, records, profiles) is named by any words for such a document.
_DOCUMENT = re.compile(r"\b(?:memo|documents?|projections?|report|records?|profiles?|linkedin)\b")
_NAMES_DOCUMENT = re.compile(
    r"\bmemo\b|\bdocuments?\b|\bproject(?:ion|ions|ed)\b|\bfinancial report\b|\brecords?\b"
    r"|\blinkedin\b|\bcompany's own\b",
    re.I,
)


def _names_speaker(s: Strength, words: set[str], text: str, aliases: dict[str, set[str]]) -> bool:
    terms = s.speaker_terms
    if not terms:
        return True
    if any(t in words for t in terms):
        return True
    if _DOCUMENT.search(s.speaker.lower()) and _NAMES_DOCUMENT.search(text):
        return True
    low = text.lower()
    return any(a in low for t in terms for a in aliases.get(t, ()))


def _aliases(fb: FactBase) -> dict[str, set[str]]:
    """The other names a person who speaks goes by in prose: for each word of a person's
    canonical name, the roles the sources give them ('CEO' and 'chief executive')."""
    out: dict[str, set[str]] = {}
    roles: dict[str, set[str]] = {}
    for table, row in fb.rows.values():
        if table == "personnel" and row.get("role_as_written"):
            roles.setdefault(row.get("person_id", ""), set()).add(row["role_as_written"].lower())
    for pid, (table, row) in fb.rows.items():
        if table != "persons":
            continue
        names = {r for r in roles.get(pid, ()) if len(r) <= 30}
        names |= {_ROLE_WORDS[r] for r in names if r in _ROLE_WORDS}
        for w in _WORDS.findall(row.get("canonical_name", "")):
            out.setdefault(stem(w), set()).update(names)
    return out


_ROLE_WORDS = {
    "ceo": "chief executive",
    "coo": "chief operating officer",
    "cto": "chief technology officer",
}


def check_strength(page: str, fb: FactBase) -> list[str]:
    """Every clause of `page` that cites a fact more strongly than its source states it, as a
    message naming the section, the fact and what the clause lacks."""
    scan = _Scan()
    scan.feed(page)
    scan.close()
    aliases = _aliases(fb)
    problems: list[str] = []
    for b in scan.blocks:
        for clause in _clauses(b):
            problems += _clause_problems(b, clause, fb, aliases)
    return list(dict.fromkeys(problems))


def _clause_problems(b: Block, clause: str, fb: FactBase, aliases: dict) -> list[str]:
    """check_strength's messages on one clause of the block `b`."""
    ids = [i for i in dict.fromkeys(_MARK.findall(clause)) if i in fb]
    facts = [i for i in ids if fb.table(i) in TABLES]
    if not facts:
        return []
    text = " ".join(_MARK.sub(" ", clause).split())
    if not _WORDS.search(ID.sub(" ", text)):
        return []  # a list of ids, not a sentence: it states nothing
    if _MOVED.search(text):
        return []  # a key number's move between two runs (old → new), not a statement
    context = text + " " + " ".join(_MARK.sub(" ", b.caption).split())
    words = {stem(w) for w in _WORDS.findall(context)}
    shown = text if len(text) <= 110 else text[:107] + "..."
    strengths = {i: strength({"fact_id": i, **fb.row(i)}) for i in facts}
    problems: list[str] = []
    for fid, s in strengths.items():
        passages = [" ".join(q.split()) for _, q in fb.quotes(fid)]
        if any(q and f"“{q}”" in text and len(text) <= len(q) + _LABEL for q in passages):
            continue  # the clause gives a source's passage whole (its own or a further
            # reference's, "now also reported by S002: “...”"): a list of evidence
        siblings = [strengths[o] for o in facts if o != fid and _key(fb, o) == _key(fb, fid)]
        clause_says = (text, context, words, f"{b.where}: “{shown}”")
        problems += _fact_problems(fid, s, siblings, clause_says, aliases)
    if b.kind == "tr" and b.status is not None:
        problems += _status_cell(b, facts, strengths, shown)
    return problems


def _fact_problems(
    fid: str, s: Strength, siblings: list[Strength], clause: tuple, aliases: dict
) -> list[str]:
    """What a clause citing `fid` (whose source states it as `s`) lacks: its hedges, the
    outlet whose reporting the source restates, the speaker, the status (each unless another
    fact it cites for the same value needs none). `clause`: its text, its text with the
    caption, the stems of its words, and how a message shows it."""
    text, context, words, said = clause
    problems = []
    for h in s.hedges:
        if not carries_hedge(h, text):
            problems.append(f"{said} cites {fid} without its hedge “{h}”")
    reporter_named = bool(s.original_reporter) and s.original_reporter.lower() in context.lower()
    if (
        s.original_reporter
        and not reporter_named
        and not any(not o.original_reporter for o in siblings)
    ):
        problems.append(
            f"{said} cites {fid} without naming "
            f"{s.original_reporter}, whose reporting the source restates"
        )
    if (
        s.attributed_to
        and not _names_speaker(s, words, context, aliases)
        and not reporter_named
        and not any(not o.attributed_to for o in siblings)
    ):
        problems.append(f"{said} cites {fid} without saying who says it ({s.attributed_to})")
    if (
        s.status not in ("", "reported")
        and not any(o.status == "reported" for o in siblings)
        and not marks_status(s.status, context)
    ):
        problems.append(f"{said} states {fid} as reported; its source gives it as {s.status}")
    return problems


def _status_cell(b: Block, facts: list[str], strengths: dict, shown: str) -> list[str]:
    said = b.status.split()[0] if b.status else ""
    if len(facts) > 1:
        want = "derived"
    else:
        want = strengths[facts[0]].status or said
    if said != want:
        return [
            f"{b.where}: the row “{shown}” gives the status “{said}”; its "
            + (
                "value is computed from several facts (derived)"
                if len(facts) > 1
                else f"fact {facts[0]} is {want}"
            )
        ]
    return []
