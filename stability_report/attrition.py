"""Executive attrition: who left, when (as an interval, never a false point date), in which
function, and how the departures line up with the money running out.

Everything here reads the validated fact base (`facts.load_facts()`), so every count and share
can carry the ids of the facts it comes from. The notebooks only call these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from . import style
from .facts import Facts
from .narrative import MAX_INLINE_IDS, Cited, cite, money
from .tables import BOUND_WORDS

FUNCTION_LABELS = {
    "executive": "Executive",
    "research": "Research",
    "product": "Product",
    "engineering": "Engineering",
    "applied_ml": "Applied ML",
    "language_models": "Language models",
    "audio": "Audio",
    "legal": "Legal",
    "people": "Human resources",
    "operations": "Operations",
    "communications": "Communications",
    "integrity": "Integrity",
    "technology": "Technology",
    "board": "Board",
    "external": "External",
}
SENIORITY_LABELS = {
    "c_suite": "C-suite",
    "svp": "SVP",
    "vp": "VP",
    "head": "Head",
    "director": "Director",
    "lead": "Lead",
    "staff": "Staff",
    "board": "Board",
    "external": "External",
}
PRECISION_LABELS = {
    "day": "day",
    "month": "month",
    "quarter": "quarter",
    "year": "year",
    "range": "range (bounds only)",
    "undated": "undated",
}
# Departures grouped by the capability they took away, from the reconciled function. One
# definition, used by every count and table of the report.
CAPABILITY_GROUPS = {
    "core": ("Research and models", ("research", "applied_ml", "language_models")),
    "technical": ("Engineering, product and audio", ("engineering", "product", "audio")),
    "executive": ("Executives and administration",
                  ("executive", "operations", "legal", "people", "communications", "technology",
                   "integrity", "board")),
}
RESEARCH_FUNCTIONS = CAPABILITY_GROUPS["core"][1]
# Ranks from the most senior; the two articles sometimes give one person different titles.
RANKS = ("c_suite", "svp", "vp", "head", "director", "lead", "staff")
VP_OR_ABOVE = ("c_suite", "svp", "vp")
# Affiliations whose exits are not departures of people (a fund leaving the board is governance).
NOT_PEOPLE = ("investor", "external")
DATE_CONFLICTS = ("date", "timing")

_DEPARTURE_COLUMNS = [
    "person_id", "name", "affiliation", "function", "group", "seniority", "rank_high",
    "rank_low", "sd_author", "roles",
    "earliest", "latest", "precision", "dated", "basis", "reason", "date_ids", "fact_ids",
    "conflict_ids",
]


# ---------------------------------------------------------------------------------------------
# dates


def interval_label(start, end, precision: str) -> str:
    """A date interval as a reader writes it: '4 June 2024', 'November 2023', 'Q2 2023', '2023',
    '1 Feb – 4 Jun 2024', or 'undated'. Never a point date for an interval."""
    if precision == "undated" or pd.isna(start) or pd.isna(end):
        return "undated"
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    if s == e:
        return f"{s.day} {s:%B %Y}"
    if precision == "month" and s.day == 1 and e == s + pd.offsets.MonthEnd(0):
        return f"{s:%B %Y}"
    if precision == "quarter" and s.is_quarter_start and e == s + pd.offsets.QuarterEnd(0):
        return f"Q{s.quarter} {s.year}"
    if precision == "year" and s.is_year_start and e == s + pd.offsets.YearEnd(0):
        return f"{s.year}"
    if s.is_month_start and e.is_month_end:
        if s.year == e.year:
            return f"{s:%B}–{e:%B %Y}" if s.month != e.month else f"{s:%B %Y}"
        return f"{s:%B %Y} – {e:%B %Y}"
    if s.year == e.year:
        return f"{s.day} {s:%b} – {e.day} {e:%b %Y}"
    return f"{s.day} {s:%b %Y} – {e.day} {e:%b %Y}"


def _losers(conflicts: pd.DataFrame, kinds: tuple[str, ...] | None = None) -> dict[str, str]:
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


def rejected(facts: Facts) -> set[str]:
    """Every fact a recorded conflict says the analysis does not use."""
    return set(_losers(facts.conflicts))


def merged_interval(rows: pd.DataFrame, facts: Facts, as_of=None) -> tuple:
    """One date interval for several reports of the same thing: the readings a conflict rejects
    dropped, the dated ones intersected where they overlap (both are true), spanned where they
    do not; (start, end, precision), NaT and 'undated' when none is dated."""
    rows = rows[~rows["fact_id"].isin(rejected(facts))] if len(rows) > 1 else rows
    dated = _bounded(rows[rows["date_precision"] != "undated"], facts, as_of)
    if dated.empty:
        return pd.NaT, pd.NaT, "undated"
    lo, hi = dated["start"].max(), dated["end"].min()
    if lo > hi:
        return dated["start"].min(), dated["end"].max(), "range"
    same = dated[(dated["start"] == lo) & (dated["end"] == hi)]
    return lo, hi, same["prec"].iloc[0] if len(same) else "range"


def _alternatives(conflicts: pd.DataFrame, kinds: tuple[str, ...]) -> dict[frozenset, str]:
    """Pairs of facts a conflict keeps as alternatives (`both`)."""
    if conflicts is None or conflicts.empty:
        return {}
    c = conflicts[conflicts["kind"].isin(kinds) & (conflicts["analysis_uses"] == "both")]
    return {frozenset((r.fact_id_a, r.fact_id_b)): r.conflict_id for r in c.itertuples()}


def _published_end(facts: Facts) -> dict[str, pd.Timestamp]:
    s = facts.sources
    return dict(zip(s["source_id"], s["published_end"])) if len(s) else {}


def _bounded(rows: pd.DataFrame, facts: Facts, as_of) -> pd.DataFrame:
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


# ---------------------------------------------------------------------------------------------
# departures


def departures(facts: Facts, as_of: date | str | None = None) -> pd.DataFrame:
    """One row per reconciled person who left (persons.outcome == 'departed', and at least one
    available statement says so: with an early `as_of`, a person one article calls CEO is not
    yet a departure). Funds leaving the board are governance, not people, and are left out.

    The departure interval [earliest, latest] combines the person's `departed` statements:
    readings a date conflict rejects are dropped; an undated statement yields to a dated one;
    dated statements that agree are intersected (both are true, so the date lies in both); ones
    kept as alternatives, or that disagree without a recorded resolution, are spanned. The
    interval's end is bounded by the source's latest publication date and by `as_of`. `basis`
    says which of these applied; `date_ids` are the statements the interval rests on.
    """
    persons = facts.persons
    people = persons[(persons["outcome"] == "departed") & ~persons["affiliation"].isin(NOT_PEOPLE)]
    personnel = facts.personnel
    losers = _losers(facts.conflicts, DATE_CONFLICTS)
    alternatives = _alternatives(facts.conflicts, DATE_CONFLICTS)
    out = []
    for p in people.itertuples(index=False):
        statements = personnel[(personnel["person_id"] == p.person_id)
                               & (personnel["status"] == "departed")]
        if statements.empty:  # no available source says this person left (yet)
            continue
        kept = statements[~statements["fact_id"].isin(losers)]
        conflict_ids = sorted({losers[f] for f in statements["fact_id"] if f in losers})
        dated = _bounded(kept[kept["date_precision"] != "undated"], facts, as_of)
        earliest = latest = pd.NaT
        precision, basis, date_ids = "undated", "no source dates the departure", []
        if len(dated) == 1:
            r = dated.iloc[0]
            earliest, latest, precision = r["start"], r["end"], r["prec"]
            basis = f"one dated statement ({r['source_id']})"
            date_ids = [r["fact_id"]]
        elif len(dated) > 1:
            ids = list(dated["fact_id"])
            alt = [cid for pair, cid in alternatives.items() if pair <= set(ids)]
            lo, hi = dated["start"].max(), dated["end"].min()
            if lo <= hi and not alt:
                earliest, latest = lo, hi
                same = dated[(dated["start"] == lo) & (dated["end"] == hi)]
                precision = same["prec"].iloc[0] if len(same) else "range"
                basis = "dated statements agree; interval is where they overlap"
            else:
                earliest, latest, precision = dated["start"].min(), dated["end"].max(), "range"
                conflict_ids += alt
                basis = ("alternatives kept by " + ", ".join(sorted(alt)) if alt else
                         "dated statements disagree (no resolution recorded); interval spans both")
            date_ids = ids
        if len(dated) and dated["clipped"].any():
            basis += "; end bounded by publication date or analysis date"
        rejected = sorted({c for c in conflict_ids if c not in alternatives.values()})
        if rejected:
            basis += "; a reading rejected by " + ", ".join(rejected) + " is not used"
        reasons = [r for r in dict.fromkeys(statements["reason"].dropna()) if r]
        roles = list(dict.fromkeys(statements["role_as_written"].dropna()))
        ranks = sorted({RANKS.index(r) for r in statements["seniority"] if r in RANKS})
        out.append({
            "person_id": p.person_id,
            "name": p.canonical_name,
            "affiliation": p.affiliation,
            "function": p.function,
            "group": capability_group(p.function),
            "seniority": p.seniority,
            "rank_high": RANKS[ranks[0]] if ranks else p.seniority,
            "rank_low": RANKS[ranks[-1]] if ranks else p.seniority,
            "sd_author": p.sd_author == "yes",
            "roles": " / ".join(roles),
            "earliest": earliest,
            "latest": latest,
            "precision": precision,
            "dated": precision != "undated",
            "basis": basis.rstrip("; "),
            "reason": "; ".join(reasons) or None,
            "date_ids": tuple(date_ids),
            "fact_ids": tuple(statements["fact_id"]),
            "conflict_ids": tuple(sorted(set(conflict_ids))),
        })
    df = pd.DataFrame(out, columns=_DEPARTURE_COLUMNS)
    df["dated"] = df["dated"].astype(bool)
    df["sd_author"] = df["sd_author"].astype(bool)
    df["earliest"] = pd.to_datetime(df["earliest"]).astype("datetime64[ns]")
    df["latest"] = pd.to_datetime(df["latest"]).astype("datetime64[ns]")
    df = df.sort_values(["dated", "earliest", "latest", "name"],
                        ascending=[False, True, True, True])
    return df.reset_index(drop=True)


def capability_group(function: str) -> str:
    """The key of the capability group a function belongs to (CAPABILITY_GROUPS)."""
    for key, (_, functions) in CAPABILITY_GROUPS.items():
        if function in functions:
            return key
    return "executive"


def departure_table(deps: pd.DataFrame) -> pd.DataFrame:
    """The departures formatted for reading, by capability group: who, the role as the sources
    write it, when (as an interval, with its precision), and the facts."""
    order = {k: i for i, k in enumerate(CAPABILITY_GROUPS)}
    d = deps.assign(_g=deps["group"].map(order)).sort_values(
        ["_g", "dated", "earliest", "name"], ascending=[True, False, True, True], kind="stable")
    return pd.DataFrame({
        "Person": d["name"],
        "Role (as the sources write it)": d["roles"],
        "Group": d["group"].map({k: v[0] for k, v in CAPABILITY_GROUPS.items()}),
        "Left": [interval_label(s, e, p) + (" (bounds only)" if p == "range" else "")
                 for s, e, p in zip(d["earliest"], d["latest"], d["precision"])],
        "Facts": [", ".join(i) for i in d["fact_ids"]],
    })


def reasons_table(deps: pd.DataFrame) -> pd.DataFrame:
    """The reasons for leaving the sources state, in their words."""
    r = deps[deps["reason"].notna()]
    return pd.DataFrame({"Person": r["name"], "Stated reason (the sources' words)": r["reason"],
                         "Facts": [", ".join(i) for i in r["fact_ids"]]})


def _all_ids(deps: pd.DataFrame) -> tuple[str, ...]:
    """Every statement about the departures (for tables)."""
    return tuple(dict.fromkeys(i for ids in deps["fact_ids"] for i in ids))


def _ids(deps: pd.DataFrame) -> tuple[str, ...]:
    """One statement per person (the first that dates the departure, else the first that
    reports it): enough to trace each counted person to a quote, short enough for prose."""
    return tuple(dict.fromkeys((d[0] if len(d) else f[0]) for d, f in
                               zip(deps["date_ids"], deps["fact_ids"]) if len(f)))


# ---------------------------------------------------------------------------------------------
# cumulative departures as a band


def departed_between(deps: pd.DataFrame, when) -> tuple[int, int]:
    """(minimum, maximum) number of dated departures by the end of day `when`: the minimum
    counts intervals that have fully passed, the maximum those that have begun."""
    t = pd.Timestamp(when)
    d = deps[deps["dated"]]
    return int((d["latest"] <= t).sum()), int((d["earliest"] <= t).sum())


def cumulative_band(deps: pd.DataFrame, start=None, end=None) -> pd.DataFrame:
    """Cumulative dated departures day by day, as a band: `minimum` (intervals fully passed) and
    `maximum` (intervals begun). Undated departures cannot be placed and are not counted."""
    d = deps[deps["dated"]]
    if d.empty and (start is None or end is None):
        return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"),
                             "minimum": pd.Series(dtype=int), "maximum": pd.Series(dtype=int)})
    start = pd.Timestamp(start) if start is not None else d["earliest"].min()
    end = pd.Timestamp(end) if end is not None else d["latest"].max()
    days = pd.date_range(start, end, freq="D")
    lat = np.sort(d["latest"].to_numpy(dtype="datetime64[ns]"))
    ear = np.sort(d["earliest"].to_numpy(dtype="datetime64[ns]"))
    grid = days.to_numpy(dtype="datetime64[ns]")
    return pd.DataFrame({
        "date": days,
        "minimum": np.searchsorted(lat, grid, side="right"),
        "maximum": np.searchsorted(ear, grid, side="right"),
    })


# ---------------------------------------------------------------------------------------------
# key numbers (Cited, for prose)


# The anchor of the report's table of departures: counts of people cite it, not 16 ids.
DEPARTURES_TABLE = "departures"


def departure_count(deps: pd.DataFrame) -> Cited:
    return cite(len(deps), _ids(deps), fmt="int").via(DEPARTURES_TABLE)


def _count(sub: pd.DataFrame, of: pd.DataFrame) -> Cited:
    """How many of `of` are in `sub`, cited by the people counted (a zero by the people checked,
    none of whom qualified); by the departures table when that is more than a few."""
    c = cite(len(sub), _ids(sub) or _ids(of), fmt="int")
    return c if len(c.ids) <= MAX_INLINE_IDS else c.via(DEPARTURES_TABLE)


def group_counts(deps: pd.DataFrame) -> dict[str, Cited]:
    """Departures per capability group (CAPABILITY_GROUPS), each cited by the departures
    table."""
    return {k: cite(int((deps["group"] == k).sum()), fmt="int", ref=DEPARTURES_TABLE)
            for k in CAPABILITY_GROUPS}


def vp_or_above(deps: pd.DataFrame) -> tuple[Cited, Cited]:
    """How many who left were vice presidents or above, taking for each person the more senior
    of the titles the sources give, and taking the less senior: the two counts differ where the
    articles disagree on a title (one says "VP", the other "Head of")."""
    high = deps["rank_high"].isin(VP_OR_ABOVE)
    low = deps["rank_low"].isin(VP_OR_ABOVE)
    return (cite(int(high.sum()), fmt="int", ref=DEPARTURES_TABLE),
            cite(int(low.sum()), fmt="int", ref=DEPARTURES_TABLE))


def band_at(deps: pd.DataFrame, when) -> tuple[Cited, Cited]:
    """departed_between() as Cited values, each citing the departures it counts."""
    t = pd.Timestamp(when)
    d = deps[deps["dated"]]
    low, high = d[d["latest"] <= t], d[d["earliest"] <= t]
    return _count(low, d), _count(high, d)


def _binding_ids(facts: Facts | None, deps: pd.DataFrame) -> tuple[str, ...]:
    """The statements that set each departure's interval: of a person's dating statements,
    those whose own interval is the person's (when two sources agree, the more precise one)."""
    if facts is None:
        return tuple(dict.fromkeys(i for ids in deps["date_ids"] for i in ids))
    p = facts.personnel.set_index("fact_id")
    out = []
    for ids, s, e in zip(deps["date_ids"], deps["earliest"], deps["latest"]):
        exact = [i for i in ids if i in p.index and p.at[i, "date_start"] == s
                 and p.at[i, "date_end"] == e]
        out.extend(exact or list(ids))
    return tuple(dict.fromkeys(out))


