"""The one way to read the fact base: load every table, validate it against the declared schema
with pandera, and return all of it or nothing.

Errors name the file, the row (1 = first row under the header), the column and what was expected.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import math
import os
import re
import stat
import sys
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import paths
from .schema import (
    FACT_TABLES,
    FORBIDDEN_CHARS,
    FORBIDDEN_TEXT,
    FORBIDDEN_TEXT_RULE,
    TABLES,
    Column,
    Table,
    data_dictionary,
    id_sort_key,
)

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

    def as_of(self, when: date | str) -> Facts:
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


def _decode(data: bytes, display: str, problems: list[Problem]) -> str | None:
    """UTF-8 text (a byte-order mark dropped), or record where the first undecodable byte is."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        problems.append(
            Problem(
                display,
                None,
                None,
                f"UTF-8 text (undecodable byte at line {line}, byte offset {e.start})",
                repr(data[e.start : e.start + 1]),
            )
        )
        return None


# What an unknown column name may look like to be shown back in a message. Anything else (the
# first line of some other file the table's path leads to) is described, not echoed.
_SHOWABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_ .-]{0,63}$")


def _check_header(header: list[str], display: str, table: Table, problems: list[Problem]) -> bool:
    names = [c.name for c in table.columns]
    known = [h for h in header if h in names]
    if not known:
        problems.append(
            Problem(
                display,
                None,
                None,
                f"a header row naming the columns of {table.file} ({', '.join(names)})",
                "a first line that names none of them",
            )
        )
        return False
    missing = [n for n in names if n not in header]
    extra = [h for h in header if h not in names]
    for n in missing:
        problems.append(Problem(display, None, n, "this column in the header", "no such column"))
    for h in extra:
        shown = h if _SHOWABLE_NAME.match(h) else None
        problems.append(
            Problem(
                display,
                None,
                shown,
                f"only the columns {names}",
                "an unknown column"
                if shown
                else "an unknown column whose name is not shown (it is not a name)",
            )
        )
    if len(set(header)) != len(header):
        problems.append(Problem(display, None, None, "each column once in the header"))
    return not (missing or extra or len(set(header)) != len(header))


@dataclass
class _Rows:
    """One table file split into columns of strings, before any typing."""

    columns: dict[str, tuple[str, ...]]
    index: list[int]  # each row's number as users count it: 1 = first record under the header
    suspicious: bool  # the file holds a character some text value may not hold


# Bytes that can never be (part of) a forbidden character: printable ASCII and tab. Dropping
# them first leaves a short remainder to search (a UTF-8 sequence is never split by it).
_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\t"


_FORBIDDEN_CHARS = re.compile(FORBIDDEN_CHARS)


def _has_forbidden_text(data: bytes) -> bool:
    if data.count(b"\r") != data.count(b"\r\n"):  # a carriage return not ending a line
        return True
    rest = data.translate(None, _PLAIN_ASCII).decode("utf-8", "replace")
    return _FORBIDDEN_CHARS.search(rest) is not None


def _regular_rows(
    rows: list[list[str]], n: int, display: str, problems: list[Problem]
) -> tuple[list[list[str]], list[int]]:
    """The rows of n fields with their numbers; empty lines are skipped, and a row of another
    length is a problem."""
    kept, index = [], []
    for i, row in enumerate(rows, start=1):
        if len(row) == n and any(row):
            kept.append(row)
            index.append(i)
        elif any(row) and not "".join(row).isspace():
            problems.append(Problem(display, i, None, f"{n} fields", f"{len(row)} fields"))
    return kept, index


def _read_rows(
    data: bytes | None, display: str, table: Table, problems: list[Problem]
) -> _Rows | None:
    """Decode and split one CSV file into columns of strings, or record why it cannot be
    read."""
    if data is None:
        problems.append(Problem(display, None, None, "the file to exist"))
        return None
    text = _decode(data, display, problems)
    if text is None:
        return None
    if not text or text.isspace():
        problems.append(
            Problem(display, None, None, "a header row and at least one data row", "an empty file")
        )
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    del text
    header = next(reader)
    if not _check_header(header, display, table, problems):
        return None
    n = len(header)
    rows = list(reader)
    index = list(range(1, len(rows) + 1))
    if list(map(len, rows)).count(n) != len(rows) or not all(map(any, rows)):
        rows, index = _regular_rows(rows, n, display, problems)
    blank = [j for j, row in enumerate(rows) if "".join(row).isspace()]
    if blank:  # rows of blanks only are skipped, like empty lines
        skip = set(blank)
        rows = [row for j, row in enumerate(rows) if j not in skip]
        index = [i for j, i in enumerate(index) if j not in skip]
    if not rows and not any(p.file == display for p in problems):
        problems.append(Problem(display, None, None, "at least one data row", "only a header"))
        return None
    by_name = dict(zip(header, zip(*rows))) if rows else {h: () for h in header}
    del rows
    names = [c.name for c in table.columns]
    return _Rows({name: by_name[name] for name in names}, index, _has_forbidden_text(data))


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # not the week dates fromisoformat also reads


