"""How much of the curated fact base the extraction assistant finds on its own, per source.

A curated money fact with an amount counts as found when a money candidate has the same value
and a quote that overlaps the fact's quote in the article. Facts whose quote states no amount of
money (a percentage such as "by over 80%", a figure the source derives from others) cannot be
found by an assistant that must not take them for money: they are counted apart, and the recall
is given both with and without them; a candidate collapsed from several sentences counts with
each of its quotes (`all_quotes`). A curated departure (a `personnel` row
with status `departed`) when a departure candidate names the same person with an overlapping
quote. Printed by `make extract-eval` (`python -m stability_report.tools.intake.evaluate`), with the
number of candidates proposed and the candidates per curated fact, and every fact not found.
"""

from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass, field

from ... import config
from ...errors import FactsError
from ...facts.base import Facts
from ...facts.load import load_facts
from .amounts import find_amounts
from .extract import Source, extract


@dataclass
class Result:
    source_id: str
    candidates: int
    money_total: int = 0
    money_found: int = 0
    money_unstated: int = 0  # curated amounts whose quote states no amount of money
    departures_total: int = 0
    departures_found: int = 0
    missed: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _spans(text: str, quote: str) -> list[tuple[int, int]]:
    return [(m.start(), m.start() + len(quote)) for m in re.finditer(re.escape(quote), text)]


def _quote_spans(row: dict) -> list[tuple[int, int]]:
    """Every quote a candidate holds: its own, and those of the sentences it was collapsed
    with (`all_quotes`, one `[start-end] quote` a line)."""
    spans = [(int(row["start"]), int(row["end"]))]
    for m in re.finditer(r"^\[(\d+)-(\d+)\] ", row.get("all_quotes") or "", re.M):
        spans.append((int(m.group(1)), int(m.group(2))))
    return spans


def _overlaps(row: dict, spans: list[tuple[int, int]]) -> bool:
    return any(a < y and x < b for a, b in _quote_spans(row) for x, y in spans)


def evaluate(facts: Facts) -> list[Result]:
    out = []
    for _, src in facts.sources.iterrows():
        sid = src["source_id"]
        text = facts.texts[sid]
        t0 = time.perf_counter()
        rows = extract(
            text, facts, Source((src["published_start"].date(), src["published_end"].date()), sid)
        )
        res = Result(sid, len(rows), seconds=time.perf_counter() - t0)
        money = facts.money[(facts.money["source_id"] == sid) & facts.money["value"].notna()]
        for _, f in money.iterrows():
            res.money_total += 1
            spans = _spans(text, f["quote"])
            if not find_amounts(f["quote"]):
                res.money_unstated += 1
            if any(
                r["kind"] == "money"
                and r["value"]
                and float(r["value"]) == f["value"]
                and _overlaps(r, spans)
                for r in rows
            ):
                res.money_found += 1
            else:
                res.missed.append(f"{f['fact_id']} ({f['value']:.15g}: {f['quote'][:70]})")
        pers = facts.personnel[
            (facts.personnel["source_id"] == sid) & (facts.personnel["status"] == "departed")
        ]
        for _, f in pers.iterrows():
            res.departures_total += 1
            spans = _spans(text, f["quote"])
            if any(
                r["kind"] == "departure" and r["person"] == f["person_id"] and _overlaps(r, spans)
                for r in rows
            ):
                res.departures_found += 1
            else:
                res.missed.append(f"{f['fact_id']} ({f['person_id']}: {f['quote'][:70]})")
        out.append(res)
    return out


def _pct(found: int, total: int) -> str:
    return f"{found}/{total} ({100 * found / total:.1f}%)" if total else "0/0"


def report(results: list[Result]) -> str:
    head = (
        "source",
        "candidates",
        "money (all with a value)",
        "money (amount in quote)",
        "departures",
        "money + departures",
        "candidates per curated fact",
        "seconds",
    )
    table = [head]
    for r in results + [_total(results)]:
        curated = r.money_total + r.departures_total
        per = f"{r.candidates / curated:.2f}" if curated else "-"
        table.append(
            (
                r.source_id,
                str(r.candidates),
                _pct(r.money_found, r.money_total),
                _pct(r.money_found, r.money_total - r.money_unstated),
                _pct(r.departures_found, r.departures_total),
                _pct(r.money_found + r.departures_found, curated),
                per,
                f"{r.seconds:.2f}",
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in table]
    missed = [m for r in results for m in r.missed]
    lines.append("not found: " + ("none" if not missed else ""))
    lines += [f"  {m}" for m in missed]
    return "\n".join(lines)


def _total(results: list[Result]) -> Result:
    t = Result("all", sum(r.candidates for r in results))
    for r in results:
        t.money_total += r.money_total
        t.money_found += r.money_found
        t.money_unstated += r.money_unstated
        t.departures_total += r.departures_total
        t.departures_found += r.departures_found
        t.seconds += r.seconds
    return t


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv:
        print(
            "usage: python -m stability_report.tools.intake.evaluate  "
            "(reads data/facts/ and data/raw/ "
            "or $STABILITY_REPORT_FACTS_DIR / $STABILITY_REPORT_RAW_DIR)",
            file=sys.stderr,
        )
        return 2
    try:
        facts = load_facts(config.FACTS, config.RAW)
    except FactsError as e:
        print(e, file=sys.stderr)
        return 2
    print(report(evaluate(facts)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