def when(deps: pd.DataFrame, facts: Facts | None = None) -> Cited:
    """The interval a group of departures lies in ('March 2024' when they share it; otherwise
    from the earliest start to the latest end), cited by the statements that date them (only
    those that set the interval, when `facts` is given)."""
    d = deps[deps["dated"]]
    if d.empty:
        return cite("undated", _ids(deps), fmt="text")
    c = cite("", _binding_ids(facts, d), fmt="text")
    pairs = set(zip(d["earliest"], d["latest"], d["precision"]))
    if len(pairs) == 1:
        s, e, p = pairs.pop()
        text = interval_label(s, e, p)
    else:
        text = interval_label(d["earliest"].min(), d["latest"].max(), "range")
    c = cite(text, c.ids, fmt="text")
    return c if len(c.ids) <= MAX_INLINE_IDS else c.via(DEPARTURES_TABLE)


def cash_milestone(facts: Facts, deps: pd.DataFrame,
                   as_of: date | str | None = None) -> dict[str, Cited] | None:
    """The month the sources give the company's cash, with the cash (and how it is bounded)
    and the band of departures by the end of that month: for the sentence that ties people to
    money. None when no cash figure is available."""
    m = facts.money
    m = m[(m["metric"] == "cash") & (m["status"] == "reported") & m["value"].notna()]
    if m.empty:
        return None
    m = _bounded(m, facts, as_of).sort_values("start")
    r = m.iloc[-1]
    lo, hi = band_at(deps, r["end"])
    return {
        "when": cite(interval_label(r["start"], r["end"], r["prec"]), r["fact_id"], fmt="text"),
        "cash": cite(r["value"], r["fact_id"]),
        "bound": cite(BOUND_WORDS.get(r["bound"], "").strip(), fmt="text"),
        "at_least": lo,
        "at_most": hi,
        "dated": _count(deps[deps["dated"]], deps),
    }


