"""The extraction assistant: the tests that need a whole run (the report rendered, a kernel, a
browser or the command line in a subprocess); the others, and what they cover, are in
tests/unit/test_extract.py.
"""

from __future__ import annotations

from datetime import date

import pytest
from unit import test_extract as unit_tests

from stability_report.tools.intake.extract import Source, extract

# the unit tests' fixtures, shared
facts = unit_tests.facts


def cands(facts, text: str, published=date(2024, 3, 20)) -> list[dict]:
    rows = extract(text, facts, Source((published, published)))
    for r in rows:
        assert text[int(r["start"]) : int(r["end"])] == r["quote"]
    return rows


def test_ticker_lines_and_contact_blocks_give_no_candidates(facts):
    text = (
        "Chipmaker invests in Stability AI\nPublished 2 May 2024\n\nIntel put $50 million "
        "into the company, the filing shows.\n\nINTC 30.50 +1.2%\n(NASDAQ: INTC) 31.20 -0.4%"
        "\n\nSubscribe to our newsletter for $5 a month.\n\nContact us: tips@example.invalid"
        "\n"
    )
    rows = cands(facts, text, date(2024, 5, 2))
    money = [r for r in rows if r["kind"] == "money"]
    assert [r["value"] for r in money] == ["50000000"]
    assert not any("INTC 30.50" in r["quote"] or "newsletter" in r["quote"] for r in rows)


def test_money_candidates_carry_metric_date_and_status(facts):
    rows = cands(
        facts,
        "In October 2023, the company had less than $4 million in the bank. "
        "It would earn $3 million in November, the chief executive said.",
    )
    cash, revenue = [r for r in rows if r["kind"] == "money"]
    assert (cash["metric"], cash["bound"], cash["date_start"], cash["precision"]) == (
        "cash",
        "less_than",
        "2023-10-01",
        "month",
    )
    assert (revenue["metric"], revenue["status"], revenue["date_start"]) == (
        "revenue",
        "projected",
        "2023-11-01",
    )
    assert "the most recent such month" in revenue["inference_note"]


def _departures(rows):
    return {r["person"]: r for r in rows if r["kind"] == "departure"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Jane Doe, the chief financial officer, has left the company.", {"Jane Doe"}),
        (
            "Chief Technology Officer John Smith, Head of Product Mary Jones and VP of Sales "
            "Tom Brown all left last year.",
            {"John Smith", "Mary Jones", "Tom Brown"},
        ),
        ("The board ousted Chief Executive Sam Lee in a boardroom coup.", {"Sam Lee"}),
        ("Finance chief Alex Kim will step down at the end of the month.", {"Alex Kim"}),
        ("General counsel Pat Moore was fired on Friday.", {"Pat Moore"}),
        ("Morgan Hale, a senior vice president, exited the company in May.", {"Morgan Hale"}),
        ("The departure of CTO John Smith was confirmed by spokesperson Ann Lee.", {"John Smith"}),
        ("Chief Executive Sam Lee will also step down from the board.", {"Sam Lee"}),
        ("Investors urged Chief Executive Sam Lee to step down.", set()),
        ("Jane Doe, the chief financial officer, had been considering leaving for months.", set()),
        ("Chief Executive Sam Lee denied that he would resign.", set()),
        ("Chief Executive Sam Lee said the company had left its debts unpaid.", set()),
    ],
)
def test_departures_in_news_sentences(facts, text, expected):
    assert set(_departures(cands(facts, text))) == expected


def test_a_departure_carries_the_role_date_and_reason(facts):
    rows = cands(
        facts,
        "In November, the company's VP of audio Ed Newton-Rex resigned in "
        "protest over the use of copyrighted data.",
    )
    d = _departures(rows)["P012"]  # a known person, by his known spelling
    assert (d["role_as_written"], d["function"], d["seniority"]) == ("VP of audio", "audio", "vp")
    assert (d["date_start"], d["precision"]) == ("2023-11-01", "month")
    assert d["reason"].startswith("in protest over the use of copyrighted data")
    assert "R012" in d["matches"].split()  # the curated departure of the same person


def test_named_departures_take_the_date_of_the_group_sentence_before_them(facts):
    text = (
        "Several senior researchers left earlier this month. Ana Ruiz, who led the research "
        "team, departed along with Ben Ode, a staff researcher."
    )
    deps = _departures(cands(facts, text))
    assert set(deps) == {"Ana Ruiz", "Ben Ode"}
    assert (deps["Ana Ruiz"]["date_start"], deps["Ana Ruiz"]["date_end"]) == (
        "2024-03-01",
        "2024-03-20",
    )
    assert deps["Ana Ruiz"]["role_as_written"] == "led the research team"
    assert deps["Ana Ruiz"]["seniority"] == "lead"


def test_the_post_named_after_the_verb_is_the_role(facts):
    (d,) = _departures(
        cands(facts, "Jane Doe has resigned as chief executive of the company.")
    ).values()
    assert (d["role_as_written"], d["seniority"], d["function"]) == (
        "chief executive",
        "c_suite",
        "executive",
    )


def test_known_spellings_resolve_to_the_person_and_near_misses_are_flagged(facts):
    rows = cands(facts, "CEO Emad Mostak spoke. Later, chief executive Emad Mostaqe said more.")
    people = {r["name_as_written"]: r for r in rows if r["kind"] == "person"}
    assert people["Emad Mostak"]["person"] == "P001"
    assert "N001" in people["Emad Mostak"]["matches"].split()
    assert people["Emad Mostaqe"]["person"] == "Emad Mostaqe"
    assert (
        "possibly a variant of" in people["Emad Mostaqe"]["note"]
        and "P001" in people["Emad Mostaqe"]["note"]
    )


def test_a_group_departure_names_its_members_in_the_next_sentence(facts):
    text = (
        "Key researchers have resigned from the start-up. The news was announced by chief "
        "executive Sam Lee. Ana Ruiz, who led the team, and her colleague Ben Ode built the "
        "model."
    )
    deps = _departures(cands(facts, text))
    assert set(deps) == {"Ana Ruiz", "Ben Ode"}
    assert "stated for a group" in deps["Ana Ruiz"]["note"]
