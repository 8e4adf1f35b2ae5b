"""Who a sentence of a news article says a statement comes from: the outlet that first reported
it (`original_reporter`: "Bloomberg reported", "according to the Financial Times", "Forbes
cited", "told Reuters", "first reported by The Information") and who says it when that is not
the outlet itself (`attributed_to`: "insiders", "two people familiar with the matter", "a
spokesperson", "the company", a named person: "Mostaque said", "said Jane Roe", "Roe tweeted").

Outlets are recognised by name (OUTLETS: the news organisations that cover technology and
business; a name followed by "reported" or "first reported" counts too), speakers by the words
of attribution around them. A pronoun ("he said") is no speaker: the person it stands for is
named in another sentence, so the field stays empty. The standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OUTLETS = (
    "Bloomberg",
    "Bloomberg News",
    "Reuters",
    "Forbes",
    "the Financial Times",
    "Financial Times",
    "FT",
    "The Information",
    "The Wall Street Journal",
    "Wall Street Journal",
    "WSJ",
    "The New York Times",
    "New York Times",
    "The Washington Post",
    "CNBC",
    "CNN",
    "BBC",
    "Sky News",
    "The Guardian",
    "The Times",
    "The Telegraph",
    "The Economist",
    "Sifted",
    "Semafor",
    "Axios",
    "TechCrunch",
    "The Verge",
    "Wired",
    "Business Insider",
    "Insider",
    "Fortune",
    "Ars Technica",
    "The Register",
    "VentureBeat",
    "Puck",
    "Platformer",
    "Fast Company",
    "Associated Press",
    "the Associated Press",
    "AP",
    "AFP",
    "Agence France-Presse",
    "Nikkei",
    "Business Standard",
    "Decrypt",
    "Fortune magazine",
)
_OUTLET = "|".join(re.escape(o) for o in sorted(OUTLETS, key=len, reverse=True))
# A capitalised name of up to four words (an outlet not in the list: "Tech Daily reported").
_NAMED = r"(?:The\s+)?[A-Z][\w&.’'-]*(?:\s+[A-Z][\w&.’'-]*){0,3}"
_REPORTED = (
    r"(?:first\s+|previously\s+|earlier\s+|originally\s+|exclusively\s+)?"
    r"(?:reported|reports|revealed|wrote|cited|citing|said\s+in\s+a\s+report)"
)
_REPORTER_RX = (
    re.compile(
        rf"(?<![\w-])(?P<o>{_OUTLET})(?![\w-])(?:\s+and\s+(?P<o2>{_OUTLET})(?![\w-]))?"
        rf"(?:\s+[\w’'-]+){{0,3}}?\s+(?:has\s+|had\s+)?{_REPORTED}\b"
    ),
    re.compile(rf"\b{_REPORTED}\s+by\s+(?P<o>{_OUTLET}|{_NAMED})(?![\w-])"),
    re.compile(
        r"\b(?i:according\s+to)\s+(?:an?\s+(?:\w+\s+)?(?:report|article|story|investigation)\s+"
        rf"(?:by|in|from)\s+)?(?P<o>{_OUTLET})(?![\w-])"
    ),
    re.compile(
        r"\b(?:[Aa]n?\s+(?:\w+\s+)?(?:report|article|story|investigation)\s+(?:by|in|from)|"
        rf"(?:told|said\s+to|speaking\s+to|interview\s+with)|(?:reported|cited)\s+in)\s+"
        rf"(?P<o>{_OUTLET})(?![\w-])"
    ),
    re.compile(
        rf"(?<![\w-])(?P<o>{_OUTLET})(?:’s|'s)?\s+(?:report|reporting|story|article|"
        r"investigation|exposé)\b"
    ),
    re.compile(rf"(?<![\w-])(?P<o>{_NAMED})\s+(?:first\s+|previously\s+|earlier\s+)reported\b"),
    re.compile(
        rf"\b(?:seen|viewed|reviewed|obtained)\s+by\s+(?P<o>{_OUTLET})(?![\w-])|"
        rf"\b(?:which|that)\s+(?P<o2>{_OUTLET})\s+(?:has\s+|had\s+)?(?:seen|viewed|reviewed|"
        rf"obtained)\b|\bspoke\s+(?:with|to)\s+(?P<o3>{_OUTLET})(?![\w-])"
    ),
)

# Who says it: unnamed sources, spokespeople, the company, documents.
_UNNAMED = (
    r"(?:(?:two|three|four|five|several|multiple|many|some|other|former|current|dozens\s+of|"
    r"a\s+dozen|more\s+than\s+\w+|an?|one|)\s*)"
    r"(?:people|persons?|sources?|insiders?|employees?|staff(?:ers)?|executives?|investors?|"
    r"officials?)(?:\s+(?:familiar\s+with|close\s+to|with\s+(?:direct\s+)?knowledge\s+of|"
    r"briefed\s+on|who\s+(?:asked|spoke|requested|declined)|at|inside|within|of)"
    r"(?:\s+[\w’'-]+){0,5}?(?=\s*(?:[,.;:]|$|\s+(?:said|says|told|reported|as|that|who)\b)))?"
)
_SPEAKER = (
    rf"(?:an?\s+|the\s+|its\s+)?(?:company|firm|startup|start-up)(?:’s|'s)?\s+"
    rf"spokes(?:person|man|woman)|(?:an?\s+|the\s+)?spokes(?:person|man|woman)(?:\s+for\s+"
    rf"[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)?|{_UNNAMED}|(?:an?\s+|the\s+)(?:company|firm|startup)|"
    rf"(?:an?\s+|the\s+)(?:memo|filing|letter|document|statement|email|e-mail|presentation|"
    rf"pitch\s+deck|deck)(?:\s+(?:seen|reviewed|obtained)\s+by\s+[\w\s]+?)?|"
    rf"(?:an?\s+|the\s+)?(?:internal\s+|company\s+|court\s+|financial\s+)+(?:documents?|"
    rf"filings?|records|"
    rf"forecasts?|memos?)(?:\s+and\s+{_UNNAMED})?"
)
_NAME = r"(?-i:[A-Z][\w’'-]+(?:\s+(?:de\s+|van\s+|von\s+)?[A-Z][\w’'-]+){0,3})"
_SAYS = (
    r"(?:said|says|told|tweeted|wrote|posted|confirmed|added|stated|explained|noted|claimed|"
    r"insisted|argued|warned|estimated|disclosed|acknowledged|announced)"
)
_PRONOUN = frozenset("he she they it we i you this that these those who which there one".split())
_SPEAKER_RX = (
    re.compile(rf"\baccording\s+to\s+(?P<s>{_SPEAKER}|{_NAME})", re.I),
    # "Roe said", "Roe and Doe told staff", "Roe and Doe, who were ..., said in a memo"
    re.compile(
        rf"(?P<s>(?<![\w-]){_NAME}(?:\s+and\s+{_NAME})?)(?:,\s+who\s+[^,;]{{1,160}},"
        rf"(?:\s+respectively,)?)?\s+(?:has\s+|had\s+|also\s+)?{_SAYS}\b"
    ),
    re.compile(rf"\b{_SAYS}\s+(?P<s>{_NAME})(?=\s*(?:[,.;]|$|\s+(?:in|on|at|to)\b))"),
    re.compile(rf"(?P<s>\b{_SPEAKER})\s+(?:has\s+|had\s+|also\s+)?{_SAYS}\b", re.I),
    re.compile(rf"\b{_SAYS}\s+(?P<s>{_SPEAKER})(?=\s*(?:[,.;]|$))", re.I),
    re.compile(rf"\bcit(?:ing|ed)\s+(?P<s>{_SPEAKER})", re.I),
)
_NOT_SPEAKER = re.compile(
    r"^(?:The|A|An|It|In|On|At|But|And|However|Meanwhile|Last|This|That|Stability|Its|His|Her|"
    r"Their|Our|Reporting|Shares|Revenue|Sales|January|February|March|April|May|June|July|"
    r"August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday)$"
)


# Every pattern above holds one of these words: a sentence with none of them attributes nothing
# (one scan instead of a dozen).
_CUE = re.compile(
    r"\b(?:report|reveal|according|told|tell|cit(?:ed|ing)|interview|speaking|spoke|said|says|"
    r"seen|viewed|reviewed|obtained|"
    r"tweet|wrote|posted|confirm|added|stated|explain|noted|claim|insist|argu|warn|estimat|"
    r"disclos|acknowledg|announc|exposé|investigation|article|story)",
    re.I,
)


@dataclass(frozen=True)
class Attribution:
    """Who a sentence says its statement comes from, with the words that say so."""

    original_reporter: str = ""
    attributed_to: str = ""
    words: str = ""  # the words of attribution, as written

    def note(self) -> str:
        if not self.words:
            return ""
        parts = []
        if self.original_reporter:
            parts.append(f"original_reporter {self.original_reporter}")
        if self.attributed_to:
            parts.append(f"attributed_to {self.attributed_to}")
        return f"{' and '.join(parts)} proposed from '{self.words}'"


def _outlet_name(name: str) -> str:
    """An outlet's name as a reference names it: without a leading article, except where it is
    part of the name ("The Information", "The Verge")."""
    name = re.sub(r"\s+", " ", name.strip()).rstrip(".,;:")
    if name.lower().startswith("the ") and name not in OUTLETS:
        return name[4:]
    if name.startswith("the "):
        return name[4:]
    return name


def _clean_speaker(s: str) -> str:
    s = re.sub(r"\s+", " ", s.strip()).rstrip(",.;:")
    if re.match(r"(?:An?|The|Its)\s", s):
        s = s[0].lower() + s[1:]
    return re.sub(
        r"^(?:an?|the|its)\s+(?=(?:company|firm|startup|start-up)\b)", "the ", s, flags=re.I
    )


def _reporter(sentence: str) -> tuple[str, tuple[int, int] | None, str]:
    """The outlet a sentence attributes to (two joined by '; '), its span and the words."""
    for rx in _REPORTER_RX:
        m = rx.search(sentence)
        if m:
            g = m.groupdict()
            key = next(k for k in ("o", "o2", "o3") if g.get(k))
            reporter = _outlet_name(m.group(key))
            if key == "o" and g.get("o2"):
                reporter += "; " + _outlet_name(g["o2"])
            return reporter, m.span(key), m.group(0)
    return "", None, ""


def _is_speaker(cand: str) -> bool:
    """Whether a name before or after 'said' is a speaker: not a pronoun, a lone word that is
    no name, or an outlet."""
    if not cand or cand.lower() in _PRONOUN:
        return False
    if _NOT_SPEAKER.match(cand.split()[0]) and len(cand.split()) == 1:
        return False
    return not (re.fullmatch(_OUTLET, cand) or _outlet_name(cand) in OUTLETS)


def _speaker(sentence: str, outlet: tuple[int, int] | None) -> tuple[str, str]:
    """The speaker a sentence names outside the outlet's words, and the words naming them."""
    for rx in _SPEAKER_RX:
        for m in rx.finditer(sentence):
            a, b = m.span("s")
            if outlet and a < outlet[1] and outlet[0] < b:
                continue
            cand = _clean_speaker(m.group("s"))
            if _is_speaker(cand):
                return cand, m.group(0)
    return "", ""


def attribution(sentence: str) -> Attribution:
    """The original reporter and the speaker a sentence names, if any."""
    if not _CUE.search(sentence):
        return Attribution()
    reporter, outlet, reporter_words = _reporter(sentence)
    speaker, speaker_words = _speaker(sentence, outlet)
    words = [w for w in (reporter_words,) if w]
    if speaker_words and speaker_words not in words:
        words.append(speaker_words)
    return Attribution(reporter, speaker, " ... ".join(w.strip() for w in words))