@dataclass(frozen=True)
class Share:
    """A share the sources give both parts of: `part` of `whole`."""

    part: Cited
    whole: Cited
    share: Cited


# The events the analysis reads by name. A test checks that each exists in the fact base, so a
# renamed event fails loudly instead of silently dropping out of the report.
SD_AUTHORS_TOTAL = "sd_study_authors_total"  # "three of the five authors": the five
SD_AUTHORS_LEFT = "sd_authors_departed"  # ... and the three
LAYOFFS = "quiet_layoffs"  # "at least 10% of the workforce was let go"
REMAINING_STAFF = "remaining_employees"  # "its remaining 150 employees"


def _named(facts: Facts, event: str, unit: str | None = None) -> pd.DataFrame:
    e = facts.events
    e = e[e["event"] == event]
    if unit is not None:
        e = e[(e["unit"] == unit) & e["value"].notna()]
    return e


def sd_author_share(facts: Facts, deps: pd.DataFrame | None = None) -> Share | None:
    """How many of the original Stable Diffusion study's authors left, out of how many ("three
    of the five authors"): the part is the number the source states (checked against the
    departed persons flagged as authors, whose statements it also cites), the whole the number
    of authors the source states. None when a source does not state the whole: no share is
    ever made with an invented denominator."""
    deps = departures(facts) if deps is None else deps
    authors = deps[deps["sd_author"]]
    whole = _named(facts, SD_AUTHORS_TOTAL, "count")
    stated = _named(facts, SD_AUTHORS_LEFT, "count")
    if whole.empty or (authors.empty and stated.empty):
        return None
    n = int(stated["value"].iloc[0]) if len(stated) else len(authors)
    w = whole.iloc[0]
    # the statement of the number when a source makes one, else the people's own statements
    part_ids = tuple(stated["fact_id"]) or _ids(authors)
    return Share(
        part=cite(n, part_ids, fmt="int"),
        whole=cite(int(w["value"]), w["fact_id"], fmt="int"),
        share=cite(n / w["value"], part_ids, w["fact_id"], fmt="pct"),
    )


