"""Notebooks 03 (people and control), 04 (sources and data quality) and 05 (appendices): the tests
that need a whole run (the report rendered, a kernel, a browser or the command line in a
subprocess); the others, and what they cover, are in tests/unit/test_notebooks_03_04.py.
"""

from __future__ import annotations

import re

import nbformat
import papermill as pm
import pytest
from unit.test_notebooks_03_04 import NOTEBOOKS

from stability_report import config

FIGURES = {
    "03-executive-attrition": ("attrition-timeline",),
    "04-sources-and-data-quality": (),
    "05-appendices": (),
}


PARAMETER_SETS = {
    "defaults": {},
    "before-any-source": {"as_of": "2023-06-30"},  # no article published yet: no facts
    "far-future": {"as_of": "2030-01-01"},
}


def _text(nb: nbformat.NotebookNode) -> str:
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            out.append(data.get("text/markdown", "") + data.get("text/html", ""))
    return "\n".join(out)


@pytest.mark.parametrize("label", PARAMETER_SETS)
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_runs_under_papermill(name, label, tmp_path, monkeypatch):
    monkeypatch.setenv("STABILITY_REPORT_FIGURES_DIR", str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", str(config.ROOT))
    out = tmp_path / f"{name}.ipynb"
    pm.execute_notebook(
        str(config.NOTEBOOKS / f"{name}.ipynb"),
        str(out),
        parameters=PARAMETER_SETS[label],
        kernel_name="python3",
        cwd=str(config.NOTEBOOKS),
        progress_bar=False,
    )
    nb = nbformat.read(out, as_version=4)
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            assert o["output_type"] not in ("error", "stream"), (cell.source, o)
            assert "image/png" not in o.get("data", {}), "figures go through style.show"
    text = _text(nb)
    assert "Traceback" not in text and "Warning" not in text
    assert not re.search(r"\bnan\b|\bNaT\b|None", text)
    written = {p.stem for p in tmp_path.glob("*.svg")}
    if label == "before-any-source":
        assert not written  # no empty charts
        assert "Not available as of 30 June 2023" in text
    else:
        assert set(FIGURES[name]) <= written
        assert {p.stem for p in tmp_path.glob("*.png")} >= set(FIGURES[name])
        # amounts stay literal text, never TeX: every $ in prose is escaped
        assert not re.search(r"(?<![\\&#\w])\$\d", re.sub(r"<[^>]+>", "", text))
