"""The house style of every figure: one look, readable in greyscale and at PDF page width (no text
under 8 pt at the size it is drawn, so at least 7 pt wherever the report or the brief prints it), a
source line naming the articles; marks that stand for a fact linked to that fact's evidence entry
(`link`); and saving a figure byte-for-byte reproducibly as SVG and PNG, in the pipeline's kernel
in forked child processes while the notebook goes on. The report shows a figure's SVG inline (so its
marks are links, on screen and in the PDF) under its title, which is set as text of the page.
"""

from __future__ import annotations

import base64
import gc
import html
import io
import os
import re
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .. import config, formats  # noqa: E402
from ..errors import OutputError  # noqa: E402
from ..facts.ids import anchor  # noqa: E402
from .embed import NAME, inline_svg, placeholder  # noqa: E402

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

WIDTH_IN = 7.0  # the text width of an A4 page with 15 mm margins (180 mm) holds it at full size
MIN_PT = 8.0  # the smallest text of a figure as drawn; printed at >= 7/8 of its size, >= 7 pt
SOURCE_CHARS = 118  # a source line's characters a line at MIN_PT across the figure's width


def source_line() -> str:
    """'Sources: S000 (Outlet, published ...); S001 (...).', wrapped to the figure's width, from
    sources.csv."""
    import csv
    import textwrap

    path = config.facts_dir() / "sources.csv"
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
    except OSError:
        return "Sources: see the fact base."
    text = "Sources: " + "; ".join(formats.source_short(r) for r in rows) + "."
    return "\n".join(textwrap.wrap(text, SOURCE_CHARS, break_on_hyphens=False))


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
    "figure.titlesize": 11,
    "figure.labelsize": 8,
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


def new_figure(height: float = 3.6, ncols: int = 1, nrows: int = 1, **kw):
    """A figure at page width in the house style."""
    apply()
    fig, axes = plt.subplots(nrows, ncols, figsize=(WIDTH_IN, height), layout="constrained", **kw)
    # a margin inside the figure's left edge: the layout's own measure of the tick labels can
    # fall a pixel or two short of what is drawn, which would cut their first letter
    fig.get_layout_engine().set(rect=(0.012, 0.0, 0.988, 1.0))
    return fig, axes


TITLE = "stability_report_title"  # the attribute of a figure holding its title


def finish(fig: Figure, title: str, subtitle: str | None = None) -> None:
    """The title (shown by save() as the page's text above the figure, where it wraps on a phone
    and prints as text; kept on the figure, not drawn in it), an optional note at the bottom, and
    the source line."""
    setattr(fig, TITLE, title)
    if subtitle:
        fig.get_layout_engine().set(h_pad=0.06)
        fig.text(
            0.0,
            0.0,
            subtitle,
            ha="left",
            va="bottom",
            fontsize=MIN_PT,
            color="#444444",
            transform=fig.transFigure,
            wrap=True,
        )
    fig.supxlabel(
        source_line(),
        x=0.0,
        ha="left",
        fontsize=MIN_PT,
        color="#555555",
        fontweight="normal",
        linespacing=1.3,
    )


def title_of(fig: Figure) -> str:
    return getattr(fig, TITLE, "") or ""


def link(artist, ids) -> None:
    """Make a mark that stands for a fact a link to that fact's evidence entry (in the SVG the
    report shows, and so in its PDF). `ids`: one id or several (a mark resting on several
    facts links to the first; the entry of a merged event lists the others)."""
    ids = [ids] if isinstance(ids, str) else [i for i in ids if i]
    if not ids:
        return
    artist.set_url("#" + anchor(ids[0]))
    if hasattr(artist, "set_urls"):  # a collection (a scatter mark): each path links
        artist.set_urls(["#" + anchor(ids[0])])


def linked_ids(fig: Figure) -> list[str]:
    """The ids the figure's marks link to, in order of first appearance."""
    out: dict[str, None] = {}
    for artist in fig.findobj():
        for url in [artist.get_url()] + list(getattr(artist, "get_urls", lambda: [])() or []):
            if url and url.startswith("#") and "-" in url:
                out.setdefault(url.split("-", 1)[1], None)
    return list(out)


