"""Accepting reviewed candidates: `python -m stability_report accept CANDIDATES.csv`.

Every row a reviewer marked `accept` = `yes` goes into its table (`table`, or else
`suggested_table`: money, events, personnel, person_names or conflicts) with the next free id
of that table. Its fields are the columns of the candidates file named as in the table;
`precision` stands in for `date_precision` and `person` for `person_id` when those are absent or
empty. A `person` that is not a person id is a name: it is matched against the canonical names,
or becomes a new person (its `affiliation`, `outcome`, `function`, `seniority` and `sd_author`
then come from the same row). A row whose `restates` names an existing fact (or `row N` of the
same file) is a further source for that statement: it goes into `references` (fact_id,
source_id, quote, the outlet it restates, who it is attributed to), not into a fact table, so
the statement is counted once and cited with all its sources; clear `restates` to record it as a
statement of its own. The reference's `note` is the row's `reference_note` (or, in a row that is
no candidate of `extract`, such as a references row `facts check --out` suggests, its `note`):
a candidate's own `note` is the extraction assistant's word to the reviewer. In a conflicts
row, `fact_id_a`/`fact_id_b` may read `row N`: the fact made from data row N of the same file.
The whole fact base is then validated and written by store.commit: all accepted rows or none,
every problem named by the file, row and column it came from.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ...config import MAX_CELL, MAX_TABLE_BYTES
from ...errors import IntakeError
from ...facts.schema import TABLES
from . import store

TARGETS = ("money", "events", "personnel", "person_names", "conflicts", "references")
ALIASES = {"date_precision": "precision", "person_id": "person"}
_ROW_REF = re.compile(r"row\s+(\d+)", re.I)


@dataclass
class Accepted:
    """What an accept added, table by table, and where each row came from."""

    ids: dict[str, list[str]] = field(default_factory=dict)
    origin: dict[str, int] = field(default_factory=dict)  # new id -> row of the candidates file
    # row of the candidates file -> the id of the row already in the fact base with its content
    already: dict[int, str] = field(default_factory=dict)

    references: list[tuple[str, str]] = field(default_factory=list)  # (fact id, source id)

    def summary(self) -> str:
        parts = [f"{len(v)} {t} ({', '.join(v)})" for t, v in self.ids.items() if v]
        if self.references:
            refs = ", ".join(f"{f} also in {s}" for f, s in self.references)
            parts.append(f"{len(self.references)} references to existing statements ({refs})")
        done = ("accepted " + "; ".join(parts)) if parts else "nothing accepted"
        if self.already:
            same = ", ".join(f"row {r} as {i}" for r, i in sorted(self.already.items()))
            done += f"; already in the fact base, not added again: {same}"
        return done


def _read_text(path: Path) -> str:
    """The candidates file as text: an existing UTF-8 file within MAX_TABLE_BYTES."""
    if not path.exists():
        raise IntakeError(f"{path}: no such file")
    if not path.is_file():
        raise IntakeError(f"{path}: expected a CSV file")
    with path.open("rb") as f:
        data = f.read(MAX_TABLE_BYTES + 1)
    if len(data) > MAX_TABLE_BYTES:
        raise IntakeError(f"{path}: expected a file of at most {MAX_TABLE_BYTES >> 20} MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise IntakeError(f"{path}: expected UTF-8 text; undecodable byte at line {line}") from None


def _check_header(path: Path, header: list[str]) -> None:
    if "accept" not in header:
        raise IntakeError(
            f"{path}: expected a column 'accept' (mark the rows to accept with "
            "yes); the header has none"
        )
    if len(set(header)) != len(header):
        raise IntakeError(f"{path}: expected each column once in the header")


def _row(path: Path, i: int, header: list[str], values: list[str]) -> dict:
    """Data row `i` as a dict ({} for a blank row); a cell over MAX_CELL or a row of the wrong
    width is refused."""
    if values and max(map(len, values)) > MAX_CELL:
        j = next(j for j, v in enumerate(values) if len(v) > MAX_CELL)
        column = f"column '{header[j]}'" if j < len(header) else f"field {j + 1}"
        raise IntakeError(
            f"{path}, row {i}, {column}: expected a cell of at most {MAX_CELL:,} "
            f"characters; got {len(values[j]):,}"
        )
    if not any(v.strip() for v in values):
        return {}
    if len(values) != len(header):
        raise IntakeError(f"{path}, row {i}: expected {len(header)} fields; got {len(values)}")
    return dict(zip(header, values))


def read_candidates(path: Path) -> tuple[list[str], list[dict]]:
    """The header and rows of a candidates file, each problem named by file, row and column."""
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise IntakeError(
            f"{path}: expected a header row and candidate rows; the file is empty"
        ) from None
    _check_header(path, header)
    return header, [_row(path, i, header, values) for i, values in enumerate(reader, start=1)]


def _field(row: dict, name: str) -> str:
    value = (row.get(name) or "").strip()
    if not value and name in ALIASES:
        value = (row.get(ALIASES[name]) or "").strip()
    return value


def _is_person_name(value: str) -> bool:
    """A person given by name rather than by id."""
    return bool(value) and not re.fullmatch(r"P\d{3,}", value)


def _marked(path: Path, rows: list[dict]) -> list[tuple[int, str, dict]]:
    """(row number, target table, row) of each row marked accept=yes."""
    marked = []
    for i, row in enumerate(rows, start=1):
        mark = (row.get("accept") or "").strip().lower()
        if mark in ("", "no"):
            continue
        if mark != "yes":
            raise IntakeError(
                f"{path}, row {i}, column 'accept': expected yes, no or empty; got "
                f"{row.get('accept')!r}"
            )
        table = (row.get("table") or "").strip() or (row.get("suggested_table") or "").strip()
        if table not in TARGETS:
            col = "table" if (row.get("table") or "").strip() else "suggested_table"
            raise IntakeError(
                f"{path}, row {i}, column '{col}': expected one of "
                f"{', '.join(TARGETS)} (set 'table' to the table this row goes "
                f"to); got {table!r}"
            )
        marked.append((i, table, row))
    return marked


def _person_fields(marked: list[tuple[int, str, dict]], known: dict) -> dict[str, dict]:
    """A new person's own fields, from whichever accepted rows name them."""
    person_fields: dict[str, dict] = {}
    for _, table, row in marked:
        name = _field(row, "person_id") if table != "conflicts" else ""
        if _is_person_name(name) and name not in known:
            fields = person_fields.setdefault(name, {})
            for c in TABLES["persons"].columns:
                if not fields.get(c.name) and _field(row, c.name):
                    fields[c.name] = _field(row, c.name)
    return person_fields


