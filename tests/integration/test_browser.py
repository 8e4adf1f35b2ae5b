"""Real clients (issue 5): the notebooks run to the end through JupyterLab's UI in headless
Chromium; the rendered report.html opened with the network cut off; the PDF's pages, fonts and
text. The report is rendered once for the module by the CLI, into a temporary directory.

Each check has a negative twin on a doctored input, so none of them can pass vacuously."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

import browser_support as bs  # noqa: E402  (after the skip: it needs playwright)

pytestmark = [
    pytest.mark.skipif(
        bs.CHROMIUM is None, reason="chromium is not installed (make system-deps installs it)"
    ),
]

ROOT = bs.ROOT
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
AS_OF = "2024-06-04"
CHAPTERS = (
    "Summary",
    "Money: costs, cash and runway",
    "People and control",
    "Sources and data quality",
    "Appendices",
)
NOTEBOOK_TIMEOUT = 180.0

needs_poppler = pytest.mark.skipif(
    not bs.POPPLER, reason="poppler-utils (pdffonts, pdftoppm, pdftotext) is not installed"
)


# ---------------------------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="module")
def browser():
    """One headless chromium for the module (closed with it, so other modules may start their
    own Playwright)."""
    with sync_api.sync_playwright() as pw:
        b = bs.launch(pw)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module", autouse=True)
def render_job(request, tmp_path_factory):
    """Start `python -m stability_report run` once, in the background, as soon as the module
    starts (if any selected test needs the report), so it overlaps the JupyterLab tests."""
    if not any(
        "rendered" in item.fixturenames
        for item in request.session.items
        if item.module is request.module
    ):
        yield None
        return
    tmp = tmp_path_factory.mktemp("rendered")
    cmd = [
        sys.executable,
        "-m",
        "stability_report",
        "run",
        "--as-of",
        AS_OF,
        "--output",
        str(tmp / "report"),
        "--figures-dir",
        str(tmp / "figures"),
        "--chromium",
        bs.CHROMIUM,
    ]
    log = (tmp / "render.log").open("w+", encoding="utf-8")
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=bs.clean_env(),
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    job = {"cmd": cmd, "proc": proc, "log": log, "tmp": tmp, "t0": time.monotonic()}
    try:
        yield job
    finally:
        if proc.poll() is None:  # the module was cut short: the kernel and chromium go too
            bs.kill_group(proc)
        log.close()


@pytest.fixture(scope="module")
def rendered(render_job):
    """The report of that run: report.html, report.pdf and the figures it published."""
    proc, tmp = render_job["proc"], render_job["tmp"]
    try:
        proc.wait(timeout=300)
    except subprocess.TimeoutExpired:
        pytest.fail("the render took more than 300 s")
    render_job["log"].seek(0)
    log = render_job["log"].read()
    if proc.returncode != 0:
        pytest.fail(
            f"{' '.join(render_job['cmd'][1:])} exited with {proc.returncode}:\n{log[-4000:]}"
        )
    html, pdf = tmp / "report" / "report.html", tmp / "report" / "report.pdf"
    assert html.is_file() and pdf.is_file(), log[-2000:]
    print(f"rendered, {time.monotonic() - render_job['t0']:.1f} s after the start")
    return {"html": html, "pdf": pdf, "figures": tmp / "figures", "tmp": tmp}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a copy of notebooks/, the package importable from this checkout,
    figures written to a temporary directory; shut down at the end of the module."""
    tmp = tmp_path_factory.mktemp("lab")
    root = tmp / "notebooks"
    shutil.copytree(ROOT / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for path in root.glob("*.ipynb"):  # ends with maths, to know when typesetting is done
        nb = nbformat.read(path, as_version=4)
        nb.cells.append(nbformat.v4.new_markdown_cell(bs.MATH_CANARY))
        nbformat.write(nb, path)
    figures = tmp / "figures"
    pythonpath = [str(ROOT)] + ([p] if (p := os.environ.get("PYTHONPATH")) else [])
    env = bs.clean_env(
        PYTHONPATH=os.pathsep.join(pythonpath), STABILITY_REPORT_FIGURES_DIR=str(figures)
    )
    server = bs.JupyterLab(root_dir=root, workdir=tmp, env=env)
    t0 = time.monotonic()
    server.start()
    print(f"jupyter lab up in {time.monotonic() - t0:.1f} s at {server.base}")
    server.figures = figures
    try:
        yield server
    finally:
        rc = server.stop()
        print(f"jupyter lab stopped (exit {rc})")


@pytest.fixture(scope="module")
def lab_context(browser):
    """One browser context for every notebook: JupyterLab's bundles are fetched once."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    yield context
    context.close()


# ---------------------------------------------------------------------------------------------
# JupyterLab, end to end


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_to_the_end_in_jupyterlab(notebook, lab, lab_context):
    figures_before = bs.snapshot(lab.figures)
    try:
        got = bs.run_all_in_lab(lab_context, lab, notebook.name, timeout=NOTEBOOK_TIMEOUT)
    finally:
        lab.shutdown_kernels()
    print(
        f"{notebook.name}: {got['seconds']} s, {len(got['images'])} figure(s); steps {got['steps']}"
    )
    code_cells = sum(c.cell_type == "code" for c in nbformat.read(notebook, as_version=4).cells)

    assert got["path"] == notebook.name
    assert got["code_cells"] == code_cells, "every code cell of the notebook is in the page"
    assert got["stderr"] == [], got["stderr"]  # stderr streams, warnings and tracebacks
    # every cell ran, in order, on a fresh kernel; the last one included
    assert got["counts"] == list(range(1, code_cells + 1)), got["counts"]
    assert got["page_errors"] == [] and got["console_errors"] == [], got
    # amounts read as written: no output holds a $ that JupyterLab paired into maths
    assert got["math"] == [], got["math"]
    # a notebook that draws (README: it writes figures/...) shows each figure it draws
    draws = "style.show(" in notebook.read_text(encoding="utf-8")
    assert bool(got["images"]) == draws, "figures in the outputs"
    assert all(i["complete"] and i["width"] > 0 and i["height"] > 0 for i in got["images"]), got[
        "images"
    ]
    # its figures went to $STABILITY_REPORT_FIGURES_DIR (not the repository's figures/), each
    # one shown
    after = bs.snapshot(lab.figures)
    written = [n for n in after if n.endswith(".svg") and after[n] != figures_before.get(n)]
    assert bool(written) == draws, "figures written to $STABILITY_REPORT_FIGURES_DIR"
    assert len(got["images"]) >= len(written), (written, len(got["images"]))


def test_jupyterlab_check_sees_errors_and_a_run_cut_short(lab, lab_context):
    """The same route on a notebook that writes to stderr and then raises: the error outputs
    are seen, the cell after the error has no execution count, no figure; and it ends without
    waiting out the timeout."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_code_cell(s)
        for s in (
            "print('fine')",
            "import sys; print('a warning', file=sys.stderr)",
            "raise RuntimeError('deliberate failure')",
            "print('never reached')",
        )
    ]
    nbformat.write(nb, lab.root_dir / "zz-broken.ipynb")
    try:
        got = bs.run_all_in_lab(lab_context, lab, "zz-broken.ipynb", timeout=90)
    finally:
        lab.shutdown_kernels()
    assert got["code_cells"] == 4
    assert got["counts"][:3] == [1, 2, 3] and got["counts"][3] is None, got["counts"]
    assert any("a warning" in s for s in got["stderr"]), got["stderr"]
    assert any("deliberate failure" in s for s in got["stderr"]), got["stderr"]
    assert got["images"] == []
    assert got["seconds"] < 80


