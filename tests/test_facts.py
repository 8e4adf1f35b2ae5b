"""The loader: a valid fact base loads whole; each class of bad input is refused with an error that
names the file, the row and the column."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from stability_report import paths
from stability_report.facts import FactsError, load_facts
from stability_report.schema import TABLES, data_dictionary

ROWS = {
    "persons": [dict(person_id="P001", canonical_name="Emad Mostaque", affiliation="staff",
                     outcome="departed", function="executive", seniority="c_suite",
                     sd_author="no", canonical_note="")],
    "person_names": [dict(fact_id="N001", person_id="P001", source_id="S000",
                          name_as_written="Emad Mostak",
                          quote="The announcement was made by CEO Emad Mostak")],
    "personnel": [dict(fact_id="R001", source_id="S001", person_id="P001",
                       quote="Just four days after the speech, Mostaque resigned as CEO of "
                             "Stability AI",
                       role_as_written="CEO", function="executive", seniority="c_suite",
                       status="departed", date_start="", date_end="", date_precision="undated",
                       reason="", inference_note="")],
    "money": [
        dict(fact_id="M001", source_id="S001",
             quote="Stability AI had less than $4 million in bank deposits as of October 2023",
             metric="cash", counterparty="", instrument="", value="4000000", unit="USD",
             bound="less_than", date_start="2023-10-01", date_end="2023-10-31",
             date_precision="month", status="reported", inference_note=""),
        dict(fact_id="M002", source_id="S001",
             quote="Subsequently, the bills for September and January were also unable to be "
                   "paid",
             metric="unpaid_bill", counterparty="Amazon Web Services", instrument="", value="",
             unit="USD", bound="unknown", date_start="2023-09-01", date_end="2023-09-30",
             date_precision="month", status="reported", inference_note="creditor inferred"),
    ],
    "events": [dict(fact_id="E001", source_id="S001",
                    quote="Coatue left the board, and Lightspeed gave up its observer seat",
                    category="governance", event="coatue_board_exit", actor="Coatue",
                    person_id="", value="", unit="", bound="", date_start="2023-10-01",
                    date_end="2023-10-31", date_precision="month", status="reported",
                    inference_note="'October last year' resolved against 2024")],
    "conflicts": [dict(conflict_id="C001", topic="CEO surname", kind="name", fact_id_a="N001",
                       quote_a="CEO Emad Mostak", reading_a="Mostak", fact_id_b="R001",
                       quote_b="Mostaque resigned", reading_b="Mostaque", analysis_uses="b",
                       rationale="S001 spells it one way throughout")],
}


def write(path: Path, table: str, rows: list[dict]) -> None:
    cols = [c.name for c in TABLES[table].columns]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """A small valid fact base in tmp_path/facts, with the real raw articles."""
    facts = tmp_path / "facts"
    facts.mkdir()
    shutil.copy(paths.FACTS / "sources.csv", facts / "sources.csv")
    for table, rows in ROWS.items():
        write(facts / f"{table}.csv", table, rows)
    return facts


def load(facts: Path):
    return load_facts(facts, paths.RAW)


def edit(facts: Path, table: str, row: int, **changes) -> None:
    rows = [dict(r) for r in ROWS[table]] if table in ROWS else None
    if rows is None:
        with (facts / f"{table}.csv").open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    rows[row - 1].update(changes)
    write(facts / f"{table}.csv", table, rows)


def refused(facts: Path, file: str, row: int | None, column: str | None, words: str) -> str:
    with pytest.raises(FactsError) as info:
        load(facts)
    message = str(info.value)
    where = file
    if row is not None:
        where += f", row {row}"
    if column is not None:
        where += f", column '{column}'"
    matching = [str(p) for p in info.value.problems if str(p).startswith(where)]
    assert matching, f"no problem at {where!r} in:\n{message}"
    assert any(words in m for m in matching), f"{words!r} not in {matching}"
    return message


def test_valid_base_loads_whole(base):
    facts = load(base)
    assert set(facts.tables) == set(TABLES)
    assert facts.money["value"].dtype == "float64"
    assert pd.isna(facts.money.loc[1, "value"])
    assert str(facts.money["date_start"].dtype).startswith("datetime64")
    assert len(facts.digest) == 64


def test_missing_column(base):
    df = pd.read_csv(base / "money.csv", dtype=str, keep_default_na=False)
    df.drop(columns=["unit"]).to_csv(base / "money.csv", index=False)
    refused(base, str(base / "money.csv"), None, "unit", "this column in the header")


def test_unknown_column(base):
    df = pd.read_csv(base / "events.csv", dtype=str, keep_default_na=False)
    df.assign(comment="x").to_csv(base / "events.csv", index=False)
    refused(base, str(base / "events.csv"), None, "comment", "only the columns")


def test_wrong_type(base):
    edit(base, "money", 1, value="four million")
    refused(base, str(base / "money.csv"), 1, "value", "a number")


def test_unknown_unit(base):
    edit(base, "money", 1, unit="EUR")
    refused(base, str(base / "money.csv"), 1, "unit", "one of ['USD'")


def test_negative_amount(base):
    edit(base, "money", 1, value="-4000000")
    refused(base, str(base / "money.csv"), 1, "value", ">= 0")


def test_quote_not_in_source(base):
    edit(base, "money", 1, quote="Stability AI had $400 million in the bank")
    refused(base, str(base / "money.csv"), 1, "quote", "exact substring of the source")


def test_quote_from_the_other_source(base):
    # verbatim in S000, but the row says S001
    edit(base, "money", 1, quote="Bloomberg previously reported that the company spends")
    refused(base, str(base / "money.csv"), 1, "quote", "exact substring of the source")


def test_duplicate_id(base):
    edit(base, "money", 2, fact_id="M001")
    refused(base, str(base / "money.csv"), 2, "fact_id", "unique")


def test_duplicate_id_across_tables(base):
    edit(base, "events", 1, fact_id="E001")
    rows = [dict(r) for r in ROWS["money"]]
    rows[1]["fact_id"] = "M001"
    write(base / "money.csv", "money", rows)
    with pytest.raises(FactsError):
        load(base)


def test_dangling_reference(base):
    edit(base, "personnel", 1, person_id="P999")
    refused(base, str(base / "personnel.csv"), 1, "person_id", "an id defined in persons")


def test_dangling_conflict_reference(base):
    edit(base, "conflicts", 1, fact_id_b="M404")
    refused(base, str(base / "conflicts.csv"), 1, "fact_id_b", "an id defined in")


def test_unparseable_date(base):
    edit(base, "money", 1, date_end="31/10/2023")
    refused(base, str(base / "money.csv"), 1, "date_end", "an ISO date YYYY-MM-DD")


def test_impossible_date(base):
    edit(base, "events", 1, date_start="2023-02-30")
    refused(base, str(base / "events.csv"), 1, "date_start", "an ISO date")


def test_inverted_interval(base):
    edit(base, "money", 1, date_start="2023-11-01", date_end="2023-10-31")
    refused(base, str(base / "money.csv"), 1, "date_end", "inverted")


def test_undated_needs_empty_dates(base):
    edit(base, "personnel", 1, date_start="2024-03-01", date_end="2024-03-31")
    refused(base, str(base / "personnel.csv"), 1, "date_precision", "undated")


def test_unknown_amount_needs_unknown_bound(base):
    edit(base, "money", 2, bound="exact")
    refused(base, str(base / "money.csv"), 2, "value", "empty exactly when bound")


def test_empty_file(base):
    (base / "events.csv").write_bytes(b"")
    refused(base, str(base / "events.csv"), None, None, "an empty file")


def test_header_only(base):
    write(base / "events.csv", "events", [])
    refused(base, str(base / "events.csv"), None, None, "at least one data row")


def test_non_utf8_file(base):
    text = (base / "money.csv").read_text(encoding="utf-8")
    (base / "money.csv").write_bytes(text.replace("Stability", "Stabilit\xe9").encode("latin-1"))
    refused(base, str(base / "money.csv"), None, None, "UTF-8 text (undecodable byte at line 2")


def test_bom_and_windows_line_endings_accepted(base):
    for f in base.glob("*.csv"):
        text = f.read_text(encoding="utf-8")
        f.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    facts = load(base)
    assert facts.money.loc[0, "fact_id"] == "M001"


def test_ragged_row(base):
    with (base / "events.csv").open("a", encoding="utf-8") as f:
        f.write("E002,S001,too,few\n")
    refused(base, str(base / "events.csv"), 2, None, "fields")


def test_changed_source_detected(base, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW, raw)
    with (raw / "000_15eb34336186f97c.txt").open("a", encoding="utf-8") as f:
        f.write("\nedited")
    with pytest.raises(FactsError) as info:
        load_facts(base, raw)
    assert "column 'sha256'" in str(info.value)


def test_all_problems_reported_nothing_returned(base):
    edit(base, "money", 1, value="-1", unit="EUR")
    with pytest.raises(FactsError) as info:
        load(base)
    columns = {p.column for p in info.value.problems}
    assert {"value", "unit"} <= columns


def test_as_of_filters_by_publication_and_date(base):
    facts = load(base)
    assert len(facts.as_of("2023-12-31").money) == 0  # neither article published yet
    later = facts.as_of("2024-06-04")
    assert set(later.money["fact_id"]) == {"M001", "M002"}
    assert later.newest_fact_date() == pd.Timestamp("2023-10-01")


def test_data_dictionary_is_current():
    assert (paths.DATA / "README.md").read_text(encoding="utf-8") == data_dictionary()


def test_raw_sources_are_the_shared_articles():
    shared = paths.ROOT.parent / "shared" / "sources"
    if not shared.exists():
        pytest.skip("../shared/sources is not beside this checkout")
    for f in shared.iterdir():
        assert (paths.RAW / f.name).read_bytes() == f.read_bytes()
