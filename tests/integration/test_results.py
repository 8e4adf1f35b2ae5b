"""results.json: the tests that need a whole run (the report rendered, a kernel, a browser or the
command line in a subprocess); the others, and what they cover, are in tests/unit/test_results.py.
"""

from __future__ import annotations

import pipeline_support as support

from stability_report import resultsfile


def test_the_run_publishes_results_json_beside_the_report():
    done = support.published()
    out = done.output
    rid = done.manifest["run_id"]
    archived = out / "runs" / rid / "results.json"
    assert (out / "results.json").read_bytes() == archived.read_bytes()
    r = resultsfile.read(archived)
    assert r["run"] == {"run_id": rid, "inputs_hash": done.manifest["inputs_hash"]}
    assert r["facts_hash"] == done.manifest["facts_digest"]
    assert r["params"] == done.manifest["params"]
    # the numbers are those the report prints
    from bs4 import BeautifulSoup

    text = BeautifulSoup(done.html, "html.parser").get_text()
    assert f"cash at {r['key_numbers']['cash']['text']}[M014]" in text
    # no run before it: nothing to compare with, no section
    assert not (out / "runs" / rid / resultsfile.PREVIOUS_NAME).exists()
    assert "What changed since" not in done.html


def test_results_json_is_byte_identical_across_renders():
    a, b = support.published(), support.published_again()
    assert (a.output / "results.json").read_bytes() == (b.output / "results.json").read_bytes()