def layoff_share(facts: Facts) -> Cited | None:
    """The share of the workforce laid off, as a fraction (the source bounds it: see
    layoff_bound)."""
    e = _named(facts, LAYOFFS, "percent")
    return None if e.empty else cite(e["value"].iloc[0] / 100, e["fact_id"].iloc[0], fmt="pct")


def layoff_bound(facts: Facts) -> str:
    """How the source qualifies the layoff share: 'at least', 'about', ... or ''."""
    e = _named(facts, LAYOFFS, "percent")
    return "" if e.empty else BOUND_WORDS.get(e["bound"].iloc[0], "").strip()


def remaining_headcount(facts: Facts) -> Cited | None:
    """The employees the sources say remain."""
    e = _named(facts, REMAINING_STAFF, "count")
    return None if e.empty else cite(int(e["value"].iloc[0]), e["fact_id"].iloc[0], fmt="int")


def _month_floor(t: pd.Timestamp) -> pd.Timestamp:
    return pd.Timestamp(t.year, t.month, 1)


def _month_ceil(t: pd.Timestamp) -> pd.Timestamp:
    return _month_floor(t) + pd.offsets.MonthEnd(0)


_PRECISION_STYLE = {  # fill, hatch: each a different lightness, so greyscale keeps them apart
    "day": (style.INK, None),
    "month": (style.DARK, None),
    "quarter": (style.GREY, "xx"),
    "year": (style.LIGHT, None),
    "range": ("white", "////"),
}
_PRECISION_LEGEND = {
    "day": "dated to the day",
    "month": "dated to the month",
    "quarter": "dated to the quarter",
    "year": "dated to the year",
    "range": "only bounds known",
}


