"""results.json: its content computed from the fact base (against the facts themselves), its
schema checks, byte-reproducibility, and what a run publishes.

The tests of the same that need a whole run are in tests/integration/test_results.py.
"""

from __future__ import annotations

import json

import pipeline_support as support
import pytest

from stability_report import resultsfile
from stability_report.facts.load import load_facts
from stability_report.params import Params
from stability_report.present import keynumbers, results


@pytest.fixture(scope="module")
def facts():
    return load_facts()


@pytest.fixture(scope="module")
def computed(facts):
    return results.compute(
        facts,
        Params.from_mapping({"as_of": support.AS_OF}),
        {"run_id": "2024-06-04_0123456789", "inputs_hash": "ab" * 32},
    )


def test_key_numbers_carry_value_unit_text_and_fact_ids(computed, facts):
    kn = computed["key_numbers"]
    money = facts.money.set_index("fact_id")
    cash = kn["cash"]
    # the October 2023 cash is a reported upper bound: value and words from M014 itself
    assert cash["fact_ids"] == ["M014"] and cash["unit"] == "USD"
    assert cash["value"] == float(money.loc["M014", "value"])
    assert cash["text"].startswith("less than $")
    assert kn["valuation_after_the_2022_round"]["value"] == float(money.loc["M002", "value"])
    known = set(computed["facts"])
    for key, n in kn.items():
        assert n["fact_ids"], key
        assert set(n["fact_ids"]) <= known, key
        assert n["unit"] in set(keynumbers.UNITS.values()), key
        if len(n["fact_ids"]) > 4:  # cited in print by the table listing them
            assert n.get("table"), key


def test_runway_key_numbers_follow_the_parameters(facts):
    a = results.compute(facts, Params.from_mapping({"as_of": support.AS_OF}))
    b = results.compute(facts, Params.from_mapping({"as_of": support.AS_OF, "revenue_growth": 0.2}))
    assert b["params"]["revenue_growth"] == 0.2
    assert (
        b["key_numbers"]["scenario_no_new_money"]["value"]
        >= a["key_numbers"]["scenario_no_new_money"]["value"]
    )
    # the range across the sources' bases ignores the scenario's funding parameters only
    assert a["facts_hash"] == b["facts_hash"] == facts.digest


def test_counts_are_those_of_the_facts_available_as_of(computed, facts):
    c = computed["counts"]
    at = facts.as_of(support.AS_OF)
    assert c["facts"] == sum(len(at.tables[t]) for t in c["facts_by_table"])
    assert c["facts_by_table"]["money"] == len(at.money)
    assert sum(c["facts_by_source"].values()) == c["facts"]
    assert c["conflicts"] == len(at.conflicts)
    assert c["departures"] == computed["key_numbers"]["departures"]["value"]
    early = results.compute(facts, Params.from_mapping({"as_of": "2023-01-01"}))
    assert early["counts"]["facts"] < c["facts"]


def test_facts_map_holds_every_fact_with_its_quote(computed, facts):
    everything = facts.all_facts()
    assert set(computed["facts"]) == set(everything["fact_id"])
    row = everything.set_index("fact_id").loc["M014"]
    assert computed["facts"]["M014"]["quote"] == row["quote"]
    assert computed["facts"]["M014"]["source_id"] == row["source_id"]
    assert list(computed["facts"]) == sorted(computed["facts"], key=resultsfile.id_order)


def test_dumps_is_deterministic_and_loads_checks_the_schema(computed):
    text = resultsfile.dumps(computed)
    assert text == resultsfile.dumps(json.loads(text)) and text.endswith("}\n")
    assert resultsfile.loads(text) == computed
    with pytest.raises(resultsfile.ResultsError, match="not a results file"):
        resultsfile.loads('{"a": 1}', "x.json")
    with pytest.raises(resultsfile.ResultsError, match="schema_version 99"):
        resultsfile.loads(text.replace('"schema_version": 1', '"schema_version": 99'), "x.json")
    broken = json.loads(text)
    del broken["facts"]["M014"]["quote"]
    with pytest.raises(resultsfile.ResultsError, match="fact 'M014' lacks"):
        resultsfile.loads(json.dumps(broken), "x.json")
    with pytest.raises(resultsfile.ResultsError, match="not JSON"):
        resultsfile.loads("{", "x.json")
