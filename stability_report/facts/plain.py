"""The fact base as strings: every row by id and the text of every source, for the render
process, which does not import pandas (it is on the benchmark's critical path). Each table is
read by the one reader of the fact tables (facts.read), the same the kernel's loader types and
validates (facts.load) before the render starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import FactsError, Problem
from .ids import PREFIX_TABLE
from .read import decode, display_path, read_file, read_rows
from .schema import OPTIONAL_TABLES, TABLES

_PREFIXED = set(PREFIX_TABLE.values())  # the tables whose rows have ids of their own


@dataclass
class FactBase:
    """The rows of every table by id, and the text of every source, as the run read them."""

    facts_dir: Path
    raw_dir: Path
    rows: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)  # id -> (table, row)
    sources: list[dict[str, str]] = field(default_factory=list)  # in file order
    texts: dict[str, str] = field(default_factory=dict)  # source id -> the article's text
    files: dict[str, Path] = field(default_factory=dict)  # source id -> its raw file
    # fact id -> the rows of `references` that report it too, in file order
    further: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    @classmethod
    def load(cls, facts_dir: Path, raw_dir: Path) -> FactBase:
        """Read every table of the schema whose file exists in facts_dir (values stripped as
        the loader strips them) and every source file sources.csv names. Raises FactsError (a
        ValueError) naming each file, row and column that cannot be read."""
        fb = cls(Path(facts_dir), Path(raw_dir))
        problems: list[Problem] = []
        for name, table in TABLES.items():
            path = fb.facts_dir / table.file
            shown = display_path(path)
            data = read_file(path, shown, problems)
            if not isinstance(data, bytes):  # absent (a partial fact base) or not readable
                continue
            rows = read_rows(data, shown, table, problems, optional=name in OPTIONAL_TABLES)
            if rows is not None:
                fb._add(name, rows.records())
        for s in fb.sources:
            f = fb.raw_dir / s["file"]
            shown = display_path(f)
            data = read_file(f, shown, problems)
            if data is None:
                problems.append(Problem(shown, None, None, "the file to exist"))
            text = decode(data, shown, problems) if isinstance(data, bytes) else None
            if text is not None:
                fb.files[s["source_id"]] = f
                fb.texts[s["source_id"]] = text
        if problems:
            raise FactsError(problems)
        return fb

    def _add(self, name: str, records: list[dict[str, str]]) -> None:
        """The rows of one table, filed by id (references: by the fact they report)."""
        if name == "references":
            for row in records:
                self.further.setdefault(row["fact_id"], []).append(row)
            return
        if name == "sources":
            self.sources.extend(records)
        id_col = next((c.name for c in TABLES[name].columns if c.kind == "id" and c.unique), None)
        if name in _PREFIXED and id_col:
            for row in records:
                if row[id_col]:
                    self.rows[row[id_col]] = (name, row)

    def __contains__(self, fid: str) -> bool:
        return fid in self.rows

    def table(self, fid: str) -> str:
        return self.rows[fid][0]

    def row(self, fid: str) -> dict[str, str]:
        return self.rows[fid][1]

    def sources_of(self, fid: str) -> list[str]:
        """Every source that reports a fact: its own, then its further references'."""
        own = self.source_of(fid)
        return list(
            dict.fromkeys([own or ""] + [r["source_id"] for r in self.further.get(fid, [])])
        )

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
        own = [(row.get("source_id", ""), row["quote"])] if row.get("quote") else []
        return own + [(r["source_id"], r["quote"]) for r in self.further.get(fid, [])]

    def person_name(self, pid: str) -> str:
        if pid in self.rows and self.table(pid) == "persons":
            return self.row(pid).get("canonical_name", "")
        return ""

    @cached_property
    def shared_event_quotes(self) -> set[tuple[str, str]]:
        """(source id, quote) of every quote that states more than one event (one sentence
        giving two board changes): their entries need a subject to read apart. Read once."""
        seen: set[tuple[str, str]] = set()
        shared: set[tuple[str, str]] = set()
        for table, r in self.rows.values():
            if table == "events":
                key = (r.get("source_id", ""), r.get("quote", ""))
                (shared if key in seen else seen).add(key)
        return shared