def _date_axis(ax, start: pd.Timestamp, end: pd.Timestamp) -> None:
    """Month ticks (every 1, 3 or 6 months by span) and a few days' margin at both ends."""
    import matplotlib.dates as mdates

    months = (end.year - start.year) * 12 + end.month - start.month + 1
    step = 1 if months <= 8 else 3 if months <= 30 else 6
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=range(1, 13, step)))
    ax.xaxis.set_minor_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    pad = pd.Timedelta(days=max(4, months))
    ax.set_xlim(start - pad, end + pd.Timedelta(days=1) + pad)


def _interval_bars(ax, ys, starts, ends, fills, hatches, height=0.62) -> None:
    for y, s, e, fill, hatch in zip(ys, starts, ends, fills, hatches):
        ax.barh(y, (e - s).days + 1, left=s, height=height, color=fill, hatch=hatch,
                edgecolor=style.INK, linewidth=0.7)


def _undated_note(ax, names: list[str], what: str) -> None:
    ax.set_axis_off()
    ax.text(0.0, 1.0, f"Not placed on the axis, because no source dates {what}:\n"
            + "; ".join(names), transform=ax.transAxes, ha="left", va="top", fontsize=7.5,
            color="#333333", wrap=True)


def departure_timeline(deps: pd.DataFrame) -> Figure | None:
    """Each departed person a row, grouped as in the departures table (capability group, then
    function); the departure drawn as a bar from the
    earliest to the latest date the sources allow (short when dated to the month, a year long
    when dated to the year); undated departures listed under the chart, not placed on the axis.
    None when nobody left."""
    if deps.empty:
        return None
    dated = deps[deps["dated"]].copy()
    undated = deps[~deps["dated"]]
    groups = {k: i for i, k in enumerate(CAPABILITY_GROUPS)}  # as in the departures table
    order = {k: i for i, k in enumerate(FUNCTION_LABELS)}
    dated["_g"] = dated["group"].map(groups)
    dated["_f"] = dated["function"].map(order)
    dated = dated.sort_values(["_g", "_f", "earliest", "latest", "name"]).reset_index(drop=True)
    n = len(dated)
    note_h = 0.45 if len(undated) else 0.0
    if n:
        fig, axes = style.new_figure(height=1.45 + 0.25 * n + note_h, nrows=2 if note_h else 1,
                                     **({"gridspec_kw": {"height_ratios":
                                         [0.25 * n + 0.9, note_h]}} if note_h else {}))
        ax = axes[0] if note_h else axes
        ys = np.arange(n)[::-1]
        fills = [_PRECISION_STYLE.get(p, _PRECISION_STYLE["range"]) for p in dated["precision"]]
        _interval_bars(ax, ys, dated["earliest"], dated["latest"], [f for f, _ in fills],
                       [h for _, h in fills])
        ax.set_yticks(ys, [style.label(f"{r.name} ({FUNCTION_LABELS[r.function]})")
                           for r in dated.itertuples()])
        for i in range(1, n):  # a rule between functions
            if dated["group"].iat[i] != dated["group"].iat[i - 1]:
                ax.axhline(n - i - 0.5, color="#aaaaaa", linewidth=0.6, linestyle=":")
        ax.set_ylim(-0.6, n + 0.7)
        _date_axis(ax, _month_floor(dated["earliest"].min()), _month_ceil(dated["latest"].max()))
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("Departure date (each bar: earliest to latest date the sources allow)")
        present = [p for p in _PRECISION_STYLE if p in set(dated["precision"])]
        handles = [Patch(facecolor=_PRECISION_STYLE[p][0], hatch=_PRECISION_STYLE[p][1],
                         edgecolor=style.INK, linewidth=0.7, label=_PRECISION_LEGEND[p])
                   for p in present]
        ax.legend(handles=handles, loc="upper left", ncols=len(handles), fontsize=7.5,
                  borderaxespad=0.1)
        if note_h:
            _undated_note(axes[1], [f"{r.name} ({FUNCTION_LABELS[r.function]})"
                                    for r in undated.itertuples()], "these departures")
    else:
        fig, ax = style.new_figure(height=1.6)
        _undated_note(ax, [f"{r.name} ({FUNCTION_LABELS[r.function]})"
                           for r in undated.itertuples()], "any of the departures")
    style.finish(fig, "Who left Stability AI, and when")
    return fig


