"""analysis.attrition (and its figures) against values worked out by hand from the two articles.

Hand-computed from the sources (reference year 2024 for both):
- S000 names 15 people who left: the three Stable Diffusion researchers (Rombach, Blattmann,
  Lorenz), the VPs Cantrell, Draves, Hebron, Penna ("all left last year"), Ha, Fort and
  Castricato (undated in S000), Newton-Rex ("In November"), Avrunin, Onder, Ito and Valdés
  ("resigned last year"). S001 adds the CEO, Emad Mostaque (undated, in 2024), and dates Ha,
  Fort and Castricato to "last year", the researchers to "In March this year".
- So: 16 departures; research 5 (Rombach, Blattmann, Lorenz, Hebron, Ha), language models 2,
  one each in product, engineering, applied ML, audio, legal, people, operations,
  communications and the executive.
- Intervals: researchers March 2024 (S000's 'last week' window narrowed by S001's month);
  Newton-Rex November 2023 (S000's month inside S001's year); eleven in 2023 (the year);
  Mostaque somewhere from 1 January 2024 to the analysis date (S001 is from 2024, undated).
- "three of the five authors": 3 of 5 = 60%.
"""

from __future__ import annotations

import facts_fixture  # noqa: E402  (tests/ is on sys.path under pytest)
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from stability_report import formats
from stability_report.analysis import attrition, readings, timeline
from stability_report.facts.base import Facts
from stability_report.facts.load import load_facts
from stability_report.figures import attrition as attrition_figures
from stability_report.figures import style
from stability_report.present.markdown import md

AS_OF = "2024-06-04"
LAST_YEAR = {
    "Christian Cantrell",
    "Scott Draves",
    "Patrick Hebron",
    "Joe Penna",
    "David Ha",
    "Stanislav Fort",
    "Louis Castricato",
    "Adam Avrunin",
    "Ozden Onder",
    "Ren Ito",
    "Jordan Valdés",
}
RESEARCHERS = {"Robin Rombach", "Andreas Blattmann", "Dominik Lorenz"}
EVERYONE = LAST_YEAR | RESEARCHERS | {"Ed Newton-Rex", "Emad Mostaque"}


@pytest.fixture(scope="module")
def all_facts() -> Facts:
    return load_facts()


@pytest.fixture(scope="module")
def facts(all_facts) -> Facts:
    return all_facts.as_of(AS_OF)


@pytest.fixture(scope="module")
def deps(facts) -> pd.DataFrame:
    return attrition.departures(facts, AS_OF)


def _row(deps, name):
    return deps.set_index("name").loc[name]


def _ts(s):
    return pd.Timestamp(s)


# ---------------------------------------------------------------------------------------------
# the real fact base


def test_everyone_the_articles_name_as_leaving_is_a_departure_and_no_one_else(deps):
    assert set(deps["name"]) == EVERYONE
    assert len(deps) == 16
    assert deps["person_id"].is_unique


def test_funds_leaving_the_board_are_governance_not_departures(deps, facts):
    investors = set(facts.persons.loc[facts.persons["affiliation"] == "investor", "canonical_name"])
    assert not investors & set(deps["name"])
    assert "Coatue" not in set(deps["name"])


def test_departures_per_capability_group(deps):
    by = {k: c.value for k, c in attrition.group_counts(deps).items()}
    # research 5 + language models 2 + applied ML 1; engineering, product, audio; the rest
    assert by == {"core": 8, "technical": 3, "executive": 5}
    assert all(c.ref == attrition.DEPARTURES_TABLE for c in attrition.group_counts(deps).values())
    table = attrition.departure_table(deps)
    labels = {k: v[0] for k, v in attrition.CAPABILITY_GROUPS.items()}
    assert table["Group"].value_counts().to_dict() == {labels[k]: n for k, n in by.items()}


def test_vp_or_above_under_each_reading_of_the_titles(deps):
    high, low = attrition.vp_or_above(deps)
    # more senior title: Cantrell, Draves, Hebron, Penna, Valdés, Newton-Rex (VP), Ito, Onder,
    # Mostaque (C-suite); less senior: Draves, Hebron, Penna are 'Head of' in S001 and Onder a
    # 'director' in S000
    assert (high.value, low.value) == (9, 5)


