"""Figures: saved in line (JupyterLab) or drawn in a forked child (the pipeline's kernel), with
the same bytes either way; the placeholder of a background figure and its replacement; the SVG
shown inline with its ids made unique and its fact marks as links; the smallest text."""

from __future__ import annotations

import base64
import html
import os
import re

import pytest
from bs4 import BeautifulSoup

from stability_report import config
from stability_report.figures import embed, style

needs_fork = pytest.mark.skipif(
    not hasattr(os, "fork"), reason="figures are drawn in a forked child only where fork() exists"
)


def _figure(label: str = "Cash, $M"):
    fig, ax = style.new_figure(height=2.4)
    ax.plot([0, 1, 2], [4, 3, 1], label=label)
    ax.set_xlabel("months")
    ax.legend()
    style.finish(fig, "A test figure")
    return fig


def _src(figure_html: str) -> str:
    return re.search(r'src="data:image/svg\+xml;base64,([^"]*)"', figure_html).group(1)


def _inline(figure_html: str) -> str:
    return re.search(r'<div class="figure-picture"[^>]*>(.*?)</div>', figure_html, re.S).group(1)


@pytest.fixture
def inline(tmp_path, monkeypatch):
    monkeypatch.setenv("STABILITY_REPORT_FIGURES_DIR", str(tmp_path / "inline"))
    monkeypatch.delenv(config.ENV_BACKGROUND, raising=False)
    return tmp_path / "inline"


@pytest.fixture
def background(tmp_path, monkeypatch):
    monkeypatch.setenv("STABILITY_REPORT_FIGURES_DIR", str(tmp_path / "background"))
    monkeypatch.setenv(config.ENV_BACKGROUND, "1")
    yield tmp_path / "background"
    style.wait_figures()


def test_inline_save_writes_svg_and_png_and_embeds_the_svg(inline):
    out = style.save(_figure(), "test-inline", "Caption with $5.4M & <b>")
    svg = (inline / "test-inline.svg").read_bytes()
    assert (inline / "test-inline.png").read_bytes().startswith(b"\x89PNG")
    assert _inline(out) == embed.inline_svg(svg.decode(), "test-inline")
    assert _inline(out).startswith("<svg")  # no XML prolog inside the page
    assert "Caption with &#36;5.4M &amp; &lt;b&gt;" in out  # escaped, no TeX
    assert '<p class="figure-title">A test figure</p>' in out  # the title is the page's text


def test_in_memory_writes_no_file_and_embeds_the_svg(background):
    out = style.in_memory(_figure(), "Caption with $5.4M & <b>")
    assert base64.b64decode(_src(out)).lstrip().startswith(b"<?xml")
    assert "Caption with &#36;5.4M &amp; &lt;b&gt;" in out and 'id="fig-' not in out
    assert not background.exists()  # nothing written, nothing left to wait for


@needs_fork
def test_background_figure_has_the_same_bytes_as_inline(inline, background, monkeypatch):
    monkeypatch.delenv(config.ENV_BACKGROUND)
    monkeypatch.setenv("STABILITY_REPORT_FIGURES_DIR", str(inline))
    first = style.save(_figure(), "same", "c")
    monkeypatch.setenv(config.ENV_BACKGROUND, "1")
    monkeypatch.setenv("STABILITY_REPORT_FIGURES_DIR", str(background))
    second = style.save(_figure(), "same", "c")
    assert _inline(second) == embed.placeholder("same")
    style.wait_figures()
    for ext in ("svg", "png"):
        assert (background / f"same.{ext}").read_bytes() == (inline / f"same.{ext}").read_bytes()
    assert embed.embed_svgs(second, background) == first


@needs_fork
def test_a_warning_in_a_background_figure_is_raised_naming_it(background):
    fig = _figure(label="\u4e2d")  # no such glyph in DejaVu Sans: a warning at draw
    style.save(fig, "warns", "c")
    with pytest.raises(RuntimeError, match=r"figure 'warns' warned: .*Glyph"):
        style.wait_figures()


@needs_fork
def test_a_failing_background_figure_raises_where_it_is_awaited(background):
    fig = _figure()
    background.mkdir(parents=True)
    (background / "blocked.svg").mkdir()  # the SVG cannot be written: in the child, then here
    style.save(fig, "blocked", "c")
    with pytest.raises(IsADirectoryError):
        style.wait_figures()


def test_figure_names_are_checked():
    fig = _figure()
    with pytest.raises(ValueError, match="lower-case"):
        style.save(fig, "../escape", "c")
    style.plt.close(fig)


