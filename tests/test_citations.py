"""Every citation resolves: each id the report shows is a link to its own entry in the evidence
appendix, in report.html (parsed with BeautifulSoup, apart from the render's own check) and in
report.pdf (link annotations, named destinations and the words at each end); every entry's
quote is an exact substring of its source file. Each check is also run on a doctored copy (an
entry removed, a quote changed, a link redirected) to show it fails on a single bad citation."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import nbformat
import pdf_links
import pipeline_support as support
import pytest
from bs4 import BeautifulSoup, NavigableString
from pypdf import PdfReader

from stability_report import errors
from stability_report.facts.ids import ID, anchor, id_sort_key
from stability_report.facts.plain import FactBase
from stability_report.render import evidence, pagesetup
from stability_report.render import html as build_html
from stability_report.render.citations import Linker, check_page

ROOT = support.ROOT
FACTS, RAW = ROOT / "data" / "facts", ROOT / "data" / "raw"
NOT_TEXT = {"style", "script", "code", "pre", "q", "svg", "title", "head", "kbd", "samp"}


@pytest.fixture(scope="module")
def done() -> support.Rendered:
    return support.published()


@pytest.fixture(scope="module")
def fb() -> FactBase:
    return FactBase.load(FACTS, RAW)


# ---------------------------------------------------------------------------------------------
# an independent check of the HTML, with BeautifulSoup


def html_problems(page: str, base: str = "", targets: set[str] | None = None) -> list[str]:
    """What the tests require of a page, found with BeautifulSoup: every id in the visible text
    inside a link to its entry, every internal link resolved, every entry labelled with its id
    and every quote an exact substring of its source file."""
    soup = BeautifulSoup(page, "html.parser")
    problems = []
    raw = {
        s["source_id"]: (RAW / s["file"]).read_text(encoding="utf-8")
        for s in FactBase.load(FACTS, RAW).sources
    }
    by_id = {t["id"]: t for t in soup.find_all(id=True)}
    ids = set(by_id)
    for text in soup.find_all(string=True):
        if not isinstance(text, NavigableString) or type(text) is not NavigableString:
            continue  # comments, doctype
        parents = [p.name for p in text.parents]
        if NOT_TEXT & set(parents):
            continue
        if any("print-only" in (p.get("class") or []) for p in text.parents if p.name):
            continue
        link = next((p for p in text.parents if p.name == "a"), None)
        for m in ID.finditer(str(text)):
            fid = m.group(0)
            if link is None:
                problems.append(f"{fid} not in a link")
            elif link.get("href") != f"{base}#{anchor(fid)}":
                problems.append(f"{fid} links to {link.get('href')}")
    for a in soup.find_all("a", href=True):
        doc, _, frag = a["href"].partition("#")
        if not frag:
            continue
        pool = ids if not doc else targets
        if doc not in ("", base) or pool is None:
            continue
        if frag not in pool:
            problems.append(f"{a['href']} has no target")
            continue
        text = a.get_text(strip=True)
        if ID.fullmatch(text) and not doc:
            target = by_id[frag]
            label = target.find("a", class_="ev-id")
            shown = label.get_text(strip=True) if label else None
            if shown != text and not (
                target.name == "tr" and text in ID.findall(target.get_text(" "))
            ):
                problems.append(f"{text} lands on {frag}, which is not its entry")
    for q in soup.select("q.ev-quote"):
        if q.get_text() not in raw.get(q.get("data-source"), ""):
            problems.append(f"quote in {q.find_parent(class_='ev-entry')['id']} not verbatim")
    return problems


# ---------------------------------------------------------------------------------------------
# the rendered report


def test_every_id_shown_is_a_link_to_its_entry(done):
    page = done.html
    assert html_problems(page) == []
    soup = BeautifulSoup(page, "html.parser")
    cited = {a.get_text() for a in soup.select("sup.cite a.id-ref")}
    assert len(cited) > 50, "the report cites fewer facts than expected: is the fixture right?"
    entries = {e["id"] for e in soup.select("#report-evidence .ev-entry")}
    for fid in cited:
        assert anchor(fid) in entries or soup.find("tr", id=anchor(fid)) is not None, fid
    # ids in table cells are links too (and in captions: test_render_links_ids_in_text_...)
    assert soup.select("td a.id-ref")


def test_render_time_check_passes_on_the_report_and_catches_a_removed_entry(done, fb):
    page = done.html
    assert check_page(page, fb) == []
    soup = BeautifulSoup(page, "html.parser")
    entry = soup.find(id="fact-M014")
    assert entry is not None and "ev-entry" in entry["class"]
    entry.decompose()
    doctored = str(soup)
    problems = check_page(doctored, fb)
    assert problems and all("M014" in p for p in problems), problems
    assert any("'#fact-M014', which has no target" in p for p in problems)
    assert any("M014" in p for p in html_problems(doctored))


def test_a_changed_quote_is_caught(done, fb):
    soup = BeautifulSoup(done.html, "html.parser")
    q = soup.find(id="fact-M014").find("q", class_="ev-quote")
    q.string = q.get_text().replace("less than", "more than")
    doctored = str(soup)
    problems = check_page(doctored, fb)
    assert any(
        "entry of M014 is not an exact substring of its source S001" in p for p in problems
    ), problems
    assert any("fact-M014 not verbatim" in p for p in html_problems(doctored))


def test_a_quote_from_another_fact_is_caught(done, fb):
    """A verbatim passage that is not this fact's quote is no evidence for it."""
    soup = BeautifulSoup(done.html, "html.parser")
    q = soup.find(id="fact-M014").find("q", class_="ev-quote")
    q.string = fb.row("M023")["quote"]
    problems = check_page(str(soup), fb)
    assert any("not the fact base's quote of M014" in p for p in problems), problems


