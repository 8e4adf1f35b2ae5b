"""The fact base read with the csv module: every row by id and the text of every source, for the
render process, which does not import pandas (it is on the benchmark's critical path). The
kernel validated the same files (facts.load) before the render starts.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from .ids import PREFIX_TABLE
from .schema import TABLES


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
            id_col = next(
                (c.name for c in TABLES[name].columns if c.kind == "id" and c.unique), None
            )
            for row in csv.DictReader(io.StringIO(text, newline="")):
                row = {k: (v or "").strip() for k, v in row.items() if k is not None}
                if name == "references":
                    fb.further.setdefault(row.get("fact_id", ""), []).append(row)
                    continue
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