def _content(table: str, row: dict) -> tuple:
    idc = store.id_column(table)
    return tuple((row.get(c.name) or "").strip() for c in TABLES[table].columns if c.name != idc)


class _Batch:
    """The rows one accept adds to the fact base read under its lock, with their new ids."""

    def __init__(self, path: Path, existing: dict[str, list[dict]], marked: list) -> None:
        self.path = path
        self.existing = existing
        self.result = Accepted()
        self.fresh = {
            t: store.next_ids(
                (r.get(store.id_column(t), "") for r in existing[t]), store.ID_PREFIX[t]
            )
            for t in store.ID_PREFIX
        }
        self.by_name = {r["canonical_name"].strip(): r["person_id"] for r in existing["persons"]}
        self.person_fields = _person_fields(marked, self.by_name)
        self.new_rows: dict[str, list[dict]] = {t: [] for t in TABLES}
        self.where: dict[tuple[str, int], str] = {}
        self.made: dict[int, str] = {}  # candidates row -> new id
        # What each table already holds, by content: a row accepted before (a retry of the same
        # file) is not added twice.
        self.present = {
            t: {_content(t, r): r.get(store.id_column(t), "") for r in rows}
            for t, rows in existing.items()
        }
        self.referenced = {
            (r.get("fact_id", "").strip(), r.get("source_id", "").strip())
            for r in existing["references"]
        }

    def _append(self, table: str, out: dict, line: int) -> None:
        self.new_rows[table].append(out)
        at = len(self.existing[table]) + len(self.new_rows[table])
        self.where[(table, at)] = f"{self.path}, row {line}"

    def add(self, table: str, out: dict, line: int) -> str:
        """Add a row with the next free id (or the id of the same row already there)."""
        same = self.present[table].get(_content(table, out))
        if same:
            if table != "persons":
                self.result.already[line] = same
            return same
        new_id = next(self.fresh[table])
        out[store.id_column(table)] = new_id
        self._append(table, out, line)
        self.result.ids.setdefault(table, []).append(new_id)
        self.result.origin[new_id] = line
        return new_id

    def person_id(self, name: str, out: dict, line: int) -> str:
        """The id of the person named `name`, added to persons when new."""
        if name not in self.by_name:
            fields = self.person_fields[name]
            person = {c.name: fields.get(c.name, "") for c in TABLES["persons"].columns}
            person["canonical_name"] = name
            person["canonical_note"] = person.get("canonical_note") or (
                f"Added with {out.get('source_id') or 'a new source'}: the name as that "
                "source writes it."
            )
            self.by_name[name] = self.add("persons", person, line)
        return self.by_name[name]

    def fact(self, table: str, row: dict, line: int) -> None:
        out = {c.name: _field(row, c.name) for c in TABLES[table].columns}
        if _is_person_name(out.get("person_id", "")):
            out["person_id"] = self.person_id(out["person_id"], out, line)
        self.made[line] = self.add(table, out, line)

    def row_ref(self, value: str, line: int, col: str) -> str:
        """A fact id as given, or the id of the fact made from `row N` of this file."""
        ref = _ROW_REF.fullmatch(value)
        if not ref:
            return value
        target = int(ref.group(1))
        if target not in self.made:
            raise IntakeError(
                f"{self.path}, row {line}, column '{col}': expected a fact "
                f"id, or 'row N' for a row of this file accepted "
                f"into a fact table; row {target} is not"
            )
        return self.made[target]

    def reference(self, row: dict, line: int) -> None:
        out = {c.name: _field(row, c.name) for c in TABLES["references"].columns}
        # a candidate of `extract` has a `note` for its reviewer ("amount as written: ..."),
        # not a note on the reference: that one is `reference_note`, as in any other row
        note = _field(row, "reference_note")
        out["note"] = note or ("" if _field(row, "candidate") else out["note"])
        out["fact_id"] = self.row_ref(_field(row, "restates"), line, "restates")
        if (out["fact_id"], out["source_id"]) in self.referenced:  # a retry of the same file
            self.result.already[line] = f"{out['fact_id']}@{out['source_id']}"
            return
        self._append("references", out, line)
        self.result.references.append((out["fact_id"], out["source_id"]))

    def conflict(self, row: dict, line: int) -> None:
        out = {c.name: _field(row, c.name) for c in TABLES["conflicts"].columns}
        for col in ("fact_id_a", "fact_id_b"):
            out[col] = self.row_ref(out[col], line, col)
        self.add("conflicts", out, line)


