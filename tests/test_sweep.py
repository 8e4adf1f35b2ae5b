"""The sweep: the grid of scenarios and its checks (names, values, combinations refused with exit 2
before anything runs), and a 2 x 1 sweep rendered: each scenario's report in its folder, the
table's rows those of their results.json, the page self-contained."""

from __future__ import annotations

import csv
import html
import io
import re

import pipeline_support as support
import pytest

from stability_report import resultsfile
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


def test_the_command_refuses_them_with_exit_2_before_anything_runs(tmp_path):
    out = tmp_path / "sweep"
    for args in (
        ["-p", "burn_rate", "1,2"],
        ["-p", "horizon_months", "24,99"],
        ["-p", "horizon_months", "24", "--as-of", "2024-13-01"],
    ):
        r = support.run_cli("sweep", *args, "--output", str(out), "--no-pdf")
        assert r.returncode == 2, r.stderr
        assert "error: bad parameter" in r.stderr and "Traceback" not in r.stderr
        assert not out.exists()


@pytest.mark.slow  # two renders in subprocesses
def test_a_two_by_one_sweep(tmp_path):
    out = tmp_path / "sweep"
    r = support.run_cli(
        "sweep",
        "-p", "burn_basis", "fy2023_projection,feb2024",
        "-p", "horizon_months", "24",
        "--as-of", support.AS_OF,
        "--output", str(out),
        "--notebooks", str(support.report_notebooks()),
        "--no-pdf",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr[-3000:]
    names = [
        "burn_basis-fy2023_projection_horizon_months-24",
        "burn_basis-feb2024_horizon_months-24",
    ]
    assert "sweeping 2 scenarios" in r.stderr
    for name in names:
        assert f"[{name}] published report.html" in r.stderr  # progress, by scenario
        assert (out / name / "report.html").is_file()
    rows = list(csv.DictReader(io.StringIO((out / "sweep.csv").read_text(encoding="utf-8"))))
    assert [row["scenario"] for row in rows] == names
    assert [row["burn_basis"] for row in rows] == ["fy2023_projection", "feb2024"]
    for name, row in zip(names, rows):
        res = resultsfile.read(out / name / "results.json")
        assert row["run_id"] == res["run"]["run_id"] and row["horizon_months"] == "24"
        assert row["cash"] == str(res["key_numbers"]["cash"]["value"])
        assert row[sweep.FIGURE_KEY] == str(res["key_numbers"][sweep.FIGURE_KEY]["value"])
    # the burn basis moves the runway on the chosen basis
    assert rows[0][sweep.FIGURE_KEY] != rows[1][sweep.FIGURE_KEY]
    page = (out / "sweep.html").read_text(encoding="utf-8")
    assert "<svg" in page and page.count("<rect x=") == 2  # one bar a scenario
    assert "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<script" not in page and "<link" not in page and "src=" not in page
    for name in names:  # each label as its report words it: the basis differs
        label = resultsfile.read(out / name / "results.json")["key_numbers"][sweep.FIGURE_KEY]
        assert f"<small>{html.escape(label['label'])}</small>" in page
    for name in names:
        assert f'<a href="{name}/report.html">' in page
        text = resultsfile.read(out / name / "results.json")["key_numbers"]["cash"]["text"]
        assert html.escape(text) in page
    before = (out / "sweep.csv").read_bytes()
    again = support.run_cli(
        "sweep",
        "-p", "burn_basis", "fy2023_projection,feb2024",
        "-p", "horizon_months", "24",
        "--as-of", support.AS_OF,
        "--output", str(out),
        "--notebooks", str(support.report_notebooks()),
        "--no-pdf",
    )  # fmt: skip
    assert again.returncode == 0 and again.stderr.count("nothing to render") == 2
    assert (out / "sweep.csv").read_bytes() == before  # same inputs, same bytes


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
