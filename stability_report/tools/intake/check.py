"""`python -m stability_report facts check`: what a reviewer should look at, never a failure.

Three findings:
- near-duplicate facts: two facts of one source whose quotes overlap and that say the same thing
  (money: metric, value and period; personnel: person and status; events: event, person and
  value; names: person and spelling), and facts of different tables with the same value, unit
  and period (a price recorded as money and as an event);
- facts that no chapter of the report uses (intake.unused);
- contradictions: two facts with the same metric (money: metric, unit and counterparty; events:
  event and person) and overlapping periods but different values, and departures of one person
  on disjoint dates, that conflicts.csv does not yet record; each with a suggested conflicts
  row. With --candidates, the candidates of an extraction are checked against the fact base the
  same way, their suggested rows citing the candidate as `row N` (accept resolves it).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from itertools import combinations

import pandas as pd

from ... import formats
from ...facts.base import Facts
from ...facts.ids import id_sort_key
from ...facts.schema import FACT_TABLES, TABLES
from . import relations as rel
from . import statements as st
from .attribution import attribution
from .judged import Judged, Nearby

CONFLICT_COLUMNS = [c.name for c in TABLES["conflicts"].columns if c.name != "conflict_id"]
# A reference of a statement: another source saying it, with its quote and whom it repeats.
REFERENCE_COLUMNS = (
    [c.name for c in TABLES["references"].columns]
    if "references" in TABLES
    else ["fact_id", "source_id", "quote", "original_reporter", "attributed_to"]
)


@dataclass(frozen=True)
class Finding:
    kind: str  # near_duplicate, unused, contradiction
    ids: tuple[str, ...]
    text: str
    suggestion: dict | None = None  # a conflicts row, for contradictions


def _spans(text: str, quote: str) -> list[tuple[int, int]]:
    return [(m.start(), m.start() + len(quote)) for m in re.finditer(re.escape(quote), text)]


def _quotes_overlap(facts: Facts, a: pd.Series, b: pd.Series) -> bool:
    if a["source_id"] != b["source_id"]:
        return False
    text = facts.texts.get(a["source_id"], "")
    sa, sb = _spans(text, a["quote"]), _spans(text, b["quote"])
    return any(x0 < y1 and y0 < x1 for x0, x1 in sa for y0, y1 in sb)


def _same(a, b) -> bool:
    if (a is None or (not isinstance(a, str) and pd.isna(a))) and (
        b is None or (not isinstance(b, str) and pd.isna(b))
    ):
        return True
    return a == b


_KEYS = {
    "money": ("metric", "value", "unit", "date_start", "date_end", "counterparty"),
    "personnel": ("person_id", "status"),
    "events": ("event", "person_id", "value", "unit"),
    "person_names": ("person_id", "name_as_written"),
}


def near_duplicates(facts: Facts) -> list[Finding]:
    out = []
    for table in FACT_TABLES:
        t = facts.tables[table]
        for (_, a), (_, b) in combinations(t.iterrows(), 2):
            if all(_same(a[k], b[k]) for k in _KEYS[table]) and _quotes_overlap(facts, a, b):
                out.append(
                    Finding(
                        "near_duplicate",
                        (a["fact_id"], b["fact_id"]),
                        f"{a['fact_id']} and {b['fact_id']}: same {table} fact "
                        f"({', '.join(k for k in _KEYS[table])}) from overlapping "
                        f"quotes of {a['source_id']}",
                    )
                )
    money, events = facts.tables["money"], facts.tables["events"]
    for _, m in money.dropna(subset=["value"]).iterrows():
        for _, e in events.dropna(subset=["value"]).iterrows():
            if (
                m["value"] == e["value"]
                and m["unit"] == e["unit"]
                and _same(m["date_start"], e["date_start"])
                and _same(m["date_end"], e["date_end"])
            ):
                out.append(
                    Finding(
                        "near_duplicate",
                        (m["fact_id"], e["fact_id"]),
                        f"{m['fact_id']} (money, {m['metric']}) and {e['fact_id']} "
                        f"(events, {e['event']}): same value {m['value']:g} "
                        f"{m['unit']} and period {_period(m)}",
                    )
                )
    return out


def _canonical(facts: Facts, pid: str) -> str:
    p = facts.tables["persons"]
    hit = p.loc[p["person_id"] == pid, "canonical_name"]
    return hit.iloc[0] if len(hit) else pid


def _reading(facts: Facts, s: st.Statement) -> str:
    """A statement's reading in a few words, as conflicts.csv gives it."""
    if s.table == "money":
        party = f" ({s.counterparty})" if s.counterparty else ""
        return f"{st.show(s, long=True)}{party}, {_period(s)}"
    if s.table == "person_names":
        return f"'{s.name}'"
    if s.table == "personnel":
        return f"{s.status} ({s.role or 'no role given'}), {_period(s)}"
    value = "" if s.value is None else f"{formats.amount(s.value, s.unit, s.bound)}, "
    return f"{value}{_period(s)}"


