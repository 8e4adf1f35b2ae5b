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
from .narrative import Cited, cite, money

FUNCTION_LABELS = {
    "executive": "Executive",
    "research": "Research",
    "product": "Product",
    "engineering": "Engineering",
    "applied_ml": "Applied ML",
    "language_models": "Language models",
    "audio": "Audio",
    "legal": "Legal",
    "people": "People (HR)",
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
# The functions the report counts as research when it says "of which research".
RESEARCH_FUNCTIONS = ("research", "applied_ml", "language_models")
# Affiliations whose exits are not departures of people (a fund leaving the board is governance).
NOT_PEOPLE = ("investor", "external")
DATE_CONFLICTS = ("date", "timing")

_DEPARTURE_COLUMNS = [
    "person_id", "name", "affiliation", "function", "seniority", "sd_author", "roles",
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
    """One row per reconciled person who left (persons.outcome == 'departed'; funds leaving the
    board are governance, not people, and are left out).

    The departure interval [earliest, latest] combines the person's `departed` statements:
    readings a date conflict rejects are dropped; an undated statement yields to a dated one;
    dated statements that agree are intersected (both are true, so the date lies in both); ones
    kept as alternatives, or that disagree without a recorded resolution, are spanned. The
    interval's end is bounded by the source's latest publication date and by `as_of`. `basis`
    says which of these applied; `date_ids` are the statements the interval rests on.
    """
    persons = facts.persons
    people = persons[(persons["outcome"] == "departed") & ~persons["affiliation"].isin(NOT_PEOPLE)]
    if people.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _DEPARTURE_COLUMNS}).astype(
            {"earliest": "datetime64[ns]", "latest": "datetime64[ns]", "dated": bool})
    personnel = facts.personnel
    losers = _losers(facts.conflicts, DATE_CONFLICTS)
    alternatives = _alternatives(facts.conflicts, DATE_CONFLICTS)
    out = []
    for p in people.itertuples(index=False):
        mine = personnel[personnel["person_id"] == p.person_id]
        left = mine[mine["status"] == "departed"]
        statements = left if len(left) else mine
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
            pairs = {frozenset(x) for x in zip(ids, ids[1:])} | {frozenset(ids)}
            alt = [alternatives[k] for k in pairs if k in alternatives]
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
        out.append({
            "person_id": p.person_id,
            "name": p.canonical_name,
            "affiliation": p.affiliation,
            "function": p.function,
            "seniority": p.seniority,
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
    df["earliest"] = pd.to_datetime(df["earliest"]).astype("datetime64[ns]")
    df["latest"] = pd.to_datetime(df["latest"]).astype("datetime64[ns]")
    df = df.sort_values(["dated", "earliest", "latest", "name"], ascending=[False, True, True, True])
    return df.reset_index(drop=True)


def departure_table(deps: pd.DataFrame) -> pd.DataFrame:
    """The departures formatted for reading."""
    return pd.DataFrame({
        "Person": deps["name"],
        "Role (as the sources write it)": deps["roles"],
        "Function": deps["function"].map(FUNCTION_LABELS),
        "Left": [interval_label(s, e, p) for s, e, p in
                 zip(deps["earliest"], deps["latest"], deps["precision"])],
        "Date precision": deps["precision"].map(PRECISION_LABELS),
        "Stated reason": deps["reason"].fillna(""),
        "Facts": [", ".join(i) for i in deps["fact_ids"]],
    })


def _ids(deps: pd.DataFrame) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for ids in deps["fact_ids"] for i in ids))


def counts_by(deps: pd.DataFrame, by: str) -> pd.DataFrame:
    """Departures per function or seniority (`by`), dated and undated, with their fact ids; in
    the order of the declared categories."""
    labels = {"function": FUNCTION_LABELS, "seniority": SENIORITY_LABELS}[by]
    rows = []
    for key in labels:
        sub = deps[deps[by] == key]
        if len(sub):
            rows.append({by: key, "label": labels[key], "departures": len(sub),
                         "dated": int(sub["dated"].sum()), "undated": int((~sub["dated"]).sum()),
                         "fact_ids": _ids(sub)})
    return pd.DataFrame(rows, columns=[by, "label", "departures", "dated", "undated", "fact_ids"])


