"""Picking money facts: the facts of a metric matching criteria (a monthly or annual flow, a
month, a year, a source, a status, a party), the one that must exist, its value as a Cited value;
and money facts as a reader's table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import MissingFact
from ..facts.base import Facts
from ..formats import amount, when
from .attrition import rejected
from .cited import Cited, cite


def _month_mask(t: pd.DataFrame, month: str) -> np.ndarray:
    start = pd.Timestamp(month)
    end = start + pd.offsets.MonthEnd(0)
    return (t["date_start"].to_numpy() == start.to_datetime64()) & (
        t["date_end"].to_numpy() <= end.to_datetime64()
    )


def select(
    facts: Facts,
    metric: str,
    *,
    per: str | None = None,
    month: str | None = None,
    year: int | None = None,
    source: str | None = None,
    status: str | None = None,
    counterparty: str | None = None,
) -> pd.DataFrame:
    """Money facts matching every given criterion, except the readings a recorded conflict
    says the analysis does not use.

    per="month" matches monthly flows (unit USD_per_month, or USD over one month);
    per="year" matches annual flows (unit USD_per_year, or USD over one calendar year).

    (The criteria are compared on the columns' numpy arrays: the same rows as pandas
    comparisons, where a missing value matches nothing, at a fraction of the cost.)
    """
    t = facts.money

    def col(name: str) -> np.ndarray:
        return t[name].to_numpy()

    m = col("metric") == metric
    if per == "month":
        unit = col("unit")
        m &= (unit == "USD_per_month") | ((unit == "USD") & (col("date_precision") == "month"))
    elif per == "year":
        unit = col("unit")
        m &= (unit == "USD_per_year") | ((unit == "USD") & (col("date_precision") == "year"))
    if month is not None:
        m &= _month_mask(t, month)
    if year is not None:
        m &= (col("date_start") >= pd.Timestamp(year, 1, 1).to_datetime64()) & (
            col("date_end") <= pd.Timestamp(year, 12, 31).to_datetime64()
        )
    if source is not None:
        m &= col("source_id") == source
    if status is not None:
        m &= col("status") == status
    if counterparty is not None:
        m &= (
            t["counterparty"]
            .fillna("")
            .str.contains(counterparty, case=False, regex=False)
            .to_numpy(dtype=bool)
        )
    dropped = rejected(facts)
    if dropped:
        m &= ~np.isin(col("fact_id"), list(dropped))
    return t[m]


def pick(facts: Facts, metric: str, **criteria) -> pd.Series | None:
    """The single money fact matching the criteria, None if there is none; several is an error
    in the fact base's use, reported with their ids."""
    rows = select(facts, metric, **criteria)
    if len(rows) > 1:
        raise LookupError(
            f"more than one {metric} fact matches {criteria}: {', '.join(rows['fact_id'])}"
        )
    return None if rows.empty else rows.iloc[0]


def need(facts: Facts, metric: str, **criteria) -> pd.Series:
    row = pick(facts, metric, **criteria)
    if row is None:
        raise MissingFact(f"no {metric} fact matching {criteria} in the facts as of this date")
    return row


def value(row: pd.Series) -> Cited:
    return cite(float(row["value"]), row["fact_id"])


def months_between(a: pd.Timestamp, b: pd.Timestamp) -> int:
    return (b.year - a.year) * 12 + (b.month - a.month)


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
