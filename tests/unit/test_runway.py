"""The cash analysis on the real fact base, against values worked out by hand from the quotes:
S001: 2023 costs $153M (compute ~$99M + salaries/opex $54M), 2023 revenue $11M, February 2024
revenue $5.4M and costs $8M, cash < $4M in October 2023, unpaid bills $1M + $7M (AWS), $1M
(Google Cloud), $600,000 (CoreWeave), $101M raised October 2022, $35M Q2 2023, $500M target;
S000: $8M a month, $1.2M revenue in August 2023, Intel $50M note October 2023."""

from types import SimpleNamespace

import pandas as pd
import pytest

from stability_report.analysis import burn, cash, fundraising, revenue, runway, sensitivity
from stability_report.errors import MissingFact
from stability_report.facts.load import load_facts
from stability_report.params import Params


@pytest.fixture(scope="module")
def facts():
    return load_facts().as_of("2024-06-04")


def p(**kw):
    return Params.from_mapping(kw)


def test_the_2023_projection(facts):
    cs = revenue.cost_structure(facts)
    assert cs.loss.value == 142e6  # 153 - 11
    assert cs.monthly_loss.value == pytest.approx(142e6 / 12)
    assert cs.compute_share.value == pytest.approx(99 / 153)  # 64.7%
    assert cs.coverage.value == pytest.approx(11 / 153)
    assert cs.parts_add_up  # 99 + 54 = 153
    # the source's own claim: monthly losses exceed annual revenue (11.83M > 11M)
    assert cs.monthly_loss.value > cs.revenue.value
    assert set(cs.loss.ids) == {"M023", "M024"}


def test_the_three_bases(facts):
    b = burn.bases(facts)
    assert b["fy2023_projection"].net.value == pytest.approx((153e6 - 11e6) / 12)
    assert b["feb2024"].net.value == pytest.approx(2.6e6)
    assert b["feb2024"].coverage.value == pytest.approx(5.4 / 8)
    assert b["monthly_spend"].net.value == pytest.approx(6.8e6)  # $8M spend - $1.2M revenue
    assert "custom" not in b
    custom = burn.bases(facts, p(burn_basis="custom", custom_monthly_burn_usd=5e6))["custom"]
    assert custom.net.value == 5e6


def test_runway_from_october_cash_with_no_new_money(facts):
    runs = runway.scenarios(facts, p())
    none = runs[0]
    assert none.label == "No new money"
    assert none.months == pytest.approx(4e6 / (142e6 / 12))  # 0.338 months
    assert none.cash_out == pd.Timestamp("2023-11-11")
    assert "M014" in none.ids


def test_runway_with_the_funding_and_the_arrears(facts):
    runs = runway.scenarios(facts, p())
    assert [r.label for r in runs] == [
        "No new money",
        "+ Intel Oct 2023",
        "+ Intel Oct 2023, arrears paid",
    ]
    intel, paid = runs[1], runs[2]
    assert intel.start_cash == 54e6  # $4M + the $50M note
    assert intel.months == pytest.approx(54 / (142 / 12))
    # only the bills for months before the cash figure with an amount: AWS July + August
    assert paid.start_cash == pytest.approx(54e6 - 8e6)
    assert {"M016", "M017"} <= set(paid.ids) and "M020" not in paid.ids
    assert all(r.basis == "2023 projection ÷ 12" for r in runs)


def test_feb_basis_and_bills_unpaid(facts):
    runs = runway.scenarios(facts, p(burn_basis="feb2024", pay_unpaid_bills="false"))
    assert runs[0].months == pytest.approx(4 / 2.6)
    assert not any("arrears" in r.label for r in runs)


def test_extra_funding_scenario(facts):
    runs = runway.scenarios(
        facts, p(extra_funding_usd=100e6, extra_funding_date="2023-12-15", horizon_months=36)
    )
    extra = runs[-1]
    assert extra.label.startswith("+ extra funding")
    assert extra.months > runs[-2].months


