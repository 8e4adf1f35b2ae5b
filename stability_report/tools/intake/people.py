"""People and their roles in running text, by pattern.

Names are found two ways: every spelling the fact base already knows (`persons`,
`person_names`, and a known person's surname when no other person shares it), matched as whole
words; and new names, taken only where the text marks them as people: after a role ("chief
operating officer Jane Doe"), before an apposition (", who", ", the professor"), in brackets
with a role, or as the subject of a departure (DEPART: "left", "has resigned", "will step
down", "was ousted", "departures include", "X's resignation"). A role is the title written next
to a name; names listed together share a title ("co-chief executives X and Y") or pair with
roles ("..., respectively"). Which of the people named a sentence says departed, and a group
said to have left without names, is intake.departures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CAP = r"(?:[A-Z][a-zà-öø-ÿ]+(?:[-’'][A-Z]?[a-zà-öø-ÿ]+)*|[A-Z][a-z]?[A-Z][a-zà-öø-ÿ]+|[A-Z]\.)"
_PARTICLE = r"(?:de|van|von|der|da|di|du|la|le|bin|al|el)"
NAME_RX = re.compile(rf"\b{_CAP}(?:\s+(?:{_PARTICLE}\s+)?{_CAP}){{1,7}}\b")

TITLE_WORD = re.compile(
    r"\b(?:chief|officer|ceo|cfo|cto|coo|cpo|cmo|cio|cso|cro|president|vps?|svp|evp|vice|"
    r"head|director|counsel|chair(?:man|woman|person)?|founder|co-?founder|lead|leader|manager|"
    r"partner|spokes(?:man|woman|person)|professor|researcher|scientist|engineer|executive|"
    r"board|analyst|adviser|advisor|secretary|treasurer|general\s+manager|principal|fellow|"
    r"colleague|chief)s?\b",
    re.I,
)
# Capitalised words that are not names (titles, organisations, places, calendar words).
NOT_NAME = frozenset(
    """