def counts_table(deps: pd.DataFrame, by: str) -> pd.DataFrame:
    c = counts_by(deps, by).sort_values("departures", ascending=False, kind="stable")
    return pd.DataFrame({
        by.capitalize(): c["label"],
        "Departures": c["departures"],
        "of which undated": c["undated"],
        "Facts": [", ".join(i) for i in c["fact_ids"]],
    })


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


def departure_count(deps: pd.DataFrame) -> Cited:
    return cite(len(deps), _ids(deps), fmt="int")


def research_count(deps: pd.DataFrame) -> Cited:
    """Departures in research, applied ML and language models (RESEARCH_FUNCTIONS)."""
    sub = deps[deps["function"].isin(RESEARCH_FUNCTIONS)]
    return cite(len(sub), _ids(sub), fmt="int")


def undated_count(deps: pd.DataFrame) -> Cited:
    sub = deps[~deps["dated"]]
    return cite(len(sub), _ids(sub), fmt="int")


def band_at(deps: pd.DataFrame, when) -> tuple[Cited, Cited]:
    """departed_between() as Cited values, each citing the departures it counts."""
    t = pd.Timestamp(when)
    d = deps[deps["dated"]]
    low, high = d[d["latest"] <= t], d[d["earliest"] <= t]
    return cite(len(low), _ids(low), fmt="int"), cite(len(high), _ids(high), fmt="int")


@dataclass(frozen=True)
class Share:
    """A share the sources give both parts of: `part` of `whole`."""

    part: Cited
    whole: Cited
    share: Cited


_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}


def _events(facts: Facts, pattern: str) -> pd.DataFrame:
    e = facts.events
    return e[e["event"].str.contains(pattern, regex=True, na=False)]


def sd_author_share(facts: Facts, deps: pd.DataFrame | None = None) -> Share | None:
    """How many of the original Stable Diffusion study's authors left, out of how many: the
    part is the departed persons the sources name as authors; the whole is the number of authors
    a source states. None when no source states the whole (no share is made up)."""
    deps = departures(facts) if deps is None else deps
    authors = deps[deps["sd_author"]]
    whole = _events(facts, r"author")
    whole = whole[(whole["unit"] == "count") & whole["value"].notna()]
    whole = whole[whole["event"].str.contains(r"total|authors$|study|paper", regex=True)
                  & ~whole["event"].str.contains(r"left|depart|resign", regex=True)]
    if authors.empty or whole.empty:
        return None
    w = whole.iloc[0]
    stated = _events(facts, r"author")
    stated = stated[stated["event"].str.contains(r"left|depart|resign", regex=True)
                    & stated["value"].notna()]
    part_ids = _ids(authors) + tuple(stated["fact_id"])
    part = cite(len(authors), part_ids, fmt="int")
    whole_c = cite(int(w["value"]), w["fact_id"], fmt="int")
    return Share(part, whole_c, cite(len(authors) / w["value"], part_ids, w["fact_id"], fmt="pct"))


def _event_value(facts: Facts, pattern: str, unit: str) -> pd.Series | None:
    e = _events(facts, pattern)
    e = e[(e["unit"] == unit) & e["value"].notna()]
    return None if e.empty else e.iloc[0]


def layoff_share(facts: Facts) -> Cited | None:
    """The share of the workforce laid off as the source bounds it ('at least 10%')."""
    r = _event_value(facts, r"layoff|laid_off|lay_off", "percent")
    return None if r is None else cite(r["value"] / 100, r["fact_id"], fmt="pct")


def layoff_bound(facts: Facts) -> str:
    r = _event_value(facts, r"layoff|laid_off|lay_off", "percent")
    return "" if r is None else {"at_least": "at least", "more_than": "more than",
                                 "approx": "about", "less_than": "less than"}.get(r["bound"], "")


def remaining_headcount(facts: Facts) -> Cited | None:
    r = _event_value(facts, r"remaining|headcount|employees", "count")
    return None if r is None else cite(int(r["value"]), r["fact_id"], fmt="int")


