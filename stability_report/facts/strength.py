"""How strongly a fact may be stated: what a sentence needs to say it at its source's strength and
no stronger. For a row of the money, events or personnel table (a dict or a pandas row): its
status (reported, claimed, projected, planned, considered, derived), who the source says says it
(`attributed_to`) and the outlet it restates (`original_reporter`), and the hedge words of its
quote ("directly", "at least", "reportedly", "considering", ...) with the qualifier of its
amount (`bound`). The prose takes these from the fact (present.story.Ref) and the render checks
every sentence against them (render.trust). The standard library only: the render process reads
the fact base without pandas.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

# Each hedge the check knows: its name, the pattern that finds it in a quote, and the pattern a
# sentence must match to carry it (the same hedge in other words). A quote's amount qualifier
# comes from its `bound` column, not from the words: "over the past year" is no hedge.
HEDGES: dict[str, tuple[str, str]] = {
    "directly": (r"\bdirectly\b", r"\bdirectly\b"),
    "reportedly": (
        r"\breportedly\b|\b(?:was|were|is|are) reported to\b|\baccording to reports\b",
        r"\breport(?:ed|edly|s)?\b|\bsaid to\b",
    ),
    "considering": (r"\bconsider(?:ing|ed|s)?\b", r"\bconsider(?:ing|ed|s)?\b"),
    "likely": (r"\blikely\b", r"\blikely\b|\bprobabl[ey]\b"),
    "potentially": (
        r"\bpotential(?:ly)?\b",
        r"\bpotential(?:ly)?\b|\bpossibl[ey]\b|\bmight\b|\bmay\b|\bprospective\b",
    ),
    "believes": (
        r"\bbelieve[sd]?\b",
        r"\bbelie(?:ve[sd]?|f)\b|\bthinks?\b|\bin (?:his|its|her|their) view\b",
    ),
    "rumoured": (r"\brumou?r(?:s|ed)?\b", r"\brumou?r(?:s|ed)?\b"),
    "often": (r"\boften\b", r"\boften\b|\bfrequently\b|\brepeatedly\b"),
    "preliminary": (r"\bpreliminary\b", r"\bpreliminary\b|\binitial\b|\bearly\b"),
    "nearly": (r"\bnearly\b|\balmost\b", r"\bnearly\b|\balmost\b"),
    "at most": (r"\bat most\b", r"\bat most\b|\bno more than\b|\bup to\b"),
    "intends": (r"\bintends?\b|\bintention\b", r"\bintend(?:s|ed)?\b|\bintention\b"),
}
# The amount qualifier a `bound` stands for, and how a sentence may carry it.
BOUND_HEDGES: dict[str, tuple[str, str]] = {
    "approx": ("about", r"\babout\b|\bapproximately\b|\baround\b|\broughly\b|\bsome\b"),
    "more_than": ("more than", r"\bmore than\b|\bover\b|\babove\b|\bexceed\w*|\bin excess of\b"),
    "less_than": ("less than", r"\bless than\b|\bunder\b|\bbelow\b|\bat most\b"),
    "at_least": ("at least", r"\bat least\b|\bor more\b|\bstarting at\b"),
}
# What a sentence says to give a status other than reported (the attribution of a claim is
# checked on its own).
STATUS_MARKS: dict[str, str] = {
    "claimed": r"\bclaim\w*|\bsa(?:id|ys?)\b|\bstat(?:ed|es)\b|\btweet\w*|\btold\b|\baccording\b"
    r"|\bden(?:y|ies|ied)\b|\bbelie\w*|\bmention\w*|\bcall(?:s|ed)?\b|\bwr(?:ote|ites)\b"
    r"|\bhis own\b|\bits own\b|\bown statement\b|\bown words\b",
    "projected": r"\bproject\w*|\bexpect\w*|\bforecast\w*|\bwould\b|\bwill\b|\bestimat\w*",
    "planned": r"\bplan\w*|\bs(?:ought|eek\w*)\b|\baim\w*|\btarget\w*|\bintend\w*|\bwill\b"
    r"|\bwould\b|\baspir\w*|\bhop\w*|\btr(?:y|ied|ying)\b|\bto raise\b",
    "considered": r"\bconsider\w*",
    "derived": r"\bmeans?\b|\bimpl\w*|\blikely\b|\bderived\b|\bcomput\w*|\bwork(?:s|ed)? out\b",
}
STATUS_WORDS = {
    "reported": "reported",
    "claimed": "claimed",
    "projected": "projected",
    "planned": "planned",
    "considered": "considered",
    "derived": "derived",
}
# Words of an attribution that do not identify who speaks.
_STOP = {
    "a", "an", "and", "the", "of", "in", "on", "at", "to", "from", "with", "by", "for", "his",
    "her", "its", "their", "other", "company", "company's", "stability", "current", "former",
    "directly", "one", "two", "three", "four", "five", "multiple", "several", "well-known",
    "financial", "internal",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "over", "than", "statements", "statement",
    "later-deleted", "ai",
}  # fmt: skip
_WORD = re.compile(r"[A-Za-z][A-Za-z’'/-]*[A-Za-z]")


def _text(row: Mapping, key: str) -> str:
    v = row.get(key, "") if hasattr(row, "get") else ""
    return v.strip() if isinstance(v, str) else ""


def stem(word: str) -> str:
    """A word as the check compares it: lower case, no possessive, no plural s."""
    w = word.lower().replace("’", "'")
    w = w.removesuffix("'s").removesuffix("'")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    return w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w


@dataclass(frozen=True)
class Strength:
    """What a sentence needs to state a fact at its source's strength."""

    fact_id: str
    status: str  # reported, claimed, projected, planned, considered, derived ('' for people)
    attributed_to: str  # who the source says says it ('' for its own reporting)
    original_reporter: str  # the outlet it restates ('' when none)
    hedges: tuple[str, ...]  # names of HEDGES and BOUND_HEDGES words its quote carries

    @property
    def speaker(self) -> str:
        """Who says it, in the source's words: the part of attributed_to before the medium
        ('Emad Mostaque, on X' -> 'Emad Mostaque')."""
        return self.attributed_to.split(",")[0].strip()

    @property
    def speaker_terms(self) -> tuple[str, ...]:
        """The words of the speaker that identify it (stems): a sentence naming the speaker
        contains one of them."""
        words = [stem(w) for w in _WORD.findall(self.speaker)]
        return tuple(dict.fromkeys(w for w in words if w not in _STOP and len(w) > 2))

    @property
    def according_to(self) -> str:
        """'according to insiders', 'according to Forbes, citing sources', 'according to
        Bloomberg': the attribution a sentence gives ('' for the source's own reporting)."""
        who = self.speaker
        if self.original_reporter and who:
            return f"according to {self.original_reporter}, citing {who}"
        if self.original_reporter:
            return f"according to {self.original_reporter}"
        return f"according to {who}" if who else ""


