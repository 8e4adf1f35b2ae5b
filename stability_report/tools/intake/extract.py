"""The extraction assistant: candidate facts of one article, each with its exact quote and
offsets, for a reviewer to accept, complete or drop.

It proposes amounts of money (amounts.py) with their metric (metrics.py), dates (dating.py) with
the event they mark (events.py), people, roles and departures (people.py, roles.py) and
organisations (organisations.py), sentence by sentence (sentences.py), leaving out the
publisher's boilerplate, each with who the article says it comes from (attribution.py). Every
field the target table requires is proposed (an amount the article does not date is dated by its
publication, marked as such); a candidate stated in several sentences is one row with all its
quotes (review.py). Each candidate names the table it would go to and the existing facts it may
repeat or contradict (matches.py). It never writes the fact base: `python -m stability_report
accept` does, after review. An article over MAX_ARTICLE_BYTES is refused.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from ... import config
from ...errors import IntakeError
from ...facts.base import Facts
from . import amounts as am
from . import dating, people, roles
from .attribution import attribution
from .events import event_of, workforce_count
from .matches import find_matches
from .metrics import clause_at, metric_of, status_of
from .organisations import Organisations
from .review import collapse, is_person_id, person_names, propose_new_people, to_complete
from .sentences import Sentence, sentences

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

# An amount of money the article does not date lies, as far as the article says, between the
# start of the story and the publication: the first day of the dates the fact base holds
# (config.DATE_WINDOW, from the company's early days in 2020). A reviewer narrows it.
UNDATED_FROM = config.DATE_WINDOW[0]
MAX_ARTICLE_BYTES = config.MAX_ARTICLE_BYTES


def check_size(path, size: int) -> None:
    """Refuse an article larger than MAX_ARTICLE_BYTES, naming the file and the limit."""
    if size > MAX_ARTICLE_BYTES:
        raise IntakeError(
            f"{path}: the article is {size:,} bytes; articles of at most "
            f"{MAX_ARTICLE_BYTES:,} bytes are taken (MAX_ARTICLE_BYTES in "
            "stability_report/config.py): is this one article?"
        )


@dataclass(frozen=True)
class Source:
    """What the candidates are resolved against: the publication interval and, for a
    registered article, its id."""

    published: tuple[date, date]
    source_id: str = ""


def _nearest(items, at: int):
    return min(items, key=lambda x: min(abs(x.start - at), abs(x.end - at)), default=None)


class Extractor:
    """Candidates of one article against one fact base."""

    def __init__(self, facts: Facts):
        self.facts = facts
        self.lexicon = people.Lexicon.from_facts(facts)
        self.organisations = Organisations.from_facts(facts)
        self.orgs = self.organisations.known
        self.source = Source((UNDATED_FROM, UNDATED_FROM))
        self._person_of = {
            fid: pid
            for table in ("personnel", "person_names")
            for fid, pid in zip(facts.tables[table]["fact_id"], facts.tables[table]["person_id"])
        }

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
            for start, end, name in self.organisations.find(s.text, s.start):
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
        rows = collapse(rows, person_names(rows))
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
        propose_new_people(rows)
        find_matches(rows, text, source.source_id, self.facts, self.orgs, self._person_of)
        for r in rows:
            r["to_complete"] = " ".join(to_complete(r))
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
                if not is_person_id(m.person_id):
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
            status=status_of(clause_at(s.text, local), metric),
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
        role = m.role or roles.role_after(s.text, d.trigger_start - s.start)
        row.update(
            person=m.person_id or m.name,
            name_as_written=m.name,
            role_as_written=role,
            function=roles.function_of(role),
            seniority=roles.seniority_of(role),
            status="departed",
            reason=roles.reason_after(s.text, d.trigger_start - s.start) if d.trigger else "",
        )
        self._date_fields(row, dates, used, d.trigger_start)
        notes = [row["note"], note]
        if d.trigger:
            notes.append(f"departure stated by '{d.trigger}'")
        if not is_person_id(m.person_id):
            notes.append(f"a name not in the fact base ({m.how}): accepting it adds a person")
        row["note"] = "; ".join(x for x in notes if x)
        return row

    def _role(self, s: Sentence, m: people.Mention, role: str) -> dict:
        row = self._base("role", s)
        row.update(
            person=m.person_id or m.name,
            name_as_written=m.name,
            role_as_written=role,
            function=roles.function_of(role),
            seniority=roles.seniority_of(role),
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
        if not is_person_id(m.person_id):
            close = people_close(m.person_id or m.name, self.lexicon)
            row["note"] = "; ".join(
                x for x in (row["note"], f"a name not in the fact base ({m.how})", close) if x
            )
        return row

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


def _as_new(m: people.Mention) -> people.Mention:
    """A mention found through a new name the article marks as a person elsewhere: its person is
    that full name (not an id), and it says how it was found."""
    if not m.person_id or is_person_id(m.person_id):
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
