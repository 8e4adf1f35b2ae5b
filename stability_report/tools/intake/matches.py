"""The existing facts a candidate of the extraction assistant (intake.extract) repeats or
contradicts, judged by intake.relations as `facts check` judges the fact base: the statement it
restates (`restates`: accepting it adds a reference to that statement), the statements it
cannot hold beside (`conflicts_with`, unless a recorded conflict already holds the
disagreement), and what else bears on it: the same amount, the same person's name, role or
departure, an organisation the fact base names, or a fact recorded from an overlapping quote of
the same source. Each candidate gets them all in `matches` (ids, by number) and `match_note`
(why each).
"""

from __future__ import annotations

import re

import pandas as pd

from ...facts.base import Facts
from ...facts.ids import id_sort_key
from . import relations as rel
from . import statements as st
from .judged import Judged, Nearby


def overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


# The tables whose facts a candidate of each kind may share a quote with (by fact id prefix).
_RELEVANT = {
    "money": ("M",),
    "departure": ("R",),
    "role": ("R",),
    "person": ("N",),
    "date": ("E", "M", "R"),
    "organisation": ("M", "E"),
}
_PEOPLE_KINDS = ("departure", "role", "person")


def _quote_spans(facts: Facts, text: str, source_id: str) -> dict[str, list[tuple[int, int]]]:
    """Where in `text` each fact recorded from this source quotes it."""
    t = facts.tables
    spans: dict[str, list[tuple[int, int]]] = {}
    if not source_id:
        return spans
    for table in ("money", "events", "personnel", "person_names"):
        f = t[table][t[table]["source_id"] == source_id]
        for fid, quote in zip(f["fact_id"], f["quote"]):
            spans[fid] = [
                (m.start(), m.start() + len(quote)) for m in re.finditer(re.escape(quote), text)
            ]
    return spans


def _same_value(r: dict, amounts: list[tuple[str, float]], found: dict[str, str]) -> None:
    if r["kind"] == "money" and r["value"]:
        v = float(r["value"])
        for fid, value in amounts:
            if abs(value - v) <= 1e-9 * max(v, 1):
                found[fid] = f"same value ({r['value']})"


def _judged(r: dict, c, judged: Judged, nearby: Nearby, found: dict[str, str]) -> None:
    """What relations judges of the candidate against each recorded statement: `restates` and
    `conflicts_with` of the row, and a reason for each in `found`."""
    restates, conflicts = [], []
    for f, x in judged.related(c, nearby.context(r)) if c is not None else []:
        if x.kind == "restates":
            restates.append(f)
            found[f.id] = f"restates it: {x.reason}"
        elif x.total:
            found[f.id] = f"a total and a part of it: {x.reason}"
        elif x.kind == "conflict":
            held = judged.covered(f, c)
            if not held:
                conflicts.append(f.id)
            found[f.id] = f"conflicts: {x.reason}" + (
                f" (already recorded: {held})" if held else ""
            )
    # a person's rows are one per source by design (relations.PER_SOURCE_TABLES): a source's
    # account of a person is a row of its own, noted here rather than made a reference
    per_source = c is not None and c.table in rel.PER_SOURCE_TABLES
    r["restates"] = "" if per_source else min((f.id for f in restates), key=id_sort_key, default="")
    r["conflicts_with"] = " ".join(sorted(conflicts, key=id_sort_key))


def _same_person(r: dict, judged: Judged, found: dict[str, str]) -> None:
    """The known person's recorded name, departure or role that this candidate repeats."""
    kind = r["kind"]
    if kind not in _PEOPLE_KINDS or not re.fullmatch(r"P\d{3,}", r["person"]):
        return
    table = "person_names" if kind == "person" else "personnel"
    for x in judged.groups.get((table, r["person"]), []):
        if kind == "person" and x.name == r["name_as_written"]:
            found.setdefault(x.id, "same name as written")
        elif kind == "departure" and x.status == "departed":
            found.setdefault(x.id, "same person, departed")
        elif kind == "role" and x.role == r["role_as_written"]:
            found.setdefault(x.id, "same person and role")


def _same_quote(
    r: dict, spans: dict, source_id: str, person_of: dict[str, str], found: dict[str, str]
) -> None:
    """Facts of this source recorded from a quote that overlaps the candidate's."""
    kind = r["kind"]
    here = (int(r["start"]), int(r["end"]))
    for fid, occ in spans.items():
        if kind in _PEOPLE_KINDS and person_of.get(fid) != r["person"]:
            continue
        if fid.startswith(_RELEVANT[kind]) and any(overlap(here, o) for o in occ):
            found.setdefault(fid, f"recorded from an overlapping quote of {source_id}")


def find_matches(
    rows: list[dict],
    text: str,
    source_id: str,
    facts: Facts,
    orgs: dict[str, list[str]],
    person_of: dict[str, str],
) -> None:
    """Fill each row's `matches` and `match_note`: `orgs` maps an organisation's name to the
    facts naming it, `person_of` a personnel or person_names fact to its person."""
    spans = _quote_spans(facts, text, source_id)
    money = facts.tables["money"]
    amounts = [(f, v) for f, v in zip(money["fact_id"], money["value"]) if pd.notna(v)]
    judged = Judged.of(facts)
    stmts = [st.statement(r, row_id=f"candidate {r['candidate']}") for r in rows]
    nearby = Nearby(judged, rows, stmts)
    for r, c in zip(rows, stmts):
        found: dict[str, str] = {}
        _same_value(r, amounts, found)
        _judged(r, c, judged, nearby, found)
        _same_person(r, judged, found)
        if r["kind"] == "organisation":
            for fid in orgs.get(r["counterparty"], []):
                found[fid] = "names this organisation"
        _same_quote(r, spans, source_id, person_of, found)
        r["matches"] = " ".join(sorted(found, key=id_sort_key))
        r["match_note"] = "; ".join(f"{k}: {found[k]}" for k in sorted(found, key=id_sort_key))
