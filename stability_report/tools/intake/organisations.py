"""Organisations named in a news sentence, for the extraction assistant (intake.extract): every
name the fact base already uses (money.counterparty, events.actor), and new ones by their form
(a capitalised name ending in Inc, Capital, Labs, AI ...; a capitalised name after "company",
"investor", "provider" ...), without the title words a name may start with and without a kind
of AI ("Generative AI"). The standard library only.
"""

from __future__ import annotations

import re

from .people import NOT_NAME

_ORG_SUFFIX = (
    r"Inc\.?|Corp\.?|Corporation|Ltd\.?|LLC|Plc|PLC|Group|Holdings|Capital|Ventures|"
    r"Partners|Fund|Bank|University|College|Institute|Labs?|Technologies|Services|Cloud|"
    r"Networks|Media|AI"
)
_ORG_RX = re.compile(
    rf"\b(?P<org>(?:[A-Z][\w&’'.-]*\s+){{0,4}}(?:{_ORG_SUFFIX}))(?![\w])|"
    r"\b(?:company|startup|start-up|firm|giant|provider|investor|fund|rival|competitor|"
    r"chipmaker|maker|bank|platform|lab|unicorn|buyer|partner|center|centre)\s+"
    r"(?P<after>[A-Z][\w&’'-]+(?:\s+[A-Z][\w&’'-]+){0,3})"
)
# A kind of AI, not a company: "Generative AI darling", "Open-source AI".
_GENERIC_AI = re.compile(
    r"(?:(?:Generative|Artificial|Open|Open-source|Responsible|Conversational|Enterprise|"
    r"Applied|Frontier|Multimodal|Agentic|Decentrali[sz]ed|Centrali[sz]ed|Sovereign|Ethical|"
    r"Safe|General|Narrow|Physical|Embodied)\s+)+AI"
)


class Organisations:
    """The organisation names the fact base uses, with the facts that name them, and a finder
    for them and new ones."""

    def __init__(self, known: dict[str, list[str]]):
        self.known = known
        # one pattern for all the known names, longest first (one scan of each sentence)
        self._rx = (
            re.compile(
                r"(?<![\w-])(?:"
                + "|".join(re.escape(n) for n in sorted(known, key=len, reverse=True))
                + r")(?![\w-])"
            )
            if known
            else None
        )

    @classmethod
    def from_facts(cls, facts) -> Organisations:
        """Organisation names the fact base already uses, with the facts that name them."""
        known: dict[str, list[str]] = {}
        for table, col in (("money", "counterparty"), ("events", "actor")):
            t = facts.tables[table]
            for fid, value in zip(t["fact_id"], t[col]):
                if not isinstance(value, str):
                    continue
                for part in re.split(r";|\(|\)|,| and ", value):
                    name = part.strip()
                    if re.fullmatch(r"[A-Z][\w&’'. -]{2,}", name) and not name.startswith(
                        ("Stability AI ", "Emad")
                    ):
                        known.setdefault(name, []).append(fid)
        return cls(known)

    def find(self, sentence: str, offset: int = 0) -> list[tuple[int, int, str]]:
        """Organisations named in one sentence: (start, end, name), document offsets."""
        out = []
        if self._rx is not None:
            for m in self._rx.finditer(sentence):
                out.append((offset + m.start(), offset + m.end(), m.group(0)))
        for m in _ORG_RX.finditer(sentence):
            name = (m.group("org") or m.group("after")).strip()
            words = name.split()
            while (
                words
                and words[0] in NOT_NAME
                and words[0]
                not in (
                    "Stability",
                    "Amazon",
                    "Google",
                    "Microsoft",
                    "Nvidia",
                    "NVIDIA",
                    "Intel",
                    "Apple",
                    "Meta",
                    "OpenAI",
                    "Getty",
                    "Coatue",
                    "Lightspeed",
                    "Jasper",
                    "Cohere",
                    "Samsung",
                    "Snap",
                    "Canva",
                    "Midjourney",
                )
            ):
                words = words[1:]
            name = " ".join(words)
            if (
                len(name) < 3
                or name in ("AI",)
                or _GENERIC_AI.fullmatch(name)
                or any(name == o or name in o for o in self.known)
            ):
                continue
            at = sentence.find(name, m.start())
            if at < 0:
                continue
            out.append((offset + at, offset + at + len(name), name))
        return sorted(out)