_EXPLORER_LAYOUT = """box => {
  const rect = e => { const r = e.getBoundingClientRect();
                      return {l: r.left, r: r.right, t: r.top, b: r.bottom, w: r.width}; };
  const grid = box.querySelector('.widget-gridbox');
  const cells = [...grid.children].map(rect);
  const overlaps = [];
  cells.forEach((a, i) => cells.slice(i + 1).forEach((b, j) => {
    if (a.l < b.r - 1 && b.l < a.r - 1 && a.t < b.b - 1 && b.t < a.b - 1)
      overlaps.push([i, i + j + 1]);
  }));
  const select = box.querySelector('.widget-dropdown select');
  const probe = document.createElement('span');
  probe.style.font = getComputedStyle(select).font;
  probe.textContent = select.options[select.selectedIndex].text;
  document.body.appendChild(probe);
  const needed = probe.getBoundingClientRect().width;
  probe.remove();
  return {
    overlaps: overlaps,
    labels_cut: [...box.querySelectorAll('.explore-label')]
      .filter(l => l.scrollWidth > l.clientWidth + 1 || l.parentElement.scrollWidth >
                   l.parentElement.clientWidth + 1).map(l => l.textContent),
    select: {width: select.getBoundingClientRect().width, text: needed},
    tracks: [...box.querySelectorAll('.widget-slider .slider-container')].map(e => rect(e).w),
  };
}"""


