"""The extraction assistant: sentences, amounts of money, dates, people and departures, on
sentences written the way news outlets write them (not only the two current articles), every
quote an exact substring at its offsets, and the recall against the curated facts.

The tests of the same that need a whole run are in tests/integration/test_extract.py.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from intake_support import ARTICLE, run

from stability_report import config
from stability_report.facts.load import load_facts
from stability_report.tools.intake import evaluate
from stability_report.tools.intake.amounts import find_amounts, plain
from stability_report.tools.intake.candidate_rows import COLUMNS
from stability_report.tools.intake.dating import find_dates
from stability_report.tools.intake.extract import Source, extract
from stability_report.tools.intake.register import publication_from_text
from stability_report.tools.intake.sentences import sentences


@pytest.fixture(scope="module")
def facts():
    return load_facts()


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Stability AI Inc. said on Tuesday it raised $50 million. The U.S. company declined to "
            "comment.",
            [
                "Stability AI Inc. said on Tuesday it raised $50 million.",
                "The U.S. company declined to comment.",
            ],
        ),
        ('He said: "We are done." Then he left.', ['He said: "We are done."', "Then he left."]),
        (
            "Mr. Smith met Dr. Jones in Jan. 2020. J. R. Doe was there.",
            ["Mr. Smith met Dr. Jones in Jan. 2020.", "J. R. Doe was there."],
        ),
        (
            "Revenue was $5.4 million. Costs were $8 million.",
            ["Revenue was $5.4 million.", "Costs were $8 million."],
        ),
        (
            "## The costs\nAccording to a memo, cash was low.",
            ["The costs", "According to a memo, cash was low."],
        ),
        (
            "It ended badly. ## Costs\nThe memo said so.",
            ["It ended badly.", "Costs", "The memo said so."],
        ),
        (
            "Key points:\n- Revenue fell\n- Three executives left\n1. One\n",
            ["Key points:", "Revenue fell", "Three executives left", "One"],
        ),
        (
            "Why did it fail? Nobody knows! Not even the board.",
            ["Why did it fail?", "Nobody knows!", "Not even the board."],
        ),
        (
            '"We need to decentralise AI," he wrote on X. Shares fell.',
            ['"We need to decentralise AI," he wrote on X.', "Shares fell."],
        ),
    ],
)
def test_sentences_cope_with_abbreviations_quotes_headings_and_lists(text, expected):
    got = sentences(text)
    assert [s.text for s in got] == expected
    assert all(text[s.start : s.end] == s.text for s in got)


def test_the_publishers_contact_block_is_boilerplate():
    text = (
        "Headline\n\nThe company raised $10 million in 2023, the report said.\n\n"
        "Let's get in touch!\n\nPlease feel free to send us a message through the contact "
        "form.\n\nDrop us a line at news@example.invalid / Give us a call on 020 7946 0000\n"
    )
    marks = {s.text: s.boilerplate for s in sentences(text)}
    assert marks["The company raised $10 million in 2023, the report said."] is False
    assert marks["Let's get in touch!"] is True
    assert all(v for k, v in marks.items() if "touch" in k or "contact" in k or "Drop" in k)


def test_a_news_paragraph_about_copyright_is_not_boilerplate():
    text = "The company faces copyright lawsuits from artists, and a newsletter reported it.\n"
    assert not any(s.boilerplate for s in sentences(text))


@pytest.mark.parametrize(
    "text, value, unit, bound",
    [
        ("had $1.2 million in revenue", "1200000", "USD", "exact"),
        ("costs reached $153M last year", "153000000", "USD", "exact"),
        ("a $1bn valuation", "1000000000", "USD", "exact"),
        ("it raised $101mn from investors", "101000000", "USD", "exact"),
        ("with just under $50 million in the bank", "50000000", "USD", "less_than"),
        ("raised more than $100 million", "100000000", "USD", "more_than"),
        ("spent over $2.5B on compute", "2500000000", "USD", "more_than"),
        ("less than $4 million in deposits", "4000000", "USD", "less_than"),
        ("under $10m in cash", "10000000", "USD", "less_than"),
        ("about $99 million", "99000000", "USD", "approx"),
        ("approximately $1 billion", "1000000000", "USD", "approx"),
        ("some $300 million", "300000000", "USD", "approx"),
        ("at least $35 million", "35000000", "USD", "at_least"),
        ("up to $500 million", "500000000", "USD", "at_most"),
        ("$50 million or more", "50000000", "USD", "at_least"),
        ("a $2.5 billion-plus deal", "2500000000", "USD", "more_than"),
        ("US$12 million in fees", "12000000", "USD", "exact"),
        ("12 million US dollars", "12000000", "USD", "exact"),
        ("5 million dollars a month", "5000000", "USD_per_month", "exact"),
        ("$8 million a month", "8000000", "USD_per_month", "exact"),
        ("$20 per month", "20", "USD_per_month", "exact"),
        ("$11 million a year", "11000000", "USD_per_year", "exact"),
        ("$600,000 to CoreWeave", "600000", "USD", "exact"),
        ("valued at £3bn", "3000000000", "GBP", "exact"),
        ("a €20 million grant", "20000000", "EUR", "exact"),
        ("$10-20 million", "10000000", "USD", "at_least"),
        ("between $400m and $500m", "400000000", "USD", "at_least"),
    ],
)
def test_amounts_of_money_parse_to_dollars_with_their_bound(text, value, unit, bound):
    (a,) = find_amounts(text)
    assert plain(a.value) == value
    assert (a.unit, a.bound) == (unit, bound)
    assert text[a.start : a.end] == a.text


def test_a_range_keeps_its_upper_end_and_says_so():
    (a,) = find_amounts("it sought $10 million to $20 million")
    assert (a.value, a.value_high) == (Decimal(10_000_000), Decimal(20_000_000))
    assert "range" in a.note


@pytest.mark.parametrize(
    "text",
    [
        "The company ran 4,000 Nvidia A100 GPUs.",
        "Its app was downloaded 10 million times, or 2 million downloads a month.",
        "The shares rose 5% to $45.20 a share.",
        "It cut the fundraising target by over 80%.",
        "An investor holds a 20 percent stake and 5 million shares.",
        "It employed 150 people and generated 512x512 pixel images.",
        "The model was released in 2022 with 1.5 billion parameters.",
        "Shares of Intel Corp. (NASDAQ: INTC) fell 1.2 per cent to $42.10 on Friday.",
    ],
)
def test_numbers_that_are_not_money_are_not_money(text):
    assert find_amounts(text) == []


def test_vague_sums_are_money_bounded_below_by_their_words():
    (a,) = find_amounts("it owed millions of dollars to cloud providers")
    assert (a.value, a.bound, a.value_high) == (Decimal(1_000_000), "at_least", None)
    (b,) = find_amounts("it lost tens of millions of dollars")
    assert (b.value, b.bound, b.value_high) == (Decimal(10**7), "at_least", Decimal(10**8))
    assert "no figure" in b.note


P = (date(2024, 3, 20), date(2024, 3, 20))


@pytest.mark.parametrize(
    "text, start, end, precision",
    [
        ("the meeting last week", "2024-03-11", "2024-03-17", "range"),
        ("it was sold in October", "2023-10-01", "2023-10-31", "month"),
        ("published last month", "2024-02-01", "2024-02-29", "month"),
        ("announced on Monday", "2024-03-18", "2024-03-18", "day"),
        ("said yesterday", "2024-03-19", "2024-03-19", "day"),
        ("earlier this year", "2024-01-01", "2024-03-20", "range"),
        ("in the fourth quarter", "2023-10-01", "2023-12-31", "quarter"),
        ("founded in 2022", "2022-01-01", "2022-12-31", "year"),
        ("on March 5", "2024-03-05", "2024-03-05", "day"),
        ("on December 12", "2023-12-12", "2023-12-12", "day"),
        ("last December", "2023-12-01", "2023-12-31", "month"),
        ("In March this year", "2024-03-01", "2024-03-31", "month"),
        ("by October of last year", "2023-10-01", "2023-10-31", "month"),
        ("It will launch in May", "2024-05-01", "2024-05-31", "month"),
        ("two years ago", "2022-01-01", "2022-12-31", "year"),
        ("on 4 June 2024", "2024-06-04", "2024-06-04", "day"),
        ("in Q2 2023", "2023-04-01", "2023-06-30", "quarter"),
        ("all left last year", "2023-01-01", "2023-12-31", "year"),
    ],
)
def test_dates_resolve_against_the_publication_date(text, start, end, precision):
    (m,) = find_dates(text, P)
    iv = m.interval
    assert (iv.start.isoformat(), iv.end.isoformat(), iv.precision) == (start, end, precision)
    assert text[m.start : m.end] == m.text
    assert bool(m.note) == (not m.explicit)  # every inferred date says how


def test_a_month_without_a_year_follows_the_date_named_before_it():
    ms = find_dates("In November 2023, he tweeted that revenue in August was $1.2 million.", P)
    assert [m.interval.label() for m in ms] == ["November 2023", "August 2023"]
    assert "'November 2023' (named earlier in the sentence)" in ms[1].note


def test_a_publication_range_gives_a_range_when_the_readings_differ():
    (m,) = find_dates("Last month, they published it.", (date(2024, 2, 1), date(2024, 6, 4)))
    assert (m.interval.start, m.interval.end, m.interval.precision) == (
        date(2024, 1, 1),
        date(2024, 5, 31),
        "range",
    )


def test_may_the_verb_is_not_a_date():
    assert find_dates("The company may raise more money.", P) == []


def test_publication_date_from_the_text():
    p = publication_from_text("Headline\nBy A. Writer | March 3, 2025\n\nBody in May 2024.")
    assert (p.start, p.end, p.precision) == (date(2025, 3, 3), date(2025, 3, 3), "day")
    p = publication_from_text((config.RAW / "000_15eb34336186f97c.txt").read_text("utf-8"))
    assert (p.start, p.end, p.precision) == (date(2023, 11, 1), date(2024, 6, 4), "range")
    assert "Updated" in p.note and "November 2023" in p.note
    assert publication_from_text("No date at all.\n\nNothing.") is None


@pytest.mark.parametrize("path", sorted(config.RAW.glob("*.txt")) + [ARTICLE], ids=lambda p: p.name)
def test_every_candidate_quote_is_the_text_at_its_offsets(facts, path):
    text = path.read_text(encoding="utf-8")
    rows = extract(text, facts, Source((date(2024, 1, 1), date(2024, 12, 31))))
    assert rows
    for r in rows:
        assert set(r) == set(COLUMNS)
        assert r["kind"] in ("money", "date", "person", "role", "departure", "organisation")
        assert text[int(r["start"]) : int(r["end"])] == r["quote"], r
        # nothing from the publisher's contact block
        assert not any(w in r["quote"] for w in ("@", "get in touch", "contact form", "skype"))


def test_the_same_input_gives_the_same_bytes(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run("extract", ARTICLE, "--out", a).code == 0
    assert run("extract", ARTICLE, "--out", b).code == 0
    assert a.read_bytes() == b.read_bytes()


def test_extract_prints_csv_and_refuses_bad_input(tmp_path):
    r = run("extract", ARTICLE)
    assert r.code == 0
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert {
        "kind",
        "quote",
        "start",
        "end",
        "value",
        "unit",
        "date_start",
        "date_end",
        "precision",
        "person",
        "matches",
        "suggested_table",
    } <= set(rows[0])
    assert "not registered yet" in r.err
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x81 not utf-8")
    r = run("extract", bad)
    assert r.code == 2 and "expected UTF-8" in r.err
    r = run("extract", ARTICLE, "--published", "yesterday")
    assert r.code == 2 and "--published" in r.err
    r = run("extract", ARTICLE, "--out", tmp_path)
    assert r.code == 2 and "directory" in r.err


def test_extract_of_a_registered_article_uses_its_recorded_dates():
    r = run("extract", config.RAW / "001_d355905f12033a8c.txt")
    assert r.code == 0
    assert "from sources.csv" in r.err
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert {x["source_id"] for x in rows} == {"S001"}
    cash = next(x for x in rows if x["kind"] == "money" and x["value"] == "4000000")
    assert cash["matches"].split() == ["M014"]


def test_recall_of_curated_money_and_departures_is_at_least_95_percent(facts):
    results = evaluate.evaluate(facts)
    money = sum(r.money_found for r in results)
    stated = sum(r.money_total - r.money_unstated for r in results)
    deps = sum(r.departures_found for r in results)
    dep_total = sum(r.departures_total for r in results)
    all_money = sum(r.money_total for r in results)
    assert money / stated >= 0.95
    assert deps / dep_total >= 0.95
    assert (money + deps) / (all_money + dep_total) >= 0.95
    assert "money + departures" in evaluate.report(results)


def test_make_extract_eval_target_exists():
    text = (Path(config.ROOT) / "Makefile").read_text(encoding="utf-8")
    assert "extract-eval:" in text and "stability_report.tools.intake.evaluate" in text
