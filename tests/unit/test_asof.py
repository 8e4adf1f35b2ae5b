"""The as-of signature (analysis.asof): what a new as-of date changes in the analysis, read with
the csv module, against what the pandas side computes (Facts.as_of, the summary's freshness); the
inputs' hash following it; and, rendered, a daily run on unchanged facts rendering nothing while
a date that changes the signature renders.

The tests of the same that need a whole run are in tests/integration/test_asof.py.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta

import facts_fixture
import pytest

from stability_report import config
from stability_report.analysis.asof import STALE_AFTER_DAYS, signature
from stability_report.facts.load import load_facts
from stability_report.facts.schema import FACT_TABLES
from stability_report.params import Params
from stability_report.pipeline import inputs
from stability_report.present import overview

STALE = "more than a year old"


def _dates(facts) -> list[str]:
    """Every date the fact base names, the days either side of each, and dates well past them."""
    days = set()
    for t in ("sources", *FACT_TABLES):
        for col in ("published_start", "published_end", "date_start", "date_end"):
            if col in facts.tables[t]:
                days |= {d.date() for d in facts.tables[t][col].dropna()}
    out = {d + timedelta(k) for d in days for k in (-1, 0, 1)}
    newest = facts.newest_fact_date().date()
    out |= {newest + timedelta(STALE_AFTER_DAYS + k) for k in (0, 1)}
    out |= {date(2030, 1, 1)}
    return sorted(d.isoformat() for d in out if d >= date(2020, 1, 1))  # as_of's lower limit


@pytest.mark.parametrize("which", ["real", "fixture"])
def test_signature_is_what_the_analysis_sees(which, tmp_path):
    """On every date that matters, the ids the signature lists are those Facts.as_of keeps, and
    its staleness is the summary's."""
    facts_dir = config.FACTS if which == "real" else facts_fixture.write(tmp_path / "facts")
    all_facts = load_facts(facts_dir, config.RAW)
    for day in _dates(all_facts):
        sig = signature(facts_dir, day)
        at = all_facts.as_of(day)
        assert sig["sources"] == sorted(at.sources["source_id"]), day
        assert sig["facts"] == sorted(at.all_facts()["fact_id"]), day
        text = overview.freshness(at, all_facts.sources, Params.from_mapping({"as_of": day}))
        assert sig["stale"] == (STALE in text), day


def test_the_date_is_clamped_where_the_fact_base_ends():
    """Inside the dates the fact base reaches every day differs (an open interval ends on it);
    past the last of them only the staleness does."""
    reach = signature(config.FACTS, "2100-01-01")["as_of_bound"]
    assert reach == "2024-12-31"  # S001 may have been published up to 31 December 2024
    assert signature(config.FACTS, "2024-07-01") != signature(config.FACTS, "2024-07-02")
    late = [signature(config.FACTS, d) for d in ("2025-01-01", "2025-02-10", "2025-03-01")]
    assert late[0] == late[1] == late[2] and late[0]["as_of_bound"] == reach
    stale = signature(config.FACTS, "2025-03-02")  # a year and a day after March 2024
    assert stale["stale"] and not late[0]["stale"]
    assert {k: v for k, v in stale.items() if k != "stale"} == {
        k: v for k, v in late[0].items() if k != "stale"
    }


def _hash(as_of: str, **kw) -> str:
    cfg = inputs.Config(params=Params.from_mapping({"as_of": as_of}).as_dict(), **kw)
    return inputs.inputs_hash(cfg, inputs.input_files(cfg))


def test_inputs_hash_takes_the_signature_not_the_date(tmp_path):
    assert _hash("2025-01-10") == _hash("2025-01-11") == _hash("2025-03-01")
    assert _hash("2025-03-01") != _hash("2025-03-02")  # the facts become stale
    assert _hash("2024-07-01") != _hash("2024-07-02")  # an open interval ends on the date
    assert _hash("2024-02-29") != _hash("2024-03-01")  # S001 can have been published
    # a fact base this process cannot read keeps the date itself: the run renders and the
    # kernel's validation names the problem
    broken = tmp_path / "facts"
    shutil.copytree(config.FACTS, broken)
    text = (broken / "sources.csv").read_text(encoding="utf-8")
    (broken / "sources.csv").write_text(text.replace("2024-03-01", "March 2024"), "utf-8")
    assert _hash("2025-01-10", facts=broken) != _hash("2025-01-11", facts=broken)


def test_the_check_record_is_replaced_never_followed(tmp_path):
    """checked.json is written by a rename beside the report; a symbolic link in its place is
    said and left alone, its target untouched, and the run is not failed for it."""
    from stability_report.pipeline import output

    out = tmp_path / "report"
    out.mkdir()
    cfg = inputs.Config(params={"as_of": "2025-02-28"}, output=out)
    said: list[str] = []
    assert output.record_check(cfg, said.append) == "unknown"  # no published run to name
    assert json.loads((out / "checked.json").read_text())["checked_as_of"] == "2025-02-28"
    assert said == [] and sorted(p.name for p in out.iterdir()) == ["checked.json"]

    victim = tmp_path / "precious.txt"
    victim.write_text("mine")
    (out / "checked.json").unlink()
    (out / "checked.json").symlink_to(victim)
    output.record_check(cfg, said.append)
    assert len(said) == 1 and "the check was not recorded in checked.json" in said[0]
    assert "symbolic link" in said[0]
    assert victim.read_text() == "mine" and (out / "checked.json").is_symlink()
    assert sorted(p.name for p in out.iterdir()) == ["checked.json"]  # no temporary file left