def test_bills_split_at_the_cash_figure(facts):
    pos = cash.cash_position(facts)
    assert pos.bound == "less_than"
    assert pos.month == pd.Timestamp("2023-10-01") and pos.on == pd.Timestamp("2023-10-31")
    # tied to the cash figure: the AWS bills for July ($1M) and August ($7M), which the
    # documents of the cash figure's month record
    assert list(pos.before["fact_id"]) == ["M016", "M017"]
    assert pos.arrears.value == 8e6 and pos.arrears.ids == ("M016", "M017")
    # after it, or dated only loosely: Google Cloud, CoreWeave, and the AWS bills for September
    # and January, which went unpaid 'Subsequently' (whatever month they are for)
    assert set(pos.after["fact_id"]) == {"M018", "M019", "M020", "M021"}
    assert pos.bills["value"].isna().sum() == 2
    t = cash.bills_table(pos)
    assert list(t["fact"]) == ["M016", "M017", "M020", "M021", "M018", "M019"]
    # a debt its source does not date reads as undated, the report's bound given as a bound,
    # not as the period the bill covers
    by = t.set_index("fact")
    assert by.loc["M020", "bill"] == "Google Cloud (no date given)"
    assert by.loc["M020", "dated"] == "undated (bound Jul 2023 to Dec 2024)"
    assert by.loc["M016", "bill"] == "Amazon Web Services, Jul 2023"
    assert (
        "Subsequently" in t.set_index("fact").loc["M020", "source says"]
        or "Google Cloud" in t.set_index("fact").loc["M020", "source says"]
    )


def test_consistency_check_of_the_2022_raise(facts):
    rc = fundraising.raise_check(facts)
    assert rc.raised.value == 136e6  # $101M (Oct 2022) + $35M (Q2 2023)
    # from the round's October 2022 range to the end of October 2023: 12 to 13 months; the
    # floor is taken over the longest interval
    assert rc.months == (12, 13)
    assert rc.implied_burn.value == pytest.approx((136e6 - 4e6) / 13)  # at least $10.2M a month
    assert rc.highest_burn.value == pytest.approx((136e6 - 4e6) / 12)
    # S000 dates the same round to August-September 2022: 13 to 15 months, a lower floor
    (other,) = rc.others
    assert other.fact_id == "M001" and other.months == (13, 15)
    assert other.floor.value == pytest.approx((136e6 - 4e6) / 15)
    # each floor cites the facts of the amounts it divides ($101M + $35M less the cash) and,
    # for another source's dating, that dating fact, which gives no amount to the computation
    assert rc.spent.value == pytest.approx(132e6) and rc.spent.ids == ("M010", "M029", "M014")
    assert rc.implied_burn.ids == ("M010", "M029", "M014")
    assert other.floor.ids == ("M010", "M029", "M014", "M001")
    assert other.highest.ids == other.floor.ids


def test_revenue_points_keep_the_claims_apart(facts):
    pts = revenue.revenue_points(facts)
    assert list(pts["value"]) == [1.2e6, 3e6, 5.4e6]
    assert list(pts["status"]) == ["claimed", "claimed", "reported"]  # the deleted tweet's two


def test_growth_the_sources_imply(facts):
    g = revenue.implied_growth(facts)
    # from the claimed August 2023 figure to the reported February 2024 one: 6 months
    assert g.rate.value == pytest.approx((5.4 / 1.2) ** (1 / 6) - 1)  # 28.5%
    assert g.first["status"] == "claimed" and g.last["status"] == "reported"


def test_claims_against_the_companys_projection(facts):
    c = revenue.claims_against_projection(facts)
    g = (3 / 1.2) ** (1 / 3) - 1  # August to November: 35.7% a month
    assert c.growth.value == pytest.approx(g)
    # August to December at that growth: 1.2 * (1 + g)^0..4 = about $12.1M
    assert c.rest_of_year.value == pytest.approx(sum(1.2e6 * (1 + g) ** t for t in range(5)))
    assert c.rest_of_year.value == pytest.approx(12.1e6, abs=0.05e6)
    assert c.annual.value == 11e6 and c.exceeds


def test_headline_is_a_range_across_the_bases(facts):
    h = runway.headline(facts, p())
    assert len(h.bases) == 3
    lo, hi = h.none
    assert lo.months == pytest.approx(4 / (142 / 12))  # the 2023 projection: 0.3 months
    assert hi.months == pytest.approx(4 / 2.6)  # February 2024: 1.5 months
    assert lo.cash_out.strftime("%Y-%m") == "2023-11" and hi.cash_out.strftime("%Y-%m") == "2023-12"
    flo, fhi = h.funded
    assert flo.months == pytest.approx(54 / (142 / 12)) and fhi.months is None  # > horizon
    assert h.funding.value == 50e6


def test_headline_ignores_the_chosen_basis_and_parameters(facts):
    a = runway.headline(facts, p())
    b = runway.headline(facts, p(burn_basis="feb2024", pay_unpaid_bills="false"))
    assert (a.none[0].months, a.none[1].months) == (b.none[0].months, b.none[1].months)


