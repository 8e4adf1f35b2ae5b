"""Departures in one sentence of news text: the words that state a departure (people.DEPART:
"resigned", "stepped down", "was ousted", "parted ways"), unless the words before them undo it
("called for him to step down", "denied he would leave") or what follows is no person leaving
("left unpaid"); each person named in the sentence (intake.people) with the nearest such words,
except one named as the source of the statement ("said X", "according to X"); and a group
departure stated without names ("key members of the team have resigned").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .people import DEPART, WINDOW, Mention

_NOT_A_DEPARTURE = re.compile(
    r"\b(?:consider\w*|contemplat\w*|threat\w*|call(?:ed|s|ing)?\s+for|urg\w+|pressure\w*|"
    r"demand\w*|push\w*\s+for|refus\w+|reject\w*|in\s+exchange\s+for|den(?:y|ied|ies)|not|never|"
    r"no\s+plans?|rumou?r\w*|speculat\w+|whether|if|asked|wanted|want|wants|tried\s+to|"
    r"attempt\w*|convinc\w+|persuad\w+)\b[^.;]{0,30}$",
    re.I,
)
_NOT_LEFT = re.compile(
    r"^\s*(?:[\w’'-]+\s+){0,3}?(?:unpaid|behind|over|open|vacant|out|"
    r"untouched|intact|in\s+(?:place|dire|limbo|the\s+dark|charge))\b",
    re.I,
)
_GROUP = re.compile(
    r"\b(?:members|researchers|executives|staff|employees|team|engineers|"
    r"scientists|leaders|founders|officials|directors|managers|authors|"
    r"executives)\b",
    re.I,
)
_ATTRIBUTION = re.compile(
    r"(?:\bby|\baccording\s+to|\btold|\bsaid|\bsays)\s+"
    r"(?:(?!(?:that|who|which|on|in)\b)[\w’'.-]+\s+){0,4}$",
    re.I,
)


@dataclass(frozen=True)
class Departure:
    mention: Mention
    trigger: str  # the words that state the departure
    trigger_start: int
    note: str


def departure_triggers(text: str) -> list[re.Match]:
    """Departure words in one sentence that are not negated, demanded or merely considered."""
    out = []
    for m in DEPART.finditer(text):
        if _NOT_A_DEPARTURE.search(text[max(0, m.start() - WINDOW) : m.start()]):
            continue
        if re.search(r"\b(?:left|leaves|leaving)$", m.group(0), re.I) and _NOT_LEFT.match(
            text[m.end() :]
        ):
            continue
        out.append(m)
    return out


def departures(text: str, found: list[Mention], offset: int = 0) -> list[Departure]:
    """The departures one sentence states, one per person named in it (document offsets).

    A person named as the source of the statement ('said X', 'according to X', 'by X') is not
    taken to have left."""
    triggers = departure_triggers(text)
    if not triggers:
        return []
    out = []
    seen = set()
    for mention in found:
        local = mention.start - offset
        if attributed(text, local):
            continue
        key = mention.person_id or mention.name
        if key in seen:
            continue
        seen.add(key)
        t = min(triggers, key=lambda t: abs(t.start() - local))
        out.append(Departure(mention, re.sub(r"\s+", " ", t.group(0)), offset + t.start(), ""))
    return out


def is_group_departure(text: str) -> bool:
    """The sentence says a group left without naming its members: a group noun before the
    departure words ('Key members of the team ... have resigned')."""
    triggers = departure_triggers(text)
    return bool(triggers and _GROUP.search(text[: triggers[0].start()]))


def negated_departure(text: str) -> bool:
    """The sentence holds departure words that the words before them undo ('called for him to
    step down')."""
    return any(
        _NOT_A_DEPARTURE.search(text[max(0, m.start() - WINDOW) : m.start()])
        for m in DEPART.finditer(text)
    )


def attributed(text: str, at: int) -> bool:
    """The name at `at` is the source of the statement ('by X', 'according to X', 'said X')."""
    return bool(_ATTRIBUTION.search(text[max(0, at - WINDOW) : at]))
