"""Executive attrition: who left, when (as an interval, never a false point date), in which
function and capability group, how the sources' date readings combine, and the counts and shares
the prose cites.

Everything here reads the validated fact base (`facts.load.load_facts()`), so every count and
share can carry the ids of the facts it comes from. The figures are figures.attrition.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from ..facts.base import Facts
from ..facts.ids import id_sort_key
from ..formats import bound_words, interval, within
from .cited import MAX_INLINE_IDS, Cited, cite
from .money import date_bounded
from .readings import alternatives, known_intervals, rejected, rejected_readings

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
# Departures grouped by the capability they took away, from the reconciled function. One
# definition, used by every count and table of the report.
CAPABILITY_GROUPS = {
    "core": ("Research and models", ("research", "applied_ml", "language_models")),
    "technical": ("Engineering, product and audio", ("engineering", "product", "audio")),
    "executive": (
        "Executives and administration",
        (
            "executive",
            "operations",
            "legal",
            "people",
            "communications",
            "technology",
            "integrity",
            "board",
        ),
    ),
}
# Ranks from the most senior; the two articles sometimes give one person different titles.
RANKS = ("c_suite", "svp", "vp", "head", "director", "lead", "staff")
VP_OR_ABOVE = ("c_suite", "svp", "vp")
# Affiliations whose exits are not departures of people (a fund leaving the board is governance).
NOT_PEOPLE = ("investor", "external")
DATE_CONFLICTS = ("date", "timing")

_DEPARTURE_COLUMNS = (
    "person_id name affiliation function group seniority rank_high rank_low sd_author roles "
    "earliest latest precision dated date_bounded basis reason date_ids fact_ids conflict_ids"
).split()


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
    says which of these applied; `date_ids` are the statements the interval rests on;
    `date_bounded`, that each of them says its source gives no date, so the interval is the
    report's bound (money.date_bounded).
    (Computed once per fact base and date, Facts.derived; the copy is the caller's to change.)
    """
    as_of = None if as_of is None else pd.Timestamp(as_of)
    return facts.derived(("departures", as_of), lambda: _departures(facts, as_of)).copy(deep=False)


def _departures(facts: Facts, as_of: pd.Timestamp | None) -> pd.DataFrame:
    persons = facts.persons
    people = persons[(persons["outcome"] == "departed") & ~persons["affiliation"].isin(NOT_PEOPLE)]
    personnel = facts.personnel
    losers = rejected_readings(facts.conflicts, DATE_CONFLICTS)
    kept_both = alternatives(facts.conflicts, DATE_CONFLICTS)
    out = []
    for p in people.itertuples(index=False):
        statements = personnel[
            (personnel["person_id"] == p.person_id) & (personnel["status"] == "departed")
        ]
        if statements.empty:  # no available source says this person left (yet)
            continue
        kept = statements[~statements["fact_id"].isin(losers)]
        conflict_ids = sorted(
            {losers[f] for f in statements["fact_id"] if f in losers}, key=id_sort_key
        )
        dated = known_intervals(kept[kept["date_precision"] != "undated"], facts, as_of)
        earliest = latest = pd.NaT
        precision, basis, date_ids = "undated", "no source dates the departure", []
        if len(dated) == 1:
            r = dated.iloc[0]
            earliest, latest, precision = r["start"], r["end"], r["prec"]
            basis = f"one dated statement ({r['source_id']})"
            date_ids = [r["fact_id"]]
        elif len(dated) > 1:
            ids = list(dated["fact_id"])
            alt = [cid for pair, cid in kept_both.items() if pair <= set(ids)]
            lo, hi = dated["start"].max(), dated["end"].min()
            if lo <= hi and not alt:
                earliest, latest = lo, hi
                same = dated[(dated["start"] == lo) & (dated["end"] == hi)]
                precision = same["prec"].iloc[0] if len(same) else "range"
                basis = "dated statements agree; interval is where they overlap"
            else:
                earliest, latest, precision = dated["start"].min(), dated["end"].max(), "range"
                conflict_ids += alt
                basis = (
                    "alternatives kept by " + ", ".join(sorted(alt, key=id_sort_key))
                    if alt
                    else "dated statements disagree (no resolution recorded); interval spans both"
                )
            date_ids = ids
        if len(dated) and dated["clipped"].any():
            basis += "; end bounded by publication date or analysis date"
        rejected = sorted({c for c in conflict_ids if c not in kept_both.values()}, key=id_sort_key)
        if rejected:
            basis += "; a reading rejected by " + ", ".join(rejected) + " is not used"
        reasons = [r for r in dict.fromkeys(statements["reason"].dropna()) if r]
        roles = list(dict.fromkeys(statements["role_as_written"].dropna()))
        ranks = sorted({RANKS.index(r) for r in statements["seniority"] if r in RANKS})
        out.append(
            {
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
                # every statement the interval rests on is dated by the report's bound, not by
                # its source (money.date_bounded)
                "date_bounded": bool(date_ids)
                and all(
                    date_bounded(r)
                    for _, r in statements[statements["fact_id"].isin(date_ids)].iterrows()
                ),
                "basis": basis.rstrip("; "),
                "reason": "; ".join(reasons) or None,
                "date_ids": tuple(date_ids),
                "fact_ids": tuple(statements["fact_id"]),
                "conflict_ids": tuple(sorted(set(conflict_ids), key=id_sort_key)),
            }
        )
    df = pd.DataFrame(out, columns=_DEPARTURE_COLUMNS)
    df["dated"] = df["dated"].astype(bool)
    df["date_bounded"] = df["date_bounded"].astype(bool)
    df["sd_author"] = df["sd_author"].astype(bool)
    df["earliest"] = pd.to_datetime(df["earliest"]).astype("datetime64[ns]")
    df["latest"] = pd.to_datetime(df["latest"]).astype("datetime64[ns]")
    df = df.sort_values(
        ["dated", "earliest", "latest", "name"], ascending=[False, True, True, True]
    )
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
        ["_g", "dated", "earliest", "name"], ascending=[True, False, True, True], kind="stable"
    )
    return pd.DataFrame(
        {
            "Person": d["name"],
            "Role (as the sources write it)": d["roles"],
            "Group": d["group"].map({k: v[0] for k, v in CAPABILITY_GROUPS.items()}),
            "Left": [
                interval(s, e, p) + (" (bounds only)" if p == "range" else "")
                for s, e, p in zip(d["earliest"], d["latest"], d["precision"])
            ],
            "Facts": [", ".join(i) for i in d["fact_ids"]],
        }
    )


