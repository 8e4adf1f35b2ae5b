"""Prose: money as readers write it, numbers only with fact ids, data text made inert."""

import pandas as pd
import pytest

from stability_report.analysis.cited import cite
from stability_report.formats import money
from stability_report.present.markdown import escape_md, md
from stability_report.present.tables import table_html


@pytest.mark.parametrize(
    "x,long,short",
    [
        (5.4e6, "$5.4 million", "$5.4M"),
        (153e6, "$153 million", "$153M"),
        (1e9, "$1 billion", "$1B"),
        (600_000, "$600,000", "$600K"),
        (1.2e6, "$1.2 million", "$1.2M"),
        (11.8333e6, "$11.8 million", "$11.8M"),
        (-2.6e6, "-$2.6 million", "-$2.6M"),
    ],
)
def test_money(x, long, short):
    assert money(x) == long
    assert money(x, short=True) == short


def test_two_amounts_in_a_sentence_carry_no_dollar_sign_a_typesetter_could_pair():
    """Each $ alone in its own element, written as an entity: nothing in the Markdown source
    (JupyterLab's first pass) or in the rendered text of one element (MathJax's) to pair."""
    text = md("Revenue of {r} against costs of {c}.", r=cite(5.4e6, "M1"), c=cite(8e6, "M2"))
    assert text.startswith("Revenue of <span>&#36;</span>5.4 million")
    assert "<span>&#36;</span>8 million" in text
    assert "$" not in text
    assert "[M1]" in text and "[M2]" in text
    assert md("{a} and {b}", a=cite(1e6), b=cite(2e6)) == (
        "<span>&#36;</span>1 million and <span>&#36;</span>2 million"
    )


def test_bare_numbers_are_refused():
    with pytest.raises(TypeError, match="Cited"):
        md("burn of {x}", x=8e6)


def test_data_text_is_inert():
    hostile = "<script>alert(1)</script> <img src=x onerror=alert(1)> [click](http://evil) $x$"
    out = escape_md(hostile)
    assert "<script>" not in out and "<img" not in out
    assert "\\[click\\]" in out and "<span>&#36;</span>x<span>&#36;</span>" in out
    assert "$" not in out
    assert "&lt;script&gt;" in md("{t}", t=hostile)


def test_table_html_escapes_and_disables_math():
    html = table_html(pd.DataFrame({"a": ["<b>x</b>", "$5 and $6"]}), "cap")
    assert "<b>x</b>" not in html and "&lt;b&gt;" in html
    assert "$" not in html.replace("&#36;", "")
    assert "mathjax_ignore" in html


def test_source_words_mark_a_date_the_report_resolved():
    from stability_report.present.phrases import dated_by, source_words

    resolved = pd.DataFrame(
        {
            "source_id": ["S009"],
            "original_reporter": [None],
            "inference_note": ["'Last spring' resolved to March-May 2021: written in 2022"],
        }
    )
    assert source_words(resolved) == " (S009: “Last spring”)"
    # a source that gives the date outright needs no marker
    plain = pd.concat(
        [
            resolved,
            pd.DataFrame(
                {
                    "source_id": ["S008"],
                    "original_reporter": ["The Courier"],
                    "inference_note": [""],
                }
            ),
        ]
    )
    assert source_words(plain) == ""
    assert dated_by(plain) == "S008 restating The Courier, and S009: “Last spring”"


def test_source_words_keep_the_source_s_case_and_read_a_parenthesis():
    from stability_report.present.phrases import source_words

    def words(note):
        return source_words(pd.DataFrame({"source_id": ["S009"], "inference_note": [note]}))

    # in the source's case, never capitalised
    assert words("'the start of this year' resolved to 2022") == " (S009: “the start of this year”)"
    # a note that gives the words in a parenthesis after the resolved date
    assert words("At the fair, May 2021 ('May of last year': written in 2022)") == (
        " (S009: “May of last year”)"
    )
    assert words("Dated by the announcement in May 2021") == ""


