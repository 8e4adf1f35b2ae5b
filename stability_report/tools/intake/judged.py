"""A fact base's statements judged against each other once (intake.relations), for `facts check`
and the extraction assistant: the pairs that share a metric, an event or a person, which
statements agree with which, and which recorded conflict already holds a disagreement.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from itertools import combinations

from ...facts.base import Facts
from . import relations as rel
from . import statements as st


def group(s: st.Statement) -> tuple[str, str]:
    """Statements that can restate or contradict each other share a group: one metric, one
    event, one person."""
    return (s.table, s.subject if s.table in ("money", "events") else s.person)


# How far (in characters) from a candidate the amounts lie that it may be the total of.
NEARBY = 2000


def _offset(row: dict, column: str) -> int | None:
    try:
        return int(row.get(column) or "")
    except ValueError:
        return None


def _connected(g: dict[str, set[str]], u: str, v: str) -> bool:
    seen, todo = {u}, [u]
    while todo:
        for w in g.get(todo.pop(), ()):
            if w == v:
                return True
            if w not in seen:
                seen.add(w)
                todo.append(w)
    return False


@dataclass
class Judged:
    """The statements of one fact base, grouped, with what each pair of a group is to the
    other, judged on demand and once."""

    statements: dict[str, st.Statement]
    context: rel.Context
    groups: dict[tuple[str, str], list[st.Statement]]
    recorded: list[tuple[str, str, str]]  # conflicts.csv: fact_id_a, fact_id_b, conflict_id
    # person -> spelling -> spellings a recorded conflict sets against it
    spellings: dict[str, dict[str, set[str]]]
    _pairs: list[tuple[st.Statement, st.Statement, rel.Relation]] | None = None
    _agreeing: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, facts: Facts) -> Judged:
        stmts = st.statements(facts.tables)
        groups: dict[tuple[str, str], list[st.Statement]] = {}
        for s in stmts:
            groups.setdefault(group(s), []).append(s)
        c = facts.tables["conflicts"]
        recorded = list(zip(c["fact_id_a"], c["fact_id_b"], c["conflict_id"]))
        by_id = {s.id: s for s in stmts}
        spellings: dict[str, dict[str, set[str]]] = {}
        for x, y, _ in recorded:
            a, b = by_id.get(x), by_id.get(y)
            if a is None or b is None or a.table != "person_names" or a.person != b.person:
                continue
            g = spellings.setdefault(a.person, {})
            for u, v in rel.name_differences(a.name, b.name):
                g.setdefault(u.casefold(), set()).add(v.casefold())
                g.setdefault(v.casefold(), set()).add(u.casefold())
        return cls(by_id, rel.Context.of(stmts), groups, recorded, spellings)

    def pairs(self) -> list[tuple[st.Statement, st.Statement, rel.Relation]]:
        """Every pair of statements that share a group, in id order within each group."""
        if self._pairs is None:
            self._pairs = []
            for members in self.groups.values():
                for a, b in combinations(members, 2):
                    self._pairs.append((a, b, rel.relation(a, b, self.context)))
        return self._pairs

    def related(
        self, s: st.Statement, context: rel.Context | None = None
    ) -> list[tuple[st.Statement, rel.Relation]]:
        """What each fact of `s`'s group is to `s` (a candidate, or a fact of this base)."""
        return [
            (f, rel.relation(f, s, context or self.context))
            for f in self.groups.get(group(s), [])
            if f.id != s.id
        ]

    def agreeing_with(self, s: st.Statement) -> set[str]:
        """The ids of `s` and of the facts that agree with it."""
        if s.id in self._agreeing:
            return self._agreeing[s.id]
        ids = {s.id} | {f.id for f, r in self.related(s) if r.agrees}
        if s.id in self.statements:
            self._agreeing[s.id] = ids
        return ids

    def covered(self, a: st.Statement, b: st.Statement) -> str:
        """The recorded conflict that already holds the disagreement of `a` and `b`: for money
        and events, one between these two; for what sources say of a person (merged per person),
        one between statements that agree with `a` and with `b` (for names: spellings that
        recorded conflicts of that person already set against each other). Empty when none
        does."""
        if a.table == "person_names":
            g = self.spellings.get(a.person, {})
            diffs = rel.name_differences(a.name, b.name)
            if diffs and all(_connected(g, u.casefold(), v.casefold()) for u, v in diffs):
                ids = sorted(
                    cid
                    for x, y, cid in self.recorded
                    if x in self.statements
                    and self.statements[x].table == "person_names"
                    and self.statements[x].person == a.person
                )
                return ", ".join(ids)
        if a.table not in rel.PER_SOURCE_TABLES:
            # a money or event fact counts by itself: the analysis sets aside only the facts a
            # conflict names, so a conflict held by statements that merely agree with these two
            # would leave one of them counted beside the other (a round counted twice)
            for x, y, cid in self.recorded:
                if {x, y} == {a.id, b.id}:
                    return cid
            return ""
        ea, eb = self.agreeing_with(a), self.agreeing_with(b)
        for x, y, cid in self.recorded:
            if (x in ea and y in eb) or (x in eb and y in ea):
                return cid
        return ""


class Nearby:
    """The contexts in which an article's candidates are judged: the fact base's, with the
    article's own amounts that stand within NEARBY characters of the candidate (a total the
    article gives may be the sum of amounts it lists beside it)."""

    def __init__(self, judged: Judged, rows: list[dict], stmts: list[st.Statement | None]):
        self.judged = judged
        near = [
            (at, c)
            for r, c in zip(rows, stmts)
            if c is not None and c.table == "money" and (at := _offset(r, "start")) is not None
        ]
        self.near = sorted(near, key=lambda x: x[0])
        self.starts = [x for x, _ in self.near]

    def context(self, row: dict) -> rel.Context:
        base = self.judged.context
        start, end = _offset(row, "start"), _offset(row, "end")
        if start is None:
            return base
        window = slice(
            bisect.bisect_left(self.starts, start - NEARBY),
            bisect.bisect_right(self.starts, (end or start) + NEARBY),
        )
        return rel.Context(
            base.parties,
            base.money + [m for _, m in self.near[window]],
            base.read,
            _names_rx=base.names_rx(),
        )
