"""Every citation resolves: the tests that need a whole run (the report rendered, a kernel, a
browser or the command line in a subprocess); the others, and what they cover, are in
tests/unit/test_citations.py.
"""

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
from unit import test_citations as unit_tests
from unit.test_citations import FACTS, RAW

from stability_report.facts.ids import ID, anchor, id_sort_key
from stability_report.facts.plain import FactBase
from stability_report.render import evidence, pagesetup
from stability_report.render.citations import check_page

# the unit tests' fixtures, shared
fb = unit_tests.fb


NOT_TEXT = {"style", "script", "code", "pre", "q", "svg", "title", "head", "kbd", "samp"}


@pytest.fixture(scope="module")
def done() -> support.Rendered:
    return support.published()


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
    texts: dict[str, str] = {}  # the entries so far, whitespace removed
    for e in soup.select("#report-evidence .ev-fact"):
        fid = e["id"].split("-", 1)[1]
        row = fb.row(fid)
        q = e.find("q", class_="ev-quote")
        assert q.get_text() == row["quote"]
        assert row["quote"] in (RAW / fb.files[row["source_id"]].name).read_text("utf-8")
        text = e.get_text(" ")
        flat = "".join(text.split())
        texts[fid] = flat
        # every passage of the note is in the entry, or in full in an earlier entry it points to
        for part in re.split(r"(?<=[.;])\s+", row.get("inference_note") or ""):
            part = "".join(part.split())
            if part in flat:
                continue
            earlier = re.findall(r"\(thereasoninggivenat([A-Z]\d+)\)", flat)
            assert any(part in texts.get(i, "") for i in earlier), (fid, part)
        if row.get("status") and fb.table(fid) in ("money", "events"):
            assert evidence.STATUS_WORDS.get(row["status"], row["status"]) in text
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
    text as outlines; tests/unit/test_figures.py holds them to the same minimum."""
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
    assert "conflicts.csv" in text  # named in print, as plain text (no link below)
    assert not [link for link in pdf_links.links(pdf) if link.uri is not None]


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
