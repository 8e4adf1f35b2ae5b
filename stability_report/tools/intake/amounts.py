"""Amounts of money in running text: found by pattern, parsed to a number with its currency,
its bound ("more than", "just under", "about", "up to") and its rate ("a month").

Only an amount with a currency is money: "$1.2 million", "US$153M", "$1bn", "$101mn",
"€20 million", "50 million dollars", "£3.5bn". A number without one ("2 million downloads",
"10,000 GPUs", "150 employees", "80%", "5 million shares") is never taken for money, nor is a
price per share. A range ("$10 million to $20 million", "$10-20 million") keeps both ends; a sum
given only in words is read as the bound its words give ("millions of dollars": at least $1
million; "tens of millions of dollars": at least $10 million, below $100 million), with a note.

Amounts spelled in words are money too: "a billion dollars", "half a billion dollars", "a
quarter of a billion dollars", "two hundred million dollars", "twenty-five million euros". A
figure in words without a currency ("tens of millions", "half a billion") is money only right
after a verb of money ("raised", "spent", "owed", "lost", "valued at", "worth"), read as US
dollars with a note saying so. The numbers themselves (scales, numbers in words) are read by
intake.numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .numbers import FRACTION, WORD_NUMBER, figure, plain, scale_of, word_number

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
    r"\b(?P<many>several\s+|many\s+|tens\s+of\s+|hundreds\s+of\s+)?"
    r"(?P<vscale>thousands|millions|billions)"
    r"(?:\s+of\s+(?:(?:(?:US|U\.S\.)\s+)?(?P<cur>dollars|pounds|euros)))?"
)
_SPELLED = (
    rf"\b(?P<wnum>(?:{FRACTION})|(?:{WORD_NUMBER})(?:\s+and\s+a\s+half)?)\s+"
    rf"(?P<wscale>thousand|million|billion|trillion)(?:\s+(?P<cur>{_SUFFIX_CUR}))?"
)
_MONEY_VERB = re.compile(
    r"\b(?P<v>rais\w*|spen[dt]\w*|owe[sd]?|owing|lost|los(?:e|es|ing)|burn\w*|paid|pay\w*|"
    r"cost\w*|invest(?:ed|s|ing)?|valu\w+\s+at|worth|fund(?:ed|ing)?|earn\w*|generat\w*|"
    r"brought\s+in|bill\w*|sought|seek\w*|secur\w*)\s+(?:\w+\s+){0,2}$",
    re.I,
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
    ("spelled", re.compile(_SPELLED, re.I)),
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


def _currency(cur: str) -> str:
    key = re.sub(r"\s+", " ", cur.strip().lower())
    return CURRENCIES.get(key, CURRENCIES.get(key.rstrip(), "USD"))


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


# What may follow a figure in words taken for money without a currency: punctuation, the end,
# or a word that is no noun of what is counted.
_FREE_AFTER = re.compile(
    r"\s*(?:$|[,.;:)!?]|(?:in|on|from|for|to|at|per|a|an|this|last|that|and|or|but|by|during|"
    r"since|over|with|after|before|when|while|as|which|who|into|than|of\s+(?:funding|"
    r"revenue|debt|cash|investment|capital|losses|costs|spending|compute))\b)",
    re.I,
)


_RATE_UNITS = {
    "annum": "year",
    "yr": "year",
    "mo": "month",
    "monthly": "month",
    "annually": "year",
    "yearly": "year",
    "weekly": "week",
    "daily": "day",
}


def _money_in_words(m: re.Match, text: str) -> str | None:
    """A figure in words without a currency is money only after a verb of money, and not when
    a noun follows it ("lost two million users", "millions of downloads"): the note, or None."""
    a, b = m.span()
    verb = _MONEY_VERB.search(text[max(0, a - 40) : a])
    if not verb or not _FREE_AFTER.match(text[b:]):
        return None
    said, v = m.group(0), verb.group("v")
    return f"no currency written: '{said}' read as US dollars from '{v}' before it"


Reading = tuple[Decimal, "Decimal | None", str, str]  # value, upper end, bound, note


def _vague(g: dict, said: str) -> Reading:
    """'millions of dollars': at least $1 million; 'tens of millions': and below $100 million."""
    base = scale_of(g["vscale"].lower().rstrip("s"))
    many = re.sub(r"\s+", " ", (g.get("many") or "").strip().lower())
    factor = {"tens of": 10, "hundreds of": 100}.get(many, 1)
    value = Decimal(base * factor)
    if factor == 1:
        return value, None, "at_least", f"'{said}' gives no figure: read as at least {plain(value)}"
    high = Decimal(base * factor * 10)
    note = f"'{said}' gives no figure: read as at least {plain(value)} and below {plain(high)}"
    return value, high, "at_least", note


def _range(g: dict, said: str) -> Reading | None:
    """'$10-20 million': the lower end, bound at_least, the upper end in the note."""
    s2 = g.get("scale2")
    s1 = g.get("scale") or s2  # "$10-20 million": the scale is written once
    value = figure(g["num"], s1)
    high = figure(g["num2"], s2 or s1)
    if high <= value:
        return None  # "$5 and $3" is two amounts in a list, not a range
    note = (
        f"a range ({said}): the money table holds one value, so the lower end "
        f"is given with bound at_least and the upper end here ({plain(high)})"
    )
    return value, high, "at_least", note


def _value(kind: str, g: dict, said: str) -> Reading | None:
    """Value, upper end, bound and note of the amount as written (None: not one amount)."""
    if kind == "vague":
        return _vague(g, said)
    if kind == "spelled":
        value = word_number(g["wnum"]) * scale_of(g["wscale"])
        return value, None, "exact", f"an amount in words: '{said}'"
    if kind == "range":
        return _range(g, said)
    return figure(g["num"], g.get("scale")), None, "exact", ""


def _bound_word(words: str) -> str | None:
    """The bound a word before an amount gives ("about": approx, "just under": less_than)."""
    for rx, kind_of in BOUND_WORDS:
        if re.fullmatch(rx, words, re.I):
            if kind_of is None:  # "just under", "just over"
                return "less_than" if re.search(r"under|below|short", words) else "more_than"
            return kind_of
    return None


def _bound_before(kind: str, text: str, a: int, bound: str, note: list[str]) -> tuple[int, str]:
    """A bound word right before the amount: the new start and bound (notes appended)."""
    before = text[max(0, a - 40) : a]
    bm = _BOUND_RX.search(before)
    if not bm or kind == "vague":
        return a, bound
    words = re.sub(r"\s+", " ", bm.group("bw").lower())
    kind_of = _bound_word(words)
    if kind_of and kind == "range":
        note.append(f"'{words}' qualifies the range")
    elif kind_of:
        bound = kind_of
    if words in ("nearly", "almost", "not quite"):
        note.append(f"'{words}': just below the amount")
    return a - (len(before) - bm.start()), bound


def _bound_after(kind: str, text: str, b: int, bound: str) -> tuple[int, str]:
    """A bound after the amount ("or more", "or so", "plus"): the new end and bound."""
    post = _POST_BOUND.match(text[b:])
    if not post or kind in ("range", "vague"):
        return b, bound
    if post.group("more"):
        return b + post.end(), "at_least"
    if post.group("so"):
        return b + post.end(), "approx"
    return b + post.end(), "more_than"


def _rate(text: str, b: int) -> str:
    """The period of a rate written after the amount ("a month", "per year", "annually")."""
    r = _RATE.match(text[b:])
    if not r:
        return ""
    unit = (r.group("u") or r.group("u2") or r.group("u3")).lower()
    return _RATE_UNITS.get(unit, unit)


def _review_notes(bound: str, cur: str, rate: str) -> list[str]:
    """What the money table cannot hold as read: an upper bound, a currency, a rate."""
    note = []
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
    return note


def _parse(kind: str, m: re.Match, text: str) -> Amount | None:
    """The amount one match of pattern `kind` gives, with its bounds, rate and notes."""
    g = m.groupdict()
    note = []
    if kind in ("spelled", "vague") and not g.get("cur"):
        words = _money_in_words(m, text)
        if words is None:
            return None
        note.append(words)
    read = _value(kind, g, m.group(0))
    if read is None:
        return None
    value, high, bound, how = read
    if how:
        note.append(how)
    a, bound = _bound_before(kind, text, m.start(), bound, note)
    b, bound = _bound_after(kind, text, m.end(), bound)
    cur = _currency(g.get("cur") or "$")
    rate = _rate(text, b)
    note += _review_notes(bound, cur, rate)
    return Amount(a, b, text[a:b], value, high, cur, bound, rate, "; ".join(note))
