"""Statements of fact that carry no computation, the machinery: each chapter's module
(present.overview, present.money, present.people) writes its sentences once as templates keyed
to the facts they rest on (events by name, money facts by metric); a sentence is said only when
those facts are available as of the analysis date, with their ids.

A template names its facts by letter: `{a}` is the citation of fact group a, `{a.when}` its date
as precisely as the sources give it (`{a.in_when}` to open a sentence: "In March 2024", "On 3 June
2024"), `{a.figure}` its value as the source qualifies it, and the
strength the source gives it comes from the facts (facts.strength), never retyped:
`{a.according}` ("according to insiders", "according to Forbes, citing sources"), `{a.who}`
(the speaker or the outlet), `{a.outlet}`. A source's words that carry a hedge or a judgement
are quoted. The render checks every sentence against its facts' strength (render.trust).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..analysis.cited import Cited, cite
from ..analysis.readings import merged_interval, rejected
from ..facts.base import Facts
from ..facts.strength import Strength, strength
from ..formats import after_lead, bound_words, interval, join_words, money
from .markdown import md


@dataclass(frozen=True)
class Ref(Cited):
    """A group of facts named in a template (the events of some names, or the money facts of a
    metric): formatted, it is their citation."""

    rows: pd.DataFrame | None = None
    facts: Facts | None = None

    @property
    def when(self) -> Cited:
        start, end, precision = merged_interval(self.rows, self.facts)
        return cite(interval(start, end, precision), fmt="text")

    @property
    def in_when(self) -> Cited:
        """The date opening a sentence: 'In February 2024', 'On 3 June 2024' for a day."""
        start, end, precision = merged_interval(self.rows, self.facts)
        on = "On" if precision == "day" else "In"
        return cite(f"{on} {interval(start, end, precision)}", fmt="text")

    @property
    def words(self) -> Cited:
        """' (S000: “last December”)': the source's own words for a date the report resolved
        from them; '' when the source dates it outright."""
        return cite(source_words(self.rows), fmt="text")

    @property
    def figure(self) -> Cited:
        """The value with the source's qualifier: 'at least 10%', 'less than $4 million'."""
        r = self._valued()
        return cite(bound_words(r["bound"]) + _plain(r), fmt="text")

    @property
    def amount(self) -> Cited:
        """The value alone, for a template whose words carry the qualifier ('starting at')."""
        return cite(_plain(self._valued()), fmt="text")

    def _valued(self) -> pd.Series:
        return self.rows.dropna(subset=["value"]).iloc[0]

    @property
    def strengths(self) -> list[Strength]:
        return [strength(r) for _, r in self.rows.iterrows()]

    @property
    def according(self) -> Cited:
        """'according to insiders', 'according to Forbes, citing sources': the attribution of
        the facts, '' when one of them is the source's own reporting (the strongest source
        decides)."""
        s = self.strengths
        if not s or any(not (x.attributed_to or x.original_reporter) for x in s):
            return cite("", fmt="text")
        return cite(s[0].according_to, fmt="text")

    @property
    def who(self) -> Cited:
        """Who says it: the speaker the source names, else the outlet it restates."""
        s = self.strengths[0]
        return cite(s.speaker or s.original_reporter, fmt="text")

    @property
    def outlet(self) -> Cited:
        """The outlets the facts restate, joined ('Bloomberg'); '' when none."""
        names = list(
            dict.fromkeys(x.original_reporter for x in self.strengths if x.original_reporter)
        )
        return cite(" and ".join(names), fmt="text")


# An inference note that resolves a source's date words opens with them: "'last December'
# resolved to December 2023 ...", or, as the extraction assistant writes its notes, "'last
# week': the calendar week (Monday to Sunday) before the week of publication ...".
SOURCE_WORDS = re.compile(r"^'([^']+)'(?: resolved|: )")
# ... or gives them in a parenthesis after the resolved date: "September 2023 ('September of
# last year': 'last year' resolved to 2023 ...)".
_WORDS_INSIDE = re.compile(r"\('([^']+)':")


