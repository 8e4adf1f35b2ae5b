"""Picking money facts: the facts of a metric matching criteria (a monthly or annual flow, a
month, a year, a source, a status, a party), the one that must exist, its value as a Cited value;
and money facts as a reader's table.

With several sources, several statements can match one lookup. The rule, stated once here
(`preferred`) and in the report's note on method: readings a recorded conflict rejects are never
used; the same amount for the same party and period stated by two sources as two facts counts
once; of several statements that remain, the analysis uses the one from the most recently
published source (its latest possible publication date, then its earliest), then the most
precise (an exact amount before an approximate one, either before a bound; a shorter period
before a longer one), then the lowest id."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..errors import MissingFact
from ..facts.base import Facts
from ..facts.ids import id_sort_key
from ..formats import amount, when
from .cited import Cited, cite
from .readings import rejected


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
    says the analysis does not use (computed once per fact base and criteria: Facts.derived).

    per="month" matches monthly flows (unit USD_per_month, or USD over one month);
    per="year" matches annual flows (unit USD_per_year, or USD over one calendar year).

    (The criteria are compared on the columns' numpy arrays: the same rows as pandas
    comparisons, where a missing value matches nothing, at a fraction of the cost.)
    """
    criteria = (per, month, year, source, status, counterparty)
    rows = facts.derived(
        ("select", metric, criteria),
        lambda: _select(facts, metric, *criteria),
    )
    return rows.copy(deep=False)  # the caller's to change; the kept rows stay as they are


def _select(
    facts: Facts,
    metric: str,
    per: str | None,
    month: str | None,
    year: int | None,
    source: str | None,
    status: str | None,
    counterparty: str | None,
) -> pd.DataFrame:
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
    return once(t[m], facts)


# How precisely a bound gives an amount: the lower, the more precise.
_BOUND_RANK = {"exact": 0, "approx": 1, "at_least": 2, "more_than": 2, "less_than": 2}
# What makes two money facts the same statement: the same amount for the same party and period.
_SAME = ("metric", "unit", "bound", "value", "counterparty", "instrument", "date_start", "date_end")


def preferred(rows: pd.DataFrame, facts: Facts) -> pd.DataFrame:
    """`rows` in the order the analysis prefers them (the module's rule): the most recently
    published source first, then the most precise amount and period, then the lowest id."""
    if len(rows) < 2:
        return rows
    src = facts.sources.set_index("source_id")
    key = pd.DataFrame(
        {
            "end": rows["source_id"].map(src["published_end"]),
            "start": rows["source_id"].map(src["published_start"]),
            "bound": rows["bound"].map(_BOUND_RANK).fillna(3),
            "span": (rows["date_end"] - rows["date_start"]).dt.days,
            "id": rows["fact_id"].map(lambda f: id_sort_key(f)[1]),
        },
        index=rows.index,
    )
    order = key.sort_values(
        ["end", "start", "bound", "span", "id"], ascending=[False, False, True, True, True]
    ).index
    return rows.loc[order]


def once(rows: pd.DataFrame, facts: Facts) -> pd.DataFrame:
    """The rows with each statement once: facts of different sources that give the same amount
    for the same party and period (recorded as two facts rather than as one fact with two
    references) count once, as the fact `preferred` puts first; facts of one source are kept
    as they are (a source that states two equal amounts states two)."""
    if len(rows) < 2 or rows["source_id"].nunique() < 2:
        return rows
    same = rows[list(_SAME)].astype(str).apply(lambda c: c.str.lower().str.strip())
    if not same.duplicated(keep=False).any():
        return rows
    groups = same.apply(tuple, axis=1)
    keep = []
    for _, idx in groups.groupby(groups).groups.items():
        group = rows.loc[idx]
        if group["source_id"].nunique() < 2:
            keep.extend(idx)
        else:
            keep.append(preferred(group, facts).index[0])
    return rows.loc[sorted(keep, key=rows.index.get_loc)]


def pick(facts: Facts, metric: str, **criteria) -> pd.Series | None:
    """The money fact the analysis uses for the criteria, None if there is none; of several,
    the one `preferred` puts first."""
    rows = select(facts, metric, **criteria)
    return None if rows.empty else preferred(rows, facts).iloc[0]


def need(facts: Facts, metric: str, **criteria) -> pd.Series:
    row = pick(facts, metric, **criteria)
    if row is None:
        raise MissingFact(f"no {metric} fact matching {criteria} in the facts as of this date")
    return row


def value(row: pd.Series) -> Cited:
    return cite(float(row["value"]), row["fact_id"])


