"""intake.relations: whether two statements restate each other, conflict, or neither, on
hand-made rows (each case beside its negative), and intake.statements reading fact rows and
candidates alike."""

from __future__ import annotations

import pandas as pd
import pytest

from stability_report.tools.intake import relations as rel
from stability_report.tools.intake import statements as st
from stability_report.tools.intake.amount_values import tolerance


def money(fid="M900", **kw) -> st.Statement:
    row = {
        "fact_id": fid,
        "source_id": "S000",
        "quote": "",
        "metric": "cash",
        "value": 4_000_000,
        "unit": "USD",
        "bound": "exact",
        "date_start": "2023-10-01",
        "date_end": "2023-10-31",
        "date_precision": "month",
        "status": "reported",
    }
    row.update(kw)
    return st.statement(row, "money")


def judge(a, b, *others):
    return rel.relation(a, b, rel.Context.of([a, b, *others]))


# --------------------------------------------------------------------------------------------
# amounts: rounding and bounds


@pytest.mark.parametrize(
    "a, b",
    [
        (dict(value=99_000_000), dict(value=99_300_000)),  # "$99M" vs "$99.3 million"
        (dict(value=100_000_000, bound="approx"), dict(value=99_000_000)),  # about $100M, $99M
        (dict(value=7_000_000), dict(value=7_100_000)),  # $7M holds $7.1M (within 5%)
        (dict(value=4_000_000), dict(value=4_000_000)),
        (dict(value=100_000_000, bound="more_than"), dict(value=100_000_000, bound="more_than")),
    ],
)
def test_amounts_within_rounding_restate(a, b):
    r = judge(money("M901", **a), money("M902", **b))
    assert r.kind == "restates", r.reason
    assert r.agrees


@pytest.mark.parametrize(
    "a, b",
    [
        (dict(value=99_000_000), dict(value=94_000_000)),  # 5% apart: beyond $99M's rounding
        (dict(value=7_000_000), dict(value=7_500_000)),
        (dict(value=6_000_000, bound="approx"), dict(value=4_000_000)),
        (dict(value=100_000_000, bound="approx"), dict(value=85_000_000)),  # beyond "about"
    ],
)
def test_amounts_beyond_rounding_conflict(a, b):
    r = judge(money("M901", **a), money("M902", **b))
    assert (r.kind, r.conflict_kind) == ("conflict", "amount"), r.reason


def test_less_than_excludes_the_figure_itself():
    """'less than $4 million' and 'just $4 million' cannot both hold."""
    r = judge(money(bound="less_than"), money("M901", bound="exact"))
    assert r.kind == "conflict" and "is not less than" in r.reason
    # the negative: a figure under the bound, and an approximate figure that may be under it
    assert judge(money(bound="less_than"), money("M901", value=3_900_000)).kind == "compatible"
    assert judge(money(bound="less_than"), money("M901", bound="approx")).kind == "compatible"


def test_more_than_holds_a_larger_figure_and_excludes_a_smaller():
    more = money(value=100_000_000, bound="more_than")
    assert judge(more, money("M901", value=120_000_000)).kind == "compatible"
    assert judge(more, money("M901", value=120_000_000)).agrees
    assert judge(more, money("M901", value=90_000_000)).kind == "conflict"
    assert judge(more, money("M901", value=100_000_000)).kind == "conflict"
    assert judge(money(value=100_000_000, bound="at_least"), money("M901", value=1e8)).agrees


def test_bounds_against_bounds():
    lo = money(value=5_000_000, bound="more_than")
    assert judge(lo, money("M901", value=4_000_000, bound="less_than")).kind == "conflict"
    assert judge(lo, money("M901", value=5_000_000, bound="less_than")).kind == "conflict"
    assert judge(lo, money("M901", value=6_000_000, bound="less_than")).kind == "compatible"
    at_least = money(value=5_000_000, bound="at_least")
    assert judge(at_least, money("M901", value=5_000_000, bound="at_most")).kind == "compatible"
    assert judge(lo, money("M901", value=9_000_000, bound="more_than")).kind == "compatible"


