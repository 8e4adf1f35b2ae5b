"""The one reader of a fact table's file: its bytes read with a bound (a regular file of at most
config.MAX_TABLE_BYTES), decoded as UTF-8, split by the csv module, its header checked against
the schema, each cell bounded by config.MAX_CELL; what cannot be read is recorded as a Problem
naming file, row and column. The result is the table's columns of strings (`Rows`): the
notebooks' loader types them with pandas (facts.typed, facts.load), the render process reads
them as they are (facts.plain). The standard library only.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .. import config
from ..config import MAX_CELL
from ..errors import Problem
from .spec import FORBIDDEN_CHARS, Table


def display_path(path: Path) -> str:
    """A path as messages show it: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(config.ROOT))
    except ValueError:
        return str(path)


def read_file(path: Path, display: str, problems: list[Problem]) -> bytes | None | bool:
    """A file's bytes; None if it does not exist; False (and a problem) if it is not a regular
    file, is larger than config.MAX_TABLE_BYTES or cannot be read."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as e:
        problems.append(Problem(display, None, None, "a readable file", e.strerror or str(e)))
        return False
    if not stat.S_ISREG(st.st_mode):
        what = "a directory" if stat.S_ISDIR(st.st_mode) else "a device, pipe or socket"
        problems.append(Problem(display, None, None, "a regular file", what))
        return False
    if st.st_size > config.MAX_TABLE_BYTES:
        problems.append(
            Problem(
                display,
                None,
                None,
                f"a file of at most {config.MAX_TABLE_BYTES >> 20} MB",
                f"{st.st_size:,} bytes",
            )
        )
        return False
    try:
        return path.read_bytes()
    except OSError as e:
        problems.append(Problem(display, None, None, "a readable file", e.strerror or str(e)))
        return False


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
class Rows:
    """One table file split into columns of strings, before any typing."""

    columns: dict[str, tuple[str, ...]]  # every column of the schema, in its order
    index: list[int]  # each row's number as users count it: 1 = first record under the header
    suspicious: bool  # the file holds a character some text value may not hold

    def records(self) -> list[dict[str, str]]:
        """Every row as a dict of its values, each stripped as the typed loader strips them."""
        names = list(self.columns)
        return [
            dict(zip(names, (v.strip() for v in values))) for values in zip(*self.columns.values())
        ]


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


def no_rows(table: Table) -> Rows:
    """A table without data rows (an optional table whose file is absent)."""
    return Rows({c.name: () for c in table.columns}, [], False)


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


def _split(
    data: bytes, display: str, table: Table, problems: list[Problem]
) -> tuple[list[str], list[list[str]]] | None:
    """The header and the records of a CSV file, or None (and a problem) if its text cannot be
    decoded, it is empty, its header is not the table's or a cell is too long."""
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
    rows = list(reader)
    if long_cell(rows, header, display, problems):
        return None
    return header, rows


def _data_rows(
    rows: list[list[str]], n: int, display: str, problems: list[Problem]
) -> tuple[list[list[str]], list[int]]:
    """The data rows of n fields and their numbers: empty lines and rows of blanks only are
    skipped; a row of another length is a problem."""
    index = list(range(1, len(rows) + 1))
    if list(map(len, rows)).count(n) != len(rows) or not all(map(any, rows)):
        rows, index = _regular_rows(rows, n, display, problems)
    blank = {j for j, row in enumerate(rows) if "".join(row).isspace()}
    if blank:
        rows = [row for j, row in enumerate(rows) if j not in blank]
        index = [i for j, i in enumerate(index) if j not in blank]
    return rows, index


def read_rows(
    data: bytes | None,
    display: str,
    table: Table,
    problems: list[Problem],
    optional: bool = False,
) -> Rows | None:
    """Decode and split one CSV file into columns of strings, or record why it cannot be
    read. An `optional` table may be absent or hold only its header."""
    if data is None:
        if optional:
            return no_rows(table)
        problems.append(Problem(display, None, None, "the file to exist"))
        return None
    split = _split(data, display, table, problems)
    if split is None:
        return None
    header, rows = split
    rows, index = _data_rows(rows, len(header), display, problems)
    if not rows and optional:
        return no_rows(table)
    if not rows and not any(p.file == display for p in problems):
        problems.append(Problem(display, None, None, "at least one data row", "only a header"))
        return None
    by_name = dict(zip(header, zip(*rows))) if rows else {h: () for h in header}
    del rows
    blank_column = ("",) * len(index)  # a column the file predates (Column.may_be_absent)
    return Rows(
        {c.name: by_name.get(c.name, blank_column) for c in table.columns},
        index,
        _has_forbidden_text(data),
    )
