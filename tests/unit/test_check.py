"""`facts check` and the matches `extract` proposes, judged by intake.relations: a fictitious
second article (tests/fixtures/articles/cloudbills-fictitious.txt) that restates figures of the
fact base, contradicts two of them, and lists a total beside its parts, registered on a copy of
the real fact base; and the real fact base itself."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from intake_support import copy_base, read_csv, run, write_csv

from stability_report.facts.load import load_facts
from stability_report.tools.intake import check as fc
from stability_report.tools.intake.judged import NEARBY

ARTICLE = (
    Path(__file__).resolve().parents[1] / "fixtures" / "articles" / "cloudbills-fictitious.txt"
)


def where(base) -> tuple:
    return ("--facts", base[0], "--raw", base[1])


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The article registered on a copy of the fact base and extracted: (base, csv, rows)."""
    d = tmp_path_factory.mktemp("second")
    base = copy_base(d)
    assert run("sources", "add", ARTICLE, *where(base)).code == 0
    raw = base[1] / read_csv(base[0] / "sources.csv")[-1]["file"]
    out = d / "candidates.csv"
    r = run("extract", raw, "--out", out, *where(base))
    assert r.code == 0, r.err
    return base, out, read_csv(out)


def money(rows, value: str, metric: str = "") -> tuple[int, dict]:
    return next(
        (i, r)
        for i, r in enumerate(rows, 1)
        if r["kind"] == "money" and r["value"] == value and r["metric"] in (metric or r["metric"])
    )


def departure(rows, person: str) -> tuple[int, dict]:
    return next(
        (i, r) for i, r in enumerate(rows, 1) if r["kind"] == "departure" and r["person"] == person
    )


# --------------------------------------------------------------------------------------------
# extract: restates and conflicts_with


def test_extract_marks_what_each_candidate_restates(extracted):
    _, _, rows = extracted
    expected = {
        ("99300000", "compute_costs"): "M015",  # $99.3M within rounding of "approximately $99M"
        ("600000", "unpaid_bill"): "M021",  # the CoreWeave bill, creditor read from the sentence
        ("1000000", "unpaid_bill"): "M016",  # the July AWS bill ("AWS": Amazon Web Services)
        ("8000000", "monthly_spend"): "M003",  # "Bloomberg previously reported ... $8M a month"
    }
    for (value, metric), fid in expected.items():
        _, r = money(rows, value, metric)
        assert r["restates"] == fid, (value, r["match_note"])
        assert f"{fid}: restates it" in r["match_note"]
    # a person's account and spelling are rows of their own in each source (per-source tables):
    # the statement they repeat is named in the match note, not made a reference
    dep = departure(rows, "P001")[1]
    assert dep["restates"] == "" and "R019: restates it" in dep["match_note"]
    name = next(r for r in rows if r["kind"] == "person" and r["person"] == "P001")
    assert name["restates"] == "" and "N003: restates it" in name["match_note"]


def test_extract_marks_real_contradictions_with_their_reason(extracted):
    _, _, rows = extracted
    _, cash = money(rows, "4000000")  # "just $4 million" against "less than $4 million"
    assert cash["conflicts_with"] == "M014" and cash["restates"] == ""
    assert re.search(r"M014: conflicts: .*not less than", cash["match_note"])
    _, left = departure(rows, "P012")  # May 2023 against November 2023; 2023 agrees
    assert left["conflicts_with"] == "R012" and "R036: restates it" in left["match_note"]


def test_extract_proposes_no_false_contradiction(extracted):
    """A total beside its parts, a bill to one creditor beside bills to others, and a spelling
    conflict already recorded give no conflicts_with."""
    _, _, rows = extracted
    flagged = {r["value"] or r["person"] for r in rows if r["conflicts_with"]}
    assert flagged == {"4000000", "P012"}
    _, total = money(rows, "1600000")  # Google Cloud and CoreWeave together
    assert total["restates"] == "" and "conflicts" not in total["match_note"]
    _, aws = money(rows, "8000000", "unpaid_bill")
    assert aws["conflicts_with"] == ""  # $8M to AWS: the July and August bills together
    assert re.search(r"M016: a total and a part of it: .*total of .*M016, M017", aws["match_note"])
    assert "M020: a total and a part of it" in total["match_note"]


