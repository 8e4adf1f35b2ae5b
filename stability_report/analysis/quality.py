"""Sources and data quality, counted from the validated fact base: facts per source and table,
money facts per status, the conflicts and how they are resolved, the conflict register, and how
dates and values were inferred (the inference log); with the registers as published in CSV.
The chapter's sentences are present.quality.
"""

from __future__ import annotations

import re

import pandas as pd

from ..facts.base import Facts
from ..facts.ids import by_number, id_sort_key
from ..facts.schema import FACT_TABLES
from ..facts.vocabulary import DATING_GIVEN
from ..formats import interval
from .cited import Cited, cite

TABLE_LABELS = {
    "person_names": "Name spellings",
    "personnel": "Personnel statements",
    "money": "Money",
    "events": "Events",
}
USES_LABELS = {
    "a": "reading A",
    "b": "reading B",
    "both": "both, as alternatives",
    "neither": "neither",
}
# Disagreements that change what a reader of the report sees: a number, a date, a name, a title.
VISIBLE_KINDS = ("name", "role", "amount", "date", "timing")

# How a date or value was inferred, recognised from the wording of a fact's note; the first
# match wins. The labels are what chapter 4 counts (Table 8) and lists (the inference log), and
# each phrase a label quotes is recognised as that kind ("the past year", a period bounded by the
# publication window, is not a relative year).
INFERENCE_KINDS = (
    (
        # a fact dated by an event its source does not date and the report bounded ("S001
        # gives no date for Mostaque's resignation. It lies in 2024-03-01..2024-12-31"),
        # or by one of two events ("refers either to Ommer's statement ... or to the launch"):
        # its own dating is the event's, whatever relative year bounded the event
        "related event",
        "Dated by a related event or sentence of the same article (a resignation, "
        "an announcement, the same paragraph)",
        re.compile(
            r"\bgives no date for [^.;]+[.;] (?:it|the \w+) lies in\b|\brefers either to\b", re.I
        ),
    ),
    (
        "relative year",
        "A relative year (“last year”, “this year”, “last summer”) resolved "
        "against the year the article was written",
        re.compile(r"(last|this) (year|summer)", re.I),
    ),
    (
        "relative period",
        "A relative week or month (“last week”, “last month”, “earlier this "
        "month”) or “the past year”, bounded by the publication window",
        re.compile(r"last (week|month|december)|earlier this month|past year", re.I),
    ),
    (
        "month without year",
        "A month named without a year, resolved to the only one the article's other dates allow",
        re.compile(
            r"'(in )?(january|february|march|april|may|june|july|august|september|october|"
            r"november|december)'? resolved",
            re.I,
        ),
    ),
    (
        "quarter without year",
        "A quarter named without a year (“the second quarter”), read as the year the "
        "article's account allows",
        re.compile(
            r"'(?:in )?the (?:first|second|third|fourth|last) quarter'|\bread as Q[1-4] \d{4}",
            re.I,
        ),
    ),
    (
        "present tense",
        "A statement in the present tense, dated to the article's publication window",
        re.compile(r"present tense", re.I),
    ),
    (
        "related event",
        "Dated by a related event or sentence of the same article (a resignation, "
        "an announcement, the same paragraph)",
        re.compile(
            r"sentence|paragraph|dated by|same month|documents|announcement|projection|"
            r"memo|resignation|resigns|within days|after the|before|follows|response to|"
            r"at the ",
            re.I,
        ),
    ),
    (
        "not dated",
        "Not dated by the source: left undated, or bounded only loosely",
        re.compile(r"no date|no month|undated|gives no", re.I),
    ),
    (
        "value",
        "A value, party or rank inferred from the wording",
        re.compile(r"value =|no amount|creditor|expressed as|computed by|seniority|rank", re.I),
    ),
)
OTHER_KIND = ("other", "Other reasoning, given in the fact's note")


def source_ids(facts: Facts) -> list[str]:
    return list(facts.sources["source_id"])


def dated_by_text(facts: Facts) -> pd.Series:
    """For each source (in sources order), whether its publication date or window was read from
    its own text; False for one given when the article was registered (its dating_note says so
    in the words `sources add` writes, vocabulary.DATING_GIVEN)."""
    notes = facts.sources["dating_note"].fillna("").astype(str)
    return ~notes.str.contains(DATING_GIVEN, regex=False)


def fact_counts(facts: Facts) -> pd.DataFrame:
    """Facts per source (rows) and table (columns), with totals; tables absent from a source
    count zero."""
    sources = source_ids(facts)
    data = {
        TABLE_LABELS[t]: [int((facts.tables[t]["source_id"] == s).sum()) for s in sources]
        for t in FACT_TABLES
    }
    df = pd.DataFrame(data, index=sources)
    df["All facts"] = df.sum(axis=1)
    df.loc["All sources"] = df.sum(axis=0)
    return df.rename_axis("Source").reset_index()