def test_only_the_placeholder_save_writes_is_replaced(tmp_path):
    (tmp_path / "fig-a.svg").write_bytes(b'<?xml version="1.0"?>\n<svg/>')
    real = f'<div class="figure-picture">{embed.placeholder("fig-a")}</div>'
    # text from the data reaches the HTML escaped: it cannot write the comment
    forged = html.escape(embed.placeholder("fig-a"))
    out = embed.embed_svgs(real + forged, tmp_path)
    assert out.startswith('<div class="figure-picture"><svg/></div>')
    assert out.endswith(forged)
    assert embed.embed_svgs("nothing to do", tmp_path) == "nothing to do"


def test_a_missing_figure_is_an_error_not_a_broken_image(tmp_path):
    with pytest.raises(FileNotFoundError):
        embed.embed_svgs(embed.placeholder("gone"), tmp_path)


def test_inline_svg_ids_are_the_figures_own_and_fact_links_stay(tmp_path):
    svg = (
        '<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg><defs><path id="g1"/>'
        '<clipPath id="p9"><rect/></clipPath></defs><use xlink:href="#g1"/>'
        '<g clip-path="url(#p9)"><a xlink:href="#fact-M014" target="_blank"><path/></a></g></svg>'
    )
    out = embed.inline_svg(svg, "cash")
    assert out.startswith("<svg>")
    assert 'id="cash-g1"' in out and 'xlink:href="#cash-g1"' in out and "url(#cash-p9)" in out
    # a link to a fact keeps its target, opens in the page, and names the fact on hover
    (link,) = BeautifulSoup(out, "html.parser").find_all("a")
    assert link["xlink:href"] == "#fact-M014" and "target" not in link.attrs
    title = link.contents[0]
    assert title.name == "title" and title.get_text().startswith("M014")
    # without links (the brief): the mark stays, the link goes
    plain = embed.inline_svg(svg, "cash", links=False)
    assert "<a " not in plain and "</a>" not in plain and "<path/>" in plain


def test_marks_linked_to_facts_are_links_in_the_svg_and_listed(inline):
    fig, ax = style.new_figure(height=2.0)
    bars = ax.bar([0, 1], [3, 4])
    style.link(bars[0], ["M014", "M015"])
    style.link(bars[1], "M020")
    style.finish(fig, "Linked")
    assert style.linked_ids(fig) == ["M014", "M020"]
    out = style.save(fig, "linked", "c")
    svg = _inline(out)
    assert svg.count('<a xlink:href="#fact-M014">') == 1
    assert svg.count('<a xlink:href="#fact-M020">') == 1
    assert "Marks in the figure link to their facts: M014, M020." in out


def test_source_line_names_sources_by_outlet_and_date_never_by_headline(tmp_path, monkeypatch):
    facts = tmp_path / "facts"
    facts.mkdir()
    (facts / "sources.csv").write_text(
        "source_id,headline,published_start,published_end,updated,outlet\n"
        f"S000,{'A very long headline ' * 20},2024-02-01,2024-06-04,,The Daily Fiction\n"
        "S001,Short,2024-03-01,2024-12-31,,\n",
        encoding="utf-8",
    )
    monkeypatch.setenv(config.ENV_FACTS, str(facts))
    line = style.source_line()
    assert "headline" not in line
    assert "S000 (The Daily Fiction, published Feb–Jun 2024)" in line.replace("\n", " ")
    assert "S001 (published Mar–Dec 2024)" in line.replace("\n", " ")
    assert all(len(row) <= style.SOURCE_CHARS for row in line.splitlines())


def test_a_label_from_the_data_is_shortened_to_fit_beside_the_chart():
    from stability_report.figures.style import LABEL_CHARS, label

    assert label("Sound Ventures (Q2 2023)") == "Sound Ventures (Q2 2023)"
    two = label("sought: NVIDIA; Google; Intel; World Bank (Jul 2023)")
    assert two == "sought: NVIDIA; Google; Intel;\nWorld Bank (Jul 2023)"  # wrapped, not cut
    long = label("raised: " + "X Y " * 60).split("\n")
    assert len(long) == 2 and all(len(x) <= LABEL_CHARS for x in long) and long[1].endswith("…")


def test_figures_with_very_long_labels_still_lay_out():
    import warnings

    import matplotlib.pyplot as plt

    from stability_report.figures import runway as runway_figures

    rows = [("raised: " + "Lightspeed" + "X" * 240, 5e7, "raised"), ("sought", 5e8, "sought")]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a collapsed layout warns
        fig = runway_figures.fundraising_figure(rows)
        fig.canvas.draw()
    plt.close(fig)


def test_a_scatter_mark_links_to_its_fact():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    mark = ax.scatter([1], [2], linestyles="--")
    style.link(mark, "M901")
    assert style.linked_ids(fig) == ["M901"]
    plt.close(fig)
