"""Figures: saved in line (JupyterLab) or drawn in a forked child (the pipeline's kernel), with
the same bytes either way; the placeholder of a background figure and its replacement."""

from __future__ import annotations

import base64
import html
import os
import re

import pytest

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
    assert base64.b64decode(_src(out)) == svg
    assert "Caption with &#36;5.4M &amp; &lt;b&gt;" in out  # escaped, no TeX


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
    assert _src(second) == embed.placeholder("same")
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


def test_only_the_attribute_save_writes_is_replaced(tmp_path):
    (tmp_path / "fig-a.svg").write_bytes(b"<svg/>")
    encoded = base64.b64encode(b"<svg/>").decode()
    real = f'<img src="data:image/svg+xml;base64,{embed.placeholder("fig-a")}">'
    # text from the data reaches the HTML escaped: it cannot close the attribute
    forged = html.escape(f'src="data:image/svg+xml;base64,{embed.placeholder("fig-a")}"')
    out = embed.embed_svgs(real + forged, tmp_path)
    assert out.startswith(f'<img src="data:image/svg+xml;base64,{encoded}">')
    assert out.endswith(forged)
    assert embed.embed_svgs("nothing to do", tmp_path) == "nothing to do"


def test_a_missing_figure_is_an_error_not_a_broken_image(tmp_path):
    with pytest.raises(FileNotFoundError):
        embed.embed_svgs(
            f'<img src="data:image/svg+xml;base64,{embed.placeholder("gone")}">', tmp_path
        )


def test_a_label_from_the_data_is_shortened_to_fit_beside_the_chart():
    from stability_report.figures.style import LABEL_CHARS, label

    assert label("Sound Ventures (Q2 2023)") == "Sound Ventures (Q2 2023)"
    long = label("raised: " + "X" * 240)
    assert len(long) == LABEL_CHARS and long.endswith("…")


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
