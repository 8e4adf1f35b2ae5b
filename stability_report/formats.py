"""The one home of formatting: money, shares, counts, dates, intervals, periods, publication
windows, bounds and amounts, and a source's date words after a sentence's own preposition, as
the report writes them; with the standard library only.

Every room uses it: the analysis for its labels and notes, the chapters' prose and tables, the
figures, and the render process, which writes the evidence appendix, the title page and the
brief without importing pandas (it is on the benchmark's critical path). It imports nothing from
the package. Dates may be datetime.date, datetime or pandas.Timestamp (a datetime), or ISO text;
None, NaN and NaT are missing.

Where the report writes one thing in two styles, both are here, named for where they are used:
a date interval in prose (`interval`: "November 2023", "1 Feb – 4 Jun 2024"; `within`, with the
preposition a sentence needs before it: "in November 2023", "between 18 and 24 March 2024") and
in a table cell (`when`: "Nov 2023", "Jul 2023 to Dec 2024"); a period with its precision in the
evidence appendix (`period`); a publication window in sentences (`publication`) and in a
figure's source line (`publication_short`).
"""

from __future__ import annotations

import math
from datetime import date, datetime

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_LONG = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
PRECISION_WORDS = {
    "day": "day",
    "month": "month",
    "quarter": "quarter",
    "year": "year",
    "range": "bounds only",
}
BOUND_WORDS = {
    "exact": "",
    "approx": "about ",
    "more_than": "more than ",
    "less_than": "less than ",
    "at_least": "at least ",
    "unknown": "",
}
BOUND_SIGNS = {"less_than": "< ", "more_than": "> ", "at_least": "≥ ", "approx": "~"}
# What a qualified figure is, in a phrase ("the cash (an upper bound)").
BOUND_PHRASES = {
    "less_than": "an upper bound",
    "more_than": "a lower bound",
    "at_least": "a lower bound",
    "approx": "approximate",
}
UNIT_SUFFIX = {"USD": "", "USD_per_month": " a month", "USD_per_year": " a year"}
SMALL_NUMBERS = (
    "no",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
)


def missing(x: object) -> bool:
    """None, NaN or NaT (each unequal to itself)."""
    return x is None or x != x


def as_date(x: object) -> date:
    """A date from a datetime.date, a datetime (pandas.Timestamp is one) or ISO text."""
    if isinstance(x, str):
        return date.fromisoformat(x[:10])
    if isinstance(x, datetime):
        return x.date()
    if isinstance(x, date):
        return x
    raise TypeError(f"not a date: {x!r}")


def parse_date(text: str | None) -> date | None:
    """An ISO date (YYYY-MM-DD) or None for an empty cell."""
    text = (text or "").strip()
    return date.fromisoformat(text) if text else None


def _last_day(d: date) -> int:
    nxt = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return (nxt - date(d.year, d.month, 1)).days


def day(d: date, long: bool = False) -> str:
    """4 Jun 2024 (long: 4 June 2024)."""
    return f"{d.day} {(MONTHS_LONG if long else MONTHS)[d.month - 1]} {d.year}"


def month_name(d: object) -> str:
    """October 2023."""
    d = as_date(d)
    return f"{MONTHS_LONG[d.month - 1]} {d.year}"


def day_name(d: object) -> str:
    """4 June 2024."""
    return day(as_date(d), long=True)


def long_date(iso: str) -> str:
    """An ISO date as the title page writes it: '4 June 2024'."""
    return day(date.fromisoformat(iso), long=True)


def month(d: date) -> str:
    """Oct 2023."""
    return f"{MONTHS[d.month - 1]} {d.year}"


def span(start: date, end: date, long: bool = False) -> str:
    """An interval between two dates, as short as it reads unambiguously: whole months as
    months ('Jul 2023 – Dec 2024', 'Jan – Jun 2024'), other bounds as days ('21 Jan – 2 Jun
    2024')."""
    names = MONTHS_LONG if long else MONTHS
    if start == end:
        return day(start, long)
    if start.day == 1 and end.day == _last_day(end):
        if (start.year, start.month) == (end.year, end.month):
            return f"{names[start.month - 1]} {start.year}"
        if start.year == end.year:
            return f"{names[start.month - 1]} – {names[end.month - 1]} {end.year}"
        return f"{names[start.month - 1]} {start.year} – {names[end.month - 1]} {end.year}"
    if start.year == end.year:
        left = (
            f"{start.day}" if start.month == end.month else f"{start.day} {names[start.month - 1]}"
        )
        return f"{left} – {day(end, long)}"
    return f"{day(start, long)} – {day(end, long)}"


