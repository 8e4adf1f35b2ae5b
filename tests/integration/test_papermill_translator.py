"""Parameters papermill injects are literal assignments to plain names, whatever papermill is given:
the tests that need a whole run (the report rendered, a kernel, a browser or the command line in a
subprocess); the others, and what they cover, are in tests/unit/test_papermill_translator.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pipeline_support as support
import pytest

from stability_report.params import Params

PAPERMILL = str(Path(sys.executable).parent / "papermill")


NOTEBOOK = str(support.FIXTURE_NOTEBOOKS / "01-overview.ipynb")


def papermill(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """papermill on a fixture notebook, its figures written aside (not into figures/)."""
    env = support.cli_env(STABILITY_REPORT_FIGURES_DIR=str(tmp_path / "figures"))
    return subprocess.run(
        [PAPERMILL, NOTEBOOK, str(tmp_path / "out.ipynb"), "--no-progress-bar", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    "name",
    [
        "a=1; open('{marker}', 'w').close(); b",
        "__import__('os').system('touch {marker}')",
        "a\nopen('{marker}', 'w').close()\nb",
        "x = open('{marker}', 'w').close() #",
    ],
)
def test_papermill_by_hand_refuses_a_parameter_name_that_is_code(tmp_path, name):
    marker = tmp_path / "MARKER"
    r = papermill(tmp_path, "-p", name.format(marker=marker), "1")
    assert r.returncode != 0
    assert "refused: a name must be a Python identifier" in r.stderr
    assert "Executing notebook" not in r.stderr  # no kernel was started
    assert not marker.exists()
    assert not (tmp_path / "out.ipynb").exists()


def test_papermill_by_hand_refuses_a_value_that_is_no_literal(tmp_path):
    r = papermill(tmp_path, "-y", "as_of: !!binary MjAyNC0wNi0wNA==")  # YAML reads bytes
    assert r.returncode != 0
    # the parameter refused and the type of value it was given
    (line,) = [ln for ln in r.stderr.splitlines() if "parameter 'as_of' refused" in ln]
    assert "bytes" in line
    assert "Executing notebook" not in r.stderr


def test_papermill_by_hand_still_runs_plain_parameters(tmp_path):
    r = papermill(tmp_path, "-p", "burn_basis", "feb2024", "-p", "horizon_months", "24")
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "out.ipynb").read_text(encoding="utf-8")
    assert 'burn_basis = \\"feb2024\\"' in text and "horizon_months = 24" in text
    assert list((tmp_path / "figures").iterdir())  # written aside


@pytest.mark.parametrize(
    "first", ["import papermill", "import stability_report.pipeline.translator"]
)
def test_importing_papermill_registers_the_checked_translator(first):
    """Through the `papermill.engine` entry point `make env` installs; and importing this
    module before papermill leaves papermill whole."""
    code = (
        f"{first}\n"
        "from papermill.translators import papermill_translators as t\n"
        "from papermill.engines import papermill_engines as e\n"
        "print(t.find_translator('python3', 'python').__name__,"
        " t.find_translator('other', 'python').__name__,"
        " e.get_engine('stability-report').__name__)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code],
        env=support.cli_env(),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=support.ROOT,
    )
    assert r.stdout.split() == [
        "LiteralPythonTranslator",
        "LiteralPythonTranslator",
        "NBClientEngine",
    ], r.stderr


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["-p", "burn_bases", "feb2024"],
            "Error: unknown parameter(s) 'burn_bases' (did you mean 'burn_basis'?); the "
            "parameters are: " + ", ".join(Params.names()) + "; nothing was run",
        ),
        (
            ["-p", "burn_basis", "feb2025"],
            "Error: burn_basis: expected one of monthly_spend, fy2023_projection, feb2024, "
            "custom; got 'feb2025' (did you mean 'feb2024'?); nothing was run",
        ),
    ],
)
def test_a_bad_parameter_stops_papermill_with_one_line(tmp_path, args, line):
    """No kernel starts, no traceback: one line naming the parameter, what it allows and the
    closest valid name; exit 2. The command line suggests the same."""
    r = papermill(tmp_path, *args)
    assert r.returncode == 2, r.stderr
    assert line in r.stderr.splitlines(), r.stderr
    assert "Traceback" not in r.stderr and "Executing" not in r.stderr
    assert not (tmp_path / "out.ipynb").exists()
    cli = support.run_cli("run", "--output", str(tmp_path / "o"), *args, timeout=60)
    assert cli.returncode == 2
    assert line.removeprefix("Error: ").removesuffix("; nothing was run") in cli.stderr