def test_amounts_missing_on_one_or_both_sides():
    none = money(value=None, bound="unknown")
    assert judge(none, money("M901", value=None, bound="unknown")).kind == "restates"
    assert judge(none, money("M901")).kind == "compatible"


def test_tolerance_is_half_the_last_digit_at_most_five_percent():
    assert tolerance(99_000_000, "exact") == 500_000
    assert tolerance(99_300_000, "exact") == 50_000
    assert tolerance(4_000_000, "exact") == pytest.approx(200_000)  # capped at 5%
    assert tolerance(600_000, "exact") == pytest.approx(30_000)
    assert tolerance(1_250_000, "exact") == 5_000
    assert tolerance(100_000_000, "approx") == pytest.approx(10_000_000)


# --------------------------------------------------------------------------------------------
# what is measured: metric, unit, status, period


def test_different_metrics_units_statuses_or_periods_are_unrelated():
    base = money(value=1_000_000, metric="revenue", unit="USD_per_month")
    cases = {
        "metric": money("M901", value=2_000_000, metric="costs", unit="USD_per_month"),
        "unit": money("M901", value=11_000_000, metric="revenue", unit="USD_per_year"),
        "status": money(
            "M901", value=3_000_000, metric="revenue", unit="USD_per_month", status="projected"
        ),
        "period": money(
            "M901",
            value=3_000_000,
            metric="revenue",
            unit="USD_per_month",
            date_start="2023-11-01",
            date_end="2023-11-30",
        ),
    }
    for what, other in cases.items():
        r = judge(base, other)
        assert r.kind == "unrelated", (what, r.reason)
    # the negative: same metric, unit, status and an overlapping period
    same = money(
        "M901",
        value=3_000_000,
        metric="revenue",
        unit="USD_per_month",
        date_start="2023-07-01",
        date_end="2023-12-31",
        date_precision="range",
    )
    assert judge(base, same).kind == "conflict"


def test_an_undated_statement_may_be_of_any_period():
    def undated(fid, value):
        return money(fid, value=value, date_start=None, date_end=None, date_precision="undated")

    assert judge(money(), undated("M901", 4_000_000)).kind == "restates"
    assert judge(money(), undated("M902", 5_000_000)).kind == "conflict"


# --------------------------------------------------------------------------------------------
# counterparties and totals


def bill(fid, value, party="", quote="", **kw):
    """An unpaid bill, by default owed some time from July 2023 to December 2024."""
    when = {"date_start": "2023-07-01", "date_end": "2024-12-31", "date_precision": "range"}
    return money(
        fid, metric="unpaid_bill", value=value, counterparty=party, quote=quote, **(when | kw)
    )


def test_bills_to_different_creditors_are_unrelated():
    aws = bill("M901", 1_000_000, "Amazon Web Services")
    cw = bill("M902", 600_000, "CoreWeave")
    r = judge(aws, cw)
    assert r.kind == "unrelated" and "different counterparties" in r.reason
    # the negative: one creditor under two names (initials, a longer name) and two amounts
    for name in ("AWS", "cloud providers like Amazon Web Services"):
        assert judge(aws, bill("M903", 7_000_000, name)).kind == "conflict", name
    assert judge(aws, bill("M903", 1_000_000, "AWS")).kind == "restates"


def test_a_creditor_is_read_from_the_quote_when_the_row_names_none():
    aws = bill("M901", 1_000_000, "Amazon Web Services")
    cw = bill("M902", 600_000, "CoreWeave")
    quote = "It owed $1 million to AWS and $600,000 to GPU cloud CoreWeave"
    cand = bill("row 3", 600_000, quote=quote)
    assert judge(aws, cand, cw).kind == "unrelated"  # $600,000 goes with CoreWeave
    assert judge(cw, cand, aws).kind == "restates"
    assert "read from the quote" in judge(cw, cand, aws).reason
    other = bill("row 4", 1_000_000, quote=quote)
    assert judge(aws, other, cw).kind == "restates"


