"""How date expressions resolve to intervals: the resolution context, and one small rule per
pattern of dates.PATTERNS for explicit dates ("June 04, 2024", "Q3 2023", "late 2022"), years
relative to publication ("last year", "late last year", "two years ago"), quarters and seasons.
The rules of months, weeks, days and weekdays are intake.date_rules_recent; intake.dating finds
the expressions and applies the rules.

Each rule gives the interval (or None when the text gives no bound that can be stated) and the
note saying how it was resolved (empty when the text states the date outright). Relative dates
are resolved against the publication interval at both of its ends (their union when the two
readings differ), or against an explicit date named earlier in the same sentence
(`Context.anchor`).

A maintained parser (dateparser) was tried for these and not kept: it reads a subset ("June 04,
2024", "last month", "two days ago") that is a line of date arithmetic each here, returns one
datetime rather than an interval with its precision, reads "Friday" in an article published on a
Friday as the Friday before (the rule here: the most recent such day on or before publication),
and reads none of "late last year", "last October", "the third quarter", "this summer", "the
second half of 2023", "since last year", "the past 12 months" or "its August bill".
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .dates import (
    MONTHS,
    NUMBER_WORDS,
    ORDINAL_QUARTERS,
    SEASONS,
    Interval,
    at_both_ends,
    day_interval,
    month_interval,
    months_span,
    pub_label,
    quarter_interval,
    shift_month,
    year_interval,
)

Resolution = tuple[Interval | None, str]  # the interval (None: no statable bound) and the note


@dataclass(frozen=True)
class Context:
    """What a date expression is resolved against."""

    published: tuple[date, date]
    anchor: tuple[date, date] | None = None  # an explicit date named earlier in the sentence
    anchor_text: str = ""
    future: bool = False

    def base(self) -> tuple[date, date]:
        return self.anchor or self.published

    def base_words(self) -> str:
        if self.anchor:
            return f"'{self.anchor_text}' (named earlier in the sentence)"
        return f"the publication date ({pub_label(self.published)})"


REL_OFFSET = {"last": -1, "previous": -1, "this": 0, "next": 1}
_YEAR_ONLY = ("mid", "around", "the start of", "the end of", "at the start of", "at the end of")
_UP_TO = ("by", "before", "until", "till")


def month_number(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def count_of(text: str) -> int:
    return int(text) if text.isdigit() else NUMBER_WORDS[text.lower()]


def safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _half_words(half: int) -> str:
    return "first" if half == 1 else "second"


# ---------------------------------------------------------------------------------------------
# explicit dates: the text names the year


def _calendar_day(y: int, m: int, d: int) -> Resolution:
    day = safe_date(y, m, d)
    return (day_interval(day), "") if day else (None, "not a calendar date")


def _iso(g: dict, said: str, ctx: Context) -> Resolution:
    return _calendar_day(int(g["y"]), int(g["m"]), int(g["d"]))


def _day_month_year(g: dict, said: str, ctx: Context) -> Resolution:
    return _calendar_day(int(g["year"]), month_number(g["mon"]), int(g["day"]))


def _month_year(g: dict, said: str, ctx: Context) -> Resolution:
    return month_interval(int(g["year"]), month_number(g["mon"])), ""


def _month_span_year(g: dict, said: str, ctx: Context) -> Resolution:
    year, first, last = int(g["year"]), month_number(g["mon1"]), month_number(g["mon2"])
    if last < first:
        return None, f"'{said}': the second month comes before the first"
    a, b = month_interval(year, first), month_interval(year, last)
    return Interval(a.start, b.end, "range"), f"'{said}': the months of one span"


def _quarter_year(g: dict, said: str, ctx: Context) -> Resolution:
    q = int(g["q"]) if g.get("q") else ORDINAL_QUARTERS[g["ord"].lower()]
    return quarter_interval(int(g["year"]), q), ""


def _half_year(g: dict, said: str, ctx: Context) -> Resolution:
    half = int(g["h"]) if g.get("h") else (1 if g["half"].lower() == "first" else 2)
    return months_span(int(g["year"]), 1 + 6 * (half - 1), 6), ""


def _year_note(prep: str, said: str) -> str:
    """What a preposition before a year says about the date within it."""
    if prep in _YEAR_ONLY:
        return f"'{said}': the text gives no finer date than the year"
    if prep in _UP_TO:
        return f"'{said}': on or before this year, the text gives no start"
    if "fiscal" in said.lower():
        return "a fiscal year: the text does not say whether it is the calendar year"
    return ""


def _prep_year(g: dict, said: str, ctx: Context) -> Resolution:
    """'in 2023', 'since 2022', 'late 2022', 'by fiscal 2024'."""
    year = int(g["year"])
    prep = g["prep"].lower().rstrip("-")
    if prep == "since":
        last = ctx.published[1]
        return (
            Interval(date(year, 1, 1), last, "range"),
            f"'{said}': from the start of {year} to the latest publication date {last.isoformat()}",
        )
    if prep in ("early", "late"):
        half = 1 if prep == "early" else 2
        return (
            months_span(year, 1 + 6 * (half - 1), 6),
            f"'{said}' read as the {_half_words(half)} half of {year}",
        )
    return year_interval(year), _year_note(prep, said)


def _year_adjective(g: dict, said: str, ctx: Context) -> Resolution:
    return year_interval(int(g["year"])), ""


# ---------------------------------------------------------------------------------------------
# years relative to publication


def _since_relative_year(g: dict, said: str, ctx: Context) -> Resolution:
    pub = ctx.published
    off = -1 if g["rel"].lower() == "last" else 0
    iv = at_both_ends(pub, lambda d: Interval(date(d.year + off, 1, 1), pub[1], "range"))
    return iv, (
        f"'{said}': from the start of that year, resolved against the publication "
        f"date ({pub_label(pub)}), to the latest publication date"
    )


def _whole_year(rel: str, said: str, pub: tuple[date, date], more: str = "") -> Resolution:
    off = REL_OFFSET[rel]
    iv = at_both_ends(pub, lambda d: year_interval(d.year + off))
    return iv, f"'{said}' resolved against the publication date ({pub_label(pub)})" + more


def _relative_year(g: dict, said: str, ctx: Context) -> Resolution:
    """'last year', 'this year', 'next year'."""
    return _whole_year(g["rel"].lower(), said, ctx.published)


def _half_of_relative_year(part: str, rel: str, said: str, ctx: Context) -> Resolution:
    """'late last year': the second half of the year before publication; 'early this year' in
    a past clause: the first half of the year of publication, up to publication."""
    pub = ctx.published
    half = 1 if part == "early" else 2
    off = REL_OFFSET[rel]
    so_far = rel == "this" and not ctx.future  # a past event of this year: not after publication

    def one(d: date) -> Interval:
        iv = months_span(d.year + off, 1 + 6 * (half - 1), 6)
        if so_far:
            return Interval(iv.start, min(iv.end, max(d, iv.start)), "range")
        return iv

    note = (
        f"'{said}' read as the {_half_words(half)} half of "
        f"{'the year before' if off < 0 else 'the year of'} publication ({pub_label(pub)})"
    )
    return at_both_ends(pub, one), note + (", up to publication" if so_far else "")


def _part_of_year(g: dict, said: str, ctx: Context) -> Resolution:
    """'late last year', 'later this year', 'earlier this year', 'mid-last year'."""
    pub = ctx.published
    rel, part = g["rel"].lower(), g["part"].lower()
    if part in ("early", "late"):
        return _half_of_relative_year(part, rel, said, ctx)
    if part == "later" and rel == "this":
        iv = at_both_ends(pub, lambda d: Interval(d, date(d.year, 12, 31), "range"))
        return iv, f"'{said}': from publication ({pub_label(pub)}) to the end of that year"
    if part == "earlier" and rel == "this":
        iv = at_both_ends(pub, lambda d: Interval(date(d.year, 1, 1), d, "range"))
        return iv, (
            f"'{said}': from 1 January of the year of publication to publication ({pub_label(pub)})"
        )
    return _whole_year(rel, said, pub, "; the text gives no finer date than the year")


def _years_ago(g: dict, said: str, ctx: Context) -> Resolution:
    pub = ctx.published
    n = count_of(g["n"])
    iv = at_both_ends(pub, lambda d: year_interval(d.year - n))
    return iv, f"'{said}' read as the calendar year {n} before publication ({pub_label(pub)})"


def _past_years(g: dict, said: str, ctx: Context) -> Resolution:
    """'the past 12 months', 'the last two years': from as far back to publication."""
    pub = ctx.published
    n = count_of(g.get("n") or g.get("n2") or "1")
    unit = g["unit"].lower()
    months = 12 * n if unit.startswith("year") else n
    y, mth = shift_month(pub[0], -months)
    start = safe_date(y, mth, min(pub[0].day, calendar.monthrange(y, mth)[1]))
    return (
        Interval(start, pub[1], "range"),
        f"'{said}': the {n} {unit.rstrip('s')}(s) before publication ({pub_label(pub)})",
    )


# ---------------------------------------------------------------------------------------------
# quarters and seasons without a year


def _quarter(g: dict, said: str, ctx: Context) -> Resolution:
    """'the third quarter of last year'; 'the third quarter': the most recent such quarter (the
    next one in a clause about the future)."""
    q = ORDINAL_QUARTERS[g["ord"].lower()]
    rel = (g.get("rel") or "").lower()
    if rel:
        off = REL_OFFSET[rel]
        iv = at_both_ends(ctx.base(), lambda d: quarter_interval(d.year + off, q))
        return iv, f"'{said}' resolved against {ctx.base_words()}"

    def one(d: date) -> Interval:
        here = (d.month - 1) // 3 + 1
        if ctx.future:
            return quarter_interval(d.year if q >= here else d.year + 1, q)
        return quarter_interval(d.year if q <= here else d.year - 1, q)

    way = (
        "the next such quarter on or after"
        if ctx.future
        else "the most recent such quarter on or before"
    )
    return at_both_ends(ctx.base(), one), f"'{said}' has no year: {way} {ctx.base_words()}"


def _season_of(d: date, first: int, count: int, rel: str) -> Interval:
    """The season starting in month `first` nearest `d`: 'last' the most recent one ended before
    it, 'next' the first one starting after it, 'this' the one of its year."""
    year = d.year
    start = date(year, first, 1)
    if rel in ("last", "past"):
        while start > d or months_span(start.year, first, count).end >= d:
            year -= 1
            start = date(year, first, 1)
    elif rel == "next":
        while start <= d:
            year += 1
            start = date(year, first, 1)
    return months_span(year, first, count)


def _season(g: dict, said: str, ctx: Context) -> Resolution:
    first, count = SEASONS[g["season"].lower()]
    rel = g["rel"].lower()
    iv = at_both_ends(ctx.base(), lambda d: _season_of(d, first, count, rel))
    return iv, (
        f"'{said}' read as the meteorological season (northern hemisphere), "
        f"resolved against {ctx.base_words()}"
    )


# One rule per pattern name of dates.PATTERNS.
# The rules of explicit dates, years, quarters and seasons, by pattern name of dates.PATTERNS.
RULES: dict[str, Callable[[dict, str, Context], Resolution]] = {
    "iso": _iso,
    "mdy": _day_month_year,
    "dmy": _day_month_year,
    "mon_span_year": _month_span_year,
    "my": _month_year,
    "qy": _quarter_year,
    "hy": _half_year,
    "since_rel": _since_relative_year,
    "part_year": _part_of_year,
    "rel_year": _relative_year,
    "years_ago": _years_ago,
    "past_years": _past_years,
    "quarter": _quarter,
    "season": _season,
    "prep_year": _prep_year,
    "year_adj": _year_adjective,
}