def _ids(deps: pd.DataFrame) -> tuple[str, ...]:
    """One statement per person (the first that dates the departure, else the first that
    reports it): enough to trace each counted person to a quote, short enough for prose."""
    return tuple(
        dict.fromkeys(
            (d[0] if len(d) else f[0]) for d, f in zip(deps["date_ids"], deps["fact_ids"]) if len(f)
        )
    )


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
    return {
        k: cite(int((deps["group"] == k).sum()), fmt="int", ref=DEPARTURES_TABLE)
        for k in CAPABILITY_GROUPS
    }


def vp_or_above(deps: pd.DataFrame) -> tuple[Cited, Cited]:
    """How many who left were vice presidents or above, taking for each person the more senior
    of the titles the sources give, and taking the less senior: the two counts differ where the
    articles disagree on a title (one says "VP", the other "Head of")."""
    high = deps["rank_high"].isin(VP_OR_ABOVE)
    low = deps["rank_low"].isin(VP_OR_ABOVE)
    return (
        cite(int(high.sum()), fmt="int", ref=DEPARTURES_TABLE),
        cite(int(low.sum()), fmt="int", ref=DEPARTURES_TABLE),
    )


def band_at(deps: pd.DataFrame, when) -> tuple[Cited, Cited]:
    """(minimum, maximum) number of dated departures by the end of day `when`, as Cited values
    each citing the departures it counts: the minimum counts intervals that have fully passed,
    the maximum those that have begun."""
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
        exact = [
            i
            for i in ids
            if i in p.index and p.at[i, "date_start"] == s and p.at[i, "date_end"] == e
        ]
        out.extend(exact or list(ids))
    return tuple(dict.fromkeys(out))


def when(deps: pd.DataFrame, facts: Facts | None = None, phrase: bool = False) -> Cited:
    """The interval a group of departures lies in ('March 2024' when they share it; otherwise
    from the earliest start to the latest end), cited by the statements that date them (only
    those that set the interval, when `facts` is given). `phrase`: with the preposition prose
    needs before it ('in March 2024', 'between 18 and 24 March 2024'; formats.within)."""
    fmt = within if phrase else interval
    d = deps[deps["dated"]]
    if d.empty:
        return cite("undated", _ids(deps), fmt="text")
    c = cite("", _binding_ids(facts, d), fmt="text")
    pairs = set(zip(d["earliest"], d["latest"], d["precision"]))
    if len(pairs) == 1:
        s, e, p = pairs.pop()
        text = fmt(s, e, p)
    else:
        text = fmt(d["earliest"].min(), d["latest"].max(), "range")
    c = cite(text, c.ids, fmt="text")
    return c if len(c.ids) <= MAX_INLINE_IDS else c.via(DEPARTURES_TABLE)


def cash_milestone(
    facts: Facts, deps: pd.DataFrame, as_of: date | str | None = None
) -> dict[str, Cited] | None:
    """The month the sources give the company's cash, with the cash (and how it is bounded)
    and the band of departures by the end of that month: for the sentence that ties people to
    money. None when no cash figure is available."""
    m = facts.money
    m = m[(m["metric"] == "cash") & (m["status"] == "reported") & m["value"].notna()]
    m = m[~m["fact_id"].isin(rejected(facts))]  # the reading a conflict chose, as everywhere
    if m.empty:
        return None
    m = known_intervals(m, facts, as_of).sort_values("start")
    r = m.iloc[-1]
    lo, hi = band_at(deps, r["end"])
    return {
        "when": cite(interval(r["start"], r["end"], r["prec"]), r["fact_id"], fmt="text"),
        "cash": cite(r["value"], r["fact_id"]),
        "bound": cite(bound_words(r["bound"]).strip(), fmt="text"),
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


def _named(facts: Facts, event: str, unit: str | None = None) -> pd.DataFrame:
    e = facts.events
    e = e[(e["event"] == event) & ~e["fact_id"].isin(rejected(facts))]
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
    return "" if e.empty else bound_words(e["bound"].iloc[0]).strip()
