"""Undoing and correcting the intake (stability_report/tools/intake/revise.py, replace.py,
records.py and the rewriting side of store.commit): `sources remove`, `reject` and `sources
replace` on a copy of the fact base, with short fictitious articles
(tests/fixtures/articles/revise-*.txt) taken in through `sources add` and `accept` of candidates
written by hand.

The tests of the same that need a whole run are in tests/integration/test_revise.py.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from intake_support import copy_base, read_csv, run, snapshot

from stability_report.facts.load import load_facts
from stability_report.tools.intake.anchor import anchor
from stability_report.tools.intake.records import TableFile

ARTICLES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"


LEDGER = ARTICLES / "revise-ledger.txt"


ECHO = ARTICLES / "revise-echo.txt"


BILL = (
    "Stability AI owed its cloud provider about $3.2 million in April 2024, according to the "
    "invented ledger this account describes."
)


WAGES = "The company spent $5.5 million on wages in March 2024, the same ledger shows."


LATER = "A later page of the same invented ledger puts the April cloud bill at $2.9 million."


VALE = "Morgan Vale, the company's head of invented partnerships, left the company in April 2024."


ECHOED = (
    "Stability AI owed its cloud provider about $3.2 million in April 2024, the first invented "
    "outlet reported on Friday."
)


OWN = "Its own invented sources put the April cloud bill at $3.4 million."


COLUMNS = (
    "accept,table,source_id,quote,metric,value,unit,bound,date_start,date_end,precision,status,"
    "person,role_as_written,function,seniority,affiliation,outcome,sd_author,name_as_written,"
    "restates,original_reporter,topic,kind,fact_id_a,quote_a,reading_a,fact_id_b,quote_b,"
    "reading_b,analysis_uses,rationale"
).split(",")


APRIL = {"date_start": "2024-04-01", "date_end": "2024-04-30", "precision": "month"}


def write_candidates(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({"accept": "yes", **r})
    return path


def ledger_rows(sid: str) -> list[dict]:
    """Two amounts of the April bill that conflict, the wages, and a new person's departure."""
    money = {"table": "money", "source_id": sid, "status": "reported", "unit": "USD"}
    return [
        {**money, **APRIL, "quote": BILL, "metric": "unpaid_bill", "value": "3200000",
         "bound": "approx"},
        {**money, "quote": WAGES, "metric": "salaries_opex", "value": "5500000", "bound": "exact",
         "date_start": "2024-03-01", "date_end": "2024-03-31", "precision": "month"},
        {**money, **APRIL, "quote": LATER, "metric": "unpaid_bill", "value": "2900000",
         "bound": "exact"},
        {"table": "personnel", "source_id": sid, "quote": VALE, "person": "Morgan Vale",
         "role_as_written": "head of invented partnerships", "function": "operations",
         "seniority": "head", "status": "departed", "affiliation": "staff",
         "outcome": "departed", "sd_author": "no", **APRIL},
        {"table": "person_names", "source_id": sid, "quote": VALE, "person": "Morgan Vale",
         "name_as_written": "Morgan Vale"},
        {"table": "conflicts", "topic": "The April cloud bill within the invented ledger",
         "kind": "amount", "fact_id_a": "row 1", "quote_a": BILL, "reading_a": "about $3.2M",
         "fact_id_b": "row 3", "quote_b": LATER, "reading_b": "$2.9M", "analysis_uses": "a",
         "rationale": "The first figure is the one the invented ledger gives in full."},
    ]  # fmt: skip


def dirs(base: dict) -> tuple[str, Path, str, Path]:
    return ("--facts", base["facts"], "--raw", base["raw"])


def add(base: dict, article: Path, *extra: str) -> str:
    r = run("sources", "add", article, *extra, *dirs(base))
    assert r.code == 0, r.err
    return read_csv(base["facts"] / "sources.csv")[-1]["source_id"]


