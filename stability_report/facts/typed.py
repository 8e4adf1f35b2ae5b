"""A table's columns of strings (facts.read) turned into a typed DataFrame: every number and
date parsed, each value that does not parse, and each forbidden character in a text value,
recorded as a Problem naming file, row and column. The pandas half of reading a fact table (the
render process reads the same strings without it: facts.plain)."""

from __future__ import annotations

import math
import re

import pandas as pd

from ..config import DATE_WINDOW
from ..errors import Problem
from .read import Rows
from .spec import FORBIDDEN_TEXT, FORBIDDEN_TEXT_RULE, Column, Table

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


def coerce(rows: Rows, table: Table, display: str, problems: list[Problem]) -> pd.DataFrame:
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
