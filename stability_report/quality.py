"""Sources and data quality: what each source contributes and when it appeared, how firm the
figures are (reported, claimed, projected), where the sources disagree and which reading is used,
how dates and values were inferred, and what the sources cannot tell; with the full conflict
register and inference log for the appendices.

Every table here is built from the validated fact base, so the chapter documents the evidence the
other chapters rest on. Tables come back formatted for reading (narrative.show_table).
"""

from __future__ import annotations

import re

import pandas as pd

from . import attrition
from .attrition import interval_label
from .facts import Facts
from .narrative import Cited, cite, count_word, md
from .overview import CONFLICTS_TABLE
from .schema import FACT_TABLES, STATUSES

TABLE_LABELS = {
    "person_names": "Name spellings",
    "personnel": "Personnel statements",
    "money": "Money",
    "events": "Events",
}
USES_LABELS = {"a": "reading A", "b": "reading B", "both": "both, as alternatives",
               "neither": "neither"}
# Disagreements that change what a reader of the report sees: a number, a date, a name, a title.
VISIBLE_KINDS = ("name", "role", "amount", "date", "timing")
INFERRED_TABLE = "inference-log"  # the anchor of the inference log

# How a date or value was inferred, recognised from the wording of a fact's note; the first
# match wins. The labels are what chapter 4 counts.
INFERENCE_KINDS = (
    ("relative year", "A relative year (“last year”, “this year”, “last summer”) resolved "
                      "against the year the article was written",
     re.compile(r"(last|this|past) (year|summer)|since last year", re.I)),
    ("relative period", "A relative week or month (“last week”, “last month”, “earlier this "
                        "month”) or “the past year”, bounded by the publication window",
     re.compile(r"last (week|month|december)|earlier this month|over the past year", re.I)),
    ("month without year", "A month named without a year, resolved to the only one the "
                           "article's other dates allow",
     re.compile(r"'(in )?(january|february|march|april|may|june|july|august|september|october|"
                r"november|december)'? resolved", re.I)),
    ("present tense", "A statement in the present tense, dated to the article's publication "
                      "window",
     re.compile(r"present tense", re.I)),
    ("related event", "Dated by a related event or sentence of the same article (a resignation, "
                      "an announcement, the same paragraph)",
     re.compile(r"sentence|paragraph|dated by|same month|documents|announcement|projection|"
                r"memo|resignation|resigns|within days|after the|before|follows|response to|"
                r"at the ", re.I)),
    ("not dated", "Not dated by the source: left undated, or bounded only loosely",
     re.compile(r"no date|no month|undated|gives no", re.I)),
    ("value", "A value, party or rank inferred from the wording",
     re.compile(r"value =|no amount|creditor|expressed as|computed by|seniority|rank", re.I)),
)
OTHER_KIND = ("other", "Other reasoning, given in the fact's note")


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
    df.loc["All sources"] = df.sum(axis=0)
    return df.rename_axis("Source").reset_index()


def count_of_facts(facts: Facts, source_id: str | None = None) -> Cited:
    """How many quoted facts a source gives (all sources when None), cited by source id."""
    f = facts.all_facts()
    if source_id is not None:
        f = f[f["source_id"] == source_id]
    ids = [source_id] if source_id else _source_ids(facts)
    c = cite(len(f), ids, fmt="int")
    return c if len(c.ids) <= 4 else c.via("sources")


def _published(s) -> str:
    pub = interval_label(s.published_start, s.published_end,
                         "day" if s.published_precision == "day" else "range")
    if pd.notna(s.updated):
        pub += f" (updated {interval_label(s.updated, s.updated, 'day')})"
    return pub


