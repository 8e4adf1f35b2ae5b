"""A role's normalised seniority and function (suggestions for the reviewer: `chief technology
officer` is c_suite, technology), and the post and reason a departure names after its verb
("resigned as chief executive ... citing ..."), for the extraction assistant (intake.extract).
The standard library only.
"""

from __future__ import annotations

import re

from .people import TITLE_WORD

_SENIORITY = (
    (r"\b(?:chief\s+\w+(?:\s+\w+)?\s+officers?|c[efotpmi]os?|csos?|cros?|chief)\b", "c_suite"),
    (r"\b(?:senior\s+vice\s+president|executive\s+vice\s+president|svp|evp)\b", "svp"),
    (r"\b(?:vice\s+president|vps?)\b", "vp"),
    (r"\b(?:chair(?:man|woman|person)?|board\s+member|board)\b", "board"),
    (r"\bhead\b|\bgeneral\s+counsel\b", "head"),
    (r"\bdirector\b", "director"),
    (r"\blead\b|\bleader\b|\b(?:led|leads)\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,2}team\b", "lead"),
    (r"\b(?:researcher|scientist|engineer|spokes\w+|analyst|manager|staff)\b", "staff"),
)
_FUNCTION = (
    (
        r"\bchief\s+executives?\b|\bceos?\b|\bfounders?\b|\bco-?founders?\b|"
        r"\bpresident\b(?!\s+of)",
        "executive",
    ),
    (r"\bapplied\s+machine\s+learning\b|\bapplied\s+ml\b", "applied_ml"),
    (r"\bllms?\b|\blanguage\s+models?\b", "language_models"),
    (r"\bresearch\b|\br&d\b|\bresearcher\b|\bscientist\b", "research"),
    (r"\bengineering\b|\bengineer\b", "engineering"),
    (r"\bproduct\b", "product"),
    (r"\baudio\b", "audio"),
    (r"\blegal\b|\bcounsel\b", "legal"),
    (r"\bpeople\b|\bhuman\s+resources\b|\bhr\b|\btalent\b", "people"),
    (r"\boperat\w+\b|\bcoos?\b", "operations"),
    (r"\bcommunications?\b|\bspokes\w+\b|\bpress\b", "communications"),
    (r"\btechnology\b|\bctos?\b|\btechnical\b", "technology"),
    (r"\bintegrity\b|\btrust\b|\bsafety\b", "integrity"),
    (r"\bchair\w*\b|\bboard\b", "board"),
    (r"\bprofessor\b|\binvestor\b", "external"),
)


def seniority_of(role: str) -> str:
    """The normalised seniority a role's words suggest, or "" when they suggest none."""
    for rx, value in _SENIORITY:
        if re.search(rx, role, re.I):
            return value
    return ""


def function_of(role: str) -> str:
    """The normalised function a role's words suggest, or "" when they suggest none."""
    for rx, value in _FUNCTION:
        if re.search(rx, role, re.I):
            return value
    return ""


_REASON = re.compile(
    r"\b(?:in\s+protest\s+(?:over|at|against)|because|due\s+to|citing|"
    r"over\s+(?:concerns?|disagreements?)|after\s+(?:disagreements?|clashes?))"
    r"\b[^.;]*",
    re.I,
)


def role_after(text: str, at: int) -> str:
    """The post a departure names after its verb: 'resigned as chief executive of X'."""
    m = re.search(
        r"\bas\s+((?:[\w&-]+\s+){0,4}?[\w&-]+?)(?=\s+(?:of|at|and|in|on|after|before|"
        r"to|from|for|with|amid)\b|[,.;]|$)",
        text[at : at + 120],
    )
    if m and TITLE_WORD.search(m.group(1)):
        return m.group(1)
    return ""


def reason_after(text: str, at: int) -> str:
    """A stated reason for leaving right after the departure words, in the source's words."""
    m = _REASON.search(text, at, min(len(text), at + 120))
    return m.group(0).strip().rstrip(",") if m else ""
