"""Periods, publication windows and amounts as the evidence appendix and the brief write them
(stability_report.formats, no pandas), and their agreement with the chapters' own formatting
(formats.money, formats.amount)."""

from __future__ import annotations

import math
import re

import pytest

from stability_report import formats


@pytest.mark.parametrize(
    "start, end, precision, expected",
    [
        ("2023-10-01", "2023-10-31", "month", "Oct 2023 (month)"),
        ("2023-04-01", "2023-06-30", "quarter", "Q2 2023 (quarter)"),
        ("2023-01-01", "2023-12-31", "year", "2023 (year)"),
        ("2024-06-04", "2024-06-04", "day", "4 Jun 2024 (day)"),
        ("2023-07-01", "2024-12-31", "range", "Jul 2023 – Dec 2024 (bounds only)"),
        ("2024-01-01", "2024-06-30", "range", "Jan – Jun 2024 (bounds only)"),
        ("2024-01-21", "2024-06-02", "range", "21 Jan – 2 Jun 2024 (bounds only)"),
        ("2024-03-03", "2024-03-20", "range", "3 – 20 Mar 2024 (bounds only)"),
        ("2023-12-15", "2024-01-10", "range", "15 Dec 2023 – 10 Jan 2024 (bounds only)"),
        ("", "", "undated", "undated"),
        (None, None, "undated", "undated"),
    ],
)
def test_period(start, end, precision, expected):
    assert formats.period(start, end, precision) == expected


def test_publication():
    assert formats.publication("2024-06-04", "2024-06-04", "day") == "published 4 Jun 2024"
    # long form: months spelled out; the bounds of the range in order, then the update
    text = formats.publication("2024-02-01", "2024-06-04", "range", "2024-06-04", long=True)
    dates = re.findall(r"\d{1,2} [A-Z][a-z]+ \d{4}", text)
    assert dates == ["1 February 2024", "4 June 2024", "4 June 2024"], text
    assert text.startswith("published") and "updated 4 June 2024" in text
    assert formats.publication("2024-03-01", "2024-03-31", "month") == "published in Mar 2024"


@pytest.mark.parametrize(
    "x",
    [
        0,
        1,
        999,
        1_000,
        600_000,
        999_999,
        1_000_000,
        1_200_000,
        5_400_000,
        8_000_000,
        99_500_000,
        153_000_000,
        1e9,
        4e9,
        1.25e9,
        -2_600_000,
        100_000_000_000,
    ],
)
def test_money_agrees_with_the_chapters(x):
    for short in (False, True):
        assert formats.money(x, short) == formats.money(x, short), (x, short)


@pytest.mark.parametrize(
    "value, unit, bound",
    [
        (4_000_000, "USD", "less_than"),
        (99_000_000, "USD_per_year", "approx"),
        (8_000_000, "USD_per_month", "exact"),
        (80, "percent", "more_than"),
        (10, "percent", "at_least"),
        (600_000, "USD", "exact"),
        (1e9, "USD", "more_than"),
        (None, "USD", "unknown"),
    ],
)
def test_amount_agrees_with_the_chapters(value, unit, bound):
    expected = formats.amount(math.nan if value is None else value, unit, bound)
    assert formats.amount(value, unit, bound) == expected
    assert formats.amount("" if value is None else str(value), unit, bound) == expected


def test_amount_of_counts_and_other_units():
    assert formats.amount("150", "count", "exact") == "150"
    assert formats.amount("3", "count", "at_least") == "at least 3"
    assert formats.amount("48", "hours", "approx") == "about 48 hours"
    assert formats.amount("1500", "images_per_second", "exact") == "1,500 images per second"


def test_count_words_and_shorten():
    assert formats.count_words(1, "news article") == "one news article"
    assert formats.count_words(2, "news article") == "two news articles"
    assert formats.count_words(12, "fact") == "12 facts"
    assert (
        formats.shorten("The Elimination Wave of Large Model Startups Begins", 30)
        == "The Elimination Wave of Large…"
    )
    assert formats.shorten("short", 30) == "short"


@pytest.mark.parametrize(
    "words, lead, expected",
    [
        # the sentence already says "By <date>": the source's "By" is not repeated
        ("By October of last year", "by", "October of last year"),
        ("by the end of May", "By", "the end of May"),
        ("In March this year", "in", "March this year"),
        # another lead, or none, leaves the words as they are
        ("By October of last year", "in", "By October of last year"),
        ("By October of last year", "", "By October of last year"),
        # a lone word is the date itself, never emptied; a word merely starting alike stays
        ("by", "by", "by"),
        ("Byzantine spring", "by", "Byzantine spring"),
    ],
)
def test_after_lead_drops_a_preposition_the_sentence_already_has(words, lead, expected):
    assert formats.after_lead(words, lead) == expected


@pytest.mark.parametrize(
    "x, nearest, down",
    [
        (132e6 / 13, "$10.2 million", "$10.1 million"),  # a floor never shown above itself
        (132e6 / 15, "$8.8 million", "$8.8 million"),  # 8.8 exactly, not 8.7999...
        (99.99e6, "$100 million", "$99.9 million"),
        (153e6, "$153 million", "$153 million"),
        (2.75e9, "$2.8 billion", "$2.7 billion"),
    ],
)
def test_money_rounds_a_floor_down(x, nearest, down):
    assert formats.money(x) == nearest
    assert formats.money(x, down=True) == down


@pytest.mark.parametrize(
    "start, end, precision, expected",
    [
        ("2024-03-18", "2024-03-24", "range", "between 18 and 24 March 2024"),
        ("2024-02-01", "2024-06-04", "range", "between 1 February and 4 June 2024"),
        ("2023-12-01", "2024-01-15", "range", "between 1 December 2023 and 15 January 2024"),
        ("2024-03-01", "2024-03-31", "month", "in March 2024"),
        ("2024-03-01", "2024-12-31", "range", "in March–December 2024"),
        ("2023-04-01", "2023-06-30", "quarter", "in Q2 2023"),
        ("2024-03-22", "2024-03-22", "day", "on 22 March 2024"),
        (None, None, "undated", "undated"),
    ],
)
def test_within_gives_the_preposition_the_interval_needs(start, end, precision, expected):
    assert formats.within(start, end, precision) == expected


def test_publication_short_within_one_month():
    assert formats.publication_short("2024-03-25", "2024-03-31") == "published 25–31 Mar 2024"
    assert formats.publication_short("2024-03-01", "2024-03-31") == "published Mar 2024"
    assert formats.publication_short("2024-02-01", "2024-06-04", "2024-06-04") == (
        "published Feb–Jun 2024, updated 4 Jun 2024"
    )
    assert formats.publication_short("2023-12-01", "2024-06-04") == "published Dec 2023–Jun 2024"
