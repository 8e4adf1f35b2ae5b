"""Inputs within limits, and outputs that cannot be turned against their reader (README, "Faults
and bad input"): a cell of a fact or candidates file too long, a date outside the window, a
parameters file too large, JSON nested too deep; spreadsheet formulas in the published CSV
attachments; a relative --output; figures never written through a symbolic link.

The tests of the same that need a whole run are in tests/integration/test_limits.py.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pandas as pd
import pytest
from intake_support import ARTICLE, copy_base, read_csv, run, snapshot, write_csv

from stability_report import bounded, config
from stability_report.errors import FactsError, OutputError
from stability_report.facts.load import load_facts
from stability_report.present import attachments


def _edit(path: Path, row: int, **cells: str) -> None:
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    for column, value in cells.items():
        rows[row][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def _problems(facts: Path, raw: Path) -> list[tuple]:
    with pytest.raises(FactsError) as info:
        load_facts(facts, raw)
    return [(Path(p.file).name, p.row, p.column, p.expected, p.got) for p in info.value.problems]


@pytest.mark.parametrize("table, column", [("money", "quote"), ("persons", "canonical_note")])
def test_a_cell_too_long_is_named_by_file_row_and_column(tmp_path, table, column):
    facts, raw = copy_base(tmp_path)
    _edit(facts / f"{table}.csv", 2, **{column: "x" * 1_000_000})
    assert _problems(facts, raw) == [
        (
            f"{table}.csv",
            2,
            column,
            f"a cell of at most {config.MAX_CELL:,} characters",
            "1,000,000 characters",
        )
    ]


def test_every_csv_reader_takes_a_cell_as_large_as_a_file_may_be():
    """The as-of signature and the kernel's plain reader read the tables before the loader
    names a cell too long: the csv module's own limit must not stop them first."""
    assert csv.field_size_limit() >= config.MAX_TABLE_BYTES


def test_a_fact_table_larger_than_the_limit_is_refused(tmp_path, monkeypatch):
    facts, raw = copy_base(tmp_path)
    monkeypatch.setattr(config, "MAX_TABLE_BYTES", 1000)
    assert ("money.csv", None, None) in [p[:3] for p in _problems(facts, raw)]


def test_accept_names_a_candidate_cell_too_long(tmp_path):
    base = copy_base(tmp_path)
    where = ("--facts", base[0], "--raw", base[1])
    assert run("sources", "add", ARTICLE, *where).code == 0
    cands = tmp_path / "c.csv"
    assert run("extract", ARTICLE, "--out", cands, *where).code == 0
    rows = read_csv(cands)
    rows[3].update(accept="yes", quote="y" * 5_000_000)
    write_csv(cands, rows)
    before = snapshot(*base)
    r = run("accept", cands, *where)
    assert r.code == 2 and "Traceback" not in r.err
    assert f"{cands}, row 4, column 'quote': expected a cell of at most 100,000" in r.err
    assert snapshot(*base) == before


@pytest.mark.parametrize(
    "table, row, cells",
    [
        ("money", 3, {"date_start": "0001-01-01", "date_end": "9999-12-31"}),
        ("events", 1, {"date_start": "2019-12-31"}),
        ("sources", 1, {"published_end": "2101-01-01"}),
    ],
)
def test_a_date_outside_the_window_is_named_by_file_row_and_column(tmp_path, table, row, cells):
    facts, raw = copy_base(tmp_path)
    _edit(facts / f"{table}.csv", row, **cells)
    found = _problems(facts, raw)
    expected = "an ISO date YYYY-MM-DD from 2020-01-01 to 2100-12-31"
    for column, value in cells.items():
        assert (f"{table}.csv", row, column, expected, value) in found


def test_the_window_is_the_one_as_of_uses():
    from stability_report.params import ParameterError, Params

    lo, hi = config.DATE_WINDOW
    for d in (lo, hi):
        Params.from_mapping({"as_of": d.isoformat()})
    for d in ("2019-12-31", "2101-01-01"):
        with pytest.raises(ParameterError):
            Params.from_mapping({"as_of": d})


def test_attachments_neutralise_what_a_spreadsheet_would_run(tmp_path):
    df = pd.DataFrame(
        {
            "quote": ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1+2", "@SUM(A1)"],
            "note": ["-2+3", "\tx", "plain", "-5"],
            "n": [-1, 2, 3, 4],
        }
    )
    attachments.write_csv(df, tmp_path / "a.csv")
    back = pd.read_csv(tmp_path / "a.csv", dtype=str, keep_default_na=False)
    assert list(back["quote"]) == [
        '\'=HYPERLINK("http://x","y")',
        "'=cmd|' /C calc'!A0",
        "'+1+2",
        "'@SUM(A1)",
    ]
    assert list(back["note"]) == ["'-2+3", "'\tx", "plain", "-5"]  # a number stays a number
    assert list(back["n"]) == ["-1", "2", "3", "4"]
    assert list(df["quote"])[0] == '=HYPERLINK("http://x","y")'  # the frame is not changed
    note = attachments.link_html("a.csv", "A register")
    assert "begins with a single quote" in note and "=, +, -, @" in note


def test_nesting_is_counted_outside_strings_only():
    assert bounded.nesting('{"a": "[[[[{{{{", "b": [1, [2]]}') == 3
    assert bounded.nesting('"\\"[["') == 0
    with pytest.raises(bounded.TooLarge):
        bounded.loads("[" * 65 + "]" * 65)
    assert isinstance(bounded.loads("[" * 64 + "]" * 64), list)


@pytest.mark.parametrize("linked", ["scratch", "scratch/figures"])
def test_figures_are_not_written_through_a_linked_scratch_folder(tmp_path, monkeypatch, linked):
    from stability_report.figures import style

    root, victim = tmp_path / "project", tmp_path / "elsewhere"
    root.mkdir()
    victim.mkdir()
    monkeypatch.setattr(config, "ROOT", root)
    monkeypatch.setattr(config, "SCRATCH", root / "scratch")
    monkeypatch.delenv(config.ENV_FIGURES, raising=False)
    if linked == "scratch/figures":
        (root / "scratch").mkdir()
    (root / linked).symlink_to(victim)
    fig = style.plt.figure()
    with pytest.raises(OutputError, match=f"{root / linked} is a symbolic link"):
        style.save(fig, "x", "a caption")
    assert list(victim.iterdir()) == []


def test_figures_replace_a_link_in_the_folder_instead_of_following_it(tmp_path, monkeypatch):
    from stability_report.figures import style

    victim = tmp_path / "victim.svg"
    victim.write_text("mine")
    monkeypatch.setenv(config.ENV_FIGURES, str(tmp_path / "figs"))
    monkeypatch.delenv(config.ENV_BACKGROUND, raising=False)
    (tmp_path / "figs").mkdir()
    (tmp_path / "figs" / "x.svg").symlink_to(victim)
    style.save(style.plt.figure(), "x", "a caption")
    assert victim.read_text() == "mine" and not (tmp_path / "figs" / "x.svg").is_symlink()
    assert os.path.getsize(tmp_path / "figs" / "x.svg") > 0