def test_an_id_left_unlinked_or_linked_elsewhere_is_caught(done, fb):
    page = done.html
    link = re.search(r'<a class="id-ref" href="#fact-M023"[^>]*>M023</a>', page)
    assert link
    unlinked = page[: link.start()] + "M023" + page[link.end() :]
    assert any("M023 is shown" in p and "not a link" in p for p in check_page(unlinked, fb))
    assert "M023 not in a link" in html_problems(unlinked)
    wrong = (
        page[: link.start()] + '<a class="id-ref" href="#fact-M024">M023</a>' + page[link.end() :]
    )
    assert any("M023" in p and "not to its entry" in p for p in check_page(wrong, fb))
    assert "M023 links to #fact-M024" in html_problems(wrong)


def test_every_entry_quote_is_verbatim_and_entries_are_sorted(done, fb):
    soup = BeautifulSoup(done.html, "html.parser")
    facts = [e["id"].split("-", 1)[1] for e in soup.select("#report-evidence .ev-fact")]
    assert facts == sorted(facts, key=id_sort_key) and len(facts) == len(set(facts))
    for e in soup.select("#report-evidence .ev-fact"):
        fid = e["id"].split("-", 1)[1]
        row = fb.row(fid)
        q = e.find("q", class_="ev-quote")
        assert q.get_text() == row["quote"]
        assert row["quote"] in (RAW / fb.files[row["source_id"]].name).read_text("utf-8")
        text = e.get_text(" ")
        if row.get("inference_note"):
            assert "".join(row["inference_note"].split()) in "".join(text.split())
        if row.get("status") and fb.table(fid) in ("money", "events"):
            assert row["status"] in text
    # the sources: every one of sources.csv, with its headline and publication window
    sources = soup.select("#report-evidence .ev-source")
    assert [s["id"] for s in sources] == [f"source-{s['source_id']}" for s in fb.sources]


def test_the_evidence_follows_the_chapters_and_precedes_how_it_was_made(done):
    page = done.html
    positions = [
        page.index(k)
        for k in (
            'id="report-main"',
            'id="report-evidence"',
            'id="report-how-made"',
            'id="report-run-information"',
        )
    ]
    assert positions == sorted(positions)
    toc = page[page.index('id="report-contents"') : page.index('id="report-main"')]
    for target in ("#evidence", "#how-this-report-was-made", "#run-information"):
        assert f'href="{target}"' in toc


def test_tables_are_numbered_and_table_references_read_table_n(done):
    soup = BeautifulSoup(done.html, "html.parser")
    numbers = [
        int(s.get_text().split()[1].rstrip(":"))
        for s in soup.select("#report-main table.report-table caption .table-number")
    ]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 5
    refs = soup.select("a.table-ref")
    assert refs
    for a in refs:
        target = soup.find(id=a["href"][1:])
        assert target is not None, a["href"]
        label = target.select_one(".table-number").get_text().rstrip(":")
        assert a.get_text() == label, (a.get_text(), label)


def test_notebook_only_cells_are_not_in_the_report(done):
    sources = [
        c.source
        for nb in done.notebooks.glob("*.ipynb")
        for c in nbformat.read(nb, as_version=4).cells
        if "notebook-only" in c.metadata.get("tags", [])
    ]
    assert sources, "the fixture tags no cell notebook-only"
    text = BeautifulSoup(done.html, "html.parser").get_text(" ")
    assert "Reads the fact base" not in text
    how = BeautifulSoup(done.html, "html.parser").find(id="report-how-made").get_text(" ")
    for needle in ("papermill", "nbconvert", "Chromium", "conflicts.csv", "data/facts/"):
        assert needle in how, needle