def sources_text(facts: Facts) -> str:
    per = [md("{n} from {sid}", n=count_of_facts(facts, sid), sid=cite(sid, fmt="text"))
           for sid in _source_ids(facts)]
    dated = facts.sources["published_precision"] == "day"
    text = md("The report rests on {n} facts, each with a verbatim quote of its source: ",
              n=count_of_facts(facts)) + ", ".join(per) + ". "
    if not dated.any():
        text += md("{none} states its publication date: each one's window comes "
                   "from its own text (an update date, the latest event it reports as past), and "
                   "its relative dates (“last year”, “In February”) are resolved against the year "
                   "that window falls in. Each source's entry in the evidence appendix gives the "
                   "reasoning.", none=cite("Neither source" if len(dated) == 2 else
                                            "No source", fmt="text"))
    elif not dated.all():
        text += md("{k} of the {m} sources state no publication date: their windows come from "
                   "their own text (the evidence appendix gives the reasoning).",
                   k=cite(count_word(int((~dated).sum())).capitalize(), fmt="text"),
                   m=cite(count_word(len(dated)), fmt="text"))
    return text


def sources_table(facts: Facts) -> pd.DataFrame:
    """Each source: id, headline, when it was published as far as its own text establishes it,
    and how many facts it gives."""
    counts = fact_counts(facts).set_index("Source")
    rows = [{"Source": s.source_id, "Headline": s.headline, "Published": _published(s),
             "Facts": int(counts.loc[s.source_id, "All facts"])}
            for s in facts.sources.itertuples(index=False)]
    return pd.DataFrame(rows, columns=["Source", "Headline", "Published", "Facts"])


def status_table(facts: Facts) -> pd.DataFrame:
    """Money facts per status, with what they measure."""
    m = facts.money
    rows = []
    for status in STATUSES:
        sub = m[m["status"] == status]
        if len(sub):
            rows.append({"Status": status, "Money facts": len(sub),
                         "What they measure": ", ".join(dict.fromkeys(
                             sub["metric"].str.replace("_", " ")))})
    return pd.DataFrame(rows, columns=["Status", "Money facts", "What they measure"])


def status_text(facts: Facts) -> str:
    m = facts.money
    counts = m["status"].value_counts()
    parts = [f"{count_word(int(counts[s]))} {'are ' if i == 0 else ''}{s}"
             for i, s in enumerate([s for s in STATUSES if s in counts])]
    text = md("Of the {n} money facts, {parts}. ", n=cite(count_word(len(m)), fmt="text"),
              parts=cite(", ".join(parts), fmt="text"))
    bounded = m[m["bound"].isin(("less_than", "more_than", "at_least", "approx"))]
    if len(bounded):
        text += md("{k} carry the source's own qualifier (“less than”, “more than”, “at least”, "
                   "“about”), which the report keeps with the number. ",
                   k=cite(count_word(len(bounded)).capitalize(), fmt="text"))
    no_amount = m[m["value"].isna()]
    if len(no_amount):
        text += md("{k} give no amount at all and are left out of every total.",
                   k=cite(count_word(len(no_amount)).capitalize(), fmt="text"))
    return text


def conflict_counts(facts: Facts) -> dict[str, Cited]:
    """Conflicts in total, across sources and inside one source, and by how they are resolved
    (one reading, both kept, neither); each count cites the conflict register."""
    c = facts.conflicts
    src = facts.all_facts().set_index("fact_id")["source_id"]
    a = c["fact_id_a"].map(src)
    b = c["fact_id_b"].map(src)
    out = {"total": cite(len(c), fmt="int", ref=CONFLICTS_TABLE)}
    for key, mask in (("across", a != b), ("within", a == b),
                      ("one", c["analysis_uses"].isin(("a", "b"))),
                      ("both", c["analysis_uses"] == "both"),
                      ("neither", c["analysis_uses"] == "neither"),
                      ("visible", c["kind"].isin(VISIBLE_KINDS))):
        out[key] = cite(int(mask.sum()), fmt="int")
    return out


def conflicts_text(facts: Facts) -> str:
    cc = conflict_counts(facts)
    return md("The sources disagree in {total} recorded places: {across} between two sources and "
              "{within} inside one. Both readings are kept, each with its quote; the analysis "
              "uses one in {one}, keeps both as alternatives in {both} (the runway chapter, for "
              "instance, shows every burn basis) and uses neither in {neither}, where a claim "
              "and its denial cannot be settled from the text. The {visible} below change a "
              "number, a date, a name or a title the reader sees; the rest concern claims and "
              "descriptions.", **cc)


def _reading(fact_id: str, reading: str) -> str:
    return f"{fact_id}: {reading}"


