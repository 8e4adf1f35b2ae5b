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
from decimal import Decimal

from ..facts.base import Facts
from ..facts.schema import TABLES
from . import amounts as am
from . import dating, people
from .attribution import attribution
from .matches import find_matches
from .sentences import Sentence, sentences
from .store import IntakeError

# The candidates file: the columns a reviewer decides on first (what, how much, of what, when,
# who, and whether it repeats or contradicts a recorded statement), then the rest. Columns named
# as in the fact tables are carried into the table a row is accepted into; `precision` goes to
# `date_precision` and `person` to `person_id` (a new name makes a new person). `restates` (the
# id of a recorded statement the candidate repeats: accepting it adds a reference to it) and
# `conflicts_with` (the ids it contradicts, with the reason) are filled by intake.matches.
DECISION_COLUMNS = (
    "candidate",
    "accept",
    "suggested_table",
    "quote",
    "value",
    "metric",
    "date_start",
    "date_end",
    "precision",
    "person",
    "role_as_written",
    "restates",
    "conflicts_with",
)
COLUMNS = DECISION_COLUMNS + (
    "bound",
    "unit",
    "status",
    "original_reporter",
    "attributed_to",
    "to_complete",
    "note",
    "inference_note",
    "kind",
    "table",
    "value_high",
    "counterparty",
    "instrument",
    "name_as_written",
    "function",
    "seniority",
    "reason",
    "category",
    "event",
    "actor",
    "affiliation",
    "outcome",
    "sd_author",
    "matches",
    "match_note",
    "source_id",
    "start",
    "end",
    "mentions",
    "all_quotes",
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

# Words near an amount that say what it measures (the vocabulary is facts.vocabulary
# MONEY_METRICS); the nearest wins, the longer on a tie ("wage bill" over "bill").
_METRICS = tuple(
    (metric, re.compile(rx, re.I))
    for metric, rx in (
        ("valuation", r"\bvalu(?:ation|ed|ing)\b|\bworth\b(?!\s+of)|\bmarket\s+cap\w*"),
        (
            "funding_sought",
            r"\b(?:seek\w*|sought|looking\s+to\s+raise|tried\s+to\s+raise|"
            r"trying\s+to\s+raise|aim\w*\s+to\s+raise|plan\w*\s+to\s+raise|"
            r"aspirations?\s+to\s+raise|hop\w+\s+to\s+raise|in\s+talks\s+to\s+raise|target)\b",
        ),
        (
            "funding_closed",
            r"\b(?:rais\w*|secur\w*|closed|invest\w*|funding|financing|lifeline|"
            r"backed|round|note|notes|injection|capital)\b",
        ),
        ("compute_sought", r"\bcomput\w*\s+(?:facilities|power|resources|capacity)\b"),
        (
            "compute_costs",
            r"\b(?:comput\w*|cloud|gpus?|server|aws|training)\s+(?:\w+\s+){0,2}(?:costs?|"
            r"expend\w+|spend\w*|bills?)|\b(?:costs?|expend\w+|spen[dt]\w*)\s+on\s+"
            r"(?:\w+\s+){0,2}(?:comput\w*|cloud|gpus?|servers?|chips?)|\bcompute\b",
        ),
        (
            "salaries_opex",
            r"\bsalar\w+|\bpayroll\b|\boperating\s+(?:expenses|costs)\b|\bwages?(?:\s+bill)?\b|"
            r"\b(?:wage|salary|staff)\s+(?:bill|costs?)\b",
        ),
        ("monthly_spend", r"\bspen(?:d|ds|ding|t)\b|\bburn\w*\b"),
        ("losses", r"\bloss(?:es)?\b|\blost\b|\blosing\b"),
        (
            "revenue",
            r"\brevenues?\b|\bsales\b|\bearn\w*|\bincome\b|\bturnover\b|"
            r"\bannual(?:ised|ized)?\s+recurring\b|\bARR\b|\bbrought\s+in\b|\bgenerat\w+\b",
        ),
        ("costs", r"\bcosts?\b|\bexpenses\b|\bexpenditure\b"),
        (
            "cash",
            r"\bcash\b|\bin\s+the\s+bank\b|\bbank\s+(?:deposits?|accounts?|balances?)\b|"
            r"\bdeposits?\b|\breserves?\b|\bcoffers\b|\bon\s+hand\b|\brunway\b|\bleft\s+in\b",
        ),
        (
            "unpaid_bill",
            r"\bbills?\b|\bowe[ds]?\b|\bowing\b|\binvoices?\b|\bunpaid\b|\bdebts?\b|"
            r"\boverdue\b|\bfees?\b|\bfailed\s+to\s+pay\b|\barrears\b|\boutstanding\b",
        ),
        (
            "price",
            r"\bprice\w*\b|\btier\b|\bsubscription\b|\bcharg\w+\b|\bstarting\s+at\b",
        ),
    )
)
_COMPUTE_WORDS = re.compile(
    r"\b(?:comput\w*|cloud|gpus?|infrastructure|servers?|aws|data\s+cent(?:er|re)s?)\b", re.I
)
_SPENT_ON = re.compile(
    r"\s+on\s+(?:\w+\s+){0,2}(?:(?P<compute_costs>comput\w*|cloud|gpus?|servers?|chips|aws)|"
    r"(?P<salaries_opex>salar\w+|wages|payroll|staff))\b",
    re.I,
)
# How far from an amount its metric's words are looked for (characters, each side).
_METRIC_WINDOW = 200
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


# An amount of money the article does not date lies, as far as the article says, between the
# start of the story and the publication: the story of the fact base begins with the company's
# founding in 2019, so no statement it records is older. A reviewer narrows it.
UNDATED_FROM = date(2019, 1, 1)
# The largest article `extract` takes (bytes). News articles run to 10-100 KB of text (a
# 20,000-word feature is about 120 KB); 2 MB is some twenty times the longest, and its
# extraction time is linear in length: about 4.5 s of CPU per MB (`bench/bench.py --extract`),
# so 2 MB takes some 10 s on a free core. A larger file is not one article (a page dump, a
# book, a data file) and is refused rather than left to run for minutes.
MAX_ARTICLE_BYTES = 2_000_000


def check_size(path, size: int) -> None:
    """Refuse an article larger than MAX_ARTICLE_BYTES, naming the file and the limit."""
    if size > MAX_ARTICLE_BYTES:
        raise IntakeError(
            f"{path}: the article is {size:,} bytes; extract takes articles of at most "
            f"{MAX_ARTICLE_BYTES:,} bytes (MAX_ARTICLE_BYTES in stability_report/intake/"
            "extract.py): is this one article?"
        )


@dataclass(frozen=True)
class Source:
    """What the candidates are resolved against: the publication interval and, for a
    registered article, its id."""

    published: tuple[date, date]
    source_id: str = ""


def _nearest(items, at: int):
    return min(items, key=lambda x: min(abs(x.start - at), abs(x.end - at)), default=None)


def metric_of(sentence: str, a: int, b: int) -> tuple[str, str]:
    """The metric whose words stand nearest the amount at sentence offsets a..b, and those
    words as written ("", "" when no word near it says what it measures)."""
    best = None
    lo, hi = max(0, a - _METRIC_WINDOW), min(len(sentence), b + _METRIC_WINDOW)
    for metric, rx in _METRICS:
        for m in rx.finditer(sentence, lo, hi):
            if m.start() < b and a < m.end():
                continue  # words inside the amount itself
            d = a - m.end() if m.end() <= a else (m.start() - b if m.start() >= b else 0)
            key = (d, -(m.end() - m.start()))
            if best is None or key < best[0]:
                best = (key, metric, m.group(0))
    if best is None:
        return "", ""
    _, metric, words = best
    if metric == "costs":  # "a reported cost of $99 million" in a sentence about the cloud
        cloud = _COMPUTE_WORDS.search(sentence)
        if cloud:
            metric, words = "compute_costs", f"{words} ... {cloud.group(0)}"
    spent_on = _SPENT_ON.match(sentence, b)
    if metric == "monthly_spend" and spent_on:  # "spent $X on compute", "on salaries"
        metric, words = spent_on.lastgroup, f"{words} ... {spent_on.group(0).strip()}"
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
    return metric, words


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
        # one pattern for all the known names, longest first (one scan of each sentence)
        self._orgs_rx = (
            re.compile(
                r"(?<![\w-])(?:"
                + "|".join(re.escape(n) for n in sorted(self.orgs, key=len, reverse=True))
                + r")(?![\w-])"
            )
            if self.orgs
            else None
        )
        self.source = Source((UNDATED_FROM, UNDATED_FROM))
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
        self.source = source
        rows: list[dict] = []
        # a group departure waiting for names: its sentence, sentences left, its dates
        group: tuple[Sentence, int, list] | None = None
        sents = [s for s in sentences(text) if not s.boilerplate]
        lexicon = self._article_lexicon(sents)
        for s in sents:
            first = len(rows)
            dates = dating.find_dates(s.text, source.published, s.start)
            used_dates: set[int] = set()
            for a in am.find_amounts(s.text, s.start):
                rows.append(self._money(s, a, dates, used_dates))
            found = self._mentions(s, lexicon)
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
                if m.start not in departed and m.role:
                    rows.append(self._role(s, m, m.role))
                for role in m.more_roles:
                    rows.append(self._role(s, m, role))
                rows.append(self._person(s, m))
            names = {m.name for m in found}
            spans = [(m.start, m.end) for m in found]
            for start, end, name in self._organisations(s):
                if name in names or any(start < y and x < end for x, y in spans):
                    continue  # a person is never also proposed as an organisation
                rows.append(self._organisation(s, start, end, name))
            for i, d in enumerate(dates):
                if i not in used_dates and d.interval is not None and not _dateline(s, d):
                    rows.append(self._date(s, d))
            said = attribution(s.text)
            for r in rows[first:]:
                if r["kind"] in ("person", "organisation"):
                    continue
                r.update(original_reporter=said.original_reporter, attributed_to=said.attributed_to)
                r["note"] = "; ".join(x for x in (r["note"], said.note()) if x)
        for r in rows:
            r["source_id"] = source.source_id
            r["quote"] = text[int(r["start"]) : int(r["end"])]
        rows = _collapse(rows, _person_names(rows))
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
        _new_people(rows)
        find_matches(rows, text, source.source_id, self.facts, self.orgs, self._person_of)
        for r in rows:
            r["to_complete"] = " ".join(_to_complete(r))
        return rows

    def _article_lexicon(self, sents: list[Sentence]) -> people.Lexicon:
        """The known spellings plus the new names the article marks as people somewhere, so
        that their other mentions (the full name again, or the surname alone) are found too."""
        new = {}
        self._first_pass = {}
        for s in sents:
            found = people.mentions(s.text, self.lexicon, s.start)
            self._first_pass[s.start] = found
            for m in found:
                if not _is_person_id(m.person_id):
                    new.setdefault(m.name, m.name)
        self._new_names = None
        if not new:
            return self.lexicon
        words = set(new) | {n.split()[-1] for n in new}
        self._new_names = re.compile(
            r"(?<![\w’'-])(?:"
            + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
            + r")(?![\w-])"
        )
        return people.Lexicon({**self.lexicon.names, **new}, self.lexicon.canonical)

    def _mentions(self, s: Sentence, lexicon: people.Lexicon) -> list[people.Mention]:
        """The people of one sentence: the first pass's, unless the sentence holds a new name
        the article marks as a person elsewhere."""
        if self._new_names is None or not self._new_names.search(s.text):
            return self._first_pass[s.start]
        return [_as_new(m) for m in people.mentions(s.text, lexicon, s.start)]

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
        metric, words = metric_of(s.text, local, a.end - s.start)
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
        if metric:
            notes.append(f"metric {metric} proposed from the words '{words}'")
        else:
            notes.append("no word near the amount says what it measures: choose the metric")
        undated = not row["date_start"]
        if undated:
            self._publication_bounds(row)
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
        if undated:
            notes.append("dated only by publication: correct the dates")
        row["note"] = "; ".join(x for x in notes if x)
        return row

    def _publication_bounds(self, row: dict) -> None:
        """Date a candidate the sentence leaves undated by what its publication allows: from
        UNDATED_FROM to the latest publication date, marked as such for the reviewer."""
        first, last = UNDATED_FROM, self.source.published[1]
        row.update(date_start=first.isoformat(), date_end=last.isoformat(), precision="range")
        row["inference_note"] = (
            f"bounded only by publication: the sentence gives no date, so the period is "
            f"anything from {first.isoformat()} (the earliest date a statement is given without "
            f"one) to the latest publication date {last.isoformat()}; narrow it if the article "
            "dates it elsewhere"
        )

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
        if not _is_person_id(m.person_id):
            notes.append(f"a name not in the fact base ({m.how}): accepting it adds a person")
        row["note"] = "; ".join(x for x in notes if x)
        return row

    def _role(self, s: Sentence, m: people.Mention, role: str) -> dict:
        row = self._base("role", s)
        row.update(
            person=m.person_id or m.name,
            name_as_written=m.name,
            role_as_written=role,
            function=people.function_of(role),
            seniority=people.seniority_of(role),
            status="mentioned",
            precision="undated",
        )
        notes = [row["note"], "undated unless you add a date"]
        if role == m.role and m.role_note:
            notes.append(m.role_note)
        elif role != m.role:
            notes.append(f"'{role}': a title the names listed together share")
        row["note"] = "; ".join(x for x in notes if x)
        return row

    def _person(self, s: Sentence, m: people.Mention) -> dict:
        row = self._base("person", s)
        row.update(person=m.person_id or m.name, name_as_written=m.name)
        if not _is_person_id(m.person_id):
            close = people_close(m.person_id or m.name, self.lexicon)
            row["note"] = "; ".join(
                x for x in (row["note"], f"a name not in the fact base ({m.how})", close) if x
            )
        return row

    def _organisations(self, s: Sentence):
        out = []
        if self._orgs_rx is not None:
            for m in self._orgs_rx.finditer(s.text):
                out.append((s.start + m.start(), s.start + m.end(), m.group(0)))
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
            if (
                len(name) < 3
                or name in ("AI",)
                or _GENERIC_AI.fullmatch(name)
                or any(name == o or name in o for o in self.orgs)
            ):
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
        notes = [row["note"], f"date as written: '{d.text}'"]
        event = event_of(s.text, d.start - s.start)
        if event:
            category, slug, words = event
            row.update(category=category, event=slug)
            notes.append(
                f"category {category} and event {slug} proposed from the words '{words}': "
                "name the event in a few words"
            )
            count = workforce_count(s.text) if category == "workforce" else None
            if count:
                value, unit, bound, said = count
                row.update(value=value, unit=unit, bound=bound)
                notes.append(f"value {value} {unit} ({bound}) from '{said}'")
        row["note"] = "; ".join(x for x in notes if x)
        return row


# Words that say what kind of event a dated sentence reports: (category, proposed event name,
# pattern); the nearest to the date wins. The categories are facts.vocabulary EVENT_CATEGORIES.
_EVENTS = tuple(
    (category, event, re.compile(rx, re.I))
    for category, event, rx in (
        (
            "workforce",
            "layoffs",
            r"\blay(?:s|ing)?\s*-?offs?\b|\blaid\s+off\b|\bjob\s+cuts\b|\bredundanc\w+|"
            r"\bcut\w*\s+(?:\w+\s+){0,3}(?:jobs|staff|employees|workforce|headcount)\b",
        ),
        (
            "leadership",
            "leadership_change",
            r"\bresign\w*|\bstep(?:ped|s|ping)?\s+down\b|\bappoint\w*|\bousted\b|"
            r"\bdepart\w*|\bhired\b|\bnamed\b",
        ),
        (
            "governance",
            "board_action",
            r"\bboard\b|\bshareholders?\b|\binvestors?\s+(?:\w+\s+){0,2}(?:called|demanded|"
            r"pushed|urged|wrote)\b",
        ),
        (
            "fundraising",
            "funding_round",
            r"\brais\w+|\bfunding\b|\bround\b|\binvest\w*|\bvaluation\b",
        ),
        ("product", "product_release", r"\blaunch\w*|\breleas\w+|\bunveil\w*|\bshipped\b"),
        ("legal", "legal_action", r"\blawsuits?\b|\bsu(?:ed|es|ing)\b|\bcourt\b|\blitigation\b"),
        (
            "finance",
            "financial_report",
            r"\brevenue\b|\bcash\b|\bbills?\b|\bowe[ds]?\b|\bdebts?\b|\blosses\b",
        ),
        (
            "corporate",
            "acquisition_or_sale",
            r"\bacqui\w+|\bmerg\w+|\bsold\b|\bsale\b|\bbuy(?:er|out)?\b",
        ),
        ("reputation", "criticism", r"\bcriticis\w+|\baccus\w+|\bcontrovers\w+"),
    )
)


# A number of people or a share of them: "about 10% of its staff", "20 employees", "more than
# 20 of its employees", "nearly two hundred people".
_COUNT_NUMBER = (
    r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    r"ninety)(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|"
    r"six|seven|eight|nine|ten|eleven|twelve|fifteen|a)(?:\s+hundred)?"
)
_WORKFORCE_COUNT = re.compile(
    r"(?:\b(?P<bw>about|around|roughly|approximately|some|nearly|almost|more\s+than|over|at\s+"
    rf"least|fewer\s+than|less\s+than|up\s+to)\s+)?\b(?P<n>{_COUNT_NUMBER})\s*"
    r"(?P<pct>%|\s+percent|\s+per\s+cent)?\s+(?:of\s+(?:its|the|their|the\s+company(?:’s|'s))\s+"
    r"(?:[\w-]+\s+)?)?(?P<what>employees|staff(?:ers)?|workers|people|jobs|positions|roles|"
    r"workforce|headcount|researchers|engineers)\b",
    re.I,
)
_COUNT_BOUNDS = {
    "about": "approx",
    "around": "approx",
    "roughly": "approx",
    "approximately": "approx",
    "some": "approx",
    "nearly": "less_than",
    "almost": "less_than",
    "more than": "more_than",
    "over": "more_than",
    "at least": "at_least",
    "fewer than": "less_than",
    "less than": "less_than",
}


def workforce_count(sentence: str) -> tuple[str, str, str, str] | None:
    """The number of people (or the share of the staff) a workforce sentence gives: value,
    unit (`count` or `percent`), bound and the words, or None. 'up to' is left for the reviewer
    (the tables have no at-most bound)."""
    m = _WORKFORCE_COUNT.search(sentence)
    if not m:
        return None
    n = re.sub(r"[\s-]+", " ", m.group("n").lower())
    if re.fullmatch(r"[\d,.]+", n):
        value = am.plain(Decimal(n.replace(",", "")))
    else:
        value = am.plain(am.word_number(n)) if n != "a" else ""
    pct = bool(m.group("pct"))
    if not value or (not pct and m.group("what").lower() in ("workforce", "headcount")):
        return None
    words = re.sub(r"\s+", " ", (m.group("bw") or "").lower())
    if words == "up to":
        return None
    return value, "percent" if pct else "count", _COUNT_BOUNDS.get(words, "exact"), m.group(0)


def event_of(sentence: str, at: int) -> tuple[str, str, str] | None:
    """The category, a proposed event name and the words they come from, for the event a
    sentence dates at offset `at`; None when no word says what happened."""
    best = None
    lo, hi = max(0, at - _METRIC_WINDOW), min(len(sentence), at + _METRIC_WINDOW)
    for category, event, rx in _EVENTS:
        for m in rx.finditer(sentence, lo, hi):
            d = abs(m.start() - at)
            if best is None or d < best[0]:
                best = (d, category, event, m.group(0))
    return None if best is None else best[1:]


# Required columns of each target table, under the candidates file's names.
_CANDIDATE_NAME = {"date_precision": "precision", "person_id": "person"}


def _to_complete(row: dict) -> list[str]:
    """The columns the target table requires that the candidate leaves empty (and, for a
    person the fact base does not know, the persons fields `accept` needs)."""
    table = row.get("table") or row.get("suggested_table")
    if table not in TABLES:
        return []
    out = []
    if row.get("person") and not _is_person_id(row["person"]):
        out += [c for c in PERSON_FIELDS if not str(row.get(c, "")).strip()]
    for c in TABLES[table].columns:
        if not c.required or c.kind == "id" and c.unique:
            continue
        name = _CANDIDATE_NAME.get(c.name, c.name)
        if not str(row.get(name, "")).strip():
            out.append(name)
    return out


# What a role's words say of a new person's relation to the company (persons.affiliation).
_AFFILIATION = (
    ("board", re.compile(r"\bboard\b|\bchair\w*|\bnon-executive\b", re.I)),
    ("investor", re.compile(r"\binvestors?\b|\bpartner\s+at\b|\bventure\b|\bfund\b", re.I)),
    ("external", re.compile(r"\bprofessor\b|\banalyst\b|\bat\s+(?:the\s+)?university\b", re.I)),
    ("staff", people.TITLE_WORD),
)
PERSON_FIELDS = ("affiliation", "outcome", "function", "seniority", "sd_author")


def _new_people(rows: list[dict]) -> None:
    """Propose the fields `accept` needs to add a person the fact base does not know (on each
    row naming them): affiliation from their role's words, outcome `departed` when the article
    says they left and `mentioned` otherwise, function and seniority from the role, sd_author
    `no` (the article names nobody as an author of the Stable Diffusion study unless the
    reviewer sees otherwise). Each proposal is named in the note."""
    people_rows: dict[str, list[dict]] = {}
    for r in rows:
        if r["kind"] in ("person", "role", "departure") and not _is_person_id(r["person"]):
            people_rows.setdefault(r["person"], []).append(r)
    for name, mine in people_rows.items():
        roles = [r["role_as_written"] for r in mine if r["role_as_written"]]
        affiliation = next((a for a, rx in _AFFILIATION for role in roles if rx.search(role)), "")
        outcome = "departed" if any(r["kind"] == "departure" for r in mine) else "mentioned"
        function = next((people.function_of(x) for x in roles if people.function_of(x)), "")
        seniority = next((people.seniority_of(x) for x in roles if people.seniority_of(x)), "")
        proposed = {
            "affiliation": affiliation,
            "outcome": outcome,
            "function": function,
            "seniority": seniority,
            "sd_author": "no",
        }
        said = ", ".join(f"{k} {v}" for k, v in proposed.items() if v)
        for r in mine:
            for k, v in proposed.items():
                if not r[k]:
                    r[k] = v
            r["note"] = "; ".join(
                x
                for x in (
                    r["note"],
                    f"a new person: {said} proposed from what this article says of "
                    f"{name} ({'; '.join(roles) or 'no role'})",
                )
                if x
            )


def _person_names(rows: list[dict]) -> set[str]:
    return {r[k] for r in rows if r["kind"] == "person" for k in ("person", "name_as_written")}


def _collapse_key(r: dict) -> tuple | None:
    kind = r["kind"]
    if kind == "person":
        return (kind, r["person"])
    if kind == "organisation":
        return (kind, r["counterparty"])
    if kind == "role":
        return (kind, r["person"], r["role_as_written"].lower())
    if kind == "departure":
        return (kind, r["person"], r["date_start"], r["date_end"], r["precision"])
    if kind == "money" and r["value"]:
        keys = ("value", "bound", "unit", "metric", "date_start", "date_end", "status")
        return (kind,) + tuple(r[k] for k in keys)
    return None


def _collapse(rows: list[dict], person_names: set[str]) -> list[dict]:
    """One row per repeated candidate (the same name, organisation, role, departure or amount
    stated in several sentences), holding every quote verbatim with its offsets; organisation
    candidates that are the name of a person the article names are dropped."""
    rows = [
        r for r in rows if not (r["kind"] == "organisation" and r["counterparty"] in person_names)
    ]
    rows.sort(key=lambda r: int(r["start"]))
    out: list[dict] = []
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        key = _collapse_key(r)
        if key is None:
            out.append(r)
            continue
        if key not in groups:
            groups[key] = []
            out.append(r)
        groups[key].append(r)
    for r in out:
        same = groups.get(_collapse_key(r) or (), [r]) if _collapse_key(r) else [r]
        r["mentions"] = str(len(same))
        if len(same) > 1:
            r["all_quotes"] = "\n".join(f"[{x['start']}-{x['end']}] {x['quote']}" for x in same)
            for col in ("original_reporter", "attributed_to"):
                if not r[col]:
                    r[col] = next((x[col] for x in same if x[col]), "")
            r["note"] = "; ".join(
                x
                for x in (
                    r["note"],
                    f"stated in {len(same)} places (all_quotes): one row for all of them",
                )
                if x
            )
    return out


# A kind of AI, not a company: "Generative AI darling", "Open-source AI".
_GENERIC_AI = re.compile(
    r"(?:(?:Generative|Artificial|Open|Open-source|Responsible|Conversational|Enterprise|"
    r"Applied|Frontier|Multimodal|Agentic|Decentrali[sz]ed|Centrali[sz]ed|Sovereign|Ethical|"
    r"Safe|General|Narrow|Physical|Embodied)\s+)+AI"
)


def _dateline(s: Sentence, d: dating.DateMention) -> bool:
    """The date is the article's own date line ('Published March 22, 2024'), no event."""
    rest = s.text[: d.start - s.start] + s.text[d.end - s.start :]
    return s.heading and not re.sub(
        r"\b(?:published|posted|updated|last\s+updated|first\s+published|date[ds]?|on|at|"
        r"(?:[01]?\d|2[0-3])[:.][0-5]\d(?:\s*[ap]\.?m\.?)?|[A-Z]{2,4}|[a-z]+day)\b|[\W_]",
        "",
        rest,
        flags=re.I,
    )


def _is_person_id(value: str) -> bool:
    return bool(re.fullmatch(r"P\d{3,}", value))


def _as_new(m: people.Mention) -> people.Mention:
    """A mention found through a new name the article marks as a person elsewhere: its person is
    that full name (not an id), and it says how it was found."""
    if not m.person_id or _is_person_id(m.person_id):
        return m
    return people.Mention(
        m.start,
        m.end,
        m.name,
        m.person_id,
        "named as a person elsewhere in the article",
        m.role,
        m.more_roles,
        m.role_note,
    )


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