# --------------------------------------------------------------------------------------------
# facts check --candidates, and the suggested rows accept takes


def test_check_candidates_suggests_exactly_the_real_conflicts(extracted, tmp_path):
    base, cands, rows = extracted
    out = tmp_path / "checked.csv"
    r = run("facts", "check", "--candidates", cands, "--out", out, *where(base))
    assert r.code == 0, r.err
    checked = read_csv(out)
    suggested = [x for x in checked if x["table"] == "conflicts"]
    cash, _ = money(rows, "4000000")
    left, _ = departure(rows, "P012")
    assert {(x["fact_id_a"], x["fact_id_b"], x["kind"]) for x in suggested} == {
        ("M014", f"row {cash}", "amount"),
        ("R012", f"row {left}", "date"),
    }
    # the candidates, then the suggested conflicts, then a references row for each repeat
    # across sources the fact base already holds
    repeats = fc.repeats(load_facts(base[0], base[1]))
    assert len(checked) == len(rows) + 2 + len(repeats)
    assert sum(x["table"] == "references" for x in checked) == len(repeats)


def test_suggested_conflicts_are_valid_for_accept(tmp_path):
    base = copy_base(tmp_path)
    assert run("sources", "add", ARTICLE, *where(base)).code == 0
    raw = base[1] / read_csv(base[0] / "sources.csv")[-1]["file"]
    cands, checked = tmp_path / "c.csv", tmp_path / "checked.csv"
    assert run("extract", raw, "--out", cands, *where(base)).code == 0
    assert run("facts", "check", "--candidates", cands, "--out", checked, *where(base)).code == 0
    rows = read_csv(checked)
    cash, _ = money(rows, "4000000")
    left, _ = departure(rows, "P012")
    rows[cash - 1]["accept"] = rows[left - 1]["accept"] = "yes"
    for x in rows:
        if x["table"] == "conflicts":
            x.update(accept="yes", analysis_uses="a", rationale="The earlier source is kept.")
    write_csv(checked, rows)
    r = run("accept", checked, *where(base))
    assert r.code == 0, r.err
    f = load_facts(*base)
    c = f.conflicts.iloc[-2:].set_index("fact_id_a")
    assert c.loc["M014", "kind"] == "amount" and c.loc["R012", "kind"] == "date"
    assert f.money.set_index("fact_id").loc[c.loc["M014", "fact_id_b"], "value"] == 4_000_000
    assert f.personnel.set_index("fact_id").loc[c.loc["R012", "fact_id_b"], "person_id"] == "P012"
    r = run("facts", "check", *where(base))
    assert "contradictions not recorded in conflicts.csv: 0" in r.out


# --------------------------------------------------------------------------------------------
# facts check on the fact base with the article accepted


@pytest.fixture(scope="module")
def accepted(extracted, tmp_path_factory):
    """Every money candidate and departure of the article accepted as a row of its own (what a
    reviewer did before references existed), an undated amount dated as the reviewer would,
    within 2023 and the publication day: the fact base's directories."""
    base, cands, rows = extracted
    d = tmp_path_factory.mktemp("accepted")
    import shutil

    facts, raw = d / "facts", d / "raw"
    shutil.copytree(base[0], facts)
    shutil.copytree(base[1], raw)
    rows = [dict(r) for r in rows]
    for r in rows:
        if r["kind"] == "money" and r["value"]:
            r.update(accept="yes", restates="")  # a statement of its own, not a reference
            if not r["date_start"]:
                r.update(date_start="2023-01-01", date_end="2024-04-09", precision="range")
        elif r["kind"] == "departure" and r["person"] in ("P001", "P012"):
            r.update(accept="yes", role_as_written=r["role_as_written"] or "chief executive")
            r.update(function=r["function"] or "executive", seniority=r["seniority"] or "c_suite")
    path = d / "c.csv"
    write_csv(path, rows)
    r = run("accept", path, *where((facts, raw)))
    assert r.code == 0, r.err
    return facts, raw