def _drive_the_explorer(page, screenshot: Path | None = None) -> dict:
    """In notebook 02, after Run All: the explorer's widgets, its table and chart; then another
    burn basis chosen in its dropdown, and another growth typed into its slider's readout (as a
    reader does), each followed by what the explorer then shows. (Each change replaces the
    table's and the chart's elements: they are found again by selector, never held.)"""
    box = page.locator(".jp-OutputArea-output .widget-vbox").filter(has_text="Explore the runway")
    box.wait_for(timeout=60_000)
    table = box.locator("table.report-table")
    caption = box.locator("figure.report-figure figcaption")
    table.wait_for(timeout=60_000)

    def shown() -> dict:
        return {"table": table.inner_text(), "caption": caption.inner_text()}

    def until(changed, what: str) -> dict:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            now = shown()
            if changed(now):
                return now
            time.sleep(0.25)
        raise AssertionError(f"the explorer did not change after {what}: {shown()}")

    got = {
        "widgets": {
            "dropdowns": box.locator(".widget-dropdown select").count(),
            "sliders": box.locator(".widget-slider").count(),
            "date pickers": box.locator(".widget-datepicker input").count(),
        },
        "start": shown(),
        "layout": box.evaluate(_EXPLORER_LAYOUT),
    }
    if screenshot is not None:
        box.locator(".widget-gridbox").scroll_into_view_if_needed()
        box.screenshot(path=str(screenshot))
        print(f"the runway explorer in JupyterLab: {screenshot}")
    box.locator(".widget-dropdown select").select_option("February 2024")
    got["basis"] = until(lambda now: now["caption"] != got["start"]["caption"], "the basis")
    readout = box.locator(".widget-slider").first.locator(".widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("0.05")
    page.keyboard.press("Enter")
    got["growth"] = until(lambda now: now["table"] != got["basis"]["table"], "the growth")
    got["readout"] = readout.inner_text()
    return got


def test_runway_explorer_responds_in_jupyterlab(lab, lab_context, tmp_path):
    """Notebook 02's explorer renders as widgets in JupyterLab (a dropdown, two sliders, a date
    picker), laid out at JupyterLab's default width: labels whole, nothing overlapping, the
    dropdown showing its choice whole, the sliders with usable tracks (a screenshot is kept in
    the test's output); with the runway table and the cash chart on the notebook's basis;
    choosing another basis redraws the chart on it, and another growth rate changes the table's
    runways."""
    shot = tmp_path / "runway-explorer.png"
    try:
        got = bs.run_all_in_lab(
            lab_context,
            lab,
            "02-cash-runway.ipynb",
            timeout=NOTEBOOK_TIMEOUT,
            then=lambda page: _drive_the_explorer(page, shot),
        )
    finally:
        lab.shutdown_kernels()
    assert got["page_errors"] == [] and got["console_errors"] == [], got
    ex = got["then"]
    assert ex["widgets"] == {"dropdowns": 1, "sliders": 2, "date pickers": 1}, ex
    lay = ex["layout"]
    assert lay["overlaps"] == [] and lay["labels_cut"] == [], lay
    assert lay["select"]["width"] >= lay["select"]["text"] + 20, lay  # its choice shown whole
    assert len(lay["tracks"]) == 2 and min(lay["tracks"]) >= 150, lay  # a track, not a dot
    assert_not_blank(shot)
    assert "2023 projection" in ex["start"]["caption"], ex["start"]
    assert "No new money" in ex["start"]["table"] and "February 2024" in ex["start"]["table"]
    # the caption names the burn rate chosen in the dropdown
    assert (
        "February 2024" in ex["basis"]["caption"]
        and ex["basis"]["caption"] != ex["start"]["caption"]
    )
    assert ex["basis"]["table"] == ex["start"]["table"]  # every basis is in the table anyway
    assert ex["growth"]["table"] != ex["basis"]["table"] and ex["readout"] == "5.0%", ex


def test_jupyterlab_check_sees_amounts_typeset_as_maths(lab, lab_context):
    """The maths check on outputs that JupyterLab does typeset: two amounts written with a bare
    `$` in one Markdown output, and with `\\$` in an emphasised one, are seen; two amounts
    through the package's prose (show), in one emphasised run of text, are left as written."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_code_cell(s)
        for s in (
            "from IPython.display import Markdown\nMarkdown('between $5 million and $8 million')",
            "from IPython.display import Markdown\n"
            "Markdown(r'*cash of \\$153 million less \\$99 million a year*')",
            "from stability_report.present import cite, show\n"
            "show('*{a} and {b}*', a=cite(6e6), b=cite(9e6))",
        )
    ] + [nbformat.v4.new_markdown_cell(bs.MATH_CANARY)]
    nbformat.write(nb, lab.root_dir / "zz-maths.ipynb")
    try:
        got = bs.run_all_in_lab(lab_context, lab, "zz-maths.ipynb", timeout=90)
    finally:
        lab.shutdown_kernels()
    assert got["counts"] == [1, 2, 3], got
    assert sorted({cell for cell, _ in got["math"]}) == [0, 1], got["math"]


# ---------------------------------------------------------------------------------------------
# the rendered HTML, offline


def assert_not_blank(png: Path) -> None:
    from PIL import Image

    with Image.open(png) as im:
        assert im.width > 0 and im.height > 0
        ink, colours = bs.ink_fraction(im), bs.distinct_colours(im)
    assert ink > 0.01 and colours > 32, f"{png.name} looks blank: ink {ink:.4f}, {colours} colours"


def test_report_html_offline(rendered, browser, tmp_path):
    visit = bs.visit_offline(browser, rendered["html"], screenshot=tmp_path / "report.png")
    assert visit.problems() == []
    assert visit.requests == [visit.url], visit.requests
    assert not [u for u in visit.requests if u.startswith(("http:", "https:", "ws:", "wss:"))]
    # every figure the run published is in the page, and every image has loaded
    figures = sorted(rendered["figures"].glob("*.svg"))
    shown = rendered["html"].read_text(encoding="utf-8").count('<div class="figure-picture"')
    assert figures and shown >= len(figures), (shown, len(figures))
    assert all(i["complete"] and i["width"] > 0 for i in visit.images)
    assert_not_blank(visit.screenshot)


def test_offline_check_catches_requests_scripts_and_broken_images(rendered, browser, tmp_path):
    html = rendered["html"].read_text(encoding="utf-8")
    doctored = tmp_path / "report.html"
    doctored.write_text(
        html.replace(
            "</head>",
            '<script src="https://cdn.example.invalid/lib.js"></script>'
            '<link rel="stylesheet" href="http://fonts.example.invalid/a.css"></head>',
            1,
        ).replace(
            "</body>",
            '<img alt="broken" src="data:image/png;base64,AAAA">'
            "<script>throw new Error('deliberate page error')</script></body>",
            1,
        ),
        encoding="utf-8",
    )
    problems = "\n".join(bs.visit_offline(browser, doctored).problems())
    assert "https://cdn.example.invalid/lib.js" in problems
    assert "http://fonts.example.invalid/a.css" in problems
    assert "image not loaded" in problems and "(broken)" in problems
    assert "deliberate page error" in problems


def test_blank_screenshot_is_caught(browser, tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_text("<!doctype html><title>x</title><body></body>", encoding="utf-8")
    visit = bs.visit_offline(browser, empty, screenshot=tmp_path / "empty.png")
    assert visit.problems() == []
    with pytest.raises(AssertionError, match="looks blank"):
        assert_not_blank(visit.screenshot)


PHONE = (390, 844)
TABLET = (768, 1024)
DESKTOP = (1280, 800)
CONTENTS_OK = {
    "href": "#report-contents",
    "position": "fixed",
    "visible": True,
    "beside_text": True,
}


def test_phone_width_page_does_not_scroll_sideways(rendered, browser, tmp_path):
    """At 390 px the page is exactly as wide as the screen (long hashes and words wrap); what
    is wider, a table or a figure drawn at its 7 in, scrolls inside its own box, so chart text
    keeps the size it was drawn at; the link back to the contents stays on screen."""
    from PIL import Image

    got = bs.layout(browser, rendered["html"], *PHONE, screenshot=tmp_path / "phone.png")
    with Image.open(tmp_path / "phone.png") as shot:
        assert shot.width == PHONE[0], f"the page scrolls sideways: {shot.width} px wide"
    assert got["scroll_width"] == got["client_width"] == PHONE[0], got
    assert got["wide"], "at phone width some tables and the figures are wider than the screen"
    assert all(w["overflow"] == "auto" for w in got["wide"]), got["wide"]
    assert got["figures"] and min(got["figures"]) >= 7 * 96, got["figures"]
    assert {f"fig-{p.stem}" for p in rendered["figures"].glob("*.svg")} <= {
        w["id"] for w in got["wide"]
    }
    assert got["contents"] == CONTENTS_OK
    # a figure's title is the page's text: whole on the screen, wrapped, never cut
    assert got["titles"] and all(
        t["right"] <= PHONE[0] and t["width"] <= t["box"] for t in got["titles"]
    ), got["titles"]
    assert_not_blank(tmp_path / "phone.png")


def test_phone_width_check_sees_a_page_that_scrolls_sideways(rendered, browser, tmp_path):
    """The same check on the report without its narrow-screen rules and with one block drawn
    wider than any phone (so the page cannot fit, whatever else it holds): the check sees the
    page wider than the screen, and the figures shrink to the screen."""
    html = rendered["html"].read_text(encoding="utf-8")
    rule = "@media screen and (max-width: 760px)"
    assert html.count(rule) == 1
    assert html.count("</body>") == 1
    html = html.replace("</body>", '<div style="width: 900px; height: 4px"></div></body>')
    doctored = tmp_path / "report.html"
    doctored.write_text(html.replace(rule, "@media screen and (max-width: 1px)"), encoding="utf-8")
    got = bs.layout(browser, doctored, *PHONE)
    assert got["scroll_width"] > got["client_width"] == PHONE[0], got
    assert max(got["figures"]) < 7 * 96


def test_desktop_contents_stay_reachable(rendered, browser):
    """On a desktop screen, at the end of the report, the link back to the contents is on
    screen, and figures are drawn at the column's width (no sideways scrolling)."""
    got = bs.layout(browser, rendered["html"], *DESKTOP)
    assert got["scroll_width"] == got["client_width"] == DESKTOP[0]
    assert got["contents"] == CONTENTS_OK
    assert not [w for w in got["wide"] if w["id"].startswith("fig-")], got["wide"]


@pytest.mark.parametrize("size", [PHONE, TABLET, DESKTOP], ids=lambda s: f"{s[0]}px")
def test_contents_control_never_covers_text(rendered, browser, size):
    """At 390, 768 and 1280 px the Contents control stands beside the text column (in the
    margin, or in the gutter the page keeps for it), so it covers no text wherever one is."""
    got = bs.layout(browser, rendered["html"], *size)
    assert got["contents"] == CONTENTS_OK, (size, got["contents"])
    assert got["scroll_width"] == got["client_width"] == size[0]


def _page(browser, rendered, width=1280, scheme="light"):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, offline=True
    )
    page = context.new_page()
    page.goto(rendered["html"].resolve().as_uri(), wait_until="load")
    return context, page