def _topic(facts: Facts, s: st.Statement, kind: str) -> str:
    if s.table == "money":
        party = f" ({s.counterparty})" if s.counterparty else ""
        return f"{formats.words(s.subject).capitalize()}{party}"
    if s.table == "events":
        return formats.words(s.subject).capitalize()
    name = _canonical(facts, s.person)
    return {
        "name": f"{name}'s name",
        "role": f"{name}'s title",
        "date": f"When {name} left",
    }.get(kind, f"What the sources say of {name}")


def _period(s) -> str:
    """A statement's or a row's period as the report writes it: 'Oct 2023 (month)'."""
    if isinstance(s, st.Statement):
        if s.start is None:
            return "undated"
        return formats.period(s.start.isoformat(), s.end.isoformat(), s.precision)
    if pd.isna(s.get("date_start")):
        return "undated"
    return formats.period(
        pd.Timestamp(s["date_start"]).date().isoformat(),
        pd.Timestamp(s["date_end"]).date().isoformat(),
        s.get("date_precision"),
    )


def _suggest(
    topic: str, kind: str, a: st.Statement, reading_a: str, b_id: str, b_quote: str, reading_b: str
) -> dict:
    return {
        "topic": topic,
        "kind": kind,
        "fact_id_a": a.id,
        "quote_a": a.quote,
        "reading_a": reading_a,
        "fact_id_b": b_id,
        "quote_b": b_quote,
        "reading_b": reading_b,
        "analysis_uses": "",
        "rationale": "",
    }


def _named(facts: Facts, reason: str) -> str:
    """A reason with each person id replaced by the person's name."""
    return re.sub(r"\bP\d{3,}\b", lambda m: _canonical(facts, m.group(0)), reason)


def _conflict(facts: Facts, a: st.Statement, b: st.Statement, r: rel.Relation) -> Finding:
    ra, rb = _reading(facts, a), _reading(facts, b)
    label = "candidate " if b.id.startswith("row ") else ""
    why = _named(facts, r.reason)
    return Finding(
        "contradiction",
        (a.id, b.id),
        f"{label}{b.id} and {a.id}: {why}" if label else f"{a.id} and {b.id}: {why}",
        _suggest(_topic(facts, a, r.conflict_kind), r.conflict_kind, a, ra, b.id, b.quote, rb),
    )


def contradictions(facts: Facts, judged: Judged | None = None) -> list[Finding]:
    """Pairs of statements that cannot both hold (intake.relations) and that no recorded
    conflict already holds, each with a suggested conflicts row."""
    judged = judged or Judged.of(facts)
    out = []
    for a, b, r in judged.pairs():
        if r.kind == "conflict" and not judged.covered(a, b):
            out.append(_conflict(facts, a, b, r))
    return out


def original_reporter(quote: str) -> str:
    """The outlet a quote says it repeats ('Bloomberg previously reported ...', 'according to
    the Financial Times'), or empty: read as `extract` reads it (intake.attribution)."""
    return attribution(quote or "").original_reporter


def _referenced(facts: Facts) -> set[tuple[str, str]]:
    """(fact id, source id) of the references already recorded, when the fact base has them."""
    refs = facts.tables.get("references")
    if refs is None or refs.empty:
        return set()
    return set(zip(refs["fact_id"], refs["source_id"]))


def _more_specific(x: st.Statement, y: st.Statement) -> str:
    """What `x` states more precisely than `y` (a narrower period, a value, an exact figure),
    or empty."""
    out = []
    if x.start is not None and (y.start is None or x.end - x.start < y.end - y.start):
        out.append(f"period {_period(x)}")
    if x.value is not None and y.value is None:
        out.append(f"a value, {formats.amount(x.value, x.unit, x.bound)}")
    elif x.value is not None and x.bound == "exact" and y.bound != "exact":
        out.append(f"an exact figure, {st.show(x, long=True)}")
    return "; ".join(out)


