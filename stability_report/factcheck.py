"""`python -m stability_report facts check`: what a reviewer should look at, never a failure.

Three findings:
- near-duplicate facts: two facts of one source whose quotes overlap and that say the same thing
  (money: metric, value and period; personnel: person and status; events: event, person and
  value; names: person and spelling), and facts of different tables with the same value, unit
  and period (a price recorded as money and as an event);
- facts that no chapter of the report uses: fact ids that do not occur in the text of the
  published report (its citation markers `[M001, ...]`, the fact-id columns of its tables);
  read from report/report.html (or --report), whose run information says which fact base it
  was rendered from: when that is not the current one, the check says so;
- contradictions: two facts with the same metric (money: metric, unit and counterparty; events:
  event and person) and overlapping periods but different values, and departures of one person
  on disjoint dates, that conflicts.csv does not yet record; each with a suggested conflicts
  row. With --candidates, the candidates of an extraction are checked against the fact base the
  same way, their suggested rows citing the candidate as `row N` (accept resolves it).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import combinations
from pathlib import Path

import pandas as pd

from . import formats
from .facts import Facts
from .schema import FACT_TABLES, TABLES

CONFLICT_COLUMNS = [c.name for c in TABLES["conflicts"].columns if c.name != "conflict_id"]


@dataclass(frozen=True)
class Finding:
    kind: str  # near_duplicate, unused, contradiction
    ids: tuple[str, ...]
    text: str
    suggestion: dict | None = None  # a conflicts row, for contradictions


def _spans(text: str, quote: str) -> list[tuple[int, int]]:
    return [(m.start(), m.start() + len(quote)) for m in re.finditer(re.escape(quote), text)]


def _quotes_overlap(facts: Facts, a: pd.Series, b: pd.Series) -> bool:
    if a["source_id"] != b["source_id"]:
        return False
    text = facts.texts.get(a["source_id"], "")
    sa, sb = _spans(text, a["quote"]), _spans(text, b["quote"])
    return any(x0 < y1 and y0 < x1 for x0, x1 in sa for y0, y1 in sb)


def _same(a, b) -> bool:
    if (a is None or (not isinstance(a, str) and pd.isna(a))) and \
            (b is None or (not isinstance(b, str) and pd.isna(b))):
        return True
    return a == b


_KEYS = {
    "money": ("metric", "value", "unit", "date_start", "date_end", "counterparty"),
    "personnel": ("person_id", "status"),
    "events": ("event", "person_id", "value", "unit"),
    "person_names": ("person_id", "name_as_written"),
}


def _money_reading(r: pd.Series) -> str:
    if pd.isna(r["value"]):
        return "no amount given"
    words = {"exact": "", "approx": "about ", "more_than": "more than ", "less_than": "less than ",
             "at_least": "at least "}.get(r["bound"], "")
    per = {"USD_per_month": " a month", "USD_per_year": " a year"}.get(r["unit"], "")
    unit = "%" if r["unit"] == "percent" else ""
    money = formats.money(float(r["value"])) if not unit else f"{r['value']:g}%"
    return f"{words}{money}{per}, {_period(r)}"


def _period(r) -> str:
    """A fact's period as the report writes it: 'Oct 2023 (month)', '2023 (year)'."""
    if pd.isna(r.get("date_start")):
        return "undated"
    return formats.period(pd.Timestamp(r["date_start"]).date().isoformat(),
                          pd.Timestamp(r["date_end"]).date().isoformat(), r.get("date_precision"))


def near_duplicates(facts: Facts) -> list[Finding]:
    out = []
    for table in FACT_TABLES:
        t = facts.tables[table]
        for (_, a), (_, b) in combinations(t.iterrows(), 2):
            if all(_same(a[k], b[k]) for k in _KEYS[table]) and _quotes_overlap(facts, a, b):
                out.append(Finding("near_duplicate", (a["fact_id"], b["fact_id"]),
                                   f"{a['fact_id']} and {b['fact_id']}: same {table} fact "
                                   f"({', '.join(k for k in _KEYS[table])}) from overlapping "
                                   f"quotes of {a['source_id']}"))
    money, events = facts.tables["money"], facts.tables["events"]
    for _, m in money.dropna(subset=["value"]).iterrows():
        for _, e in events.dropna(subset=["value"]).iterrows():
            if m["value"] == e["value"] and m["unit"] == e["unit"] and \
                    _same(m["date_start"], e["date_start"]) and _same(m["date_end"], e["date_end"]):
                out.append(Finding("near_duplicate", (m["fact_id"], e["fact_id"]),
                                   f"{m['fact_id']} (money, {m['metric']}) and {e['fact_id']} "
                                   f"(events, {e['event']}): same value {m['value']:g} "
                                   f"{m['unit']} and period {_period(m)}"))
    return out