def test_researchers_left_in_march_2024_from_both_sources(deps, facts):
    for name in RESEARCHERS:
        r = _row(deps, name)
        assert (r["earliest"], r["latest"], r["precision"]) == (
            _ts("2024-03-01"),
            _ts("2024-03-31"),
            "month",
        )
        sources = set(facts.personnel.set_index("fact_id").loc[list(r["date_ids"]), "source_id"])
        assert sources == {"S000", "S001"}
    assert attrition.when(deps[deps["sd_author"]]).value == "March 2024"


def test_newton_rex_month_inside_the_other_sources_year(deps):
    r = _row(deps, "Ed Newton-Rex")
    assert (r["earliest"], r["latest"], r["precision"]) == (
        _ts("2023-11-01"),
        _ts("2023-11-30"),
        "month",
    )
    assert "copyright" in r["reason"]


def test_last_year_departures_span_2023(deps):
    for name in LAST_YEAR:
        r = _row(deps, name)
        assert (r["earliest"], r["latest"], r["precision"]) == (
            _ts("2023-01-01"),
            _ts("2023-12-31"),
            "year",
        ), name


def test_ceo_resignation_is_an_interval_bounded_by_the_analysis_date(deps):
    r = _row(deps, "Emad Mostaque")
    # no earlier than March 2024: he announced, as CEO, the researchers' resignation, which S001
    # dates to March 2024
    assert r["earliest"] == _ts("2024-03-01")
    assert r["latest"] == _ts(AS_OF)
    assert r["precision"] == "range"


def test_no_interval_is_turned_into_a_point(deps):
    assert (deps["earliest"] < deps["latest"]).all()
    assert set(deps["precision"]) <= {"month", "year", "range"}


@pytest.mark.parametrize(
    "when, low, high",
    [
        ("2022-12-31", 0, 0),
        ("2023-06-30", 0, 11),  # the eleven 'last year' departures have begun, none has passed
        ("2023-11-30", 1, 12),  # Newton-Rex's November has passed
        ("2023-12-31", 12, 12),
        ("2024-02-29", 12, 12),  # Mostaque's interval begins in March 2024
        ("2024-03-31", 15, 16),  # the researchers' March has passed
        (AS_OF, 16, 16),
    ],
)
def test_cumulative_band_bounds(deps, when, low, high):
    lo, hi = attrition.band_at(deps, when)
    assert (lo.value, hi.value) == (low, high)
    band = timeline.cumulative_band(deps, "2022-08-01", "2024-06-30").set_index("date")
    assert tuple(band.loc[_ts(when), ["minimum", "maximum"]]) == (low, high)


def test_band_is_a_band(deps):
    band = timeline.cumulative_band(deps)
    assert (band["minimum"] <= band["maximum"]).all()
    assert band["minimum"].is_monotonic_increasing and band["maximum"].is_monotonic_increasing
    assert band["maximum"].iloc[-1] == band["minimum"].iloc[-1] == deps["dated"].sum()


def test_sd_authors_three_of_five(facts, deps):
    share = attrition.sd_author_share(facts, deps)
    assert (share.part.value, share.whole.value) == (3, 5)
    assert share.share.value == pytest.approx(0.6)
    assert "5" in facts.quote(share.whole.ids[0]) or "five" in facts.quote(share.whole.ids[0])
    assert set(share.part.ids) <= set(share.share.ids)
    assert set(deps.loc[deps["sd_author"], "name"]) == RESEARCHERS


def test_no_share_without_a_stated_whole(facts, deps):
    events = facts.events[facts.events["event"] != attrition.SD_AUTHORS_TOTAL]
    without = Facts(tables={**facts.tables, "events": events}, texts=facts.texts)
    assert attrition.sd_author_share(without, deps) is None


def test_counts_cite_real_facts_and_link_the_table(facts, deps):
    n = attrition.departure_count(deps)
    assert n.value == 16 and n.ref == attrition.DEPARTURES_TABLE
    known = set(facts.all_facts()["fact_id"])
    assert len(n.ids) == 16 and set(n.ids) <= known  # one statement per person
    share = attrition.sd_author_share(facts, deps)
    assert (share.part.value, share.whole.value) == (3, 5)
    assert share.share.value == pytest.approx(0.6) and share.share.ids == ("E004", "E003")
    assert attrition.layoff_share(facts).value == pytest.approx(0.10)
    assert attrition.layoff_bound(facts) == "at least"
    text = md("{n} left, {s} of the authors", n=n, s=share.share)
    assert 'href="#tbl-departures"' in text and "60%" in text


