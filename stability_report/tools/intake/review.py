"""The review file's own work on the candidates of one article (intake.extract): one row per
candidate stated in several sentences (a name, organisation, role, departure or amount), with
every quote verbatim and its offsets in `all_quotes`, no organisation named like a person, the
fields `accept` needs to add a person the fact base does not know, and the required columns a
candidate still leaves empty (`to_complete`).
"""

from __future__ import annotations

import re

from ...facts.schema import TABLES
from .people import TITLE_WORD
from .roles import function_of, seniority_of


def is_person_id(value: str) -> bool:
    return bool(re.fullmatch(r"P\d{3,}", value))


# Required columns of each target table, under the candidates file's names.
_CANDIDATE_NAME = {"date_precision": "precision", "person_id": "person"}


def to_complete(row: dict) -> list[str]:
    """The columns the target table requires that the candidate leaves empty (and, for a
    person the fact base does not know, the persons fields `accept` needs)."""
    table = row.get("table") or row.get("suggested_table")
    if table not in TABLES:
        return []
    out = []
    if row.get("person") and not is_person_id(row["person"]):
        out += [c for c in PERSON_FIELDS if not str(row.get(c, "")).strip()]
    for c in TABLES[table].columns:
        if not c.required or c.kind == "id" and c.unique:
            continue
        name = _CANDIDATE_NAME.get(c.name, c.name)
        if not str(row.get(name, "")).strip():
            out.append(name)
    return out


# What a role's words say of a new person's relation to the company (persons.affiliation).
_AFFILIATION = (
    ("board", re.compile(r"\bboard\b|\bchair\w*|\bnon-executive\b", re.I)),
    ("investor", re.compile(r"\binvestors?\b|\bpartner\s+at\b|\bventure\b|\bfund\b", re.I)),
    ("external", re.compile(r"\bprofessor\b|\banalyst\b|\bat\s+(?:the\s+)?university\b", re.I)),
    ("staff", TITLE_WORD),
)
PERSON_FIELDS = ("affiliation", "outcome", "function", "seniority", "sd_author")


def propose_new_people(rows: list[dict]) -> None:
    """Propose the fields `accept` needs to add a person the fact base does not know (on each
    row naming them): affiliation from their role's words, outcome `departed` when the article
    says they left and `mentioned` otherwise, function and seniority from the role, sd_author
    `no` (the article names nobody as an author of the Stable Diffusion study unless the
    reviewer sees otherwise). Each proposal is named in the note."""
    people_rows: dict[str, list[dict]] = {}
    for r in rows:
        if r["kind"] in ("person", "role", "departure") and not is_person_id(r["person"]):
            people_rows.setdefault(r["person"], []).append(r)
    for name, mine in people_rows.items():
        roles = [r["role_as_written"] for r in mine if r["role_as_written"]]
        affiliation = next((a for a, rx in _AFFILIATION for role in roles if rx.search(role)), "")
        outcome = "departed" if any(r["kind"] == "departure" for r in mine) else "mentioned"
        function = next((function_of(x) for x in roles if function_of(x)), "")
        seniority = next((seniority_of(x) for x in roles if seniority_of(x)), "")
        proposed = {
            "affiliation": affiliation,
            "outcome": outcome,
            "function": function,
            "seniority": seniority,
            "sd_author": "no",
        }
        said = ", ".join(f"{k} {v}" for k, v in proposed.items() if v)
        for r in mine:
            for k, v in proposed.items():
                if not r[k]:
                    r[k] = v
            r["note"] = "; ".join(
                x
                for x in (
                    r["note"],
                    f"a new person: {said} proposed from what this article says of "
                    f"{name} ({'; '.join(roles) or 'no role'})",
                )
                if x
            )


def person_names(rows: list[dict]) -> set[str]:
    return {r[k] for r in rows if r["kind"] == "person" for k in ("person", "name_as_written")}


def _collapse_key(r: dict) -> tuple | None:
    kind = r["kind"]
    if kind == "person":
        return (kind, r["person"])
    if kind == "organisation":
        return (kind, r["counterparty"])
    if kind == "role":
        return (kind, r["person"], r["role_as_written"].lower())
    if kind == "departure":
        return (kind, r["person"], r["date_start"], r["date_end"], r["precision"])
    if kind == "money" and r["value"]:
        keys = ("value", "bound", "unit", "metric", "date_start", "date_end", "status")
        return (kind,) + tuple(r[k] for k in keys)
    return None


def collapse(rows: list[dict], names: set[str]) -> list[dict]:
    """One row per repeated candidate (the same name, organisation, role, departure or amount
    stated in several sentences), holding every quote verbatim with its offsets; organisation
    candidates that are the name of a person the article names are dropped."""
    rows = [r for r in rows if not (r["kind"] == "organisation" and r["counterparty"] in names)]
    rows.sort(key=lambda r: int(r["start"]))
    out: list[dict] = []
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        key = _collapse_key(r)
        if key is None:
            out.append(r)
            continue
        if key not in groups:
            groups[key] = []
            out.append(r)
        groups[key].append(r)
    for r in out:
        same = groups.get(_collapse_key(r) or (), [r]) if _collapse_key(r) else [r]
        r["mentions"] = str(len(same))
        if len(same) > 1:
            r["all_quotes"] = "\n".join(f"[{x['start']}-{x['end']}] {x['quote']}" for x in same)
            for col in ("original_reporter", "attributed_to"):
                if not r[col]:
                    r[col] = next((x[col] for x in same if x[col]), "")
            r["note"] = "; ".join(
                x
                for x in (
                    r["note"],
                    f"stated in {len(same)} places (all_quotes): one row for all of them",
                )
                if x
            )
    return out
