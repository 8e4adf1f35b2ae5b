"""The executive summary: findings computed and cited, freshness stated, nothing invented when
the facts are missing."""

import pytest

from stability_report import overview
from stability_report.facts import load_facts
from stability_report.params import Params


@pytest.fixture(scope="module")
def all_facts():
    return load_facts()


def summary(all_facts, **kw):
    p = Params.from_mapping(kw)
    return overview.summarise(all_facts.as_of(p.as_of), p, all_facts.sources)


def test_findings_on_the_default_date(all_facts):
    s = summary(all_facts)
    text = "\n".join(s.findings)
    assert "\\$153 million" in text and "\\$142 million" in text  # 153 - 11
    assert "less than \\$4 million" in text
    assert "11 November 2023" in text  # $4M / ($142M / 12)
    assert "\\$85 million" in text and "17%" in text  # ($35M + $50M) / $500M
    assert "3<sup" in text and "5<sup" in text  # 3 of the 5 authors
    assert "At least 10%" in text
    assert "[M023, M024]" in text  # every number carries its fact ids
    assert "95 days before the analysis date" in s.freshness  # 1 March 2024 -> 4 June 2024


def test_key_numbers_table(all_facts):
    t = summary(all_facts).key_numbers
    row = t.set_index("measure").loc["Cash in the bank, October 2023"]
    assert row["value"] == "less than $4 million" and row["facts"] == "M014"
    assert (t["facts"] != "").all()


def test_before_any_fact(all_facts):
    s = summary(all_facts, as_of="2023-06-30")
    assert s.findings == [] and s.key_numbers.empty
    assert "No fact is available as of 30 June 2023" in s.freshness
    assert "1 February 2024" in s.freshness  # S000's earliest possible publication


def test_far_future_says_the_facts_are_old(all_facts):
    s = summary(all_facts, as_of="2030-01-01")
    assert "more than a year old" in s.freshness


def test_findings_follow_the_burn_basis(all_facts):
    text = "\n".join(summary(all_facts, burn_basis="feb2024").findings)
    assert "\\$2.6 million" in text  # $8M - $5.4M
