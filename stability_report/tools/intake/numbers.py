"""Numbers as news text writes them: figures with a scale ("1.2 million", "$101mn", "3bn"),
numbers spelled in words ("two hundred and fifty", "twenty-five", "half a", "one and a half"),
and a value written back as the fact tables hold it (`plain`). Amounts of money, which read
these, are intake.amounts.
"""

from __future__ import annotations

import re
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
# Number words, and the pattern of a figure spelled in words ('two hundred and fifty',
# 'twenty-five', 'half a', 'three-quarters of a').
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
WORD_NUMBER = (
    rf"(?:{_TENS})(?:[-\s](?:{_SMALL}))?|"
    rf"(?:{_SMALL})(?:\s+hundred(?:\s+and\s+(?:{_TENS}|{_SMALL}))?)?"
)
FRACTION = r"half\s+an?|a\s+half|(?:a\s+)?quarter\s+of\s+an?|three[-\s]quarters\s+of\s+an?"


def scale_of(text: str | None) -> int:
    if not text:
        return 1
    key = text.strip()
    if key in ("M", "B", "K"):
        key = key.lower()
    return SCALES[key.lower()]


def figure(num: str, scale: str | None) -> Decimal:
    return Decimal(num.replace(",", "")) * scale_of(scale)


def plain(value: Decimal) -> str:
    """A value as the fact tables write it: digits, a decimal point only when needed."""
    v = value.normalize()
    text = format(v, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


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
