"""What an amount of money measures (its metric, from the words nearest it, with those words)
and how firmly the article gives it (`reported`, `projected`, `planned`), for the extraction
assistant (intake.extract). The metrics are facts.vocabulary MONEY_METRICS. The standard library
only.
"""

from __future__ import annotations

import re

_CLAUSE_MARK = re.compile(r"[,;:]\s|\b(?:and|but|while|that)\s")

# Words near an amount that say what it measures (the vocabulary is facts.vocabulary
# MONEY_METRICS); the nearest wins, the longer on a tie ("wage bill" over "bill").
_METRICS = tuple(
    (metric, re.compile(rx, re.I))
    for metric, rx in (
        ("valuation", r"\bvalu(?:ation|ed|ing)\b|\bworth\b(?!\s+of)|\bmarket\s+cap\w*"),
        (
            "funding_sought",
            r"\b(?:seek\w*|sought|looking\s+to\s+raise|tried\s+to\s+raise|"
            r"trying\s+to\s+raise|aim\w*\s+to\s+raise|plan\w*\s+to\s+raise|"
            r"aspirations?\s+to\s+raise|hop\w+\s+to\s+raise|in\s+talks\s+to\s+raise|target)\b",
        ),
        (
            "funding_closed",
            r"\b(?:rais\w*|secur\w*|closed|invest\w*|funding|financing|lifeline|"
            r"backed|round|note|notes|injection|capital)\b",
        ),
        ("compute_sought", r"\bcomput\w*\s+(?:facilities|power|resources|capacity)\b"),
        (
            "compute_costs",
            r"\b(?:comput\w*|cloud|gpus?|server|aws|training)\s+(?:\w+\s+){0,2}(?:costs?|"
            r"expend\w+|spend\w*|bills?)|\b(?:costs?|expend\w+|spen[dt]\w*)\s+on\s+"
            r"(?:\w+\s+){0,2}(?:comput\w*|cloud|gpus?|servers?|chips?)|\bcompute\b",
        ),
        (
            "salaries_opex",
            r"\bsalar\w+|\bpayroll\b|\boperating\s+(?:expenses|costs)\b|\bwages?(?:\s+bill)?\b|"
            r"\b(?:wage|salary|staff)\s+(?:bill|costs?)\b",
        ),
        ("monthly_spend", r"\bspen(?:d|ds|ding|t)\b|\bburn\w*\b"),
        ("losses", r"\bloss(?:es)?\b|\blost\b|\blosing\b"),
        (
            "revenue",
            r"\brevenues?\b|\bsales\b|\bearn\w*|\bincome\b|\bturnover\b|"
            r"\bannual(?:ised|ized)?\s+recurring\b|\bARR\b|\bbrought\s+in\b|\bgenerat\w+\b",
        ),
        ("costs", r"\bcosts?\b|\bexpenses\b|\bexpenditure\b"),
        (
            "cash",
            r"\bcash\b|\bin\s+the\s+bank\b|\bbank\s+(?:deposits?|accounts?|balances?)\b|"
            r"\bdeposits?\b|\breserves?\b|\bcoffers\b|\bon\s+hand\b|\brunway\b|\bleft\s+in\b",
        ),
        (
            "unpaid_bill",
            r"\bbills?\b|\bowe[ds]?\b|\bowing\b|\binvoices?\b|\bunpaid\b|\bdebts?\b|"
            r"\boverdue\b|\bfees?\b|\bfailed\s+to\s+pay\b|\barrears\b|\boutstanding\b",
        ),
        (
            "price",
            r"\bprice\w*\b|\btier\b|\bsubscription\b|\bcharg\w+\b|\bstarting\s+at\b",
        ),
    )
)
_COMPUTE_WORDS = re.compile(
    r"\b(?:comput\w*|cloud|gpus?|infrastructure|servers?|aws|data\s+cent(?:er|re)s?)\b", re.I
)
_SPENT_ON = re.compile(
    r"\s+on\s+(?:\w+\s+){0,2}(?:(?P<compute_costs>comput\w*|cloud|gpus?|servers?|chips|aws)|"
    r"(?P<salaries_opex>salar\w+|wages|payroll|staff))\b",
    re.I,
)
# How far from an amount its metric's words are looked for (characters, each side).
_METRIC_WINDOW = 200
_PLANNED = re.compile(
    r"\b(?:seek\w*|sought|plan\w*|aim\w*|target\w*|aspiration\w*|tried\s+to|"
    r"trying\s+to|hop\w+\s+to|intend\w*|wants?\s+to)\b",
    re.I,
)
_PROJECTED = re.compile(
    r"\b(?:would|will|expect\w*|project\w*|forecast\w*|estimat\w+|"
    r"on\s+track\s+to)\b",
    re.I,
)