def test_a_group_is_dated_by_the_statements_that_set_it(facts, deps):
    authors = deps[deps["sd_author"]]
    w = attrition.when(authors, facts)
    assert w.value == "March 2024" and set(w.ids) == {"R022", "R023", "R024"}


def test_events_read_by_name_exist(facts):
    names = set(facts.events["event"])
    wanted = {
        attrition.SD_AUTHORS_TOTAL,
        attrition.SD_AUTHORS_LEFT,
        attrition.LAYOFFS,
        *timeline.TIMELINE_EVENTS,
    }
    assert not wanted - names, f"renamed or missing events: {sorted(wanted - names)}"


def test_timeline_events_merge_both_sources_and_follow_conflicts(facts):
    ev = timeline.timeline_events(facts, AS_OF)
    coatue = ev[ev["label"] == "Coatue leaves the board"]
    assert len(coatue) == 1 and len(coatue["fact_ids"].iloc[0]) == 2
    assert coatue["start"].iloc[0] == _ts("2023-10-01")
    raised = ev[ev["lane"] == "Funding"]["label"]
    # S000's 'more than $100 million' is the reading conflicts C012/C013 reject
    assert not raised.str.contains(r"> \$100M").any()
    assert raised.str.contains(r"\$101M").any() and raised.str.contains(r"\$35M").any()
    assert raised.str.contains(r"\$50M").any()
    bills = ev[ev["label"].str.contains("bill unpaid", case=False)]
    assert sorted(bills["start"].dt.strftime("%Y-%m")) == [
        "2023-07",
        "2023-08",
        "2023-09",
        "2024-01",
    ]
    # S001 names no creditor for the September and January bills: the label says so
    labels = dict(zip(bills["start"].dt.strftime("%Y-%m"), bills["label"]))
    assert labels["2023-07"] == "AWS bill unpaid ($1M)"
    assert labels["2023-09"] == labels["2024-01"] == "Bill unpaid (AWS inferred)"
    assert (ev["label"] == "Cash < $4M").sum() == 1


def test_cash_milestone_october_2023(facts, deps):
    cm = attrition.cash_milestone(facts, deps, AS_OF)
    assert cm["when"].value == "October 2023"
    assert cm["cash"].value == 4_000_000 and cm["bound"].value == "less than"
    assert (cm["at_least"].value, cm["at_most"].value) == (0, 11)


def test_merged_interval_drops_the_rejected_reading(facts):
    e = facts.events
    sd3 = e[e["event"] == "sd3_released"]  # S000 'Last month' (January-May), S001 February
    start, end, precision = readings.merged_interval(sd3, facts)
    assert (start, end, precision) == (_ts("2024-02-01"), _ts("2024-02-29"), "month")


def test_figures_are_drawn(facts, deps):
    for fig in (
        attrition_figures.departure_timeline(deps),
        attrition_figures.timeline_figure(facts, AS_OF),
    ):
        assert fig is not None
        assert style.title_of(fig)  # shown above the figure, as the page's text
        assert not fig.get_suptitle()
        plt.close(fig)


def test_shared_axis_runs_from_launch_to_the_last_fact(facts):
    fig = attrition_figures.timeline_figure(facts, AS_OF)
    top, bottom = fig.axes[:2]
    assert top.get_shared_x_axes().joined(top, bottom)
    lo, hi = (mdates.num2date(x).replace(tzinfo=None) for x in bottom.get_xlim())
    assert _ts("2022-07-01") < lo < _ts("2022-08-01")
    assert _ts("2024-06-30") < hi < _ts("2024-07-31")
    assert "cumulative" in top.get_ylabel() and bottom.get_xlabel()


def test_far_future_as_of_does_not_stretch_the_axis(all_facts):
    fig = attrition_figures.timeline_figure(all_facts.as_of("2030-01-01"), "2030-01-01")
    hi = mdates.num2date(fig.axes[1].get_xlim()[1]).replace(tzinfo=None)
    # the last interval may run to S001's latest publication date, not towards 2030
    assert hi < _ts("2025-02-01")


