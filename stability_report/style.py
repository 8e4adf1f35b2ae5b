"""The house style of every figure: one look, readable in greyscale and at PDF page width, a source
line naming the articles, and files saved byte-for-byte reproducibly as SVG and PNG.
"""

from __future__ import annotations

import base64
import gc
import html
import io
import os
import warnings
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


# PNGs written in the background. The report pipeline sets this variable in its kernel: each
# PNG is then rendered by a child process forked right after the SVG is saved (so from the very
# state the PNG would be rendered from here, giving the same bytes) while the notebook goes on,
# and the pipeline calls wait_pngs() before it publishes. Elsewhere PNGs are written in line.
ENV_BACKGROUND_PNG = "STABILITY_REPORT_BACKGROUND_PNG"
_pending: list[tuple[int, Figure, Path, dict]] = []  # (pid, figure, path, rcParams) in progress


def _png_in_child(fig: Figure, path: Path) -> int | None:
    """Fork a child that writes the figure's PNG and exits; its pid, or None if it cannot."""
    if not hasattr(os, "fork") or os.environ.get(ENV_BACKGROUND_PNG) != "1":
        return None
    from PIL import Image

    Image.preinit()  # PIL's PNG writer loaded here once, not in every child

    while _pending:  # one child at a time: the notebook goes on on the other core
        _finish(_pending.pop(0))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # fork() with threads (3.12+)
            pid = os.fork()
    except OSError:
        return None
    if pid:
        return pid
    status = 1
    try:
        gc.disable()  # collect nothing of the parent's (sockets, files) in the child
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            data = _png_bytes(fig)
        if not caught:  # a warning must reach the notebook's stderr: the parent redoes it
            path.write_bytes(data)
            status = 0
    except BaseException:  # noqa: BLE001 - the parent renders it again and reports the error
        status = 1
    finally:
        os._exit(status)


def _finish(job: tuple[int, Figure, Path, dict]) -> None:
    """Wait for a PNG's child. If it did not write the PNG (an error, or a warning, which it
    does not print), write it here with the settings of the time of save(): an error raises, and
    so does a warning (here it would not reach the figure's cell)."""
    pid, fig, path, rc = job
    try:
        _, status = os.waitpid(pid, 0)
        ok = os.waitstatus_to_exitcode(status) == 0
    except ChildProcessError:
        ok = False
    if ok:
        return
    with matplotlib.rc_context(rc), warnings.catch_warnings(record=True) as caught:
        data = _png_bytes(fig)
    if caught:
        raise RuntimeError(f"writing {path.name} warned: "
                           + "; ".join(str(w.message) for w in caught))
    path.write_bytes(data)


def wait_pngs() -> None:
    """Wait until every PNG being written in the background is written."""
    while _pending:
        _finish(_pending.pop(0))


def save(fig: Figure, name: str, caption: str) -> str:
    """Write figures/<name>.svg and .png and return the HTML <figure> that shows it."""
    out = figures_dir()
    out.mkdir(parents=True, exist_ok=True)
    svg = _svg_bytes(fig, name)
    (out / f"{name}.svg").write_bytes(svg)
    png = out / f"{name}.png"
    pid = _png_in_child(fig, png)
    if pid is None:
        png.write_bytes(_png_bytes(fig))
    else:
        rc = {k: v for k, v in dict.items(matplotlib.rcParams) if k != "backend"}
        _pending.append((pid, fig, png, rc))
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
