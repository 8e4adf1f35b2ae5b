"""The cash analysis on the real fact base, against values worked out by hand from the quotes:
S001: 2023 costs $153M (compute ~$99M + salaries/opex $54M), 2023 revenue $11M, February 2024
revenue $5.4M and costs $8M, cash < $4M in October 2023, unpaid bills $1M + $7M (AWS), $1M
(Google Cloud), $600,000 (CoreWeave), $101M raised October 2022, $35M Q2 2023, $500M target;
S000: $8M a month, $1.2M revenue in August 2023, Intel $50M note October 2023."""

import pandas as pd
import pytest

from stability_report import runway
from stability_report.facts import MissingFact, load_facts
from stability_report.params import Params


@pytest.fixture(scope="module")
def facts():
    return load_facts().as_of("2024-06-04")


def p(**kw):
    return Params.from_mapping(kw)


def test_the_2023_projection(facts):
    cs = runway.cost_structure(facts)
    assert cs.loss.value == 142e6  # 153 - 11
    assert cs.monthly_loss.value == pytest.approx(142e6 / 12)
    assert cs.compute_share.value == pytest.approx(99 / 153)  # 64.7%
    assert cs.coverage.value == pytest.approx(11 / 153)
    assert cs.parts_add_up  # 99 + 54 = 153
    # the source's own claim: monthly losses exceed annual revenue (11.83M > 11M)
    assert cs.monthly_loss.value > cs.revenue.value
    assert set(cs.loss.ids) == {"M023", "M024"}


def test_the_three_bases(facts):
    b = runway.bases(facts)
    assert b["fy2023_projection"].net.value == pytest.approx((153e6 - 11e6) / 12)
    assert b["feb2024"].net.value == pytest.approx(2.6e6)
    assert b["feb2024"].coverage.value == pytest.approx(5.4 / 8)
    assert b["monthly_spend"].net.value == pytest.approx(6.8e6)  # $8M spend - $1.2M revenue
    assert "custom" not in b
    custom = runway.bases(facts, p(burn_basis="custom", custom_monthly_burn_usd=5e6))["custom"]
    assert custom.net.value == 5e6


def test_runway_from_october_cash_with_no_new_money(facts):
    runs = runway.scenarios(facts, p())
    none = runs[0]
    assert none.label == "No new money"
    assert none.months == pytest.approx(4e6 / (142e6 / 12))  # 0.338 months
    assert none.cash_out == pd.Timestamp("2023-11-11")
    assert "M014" in none.ids


def test_runway_with_each_funding_event_and_the_bills(facts):
    runs = {r.label: r for r in runway.scenarios(facts, p())}
    intel = next(r for label, r in runs.items() if "Intel" in label)
    assert intel.start_cash == 54e6  # $4M + the $50M note
    assert intel.months == pytest.approx(54 / (142 / 12))
    paid = next(r for label, r in runs.items() if "bills paid" in label)
    assert paid.start_cash == pytest.approx(54e6 - 9.6e6)


def test_feb_basis_and_bills_unpaid(facts):
    runs = runway.scenarios(facts, p(burn_basis="feb2024", pay_unpaid_bills="false"))
    assert runs[0].months == pytest.approx(4 / 2.6)
    assert not any("bills paid" in r.label for r in runs)


def test_extra_funding_scenario(facts):
    runs = runway.scenarios(facts, p(extra_funding_usd=100e6, extra_funding_date="2023-12-15",
                                     horizon_months=36))
    extra = runs[-1]
    assert extra.label.startswith("+ extra funding")
    assert extra.months > runs[-2].months


def test_unpaid_bills(facts):
    pos = runway.cash_position(facts)
    assert pos.bills_known.value == pytest.approx(9.6e6)
    months = set(pos.bills.loc[pos.bills["counterparty"] == "Amazon Web Services",
                               "date_start"].dt.strftime("%Y-%m"))
    assert months == {"2023-07", "2023-08", "2023-09", "2024-01"}
    assert pos.bills["value"].isna().sum() == 2  # September and January: no amount given
    assert pos.bound == "less_than"


def test_consistency_check_of_the_2022_raise(facts):
    rc = runway.raise_check(facts, p())
    assert rc.raised.value == 136e6  # $101M (Oct 2022) + $35M (Q2 2023)
    assert rc.months == 12
    assert rc.implied_burn.value == pytest.approx((136e6 - 4e6) / 12)  # at least $11M a month
    assert rc.raise_lasts["February 2024 (monthly)"].value == pytest.approx(101 / 2.6)


def test_revenue_growth(facts):
    pts = runway.revenue_points(facts)
    assert list(pts["value"]) == [1.2e6, 3e6, 5.4e6]
    assert runway.implied_growth(facts).value == pytest.approx((5.4 / 1.2) ** (1 / 6) - 1)
    assert runway.implied_growth(facts, "projected").value == pytest.approx(
        (3 / 1.2) ** (1 / 3) - 1)


def test_break_even_table(facts):
    t = runway.break_even_table(facts, p(burn_basis="feb2024", revenue_growth=0.05))
    row = t[t["growth assumption"] == "parameter revenue_growth"].iloc[0]
    assert row["months to break-even"] == 9  # 5.4 * 1.05^9 >= 8


def test_fundraising(facts):
    fr = runway.fundraising(facts)
    assert fr.target.value == 500e6
    assert fr.raised_2023.value == 85e6  # $35M + $50M
    assert fr.raised_share.value == pytest.approx(0.17)
    assert fr.target_after_cut.value == pytest.approx(100e6)
    assert fr.valuation_sought.value == 4e9


def test_basis_matrix_has_every_basis_and_scenario(facts):
    m = runway.basis_matrix(facts, p())
    assert len(m) == 3
    assert m.columns[0] == "basis" and "No new money" in m.columns


def test_as_of_before_any_fact(facts):
    early = load_facts().as_of("2023-06-30")
    assert runway.bases(early) == {}
    with pytest.raises(MissingFact):
        runway.chosen_basis(early, p(as_of="2023-06-30"))
    with pytest.raises(MissingFact):
        runway.cash_position(early)


def test_sensitivity_grid(facts):
    s = runway.sensitivity_grid(facts, p())
    assert s.grid.shape == (len(s.growth), len(s.gross))
    assert len(s.marks) == 3
