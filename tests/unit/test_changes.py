"""The report's "What changed since the report of <date>" section: its text from a difference,
absent when the fact base is the same, and in a rendered report after the facts changed (every
id in it a link, a removed fact's id not).

The tests of the same that need a whole run are in tests/integration/test_changes.py.
"""

from __future__ import annotations

import copy

import pipeline_support as support
import pytest

from stability_report import resultsfile
from stability_report.facts.load import load_facts
from stability_report.params import Params
from stability_report.present import changes, results
from stability_report.present.markdown import DOLLAR


@pytest.fixture(scope="module")
def base():
    return results.compute(
        load_facts(),
        Params.from_mapping({"as_of": support.AS_OF}),
        {"run_id": "2024-06-04_aaaaaaaaaa"},
    )


def test_absent_when_no_fact_changed(base):
    again = copy.deepcopy(base)
    again["params"]["burn_basis"] = "feb2024"  # another scenario is not a change of the facts
    again["key_numbers"]["cash"]["text"] = "less than $9 million"
    assert changes.section(resultsfile.diff(base, again)) == ""


def test_lists_new_sources_facts_and_moved_numbers(base):
    new = copy.deepcopy(base)
    new["sources"]["S002"] = {
        "headline": "A third <b>article</b>",
        "published_start": None,
        "published_end": None,
        "row_hash": "1" * 16,
    }
    new["facts"]["M999"] = {
        "table": "money",
        "source_id": "S002",
        "quote": "raised $9 million",
        "row_hash": "0" * 16,
    }
    removed_quote = new["facts"].pop("E001")["quote"]
    new["key_numbers"]["cash"] = {
        **new["key_numbers"]["cash"],
        "text": "less than $9 million",
        "value": 9e6,
        "fact_ids": ["M999"],
    }
    text = changes.section(resultsfile.diff(base, new))
    assert text.startswith("## What changed since the report of 4 June 2024\n")
    assert "one new source, one fact added, one fact removed" in text
    assert "- S002: <q>A third &lt;b&gt;article&lt;/b&gt;</q>" in text  # data text made inert
    assert f"- M999 (money, S002): <q>raised {DOLLAR}9 million</q>" in text
    assert f"- `E001` (events): <q>{removed_quote[:30]}" in text  # code: no dangling link
    # the key number that moved: its name, the value before, the value after and the new citation
    (moved,) = [line for line in text.splitlines() if "→" in line]
    before, after = moved.split("→")
    assert before.startswith("- Cash, October 2023") and f"{DOLLAR}4 million" in before
    assert f"{DOLLAR}9 million" in after and "M014" not in after
    assert after.endswith('<sup class="cite">[M999]</sup>')


def test_facts_changed_only_in_unlisted_columns_take_one_line(base):
    new = copy.deepcopy(base)
    status = next(k for k, f in new["facts"].items() if f.get("fields", {}).get("status"))
    new["facts"][status]["fields"]["status"] = "claimed-x"
    new["facts"][status]["row_hash"] = "f" * 16
    quiet = [k for k in new["facts"] if k != status][:2]
    for k in quiet:  # a reworded inference note changes the row's hash and nothing listed
        new["facts"][k]["row_hash"] = "e" * 16
    text = changes.section(resultsfile.diff(base, new))
    assert "three facts changed" in text
    assert f"- {status} (" in text and "→ claimed-x" in text  # a listed change, with its quote
    (line,) = [s for s in text.splitlines() if "columns not listed here" in s]
    assert line.startswith("- two further facts changed only in columns not listed here")
    assert line.endswith(", ".join(quiet))
    assert not any(s.startswith(f"- {k} (") for k in quiet for s in text.splitlines())