def test_trajectory_from_february_2024(facts):
    t = runway.trajectory(facts, p())
    g = (5.4 / 1.2) ** (1 / 6) - 1
    run = t.run
    assert run.label == "+ Intel Oct 2023"
    # revenue in February 2024 (month 4 after October 2023) is the reported $5.4M
    assert run.path["revenue"].iloc[4] == pytest.approx(5.4e6)
    assert run.path["revenue"].iloc[1] == pytest.approx(5.4e6 / (1 + g) ** 3)
    assert run.months is None  # costs of $8M are covered from April 2024
    assert t.break_even == pd.Timestamp("2024-04-01")  # 5.4 * (1+g)^2 = 8.9 >= 8


def test_runway_table(facts):
    t = runway.runway_table(facts, p())
    assert list(t["basis"])[:2] == ["2023 projection ÷ 12", "February 2024"]
    # the restated spend names its outlet and that the source gives it no date
    # ... and that the revenue it is netted against is claimed, not reported
    assert list(t["basis"])[2] == "Spend of $8M a month (Bloomberg, undated; revenue claimed)"
    # the extrapolated row names the month of its costs only: its revenue is on a growth path
    assert (
        t["basis"].iloc[3] == "Extrapolated (ours): Feb 2024 costs, revenue growing 28.5% a month"
    )
    assert t["No new money: months"].iloc[0] == pytest.approx(4 / (142 / 12))
    assert pd.isna(t["+ Intel Oct 2023: months"].iloc[1])  # beyond the horizon


def test_fundraising(facts):
    fr = fundraising.fundraising(facts)
    assert fr.target.value == 500e6
    assert fr.raised_2023.value == 85e6  # $35M + $50M
    assert [(r["fact_id"], t) for r, t in fr.raised] == [("M029", "before"), ("M006", "after")]
    assert fr.target_after_cut.value == pytest.approx(100e6)
    assert fr.valuation_sought.value == 4e9
    assert set(fr.other_targets["fact_id"]) == {"M007", "M030"}  # $400M, $150M from NVIDIA


def test_valuation_multiples(facts):
    m = fundraising.valuation_multiples(facts)
    assert m.valuation_multiple.value == pytest.approx(1e9 / 11e6)  # 91 times
    assert m.sought_multiple.value == pytest.approx(4e9 / 11e6)  # 364 times
    assert revenue.cost_structure(facts).compute_multiple.value == pytest.approx(9.0)  # 99 / 11


def test_convertibles(facts):
    c = cash.convertibles(facts)
    assert list(c["fact_id"]) == ["M029", "M006"] and c["value"].sum() == 85e6


def test_as_of_before_any_fact(facts):
    early = load_facts().as_of("2023-06-30")
    assert burn.bases(early) == {}
    with pytest.raises(MissingFact):
        burn.chosen_basis(early, p(as_of="2023-06-30"))
    with pytest.raises(MissingFact):
        cash.cash_position(early)


def test_sensitivity_marks_sit_where_the_table_puts_them(facts):
    params = p()
    s = sensitivity.sensitivity_grid(facts, params)
    assert len(s.panels) == 3
    table = runway.runway_table(facts, params)
    column = f"{s.scenario}: months"
    for panel, (_, row) in zip(s.panels, table.iterrows()):
        assert panel.label == row["basis"]
        assert panel.grid.shape == (len(panel.growth), len(panel.gross))
        expected = row[column]
        assert (panel.months is None and pd.isna(expected)) or panel.months == pytest.approx(
            expected
        )
        # the grid at the marked point gives the same runway as the table
        x, y = panel.mark
        one = sensitivity.sensitivity(
            cash.cash_position(facts).cash.value - cash.cash_position(facts).arrears.value,
            cash.cash_position(facts).on,
            0
            if panel.label == ""
            else burn.bases(facts)[
                [k for k, b in burn.bases(facts).items() if b.label == panel.label][0]
            ].revenue.value,
            [x],
            [y],
            [(d, a.value) for d, a, _ in cash.cash_position(facts).funding_after],
            params.horizon_months,
        )[0][0]
        assert one == pytest.approx(
            min(expected, params.horizon_months) if not pd.isna(expected) else params.horizon_months
        )


