"""A fact row or a candidate of `extract` as the statement that intake.relations compares: what
is said (metric or event, amount and bound, period, status; the person, the name, the role),
with its id, source and quote, read the same way from either. The standard library, pandas for
the missing values of a fact table, and formats for writing an amount or a period.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from ... import formats


@dataclass(frozen=True)
class Statement:
    """What a row says, in the terms `relation` compares."""

    id: str
    table: str  # money, events, personnel, person_names
    source_id: str = ""
    quote: str = ""
    subject: str = ""  # money: metric; events: event
    value: float | None = None
    unit: str = ""
    bound: str = ""
    start: date | None = None
    end: date | None = None
    precision: str = ""
    status: str = ""
    counterparty: str = ""
    instrument: str = ""
    person: str = ""
    name: str = ""
    role: str = ""
    function: str = ""
    seniority: str = ""


def _text(x: object) -> str:
    if x is None or (not isinstance(x, str) and pd.isna(x)):
        return ""
    return str(x).strip()


def _number(x: object) -> float | None:
    t = _text(x)
    if not t:
        return None
    try:
        v = float(t)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _day(x: object) -> date | None:
    if isinstance(x, pd.Timestamp):
        return None if pd.isna(x) else x.date()
    if isinstance(x, date):
        return x
    t = _text(x)
    if not t:
        return None
    try:
        return date.fromisoformat(t[:10])
    except ValueError:
        return None


_CANDIDATE_TABLE = {
    "money": "money",
    "departure": "personnel",
    "role": "personnel",
    "person": "person_names",
}


def statement(row: Mapping, table: str = "", row_id: str = "") -> Statement | None:
    """A fact row (its table given) or a candidate of `extract` (its `table`, or else its kind)
    as a Statement; None for a candidate no table compares (a date, an organisation)."""
    table = table or _text(row.get("table")) or _CANDIDATE_TABLE.get(_text(row.get("kind")), "")
    if table not in ("money", "events", "personnel", "person_names"):
        return None
    start, end = _day(row.get("date_start")), _day(row.get("date_end"))
    precision = _text(row.get("date_precision")) or _text(row.get("precision"))
    if precision == "undated" or start is None:
        start = end = None
    else:
        end = end or start
    value = _number(row.get("value"))
    bound = _text(row.get("bound")) or ("exact" if value is not None else "unknown")
    return Statement(
        id=row_id or _text(row.get("fact_id")) or _text(row.get("candidate")),
        table=table,
        source_id=_text(row.get("source_id")),
        quote=_text(row.get("quote")),
        subject=_text(row.get("metric")) if table == "money" else _text(row.get("event")),
        value=value,
        unit=_text(row.get("unit")),
        bound=bound,
        start=start,
        end=end,
        precision=precision,
        status=_text(row.get("status")),
        counterparty=_text(row.get("counterparty")),
        instrument=_text(row.get("instrument")),
        person=_text(row.get("person_id")) or _text(row.get("person")),
        name=_text(row.get("name_as_written")),
        role=_text(row.get("role_as_written")),
        function=_text(row.get("function")),
        seniority=_text(row.get("seniority")),
    )


def statements(tables: Mapping[str, pd.DataFrame]) -> list[Statement]:
    """Every fact of the fact tables given, as statements, table by table in row order."""
    out = []
    for table in ("money", "events", "personnel", "person_names"):
        if table in tables:
            out += [statement(r, table) for r in tables[table].to_dict("records")]
    return out


@functools.lru_cache(maxsize=4096)
def period(s: Statement) -> str:
    if s.start is None:
        return "undated"
    return formats.period(s.start.isoformat(), s.end.isoformat(), s.precision)


@functools.lru_cache(maxsize=4096)
def show(s: Statement, long: bool = False) -> str:
    """An amount as its source qualifies it, without rounding it away: 'less than $4M',
    '$99.3M a year', '$1,250,000' (long: 'less than $4 million', as conflicts.csv reads)."""
    if s.value is None:
        return "no amount"
    if long and s.unit in formats.UNIT_SUFFIX:
        text = f"{formats.bound_words(s.bound)}{formats.money(s.value)}"
        text += formats.UNIT_SUFFIX[s.unit]
    else:
        text = formats.amount(s.value, s.unit, s.bound)
    shown = re.search(r"\$([\d.,]+)( million| billion|[KMB])?", text)
    if s.unit in formats.UNIT_SUFFIX and shown:
        scale = {None: 1, "K": 1e3, "M": 1e6, "B": 1e9, " million": 1e6, " billion": 1e9}
        figure = float(shown.group(1).replace(",", "")) * scale[shown.group(2)]
        if abs(figure - s.value) > 1e-9 * max(s.value, 1):
            text = text.replace(shown.group(0), f"${s.value:,.0f}")
    return text