def period(start: str | None, end: str | None, precision: str | None) -> str:
    """The period a fact refers to, with how precisely its source dates it: 'Oct 2023 (month)',
    'Q2 2023 (quarter)', '2023 (year)', 'Jul 2023 – Dec 2024 (bounds only)', 'undated'."""
    s, e = parse_date(start), parse_date(end)
    precision = (precision or "").strip()
    if precision == "undated" or s is None:
        return "undated"
    e = e or s
    if precision == "day":
        text = day(s)
    elif precision == "month":
        text = month(s)
    elif precision == "quarter":
        text = f"Q{(s.month - 1) // 3 + 1} {s.year}"
    elif precision == "year":
        text = str(s.year)
    else:
        text = span(s, e)
    return f"{text} ({PRECISION_WORDS.get(precision, precision)})"


def publication(
    start: str | None,
    end: str | None,
    precision: str | None,
    updated: str | None = None,
    long: bool = False,
) -> str:
    """When a source was published as far as its text establishes it: 'published 4 June 2024',
    'published between 1 Feb and 4 Jun 2024', with the update date it states, if any."""
    s, e = parse_date(start), parse_date(end)
    if s is None:
        text = "publication date unknown"
    elif (precision or "") == "day" or e is None or s == e:
        text = f"published {day(s, long)}"
    elif (precision or "") == "month":
        text = f"published in {span(s, e, long)}"
    else:
        text = f"published between {day(s, long)} and {day(e, long)}"
    u = parse_date(updated)
    if u is not None:
        text += f", updated {day(u, long)}"
    return text


def interval(start: object, end: object, precision: str) -> str:
    """A date interval as prose writes it: '4 June 2024', 'November 2023', 'Q2 2023', '2023',
    'June–July 2024', '1 Feb – 4 Jun 2024', or 'undated'. Never a point date for an interval."""
    if precision == "undated" or missing(start) or missing(end):
        return "undated"
    s, e = as_date(start), as_date(end)
    long_s, long_e = MONTHS_LONG[s.month - 1], MONTHS_LONG[e.month - 1]
    if s == e:
        return day(s, long=True)
    month_end = date(s.year, s.month, _last_day(s))
    if precision == "month" and s.day == 1 and e == month_end:
        return f"{long_s} {s.year}"
    if precision == "quarter" and s.day == 1 and s.month in (1, 4, 7, 10):
        last = date(s.year, s.month + 2, 1)
        if e == date(last.year, last.month, _last_day(last)):
            return f"Q{(s.month - 1) // 3 + 1} {s.year}"
    if precision == "year" and (s.month, s.day) == (1, 1) and e == date(s.year, 12, 31):
        return f"{s.year}"
    if s.day == 1 and e.day == _last_day(e):
        if s.year == e.year:
            return f"{long_s}–{long_e} {e.year}" if s.month != e.month else f"{long_s} {s.year}"
        return f"{long_s} {s.year} – {long_e} {e.year}"
    if s.year == e.year:
        return f"{s.day} {MONTHS[s.month - 1]} – {day(e)}"
    return f"{day(s)} – {day(e)}"


def within(start: object, end: object, precision: str) -> str:
    """A date interval with the preposition prose needs before it: 'in November 2023', 'in
    Q2 2023', 'in June–July 2024', 'on 4 June 2024', 'between 18 and 24 March 2024', 'between
    1 February and 4 June 2024'; 'undated' when there is none."""
    text = interval(start, end, precision)
    if text == "undated":
        return text
    s, e = as_date(start), as_date(end)
    if s == e:
        return f"on {text}"
    if not text[0].isdigit():  # a named month, quarter, year or run of whole months
        return f"in {text}"
    if (s.year, s.month) == (e.year, e.month):
        return f"between {s.day} and {day(e, long=True)}"
    if s.year == e.year:
        return f"between {s.day} {MONTHS_LONG[s.month - 1]} and {day(e, long=True)}"
    return f"between {day(s, long=True)} and {day(e, long=True)}"


def when(start: object, end: object, precision: str) -> str:
    """A fact's date in a table cell, as precisely as the source gives it: '4 Jun 2024',
    'Oct 2023', 'Q2 2023', '2023', or a range 'Jul 2023 to Dec 2024'; 'undated' when there is
    none."""
    if precision == "undated" or missing(start):
        return "undated"
    s = as_date(start)
    if precision == "day":
        return day(s)
    if precision == "month":
        return month(s)
    if precision == "quarter":
        return f"Q{(s.month - 1) // 3 + 1} {s.year}"
    if precision == "year":
        return f"{s.year}"
    e = as_date(end)
    if s.year == e.year and (s.month, s.day, e.month, e.day) == (1, 1, 12, 31):
        return f"{s.year}"
    return f"{month(s)} to {month(e)}" if (s.year, s.month) != (e.year, e.month) else month(s)


