"""The executed notebooks as one notebook of all chapters, in reading order, without the cells
the report does not show; figures and tables numbered in reading order."""

from __future__ import annotations

import copy
import re
from typing import Any

REMOVE_CELL_TAGS = {
    "parameters",
    "injected-parameters",
    "remove-cell",
    "remove_cell",
    "notebook-only",
}


BRIEF_TAG = "brief"  # cells of the first notebook that make up the brief


REMOVE_INPUT_TAGS = {"remove-input", "remove_input", "hide-input", "hide_input"}


REMOVE_OUTPUT_TAGS = {"remove-output", "remove_output", "hide-output", "hide_output"}


def combine(executed: list[tuple[str, Any]], show_code: bool):
    """One notebook of all chapters in reading order, without the parameter cells and the cells
    tagged `notebook-only`; code cells that show nothing are dropped (unless code is shown). Cell
    ids are prefixed by the notebook, so they stay unique. The first notebook's cells tagged
    `brief` are marked for the template, which marks them in the page."""
    import nbformat

    merged = nbformat.v4.new_notebook()
    first = executed[0][1].metadata
    merged.metadata = nbformat.from_dict(
        {k: first[k] for k in ("kernelspec", "language_info") if k in first}
    )
    for n, (stem, nb) in enumerate(executed):
        for cell in nb.cells:
            tags = set(cell.metadata.get("tags", []))
            if tags & REMOVE_CELL_TAGS:
                continue
            c = copy.deepcopy(cell)
            c["id"] = f"{stem}-{cell.get('id', '')}"
            if n == 0 and BRIEF_TAG in tags:
                c.metadata["stability_report_brief"] = True
            if c.cell_type == "code":
                if tags & REMOVE_OUTPUT_TAGS:
                    c.outputs = []
                if tags & REMOVE_INPUT_TAGS:
                    c["transient"] = {"remove_source": True}
                if not c.outputs and (not show_code or tags & REMOVE_INPUT_TAGS):
                    continue
            merged.cells.append(c)
    return merged


_FIGCAPTION = re.compile(r"(<figure\b[^>]*\breport-figure\b[^>]*>.*?<figcaption\b[^>]*>)", re.S)


def number_figures(nb) -> int:
    """Prefix each report figure's caption with `Figure N:` in reading order."""
    n = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            html = data.get("text/html")
            if not isinstance(html, str) or "report-figure" not in html:
                continue

            def label(m: re.Match) -> str:
                nonlocal n
                n += 1
                return f'{m.group(1)}<span class="figure-number">Figure {n}:</span> '

            data["text/html"] = _FIGCAPTION.sub(label, html)
    return n


_REPORT_TABLE = re.compile(
    r'(?:<div\b[^>]*\bid="tbl-([a-z0-9][a-z0-9-]*)"[^>]*>\s*)?'
    r'(<table\b[^>]*\bclass="report-table"[^>]*>)(\s*<caption\b[^>]*>)?'
)


def number_tables(nb) -> dict[str, int]:
    """Number the report's tables (present.tables.show_table) in reading order: `Table N:` before
    each caption (a table without one gets `Table N`). Returns each anchor's number."""
    n = 0
    anchors: dict[str, int] = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            html = data.get("text/html")
            if not isinstance(html, str) or "report-table" not in html:
                continue

            def label(m: re.Match) -> str:
                nonlocal n
                n += 1
                if m.group(1):
                    anchors[m.group(1)] = n
                if m.group(3):
                    return f'{m.group(0)}<span class="table-number">Table {n}:</span> '
                return f'{m.group(0)}<caption><span class="table-number">Table {n}</span></caption>'

            data["text/html"] = _REPORT_TABLE.sub(label, html)
    return anchors
