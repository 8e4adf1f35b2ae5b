"""Notebooks: valid, committed clean, parameters declared exactly as Params declares them, and
notebooks 01 and 02 run under papermill with the defaults and other parameter sets without an
error or a warning reaching the report. (03 and 04 are run by their own tests.)

The tests of the same that need a whole run are in tests/integration/test_notebooks.py.
"""

from __future__ import annotations

import ast
import re
from dataclasses import fields

import nbformat
import pytest

from stability_report import config
from stability_report.params import BURN_BASES, Params

NOTEBOOKS = sorted(config.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def test_the_notebooks_in_reading_order():
    assert [p.name[:3] for p in NOTEBOOKS] == ["01-", "02-", "03-", "04-", "05-"]


def not_clean(nb) -> list[str]:
    """The code cells committed with outputs or an execution count."""
    return [
        cell.source[:60]
        for cell in nb.cells
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_valid_and_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert not_clean(nb) == []


@pytest.mark.parametrize("dirt", ["outputs", "execution_count"])
def test_clean_check_catches_a_committed_output_or_count(dirt):
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    if dirt == "outputs":
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="x")]
    else:
        cell.execution_count = 3
    nbformat.validate(nb)  # still a valid notebook: only the clean check objects
    assert not_clean(nb) == [cell.source[:60]]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_cell_declares_exactly_the_params(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and nb.cells[1] is tagged[0]
    declared = []
    for node in ast.parse(tagged[0].source).body:
        assert isinstance(node, ast.AnnAssign), "only annotated literal assignments"
        declared.append(
            (node.target.id, ast.unparse(node.annotation), ast.literal_eval(node.value))
        )
    assert declared == [(f.name, f.type, f.default) for f in fields(Params)]  # in this order
    for line in tagged[0].source.splitlines()[1:]:
        assert re.search(r"  # \S", line), f"parameter without a comment: {line}"
    assert tagged[0].source == Params.cell_source()  # the same text in every notebook
    assert "Params.from_notebook(globals())" in nb.cells[2].source
    assert not any(
        line.lstrip().startswith("def ")
        for c in nb.cells
        if c.cell_type == "code"
        for line in c.source.splitlines()
    ), "functions belong in the package"


def outputs(nb: dict):
    for cell in nb["cells"]:
        yield from cell.get("outputs", [])


@pytest.fixture(autouse=True)
def figures_aside(tmp_path, monkeypatch):
    monkeypatch.setenv("STABILITY_REPORT_FIGURES_DIR", str(tmp_path / "figures"))


def test_bad_parameter_typed_into_the_notebook_stops_its_first_cell_with_one_line():
    """As in JupyterLab: a bad value typed into the parameters cell stops the next cell, whose
    error shows one line (naming the parameter, what it allows and the closest valid value),
    not a traceback through the validation."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(config.NOTEBOOKS / "02-cash-runway.ipynb", as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells[at].source = nb.cells[at].source.replace("'fy2023_projection'", "'feb2025'")
    nb.cells = nb.cells[: at + 2]
    client = NotebookClient(nb, kernel_name="python3", timeout=120)
    with pytest.raises(CellExecutionError):
        client.execute(cwd=str(config.NOTEBOOKS))
    (error,) = [o for o in nb.cells[at + 1].outputs if o.output_type == "error"]
    (line,) = error.traceback  # one line: no traceback through the validation
    assert line.startswith("ParameterError: burn_basis: ")
    assert all(basis in line for basis in BURN_BASES)
    assert "'feb2025'" in line and "mean 'feb2024'" in line
