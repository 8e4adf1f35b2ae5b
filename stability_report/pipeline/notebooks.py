"""Executed notebooks, checked and made reproducible: nothing written to stderr and no error
may reach the report; timestamps, absolute paths and random ids are stripped."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import NotebookFailed
from .kernel import source_cell_number

_STYLER_ID = re.compile(r'id="T_([0-9a-f]{5,32})')


def _normalize_outputs(nb, stem: str) -> None:
    """pandas Styler tables carry a random uuid in their ids and CSS: number them instead."""
    n = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            html = out.get("data", {}).get("text/html")
            if not isinstance(html, str) or 'id="T_' not in html:
                continue
            for uid in dict.fromkeys(_STYLER_ID.findall(html)):
                n += 1
                html = re.sub(rf"\bT_{uid}", f"T_{stem}-{n}", html)
            out["data"]["text/html"] = html


def clean_executed(nb, source_ids: list[str], stem: str, rel_in: str, rel_out: str):
    """Strip what differs between two runs of the same inputs: papermill's and nbclient's
    timestamps and durations, absolute paths, random cell ids."""
    pm = nb.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration"):
        pm.pop(key, None)
    pm["input_path"], pm["output_path"] = rel_in, rel_out
    known = set(source_ids)
    for i, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        cpm = cell.metadata.get("papermill")
        if cpm is not None:
            for key in ("start_time", "end_time", "duration"):
                cpm.pop(key, None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
        elif cell.get("id") not in known:
            cell["id"] = f"cell-{i:02d}"
    _normalize_outputs(nb, stem)
    return nb


def check_outputs(nb, src: Path) -> None:
    """Nothing written to stderr (warnings included) and no error may reach the report."""
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                raise NotebookFailed(
                    src.name,
                    "the cell wrote to stderr (warnings are errors "
                    "in the report):\n" + out.get("text", "").strip(),
                    source_cell_number(src, i),
                    cell.source,
                )
            if out.get("output_type") == "error":
                raise NotebookFailed(
                    src.name,
                    f"{out.get('ename')}: {out.get('evalue')}",
                    source_cell_number(src, i),
                    cell.source,
                )
