"""The one way to read the fact base: load every table, validate it against the declared schema
with pandera, and return all of it or nothing.

Errors name the file, the row (1 = first row under the header), the column and what was expected.
"""

from __future__ import annotations

import csv
import hashlib
import io
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import paths
from .schema import FACT_TABLES, TABLES, Column, Table, data_dictionary

_SEP = "\x1f"  # separates the column name from the expectation inside a pandera check's error


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # 1-based data row; None for the file or its header
    column: str | None
    expected: str
    got: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        got = "" if self.got is None else f"; got {self.got!r}"
        return f"{where}: expected {self.expected}{got}"


class FactsError(ValueError):
    """The fact base is invalid. `problems` lists every problem found, each locatable."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:25])
        more = f"\n  ... and {len(problems) - 25} more" if len(problems) > 25 else ""
        super().__init__(f"invalid fact base ({len(problems)} problem(s)):\n{shown}{more}")


class MissingFact(LookupError):
    """A fact a computation needs is not in the (as-of filtered) fact base."""


@dataclass(frozen=True)
class Facts:
    """The validated fact base: one DataFrame per table, plus the source texts."""

    tables: dict[str, pd.DataFrame]
    texts: dict[str, str] = field(repr=False)
    digest: str = ""

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def all_facts(self) -> pd.DataFrame:
        """Every quoted fact of every fact table: fact_id, table, source_id, quote."""
        frames = [
            self.tables[t][["fact_id", "source_id", "quote"]].assign(table=t) for t in FACT_TABLES
        ]
        return pd.concat(frames, ignore_index=True)

    def quote(self, fact_id: str) -> str:
        facts = self.all_facts().set_index("fact_id")
        return str(facts.loc[fact_id, "quote"])

    def as_of(self, when: date | str) -> "Facts":
        """The facts a reader could have had on `when`.

        A source counts once the earliest publication date its text allows has passed; a fact
        counts when its source does and the period it refers to has begun (undated facts count
        with their source). Conflicts count when both of their facts do.
        """
        when = pd.Timestamp(when)
        src = self.tables["sources"]
        kept_sources = set(src.loc[src["published_start"] <= when, "source_id"])
        tables = {"sources": src[src["source_id"].isin(kept_sources)].reset_index(drop=True)}
        for name in FACT_TABLES:
            t = self.tables[name]
            keep = t["source_id"].isin(kept_sources)
            if "date_start" in t:
                keep &= t["date_start"].isna() | (t["date_start"] <= when)
            tables[name] = t[keep].reset_index(drop=True)
        ids = set().union(*(set(tables[n]["fact_id"]) for n in FACT_TABLES))
        c = self.tables["conflicts"]
        tables["conflicts"] = c[c["fact_id_a"].isin(ids) & c["fact_id_b"].isin(ids)].reset_index(
            drop=True
        )
        people = set(tables["personnel"]["person_id"]) | set(tables["person_names"]["person_id"])
        p = self.tables["persons"]
        tables["persons"] = p[p["person_id"].isin(people)].reset_index(drop=True)
        texts = {k: v for k, v in self.texts.items() if k in kept_sources}
        return Facts(tables=tables, texts=texts, digest=self.digest)

    def newest_fact_date(self) -> pd.Timestamp | None:
        """The latest date any dated fact refers to (the start of its period), or None."""
        starts = [self.tables[n]["date_start"].dropna() for n in ("personnel", "money", "events")]
        starts = [s for s in starts if len(s)]
        return max(s.max() for s in starts) if starts else None


# ---------------------------------------------------------------------------------------------
# reading


def _read_rows(path: Path, display: str, table: Table, problems: list[Problem]) -> pd.DataFrame | None:
    """Decode and split one CSV file into a frame of strings, or record why it cannot be read."""
    if not path.exists():
        problems.append(Problem(display, None, None, "the file to exist"))
        return None
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        problems.append(
            Problem(display, None, None, f"UTF-8 text (undecodable byte at line {line}, "
                    f"byte offset {e.start})", repr(raw[e.start : e.start + 1]))
        )
        return None
    if not text.strip():
        problems.append(Problem(display, None, None, "a header row and at least one data row",
                                "an empty file"))
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    names = [c.name for c in table.columns]
    missing = [n for n in names if n not in header]
    extra = [h for h in header if h not in names]
    for n in missing:
        problems.append(Problem(display, None, n, "this column in the header", "no such column"))
    for h in extra:
        problems.append(Problem(display, None, h, f"only the columns {names}", "an unknown column"))
    if len(set(header)) != len(header):
        problems.append(Problem(display, None, None, "each column once in the header"))
    if missing or extra or len(set(header)) != len(header):
        return None
    rows = []
    for i, row in enumerate(reader, start=1):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(Problem(display, i, None, f"{len(header)} fields", f"{len(row)} fields"))
            continue
        rows.append(row)
    if not rows and not any(p.file == display for p in problems):
        problems.append(Problem(display, None, None, "at least one data row", "only a header"))
        return None
    frame = pd.DataFrame(rows, columns=header, dtype=object)[names]
    frame.index = pd.RangeIndex(1, len(frame) + 1)  # row numbers as users count them
    return frame


def _coerce(frame: pd.DataFrame, table: Table, display: str, problems: list[Problem]) -> pd.DataFrame:
    """Turn strings into typed values; every value that does not parse is a problem."""
    out = frame.copy()
    for col in table.columns:
        values = frame[col.name].map(lambda v: v.strip() if isinstance(v, str) else v)
        if col.kind in ("number", "int", "date"):
            parsed = []
            for row, v in values.items():
                if v == "":
                    parsed.append(None)
                    continue
                try:
                    if col.kind == "number":
                        x = float(v.replace(",", "")) if v.replace(",", "").strip() else None
                        if x is not None and x != x:
                            raise ValueError
                    elif col.kind == "int":
                        x = int(v)
                    else:
                        x = date.fromisoformat(v)
                        if len(v) != 10:
                            raise ValueError
                    parsed.append(x)
                except ValueError:
                    expected = {"number": "a number (digits, optional decimal point)",
                                "int": "a whole number",
                                "date": "an ISO date YYYY-MM-DD"}[col.kind]
                    problems.append(Problem(display, row, col.name, expected, v))
                    parsed.append(None)
            if col.kind == "date":
                out[col.name] = pd.to_datetime(pd.Series(parsed, index=frame.index, dtype=object))
            elif col.kind == "int":
                out[col.name] = pd.array(parsed, dtype="Int64")
            else:
                out[col.name] = pd.to_numeric(pd.Series(parsed, index=frame.index, dtype=object))
        else:
            out[col.name] = values.replace("", None)
    return out


# ---------------------------------------------------------------------------------------------
# validation


def _check(fn, column: str, expected: str, **kw) -> pa.Check:
    return pa.Check(fn, error=f"{column}{_SEP}{expected}", **kw)


def _column_checks(col: Column, refs: dict[str, set[str]]) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if col.allowed:
        checks.append(pa.Check.isin(col.allowed, error=f"one of {list(col.allowed)}"))
    if col.pattern:
        checks.append(pa.Check.str_matches(col.pattern, error=f"a value matching {col.pattern}"))
    if col.ge is not None:
        checks.append(pa.Check.ge(col.ge, error=f"a value >= {col.ge:g}"))
    if col.kind in ("text", "id", "enum"):
        checks.append(pa.Check(lambda s: s.str.strip().str.len() > 0, element_wise=False,
                               error="a non-blank value"))
    if col.ref:
        known = refs.get(col.ref, set())
        checks.append(pa.Check.isin(sorted(known), error=f"an id defined in {col.ref}"))
    return checks


def _schema(table: Table, refs: dict[str, set[str]], texts: dict[str, str],
            source_of_fact: dict[str, str]) -> pa.DataFrameSchema:
    columns = {}
    for col in table.columns:
        dtype = {"number": "float64", "int": "Int64"}.get(col.kind)
        columns[col.name] = pa.Column(
            dtype, checks=_column_checks(col, refs), nullable=not col.required, unique=col.unique,
            coerce=False, report_duplicates="all",
        )
    checks: list[pa.Check] = []
    names = {c.name for c in table.columns}

    def verbatim(column: str, source_col: str | None, via_fact: bool = False):
        def fn(df: pd.DataFrame) -> pd.Series:
            def ok(row) -> bool:
                if pd.isna(row[column]):
                    return True
                if via_fact:
                    sid = source_of_fact.get(row[source_col])
                elif source_col is None:
                    sid = row["source_id"]
                else:
                    sid = row[source_col]
                text = texts.get(sid)
                return text is None or row[column] in text

            return df.apply(ok, axis=1)

        return _check(fn, column, "an exact substring of the source article")

    for col in table.columns:
        if not col.verbatim:
            continue
        if table.name == "conflicts":
            checks.append(verbatim(col.name, "fact_id_" + col.name[-1], via_fact=True))
        else:
            checks.append(verbatim(col.name, "source_id"))
    for lo, hi in (("date_start", "date_end"), ("published_start", "published_end")):
        if {lo, hi} <= names:
            checks.append(_check(lambda df, lo=lo, hi=hi: ~(df[lo] > df[hi]), hi,
                                 f"a date on or after {lo} (the interval is inverted)"))
    if "date_precision" in names:
        def undated_consistent(df: pd.DataFrame) -> pd.Series:
            empty = df["date_start"].isna() | df["date_end"].isna()
            return empty == (df["date_precision"] == "undated")

        checks.append(_check(undated_consistent, "date_precision",
                             "`undated` exactly when date_start and date_end are empty"))
    if table.name == "money":
        checks.append(_check(lambda df: df["value"].isna() == (df["bound"] == "unknown"), "value",
                             "an amount, empty exactly when bound is `unknown`"))
        checks.append(_check(lambda df: ~((df["unit"] == "percent") & (df["value"] > 100)),
                             "value", "a percentage of at most 100"))
    if table.name == "person_names":
        checks.append(_check(lambda df: df.apply(lambda r: r["name_as_written"] in r["quote"],
                                                 axis=1),
                             "name_as_written", "a name that occurs in the quote"))
    if table.name == "conflicts":
        checks.append(_check(lambda df: df["fact_id_a"] != df["fact_id_b"], "fact_id_b",
                             "a fact different from fact_id_a"))
    if table.name == "events":
        checks.append(_check(lambda df: df["value"].isna() | df["unit"].notna(), "unit",
                             "a unit whenever value is given"))
    return pa.DataFrameSchema(columns, checks=checks, strict=True, ordered=False)


def _problems_from(err: pa.errors.SchemaErrors, display: str) -> list[Problem]:
    out = []
    for fc in err.failure_cases.itertuples(index=False):
        column = None if pd.isna(fc.column) else str(fc.column)
        expected = str(fc.check)
        if _SEP in expected:
            column, expected = expected.split(_SEP, 1)
        elif expected == "field_uniqueness":
            expected = "a unique value (this one is duplicated)"
        elif expected.startswith("not_nullable"):
            expected = "a value (this column is required)"
        elif expected.startswith("dtype("):
            expected = f"values of type {expected[6:-1]}"
        row = None if pd.isna(fc.index) else int(fc.index)
        got = None if pd.isna(fc.failure_case) or _SEP in str(fc.check) else str(fc.failure_case)
        if _SEP in str(fc.check) and row is not None:
            got = None
        out.append(Problem(display, row, column, expected, got))
    return sorted(set(out), key=lambda p: (p.row or 0, p.column or "", p.expected))


# ---------------------------------------------------------------------------------------------


# The last fact base loaded in this process, by the content of what it was read from: the
# notebooks of one run share a kernel, and each loads the facts (validation costs 0.1-0.3 s).
_cache: dict[str, tuple[dict[str, str], Facts]] = {}


def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def raw_files(raw_dir: Path) -> list[Path]:
    """The articles in the raw directory: its regular files, hidden ones aside."""
    if not raw_dir.is_dir():
        return []
    return sorted(f for f in raw_dir.iterdir() if not f.name.startswith(".") and f.is_file())


def _tables_key(facts_dir: Path, raw_dir: Path) -> str:
    """The directories, the content of every table file (None for a missing one) and the names
    of the files in the raw directory (a file dropped there must be noticed)."""
    parts = [str(facts_dir.resolve()), str(raw_dir.resolve())]
    parts += [f"{t.file}={_sha(facts_dir / t.file)}" for t in TABLES.values()]
    parts += [f.name for f in raw_files(raw_dir)]
    return "\n".join(parts)


def _copy(facts: Facts) -> Facts:
    """The same facts in frames of their own: a caller that changes its frames in place does
    not change what the next caller gets."""
    return Facts(tables={k: v.copy() for k, v in facts.tables.items()}, texts=dict(facts.texts),
                 digest=facts.digest)


def load_facts(facts_dir: Path | str = paths.FACTS, raw_dir: Path | str = paths.RAW) -> Facts:
    """Load and validate every fact table. Raises FactsError listing every problem found.

    A fact base already loaded in this process from the same directories, with the same bytes
    in every table file and every source file it read, is not validated again: a copy of it is
    returned."""
    facts_dir, raw_dir = Path(facts_dir), Path(raw_dir)
    try:
        key = _tables_key(facts_dir, raw_dir)
    except OSError:
        key = None
    hit = _cache.get(key) if key is not None else None
    if hit is not None and all(_sha(Path(f)) == sha for f, sha in hit[0].items()):
        return _copy(hit[1])
    read: dict[str, str] = {}
    facts = _load_facts(facts_dir, raw_dir, read)
    if key is not None and key == _tables_key(facts_dir, raw_dir):  # unchanged while loading
        _cache.clear()
        _cache[key] = (read, facts)
    return _copy(facts)


def display_path(path: Path) -> str:
    """A path as messages show it: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def _load_facts(facts_dir: Path, raw_dir: Path, read: dict[str, str]) -> Facts:
    """load_facts without the cache; records the source files it reads (path -> sha256)."""
    problems: list[Problem] = []
    frames: dict[str, pd.DataFrame] = {}
    digest = hashlib.sha256()

    def display(t: Table) -> str:
        try:
            return str((facts_dir / t.file).relative_to(paths.ROOT))
        except ValueError:
            return str(facts_dir / t.file)

    for t in TABLES.values():
        path = facts_dir / t.file
        frame = _read_rows(path, display(t), t, problems)
        if frame is not None:
            frames[t.name] = _coerce(frame, t, display(t), problems)
            digest.update(path.read_bytes())
    if problems:
        raise FactsError(problems)

    texts: dict[str, str] = {}
    src = frames["sources"]
    for row, r in src.iterrows():
        f = raw_dir / str(r["file"])
        if not f.exists():
            problems.append(Problem(display(TABLES["sources"]), row, "file",
                                    f"a file in {raw_dir}", str(r["file"])))
            continue
        data = f.read_bytes()
        read[str(f)] = hashlib.sha256(data).hexdigest()
        digest.update(data)
        if read[str(f)] != r["sha256"]:
            problems.append(Problem(display(TABLES["sources"]), row, "sha256",
                                    "the SHA-256 of the raw file (was the source changed?)"))
        texts[r["source_id"]] = data.decode("utf-8")
    registered = set(src["file"].dropna())
    for f in raw_files(raw_dir):
        if f.name not in registered:
            shown = display_path(f)
            problems.append(Problem(
                shown, None, None,
                f"every article in {display_path(raw_dir)} to be registered in sources.csv; register "
                f"this one with `python -m stability_report sources add {shown}`",
                "a file that sources.csv does not list"))

    refs: dict[str, set[str]] = {}
    for t in TABLES.values():
        for c in t.columns:
            if c.unique and c.kind == "id":
                refs[f"{t.name}.{c.name}"] = set(frames[t.name][c.name].dropna())
    refs["*"] = set().union(*(refs[f"{t}.fact_id"] for t in FACT_TABLES))
    source_of_fact = {
        fid: sid
        for t in FACT_TABLES
        for fid, sid in zip(frames[t]["fact_id"], frames[t]["source_id"])
    }
    all_ids = [fid for t in FACT_TABLES for fid in frames[t]["fact_id"].dropna()]
    dupes = sorted({i for i in all_ids if all_ids.count(i) > 1})
    for t in TABLES.values():
        schema = _schema(t, refs, texts, source_of_fact)
        try:
            schema.validate(frames[t.name], lazy=True)
        except pa.errors.SchemaErrors as e:
            problems.extend(_problems_from(e, display(t)))
    if dupes:
        problems.append(Problem(str(facts_dir), None, "fact_id",
                                "fact ids unique across all fact tables", ", ".join(dupes)))
    if problems:
        raise FactsError(problems)
    for name, frame in frames.items():
        frames[name] = frame.reset_index(drop=True)
    return Facts(tables=frames, texts=texts, digest=digest.hexdigest())


def main(argv: list[str] | None = None) -> int:
    """`python -m stability_report.facts [--dictionary]`: validate, or print the data dictionary."""
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--dictionary"]:
        print(data_dictionary(), end="")
        return 0
    try:
        facts = load_facts()
    except FactsError as e:
        print(e, file=sys.stderr)
        return 1
    counts = ", ".join(f"{n} {name}" for name, n in ((k, len(v)) for k, v in facts.tables.items()))
    print(f"fact base valid: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
