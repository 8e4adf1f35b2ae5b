"""The sweep: the tests that need a whole run (the report rendered, a kernel, a browser or the
command line in a subprocess); the others, and what they cover, are in tests/unit/test_sweep.py.
"""

from __future__ import annotations

import csv
import html
import io

import pipeline_support as support

from stability_report import resultsfile
from stability_report.tools import sweep


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