def test_title_page_names_and_counts_the_sources(done, fb):
    soup = BeautifulSoup(done.html, "html.parser")
    title = soup.find(id="report-title-page")
    text = " ".join(title.get_text(" ").split())
    assert "two news articles" in text
    for s in fb.sources:
        assert s["headline"] in text
    assert title.find(id="report-contents") is not None  # the contents on the title page


# ---------------------------------------------------------------------------------------------
# the PDF


def _margins() -> tuple[float, float]:
    return (
        pagesetup.inches(pagesetup.PDF_MARGINS["left"]) * 72,
        pagesetup.inches(pagesetup.PDF_MARGINS["top"]) * 72,
    )


def pdf_problems(pdf: Path) -> list[str]:
    """Every internal link resolves to a named destination; every word holding an id is
    inside a link; each link to an entry shows that entry's id, and the words at its
    destination include the id; no link leads to a file."""
    links = pdf_links.links(pdf)
    dests = pdf_links.destinations(pdf)
    words = pdf_links.words(pdf)
    # Chromium places named destinations relative to the page's content box: shift by margins
    left, top = _margins()
    problems = []
    rects = defaultdict(list)
    for link in links:
        rects[link.page].append(link.rect)
        if link.uri is not None:
            if link.uri.startswith("file:"):
                problems.append(f"page {link.page + 1}: a link to a file ({link.uri})")
            continue
        if link.explicit:
            continue
        if link.dest not in dests:
            problems.append(f"page {link.page + 1}: a link to {link.dest!r}, not a destination")
            continue
        m = re.fullmatch(r"(?:fact|source|conflict|person)-(.+)", link.dest)
        if not m:
            continue
        fid = m.group(1)
        inside = pdf_links.words_in(link.rect, link.page, words)
        shown = ID.findall(" ".join(w.text for w in inside))
        # a link over no text at all is a figure's mark (a bar, a point): it shows no id, and
        # must still land on its entry
        if inside and shown != [fid]:
            problems.append(f"page {link.page + 1}: the link to {link.dest} shows {shown}")
        d = dests[link.dest]
        x, y = d.left + left, d.top - top
        if not [
            w
            for w in words
            if w.page == d.page
            and fid in ID.findall(w.text)
            and 0 <= y - w.y1 <= 12
            and -1 <= w.x0 - x <= 12
        ]:
            problems.append(
                f"page {link.page + 1}: the link to {link.dest} lands on page "
                f"{d.page + 1} where {fid} is not"
            )
    for w in words:
        for m in ID.finditer(w.text):
            if not pdf_links.covered(w, m.start(), m.end(), rects[w.page]):
                problems.append(f"page {w.page + 1}: {m.group(0)} is not inside a link")
    return problems


def test_pdf_every_id_is_a_working_link_to_its_entry(done):
    pdf = done.run_file("report.pdf")
    assert pdf_problems(pdf) == []
    links = pdf_links.links(pdf)
    to_entries = {
        link.dest
        for link in links
        if link.dest and re.match(r"(fact|source|person|conflict)-", link.dest)
    }
    soup = BeautifulSoup(done.html, "html.parser")
    linked = {a["href"][1:] for a in soup.select("a.id-ref") if a["href"].startswith("#")}
    assert linked and linked == to_entries  # Chromium keeps every in-document link


def test_no_text_in_either_pdf_is_under_7_pt(done):
    """Measured on the printed pages (pypdf's text matrices): the report and the brief, with
    their superscript citations, tables, registers, captions and footers. Figures draw their
    text as outlines; tests/test_figures.py holds them to the same minimum."""
    for name in ("report.pdf", "brief.pdf"):
        pdf = done.run_file(name)
        assert pdf_links.text_sizes(pdf), name
        assert pdf_links.smaller_than(pdf, 7.0) == [], name


def test_the_evidence_appendix_is_printed_at_8_pt_or_more_within_28_pages(done):
    pdf = done.run_file("report.pdf")
    dests = pdf_links.destinations(pdf)
    # from the first group of entries (the heading's destination lies at its margin, above it)
    start, end = dests.get("evidence-sources", dests["evidence"]), dests["how-this-report-was-made"]
    assert end.page > start.page
    footer = pagesetup.inches(pagesetup.PDF_MARGINS["bottom"]) * 72

    def in_appendix(page: int, y: float) -> bool:
        """Below the appendix's heading on its first page (it runs on after the registers),
        above the next section's heading on its last."""
        if page == start.page:
            return y <= start.top
        if page == end.page:
            return y > end.top
        return start.page < page < end.page

    small = [
        (page + 1, round(size, 2), text)
        for page, size, text, y in pdf_links.text_sizes(pdf)
        if in_appendix(page, y) and y > footer and size < 7.99
    ]
    assert small == []
    assert len(PdfReader(pdf).pages) <= 28


