"""The extraction assistant: candidate facts of one article, each with its exact quote and
offsets, for a reviewer to accept, complete or drop.

It proposes amounts of money (amounts.py) with their metric (metrics.py), dates (dating.py) with
the event they mark (events.py), people, roles and departures (people.py, roles.py) and
organisations (organisations.py), sentence by sentence (sentences.py), leaving out the
publisher's boilerplate, each with who the article says it comes from (attribution.py). Every
field the target table requires is proposed (an amount the article does not date is dated by its
publication, marked as such); a candidate stated in several sentences is one row with all its
quotes (review.py). Each candidate names the table it would go to and the existing facts it may
repeat or contradict (matches.py). The row of each kind, and the columns of the candidates file,
are candidate_rows.py. It never writes the fact base: `python -m stability_report
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
from . import dating, people
from .attribution import attribution
from .candidate_rows import (
    COLUMNS,
    KINDS,
    UNDATED_FROM,
    date_row,
    departure_row,
    money_row,
    organisation_row,
    person_row,
    role_row,
)
from .departures import (
    Departure,
    attributed,
    departures,
    is_group_departure,
    negated_departure,
)
from .matches import find_matches
from .organisations import Organisations
from .review import collapse, is_person_id, person_names, propose_new_people, to_complete
from .sentences import Sentence, sentences

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
        self._group = None
        sents = [s for s in sentences(text) if not s.boilerplate]
        lexicon = self._article_lexicon(sents)
        for s in sents:
            rows += self._sentence(s, lexicon)
        return self._finish(rows, text)

    def _sentence(self, s: Sentence, lexicon: people.Lexicon) -> list[dict]:
        """The candidates of one sentence, each with who the sentence says it comes from."""
        dates = dating.find_dates(s.text, self.source.published, s.start)
        used: set[int] = set()
        rows = [
            money_row(s, a, dates, used, self.source.published)
            for a in am.find_amounts(s.text, s.start)
        ]
        found = self._mentions(s, lexicon)
        deps = departures(s.text, found, s.start)
        rows += self._departures(s, deps, dates, used)
        if not deps and self._group is not None:
            rows += self._group_departures(s, found)
        if is_group_departure(s.text) and not found:
            self._group = (s, 2, dates)
        rows += self._people(s, found, {d.mention.start for d in deps})
        rows += self._organisations(s, found)
        rows += [
            date_row(s, d)
            for i, d in enumerate(dates)
            if i not in used and d.interval is not None and not _dateline(s, d)
        ]
        said = attribution(s.text)
        for r in rows:
            if r["kind"] not in ("person", "organisation"):
                r.update(original_reporter=said.original_reporter, attributed_to=said.attributed_to)
                r["note"] = "; ".join(x for x in (r["note"], said.note()) if x)
        return rows

    def _departures(self, s: Sentence, deps: list, dates: list, used: set[int]) -> list[dict]:
        """The departures a sentence states; one without a date of its own, right after a group
        departure, takes the group's date."""
        group = self._group
        if dates or group is None or not group[2]:
            return [departure_row(s, d, dates, used, "") for d in deps]
        note = (
            f"the date is that of the group departure stated just before ('{group[0].text[:160]}')"
        )
        return [departure_row(s, d, group[2], set(), note) for d in deps]

    def _group_departures(self, s: Sentence, found: list[people.Mention]) -> list[dict]:
        """People a sentence names right after a group departure stated without names, as
        departures of that group (for two sentences after it)."""
        g, left, _ = self._group
        rows = []
        for m in self._group_members(s, found):
            dep = Departure(m, "", m.start, "")
            note = (
                "the departure is stated for a group, without names, in an earlier "
                f"sentence ('{g.text[:160]}'): check that this person belongs to it; "
                "the date is that sentence's"
            )
            dates = dating.find_dates(g.text, self.source.published, g.start)
            rows.append(departure_row(s, dep, dates, set(), note))
        self._group = (g, left - 1, self._group[2]) if left > 1 else None
        return rows

    def _people(self, s: Sentence, found: list[people.Mention], departed: set[int]) -> list[dict]:
        """Each person named, with the roles the sentence gives them (none for a departure)."""
        rows = []
        for m in found:
            if m.start not in departed and m.role:
                rows.append(role_row(s, m, m.role))
            rows += [role_row(s, m, role) for role in m.more_roles]
            rows.append(person_row(s, m, self.lexicon))
        return rows

    def _organisations(self, s: Sentence, found: list[people.Mention]) -> list[dict]:
        """The organisations a sentence names; a person is never also proposed as one."""
        names = {m.name for m in found}
        spans = [(m.start, m.end) for m in found]
        return [
            organisation_row(s, name)
            for start, end, name in self.organisations.find(s.text, s.start)
            if name not in names and not any(start < y and x < end for x, y in spans)
        ]

    def _finish(self, rows: list[dict], text: str) -> list[dict]:
        """One row per candidate, in document order, numbered, matched with the fact base."""
        for r in rows:
            r["source_id"] = self.source.source_id
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
        find_matches(rows, text, self.source.source_id, self.facts, self.orgs, self._person_of)
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
        if re.search(r"\b(?:not|no|never|declined|denied)\b", s.text, re.I) or negated_departure(
            s.text
        ):
            return []
        free = [m for m in found if not attributed(s.text, m.start - s.start)]
        if len(free) >= 2:
            return free
        return [m for m in free if m.role]


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


def extract(text: str, facts: Facts, source: Source) -> list[dict]:
    """Candidate facts of `text`, in document order."""
    return Extractor(facts).run(text, source)


def to_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()
