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
dollars with a note saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .dates import NUMBER_WORDS

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
# Number words, spelled amounts and the verbs that make a figure in words money without a
# currency word.
_UNITS_WORDS = {
    **NUMBER_WORDS,  # "a", "one" ... "twelve", as dates count them
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS_WORDS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_FRACTIONS = {
    "half a": Decimal("0.5"),
    "half an": Decimal("0.5"),
    "a half": Decimal("0.5"),
    "a quarter of a": Decimal("0.25"),
    "a quarter of an": Decimal("0.25"),
    "quarter of a": Decimal("0.25"),
    "three quarters of a": Decimal("0.75"),
    "three-quarters of a": Decimal("0.75"),
}
_SMALL = "|".join(sorted(_UNITS_WORDS, key=len, reverse=True))
_TENS = "|".join(_TENS_WORDS)
_WNUM = (
    rf"(?:{_TENS})(?:[-\s](?:{_SMALL}))?|"
    rf"(?:{_SMALL})(?:\s+hundred(?:\s+and\s+(?:{_TENS}|{_SMALL}))?)?"
)
_FRAC = r"half\s+an?|a\s+half|(?:a\s+)?quarter\s+of\s+an?|three[-\s]quarters\s+of\s+an?"
_SPELLED = (
    rf"\b(?P<wnum>(?:{_FRAC})|(?:{_WNUM})(?:\s+and\s+a\s+half)?)\s+"
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


# What may follow a figure in words taken for money without a currency: punctuation, the end,
# or a word that is no noun of what is counted.
_FREE_AFTER = re.compile(
    r"\s*(?:$|[,.;:)!?]|(?:in|on|from|for|to|at|per|a|an|this|last|that|and|or|but|by|during|"
    r"since|over|with|after|before|when|while|as|which|who|into|than|of\s+(?:funding|"
    r"revenue|debt|cash|investment|capital|losses|costs|spending|compute))\b)",
    re.I,
)


def word_number(words: str) -> Decimal:
    """The number a spelled figure names: 'half a' 0.5, 'two hundred and fifty' 250,
    'twenty-five' 25, 'one and a half' 1.5."""
    w = re.sub(r"[\s-]+", " ", words.strip().lower())
    if w in _FRACTIONS:
        return _FRACTIONS[w]
    if w.startswith("quarter of"):
        return Decimal("0.25")
    if w.startswith("three quarters"):
        return Decimal("0.75")
    half = Decimal("0.5") if w.endswith(" and a half") else Decimal(0)
    w = w.removesuffix(" and a half")
    total = 0
    for part in w.split(" and "):
        for token in part.split():
            if token == "hundred":
                total = (total or 1) * 100
            elif token in _TENS_WORDS:
                total += _TENS_WORDS[token]
            else:
                total += _UNITS_WORDS[token]
    return Decimal(total) + half


def _parse(kind: str, m: re.Match, text: str) -> Amount | None:
    g = m.groupdict()
    a, b = m.span()
    note = []
    high = None
    said = m.group(0)
    if kind in ("spelled", "vague") and not g.get("cur"):
        # a figure in words without a currency: money only after a verb of money, and not when
        # a noun follows it ("lost two million users", "millions of downloads")
        verb = _MONEY_VERB.search(text[max(0, a - 40) : a])
        if not verb or not _FREE_AFTER.match(text[b:]):
            return None
        note.append(
            f"no currency written: '{said}' read as US dollars from '{verb.group('v')}' before it"
        )
    cur = _currency(g.get("cur") or "$")
    if kind == "vague":
        base = _scale(g["vscale"].lower().rstrip("s"))
        many = re.sub(r"\s+", " ", (g.get("many") or "").strip().lower())
        factor = {"tens of": 10, "hundreds of": 100}.get(many, 1)
        value = Decimal(base * factor)
        bound = "at_least"
        if factor > 1:
            high = Decimal(base * factor * 10)
            note.append(
                f"'{said}' gives no figure: read as at least {plain(value)} and below {plain(high)}"
            )
        else:
            note.append(f"'{said}' gives no figure: read as at least {plain(value)}")
    elif kind == "spelled":
        value = word_number(g["wnum"]) * _scale(g["wscale"])
        bound = "exact"
        note.append(f"an amount in words: '{said}'")
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
    if bm and value is not None and kind != "vague":
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
    if post and value is not None and kind not in ("range", "vague"):
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