The A An In On At For And But Or Of To By From With As After Before Since During When While If
This That These Those Its It His Her Their Our We They He She You I Mr Mrs Ms Dr Prof Sir
Chief Officer Executive Operating Financial Technology Technical People Product Vice President
Senior Head Director Counsel General Chairman Chairwoman Chair Board Founder Lead Manager
Research Engineering Communications Audio Applied Machine Learning Integrity Legal Operations
Human Resources Marketing Sales Strategy Global Interim Acting Former Deputy Managing Partner
AI Inc Corp Corporation Company Ltd LLC Plc Group Holdings Capital Ventures Partners Fund Bank
University College Institute Labs Lab Technologies Systems Services Cloud Web Networks Media
Stability Stable Diffusion Amazon Google Microsoft Nvidia NVIDIA Intel Apple Meta OpenAI Getty
Images Coatue Lightspeed Jasper Cohere Samsung Snap Canva Midjourney Clipdrop Slack Twitter X
Bloomberg Reuters Forbes Financial Times Journal Street Wall News Post Press Information Verge
TechCrunch Ars Technica Sifted Semafor Axios Guardian Economist Insider Business Fortune
January February March April May June July August September October November December
Monday Tuesday Wednesday Thursday Friday Saturday Sunday
UK US U.S. U.K. EU London California Germany Munich Heidelberg Paris New York San Francisco
Silicon Valley Europe America China India Japan Korea South North East West
LinkedIn GitHub Hugging Face Series Round Model Models Version Edition Study Paper
""".split()
)

_SEP = re.compile(
    r"[,;:(—–]|\b(?:and|including|includes?|include|with|along\s+with|as\s+well\s+as"
    r"|additionally|also)\b",
    re.I,
)
_RIGHT_ROLE = re.compile(
    r"^\s*(?:\((?P<paren>[^()]{1,60})\)|,\s+(?P<appos>(?:the|a|an|its|their|his|her|"
    r"[A-Z][\w.]*(?:’s|'s))\s+[^,.;()]{1,70}?)(?=[,.;]|\s+(?:who|which|at|said)\b)|"
    r",\s+who\s+(?P<who>(?:led|leads|headed|heads|ran|runs|oversaw|oversees|managed|manages)\s+"
    r"[^,.;()]{1,50}?)(?=[,.;]))"
)


# The words that state a departure; a name before them is a person's (intake.departures finds
# the departures themselves).
DEPART = re.compile(
    r"\b(?:(?:has|have|had)\s+(?:since\s+|also\s+|now\s+|all\s+)?(?:left|resigned|departed|quit|"
    r"exited|stepped\s+down)|left|leaves|leaving|resigned|resigns|resigning|departed|departs|"
    r"departing|quit|quits|exited|exits|stepped\s+down|steps\s+down|stepping\s+down|"
    r"(?:will|to|would|is\s+to|plans\s+to)\s+(?:also\s+|now\s+|soon\s+)?step\s+down|"
    r"(?:was|were|has\s+been|have\s+been|had\s+been|got)\s+(?:fired|ousted|dismissed|let\s+go|"
    r"pushed\s+out|forced\s+out|sacked|removed)|ousted|parted\s+ways|"
    r"departures?\s+(?:of|include|included|including)|resignations?\s+of|"
    r"(?:announced|tendered|submitted)\s+(?:his|her|their)\s+(?:resignation|departure)|"
    r"(?:'s|’s)\s+(?:resignation|departure|exit|ouster)|"
    r"lost\s+(?:\w+\s+){0,3}(?:executives|researchers|staff|employees|leaders|engineers))\b",
    re.I,
)
# How far back from a name or a verb the words that qualify it are looked for (characters): the
# patterns reach a few words back, and a window keeps each look constant in the sentence's length.
WINDOW = 200


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str  # as written
    person_id: str  # the known person, or "" for a new name
    how: str  # how the name was recognised
    role: str  # role as written next to the name, or ""
    # further roles the sentence gives the person: a title a list of names shares ("were named
    # interim co-chief executives"); role_note says how a role was read when not from beside
    # the name ("paired by 'respectively'")
    more_roles: tuple[str, ...] = ()
    role_note: str = ""


class Lexicon:
    """Known spellings of known people: name as written -> person id."""

    def __init__(self, names: dict[str, str], canonical: dict[str, str]):
        self.names = dict(names)
        self.canonical = dict(canonical)  # person_id -> canonical name
        # a known person's surname, when no other known person shares it
        surnames: dict[str, set[str]] = {}
        for name, pid in list(self.names.items()):
            parts = name.split()
            if len(parts) >= 2 and len(parts[-1]) >= 4:
                surnames.setdefault(parts[-1], set()).add(pid)
        for surname, pids in surnames.items():
            if len(pids) == 1 and surname not in self.names:
                self.names[surname] = next(iter(pids))
        self._rx = (
            re.compile(
                r"(?<![\w’'-])(?:"
                + "|".join(re.escape(n) for n in sorted(self.names, key=len, reverse=True))
                + r")(?![\w-])"
            )
            if self.names
            else None
        )

    @classmethod
    def from_facts(cls, facts) -> Lexicon:
        names = dict(zip(facts.person_names["name_as_written"], facts.person_names["person_id"]))
        canonical = dict(zip(facts.persons["person_id"], facts.persons["canonical_name"]))
        for pid, name in canonical.items():
            names.setdefault(name, pid)
        return cls(names, canonical)

    def find(self, text: str):
        if self._rx is None:
            return
        for m in self._rx.finditer(text):
            yield m.start(), m.end(), m.group(0), self.names[m.group(0)]


_ROLE_STOP = frozenset(
    """that said says told who which when while after before on at was is has named appointed