def count_of_facts(facts: Facts, source_id: str | None = None) -> Cited:
    """How many quoted facts a source gives (all sources when None), cited by source id."""
    f = facts.all_facts()
    if source_id is not None:
        f = f[f["source_id"] == source_id]
    ids = [source_id] if source_id else source_ids(facts)
    c = cite(len(f), ids, fmt="int")
    return c if len(c.ids) <= 4 else c.via("sources")


def _published(s) -> str:
    pub = interval(
        s.published_start, s.published_end, "day" if s.published_precision == "day" else "range"
    )
    if pd.notna(s.updated):
        pub += f" (updated {interval(s.updated, s.updated, 'day')})"
    return pub


def sources_table(facts: Facts) -> pd.DataFrame:
    """Each source: id, headline, when it was published as far as its own text establishes it,
    and how many facts it gives."""
    counts = fact_counts(facts).set_index("Source")
    rows = [
        {
            "Source": s.source_id,
            "Headline": s.headline,
            "Published": _published(s),
            "Facts": int(counts.loc[s.source_id, "All facts"]),
        }
        for s in facts.sources.itertuples(index=False)
    ]
    return pd.DataFrame(rows, columns=["Source", "Headline", "Published", "Facts"])


def conflict_counts(facts: Facts) -> dict[str, Cited]:
    """Conflicts in total, across sources and inside one source, and by how they are resolved
    (one reading, both kept, neither); each count cites the conflict register."""
    c = facts.conflicts
    src = facts.all_facts().set_index("fact_id")["source_id"]
    a = c["fact_id_a"].map(src)
    b = c["fact_id_b"].map(src)
    out = {"total": cite(len(c), fmt="int", ref=CONFLICTS_TABLE)}
    for key, mask in (
        ("across", a != b),
        ("within", a == b),
        ("one", c["analysis_uses"].isin(("a", "b"))),
        ("both", c["analysis_uses"] == "both"),
        ("neither", c["analysis_uses"] == "neither"),
        ("visible", c["kind"].isin(VISIBLE_KINDS)),
        (
            "compatible",
            c["rationale"].fillna("").str.contains(r"(?i)^compatible\b|not contradictory"),
        ),
    ):
        out[key] = cite(int(mask.sum()), fmt="int")
    return out


def restated_outlets(facts: Facts) -> dict[str, dict[str, tuple[str, ...]]]:
    """For each source, the outlets whose earlier reporting it restates (original_reporter), each
    with the ids of the facts that restate it, most restated first; a source that restates no
    outlet is left out. Computed from the facts, so it stays true as sources arrive."""
    tables = [t for t in (facts.money, facts.events, facts.personnel) if "original_reporter" in t]
    if not tables:
        return {}
    rows = pd.concat([t[["fact_id", "source_id", "original_reporter"]] for t in tables])
    rows = rows[rows["original_reporter"].fillna("").str.strip() != ""]
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for sid in source_ids(facts):
        mine = rows[rows["source_id"] == sid]
        if mine.empty:
            continue
        counts = mine["original_reporter"].value_counts(sort=False)
        order = sorted(counts.index, key=lambda o: (-counts[o], o))
        out[sid] = {
            o: tuple(sorted(mine.loc[mine["original_reporter"] == o, "fact_id"], key=id_sort_key))
            for o in order
        }
    return out


def _reading(fact_id: str, reading: str) -> str:
    return f"{fact_id}: {reading}"


def visible_conflicts_table(facts: Facts) -> pd.DataFrame:
    """The disagreements that change a number, a date, a name or a title in the report."""
    c = facts.conflicts[facts.conflicts["kind"].isin(VISIBLE_KINDS)]
    return pd.DataFrame(
        {
            "Conflict": c["conflict_id"],
            "Topic": c["topic"],
            "Readings": [
                f"A {_reading(fa, ra)}; B {_reading(fb, rb)}"
                for fa, ra, fb, rb in zip(
                    c["fact_id_a"], c["reading_a"], c["fact_id_b"], c["reading_b"]
                )
            ],
            "Report uses": c["analysis_uses"].map(USES_LABELS),
        }
    ).reset_index(drop=True)


def conflict_register(facts: Facts) -> pd.DataFrame:
    """Every disagreement: both readings with their fact ids (each fact's entry gives its quote),
    which one the analysis uses and why."""
    c = facts.conflicts
    return pd.DataFrame(
        {
            "Conflict": c["conflict_id"],
            "Topic": c["topic"],
            "Kind": c["kind"],
            "Reading A": [_reading(f, r) for f, r in zip(c["fact_id_a"], c["reading_a"])],
            "Reading B": [_reading(f, r) for f, r in zip(c["fact_id_b"], c["reading_b"])],
            "Uses": c["analysis_uses"].map(USES_LABELS),
            "Why": c["rationale"],
        }
    ).reset_index(drop=True)


