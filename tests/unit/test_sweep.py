"""The sweep: the grid of scenarios and its checks (names, values, combinations refused with exit 2
before anything runs), and a 2 x 1 sweep rendered: each scenario's report in its folder, the
table's rows those of their results.json, the page self-contained.

The tests of the same that need a whole run are in tests/integration/test_sweep.py.
"""

from __future__ import annotations

import re

import pytest

from stability_report.errors import ParameterError
from stability_report.tools import sweep


def test_the_grid_is_every_combination_in_the_order_given():
    grid = sweep.scenarios(
        [("burn_basis", "fy2023_projection,feb2024"), ("horizon_months", "24,36")], "2024-06-04"
    )
    assert [s.name for s in grid] == [
        "burn_basis-fy2023_projection_horizon_months-24",
        "burn_basis-fy2023_projection_horizon_months-36",
        "burn_basis-feb2024_horizon_months-24",
        "burn_basis-feb2024_horizon_months-36",
    ]
    assert grid[1].values == {"burn_basis": "fy2023_projection", "horizon_months": "36"}


@pytest.mark.parametrize(
    "swept, message",
    [
        ([("burn_rate", "1,2")], "unknown parameter 'burn_rate'"),
        ([("burn_basis", "fy2023_projection,weekly")], "burn_basis"),
        ([("horizon_months", "24,")], "an empty value"),
        ([("horizon_months", "24,24")], "a value repeated"),
        ([("horizon_months", "24"), ("horizon_months", "36")], "given twice"),
        ([("as_of", "2024-06-04,2024-07-01")], "as_of is not swept"),
        ([("burn_basis", "custom")], "in the scenario burn_basis=custom"),
        ([], "nothing to sweep"),
    ],
)
def test_bad_names_and_values_are_refused(swept, message):
    with pytest.raises(ParameterError, match=message):
        sweep.scenarios(swept, "2024-06-04")


def _row(name: str, numbers: dict[str, tuple[str, str]]):
    s = sweep.Scenario(name, {"burn_basis": name})
    kn = {
        k: {"label": label, "value": 1.0, "unit": "months", "text": text, "fact_ids": []}
        for k, (label, text) in numbers.items()
    }
    return s, {"key_numbers": kn, "params": {"burn_basis": name}, "run": {}, "as_of": "2024-06-04"}


def test_every_row_is_labelled_in_words_and_differing_rows_are_marked():
    rows = [
        _row(
            "a",
            {
                "cash": ("Last cash figure", "$4 million"),
                "scenario_no_new_money": ("Runway with no new money (2023 basis)", "0.3 months"),
                "oddly_keyed": ("One", "1"),
            },
        ),
        _row(
            "b",
            {
                "cash": ("Last cash figure", "$4 million"),
                "scenario_no_new_money": ("Runway with no new money (Feb 2024 basis)", "1.5 mo"),
                "oddly_keyed": ("Two", "1"),
            },
        ),
    ]
    page = sweep.page(rows, ["burn_basis"], "2024-06-04")
    heads = re.findall(r'<th scope="row">(.*?)<br><small class="key">', page)
    assert "Last cash figure" in heads
    assert any(h.endswith("Runway with no new money …") for h in heads), heads
    assert any(h == "Oddly keyed" for h in heads), heads  # no shared words: the key in words
    # the key is never the only heading; rows that differ are marked, the others not
    differs = re.findall(r'<tr class="differs"><th scope="row">.*?<small class="key">(\w+)<', page)
    assert differs == ["scenario_no_new_money"]
    assert "marks the 1 of 3 key numbers that differ" in page
    assert sweep.row_label("k", ["Same", "Same"]) == "Same"