hired promoted tapped picked chose
had have were are be been by to for from with a an the its his her their according as than
also then now later""".split()
)


def _role_left(text: str, start: int) -> str:
    """The title written just before a name: the words back to the previous separator or to the
    first word that cannot belong to a title ('said ... that CEO Jane Roe' gives 'CEO')."""
    left = text[max(0, start - WINDOW) : start]
    cut = 0
    for m in _SEP.finditer(left):
        cut = m.end()
    if (
        not left[cut:].strip()
        and left.rstrip().endswith(",")
        and re.match(r"[^,.;]*?,", text[start : start + 60])
    ):
        # a title set before the name by commas: "its chief executive, Jane Roe, said"
        comma = max(0, start - WINDOW) + left.rstrip().rfind(",")
        before = _role_left(text, comma) if comma > 0 else ""
        return (
            before
            if re.search(
                r"(?:its|the|his|her|their|’s|'s)\s+" + re.escape(before) + "$",
                text[max(0, comma - 80) : comma],
            )
            else ""
        )
    words = left[cut:].split()
    keep: list[str] = []
    for w in reversed(words):
        if w.lower() in _ROLE_STOP:
            break
        keep.insert(0, w)
    while keep and re.fullmatch(r"[\w.-]+(?:’s|'s)", keep[0]):  # "the company's VP of audio"
        keep = keep[1:]
    role = " ".join(keep)
    if role and TITLE_WORD.search(role) and len(keep) <= 8:
        return role
    return ""


def _role_right(text: str, end: int) -> str:
    m = _RIGHT_ROLE.match(text[end:])
    if not m:
        return ""
    if m.group("appos") and not TITLE_WORD.search(m.group("appos")):
        return ""  # an apposition that names no post: "an Oxford-educated mathematician"
    role = (m.group("paren") or m.group("appos") or m.group("who") or "").strip()
    role = re.sub(r"^(?:the|a|an|its|their|his|her)\s+", "", role)
    role = re.sub(r"^[\w.-]+(?:’s|'s)\s+", "", role)
    return role if role else ""


def _role(text: str, a: int, b: int) -> str:
    """The role written with a name: the title before it, with a bracketed function after it
    ('VPs Christian Cantrell (product)'), or an apposition after it."""
    left, right = _role_left(text, a), _role_right(text, b)
    if left and right and text[b:].lstrip().startswith("("):
        return f"{left} ({right})"
    return left or right


def _split_title_run(text: str, a: int, b: int) -> tuple[int, int] | None:
    """Within a capitalised run that may begin with a title ('Chief Operating Officer Shan Shan
    Wong', 'Head of Applied Machine Learning Joe Penna'), the span of the name at its end."""
    words = [(m.start() + a, m.end() + a, m.group(0)) for m in re.finditer(r"\S+", text[a:b])]
    last_title = -1
    for i, (_, _, w) in enumerate(words):
        if TITLE_WORD.fullmatch(w) or w in NOT_NAME:
            last_title = i
    rest = words[last_title + 1 :]
    if len(rest) > 3:
        rest = rest[-2:]
    if len(rest) < 2 or any(w in NOT_NAME for _, _, w in rest):
        return None
    return rest[0][0], rest[-1][1]


def mentions(text: str, lexicon: Lexicon, offset: int = 0) -> list[Mention]:
    """People named in one sentence, known and new, left to right (document offsets)."""
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for a, b, name, pid in lexicon.find(text):
        role = _role(text, a, b)
        found.append(Mention(a, b, name, pid, "known spelling", role))
        taken.append((a, b))
    for m in NAME_RX.finditer(text):
        span = _split_title_run(text, *m.span())
        if span is None:
            continue
        a, b = span
        if any(a < y and x < b for x, y in taken):
            continue
        name = text[a:b]
        if name.endswith(".") or sum(1 for w in name.split() if len(w) > 2) < 2:
            continue
        role_l, role_r = _role_left(text, a), _role_right(text, b)
        role = _role(text, a, b)
        after = text[b : b + 40]
        marked = bool(
            role_l
            or (role_r and TITLE_WORD.search(role_r))
            or re.match(r"^,\s+who\b", after)
            or (DEPART.match(after.lstrip()) and not re.match(r"^\s*'s", after))
        )
        listed = not marked and _listed_with_roles(text, a, b)
        if not (marked or listed):
            continue
        how = (
            "after a role"
            if role_l
            else (
                "in a list of names given roles"
                if listed
                else ("before an apposition" if role_r else "subject of a departure")
            )
        )
        found.append(Mention(a, b, name, "", how, role))
        taken.append((a, b))
    found.sort(key=lambda x: x.start)
    found = _shared_roles(text, found)
    return [
        Mention(
            x.start + offset,
            x.end + offset,
            x.name,
            x.person_id,
            x.how,
            x.role,
            x.more_roles,
            x.role_note,
        )
        for x in found
    ]


_LIST_GAP = re.compile(r"^\s*(?:,\s*(?:and\s+)?|and\s+|&\s+)$")
_RESPECTIVELY = re.compile(
    r"^\s*,\s*(?P<pre>(?:(?:who\s+)?(?:were|was|are|is|had\s+been|have\s+been)\s+|previously\s+|"
    r"formerly\s+|until\s+(?:now|then)\s+|most\s+recently\s+|respectively\s+)*)"
    r"(?P<roles>[^;.()]{3,200}?),?\s+respectively\b"
)
_CO_TITLE = (
    r"(?:(?:interim|acting|joint|new)\s+)*co-?(?:chief\s+executive|ceo|chief\s+[\w-]+\s+officer|"
    r"c[efotpmi]o|head|president|lead|leader|founder|chair(?:man|woman|person)?|director)s?"
)
_CO_AFTER = re.compile(
    rf"^[^.;]{{0,80}}?\b(?:as|named|appointed|become|became|be|were|are|now|the|new)\s+"
    rf"(?:the\s+|its\s+|their\s+)?(?P<role>{_CO_TITLE})\b",
    re.I,
)
_CO_BEFORE = re.compile(rf"\b(?P<role>{_CO_TITLE})\s*,?\s*$", re.I)


_WORDNAME = r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,3}"
_LIST_TAIL = re.compile(rf"^(?:\s*(?:,\s*(?:and\s+)?|and\s+){_WORDNAME})*")
_CO_BEFORE_LIST = re.compile(
    rf"\b{_CO_TITLE}\s+{_WORDNAME}(?:\s*,\s*{_WORDNAME})*\s*,?\s*(?:and\s+)?$", re.I
)