def conflicts_csv(facts: Facts) -> pd.DataFrame:
    """The conflict register as published next to the report: the conflicts table's own
    columns, quotes included."""
    return facts.conflicts.reset_index(drop=True)


def _kind(note: str, precision: str | None = None) -> tuple[str, str]:
    """The kind of a fact's inference: the first kind whose wording the note matches; but a
    fact its source leaves undated (its precision) is 'not dated' whatever event or sentence
    its note relates it to, unless the note infers a value."""
    key, label = next(
        ((k, label) for k, label, pattern in INFERENCE_KINDS if pattern.search(note)), OTHER_KIND
    )
    if precision == "undated" and key != "value":
        return next((k, lab) for k, lab, _ in INFERENCE_KINDS if k == "not dated")
    return key, label


# Where each kind is listed: a kind recognised by two patterns (the related event, checked
# first for a bounded event and again later) is listed at its later, general place.
_ORDER = {k: i for i, (k, _, _) in enumerate(INFERENCE_KINDS)}


def inference_kinds(facts: Facts) -> pd.DataFrame:
    """Every fact whose date or value was inferred: fact id, source, date interval, precision,
    the kind of inference and the note."""
    rows = []
    for t in ("personnel", "money", "events"):
        df = facts.tables[t]
        for r in df[df["inference_note"].notna()].itertuples(index=False):
            key, label = _kind(r.inference_note, r.date_precision)
            rows.append(
                {
                    "fact_id": r.fact_id,
                    "source_id": r.source_id,
                    "table": t,
                    "date_start": r.date_start,
                    "date_end": r.date_end,
                    "date_precision": r.date_precision,
                    "kind": key,
                    "kind_label": label,
                    "inference_note": r.inference_note,
                }
            )
    cols = [
        "fact_id",
        "source_id",
        "table",
        "date_start",
        "date_end",
        "date_precision",
        "kind",
        "kind_label",
        "inference_note",
    ]
    if not rows:
        return pd.DataFrame(columns=cols)
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values("fact_id", key=by_number).reset_index(drop=True)


def inference_summary(kinds: pd.DataFrame) -> pd.DataFrame:
    """How dates and values were inferred: one row per kind, with the number of facts (the
    inference log lists them)."""
    order = _ORDER
    g = kinds.groupby(["kind", "kind_label"], sort=False).size().reset_index(name="facts")
    g = g.assign(_o=g["kind"].map(order).fillna(len(order))).sort_values("_o")
    return pd.DataFrame({"How it was inferred": g["kind_label"], "Facts": g["facts"]}).reset_index(
        drop=True
    )


def inference_log(facts: Facts) -> pd.DataFrame:
    """The full inference log, compact: per kind of inference, every fact it applies to (each
    fact's entry in the evidence appendix gives its note)."""
    kinds = inference_kinds(facts)
    if kinds.empty:
        return pd.DataFrame(columns=["How it was inferred", "Facts"])
    order = _ORDER
    rows = []
    for (key, label), g in kinds.groupby(["kind", "kind_label"], sort=False):
        rows.append(
            {
                "_o": order.get(key, len(order)),
                "How it was inferred": label,
                "Facts": ", ".join(g["fact_id"]),
            }
        )
    return pd.DataFrame(rows).sort_values("_o").drop(columns="_o").reset_index(drop=True)


def inference_csv(facts: Facts) -> pd.DataFrame:
    """The inference log as published next to the report: one row per fact, with its period,
    the kind of inference and the note in full."""
    k = inference_kinds(facts)
    out = k.drop(columns=["kind_label"]).copy()
    for col in ("date_start", "date_end"):
        out[col] = out[col].map(
            lambda d: "" if pd.isna(d) else pd.Timestamp(d).strftime("%Y-%m-%d")
        )
    return out


CONFLICTS_TABLE = "conflicts"  # the anchor of the conflict register


def board_changes(facts: Facts) -> tuple[str, ...]:
    """The ids of the events that speak of the board (a seat given up, a member leaving it, its
    chair): what the sources say of the board, short of who sits on it; one fact per quote
    (a sentence naming two changes is cited once)."""
    e = facts.events
    about = e["event"].fillna("").str.contains("board|chair", case=False) | e["quote"].fillna(
        ""
    ).str.contains(r"\bboard\b", case=False, regex=True)
    return tuple(e.loc[about].drop_duplicates(["source_id", "quote"])["fact_id"])