def months_between(a: pd.Timestamp, b: pd.Timestamp) -> int:
    return (b.year - a.year) * 12 + (b.month - a.month)


# An inference note saying the report, not the source, names the party: "Creditor inferred: the
# sentence continues the July and August AWS bills".
_PARTY_INFERRED = re.compile(
    r"\b(creditor|counterparty|investor|payee)\s+(?:is\s+)?inferred\b", re.I
)
# An inference note that speaks of a year ("does not name the year", "'last year' resolved").
_YEAR_NOTED = re.compile(r"\byears?\b", re.I)


def _note(row) -> str:
    note = row.get("inference_note")
    return note if isinstance(note, str) else ""


def party_inferred(row) -> str:
    """'creditor' when the fact's counterparty is the report's inference, not a name its source
    gives (its inference note says so: 'Creditor inferred: ...'), in the note's word for it;
    '' otherwise."""
    m = _PARTY_INFERRED.search(_note(row))
    return m.group(1).lower() if m else ""


def party_label(row) -> str:
    """The counterparty as a table gives it: 'Amazon Web Services (creditor inferred)' when the
    report inferred it; '' when there is none."""
    party = row.get("counterparty")
    if not isinstance(party, str) or not party.strip():
        return ""
    role = party_inferred(row)
    return f"{party} ({role} inferred)" if role else party


def year_inferred(row) -> bool:
    """Whether the year of a fact dated to a quarter or a year is the report's inference (a
    source's 'the second quarter', 'last year'): its inference note speaks of the year, as the
    overview's list of money facts and the fundraising section read it."""
    return row["date_precision"] in ("quarter", "year") and bool(_YEAR_NOTED.search(_note(row)))


# An inference note saying the source gives no date, so the interval the fact carries is the
# report's bound ("S001 gives no date for Mostaque's resignation. It lies in ...").
_DATE_NOT_GIVEN = re.compile(
    r"\b(?:gives?|gave|states?|names?)\s+no\s+(?:date|month|day|year)\b|\bdoes\s+not\s+date\b",
    re.I,
)
# Words of a quote or an inference note that make a figure a forecast, not a past figure: "would
# earn $3 million in November", "A forecast ('would earn')".
_FORECAST_NOTE = re.compile(r"\bforecast\w*|\bprojection\b|\bexpected\b", re.I)
_FORECAST_QUOTE = re.compile(
    r"\bwould\b|\bwill\b|\bexpect(?:s|ed|ing)?\b|\bforecast\w*|\bprojected\b", re.I
)


def date_bounded(row) -> bool:
    """Whether a dated fact's interval is the report's bound, not a date its source gives: its
    inference note says the source gives no date (or month) yet the fact carries an interval."""
    return row.get("date_precision") != "undated" and bool(_DATE_NOT_GIVEN.search(_note(row)))


def forecast(row) -> bool:
    """Whether a figure is a forecast rather than a figure for a past period: its status is
    `projected`, or its inference note calls it a forecast, or its quote speaks of the future
    ('would earn', 'will', 'expects')."""
    if row.get("status") == "projected" or _FORECAST_NOTE.search(_note(row)):
        return True
    quote = row.get("quote")
    return isinstance(quote, str) and bool(_FORECAST_QUOTE.search(quote))


# An inference note resolving a source's words to a date: "'July' resolved to July 2023".
_RESOLVED = re.compile(r"'([^']+)' resolved to [^:;]*?\b(\d{4})\b")


def month_year_inferred(row) -> bool:
    """Whether the year of a fact dated to a month is the report's inference: its inference
    note resolves the source's words, which name no year ("'July' resolved to July 2023")."""
    if row["date_precision"] != "month":
        return False
    m = _RESOLVED.search(_note(row))
    return bool(m) and not re.search(r"\d{4}", m.group(1))


def undated_by_source(row) -> bool:
    """Whether a fact's dates are only the report's bound over a range: its source dates it not
    at all (its inference note says so: "gives no month for this debt")."""
    return row["date_precision"] == "range" and date_bounded(row)


def when_marked(row) -> str:
    """A fact's date in a table cell ('Q2 2023'), the year marked when the report inferred it:
    'Q2 (2023, year inferred)', '2023 (year inferred)'."""
    text = when(row["date_start"], row["date_end"], row["date_precision"])
    if not year_inferred(row):
        return text
    year = str(pd.Timestamp(row["date_start"]).year)
    if text == year:
        return f"{year} (year inferred)"
    return f"{text.removesuffix(' ' + year)} ({year}, year inferred)"


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