def _listed_with_roles(text: str, a: int, b: int) -> bool:
    """The name at a..b belongs to a list of names that roles are given to: paired by
    'respectively', or sharing a co- title before or after the list."""
    rest = text[b : b + 240]
    rest = rest[_LIST_TAIL.match(rest).end() :]
    if _RESPECTIVELY.match(rest) or _CO_AFTER.match(rest):
        return True
    return bool(_CO_BEFORE_LIST.search(text[max(0, a - 120) : a]))


def _split_roles(text: str) -> list[str]:
    parts = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", text.strip())
    out = [re.sub(r"^(?:the|its|their|his|her)\s+", "", p.strip()) for p in parts if p.strip()]
    # "chief technology officer at the company": the role without where it is held
    return [
        re.sub(r"\s+(?:at|of|for)\s+the\s+(?:company|firm|startup|start-up)$", "", p) for p in out
    ]


def _gap(text: str, left: Mention, right: Mention) -> str:
    """The words between two names, without the second one's title ('and chief technology
    officer')."""
    gap = text[left.end : right.start]
    if right.role and gap.rstrip().endswith(right.role):
        gap = gap[: gap.rstrip().rfind(right.role)]
    return gap


def _list_end(text: str, out: list[Mention], i: int) -> int:
    """The last of the names listed together from out[i] ('A, B and C')."""
    j = i
    while j + 1 < len(out) and _LIST_GAP.match(_gap(text, out[j], out[j + 1])):
        j += 1
    return j


def _respectively(after: str, group: list[int]) -> tuple[dict[int, str], re.Match | None, str]:
    """Roles paired with the names by 'respectively', the match, and the text after it."""
    resp = _RESPECTIVELY.match(after)
    if resp:
        roles = _split_roles(resp.group("roles"))
        if len(roles) == len(group):
            return dict(zip(group, roles)), resp, after[resp.end() :]
    return {}, resp, after


def _with_roles(m: Mention, main: str | None, extra: list[str], resp: re.Match | None) -> Mention:
    """The mention with the role the list gives it (`main`) and the titles it shares."""
    role = m.role if main is None else main
    more = tuple(x for x in (*m.more_roles, *extra) if x != role)
    note = m.role_note
    if resp and main is not None:
        note = f"the role paired with the name by 'respectively' ('{resp.group(0).strip(' ,')}')"
    elif main is not None:
        note = f"the title '{main}' written before the list of names"
    return Mention(m.start, m.end, m.name, m.person_id, m.how, role, more, note)


def _share_roles(text: str, out: list[Mention], i: int, j: int) -> None:
    """Give the names out[i..j], listed together, the roles the list pairs or shares."""
    group = list(range(i, j + 1))
    after = text[out[j].end : out[j].end + 240]
    main, resp, after = _respectively(after, group)
    co = _CO_AFTER.match(after)
    before = _CO_BEFORE.search(text[max(0, out[i].start - 60) : out[i].start])
    if before:
        for k in group[1:]:
            if not out[k].role:
                main[k] = before.group("role")
    for k in group:
        out[k] = _with_roles(out[k], main.get(k), [co.group("role")] if co else [], resp)


def _shared_roles(text: str, found: list[Mention]) -> list[Mention]:
    """Roles a list of names shares or pairs: 'Jane Roe and John Doe, previously chief operating
    officer and chief technology officer, respectively' gives each their own; 'co-chief
    executives Jane Roe and John Doe' or 'Jane Roe and John Doe were named interim co-CEOs'
    gives both the shared title."""
    out = list(found)
    i = 0
    while i < len(out):
        j = _list_end(text, out, i)
        if j > i:
            _share_roles(text, out, i, j)
        i = j + 1
    return out
