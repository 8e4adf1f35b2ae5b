"""The validated fact base (`Facts`): one DataFrame per table and the text of every source; every
reference of each statement (its own source and quote, then the further ones of `references`);
and the facts a reader could have had on a given date."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

import pandas as pd

from .schema import FACT_TABLES
from .vocabulary import EARLIER_REPORT

T = TypeVar("T")


@dataclass(frozen=True)
class Facts:
    """The validated fact base: one DataFrame per table, plus the source texts.

    Its tables are read, never changed in place: a different fact base is a new Facts (as
    `as_of` makes one), so what the analysis derives from the tables is computed once per fact
    base (`derived`)."""

    tables: dict[str, pd.DataFrame]
    texts: dict[str, str] = field(repr=False)
    digest: str = ""

    def derived(self, key: Hashable, compute: Callable[[], T]) -> T:
        """compute(), once per fact base: kept under `key` and given again while every table is
        the same DataFrame (a table replaced in `self.tables` computes it again). The chapters
        ask for the same readings many times (the cash position, the departures, the rejected
        readings, a metric's statements); this keeps them from being recomputed."""
        memo = self.__dict__.setdefault("_derived", {})
        used = tuple(self.tables.items())
        kept = memo.get(key)
        if kept is not None and len(kept[0]) == len(used):
            if all(a == b and x is y for (a, x), (b, y) in zip(kept[0], used, strict=True)):
                return kept[1]
        value = compute()
        memo[key] = (used, value)
        return value

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def all_facts(self) -> pd.DataFrame:
        """Every quoted fact of every fact table: fact_id, table, source_id, quote."""
        frames = [
            self.tables[t][["fact_id", "source_id", "quote"]].assign(table=t) for t in FACT_TABLES
        ]
        return pd.concat(frames, ignore_index=True)

    def all_references(self) -> pd.DataFrame:
        """Every reference of every fact, its own first (`first` True), then the further ones of
        `references` in file order: fact_id, table, source_id, quote, original_reporter,
        attributed_to, first."""
        cols = ["fact_id", "source_id", "quote", "original_reporter", "attributed_to"]
        frames = [
            self.tables[t].reindex(columns=cols).assign(table=t, first=True) for t in FACT_TABLES
        ]
        further = self.tables.get("references")
        if further is not None and len(further):
            table_of = {fid: t for t in FACT_TABLES for fid in self.tables[t]["fact_id"]}
            frames.append(further[cols].assign(table=further["fact_id"].map(table_of), first=False))
        return pd.concat(frames, ignore_index=True)

    def sources_of(self, fact_id: str) -> list[str]:
        """The sources that report a fact: its own, then those of its further references."""
        refs = self.all_references()
        return list(dict.fromkeys(refs.loc[refs["fact_id"] == fact_id, "source_id"]))

    def first_reported_by(self, fact_ids) -> str:
        """Who first reported the facts, as the sources tell it: the outlet a source restates
        ('Bloomberg, restated by S000'), or an unnamed earlier report when the quote says the
        fact 'was reported', else the earliest-published source that reports the fact (by its
        outlet when recorded, else its id); several in order, each once."""
        refs = self.all_references()
        refs = refs[refs["fact_id"].isin(list(fact_ids))]
        src = self.tables["sources"].set_index("source_id")
        out: list[str] = []
        for fid in dict.fromkeys(fact_ids):
            mine = refs[refs["fact_id"] == fid]
            if mine.empty:
                continue
            named = mine[mine["original_reporter"].notna()]
            earlier = mine[mine["quote"].str.contains(EARLIER_REPORT, na=False)]
            if len(named):
                by = named.iloc[0]
                text = f"{by['original_reporter']}, restated by {by['source_id']}"
            elif len(earlier):  # "was reported to be seeking": someone reported it first
                text = f"an earlier report, restated by {earlier.iloc[0]['source_id']}"
            else:
                first = (
                    mine.assign(start=mine["source_id"].map(src["published_start"]))
                    .sort_values(["start", "source_id"])
                    .iloc[0]
                )
                outlet = src["outlet"].get(first["source_id"]) if "outlet" in src else None
                text = (
                    f"{outlet} ({first['source_id']})"
                    if isinstance(outlet, str)
                    else first["source_id"]
                )
            if text not in out:
                out.append(text)
        return "; ".join(out)

    def quote(self, fact_id: str) -> str:
        facts = self.all_facts().set_index("fact_id")
        return str(facts.loc[fact_id, "quote"])

    def as_of(self, when: date | str) -> Facts:
        """The facts a reader could have had on `when`.

        A source counts once the earliest publication date its text allows has passed; a fact
        counts when one of its sources does and the period it refers to has begun (undated
        facts count with their source). A fact whose own source does not count yet, but a
        further reference's does, takes that reference as its first. Conflicts count when both
        of their facts do.
        """
        when = pd.Timestamp(when)
        src = self.tables["sources"]
        kept_sources = set(src.loc[src["published_start"] <= when, "source_id"])
        tables = {"sources": src[src["source_id"].isin(kept_sources)].reset_index(drop=True)}
        further = self.tables.get("references")
        if further is None:
            further = pd.DataFrame(columns=["fact_id", "source_id"])
        further = further[further["source_id"].isin(kept_sources)]
        promoted: set[int] = set()  # rows of `further` that became a fact's first reference
        for name in FACT_TABLES:
            t = self.tables[name]
            own = t["source_id"].isin(kept_sources)
            keep = own | t["fact_id"].isin(set(further["fact_id"]))
            if "date_start" in t:
                keep &= t["date_start"].isna() | (t["date_start"] <= when)
            t = t[keep].copy()
            for i in t.index[~own[keep]]:
                ref = further[further["fact_id"] == t.at[i, "fact_id"]].iloc[0]
                promoted.add(ref.name)
                for c in ("source_id", "quote", "original_reporter", "attributed_to"):
                    if c in t.columns:
                        t.at[i, c] = ref[c]
            tables[name] = t.reset_index(drop=True)
        ids = set().union(*(set(tables[n]["fact_id"]) for n in FACT_TABLES))
        if "references" in self.tables:
            tables["references"] = further[
                further["fact_id"].isin(ids) & ~further.index.isin(promoted)
            ].reset_index(drop=True)
        c = self.tables["conflicts"]
        tables["conflicts"] = c[c["fact_id_a"].isin(ids) & c["fact_id_b"].isin(ids)].reset_index(
            drop=True
        )
        people = set(tables["personnel"]["person_id"]) | set(tables["person_names"]["person_id"])
        p = self.tables["persons"]
        tables["persons"] = p[p["person_id"].isin(people)].reset_index(drop=True)
        texts = {k: v for k, v in self.texts.items() if k in kept_sources}
        return Facts(tables=tables, texts=texts, digest=self.digest)

    def newest_fact_date(self) -> pd.Timestamp | None:
        """The latest date any dated fact refers to (the start of its period), or None."""
        starts = [self.tables[n]["date_start"].dropna() for n in ("personnel", "money", "events")]
        starts = [s for s in starts if len(s)]
        return max(s.max() for s in starts) if starts else None
