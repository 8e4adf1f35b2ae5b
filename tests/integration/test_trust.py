"""Every sentence as strong as its source: the tests that need a whole run (the report rendered, a
kernel, a browser or the command line in a subprocess); the others, and what they cover, are in
tests/unit/test_trust.py.
"""

from __future__ import annotations

import pipeline_support as support
import pytest
from unit import test_trust as unit_tests

from stability_report.facts.plain import FactBase
from stability_report.render.trust import check_strength

# the unit tests' fixtures, shared
fb = unit_tests.fb


@pytest.fixture(scope="module")
def published():
    done = support.published()
    fb = FactBase.load(support.ROOT / "data" / "facts", support.ROOT / "data" / "raw")
    return done.html, fb


def test_the_published_report_passes(published):
    html, fb = published
    assert check_strength(html, fb) == []


@pytest.mark.parametrize(
    "old, new, fact",
    [
        ("could not directly remove", "could not remove", "E091"),  # a hedge dropped
        ("According to insiders, Coatue", "Coatue", "E090"),  # an attribution dropped
        ("two other sources say investors", "investors", "E092"),
        ("was even considering delaying", "delayed", "E067"),  # a consideration made a fact
    ],
)
def test_a_doctored_sentence_of_the_published_report_fails(published, old, new, fact):
    html, fb = published
    assert old in html
    problems = check_strength(html.replace(old, new), fb)
    assert problems and all(fact in p for p in problems)


def test_a_retyped_status_in_the_published_key_numbers_fails(published):
    html, fb = published
    start = html.index('id="tbl-key-numbers"')
    row = html.index("Convertible money", start)
    cell = html.index(">derived<", row)
    doctored = html[:cell] + ">reported<" + html[cell + len(">derived<") :]
    problems = check_strength(doctored, fb)
    assert len(problems) == 1 and "Convertible" in problems[0] and "derived" in problems[0]
