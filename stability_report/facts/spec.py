"""How the fact tables are declared: a column (`Column`: kind, whether it may be empty, what it
allows, what it means), a rule across two columns (`Rule`), a table (`Table`), the shape of ids,
the text no cell may hold and the largest number a cell may hold. The tables themselves are
declared in facts.schema. The standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column: its kind, whether it may be empty, what values it allows, what it means."""

    name: str
    kind: str  # "id", "text", "enum", "number", "int", "date"
    doc: str
    required: bool = True
    allowed: tuple[str, ...] = ()
    pattern: str | None = None
    unique: bool = False
    ref: str | None = None  # "table.column" the value must exist in
    ge: float | None = None
    le: float | None = None
    verbatim: bool = False  # must be an exact substring of the row's source article
    # ... or, when set, of the source of the fact this column names (conflicts quote two facts)
    verbatim_via: str | None = None
    # A column added to the schema after fact bases were first written: a table file whose
    # header lacks it is read with the column empty (only for columns that are not required).
    may_be_absent: bool = False


@dataclass(frozen=True)
class Rule:
    """A check across two columns of each row, declared with its table: the loader validates it
    (facts.validate), the data dictionary states it (`doc`). A failure is reported under
    `column`, with `expected` as what was expected. The kinds:

    - empty_exactly_when: `column` is empty exactly when `other` equals `value`;
    - at_most_when: `column` is at most `limit` where `other` equals `value`;
    - occurs_in: `column`'s text occurs in `other`'s;
    - differs_from: `column` differs from `other`;
    - given_with: `column` is given whenever `other` is.
    """

    kind: str
    column: str
    other: str
    expected: str
    doc: str
    value: str | None = None
    limit: float | None = None


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    rules: tuple[Rule, ...] = ()

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


# Ids are a prefix and a number written with at least three digits: M001 ... M999, then M1000,
# M12345 and so on, so ids already given never change as a table grows. A number of four digits
# or more has no leading zero (M0001 would read as M001 and be a different id).
ID_NUMBER = r"(?:\d{3}|[1-9]\d{3,})"


def id_pattern(prefix: str) -> str:
    """The pattern of the ids that start with `prefix`."""
    return rf"^{prefix}{ID_NUMBER}$"


# Text that could hide or reorder what a reader sees: control characters other than tab and
# newline (NUL, escape, form feed, C1 controls; a carriage return unless a newline follows it,
# as in Windows line endings) and the bidirectional embeddings, overrides and isolates
# (U+202A-U+202E, U+2066-U+2069).
FORBIDDEN_CHARS = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
FORBIDDEN_TEXT = re.compile(FORBIDDEN_CHARS + "|\r(?!\n)")
FORBIDDEN_TEXT_RULE = (
    "text without control characters other than tab and newline, and "
    "without bidirectional embeddings, overrides or isolates"
)
# The largest amount or count any number column takes: far above anything the articles report,
# far below the point where sums and projections of it would overflow.
MAX_NUMBER = 1e15