def test_the_prose_says_what_the_model_bounds_and_who_records_each_bill(facts):
    from stability_report.present import money

    params = p(as_of="2024-06-04")
    head = money.runway_headline(facts, params)
    # an upper-bound cash bounds the runway only for a burn rate paid in full: bills went unpaid
    assert "upper bound" in head and "paid in full" in head and "unpaid" in head
    assert "more than 18" not in head and "18-month horizon" in head
    # the model set against the record: the arrears-paid month, and the source still showing
    # the company operating with its staff, cited
    rec = money.reconciliation(facts, params)
    assert rec.index("March 2024") < rec.index("February 2024") and "arrears" in rec
    assert "E054" in rec and "multiple sources" in rec
    assert "even considering" in rec and "E067" in rec
    # the table of bills: the July and August bills recorded by internal documents, the later
    # ones the source's own statement, without attribution
    caption = money.bills_caption(facts)
    first, later, years = caption.split(";")
    assert "year" in years and "report's reading" in years
    assert "July" in first and "August" in first and "internal documents" in first
    assert "S001" in later and "without attribution" in later


def test_the_money_chapter_s_sentences_say_what_their_sources_say(facts):
    import re

    from stability_report.present import money
    from stability_report.present.money import statements

    params = p(as_of="2024-06-04")

    def plain(html):
        return re.sub(r"<[^>]+>", "", html).replace("&#36;", "$")

    # the 2022 raise on S000's dating: the floor cites what the arithmetic uses and the dating
    # fact; the months the dating fact and the cash figure
    rc = plain(money.raise_check_text(facts, params))
    assert "S000 places its more than $100 million[M001], “within days of launch”" in rc
    assert "more than $132 million[M010, M029, M014]" in rc
    assert "S001's $101 million[M010] and the internal document's $35 million[M029]" in rc
    assert "over 13–15[M001, M014] months: at least $8.8 million[M010, M029, M014, M001]" in rc
    # a floor is rounded down: more than $132M over at most 13 months is more than $10.15M
    assert "burned at least $10.1 million[M010, M029, M014]" in rc
    # the report's reading of the dates, its items apart
    assert "when S001 says it was announced; the second-quarter money in 2023; and" in rc
    # the multiples in one sentence, where the revenue figure comes from in the next
    val = plain(money.valuation_text(facts))
    assert "about 364 times[M026, M024]. That revenue figure comes from the company's" in val
    assert "which the report dates to 2023, the year after the valuation." in val
    # February's figures: who gives them once, the report's dating of "February" shown
    feb = plain(money.february_text(facts))
    assert feb.count("Financial Times") == 1 and "on those figures, revenue" in feb
    rec = plain(money.reconciliation(facts, params))
    assert "for February 2024 (S001: “February”)" in rec
    # the concerns are the sources', the count of employees the article's own
    assert "says multiple sources have voiced concerns about paying" in rec
    assert "“its remaining 150 employees”[E054]" in rec
    # the caveat on unpaid bills is said once, in the headline, not among the assumptions
    assert "may have lasted longer" in plain(money.runway_headline(facts, params))
    assert "may have lasted longer" not in plain(money.assumptions(facts, params))
    # the hedge on the investors' account carries to what two of them say
    slack = plain(statements.paragraph(facts, "slack_optimism"))
    assert "According to the same reports, two of those involved say" in slack


def _money_row(**kw) -> dict:
    row = {
        "fact_id": "M901",
        "source_id": "S009",
        "quote": "the bills for May were also left unpaid",
        "metric": "unpaid_bill",
        "counterparty": "Northwind Cloud",
        "instrument": None,
        "value": float("nan"),
        "unit": "USD",
        "bound": "unknown",
        "date_start": pd.Timestamp("2031-05-01"),
        "date_end": pd.Timestamp("2031-05-31"),
        "date_precision": "month",
        "status": "reported",
        "original_reporter": None,
        "attributed_to": None,
        "inference_note": None,
    }
    return {**row, **kw}


def test_a_party_the_report_inferred_is_marked_from_the_fact_s_note():
    from stability_report.analysis.money import party_inferred, party_label

    named = _money_row(inference_note="'May' resolved to May 2031: written in 2031")
    inferred = _money_row(inference_note="No amount. Creditor inferred: continues the bills above")
    assert party_inferred(named) == "" and party_label(named) == "Northwind Cloud"
    assert party_inferred(inferred) == "creditor"
    assert party_label(inferred) == "Northwind Cloud (creditor inferred)"
    # the note's own word for the party, whatever the table
    investor = _money_row(counterparty="Fund X", inference_note="Investor inferred from the deal")
    assert party_label(investor) == "Fund X (investor inferred)"
    assert party_label(_money_row(counterparty=None, inference_note="Creditor inferred")) == ""

    pos = SimpleNamespace(before=pd.DataFrame([named]), after=pd.DataFrame([inferred]))
    t = cash.bills_table(pos)
    assert list(t["bill"]) == [
        "Northwind Cloud, May 2031",
        "Northwind Cloud (creditor inferred), May 2031",
    ]