# --- the shared time axis: departures against money -----------------------------------------

_LANES = ("Funding", "Cash and bills", "Board and CEO", "Company")
_MONEY_LANES = {"funding_closed": "Funding", "target_cut": "Funding",
                "cash": "Cash and bills", "unpaid_bill": "Cash and bills"}
# The events (by name) drawn on the shared axis: lane, label, and how a value is shown.
TIMELINE_EVENTS = {
    "sd_launched": ("Company", "Stable Diffusion launched", ""),
    "coatue_left_board": ("Board and CEO", "Coatue leaves the board", ""),
    "lightspeed_gave_up_observer_seat": ("Board and CEO", "Lightspeed gives up observer seat", ""),
    "ceo_resigned": ("Board and CEO", "CEO resigns", ""),
    "clipdrop_sold_to_jasper": ("Company", "Clipdrop sold to Jasper", ""),
    "quiet_layoffs": ("Company", "Layoffs", " ({value} of staff)"),
}
_LANE_STYLE = {  # marker, fill: shape tells lanes apart without colour
    "Funding": ("^", style.DARK),
    "Cash and bills": ("s", style.RED),
    "Board and CEO": ("D", style.INK),
    "Company": ("o", style.MID),
}
_BOUND_SIGN = {"less_than": "< ", "more_than": "> ", "at_least": "≥ ", "approx": "~"}


