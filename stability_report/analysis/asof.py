"""What the as-of date changes in the analysis, as one value: the as-of signature. Two dates with
the same signature give the same report but for the printed date (the title, the footers, the
run information, the PDF's creation date), so the inputs' hash takes the signature, not the date
(pipeline.inputs), and a daily run on unchanged facts renders nothing.

The date changes the analysis in three ways only, each mirrored here from where it is decided:

- which sources and facts a reader could have had (facts.base.Facts.as_of): a source once its
  earliest publication date has passed, a fact once one of its sources (its own or a further
  reference) counts and its period has begun;
- the end of an interval a source leaves open up to its publication, bounded by the date while
  the date lies before the source's latest publication date (analysis.readings.known_intervals);
  past the latest date the fact base reaches (any source's publication window, any fact's
  period) no interval or filter moves, so the date is clamped there;
- whether the newest dated fact is more than a year old (STALE_AFTER_DAYS; the summary says so,
  present.overview.freshness).

Standard library only: the command line computes it on the no-op path, from the CSV files as they
are (a file it cannot read leaves the date itself in the signature, so the run renders and the
kernel's validation names the problem).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

from ..facts.schema import FACT_TABLES

# The summary calls the facts stale when the newest dated fact began more days than this before
# the analysis date.
STALE_AFTER_DAYS = 365
# The tables whose facts date the fact base's freshness (facts.base.Facts.newest_fact_date).
DATED_TABLES = ("personnel", "money", "events")


def _rows(path: Path) -> list[dict[str, str]]:
    """A table's rows as the loaders read them: a byte-order mark allowed, values stripped."""
    text = path.read_bytes().decode("utf-8-sig")
    return [
        {k: (v or "").strip() for k, v in row.items() if k is not None}
        for row in csv.DictReader(io.StringIO(text, newline=""))
    ]


def _day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what}: {text!r} is not a date") from None


def signature(facts_dir: Path, as_of: str) -> dict[str, Any]:
    """The as-of signature of the fact base in `facts_dir` on `as_of` (ISO date): the ids of the
    sources and facts available (sorted), the date clamped to the latest date the fact base
    reaches (`as_of_bound`), and whether the facts are stale. Raises OSError or ValueError on a
    file it cannot read."""
    when = _day(as_of, "as_of")
    sources = _rows(Path(facts_dir) / "sources.csv")
    reach: list[date] = []
    kept_sources = set()
    for s in sources:
        start = _day(s["published_start"], f"source {s['source_id']} published_start")
        reach.append(start)
        if s.get("published_end"):
            reach.append(_day(s["published_end"], f"source {s['source_id']} published_end"))
        if start <= when:
            kept_sources.add(s["source_id"])
    kept_facts = []
    newest: date | None = None
    further = Path(facts_dir) / "references.csv"
    # facts a further reference makes available: one of their sources counts by now
    referenced = {
        r["fact_id"]
        for r in (_rows(further) if further.exists() else [])
        if r.get("source_id") in kept_sources
    }
    for table in FACT_TABLES:
        path = Path(facts_dir) / f"{table}.csv"
        for r in _rows(path) if path.exists() else []:
            begins = (
                _day(r["date_start"], f"{r['fact_id']} date_start") if r.get("date_start") else None
            )
            for col in ("date_start", "date_end"):
                if r.get(col):
                    reach.append(_day(r[col], f"{r['fact_id']} {col}"))
            available = r["source_id"] in kept_sources or r["fact_id"] in referenced
            if not available or (begins is not None and begins > when):
                continue
            kept_facts.append(r["fact_id"])
            if begins is not None and table in DATED_TABLES:
                newest = begins if newest is None else max(newest, begins)
    bound = min(when, max(reach)) if reach else when
    return {
        "sources": sorted(kept_sources),
        "facts": sorted(kept_facts),
        "as_of_bound": bound.isoformat(),
        "stale": newest is not None and (when - newest).days > STALE_AFTER_DAYS,
    }
