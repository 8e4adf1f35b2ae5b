"""The calendar words of news text (months, weekdays, numbers, quarters, seasons, the words that
put a clause in the future) and the intervals its dates resolve to: a day, a month, a quarter, a
year or a run of months, each with the precision the text gives it; a relative date resolved at
both ends of a publication interval (their union when the two readings differ). The date finder
is intake.dating.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
ORDINAL_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4}
# Meteorological seasons of the northern hemisphere: (first month, number of months).
SEASONS = {"spring": (3, 3), "summer": (6, 3), "autumn": (9, 3), "fall": (9, 3), "winter": (12, 3)}
# Words that put a clause in the future. Not "would" nor "intends": news uses them for reported
# speech and plans made in the past ("would earn $3 million in November", said in November).
FUTURE = re.compile(
    r"\b(?:will|shall|(?:is|are)\s+(?:set|due|scheduled|expected)\s+to|"
    r"plans?\s+to|expects?\s+to|upcoming|next)\b",
    re.I,
)


@dataclass(frozen=True)
class Interval:
    """A calendar interval with the precision the text gives it."""

    start: date
    end: date
    precision: str  # day, month, quarter, year, range

    def union(self, other: Interval) -> Interval:
        if other == self:
            return self
        return Interval(min(self.start, other.start), max(self.end, other.end), "range")

    def label(self) -> str:
        if self.precision == "day":
            return self.start.isoformat()
        if self.precision == "month":
            return self.start.strftime("%B %Y")
        if self.precision == "year":
            return str(self.start.year)
        if self.precision == "quarter":
            return f"Q{(self.start.month - 1) // 3 + 1} {self.start.year}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def month_interval(year: int, month: int) -> Interval:
    return Interval(
        date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), "month"
    )


def year_interval(year: int) -> Interval:
    return Interval(date(year, 1, 1), date(year, 12, 31), "year")


def quarter_interval(year: int, quarter: int) -> Interval:
    first = 3 * (quarter - 1) + 1
    return Interval(date(year, first, 1), month_interval(year, first + 2).end, "quarter")


def months_span(year: int, month: int, count: int, precision: str = "range") -> Interval:
    start = date(year, month, 1)
    y, m = year + (month - 1 + count - 1) // 12, (month - 1 + count - 1) % 12 + 1
    return Interval(start, month_interval(y, m).end, precision)


def shift_month(d: date, months: int) -> tuple[int, int]:
    n = d.year * 12 + d.month - 1 + months
    return n // 12, n % 12 + 1


def iso_week(d: date) -> Interval:
    monday = d - timedelta(days=d.weekday())
    return Interval(monday, monday + timedelta(days=6), "range")


def day_interval(d: date) -> Interval:
    return Interval(d, d, "day")


def pub_label(pub: tuple[date, date]) -> str:
    a, b = pub
    return a.isoformat() if a == b else f"{a.isoformat()}..{b.isoformat()}"


def at_both_ends(pub: tuple[date, date], fn) -> Interval:
    """Resolve against each end of the publication interval; the union when they differ."""
    first, last = fn(pub[0]), fn(pub[1])
    return first if first == last else first.union(last)


def yearless_month(month: int, anchor: tuple[date, date], future: bool) -> Interval:
    """The month `month` nearest the anchor: on or before it, or on or after it (future)."""

    def one(d: date) -> Interval:
        if future:
            year = d.year if month >= d.month else d.year + 1
        else:
            year = d.year if month <= d.month else d.year - 1
        return month_interval(year, month)

    return at_both_ends(anchor, one)
