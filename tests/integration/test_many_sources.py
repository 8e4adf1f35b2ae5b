"""The report with several sources: the tests that need a whole run (the report rendered, a kernel,
a browser or the command line in a subprocess); the others, and what they cover, are in
tests/unit/test_many_sources.py.
"""

from __future__ import annotations

import json

import pipeline_support as support
import pytest
from readings_support import KINDS, misused
from unit import test_many_sources as unit_tests

from stability_report.analysis.readings import rejected_readings
from stability_report.facts.load import load_facts

# the unit tests' fixtures, shared
facts = unit_tests.facts


def test_no_rejected_reading_carries_a_claim_in_the_report_the_brief_or_the_results():
    rendered = support.published()
    conflicts = load_facts().conflicts
    assert misused(rendered.html, conflicts) == []
    brief = rendered.run_file("brief.html").read_text(encoding="utf-8")
    assert misused(brief, conflicts) == []
    results = json.loads(rendered.run_file("results.json").read_text(encoding="utf-8"))
    # a rejected name or title leaves the rest of its fact standing (a departure counts, under
    # the title the analysis uses); a rejected amount, date or claim rejects the fact
    rejected = set(rejected_readings(conflicts, KINDS))
    for key, number in results["key_numbers"].items():
        assert not rejected & set(number["fact_ids"]), key


MANY = support.ROOT / "tests" / "fixtures" / "articles" / "many"


OUTLETS = {
    "1-restates-forbes.txt": "The Cloud Ledger (fictitious)",
    "2-restates-bloomberg.txt": "The Morning Courier (fictitious)",
    "3-update-and-bound.txt": "Channel Nine Business (fictitious)",
    "4-weekday.txt": "Northgate News (fictitious)",
    "5-corrected-v1.txt": "Wirefeed (fictitious)",
    "6-other-creditor-and-total.txt": "The Evening Ledger (fictitious)",
}


def _money(rows: list[dict], value: str) -> dict:
    return next(r for r in rows if r["kind"] == "money" and r["value"] == value)


def _review(name: str, rows: list[dict]) -> list[dict]:
    """What a reviewer keeps of each article, and what they complete: restatements accepted as
    references (extract proposes them), new statements accepted as rows."""
    if name.startswith("1-"):
        for value in ("99000000", "1000000", "7000000"):
            _money(rows, value)["accept"] = "yes"
    elif name.startswith("2-"):
        _money(rows, "8000000")["accept"] = "yes"
        layoff = next(r for r in rows if r["kind"] == "date" and "laid off" in r["quote"])
        layoff.update(
            accept="yes",
            table="events",
            category="workforce",
            event="layoffs",
            value="20",
            unit="count",
            bound="exact",
            status="reported",
        )
    elif name.startswith("3-"):
        for value in ("4000000", "6200000"):
            _money(rows, value)["accept"] = "yes"
    elif name.startswith("4-"):
        left = next(r for r in rows if r["kind"] == "departure" and r["person"] == "P001")
        left.update(accept="yes", function="executive", seniority="c_suite")
    elif name.startswith("5-"):
        _money(rows, "500000").update(accept="yes", counterparty="Nimbus Compute")
    elif name.startswith("6-"):
        _money(rows, "300000").update(accept="yes", counterparty="Skyrack")
    return rows


@pytest.fixture(scope="module")
def six(tmp_path_factory) -> dict:
    from intake_support import copy_base, read_csv, run, snapshot, write_csv

    d = tmp_path_factory.mktemp("six")
    facts, raw = copy_base(d)
    where = ("--facts", facts, "--raw", raw)
    before = snapshot(facts, raw)
    candidates: dict[str, list[dict]] = {}
    sources: dict[str, str] = {}
    for name, outlet in OUTLETS.items():
        r = run("sources", "add", MANY / name, "--outlet", outlet, *where)
        assert r.code == 0, r.err
        added = read_csv(facts / "sources.csv")[-1]
        sources[name] = added["source_id"]
        out = d / f"{added['source_id']}.csv"
        r = run("extract", raw / added["file"], "--out", out, *where)
        assert r.code == 0, r.err
        rows = read_csv(out)
        candidates[name] = [dict(x) for x in rows]
        write_csv(out, _review(name, rows))
        r = run("accept", out, *where)
        assert r.code == 0, (name, r.err)
    check = run("facts", "check", "--out", d / "suggested.csv", *where)
    assert check.code == 0, check.err
    suggested = read_csv(d / "suggested.csv")
    conflicts = [x for x in suggested if x["table"] == "conflicts"]
    for x in conflicts:
        x.update(accept="yes", analysis_uses="a", rationale="The memo is the company's own figure.")
    write_csv(d / "conflicts.csv", conflicts)
    r = run("accept", d / "conflicts.csv", *where)
    assert r.code == 0, r.err
    replaced = run(
        "sources", "replace", sources["5-corrected-v1.txt"], MANY / "5-corrected-v2.txt", *where
    )
    out = d / "out"
    result = support.run_cli(
        "run",
        "--output",
        str(out),
        "--facts",
        str(facts),
        "--raw",
        str(raw),
        "--as-of",
        support.AS_OF,
        "--force",
    )
    return {
        "dir": d,
        "facts": facts,
        "raw": raw,
        "where": where,
        "before": before,
        "candidates": candidates,
        "sources": sources,
        "check": check.out,
        "suggested_conflicts": conflicts,
        "replaced": replaced,
        "render": result,
        "out": out,
    }


