"""Amounts of money in running text: found by pattern, parsed to a number with its currency,
its bound ("more than", "just under", "about", "up to") and its rate ("a month").

Only an amount with a currency is money: "$1.2 million", "US$153M", "$1bn", "$101mn",
"€20 million", "50 million dollars", "£3.5bn". A number without one ("2 million downloads",
"10,000 GPUs", "150 employees", "80%", "5 million shares") is never taken for money, nor is a
price per share. A range ("$10 million to $20 million", "$10-20 million") keeps both ends; a sum
given only in words ("millions of dollars") is an amount of unknown size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

SCALES = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "m": 10**6,
    "mm": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "bln": 10**9,
    "b": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
    "trn": 10**12,
}
CURRENCIES = {
    "$": "USD",
    "us$": "USD",
    "u.s.$": "USD",
    "usd": "USD",
    "dollars": "USD",
    "us dollars": "USD",
    "u.s. dollars": "USD",
    "£": "GBP",
    "gbp": "GBP",
    "pounds": "GBP",
    "pounds sterling": "GBP",
    "€": "EUR",
    "eur": "EUR",
    "euros": "EUR",
}

# Bound words, longest first where one is a prefix of another.
BOUND_WORDS = [
    (r"just\s+(?:under|below|short\s+of|over|above)", None),
    (
        r"more\s+than|in\s+excess\s+of|upwards\s+of|north\s+of|over|above|exceeding|"
        r"exceeded|exceeds|exceed|beyond|topping",
        "more_than",
    ),
    (
        r"less\s+than|under|below|fewer\s+than|shy\s+of|short\s+of|nearly|almost|not\s+quite",
        "less_than",
    ),
    (r"at\s+least|no\s+less\s+than|a\s+minimum\s+of|as\s+little\s+as", "at_least"),
    (
        r"up\s+to|as\s+much\s+as|at\s+most|no\s+more\s+than|a\s+maximum\s+of|as\s+high\s+as|"
        r"capped\s+at",
        "at_most",
    ),
    (
        r"about|approximately|approx\.|around|roughly|some|an\s+estimated|estimated|close\s+to|"
        r"circa|c\.|~|or\s+so",
        "approx",
    ),
]
_BOUND_RX = re.compile(
    r"(?P<bw>" + "|".join(rx for rx, _ in BOUND_WORDS) + r")\s*(?:of\s+)?$", re.I
)
# What the money table can hold; `at_most` has no column value of its own (see the note).
TABLE_BOUNDS = ("exact", "approx", "more_than", "less_than", "at_least", "unknown")

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = (
    r"(?:\s?(?i:thousand|million|billion|trillion|mln|bln|mn|bn|trn|tn)\b|"
    r"(?:mm|[kKmMbB])(?![\w]))"
)
_CUR = r"(?:US\$|U\.S\.\s?\$|\$|£|€|USD\s?|GBP\s?|EUR\s?)"
_SUFFIX_CUR = r"(?:(?:US|U\.S\.)\s+dollars|dollars|pounds(?:\s+sterling)?|euros|USD|GBP|EUR)\b"

_ONE = rf"(?P<cur>{_CUR})\s?(?P<num>{_NUM})(?P<scale>{_SCALE})?"
_RANGE = (
    rf"(?:between\s+)?(?P<cur>{_CUR})\s?(?P<num>{_NUM})(?P<scale>{_SCALE})?\s*"
    rf"(?:-|–|—|to|and)\s*(?P<cur2>{_CUR})?\s?(?P<num2>{_NUM})(?P<scale2>{_SCALE})?"
)
_WORDS = (
    rf"(?P<num>{_NUM})(?P<scale>\s?(?:thousand|million|billion|trillion|mn|bn))?\s+"
    rf"(?P<cur>{_SUFFIX_CUR})"
)
_VAGUE = (
    r"(?:several\s+|many\s+|tens\s+of\s+|hundreds\s+of\s+)?(?:thousands|millions|billions)"
    r"(?:\s+of\s+(?:millions|billions))?\s+of\s+(?:(?:US|U\.S\.)\s+)?(?P<cur>dollars|pounds|"
    r"euros)"
)
_RATE = re.compile(
    r"^\s*(?:(?:a|per|each|every|an)\s+(?P<u>month|year|annum|week|day|quarter)\b|"
    r"/\s?(?P<u2>month|mo|year|yr|week|day)\b|(?P<u3>monthly|annually|yearly|weekly|daily)\b)",
    re.I,
)
_SHARE_PRICE = re.compile(r"\b(?:shares?|stock|ADRs?|ADSs?)\b[^;$]*\b(?:to|at|from|of)\s*$", re.I)
_PER_SHARE = re.compile(r"^\s*(?:a|per)\s+(?:share|unit|ADS|ADR)\b", re.I)
_POST_BOUND = re.compile(
    r"^\s*(?:or\s+(?P<more>more|above|higher)|or\s+(?P<so>so)\b|"
    r"(?P<plus>-?plus)\b)",
    re.I,
)

PATTERNS = [
    ("range", re.compile(_RANGE, re.I)),
    ("words", re.compile(_WORDS, re.I)),
    ("vague", re.compile(_VAGUE, re.I)),
    ("one", re.compile(_ONE)),
]


@dataclass(frozen=True)
class Amount:
    """One amount of money: its place in the text, its value and how the text qualifies it."""

    start: int  # including a bound word before the amount ("more than $100 million")
    end: int
    text: str
    value: Decimal | None  # None: the text gives no figure ("millions of dollars")
    value_high: Decimal | None  # the upper end of a range
    currency: str  # USD, GBP, EUR
    bound: str  # exact, approx, more_than, less_than, at_least, at_most, unknown
    rate: str  # "" (a stock or one-off amount), "month", "year", "week", "day", "quarter"
    note: str

    @property
    def unit(self) -> str:
        """The unit as the money table names it (`USD`, `USD_per_month`, `USD_per_year`); other
        currencies and rates are named as the text gives them."""
        per = {"month": "_per_month", "year": "_per_year"}.get(self.rate, "")
        if self.rate and not per:
            per = f"_per_{self.rate}"
        return self.currency + per


def _scale(text: str | None) -> int:
    if not text:
        return 1
    key = text.strip()
    if key in ("M", "B", "K"):
        key = key.lower()
    return SCALES[key.lower()]


def _number(num: str, scale: str | None) -> Decimal:
    return Decimal(num.replace(",", "")) * _scale(scale)


def _currency(cur: str) -> str:
    key = re.sub(r"\s+", " ", cur.strip().lower())
    return CURRENCIES.get(key, CURRENCIES.get(key.rstrip(), "USD"))


def plain(value: Decimal) -> str:
    """A value as the fact tables write it: digits, a decimal point only when needed."""
    v = value.normalize()
    text = format(v, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def find_amounts(text: str, offset: int = 0) -> list[Amount]:
    """Every amount of money in `text`, left to right; offsets are into the document."""
    taken: list[tuple[int, int]] = []
    out: list[Amount] = []
    for kind, rx in PATTERNS:
        for m in rx.finditer(text):
            a, b = m.span()
            if any(a < y and x < b for x, y in taken):
                continue
            if _PER_SHARE.match(text[b:]):
                taken.append((a, b))
                continue
            if kind == "one" and not m.group("scale") and re.match(r"\s*(?:%|percent)", text[b:]):
                continue
            if (
                kind == "one"
                and not m.group("scale")
                and _SHARE_PRICE.search(text[max(0, a - 80) : a])
            ):
                taken.append((a, b))  # "shares fell 1.2 per cent to $42.10": a share price
                continue
            amount = _parse(kind, m, text)
            if amount is None:
                continue
            taken.append((a, b))
            out.append(amount)
    out.sort(key=lambda x: x.start)
    return [
        Amount(
            x.start + offset,
            x.end + offset,
            x.text,
            x.value,
            x.value_high,
            x.currency,
            x.bound,
            x.rate,
            x.note,
        )
        for x in out
    ]


def _parse(kind: str, m: re.Match, text: str) -> Amount | None:
    g = m.groupdict()
    a, b = m.span()
    note = []
    high = None
    cur = _currency(g["cur"])
    if kind == "vague":
        value = None
        bound = "unknown"
        note.append(f"'{m.group(0)}' gives no figure")
    elif kind == "range":
        s2 = g.get("scale2")
        s1 = g.get("scale") or s2  # "$10-20 million": the scale is written once
        value = _number(g["num"], s1)
        high = _number(g["num2"], s2 or s1)
        if high <= value:
            return None  # "$5 and $3" is two amounts in a list, not a range
        bound = "at_least"
        note.append(
            f"a range ({m.group(0)}): the money table holds one value, so the lower end "
            f"is given with bound at_least and the upper end here ({plain(high)})"
        )
    else:
        value = _number(g["num"], g.get("scale"))
        bound = "exact"
    # a bound word right before the amount
    before = text[max(0, a - 40) : a]
    bm = _BOUND_RX.search(before)
    if bm and value is not None:
        words = re.sub(r"\s+", " ", bm.group("bw").lower())
        for rx, kind_of in BOUND_WORDS:
            if re.fullmatch(rx, words, re.I):
                if kind_of is None:  # "just under", "just over"
                    kind_of = "less_than" if re.search(r"under|below|short", words) else "more_than"
                if kind == "range":
                    note.append(f"'{words}' qualifies the range")
                else:
                    bound = kind_of
                break
        if words in ("nearly", "almost", "not quite"):
            note.append(f"'{words}': just below the amount")
        a = a - (len(before) - bm.start())
    post = _POST_BOUND.match(text[b:])
    if post and value is not None and kind != "range":
        if post.group("more"):
            bound = "at_least"
        elif post.group("so"):
            bound = "approx"
        else:
            bound = "more_than"
        b += post.end()
    rate = ""
    r = _RATE.match(text[b:])
    if r:
        unit = (r.group("u") or r.group("u2") or r.group("u3")).lower()
        rate = {
            "annum": "year",
            "yr": "year",
            "mo": "month",
            "monthly": "month",
            "annually": "year",
            "yearly": "year",
            "weekly": "week",
            "daily": "day",
        }.get(unit, unit)
    if bound == "at_most":
        note.append(
            "'up to' and the like give an upper bound that may be reached: the money "
            "table has no such bound, choose less_than or approx at review"
        )
    if cur != "USD":
        note.append(
            f"in {cur}, not US dollars: the money table holds US dollars; convert at a "
            "stated rate or leave it out"
        )
    if rate in ("week", "day", "quarter"):
        note.append(f"a rate per {rate}: the money table holds amounts per month or per year")
    return Amount(a, b, text[a:b], value, high, cur, bound, rate, "; ".join(note))
