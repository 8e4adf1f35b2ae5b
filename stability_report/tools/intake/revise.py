"""Undoing and correcting what intake added: `reject ID ...`, `sources remove S00N` and
`sources replace S00N FILE`.

Each change works on the table files as records (intake.records): the records it removes are
deleted exactly and the records it changes are written again, every other byte stays, so
undoing the last `sources add` and `accept` gives back every file as it was. The result is
validated as a whole and written all or nothing by store.commit.

- A fact goes with everything that depends on it: its further references, the conflicts that
  cite it, and the persons that no remaining fact names.
- Removing a source removes its raw file, the references it gives, and the facts whose own
  source it is; a fact that other sources also report stays, with the same id: its first
  further reference becomes its own source and quote.
- Replacing a source's text (a corrected article) is intake.replace, on the same records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import IntakeError
from ...facts.load import display_path
from ...facts.schema import FACT_TABLES, TABLES
from . import store
from .records import TableFile

# The columns a fact takes from the further reference that becomes its first.
FIRST_REFERENCE = ("source_id", "quote", "original_reporter", "attributed_to")
PERSON_COLUMNS = {"personnel": "person_id", "person_names": "person_id", "events": "person_id"}


@dataclass
class Revision:
    """What a change did, by id, for the command's report."""

    removed: dict[str, list[str]] = field(default_factory=dict)  # table -> ids
    notes: list[str] = field(default_factory=list)

    def remove(self, table: str, ident: str) -> None:
        ids = self.removed.setdefault(table, [])
        if ident not in ids:
            ids.append(ident)

    def summary(self) -> str:
        order = ("sources", "references", *FACT_TABLES, "conflicts", "persons")
        parts = [f"{t} {', '.join(self.removed[t])}" for t in order if self.removed.get(t)]
        lines = ["removed " + "; ".join(parts)] if parts else []
        return "\n".join(lines + self.notes) or "nothing changed"


class Base:
    """The table files of a fact base as records, with the rows a change drops or rewrites."""

    def __init__(self, facts_dir: Path):
        self.facts_dir = Path(facts_dir)
        try:
            self.original = {t: store._current(self.facts_dir, t) for t in TABLES}
        except FileNotFoundError as e:
            raise IntakeError(f"{display_path(Path(e.filename))}: no such file") from None
        self.files = {
            t: TableFile(data, display_path(self.facts_dir / TABLES[t].file))
            for t, data in self.original.items()
        }
        self.dropped: dict[str, set[int]] = {t: set() for t in TABLES}

    def rows(self, table: str) -> list[tuple[int, dict[str, str]]]:
        return [(n, r) for n, r in self.files[table].rows() if n not in self.dropped[table]]

    def drop(self, table: str, number: int) -> None:
        self.dropped[table].add(number)

    def set(self, table: str, number: int, fields: dict[str, str]) -> None:
        self.files[table].set(number, fields)

    def shown(self, table: str, number: int, column: str) -> str:
        return (
            f"{display_path(self.facts_dir / TABLES[table].file)}, row {number}, column {column!r}"
        )

    def fact(self, fact_id: str) -> tuple[str, int, dict[str, str]] | None:
        for t in FACT_TABLES:
            for n, r in self.rows(t):
                if r.get("fact_id") == fact_id:
                    return t, n, r
        return None

    def own_source(self) -> dict[str, str]:
        return {r["fact_id"]: r.get("source_id", "") for t in FACT_TABLES for _, r in self.rows(t)}

    def rewritten(self) -> dict[str, bytes]:
        """The new bytes of every table the change altered."""
        out = {}
        for t, f in self.files.items():
            f.drop(self.dropped[t])
            self.dropped[t] = set()
            data = f.to_bytes()
            if data != self.original[t]:
                out[t] = data
        return out


def _named(base: Base) -> dict[str, set[str]]:
    """Person id -> the ids of the facts that name it."""
    out: dict[str, set[str]] = {}
    for t, col in PERSON_COLUMNS.items():
        for _, r in base.rows(t):
            if r.get(col):
                out.setdefault(r[col], set()).add(r["fact_id"])
    return out


def _remove_facts(base: Base, fact_ids: set[str], done: Revision) -> None:
    """Drop the facts, their further references, the conflicts citing them, and the persons
    only they named."""
    if not fact_ids:
        return
    named_before = _named(base)
    for t in FACT_TABLES:
        _drop(base, t, done, lambda r: r.get("fact_id") in fact_ids, lambda r: r["fact_id"])
    _drop(
        base,
        "references",
        done,
        lambda r: r.get("fact_id") in fact_ids,
        lambda r: f"{r['fact_id']}@{r.get('source_id', '')}",
    )
    _drop(
        base,
        "conflicts",
        done,
        lambda r: r.get("fact_id_a") in fact_ids or r.get("fact_id_b") in fact_ids,
        lambda r: r["conflict_id"],
    )
    named_after = _named(base)
    orphans = {p for p, ids in named_before.items() if ids & fact_ids and p not in named_after}
    _drop(base, "persons", done, lambda r: r.get("person_id") in orphans, lambda r: r["person_id"])


def _drop(base: Base, table: str, done: Revision, hit, label) -> None:
    """Drop the rows of `table` for which `hit(row)`, each noted in `done` as `label(row)`."""
    for n, r in base.rows(table):
        if hit(r):
            base.drop(table, n)
            done.remove(table, label(r))


def _texts(base: Base, raw_dir: Path) -> dict[str, str]:
    """The text of each registered article that can be read (the loader validates the rest)."""
    out = {}
    for _, r in base.rows("sources"):
        try:
            out[r["source_id"]] = (Path(raw_dir) / r["file"]).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError, KeyError):
            pass
    return out


