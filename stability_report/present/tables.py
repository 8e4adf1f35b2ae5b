"""Tables for reading: a frame's values formatted (money as $12.8M, shares as percentages, dates
as months, months of runway to one decimal; empty cells for unknown values), and the HTML table
the notebooks show (`show_table`, `show_details`): no index, every value escaped, Cited values
with their citation, an anchor other text can refer to, rows that are the entries of their ids.
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd

from ..analysis.cited import Cited
from ..facts.ids import ID
from ..facts.ids import anchor as entry_anchor
from ..formats import money
from .markdown import citation, value_text

TABLE_ANCHOR = re.compile(r"[a-z0-9][a-z0-9-]*")  # the NAME of show_table(..., anchor=NAME)


def runway_cells(df: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """runway.runway_table for reading: one column per scenario, each cell the months of runway
    and the month the cash runs out ('0.3 months, Nov 2023'), or '> N months' past the horizon."""
    out = pd.DataFrame(
        {
            "basis": df["basis"],
            "net burn, first month": [
                ("" if pd.isna(v) else money(v, short=True)) for v in df["net burn, first month"]
            ],
        }
    )
    for col in df.columns:
        if not col.endswith(": months"):
            continue
        name = col[: -len(": months")]
        out[name] = [
            f"> {horizon} months" if pd.isna(m) else f"{m:.1f} months, {pd.Timestamp(d):%b %Y}"
            for m, d in zip(df[col], df[f"{name}: runs out"])
        ]
    return out


_NUMERIC = re.compile(
    r"^(?:[-+]?\$?[\d,]+(?:\.\d+)?[KMB%]?|(?:more than|less than|about|at "
    r"least|>) \$?[\d,.]+[KMB%]?)$"
)


def _plain(v: object) -> str:
    return value_text(v) if isinstance(v, Cited) else str(v)


def _cell(v: object) -> str:
    """A table cell's HTML: text escaped (no literal $ for math typesetting to pair); a Cited
    value with its citation."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
        return ""
    if isinstance(v, Cited):
        return _cell(value_text(v)) + citation(v)
    return html.escape(str(v)).replace("$", "&#36;")


def table_html(
    df: pd.DataFrame,
    caption: str | None = None,
    anchor: str | None = None,
    row_ids: str | None = None,
) -> str:
    """An HTML table for reading: no index, every value escaped, numeric columns right-aligned,
    math typesetting disabled (a table of amounts is full of dollar signs).

    With `anchor`, the table is the element `#tbl-<anchor>`, which `<a class="table-ref"
    href="#tbl-<anchor>">` links to (the render numbers the tables and makes such a link read
    "Table N"). With `row_ids`, the column whose ids name the rows: each row becomes the entry
    of its id (`<tr id="conflict-C001">`), which the id links to instead of an entry in the
    evidence appendix (a register that lists each conflict once, for instance)."""
    if anchor is not None and not TABLE_ANCHOR.fullmatch(anchor):
        raise ValueError(f"table anchor {anchor!r}: expected lower-case letters, digits and '-'")
    if row_ids is not None and row_ids not in df.columns:
        raise ValueError(f"row_ids: no column {row_ids!r} in the table")
    cols = list(df.columns)
    right = [
        bool(len(df))
        and all(_NUMERIC.match(_plain(v)) or _plain(v) in ("", "nan", "None", "NaT") for v in df[c])
        for c in cols
    ]

    def attrs(r: bool) -> str:
        return (
            'class="num" style="text-align:right"' if r else 'class="text" style="text-align:left"'
        )

    head = "".join(f"<th {attrs(r)}>{_cell(c)}</th>" for c, r in zip(cols, right))
    body = []
    key = cols.index(row_ids) if row_ids is not None else None
    # a row about one conflict (its id in a "Conflict" column) labels the conflict's readings
    conflict = cols.index("Conflict") if "Conflict" in cols else None
    for row in df.itertuples(index=False):
        cells = "".join(f"<td {attrs(r)}>{_cell(v)}</td>" for v, r in zip(row, right))
        ident = ""
        if key is not None and ID.fullmatch(str(row[key])):
            ident = f' id="{entry_anchor(str(row[key]))}"'
        if conflict is not None and ID.fullmatch(str(row[conflict])):
            ident += ' class="conflict-row"'
        body.append(f"<tr{ident}>{cells}</tr>")
    cap = f"<caption>{_cell(caption)}</caption>" if caption else ""
    ident = f' id="tbl-{anchor}"' if anchor else ""
    return (
        f'<div class="report-table-wrap tex2jax_ignore mathjax_ignore"{ident}>'
        f'<table class="report-table">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def show_table(
    df: pd.DataFrame,
    caption: str | None = None,
    anchor: str | None = None,
    row_ids: str | None = None,
) -> None:
    """Display table_html(df, caption, anchor, row_ids) in the notebook."""
    from IPython.display import HTML, display

    display(HTML(table_html(df, caption, anchor, row_ids)))


def show_details(
    df: pd.DataFrame, caption: str, anchor: str | None = None, row_ids: str | None = None
) -> None:
    """Display a long register folded away in the HTML (a link into it opens it; printed in
    full): table_html(df, caption, anchor, row_ids) under a summary line."""
    from IPython.display import HTML, display

    summary = html.escape(f"{caption} ({len(df):,} rows)")
    display(
        HTML(
            f'<details class="register"><summary>{summary}</summary>'
            f"{table_html(df, caption, anchor, row_ids)}</details>"
        )
    )
