"""Inputs within limits, and outputs that cannot be turned against their reader (README, "Faults and
bad input"): the tests that need a whole run (the report rendered, a kernel, a browser or the
command line in a subprocess); the others, and what they cover, are in tests/unit/test_limits.py.
"""

from __future__ import annotations

import subprocess
import sys

import pipeline_support as support
import pytest


def test_a_parameters_file_without_end_is_refused_at_the_limit():
    r = support.run_cli("run", "--params-file", "/dev/zero", "--no-pdf", timeout=60)
    assert r.returncode == 2, r.stderr
    # the file, what it was read as, and the limit in bytes
    (line,) = [ln for ln in r.stderr.splitlines() if "/dev/zero:" in ln]
    assert "JSON" in line and "1,048,576" in line


@pytest.mark.parametrize("command", ["run", "compare a file", "compare a folder"])
def test_json_nested_too_deep_is_refused_in_one_line(tmp_path, command):
    (tmp_path / "o").mkdir()
    deep = tmp_path / "o" / "results.json"
    deep.write_text('{"as_of": ' + "[" * 100_000 + "]" * 100_000 + "}")
    args = {
        "run": ["run", "--params-file", str(deep), "--no-pdf", "--output", str(tmp_path / "r")],
        "compare a file": ["compare", str(deep), str(deep)],
        "compare a folder": ["compare", str(tmp_path / "o"), str(tmp_path / "o"), "--json"],
    }[command]
    r = support.run_cli(*args, timeout=60)
    assert r.returncode == 2, r.stderr
    assert "nested 100001 levels deep; the limit is 64" in r.stderr
    assert "Traceback" not in r.stderr and "RecursionError" not in r.stderr


@pytest.mark.parametrize("command", ["run", "sweep"])
def test_a_relative_output_works(tmp_path, command):
    extra = ["-p", "horizon_months", "18"] if command == "sweep" else []
    r = subprocess.run(
        [sys.executable, "-m", "stability_report", command, "--output", "rel", "--no-pdf"]
        + ["--notebooks", str(support.FIXTURE_NOTEBOOKS), "--as-of", support.AS_OF, *extra],
        cwd=tmp_path,
        env=support.cli_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr
    out = tmp_path / "rel" / ("horizon_months-18" if command == "sweep" else "")
    assert (out / "report.html").is_file() and (out / "latest" / "run.json").is_file()
    assert not (support.FIXTURE_NOTEBOOKS / "rel").exists()  # not beside the kernel's folder
