"""People and money on one time axis: departures counted as a band (the intervals fully passed,
and those begun), and the money and governance events the shared axis shows, the two sources'
reports of one event merged."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from ..facts.base import Facts
from ..formats import BOUND_SIGNS, money
from .money import date_bounded, party_inferred, year_inferred
from .readings import known_intervals, rejected_readings


def cumulative_band(deps: pd.DataFrame, start=None, end=None) -> pd.DataFrame:
    """Cumulative dated departures day by day, as a band: `minimum` (intervals fully passed) and
    `maximum` (intervals begun). Undated departures cannot be placed and are not counted."""
    d = deps[deps["dated"]]
    if d.empty and (start is None or end is None):
        return pd.DataFrame(
            {
                "date": pd.Series(dtype="datetime64[ns]"),
                "minimum": pd.Series(dtype=int),
                "maximum": pd.Series(dtype=int),
            }
        )
    start = pd.Timestamp(start) if start is not None else d["earliest"].min()
    end = pd.Timestamp(end) if end is not None else d["latest"].max()
    days = pd.date_range(start, end, freq="D")
    lat = np.sort(d["latest"].to_numpy(dtype="datetime64[ns]"))
    ear = np.sort(d["earliest"].to_numpy(dtype="datetime64[ns]"))
    grid = days.to_numpy(dtype="datetime64[ns]")
    return pd.DataFrame(
        {
            "date": days,
            "minimum": np.searchsorted(lat, grid, side="right"),
            "maximum": np.searchsorted(ear, grid, side="right"),
        }
    )


_LANES = ("Funding", "Cash and bills", "Board and CEO", "Company")


_MONEY_LANES = {
    "funding_closed": "Funding",
    "target_cut": "Funding",
    "cash": "Cash and bills",
    "unpaid_bill": "Cash and bills",
}


# The events (by name) drawn on the shared axis: lane, label, and how a value is shown.
TIMELINE_EVENTS = {
    "sd_launched": ("Company", "Stable Diffusion launched", ""),
    "coatue_left_board": ("Board and CEO", "Coatue leaves the board", ""),
    "lightspeed_gave_up_observer_seat": ("Board and CEO", "Lightspeed gives up observer seat", ""),
    "ceo_resigned": ("Board and CEO", "CEO resigns", ""),
    "clipdrop_sold_to_jasper": ("Company", "Clipdrop sold to Jasper", ""),
    "quiet_layoffs": ("Company", "Layoffs", " ({value} of staff)"),
}


def _short_party(text) -> str:
    """'Coatue; Lightspeed Venture Partners (leads); ...' -> 'Coatue et al.'"""
    if not isinstance(text, str):
        return ""
    parts = [re.sub(r"\s*\(.*?\)", "", p).strip() for p in re.split(r"[;,]", text)]
    parts = [p for p in parts if p]
    if not parts:
        return ""
    joined = ", ".join(parts)
    return joined if len(joined) <= 24 else f"{parts[0]} et al."


# A quote that dates when an event began, not the event as a whole ("began quietly laying off
# employees at the beginning of this year").
_BEGAN = re.compile(r"\b(?:began|begun|begins?|started|starts?)\b", re.I)


def _year_mark(r) -> str:
    """'year inferred' when the year of a fact dated to a quarter or a year is the report's
    inference (money.year_inferred); '' otherwise."""
    return "year inferred" if year_inferred(r._asdict()) else ""


def _event_label(r, label: str, with_value: str) -> str:
    """An event's label on the axis: 'Layoffs begin (≥ 10% of staff, undated)' when its quote
    dates only the start (the amount then belongs to no date the source gives), else 'Layoffs
    (≥ 10% of staff)'; '(report's bound)' when no source dates it."""
    value = ""
    if with_value and pd.notna(r.value):
        unit = "%" if r.unit == "percent" else ""
        value = f"{BOUND_SIGNS.get(r.bound, '')}{r.value:g}{unit}"
    began = isinstance(r.quote, str) and bool(_BEGAN.search(r.quote))
    if began:
        label += " begin" if label.endswith("s") else " begins"
    if value:
        inner = with_value.format(value=value).strip()[1:-1]  # ' (x of staff)' -> 'x of staff'
        label += f" ({inner}, undated)" if began else f" ({inner})"
    if date_bounded(r._asdict()):
        label += " (report's bound)"
    return label


def _money_label(r) -> str:
    v = "" if pd.isna(r.value) else money(r.value, short=True)
    who = _short_party(r.counterparty).replace("Amazon Web Services", "AWS")
    sign = BOUND_SIGNS.get(r.bound, "")
    if r.metric == "funding_closed":
        marks = [m for m in (who, _year_mark(r)) if m]
        return f"Raised {sign}{v}" + (f" ({', '.join(marks)})" if marks else "")
    if r.metric == "cash":
        return f"Cash {sign}{v}"
    if r.metric == "unpaid_bill":
        if who and party_inferred(r._asdict()):  # 'Bill unpaid (AWS inferred)'
            marks = [f"{sign}{v}"] if v else []
            return f"Bill unpaid ({'; '.join([*marks, f'{who} inferred'])})"
        bill = f"{who} bill" if who else "Bill"
        return f"{bill} unpaid" + (f" ({sign}{v})" if v else "")
    if r.metric == "target_cut":
        amount = f"{r.value:g}%" if r.unit == "percent" else v
        return f"Fundraising target cut by {sign}{amount}"
    return v


def timeline_events(facts: Facts, as_of: date | str | None = None) -> pd.DataFrame:
    """The money and governance events drawn on the shared time axis: funding closed, the
    fundraising target cut, cash and unpaid bills dated to the month (money), and the events in
    TIMELINE_EVENTS (board exits, CEO resignation, Clipdrop sale, layoffs). The two sources'
    reports of one event are merged (date intervals intersected, ids kept); readings a conflict
    rejects, undated facts and projections are left out; intervals are bounded like
    departures(). A label says when a quote dates only an event's start, when the report
    inferred a year or a party, and when the interval is the report's bound (no source gives a
    date: `bounded`, money.date_bounded). Columns: lane, label, start, end, precision, bounded,
    fact_ids."""
    losers = rejected_readings(facts.conflicts)
    rows = []
    m = facts.money
    m = m[
        m["metric"].isin(_MONEY_LANES)
        & (m["status"] == "reported")
        & ~m["fact_id"].isin(losers)
        & ~((m["metric"] == "unpaid_bill") & ~m["date_precision"].isin(("day", "month")))
    ]
    for r in known_intervals(m, facts, as_of).itertuples(index=False):
        key = (
            "money",
            r.metric,
            r.counterparty if isinstance(r.counterparty, str) else "",
            r.value if pd.notna(r.value) else "",
            r.start.year,
            r.start.month,
        )
        rows.append(
            {
                "lane": _MONEY_LANES[r.metric],
                "label": _money_label(r),
                "start": r.start,
                "end": r.end,
                "precision": r.prec,
                "bounded": date_bounded(r._asdict()),
                "key": repr(key),
                "fact_ids": (r.fact_id,),
            }
        )
    e = facts.events
    e = e[
        e["event"].isin(TIMELINE_EVENTS)
        & (e["date_precision"] != "undated")
        & (e["status"] == "reported")
        & ~e["fact_id"].isin(losers)
    ]
    for r in known_intervals(e, facts, as_of).itertuples(index=False):
        lane, label, with_value = TIMELINE_EVENTS[r.event]
        rows.append(
            {
                "lane": lane,
                "label": _event_label(r, label, with_value),
                "start": r.start,
                "end": r.end,
                "precision": r.prec,
                "bounded": date_bounded(r._asdict()),
                "key": repr(("event", r.event)),
                "fact_ids": (r.fact_id,),
            }
        )
    cols = ["lane", "label", "start", "end", "precision", "bounded", "fact_ids"]
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    df = pd.DataFrame(rows)
    merged = []
    for _, g in df.groupby("key", sort=False):
        lo, hi = g["start"].max(), g["end"].min()
        if lo > hi:  # the reports do not overlap: keep both
            merged.extend(g.to_dict("records"))
            continue
        first = g.iloc[0].to_dict()
        same = g[(g["start"] == lo) & (g["end"] == hi)]
        first.update(
            start=lo,
            end=hi,
            bounded=bool(g["bounded"].all()),  # a source's date for one report drops the bound
            precision=same["precision"].iloc[0] if len(same) else "range",
            fact_ids=tuple(dict.fromkeys(i for ids in g["fact_ids"] for i in ids)),
        )
        merged.append(first)
    out = pd.DataFrame(merged)[cols]
    out["_lane"] = out["lane"].map({lane: i for i, lane in enumerate(_LANES)})
    out = out.sort_values(["_lane", "start", "end"], kind="stable").drop(columns="_lane")
    return out.reset_index(drop=True)