def accept(base: dict, rows: list[dict], name: str) -> dict[str, str]:
    """Accept the rows; returns the new fact id of each candidate's quote (by table)."""
    before = {t: ids(base, t) for t in ("money", "personnel", "person_names", "conflicts")}
    r = run("accept", write_candidates(base["tmp"] / name, rows), *dirs(base))
    assert r.code == 0, r.err
    return {t: sorted(ids(base, t) - before[t]) for t in before}


def ids(base: dict, table: str) -> set[str]:
    col = "conflict_id" if table == "conflicts" else "fact_id"
    return {r[col] for r in read_csv(base["facts"] / f"{table}.csv")}


def row_of(base: dict, table: str, fact_id: str) -> dict | None:
    return next(
        (r for r in read_csv(base["facts"] / f"{table}.csv") if r["fact_id"] == fact_id), None
    )


@pytest.fixture
def base(tmp_path: Path) -> dict:
    """A copy of the fact base, its bytes before anything was added, and the ledger article
    registered and accepted."""
    facts, raw = copy_base(tmp_path)
    b = {"facts": facts, "raw": raw, "tmp": tmp_path, "pristine": snapshot(facts, raw)}
    b["ledger"] = add(b, LEDGER, "--outlet", "The Invented Ledger", "--author", "A. Nobody",
                      "--url", "https://example.invalid/ledger")  # fmt: skip
    b["accepted"] = accept(b, ledger_rows(b["ledger"]), "ledger.csv")
    b["bill"], b["wages"], b["later"] = b["accepted"]["money"]
    return b


def test_remove_restores_every_byte(base):
    assert base["accepted"]["conflicts"] and base["accepted"]["personnel"]
    src = read_csv(base["facts"] / "sources.csv")[-1]
    assert (src["outlet"], src["author"], src["url"]) == (
        "The Invented Ledger",
        "A. Nobody",
        "https://example.invalid/ledger",
    )
    persons = {r["person_id"] for r in read_csv(base["facts"] / "persons.csv")}
    r = run("sources", "remove", base["ledger"], *dirs(base))
    assert r.code == 0, r.err
    assert snapshot(base["facts"], base["raw"]) == base["pristine"]
    for fid in (base["bill"], base["wages"], base["later"], base["ledger"],
                *base["accepted"]["conflicts"], *base["accepted"]["personnel"]):  # fmt: skip
        assert fid in r.err
    new_person = persons - {r["person_id"] for r in read_csv(base["facts"] / "persons.csv")}
    assert len(new_person) == 1 and new_person.pop() in r.err


def test_reject_refuses_an_unknown_id_and_writes_nothing(base):
    before = snapshot(base["facts"], base["raw"])
    for bad in (["M9999"], [base["bill"], "C9999"], [f"{base['bill']}@S000"], ["S000"]):
        r = run("reject", *bad, *dirs(base))
        assert r.code == 2, r.err
        assert bad[-1].split("@")[0] in r.err
    assert snapshot(base["facts"], base["raw"]) == before
    assert run("sources", "remove", "S0999", *dirs(base)).code == 2
    assert snapshot(base["facts"], base["raw"]) == before