def visible_conflicts_table(facts: Facts) -> pd.DataFrame:
    """The disagreements that change a number, a date, a name or a title in the report."""
    c = facts.conflicts[facts.conflicts["kind"].isin(VISIBLE_KINDS)]
    return pd.DataFrame({
        "Conflict": c["conflict_id"],
        "Topic": c["topic"],
        "Readings": [f"A {_reading(fa, ra)}; B {_reading(fb, rb)}" for fa, ra, fb, rb in
                     zip(c["fact_id_a"], c["reading_a"], c["fact_id_b"], c["reading_b"])],
        "Report uses": c["analysis_uses"].map(USES_LABELS),
    }).reset_index(drop=True)


def conflict_register(facts: Facts) -> pd.DataFrame:
    """Every disagreement: both readings with their fact ids (each fact's entry gives its quote),
    which one the analysis uses and why."""
    c = facts.conflicts
    return pd.DataFrame({
        "Conflict": c["conflict_id"],
        "Topic": c["topic"],
        "Kind": c["kind"],
        "Reading A": [_reading(f, r) for f, r in zip(c["fact_id_a"], c["reading_a"])],
        "Reading B": [_reading(f, r) for f, r in zip(c["fact_id_b"], c["reading_b"])],
        "Uses": c["analysis_uses"].map(USES_LABELS),
        "Why": c["rationale"],
    }).reset_index(drop=True)


def conflicts_csv(facts: Facts) -> pd.DataFrame:
    """The conflict register as published next to the report: the conflicts table's own
    columns, quotes included."""
    return facts.conflicts.reset_index(drop=True)


def _kind(note: str) -> tuple[str, str]:
    for key, label, pattern in INFERENCE_KINDS:
        if pattern.search(note):
            return key, label
    return OTHER_KIND


def _id_key(fact_id: str) -> tuple[str, int]:
    m = re.match(r"([A-Z]+)(\d+)$", fact_id)
    return (m.group(1), int(m.group(2))) if m else (fact_id, 0)


def inference_kinds(facts: Facts) -> pd.DataFrame:
    """Every fact whose date or value was inferred: fact id, source, date interval, precision,
    the kind of inference and the note."""
    rows = []
    for t in ("personnel", "money", "events"):
        df = facts.tables[t]
        for r in df[df["inference_note"].notna()].itertuples(index=False):
            key, label = _kind(r.inference_note)
            rows.append({"fact_id": r.fact_id, "source_id": r.source_id, "table": t,
                         "date_start": r.date_start, "date_end": r.date_end,
                         "date_precision": r.date_precision, "kind": key, "kind_label": label,
                         "inference_note": r.inference_note})
    cols = ["fact_id", "source_id", "table", "date_start", "date_end", "date_precision", "kind",
            "kind_label", "inference_note"]
    if not rows:
        return pd.DataFrame(columns=cols)
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values("fact_id", key=lambda s: s.map(_id_key)).reset_index(drop=True)


def inference_summary(kinds: pd.DataFrame) -> pd.DataFrame:
    """How dates and values were inferred: one row per kind, with the number of facts (the
    inference log lists them)."""
    order = {k: i for i, (k, _, _) in enumerate(INFERENCE_KINDS)}
    g = kinds.groupby(["kind", "kind_label"], sort=False).size().reset_index(name="facts")
    g = g.assign(_o=g["kind"].map(order).fillna(len(order))).sort_values("_o")
    return pd.DataFrame({"How it was inferred": g["kind_label"], "Facts": g["facts"]}) \
        .reset_index(drop=True)


def inference_log(facts: Facts) -> pd.DataFrame:
    """The full inference log, compact: per kind of inference, every fact it applies to (each
    fact's entry in the evidence appendix gives its note)."""
    kinds = inference_kinds(facts)
    if kinds.empty:
        return pd.DataFrame(columns=["How it was inferred", "Facts"])
    order = {k: i for i, (k, _, _) in enumerate(INFERENCE_KINDS)}
    rows = []
    for (key, label), g in kinds.groupby(["kind", "kind_label"], sort=False):
        rows.append({"_o": order.get(key, len(order)), "How it was inferred": label,
                     "Facts": ", ".join(g["fact_id"])})
    return pd.DataFrame(rows).sort_values("_o").drop(columns="_o").reset_index(drop=True)


