"""Every citation resolves: each id the report shows is a link to its own entry in the evidence
appendix, in report.html (parsed with BeautifulSoup, apart from the render's own check) and in
report.pdf (link annotations, named destinations and the words at each end); every entry's
quote is an exact substring of its source file. Each check is also run on a doctored copy (an
entry removed, a quote changed, a link redirected) to show it fails on a single bad citation.

The tests of the same that need a whole run are in tests/integration/test_citations.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pipeline_support as support
import pytest

from stability_report import errors
from stability_report.facts.ids import anchor
from stability_report.facts.plain import FactBase
from stability_report.render import evidence
from stability_report.render import html as build_html
from stability_report.render.citations import Linker, check_page

ROOT = support.ROOT


FACTS, RAW = ROOT / "data" / "facts", ROOT / "data" / "raw"


@pytest.fixture(scope="module")
def fb() -> FactBase:
    return FactBase.load(FACTS, RAW)


def _info() -> dict:
    return {
        "run_id": "r",
        "as_of": "2024-06-04",
        "params": {"as_of": "2024-06-04"},
        "options": {},
        "inputs_hash": "0" * 64,
        "git_commit": "u",
        "facts_digest": "1",
        "versions": {},
        "notebooks": ["01-t.ipynb"],
    }


def _notebook(*outputs: dict):
    nb = nbformat.v4.new_notebook(metadata={"language_info": {"name": "python"}})
    cells = [nbformat.v4.new_markdown_cell("# Title")]
    for data in outputs:
        cell = nbformat.v4.new_code_cell("show(...)")
        cell.outputs = [nbformat.v4.new_output("display_data", data)]
        cells.append(cell)
    nb.cells = cells
    return [("01-t", nb)]


def test_render_refuses_an_id_the_fact_base_does_not_have():
    nb = _notebook({"text/html": '<p>Cash: $4M<sup class="cite">[M014, M999]</sup></p>'})
    with pytest.raises(errors.RenderError, match=r"M999 is shown in .* no row with that id"):
        build_html.render_report(nb, _info(), False, Path("."))


def test_render_refuses_a_reference_to_a_table_it_does_not_have():
    nb = _notebook(
        {
            "text/html": '<p>16 people<sup class="cite"><a class="table-ref" '
            'href="#tbl-nowhere">table</a></sup></p>'
        }
    )
    with pytest.raises(errors.RenderError, match="#tbl-nowhere"):
        build_html.render_report(nb, _info(), False, Path("."))


def test_render_links_ids_in_text_tables_and_captions_and_writes_their_entries():
    import pandas as pd

    from stability_report.present.tables import table_html

    table = table_html(
        pd.DataFrame({"fact": ["M014"], "source": ["S001"]}),
        "From M023, the 2023 projection",
        anchor="cash",
    )
    nb = _notebook(
        {
            "text/html": '<p>Less than $4M by an internal memo<sup class="cite">[M014]</sup> ('
            '<sup class="cite">'
            '<a class="table-ref" href="#tbl-cash">table</a></sup>).</p>'
        },
        {"text/html": table},
    )
    out = build_html.render_report(nb, _info(), False, Path("."))
    assert out.brief is None and out.tables == {"cash": 1}
    for fid in ("M014", "S001", "M023", "S000"):
        assert re.search(rf'<a class="id-ref" href="#{anchor(fid)}"[^>]*>{fid}</a>', out.html), fid
        assert f'id="{anchor(fid)}"' in out.html, fid
    assert '<a class="table-ref" href="#tbl-cash">Table 1</a>' in out.html
    assert '<span class="table-number">Table 1:</span> From' in out.html
    assert out.evidence == ["S000", "S001", "M014", "M023"]


def test_linker_leaves_attributes_code_quotes_styles_and_links_alone():
    page = (
        "<html><head><title>M001</title><style>.M001{}</style></head><body>"
        '<p data-x="M001" title="E001">M001, E001; M1000 and S000\'s. XM001 M01 M0010a</p>'
        '<code>M002</code><pre>M003</pre><q>M004</q><a href="#x">M005</a>'
        '<svg><text>M006</text></svg><img alt="M007"><br/>R008</body></html>'
    )
    linker = Linker(lambda fid: f"#{anchor(fid)}")
    out = linker.run(page)
    assert set(linker.ids) == {"M001", "E001", "M1000", "S000", "R008"}
    assert '<a class="id-ref" href="#fact-M1000">M1000</a>' in out
    assert '<a class="id-ref" href="#source-S000">S000</a>\'s' in out
    for untouched in (
        "<title>M001</title>",
        "<style>.M001{}</style>",
        'data-x="M001"',
        "<code>M002</code>",
        "<pre>M003</pre>",
        "<q>M004</q>",
        '<a href="#x">M005</a>',
        "<text>M006</text>",
        'alt="M007"',
        "XM001 M01 M0010a",
    ):
        assert untouched in out, untouched
    assert re.sub(r'<a class="id-ref" [^>]*>([^<]*)</a>', r"\1", out) == page  # only links


def test_linker_print_variant_and_table_references():
    linker = Linker(
        lambda fid: f"report.html#{anchor(fid)}",
        {"people": 3},
        table_href=lambda n: f"report.html#tbl-{n}",
        print_text=True,
    )
    out = linker.run(
        '<p>M014 <a class="table-ref" href="#tbl-people">table</a> '
        '<a class="table-ref" href="#tbl-gone">table</a></p>'
    )
    from bs4 import BeautifulSoup

    for cls, href, text in (
        ("id-ref", "report.html#fact-M014", "M014"),
        ("table-ref", "report.html#tbl-people", "Table 3"),
    ):
        (link,) = BeautifulSoup(out, "html.parser").select(f"a.{cls}.screen-only")
        assert link["href"] == href and link.get_text() == text
        printed = link.find_next_sibling()
        assert printed.name == "span" and printed["class"] == [cls, "print-only"]
        assert printed.get_text() == text
    assert len(linker.problems) == 1 and "#tbl-gone" in linker.problems[0]


def _small_base(tmp: Path) -> tuple[Path, Path]:
    facts, raw = tmp / "facts", tmp / "raw"
    facts.mkdir()
    raw.mkdir()
    (raw / "a.txt").write_text(
        "Cash fell to $4 million in October. Costs were $9 million.\n", encoding="utf-8"
    )
    (facts / "sources.csv").write_bytes(
        "\ufeffsource_id,file,sha256,headline,published_start,published_end,"
        "published_precision,updated,reference_year,dating_note\r\n"
        "S000,a.txt,0,Cash fell,2024-02-01,2024-06-04,range,,2024,From its text\r\n".encode("utf-8")
    )
    (facts / "money.csv").write_text(
        "fact_id,source_id,quote,metric,counterparty,instrument,value,unit,bound,date_start,"
        "date_end,date_precision,status,inference_note\n"
        "M999,S000,Cash fell to $4 million,cash,,,4000000,USD,exact,2023-10-01,2023-10-31,"
        "month,reported,October resolved to 2023; see M1000\n"
        "M1000,S000,Costs were $9 million,costs,,,9000000,USD,exact,2023-01-01,2023-12-31,"
        "year,claimed,\n",
        encoding="utf-8",
    )
    (facts / "conflicts.csv").write_text(
        "conflict_id,topic,kind,fact_id_a,quote_a,reading_a,fact_id_b,quote_b,reading_b,"
        "analysis_uses,rationale\n"
        "C001,Which figure,amount,M999,$4 million,four,M1000,$9 million,nine,a,Because.\n",
        encoding="utf-8",
    )
    return facts, raw


def test_fact_base_reads_bom_and_windows_line_endings(tmp_path):
    fb = FactBase.load(*_small_base(tmp_path))
    assert [s["source_id"] for s in fb.sources] == ["S000"]
    assert fb.row("S000")["dating_note"] == "From its text"
    assert fb.source_of("M1000") == "S000" and fb.table("C001") == "conflicts"


def test_evidence_follows_the_ids_entries_show_and_sorts_numerically(tmp_path):
    fb = FactBase.load(*_small_base(tmp_path))
    ev = evidence.evidence_html(fb, {"C001": "x"}, set())
    assert ev.problems == []
    assert ev.ids == ["S000", "M999", "M1000", "C001"]  # M999 before M1000
    assert 'id="fact-M1000"' in ev.html and "claimed" in ev.html
    assert "Oct 2023 (month)" in ev.html and "2023 (year)" in ev.html
    assert check_page(ev.html, fb) == []
    # an id whose entry the page already has (a register row) gets none here
    ev = evidence.evidence_html(fb, {"C001": "x"}, {"conflict-C001"})
    assert "C001" not in ev.ids and ev.ids == ["S000"]
    ev = evidence.evidence_html(fb, {"E123": "the section #x"}, set())
    assert ev.problems and "E123 is shown in the section #x" in ev.problems[0]


def test_check_page_catches_a_quote_no_longer_in_its_source(tmp_path):
    facts, raw = _small_base(tmp_path)
    fb = FactBase.load(facts, raw)
    page = evidence.evidence_html(fb, {"M999": "x"}, set()).html
    (raw / "a.txt").write_text("Cash fell to $5 million in October.\n", encoding="utf-8")
    problems = check_page(page, FactBase.load(facts, raw))
    assert any(
        "entry of M999 is not an exact substring of its source S000" in p for p in problems
    ), problems


def test_check_page_links_into_another_document_and_files():
    fb = FactBase.load(FACTS, RAW)
    page = (
        '<p><a href="report.html#fact-M014">M014</a> <a href="report.html#fact-M023">M023'
        '</a><span class="print-only">M023</span> <a href="attachments/x.csv">x</a></p>'
    )
    problems = check_page(
        page, fb, base="report.html", targets={"fact-M014"}, files={"report.html"}
    )
    assert any("M023" in p and "has no target" in p for p in problems)
    assert any("attachments/x.csv" in p for p in problems)
    assert not any("M014" in p for p in problems)
    assert check_page('<span class="print-only">M014</span>', fb)  # no link before it


def _events_base(tmp: Path) -> tuple[Path, Path]:
    """Two events resting on one sentence, a long reasoning both notes give, a figure the
    source computes and one it says was reported before."""
    facts, raw = _small_base(tmp)
    why = (
        "The article gives no date for the merger; it lies in 2023-03-01..2023-12-31 because the "
        "chair who announced it took office in March and the article was written that year"
    )
    (facts / "events.csv").write_text(
        "fact_id,source_id,quote,category,event,actor,person_id,value,unit,bound,date_start,"
        "date_end,date_precision,status,original_reporter,attributed_to,inference_note\n"
        f"E001,S000,Costs were $9 million,governance,north_left_board,North,,,,,2023-03-01,"
        f'2023-12-31,range,reported,,,"{why}"\n'
        f"E002,S000,Costs were $9 million,governance,south_gave_up_seat,South,,,,,2023-03-01,"
        f'2023-12-31,range,reported,,,"On the merger; {why}"\n',
        encoding="utf-8",
    )
    (raw / "a.txt").write_text(
        "Cash fell to $4 million in October. Costs were $9 million. It was reported to be "
        "seeking $2 million. Losses are likely to exceed $1 million.\n",
        encoding="utf-8",
    )
    with (facts / "money.csv").open("a", encoding="utf-8") as f:
        f.write(
            "M1001,S000,It was reported to be seeking $2 million,funding_sought,,,2000000,USD,"
            "exact,2023-01-01,2023-12-31,year,planned,\n"
            "M1002,S000,Losses are likely to exceed $1 million,losses,,,1000000,USD,more_than,"
            "2023-01-01,2023-12-31,year,derived,\n"
        )
    return facts, raw


def test_evidence_entries_sharing_a_quote_read_apart_by_their_subject(tmp_path):
    fb = FactBase.load(*_events_base(tmp_path))
    one, two = (evidence.entry_html(fb, i) for i in ("E001", "E002"))
    assert "north left board." in one and "south gave up seat." in two
    assert "south" not in one and "north" not in two


def test_an_event_alone_in_its_quote_shows_the_quote_not_the_report_s_label(tmp_path):
    # an event's name is the report's label, not the source's words or attribution: where its
    # quote states no other event, the quote alone says what happened
    facts, raw = _events_base(tmp_path)
    with (facts / "events.csv").open("a", encoding="utf-8") as f:
        f.write(
            "E003,S000,Cash fell to $4 million in October,finance,cash_crisis_confirmed,,,,,,"
            "2023-10-01,2023-10-31,month,reported,,,\n"
        )
    fb = FactBase.load(facts, raw)
    alone = evidence.entry_html(fb, "E003")
    assert "cash crisis confirmed" not in alone and "Cash fell to $4 million" in alone
    assert "north left board." in evidence.entry_html(fb, "E001")  # a shared quote keeps it


def test_evidence_entry_says_who_computed_a_derived_figure_and_an_unnamed_earlier_report(
    tmp_path,
):
    fb = FactBase.load(*_events_base(tmp_path))
    assert "computed by the source" in evidence.entry_html(fb, "M1002")
    assert "restating unnamed earlier reports" in evidence.entry_html(fb, "M1001")
    assert "restating" not in evidence.entry_html(fb, "M999")
    assert "derived" not in evidence.entry_html(fb, "M1002")


def test_evidence_gives_a_long_repeated_reasoning_once_and_points_to_it(tmp_path):
    fb = FactBase.load(*_events_base(tmp_path))
    ev = evidence.evidence_html(fb, {"E001": "x", "E002": "x"}, set())
    assert ev.problems == []
    first, second = (
        ev.html.split(f'id="{anchor(i)}"')[1].split("</div>")[0] for i in ("E001", "E002")
    )
    assert "took office in March" in first and "took office in March" not in second
    assert (
        "no date for the merger; (the reasoning given at" in second
        and 'href="#fact-E001"' in second
    )
    # an entry on its own (no appendix order) gives its note in full
    assert "took office in March" in evidence.entry_html(fb, "E002")
