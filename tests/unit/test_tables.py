"""Tables for reading (stability_report.present.tables): values formatted for a reader, and the
HTML table the notebooks show, worked out by hand on small frames."""

from __future__ import annotations

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from stability_report.analysis.cited import cite
from stability_report.present.tables import runway_cells, show_details, table_html


def test_runway_cells_give_months_and_the_month_cash_runs_out():
    df = pd.DataFrame(
        {
            "basis": ["a", "b"],
            "net burn, first month": [8e6, None],
            "no new money: months": [0.3, None],
            "no new money: runs out": [pd.Timestamp("2023-11-09"), None],
        }
    )
    out = runway_cells(df, 18)
    assert out.columns.tolist() == ["basis", "net burn, first month", "no new money"]
    assert out.iloc[0].tolist() == ["a", "$8M", "0.3 months, Nov 2023"]
    assert out.iloc[1].tolist() == ["b", "", "> 18 months"]


def test_table_html_aligns_numbers_right_and_text_left():
    html = table_html(pd.DataFrame({"name": ["x", "y"], "amount": ["$1.2M", "more than $3M"]}))
    assert html.count('class="num"') == 3 and html.count('class="text"') == 3  # th + 2 td each
    assert "&#36;1.2M" in html and "$" not in html.replace("&#36;", "")


def test_table_html_cites_cited_values_and_leaves_missing_cells_empty():
    html = table_html(pd.DataFrame({"value": [cite(12_800_000.0, ["M001"]), None]}))
    assert '>&#36;12.8 million<sup class="cite">[M001]</sup></td>' in html
    cited, missing = BeautifulSoup(html, "html.parser").find_all("td")
    assert cited.sup.get_text() == "[M001]"
    assert missing.contents == []


def test_table_html_anchor_and_row_entries():
    df = pd.DataFrame({"Conflict": ["C001", "not an id"], "what": ["a", "b"]})
    html = table_html(df, "Register", anchor="conflicts", row_ids="Conflict")
    assert 'id="tbl-conflicts"' in html and "<caption>Register</caption>" in html
    assert '<tr id="conflict-C001"' in html and html.count("<tr id=") == 1
    with pytest.raises(ValueError, match="anchor"):
        table_html(df, anchor="Bad Anchor")
    with pytest.raises(ValueError, match="row_ids"):
        table_html(df, row_ids="missing")


def test_show_details_folds_the_register_under_its_row_count(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj.data))
    show_details(pd.DataFrame({"a": range(1200)}), "Log <all>")
    (html,) = shown
    (details,) = BeautifulSoup(html, "html.parser").contents
    assert details.name == "details" and details["class"] == ["register"]
    assert details.contents[0].name == "summary"
    summary = details.summary.get_text()
    assert summary.startswith("Log <all>") and "1,200" in summary  # the title is text
    assert len(details.table.tbody.find_all("tr")) == 1200
