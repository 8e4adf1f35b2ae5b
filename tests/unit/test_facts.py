"""The loader: a valid fact base loads whole; each class of bad input is refused with an error that
names the file, the row and the column."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from stability_report import config
from stability_report.errors import FactsError
from stability_report.facts.dictionary import data_dictionary
from stability_report.facts.load import load_facts
from stability_report.facts.schema import TABLES

ROWS = {
    "persons": [
        dict(
            person_id="P001",
            canonical_name="Emad Mostaque",
            affiliation="staff",
            outcome="departed",
            function="executive",
            seniority="c_suite",
            sd_author="no",
            canonical_note="",
        )
    ],
    "person_names": [
        dict(
            fact_id="N001",
            person_id="P001",
            source_id="S000",
            name_as_written="Emad Mostak",
            quote="The announcement was made by CEO Emad Mostak",
        )
    ],
    "personnel": [
        dict(
            fact_id="R001",
            source_id="S001",
            person_id="P001",
            quote="Just four days after the speech, Mostaque resigned as CEO of Stability AI",
            role_as_written="CEO",
            function="executive",
            seniority="c_suite",
            status="departed",
            date_start="",
            date_end="",
            date_precision="undated",
            reason="",
            inference_note="",
        )
    ],
    "money": [
        dict(
            fact_id="M001",
            source_id="S001",
            quote="Stability AI had less than $4 million in bank deposits as of October 2023",
            metric="cash",
            counterparty="",
            instrument="",
            value="4000000",
            unit="USD",
            bound="less_than",
            date_start="2023-10-01",
            date_end="2023-10-31",
            date_precision="month",
            status="reported",
            inference_note="",
        ),
        dict(
            fact_id="M002",
            source_id="S001",
            quote="Subsequently, the bills for September and January were also unable to be paid",
            metric="unpaid_bill",
            counterparty="Amazon Web Services",
            instrument="",
            value="",
            unit="USD",
            bound="unknown",
            date_start="2023-09-01",
            date_end="2023-09-30",
            date_precision="month",
            status="reported",
            inference_note="creditor inferred",
        ),
    ],
    "events": [
        dict(
            fact_id="E001",
            source_id="S001",
            quote="Coatue left the board, and Lightspeed gave up its observer seat",
            category="governance",
            event="coatue_board_exit",
            actor="Coatue",
            person_id="",
            value="",
            unit="",
            bound="",
            date_start="2023-10-01",
            date_end="2023-10-31",
            date_precision="month",
            status="reported",
            inference_note="'October last year' resolved against 2024",
        )
    ],
    "conflicts": [
        dict(
            conflict_id="C001",
            topic="CEO surname",
            kind="name",
            fact_id_a="N001",
            quote_a="CEO Emad Mostak",
            reading_a="Mostak",
            fact_id_b="R001",
            quote_b="Mostaque resigned",
            reading_b="Mostaque",
            analysis_uses="b",
            rationale="S001 spells it one way throughout",
        )
    ],
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
    shutil.copy(config.FACTS / "sources.csv", facts / "sources.csv")
    for table, rows in ROWS.items():
        write(facts / f"{table}.csv", table, rows)
    return facts


def load(facts: Path):
    return load_facts(facts, config.RAW)


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
    shutil.copytree(config.RAW, raw)
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
    assert (config.DATA / "README.md").read_text(encoding="utf-8") == data_dictionary()


def test_raw_sources_are_the_shared_articles():
    shared = config.ROOT.parent / "shared" / "sources"
    if not shared.exists():
        pytest.skip("../shared/sources is not beside this checkout")
    for f in shared.iterdir():
        assert (config.RAW / f.name).read_bytes() == f.read_bytes()


# ---------------------------------------------------------------------------------------------
# ids of any width, numbers that computations can use, text a reader can trust, files that are
# what they claim to be


def test_ids_past_999_are_accepted_and_existing_ids_unchanged(base):
    rows = [dict(r) for r in ROWS["money"]]
    rows.append(dict(rows[0], fact_id="M1000"))
    rows.append(dict(rows[0], fact_id="M12345"))
    write(base / "money.csv", "money", rows)
    edit(base, "conflicts", 1, conflict_id="C1000", fact_id_a="M12345", quote_a=rows[0]["quote"])
    facts = load(base)
    assert list(facts.money["fact_id"]) == ["M001", "M002", "M1000", "M12345"]
    assert facts.conflicts.loc[0, "conflict_id"] == "C1000"


@pytest.mark.parametrize("bad", ["M0001", "M01", "M1", "M12a", "m001"])
def test_ids_with_a_leading_zero_past_three_digits_or_too_short_are_refused(base, bad):
    edit(base, "money", 2, fact_id=bad)
    refused(base, str(base / "money.csv"), 2, "fact_id", "a value matching ^M")


def test_id_sort_key_sorts_by_number():
    from stability_report.facts.ids import id_sort_key

    ids = ["M1000", "M999", "E002", "M010", "M12345", "M002"]
    assert sorted(ids, key=id_sort_key) == ["E002", "M002", "M010", "M999", "M1000", "M12345"]


def test_an_id_shared_by_two_fact_tables_is_reported_at_both_rows(base):
    edit(base, "events", 1, fact_id="M1000")
    rows = [dict(r) for r in ROWS["money"]]
    rows[1]["fact_id"] = "M1000"
    write(base / "money.csv", "money", rows)
    message = refused(base, str(base / "money.csv"), 2, "fact_id", "also in")
    assert f"{base / 'events.csv'}, row 1" in message


def test_a_large_fact_base_with_wide_ids_loads(base):
    """Thousands of rows per fact table, ids far past 999 (the loader's checks are linear;
    bench/bench.py measures 100,000 rows per table)."""
    n = 3000
    money = [dict(ROWS["money"][0], fact_id=f"M{i:03d}") for i in range(1, n + 1)]
    events = [dict(ROWS["events"][0], fact_id=f"E{i:03d}") for i in range(1, n + 1)]
    conflicts = [dict(ROWS["conflicts"][0], conflict_id=f"C{i:03d}") for i in range(1, n + 1)]
    write(base / "money.csv", "money", money)
    write(base / "events.csv", "events", events)
    write(base / "conflicts.csv", "conflicts", conflicts)
    facts = load(base)
    assert len(facts.money) == len(facts.events) == len(facts.conflicts) == n
    assert facts.money["fact_id"].iloc[-1] == f"M{n}"
    money[-1]["fact_id"] = "M999"  # a duplicate at the end of a long table
    write(base / "money.csv", "money", money)
    refused(base, str(base / "money.csv"), n, "fact_id", "unique")


@pytest.mark.parametrize(
    "value, words",
    [
        *[(v, "a number from 0 to 1e+15") for v in ("inf", "-inf", "Infinity", "nan", "9" * 400)],
        *[(v, "a value <= 1e+15") for v in ("1e308", "1e16")],
    ],
)
def test_amounts_that_are_not_finite_or_beyond_any_real_amount_are_refused(base, value, words):
    edit(base, "money", 1, value=value)
    refused(base, str(base / "money.csv"), 1, "value", words)


def test_event_values_are_bounded_too(base):
    edit(base, "events", 1, value="1e300", unit="count", bound="exact")
    refused(base, str(base / "events.csv"), 1, "value", "<= 1e+15")


@pytest.mark.parametrize(
    "char, name",
    [
        ("\x00", "U+0000"),
        ("\u202e", "U+202E"),
        ("\u2066", "U+2066"),
        ("\x1b", "U+001B"),
        ("\r", "U+000D"),
        ("\x85", "U+0085"),
    ],
)
def test_control_characters_and_bidirectional_overrides_in_text_are_refused(base, char, name):
    edit(base, "persons", 1, canonical_name=f"Emad{char} Mostaque")
    if char == "\r":  # unquoted, a carriage return ends the row: quote the field, as it is
        data = (base / "persons.csv").read_bytes()
        (base / "persons.csv").write_bytes(data.replace(b"Emad\r Mostaque", b'"Emad\r Mostaque"'))
    message = refused(
        base, str(base / "persons.csv"), 1, "canonical_name", "without control characters"
    )
    assert f"got '{name} at character 5'" in message
    assert char not in message  # named, not written out


def test_tab_newline_and_windows_line_endings_in_text_are_accepted(base):
    edit(base, "persons", 1, canonical_note="first line\nsecond\tline")
    text = (base / "persons.csv").read_text(encoding="utf-8")
    (base / "persons.csv").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    facts = load(base)
    assert facts.persons.loc[0, "canonical_note"] == "first line\r\nsecond\tline"


@pytest.mark.parametrize("value", ["2024-W23-2", "2024-W23", "20240604", "2024-6-4"])
def test_dates_must_be_calendar_dates_written_yyyy_mm_dd(base, value):
    edit(base, "money", 1, date_start=value)
    refused(base, str(base / "money.csv"), 1, "date_start", "an ISO date YYYY-MM-DD")


def test_conflict_naming_a_missing_fact_says_which_tables_were_searched(base):
    edit(base, "conflicts", 1, fact_id_a="M404")
    message = refused(
        base,
        str(base / "conflicts.csv"),
        1,
        "fact_id_a",
        "an id defined in one of the fact tables (person_names, personnel, money, events)",
    )
    assert "defined in *" not in message


def test_raw_article_that_is_not_utf8_is_named_with_its_line(base, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(config.RAW, raw)
    name = "001_d355905f12033a8c.txt"
    data = (raw / name).read_bytes().replace(b"\n", b"\n\x93quoted\x94\n", 1)
    (raw / name).write_bytes(data)
    sources = (base / "sources.csv").read_text(encoding="utf-8")
    old = hashlib.sha256((config.RAW / name).read_bytes()).hexdigest()
    (base / "sources.csv").write_text(
        sources.replace(old, hashlib.sha256(data).hexdigest()), encoding="utf-8"
    )
    with pytest.raises(FactsError) as info:
        load_facts(base, raw)
    assert f"{raw / name}: expected UTF-8 text (undecodable byte at line 2" in str(info.value)


@pytest.mark.parametrize("name", ["../facts/money.csv", "/etc/hostname", ".hidden"])
def test_source_file_must_be_a_plain_name_and_is_never_opened_otherwise(base, name):
    edit(base, "sources", 1, file=name)
    message = refused(base, str(base / "sources.csv"), 1, "file", "a value matching")
    assert "sha256" not in message  # the file it names was not read


def test_a_table_that_leads_to_another_file_does_not_echo_its_first_line(base, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:the-first-line-of-a-private-file\nmore\n", encoding="utf-8")
    (base / "money.csv").unlink()
    (base / "money.csv").symlink_to(secret)
    message = refused(
        base, str(base / "money.csv"), None, None, "a header row naming the columns of money.csv"
    )
    assert "private" not in message


def test_an_unknown_column_that_is_not_a_name_is_not_echoed(base):
    text = (base / "events.csv").read_text(encoding="utf-8").split("\n", 1)
    (base / "events.csv").write_text(
        text[0] + ",<script>$(whoami)</script>\n" + text[1], encoding="utf-8"
    )
    message = refused(base, str(base / "events.csv"), None, None, "only the columns")
    assert "whoami" not in message and "not shown" in message


def test_a_table_that_is_a_directory_or_a_pipe_is_refused(base):
    (base / "events.csv").unlink()
    (base / "events.csv").mkdir()
    refused(base, str(base / "events.csv"), None, None, "a regular file; got 'a directory'")
    (base / "events.csv").rmdir()
    os.mkfifo(base / "events.csv")  # reading it would wait for ever
    refused(base, str(base / "events.csv"), None, None, "a regular file")


def test_columns_have_the_types_the_analysis_relies_on(base):
    facts = load(base)
    for name, table in TABLES.items():
        frame = facts.tables[name]
        for col in table.columns:
            dtype = str(frame[col.name].dtype)
            want = {"number": "float64", "int": "Int64", "date": "datetime64[s]"}.get(
                col.kind, "str"
            )
            assert dtype == want, (name, col.name, dtype)
    empty = facts.as_of("2020-01-01")  # nothing published yet: empty frames, the same types
    assert str(empty.money["source_id"].dtype) == "str"
    assert str(empty.money["date_end"].dtype) == "datetime64[s]"


def test_a_derived_reading_is_computed_once_per_fact_base_and_again_for_a_replaced_table():
    from stability_report.analysis.readings import rejected
    from stability_report.facts.base import Facts

    real = load_facts()
    facts = Facts(tables=dict(real.tables), texts=real.texts, digest=real.digest)
    calls = []

    def compute():
        calls.append(1)
        return len(facts.conflicts)

    assert facts.derived("n", compute) == facts.derived("n", compute) == len(real.conflicts)
    assert len(calls) == 1
    assert rejected(facts), "the real fact base has conflicts that reject a reading"
    facts.tables["conflicts"] = facts.conflicts.iloc[0:0]  # a table replaced: computed again
    assert facts.derived("n", compute) == 0 and len(calls) == 2
    assert rejected(facts) == frozenset()


def test_changing_what_select_or_departures_gave_does_not_change_the_next_answer():
    from stability_report.analysis.attrition import departures
    from stability_report.analysis.money import select

    facts = load_facts()
    cash = select(facts, "cash")
    values = list(cash["value"])
    cash["value"] = 0.0
    cash["extra"] = 1
    assert list(select(facts, "cash")["value"]) == values
    assert "extra" not in select(facts, "cash")
    deps = departures(facts, "2024-12-31")
    first = deps.iloc[0, 0]
    deps.iloc[0, 0] = "changed"
    assert departures(facts, "2024-12-31").iloc[0, 0] == first != "changed"