def strength(row: Mapping) -> Strength:
    """The strength of one fact row (money, events or personnel; a dict or a pandas row)."""
    quote = _text(row, "quote")
    hedges = [name for name, (found, _) in HEDGES.items() if re.search(found, quote, re.I)]
    bound = _text(row, "bound")
    if bound in BOUND_HEDGES:
        hedges.insert(0, BOUND_HEDGES[bound][0])
    status = _text(row, "status")
    return Strength(
        fact_id=_text(row, "fact_id"),
        status=status if status in STATUS_WORDS else "",
        attributed_to=_text(row, "attributed_to"),
        original_reporter=_text(row, "original_reporter"),
        hedges=tuple(dict.fromkeys(hedges)),
    )


def carries_hedge(hedge: str, text: str) -> bool:
    """Whether `text` carries the hedge named `hedge` (in its own or equivalent words)."""
    for name, pattern in BOUND_HEDGES.values():
        if name == hedge:
            return re.search(pattern, text, re.I) is not None
    return re.search(HEDGES[hedge][1], text, re.I) is not None


def marks_status(status: str, text: str) -> bool:
    """Whether `text` words a fact of `status` as that status (reported needs no mark)."""
    pattern = STATUS_MARKS.get(status)
    return pattern is None or re.search(pattern, text, re.I) is not None