def source_words(rows: pd.DataFrame, lead: str = "") -> str:
    """' (S001: “Last summer”)': the source's own date words, in the source's case, for facts
    whose dates the report resolved from them (their inference notes open with the words); ''
    when none did, or when one of the facts is dated by its source outright. `lead` is the word
    the sentence puts before the date ('by'): words that open with it are quoted without it
    ('By October 2023 (S001: “October of last year”)')."""
    notes = rows["inference_note"]
    if any(not (isinstance(n, str) and n.strip()) for n in notes):
        return ""  # a source dates it in so many words
    seen = {}
    for sid, n in zip(rows["source_id"], notes):
        m = (SOURCE_WORDS.match(n) or _WORDS_INSIDE.search(n)) if isinstance(n, str) else None
        if m and sid not in seen:
            seen[sid] = after_lead(m.group(1), lead)
    words = [f"{sid}: “{w}”" for sid, w in seen.items()]
    return f" ({', '.join(words)})" if words else ""


def resolved_words(rows: pd.DataFrame) -> list[str]:
    """The sources' relative date words the report resolved for these rows ('last year', 'In
    November'), each once, in the order of the rows, as their inference notes quote them."""
    found: list[str] = []
    for note in rows["inference_note"].dropna():
        m = SOURCE_WORDS.match(str(note).strip())
        if m and m.group(1) not in found:
            found.append(m.group(1))
    return found


def _plain(r: pd.Series) -> str:
    if r["unit"] == "percent":
        return f"{r['value']:g}%"
    if str(r["unit"]).startswith("USD"):
        return money(float(r["value"]))
    return f"{r['value']:,.0f}"


def ref(facts: Facts, names: str) -> Ref | None:
    """The facts named by `names` (event names, or `money:<metric>`, joined by '|'), without
    readings a recorded conflict rejects unless every one is rejected (a claim and its denial
    are each cited); None when none is available."""
    frames = []
    for name in names.split("|"):
        if name.startswith("money:"):
            t = facts.money
            frames.append(t[t["metric"] == name.split(":", 1)[1]])
        else:
            t = facts.events
            frames.append(t[t["event"] == name])
    rows = pd.concat(frames) if len(frames) > 1 else frames[0]
    if rows.empty:
        return None
    kept = rows[~rows["fact_id"].isin(rejected(facts))]
    rows = kept if len(kept) else rows
    return Ref("", tuple(dict.fromkeys(rows["fact_id"])), "text", None, rows, facts)


@dataclass(frozen=True)
class Statement:
    template: str
    refs: dict[str, str]


def say(facts: Facts, statement: Statement) -> str | None:
    """The statement with its facts cited, or None when one of its facts is not available."""
    values = {}
    for letter, name in statement.refs.items():
        r = ref(facts, name)
        if r is None:
            return None
        values[letter] = r
    return md(statement.template, **values)


def paragraph(facts: Facts, statements: dict[str, Statement], *keys: str) -> str:
    """The available statements among statements[keys], in order, as one paragraph ('' when
    none is available)."""
    said = [say(facts, statements[k]) for k in keys]
    return " ".join(s for s in said if s)


def fact_row(facts: Facts, fid: str) -> pd.Series:
    """The row of a money, events or personnel fact."""
    for t in (facts.money, facts.events, facts.personnel):
        hit = t[t["fact_id"] == fid]
        if len(hit):
            return hit.iloc[0]
    raise KeyError(fid)


def source_of_claim(facts: Facts, *ids: str) -> Cited:
    """Who the facts `ids` come from, for a sentence that says so ('an internal memo',
    'Bloomberg', 'the Financial Times'): the outlet each restates, else the speaker the source
    names, joined; '' when one of them is the source's own reporting."""
    names = []
    for fid in ids:
        s = strength(fact_row(facts, fid))
        who = s.original_reporter or s.speaker
        if not who:
            return cite("", fmt="text")
        names.append(who)
    names = list(dict.fromkeys(names))
    return cite(join_words(names), fmt="text")