def test_citation_highlights_its_entry_which_links_back_to_every_citation(rendered, browser):
    context, page = _page(browser, rendered)
    try:
        cites = page.locator('a.id-ref[href="#fact-M014"]')
        n = cites.count()
        assert n >= 2
        first = cites.first
        first.scroll_into_view_if_needed()
        first.click()
        assert page.evaluate("location.hash") == "#fact-M014"
        entry = page.locator("#fact-M014")
        plain = page.evaluate(
            "getComputedStyle(document.querySelector('#fact-M015')).backgroundColor"
        )
        lit = entry.evaluate("e => getComputedStyle(e).backgroundColor")
        assert lit != plain and lit not in ("rgba(0, 0, 0, 0)", "transparent"), (lit, plain)
        # ^ a b c ...: one back-link per citation, each to an element that is that citation
        back = entry.locator(".ev-back a")
        assert back.count() == n
        targets = [back.nth(i).get_attribute("href") for i in range(n)]
        for t in targets:
            assert page.evaluate(f"document.getElementById('{t[1:]}').getAttribute('href')") == (
                "#fact-M014"
            )
        back.nth(n - 1).click()
        assert page.evaluate("location.hash") == targets[-1]
        assert (
            page.evaluate("document.querySelector(':target').getBoundingClientRect().top") < 900
        )  # scrolled to it
    finally:
        context.close()