def test_source_words_do_not_repeat_the_sentence_s_preposition():
    from stability_report.present.phrases import source_words

    rows = pd.DataFrame(
        {
            "source_id": ["S009"],
            "inference_note": ["'By May of last year' resolved to by May 2021: written in 2022"],
        }
    )
    # "By May 2021 (S009: “May of last year”)": the quoted words keep the source's case and
    # stay a substring of its words, without the "By" the sentence already has
    assert source_words(rows, lead="by") == " (S009: “May of last year”)"
    assert source_words(rows, lead="in") == " (S009: “By May of last year”)"
    assert source_words(rows) == " (S009: “By May of last year”)"


def test_a_bill_keeps_its_deadline_in_the_quote_s_words():
    from stability_report.present.phrases import DEADLINE

    m = DEADLINE.search("does not intend to pay the host the $2 million fee by the end of May")
    assert m and m.group(0) == "by the end of May"
    assert DEADLINE.search("failed to pay the May bill") is None


def _strip(text: str) -> str:
    """The words a reader reads, without the citations."""
    import re

    return re.sub(r"<[^>]+>", "", re.sub(r"<sup[^>]*>.*?</sup>", "", text))


def _event(fid, event, quote, start, end, precision, note=None, reporter=None, by=None) -> dict:
    return {
        "fact_id": fid,
        "source_id": "S009",
        "quote": quote,
        "category": "corporate",
        "event": event,
        "actor": None,
        "person_id": None,
        "value": float("nan"),
        "unit": None,
        "bound": None,
        "date_start": pd.Timestamp(start) if start else pd.NaT,
        "date_end": pd.Timestamp(end) if end else pd.NaT,
        "date_precision": precision,
        "status": "reported",
        "original_reporter": reporter,
        "attributed_to": by,
        "inference_note": note,
    }


@pytest.fixture(scope="module")
def fictitious():
    """The real fact base with its events replaced by fictitious ones of the same names."""
    from stability_report.facts.base import Facts
    from stability_report.facts.load import load_facts

    real = load_facts()
    resolved = "'In June this year' resolved to June 2031: 'this year' resolved to 2031"
    events = pd.DataFrame(
        [
            _event(
                "E901",
                "clipdrop_sold_to_jasper",
                "In June this year, the lab sold its app",
                "2031-06-01",
                "2031-06-30",
                "month",
                resolved,
            ),
            _event(
                "E902",
                "sd3_released",
                "In June this year, it released its model",
                "2031-06-01",
                "2031-06-30",
                "month",
                resolved,
            ),
            _event(
                "E903",
                "sd3_released",
                "in June 2031 it released its model",
                "2031-06-01",
                "2031-06-30",
                "month",
            ),
            {
                **_event(
                    "E906",
                    "quiet_layoffs",
                    "at the start of this year it let staff go",
                    "2031-01-01",
                    "2031-03-31",
                    "range",
                    "'the start of this year' resolved to early 2031, bounded as the first quarter",
                    by="sources",
                ),
                "value": 10.0,
                "unit": "percent",
                "bound": "at_least",
            },
            {
                **_event("E907", "remaining_employees", "its 50 staff", None, None, "undated"),
                "value": 50.0,
                "unit": "count",
                "bound": "exact",
            },
            _event(
                "E904",
                "executives_resigned_in_disappointment",
                "executives resigned",
                None,
                None,
                "undated",
                reporter="The Courier",
                by="internal documents",
            ),
            _event(
                "E905",
                "ceo_made_unrealistic_promises",
                "the chief overestimated himself",
                None,
                None,
                "undated",
                reporter="The Courier",
                by="internal documents",
            ),
        ]
    )
    others = [  # the rest of the criticism statement's facts
        _event(f"E91{i}", name, "a remark", None, None, "undated")
        for i, name in enumerate(
            (
                "ceo_criticised_over_csam_safeguards",
                "former_executive_criticises_ceo",
                "ceo_family_and_company_finances_blurred",
            )
        )
    ]
    events = pd.concat([events, pd.DataFrame(others)], ignore_index=True)
    return Facts(tables={**real.tables, "events": events}, texts=real.texts, digest="t")


