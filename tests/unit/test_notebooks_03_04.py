"""Notebooks 03 (people and control), 04 (sources and data quality) and 05 (appendices): committed
clean, and running under papermill with the defaults and with other analysis dates without an
error or a warning in the output. Every notebook's parameters cell is checked in
test_notebooks.py.

The tests of the same that need a whole run are in tests/integration/test_notebooks_03_04.py.
"""

from __future__ import annotations

import ast

import nbformat
import pytest

from stability_report import config

NOTEBOOKS = ("03-executive-attrition", "04-sources-and-data-quality", "05-appendices")


def _read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(config.NOTEBOOKS / f"{name}.ipynb", as_version=4)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_without_outputs_and_without_functions(name):
    nb = _read(name)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None
            tree = ast.parse(cell.source)
            assert not [
                n
                for n in ast.walk(tree)
                if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.Lambda))
            ]
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