# Words that make a bill one left unpaid: "an AWS bill" is a computing cost, "failed to pay an
# AWS bill" an unpaid bill.
_UNPAID = re.compile(
    r"\b(?:unpaid|owe[ds]?|owing|overdue|arrears|outstanding|failed\s+to\s+pay|"
    r"(?:did|does|do|could|can)\s*(?:not|n't)\s+(?:\w+\s+)?pay|not\s+(?:been\s+)?paid)\b",
    re.I,
)


def _nearest_words(sentence: str, a: int, b: int) -> tuple[str, str] | None:
    """The metric whose words stand nearest the amount (the longer on a tie), and the words."""
    best = None
    lo, hi = max(0, a - _METRIC_WINDOW), min(len(sentence), b + _METRIC_WINDOW)
    for metric, rx in _METRICS:
        for m in rx.finditer(sentence, lo, hi):
            if m.start() < b and a < m.end():
                continue  # words inside the amount itself
            d = a - m.end() if m.end() <= a else (m.start() - b if m.start() >= b else 0)
            key = (d, -(m.end() - m.start()))
            if best is None or key < best[0]:
                best = (key, metric, m.group(0))
    return best[1:] if best else None


def _what_was_spent_on(metric: str, words: str, sentence: str, b: int) -> tuple[str, str]:
    """A cost in a sentence about the cloud is compute; "spent $X on compute" or "on salaries"
    says what it was spent on; a compute cost that is unpaid is an unpaid bill."""
    if metric == "costs":  # "a reported cost of $99 million" in a sentence about the cloud
        cloud = _COMPUTE_WORDS.search(sentence)
        if cloud:
            metric, words = "compute_costs", f"{words} ... {cloud.group(0)}"
    spent_on = _SPENT_ON.match(sentence, b)
    if metric == "monthly_spend" and spent_on:  # "spent $X on compute", "on salaries"
        metric, words = spent_on.lastgroup, f"{words} ... {spent_on.group(0).strip()}"
    unpaid = _UNPAID.search(sentence)
    if metric == "compute_costs" and unpaid:
        metric, words = "unpaid_bill", f"{words} ... {unpaid.group(0)}"
    return metric, words


def _planned_or_done(metric: str, sentence: str) -> str:
    """A sought or planned amount (compute sought, a valuation or round sought) or a done one."""
    planned = _PLANNED.search(sentence)
    if metric == "compute_sought" and not planned:
        return "compute_costs"
    if metric == "valuation" and planned:
        return "valuation_sought"
    if (
        metric == "funding_closed"
        and planned
        and re.search(r"\b(?:raise|raising)\b", sentence, re.I)
    ):
        return "funding_sought"
    return metric


def metric_of(sentence: str, a: int, b: int) -> tuple[str, str]:
    """The metric whose words stand nearest the amount at sentence offsets a..b, and those
    words as written ("", "" when no word near it says what it measures)."""
    best = _nearest_words(sentence, a, b)
    if best is None:
        return "", ""
    metric, words = _what_was_spent_on(*best, sentence, b)
    return _planned_or_done(metric, sentence), words


def status_of(clause: str, metric: str) -> str:
    """`planned`, `projected` or `reported`, from the words of the amount's clause."""
    if metric == "unpaid_bill":  # "did not intend to pay" a bill: the bill is reported unpaid
        return "reported"
    if metric in ("funding_sought", "valuation_sought", "compute_sought") or _PLANNED.search(
        clause
    ):
        return "planned"
    return "projected" if _PROJECTED.search(clause) else "reported"


def clause_at(text: str, at: int) -> str:
    """The clause of `text` holding offset `at` (looked for within a window of 200 characters
    back, so the cost does not grow with the sentence)."""
    begin = max(0, at - 200)
    start = max(
        (m.end() for m in _CLAUSE_MARK.finditer(text, begin, at)),
        default=begin,
    )
    end = re.search(r"[,;:.]\s|\b(?:and|but|while)\s|$", text[at:])
    return text[start : at + (end.start() if end else 0)]