def test_fact_with_further_reference_survives_removal_of_its_source(base):
    """The bill, restated by a second outlet that also disagrees with it (a conflict citing the
    bill and the second outlet's own figure), outlives the ledger with its id."""
    echo = add(base, ECHO)
    money = {"table": "money", "source_id": echo, "unit": "USD", "status": "reported", **APRIL}
    new = accept(base, [
        {**money, "quote": ECHOED, "restates": base["bill"],
         "original_reporter": "The Invented Ledger"},
        {**money, "quote": OWN, "metric": "unpaid_bill", "value": "3400000", "bound": "exact"},
        {"table": "conflicts", "topic": "The April cloud bill across the invented outlets",
         "kind": "amount", "fact_id_a": base["bill"], "quote_a": BILL,
         "reading_a": "about $3.2M", "fact_id_b": "row 2", "quote_b": OWN, "reading_b": "$3.4M",
         "analysis_uses": "both", "rationale": "Neither invented outlet explains the other."},
    ], "echo.csv")  # fmt: skip
    (own,), (conflict,) = new["money"], new["conflicts"]
    r = run("sources", "remove", base["ledger"], *dirs(base))
    assert r.code == 0, r.err
    kept = row_of(base, "money", base["bill"])
    assert kept is not None and base["bill"] in r.err
    assert (kept["source_id"], kept["quote"], kept["original_reporter"]) == (
        echo,
        ECHOED,
        "The Invented Ledger",
    )
    assert (kept["value"], kept["metric"]) == ("3200000", "unpaid_bill")
    assert read_csv(base["facts"] / "references.csv") == []
    assert row_of(base, "money", base["wages"]) is None
    assert base["accepted"]["conflicts"][0] not in ids(base, "conflicts")
    c = next(x for x in read_csv(base["facts"] / "conflicts.csv") if x["conflict_id"] == conflict)
    assert (c["fact_id_a"], c["quote_a"], c["fact_id_b"]) == (base["bill"], ECHOED, own)
    facts = load_facts(base["facts"], base["raw"])
    assert facts.sources_of(base["bill"]) == [echo]
    # Its last source gone, the statement goes too, and the fact base is as it was.
    assert run("sources", "remove", echo, *dirs(base)).code == 0
    assert snapshot(base["facts"], base["raw"]) == base["pristine"]


def test_replace_reanchors_a_corrected_quote(base):
    old_file = base["raw"] / read_csv(base["facts"] / "sources.csv")[-1]["file"]
    corrected = ARTICLES / "revise-ledger-corrected.txt"
    r = run("sources", "replace", base["ledger"], corrected, *dirs(base))
    assert r.code == 0, r.err
    new_bill = BILL.replace("this account describes", "this report describes")
    bill = row_of(base, "money", base["bill"])
    assert bill["quote"] == new_bill and bill["value"] == "3200000"
    (conflict,) = read_csv(base["facts"] / "conflicts.csv")[-1:]
    assert (conflict["fact_id_a"], conflict["quote_a"]) == (base["bill"], new_bill)
    assert row_of(base, "money", base["wages"])["quote"] == WAGES  # still verbatim: untouched
    assert f"re-anchored {base['bill']}" in r.err and repr(new_bill) in r.err
    src = read_csv(base["facts"] / "sources.csv")[-1]
    data = corrected.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    assert (src["source_id"], src["sha256"]) == (base["ledger"], digest)
    assert src["file"] == f"{base['ledger'][1:]}_{digest[:16]}.txt"
    assert (base["raw"] / src["file"]).read_bytes() == data and not old_file.exists()
    assert src["outlet"] == "The Invented Ledger"
    load_facts(base["facts"], base["raw"])


def test_replace_refuses_a_deleted_passage_and_writes_nothing(base):
    before = snapshot(base["facts"], base["raw"])
    r = run("sources", "replace", base["ledger"], ARTICLES / "revise-ledger-cut.txt", *dirs(base))
    assert r.code == 2
    assert base["wages"] in r.err and "money.csv, row" in r.err and "column 'quote'" in r.err
    assert base["bill"] not in r.err  # the other quotes still hold
    assert snapshot(base["facts"], base["raw"]) == before


def test_replace_refuses_a_passage_with_another_figure(base):
    """A corrected amount is another statement: the old quote is not re-anchored onto it."""
    before = snapshot(base["facts"], base["raw"])
    refigured = ARTICLES / "revise-ledger-refigured.txt"
    r = run("sources", "replace", base["ledger"], refigured, *dirs(base))
    assert r.code == 2
    assert base["wages"] in r.err and "(5.5 -> 5.8)" in r.err
    assert snapshot(base["facts"], base["raw"]) == before