def test_check_flags_the_real_contradictions_and_no_false_ones(accepted):
    f = load_facts(*accepted)
    new = f.money[f.money["source_id"] == "S002"].set_index(["metric", "value"])["fact_id"]
    found = {x.ids for x in fc.contradictions(f)}
    left = f.personnel[(f.personnel["source_id"] == "S002") & (f.personnel["person_id"] == "P012")]
    assert found == {("M014", new["cash", 4_000_000]), ("R012", left["fact_id"].iloc[0])}


def test_check_flags_repeats_across_sources_with_a_references_row(accepted):
    f = load_facts(*accepted)
    new = f.money[f.money["source_id"] == "S002"].set_index(["metric", "value"])["fact_id"]
    repeats = {x.ids: x for x in fc.repeats(f)}
    expected = {
        ("compute_costs", 99_300_000): ("M015", ""),
        ("unpaid_bill", 1_000_000): ("M016", ""),
        ("unpaid_bill", 600_000): ("M021", ""),
        ("monthly_spend", 8_000_000): ("M003", "Bloomberg"),  # "Bloomberg previously reported"
    }
    for key, (old, reporter) in expected.items():
        x = repeats[(old, new[key])]
        assert x.suggestion["fact_id"] == old and x.suggestion["source_id"] == "S002"
        assert x.suggestion["quote"] == f.quote(new[key])
        assert x.suggestion["original_reporter"] == reporter
    # the totals restate nothing: the $1.6 million to two creditors, the $8 million to AWS
    for key in (("unpaid_bill", 1_600_000), ("unpaid_bill", 8_000_000)):
        assert not [ids for ids in repeats if new[key] in ids], key
    r = run("facts", "check", *where(accepted))
    assert re.search(r"statements that restate one another across sources: \d+", r.out)


def test_original_reporter_is_proposed_from_the_quote():
    assert fc.original_reporter("Bloomberg previously reported that it spends $8M") == "Bloomberg"
    assert fc.original_reporter("according to the Financial Times, revenue fell") == (
        "Financial Times"
    )
    assert fc.original_reporter("According to sources, he had considered leaving") == ""
    assert fc.original_reporter("according to an internal memo") == ""


# --------------------------------------------------------------------------------------------
# the real fact base


def test_the_real_base_has_no_unrecorded_contradiction_and_its_recorded_ones_are_found():
    f = load_facts()
    assert fc.contradictions(f) == []
    recorded = f.conflicts
    f.tables["conflicts"] = recorded.iloc[0:0]
    found = {frozenset(x.ids) for x in fc.contradictions(f)}
    # every recorded disagreement of names and ranks is found again; C011 ('LLMs' against 'LLM
    # lead') is recorded as not contradictory and is not
    for _, c in recorded.iterrows():
        if c["kind"] in ("name", "role") and c["conflict_id"] != "C011":
            assert frozenset((c["fact_id_a"], c["fact_id_b"])) in found, c["conflict_id"]
    # of the money, only the 2022 round that S000 and S001 date apart (C013, timing): the same
    # investors and amount, August–September against October 2022
    assert {pair for pair in found if any(i.startswith("M") for i in pair)} == {
        frozenset(("M001", "M010"))
    }
    c013 = recorded[recorded["conflict_id"] == "C013"].iloc[0]
    assert (c013["fact_id_a"], c013["fact_id_b"], c013["kind"]) == ("M001", "M010", "timing")


