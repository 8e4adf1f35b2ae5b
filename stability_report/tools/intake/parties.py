"""Counterparties by name: the organisation names in a counterparty cell (`party_names`), and
whether two names are one organisation (`same_party`: equal, one inside the other word for
word, or one the initials of the other, "AWS"). intake.relations compares money statements'
counterparties with these. What a judgement may look at beyond two statements (`Context`: the
names the fact base knows, the money statements a total may be the sum of), and the
counterparties of a statement, from its cell or else read from its quote (`parties_of`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .statements import Statement


def party_names(text: str) -> list[str]:
    """The organisation names in a counterparty cell: 'Coatue; Lightspeed Venture Partners
    (leads)' -> Coatue, Lightspeed Venture Partners; 'cloud providers like Amazon Web Services'
    -> Amazon Web Services; 'a number of large investors' -> none."""
    out = []
    for part in re.split(r";|,|\band\b|&", re.sub(r"\([^)]*\)", "", text or "")):
        words = part.split()
        while words and not words[0][:1].isupper():
            words = words[1:]
        name = " ".join(words).strip(" .")
        if len(name) >= 2:
            out.append(name)
    return out


def _words(name: str) -> list[str]:
    return re.findall(r"[\w’'-]+", name.casefold())


def initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Z][\w’'-]*", name))


@functools.lru_cache(maxsize=4096)
def same_party(x: str, y: str) -> bool:
    """One organisation under two names: equal, one inside the other word for word ('Lightspeed'
    and 'Lightspeed Venture Partners'), or one the initials of the other ('AWS')."""
    wx, wy = _words(x), _words(y)
    if not wx or not wy:
        return False
    short, long_ = (wx, wy) if len(wx) <= len(wy) else (wy, wx)
    if any(long_[i : i + len(short)] == short for i in range(len(long_) - len(short) + 1)):
        return True
    for p, q in ((x, y), (y, x)):
        if re.fullmatch(r"[A-Z]{2,}", p.strip()) and initials(q) == p.strip():
            return True
    return False


@dataclass
class Context:
    """What a judgement may look at beyond the two statements: the organisation names the fact
    base knows (to read a counterparty from a quote that names one) and the money statements a
    total may be the sum of."""

    parties: tuple[str, ...] = ()
    money: list[Statement] = field(default_factory=list)
    # the counterparties read from each statement's quote, read once
    read: dict[Statement, list[str]] = field(default_factory=dict, repr=False)
    _by_measure: dict[tuple[str, str], list[Statement]] | None = field(default=None, repr=False)
    _names_rx: re.Pattern | None = field(default=None, repr=False)

    def names_rx(self) -> re.Pattern | None:
        """One pattern for every known name and the initials of each (AWS), longest first."""
        if self._names_rx is None and self.parties:
            short = {initials(k) for k in self.parties if len(initials(k)) >= 2}
            names = sorted(set(self.parties) | short, key=lambda n: (-len(n), n))
            alternatives = "|".join(re.escape(n) for n in names)
            self._names_rx = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")
        return self._names_rx

    def measuring(self, s: Statement) -> list[Statement]:
        """The money statements of `s`'s metric and unit."""
        if self._by_measure is None:
            self._by_measure = {}
            for m in self.money:
                self._by_measure.setdefault((m.subject, m.unit), []).append(m)
        return self._by_measure.get((s.subject, s.unit), [])

    @classmethod
    def of(cls, statements: Iterable[Statement]) -> Context:
        money = [s for s in statements if s.table == "money"]
        names: set[str] = set()
        for s in money:
            names.update(party_names(s.counterparty))
        return cls(tuple(sorted(names, key=lambda n: (-len(n), n))), money)


def parties_in_quote(s: Statement, ctx: Context) -> list[str]:
    """The known organisations the quote names beside the amount: each name goes to the amount
    of the quote it stands nearest (a quote listing 'a $1 million bill to AWS and $600,000 to
    CoreWeave' gives each amount its creditor)."""
    rx = ctx.names_rx()
    if not s.quote or rx is None:
        return []
    from .amounts import find_amounts

    amounts = [(x.start, x.end, x.value) for x in find_amounts(s.quote)]
    mine = [
        x for x in amounts if s.value is not None and x[2] is not None and float(x[2]) == s.value
    ]
    found = []
    for m in rx.finditer(s.quote):
        if mine and len(amounts) > 1:
            near = min(amounts, key=lambda x: min(abs(x[0] - m.end()), abs(m.start() - x[1])))
            if near not in mine:
                continue
        found.append(m.group(0))
    return found


def parties_of(s: Statement, ctx: Context) -> tuple[list[str], bool]:
    """The statement's counterparties, and whether they were read from its quote."""
    if s.counterparty:
        return party_names(s.counterparty), False
    if s not in ctx.read:
        ctx.read[s] = parties_in_quote(s, ctx)
    return ctx.read[s], True


def cover(xs: list[str], ys: list[str]) -> bool:
    """Every party of xs is one of ys."""
    return all(any(same_party(x, y) for y in ys) for x in xs)