class _Text(HTMLParser):
    """The text a reader sees, without scripts and styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def report_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return " ".join(parser.parts)


def unused(facts: Facts, report: Path) -> tuple[list[Finding], str]:
    """Facts whose id the published report never shows, and a note on what was read."""
    if not report.exists():
        return [], (f"no published report at {report}: render one (`make report`) to find the "
                    "facts no chapter uses")
    text = report_text(report)
    shown = set(re.findall(r"\b[A-Z]\d{3,}\b", text))
    ids = [fid for t in FACT_TABLES for fid in facts.tables[t]["fact_id"]]
    missing = [fid for fid in ids if fid not in shown]
    m = re.search(r"Facts digest \(SHA-256\)\s*([0-9a-f]{64})", text)
    note = f"read {report}"
    if m and m.group(1) != facts.digest:
        note += (" (rendered from another version of the fact base: facts added or changed since "
                 "show as unused until the report is rendered again)")
    elif m:
        note += " (rendered from the current fact base)"
    return [Finding("unused", (fid,), f"{fid}: cited by no chapter") for fid in missing], note


def _recorded(facts: Facts) -> set[frozenset]:
    c = facts.tables["conflicts"]
    return {frozenset((a, b)) for a, b in zip(c["fact_id_a"], c["fact_id_b"])}


def _overlap(a, b) -> bool:
    if pd.isna(a["date_start"]) or pd.isna(b["date_start"]):
        return False
    return a["date_start"] <= b["date_end"] and b["date_start"] <= a["date_end"]


def _suggest(topic: str, kind: str, a: pd.Series | dict, reading_a: str, b_id: str,
             b_quote: str, reading_b: str) -> dict:
    return {"topic": topic, "kind": kind, "fact_id_a": a["fact_id"], "quote_a": a["quote"],
            "reading_a": reading_a, "fact_id_b": b_id, "quote_b": b_quote,
            "reading_b": reading_b, "analysis_uses": "", "rationale": ""}


def _money_pairs(rows_a, rows_b, same_table: bool):
    for i, a in rows_a:
        for j, b in rows_b:
            if same_table and j <= i:
                continue
            if a["metric"] != b["metric"] or a["unit"] != b["unit"]:
                continue
            if pd.isna(a["value"]) or pd.isna(b["value"]) or a["value"] == b["value"]:
                continue
            ca, cb = a.get("counterparty"), b.get("counterparty")
            if isinstance(ca, str) and isinstance(cb, str) and ca.strip() and cb.strip() and \
                    ca.strip() != cb.strip():
                continue
            if _overlap(a, b):
                yield a, b


def contradictions(facts: Facts) -> list[Finding]:
    out = []
    recorded = _recorded(facts)
    money = facts.tables["money"]
    rows = list(money.iterrows())
    for a, b in _money_pairs(rows, rows, True):
        if frozenset((a["fact_id"], b["fact_id"])) in recorded:
            continue
        ra, rb = _money_reading(a), _money_reading(b)
        topic = f"{a['metric'].replace('_', ' ')}: {ra} vs {rb}"
        out.append(Finding("contradiction", (a["fact_id"], b["fact_id"]),
                           f"{a['fact_id']} and {b['fact_id']}: {topic}",
                           _suggest(f"{a['metric'].replace('_', ' ').capitalize()}", "amount", a,
                                    ra, b["fact_id"], b["quote"], rb)))
    pers = facts.tables["personnel"]
    left = pers[(pers["status"] == "departed") & pers["date_start"].notna()]
    for (_, a), (_, b) in combinations(left.iterrows(), 2):
        if a["person_id"] != b["person_id"] or _overlap(a, b):
            continue
        if frozenset((a["fact_id"], b["fact_id"])) in recorded:
            continue
        name = facts.tables["persons"].set_index("person_id").loc[a["person_id"],
                                                                   "canonical_name"]
        out.append(Finding("contradiction", (a["fact_id"], b["fact_id"]),
                           f"{a['fact_id']} and {b['fact_id']}: {name} left {_period(a)} vs "
                           f"{_period(b)}",
                           _suggest(f"When {name} left", "date", a, f"left {_period(a)}",
                                    b["fact_id"], b["quote"], f"left {_period(b)}")))
    ev = facts.tables["events"]
    for (_, a), (_, b) in combinations(ev.iterrows(), 2):
        if a["event"] != b["event"] or not _same(a["person_id"], b["person_id"]):
            continue
        if frozenset((a["fact_id"], b["fact_id"])) in recorded:
            continue
        differ_value = pd.notna(a["value"]) and pd.notna(b["value"]) and a["value"] != b["value"]
        differ_date = pd.notna(a["date_start"]) and pd.notna(b["date_start"]) and \
            not _overlap(a, b)
        if not (differ_value or differ_date):
            continue
        what = "amount" if differ_value else "date"
        ra = f"{a['value']:g} {a['unit']}, {_period(a)}" if differ_value else _period(a)
        rb = f"{b['value']:g} {b['unit']}, {_period(b)}" if differ_value else _period(b)
        out.append(Finding("contradiction", (a["fact_id"], b["fact_id"]),
                           f"{a['fact_id']} and {b['fact_id']}: {a['event']}: {ra} vs {rb}",
                           _suggest(a["event"].replace("_", " ").capitalize(), what, a, ra,
                                    b["fact_id"], b["quote"], rb)))
    return out


def candidate_contradictions(facts: Facts, rows: list[dict]) -> list[Finding]:
    """Money candidates of an extraction that contradict an existing money fact."""
    out = []
    cands = []
    for i, r in enumerate(rows, start=1):
        if (r.get("table") or r.get("suggested_table")) != "money" or not r.get("value"):
            continue
        try:
            value = float(r["value"])
            start, end = pd.Timestamp(r["date_start"]), pd.Timestamp(r["date_end"])
        except (ValueError, TypeError):
            continue
        cands.append((i, pd.Series({
            "fact_id": f"row {i}", "quote": r.get("quote", ""), "metric": r.get("metric", ""),
            "unit": r.get("unit", ""), "value": value, "bound": r.get("bound", ""),
            "counterparty": r.get("counterparty", ""), "date_start": start, "date_end": end})))
    money = list(facts.tables["money"].iterrows())
    for c, m in _money_pairs(cands, money, False):
        rc, rm = _money_reading(c), _money_reading(m)
        out.append(Finding("contradiction", (m["fact_id"], c["fact_id"]),
                           f"candidate {c['fact_id']} contradicts {m['fact_id']}: "
                           f"{c['metric'].replace('_', ' ')}: {rm} vs {rc}",
                           _suggest(c["metric"].replace("_", " ").capitalize(), "amount", m, rm,
                                    c["fact_id"], c["quote"], rc)))
    return out


def suggestions_csv(findings: list[Finding], header: list[str] | None = None,
                    rows: list[dict] | None = None) -> str:
    """A file `accept` reads: the candidates given (if any), then one conflicts row per
    contradiction, to be completed (analysis_uses, rationale) and marked accept=yes."""
    cols = list(header or ["accept", "table"])
    for c in ["accept", "table"] + CONFLICT_COLUMNS:
        if c not in cols:
            cols.append(c)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for r in rows or []:
        w.writerow(r)
    for f in findings:
        if f.suggestion:
            w.writerow({**f.suggestion, "accept": "", "table": "conflicts"})
    return buf.getvalue()


def render(dups: list[Finding], unused_: list[Finding], unused_note: str,
           contra: list[Finding]) -> str:
    lines = [f"near-duplicate facts: {len(dups)}"]
    lines += [f"  {f.text}" for f in dups]
    lines.append(f"facts no chapter of the report uses: {len(unused_)} ({unused_note})")
    if unused_:
        lines.append("  " + ", ".join(f.ids[0] for f in unused_))
    lines.append(f"contradictions not recorded in conflicts.csv: {len(contra)}")
    for f in contra:
        lines.append(f"  {f.text}")
        s = f.suggestion
        buf = io.StringIO()
        csv.writer(buf, lineterminator="").writerow([s[c] for c in CONFLICT_COLUMNS])
        lines.append("    suggested conflicts.csv row (" + ",".join(CONFLICT_COLUMNS[:3]) +
                     ",...; its id is given by accept; analysis_uses and rationale are yours):")
        lines.append(f"    {buf.getvalue()}")
    return "\n".join(lines)
