"""Tables formatted for reading: money as $12.8M, shares as percentages, dates as months, months
of runway to one decimal; no index, empty cells for unknown values."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .narrative import money


def _months(v, beyond: str = "") -> str:
    if v is None or pd.isna(v):
        return beyond
    return f"{int(v)}" if float(v).is_integer() else f"{float(v):.1f}"


BOUND_WORDS = {
    "exact": "",
    "approx": "about ",
    "more_than": "more than ",
    "less_than": "less than ",
    "at_least": "at least ",
    "unknown": "",
}


def bound_words(bound: str | None) -> str:
    """The words a source's qualifier puts before a number: 'less than ', 'about ', ''."""
    return BOUND_WORDS.get(bound or "exact", "")


UNIT_SUFFIX = {"USD": "", "USD_per_month": " a month", "USD_per_year": " a year"}


def amount(value: float | None, unit: str | None, bound: str | None = "exact") -> str:
    """An amount as the source qualifies it: 'less than $4M', 'about $99M a year', 'over 80%'."""
    if value is None or pd.isna(value):
        return "not given"
    words = BOUND_WORDS.get(bound or "exact", "")
    if unit == "percent":
        return f"{words}{value:g}%"
    if unit in UNIT_SUFFIX:
        return f"{words}{money(float(value), short=True)}{UNIT_SUFFIX[unit]}"
    return f"{words}{value:,g} {unit or ''}".strip()


def when(start, end, precision: str) -> str:
    """A fact's date as precisely as the source gives it: '4 Jun 2024', 'Oct 2023', 'Q2 2023',
    '2023', or a range 'Jul 2023 to Dec 2024'; 'undated' when there is none."""
    if precision == "undated" or pd.isna(start):
        return "undated"
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    if precision == "day":
        return f"{s.day} {s:%b %Y}"
    if precision == "month":
        return f"{s:%b %Y}"
    if precision == "quarter":
        return f"Q{s.quarter} {s.year}"
    if precision == "year":
        return f"{s.year}"
    if s.year == e.year and s.month == 1 and e.month == 12 and s.day == 1 and e.day == 31:
        return f"{s.year}"
    return f"{s:%b %Y} to {e:%b %Y}" if (s.year, s.month) != (e.year, e.month) else f"{s:%b %Y}"


def money_facts(rows: pd.DataFrame) -> pd.DataFrame:
    """Money fact rows as a reader's table: id, source, when, what, who, how, amount, status."""
    return pd.DataFrame(
        {
            "fact": rows["fact_id"],
            "source": rows["source_id"],
            "when": [
                when(s, e, p)
                for s, e, p in zip(rows["date_start"], rows["date_end"], rows["date_precision"])
            ],
            "what": rows["metric"].str.replace("_", " "),
            "counterparty": rows["counterparty"].fillna(""),
            "instrument": rows["instrument"].fillna(""),
            "amount": [
                amount(v, u, b) for v, u, b in zip(rows["value"], rows["unit"], rows["bound"])
            ],
            "status": rows["status"],
        }
    )


def money_table(
    df: pd.DataFrame,
    pct: Iterable[str] = (),
    dates: Iterable[str] = (),
    days: Iterable[str] = (),
    months: Iterable[str] | str = (),
    text: Iterable[str] = (),
    beyond: str = "",
) -> pd.DataFrame:
    """Every numeric column is money unless named in pct/months/text; dates as 'Oct 2023';
    `beyond` is shown for a month count that is empty (e.g. '> 18': beyond the horizon)."""
    out = df.copy()
    pct, dates, days, text = set(pct), set(dates), set(days), set(text)
    for c in out.columns:
        col = out[c]
        if c in dates:
            out[c] = col.map(lambda v: "" if pd.isna(v) else pd.Timestamp(v).strftime("%b %Y"))
        elif c in days or pd.api.types.is_datetime64_any_dtype(col):
            out[c] = col.map(
                lambda v: (
                    ""
                    if pd.isna(v)
                    else f"{pd.Timestamp(v).day} {pd.Timestamp(v).strftime('%b %Y')}"
                )
            )
        elif c in text or not (
            pd.api.types.is_numeric_dtype(col)
            or col.map(lambda v: v is None or isinstance(v, (int, float))).all()
        ):
            out[c] = col.map(
                lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
            )
        elif months == "all" or c in months:
            out[c] = col.map(lambda v: _months(v, beyond))
        elif c in pct:
            out[c] = col.map(lambda v: "" if pd.isna(v) else f"{float(v):.1%}")
        else:
            out[c] = col.map(lambda v: "" if pd.isna(v) else money(float(v), short=True))
    return out


def runway_cells(df: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """runway.runway_table for reading: one column per scenario, each cell the months of runway
    and the month the cash runs out ('0.3 months, Nov 2023'), or '> N months' past the horizon."""
    out = pd.DataFrame(
        {
            "basis": df["basis"],
            "net burn, first month": [
                ("" if pd.isna(v) else money(v, short=True)) for v in df["net burn, first month"]
            ],
        }
    )
    for col in df.columns:
        if not col.endswith(": months"):
            continue
        name = col[: -len(": months")]
        out[name] = [
            f"> {horizon} months" if pd.isna(m) else f"{m:.1f} months, {pd.Timestamp(d):%b %Y}"
            for m, d in zip(df[col], df[f"{name}: runs out"])
        ]
    return out