LABEL_CHARS = 34  # the longest line of an axis label beside a chart at page width


def label(text: str, width: int = LABEL_CHARS, lines: int = 2) -> str:
    """An axis label from the data, wrapped onto at most `lines` lines and shortened with an
    ellipsis only beyond them (the report's tables give the full text)."""
    import textwrap

    text = " ".join(str(text).split())
    wrapped = textwrap.wrap(text, width, break_on_hyphens=False) or [""]
    if len(wrapped) > lines:
        last = " ".join(wrapped[lines - 1 :])
        wrapped = wrapped[: lines - 1] + [last[: width - 1].rstrip() + "…"]
    return "\n".join(wrapped)


def usd_millions(ax, axis: str = "y") -> None:
    """Axis ticks as $M."""
    fmt = matplotlib.ticker.FuncFormatter(lambda v, _: f"${v / 1e6:,.0f}M")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


# matplotlib names a clip path by the id() of its Python object ("p" and ten hex digits), which
# differs from one process to the next; the names are made from their order in the file instead.
_CLIP_ID = re.compile(rb"\bp[0-9a-f]{10}\b")


def _svg_bytes(fig: Figure, title: str) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None, "Title": title})
    svg = buf.getvalue()
    names: dict[bytes, bytes] = {}
    for m in re.finditer(rb'id="(p[0-9a-f]{10})"', svg):
        names.setdefault(m.group(1), b"clip%d" % (len(names) + 1))
    if not names:
        return svg
    return _CLIP_ID.sub(lambda m: names.get(m.group(0), m.group(0)), svg)