def test_a_dated_statement_gives_the_source_s_words_for_a_date_the_report_resolved(fictitious):
    from stability_report.present import people, story
    from stability_report.present.money.statements import STATEMENTS as MONEY

    sold = _strip(story.say(fictitious, MONEY["clipdrop"]))
    assert sold.startswith("In June 2031 (S009: “In June this year”) it sold")
    # one of its sources dates it outright (E903, 'in June 2031'): no words are needed
    released = _strip(story.say(fictitious, people.STATEMENTS["sd3"]))
    assert released.startswith("In June 2031 the three")
    laid_off = _strip(story.say(fictitious, people.STATEMENTS["layoffs"]))
    assert laid_off.startswith(
        "In January–March 2031 (S009: “the start of this year”) the company began quietly"
    )


def test_a_statement_dated_to_the_day_opens_with_on(fictitious):
    from stability_report.facts.base import Facts
    from stability_report.present import story
    from stability_report.present.money.statements import STATEMENTS as MONEY

    e = fictitious.events.copy()
    sold = e["fact_id"] == "E901"
    e.loc[sold, "date_end"] = e.loc[sold, "date_start"] = pd.Timestamp("2031-06-03")
    e.loc[sold, "date_precision"] = "day"
    e.loc[sold, "inference_note"] = None
    facts = Facts(tables={**fictitious.tables, "events": e}, texts=fictitious.texts, digest="d")
    assert _strip(story.say(facts, MONEY["clipdrop"])).startswith("On 3 June 2031 it sold")


def test_a_list_an_outlet_drew_from_documents_is_attributed_to_the_outlet(fictitious):
    from stability_report.present import people, story

    said = _strip(story.say(fictitious, people.STATEMENTS["disappointment"]))
    assert said.startswith("According to The Courier, “several executives")
    criticism = _strip(story.say(fictitious, people.STATEMENTS["criticism"]))
    assert criticism.startswith("According to The Courier, the chief executive “overestimated")


@pytest.mark.parametrize(
    "lo,hi,expected",
    [
        (
            0,
            11,
            "none of the 16 dated departures had certainly happened, and at most 11 could have: "
            "those 11 are dated only to an interval that spans that month, so the sources cannot "
            "say whether they came before the cash figure or after it.",
        ),
        (
            0,
            1,
            "none of the 16 dated departures had certainly happened, and at most 1 could have: "
            "that one is dated only to an interval that spans that month, so the sources cannot "
            "say whether it came before the cash figure or after it.",
        ),
        (
            3,
            7,
            "at least 3 and at most 7 of the 16 dated departures had happened: 4 are dated only "
            "to an interval that spans that month, so the sources cannot say whether they came "
            "before the cash figure or after it.",
        ),
        (5, 5, "5 of the 16 dated departures had happened."),
    ],
)
def test_the_departures_against_the_cash_figure_read_in_one_pass(monkeypatch, lo, hi, expected):
    from stability_report.present import people

    milestone = {
        "when": cite("May 2031", "M901", fmt="text"),
        "cash": cite(2e6, "M901"),
        "bound": cite("less than", fmt="text"),
        "at_least": cite(lo, fmt="int"),
        "at_most": cite(hi, fmt="int"),
        "dated": cite(16, fmt="int"),
    }
    monkeypatch.setattr(people.attrition, "cash_milestone", lambda *a, **k: milestone)
    text = _strip(people.cash_milestone_text(None, None))
    assert text.startswith("By May 2031")
    assert text.endswith(expected), text