def _short_party(text) -> str:
    """'Coatue; Lightspeed Venture Partners (leads); ...' -> 'Coatue et al.'"""
    if not isinstance(text, str):
        return ""
    import re

    parts = [re.sub(r"\s*\(.*?\)", "", p).strip() for p in re.split(r"[;,]", text)]
    parts = [p for p in parts if p]
    if not parts:
        return ""
    joined = ", ".join(parts)
    return joined if len(joined) <= 24 else f"{parts[0]} et al."


def _money_label(r) -> str:
    v = "" if pd.isna(r.value) else money(r.value, short=True)
    who = _short_party(r.counterparty).replace("Amazon Web Services", "AWS")
    sign = _BOUND_SIGN.get(r.bound, "")
    if r.metric == "funding_closed":
        return f"Raised {sign}{v}" + (f" ({who})" if who else "")
    if r.metric == "cash":
        return f"Cash {sign}{v}"
    if r.metric == "unpaid_bill":
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
    departures(). Columns: lane, label, start, end, precision, fact_ids."""
    losers = _losers(facts.conflicts)
    rows = []
    m = facts.money
    m = m[m["metric"].isin(_MONEY_LANES) & (m["status"] == "reported")
          & ~m["fact_id"].isin(losers)
          & ~((m["metric"] == "unpaid_bill") & ~m["date_precision"].isin(("day", "month")))]
    for r in _bounded(m, facts, as_of).itertuples(index=False):
        key = ("money", r.metric, r.counterparty if isinstance(r.counterparty, str) else "",
               r.value if pd.notna(r.value) else "", r.start.year, r.start.month)
        rows.append({"lane": _MONEY_LANES[r.metric], "label": _money_label(r), "start": r.start,
                     "end": r.end, "precision": r.prec, "key": repr(key),
                     "fact_ids": (r.fact_id,)})
    e = facts.events
    e = e[e["event"].isin(TIMELINE_EVENTS) & (e["date_precision"] != "undated")
          & (e["status"] == "reported") & ~e["fact_id"].isin(losers)]
    for r in _bounded(e, facts, as_of).itertuples(index=False):
        lane, label, with_value = TIMELINE_EVENTS[r.event]
        if with_value and pd.notna(r.value):
            unit = "%" if r.unit == "percent" else ""
            label += with_value.format(value=f"{_BOUND_SIGN.get(r.bound, '')}{r.value:g}{unit}")
        rows.append({"lane": lane, "label": label,
                     "start": r.start, "end": r.end, "precision": r.prec,
                     "key": repr(("event", r.event)), "fact_ids": (r.fact_id,)})
    cols = ["lane", "label", "start", "end", "precision", "fact_ids"]
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
        first.update(start=lo, end=hi,
                     precision=same["precision"].iloc[0] if len(same) else "range",
                     fact_ids=tuple(dict.fromkeys(i for ids in g["fact_ids"] for i in ids)))
        merged.append(first)
    out = pd.DataFrame(merged)[cols]
    out["_lane"] = out["lane"].map({lane: i for i, lane in enumerate(_LANES)})
    out = out.sort_values(["_lane", "start", "end"], kind="stable").drop(columns="_lane")
    return out.reset_index(drop=True)


def timeline_figure(facts: Facts, as_of: date | str | None = None,
                    title: str = "Departures and money events on one time axis",
                    height: float | None = None) -> Figure | None:
    """People and money on ONE time axis. Top: cumulative departures as a band, its lower edge
    counting departures whose date interval has fully passed, its upper edge those whose
    interval has begun (undated departures are noted, not drawn). Below: funding, cash,
    unpaid bills, board and company events, one row each, a bar spanning the event's date
    interval and a marker at its middle. The axis runs from the first to the last dated fact
    (whole months), never on to an analysis date far past the facts. None if nothing is dated.

    `as_of` bounds the intervals by the analysis date (pass the same date given to
    `facts.as_of`); the overview calls it as `attrition.timeline_figure(facts, P.as_of)`.
    """
    deps = departures(facts, as_of)
    ev = timeline_events(facts, as_of)
    dated = deps[deps["dated"]]
    if dated.empty and ev.empty:
        return None
    start = _month_floor(min(list(dated["earliest"]) + list(ev["start"])))
    end = _month_ceil(max(list(dated["latest"]) + list(ev["end"])))
    n_ev = max(len(ev), 1)
    top_h, bot_h = 1.6, 0.165 * n_ev + 0.35
    fig, (top, bot) = style.new_figure(height=height or top_h + bot_h + 1.4, nrows=2,
                                       sharex=True,
                                       gridspec_kw={"height_ratios": [top_h, bot_h]})
    # top: the band
    if len(dated):
        band = cumulative_band(deps, start, end)
        x = band["date"]
        top.fill_between(x, band["minimum"], band["maximum"], step="post", facecolor=style.LIGHT,
                         hatch="///", hatchcolor="white", linewidth=0,
                         label="date uncertain")
        top.step(x, band["maximum"], where="post", color=style.DARK, linestyle="--",
                 linewidth=1.4, label="at most (interval begun)")
        top.step(x, band["minimum"], where="post", color=style.INK, linestyle="-",
                 linewidth=1.6, label="at least (interval passed)")
        top.set_ylim(0, int(band["maximum"].max()) * 1.15 + 0.8)
        handles, labels = top.get_legend_handles_labels()
        order = [2, 1, 0]
        top.legend([handles[i] for i in order], [labels[i] for i in order], loc="lower left",
                   bbox_to_anchor=(0, 1.0), ncols=3, fontsize=8, borderaxespad=0.2,
                   columnspacing=1.0, handlelength=1.6)
    else:
        top.text(0.5, 0.5, "No dated departures in the facts", transform=top.transAxes,
                 ha="center", va="center", color=style.GREY)
        top.set_ylim(0, 1)
    # the month(s) the sources give the cash position, marked across the people panel
    for r in ev[ev["label"].str.startswith("Cash")].itertuples(index=False):
        top.axvspan(r.start, r.end + pd.Timedelta(days=1), color=style.GREY, alpha=0.35,
                    linewidth=0, zorder=2.5)
        top.text(r.start + (r.end - r.start) / 2, 0.97, r.label, rotation=90, fontsize=8,
                 color="#222222", ha="center", va="top", transform=top.get_xaxis_transform())
    top.set_ylabel("People who left\n(cumulative count)")
    top.yaxis.get_major_locator().set_params(integer=True)
    n_undated = int((~deps["dated"]).sum())
    if n_undated:
        top.text(0.995, 0.03, f"not shown: {n_undated} departure{'s' if n_undated > 1 else ''} "
                 "no source dates", transform=top.transAxes, ha="right", va="bottom",
                 fontsize=8, color="#333333")
    # bottom: one row per event, grouped in lanes
    if len(ev):
        ys = np.arange(len(ev))[::-1]
        for y, r in zip(ys, ev.itertuples(index=False)):
            marker, colour = _LANE_STYLE[r.lane]
            bot.barh(y, (r.end - r.start).days + 1, left=r.start, height=0.5, color=colour,
                     alpha=0.3, edgecolor=colour, linewidth=0.6)
            if r.precision in ("day", "month"):  # a marker only where the date is known
                mid = r.start + (r.end - r.start) / 2
                bot.plot([mid], [y], marker=marker, color=colour, markeredgecolor=style.INK,
                         markeredgewidth=0.6, markersize=5.5, linestyle="none")
        bot.set_yticks(ys, [style.label(t) for t in ev["label"]], fontsize=8)
        for i in range(1, len(ev)):
            if ev["lane"].iat[i] != ev["lane"].iat[i - 1]:
                bot.axhline(len(ev) - i - 0.5, color="#aaaaaa", linewidth=0.6, linestyle=":")
        bot.set_ylim(-0.7, len(ev) - 0.3)
    else:
        bot.text(0.5, 0.5, "No dated money or board events in the facts",
                 transform=bot.transAxes, ha="center", va="center", color=style.GREY)
        bot.set_yticks([])
    bot.grid(axis="y", visible=False)
    bot.set_xlabel("Month (bars span each date interval; amounts in US dollars)")
    _date_axis(bot, start, end)
    style.finish(fig, title)
    return fig