def _expected(col: Column) -> str:
    """What a cell of a number, whole-number or date column must look like."""
    if col.kind == "date":
        return "an ISO date YYYY-MM-DD"
    what = "a number" if col.kind == "number" else "a whole number"
    if col.ge is not None and col.le is not None:
        what += f" from {col.ge:g} to {col.le:g}"
    elif col.ge is not None:
        what += f" >= {col.ge:g}"
    elif col.kind == "number":
        what = "a finite number"
    return what + (" (digits, optional decimal point)" if col.kind == "number" else "")


def _parse_number(v: str) -> float:
    x = float(v.replace(",", ""))
    if not math.isfinite(x):
        raise ValueError(v)
    return x


def _typed(
    col: Column, values: list[str], index: pd.Index, display: str, problems: list[Problem]
) -> pd.Series:
    """A number, whole-number or date column from its stripped strings; each value that does
    not parse is a problem (and empty in the result)."""
    if col.kind == "date":
        shaped = [v if _ISO_DATE.match(v) else None for v in values]
        out = pd.to_datetime(
            pd.Series(shaped, index=index, dtype=object), format="%Y-%m-%d", errors="coerce"
        ).astype("datetime64[s]")
        bad = [i for i, (v, t) in enumerate(zip(values, out.isna())) if v and t]
    else:
        parse = _parse_number if col.kind == "number" else int
        parsed: list = []
        bad = []
        for i, v in enumerate(values):
            if not v:
                parsed.append(None)
                continue
            try:
                parsed.append(parse(v))
            except ValueError:
                bad.append(i)
                parsed.append(None)
        series = pd.Series(parsed, index=index, dtype=object)
        out = (
            pd.Series(pd.array(parsed, dtype="Int64"), index=index)
            if col.kind == "int"
            else pd.to_numeric(series).astype("float64")
        )
    for i in bad:
        problems.append(Problem(display, int(index[i]), col.name, _expected(col), values[i]))
    return out


def _check_text(
    values: tuple[str, ...], index: pd.Index, column: str, display: str, problems: list[Problem]
) -> None:
    """Control characters and bidirectional overrides in a text value are refused."""
    search = FORBIDDEN_TEXT.search
    for row, v in zip(index, values):
        m = search(v)
        if m:
            problems.append(
                Problem(
                    display,
                    int(row),
                    column,
                    FORBIDDEN_TEXT_RULE,
                    f"U+{ord(m.group()):04X} at character {m.start() + 1}",
                )
            )


def _coerce(rows: _Rows, table: Table, display: str, problems: list[Problem]) -> pd.DataFrame:
    """Turn strings into typed values; every value that does not parse is a problem. Text is
    searched for forbidden characters only when the file holds some."""
    columns: dict[str, pd.Series] = {}
    index = pd.Index(rows.index, dtype="int64")
    for col in table.columns:
        raw = rows.columns[col.name]
        seen: dict[str, str] = {}  # one object per distinct value: units, statuses, source ids
        values = [seen.setdefault(s, s) for s in (v.strip() for v in raw)]
        if col.kind in ("number", "int", "date"):
            columns[col.name] = _typed(col, values, index, display, problems)
        else:
            if rows.suspicious:
                _check_text(raw, index, col.name, display, problems)
            columns[col.name] = pd.Series([v or None for v in values], index=index, dtype="str")
    return pd.DataFrame(columns, index=index)


# ---------------------------------------------------------------------------------------------
# validation


def _check(fn, column: str, expected: str, **kw) -> pa.Check:
    """A check on the whole table that reports its failures under `column`. It handles empty
    values itself (ignore_na=False spares pandera a scan of the whole table per check)."""
    return pa.Check(fn, error=f"{column}{_SEP}{expected}", ignore_na=False, **kw)