def test_citation_shows_its_quote_on_hover_and_focus_without_a_script(rendered, browser):
    from stability_report.facts.plain import FactBase

    fb = FactBase.load(bs.ROOT / "data" / "facts", bs.ROOT / "data" / "raw")
    context, page = _page(browser, rendered)
    try:
        assert page.evaluate("document.scripts.length") == 0
        link = page.locator('a.id-ref[href="#fact-M023"]').first
        after = "e => getComputedStyle(e, '::after').content"
        assert link.evaluate(after) in ("none", "normal", '""')  # nothing before it is pointed at
        link.scroll_into_view_if_needed()
        link.hover()
        shown = link.evaluate(after)
        quote = " ".join(fb.row("M023")["quote"].split())
        assert quote[:60] in shown and "S00" in shown, shown
        box = link.evaluate(
            "e => { const s = getComputedStyle(e, '::after');"
            " return [s.position, s.display, s.visibility]; }"
        )
        assert box[0] == "fixed" and box[2] == "visible", box
        page.mouse.move(0, 0)
        page.locator('a.id-ref[href="#fact-M014"]').first.focus()
        assert "less than" in page.locator('a.id-ref[href="#fact-M014"]').first.evaluate(after)
    finally:
        context.close()


def test_figure_marks_link_to_existing_entries(rendered, browser):
    context, page = _page(browser, rendered)
    try:
        marks = page.evaluate(
            """[...document.querySelectorAll('.figure-picture svg a')].map(a => ({
                 href: a.getAttribute('xlink:href') || a.getAttribute('href'),
                 figure: a.closest('figure').id}))"""
        )
        assert len(marks) > 10
        figures = {m["figure"] for m in marks}
        assert {
            "fig-runway-cost-structure",
            "fig-runway-revenue",
            "fig-runway-fundraising",
            "fig-attrition-timeline",
            "fig-overview-timeline",
        } <= figures, figures
        for m in marks:
            assert m["href"].startswith("#"), m
            assert page.evaluate(
                f"(document.getElementById('{m['href'][1:]}') || {{classList: []}})"
                ".classList.contains('ev-entry')"
            ), m
        # a click on a bar leads to its entry, highlighted
        bar = page.locator("#fig-runway-fundraising svg a").first
        href = bar.get_attribute("xlink:href") or bar.get_attribute("href")
        bar.scroll_into_view_if_needed()
        bar.click()
        assert page.evaluate("location.hash") == href
    finally:
        context.close()