def dating_text(facts: Facts) -> str:
    frames = [facts.tables[t] for t in ("personnel", "money", "events")]
    dated = pd.concat([f[["date_precision", "inference_note"]] for f in frames])
    p = dated["date_precision"]

    kinds = inference_kinds(facts)
    relative = kinds["kind"].isin(("relative year", "relative period", "month without year")) \
        & ~kinds["date_precision"].isin(("undated",))
    relative = relative.sum()

    def n(mask) -> Cited:
        return cite(count_word(int(mask.sum())), fmt="text")

    return md("Of the {facts} personnel, money and event facts, {fine} are dated to the day or "
              "month, {coarse} only to a quarter, a year or between bounds, and {undated} not at "
              "all. {relative} of the dated facts are dated relative to the article (“last "
              "year”, “last month”) or by a month it names without a year, and were resolved "
              "against the source's publication window; a fact its source does not date stays "
              "undated rather than receiving a guess. {inferred} carry a note on how their date "
              "or value was inferred, of these kinds:", facts=n(p.notna()),
              relative=cite(count_word(int(relative)).capitalize(), fmt="text"),
              fine=n(p.isin(("day", "month"))), coarse=n(p.isin(("quarter", "year", "range"))),
              undated=n(p == "undated"),
              inferred=cite(count_word(int(dated["inference_note"].notna().sum())).capitalize(),
                            fmt="text"))


def limits(facts: Facts, as_of) -> list[str]:
    """What the sources cannot tell, each point counted from the facts where it can be."""
    out = []
    m = facts.money
    cash = m[m["metric"] == "cash"]
    if len(cash) == 1:
        r = cash.iloc[0]
        out.append(md("The cash at any time but {when}: there is one cash figure{c}, and it "
                      "is {kind}.", when=cite(interval_label(r["date_start"], r["date_end"],
                                                             r["date_precision"]), fmt="text"),
                      c=cite("", r["fact_id"], fmt="text"),
                      kind=cite("an upper bound" if r["bound"] == "less_than" else
                                "as reported", fmt="text")))
    bills = m[(m["metric"] == "unpaid_bill") & m["value"].isna()]
    if len(bills):
        out.append(md("The amount of {k} of the unpaid bills, so the arrears are larger than "
                      "any total given.", k=cite(count_word(len(bills)), fmt="text")))
    deps = attrition.departures(facts, as_of)
    if len(deps):
        coarse = deps["precision"].isin(("quarter", "year", "range", "undated"))
        out.append(md("When most people left: {k} of the {n} departures are dated only to a "
                      "year or between bounds. Nor how many people worked in each function, so "
                      "departures are counts, not rates.", k=cite(count_word(int(coarse.sum())),
                                                                 fmt="text"),
                      n=attrition.departure_count(deps)))
    conv = m[(m["metric"] == "funding_closed")
             & m["instrument"].fillna("").str.contains("convertible|SAFE|note", case=False)]
    if len(conv):
        out.append(md("The terms of the convertible instruments (interest, maturity, conversion "
                      "price), so neither what the company owes on them nor the dilution they "
                      "imply."))
    out.append(md("Who holds the votes: the sources speak of shares, not of share classes, "
                  "voting rights or board composition."))
    undated_pub = facts.sources[facts.sources["published_precision"] != "day"]
    if len(undated_pub):
        out.append(md("The publication date of {k} of the sources, which is bounded from their "
                      "text instead.", k=cite(count_word(len(undated_pub)), fmt="text")))
    return out


def inference_csv(facts: Facts) -> pd.DataFrame:
    """The inference log as published next to the report: one row per fact, with its period,
    the kind of inference and the note in full."""
    k = inference_kinds(facts)
    out = k.drop(columns=["kind_label"]).copy()
    for col in ("date_start", "date_end"):
        out[col] = out[col].map(lambda d: "" if pd.isna(d) else pd.Timestamp(d).strftime("%Y-%m-%d"))
    return out
