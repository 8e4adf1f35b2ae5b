"""Date expressions in news text, found by pattern and resolved to calendar intervals.

A news article dates what it reports relative to its own publication ("last month", "in
October", "last week", "earlier this year") or not at all. Each expression found here becomes an
interval (first day, last day) with a precision (`day`, `month`, `quarter`, `year`, `range`) and a
note saying how it was resolved. Relative expressions are resolved at both ends of the
publication interval (a source may only be dated to a range); when the two readings differ, the
result is their union with precision `range`. A month or day without a year is resolved against
an explicit date named earlier in the same sentence when there is one, else against the
publication interval: the most recent such month on or before it, or the next one on or after it
when the sentence speaks of the future.

How each pattern resolves is intake.date_rules and intake.date_rules_recent (RULES). Nothing
here reads the clock or guesses a year the text and the publication dates do not give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from . import date_rules, date_rules_recent
from .date_rules import Context, Resolution
from .dates import ANY_DATE_WORD, FUTURE, PATTERNS, Interval


@dataclass(frozen=True)
class DateMention:
    """One date expression: where it is in the text, what it says, what it resolves to."""

    start: int
    end: int
    text: str
    interval: Interval | None  # None when the text gives no bound that can be stated
    note: str  # how it was resolved; empty when the text states the date outright
    explicit: bool  # the text names the year itself


# One rule per pattern name of dates.PATTERNS.
RULES = {**date_rules.RULES, **date_rules_recent.RULES}


def resolve(name: str, m: re.Match, ctx: Context) -> Resolution:
    """The interval and note of one match of pattern `name`."""
    return RULES[name](m.groupdict(), m.group(0), ctx)


_CLAUSE_START = re.compile(r"[,;:(]|\b(?:and|but|that|while|whereas|although)\b", re.I)


def _future_clause(text: str, at: int) -> bool:
    """Whether the clause holding position `at` speaks of the future ('would earn ... in
    November')."""
    begin = max(0, at - 200)  # a clause reaches a few words back; the window bounds the cost
    starts = [m.end() for m in _CLAUSE_START.finditer(text, begin, at)]
    clause = text[starts[-1] if starts else begin : at]
    return bool(FUTURE.search(clause))


_EXPLICIT = ("iso", "mdy", "dmy", "mon_span_year", "my", "qy", "hy", "prep_year", "year_adj")


def find_dates(text: str, published: tuple[date, date], offset: int = 0) -> list[DateMention]:
    """Every date expression in `text` (one sentence), left to right, without overlaps.

    Offsets are into the document: `offset` is where `text` starts in it."""
    found: list[tuple[int, int, str, re.Match]] = []
    if not ANY_DATE_WORD.search(text):
        return []
    for name, rx in PATTERNS:
        for m in rx.finditer(text):
            found.append((m.start(), m.end(), name, m))
    # longest first at each position, explicit before relative at equal length
    found.sort(key=lambda f: (f[0], -(f[1] - f[0]), f[2] not in _EXPLICIT))
    chosen: list[tuple[int, int, str, re.Match]] = []
    last_end = -1
    for f in found:
        if f[0] >= last_end:
            chosen.append(f)
            last_end = f[1]
    out: list[DateMention] = []
    anchor: tuple[date, date] | None = None
    anchor_text = ""
    for start, end, name, m in chosen:
        ctx = Context(published, anchor, anchor_text, _future_clause(text, start))
        interval, note = resolve(name, m, ctx)
        explicit = name in _EXPLICIT
        if interval is None and not note:
            continue
        mention = DateMention(offset + start, offset + end, m.group(0), interval, note, explicit)
        out.append(mention)
        if explicit and interval is not None and interval.precision in ("day", "month"):
            anchor, anchor_text = (interval.start, interval.end), m.group(0)
    return out


def explicit_dates(text: str) -> list[tuple[int, int, date]]:
    """Full calendar dates the text states (day, month and year), with their offsets."""
    out = []
    for name in ("iso", "mdy", "dmy"):
        rx = dict(PATTERNS)[name]
        for m in rx.finditer(text):
            iv, _ = resolve(name, m, Context((date.min, date.min)))
            if iv is not None:
                out.append((m.start(), m.end(), iv.start))
    return sorted(out)
