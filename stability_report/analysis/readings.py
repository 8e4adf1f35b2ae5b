"""Which readings of the facts stand, and when what they report happened: the readings a
recorded conflict says the analysis does not use or keeps as alternatives, one interval for
several reports of the same thing, and each statement's interval bounded by what a reader could
know on a date. Every chapter that dates a statement reads it here (attrition, money, the
timeline, the chapters' statements).
"""

from __future__ import annotations

import pandas as pd

from ..facts.base import Facts


def rejected_readings(
    conflicts: pd.DataFrame, kinds: tuple[str, ...] | None = None
) -> dict[str, str]:
    """fact id -> conflict id, for every reading a conflict says the analysis does not use."""
    out: dict[str, str] = {}
    if conflicts is None or conflicts.empty:
        return out
    for c in conflicts.itertuples(index=False):
        if kinds is not None and c.kind not in kinds:
            continue
        dropped = {"a": [c.fact_id_b], "b": [c.fact_id_a], "neither": [c.fact_id_a, c.fact_id_b]}
        for fid in dropped.get(c.analysis_uses, []):
            out[fid] = c.conflict_id
    return out


def rejected(facts: Facts) -> frozenset[str]:
    """Every fact a recorded conflict says the analysis does not use."""
    return facts.derived("rejected", lambda: frozenset(rejected_readings(facts.conflicts)))


def merged_interval(rows: pd.DataFrame, facts: Facts, as_of=None) -> tuple:
    """One date interval for several reports of the same thing: the readings a conflict rejects
    dropped, the dated ones intersected where they overlap (both are true), spanned where they
    do not; (start, end, precision), NaT and 'undated' when none is dated."""
    rows = rows[~rows["fact_id"].isin(rejected(facts))] if len(rows) > 1 else rows
    dated = known_intervals(rows[rows["date_precision"] != "undated"], facts, as_of)
    if dated.empty:
        return pd.NaT, pd.NaT, "undated"
    lo, hi = dated["start"].max(), dated["end"].min()
    if lo > hi:
        return dated["start"].min(), dated["end"].max(), "range"
    same = dated[(dated["start"] == lo) & (dated["end"] == hi)]
    return lo, hi, same["prec"].iloc[0] if len(same) else "range"


def alternatives(conflicts: pd.DataFrame, kinds: tuple[str, ...]) -> dict[frozenset, str]:
    """Pairs of facts a conflict keeps as alternatives (`both`)."""
    if conflicts is None or conflicts.empty:
        return {}
    c = conflicts[conflicts["kind"].isin(kinds) & (conflicts["analysis_uses"] == "both")]
    return {frozenset((r.fact_id_a, r.fact_id_b)): r.conflict_id for r in c.itertuples()}


def _published_end(facts: Facts) -> dict[str, pd.Timestamp]:
    s = facts.sources
    return dict(zip(s["source_id"], s["published_end"])) if len(s) else {}


def known_intervals(rows: pd.DataFrame, facts: Facts, as_of) -> pd.DataFrame:
    """Each dated row's interval, its end bounded by what a reader could know: a source cannot
    report a past event later than the source was published, nor after the analysis date."""
    rows = rows.copy()
    pub = _published_end(facts)
    limit = rows["source_id"].map(pub)
    if as_of is not None:
        limit = limit.where(limit.notna() & (limit < pd.Timestamp(as_of)), pd.Timestamp(as_of))
    end = rows["date_end"]
    clipped = limit.notna() & end.notna() & (end > limit) & (limit >= rows["date_start"])
    rows["end"] = end.where(~clipped, limit)
    rows["start"] = rows["date_start"]
    rows["prec"] = rows["date_precision"].where(~clipped, "range")
    rows["clipped"] = clipped
    return rows