def key_numbers(facts: Facts, as_of: date | str | None = None) -> dict[str, Cited | None]:
    """The overview's attrition numbers as Cited values (None when the facts do not give one):
    departures, research departures, undated departures, SD authors who left / the authors /
    their share, the share laid off, and the headcount that remains."""
    deps = departures(facts, as_of)
    share = sd_author_share(facts, deps)
    return {
        "departures": departure_count(deps),
        "research_departures": research_count(deps),
        "undated_departures": undated_count(deps),
        "sd_authors_left": share.part if share else None,
        "sd_authors": share.whole if share else None,
        "sd_authors_share": share.share if share else None,
        "layoffs_share": layoff_share(facts),
        "remaining_headcount": remaining_headcount(facts),
    }


# ---------------------------------------------------------------------------------------------
# governance


def governance_events(facts: Facts) -> pd.DataFrame:
    """Board, leadership and workforce events (board and observer exits, the CEO's resignation
    and exit from the board, interim leadership, layoffs, remaining staff), dated as intervals."""
    e = facts.events
    e = e[e["category"].isin(("governance", "leadership", "workforce"))]
    names = dict(zip(facts.persons["person_id"], facts.persons["canonical_name"]))
    rows = []
    for r in e.itertuples(index=False):
        value = ""
        if pd.notna(r.value):
            bound = {"at_least": "at least ", "more_than": "more than ", "approx": "about ",
                     "less_than": "less than "}.get(r.bound or "", "")
            value = bound + ({"percent": f"{r.value:g}%", "count": f"{r.value:,.0f}",
                              "USD": money(r.value)}.get(r.unit, f"{r.value:g} {r.unit}"))
        who = names.get(r.person_id) if pd.notna(r.person_id) else None
        rows.append({
            "When": interval_label(r.date_start, r.date_end, r.date_precision),
            "What": _humanise(r.event),
            "Who": who or (r.actor or ""),
            "Value": value,
            "Source says": r.quote,
            "Fact": r.fact_id,
            "_start": r.date_start,
        })
    df = pd.DataFrame(rows, columns=["When", "What", "Who", "Value", "Source says", "Fact",
                                     "_start"])
    df = df.sort_values(["_start", "Fact"], na_position="last", kind="stable")
    return df.drop(columns="_start").reset_index(drop=True)


def leadership_table(facts: Facts) -> pd.DataFrame:
    """People who took over, stayed or lead the board, with their roles as written."""
    p = facts.persons
    p = p[p["outcome"].isin(("took_over", "stayed")) | (p["function"] == "board")]
    p = p[~p["affiliation"].isin(NOT_PEOPLE)]
    rows = []
    for r in p.itertuples(index=False):
        st = facts.personnel[facts.personnel["person_id"] == r.person_id]
        rows.append({
            "Person": r.canonical_name,
            "Role (as written)": " / ".join(dict.fromkeys(st["role_as_written"].dropna())),
            "Status": {"took_over": "took over (interim)", "stayed": "in post",
                       "mentioned": "named", "departed": "left"}.get(r.outcome, r.outcome),
            "Facts": ", ".join(st["fact_id"]),
        })
    return pd.DataFrame(rows, columns=["Person", "Role (as written)", "Status", "Facts"])


def _humanise(event: str) -> str:
    text = str(event).replace("_", " ").strip()
    for a, b in (("ceo", "CEO"), ("coo", "COO"), ("cto", "CTO"), ("aws", "AWS"), ("sd", "SD")):
        text = " ".join(b if w == a else w for w in text.split())
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------------------------
# figures


def _month_floor(t: pd.Timestamp) -> pd.Timestamp:
    return pd.Timestamp(t.year, t.month, 1)


def _month_ceil(t: pd.Timestamp) -> pd.Timestamp:
    return _month_floor(t) + pd.offsets.MonthEnd(0)


_PRECISION_STYLE = {  # fill, hatch: lightness differs so greyscale keeps them apart
    "day": (style.INK, None),
    "month": (style.DARK, None),
    "quarter": (style.DARK, "////"),
    "year": (style.LIGHT, None),
    "range": ("white", "////"),
}


def _date_axis(ax, start: pd.Timestamp, end: pd.Timestamp) -> None:
    import matplotlib.dates as mdates

    span_months = (end.year - start.year) * 12 + end.month - start.month
    step = 1 if span_months <= 8 else 3 if span_months <= 30 else 6
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=range(1, 13, step)))
    ax.xaxis.set_minor_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    ax.set_xlim(start, end + pd.Timedelta(days=1))


