"""Tables formatted for reading: money as $12.8M, shares as percentages, dates as months, months
of runway to one decimal; no index, empty cells for unknown values."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .narrative import money


def _months(v) -> str:
    return "" if pd.isna(v) else f"{float(v):.1f}"


def money_table(df: pd.DataFrame, pct: Iterable[str] = (), dates: Iterable[str] = (),
                days: Iterable[str] = (), months: Iterable[str] | str = (),
                text: Iterable[str] = ()) -> pd.DataFrame:
    """Every numeric column is money unless named in pct/months/text; dates as 'Oct 2023'."""
    out = df.copy()
    pct, dates, days, text = set(pct), set(dates), set(days), set(text)
    for c in out.columns:
        col = out[c]
        if c in dates:
            out[c] = col.map(lambda v: "" if pd.isna(v) else pd.Timestamp(v).strftime("%b %Y"))
        elif c in days or pd.api.types.is_datetime64_any_dtype(col):
            out[c] = col.map(lambda v: "" if pd.isna(v) else
                             f"{pd.Timestamp(v).day} {pd.Timestamp(v).strftime('%b %Y')}")
        elif c in text or not (pd.api.types.is_numeric_dtype(col) or col.map(
                lambda v: v is None or isinstance(v, (int, float))).all()):
            out[c] = col.map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v))
                             else str(v))
        elif months == "all" or c in months:
            out[c] = col.map(_months)
        elif c in pct:
            out[c] = col.map(lambda v: "" if pd.isna(v) else f"{float(v):.1%}")
        else:
            out[c] = col.map(lambda v: "" if pd.isna(v) else money(float(v), short=True))
    return out
