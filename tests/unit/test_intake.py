"""Adding an article: `sources add`, `accept`, `facts check` and the unregistered-file check, on
copies of the real fact base. The worked example (tests/intake_support.py) registers the
fictitious third article, extracts it, accepts some candidates and checks the result.

The tests of the same that need a whole run are in tests/integration/test_intake.py.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from intake_support import ARTICLE, copy_base, read_csv, run, snapshot, write_csv

from stability_report.errors import FactsError
from stability_report.facts.load import load_facts
from stability_report.facts.schema import FACT_TABLES
from stability_report.tools.intake import journal, store


@pytest.fixture
def base(tmp_path: Path) -> tuple[Path, Path]:
    return copy_base(tmp_path)


def where(base) -> tuple:
    return ("--facts", base[0], "--raw", base[1])


def test_sources_add_copies_the_file_byte_for_byte_and_records_it(base, tmp_path):
    facts, raw = base
    r = run("sources", "add", ARTICLE, *where(base))
    assert r.code == 0, r.err
    row = read_csv(facts / "sources.csv")[-1]
    data = ARTICLE.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    assert row["source_id"] == "S002"
    assert row["file"] == f"002_{digest[:16]}.txt"
    assert (raw / row["file"]).read_bytes() == data
    assert row["sha256"] == digest
    assert row["headline"] == data.decode().splitlines()[0]
    # dated by the article's own 'Published' line
    assert (row["published_start"], row["published_end"], row["published_precision"]) == (
        "2024-04-12",
        "2024-04-12",
        "day",
    )
    assert "Published 12 April 2024" in row["dating_note"]
    assert row["reference_year"] == "2024"
    load_facts(facts, raw)  # the base with the new source validates


def test_sources_add_keeps_existing_rows_byte_for_byte(base):
    facts, _ = base
    before = (facts / "sources.csv").read_bytes()
    assert run("sources", "add", ARTICLE, *where(base)).code == 0
    assert (facts / "sources.csv").read_bytes().startswith(before)


def test_sources_add_with_published_dates(base, tmp_path):
    article = tmp_path / "undated.txt"
    article.write_text(
        "A headline with no date line\n\nSomeone said something last week.\n", encoding="utf-8"
    )
    r = run(
        "sources",
        "add",
        article,
        "--published-between",
        "2024-05-01",
        "2024-05-31",
        "--headline",
        "A headline with no date line",
        *where(base),
    )
    assert r.code == 0, r.err
    row = read_csv(base[0] / "sources.csv")[-1]
    assert (row["published_start"], row["published_end"], row["published_precision"]) == (
        "2024-05-01",
        "2024-05-31",
        "range",
    )
    assert "--published-between" in row["dating_note"]
    other = tmp_path / "other.txt"
    other.write_text("Another headline\n\nText.\n", encoding="utf-8")
    assert run("sources", "add", other, "--published", "2024-06-02", *where(base)).code == 0
    row = read_csv(base[0] / "sources.csv")[-1]
    assert (row["source_id"], row["published_start"], row["published_precision"]) == (
        "S003",
        "2024-06-02",
        "day",
    )


def test_sources_add_registers_a_file_already_in_the_raw_directory(base):
    facts, raw = base
    dropped = raw / "from-the-analyst.txt"
    shutil.copy(ARTICLE, dropped)
    with pytest.raises(FactsError, match="from-the-analyst.txt"):
        load_facts(facts, raw)
    r = run("sources", "add", dropped, *where(base))
    assert r.code == 0, r.err
    assert read_csv(facts / "sources.csv")[-1]["file"] == "from-the-analyst.txt"
    assert sorted(p.name for p in raw.iterdir())[-1] == "from-the-analyst.txt"
    load_facts(facts, raw)


@pytest.mark.parametrize(
    "make, args, needle",
    [
        (lambda d: ARTICLE, (), "already registered as S002"),
        (
            lambda d: _write(d / "latin1.txt", "Caf\xe9 headline\n".encode("latin-1")),
            (),
            "expected UTF-8",
        ),
        (lambda d: _write(d / "empty.txt", b"  \n"), ("--published", "2024-01-01"), "empty"),
        (lambda d: d / "missing.txt", (), "no such file"),
        (
            lambda d: _write(d / "nodate.txt", b"Headline\n\nNo date here.\n"),
            (),
            "--published YYYY-MM-DD",
        ),
        (
            lambda d: _write(d / "a.txt", b"Headline\n\nText.\n"),
            ("--published", "2024-02-30"),
            "--published: expected a date YYYY-MM-DD",
        ),
        (
            lambda d: _write(d / "b.txt", b"Headline\n\nText.\n"),
            ("--published-between", "2024-05-02", "2024-05-01"),
            "A on or before B",
        ),
        (
            lambda d: _write(d / "c.txt", b"Headline\n\nText.\n"),
            ("--published", "2024-05-01", "--headline", "Not the headline"),
            "--headline",
        ),
    ],
)
def test_sources_add_refuses_bad_input_with_exit_2_and_writes_nothing(
    base, tmp_path, make, args, needle
):
    assert run("sources", "add", ARTICLE, *where(base)).code == 0  # S002 is the fixture
    before = snapshot(*base)
    r = run("sources", "add", make(tmp_path), *args, *where(base))
    assert r.code == 2
    assert needle in r.err
    assert snapshot(*base) == before


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_sources_add_without_action_or_with_bad_option_is_a_usage_error(base):
    assert run("sources", *where(base)[:0]).code == 2
    r = run(
        "sources",
        "add",
        ARTICLE,
        "--published",
        "2024-01-01",
        "--published-between",
        "2024-01-01",
        "2024-01-02",
        *where(base),
    )
    assert r.code == 2 and "not allowed with" in r.err


def test_unregistered_raw_file_stops_validation_naming_it_and_the_command(base):
    facts, raw = base
    shutil.copy(ARTICLE, raw / "dropped.txt")
    with pytest.raises(FactsError) as e:
        load_facts(facts, raw)
    message = str(e.value)
    assert "dropped.txt" in message
    assert f"python -m stability_report sources add {raw / 'dropped.txt'}" in message


def test_unregistered_file_is_noticed_after_a_cached_load(base):
    facts, raw = base
    load_facts(facts, raw)
    (raw / "late.txt").write_text("late", encoding="utf-8")
    with pytest.raises(FactsError, match="late.txt"):
        load_facts(facts, raw)


def test_hidden_files_in_the_raw_directory_are_not_articles(base):
    facts, raw = base
    (raw / ".gitkeep").write_text("", encoding="utf-8")
    load_facts(facts, raw)


def test_next_id_is_max_plus_one_zero_padded_to_at_least_three_digits():
    ids = store.next_ids(["M001", "M998", "M999", "E5000", "Mx"], "M")
    assert [next(ids) for _ in range(3)] == ["M1000", "M1001", "M1002"]
    assert next(store.next_ids(["M007"], "M")) == "M008"
    assert next(store.next_ids(["M01000", "M999"], "M")) == "M1001"
    assert next(store.next_ids([], "M")) == "M001"
    assert next(store.next_ids([], "S")) == "S000"


def _renumber(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(f"\n{old},") == 1
    path.write_text(text.replace(f"\n{old},", f"\n{new},"), encoding="utf-8")


def test_accept_past_999_allocates_m1000_and_keeps_existing_ids(base, tmp_path):
    facts, raw = base
    _renumber(facts / "money.csv", "M031", "M999")  # M031 is cited by no conflict
    load_facts(facts, raw)
    assert run("sources", "add", ARTICLE, *where(base)).code == 0
    cands = tmp_path / "c.csv"
    assert run("extract", ARTICLE, "--out", cands, *where(base)).code == 0
    rows = read_csv(cands)
    for r in rows:
        if r["kind"] == "money" and r["value"] in ("6000000", "7100000"):
            r["accept"] = "yes"
    write_csv(cands, rows)
    before = (facts / "money.csv").read_bytes()
    r = run("accept", cands, *where(base))
    assert r.code == 0, r.err
    money = load_facts(facts, raw).money
    assert list(money["fact_id"].iloc[-3:]) == ["M999", "M1000", "M1001"]
    assert (facts / "money.csv").read_bytes().startswith(before)


def test_facts_check_with_candidates_suggests_rows_accept_resolves(base, tmp_path):
    facts, raw = base
    assert run("sources", "add", ARTICLE, *where(base)).code == 0
    cands = tmp_path / "c.csv"
    assert run("extract", ARTICLE, "--out", cands, *where(base)).code == 0
    checked = tmp_path / "checked.csv"
    r = run("facts", "check", "--candidates", cands, "--out", checked, *where(base))
    assert r.code == 0, r.err
    rows = read_csv(checked)
    cash = next(
        i for i, x in enumerate(rows, 1) if x["kind"] == "money" and x["value"] == "6000000"
    )
    suggestion = next(x for x in rows if x["table"] == "conflicts")
    assert (suggestion["fact_id_a"], suggestion["fact_id_b"]) == ("M014", f"row {cash}")
    rows[cash - 1]["accept"] = "yes"
    suggestion.update(accept="yes", analysis_uses="both", rationale="Kept as alternatives.")
    write_csv(checked, rows)
    r = run("accept", checked, *where(base))
    assert r.code == 0, r.err
    c = load_facts(facts, raw).conflicts.iloc[-1]
    assert (c["fact_id_a"], c["fact_id_b"]) == ("M014", "M032")


@pytest.fixture
def extracted(base, tmp_path):
    assert run("sources", "add", ARTICLE, *where(base)).code == 0
    cands = tmp_path / "c.csv"
    assert run("extract", ARTICLE, "--out", cands, *where(base)).code == 0
    return cands, read_csv(cands)


def _row(rows, kind, **match):
    return next(
        i
        for i, r in enumerate(rows)
        if r["kind"] == kind and all(r[k] == v for k, v in match.items())
    )


@pytest.mark.parametrize(
    "change, needle",
    [
        (
            {"quote": "Stability AI had about $60 million"},
            "column 'quote': expected an exact substring of the source article",
        ),
        ({"bound": "at_most"}, "column 'bound': expected one of"),
        ({"value": "six million"}, "column 'value': expected a number"),
        ({"date_start": "2023-10-40"}, "column 'date_start': expected an ISO date"),
        ({"source_id": "S099"}, "column 'source_id': expected an id defined in sources.source_id"),
        ({"accept": "Y"}, "column 'accept': expected yes, no or empty"),
        ({"table": "moneys"}, "column 'table': expected one of money"),
    ],
)
def test_accept_refuses_a_bad_row_and_writes_nothing(base, extracted, change, needle):
    cands, rows = extracted
    good = _row(rows, "money", value="7100000")
    bad = _row(rows, "money", value="6000000")
    rows[good]["accept"] = "yes"
    rows[bad]["accept"] = "yes"
    rows[bad].update(change)
    write_csv(cands, rows)
    before = snapshot(*base)
    r = run("accept", cands, *where(base))
    assert r.code == 2
    assert needle in r.err
    assert f"{cands}, row {bad + 1}" in r.err  # the row of the candidates file
    assert "nothing was written" in r.err or "accept" in needle or "table" in needle
    assert snapshot(*base) == before


def test_accept_refuses_a_file_without_the_accept_column_or_not_csv(base, tmp_path):
    no_col = tmp_path / "no.csv"
    no_col.write_text("kind,quote\nmoney,x\n", encoding="utf-8")
    r = run("accept", no_col, *where(base))
    assert r.code == 2 and "expected a column 'accept'" in r.err
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"accept\n\xff\xfe\n")
    r = run("accept", binary, *where(base))
    assert r.code == 2 and "expected UTF-8" in r.err
    r = run("accept", tmp_path / "none.csv", *where(base))
    assert r.code == 2 and "no such file" in r.err


def test_accept_with_nothing_marked_writes_nothing(base, extracted):
    cands, _ = extracted
    before = snapshot(*base)
    r = run("accept", cands, *where(base))
    assert r.code == 0 and "nothing accepted" in r.err
    assert snapshot(*base) == before


def _three_tables(rows: list[dict]) -> list[dict]:
    """The candidates with a money fact, a departure (personnel) and an event marked."""
    rows[_row(rows, "money", value="7100000")]["accept"] = "yes"
    rows[_row(rows, "departure", person="P001")].update(
        accept="yes", role_as_written="chief executive", function="executive", seniority="c_suite"
    )
    event = next(i for i, r in enumerate(rows) if r["kind"] in ("date", "organisation"))
    rows[event].update(
        accept="yes",
        table="events",
        category="corporate",
        event="fictitious_event",
        status=rows[event]["status"] or "reported",
        precision=rows[event]["precision"] or "undated",
    )
    return rows


def test_a_failed_write_leaves_the_tables_as_they_were(base, extracted, monkeypatch):
    cands, rows = extracted
    write_csv(cands, _three_tables(rows))
    before = snapshot(*base)
    real = journal.write_new
    calls = []

    def failing(path, data):
        calls.append(path.name)
        if path.name.startswith(".money.csv."):
            raise OSError(28, "No space left on device", str(path))
        real(path, data)

    monkeypatch.setattr(journal, "write_new", failing)
    r = run("accept", cands, *where(base))
    assert r.code == 1, r.err
    assert "No space left on device; nothing was written" in r.err
    assert snapshot(*base) == before
    assert not [p for d in base for p in d.iterdir() if p.name.startswith(".")]


def test_accepting_the_same_file_again_adds_nothing_twice(base, extracted):
    cands, rows = extracted
    marked = _three_tables(rows)
    write_csv(cands, marked)
    first = run("accept", cands, *where(base))
    assert first.code == 0, first.err
    added = re.findall(r"\b[EMR]\d{3}\b", first.err)
    assert len(added) == 3, first.err
    before = snapshot(*base)
    again = run("accept", cands, *where(base))
    assert again.code == 0 and snapshot(*base) == before
    assert "nothing accepted" in again.err
    # each marked row of the candidates file is named with the id its content already has
    already = re.findall(r"row (\d+) as ([A-Z]\d{3})", again.err)
    assert sorted(i for _, i in already) == sorted(added), again.err
    rows_marked = [n for n, r in enumerate(marked, start=1) if r["accept"] == "yes"]
    assert sorted(int(n) for n, _ in already) == rows_marked, again.err


def test_a_journal_this_program_did_not_write_is_not_acted_on(base):
    facts, raw = base
    victim = facts.parent / "victim.txt"
    victim.write_text("keep me")
    (facts / ".intake-journal.json").write_text(
        '{"format": 1, "id": "0123456789ab", "files": [{"dir": "facts", "name": "../victim.txt",'
        ' "sha256": "' + "0" * 64 + '"}]}'
    )
    (facts / ".money.csv.XXXXabcd.tmp").write_text("left by an earlier version")
    before = snapshot(*base)
    r = run("accept", "/dev/null", *where(base))
    r = run("facts", "check", *where(base))
    assert r.code == 2 and "not a journal of a change this program made" in r.err
    assert victim.read_text() == "keep me" and snapshot(*base) == before


def test_temporary_files_of_a_change_cut_short_are_removed(base, extracted):
    facts, raw = base
    (facts / ".events.csv.k3j4h5g6.tmp").write_text("left by an earlier version")
    (facts / ".money.csv.intake-0123456789ab").write_text("cut short before its journal")
    (raw / ".002_x.txt.intake-0123456789ab").write_text("cut short before its journal")
    (facts / ".notes.txt.k3j4h5g6.tmp").write_text("not the project's")
    r = run("facts", "check", *where(base))
    assert r.code == 0, r.err
    assert "removed 3 temporary file(s) of a change that was cut short" in r.err
    assert sorted(p.name for d in base for p in d.iterdir() if p.name.startswith(".")) == [
        ".notes.txt.k3j4h5g6.tmp"
    ]


def test_an_out_file_written_again_removes_what_a_killed_write_left(base, tmp_path):
    out = tmp_path / "c.csv"
    left = tmp_path / ".c.csv.k3j4h5g6.tmp"  # as a write killed before its rename leaves it
    left.write_text("half")
    other = tmp_path / ".d.csv.k3j4h5g6.tmp"
    other.write_text("another file's")
    assert run("extract", ARTICLE, "--out", out, *where(base)).code == 0
    assert out.is_file() and not left.exists() and other.exists()


def test_a_second_change_while_one_holds_the_lock_is_refused(base, extracted):
    cands, rows = extracted
    rows[_row(rows, "money", value="7100000")]["accept"] = "yes"
    write_csv(cands, rows)
    with store.locked(base[0]):
        r = run("accept", cands, *where(base))
    assert r.code == 2 and "being changed by another command" in r.err


def test_facts_check_finds_a_near_duplicate_accepted_twice(base, extracted, tmp_path):
    cands, rows = extracted
    i = _row(rows, "money", value="7100000")
    rows[i]["accept"] = "yes"
    rows.append(dict(rows[i]))
    write_csv(cands, rows)
    assert run("accept", cands, *where(base)).code == 0
    r = run("facts", "check", "--report", tmp_path / "none.html", *where(base))
    assert r.code == 0
    assert "M032 and M033: same money fact" in r.out
    assert "no published report at" in r.out


def test_facts_check_on_the_real_base_reports_without_failing():
    r = run("facts", "check")
    assert r.code == 0, r.err
    assert "M008 (money, price) and E028 (events, paid_tier_launched)" in r.out
    assert "contradictions not recorded in conflicts.csv: 0" in r.out


def test_facts_check_reads_the_fact_ids_the_report_shows(base, tmp_path):
    f = load_facts(*base)
    html = tmp_path / "r.html"
    ids = [i for t in FACT_TABLES for i in f.tables[t]["fact_id"]]
    cited = ", ".join(ids[1:])
    html.write_text(
        f'<html><body><p>x<sup class="cite">[{cited}]</sup></p>'
        f"<script>var a='{ids[0]}';</script>"
        f"<table><tr><td>Facts digest (SHA-256)</td><td>{f.digest}</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    r = run("facts", "check", "--report", html, *where(base))
    # one unused fact, found in the report named, which was rendered from this fact base
    (line,) = [ln for ln in r.out.splitlines() if "no chapter of the report uses" in ln]
    assert re.search(r"uses: 1\b", line) and str(html) in line and "current fact base" in line
    assert f"\n  {ids[0]}\n" in r.out  # an id inside a script is not shown to a reader


def test_every_command_has_help():
    for args, needles in (
        (("sources", "add"), ("--published-between", "--headline", "exit")),
        (("extract",), ("--out", "--published", "offsets")),
        (("accept",), ("accept=yes", "row N")),
        (("facts", "check"), ("--report", "--candidates", "--out")),
    ):
        r = run(*args, "--help")
        assert r.code == 0
        for n in needles:
            assert n in r.out, (args, n)


def test_bad_directories_are_usage_errors(tmp_path):
    r = run("facts", "check", "--facts", tmp_path / "nope")
    assert r.code == 2 and "does not exist" in r.err


def test_the_next_command_suggested_reads_the_same_fact_base(base, tmp_path):
    """Worked on a copy (--facts, --raw), each step suggests the next one on that copy, never
    on data/ (which the options' defaults would read)."""
    facts, raw = base
    # an option left to its default is not named: the next command reads the same default
    other = ARTICLE.with_name("cloudbills-fictitious.txt")
    r = run("extract", other, "--facts", facts)
    assert r.code == 0, r.err
    assert r.err.rstrip().endswith(f"sources add {other} --facts {facts}")
    r = run("sources", "add", ARTICLE, *where(base))
    assert r.code == 0, r.err
    added = read_csv(facts / "sources.csv")[-1]
    assert f"--out candidates.csv --facts {facts} --raw {raw}" in r.err
    cands = tmp_path / "c.csv"
    r = run("extract", raw / added["file"], "--out", cands, *where(base))
    assert r.code == 0, r.err
    rows = read_csv(cands)
    next(x for x in rows if x["kind"] == "money" and x["value"] == "6000000")["accept"] = "yes"
    write_csv(cands, rows)
    r = run("accept", cands, *where(base))
    assert r.code == 0, r.err
    assert r.err.rstrip().endswith(
        f"next: python -m stability_report facts check --facts {facts} --raw {raw}"
    )