def _png_bytes(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


# Figures written in the background. The report pipeline sets this variable in its kernel: each
# figure's SVG and PNG are then rendered by a child process forked when save() is called (so from
# the very state they would be rendered from here, giving the same bytes) while the notebook goes
# on on the other core. The figure's HTML then carries a placeholder for the SVG, which the
# pipeline fills in (stability_report.figures.embed) once wait_figures() has returned. Elsewhere, in
# JupyterLab for instance, figures are rendered in line.
_NAME = re.compile(NAME)
_pending: list[tuple[int, Figure, Path, str, dict]] = []  # (pid, figure, dir, name, rcParams)
# Children drawing at once. Measured on 2 cores (bench/bench.py): 1 keeps the kernel waiting in
# the notebooks with many figures, 2 takes 1.5-2 s off the render, 3 adds nothing.
_CHILDREN = 2


def figures_folder() -> Path:
    """config.figures_dir(), made if missing; a symbolic link there or at any folder above it
    up to the project (scratch/ for a notebook run by papermill or in JupyterLab) is refused
    (OutputError), never followed: the project writes only into folders it can call its own."""
    out = Path(os.path.abspath(config.figures_dir()))
    root = Path(os.path.abspath(config.ROOT))
    chain = [out] + [p for p in out.parents if root in p.parents] if root in out.parents else [out]
    for p in reversed(chain):
        if not os.path.lexists(p):
            try:
                os.mkdir(p)
            except FileExistsError:
                pass
        if os.path.islink(p) or not os.path.isdir(p):
            what = f"a symbolic link (to {os.readlink(p)})" if os.path.islink(p) else "not a folder"
            raise OutputError(
                f"refusing to write figures into {out}: {p} is {what}; make it a folder of its "
                "own (nothing was written there)"
            )
    return out


def _write(path: Path, data: bytes) -> None:
    """Replace path by a new file with data: written under a temporary name (never through a
    link), then renamed over it (a link there is replaced, not followed)."""
    tmp = path.with_name(f".{path.name}.new-{os.getpid()}")
    if os.path.lexists(tmp):
        os.unlink(tmp)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def _render(fig: Figure, out: Path, name: str) -> bytes:
    """Write <name>.svg and <name>.png into out; return the SVG."""
    svg = _svg_bytes(fig, name)
    _write(out / f"{name}.svg", svg)
    # The SVG's draw has laid the figure out (constrained layout); the PNG keeps that layout
    # instead of computing it a second time. ("none" keeps the engine's colorbar settings.)
    fig.set_layout_engine("none")
    _write(out / f"{name}.png", _png_bytes(fig))
    return svg


def _render_in_child(fig: Figure, out: Path, name: str) -> int | None:
    """Fork a child that writes the figure's SVG and PNG and exits; its pid, or None if it
    cannot (no fork, or not in the pipeline's kernel)."""
    if not hasattr(os, "fork") or not config.background_figures():
        return None
    from PIL import Image

    Image.preinit()  # PIL's PNG writer loaded here once, not in every child

    while len(_pending) >= _CHILDREN:
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
            _render(fig, out, name)
        status = 0 if not caught else 1  # a warning must be reported: the parent redoes it
    except BaseException:  # noqa: BLE001 - the parent renders it again and reports the error
        status = 1
    finally:
        os._exit(status)


def _finish(job: tuple[int, Figure, Path, str, dict]) -> None:
    """Wait for a figure's child. If it did not write the figure (an error, or a warning, which
    it does not print), render it here with the settings of the time of save(): an error
    raises, and so does a warning (here it would not reach the figure's cell)."""
    pid, fig, out, name, rc = job
    try:
        _, status = os.waitpid(pid, 0)
        ok = os.waitstatus_to_exitcode(status) == 0
    except ChildProcessError:
        ok = False
    if ok:
        return
    with matplotlib.rc_context(rc), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _render(fig, out, name)
    if caught:
        raise RuntimeError(
            f"drawing figure {name!r} warned: " + "; ".join(str(w.message) for w in caught)
        )


def wait_figures() -> None:
    """Wait until every figure being written in the background is written."""
    while _pending:
        _finish(_pending.pop(0))


def save(fig: Figure, name: str, caption: str) -> str:
    """Write <figures_dir()>/<name>.svg and .png and return the HTML <figure> that shows it."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"figure name {name!r}: expected lower-case letters, digits and '-'")
    out = figures_folder()
    title, ids = title_of(fig), linked_ids(fig)
    pid = _render_in_child(fig, out, name)
    if pid is None:
        svg = inline_svg(_render(fig, out, name).decode("utf-8"), name)
    else:
        rc = {k: v for k, v in dict.items(matplotlib.rcParams) if k != "backend"}
        _pending.append((pid, fig, out, name, rc))
        svg = placeholder(name)
    plt.close(fig)
    return _figure_html(svg, caption, f' id="fig-{name}"', title, ids)


def in_memory(fig: Figure, caption: str) -> str:
    """The HTML <figure> of save(), its SVG drawn in memory and written to no file, shown as an
    image (for what is redrawn as one explores, never published)."""
    title = title_of(fig)
    data = base64.b64encode(_svg_bytes(fig, "")).decode("ascii")
    plt.close(fig)
    img = f'<img src="data:image/svg+xml;base64,{data}" alt="" style="max-width:100%">'
    return _figure_html(img, caption, "", title, [])


def _text(text: str) -> str:
    return html.escape(text).replace("$", "&#36;")


def _figure_html(picture: str, caption: str, ident: str, title: str, ids: list[str]) -> str:
    """<figure>: the title, the picture (inline SVG or <img>), the caption and, when marks are
    links, the ids they lead to (each made a link to its entry by the report's rendering)."""
    cap = _text(caption)
    head = f'<p class="figure-title">{_text(title)}</p>' if title else ""
    marks = (
        '<span class="figure-marks"> Marks in the figure link to their facts: '
        + ", ".join(ids)
        + ".</span>"
        if ids
        else ""
    )
    return (
        f'<figure class="report-figure tex2jax_ignore mathjax_ignore"{ident}>{head}'
        f'<div class="figure-picture" role="img" aria-label="{_text(title or caption)}">'
        f"{picture}</div><figcaption>{cap}{marks}</figcaption></figure>"
    )


def show(fig: Figure, name: str, caption: str) -> None:
    """Save the figure and display it with its caption."""
    from IPython.display import HTML, display

    display(HTML(save(fig, name, caption)))
