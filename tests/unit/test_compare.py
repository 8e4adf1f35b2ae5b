"""compare: the difference between two runs' results.json, as text and JSON, from the command
line, on results computed from real fact bases that differ in known ways.

The tests of the same that need a whole run are in tests/integration/test_compare.py.
"""

from __future__ import annotations

import copy
import csv
import shutil
from pathlib import Path

import pipeline_support as support
import pytest

from stability_report import config, resultsfile
from stability_report.facts.load import load_facts
from stability_report.params import Params
from stability_report.present import results


def edited_facts(dst: Path, edits: dict[str, dict[str, str]]) -> Path:
    """A copy of the fact base with money.csv rows changed (fact id -> column -> new text)."""
    shutil.copytree(config.FACTS, dst)
    path = dst / "money.csv"
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    for r in rows[1:]:
        for col, value in edits.get(r[0], {}).items():
            r[header.index(col)] = value
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return dst


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """results before, and after the October 2023 cash (M014) went from $4M to $5M and the
    quote of M004 was shortened to its first 39 characters (still verbatim)."""
    base = load_facts()
    quote = base.money.set_index("fact_id").loc["M004", "quote"]
    d = edited_facts(
        tmp_path_factory.mktemp("facts") / "facts",
        {"M014": {"value": "5000000"}, "M004": {"quote": quote[:39]}},
    )
    params = Params.from_mapping({"as_of": support.AS_OF})
    old = results.compute(base, params, {"run_id": "2024-06-04_aaaaaaaaaa"})
    new = results.compute(load_facts(d, config.RAW), params, {"run_id": "2024-06-04_bbbbbbbbbb"})
    return old, new, quote


def test_changed_facts_are_named_with_their_quote_and_what_changed(pair):
    old, new, quote = pair
    d = resultsfile.diff(old, new)
    assert d["facts_differ"] and d["facts"]["added"] == [] and d["facts"]["removed"] == []
    changed = {c["id"]: c for c in d["facts"]["changed"]}
    assert set(changed) == {"M004", "M014"}
    assert changed["M004"]["quote"] == quote[:39] and changed["M004"]["quote_before"] == quote
    assert changed["M014"]["fields_changed"] == {"value": ["4000000.0", "5000000.0"]}


def test_key_numbers_that_moved_old_to_new(pair):
    old, new, _ = pair
    moved = {k["key"]: k for k in resultsfile.diff(old, new)["key_numbers"]}
    assert moved["cash"]["before"]["text"] == "less than $4 million"
    assert moved["cash"]["after"]["text"] == "less than $5 million"
    assert moved["cash"]["after"]["fact_ids"] == ["M014"]
    # more cash, longer runway on the chosen basis; what does not rest on M014 did not move
    assert (
        moved["scenario_no_new_money"]["after"]["value"]
        > moved["scenario_no_new_money"]["before"]["value"]
    )
    assert "valuation_after_the_2022_round" not in moved


def test_added_and_removed_facts_and_sources():
    base = results.compute(load_facts(), Params.from_mapping({"as_of": support.AS_OF}))
    new = copy.deepcopy(base)
    new["facts"]["M999"] = {
        "table": "money",
        "source_id": "S002",
        "quote": "a new quote",
        "row_hash": "0" * 16,
    }
    del new["facts"]["E001"]
    new["sources"]["S002"] = {
        "headline": "A third article",
        "published_start": "2024-07-01",
        "published_end": "2024-07-01",
        "row_hash": "1" * 16,
    }
    d = resultsfile.diff(base, new)
    assert [f["id"] for f in d["facts"]["added"]] == ["M999"]
    assert d["facts"]["added"][0]["quote"] == "a new quote"
    assert [f["id"] for f in d["facts"]["removed"]] == ["E001"]
    assert d["facts"]["removed"][0]["quote"] == base["facts"]["E001"]["quote"]
    assert [s["id"] for s in d["sources"]["added"]] == ["S002"]
    same = resultsfile.diff(base, copy.deepcopy(base))
    assert not same["facts_differ"] and same["key_numbers"] == [] and same["params"] == {}


def test_parameters_that_differ(pair):
    old, _, _ = pair
    other = results.compute(
        load_facts(), Params.from_mapping({"as_of": support.AS_OF, "burn_basis": "feb2024"})
    )
    d = resultsfile.diff(old, other)
    assert d["params"] == {"burn_basis": ["fy2023_projection", "feb2024"]}
    assert not d["facts_differ"]
    assert any(k["key"].startswith("scenario_") for k in d["key_numbers"])