def _sorted_out(marked: list) -> tuple[list, list, list]:
    """Facts, restating rows and conflicts: facts first, so that 'row N' can name them."""
    facts, restating, conflicts = [], [], []
    for line, table, row in marked:
        if table == "conflicts":
            conflicts.append((line, row))
            continue
        if table == "references":  # a references row as `facts check --out` suggests it
            row = {**row, "restates": _field(row, "fact_id")}
        if _field(row, "restates"):
            restating.append((line, row))
        else:
            facts.append((line, table, row))
    return facts, restating, conflicts


def accept(path: Path, facts_dir: Path, raw_dir: Path) -> Accepted:
    """Move the rows marked accept=yes into the fact tables; all or nothing."""
    path = Path(path)
    _, rows = read_candidates(path)
    marked = _marked(path, rows)
    if not marked:
        return Accepted()
    with store.locked(facts_dir, raw_dir):
        batch = _Batch(path, {t: store.read_table(facts_dir, t) for t in TABLES}, marked)
        facts, restating, conflicts = _sorted_out(marked)
        for line, table, row in facts:
            batch.fact(table, row, line)
        for line, row in restating:
            batch.reference(row, line)
        for line, row in conflicts:
            batch.conflict(row, line)
        if any(batch.new_rows.values()):
            store.commit(
                facts_dir,
                raw_dir,
                {t: store.csv_rows(t, v, facts_dir) for t, v in batch.new_rows.items() if v},
                where=batch.where,
            )
    return batch.result