def test_an_amount_naming_no_creditor_never_contradicts_a_named_bill():
    aws = bill("M901", 1_000_000, "Amazon Web Services")
    anonymous = bill("M902", 3_000_000, quote="It has unpaid bills of $3 million")
    r = judge(aws, anonymous)
    assert r.kind == "compatible" and not r.agrees
    # the negative: a metric that is not a sum over parties (cash) does conflict
    assert judge(money(value=6e6), money("M901", value=4e6, counterparty="Bank X")).kind == (
        "conflict"
    )


def test_a_total_and_its_parts_are_unrelated():
    google = bill("M901", 1_000_000, "Google Cloud")
    cw = bill("M902", 600_000, "CoreWeave")
    total = bill("M903", 1_600_000)
    for part in (google, cw):
        r = judge(total, part, google, cw)
        assert r.kind != "conflict", r.reason
    assert "total of" in judge(total, google, google, cw).reason
    # named parties: the total names both creditors, each part one of them
    named = bill("M904", 1_600_000, "Google Cloud; CoreWeave")
    assert judge(named, google).kind == "unrelated" and "total" in judge(named, google).reason
    # the negative: a "total" smaller than its part is a contradiction
    small = bill("M905", 500_000, "Google Cloud; CoreWeave")
    assert judge(small, google).kind == "conflict"


def test_a_sum_of_parts_needs_the_parts_to_add_up():
    a = money("M901", value=1_000_000, metric="revenue", unit="USD_per_month")
    b = money("M902", value=600_000, metric="revenue", unit="USD_per_month")
    total = money("M903", value=1_600_000, metric="revenue", unit="USD_per_month")
    assert judge(total, a, b).kind == "unrelated"
    wrong = money("M904", value=2_000_000, metric="revenue", unit="USD_per_month")
    assert judge(wrong, a, b).kind == "conflict"
    # one amount reported twice is not a sum of parts: one bill restated by a second source
    aws = bill("M905", 1_000_000, "Amazon Web Services")
    again = bill("M906", 1_000_000, quote="It owed AWS $1 million")
    twice = bill("M907", 2_000_000, "Amazon Web Services")
    google = bill("M908", 1_000_000, "Google Cloud")
    assert judge(twice, aws, again, google).kind == "conflict"  # AWS's total holds no Google bill
    both = bill("M909", 2_000_000, quote="It owed $2 million in all")  # two creditors' bills
    r = judge(both, aws, again, google)
    assert (r.kind, r.total) == ("unrelated", "M909") and "M905, M908" in r.reason


def test_different_instruments_are_different_deals():
    note = money(metric="funding_closed", value=5e7, instrument="convertible promissory note")
    safe = money("M901", metric="funding_closed", value=3.5e7, instrument="SAFE notes")
    assert judge(note, safe).kind == "unrelated"


def test_same_party_names():
    assert rel.same_party("AWS", "Amazon Web Services")
    assert rel.same_party("Lightspeed", "Lightspeed Venture Partners")
    assert not rel.same_party("Google Cloud", "CoreWeave")
    assert not rel.same_party("GC", "CoreWeave")


# --------------------------------------------------------------------------------------------
# events


def event(fid, name="layoffs", **kw):
    row = {
        "fact_id": fid,
        "source_id": "S000",
        "quote": "",
        "event": name,
        "date_start": "2024-04-01",
        "date_end": "2024-04-30",
        "date_precision": "month",
        "status": "reported",
    }
    row.update(kw)
    return st.statement(row, "events")


def test_one_event_on_disjoint_dates_conflicts():
    r = judge(event("E901"), event("E902", date_start="2024-06-01", date_end="2024-06-30"))
    assert (r.kind, r.conflict_kind) == ("conflict", "date")
    assert (
        judge(
            event("E901"),
            event("E902", date_start="2024-04-18", date_end="2024-04-18", date_precision="day"),
        ).kind
        == "restates"
    )
    assert judge(event("E901"), event("E902", name="hiring")).kind == "unrelated"


def test_event_values():
    ten = event("E901", value=10, unit="percent")
    assert judge(ten, event("E902", value=10, unit="percent")).kind == "restates"
    r = judge(ten, event("E902", value=20, unit="percent"))
    assert (r.kind, r.conflict_kind) == ("conflict", "amount")
    later = event("E902", value=20, unit="percent", date_start="2024-09-01", date_end="2024-09-30")
    assert judge(ten, later).kind == "unrelated"  # two rounds of layoffs
    assert judge(ten, event("E902")).kind == "restates"  # the size is a detail of the event
    assert judge(event("E901", person_id="P001"), event("E902", person_id="P002")).kind == (
        "unrelated"
    )


