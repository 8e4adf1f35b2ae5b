"""compare: the tests that need a whole run (the report rendered, a kernel, a browser or the command
line in a subprocess); the others, and what they cover, are in tests/unit/test_compare.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pipeline_support as support
from unit import test_compare as unit_tests

from stability_report import resultsfile

# the unit tests' fixtures, shared
pair = unit_tests.pair


def _folders(tmp_path: Path, old: dict, new: dict) -> tuple[Path, Path]:
    """A run folder holding the old results, and an output folder whose latest holds the new."""
    run = tmp_path / "out" / "runs" / "2024-06-04_aaaaaaaaaa"
    run.mkdir(parents=True)
    (run / "results.json").write_text(resultsfile.dumps(old), encoding="utf-8")
    out2 = tmp_path / "out2"
    (out2 / "runs" / "2024-06-04_bbbbbbbbbb").mkdir(parents=True)
    (out2 / "runs" / "2024-06-04_bbbbbbbbbb" / "results.json").write_text(
        resultsfile.dumps(new), encoding="utf-8"
    )
    (out2 / "latest").symlink_to("runs/2024-06-04_bbbbbbbbbb")
    return run, out2


def test_command_line_text_json_and_exit_codes(pair, tmp_path):
    old, new, quote = pair
    run, out2 = _folders(tmp_path, old, new)
    r = support.run_cli("compare", str(run), str(out2))
    assert r.returncode == 0, r.stderr
    assert "changed M014 (money, S001)" in r.stdout
    assert "value: 4000000.0 -> 5000000.0" in r.stdout
    assert f"quote before: \u201c{quote}\u201d" in r.stdout
    # the key number that moved: its name, the value before and after, the fact cited
    (moved,) = [ln for ln in r.stdout.splitlines() if ln.strip().startswith("Cash, October 2023")]
    before, after = moved.split("->")
    assert "$4 million" in before and "$5 million" in after and after.endswith("[M014]")
    assert "parameters: unchanged" in r.stdout
    j = support.run_cli("compare", str(run), str(out2), "--json")
    assert j.returncode == 0
    assert json.loads(j.stdout) == json.loads(json.dumps(resultsfile.diff(old, new)))
    same = support.run_cli("compare", str(run), str(run))
    assert same.returncode == 0 and "fact base: unchanged" in same.stdout
    assert "key numbers: none moved" in same.stdout
    missing = support.run_cli("compare", str(tmp_path / "nowhere"), str(run))
    assert missing.returncode == 2 and "no results.json there" in missing.stderr
    (run / "results.json").write_text('{"schema": "other"}', encoding="utf-8")
    bad = support.run_cli("compare", str(run), str(out2))
    assert bad.returncode == 2 and "not a results file" in bad.stderr