def publication_short(start: str | None, end: str | None, updated: str | None = None) -> str:
    """A source's publication window in a figure's source line: 'published 4 Jun 2024',
    'published Feb–Jun 2024' (with the update day it states), 'published Dec 2023–Jun 2024'."""

    def d(text: str | None) -> date | None:
        try:
            return date.fromisoformat(text)
        except (TypeError, ValueError):
            return None

    s, e, u = d(start), d(end), d(updated)
    if s and e and s == e:
        return f"published {day(s)}"
    if s and e and (s.year, s.month) == (e.year, e.month):
        whole = s.day == 1 and e.day == _last_day(e)
        text = f"published {month(e)}" if whole else f"published {s.day}–{day(e)}"
        return text + (f", updated {day(u)}" if u else "")
    if s and e:
        text = (
            f"published {MONTHS[s.month - 1]}–{month(e)}"
            if s.year == e.year
            else f"published {month(s)}–{month(e)}"
        )
        return text + (f", updated {day(u)}" if u else "")
    return "publication date unknown"


def source_short(row: dict) -> str:
    """A source named in a few words, as the brief and the figures' source lines name it: 'S000
    (Outlet, published Feb–Jun 2024)', the outlet where sources.csv gives one; never the headline,
    which the report quotes (so the length does not depend on headlines)."""
    published = publication_short(
        row.get("published_start"), row.get("published_end"), row.get("updated")
    )
    outlet = " ".join(str(row.get("outlet") or "").split())
    outlet = outlet if len(outlet) <= 40 else outlet[:39].rstrip() + "…"
    return f"{row.get('source_id', '')} ({outlet + ', ' if outlet else ''}{published})"


def money(x: float | None, short: bool = False, down: bool = False) -> str:
    """$5.4 million, $153 million, $600,000, $1 billion (short: $5.4M, $153M, $600K, $1B);
    'unknown' for a missing value. `down` rounds a positive amount down to the digits shown
    (a floor stays a floor: 10.15 million is '$10.1 million'), not to the nearest."""
    if missing(x):
        return "unknown"
    sign = "-" if x < 0 else ""
    x = abs(x)
    for size, long_word, short_word in ((1e9, "billion", "B"), (1e6, "million", "M")):
        if x >= size:
            v = x / size
            if down and not sign:  # 1e-9: 132/15 is 8.8, not 8.7999...
                v = math.floor(v * 10 + 1e-9) / 10 if v < 100 else float(math.floor(v + 1e-9))
            text = f"{v:.1f}".rstrip("0").rstrip(".") if v < 100 else f"{v:.0f}"
            return f"{sign}${text}{short_word}" if short else f"{sign}${text} {long_word}"
    if short and x >= 1e3:
        return f"{sign}${x / 1e3:.0f}K"
    return f"{sign}${x:,.0f}"


def amount(value: str | float | None, unit: str | None, bound: str | None = "exact") -> str:
    """An amount as the source qualifies it: 'less than $4M', 'about $99M a year', 'more than
    80%', '150' (a count), '48 hours'; 'not given' when the source gives none."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "not given"
    v = float(value)
    if v != v:  # NaN
        return "not given"
    words = BOUND_WORDS.get((bound or "exact").strip() or "exact", "")
    unit = (unit or "").strip()
    if unit == "percent":
        return f"{words}{v:g}%"
    if unit in UNIT_SUFFIX:
        return f"{words}{money(v, short=True)}{UNIT_SUFFIX[unit]}"
    if unit in ("count", ""):
        return f"{words}{v:,g}"
    return f"{words}{v:,g} {unit.replace('_', ' ')}"


def pct(x: float, digits: int = 0) -> str:
    """A share as a percentage: 0.6 -> '60%' (digits: decimals)."""
    return f"{x * 100:.{digits}f}%"


def times(x: float) -> str:
    """A multiple: '9.0 times', '91 times'."""
    return f"{x:.1f} times" if x < 10 else f"{x:,.0f} times"


def bound_words(bound: str | None) -> str:
    """The words a source's qualifier puts before a number: 'less than ', 'about ', ''."""
    return BOUND_WORDS.get(bound or "exact", "")


def after_lead(words: str, lead: str) -> str:
    """A source's date words as they follow a sentence's own `lead` word, without repeating it:
    'By October 2023 (S001: “October of last year”)', not “By October of last year”. The lead
    (any case) is dropped from the start of the words when they open with it; the rest is left
    as it is, so it is still a substring of the source's quote."""
    lead = lead.strip()
    head, _, rest = words.strip().partition(" ")
    if lead and rest and head.lower() == lead.lower():
        return rest
    return words


def words(snake: str | None) -> str:
    """An enum or event code as words: 'funding_closed' -> 'funding closed'."""
    return (snake or "").strip().replace("_", " ")


def count_word(n: int) -> str:
    """A count as running text writes it: 'two', 'ten', '16', '1,200'."""
    return SMALL_NUMBERS[n] if 0 <= n < len(SMALL_NUMBERS) else f"{n:,}"


def count_words(n: int, singular: str, plural: str | None = None) -> str:
    """'one news article', 'two news articles', '12 news articles'."""
    noun = singular if n == 1 else (plural or singular + "s")
    return f"{count_word(n)} {noun}"


def shorten(text: str, limit: int = 48) -> str:
    """Text cut at a word boundary to at most `limit` characters, with an ellipsis if cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " ":  # the last word was cut: drop it
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.–-") + "…"


def join_words(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
