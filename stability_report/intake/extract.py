"""The extraction assistant: candidate facts of one article, each with its exact quote and
offsets, for a reviewer to accept, complete or drop.

It proposes amounts of money (amounts.py), dates (dating.py), people, roles and departures
(people.py) and organisations, sentence by sentence (sentences.py), leaving out the publisher's
boilerplate. Each candidate names the table it would go to and the existing facts it may
duplicate or contradict (`matches`, explained in `match_note`; found by matches.py). It never
writes the fact base: `python -m stability_report accept` does, after review.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from ..facts.base import Facts
from . import amounts as am
from . import dating, people
from .matches import find_matches
from .sentences import Sentence, sentences

# The candidates file: what the extractor fills, then the fields a reviewer completes. Columns
# named as in the fact tables are carried into the table a row is accepted into; `precision`
# goes to `date_precision` and `person` to `person_id` (a new name makes a new person).
COLUMNS = (
    "candidate",
    "accept",
    "table",
    "suggested_table",
    "kind",
    "source_id",
    "quote",
    "start",
    "end",
    "value",
    "value_high",
    "unit",
    "bound",
    "metric",
    "counterparty",
    "instrument",
    "date_start",
    "date_end",
    "precision",
    "status",
    "person",
    "name_as_written",
    "role_as_written",
    "function",
    "seniority",
    "reason",
    "category",
    "event",
    "actor",
    "affiliation",
    "outcome",
    "sd_author",
    "inference_note",
    "restates",
    "conflicts_with",
    "matches",
    "match_note",
    "note",
)
KINDS = ("money", "date", "person", "role", "departure", "organisation")
SUGGESTED = {
    "money": "money",
    "date": "events",
    "person": "person_names",
    "role": "personnel",
    "departure": "personnel",
    "organisation": "",
}

# Words near an amount that say what it measures; the nearest wins.
_METRICS = (
    ("valuation", r"\bvalu(?:ation|ed|ing)\b|\bworth\b"),
    (
        "funding_sought",
        r"\b(?:seek\w*|sought|looking\s+to\s+raise|tried\s+to\s+raise|"
        r"trying\s+to\s+raise|aim\w*\s+to\s+raise|plan\w*\s+to\s+raise|"
        r"aspirations?\s+to\s+raise|hop\w+\s+to\s+raise|target)\b",
    ),
    (
        "funding_closed",
        r"\b(?:rais\w*|secur\w*|closed|invest\w*|funding|financing|lifeline|"
        r"backed|round|note|notes)\b",
    ),
    ("compute_sought", r"\bcomput\w*\s+(?:facilities|power|resources|capacity)\b"),
    (
        "compute_costs",
        r"\b(?:comput\w*|cloud|gpus?|server)\s+(?:\w+\s+){0,2}(?:costs?|"
        r"expend\w+|spend\w*)|\b(?:costs?|expend\w+|spend\w*)\s+on\s+comput\w*",
    ),
    ("salaries_opex", r"\bsalar\w+|\bpayroll\b|\boperating\s+expenses\b|\bwages\b"),
    ("monthly_spend", r"\bspen(?:d|ds|ding|t)\b|\bburn\w*\b"),
    ("losses", r"\bloss(?:es)?\b"),
    ("revenue", r"\brevenues?\b|\bsales\b|\bearn\w*|\bincome\b|\bturnover\b"),
    ("costs", r"\bcosts?\b|\bexpenses\b|\bexpenditure\b"),
    (
        "cash",
        r"\bcash\b|\bin\s+the\s+bank\b|\bbank\s+(?:deposits?|accounts?|balances?)\b|"
        r"\bdeposits?\b|\breserves\b|\bon\s+hand\b",
    ),
    (
        "unpaid_bill",
        r"\bbills?\b|\bowe[ds]?\b|\bowing\b|\binvoices?\b|\bunpaid\b|\bdebts?\b|"
        r"\boverdue\b|\bfees?\b|\bfailed\s+to\s+pay\b",
    ),
    ("price", r"\bprice\w*\b|\btier\b|\bsubscription\b|\bcharg\w+\b|\bstarting\s+at\b"),
)
_PLANNED = re.compile(
    r"\b(?:seek\w*|sought|plan\w*|aim\w*|target\w*|aspiration\w*|tried\s+to|"
    r"trying\s+to|hop\w+\s+to|intend\w*|wants?\s+to)\b",
    re.I,
)
_PROJECTED = re.compile(
    r"\b(?:would|will|expect\w*|project\w*|forecast\w*|estimat\w+|"
    r"on\s+track\s+to)\b",
    re.I,
)
_ORG_SUFFIX = (
    r"Inc\.?|Corp\.?|Corporation|Ltd\.?|LLC|Plc|PLC|Group|Holdings|Capital|Ventures|"
    r"Partners|Fund|Bank|University|College|Institute|Labs?|Technologies|Services|Cloud|"
    r"Networks|Media|AI"
)
_ORG_RX = re.compile(
    rf"\b(?P<org>(?:[A-Z][\w&’'.-]*\s+){{0,4}}(?:{_ORG_SUFFIX}))(?![\w])|"
    r"\b(?:company|startup|start-up|firm|giant|provider|investor|fund|rival|competitor|"
    r"chipmaker|maker|bank|platform|lab|unicorn|buyer|partner|center|centre)\s+"
    r"(?P<after>[A-Z][\w&’'-]+(?:\s+[A-Z][\w&’'-]+){0,3})"
)


@dataclass(frozen=True)
class Source:
    """What the candidates are resolved against: the publication interval and, for a
    registered article, its id."""

    published: tuple[date, date]
    source_id: str = ""


def _nearest(items, at: int):
    return min(items, key=lambda x: min(abs(x.start - at), abs(x.end - at)), default=None)


def _metric(sentence: str, a: int, b: int) -> str:
    """The metric whose words stand nearest the amount at sentence offsets a..b."""
    best = None
    for metric, rx in _METRICS:
        for m in re.finditer(rx, sentence, re.I):
            d = a - m.end() if m.end() <= a else (m.start() - b if m.start() >= b else 0)
            if best is None or d < best[0]:
                best = (d, metric)
    if best is None:
        return ""
    metric = best[1]
    if metric == "compute_sought" and not _PLANNED.search(sentence):
        metric = "compute_costs"
    if metric == "valuation" and _PLANNED.search(sentence):
        metric = "valuation_sought"
    if (
        metric == "funding_closed"
        and re.search(r"\b(?:raise|raising)\b", sentence, re.I)
        and _PLANNED.search(sentence)
    ):
        metric = "funding_sought"
    return metric


def _status(clause: str, metric: str) -> str:
    if metric in ("funding_sought", "valuation_sought", "compute_sought") or _PLANNED.search(
        clause
    ):
        return "planned"
    return "projected" if _PROJECTED.search(clause) else "reported"


def _clause(text: str, at: int) -> str:
    start = max(
        (m.end() for m in re.finditer(r"[,;:]\s|\b(?:and|but|while|that)\s", text[:at])), default=0
    )
    end = re.search(r"[,;:.]\s|\b(?:and|but|while)\s|$", text[at:])
    return text[start : at + (end.start() if end else 0)]


class Extractor:
    """Candidates of one article against one fact base."""

    def __init__(self, facts: Facts):
        self.facts = facts
        self.lexicon = people.Lexicon.from_facts(facts)
        self.orgs = self._known_orgs()
        self._person_of = {
            fid: pid
            for table in ("personnel", "person_names")
            for fid, pid in zip(facts.tables[table]["fact_id"], facts.tables[table]["person_id"])
        }

    def _known_orgs(self) -> dict[str, list[str]]:
        """Organisation names the fact base already uses, with the facts that name them."""
        out: dict[str, list[str]] = {}
        for table, col in (("money", "counterparty"), ("events", "actor")):
            t = self.facts.tables[table]
            for fid, value in zip(t["fact_id"], t[col]):
                if not isinstance(value, str):
                    continue
                for part in re.split(r";|\(|\)|,| and ", value):
                    name = part.strip()
                    if re.fullmatch(r"[A-Z][\w&’'. -]{2,}", name) and not name.startswith(
                        ("Stability AI ", "Emad")
                    ):
                        out.setdefault(name, []).append(fid)
        return out

    # -----------------------------------------------------------------------------------------

    def run(self, text: str, source: Source) -> list[dict]:
        rows: list[dict] = []
        seen_people: set[str] = set()
        seen_orgs: set[str] = set()
        # a group departure waiting for names: its sentence, sentences left, its dates
        group: tuple[Sentence, int, list] | None = None
        sents = [s for s in sentences(text) if not s.boilerplate]
        for s in sents:
            dates = dating.find_dates(s.text, source.published, s.start)
            used_dates: set[int] = set()
            for a in am.find_amounts(s.text, s.start):
                rows.append(self._money(s, a, dates, used_dates))
            found = people.mentions(s.text, self.lexicon, s.start)
            deps = people.departures(s.text, found, s.start)
            departed = {d.mention.start for d in deps}
            for d in deps:
                if not dates and group is not None and group[2]:
                    g = group[0]
                    rows.append(
                        self._departure(
                            s,
                            d,
                            group[2],
                            set(),
                            f"the date is that of the group departure stated just before "
                            f"('{g.text[:160]}')",
                        )
                    )
                else:
                    rows.append(self._departure(s, d, dates, used_dates, ""))
            if not deps and group is not None:
                for m in self._group_members(s, found):
                    g = group[0]
                    dep = people.Departure(m, "", m.start, "")
                    rows.append(
                        self._departure(
                            s,
                            dep,
                            dating.find_dates(g.text, source.published, g.start),
                            set(),
                            f"the departure is stated for a group, without names, in an earlier "
                            f"sentence ('{g.text[:160]}'): check that this person belongs to it; "
                            f"the date is that sentence's",
                        )
                    )
                group = (group[0], group[1] - 1, group[2]) if group[1] > 1 else None
            if people.is_group_departure(s.text) and not found:
                group = (s, 2, dates)
            for m in found:
                key = m.name
                if m.start not in departed and m.role:
                    rows.append(self._role(s, m))
                if key not in seen_people:
                    seen_people.add(key)
                    rows.append(self._person(s, m))
            for start, end, name in self._organisations(s):
                if name not in seen_orgs:
                    seen_orgs.add(name)
                    rows.append(self._organisation(s, start, end, name))
            for i, d in enumerate(dates):
                if i not in used_dates and d.interval is not None:
                    rows.append(self._date(s, d))
        for r in rows:
            r["source_id"] = source.source_id
            r["quote"] = text[int(r["start"]) : int(r["end"])]
        rows.sort(
            key=lambda r: (
                int(r["start"]),
                KINDS.index(r["kind"]),
                r.get("person", ""),
                r.get("value", ""),
            )
        )
        for i, r in enumerate(rows, start=1):
            r["candidate"] = str(i)
        find_matches(rows, text, source.source_id, self.facts, self.orgs, self._person_of)
        return rows

    @staticmethod
    def _group_members(s: Sentence, found: list[people.Mention]) -> list[people.Mention]:
        """People a sentence introduces right after a group departure: named with a role, or
        two or more named together, in a sentence that neither attributes nor negates."""
        if re.search(
            r"\b(?:not|no|never|declined|denied)\b", s.text, re.I
        ) or people.negated_departure(s.text):
            return []
        free = [m for m in found if not people.attributed(s.text, m.start - s.start)]
        if len(free) >= 2:
            return free
        return [m for m in free if m.role]

    # -----------------------------------------------------------------------------------------
    # one candidate each

    def _base(self, kind: str, s: Sentence) -> dict:
        row = dict.fromkeys(COLUMNS, "")
        row.update(kind=kind, suggested_table=SUGGESTED[kind], start=str(s.start), end=str(s.end))
        if s.heading:
            row["note"] = "from a heading or title"
        return row

    def _date_fields(self, row: dict, dates, used: set[int], at: int) -> None:
        d = _nearest(dates, at)
        if d is None or d.interval is None:
            row["note"] = "; ".join(x for x in (row["note"], "the sentence gives no date") if x)
            if row["kind"] in ("departure", "role"):
                row["precision"] = "undated"
            return
        used.add(dates.index(d))
        iv = d.interval
        row.update(
            date_start=iv.start.isoformat(), date_end=iv.end.isoformat(), precision=iv.precision
        )
        if d.note:
            row["inference_note"] = d.note

    def _money(self, s: Sentence, a: am.Amount, dates, used: set[int]) -> dict:
        row = self._base("money", s)
        local = a.start - s.start
        metric = _metric(s.text, local, a.end - s.start)
        row.update(
            value="" if a.value is None else am.plain(a.value),
            value_high="" if a.value_high is None else am.plain(a.value_high),
            unit=a.unit,
            bound=a.bound,
            metric=metric,
            status=_status(_clause(s.text, local), metric),
        )
        self._date_fields(row, dates, used, a.start)
        notes = [row["note"], a.note, f"amount as written: '{a.text}'"]
        if (
            not a.rate
            and a.currency == "USD"
            and metric in ("revenue", "costs", "compute_costs", "salaries_opex", "losses")
            and row["precision"] in ("month", "year")
        ):
            row["unit"] = "USD_per_" + row["precision"]
            notes.append(
                f"unit {row['unit']}: a {metric} figure for the {row['precision']} "
                "the sentence names"
            )
        row["note"] = "; ".join(x for x in notes if x)
        return row

    def _departure(
        self, s: Sentence, d: people.Departure, dates, used: set[int], note: str
    ) -> dict:
        row = self._base("departure", s)
        m = d.mention
        role = m.role or people.role_after(s.text, d.trigger_start - s.start)
        row.update(
            person=m.person_id or m.name,
            name_as_written=m.name,
            role_as_written=role,
            function=people.function_of(role),
            seniority=people.seniority_of(role),
            status="departed",
            reason=people.reason_after(s.text, d.trigger_start - s.start) if d.trigger else "",
        )
        self._date_fields(row, dates, used, d.trigger_start)
        notes = [row["note"], note]
        if d.trigger:
            notes.append(f"departure stated by '{d.trigger}'")
        if not m.person_id:
            notes.append(f"a name not in the fact base ({m.how}): accepting it adds a person")
        row["note"] = "; ".join(x for x in notes if x)
        return row

    def _role(self, s: Sentence, m: people.Mention) -> dict:
        row = self._base("role", s)
        row.update(
            person=m.person_id or m.name,
            name_as_written=m.name,
            role_as_written=m.role,
            function=people.function_of(m.role),
            seniority=people.seniority_of(m.role),
            status="mentioned",
            precision="undated",
        )
        row["note"] = "; ".join(x for x in (row["note"], "undated unless you add a date") if x)
        return row

    def _person(self, s: Sentence, m: people.Mention) -> dict:
        row = self._base("person", s)
        row.update(person=m.person_id or m.name, name_as_written=m.name)
        if not m.person_id:
            close = people_close(m.name, self.lexicon)
            row["note"] = "; ".join(
                x for x in (row["note"], f"a name not in the fact base ({m.how})", close) if x
            )
        return row

    def _organisations(self, s: Sentence):
        out = []
        for name in self.orgs:
            for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", s.text):
                out.append((s.start + m.start(), s.start + m.end(), name))
        for m in _ORG_RX.finditer(s.text):
            name = (m.group("org") or m.group("after")).strip()
            words = name.split()
            while (
                words
                and words[0] in people.NOT_NAME
                and words[0]
                not in (
                    "Stability",
                    "Amazon",
                    "Google",
                    "Microsoft",
                    "Nvidia",
                    "NVIDIA",
                    "Intel",
                    "Apple",
                    "Meta",
                    "OpenAI",
                    "Getty",
                    "Coatue",
                    "Lightspeed",
                    "Jasper",
                    "Cohere",
                    "Samsung",
                    "Snap",
                    "Canva",
                    "Midjourney",
                )
            ):
                words = words[1:]
            name = " ".join(words)
            if len(name) < 3 or name in ("AI",) or any(name == o or name in o for o in self.orgs):
                continue
            at = s.text.find(name, m.start())
            if at < 0:
                continue
            out.append((s.start + at, s.start + at + len(name), name))
        return sorted(out)

    def _organisation(self, s: Sentence, start: int, end: int, name: str) -> dict:
        row = self._base("organisation", s)
        row.update(counterparty=name, actor=name)
        row["note"] = "; ".join(
            x
            for x in (
                row["note"],
                "organisations are recorded in "
                "money.counterparty or events.actor of the facts "
                "they take part in",
            )
            if x
        )
        return row

    def _date(self, s: Sentence, d: dating.DateMention) -> dict:
        row = self._base("date", s)
        iv = d.interval
        row.update(
            date_start=iv.start.isoformat(),
            date_end=iv.end.isoformat(),
            precision=iv.precision,
            inference_note=d.note,
            status="reported",
        )
        row["note"] = "; ".join(x for x in (row["note"], f"date as written: '{d.text}'") if x)
        return row


def people_close(name: str, lexicon: people.Lexicon) -> str:
    """Known people whose name is spelled almost the same way (a possible variant)."""
    import difflib

    close = difflib.get_close_matches(name, list(lexicon.names), n=3, cutoff=0.8)
    if not close:
        return ""
    return "possibly a variant of " + ", ".join(f"{c} ({lexicon.names[c]})" for c in close)


def extract(text: str, facts: Facts, source: Source) -> list[dict]:
    """Candidate facts of `text`, in document order."""
    return Extractor(facts).run(text, source)


def to_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()
