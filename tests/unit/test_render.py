"""The rendered report: self-contained HTML with the key sections, a PDF whose text reads right,
and the render helpers (checks, table of contents, figure numbers, PDF dates).

The tests of the same that need a whole run are in tests/integration/test_render.py.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from stability_report import config, errors
from stability_report.present.markdown import DOLLAR
from stability_report.render import combine, pdf
from stability_report.render import html as build_html
from stability_report.render import page as build_page


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<img src="https://example.org/x.png">',
        '<link rel="stylesheet" href="http://example.org/x.css">',
        "<style>@import url(https://example.org/x.css);</style>",
        '<div style="background: url(https://example.org/x.png)"></div>',
        '<iframe src="//example.org"></iframe>',
    ],
)
def test_check_html_refuses_scripts_and_fetches(snippet):
    assert build_page.check_html(f"<main>{snippet}</main>")


def test_check_html_allows_links_data_images_and_anchors():
    ok = (
        '<a href="https://example.org/article">source</a><img src="data:image/svg+xml;base64,'
        'PHN2Zy8+"><a href="#fig-1">Figure 1</a><style>p{color:red}</style>'
    )
    assert build_page.check_html(ok) == []


def test_finish_html_makes_ids_unique_and_fills_contents():
    body = (
        "<nav><!-- stability-report:toc --></nav><main>"
        '<h1 id="Sources">Sources<a class="anchor-link" href="#Sources">¶</a></h1>'
        '<h2 id="Notes">Notes<a class="anchor-link" href="#Notes">¶</a></h2>'
        '<h1 id="Sources">Sources<a class="anchor-link" href="#Sources">¶</a></h1></main>'
    )
    out, problems = build_page.finish_html(body)
    assert problems == []
    assert out.count('id="Sources"') == 1 and 'id="Sources-2"' in out
    assert 'href="#Sources-2">¶' in out
    assert '<li class="toc-1"><a href="#Sources">Sources</a></li>' in out
    assert '<li class="toc-2"><a href="#Notes">Notes</a></li>' in out
    assert '<li class="toc-1"><a href="#Sources-2">Sources</a></li>' in out


def test_combine_drops_parameter_cells_and_numbers_figures():
    def nb(stem_cells):
        n = nbformat.v4.new_notebook()
        n.cells = stem_cells
        return n

    params = nbformat.v4.new_code_cell("as_of = '2024-06-04'")
    params.metadata["tags"] = ["parameters"]
    quiet = nbformat.v4.new_code_cell("x = 1")
    fig = nbformat.v4.new_code_cell("style.show(...)")
    fig.outputs = [
        nbformat.v4.new_output(
            "display_data",
            {
                "text/html": (
                    '<figure class="report-figure" id="fig-a"><img src="data:,">'
                    "<figcaption>A</figcaption>"
                    '</figure><figure class="report-figure" id="fig-b"><img src="data:,">'
                    "<figcaption>B</figcaption></figure>"
                )
            },
        )
    ]
    merged = combine.combine(
        [("01-a", nb([nbformat.v4.new_markdown_cell("# A"), params, quiet, fig]))], show_code=False
    )
    assert [c.cell_type for c in merged.cells] == ["markdown", "code"]
    assert combine.number_figures(merged) == 2
    html = merged.cells[1].outputs[0].data["text/html"]
    assert '<figcaption><span class="figure-number">Figure 1:</span> A' in html
    assert '<figcaption><span class="figure-number">Figure 2:</span> B' in html


def test_fix_pdf_sets_dates_in_place():
    data = (
        b"%PDF-1.4\n1 0 obj\n<</Producer (Skia/PDF m156)\n"
        b"/CreationDate (D:20261122024614+00'00')"
        b"\n/ModDate (D:20261122024614+00'00')>>\nendobj\n2 0 obj\n<</ID (node00000193)>>\n"
        b"<</Headers [(node00000193)]>> <</ID (node00000190)>>\n"
        b"trailer\n<</ID [<AB12> <AB12>]>>\n"
    )
    out = pdf.fix_pdf(data, "2024-06-04", "0" * 64)
    assert len(out) == len(data)
    assert out.count(b"(D:20240604000000+00'00')") == 2
    assert b"AB12" not in out
    assert out.count(b"(node00000001)") == 2 and out.count(b"(node00000002)") == 1
    assert pdf.fix_pdf(out, "2024-06-04", "0" * 64) == out


def _info() -> dict:
    return {
        "run_id": "2024-06-04_0000000000",
        "as_of": "2024-06-04",
        "params": {"as_of": "2024-06-04"},
        "options": {"show_code": False, "pdf": True},
        "inputs_hash": "0" * 64,
        "git_commit": "unknown",
        "facts_digest": "1" * 64,
        "versions": {"python": "3", "nbconvert": "7"},
        "notebooks": ["01-t.ipynb"],
    }


def _one_output(data: dict):
    nb = nbformat.v4.new_notebook(metadata={"language_info": {"name": "python"}})
    cell = nbformat.v4.new_code_cell("show(...)")
    cell.outputs = [nbformat.v4.new_output("display_data", data)]
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), cell]
    return [("01-t", nb)]


def test_render_refuses_markup_from_the_data_that_would_run():
    hostile = _one_output({"text/html": '<p>quote: <img src=x onerror="alert(1)"></p>'})
    with pytest.raises(errors.RenderError, match="onerror"):
        build_html.render_report(hostile, _info(), False, Path("."))


def test_render_shows_escaped_markup_as_text_and_dollars_literally():
    md = _one_output(
        {
            "text/markdown": "He said &lt;script&gt;alert(1)&lt;/script&gt; about "
            "\\$5.4 million and \\$3 million, or "
            f"{DOLLAR}5.4 million and {DOLLAR}3 million.",
            "text/plain": "...",
        }
    )
    html = build_html.render_report(md, _info(), False, Path(".")).html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html
    assert "$5.4 million and $3 million, or" in html
    assert "<span>$</span>5.4 million and <span>$</span>3 million." in html


def test_combine_drops_notebook_only_cells_and_marks_the_first_notebook_s_brief_cells():
    def nb(*cells):
        n = nbformat.v4.new_notebook()
        n.cells = list(cells)
        return n

    def cell(source, *tags):
        c = nbformat.v4.new_markdown_cell(source)
        c.metadata["tags"] = list(tags)
        return c

    merged = combine.combine(
        [
            (
                "01-a",
                nb(
                    cell("# A"),
                    cell("Reads ... Writes ...", "notebook-only"),
                    cell("Bottom line", "brief"),
                ),
            ),
            ("02-b", nb(cell("# B"), cell("Not in the brief", "brief"))),
        ],
        show_code=False,
    )
    assert [c.source for c in merged.cells] == ["# A", "Bottom line", "# B", "Not in the brief"]
    assert [bool(c.metadata.get("stability_report_brief")) for c in merged.cells] == [
        False,
        True,
        False,
        False,
    ]


def test_number_tables_in_reading_order_with_anchors():
    import pandas as pd

    from stability_report.present.tables import table_html

    df = pd.DataFrame({"a": ["x"]})
    cell = nbformat.v4.new_code_cell("show_table(...)")
    cell.outputs = [
        nbformat.v4.new_output("display_data", {"text/html": t})
        for t in (table_html(df, "First", anchor="first"), table_html(df), table_html(df, "Third"))
    ]
    nb = nbformat.v4.new_notebook()
    nb.cells = [cell]
    assert combine.number_tables(nb) == {"first": 1}
    html = "".join(o.data["text/html"] for o in cell.outputs)
    assert 'id="tbl-first"' in html
    from bs4 import BeautifulSoup

    captions = BeautifulSoup(html, "html.parser").find_all("caption")
    numbers = [c.find("span", class_="table-number").get_text() for c in captions]
    assert numbers == ["Table 1:", "Table 2", "Table 3:"]
    assert [c.get_text().split(":", 1)[-1].strip() for c in captions] == [
        "First",
        "Table 2",
        "Third",
    ]
    with pytest.raises(ValueError, match="table anchor"):
        table_html(df, anchor="Not OK")


def test_title_page_counts_and_names_the_sources_of_sources_csv(tmp_path):
    """A third article changes the subtitle and the basis line; the title stays."""
    import csv

    from stability_report.facts.plain import FactBase
    from stability_report.render import brief

    facts, raw = tmp_path / "facts", tmp_path / "raw"
    facts.mkdir()
    raw.mkdir()
    with open(config.FACTS / "sources.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows.append(
        {
            **rows[-1],
            "source_id": "S002",
            "file": "002.txt",
            "outlet": "",
            "headline": "A third <article>",
            "published_start": "2024-07-01",
            "published_end": "2024-07-01",
            "published_precision": "day",
            "updated": "",
        }
    )
    with open(facts / "sources.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(dict.fromkeys([*rows[0], "outlet"])))
        w.writeheader()
        w.writerows(rows)
    for r in rows:
        src = config.RAW / r["file"]
        (raw / r["file"]).write_bytes(src.read_bytes() if src.exists() else b"A third <article>")
    fb = FactBase.load(facts, raw)
    assert build_html.subtitle(fb).endswith("reconstructed from three news articles")
    line = brief.sources_line(fb)
    assert line.startswith("three news articles: S000 “Key stable diffusion researchers")
    assert "S002 “A third &lt;article&gt;” (published 1 July 2024)" in line
    one = FactBase.load(config.FACTS, config.RAW)
    one.sources = one.sources[:1]
    assert build_html.subtitle(one).endswith("from one news article")


def test_the_briefs_sources_line_says_when_the_dates_are_the_reports():
    from stability_report.facts.plain import FactBase
    from stability_report.facts.vocabulary import DATING_GIVEN
    from stability_report.render.brief import short_sources_line

    def source(sid, start, end, precision, note=""):
        return {
            "source_id": sid,
            "published_start": start,
            "published_end": end,
            "published_precision": precision,
            "dating_note": note,
        }

    def line(*sources):
        return short_sources_line(FactBase(Path("."), Path("."), sources=list(sources)))

    stated = source("S000", "2024-03-02", "2024-03-02", "day")
    window = source("S001", "2024-03-01", "2024-12-31", "range")
    given = source(
        "S002", "2024-03-25", "2024-03-31", "range", f"Published between ... {DATING_GIVEN}"
    )
    # every date read from the text: said once, before the list
    assert line(window, {**window, "source_id": "S003"}).startswith(
        "two news articles, dated by the report from their text: S001"
    )
    # a stated date needs no word; the others say how they are known
    both = line(stated, window)
    assert both.startswith("two news articles: S000") and "S001 (published Mar–Dec 2024)" in both
    assert both.endswith(". S001 is dated by the report from its text")
    three = line(stated, window, given)
    assert three.endswith(
        ". S001 is dated by the report from its text, S002 as dated when registered"
    )
    assert line(stated) == "one news article: S000 (published 2 Mar 2024)"
