"""The appendix "Evidence: every fact cited": one entry per id the report shows (and per id an
entry shows in turn), with every source that reports it (its own, then its further references,
each with its verbatim quote, who the source says it comes from and the outlet it restates), its
subject where one sentence states several facts (so that they read apart), its period and
precision, its status, its amount and how anything in it was inferred, read from the fact base
the run used (facts.plain.FactBase); the sources first, then facts, conflicts and people, each
sorted by id. A long passage of reasoning that several facts' notes share is given in full once,
in the first of their entries, and the later ones point to it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .. import formats
from ..facts.ids import anchor, id_sort_key, kind_of
from ..facts.plain import FactBase
from ..facts.schema import FACT_TABLES
from ..facts.vocabulary import EARLIER_REPORT, dated_at_registration
from .citations import Linker


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
    if table == "events":
        # the quote says what happened; a subject only where one quote states several events, so
        # that their entries read apart (an event's name is the report's label, not the source's
        # words or attribution, so it is not shown where the quote alone says it)
        shared = (r.get("source_id", ""), r.get("quote", "")) in fb.shared_event_quotes
        what = formats.words(r.get("event")) if shared else ""
        person = fb.person_name(r["person_id"]) if r.get("person_id") else ""
        if what and person and person.split()[-1].lower() not in what.lower():
            what += f" ({person})"
        if r.get("value"):
            amount = formats.amount(r["value"], r.get("unit"), r.get("bound"))
            return f"{_e(what)}: <b>{_e(amount)}</b>." if what else f"<b>{_e(amount)}</b>."
        return f"{_e(what)}." if what else ""
    if table == "personnel":
        name = fb.person_name(r.get("person_id", ""))
        reason = f"; reason: {r['reason']}" if r.get("reason") else ""
        return f"<b>{_e(name)}</b>, {_e(r.get('role_as_written', ''))}{_e(reason)}."
    if table == "person_names":
        name = fb.person_name(r.get("person_id", ""))
        return f"<b>{_e(r.get('name_as_written', ''))}</b>, a spelling of {_e(name)}."
    return ""


def _by(fb: FactBase, sid: str, ref: dict[str, str]) -> str:
    """'S000 (published Feb – Jun 2024), restating Bloomberg, attributed to insiders': the
    outlet and the speaker are named unless the quote that follows already names them."""
    published = _published(fb, sid)
    out = f"{_e(sid)} (published {_e(published)})" if published else _e(sid)
    quote = (ref.get("quote") or "").lower()
    outlet, speaker = ref.get("original_reporter") or "", ref.get("attributed_to") or ""
    if outlet and outlet.lower().removeprefix("the ") not in quote:
        out += f", restating {_e(outlet)}"
    elif not outlet and re.search(EARLIER_REPORT, ref.get("quote") or ""):
        out += ", restating unnamed earlier reports"  # 'was reported to be seeking
    if speaker and speaker.split(",")[0].lower().removeprefix("the ") not in quote:
        out += f", attributed to {_e(speaker)}"
    return out


def _further(fb: FactBase, fid: str) -> str:
    """The further references of a fact: 'Also reported by S002 (...): “quote”.'"""
    refs = fb.further.get(fid, [])
    if not refs:
        return ""
    out = ""
    for ref in refs:
        out += (
            f' <span class="ev-label">Also reported by</span> {_by(fb, ref["source_id"], ref)}: '
            + _quote(ref["source_id"], ref.get("quote", ""))
            + (f" ({_e(ref['note'])})" if ref.get("note") else "")
            + "."
        )
    return out


def corroboration(fb: FactBase, fid: str) -> str:
    """'reported by S000 and S002' for a fact several sources report, else ''."""
    sources = fb.sources_of(fid)
    return f"reported by {formats.join_words(sources)}" if len(sources) > 1 else ""


# a status as an entry writes it where its code alone would mislead ('derived' is the
# source's computation, not the report's: data/README.md)
STATUS_WORDS = {"derived": "computed by the source"}


def _fact_entry(fb: FactBase, fid: str, seen: dict[str, str] | None = None) -> str:
    table, r = fb.rows[fid]
    sid = r.get("source_id", "")
    source = _by(fb, sid, r)
    when = (
        formats.period(r.get("date_start"), r.get("date_end"), r.get("date_precision"))
        if "date_precision" in r
        else ""
    )
    status = STATUS_WORDS.get(r.get("status", ""), formats.words(r.get("status", "")))
    if table == "personnel" and status:
        status = f"the source says: {status}"
    return (
        _head(fid, _what(fb, fid))
        + " "
        + _quote(sid, r.get("quote", ""))
        + _meta(source, _e(when), _e(status), _e(corroboration(fb, fid)))
        + _further(fb, fid)
        + _note("Inferred:", _once(r.get("inference_note", ""), fid, seen))
    )


# a passage of an inference note at least this long that an earlier entry already gives in full
# (the same reasoning behind several facts) is given once and referred to after
REPEAT_MIN = 85


def _once(note: str, fid: str, seen: dict[str, str] | None) -> str:
    """`note` with each long passage (a sentence or clause) that an earlier entry's note gives
    (`seen`: passage -> the id that gave it first, filled in here) replaced by a pointer to
    that entry: 'S001 gives no date for the resignation. (The reasoning given at E041.)'."""
    if seen is None or not note:
        return note
    out: list[str] = []
    last = ""
    for part in re.split(r"(?<=[.;])\s+", note):
        first = seen.setdefault(part, fid) if len(part) >= REPEAT_MIN else fid
        if first == fid:
            out.append(part)
            last = ""
        elif first != last:  # consecutive passages of one entry: one pointer
            out.append(f"(the reasoning given at {first}){part[-1] if part[-1] in '.;' else ''}")
            last = first
    return " ".join(out)


def _source_entry(fb: FactBase, sid: str, n_facts: int) -> str:
    n_refs = sum(1 for refs in fb.further.values() for r in refs if r.get("source_id") == sid)
    s = fb.row(sid)
    dated = (
        "as given when it was registered" if dated_at_registration(s) else "as its text establishes"
    )
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
            f"{outlet}{_e(pub)} ({dated})",
            f"<code>{_e(file)}</code>" if file else "",
            formats.count_words(n_facts, "fact")
            + " in the fact base"
            + (
                f", and further references to {formats.count_words(n_refs, 'fact')} of other "
                "sources"
                if n_refs
                else ""
            ),
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


def entry_html(fb: FactBase, fid: str, seen: dict[str, str] | None = None) -> str:
    """One entry, before its ids are linked; with `seen`, a fact's inference note refers to
    the earlier entry for a long passage that entry already gives (see _once)."""
    kind = kind_of(fid)
    if kind == "source":
        n = sum(1 for t, r in fb.rows.values() if t in FACT_TABLES and r.get("source_id") == fid)
        text = _source_entry(fb, fid, n)
    elif kind == "conflict":
        text = _conflict_entry(fb, fid)
    elif kind == "person":
        text = _person_entry(fb, fid)
    else:
        text = _fact_entry(fb, fid, seen)
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


def _linked(fb: FactBase, fid: str, seen: dict[str, str] | None = None) -> tuple[str, dict]:
    """An entry with its ids linked, and the ids it shows (id -> where first seen)."""
    linker = Linker(lambda i: f"#{anchor(i)}")
    linker._where = f"the evidence entry of {fid}"
    return linker.run(entry_html(fb, fid, seen)), linker.ids


def evidence_html(fb: FactBase, shown: dict[str, str], elsewhere: set[str]) -> Evidence:
    """The appendix: an entry for every id shown (and for every id an entry shows in turn),
    except those whose entry is already an element of the page (`elsewhere`, element ids), and
    always one for every source. `shown` maps each id to where it was first seen (for the
    message when it is not in the fact base)."""
    problems: list[str] = []
    entries: dict[str, str] = {}
    where = dict(shown)
    queue = [s["source_id"] for s in fb.sources] + sorted(shown, key=id_sort_key)
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
        entries[fid], found = _linked(fb, fid)
        for new, seen in found.items():
            if new not in entries and new not in queue:
                where.setdefault(new, seen)
                queue.append(new)
    ids = sorted(
        (i for i, e in entries.items() if e),
        key=lambda i: ([g for g, _ in GROUPS].index(kind_of(i)), id_sort_key(i)),
    )
    given: dict[str, str] = {}  # in the appendix's order: a repeated passage refers back
    for fid in ids:
        if kind_of(fid) == "fact":
            entries[fid] = _linked(fb, fid, given)[0]
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


# the order of the appendix's groups; facts sorted by id within theirs
GROUPS = (("source", "Sources"), ("fact", "Facts"), ("conflict", "Conflicts"), ("person", "People"))
