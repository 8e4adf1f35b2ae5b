"""The ids of the fact base: which table each prefix belongs to (read from the schema), the pattern
that finds an id in text, the element id of an id's entry in the report, and the order ids sort
in (by number: M999 before M1000). The standard library only.
"""

from __future__ import annotations

import re

from .schema import FACT_TABLES, TABLES
from .spec import ID_NUMBER


def _prefixes() -> dict[str, str]:
    """Id prefix -> table name, from each table's id column in the schema (a table of rows
    without ids of their own, such as `references`, has none)."""
    out = {}
    for t in TABLES.values():
        col = next((c for c in t.columns if c.kind == "id" and c.unique), None)
        m = re.match(r"\^([A-Z]+)", (col.pattern if col else None) or "")
        if m:
            out[m.group(1)] = t.name
    return out


PREFIX_TABLE = _prefixes()  # {"S": "sources", "P": "persons", "N": "person_names", ...}


# the kind of entry each table's ids have: sources -> source, conflicts -> conflict, ...
KIND = {
    name: ("fact" if name in FACT_TABLES else name.removesuffix("s"))
    for name in PREFIX_TABLE.values()
}


ID = re.compile(r"\b(?:" + "|".join(sorted(PREFIX_TABLE, key=len, reverse=True)) + r")\d{3,}\b")


def kind_of(fid: str) -> str:
    """'fact', 'source', 'conflict' or 'person'."""
    return KIND[PREFIX_TABLE[fid.rstrip("0123456789")]]


def anchor(fid: str) -> str:
    """The element id of an id's entry: fact-M014, source-S000, conflict-C001, person-P001."""
    return f"{kind_of(fid)}-{fid}"


_ID = re.compile(rf"^([A-Z])({ID_NUMBER})$")


def id_sort_key(fact_id: str) -> tuple[str, int, str]:
    """Sort ids by prefix, then by number: M999 before M1000 (not after, as text would)."""
    m = _ID.match(fact_id)
    return (m.group(1), int(m.group(2)), fact_id) if m else (fact_id, -1, fact_id)


def by_number(column):
    """A `sort_values` key that sorts a column of fact ids by number (id_sort_key) and leaves any
    other column as it is."""
    return column.map(id_sort_key) if column.name == "fact_id" else column
