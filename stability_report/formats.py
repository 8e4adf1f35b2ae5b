"""Dates, periods and amounts of the fact base written for readers, with the standard library only.

The render process uses these to write the evidence appendix, the title page and the brief
without importing pandas (it is on the benchmark's critical path). Amounts are written as
`narrative.money` and `tables.amount` write them, so a value reads the same in a chapter and in
the appendix (tests/test_formats.py checks that they agree).
"""

from __future__ import annotations

from datetime import date

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


def money(x: float, short: bool = False) -> str:
    """$5.4 million, $153 million, $600,000, $1 billion (short: $5.4M, $153M, $600K, $1B)."""
    sign = "-" if x < 0 else ""
    x = abs(x)
    for size, long_word, short_word in ((1e9, "billion", "B"), (1e6, "million", "M")):
        if x >= size:
            v = x / size
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


def words(snake: str | None) -> str:
    """An enum or event code as words: 'funding_closed' -> 'funding closed'."""
    return (snake or "").strip().replace("_", " ")


def count_words(n: int, singular: str, plural: str | None = None) -> str:
    """'one news article', 'two news articles', '12 news articles'."""
    noun = singular if n == 1 else (plural or singular + "s")
    number = SMALL_NUMBERS[n] if 0 <= n < len(SMALL_NUMBERS) else f"{n:,}"
    return f"{number} {noun}"


def shorten(text: str, limit: int = 48) -> str:
    """Text cut at a word boundary to at most `limit` characters, with an ellipsis if cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " ":  # the last word was cut: drop it
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.–-") + "…"