def departure_timeline(deps: pd.DataFrame) -> Figure | None:
    """Each departed person a row, grouped by function; the departure drawn as a bar from the
    earliest to the latest date the sources allow (short for day/month, long for a year);
    undated departures listed under the chart, not placed on the axis. None if nobody left."""
    if deps.empty:
        return None
    dated = deps[deps["dated"]].copy()
    undated = deps[~deps["dated"]]
    order = {k: i for i, k in enumerate(FUNCTION_LABELS)}
    dated["_f"] = dated["function"].map(order)
    dated = dated.sort_values(["_f", "earliest", "latest", "name"]).reset_index(drop=True)
    n = len(dated)
    height = 1.6 + 0.24 * max(n, 1) + (0.5 if len(undated) else 0)
    fig, ax = style.new_figure(height=height)
    if n:
        start = _month_floor(dated["earliest"].min())
        end = _month_ceil(dated["latest"].max())
        ys = np.arange(n)[::-1]
        for y, r in zip(ys, dated.itertuples(index=False)):
            fill, hatch = _PRECISION_STYLE.get(r.precision, ("white", "////"))
            width = (r.latest - r.earliest).days + 1
            ax.barh(y, width, left=r.earliest, height=0.62, color=fill, hatch=hatch,
                    edgecolor=style.INK, linewidth=0.7)
        labels = [f"{r.name} ({FUNCTION_LABELS[r.function]})" for r in dated.itertuples()]
        ax.set_yticks(ys, labels)
        # separators between functions
        change = [i for i in range(1, n) if dated["function"].iat[i] != dated["function"].iat[i - 1]]
        for i in change:
            ax.axhline(n - i - 0.5, color="#bbbbbb", linewidth=0.6, linestyle="--")
        ax.set_ylim(-0.7, n - 0.3)
        _date_axis(ax, start, end)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("Departure date: bar spans the earliest to the latest date the sources allow")
        present = [p for p in _PRECISION_STYLE if p in set(dated["precision"])]
        handles = [Patch(facecolor=_PRECISION_STYLE[p][0], hatch=_PRECISION_STYLE[p][1],
                         edgecolor=style.INK, linewidth=0.7,
                         label=f"dated to the {p}" if p != "range" else "only bounds known")
                   for p in present]
        ax.legend(handles=handles, loc="upper left", ncols=len(handles), fontsize=7.5,
                  bbox_to_anchor=(0, 1.0), borderaxespad=0.2)
        ax.set_ylim(-0.7, n + 0.6)
    else:
        ax.set_axis_off()
    subtitle = None
    if len(undated):
        listed = "; ".join(f"{r.name} ({FUNCTION_LABELS[r.function]})" for r in undated.itertuples())
        subtitle = f"Not placed on the axis because no source dates the departure: {listed}."
    style.finish(fig, "Who left Stability AI, and when", subtitle)
    return fig


def counts_figure(deps: pd.DataFrame) -> Figure | None:
    """Departures by function (left) and by seniority (right), as horizontal bars with counts;
    the part of each bar that no source dates is hatched."""
    if deps.empty:
        return None
    by_f = counts_by(deps, "function").sort_values("departures", kind="stable")
    by_s = counts_by(deps, "seniority").iloc[::-1]
    rows = max(len(by_f), len(by_s))
    fig, (a1, a2) = style.new_figure(height=1.3 + 0.26 * rows, ncols=2)
    for ax, c, title in ((a1, by_f, "By function"), (a2, by_s, "By seniority")):
        y = np.arange(len(c))
        ax.barh(y, c["dated"], color=style.DARK, edgecolor=style.INK, linewidth=0.6,
                label="dated")
        ax.barh(y, c["undated"], left=c["dated"], color="white", hatch="////",
                edgecolor=style.INK, linewidth=0.6, label="undated")
        for yi, v in zip(y, c["departures"]):
            ax.text(v + 0.1, yi, f"{v}", va="center", fontsize=8)
        ax.set_yticks(y, c["label"])
        ax.set_title(title, fontsize=9.5)
        ax.set_xlabel("Departed people (count)")
        ax.set_xlim(0, c["departures"].max() + 1)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(axis="y", visible=False)
    if (~deps["dated"]).any():
        a2.legend(loc="lower right")
    style.finish(fig, "Departures by function and by seniority")
    return fig


