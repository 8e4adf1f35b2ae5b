"""The rendered report: the tests that need a whole run (the report rendered, a kernel, a browser or
the command line in a subprocess); the others, and what they cover, are in
tests/unit/test_render.py.
"""

from __future__ import annotations

import re
import subprocess

import pipeline_support as support
import pytest

from stability_report import errors
from stability_report.render import html as build_html
from stability_report.render import page as build_page
from stability_report.render import pdf


@pytest.fixture(scope="module")
def done() -> support.Rendered:
    return support.published()


def test_html_fetches_nothing_and_runs_nothing(done):
    html = done.html
    assert build_page.check_html(html) == []
    assert "<script" not in html.lower()
    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
        for m in re.finditer(rf"<{tag}\b[^>]*\b{attr}\s*=\s*[\"']?([^\"' >]+)", html, re.I):
            assert not m.group(1).lower().startswith(("http:", "https:", "//")), m.group(0)[:120]
    for cdn in (
        "require.min.js",
        "MathJax.js",
        "mathjax@",
        "cdnjs",
        "unpkg",
        "jsdelivr",
        "@jupyter-widgets",
    ):
        assert cdn not in html, cdn
    # figures are inline SVG (their marks are links); any image is a data: URL
    assert html.count('<div class="figure-picture"') == html.count("<svg ") > 0
    assert all(m.startswith("data:") for m in re.findall(r'<img[^>]*\bsrc="([^"]+)"', html))


def test_html_has_title_page_contents_chapters_figures_and_run_information(done):
    html = done.html
    assert build_html.TITLE in html and "As of 4 June 2024" in html
    assert 'id="report-contents"' in html
    titles = support.notebook_titles(done.notebooks)
    positions = []
    for title in titles:
        heading = [h for h in build_page.headings(html) if h[0] == 1 and h[2] == title]
        assert heading, title
        positions.append(html.index(f'id="{heading[0][1]}"'))
    assert positions == sorted(positions)  # executive summary first, sources appendix last
    assert '<figure class="report-figure' in html
    assert "Figure 1:</span>" in html
    n = html.count('class="figure-number"')
    assert f"Figure {n}:</span>" in html and f"Figure {n + 1}:" not in html
    run_info = html[html.index('id="report-run-information"') :]
    for needle in (
        done.manifest["facts_digest"],
        support.AS_OF,
        "burn_basis",
        "pandas",
        "matplotlib",
        "nbconvert",
        "papermill",
        "Commit",
    ):
        assert needle in run_info, needle


def test_every_contents_entry_links_to_a_heading(done):
    html = done.html
    toc = html[html.index('id="report-contents"') : html.index('id="report-main"')]
    targets = re.findall(r'href="#([^"]+)"', toc)
    assert len(targets) >= len(support.notebook_titles(done.notebooks)) + 1
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "duplicate ids"
    for t in targets:
        assert t in ids, t


def test_code_is_hidden_by_default(done):
    html = done.html
    assert "from_notebook" not in html
    assert 'class="jp-CodeMirrorEditor' not in html and "hl-ipython" not in html
    assert "injected-parameters" not in html


def test_dollar_amounts_are_literal_text(done):
    html = done.html
    body = html[html.index('id="report-main"') :]
    text = re.sub(r"<[^>]+>", " ", body)
    assert re.search(r"\$\d", text)
    assert "\\$" not in text  # no escaped dollar left over from the Markdown


def test_pdf_text_has_headings_numbers_and_page_numbers(done):
    text = done.pdf_text()
    flat = " ".join(text.split())
    for title in support.notebook_titles(done.notebooks):
        assert " ".join(title.split()) in flat, title
    assert "Contents" in flat and "Run information" in flat
    assert "Figure 1:" in flat
    assert re.search(r"\$\d[\d,.]*( million| billion|M|B|K)?", flat)
    assert "\\$" not in flat
    pages = int(re.search(r"page 1 of (\d+)", flat).group(1))
    assert f"page {pages} of {pages}" in flat


def test_pdf_is_a4_with_dates_from_the_as_of_date(done):
    from pypdf import PdfReader

    reader = PdfReader(done.output / "report.pdf")
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 1.5 and abs(float(box.height) - 841.9) < 1.5  # A4
    meta = reader.metadata
    assert meta.creation_date.date().isoformat() == support.AS_OF
    assert meta.modification_date.date().isoformat() == support.AS_OF
    assert "Stability AI" in meta.title


def test_pdf_fonts_are_embedded(done):
    r = subprocess.run(
        ["pdffonts", str(done.output / "report.pdf")], capture_output=True, text=True, check=True
    )
    rows = r.stdout.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), r.stdout


def test_a_chromium_that_never_answers_is_given_up_after_the_start_up_timeout(
    tmp_path, monkeypatch
):
    import robustness_support as rs

    from stability_report.errors import MissingDependency

    pids = tmp_path / "pids"
    monkeypatch.setenv("FAKE_CHROMIUM_MODE", "deaf")
    monkeypatch.setenv("FAKE_CHROMIUM_PIDS", str(pids))
    (tmp_path / "r.html").write_text("<html><body>x</body></html>")
    printer = pdf.PdfPrinter(str(rs.fake_chromium(tmp_path)), print_timeout=30, start_timeout=1)
    try:
        with pytest.raises(MissingDependency) as info:
            printer.print_pdf(tmp_path / "r.html", "2024-06-04", "0" * 64)
    finally:
        printer.close()
    said = str(info.value)
    assert all(w in said for w in ("within 1 s", "start-up", "twice"))
    assert len(pids.read_text().split()) == 2  # two attempts
    assert rs.pids_alive(pids) == []


def test_a_chromium_that_stops_answering_mid_print_is_given_up_after_the_print_timeout(
    tmp_path, monkeypatch
):
    import robustness_support as rs

    pids = tmp_path / "pids"
    monkeypatch.setenv("FAKE_CHROMIUM_MODE", "hang-print")
    monkeypatch.setenv("FAKE_CHROMIUM_PIDS", str(pids))
    (tmp_path / "r.html").write_text("<html><body>x</body></html>")
    printer = pdf.PdfPrinter(str(rs.fake_chromium(tmp_path)), print_timeout=2)
    printer.launch()
    try:
        with pytest.raises(errors.RenderError) as info:
            printer.print_pdf(tmp_path / "r.html", "2024-06-04", "0" * 64)
    finally:
        printer.close()
    said = str(info.value)
    assert all(w in said for w in ("report.pdf", "within 2 s", "--print-timeout"))
    assert rs.pids_alive(pids) == []  # it ignored SIGTERM and its closed pipe: it was killed