def test_a_year_the_report_inferred_is_marked_in_the_convertibles_table():
    from stability_report.analysis.money import when_marked, year_inferred

    note = (
        "The source does not name the year of 'the third quarter'. Uncertain: the year is inferred"
    )
    q3 = _money_row(
        metric="funding_closed",
        counterparty="Fund X",
        instrument="convertible note",
        value=5e6,
        bound="exact",
        date_start=pd.Timestamp("2031-07-01"),
        date_end=pd.Timestamp("2031-09-30"),
        date_precision="quarter",
        inference_note=note,
    )
    stated = {**q3, "fact_id": "M902", "inference_note": None}
    last_year = {
        **q3,
        "fact_id": "M903",
        "date_start": pd.Timestamp("2030-01-01"),
        "date_end": pd.Timestamp("2030-12-31"),
        "date_precision": "year",
        "inference_note": "'last year' resolved to 2030: written in 2031",
    }
    # only a quarter or a year is marked, as in the key numbers and the fundraising section
    month = {**q3, "fact_id": "M904", "date_precision": "month", "inference_note": note}
    assert year_inferred(q3) and year_inferred(last_year)
    assert not year_inferred(stated) and not year_inferred(month)
    assert when_marked(q3) == "Q3 (2031, year inferred)"
    assert when_marked(stated) == "Q3 2031"
    assert when_marked(last_year) == "2030 (year inferred)"
    t = cash.convertibles_table(pd.DataFrame([q3, stated]))
    assert list(t["when"]) == ["Q3 (2031, year inferred)", "Q3 2031"]
    assert list(t["holder"]) == ["Fund X", "Fund X"]


def test_the_real_tables_mark_the_inferred_creditor_and_year(facts):
    t = cash.bills_table(cash.cash_position(facts)).set_index("fact")
    # S001 names no creditor for the September and January bills (M018, M019)
    assert t.loc["M018", "bill"] == "Amazon Web Services (creditor inferred), Sep 2023"
    assert t.loc["M019", "bill"] == "Amazon Web Services (creditor inferred), Jan 2024"
    assert t.loc["M016", "bill"] == "Amazon Web Services, Jul 2023"
    conv = cash.convertibles_table(cash.convertibles(facts)).set_index("fact")
    assert conv.loc["M029", "when"] == "Q2 (2023, year inferred)"  # 'the second quarter'
    assert conv.loc["M006", "when"] == "Oct 2023"


@pytest.mark.parametrize(
    ("status", "mark"),
    [("reported", ""), ("claimed", "; revenue claimed"), ("projected", "; revenue projected")],
)
def test_revenue_mark_says_when_the_netted_revenue_is_not_reported_as_fact(status, mark):
    assert burn.revenue_mark(pd.Series({"status": status})) == mark


def test_undated_by_source_reads_the_inference_note():
    from stability_report.analysis.money import undated_by_source

    def row(precision, note):
        return pd.Series({"date_precision": precision, "inference_note": note})

    assert undated_by_source(row("range", "S900 gives no month for this debt. Bounded: ..."))
    assert undated_by_source(row("range", "The source gives no date; bounded by its listing"))
    # a range the source states ("between March and May") is the source's, not undated
    assert not undated_by_source(row("range", "'between March and May' resolved to 2023"))
    assert not undated_by_source(row("month", "S900 gives no day for this bill"))
    assert not undated_by_source(row("range", None))


def test_month_year_inferred_reads_the_inference_note():
    from stability_report.analysis.money import month_year_inferred

    def row(precision, note):
        return pd.Series({"date_precision": precision, "inference_note": note})

    assert month_year_inferred(row("month", "'March' resolved to March 2031: the past March"))
    # the source's words give the year: nothing inferred
    assert not month_year_inferred(row("month", "'March 2031' resolved to March 2031"))
    assert not month_year_inferred(row("month", "No amount given."))
    assert not month_year_inferred(row("quarter", "'Q2' resolved to Q2 2031"))


def test_bills_caption_says_the_years_are_the_reports_reading(facts):
    from stability_report.present.money.cash import bills_caption

    assert bills_caption(facts).endswith(
        "a month's year the source does not state is the report's reading"
    )
