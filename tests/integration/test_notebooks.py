"""Notebooks: the tests that need a whole run (the report rendered, a kernel, a browser or the
command line in a subprocess); the others, and what they cover, are in tests/unit/test_notebooks.py.
"""

from __future__ import annotations

import json

import papermill as pm
import pytest
from unit.test_notebooks import NOTEBOOKS, outputs

from stability_report import config
from stability_report.errors import ParameterError
from stability_report.params import Params
from stability_report.present.markdown import DOLLAR


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_papermill_reads_every_parameter(path, caplog):
    found = pm.inspect_notebook(str(path))
    assert list(found) == Params.names()
    assert all(found[n]["help"] for n in found)
    assert "Unable to parse" not in caplog.text


def run(name: str, tmp_path, **parameters) -> dict:
    out = tmp_path / f"out-{name}"
    pm.execute_notebook(
        str(config.NOTEBOOKS / name),
        str(out),
        parameters=parameters,
        cwd=str(config.NOTEBOOKS),
        kernel_name="python3",
        progress_bar=False,
    )
    return json.loads(out.read_text(encoding="utf-8"))


def text_of(nb: dict) -> str:
    parts = []
    for o in outputs(nb):
        for key in ("text/markdown", "text/html", "text/plain"):
            if key in o.get("data", {}):
                parts.append("".join(o["data"][key]))
    return "\n".join(parts)


PARAMETER_SETS = {
    "defaults": {},
    "feb-basis-growth-no-bills": {
        "burn_basis": "feb2024",
        "revenue_growth": 0.05,
        "pay_unpaid_bills": False,
    },
    "custom-extra-funding-far-future": {
        "as_of": "2030-01-01",
        "burn_basis": "custom",
        "custom_monthly_burn_usd": 9e6,
        "extra_funding_usd": 2e7,
        "extra_funding_date": "2024-01-15",
    },
    "before-any-fact": {"as_of": "2023-06-30"},
}


@pytest.mark.parametrize("name", ["01-overview.ipynb", "02-cash-runway.ipynb"])
@pytest.mark.parametrize("label", list(PARAMETER_SETS))
def test_runs_clean(name, label, tmp_path):
    nb = run(name, tmp_path, **PARAMETER_SETS[label])
    bad = [
        o
        for o in outputs(nb)
        if o["output_type"] == "error" or (o["output_type"] == "stream" and o["name"] == "stderr")
    ]
    assert bad == []
    text = text_of(nb)
    assert "Traceback" not in text and "Warning" not in text
    if label == "before-any-fact":
        assert "No fact is available" in text or "Not available as of" in text
    else:
        assert DOLLAR in text  # amounts, each dollar sign as the package writes it
    if name == "02-cash-runway.ipynb":  # the explorer shows nothing outside JupyterLab
        (explorer,) = [c for c in nb["cells"] if "runway_explorer(" in "".join(c["source"])]
        assert "notebook-only" in explorer["metadata"]["tags"]
        assert explorer["outputs"] == [] and "widgets" not in nb["metadata"]


def test_runway_numbers_follow_the_parameters(tmp_path):
    default = text_of(run("02-cash-runway.ipynb", tmp_path))
    feb = text_of(run("02-cash-runway.ipynb", tmp_path, burn_basis="feb2024", revenue_growth=0.05))
    # the headline is a range across every basis, whatever the chosen one; growth moves it:
    # February 2024 basis, no new money, revenue growing 5%: month 1 burns 8 - 5.4 x 1.05 =
    # 2.33, leaving 1.67 of the $4M; month 2 burns 8 - 5.4 x 1.05^2 = 2.05: 1 + 1.67/2.05 = 1.8
    assert "0.3 to 1.5 months (November to December 2023)" in default
    assert "0.3 to 1.8 months (November to December 2023)" in feb
    assert "one burn rate only, “2023 projection ÷ 12”" in default  # the scenario figure follows
    assert "one burn rate only, “February 2024”" in feb  # burn_basis
    assert "revenue is held flat too" in default and "grows 5.0% a month" in feb
    assert "burn_basis" not in default and "revenue_growth" not in default  # no parameter names


def test_bad_parameter_stops_papermill_before_a_kernel_starts(tmp_path):
    """papermill's translator checks the project's parameters as the notebook would: no kernel,
    no output notebook, one message with the closest valid name."""
    with pytest.raises(ParameterError, match="burn_basis: expected one of .*'feb2025'.*'feb2024'"):
        run("02-cash-runway.ipynb", tmp_path, burn_basis="feb2025")
    with pytest.raises(ParameterError, match="unknown parameter.*did you mean 'burn_basis'"):
        run("01-overview.ipynb", tmp_path, burnbasis="feb2024")
    assert not list(tmp_path.iterdir())


def test_string_values_from_the_command_line_are_parsed(tmp_path):
    nb = run(
        "02-cash-runway.ipynb",
        tmp_path,
        extra_funding_usd="9e6",
        extra_funding_date="2023-12-01",
        revenue_growth="0.1",
    )
    assert "+ extra funding (parameter)" in text_of(nb)
