"""A table file read into typed columns: decoded as UTF-8, split by the csv module, its header
checked against the schema, every number and date parsed; each value that does not parse, and
each forbidden character, recorded as a Problem naming file, row and column."""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass

import pandas as pd

from ..config import DATE_WINDOW, MAX_CELL
from ..errors import Problem
from .spec import FORBIDDEN_CHARS, FORBIDDEN_TEXT, FORBIDDEN_TEXT_RULE, Column, Table


def decode(data: bytes, display: str, problems: list[Problem]) -> str | None:
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
    absent_ok = {c.name for c in table.columns if c.may_be_absent}
    missing = [n for n in names if n not in header and n not in absent_ok]
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


def no_rows(table: Table) -> _Rows:
    """A table without data rows (an optional table whose file is absent)."""
    return _Rows({c.name: () for c in table.columns}, [], False)


def long_cell(
    rows: list[list[str]], header: list[str], display: str, problems: list[Problem]
) -> bool:
    """Whether a cell is longer than config.MAX_CELL characters (the first such cell is a
    problem, named by its row and column)."""
    for i, row in enumerate(rows, start=1):
        if row and max(map(len, row)) > MAX_CELL:
            j = next(j for j, v in enumerate(row) if len(v) > MAX_CELL)
            column = header[j] if j < len(header) else f"field {j + 1}"
            problems.append(
                Problem(
                    display,
                    i,
                    column,
                    f"a cell of at most {MAX_CELL:,} characters",
                    f"{len(row[j]):,} characters",
                )
            )
            return True
    return False


def read_rows(
    data: bytes | None,
    display: str,
    table: Table,
    problems: list[Problem],
    optional: bool = False,
) -> _Rows | None:
    """Decode and split one CSV file into columns of strings, or record why it cannot be
    read. An `optional` table may be absent or hold only its header."""
    if data is None:
        if optional:
            return no_rows(table)
        problems.append(Problem(display, None, None, "the file to exist"))
        return None
    text = decode(data, display, problems)
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
    if long_cell(rows, header, display, problems):
        return None
    index = list(range(1, len(rows) + 1))
    if list(map(len, rows)).count(n) != len(rows) or not all(map(any, rows)):
        rows, index = _regular_rows(rows, n, display, problems)
    blank = [j for j, row in enumerate(rows) if "".join(row).isspace()]
    if blank:  # rows of blanks only are skipped, like empty lines
        skip = set(blank)
        rows = [row for j, row in enumerate(rows) if j not in skip]
        index = [i for j, i in enumerate(index) if j not in skip]
    if not rows and optional:
        return no_rows(table)
    if not rows and not any(p.file == display for p in problems):
        problems.append(Problem(display, None, None, "at least one data row", "only a header"))
        return None
    by_name = dict(zip(header, zip(*rows))) if rows else {h: () for h in header}
    del rows
    blank_column = ("",) * len(index)  # a column the file predates (Column.may_be_absent)
    return _Rows(
        {c.name: by_name.get(c.name, blank_column) for c in table.columns},
        index,
        _has_forbidden_text(data),
    )


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # not the week dates fromisoformat also reads


def _expected(col: Column) -> str:
    """What a cell of a number, whole-number or date column must look like."""
    if col.kind == "date":
        lo, hi = DATE_WINDOW
        return f"an ISO date YYYY-MM-DD from {lo} to {hi}"
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
        lo, hi = (pd.Timestamp(d) for d in DATE_WINDOW)
        outside = (out < lo) | (out > hi)
        if outside.any():
            out = out.mask(outside)
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


def coerce(rows: _Rows, table: Table, display: str, problems: list[Problem]) -> pd.DataFrame:
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
