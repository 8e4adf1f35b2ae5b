"""Adding an article: the tests that need a whole run (the report rendered, a kernel, a browser or
the command line in a subprocess); the others, and what they cover, are in
tests/unit/test_intake.py.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from intake_support import ARTICLE, copy_base, read_csv, run, snapshot, write_csv
from unit import test_intake as unit_tests
from unit.test_intake import _three_tables, where

from stability_report.errors import FactsError
from stability_report.facts.load import load_facts
from stability_report.facts.schema import FACT_TABLES

# the unit tests' fixtures, shared
base = unit_tests.base


def test_worked_example_adds_the_source_and_its_facts(third_article):
    f = load_facts(third_article["facts"], third_article["raw"])
    sid = third_article["source_id"]
    assert sid == "S002"
    assert list(f.sources["source_id"]) == ["S000", "S001", "S002"]
    money = f.money[f.money["source_id"] == sid].set_index("fact_id")
    assert list(money.index) == ["M032", "M033"]  # after M031, the highest before
    assert money.loc["M032", "metric"] == "cash" and money.loc["M032", "value"] == 6_000_000
    assert money.loc["M032", "bound"] == "approx"
    assert money.loc["M033", "unit"] == "USD_per_month"
    assert str(money.loc["M033", "date_start"].date()) == "2024-03-01"
    people = f.personnel[f.personnel["source_id"] == sid].set_index("person_id")
    assert set(people.index) == {"P001", "P025"}  # Mostaque (known) and a new person
    assert people.loc["P025", "status"] == "departed"
    assert str(people.loc["P025", "date_start"].date()) == "2024-03-01"  # 'last month'
    assert "last month" in people.loc["P025", "inference_note"]
    persons = f.persons.set_index("person_id")
    assert persons.loc["P025", "canonical_name"] == "Dana Whitlock"
    names = f.person_names[f.person_names["source_id"] == sid]
    assert list(names["name_as_written"]) == ["Dana Whitlock"]
    for t in FACT_TABLES:  # every new quote is verbatim in the new article
        new = f.tables[t][f.tables[t]["source_id"] == sid]
        assert all(q in f.texts[sid] for q in new["quote"])
    assert "accepted 2 money (M032, M033)" in third_article["accept_message"]


def test_worked_example_leaves_every_existing_row_unchanged(third_article):
    from stability_report import config

    for name in ("sources", "persons", "person_names", "personnel", "money", "events", "conflicts"):
        old = (config.FACTS / f"{name}.csv").read_bytes()
        assert (third_article["facts"] / f"{name}.csv").read_bytes().startswith(old), name


def test_facts_check_flags_the_contradiction_with_a_suggested_conflicts_row(
    third_article, tmp_path
):
    w = ("--facts", third_article["facts"], "--raw", third_article["raw"])
    out = tmp_path / "suggested.csv"
    r = run("facts", "check", "--out", out, *w)
    assert r.code == 0, r.err
    assert re.search(r"contradictions not recorded in conflicts.csv: 1\b", r.out)
    line = next(x for x in r.out.splitlines() if x.startswith("  M014 and M032: cash:"))
    assert "about $6M" in line and "less than $4M" in line and "Oct 2023" in line
    rows = read_csv(out)
    # the one conflict, then a references row for each repeat the fact base already holds
    assert [x["table"] for x in rows].count("conflicts") == 1
    assert {x["table"] for x in rows[1:]} <= {"references"}
    s = rows[0]
    assert (s["table"], s["kind"], s["fact_id_a"], s["fact_id_b"]) == (
        "conflicts",
        "amount",
        "M014",
        "M032",
    )
    f = load_facts(third_article["facts"], third_article["raw"])
    assert s["quote_b"] == f.quote("M032")
    # incomplete as suggested: accept names what the reviewer must fill in
    s["accept"] = "yes"
    write_csv(out, rows)
    before = snapshot(third_article["facts"])
    r = run("accept", out, *w)
    assert r.code == 2
    assert "column 'rationale': expected a value" in r.err and f"{out}, row 1" in r.err
    assert snapshot(third_article["facts"]) == before


def test_accepting_the_suggested_conflict_records_it(tmp_path):
    from intake_support import third_article_base

    made = third_article_base(tmp_path / "base")
    w = ("--facts", made["facts"], "--raw", made["raw"])
    out = tmp_path / "suggested.csv"
    assert run("facts", "check", "--out", out, *w).code == 0
    rows = read_csv(out)
    rows[0].update(
        accept="yes", analysis_uses="a", rationale="The internal memo is the company's own figure."
    )
    write_csv(out, rows)
    r = run("accept", out, *w)
    assert r.code == 0, r.err
    c = load_facts(made["facts"], made["raw"]).conflicts
    assert list(c.iloc[-1][["conflict_id", "fact_id_a", "fact_id_b"]]) == ["C030", "M014", "M032"]
    r = run("facts", "check", *w)
    assert "contradictions not recorded in conflicts.csv: 0" in r.out


# A change run in a process of its own that kills itself (SIGKILL) just before the n-th of its
# writes, renames and removals: what a machine crash or kill -9 does there.
_KILLER = """
import os, signal, sys
from stability_report.tools.intake import journal
n = [0]
def stepped(fn):
    def step(*a, **k):
        n[0] += 1
        if n[0] == int(os.environ["KILL_AT"]):
            os.kill(os.getpid(), signal.SIGKILL)
        return fn(*a, **k)
    return step