# --- the shared time axis: departures against money -----------------------------------------

_LANES = (
    "Funding closed",
    "Fundraising",
    "Cash & unpaid bills",
    "Board & CEO",
    "Company",
)
_MONEY_LANES = {"funding_closed": "Funding closed", "target_cut": "Fundraising",
                "cash": "Cash & unpaid bills", "unpaid_bill": "Cash & unpaid bills"}
_EVENT_LANES = {"governance": "Board & CEO", "leadership": "Board & CEO",
                "workforce": "Company", "corporate": "Company"}
_LANE_MARKERS = {"Funding closed": ("^", style.DARK), "Fundraising": ("v", style.MID),
                 "Cash & unpaid bills": ("s", style.RED), "Board & CEO": ("D", style.INK),
                 "Company": ("o", style.GREY)}


def _money_label(r) -> str:
    v = "" if pd.isna(r.value) else money(r.value, short=True)
    who = f" {r.counterparty}" if isinstance(r.counterparty, str) else ""
    lt = {"less_than": "< ", "more_than": "> ", "at_least": "≥ ", "approx": "~"}.get(r.bound, "")
    if r.metric == "funding_closed":
        return f"{lt}{v}{who}".strip()
    if r.metric == "cash":
        return f"cash {lt}{v}".strip()
    if r.metric == "unpaid_bill":
        return f"{who.strip() or 'bill'} {lt}{v}".strip() + " unpaid" if v else \
            f"{who.strip() or 'bill'} unpaid"
    if r.metric == "target_cut":
        unit = f"{r.value:g}%" if r.unit == "percent" else v
        return f"target cut {lt}{unit}".strip()
    return v


def timeline_events(facts: Facts, as_of: date | str | None = None) -> pd.DataFrame:
    """The money and governance events drawn on the shared time axis, one row per event after
    merging the two sources' reports of the same thing: lane, label, start, end, precision,
    fact ids. Readings a conflict rejects are dropped; undated events are left out."""
    losers = _losers(facts.conflicts)
    rows = []
    m = facts.money
    m = m[m["metric"].isin(_MONEY_LANES) & (m["status"] == "reported")
          & ~m["fact_id"].isin(losers)]
    for r in _bounded(m, facts, as_of).itertuples(index=False):
        key = (r.metric, r.counterparty if isinstance(r.counterparty, str) else "",
               r.value if r.metric != "unpaid_bill" else "", r.start.year, r.start.month)
        rows.append({"lane": _MONEY_LANES[r.metric], "label": _money_label(r), "start": r.start,
                     "end": r.end, "precision": r.prec, "key": key, "fact_ids": (r.fact_id,)})
    e = facts.events
    e = e[e["category"].isin(_EVENT_LANES) & (e["date_precision"] != "undated")
          & e["status"].isin(("reported",)) & ~e["fact_id"].isin(losers)]
    for r in _bounded(e, facts, as_of).itertuples(index=False):
        rows.append({"lane": _EVENT_LANES[r.category], "label": _humanise(r.event),
                     "start": r.start, "end": r.end, "precision": r.prec, "key": (r.event,),
                     "fact_ids": (r.fact_id,)})
    cols = ["lane", "label", "start", "end", "precision", "fact_ids"]
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    df = pd.DataFrame(rows)
    merged = []
    for _, g in df.groupby(df["key"].map(repr), sort=False):
        lo, hi = g["start"].max(), g["end"].min()
        if lo > hi:  # the reports do not overlap: keep them apart
            merged.extend(g.to_dict("records"))
            continue
        first = g.iloc[0].to_dict()
        same = g[(g["start"] == lo) & (g["end"] == hi)]
        first.update(start=lo, end=hi, precision=same["precision"].iloc[0] if len(same)
                     else "range", fact_ids=tuple(i for ids in g["fact_ids"] for i in ids))
        merged.append(first)
    out = pd.DataFrame(merged)[cols]
    return out.sort_values(["start", "lane"], kind="stable").reset_index(drop=True)