# ---------------------------------------------------------------------------------------------
# as_of


def test_before_any_source_everything_is_empty(all_facts):
    facts = all_facts.as_of("2023-06-30")
    deps = attrition.departures(facts, "2023-06-30")
    assert deps.empty and list(deps.columns) == attrition._DEPARTURE_COLUMNS
    assert timeline.cumulative_band(deps).empty
    assert [c.value for c in attrition.band_at(deps, "2024-01-01")] == [0, 0]
    assert attrition_figures.departure_timeline(deps) is None
    assert attrition_figures.timeline_figure(facts, "2023-06-30") is None
    assert timeline.timeline_events(facts).empty
    assert attrition.cash_milestone(facts, deps) is None
    assert attrition.departure_count(deps).value == 0
    assert attrition.sd_author_share(facts, deps) is None
    assert attrition.layoff_share(facts) is None


def test_with_only_s000_published(all_facts):
    """On 15 February 2024 only S000 is out: the CEO is still 'CEO' there, Ha, Fort and
    Castricato are undated, and the researchers' window ends on the analysis date."""
    facts = all_facts.as_of("2024-02-15")
    deps = attrition.departures(facts, "2024-02-15")
    assert set(deps["name"]) == EVERYONE - {"Emad Mostaque"}
    undated = set(deps.loc[~deps["dated"], "name"])
    assert undated == {"David Ha", "Stanislav Fort", "Louis Castricato"}
    assert deps.loc[~deps["dated"], "earliest"].isna().all()
    r = _row(deps, "Robin Rombach")
    assert r["latest"] == _ts("2024-02-15") and r["precision"] == "range"
    # undated departures are left off the axis and the band, and listed under the chart
    assert [c.value for c in attrition.band_at(deps, "2030-01-01")] == [12, 12]
    fig = attrition_figures.departure_timeline(deps)
    texts = " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
    assert "David Ha" in texts and "not placed on the axis" in texts.lower()
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert not any("David Ha" in t for t in ticks)


# ---------------------------------------------------------------------------------------------
# combining statements (the hand-made fixture, with conflicts added per test)


@pytest.fixture(scope="module")
def fx(tmp_path_factory) -> Facts:
    return facts_fixture.load(tmp_path_factory.mktemp("facts"))


def _with_conflict(fx: Facts, a: str, b: str, uses: str, kind: str = "date") -> Facts:
    c = pd.DataFrame(
        [
            {
                "conflict_id": "C099",
                "topic": "t",
                "kind": kind,
                "fact_id_a": a,
                "quote_a": "q",
                "reading_a": "a",
                "fact_id_b": b,
                "quote_b": "q",
                "reading_b": "b",
                "analysis_uses": uses,
                "rationale": "r",
            }
        ]
    )
    return Facts(tables={**fx.tables, "conflicts": pd.concat([fx.conflicts, c])}, texts=fx.texts)


def test_fixture_person_with_only_undated_statements(fx):
    deps = attrition.departures(fx, AS_OF)
    r = _row(deps, "Ozden Onder")
    assert not r["dated"] and pd.isna(r["earliest"]) and r["precision"] == "undated"
    assert r["fact_ids"] == ("R015",) and r["date_ids"] == ()
    assert (~deps["dated"]).sum() == 3  # Mostaque, Castricato, Onder
    assert "Coatue" not in set(deps["name"])  # an investor, not a person who left


def test_fixture_undated_statement_yields_to_dated(fx):
    r = _row(attrition.departures(fx, AS_OF), "David Ha")
    assert (r["earliest"], r["latest"]) == (_ts("2023-01-01"), _ts("2023-12-31"))
    assert r["date_ids"] == ("R011",) and r["fact_ids"] == ("R010", "R011")