def source_row(base: Base, source_id: str) -> tuple[int, dict[str, str]]:
    for n, r in base.rows("sources"):
        if r.get("source_id") == source_id:
            return n, r
    known = ", ".join(r["source_id"] for _, r in base.rows("sources")) or "none"
    raise IntakeError(
        f"{display_path(base.facts_dir / 'sources.csv')}: expected a registered source id "
        f"(the sources are {known}); got {source_id!r}"
    )


def remove_source(source_id: str, facts_dir: Path, raw_dir: Path) -> Revision:
    """Remove a source, its article, its references and the facts only it reports."""
    facts_dir, raw_dir = Path(facts_dir), Path(raw_dir)
    done = Revision()
    with store.locked(facts_dir):
        base = Base(facts_dir)
        row_no, src = source_row(base, source_id)
        for n, r in base.rows("references"):
            if r.get("source_id") == source_id:
                base.drop("references", n)
                done.remove("references", f"{r['fact_id']}@{source_id}")
        texts = _texts(base, raw_dir)
        gone: set[str] = set()
        for t in FACT_TABLES:
            for n, r in base.rows(t):
                if r.get("source_id") != source_id:
                    continue
                further = [
                    (m, x) for m, x in base.rows("references") if x["fact_id"] == r["fact_id"]
                ]
                if not further:
                    gone.add(r["fact_id"])
                    continue
                m, ref = further[0]
                _promote(base, t, n, r, m, ref, texts, done)
        _remove_facts(base, gone, done)
        base.drop("sources", row_no)
        done.remove("sources", source_id)
        article = raw_dir / src["file"]
        removed = (src["file"],) if article.is_file() else ()
        store.commit(facts_dir, raw_dir, {}, rewritten=base.rewritten(), removed_articles=removed)
    if removed:
        done.notes.insert(0, f"deleted {display_path(article)}")
    return done


def _promote(base, table, n, fact, m, ref, texts, done: Revision) -> None:
    """The further reference `ref` (references row m) becomes the fact's own source and quote;
    conflicts quoting the fact's old quote quote the new one where theirs is no longer in the
    fact's source."""
    fields = dict(fact)
    for c in FIRST_REFERENCE:
        if c in base.files[table].columns:
            fields[c] = ref.get(c, "")
    base.set(table, n, fields)
    base.drop("references", m)
    note = (
        f"kept {fact['fact_id']}: its first reference is now {ref['source_id']} "
        f"(was {fact['source_id']}); quote {ref['quote']!r}"
    )
    if (ref.get("note") or "").strip():
        note += f"; that reference's note: {ref['note']!r}"
    if (fact.get("inference_note") or "").strip():
        note += "; check its inference_note, written for the old quote"
    done.notes.append(note)
    new_text = texts.get(ref["source_id"], "")
    for k, c in base.rows("conflicts"):
        changed = dict(c)
        for side in ("a", "b"):
            if c.get(f"fact_id_{side}") == fact["fact_id"] and c[f"quote_{side}"] not in new_text:
                changed[f"quote_{side}"] = ref["quote"]
                done.notes.append(
                    f"{c['conflict_id']}: quote_{side} now {ref['source_id']}'s quote of "
                    f"{fact['fact_id']}"
                )
        if changed != c:
            base.set("conflicts", k, changed)


def _parse_target(ident: str, base: Base) -> tuple[str, str]:
    """('fact' | 'conflict' | 'reference', ident) for an id given to `reject`."""
    ident = ident.strip()
    if "@" in ident:
        fid, _, sid = ident.partition("@")
        for _, r in base.rows("references"):
            if r.get("fact_id") == fid and r.get("source_id") == sid:
                return "reference", ident
        raise IntakeError(
            f"{display_path(base.facts_dir / 'references.csv')}: expected a reference "
            f"FACT_ID@SOURCE_ID of that table; no row has fact_id {fid!r} and source_id {sid!r}"
        )
    if base.fact(ident) is not None:
        return "fact", ident
    if any(r.get("conflict_id") == ident for _, r in base.rows("conflicts")):
        return "conflict", ident
    hint = ""
    if re.fullmatch(r"S\d+", ident):
        hint = f" (a source is removed with `sources remove {ident}`)"
    elif re.fullmatch(r"P\d+", ident):
        hint = " (a person goes when no remaining fact names them: reject those facts)"
    raise IntakeError(
        f"reject: expected a fact id (M..., E..., R..., N...), a conflict id (C...) or a "
        f"reference FACT_ID@SOURCE_ID of {display_path(base.facts_dir)}; got {ident!r}, which "
        f"it does not hold{hint}"
    )


def reject(ids: list[str], facts_dir: Path, raw_dir: Path) -> Revision:
    """Undo accepted rows: facts (with what depends on them), conflicts, further references."""
    facts_dir, raw_dir = Path(facts_dir), Path(raw_dir)
    done = Revision()
    with store.locked(facts_dir):
        base = Base(facts_dir)
        targets = [_parse_target(i, base) for i in ids]
        facts = {i for kind, i in targets if kind == "fact"}
        for kind, ident in targets:
            if kind == "conflict":
                for n, r in base.rows("conflicts"):
                    if r["conflict_id"] == ident:
                        base.drop("conflicts", n)
                        done.remove("conflicts", ident)
            elif kind == "reference":
                fid, _, sid = ident.partition("@")
                for n, r in base.rows("references"):
                    if r["fact_id"] == fid and r["source_id"] == sid:
                        base.drop("references", n)
                        done.remove("references", ident)
        _remove_facts(base, facts, done)
        store.commit(facts_dir, raw_dir, {}, rewritten=base.rewritten())
    return done
