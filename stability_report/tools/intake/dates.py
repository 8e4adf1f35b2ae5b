"""The calendar words of news text (months, weekdays, numbers, quarters, seasons, the words that
put a clause in the future), the patterns of its date expressions (PATTERNS: "June 04, 2024",
"last month", "late Friday", "its August bill" ...), and the intervals its dates resolve to: a
day, a month, a quarter, a year or a run of months, each with the precision the text gives it; a
relative date resolved at both ends of a publication interval (their union when the two readings
differ). The date finder, which resolves each pattern, is intake.dating.
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


# ---------------------------------------------------------------------------------------------
# patterns (case-insensitive unless stated); the longest match at a position wins

_MON = (
    r"(?P<mon>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|"
    r"July?|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|"
    r"Dec(?:ember|\.)?)"
)
_MON_ANY = _MON.replace("(?P<mon>", "(?:")
_YEAR = r"(?P<year>(?:19|20)\d\d)(?![\d,.]\d)"
_DAYN = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_NUM = r"(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_PREP = (
    r"(?P<prep>in|since|by|during|until|till|through|throughout|before|after|from|of|for|"
    r"early|late|mid-?|around|as of|at the end of|at the start of|the end of|the start of)"
)

PATTERNS: list[tuple[str, re.Pattern]] = [
    (name, re.compile(rx, re.I))
    for name, rx in (
        ("iso", r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"),
        ("mdy", rf"\b{_MON}\s+{_DAYN},?\s+{_YEAR}\b"),
        ("dmy", rf"\b{_DAYN}\s+(?:of\s+)?{_MON},?\s+{_YEAR}\b"),
        # two months of one year ("July and August 2023", "from March to May 2024"): one span
        (
            "mon_span_year",
            rf"\b(?:(?:for|in|from|between|during|over)\s+)?{_MON.replace('<mon>', '<mon1>')}"
            rf"\s+(?:and|to|through|until|-|–)\s+"
            rf"{_MON.replace('<mon>', '<mon2>')},?\s+{_YEAR}\b",
        ),
        ("my", rf"\b{_MON}(?:,|\s+of)?\s+{_YEAR}\b"),
        (
            "qy",
            r"\b(?:(?:the\s+)?(?P<ord>first|second|third|fourth|final|last)\s+quarter(?:\s+of)?|"
            r"Q(?P<q>[1-4]))\s*(?P<year>(?:19|20)\d\d)\b",
        ),
        (
            "hy",
            r"\b(?:(?:the\s+)?(?P<half>first|second)\s+half\s+of|H(?P<h>[12]))\s*"
            r"(?P<year>(?:19|20)\d\d)\b",
        ),
        ("since_rel", r"\bsince\s+(?P<rel>last|this)\s+year\b"),
        ("part_year", r"\b(?P<part>earlier|later|early|late|mid-?)\s*(?P<rel>this|last)\s+year\b"),
        ("rel_year", r"\b(?P<rel>last|this|next|previous)\s+year\b"),
        ("years_ago", rf"\b{_NUM}\s+years?\s+ago\b"),
        (
            "past_years",
            r"\b(?:the\s+)?(?:(?:past|previous)\s+(?P<n>\d{1,2}|two|three|four|five|six|"
            r"twelve)?|last\s+(?P<n2>\d{1,2}|two|three|four|five|six|twelve))\s*"
            r"(?P<unit>years|months|year(?!\s+ago)|month(?!\s+ago))\b",
        ),
        ("mon_rel_year", rf"\b{_MON}\s+(?:of\s+)?(?P<rel>this|last|next)\s+year\b"),
        ("rel_mon", rf"\b(?P<rel>last|this|next|past)\s+{_MON}(?!\s+\d)\b"),
        ("part_month", r"\b(?P<part>earlier|later|early|late)\s+this\s+month\b"),
        ("rel_month", r"\b(?P<rel>last|this|next|previous)\s+month\b"),
        ("months_ago", rf"\b{_NUM}\s+months?\s+ago\b"),
        ("part_week", r"\b(?P<part>earlier|later)\s+this\s+week\b"),
        ("rel_week", r"\b(?P<rel>last|this|next|previous)\s+week\b"),
        ("weeks_ago", rf"\b{_NUM}\s+weeks?\s+ago\b"),
        ("days_ago", rf"\b{_NUM}\s+days?\s+ago\b"),
        ("yesterday", r"\b(?P<w>yesterday|today)\b"),
        (
            "weekday",
            r"\b(?:(?P<rel>last|this|next|past)\s+|(?P<part>late|early)\s+(?:on\s+)?|on\s+|"
            r"(?<!Black )(?<!Good )(?<!Cyber )(?<!Super )(?<!Holy )(?<!Ash )(?=[A-Z]))"
            r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
            r"(?:\s+(?P<tod>morning|afternoon|evening|night))?\b"
            # not the weekday of a date written out beside it ("Thursday, June 22, 2023")
            rf"(?!,?\s+(?:{_MON_ANY}\.?\s+\d|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON_ANY}))",
        ),
        (
            "quarter",
            r"\b(?:the\s+)?(?P<ord>first|second|third|fourth|final)\s+quarter"
            r"(?:\s+of\s+(?P<rel>this|last|next)\s+year)?\b",
        ),
        (
            "season",
            r"\b(?P<rel>last|this|next|past)\s+(?P<season>spring|summer|autumn|fall|winter)\b",
        ),
        ("md", rf"\b{_MON}\s+{_DAYN}\b(?!,?\s*(?:19|20)\d\d)(?!\s*(?:%|percent|million|billion))"),
        ("dm", rf"\b{_DAYN}\s+(?:of\s+)?{_MON}\b(?!,?\s*(?:19|20)\d\d)"),
        (
            "prep_year",
            rf"\b{_PREP}\s+(?:the\s+(?:year\s+)?)?(?:fiscal\s+(?:year\s+)?)?{_YEAR}\b"
            r"(?!\s*(?:%|percent|million|billion|bn|m\b))",
        ),
        ("year_adj", rf"\b(?:its|the|their|his|her)\s+{_YEAR}(?=\s+[a-z])"),
        # a month named before a noun, as a determiner's adjective ("its August bill", "a July
        # AWS bill": up to two words between the month and the noun)
        (
            "det_mon",
            rf"\b(?P<prep>its|their|the|his|her|an?)\s+{_MON}\b(?!\s+\d)"
            r"(?=\s+(?:[\w-]+\s+){0,2}?(?:bills?|invoices?|payments?|payroll|forecasts?|figures?|numbers|revenue|"
            r"sales|costs?|spend\w*|round|meeting|memo|report|filing|deadline|launch|release|"
            r"layoffs?|usage|salar\w+|results?|statements?|accounts?|budget)\b)",
        ),
        (
            "prep_mon",
            rf"\b(?P<prep>in|since|by|during|until|from|for|early|late|mid-?|through|"
            rf"before|after|of)\s+{_MON}\b(?!\s+\d)(?!,?\s+(?:of\s+)?(?:this|last|next)\s+year)",
        ),
    )
]
# A bare month name opening a sentence or clause ("November was ...") is too often a false
# friend ("May"), so a yearless month is only taken after a preposition or a relative word.


# Every pattern of PATTERNS holds a digit or one of these words: a sentence with none of them (most
# sentences) is passed over with one scan instead of one per pattern.
ANY_DATE_WORD = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|"
    r"year|month|week|day|ago|yesterday|today|quarter|half|spring|summer|autumn|fall|winter)",
    re.I,
)