@pytest.mark.parametrize(
    "uses, expected",
    [
        ("a", ("2023-11-01", "2023-11-30", "month")),
        ("b", ("2023-01-01", "2023-12-31", "year")),
        ("both", ("2023-01-01", "2023-12-31", "range")),
        ("neither", (None, None, "undated")),
    ],
)
def test_fixture_date_conflict_decides(fx, uses, expected):
    r = _row(attrition.departures(_with_conflict(fx, "R012", "R013", uses), AS_OF), "Ed Newton-Rex")
    start, end, precision = expected
    assert r["precision"] == precision
    if start:
        assert (r["earliest"], r["latest"]) == (_ts(start), _ts(end))
    else:
        assert pd.isna(r["earliest"])
    assert "C099" in r["conflict_ids"]


def test_fixture_role_conflict_does_not_touch_dates(fx):
    r = _row(
        attrition.departures(_with_conflict(fx, "R012", "R013", "a", kind="role"), AS_OF),
        "Ed Newton-Rex",
    )
    assert (r["earliest"], r["precision"]) == (_ts("2023-11-01"), "month")


def test_fixture_disagreeing_dates_without_resolution_are_spanned(fx):
    p = fx.personnel.copy()
    i = p.index[p["fact_id"] == "R013"][0]
    p.loc[i, ["date_start", "date_end"]] = [_ts("2022-01-01"), _ts("2022-12-31")]
    r = _row(
        attrition.departures(Facts(tables={**fx.tables, "personnel": p}, texts=fx.texts), AS_OF),
        "Ed Newton-Rex",
    )
    assert (r["earliest"], r["latest"], r["precision"]) == (
        _ts("2022-01-01"),
        _ts("2023-11-30"),
        "range",
    )
    assert "disagree" in r["basis"]


def test_fixture_interval_bounded_by_publication(fx):
    """A 'since last year' reading (2023 to the end of 2024) in S001 cannot end after S001's
    latest publication date, nor after the analysis date."""
    p = fx.personnel.copy()
    i = p.index[p["fact_id"] == "R011"][0]
    p.loc[i, ["date_end", "date_precision"]] = [_ts("2025-12-31"), "range"]
    f = Facts(tables={**fx.tables, "personnel": p}, texts=fx.texts)
    r = _row(attrition.departures(f), "David Ha")
    assert r["latest"] == fx.sources.set_index("source_id").loc["S001", "published_end"]
    r = _row(attrition.departures(f, "2024-06-04"), "David Ha")
    assert r["latest"] == _ts("2024-06-04") and "bounded" in r["basis"]


@pytest.mark.parametrize(
    "start, end, precision, text",
    [
        ("2023-11-01", "2023-11-30", "month", "November 2023"),
        ("2023-01-01", "2023-12-31", "year", "2023"),
        ("2023-04-01", "2023-06-30", "quarter", "Q2 2023"),
        ("2024-03-04", "2024-03-04", "day", "4 March 2024"),
        ("2024-01-01", "2024-06-04", "range", "1 Jan – 4 Jun 2024"),
        ("2023-07-01", "2023-10-31", "range", "July–October 2023"),
        ("2022-08-01", "2023-12-31", "range", "August 2022 – December 2023"),
        (None, None, "undated", "undated"),
    ],
)
def test_interval_label(start, end, precision, text):
    s = _ts(start) if start else pd.NaT
    e = _ts(end) if end else pd.NaT
    assert formats.interval(s, e, precision) == text


def test_a_bill_whose_creditor_the_report_inferred_is_labelled_so_on_the_axis():
    from collections import namedtuple

    Row = namedtuple("Row", "metric counterparty value unit bound inference_note")
    named = Row("unpaid_bill", "Amazon Web Services", 2e6, "USD", "exact", None)
    inferred = named._replace(value=float("nan"), inference_note="Creditor inferred: see above")
    priced = inferred._replace(value=3e6)
    assert timeline._money_label(named) == "AWS bill unpaid ($2M)"
    assert timeline._money_label(inferred) == "Bill unpaid (AWS inferred)"
    assert timeline._money_label(priced) == "Bill unpaid ($3M; AWS inferred)"


def test_departures_caption_names_the_relative_words_the_report_resolved(facts):
    from stability_report.present import people, story

    rows = pd.DataFrame(
        {
            "inference_note": [
                "'the spring before' resolved to 2031: the article was written in 2032",
                "'the spring before' resolved to 2031: same sentence",
                "Bounded by the source's publication window",
                None,
                "'In June' resolved to June 2031: written in 2032",
            ]
        }
    )
    assert story.resolved_words(rows) == ["the spring before", "In June"]
    assert story.resolved_words(rows.iloc[2:4]) == []
    caption = people.departures_caption(facts)
    assert "as precisely as the sources allow" not in caption
    assert "the report dating the sources' “last year”" in caption


