"""Undoing and correcting the intake (stability_report/tools/intake/revise.py, records.py and the
rewriting side of store.commit): the tests that need a whole run (the report rendered, a kernel, a
browser or the command line in a subprocess); the others, and what they cover, are in
tests/unit/test_revise.py.
"""

from __future__ import annotations

from pathlib import Path

from intake_support import copy_base, read_csv, run, snapshot, third_article_base
from unit import test_revise as unit_tests
from unit.test_revise import (
    ECHO,
    ECHOED,
    accept,
    add,
    dirs,
    ids,
    row_of,
)

# the unit tests' fixtures, shared
base = unit_tests.base


def test_remove_after_extract_and_review_restores_every_byte(tmp_path):
    """The worked example (tests/intake_support.py: the ledger article extracted, reviewed and
    accepted, with a new person) taken back by one command."""
    pristine = snapshot(*copy_base(tmp_path / "pristine"))
    b = third_article_base(tmp_path / "b")
    assert snapshot(b["facts"], b["raw"]) != pristine
    r = run("sources", "remove", b["source_id"], "--facts", b["facts"], "--raw", b["raw"])
    assert r.code == 0, r.err
    after = snapshot(b["facts"], b["raw"])
    assert relative(after, tmp_path / "b") == relative(pristine, tmp_path / "pristine")


def relative(snap: dict[str, bytes], root: Path) -> dict[str, bytes]:
    return {str(Path(k).relative_to(root)): v for k, v in snap.items()}


def test_reject_a_fact_a_conflict_and_a_reference(base):
    # A conflict alone.
    (conflict,) = base["accepted"]["conflicts"]
    r = run("reject", conflict, *dirs(base))
    assert r.code == 0, r.err
    assert conflict not in ids(base, "conflicts") and base["later"] in ids(base, "money")
    # A fact with the person only it and its name reading name.
    (departure,) = base["accepted"]["personnel"]
    (name,) = base["accepted"]["person_names"]
    person = row_of(base, "personnel", departure)["person_id"]
    assert run("reject", departure, *dirs(base)).code == 0
    assert person in {r["person_id"] for r in read_csv(base["facts"] / "persons.csv")}
    r = run("reject", name, *dirs(base))
    assert r.code == 0 and person in r.err
    assert person not in {r["person_id"] for r in read_csv(base["facts"] / "persons.csv")}
    # A further reference: the second outlet's restatement of the bill, then taken back.
    echo = add(base, ECHO)
    before = snapshot(base["facts"], base["raw"])
    accept(base, [{"table": "money", "source_id": echo, "quote": ECHOED,
                   "restates": base["bill"], "original_reporter": "The Invented Ledger"}],
           "echo.csv")  # fmt: skip
    refs = read_csv(base["facts"] / "references.csv")
    assert [(x["fact_id"], x["source_id"]) for x in refs] == [(base["bill"], echo)]
    r = run("reject", f"{base['bill']}@{echo}", *dirs(base))
    assert r.code == 0, r.err
    assert snapshot(base["facts"], base["raw"]) == before
    # The rest of what the ledger's accept added, and the facts whose conflict went first.
    r = run("reject", base["bill"], base["wages"], base["later"], *dirs(base))
    assert r.code == 0, r.err
    assert run("sources", "remove", echo, *dirs(base)).code == 0
    assert run("sources", "remove", base["ledger"], *dirs(base)).code == 0
    assert snapshot(base["facts"], base["raw"]) == base["pristine"]