def test_extract_marks_each_restatement_and_each_real_contradiction(six):
    c = six["candidates"]
    forbes = c["1-restates-forbes.txt"]
    assert [_money(forbes, v)["restates"] for v in ("99000000", "1000000", "7000000")] == [
        "M015",
        "M016",
        "M017",
    ]
    assert {_money(forbes, v)["original_reporter"] for v in ("99000000", "7000000")} == {"Forbes"}
    bloomberg = _money(c["2-restates-bloomberg.txt"], "8000000")
    assert bloomberg["restates"] == "M003" and bloomberg["original_reporter"] == "Bloomberg"
    assert _money(c["3-update-and-bound.txt"], "4000000")["conflicts_with"] == "M014"
    assert _money(c["3-update-and-bound.txt"], "6200000")["conflicts_with"] == ""
    # a total of two bills beside its parts, and a bill to another creditor: no conflict
    other = c["6-other-creditor-and-total.txt"]
    assert _money(other, "8000000")["conflicts_with"] == ""
    assert _money(other, "300000")["conflicts_with"] == ""
    # "late Friday" in an article of Saturday 23 March 2024
    left = next(r for r in c["4-weekday.txt"] if r["kind"] == "departure")
    assert (left["date_start"], left["date_end"]) == ("2024-03-22", "2024-03-22")


def test_the_conflict_register_gains_exactly_the_real_disagreement(six):
    conflicts = six["suggested_conflicts"]
    bound = six["sources"]["3-update-and-bound.txt"]
    assert [(x["fact_id_a"], x["kind"]) for x in conflicts] == [("M014", "amount")]
    f = load_facts(six["facts"], six["raw"])
    new = f.conflicts.iloc[-1]
    assert new["fact_id_a"] == "M014"
    assert f.money.set_index("fact_id").loc[new["fact_id_b"], "source_id"] == bound
    assert len(f.conflicts) == len(load_facts().conflicts) + 1


def test_restatements_are_references_and_nothing_is_counted_twice(six):
    f = load_facts(six["facts"], six["raw"])
    base = load_facts()
    refs = f.references
    assert sorted(refs["fact_id"]) == ["M003", "M015", "M016", "M017"]
    assert set(refs.loc[refs["fact_id"] == "M003", "original_reporter"]) == {"Bloomberg"}
    assert len(f.money) == len(base.money) + 4  # cash, revenue, Nimbus and Skyrack bills
    assert f.sources_of("M016") == ["S001", six["sources"]["1-restates-forbes.txt"]]
    assert six["render"].returncode == 0, six["render"].stderr[-3000:]
    results = json.loads((six["out"] / "results.json").read_text(encoding="utf-8"))
    published = json.loads(support.published().run_file("results.json").read_text("utf-8"))
    arrears = "scenario_with_funding_arrears_paid"
    assert (
        results["key_numbers"][arrears]["fact_ids"] == published["key_numbers"][arrears]["fact_ids"]
    )
    assert results["key_numbers"][arrears]["text"] == published["key_numbers"][arrears]["text"]
    assert results["counts"]["references"] == 4
    assert [r["source_id"] for r in results["facts"]["M015"]["references"]] == [
        six["sources"]["1-restates-forbes.txt"]
    ]


def test_the_report_renders_with_eight_sources_and_cites_every_source_of_a_statement(six):
    assert six["render"].returncode == 0, six["render"].stderr[-3000:]
    html = (six["out"] / "report.html").read_text(encoding="utf-8")
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    entry = soup.find(id="fact-M015")
    sid = six["sources"]["1-restates-forbes.txt"]
    assert f"Also reported by {sid}" in " ".join(entry.get_text(" ").split())
    assert "The Cloud Ledger (fictitious)" in html
    f = load_facts(six["facts"], six["raw"])
    assert misused(html, f.conflicts) == []
    from pypdf import PdfReader

    # the brief names eight sources and still fits one page
    assert len(PdfReader(six["out"] / "latest" / "brief.pdf").pages) == 1


def test_a_corrected_article_replaces_its_source_and_keeps_its_facts(six):
    assert six["replaced"].code == 0, six["replaced"].err
    f = load_facts(six["facts"], six["raw"])
    sid = six["sources"]["5-corrected-v1.txt"]
    row = f.money[f.money["source_id"] == sid].iloc[0]
    assert "Nimbus Compute Cloud" in row["quote"] and row["value"] == 500000


def test_removing_the_articles_again_restores_the_fact_base_byte_for_byte(six):
    from intake_support import run, snapshot

    for sid in reversed(list(six["sources"].values())):
        r = run("sources", "remove", sid, *six["where"])
        assert r.code == 0, (sid, r.err)
    # the conflict accepted for the bound went with its source's fact
    after = snapshot(six["facts"], six["raw"])
    assert after == six["before"]
