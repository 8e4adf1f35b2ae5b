"""The cash: the last cash figure and who the source says gave it, the unpaid bills split at its
date, the funding after it, and what investors put in through convertible instruments."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..errors import MissingFact
from ..facts.base import Facts
from ..facts.ids import by_number
from ..formats import when
from .cited import Cited, cite
from .money import money_facts, party_label, select, undated_by_source, value, when_marked


@dataclass(frozen=True)
class CashPosition:
    cash: Cited
    on: pd.Timestamp  # the last day of the period the cash figure refers to
    month: pd.Timestamp  # the first day of that period
    bound: str
    arrears: Cited  # unpaid bills of known amount for months before the cash figure
    bills: pd.DataFrame  # every itemised unpaid bill, amount or not
    before: pd.DataFrame  # bills for months up to the cash figure's month
    after: pd.DataFrame  # later bills, and those the sources date only loosely
    funding_after: tuple[tuple[pd.Timestamp, Cited, str], ...]  # funding closed in or after it
    said_by: str  # who the source says gave the figure ("an internal memo"), else the source id


# "According to an internal memo released during ...": who a source says gave a figure, up to
# the first punctuation or the participle that starts describing it.
_SAID_BY = re.compile(
    r"\baccording to ((?:an?|the|its|his|her|their) [^,.;:]+?)(?=[,.;:]|$| "
    r"(?:released|seen|obtained|described|reviewed|shared|cited|sent|by)\b)",
    re.I,
)


def attribution(quote: str) -> str | None:
    """Who a quote says gave its figure ("an internal memo"), from its "according to ...";
    None when it names no one."""
    m = _SAID_BY.search(quote)
    return m.group(1) if m else None


def _said_by(row: pd.Series) -> str:
    """Who gave the figure: as the fact records it (`attributed_to`), else as its quote says
    ("according to an internal memo"), else the source's id."""
    given = row.get("attributed_to")
    if isinstance(given, str) and given.strip():
        return given.strip()
    return attribution(row["quote"]) or row["source_id"]


# Words of a bill's quote saying it went unpaid after the rest were recorded.
REPORTED_LATER = r"(?i)\b(?:subsequently|later)\b"


def itemised_bills(facts: Facts) -> pd.DataFrame:
    """Every itemised unpaid bill, amount or not, in date order: the bills the cash chapter's
    table lists and chapter 4 counts. A bill with no amount and no month ("millions of dollars
    in invoices") summarises the itemised bills rather than adding one, and is left out."""
    bills = select(facts, "unpaid_bill").sort_values(["date_start", "fact_id"], key=by_number)
    return bills[bills["value"].notna() | bills["date_precision"].isin(("day", "month"))]


def cash_position(facts: Facts) -> CashPosition:
    """The last cash figure, the unpaid bills split at its date, and the funding after it
    (computed once per fact base: Facts.derived)."""
    return facts.derived("cash_position", lambda: _cash_position(facts))


def _cash_position(facts: Facts) -> CashPosition:
    cash = select(facts, "cash").sort_values("date_end")
    if cash.empty:
        raise MissingFact("no cash figure is reported by this date")
    row = cash.iloc[-1]
    on = row["date_end"]
    bills = itemised_bills(facts)
    fine = bills["date_precision"].isin(("day", "month"))
    # a bill its source says went unpaid only later ("Subsequently, ...") was not yet unpaid
    # when the cash figure was given, whatever month it is for
    later = bills["quote"].str.contains(REPORTED_LATER, regex=True)
    before = bills[fine & (bills["date_end"] <= on) & ~later]
    known = before.dropna(subset=["value"])
    funding = select(facts, "funding_closed")
    after = funding[funding["date_end"] >= row["date_start"]].sort_values("date_start")
    return CashPosition(
        cash=value(row),
        on=on,
        month=row["date_start"],
        bound=row["bound"],
        arrears=cite(float(known["value"].sum()), tuple(known["fact_id"])),
        bills=bills,
        before=before,
        after=bills.drop(before.index),
        funding_after=tuple(
            (r["date_end"], value(r), str(r["counterparty"] or "")) for _, r in after.iterrows()
        ),
        said_by=_said_by(row),
    )


def bills_table(pos: CashPosition) -> pd.DataFrame:
    """The unpaid bills, those for months up to the cash figure first, with the words that date
    them; a creditor the report inferred (the fact's inference note says so) is marked as such,
    and a bill its source does not date says so, with the report's bound as a bound."""
    rows = pd.concat(
        [
            pos.before.assign(_when="up to the cash figure"),
            pos.after.assign(_when="later or undated"),
        ]
    )
    t = money_facts(rows)

    def bill(r: pd.Series) -> str:
        party = party_label(r)
        if undated_by_source(r):
            return f"{party} (no date given)"
        w = when(r["date_start"], r["date_end"], r["date_precision"])
        return f"{party}, {w}" if w != "undated" else party

    def dated(r: pd.Series) -> str:
        if undated_by_source(r):
            return f"undated (bound {when_marked(r)})"
        return r["_when"]

    return pd.DataFrame(
        {
            "bill": [bill(r) for _, r in rows.iterrows()],
            "amount": t["amount"],
            "dated": [dated(r) for _, r in rows.iterrows()],
            "source says": [f"“{q}”" for q in rows["quote"]],
            "fact": t["fact"],
        }
    ).reset_index(drop=True)


def convertibles(facts: Facts) -> pd.DataFrame:
    """Money investors put in through instruments that convert or must be repaid (SAFEs,
    convertible notes): when, holder, instrument, amount, fact."""
    f = select(facts, "funding_closed")
    f = f[f["instrument"].fillna("").str.contains("convertible|SAFE|note", case=False)]
    return f.sort_values("date_start").reset_index(drop=True)


def convertibles_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The convertibles as a reader's table, a year or a holder the report inferred marked as
    such."""
    t = money_facts(rows)
    return pd.DataFrame(
        {
            "when": [when_marked(r) for _, r in rows.iterrows()],
            "holder": [party_label(r) for _, r in rows.iterrows()],
            "instrument": t["instrument"],
            "amount": t["amount"],
            "fact": t["fact"],
        }
    )
