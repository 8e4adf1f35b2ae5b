"""Parameters: parsed against their declared types, refused with the parameter's name and the
allowed values, never evaluated as code."""

import json
from pathlib import Path

import pytest

from stability_report.params import BURN_BASES, ParameterError, Params


def test_defaults_are_valid():
    p = Params.from_mapping({})
    assert p == Params()
    assert p.as_of == "2024-06-04"


def test_strings_from_the_papermill_command_line_are_parsed():
    p = Params.from_mapping(
        {
            "extra_funding_usd": "9e6",
            "extra_funding_date": "2024-01-15",
            "revenue_growth": "0.05",
            "pay_unpaid_bills": "false",
            "horizon_months": "24",
        }
    )
    assert p.extra_funding_usd == 9e6
    assert p.revenue_growth == 0.05
    assert p.pay_unpaid_bills is False
    assert p.horizon_months == 24


def test_unknown_name_is_an_error():
    with pytest.raises(ParameterError, match="unknown parameter.*'burn'.*as_of"):
        Params.from_mapping({"burn": "x"})


@pytest.mark.parametrize(
    "name,value,words",
    [
        ("burn_basis", "yearly", "one of " + ", ".join(BURN_BASES)),
        ("as_of", "June 2024", "ISO date"),
        ("as_of", "2024-02-30", "ISO date"),
        ("as_of", "1999-01-01", "from 2020-01-01"),
        ("revenue_growth", "2", "from -0.5 to 1.0"),
        ("revenue_growth", "nan", "from -0.5 to 1.0"),
        ("horizon_months", "6.5", "whole number"),
        ("horizon_months", 1000, "whole number from 3 to 60"),
        ("pay_unpaid_bills", "maybe", "true or false"),
        ("extra_funding_usd", "-5", "from 0"),
        ("extra_funding_usd", True, "a number"),
        ("as_of", "__import__('os').system('touch /tmp/pwned')", "ISO date"),
        ("extra_funding_usd", "__import__('os').getpid()", "a number"),
        ("burn_basis", ["custom"], "one of"),
    ],
)
def test_bad_values_name_the_parameter_and_allowed_values(name, value, words):
    with pytest.raises(ParameterError) as info:
        Params.from_mapping({name: value})
    assert str(info.value).startswith(f"{name}: expected")
    assert words in str(info.value)


def test_custom_basis_needs_a_burn():
    with pytest.raises(ParameterError, match="custom_monthly_burn_usd"):
        Params.from_mapping({"burn_basis": "custom"})
    assert Params.from_mapping({"burn_basis": "custom", "custom_monthly_burn_usd": "5e6"})


def test_extra_funding_needs_a_date():
    with pytest.raises(ParameterError, match="extra_funding_date"):
        Params.from_mapping({"extra_funding_usd": 1e6})


def test_from_notebook_sees_injected_unknown_names():
    ns = {"as_of": "2024-01-01", "Params": Params, "json": json, "_hidden": 1, "typo": 3}
    with pytest.raises(ParameterError, match="'typo'"):
        Params.from_notebook(ns)
    del ns["typo"]
    assert Params.from_notebook(ns).as_of == "2024-01-01"


def test_file_values(tmp_path):
    f = tmp_path / "p.json"
    f.write_text('{"burn_basis": "feb2024"}')
    assert Params.from_mapping(Params.file_values(f)).burn_basis == "feb2024"
    f.write_text("[1, 2]")
    with pytest.raises(ParameterError, match="JSON object"):
        Params.file_values(f)
    f.write_text("{not json")
    with pytest.raises(ParameterError, match="cannot read"):
        Params.file_values(f)


def test_describe_covers_every_parameter():
    assert [d[0] for d in Params.describe()] == Params.names()


@pytest.mark.parametrize("name", ["as_of", "extra_funding_date"])
@pytest.mark.parametrize(
    "value", ["2024-W23-2", "2024-W23", "2024W232", "2024-156", "20240604", "2024-06-04T00:00"]
)
def test_only_calendar_dates_written_yyyy_mm_dd_are_dates(name, value):
    with pytest.raises(ParameterError) as info:
        Params.from_mapping({name: value})
    assert str(info.value).startswith(f"{name}: expected")
    assert "YYYY-MM-DD" in str(info.value)


@pytest.mark.parametrize(
    "when", ["2020-01-01", "2023-06-30", "2023-10-31", "2025-05-01", "2030-01-01"]
)
def test_extra_funding_outside_the_projection_is_refused_with_the_window(when):
    with pytest.raises(ParameterError) as info:
        Params.from_mapping({"extra_funding_usd": "5e6", "extra_funding_date": when})
    message = str(info.value)
    # the field, the format, the window's first and last day, the horizon that sets it, the value
    assert message.startswith("extra_funding_date: expected") and "YYYY-MM-DD" in message
    assert -1 < message.find("2023-11-01") < message.find("2025-04-30")
    assert "18-month" in message and "horizon_months" in message
    assert repr(when) in message


def test_the_funding_window_follows_the_horizon():
    assert Params.from_mapping({"extra_funding_usd": 1, "extra_funding_date": "2023-11-01"})
    assert Params.from_mapping({"extra_funding_usd": 1, "extra_funding_date": "2025-04-30"})
    late = {"extra_funding_usd": 1, "extra_funding_date": "2026-01-15"}
    with pytest.raises(ParameterError, match="to 2025-04-30"):
        Params.from_mapping(late)
    assert Params.from_mapping({**late, "horizon_months": 27})  # to 2026-01-31


def test_projection_start_is_the_day_of_the_cash_figure_in_the_fact_base():
    import pandas as pd

    from stability_report.analysis import cash
    from stability_report.facts.load import load_facts
    from stability_report.params import PROJECTION_START

    assert cash.cash_position(load_facts()).on == pd.Timestamp(PROJECTION_START)


def test_the_documented_table_is_generated_from_the_declarations():
    doc = Path(__file__).resolve().parents[2] / "docs" / "parameters.md"
    assert Params.markdown_table() in doc.read_text(encoding="utf-8")