def test_invalid_result_writes_nothing(base):
    """Failures found only by validating the result: a re-anchored quote that no longer holds
    the name its row spells, and a URL that is not one."""
    before = snapshot(base["facts"], base["raw"])
    respelled = ARTICLES / "revise-ledger-respelled.txt"
    r = run("sources", "replace", base["ledger"], respelled, *dirs(base))
    assert r.code == 2
    assert "person_names.csv" in r.err and "name_as_written" in r.err
    assert snapshot(base["facts"], base["raw"]) == before
    r = run("sources", "add", ECHO, "--url", "not a url", *dirs(base))
    assert r.code == 2 and "column 'url'" in r.err
    assert snapshot(base["facts"], base["raw"]) == before


def test_records_keep_every_other_byte():
    data = (
        b'\xef\xbb\xbffact_id,quote\r\nM001,plain\r\nM002,"two\r\nlines, ""quoted"""\r\n'
        b"\r\nM003,last"
    )
    t = TableFile(data)
    assert [r["fact_id"] for _, r in t.rows()] == ["M001", "M002", "M003"]
    assert t.rows()[1][1]["quote"] == 'two\r\nlines, "quoted"'
    assert t.to_bytes() == data
    t.drop({2})
    assert t.to_bytes() == data.replace(b'M002,"two\r\nlines, ""quoted"""\r\n', b"")
    t = TableFile(data)
    t.set(1, {"fact_id": "M001", "quote": "a, b"})
    assert t.to_bytes() == data.replace(b"M001,plain\r\n", b'M001,"a, b"\r\n')


def test_anchor_finds_one_close_passage_or_none():
    text = "First, the firm spent $5 million. Later the firm spent $9 million on chips."
    a = anchor("Later the firm spend $9 million on chips.", text)
    assert a.passage == "Later the firm spent $9 million on chips." and a.ratio >= 0.9
    assert anchor("Nothing like this sentence is in the text.", text).passage is None
    twice = "The firm spent $5 million on chips. The firm spent $5 million on chips!"
    a = anchor("The firm spent $5 million on chip.", twice)
    assert a.passage is None and a.passages == 2


def test_a_failed_deletion_is_completed_by_the_next_intake_command(base, monkeypatch):
    """The article is deleted through the change's journal, after the tables are in place; when
    that fails (here a refusal from the file system, simulated), the command exits 1 saying the
    change is journaled, and the next intake command completes it: the article goes."""
    article = base["raw"] / read_csv(base["facts"] / "sources.csv")[-1]["file"]
    unlink = Path.unlink

    def refuse(self, *args, **kwargs):
        if self == article:
            raise PermissionError(13, "Permission denied", str(self))
        return unlink(self, *args, **kwargs)

    monkeypatch.setattr(Path, "unlink", refuse)
    r = run("sources", "remove", base["ledger"], *dirs(base))
    assert r.code == 1, r.err
    assert "journaled" in r.err and article.name in r.err
    monkeypatch.setattr(Path, "unlink", unlink)
    r = run("facts", "check", *dirs(base))
    assert r.code == 0, r.err
    assert not article.exists()
    assert base["ledger"] not in {x["source_id"] for x in read_csv(base["facts"] / "sources.csv")}


def test_outlet_needs_its_column(tmp_path):
    """A sources.csv written before the outlet, author and url columns keeps working, and an
    --outlet it has no column for is refused rather than dropped."""
    facts, raw = copy_base(tmp_path)
    rows = read_csv(facts / "sources.csv")
    old = [c for c in rows[0] if c not in ("outlet", "author", "url")]
    with (facts / "sources.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=old, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    before = snapshot(facts, raw)
    r = run("sources", "add", ECHO, "--outlet", "Somewhere", "--facts", facts, "--raw", raw)
    assert r.code == 2 and "'outlet'" in r.err
    assert snapshot(facts, raw) == before
    assert run("sources", "add", ECHO, "--facts", facts, "--raw", raw).code == 0