journal.write_new = stepped(journal.write_new)
journal.os.replace = stepped(journal.os.replace)
journal.fsync_dir = stepped(journal.fsync_dir)
from stability_report.cli import main
code = main(sys.argv[1:])
print("steps", n[0])
sys.exit(code)
"""


def _killed(kill_at: int, *args) -> subprocess.CompletedProcess:
    from pipeline_support import ROOT, cli_env

    return subprocess.run(
        [sys.executable, "-c", _KILLER, *[str(a) for a in args]],
        cwd=ROOT,
        env=cli_env(KILL_AT=str(kill_at)),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("command", ["accept", "sources add"])
def test_a_change_killed_at_any_step_is_all_or_nothing_and_a_retry_adds_it_once(tmp_path, command):
    """accept of rows for three tables (money, personnel, events) and sources add (an article
    and its sources row), killed at each write, rename and sync: the fact base never loads with
    part of the change; the next command completes it or finds nothing of it; the same command
    run again leaves every table with each row once; no temporary file stays."""
    setup = copy_base(tmp_path / "setup")
    cands = tmp_path / "c.csv"
    if command == "accept":
        assert run("sources", "add", ARTICLE, *where(setup)).code == 0
        assert run("extract", ARTICLE, "--out", cands, *where(setup)).code == 0
        write_csv(cands, _three_tables(read_csv(cands)))
        args = ("accept", cands)
    else:
        args = ("sources", "add", ARTICLE)
    template = snapshot(*setup)
    full = tmp_path / "full"
    shutil.copytree(setup[0].parent, full)
    done = _killed(0, *args, *where((full / "facts", full / "raw")))
    assert done.returncode == 0, done.stderr
    steps = int(done.stdout.split()[-1])
    after = snapshot(full / "facts", full / "raw")
    assert steps >= 4

    def rel(snap: dict, root: Path) -> dict:
        return {str(Path(k).relative_to(root)): v for k, v in snap.items()}

    old, new = rel(template, setup[0].parent), rel(after, full)
    for kill_at in range(1, steps + 1):
        here = tmp_path / f"kill-{kill_at}"
        shutil.copytree(setup[0].parent, here)
        facts, raw = here / "facts", here / "raw"
        r = _killed(kill_at, *args, *where((facts, raw)))
        assert r.returncode == -signal.SIGKILL, (kill_at, r.stderr)
        journal = (facts / ".intake-journal.json").exists()
        if journal:  # a run now would read half of the change: the loader refuses
            with pytest.raises(FactsError, match="a change that is under way or was cut short"):
                load_facts(facts, raw)
        done = journal or rel(snapshot(facts, raw), here) == new
        again = run(*args, *where((facts, raw)))
        if command == "sources add" and done:
            assert again.code == 2 and "already registered" in again.err, again.err
        else:
            assert again.code == 0, (kill_at, again.err)
        assert rel(snapshot(facts, raw), here) == new, kill_at
        assert not [p for d in (facts, raw) for p in d.iterdir() if p.name.startswith(".")]
        load_facts(facts, raw)
    assert old != new