def repeats(facts: Facts, judged: Judged | None = None) -> list[Finding]:
    """Statements of different sources that restate each other: one statement with two
    references. The suggestion keeps the statement with the lower id (ids already cited stay)
    and adds the other's source and quote as its reference, saying what the other states more
    precisely (a narrower period, a value, an exact figure) for the reviewer to carry over. Rows
    of relations.PER_SOURCE_TABLES are left out."""
    judged = judged or Judged.of(facts)
    referenced = _referenced(facts)
    recorded = {frozenset((x, y)): cid for x, y, cid in judged.recorded}
    out = []
    for a, b, r in judged.pairs():
        if r.kind != "restates" or a.source_id == b.source_id or a.table in rel.PER_SOURCE_TABLES:
            continue
        keep, other = sorted((a, b), key=lambda s: id_sort_key(s.id))
        if (keep.id, other.source_id) in referenced:
            continue
        ref = {
            "fact_id": keep.id,
            "source_id": other.source_id,
            "quote": other.quote,
            "original_reporter": original_reporter(other.quote),
            "attributed_to": "",
        }
        cid = recorded.get(frozenset((a.id, b.id)))
        note = f" (recorded as conflict {cid})" if cid else ""
        finer = _more_specific(other, keep)
        if finer:
            finer = f"; {other.id} is more specific ({finer}): carry it into {keep.id}"
        out.append(
            Finding(
                "repeat",
                (keep.id, other.id),
                f"{a.id} ({a.source_id}) and {b.id} ({b.source_id}): {_named(facts, r.reason)}"
                f"{note}: one "
                f"statement, {keep.id}, with {other.source_id} as a second reference{finer}",
                ref,
            )
        )
    return out


def candidate_contradictions(facts: Facts, rows: list[dict]) -> list[Finding]:
    """Candidates of an extraction that contradict a fact, each with a suggested conflicts row
    citing the candidate as `row N`; judged as `extract` judges them (a total may be the sum of
    amounts the article lists beside it)."""
    judged = Judged.of(facts)
    stmts = [
        None if (r.get("table") or "") == "conflicts" else st.statement(r, row_id=f"row {i}")
        for i, r in enumerate(rows, start=1)
    ]
    nearby = Nearby(judged, rows, stmts)
    out = []
    for r, c in zip(rows, stmts):
        if c is None:
            continue
        for f, x in judged.related(c, nearby.context(r)):
            if x.kind == "conflict" and not judged.covered(f, c):
                out.append(_conflict(facts, f, c, x))
    return out


def suggestions_csv(
    findings: list[Finding], header: list[str] | None = None, rows: list[dict] | None = None
) -> str:
    """A file `accept` reads: the candidates given (if any), then one conflicts row per
    contradiction, to be completed (analysis_uses, rationale) and marked accept=yes, and, once
    the fact base has a references table, one references row per repeat."""
    cols = list(header or ["accept", "table"])
    with_refs = "references" in TABLES
    for c in ["accept", "table"] + CONFLICT_COLUMNS + (REFERENCE_COLUMNS if with_refs else []):
        if c not in cols:
            cols.append(c)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for r in rows or []:
        w.writerow(r)
    for f in findings:
        if f.suggestion and f.kind == "contradiction":
            w.writerow({**f.suggestion, "accept": "", "table": "conflicts"})
        elif f.suggestion and f.kind == "repeat" and with_refs:
            w.writerow({**f.suggestion, "accept": "", "table": "references"})
    return buf.getvalue()


def _row(values: dict, columns: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow([values.get(c, "") for c in columns])
    return buf.getvalue()


def render(
    dups: list[Finding],
    unused_: list[Finding],
    unused_note: str,
    contra: list[Finding],
    repeats_: list[Finding] = (),
) -> str:
    lines = [f"near-duplicate facts: {len(dups)}"]
    lines += [f"  {f.text}" for f in dups]
    lines.append(f"facts no chapter of the report uses: {len(unused_)} ({unused_note})")
    if unused_:
        lines.append("  " + ", ".join(f.ids[0] for f in unused_))
    lines.append(f"contradictions not recorded in conflicts.csv: {len(contra)}")
    for f in contra:
        lines.append(f"  {f.text}")
        lines.append(
            "    suggested conflicts.csv row ("
            + ",".join(CONFLICT_COLUMNS[:3])
            + ",...; its id is given by accept; analysis_uses and rationale are yours):"
        )
        lines.append(f"    {_row(f.suggestion, CONFLICT_COLUMNS)}")
    lines.append(f"statements that restate one another across sources: {len(repeats_)}")
    for f in repeats_:
        lines.append(f"  {f.text}")
        lines.append(
            f"    suggested references.csv row ({','.join(REFERENCE_COLUMNS)}; "
            f"original_reporter as the quote names it, to check), then {f.ids[1]} goes:"
        )
        lines.append(f"    {_row(f.suggestion, REFERENCE_COLUMNS)}")
    return "\n".join(lines)