@pytest.mark.parametrize(
    ("precision", "note", "expected"),
    [
        ("range", "S9 gives no date for the sale. It lies in 2030-01-01..2030-06-30", True),
        ("range", "S9 gives no month for this debt. Bounded by the bills around it", True),
        ("month", "'May' resolved to May 2030: S9 was written in 2030", False),
        ("undated", "S9 gives no date", False),  # not drawn at all: no bound to mark
    ],
)
def test_an_interval_the_report_bounds_is_told_from_a_source_date(precision, note, expected):
    from stability_report.analysis.money import date_bounded

    assert date_bounded({"date_precision": precision, "inference_note": note}) is expected


def test_timeline_labels_say_what_the_source_leaves_open():
    from collections import namedtuple

    Row = namedtuple("Row", "quote value unit bound date_precision date_start inference_note")
    began = Row("Acme began cutting jobs early this year; 20% went", 20, "percent", "exact",
                "range", "2030-01-01", "'early this year' read as the first quarter")  # fmt: skip
    whole = began._replace(quote="Acme cut 20% of its jobs in March")
    bounded = whole._replace(value=float("nan"), inference_note="S9 gives no date for it. ...")
    assert timeline._event_label(began, "Layoffs", " ({value} of staff)") == (
        "Layoffs begin (20% of staff, undated)"
    )
    assert (
        timeline._event_label(whole, "Layoffs", " ({value} of staff)") == "Layoffs (20% of staff)"
    )
    assert timeline._event_label(bounded, "CEO resigns", "") == "CEO resigns (report's bound)"

    Money = namedtuple(
        "Money", "metric counterparty value unit bound date_precision date_start inference_note"
    )
    raise_ = Money("funding_closed", "Birch Fund", 5e6, "USD", "exact", "quarter", "2030-04-01",
                   "S9 does not name the year of 'the second quarter'")  # fmt: skip
    assert timeline._money_label(raise_) == "Raised $5M (Birch Fund, year inferred)"
    stated = raise_._replace(inference_note=None)
    assert timeline._money_label(stated) == "Raised $5M (Birch Fund)"


def test_the_ceo_resignation_is_drawn_as_the_reports_bound(facts, deps):
    ev = timeline.timeline_events(facts, AS_OF)
    ceo = ev[ev["label"].str.startswith("CEO resigns")]
    assert list(ceo["bounded"]) == [True] and ceo["label"].iat[0].endswith("(report's bound)")
    assert not ev.loc[~ev.index.isin(ceo.index), "bounded"].any()
    assert list(deps.loc[deps["date_bounded"], "name"]) == ["Emad Mostaque"]


def test_departure_figure_dashes_a_bar_the_report_bounds():
    # fictitious: one departure dated by its source, one only by the report's bound
    deps = pd.DataFrame(
        {
            "name": ["Pat Doe", "Sam Roe"],
            "function": ["research", "executive"],
            "group": [
                attrition.capability_group("research"),
                attrition.capability_group("executive"),
            ],
            "earliest": [_ts("2030-03-01"), _ts("2030-03-01")],
            "latest": [_ts("2030-03-31"), _ts("2030-12-31")],
            "precision": ["month", "range"],
            "dated": [True, True],
            "date_bounded": [False, True],
            "fact_ids": [("R901",), ("R902",)],
        }
    )
    fig = attrition_figures.departure_timeline(deps)
    ax = fig.axes[0]
    bars = [p for p in ax.patches if p.get_width() > 0]
    styles = {p.get_url(): p.get_linestyle() for p in bars}
    assert styles["#fact-R901"] == "solid" and styles["#fact-R902"] != "solid"
    assert "the report's bound" in ax.get_xlabel()
    plt.close(fig)
    fig = attrition_figures.departure_timeline(deps.assign(date_bounded=False))
    assert "the report's bound" not in fig.axes[0].get_xlabel()
    plt.close(fig)