def test_a_candidate_total_may_be_the_sum_of_amounts_the_article_lists_beside_it():
    """$1 million owed to CoreWeave is the $600,000 the fact base records (M021) and $400,000 the
    article lists in the same paragraph; listed far away, the $400,000 explains nothing."""
    f = load_facts()

    def candidate(value: str, start: int) -> dict:
        return {
            "kind": "money",
            "quote": "",
            "start": str(start),
            "end": str(start + 80),
            "value": value,
            "unit": "USD",
            "bound": "exact",
            "metric": "unpaid_bill",
            "counterparty": "CoreWeave",
            "date_start": "2023-07-01",
            "date_end": "2024-12-31",
            "precision": "range",
            "status": "reported",
        }

    def flagged(rows) -> set[str]:
        return {x.ids[1] for x in fc.candidate_contradictions(f, rows)}

    near = [candidate("1000000", 100), candidate("400000", 180)]
    assert "row 1" not in flagged(near)
    far = [candidate("1000000", 100), candidate("400000", 100 + 3 * NEARBY)]
    assert "row 1" in flagged(far)


def test_accepting_a_repeat_keeps_the_reviewers_note_off_the_reference(extracted, tmp_path):
    """A candidate's `note` speaks to its reviewer ("amount as written: ..."); the reference
    accept makes of it gets the row's `reference_note` instead, or no note."""
    base, cands, rows = extracted
    facts_copy, raw_copy = tmp_path / "facts", tmp_path / "raw"
    shutil.copytree(base[0], facts_copy)
    shutil.copytree(base[1], raw_copy)
    compute = {**money(rows, "99300000", "compute_costs")[1], "reference_note": ""}
    coreweave = {**money(rows, "600000", "unpaid_bill")[1], "reference_note": ""}
    assert "amount as written" in compute["note"] and compute["restates"] == "M015"
    assert "amount as written" in coreweave["note"] and coreweave["restates"] == "M021"
    compute["accept"] = coreweave["accept"] = "yes"
    coreweave["reference_note"] = "Gives the bill to the hundred thousand."
    reviewed = tmp_path / "reviewed.csv"
    write_csv(reviewed, [compute, coreweave])
    r = run("accept", reviewed, "--facts", facts_copy, "--raw", raw_copy)
    assert r.code == 0, r.err
    refs = {x["fact_id"]: x for x in read_csv(facts_copy / "references.csv")}
    assert refs["M015"]["note"] == ""
    assert refs["M021"]["note"] == "Gives the bill to the hundred thousand."


def test_a_money_conflict_is_held_only_by_a_recorded_conflict_naming_both():
    """A money fact counts by itself: a recorded conflict between two other statements (even
    ones that agree with it) sets none of it aside, so its disagreement must be recorded too;
    a person's statements, merged per person, stay held by the conflict of those they agree
    with."""
    from stability_report.tools.intake import relations as rel
    from stability_report.tools.intake import statements as st
    from stability_report.tools.intake.judged import Judged, group

    def rnd(fid, start, end, value, bound="exact"):
        return st.statement(
            {
                "fact_id": fid,
                "source_id": "S000",
                "quote": "",
                "metric": "funding_closed",
                "counterparty": "Harbourline; Quayside",
                "value": value,
                "unit": "USD",
                "bound": bound,
                "date_start": start,
                "date_end": end,
                "date_precision": "month",
                "status": "reported",
            },
            "money",
        )

    october = rnd("M901", "2022-10-01", "2022-10-31", 101_000_000)
    august = rnd("M902", "2022-08-01", "2022-09-30", 100_000_000, "more_than")
    again = rnd("M903", "2022-08-01", "2022-08-31", 101_000_000)  # a later source's August
    stmts = [october, august, again]
    groups: dict = {}
    for s in stmts:
        groups.setdefault(group(s), []).append(s)
    judged = Judged(
        {s.id: s for s in stmts}, rel.Context.of(stmts), groups, [("M901", "M902", "C1")], {}
    )
    assert judged.covered(october, august) == "C1"
    assert rel.relation(august, again).agrees  # M903 agrees with the side C1 sets aside ...
    assert judged.covered(october, again) == ""  # ... but C1 does not set M903 aside
