"""Every sentence as strong as its source: facts.strength reads a fact's status, speaker, outlet
and hedges, and render.trust fails a page whose sentence drops a hedge or an attribution, or
states as reported what its source gives as claimed, considered or derived. Each rule is shown
passing on a faithful sentence and failing on the same sentence doctored; then the published
report passes, and fails once one of its sentences is doctored.

The tests of the same that need a whole run are in tests/integration/test_trust.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stability_report.facts.plain import FactBase
from stability_report.facts.strength import strength
from stability_report.render.citations import check_page
from stability_report.render.trust import check_strength

# A fictitious company and its facts.
ROWS = {
    "P001": ("persons", {"person_id": "P001", "canonical_name": "Ada Quill"}),
    "R001": ("personnel", {"fact_id": "R001", "person_id": "P001", "role_as_written": "CEO",
                           "quote": "CEO Ada Quill", "status": "mentioned"}),
    "E001": ("events", {"fact_id": "E001", "event": "board_could_not_remove_ceo",
                        "quote": "the board could not directly remove her", "status": "reported",
                        "attributed_to": "", "original_reporter": ""}),
    "E002": ("events", {"fact_id": "E002", "event": "rival_talks",
                        "quote": "the firm held talks with a rival", "status": "reported",
                        "attributed_to": "insiders", "original_reporter": ""}),
    "E003": ("events", {"fact_id": "E003", "event": "rival_talks",
                        "quote": "talks with a rival took place", "status": "reported",
                        "attributed_to": "", "original_reporter": ""}),
    "E004": ("events", {"fact_id": "E004", "event": "ceo_owns_majority",
                        "quote": "Quill stated she holds most of the shares", "status": "claimed",
                        "attributed_to": "Ada Quill, on her blog", "original_reporter": ""}),
    "E005": ("events", {"fact_id": "E005", "event": "considered_selling_office",
                        "quote": "the firm is even considering selling its office",
                        "status": "considered", "attributed_to": "", "original_reporter": ""}),
    "M001": ("money", {"fact_id": "M001", "metric": "cash", "quote": "less than $2 million",
                       "bound": "less_than", "value": "2000000", "status": "reported",
                       "attributed_to": "a board memo", "original_reporter": ""}),
    "M002": ("money", {"fact_id": "M002", "metric": "funding_closed",
                       "quote": "it raised $9 million, according to the Daily Ledger",
                       "bound": "exact", "value": "9000000", "status": "reported",
                       "attributed_to": "", "original_reporter": "the Daily Ledger"}),
    "M003": ("money", {"fact_id": "M003", "metric": "funding_sought",
                       "quote": "it tried to raise $50 million over the past year",
                       "bound": "exact", "value": "50000000", "status": "planned",
                       "attributed_to": "", "original_reporter": ""}),
}  # fmt: skip


@pytest.fixture(scope="module")
def fb() -> FactBase:
    return FactBase(Path("."), Path("."), rows=dict(ROWS))


def cite(*ids: str) -> str:
    links = ", ".join(f'<a class="id-ref" href="#fact-{i}">{i}</a>' for i in ids)
    return f'<sup class="cite">[{links}]</sup>'


def page(*paragraphs: str) -> str:
    return "<html><body>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></html>"


def table(caption: str, *rows: tuple[str, str, str]) -> str:
    body = "".join(f"<tr><td>{m}</td><td>{v}</td><td>{s}</td></tr>" for m, v, s in rows)
    return (
        f"<html><body><table><caption>{caption}</caption><thead><tr><th>measure</th>"
        f"<th>value</th><th>status</th></tr></thead><tbody>{body}</tbody></table></body></html>"
    )


def test_strength_reads_status_speaker_outlet_and_hedges():
    s = strength(ROWS["E001"][1])
    assert s.hedges == ("directly",) and s.status == "reported" and not s.according_to
    m = strength(ROWS["M001"][1])
    assert m.hedges == ("less than",)  # from the amount's bound
    assert m.speaker_terms == ("board", "memo") and m.according_to == "according to a board memo"
    assert strength(ROWS["M002"][1]).according_to == "according to the Daily Ledger"
    assert strength(ROWS["E004"][1]).speaker == "Ada Quill"  # the medium is not the speaker
    assert strength(ROWS["E005"][1]).hedges == ("considering",)
    assert strength(ROWS["M003"][1]).hedges == ()  # "over the past year" is no hedge


def test_a_dropped_hedge_fails(fb):
    good = page(f"The board could not directly remove her{cite('E001')}.")
    bad = page(f"The board could not remove her{cite('E001')}.")
    assert check_strength(good, fb) == []
    (problem,) = check_strength(bad, fb)
    assert "E001" in problem and "directly" in problem


def test_a_dropped_bound_fails_and_an_equivalent_passes(fb):
    assert check_strength(page(f"A board memo put cash under $2 million{cite('M001')}."), fb) == []
    problems = check_strength(page(f"A board memo put cash at $2 million{cite('M001')}."), fb)
    assert len(problems) == 1 and "less than" in problems[0]


def test_a_dropped_attribution_fails(fb):
    assert check_strength(page(f"According to insiders, it held talks{cite('E002')}."), fb) == []
    (problem,) = check_strength(page(f"It held talks with a rival{cite('E002')}."), fb)
    assert "E002" in problem and "insiders" in problem
    # an outlet restated is named
    assert (
        check_strength(page(f"The Daily Ledger says it raised $9 million{cite('M002')}."), fb) == []
    )
    (problem,) = check_strength(page(f"It raised $9 million{cite('M002')}."), fb)
    assert "the Daily Ledger" in problem


def test_an_attribution_in_another_sentence_does_not_count(fb):
    text = page(f"According to insiders, it was busy. It held talks{cite('E002')}.")
    assert len(check_strength(text, fb)) == 1
    # nor across a semicolon
    text = page(f"Insiders say it was busy; it held talks{cite('E002')}.")
    assert len(check_strength(text, fb)) == 1


def test_a_second_source_without_the_attribution_carries_the_sentence(fb):
    assert check_strength(page(f"It held talks with a rival{cite('E002', 'E003')}."), fb) == []


def test_a_claim_stated_as_fact_fails(fb):
    assert check_strength(page(f"Ada Quill said she holds most shares{cite('E004')}."), fb) == []
    problems = check_strength(page(f"Quill holds most of the shares{cite('E004')}."), fb)
    assert any("E004" in p and "claimed" in p for p in problems)
    # her title names her too
    assert check_strength(page(f"The chief executive claimed most shares{cite('E004')}."), fb) == []


def test_a_step_only_considered_stated_as_taken_fails(fb):
    good = page(f"The firm was even considering selling its office{cite('E005')}.")
    assert check_strength(good, fb) == []
    problems = check_strength(page(f"The firm sold its office{cite('E005')}."), fb)
    assert any("considered" in p for p in problems)


def test_a_full_stop_inside_a_quotation_does_not_end_the_sentence(fb):
    text = page(f"Ada Quill said “All is well. We grow.”{cite('E004')}")
    assert check_strength(text, fb) == []


def test_a_status_column_is_checked(fb):
    ok = table(
        "Key numbers",
        ("Cash, by a board memo", f"less than $2 million{cite('M001')}", "reported"),
        (
            "Sum, per the Daily Ledger and a board memo",
            f"at most $11 million{cite('M001', 'M002')}",
            "derived",
        ),
    )
    assert check_strength(ok, fb) == []
    retyped = ok.replace("<td>derived</td>", "<td>reported</td>")
    (problem,) = check_strength(retyped, fb)
    assert "derived" in problem and "reported" in problem
    planned = table("Sought", ("Target", f"$50 million{cite('M003')}", "reported"))
    (problem,) = check_strength(planned, fb)
    assert "M003 is planned" in problem


def test_a_caption_may_name_the_speaker_for_its_rows(fb):
    with_caption = table(
        "Cash, as a board memo records it", ("Cash", f"under $2M{cite('M001')}", "reported")
    )
    assert check_strength(with_caption, fb) == []
    without = table("Cash", ("Cash", f"under $2M{cite('M001')}", "reported"))
    assert len(check_strength(without, fb)) == 1


def test_the_evidence_appendix_and_registers_are_not_read(fb):
    text = (
        '<html><body><div class="ev-entry ev-fact" id="fact-E001">'
        f"<p>could not remove{cite('E001')}</p></div>"
        f'<details class="register"><p>talks{cite("E002")}</p></details></body></html>'
    )
    assert check_strength(text, fb) == []


def test_check_page_runs_the_strength_check(fb):
    bad = page(f"The board could not remove her{cite('E001')}.").replace(
        "</body>", '<div id="fact-E001"></div></body>'
    )
    assert any("directly" in p for p in check_page(bad, fb))


def test_a_list_of_evidence_quotes_and_a_list_of_moves_state_nothing(fb):
    item = f"(events): <q>the firm held talks with a rival</q>{cite('E002')}"
    quoted = f"<html><body><ul><li>{item}</li></ul></body></html>"
    assert check_strength(quoted, fb) == []
    unquoted = quoted.replace("<q>", "").replace("</q>", "")
    assert len(check_strength(unquoted, fb)) == 1  # the same words, said, need "insiders"
    moved = (
        f"<html><body><ul><li>Cash: $2 million → $3 million{cite('M001')}</li></ul></body></html>"
    )
    assert check_strength(moved, fb) == []
    ids_only = page(f"{cite('M001', 'E002')}")
    assert check_strength(ids_only, fb) == []


def test_a_further_sources_passage_quoted_whole_states_nothing():
    """'What changed' lists a claim a second source now also reports with that source's
    passage ("E004 (events), now also reported by S009: “...”"): a quote, not a statement."""
    ref = {"fact_id": "E004", "source_id": "S009", "quote": "most of the shares are hers"}
    fb = FactBase(Path("."), Path("."), rows=dict(ROWS), further={"E004": [ref]})
    item = (
        '<a class="id-ref" href="#fact-E004">E004</a> (events), now also reported by '
        f'<a class="id-ref" href="#source-S009">S009</a>: <q>{ref["quote"]}</q>'
    )
    listed = f"<html><body><ul><li>{item}</li></ul></body></html>"
    assert check_strength(listed, fb) == []
    said = listed.replace("<q>", "").replace("</q>", "")
    assert any("without saying who says it" in p for p in check_strength(said, fb))
