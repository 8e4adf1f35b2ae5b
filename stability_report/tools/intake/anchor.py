"""Finding where a quote of an article stands in a corrected version of it (`sources replace`):
the one passage that matches the quote closely (difflib's ratio at least ANCHOR_RATIO), found
around the places the quote's words point to; and the figures and dates of a passage (numbers,
scale words, months, weekdays), which a re-anchored quote must keep.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass

# How closely a passage of a corrected article must match a quote to take its place.
ANCHOR_RATIO = 0.9


@dataclass(frozen=True)
class Anchor:
    passage: str | None  # the passage of the new text, None when none or several match
    ratio: float  # the best ratio found
    passages: int  # how many distinct passages reach ANCHOR_RATIO


def _boundaries(text: str, lo: int, hi: int, start: bool) -> list[int]:
    """Positions in [lo, hi] where a passage may start (or end) without cutting a word."""
    out = []
    for i in range(max(lo, 0), min(hi, len(text)) + 1):
        inside = 0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum()
        if inside:
            continue
        if start and (i == len(text) or text[i].isspace()):
            continue
        if not start and (i == 0 or text[i - 1].isspace()):
            continue
        out.append(i)
    return out


def _regions(quote: str, text: str, slack: int) -> list[tuple[int, int]]:
    """Where in `text` a passage like `quote` may start: each occurrence of one of the quote's
    words (runs of three words in a quote of twelve words or more) votes for the start it
    implies; starts are counted in buckets of `slack` characters, and the places where two
    neighbouring buckets hold at least half of the quote's words (or runs) are kept, as
    (lowest, highest) possible start."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+", quote)]
    k = 3 if len(words) >= 12 else 1
    grams = [
        (quote[words[i][0] : words[i + k - 1][1]], words[i][0]) for i in range(len(words) - k + 1)
    ]
    found: dict[str, list[int]] = {}
    votes: dict[int, set[int]] = {}
    for i, (gram, offset) in enumerate(grams):
        if gram not in found:
            found[gram] = []
            at = text.find(gram)
            while at != -1:
                found[gram].append(at)
                at = text.find(gram, at + 1)
        for at in found[gram]:
            votes.setdefault((at - offset) // slack, set()).add(i)
    need = max(1, -(-len(grams) // 2))
    kept = sorted(b for b in votes if len(votes[b] | votes.get(b + 1, set())) >= need)
    regions: list[tuple[int, int]] = []
    for b in kept:
        lo, hi = b * slack - slack, (b + 2) * slack + slack
        if regions and lo <= regions[-1][1]:
            regions[-1] = (regions[-1][0], hi)
        else:
            regions.append((lo, hi))
    return regions


def _passages(quote: str, text: str, threshold: float) -> tuple[list, float]:
    """Every passage near the quote's words whose ratio reaches `threshold`, ranked, and the
    best ratio seen."""
    size = len(quote.strip())
    slack = max(12, size // 5)
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(quote)
    found: list[tuple[tuple[float, int, int], int, int]] = []  # (rank, start, end)
    best_ratio = 0.0
    for lo, hi in _regions(quote, text, slack):
        for s in _boundaries(text, lo, hi, start=True):
            for e in _boundaries(text, s + size - slack, s + size + slack, start=False):
                if e <= s:
                    continue
                matcher.set_seq1(text[s:e])
                if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                    continue
                r = matcher.ratio()
                best_ratio = max(best_ratio, r)
                if r >= threshold:
                    found.append(((r, -abs((e - s) - size), -s), s, e))
    return found, best_ratio


def anchor(quote: str, text: str, threshold: float = ANCHOR_RATIO) -> Anchor:
    """The passage of `text` that most closely matches `quote`, if exactly one reaches
    `threshold` (difflib's ratio). Around each place the quote's words point to (_regions),
    every passage that starts and ends at a word's edge, and whose length is within a fifth of
    the quote's, is scored; overlapping passages count as one."""
    if not re.search(r"\w", quote):
        return Anchor(None, 0.0, 0)
    found, best_ratio = _passages(quote, text, threshold)
    # The best passage, then the best that overlaps none taken so far, and so on.
    distinct: list[tuple[float, int, int]] = []
    for rank, s, e in sorted(set(found), reverse=True):
        if not any(s < e2 and s2 < e for _, s2, e2 in distinct):
            distinct.append((rank[0], s, e))
    if len(distinct) == 1:
        r, s, e = distinct[0]
        return Anchor(text[s:e], r, 1)
    return Anchor(None, best_ratio, len(distinct))


# What a fact's values are read from: numbers, their scale words, and month and weekday names.
# A passage that differs from the quote in any of them states another fact: it is not a place
# for the old quote.
_FIGURES = re.compile(
    r"\d+(?:[.,]\d+)*(?:bn|mn|[mkb](?![a-z]))?|\b(?:thousand|million|billion|trillion|bn|mn|"
    r"january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b",
    re.I,
)


def figures(text: str) -> list[str]:
    return [f.lower() for f in _FIGURES.findall(text)]


def changed_figures(old: str, new: str) -> str:
    """The figures and dates only one of two passages gives: 'a b -> c'."""
    a, b = Counter(figures(old)), Counter(figures(new))
    return f"{' '.join((a - b).elements()) or 'none'} -> {' '.join((b - a).elements()) or 'none'}"
