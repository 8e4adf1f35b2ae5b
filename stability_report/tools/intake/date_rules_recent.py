"""How the date expressions of the recent past or near future resolve: months ("last month",
"in October", "its August bill", "June 4"), weeks ("last week", "three weeks ago"), days
("two days ago", "yesterday") and weekdays ("on Friday", "late Tuesday", "next Monday"), each
against the publication interval (or a date named earlier in the sentence), one small rule per
pattern of dates.PATTERNS. The rules of explicit dates, years, quarters and seasons, the
resolution context and the reason no date-parsing library does this are intake.date_rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from .date_rules import REL_OFFSET, Context, Resolution, count_of, month_number, safe_date
from .dates import (
    WEEKDAYS,
    Interval,
    at_both_ends,
    day_interval,
    iso_week,
    month_interval,
    pub_label,
    shift_month,
    yearless_month,
)

# ---------------------------------------------------------------------------------------------
# months relative to publication (or to a date named earlier in the sentence)


def _month_of_relative_year(g: dict, said: str, ctx: Context) -> Resolution:
    """'October of last year'."""
    off = REL_OFFSET[g["rel"].lower()]
    mon = month_number(g["mon"])
    iv = at_both_ends(ctx.base(), lambda d: month_interval(d.year + off, mon))
    return iv, f"'{said}' resolved against {ctx.base_words()}"


def _relative_month_name(g: dict, said: str, ctx: Context) -> Resolution:
    """'last October': the most recent October before; 'next May': the first after."""
    mon = month_number(g["mon"])
    rel = g["rel"].lower()

    def one(d: date) -> Interval:
        if rel in ("last", "past"):
            year = d.year if mon < d.month else d.year - 1
        elif rel == "next":
            year = d.year if mon > d.month else d.year + 1
        else:
            year = d.year
        return month_interval(year, mon)

    return at_both_ends(ctx.base(), one), f"'{said}' resolved against {ctx.base_words()}"


def _part_of_month(g: dict, said: str, ctx: Context) -> Resolution:
    """'earlier this month' (up to publication), 'later this month'."""
    pub = ctx.published
    if g["part"].lower() in ("earlier", "early"):
        iv = at_both_ends(pub, lambda d: Interval(d.replace(day=1), d, "range"))
    else:
        iv = at_both_ends(pub, lambda d: month_interval(d.year, d.month))
    return iv, f"'{said}': the month of publication ({pub_label(pub)}), up to publication"


def _months_from_publication(off: int, said: str, pub: tuple[date, date]) -> Resolution:
    iv = at_both_ends(pub, lambda d: month_interval(*shift_month(d, off)))
    return iv, f"'{said}' resolved against the publication date ({pub_label(pub)})"


def _relative_month(g: dict, said: str, ctx: Context) -> Resolution:
    return _months_from_publication(REL_OFFSET[g["rel"].lower()], said, ctx.published)


def _months_ago(g: dict, said: str, ctx: Context) -> Resolution:
    return _months_from_publication(-count_of(g["n"]), said, ctx.published)


def _yearless_month(g: dict, said: str, ctx: Context) -> tuple[int, Interval, str]:
    """A month named without a year: the nearest such month before the base (after it in a
    clause about the future), with its note."""
    mon = month_number(g["mon"])
    way = (
        "the next such month on or after"
        if ctx.future
        else "the most recent such month on or before"
    )
    return (
        mon,
        yearless_month(mon, ctx.base(), ctx.future),
        f"'{said}' has no year: {way} {ctx.base_words()}",
    )


def _month_day(g: dict, said: str, ctx: Context) -> Resolution:
    """'June 4', '4 June': the day of the yearless month."""
    mon, iv_month, note = _yearless_month(g, said, ctx)
    day = int(g["day"])
    if iv_month.precision == "month":
        d = safe_date(iv_month.start.year, mon, day)
        return (day_interval(d) if d else None), note
    a = safe_date(iv_month.start.year, mon, day)
    b = safe_date(iv_month.end.year, mon, day)
    if a and b:
        return Interval(a, b, "range"), note
    return None, "not a calendar date"


def _month_after_anchor(mon: int, ctx: Context) -> Interval | None:
    """One of a list of like things dated by month ("its July 2023 bills ... its August bill"):
    a later month of the year named before, unless after publication."""
    if not ctx.anchor or ctx.future or ctx.anchor[0].year != ctx.anchor[1].year:
        return None
    same = month_interval(ctx.anchor[0].year, mon)
    return same if same.start > ctx.anchor[1] and same.end <= ctx.published[1] else None


def _determined_month(g: dict, said: str, ctx: Context) -> Resolution:
    """'its August bill', 'a July AWS bill'."""
    mon, iv_month, note = _yearless_month(g, said, ctx)
    same = _month_after_anchor(mon, ctx)
    if same:
        return same, (
            f"'{said}' has no year: the year of {ctx.base_words()}, the month coming after it "
            "in the same year"
        )
    return iv_month, note


def _prep_month(g: dict, said: str, ctx: Context) -> Resolution:
    """'in October', 'since March', 'late June'; not 'by May' ('may' the verb)."""
    if g["mon"].lower() == "may" and g["prep"].lower() in ("by", "from", "of"):
        return None, ""
    _, iv_month, note = _yearless_month(g, said, ctx)
    prep = g["prep"].lower().rstrip("-")
    if prep in ("early", "late", "mid"):
        note += "; the text gives no finer date than the month"
    if prep == "since":
        return (
            Interval(iv_month.start, ctx.published[1], "range"),
            note + "; 'since': from then to the latest publication date",
        )
    return iv_month, note


# ---------------------------------------------------------------------------------------------
# weeks and days relative to publication


def _part_of_week(g: dict, said: str, ctx: Context) -> Resolution:
    pub = ctx.published
    iv = at_both_ends(pub, lambda d: Interval(iso_week(d).start, d, "range"))
    return iv, (
        f"'{said}': the calendar week (Monday to Sunday) of publication "
        f"({pub_label(pub)}), up to publication"
    )


def _weeks_from_publication(off: int, said: str, pub: tuple[date, date]) -> Resolution:
    iv = at_both_ends(pub, lambda d: iso_week(d + timedelta(weeks=off)))
    way = "of" if off == 0 else ("before" if off < 0 else "after")
    back = f", {-off} weeks back" if off < -1 else ""
    return iv, (
        f"'{said}': the calendar week (Monday to Sunday) {way} the week of "
        f"publication ({pub_label(pub)})" + back
    )


def _relative_week(g: dict, said: str, ctx: Context) -> Resolution:
    return _weeks_from_publication(REL_OFFSET[g["rel"].lower()], said, ctx.published)


def _weeks_ago(g: dict, said: str, ctx: Context) -> Resolution:
    return _weeks_from_publication(-count_of(g["n"]), said, ctx.published)


def _days_ago(g: dict, said: str, ctx: Context) -> Resolution:
    pub = ctx.published
    n = count_of(g["n"])
    iv = at_both_ends(pub, lambda d: day_interval(d - timedelta(days=n)))
    return iv, f"'{said}' counted back from the publication date ({pub_label(pub)})"


def _yesterday(g: dict, said: str, ctx: Context) -> Resolution:
    pub = ctx.published
    back = 1 if g["w"].lower() == "yesterday" else 0
    iv = at_both_ends(pub, lambda d: day_interval(d - timedelta(days=back)))
    return iv, f"'{said}' counted from the publication date ({pub_label(pub)})"


def _nearest_weekday(d: date, weekday: int, ahead: bool, strictly: bool) -> Interval:
    """The day of that weekday nearest `d`: on or before it (strictly before for 'last'), or
    on or after it (strictly after for 'next')."""
    if ahead:
        step = (weekday - d.weekday()) % 7
        return day_interval(d + timedelta(days=step or (7 if strictly else 0)))
    back = (d.weekday() - weekday) % 7
    return day_interval(d - timedelta(days=back or (7 if strictly else 0)))


def _weekday(g: dict, said: str, ctx: Context) -> Resolution:
    """'on Wednesday', 'late Friday', 'last Friday', 'Tuesday'; not a bare lower-case weekday."""
    rel = (g.get("rel") or "").lower()
    if (
        not g["wd"][0].isupper()
        and not (rel or g.get("part"))
        and not re.match(r"on\s", said, re.I)
    ):
        return None, ""
    weekday = WEEKDAYS.index(g["wd"].lower())
    ahead = rel == "next" or (rel not in ("last", "past") and ctx.future)
    strictly = rel in ("last", "past", "next")
    iv = at_both_ends(ctx.published, lambda d: _nearest_weekday(d, weekday, ahead, strictly))
    if ahead and strictly:
        way = "the next such day after"
    elif ahead:
        way = "the first such day on or after"
    else:
        way = f"the most recent such day {'before' if strictly else 'on or before'}"
    note = f"'{said}': {way} the publication date ({pub_label(ctx.published)})"
    if iv.precision == "range":
        note += "; the publication is dated to a range, so the day is any such day in it"
    return iv, note


# The rules of this module, by pattern name of dates.PATTERNS.
RULES: dict[str, Callable[[dict, str, Context], Resolution]] = {
    "mon_rel_year": _month_of_relative_year,
    "rel_mon": _relative_month_name,
    "part_month": _part_of_month,
    "rel_month": _relative_month,
    "months_ago": _months_ago,
    "part_week": _part_of_week,
    "rel_week": _relative_week,
    "weeks_ago": _weeks_ago,
    "days_ago": _days_ago,
    "yesterday": _yesterday,
    "weekday": _weekday,
    "md": _month_day,
    "dm": _month_day,
    "det_mon": _determined_month,
    "prep_mon": _prep_month,
}