def _column_checks(col: Column, refs: dict[str, set[str]]) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if col.allowed:
        checks.append(pa.Check.isin(col.allowed, error=f"one of {list(col.allowed)}"))
    if col.pattern:
        checks.append(pa.Check.str_matches(col.pattern, error=f"a value matching {col.pattern}"))
    if col.ge is not None:
        checks.append(pa.Check.ge(col.ge, error=f"a value >= {col.ge:g}"))
    if col.le is not None:
        checks.append(pa.Check.le(col.le, error=f"a value <= {col.le:g}"))
    if col.ref:
        known = frozenset(refs.get(col.ref, ()))
        where = f"one of the fact tables ({', '.join(FACT_TABLES)})" if col.ref == "*" else col.ref
        checks.append(
            pa.Check(
                lambda s, known=known: s.isin(known),
                element_wise=False,
                error=f"an id defined in {where}",
            )
        )
    return checks


def _schema(
    table: Table, refs: dict[str, set[str]], texts: dict[str, str], source_of_fact: dict[str, str]
) -> pa.DataFrameSchema:
    columns = {}
    for col in table.columns:
        dtype = {"number": "float64", "int": "Int64"}.get(col.kind)
        columns[col.name] = pa.Column(
            dtype,
            checks=_column_checks(col, refs),
            nullable=not col.required,
            unique=col.unique,
            coerce=False,
            report_duplicates="all",
        )
    checks: list[pa.Check] = []
    names = {c.name for c in table.columns}

    def verbatim(column: str, source_col: str, via_fact: bool = False):
        def fn(df: pd.DataFrame) -> pd.Series:
            sources = df[source_col]
            if via_fact:
                sources = sources.map(source_of_fact)
            seen: dict[tuple[str, str], bool] = {}  # many facts share a quote

            def ok(value, sid) -> bool:
                if not isinstance(value, str) or sid not in texts:
                    return True
                found = seen.get((sid, value))
                if found is None:
                    found = seen[(sid, value)] = value in texts[sid]
                return found

            return pd.Series(
                [ok(v, sid) for v, sid in zip(df[column], sources)], index=df.index, dtype=bool
            )

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
            checks.append(
                _check(
                    lambda df, lo=lo, hi=hi: ~(df[lo] > df[hi]),
                    hi,
                    f"a date on or after {lo} (the interval is inverted)",
                )
            )
    if "date_precision" in names:

        def undated_consistent(df: pd.DataFrame) -> pd.Series:
            empty = df["date_start"].isna() | df["date_end"].isna()
            return empty == (df["date_precision"] == "undated")

        checks.append(
            _check(
                undated_consistent,
                "date_precision",
                "`undated` exactly when date_start and date_end are empty",
            )
        )
    if table.name == "money":
        checks.append(
            _check(
                lambda df: df["value"].isna() == (df["bound"] == "unknown"),
                "value",
                "an amount, empty exactly when bound is `unknown`",
            )
        )
        checks.append(
            _check(
                lambda df: ~((df["unit"] == "percent") & (df["value"] > 100)),
                "value",
                "a percentage of at most 100",
            )
        )
    if table.name == "person_names":

        def name_in_quote(df: pd.DataFrame) -> pd.Series:
            ok = [
                not isinstance(n, str) or not isinstance(q, str) or n in q
                for n, q in zip(df["name_as_written"], df["quote"])
            ]
            return pd.Series(ok, index=df.index, dtype=bool)

        checks.append(_check(name_in_quote, "name_as_written", "a name that occurs in the quote"))
    if table.name == "conflicts":
        checks.append(
            _check(
                lambda df: df["fact_id_a"] != df["fact_id_b"],
                "fact_id_b",
                "a fact different from fact_id_a",
            )
        )
    if table.name == "events":
        checks.append(
            _check(
                lambda df: df["value"].isna() | df["unit"].notna(),
                "unit",
                "a unit whenever value is given",
            )
        )
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
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO or device would never end
            return None
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


