"""What kind of event a dated sentence reports (a category of facts.vocabulary EVENT_CATEGORIES
and a proposed event name, from the words nearest the date) and, for a workforce event, the
number of people or the share of the staff it gives: proposals of the extraction assistant
(intake.extract) for a reviewer to correct. The standard library only.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .numbers import plain, word_number

# How far from the date the words that say what happened are looked for (characters, each side).
_WINDOW = 200

# Words that say what kind of event a dated sentence reports: (category, proposed event name,
# pattern); the nearest to the date wins. The categories are facts.vocabulary EVENT_CATEGORIES.
_EVENTS = tuple(
    (category, event, re.compile(rx, re.I))
    for category, event, rx in (
        (
            "workforce",
            "layoffs",
            r"\blay(?:s|ing)?\s*-?offs?\b|\blaid\s+off\b|\bjob\s+cuts\b|\bredundan\w+|"
            r"\brestructur\w+|\bright-siz\w+|\bgoodbye\s+to\s+(?:some\s+)?colleagues\b|"
            r"\bcut\w*\s+(?:\w+\s+){0,3}(?:jobs|staff|employees|workforce|headcount)\b",
        ),
        (
            "leadership",
            "leadership_change",
            r"\bresign\w*|\bstep(?:ped|s|ping)?\s+down\b|\bappoint\w*|\bousted\b|"
            r"\bdepart\w*|\bhired\b|\bnamed\b",
        ),
        (
            "governance",
            "board_action",
            r"\bboard\b|\bshareholders?\b|\binvestors?\s+(?:\w+\s+){0,2}(?:called|demanded|"
            r"pushed|urged|wrote)\b",
        ),
        (
            "fundraising",
            "funding_round",
            r"\brais\w+|\bfunding\b|\bround\b|\binvest\w*|\bvaluation\b",
        ),
        ("product", "product_release", r"\blaunch\w*|\breleas\w+|\bunveil\w*|\bshipped\b"),
        ("legal", "legal_action", r"\blawsuits?\b|\bsu(?:ed|es|ing)\b|\bcourt\b|\blitigation\b"),
        (
            "finance",
            "financial_report",
            r"\brevenue\b|\bcash\b|\bbills?\b|\bowe[ds]?\b|\bdebts?\b|\blosses\b",
        ),
        (
            "corporate",
            "acquisition_or_sale",
            r"\bacqui\w+|\bmerg\w+|\bsold\b|\bsale\b|\bbuy(?:er|out)?\b",
        ),
        ("reputation", "criticism", r"\bcriticis\w+|\baccus\w+|\bcontrovers\w+"),
    )
)


# A number of people or a share of them: "about 10% of its staff", "20 employees", "more than
# 20 of its employees", "nearly two hundred people".
_COUNT_NUMBER = (
    r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    r"ninety)(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|"
    r"six|seven|eight|nine|ten|eleven|twelve|fifteen|a)(?:\s+hundred)?"
)
_WORKFORCE_COUNT = re.compile(
    r"(?:\b(?P<bw>about|around|roughly|approximately|some|nearly|almost|more\s+than|over|at\s+"
    rf"least|fewer\s+than|less\s+than|up\s+to)\s+)?\b(?P<n>{_COUNT_NUMBER})\s*"
    r"(?P<pct>%|\s+percent|\s+per\s+cent)?\s+(?:of\s+(?:its|the|their|the\s+company(?:’s|'s))\s+"
    r"(?:[\w-]+\s+)?)?(?P<what>employees|staff(?:ers)?|workers|people|jobs|positions|roles|"
    r"workforce|headcount|researchers|engineers)\b",
    re.I,
)
_COUNT_BOUNDS = {
    "about": "approx",
    "around": "approx",
    "roughly": "approx",
    "approximately": "approx",
    "some": "approx",
    "nearly": "less_than",
    "almost": "less_than",
    "more than": "more_than",
    "over": "more_than",
    "at least": "at_least",
    "fewer than": "less_than",
    "less than": "less_than",
}


def workforce_count(sentence: str) -> tuple[str, str, str, str] | None:
    """The number of people (or the share of the staff) a workforce sentence gives: value,
    unit (`count` or `percent`), bound and the words, or None. 'up to' is left for the reviewer
    (the tables have no at-most bound)."""
    m = _WORKFORCE_COUNT.search(sentence)
    if not m:
        return None
    n = re.sub(r"[\s-]+", " ", m.group("n").lower())
    if re.fullmatch(r"[\d,.]+", n):
        value = plain(Decimal(n.replace(",", "")))
    else:
        value = plain(word_number(n)) if n != "a" else ""
    pct = bool(m.group("pct"))
    if not value or (not pct and m.group("what").lower() in ("workforce", "headcount")):
        return None
    words = re.sub(r"\s+", " ", (m.group("bw") or "").lower())
    if words == "up to":
        return None
    return value, "percent" if pct else "count", _COUNT_BOUNDS.get(words, "exact"), m.group(0)


def event_of(sentence: str, at: int) -> tuple[str, str, str] | None:
    """The category, a proposed event name and the words they come from, for the event a
    sentence dates at offset `at`; None when no word says what happened."""
    best = None
    lo, hi = max(0, at - _WINDOW), min(len(sentence), at + _WINDOW)
    for category, event, rx in _EVENTS:
        for m in rx.finditer(sentence, lo, hi):
            d = abs(m.start() - at)
            if best is None or d < best[0]:
                best = (d, category, event, m.group(0))
    return None if best is None else best[1:]
