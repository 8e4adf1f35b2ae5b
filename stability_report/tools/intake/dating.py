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

Nothing here reads the clock or guesses a year the text and the publication dates do not give.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .dates import (
    ANY_DATE_WORD,
    FUTURE,
    MONTHS,
    NUMBER_WORDS,
    ORDINAL_QUARTERS,
    PATTERNS,
    SEASONS,
    WEEKDAYS,
    Interval,
    at_both_ends,
    day_interval,
    iso_week,
    month_interval,
    months_span,
    pub_label,
    quarter_interval,
    shift_month,
    year_interval,
    yearless_month,
)


@dataclass(frozen=True)
class DateMention:
    """One date expression: where it is in the text, what it says, what it resolves to."""

    start: int
    end: int
    text: str
    interval: Interval | None  # None when the text gives no bound that can be stated
    note: str  # how it was resolved; empty when the text states the date outright
    explicit: bool  # the text names the year itself


def _month(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def _num(text: str) -> int:
    return int(text) if text.isdigit() else NUMBER_WORDS[text.lower()]


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


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


def _resolve(name: str, m: re.Match, ctx: Context) -> tuple[Interval | None, str, bool]:
    """Interval, note and whether the year is explicit, for one match of pattern `name`."""
    g = m.groupdict()
    pub = ctx.published
    said = m.group(0)
    if name == "iso":
        d = _safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
        return (day_interval(d) if d else None), ("" if d else "not a calendar date"), True
    if name in ("mdy", "dmy"):
        d = _safe_date(int(g["year"]), _month(g["mon"]), int(g["day"]))
        return (day_interval(d) if d else None), ("" if d else "not a calendar date"), True
    if name == "my":
        return month_interval(int(g["year"]), _month(g["mon"])), "", True
    if name == "mon_span_year":
        year, first, last = int(g["year"]), _month(g["mon1"]), _month(g["mon2"])
        if last < first:
            return None, f"'{said}': the second month comes before the first", True
        a, b = month_interval(year, first), month_interval(year, last)
        return Interval(a.start, b.end, "range"), f"'{said}': the months of one span", True
    if name == "qy":
        q = int(g["q"]) if g.get("q") else ORDINAL_QUARTERS[g["ord"].lower()]
        return quarter_interval(int(g["year"]), q), "", True
    if name == "hy":
        half = int(g["h"]) if g.get("h") else (1 if g["half"].lower() == "first" else 2)
        return months_span(int(g["year"]), 1 + 6 * (half - 1), 6), "", True
    if name == "prep_year":
        year = int(g["year"])
        prep = g["prep"].lower().rstrip("-")
        note = ""
        if "fiscal" in said.lower():
            note = "a fiscal year: the text does not say whether it is the calendar year"
        if prep == "since":
            return (
                Interval(date(year, 1, 1), pub[1], "range"),
                f"'{said}': from the start of {year} to the latest publication date "
                f"{pub[1].isoformat()}",
                True,
            )
        if prep in ("early", "late"):
            half = 1 if prep == "early" else 2
            return (
                months_span(year, 1 + 6 * (half - 1), 6),
                f"'{said}' read as the {'first' if half == 1 else 'second'} half of {year}",
                True,
            )
        if prep in (
            "mid",
            "around",
            "the start of",
            "the end of",
            "at the start of",
            "at the end of",
        ):
            note = f"'{said}': the text gives no finer date than the year"
        if prep in ("by", "before", "until", "till"):
            note = f"'{said}': on or before this year, the text gives no start"
        return year_interval(year), note, True
    if name == "year_adj":
        return year_interval(int(g["year"])), "", True

    base_words = ctx.base_words()
    if name == "since_rel":
        off = -1 if g["rel"].lower() == "last" else 0
        iv = at_both_ends(pub, lambda d: Interval(date(d.year + off, 1, 1), pub[1], "range"))
        return (
            iv,
            (
                f"'{said}': from the start of that year, resolved against the publication "
                f"date ({pub_label(pub)}), to the latest publication date"
            ),
            False,
        )
    if name in ("rel_year", "part_year"):
        rel = g["rel"].lower()
        off = {"last": -1, "previous": -1, "this": 0, "next": 1}[rel]
        part = g["part"].lower() if name == "part_year" else ""
        if part in ("early", "late"):
            half = 1 if part == "early" else 2
            past = rel == "last" or not ctx.future

            def one(d: date) -> Interval:
                iv = months_span(d.year + off, 1 + 6 * (half - 1), 6)
                if rel == "this" and past:  # a past event of this year: not after publication
                    return Interval(iv.start, min(iv.end, max(d, iv.start)), "range")
                return iv

            iv = at_both_ends(pub, one)
            note = (
                f"'{said}' read as the {'first' if half == 1 else 'second'} half of "
                f"{'the year before' if off < 0 else 'the year of'} publication "
                f"({pub_label(pub)})"
            )
            if rel == "this" and past:
                note += ", up to publication"
            return iv, note, False
        if part == "later" and rel == "this":
            iv = at_both_ends(pub, lambda d: Interval(d, date(d.year, 12, 31), "range"))
            return (
                iv,
                f"'{said}': from publication ({pub_label(pub)}) to the end of that year",
                False,
            )
        if name == "part_year" and g["part"].lower() == "earlier" and rel == "this":
            iv = at_both_ends(pub, lambda d: Interval(date(d.year, 1, 1), d, "range"))
            return (
                iv,
                (
                    f"'{said}': from 1 January of the year of publication to publication "
                    f"({pub_label(pub)})"
                ),
                False,
            )
        iv = at_both_ends(pub, lambda d: year_interval(d.year + off))
        note = f"'{said}' resolved against the publication date ({pub_label(pub)})"
        if name == "part_year":
            note += "; the text gives no finer date than the year"
        return iv, note, False
    if name == "years_ago":
        n = _num(g["n"])
        iv = at_both_ends(pub, lambda d: year_interval(d.year - n))
        return (
            iv,
            f"'{said}' read as the calendar year {n} before publication ({pub_label(pub)})",
            False,
        )
    if name == "past_years":
        n = _num(g.get("n") or g.get("n2") or "1")
        unit = g["unit"].lower()
        months = 12 * n if unit.startswith("year") else n
        y, mth = shift_month(pub[0], -months)
        start = _safe_date(y, mth, min(pub[0].day, calendar.monthrange(y, mth)[1]))
        return (
            Interval(start, pub[1], "range"),
            f"'{said}': the {n} {unit.rstrip('s')}(s) before publication ({pub_label(pub)})",
            False,
        )
    if name == "mon_rel_year":
        off = {"last": -1, "this": 0, "next": 1}[g["rel"].lower()]
        mon = _month(g["mon"])
        iv = at_both_ends(ctx.base(), lambda d: month_interval(d.year + off, mon))
        return iv, f"'{said}' resolved against {base_words}", False
    if name == "rel_mon":
        mon = _month(g["mon"])
        rel = g["rel"].lower()

        def one(d: date) -> Interval:
            if rel in ("last", "past"):
                year = d.year if mon < d.month else d.year - 1
            elif rel == "next":
                year = d.year if mon > d.month else d.year + 1
            else:
                year = d.year
            return month_interval(year, mon)

        return at_both_ends(ctx.base(), one), f"'{said}' resolved against {base_words}", False
    if name in ("rel_month", "part_month", "months_ago"):
        if name == "part_month":
            part = g["part"].lower()
            if part in ("earlier", "early"):
                iv = at_both_ends(pub, lambda d: Interval(d.replace(day=1), d, "range"))
            else:
                iv = at_both_ends(pub, lambda d: month_interval(d.year, d.month))
            return (
                iv,
                f"'{said}': the month of publication ({pub_label(pub)}), up to publication",
                False,
            )
        if name == "months_ago":
            off = -_num(g["n"])
        else:
            off = {"last": -1, "previous": -1, "this": 0, "next": 1}[g["rel"].lower()]
        iv = at_both_ends(pub, lambda d: month_interval(*shift_month(d, off)))
        return (
            iv,
            f"'{said}' resolved against the publication date ({pub_label(pub)})",
            False,
        )
    if name in ("rel_week", "part_week", "weeks_ago"):
        if name == "part_week":
            iv = at_both_ends(pub, lambda d: Interval(iso_week(d).start, d, "range"))
            return (
                iv,
                f"'{said}': the calendar week (Monday to Sunday) of publication "
                f"({pub_label(pub)}), up to publication",
                False,
            )
        if name == "weeks_ago":
            off = -_num(g["n"])
        else:
            off = {"last": -1, "previous": -1, "this": 0, "next": 1}[g["rel"].lower()]
        iv = at_both_ends(pub, lambda d: iso_week(d + timedelta(weeks=off)))
        return (
            iv,
            (
                f"'{said}': the calendar week (Monday to Sunday) "
                f"{'of' if off == 0 else ('before' if off < 0 else 'after')} the week of "
                f"publication ({pub_label(pub)})" + (f", {-off} weeks back" if off < -1 else "")
            ),
            False,
        )
    if name == "days_ago":
        n = _num(g["n"])
        iv = at_both_ends(pub, lambda d: day_interval(d - timedelta(days=n)))
        return (
            iv,
            f"'{said}' counted back from the publication date ({pub_label(pub)})",
            False,
        )
    if name == "yesterday":
        back = 1 if g["w"].lower() == "yesterday" else 0
        iv = at_both_ends(pub, lambda d: day_interval(d - timedelta(days=back)))
        return iv, f"'{said}' counted from the publication date ({pub_label(pub)})", False
    if name == "weekday":
        if (
            not g["wd"][0].isupper()
            and not (g.get("rel") or g.get("part"))
            and not re.match(r"on\s", said, re.I)
        ):
            return None, "", False  # a bare weekday is taken only when written with a capital
        wd = WEEKDAYS.index(g["wd"].lower())
        rel = (g.get("rel") or "").lower()
        ahead = rel == "next" or (rel != "last" and rel != "past" and ctx.future)
        strictly = rel in ("last", "past", "next")

        def one(d: date) -> Interval:
            if ahead:
                step = (wd - d.weekday()) % 7
                if strictly and step == 0:
                    step = 7
                return day_interval(d + timedelta(days=step))
            back = (d.weekday() - wd) % 7
            if strictly and back == 0:
                back = 7
            return day_interval(d - timedelta(days=back))

        iv = at_both_ends(pub, one)
        way = (
            f"the {'next' if strictly else 'first'} such day "
            f"{'after' if strictly else 'on or after'}"
            if ahead
            else f"the most recent such day {'before' if strictly else 'on or before'}"
        )
        note = f"'{said}': {way} the publication date ({pub_label(pub)})"
        if iv.precision == "range":
            note += "; the publication is dated to a range, so the day is any such day in it"
        return iv, note, False
    if name == "quarter":
        q = ORDINAL_QUARTERS[g["ord"].lower()]
        rel = (g.get("rel") or "").lower()
        if rel:
            off = {"last": -1, "this": 0, "next": 1}[rel]
            iv = at_both_ends(ctx.base(), lambda d: quarter_interval(d.year + off, q))
            return iv, f"'{said}' resolved against {base_words}", False

        def one(d: date) -> Interval:
            here = (d.month - 1) // 3 + 1
            if ctx.future:
                return quarter_interval(d.year if q >= here else d.year + 1, q)
            return quarter_interval(d.year if q <= here else d.year - 1, q)

        iv = at_both_ends(ctx.base(), one)
        way = (
            "the next such quarter on or after"
            if ctx.future
            else "the most recent such quarter on or before"
        )
        return iv, f"'{said}' has no year: {way} {base_words}", False
    if name == "season":
        first, count = SEASONS[g["season"].lower()]
        rel = g["rel"].lower()

        def one(d: date) -> Interval:
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

        iv = at_both_ends(ctx.base(), one)
        return (
            iv,
            (
                f"'{said}' read as the meteorological season (northern hemisphere), "
                f"resolved against {base_words}"
            ),
            False,
        )
    if name in ("md", "dm", "prep_mon", "det_mon"):
        mon = _month(g["mon"])
        if (
            name == "prep_mon"
            and g["mon"].lower() == "may"
            and g["prep"].lower() in ("by", "from", "of")
        ):
            return None, "", False
        iv_month = yearless_month(mon, ctx.base(), ctx.future)
        way = (
            "the next such month on or after"
            if ctx.future
            else "the most recent such month on or before"
        )
        note = f"'{said}' has no year: {way} {base_words}"
        if (
            name == "det_mon"
            and ctx.anchor
            and not ctx.future
            and ctx.anchor[0].year == ctx.anchor[1].year
        ):
            # one of a list of like things dated by month ("its July 2023 bills ... its August
            # bill"): a later month of the year named before, unless after publication
            same = month_interval(ctx.anchor[0].year, mon)
            if same.start > ctx.anchor[1] and same.end <= pub[1]:
                iv_month = same
                note = (
                    f"'{said}' has no year: the year of {base_words}, the month coming after "
                    "it in the same year"
                )
        if name in ("md", "dm"):
            day = int(g["day"])
            if iv_month.precision == "month":
                d = _safe_date(iv_month.start.year, mon, day)
                return (day_interval(d) if d else None), note, False
            a = _safe_date(iv_month.start.year, mon, day)
            b = _safe_date(iv_month.end.year, mon, day)
            if a and b:
                return Interval(a, b, "range"), note, False
            return None, "not a calendar date", False
        if name == "det_mon":
            return iv_month, note, False
        prep = g["prep"].lower().rstrip("-")
        if prep in ("early", "late", "mid"):
            note += "; the text gives no finer date than the month"
        if prep == "since":
            return (
                Interval(iv_month.start, pub[1], "range"),
                note + "; 'since': from then to the latest publication date",
                False,
            )
        return iv_month, note, False
    raise AssertionError(name)  # every pattern is handled above


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
        interval, note, explicit = _resolve(name, m, ctx)
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
            iv, _, _ = _resolve(name, m, Context((date.min, date.min)))
            if iv is not None:
                out.append((m.start(), m.end(), iv.start))
    return sorted(out)