def timeline_figure(facts: Facts, as_of: date | str | None = None,
                    title: str = "Departures against the money running out",
                    height: float = 5.6) -> Figure | None:
    """ONE time axis for people and money: on top, cumulative departures as a band (lower edge:
    departures whose interval has fully passed; upper edge: those whose interval has begun);
    below, the funding, cash, unpaid-bill, board and company events as markers on lanes, a
    bar showing each event's date interval. The axis runs from the first to the last dated
    fact (whole months), never to an analysis date far past the facts. None if nothing is dated.

    Reusable by the overview: `style.show(attrition.timeline_figure(facts, P.as_of), ...)`.
    """
    deps = departures(facts, as_of)
    ev = timeline_events(facts, as_of)
    dated = deps[deps["dated"]]
    if dated.empty and ev.empty:
        return None
    starts = list(dated["earliest"]) + list(ev["start"])
    ends = list(dated["latest"]) + list(ev["end"])
    start, end = _month_floor(min(starts)), _month_ceil(max(ends))
    fig, (top, bot) = style.new_figure(height=height, nrows=2, sharex=True,
                                       gridspec_kw={"height_ratios": [1.25, 1]})
    # top: the band
    band = cumulative_band(deps, start, end)
    if len(dated):
        x = band["date"]
        top.fill_between(x, band["minimum"], band["maximum"], step="post", color=style.LIGHT,
                         hatch="////", edgecolor="white", linewidth=0,
                         label="date uncertain (interval not yet over)")
        top.step(x, band["maximum"], where="post", color=style.DARK, linestyle="--",
                 linewidth=1.4, label="upper bound: departure interval has begun")
        top.step(x, band["minimum"], where="post", color=style.INK, linestyle="-",
                 linewidth=1.6, label="lower bound: departure interval has passed")
        top.set_ylim(0, max(int(band["maximum"].max()), 1) * 1.12 + 0.5)
        top.legend(loc="upper left", fontsize=7.5)
    else:
        top.text(0.5, 0.5, "No dated departures in the facts", transform=top.transAxes,
                 ha="center", va="center", color=style.GREY)
    top.set_ylabel("Departed people\n(cumulative count)")
    top.yaxis.get_major_locator().set_params(integer=True)
    undated = int((~deps["dated"]).sum())
    if undated:
        top.text(1.0, 0.02, f"+ {undated} undated departure{'s' if undated > 1 else ''} "
                 "not shown", transform=top.transAxes, ha="right", va="bottom", fontsize=7.5,
                 color="#444444")
    # bottom: event lanes
    lanes = [lane for lane in _LANES if lane in set(ev["lane"])]
    ypos = {lane: len(lanes) - 1 - i for i, lane in enumerate(lanes)}
    last_label_end: dict[str, list] = {}
    for r in ev.itertuples(index=False):
        y = ypos[r.lane]
        marker, colour = _LANE_MARKERS[r.lane]
        width = (r.end - r.start).days + 1
        bot.barh(y, width, left=r.start, height=0.34, color=colour, alpha=0.28,
                 edgecolor=colour, linewidth=0.6)
        mid = r.start + (r.end - r.start) / 2
        bot.plot([mid], [y], marker=marker, color=colour, markeredgecolor=style.INK,
                 markeredgewidth=0.6, markersize=6.5, linestyle="none")
        # stagger labels that would overlap the previous one on the lane
        placed = last_label_end.setdefault(r.lane, [])
        level = 0
        while any(lv == level and mid < xe for lv, xe in placed):
            level += 1
        text_width = pd.Timedelta(days=5.2 * len(r.label) * (end - start).days / 700)
        placed.append((level, mid + text_width))
        bot.annotate(r.label, (mid, y), xytext=(3, 6 + 8 * (level % 3)),
                     textcoords="offset points", fontsize=6.5, color=style.INK, va="bottom")
    bot.set_yticks(list(ypos.values()), list(ypos.keys()))
    bot.set_ylim(-0.6, max(len(lanes), 1) - 0.1 + 0.4)
    bot.grid(axis="y", visible=False)
    bot.set_xlabel("Month (markers at the middle of each event's date interval; bars show the "
                   "interval)")
    _date_axis(bot, start, end)
    subtitle = ("Top: people who left, counted when their departure interval has passed (solid) "
                "or begun (dashed). Bottom: money and board events; amounts in US dollars.")
    style.finish(fig, title, subtitle)
    return fig
