"""The one-page brief: brief.html and brief.pdf made in the same run from the report's own cells
(those of the first notebook tagged `brief`), exactly one A4 page, self-contained and
script-free, its ids linking to the report's evidence (plain text in the PDF), byte-identical
from one render to the next; and the scale-down-or-fail rule for a brief that does not fit."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pdf_links
import pipeline_support as support
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from integration.test_citations import html_problems
from stability_report import config, errors
from stability_report.facts.ids import ID, anchor
from stability_report.facts.plain import FactBase
from stability_report.publish import publish
from stability_report.render import chromium, pdf
from stability_report.render import page as build_page


def run_files(run_dir: Path) -> list[str]:
    """The files a run publishes side by side, as paths relative to its folder (links between
    them are relative: brief.html -> report.html#fact-..., report.html -> attachments/NAME.csv):
    the documents of publish.REPORT_FILES it made, then its attachments."""
    names = [n for n in publish.REPORT_FILES if (run_dir / n).is_file()]
    return names + [f"{config.ATTACHMENTS}/{n}" for n in publish.run_attachments(run_dir)]


@pytest.fixture(scope="module")
def done() -> support.Rendered:
    return support.published()


@pytest.fixture(scope="module")
def brief(done) -> str:
    return done.run_file("brief.html").read_text(encoding="utf-8")


def _text(node) -> str:
    """The visible text of an element on screen: print-only copies and the brief's notes for
    what its print may leave out left out; "Table 4 of the report" read as the report's
    "Table 4"."""
    node = BeautifulSoup(str(node), "html.parser")
    for hidden in node.select(".print-only, .brief-left-out, svg"):
        hidden.decompose()
    return " ".join(node.get_text(" ").replace(" of the report", "").split())


def test_brief_pdf_is_one_a4_page_dated_as_of(done):
    reader = PdfReader(done.run_file("brief.pdf"))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 1.5 and abs(float(box.height) - 841.9) < 1.5
    assert reader.metadata.creation_date.date().isoformat() == support.AS_OF
    assert pdf.pdf_pages(done.run_file("brief.pdf").read_bytes()) == 1
    assert pdf.pdf_pages(done.run_file("report.pdf").read_bytes()) == len(
        PdfReader(done.run_file("report.pdf")).pages
    )


def test_brief_html_fetches_nothing_and_runs_nothing(brief):
    assert build_page.check_html(brief) == []
    assert "<script" not in brief.lower()
    assert "<svg" in brief and all(  # the figure inline, its marks not links here
        src.startswith("data:") for src in re.findall(r'<img[^>]*\bsrc="([^"]+)"', brief)
    )
    assert 'xlink:href="#fact-' not in brief
    for m in re.finditer(r'\bhref="([^"#]*)', brief):
        assert m.group(1) in ("", "report.html"), m.group(0)


def test_brief_is_the_report_s_own_cells(done, brief):
    report = BeautifulSoup(done.html, "html.parser")
    cells = BeautifulSoup(brief, "html.parser").select("main.brief-body > div.jp-Cell")
    assert len(cells) >= 3  # bottom line, key numbers, figure
    for cell in cells:
        same = report.find(id=cell["id"])
        assert same is not None, cell["id"]
        assert _text(cell) == _text(same), cell["id"]
    assert any(cell.select("table.report-table") for cell in cells)
    assert any(cell.select("figure.report-figure svg") for cell in cells)
    # and only the cells tagged `brief`, of the first notebook
    assert all(c["id"].startswith("cell-id=01-") for c in cells)


def test_brief_ids_link_to_the_report_s_evidence(done, brief):
    targets = {t["id"] for t in BeautifulSoup(done.html, "html.parser").find_all(id=True)}
    assert html_problems(brief, base="report.html", targets=targets) == []
    links = BeautifulSoup(brief, "html.parser").select("a.id-ref")
    assert len(links) > 10
    for a in links:
        assert a["href"] == f"report.html#{anchor(a.get_text())}"
        # followed by its plain-text copy for print
        assert a.find_next_sibling().get_text() == a.get_text()
    sources = BeautifulSoup(brief, "html.parser").select_one(".brief-sources").get_text(" ")
    assert "two news articles" in sources
    # named by outlet and date, never by headline: the page's length does not depend on them
    fb = FactBase.load(support.ROOT / "data" / "facts", support.ROOT / "data" / "raw")
    sources = " ".join(sources.split())
    for s in fb.sources:
        assert s["headline"].strip() and s["headline"] not in sources
        assert f"{s['source_id']} (published" in sources
    # a table the brief does not hold is named as the report's
    tables = {a.get_text() for a in BeautifulSoup(brief, "html.parser").select("a.table-ref")}
    own = {
        c.get_text().rstrip(":")
        for c in BeautifulSoup(brief, "html.parser").select("span.table-number")
    }
    assert tables and all(t in own or t.endswith(" of the report") for t in tables), tables


def test_brief_pdf_has_no_links_and_says_where_the_evidence_is(done):
    pdf = done.run_file("brief.pdf")
    assert pdf_links.links(pdf) == []
    text = " ".join(w.text for w in pdf_links.words(pdf))
    # it names the full report and its evidence appendix
    assert "report.pdf" in text and "evidence appendix" in text
    assert len(ID.findall(text)) > 10  # the ids are there, as text
    assert "BRIEF · AS OF 4 JUNE 2024" in text.upper()


def test_run_lists_the_brief_and_attachments_for_publishing(done):
    names = run_files(done.output / "latest")
    assert names[:4] == ["report.html", "report.pdf", "brief.html", "brief.pdf"]
    assert "attachments/conflicts.csv" in names


def test_brief_and_attachments_are_byte_identical_across_renders(done):
    again = support.published_again()

    def sha(p: Path) -> str:
        return hashlib.sha256(p.read_bytes()).hexdigest()

    a, b = done.output / "latest", again.output / "latest"
    names = run_files(a)
    assert names == run_files(b) and "brief.pdf" in names
    for name in names:
        assert sha(a / name) == sha(b / name), name


# ---------------------------------------------------------------------------------------------
# one page, always


class _Fake:
    """A printer whose PDF has `pages(scale)` pages; records the scales asked for. Its measure
    says no form fits (`heights`: a measure that missed), so the prints decide."""

    def __init__(self, pages, heights=None):
        self.pages, self.scales = pages, []
        self.heights = heights or [1e9] * len(pdf.BRIEF_FORMS)

    def measure_brief(self, path):
        return self.heights

    def print_pdf(self, path, as_of, digest, scale=1.0, footer=True, name=""):
        self.scales.append(scale)
        return b"%PDF" + b"<</Type /Page>>" * self.pages(scale) + b"<</Type /Pages /Count>>"


def test_brief_is_printed_at_the_largest_scale_that_fits():
    """The smallest scale first (a form that does not fit there fits nowhere), then the larger
    ones from the largest down: the first that fits is the print."""
    fake = _Fake(lambda s: 1 if s <= 0.95 else 2)
    data = pdf.print_brief(fake, Path("brief.html"), "2024-06-04", "d")
    assert pdf.pdf_pages(data) == 1
    assert fake.scales == [0.9, 1.0, 0.95]
    fits = _Fake(lambda s: 1)
    pdf.print_brief(fits, Path("brief.html"), "2024-06-04", "d")
    assert fits.scales == [0.9, 1.0]


def test_brief_is_printed_once_in_the_first_form_its_measure_fits(tmp_path):
    """The measured heights pick the form: the first whose height fits its page is printed, and
    only that one when the print confirms one page."""
    from stability_report.render.pagesetup import BRIEF_BOX_PX

    page = BRIEF_BOX_PX[1]
    heights = [page / 0.9 + 50] * 3 + [page + 10, page / 0.95 - 1, page / 0.9 - 1] + [page] * 3
    brief = tmp_path / "brief.html"
    brief.write_text('<body class="brief"><main></main></body>')
    fake = _Fake(lambda s: 1, heights)
    pdf.print_brief(fake, brief, "2024-06-04", "d")
    assert fake.scales == [0.95]  # without its tables, at 0.95: the first form that fits
    wrong = _Fake(lambda s: 1 if s <= 0.9 else 2, heights)  # the measure was a pixel off
    pdf.print_brief(wrong, brief, "2024-06-04", "d")
    assert wrong.scales == [0.95, 0.9]


def test_brief_that_never_fits_stops_the_run(tmp_path):
    fake = _Fake(lambda s: 2)
    (tmp_path / "brief.html").write_text('<body class="brief"><main></main></body>')
    with pytest.raises(errors.RenderError, match="does not fit on one A4 page") as caught:
        pdf.print_brief(fake, tmp_path / "brief.html", "2024-06-04", "d")
    # never printed below the scale that keeps the text at 7 pt; a render failure, not a usage
    # error: the command exits 1 (2 is for bad parameters)
    assert fake.scales[-1] == 0.9 and min(fake.scales) == 0.9
    assert len(fake.scales) == len(pdf.BRIEF_BODIES)  # each form once, at the smallest scale
    assert [p.name for p in tmp_path.iterdir()] == ["brief.html"]  # no variant left behind
    assert caught.value.exit_code == errors.FAILED != errors.USAGE


@pytest.fixture(scope="module")
def printer():
    if chromium.find_chromium() is None:
        pytest.skip("chromium is not installed")
    p = pdf.PdfPrinter()
    yield p
    p.close()


def _page(tmp_path: Path, paragraphs: int) -> Path:
    css = "\n".join(
        (config.TEMPLATES / "report" / n).read_text(encoding="utf-8")
        for n in ("report.css", "brief.css")
    )
    body = "".join(
        f"<p>Paragraph {i}: " + "words of the bottom line " * 12 + "</p>" for i in range(paragraphs)
    )
    path = tmp_path / f"brief-{paragraphs}.html"
    path.write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{css}</style>'
        f'</head><body class="brief"><main class="brief-body">{body}</main></body>'
        "</html>",
        encoding="utf-8",
    )
    return path


def test_chromium_brief_slightly_too_long_is_scaled_onto_one_page(printer, tmp_path):
    class Recording:
        def __init__(self):
            self.scales: list[float] = []

        def print_pdf(self, *args, **kw):
            self.scales.append(kw["scale"])
            return printer.print_pdf(*args, **kw)

        def measure_brief(self, path):
            return printer.measure_brief(path)

    # the shortest brief that takes two pages at full size: one paragraph too many
    for n in range(2, 60):
        if (
            pdf.pdf_pages(printer.print_pdf(_page(tmp_path, n), "2024-06-04", "d", footer=False))
            == 2
        ):
            break
    assert 2 < n < 59
    rec = Recording()
    data = pdf.print_brief(rec, _page(tmp_path, n), "2024-06-04", "d")
    assert pdf.pdf_pages(data) == 1 and len(PdfReader(_save(tmp_path, data)).pages) == 1
    # measured, then printed once at a scale below full size, where it fits
    assert len(rec.scales) == 1 and rec.scales[0] < 1.0


def test_chromium_brief_leaves_out_its_table_then_its_figure_rather_than_fail(printer, tmp_path):
    """A brief whose table does not fit is printed without it, a note in its place naming it as
    the report's; the HTML brief keeps everything."""
    from stability_report.render import brief as build_brief

    table = (
        '<div class="report-table-wrap" id="tbl-x"><table class="report-table"><caption>'
        '<span class="table-number">Table 3:</span> Many rows</caption><tbody>'
        + "<tr><td>a row of the table</td></tr>" * 60
        + "</tbody></table></div>"
    )
    for n in range(1, 60):  # the most paragraphs that fit on one page with no table
        page = _page(tmp_path, n + 1)
        if pdf.pdf_pages(printer.print_pdf(page, "2024-06-04", "d", footer=False)) > 1:
            break
    path = _page(tmp_path, n)
    text = path.read_text(encoding="utf-8")
    body = build_brief._left_out_notes(table)
    path.write_text(text.replace("</main>", body + "</main>"), encoding="utf-8")
    data = pdf.print_brief(printer, path, "2024-06-04", "d")
    assert pdf.pdf_pages(data) == 1
    printed = tmp_path / "printed.pdf"
    printed.write_bytes(data)
    words = " ".join(w.text for w in pdf_links.words(printed))
    assert "a row of the table" not in words
    # a note in the table's place names it by its number in the report
    assert words.count("Table 3") >= 1 and "report" in words
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".brief-")) == []


def test_chromium_brief_far_too_long_is_refused_not_cut(printer, tmp_path):
    with pytest.raises(errors.RenderError, match="still takes 2 pages|still takes [3-9] pages"):
        pdf.print_brief(printer, _page(tmp_path, 80), "2024-06-04", "d")


def _save(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return path