# --------------------------------------------------------------------------------------------
# people: departures, roles, names


def person(fid, pid="P001", **kw):
    row = {
        "fact_id": fid,
        "source_id": "S000",
        "quote": "",
        "person_id": pid,
        "role_as_written": "chief executive",
        "function": "executive",
        "seniority": "c_suite",
        "status": "departed",
        "date_start": "2024-03-01",
        "date_end": "2024-03-31",
        "date_precision": "month",
    }
    row.update(kw)
    return st.statement(row, "personnel")


def test_departures_of_one_person():
    r = judge(
        person("R901"),
        person("R902", date_start="2024-03-22", date_end="2024-03-22", date_precision="day"),
    )
    assert r.kind == "restates"
    r = judge(person("R901"), person("R902", date_start="2023-11-01", date_end="2023-11-30"))
    assert (r.kind, r.conflict_kind) == ("conflict", "date")
    undated = person("R902", date_start=None, date_end=None, date_precision="undated")
    assert judge(person("R901"), undated).kind == "restates"
    assert judge(person("R901"), person("R902", pid="P002")).kind == "unrelated"


def test_two_ranks_in_one_post_conflict_two_posts_do_not():
    vp = person("R901", role_as_written="VP of engineering", function="engineering", seniority="vp")
    head = person(
        "R902", role_as_written="Head of Engineering", function="engineering", seniority="head"
    )
    r = judge(vp, head)
    assert (r.kind, r.conflict_kind) == ("conflict", "role")
    board = person("R903", role_as_written="board member", function="board", seniority="board")
    assert judge(person("R904"), board).kind == "unrelated"  # CEO and board seat
    staff = person(
        "R905", role_as_written="key researcher", function="engineering", seniority="staff"
    )
    assert judge(vp, staff).kind == "restates"  # 'staff' states no rank


def test_departed_against_stayed():
    stayed = person("R902", status="stayed")
    assert judge(person("R901"), stayed).conflict_kind == "claim"
    mentioned = person(
        "R903", status="mentioned", date_start=None, date_end=None, date_precision="undated"
    )
    assert judge(person("R901"), mentioned).kind == "compatible"


def name(fid, written, pid="P001"):
    return st.statement(
        {
            "fact_id": fid,
            "person_id": pid,
            "source_id": "S000",
            "name_as_written": written,
            "quote": written,
        },
        "person_names",
    )


def test_names():
    assert judge(name("N901", "Emad Mostaque"), name("N902", "Emad Mostaque")).kind == "restates"
    assert judge(name("N901", "Emad Mostaque"), name("N902", "Mostaque")).kind == "compatible"
    r = judge(name("N901", "Emad Mostak"), name("N902", "Mostaque"))
    assert (r.kind, r.conflict_kind) == ("conflict", "name") and "'Mostak'" in r.reason
    assert judge(name("N901", "Jordan Valdes"), name("N902", "Jordan Valdés")).kind == "conflict"
    assert judge(name("N901", "Ann Lee"), name("N902", "Ann Lee", "P002")).kind == "unrelated"
    assert rel.name_differences("Luis Castricato", "Louis Castricato") == [("Luis", "Louis")]


# --------------------------------------------------------------------------------------------
# reading rows


