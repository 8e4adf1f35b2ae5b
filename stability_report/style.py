"""The house style of every figure: one look, readable in greyscale and at PDF page width, a source
line naming the articles, and files saved byte-for-byte reproducibly as SVG and PNG.
"""

from __future__ import annotations

import base64
import html
import io
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from . import paths  # noqa: E402

# Colours differ in lightness as well as hue, so they stay apart when printed in greyscale.
INK = "#1a1a1a"
DARK = "#2c5d8a"  # dark blue
MID = "#d1782c"  # orange, mid lightness
LIGHT = "#a9c6e0"  # light blue
GREY = "#8a8a8a"
RED = "#a8262b"
PALETTE = (DARK, MID, GREY, LIGHT, RED, INK)
LINESTYLES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1)), (0, (1, 1)))
MARKERS = ("o", "s", "^", "D", "v", "P")

WIDTH_IN = 7.0  # fits the text width of an A4 page with 18 mm margins
SOURCE_LINE = (
    "Sources: S000 “Key stable diffusion researchers leave Stability AI as company goes into "
    "decline” (updated 4 June 2024);\nS001 “The Elimination Wave of Large Model Startups Begins: "
    "This is the First $1 Billion Valuation Sacrifice” (2024)."
)

_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9,
    "axes.edgecolor": "#444444",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 8,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "svg.hashsalt": "stability-report",
    "svg.fonttype": "path",
    "path.simplify": True,
    "text.parse_math": False,  # "$5.4M and $8M" is money, not TeX
}


def apply() -> None:
    """Set the house style for every figure made after this call."""
    matplotlib.rcParams.update(_RC)


def figures_dir() -> Path:
    """Where figures are written: $STABILITY_REPORT_FIGURES_DIR (set by the pipeline while it
    builds a run aside) or figures/ at the repository root."""
    return Path(os.environ.get("STABILITY_REPORT_FIGURES_DIR") or paths.FIGURES)


def new_figure(height: float = 3.6, ncols: int = 1, nrows: int = 1, **kw):
    """A figure at page width in the house style."""
    apply()
    return plt.subplots(nrows, ncols, figsize=(WIDTH_IN, height), layout="constrained", **kw)


def finish(fig: Figure, title: str, subtitle: str | None = None) -> None:
    """Title (and optional subtitle) on top, the source line at the bottom."""
    fig.suptitle(title, x=0.0, ha="left", fontsize=11, fontweight="bold")
    if subtitle:
        fig.get_layout_engine().set(h_pad=0.06)
        fig.text(0.0, 0.0, subtitle, ha="left", va="bottom", fontsize=7.5, color="#444444",
                 transform=fig.transFigure, wrap=True)
    fig.supxlabel(SOURCE_LINE, x=0.0, ha="left", fontsize=6.5, color="#666666",
                  fontweight="normal", linespacing=1.3)


def usd_millions(ax, axis: str = "y") -> None:
    """Axis ticks as $M."""
    fmt = matplotlib.ticker.FuncFormatter(lambda v, _: f"${v / 1e6:,.0f}M")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def _svg_bytes(fig: Figure, title: str) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None, "Title": title})
    return buf.getvalue()


def _png_bytes(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def save(fig: Figure, name: str, caption: str) -> str:
    """Write figures/<name>.svg and .png and return the HTML <figure> that shows it."""
    out = figures_dir()
    out.mkdir(parents=True, exist_ok=True)
    svg = _svg_bytes(fig, name)
    (out / f"{name}.svg").write_bytes(svg)
    (out / f"{name}.png").write_bytes(_png_bytes(fig))
    plt.close(fig)
    data = base64.b64encode(svg).decode("ascii")
    cap = html.escape(caption).replace("$", "&#36;")
    return (
        f'<figure class="report-figure tex2jax_ignore mathjax_ignore" id="fig-{name}">'
        f'<img src="data:image/svg+xml;base64,{data}" alt="{cap}" style="max-width:100%">'
        f"<figcaption>{cap}</figcaption></figure>"
    )


def show(fig: Figure, name: str, caption: str) -> None:
    """Save the figure and display it with its caption."""
    from IPython.display import HTML, display

    display(HTML(save(fig, name, caption)))