def test_pdf_figure_marks_link_to_their_entries(done):
    """Every mark a figure links to a fact (an SVG link in the page) is a link annotation in
    the PDF, over the figure's drawing (no text in it), leading to that fact's entry."""
    pdf = done.run_file("report.pdf")
    soup = BeautifulSoup(done.html, "html.parser")
    marks = {
        a["xlink:href"][1:] for a in soup.select(".figure-picture svg a") if a.get("xlink:href")
    }
    assert len(marks) > 10  # bars, points and steps of five figures
    words = pdf_links.words(pdf)
    dests = pdf_links.destinations(pdf)
    wordless = {
        link.dest
        for link in pdf_links.links(pdf)
        if link.dest and not pdf_links.words_in(link.rect, link.page, words)
    }
    assert marks <= wordless, sorted(marks - wordless)
    assert all(m in dests for m in marks)


def test_pdf_check_catches_a_link_sent_to_another_entry(done, tmp_path):
    """M023's links sent to a destination that does not exist, then M014's to M023's entry."""
    pdf = done.run_file("report.pdf")
    dangling, doctored = tmp_path / "dangling.pdf", tmp_path / "redirected.pdf"
    assert pdf_links.redirect(pdf, dangling, "fact-M023", "fact-M999") > 0
    assert pdf_links.redirect(dangling, doctored, "fact-M014", "fact-M023") > 0
    problems = pdf_problems(doctored)
    assert any("'fact-M999', not a destination" in p for p in problems), problems
    assert any("the link to fact-M023 shows ['M014']" in p for p in problems), problems


def test_pdf_prints_the_registers_open_and_the_attachments_as_plain_text(done):
    pdf = done.run_file("report.pdf")
    text = " ".join(w.text for w in pdf_links.words(pdf))
    assert "The conflict register" in text
    assert "Conflict register" in text and "C029" in text  # the register's last row, printed
    assert "conflicts.csv (CSV, published next to this report; a cell that a spreadsheet" in text
    assert not [link for link in pdf_links.links(pdf) if link.uri is not None]


# ---------------------------------------------------------------------------------------------
# the render stops on a citation it cannot resolve


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


# ---------------------------------------------------------------------------------------------
# the pieces, on small inputs


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
    assert (
        '<a class="id-ref screen-only" href="report.html#fact-M014">M014</a>'
        '<span class="id-ref print-only">M014</span>'
    ) in out
    assert (
        '<a class="table-ref screen-only" href="report.html#tbl-people">Table 3</a>'
        '<span class="table-ref print-only">Table 3</span>'
    ) in out
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


def test_registers_are_collapsed_on_screen_and_open_at_a_link_into_them(done):
    """In a browser the register is closed (its rows hidden) until opened; following an id's
    link to a row inside it opens it. (In print it is open: test_pdf_prints_the_registers_...)"""
    sync_api = pytest.importorskip("playwright.sync_api")
    import browser_support as bs

    if bs.CHROMIUM is None:
        pytest.skip("chromium is not installed")
    with sync_api.sync_playwright() as pw:
        browser = bs.launch(pw)
        try:
            page = browser.new_page(java_script_enabled=False)
            url = done.run_file("report.html").resolve().as_uri()
            page.goto(url)
            register = page.locator("details.register").first
            assert register.evaluate("e => e.open") is False
            assert not page.locator("#conflict-C005").is_visible()
            assert page.locator("details.register > summary").first.is_visible()
            page.goto(url + "#conflict-C005")
            assert register.evaluate("e => e.open") is True
            assert page.locator("#conflict-C005").is_visible()
        finally:
            browser.close()


def test_pdf_outline_has_the_chapters_from_page_2_and_the_appendix(done):
    from pypdf import PdfReader

    reader = PdfReader(done.run_file("report.pdf"))
    top = [
        (o.title, reader.get_destination_page_number(o) + 1)
        for o in reader.outline
        if not isinstance(o, list)
    ]
    titles = [t for t, _ in top]
    assert top[0][1] == 2  # the contents are on the title page: chapter 1 starts on page 2
    assert titles[-3:] == [
        "Evidence: every fact cited",
        "How this report was made",
        "Run information",
    ]
    assert titles[:-3] == support.notebook_titles(done.notebooks)
