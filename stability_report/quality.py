"""Sources and data quality: what each article contributes, where they disagree and how each
disagreement is resolved, which dates were inferred and how, and how names were reconciled.

Every table here is built from the validated fact base, so the chapter documents the evidence
the other chapters rest on. Tables come back formatted for reading (narrative.show_table).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from . import style
from .attrition import interval_label
from .facts import Facts
from .narrative import Cited, cite
from .schema import FACT_TABLES, PRECISIONS

TABLE_LABELS = {
    "person_names": "Name spellings",
    "personnel": "Personnel statements",
    "money": "Money",
    "events": "Events",
}
USES_LABELS = {"a": "reading A", "b": "reading B", "both": "both, as alternatives",
               "neither": "neither"}
PRECISION_ORDER = PRECISIONS + ("undated",)


def _source_ids(facts: Facts) -> list[str]:
    return list(facts.sources["source_id"])


def fact_counts(facts: Facts) -> pd.DataFrame:
    """Facts per source (rows) and table (columns), with totals; tables absent from a source
    count zero."""
    sources = _source_ids(facts)
    data = {TABLE_LABELS[t]: [int((facts.tables[t]["source_id"] == s).sum()) for s in sources]
            for t in FACT_TABLES}
    df = pd.DataFrame(data, index=sources)
    df["All facts"] = df.sum(axis=1)
    df.loc["Both sources"] = df.sum(axis=0)
    return df.rename_axis("Source").reset_index()


def count_of_facts(facts: Facts, source_id: str | None = None) -> Cited:
    """How many quoted facts a source gives (all sources when None), cited by source id."""
    f = facts.all_facts()
    if source_id is not None:
        f = f[f["source_id"] == source_id]
    ids = [source_id] if source_id else _source_ids(facts)
    return cite(len(f), ids, fmt="int")


def sources_table(facts: Facts) -> pd.DataFrame:
    """Each article: id, headline, when it was published as far as its own text establishes it
    (and how), the reference year for its relative dates, and how many facts it gives."""
    counts = fact_counts(facts).set_index("Source")
    rows = []
    for s in facts.sources.itertuples(index=False):
        pub = interval_label(s.published_start, s.published_end,
                             "day" if s.published_precision == "day" else "range")
        rows.append({
            "Source": s.source_id,
            "Headline": s.headline,
            "Published": pub + (f" (updated {interval_label(s.updated, s.updated, 'day')})"
                                if pd.notna(s.updated) else ""),
            "Relative dates resolved against": str(s.reference_year),
            "How the dates were established": s.dating_note,
            "Facts": int(counts.loc[s.source_id, "All facts"]),
        })
    return pd.DataFrame(rows, columns=["Source", "Headline", "Published",
                                       "Relative dates resolved against",
                                       "How the dates were established", "Facts"])


def conflicts_table(facts: Facts) -> pd.DataFrame:
    """Every disagreement: both readings with their fact ids and quotes, which one the analysis
    uses and why."""
    c = facts.conflicts
    return pd.DataFrame({
        "Conflict": c["conflict_id"],
        "Topic": c["topic"],
        "Kind": c["kind"],
        "Reading A": [f"{fa}: {ra} — “{qa}”" for fa, ra, qa in
                      zip(c["fact_id_a"], c["reading_a"], c["quote_a"])],
        "Reading B": [f"{fb}: {rb} — “{qb}”" for fb, rb, qb in
                      zip(c["fact_id_b"], c["reading_b"], c["quote_b"])],
        "Analysis uses": c["analysis_uses"].map(USES_LABELS),
        "Why": c["rationale"],
    })


def conflict_counts(facts: Facts) -> dict[str, Cited]:
    """Conflicts in total, across the two sources and inside one source, and by how they are
    resolved (one reading, both kept, neither), each cited by conflict id."""
    c = facts.conflicts
    src = facts.all_facts().set_index("fact_id")["source_id"]
    a = c["fact_id_a"].map(src)
    b = c["fact_id_b"].map(src)
    out = {"total": cite(len(c), tuple(c["conflict_id"]), fmt="int")}
    for key, mask in (("across", a != b), ("within", a == b),
                      ("one", c["analysis_uses"].isin(("a", "b"))),
                      ("both", c["analysis_uses"] == "both"),
                      ("neither", c["analysis_uses"] == "neither")):
        out[key] = cite(int(mask.sum()), tuple(c.loc[mask, "conflict_id"]), fmt="int")
    return out


def _what(table: str, r, names: dict[str, str]) -> str:
    if table == "money":
        who = f" ({r.counterparty})" if isinstance(r.counterparty, str) else ""
        return f"{r.metric.replace('_', ' ')}{who}"
    if table == "events":
        return r.event.replace("_", " ")
    if table == "personnel":
        return f"{names.get(r.person_id, r.person_id)}: {r.role_as_written}"
    return ""


def inferred_dates(facts: Facts) -> pd.DataFrame:
    """Every fact whose value or date was inferred rather than stated: its date interval,
    precision and the note saying how (a relative date resolved, a year supplied)."""
    names = dict(zip(facts.persons["person_id"], facts.persons["canonical_name"]))
    rows = []
    for t in ("personnel", "money", "events"):
        df = facts.tables[t]
        for r in df[df["inference_note"].notna()].itertuples(index=False):
            rows.append({
                "Fact": r.fact_id, "Source": r.source_id, "What": _what(t, r, names),
                "Date": interval_label(r.date_start, r.date_end, r.date_precision),
                "Precision": r.date_precision, "How it was inferred": r.inference_note,
                "_start": r.date_start,
            })
    cols = ["Fact", "Source", "What", "Date", "Precision", "How it was inferred"]
    if not rows:
        return pd.DataFrame(columns=cols)
    df = pd.DataFrame(rows)
    return df.sort_values(["_start", "Fact"], na_position="last", kind="stable")[cols] \
        .reset_index(drop=True)


def precision_counts(facts: Facts) -> pd.DataFrame:
    """How precisely the dated tables date their facts: one row per table, one column per
    precision (day ... range, undated)."""
    rows = []
    for t in ("personnel", "money", "events"):
        vc = facts.tables[t]["date_precision"].value_counts()
        rows.append({"Table": TABLE_LABELS[t],
                     **{p: int(vc.get(p, 0)) for p in PRECISION_ORDER}})
    return pd.DataFrame(rows, columns=["Table", *PRECISION_ORDER])


def dating_summary(facts: Facts) -> dict[str, Cited]:
    """Counts for prose: dated facts, those dated to a day or month, only to a year or between
    bounds, undated, and those whose date or value was inferred; cited by source id."""
    frames = [facts.tables[t] for t in ("personnel", "money", "events")]
    dated = pd.concat([f[["date_precision", "inference_note"]] for f in frames])
    ids = _source_ids(facts)

    def n(mask) -> Cited:
        return cite(int(mask.sum()), ids, fmt="int")

    p = dated["date_precision"]
    return {
        "facts": n(p.notna()),
        "fine": n(p.isin(("day", "month"))),
        "coarse": n(p.isin(("quarter", "year", "range"))),
        "undated": n(p == "undated"),
        "inferred": n(dated["inference_note"].notna()),
    }


def name_variants(facts: Facts) -> pd.DataFrame:
    """Each person whose name the sources spell more than one way, with every spelling per
    source and the name the report uses."""
    n = facts.person_names
    p = facts.persons.set_index("person_id")
    rows = []
    for pid, g in n.groupby("person_id", sort=True):
        spellings = list(dict.fromkeys(g["name_as_written"]))
        canonical = p.loc[pid, "canonical_name"] if pid in p.index else pid
        surnames = {s.split()[-1] for s in spellings}
        firsts = {s.split()[0] for s in spellings if len(s.split()) > 1}
        if len(surnames) < 2 and len(firsts) < 2:
            continue  # 'Emad Mostaque' and 'Mostaque' are one spelling, not a variant
        by_source = {
            sid: ", ".join(dict.fromkeys(g.loc[g["source_id"] == sid, "name_as_written"]))
            for sid in _source_ids(facts)
        }
        rows.append({"Person": pid, "Report uses": canonical,
                     **{f"{sid} writes": v for sid, v in by_source.items()},
                     "Facts": ", ".join(g["fact_id"])})
    cols = ["Person", "Report uses", *[f"{s} writes" for s in _source_ids(facts)], "Facts"]
    return pd.DataFrame(rows, columns=cols)


def freshness(facts: Facts, as_of) -> dict[str, Cited] | None:
    """How old the newest fact is on the analysis date: the newest date a fact refers to (the
    start of its period), the facts dated so, and the days from then to `as_of`."""
    newest = facts.newest_fact_date()
    if newest is None:
        return None
    ids = []
    for t in ("personnel", "money", "events"):
        df = facts.tables[t]
        ids += list(df.loc[df["date_start"] == newest, "fact_id"])
    days = (pd.Timestamp(as_of) - pd.Timestamp(newest)).days
    return {"newest": cite(pd.Timestamp(newest), ids, fmt="date"),
            "days": cite(days, ids, fmt="int"),
            "as_of": cite(pd.Timestamp(as_of), fmt="date")}


_PRECISION_FILL = {  # greyscale-safe: lightness steps plus hatching for the coarse ones
    "day": (style.INK, None),
    "month": (style.DARK, None),
    "quarter": (style.DARK, "////"),
    "year": (style.LIGHT, None),
    "range": ("white", "////"),
    "undated": ("white", "...."),
}


def precision_figure(facts: Facts) -> Figure | None:
    """How precisely each table dates its facts, as stacked horizontal bars (count of facts)."""
    pc = precision_counts(facts)
    if pc[list(PRECISION_ORDER)].to_numpy().sum() == 0:
        return None
    fig, ax = style.new_figure(height=2.4)
    y = np.arange(len(pc))[::-1]
    left = np.zeros(len(pc))
    for p in PRECISION_ORDER:
        fill, hatch = _PRECISION_FILL[p]
        vals = pc[p].to_numpy(dtype=float)
        if vals.sum() == 0:
            continue
        ax.barh(y, vals, left=left, color=fill, hatch=hatch, edgecolor=style.INK,
                linewidth=0.6, label=p if p != "range" else "range (bounds only)")
        left += vals
    for yi, total in zip(y, left):
        ax.text(total + 1, yi, f"{int(total)}", va="center", fontsize=8)
    ax.set_yticks(y, pc["Table"])
    ax.set_xlabel("Facts (count), by how precisely the source dates them")
    ax.set_xlim(0, left.max() * 1.08 + 2)
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.32), ncols=6, fontsize=7.5)
    style.finish(fig, "How precisely the sources date what they report")
    return fig