@contextmanager
def _gc_paused():
    """No cyclic garbage collection while a table of many rows is read: the collector would
    walk every row list read so far, again and again, and nothing read here forms a cycle."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _copy(facts: Facts) -> Facts:
    """The same facts in frames of their own: a caller that changes its frames in place does
    not change what the next caller gets."""
    return Facts(
        tables={k: v.copy() for k, v in facts.tables.items()},
        texts=dict(facts.texts),
        digest=facts.digest,
    )


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
    with _gc_paused():
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


def _read_file(path: Path, display: str, problems: list[Problem]) -> bytes | None | bool:
    """A table file's bytes; None if it does not exist; False (and a problem) if it is not a
    regular file or cannot be read."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as e:
        problems.append(Problem(display, None, None, "a readable file", e.strerror or str(e)))
        return False
    if not stat.S_ISREG(st.st_mode):
        problems.append(
            Problem(
                display,
                None,
                None,
                "a regular file",
                "a directory" if stat.S_ISDIR(st.st_mode) else "a device, pipe or socket",
            )
        )
        return False
    try:
        return path.read_bytes()
    except OSError as e:
        problems.append(Problem(display, None, None, "a readable file", e.strerror or str(e)))
        return False


def _read_sources(
    src: pd.DataFrame,
    raw_dir: Path,
    display: str,
    read: dict[str, str],
    digest,
    problems: list[Problem],
) -> dict[str, str]:
    """The text of every article `sources` names, checked against its recorded SHA-256."""
    texts: dict[str, str] = {}
    name_rule = re.compile(TABLES["sources"].column("file").pattern)
    for row, r in src.iterrows():
        if not isinstance(r["file"], str) or not name_rule.match(r["file"]):
            continue  # not a plain file name: reported by the schema, never opened
        f = raw_dir / r["file"]
        try:
            shown = str(f.relative_to(paths.ROOT))
        except ValueError:
            shown = str(f)
        data = _read_file(f, shown, problems)
        if data is None:
            problems.append(Problem(display, row, "file", f"a file in {raw_dir}", str(r["file"])))
        if not data:
            continue
        read[str(f)] = hashlib.sha256(data).hexdigest()
        digest.update(data)
        if read[str(f)] != r["sha256"]:
            problems.append(
                Problem(
                    display, row, "sha256", "the SHA-256 of the raw file (was the source changed?)"
                )
            )
        text = _decode(data, shown, problems)
        if text is not None:
            texts[r["source_id"]] = text
    return texts


def _shared_ids(frames: dict[str, pd.DataFrame], display) -> list[Problem]:
    """Each fact id used in more than one fact table (each table's own duplicates are reported
    by its schema), at every row it occurs: one pass over the ids."""
    counts: Counter[str] = Counter()
    for t in FACT_TABLES:
        counts.update(frames[t]["fact_id"].dropna().unique())
    shared = {fid for fid, n in counts.items() if n > 1}
    if not shared:
        return []
    where: dict[str, list[tuple[str, int]]] = {fid: [] for fid in shared}
    for t in FACT_TABLES:
        ids = frames[t]["fact_id"]
        for row, fid in ids[ids.isin(shared)].items():
            where[fid].append((display(TABLES[t]), int(row)))
    out = []
    for fid in sorted(shared, key=id_sort_key):
        for file, row in where[fid]:
            others = "; ".join(f"{f}, row {r}" for f, r in where[fid] if f != file)
            out.append(
                Problem(
                    file, row, "fact_id", f"an id no other fact table uses (also in {others})", fid
                )
            )
    return out


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
        data = _read_file(facts_dir / t.file, display(t), problems)
        if data is False:
            continue
        rows = _read_rows(data, display(t), t, problems)
        if rows is not None:
            frames[t.name] = _coerce(rows, t, display(t), problems)
            digest.update(data)
        del data, rows
    if problems:
        raise FactsError(problems)

    texts = _read_sources(
        frames["sources"], raw_dir, display(TABLES["sources"]), read, digest, problems
    )
    registered = set(frames["sources"]["file"].dropna())
    for f in raw_files(raw_dir):
        if f.name not in registered:
            shown = display_path(f)
            problems.append(
                Problem(
                    shown,
                    None,
                    None,
                    f"every article in {display_path(raw_dir)} to be registered in sources.csv; register "
                    f"this one with `python -m stability_report sources add {shown}`",
                    "a file that sources.csv does not list",
                )
            )

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
    for t in TABLES.values():
        schema = _schema(t, refs, texts, source_of_fact)
        try:
            schema.validate(frames[t.name], lazy=True)
        except pa.errors.SchemaErrors as e:
            problems.extend(_problems_from(e, display(t)))
    problems.extend(_shared_ids(frames, display))
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