def test_dark_mode_follows_the_system_and_figures_stay_on_white(rendered, browser):
    def colours(scheme):
        context, page = _page(browser, rendered, scheme=scheme)
        try:
            return page.evaluate(
                """() => ({bg: getComputedStyle(document.body).backgroundColor,
                           ink: getComputedStyle(document.body).color,
                           fig: getComputedStyle(document.querySelector('.figure-picture svg'))
                                  .backgroundColor})"""
            )
        finally:
            context.close()

    def light(rgb: str) -> float:
        r, g, b = (int(x) for x in re.findall(r"\d+", rgb)[:3])
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255

    day, night = colours("light"), colours("dark")
    assert light(day["bg"]) > 0.9 and light(day["ink"]) < 0.2
    assert light(night["bg"]) < 0.15 and light(night["ink"]) > 0.8
    assert light(night["fig"]) > 0.95  # the figures keep their white paper


def test_download_links_lead_to_the_run_s_files(rendered, browser):
    context, page = _page(browser, rendered)
    try:
        for where in ("#report-downloads", ".run-files"):
            hrefs = page.evaluate(
                f"[...document.querySelectorAll('{where} a')].map(a => a.getAttribute('href'))"
            )
            assert {"report.pdf", "brief.pdf", "results.json"} <= set(hrefs), (where, hrefs)
            assert any(h.startswith("attachments/") and h.endswith(".csv") for h in hrefs)
            out = rendered["html"].parent
            assert all((out / h).is_file() for h in hrefs), [
                h for h in hrefs if not (out / h).is_file()
            ]
    finally:
        context.close()