def test_a_fact_row_and_a_candidate_read_alike():
    fact = pd.Series(
        {
            "fact_id": "M001",
            "source_id": "S000",
            "quote": "q",
            "metric": "cash",
            "value": 4e6,
            "unit": "USD",
            "bound": "less_than",
            "date_start": pd.Timestamp("2023-10-01"),
            "date_end": pd.Timestamp("2023-10-31"),
            "date_precision": "month",
            "status": "reported",
            "counterparty": float("nan"),
        }
    )
    cand = {
        "candidate": "7",
        "kind": "money",
        "suggested_table": "money",
        "table": "",
        "quote": "q",
        "metric": "cash",
        "value": "4000000",
        "unit": "USD",
        "bound": "less_than",
        "date_start": "2023-10-01",
        "date_end": "2023-10-31",
        "precision": "month",
        "status": "reported",
        "counterparty": "",
    }
    a, b = st.statement(fact, "money"), st.statement(cand, row_id="row 7")
    assert (a.id, b.id) == ("M001", "row 7")
    assert a.__dict__ | {"id": "", "source_id": ""} == b.__dict__ | {"id": "", "source_id": ""}
    assert st.statement({"kind": "date", "date_start": "2024-01-01"}) is None
    assert st.statement({"kind": "organisation"}) is None
    assert st.statement({"kind": "departure", "person": "P001"}).table == "personnel"


def test_a_larger_amount_over_a_longer_period_may_be_a_total():
    july = bill(
        "M901",
        1_000_000,
        "Amazon Web Services",
        date_start="2023-07-01",
        date_end="2023-07-31",
        date_precision="month",
    )
    owed = bill("M902", 3_000_000, "AWS")  # owed over Jul 2023 - Dec 2024
    r = judge(owed, july)
    assert r.kind == "compatible" and not r.agrees
    # the negative: the same month, or a larger amount over the shorter period
    same_month = bill(
        "M903",
        3_000_000,
        "AWS",
        date_start="2023-07-01",
        date_end="2023-07-31",
        date_precision="month",
    )
    assert judge(same_month, july).kind == "conflict"
    small = bill("M904", 500_000, "AWS")
    assert (
        judge(
            small,
            bill(
                "M905",
                3e6,
                "AWS",
                date_start="2023-07-01",
                date_end="2023-07-31",
                date_precision="month",
            ),
        ).kind
        == "conflict"
    )
    # cash is a balance, not a sum of parties: a wider period is no total
    wide = money(
        "M906",
        value=6_000_000,
        date_start="2023-07-01",
        date_end="2023-12-31",
        date_precision="range",
    )
    assert judge(wide, money()).kind == "conflict"


# --------------------------------------------------------------------------------------------
# one funding round dated apart by two sources


def _round(fid, start, end, counterparty, value=101_000_000, **kw):
    return money(
        fid,
        metric="funding_closed",
        value=value,
        counterparty=counterparty,
        date_start=start,
        date_end=end,
        **kw,
    )


def test_one_round_dated_apart_is_a_timing_conflict():
    # a fictitious second source dates the leads' round two months before the first source
    first = _round("M901", "2022-10-01", "2022-10-31", "Harbourline; Quayside (leads); Pier Nine")
    second = _round("M902", "2022-08-01", "2022-08-31", "Harbourline; Quayside")
    r = judge(first, second)
    assert (r.kind, r.conflict_kind) == ("conflict", "timing"), r.reason
    assert "dated apart" in r.reason
    # 'more than' the other's amount agrees too: still one round
    more = _round(
        "M903", "2022-08-01", "2022-09-30", "Harbourline", value=100_000_000, bound="more_than"
    )
    assert judge(first, more).kind == "conflict"


@pytest.mark.parametrize(
    "other",
    [
        dict(counterparty="Driftwood Capital"),  # other investors: another round
        dict(value=40_000_000),  # another amount: another round
        dict(counterparty=""),  # no investors named: nothing says it is the same deal
    ],
)
def test_rounds_dated_apart_that_differ_are_unrelated(other):
    first = _round("M901", "2022-10-01", "2022-10-31", "Harbourline; Quayside")
    kw = {"counterparty": "Harbourline; Quayside", **other}
    second = _round("M902", "2022-08-01", "2022-08-31", **kw)
    assert judge(first, second).kind == "unrelated"


def test_bills_of_one_amount_to_one_creditor_in_two_months_are_two_bills():
    july = money("M901", metric="unpaid_bill", value=1_000_000, counterparty="Cloudline")
    august = money(
        "M902",
        metric="unpaid_bill",
        value=1_000_000,
        counterparty="Cloudline",
        date_start="2023-08-01",
        date_end="2023-08-31",
    )
    assert judge(july, august).kind == "unrelated"