# ---------------------------------------------------------------------------------------------
# the PDF


def test_pdf_page_count(rendered):
    from pypdf import PdfReader

    assert len(PdfReader(rendered["pdf"]).pages) > 5


@needs_poppler
def test_pdf_fonts_all_embedded(rendered):
    fonts = bs.pdffonts(rendered["pdf"])
    assert fonts, "pdffonts lists no font: is the text there at all?"
    assert [f["name"] for f in fonts if f["emb"] != "yes"] == [], fonts


@needs_poppler
def test_pdf_fonts_check_catches_a_font_not_embedded(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"pdf.use14corefonts": True, "font.family": "sans-serif"}):
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.set_title("Helvetica, not embedded")
        fig.savefig(tmp_path / "core14.pdf")
        plt.close(fig)
    fonts = bs.pdffonts(tmp_path / "core14.pdf")
    assert fonts and any(f["emb"] == "no" for f in fonts), fonts


@needs_poppler
def test_pdf_every_page_has_ink(rendered, tmp_path):
    from PIL import Image
    from pypdf import PdfReader

    pages = bs.pdf_pages_as_png(rendered["pdf"], tmp_path / "pages", dpi=30)
    assert len(pages) == len(PdfReader(rendered["pdf"]).pages)
    blank = []
    for png in pages:
        with Image.open(png) as im:
            # a page with only its running header and footer is about 0.1 % ink at 30 dpi;
            # the sparsest page of the report (the title page) is about 2 %
            if bs.ink_fraction(im) < 0.005:
                blank.append(png.name)
    assert blank == []


@needs_poppler
def test_pdf_blank_page_is_caught(tmp_path):
    from PIL import Image
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with open(tmp_path / "blank.pdf", "wb") as f:
        writer.write(f)
    [png] = bs.pdf_pages_as_png(tmp_path / "blank.pdf", tmp_path / "pages")
    with Image.open(png) as im:
        assert bs.ink_fraction(im) == 0


@needs_poppler
def test_pdf_text_has_the_chapters_and_dollar_amounts(rendered):
    text = re.sub(r"\s+", " ", bs.pdf_text(rendered["pdf"]))
    for chapter in CHAPTERS:
        assert chapter in text, chapter
    assert re.search(r"\$\d[\d,.]* (?:million|billion)\b", text), "no '$N million' in the PDF"
