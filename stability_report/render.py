"""From executed notebooks to one report: a self-contained HTML page and a PDF printed from it.

The HTML is rendered once by nbconvert with the `report` template (stability_report/templates):
no require.js, no MathJax, no widget scripts, nothing fetched from a network; figures are
embedded. Figures and tables are numbered; after rendering, every id the page shows becomes a
link to its entry in the evidence appendix written then (stability_report.citations), a table
of contents is made from the headings, and the page is checked: a script, an event handler or
an external fetch, an id without its evidence or a quote that is not its source's stops the
run. The cells tagged `brief` become the one-page brief (stability_report.brief).

The PDF is printed from that same HTML by Chromium, driven directly over the DevTools protocol on
a pipe (one browser start, one rendering pass, the CSS print rules; no driver process), with one
addition made in the browser for printing: a word wider than the page breaks instead of running
off its edge (PRINT_CSS); the brief is printed by the same browser, on exactly one page.
Chromium's start-up and the printing each have a time limit; a browser that stops answering is
killed. Chromium stamps the print time into the PDF; the dates are replaced by the as-of date so
two prints of the same inputs are byte-identical.
"""

from __future__ import annotations

import base64
import copy
import fcntl
import hashlib
import html as htmlmod
import itertools
import json
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from . import attachments as attach
from . import brief, citations, formats, paths
from .pipeline import (
    CHROMIUM_START_TIMEOUT,
    ENV_CHROMIUM,
    SYSTEM_DEPS_HINT,
    MissingDependency,
    OutputError,
    PipelineError,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"
TITLE = "The decline of Stability AI, 2023–24"
SUBTITLE = "Cash, runway and the departure of its executives, reconstructed from {sources}"
KICKER = "Analytical report"

REMOVE_CELL_TAGS = {
    "parameters",
    "injected-parameters",
    "remove-cell",
    "remove_cell",
    "notebook-only",
}
BRIEF_TAG = "brief"  # cells of the first notebook that make up the brief
REMOVE_INPUT_TAGS = {"remove-input", "remove_input", "hide-input", "hide_input"}
REMOVE_OUTPUT_TAGS = {"remove-output", "remove_output", "hide-output", "hide_output"}
DISPLAY_PRIORITY = [
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/latex",
    "text/plain",
]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--font-render-hinting=none",
]
PDF_MARGINS = {"top": "18mm", "bottom": "20mm", "left": "18mm", "right": "18mm"}


class RenderError(PipelineError):
    """The report could not be rendered, or the rendered page breaks the report's rules."""


class BrowserTimeout(RenderError):
    """Chromium did not answer a command in time (it is then treated as hung)."""


# ---------------------------------------------------------------------------------------------
# HTML


def warm_up(show_code: bool | None = None) -> None:
    """Import nbconvert (slow) while the notebooks run in the kernel; given show_code, also
    compile the report's templates then (by rendering an empty report; the compiled templates
    are kept in memory for the real rendering, whose output they do not change)."""
    try:
        import nbconvert.exporters.html  # noqa: F401
    except ImportError as e:
        raise MissingDependency(
            f"a Python package is missing ({e.name}); run `make env` to install requirements.txt"
        ) from None
    if show_code is None:
        return
    try:
        import nbformat

        empty = {
            "run_id": "",
            "as_of": "2000-01-01",
            "params": {},
            "options": {},
            "inputs_hash": "",
            "git_commit": "",
            "facts_digest": "",
            "versions": {},
            "notebooks": [],
        }
        _exporter(show_code).from_notebook_node(
            nbformat.v4.new_notebook(), resources=_resources(empty, TEMPLATES)
        )
    except Exception:  # noqa: BLE001 - only a head start: the real rendering reports errors
        pass


_compiled: dict[str, bytes] = {}  # jinja2 bytecode of the templates, by template


def _bytecode_cache():
    import jinja2

    class MemoryBytecodeCache(jinja2.BytecodeCache):
        """Compiled templates in this process's memory (jinja2 checks them against the
        template's source before use)."""

        def load_bytecode(self, bucket) -> None:
            code = _compiled.get(bucket.key)
            if code is not None:
                bucket.bytecode_from_string(code)

        def dump_bytecode(self, bucket) -> None:
            _compiled[bucket.key] = bucket.bytecode_to_string()

    return MemoryBytecodeCache()


def combine(executed: list[tuple[str, Any]], show_code: bool):
    """One notebook of all chapters in reading order, without the parameter cells and the cells
    tagged `notebook-only`; code cells that show nothing are dropped (unless code is shown). Cell
    ids are prefixed by the notebook, so they stay unique. The first notebook's cells tagged
    `brief` are marked for the template, which marks them in the page."""
    import nbformat

    merged = nbformat.v4.new_notebook()
    first = executed[0][1].metadata
    merged.metadata = nbformat.from_dict(
        {k: first[k] for k in ("kernelspec", "language_info") if k in first}
    )
    for n, (stem, nb) in enumerate(executed):
        for cell in nb.cells:
            tags = set(cell.metadata.get("tags", []))
            if tags & REMOVE_CELL_TAGS:
                continue
            c = copy.deepcopy(cell)
            c["id"] = f"{stem}-{cell.get('id', '')}"
            if n == 0 and BRIEF_TAG in tags:
                c.metadata["stability_report_brief"] = True
            if c.cell_type == "code":
                if tags & REMOVE_OUTPUT_TAGS:
                    c.outputs = []
                if tags & REMOVE_INPUT_TAGS:
                    c["transient"] = {"remove_source": True}
                if not c.outputs and (not show_code or tags & REMOVE_INPUT_TAGS):
                    continue
            merged.cells.append(c)
    return merged


_FIGCAPTION = re.compile(r"(<figure\b[^>]*\breport-figure\b[^>]*>.*?<figcaption\b[^>]*>)", re.S)


def number_figures(nb) -> int:
    """Prefix each report figure's caption with `Figure N:` in reading order."""
    n = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            html = data.get("text/html")
            if not isinstance(html, str) or "report-figure" not in html:
                continue

            def label(m: re.Match) -> str:
                nonlocal n
                n += 1
                return f'{m.group(1)}<span class="figure-number">Figure {n}:</span> '

            data["text/html"] = _FIGCAPTION.sub(label, html)
    return n


_REPORT_TABLE = re.compile(
    r'(?:<div\b[^>]*\bid="tbl-([a-z0-9][a-z0-9-]*)"[^>]*>\s*)?'
    r'(<table\b[^>]*\bclass="report-table"[^>]*>)(\s*<caption\b[^>]*>)?'
)


def number_tables(nb) -> dict[str, int]:
    """Number the report's tables (narrative.show_table) in reading order: `Table N:` before
    each caption (a table without one gets `Table N`). Returns each anchor's number."""
    n = 0
    anchors: dict[str, int] = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            html = data.get("text/html")
            if not isinstance(html, str) or "report-table" not in html:
                continue

            def label(m: re.Match) -> str:
                nonlocal n
                n += 1
                if m.group(1):
                    anchors[m.group(1)] = n
                if m.group(3):
                    return f'{m.group(0)}<span class="table-number">Table {n}:</span> '
                return f'{m.group(0)}<caption><span class="table-number">Table {n}</span></caption>'

            data["text/html"] = _REPORT_TABLE.sub(label, html)
    return anchors


def _exporter_class():
    from nbconvert import HTMLExporter

    class ReportExporter(HTMLExporter):
        """HTMLExporter without its final BeautifulSoup pass, which re-parses the whole page to
        add alt texts and tabindex attributes (0.7 s on a 2 MB report): the report's figures
        carry their own alt text and the page is not an interactive notebook."""

        def from_notebook_node(self, nb, resources=None, **kw):
            try:
                from nbconvert.exporters.templateexporter import TemplateExporter
                from nbconvert.filters.highlight import Highlight2HTML
                from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
            except ImportError:  # another nbconvert: its own, slower path
                return super().from_notebook_node(nb, resources, **kw)
            lang = nb.metadata.get("language_info", {})
            lexer = lang.get("pygments_lexer", lang.get("name", None))
            self.register_filter(
                "highlight_code",
                self.filters.get(
                    "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
                ),
            )
            resources = self._init_resources(resources)
            self.register_filter(
                "filter_data_type",
                WidgetsDataTypeFilter(
                    notebook_metadata=self._nb_metadata, parent=self, resources=resources
                ),
            )
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return ReportExporter


def _exporter(show_code: bool):
    from traitlets.config import Config

    c = Config()
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES)]
    c.HTMLExporter.template_name = "report"
    c.HTMLExporter.exclude_input = not show_code
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.embed_images = False  # True re-parses inline HTML and breaks <sup>…</sup>
    c.HTMLExporter.sanitize_html = False
    c.NbConvertBase.display_data_priority = DISPLAY_PRIORITY
    exporter = _exporter_class()(config=c)
    exporter.environment.bytecode_cache = _bytecode_cache()
    return exporter


def _long_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%B')} {d.year}"


def _param_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer() and abs(v) >= 1000:
        return f"{v:,.0f}"
    if v == "":
        return "(empty)"
    return str(v)


@dataclass
class Report:
    """The rendered report and its brief (None when no cell is tagged `brief`)."""

    html: str
    brief: str | None
    tables: dict[str, int]  # table anchor -> its number
    evidence: list[str]  # the ids with an entry in the appendix


def render_html(
    executed: list[tuple[str, Any]], info: dict[str, Any], show_code: bool, resources_path: Path
) -> str:
    """The report's HTML, checked (see render_report), from the default fact base."""
    return render_report(executed, info, show_code, resources_path).html


def render_report(
    executed: list[tuple[str, Any]],
    info: dict[str, Any],
    show_code: bool,
    resources_path: Path,
    facts_dir: Path | None = None,
    raw_dir: Path | None = None,
    attachments_dir: Path | None = None,
) -> Report:
    """The report's HTML and the brief's, checked: raises RenderError if a page would fetch or
    run anything, if an id it shows has no entry or a link no target, or if a quote is not an
    exact substring of its source. `facts_dir` and `raw_dir` are the fact base the run used;
    `attachments_dir` holds the CSV files the notebooks wrote."""
    try:
        fb = citations.FactBase.load(facts_dir or paths.FACTS, raw_dir or paths.RAW)
    except (OSError, ValueError, KeyError) as e:
        raise RenderError(f"cannot read the fact base for the evidence appendix: {e}") from None
    attached = (
        sorted(
            p.name
            for p in attachments_dir.iterdir()
            if p.is_file() and attach.NAME.fullmatch(p.name)
        )
        if attachments_dir is not None and attachments_dir.is_dir()
        else []
    )
    nb = combine(executed, show_code)
    number_figures(nb)
    tables = number_tables(nb)
    resources = _resources(
        info, resources_path, fb, attached, facts_dir or paths.FACTS, raw_dir or paths.RAW
    )
    resources["report"]["brief"] = any(c.metadata.get("stability_report_brief") for c in nb.cells)
    try:
        body, _ = _exporter(show_code).from_notebook_node(nb, resources=resources)
    except Exception as e:  # a template or filter error: name it
        raise RenderError(
            f"nbconvert could not render the report: {type(e).__name__}: {e}"
        ) from None
    body, brief_cells = brief.take_cells(body)
    linker = citations.Linker(lambda fid: f"#{citations.anchor(fid)}", tables)
    body = linker.run(body)
    evidence = citations.evidence_html(fb, linker.ids, linker.element_ids)
    body = body.replace(EVIDENCE_MARK, evidence.html, 1)
    body, problems = finish_html(body)
    if problems:
        shown = "\n  - ".join(problems[:10])
        raise RenderError(
            "the rendered report breaks the self-contained, script-free rule:\n  - " + shown
        )
    files = [f"{attach.SUBDIR}/{name}" for name in attached]
    problems = linker.problems + evidence.problems + citations.check_page(body, fb, files=files)
    if problems:
        raise RenderError(_listed("the report's citations cannot all be checked", problems))
    page = None
    if brief_cells:
        css = "\n".join(
            (TEMPLATES / "report" / name).read_text(encoding="utf-8")
            for name in ("report.css", "brief.css")
        )
        page, _, problems = brief.page(
            brief_cells,
            fb,
            title=TITLE,
            as_of_long=_long_date(info["as_of"]),
            css=css,
            tables=tables,
            generator=f"stability-report with nbconvert {info['versions'].get('nbconvert', '')}",
        )
        problems += [f"brief.html: {p}" for p in check_html(page)]
        problems += citations.check_page(
            page, fb, base=brief.REPORT, targets=_element_ids(body), files=[brief.REPORT]
        )
        if problems:
            raise RenderError(_listed("the brief cannot be published", problems))
    return Report(body, page, tables, evidence.ids)


EVIDENCE_MARK = "<!-- stability-report:evidence -->"


def _listed(what: str, problems: list[str], limit: int = 12) -> str:
    more = f"\n  ... and {len(problems) - limit} more" if len(problems) > limit else ""
    return f"{what}:\n  - " + "\n  - ".join(problems[:limit]) + more


def _element_ids(page: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', page))


def _label(path: Path) -> str:
    """A directory as the reader should see it: relative to the repository when inside it."""
    try:
        return path.resolve().relative_to(paths.ROOT).as_posix() + "/"
    except ValueError:
        return str(path.resolve()) + "/"


def subtitle(fb: citations.FactBase) -> str:
    return SUBTITLE.format(sources=formats.count_words(len(fb.sources), "news article"))


def _resources(
    info: dict[str, Any],
    resources_path: Path,
    fb: citations.FactBase | None = None,
    attached: list[str] | None = None,
    facts_dir: Path = paths.FACTS,
    raw_dir: Path = paths.RAW,
) -> dict[str, Any]:
    """What the report template is given beside the notebook."""
    versions = info["versions"]
    labels = {
        "python": "Python",
        "pandas": "pandas",
        "matplotlib": "matplotlib",
        "numpy": "NumPy",
        "nbconvert": "nbconvert",
        "nbclient": "nbclient",
        "papermill": "papermill",
        "chromium": "Chromium (PDF)",
    }
    basis = ""
    if fb is not None:
        basis = (
            "Every number in this report is computed from facts quoted verbatim from "
            + brief.sources_line(fb)
            + ". The ids in brackets name the facts a number "
            "comes from; each links to its entry in the appendix “Evidence: every fact "
            "cited”."
        )
    report = {
        **info,
        "title": TITLE,
        "subtitle": subtitle(fb) if fb is not None else "",
        "kicker": KICKER,
        "basis_html": basis,
        "as_of_long": _long_date(info["as_of"]),
        "css": (TEMPLATES / "report" / "report.css").read_text(encoding="utf-8"),
        "param_rows": [(k, _param_value(v)) for k, v in info["params"].items()],
        "version_rows": [(labels.get(k, k), v) for k, v in versions.items()],
        "attachments": attached or [],
        "attachments_dir": attach.SUBDIR,
        "facts_label": _label(facts_dir),
        "raw_label": _label(raw_dir),
    }
    return {"metadata": {"name": TITLE, "path": str(resources_path)}, "report": report}


# ---------------------------------------------------------------------------------------------
# after rendering: unique heading ids, a table of contents, and the checks


class _Scan(HTMLParser):
    """Collects h1/h2 headings (with their positions) and what the page would fetch or run."""

    FETCHING = {
        "img",
        "script",
        "iframe",
        "frame",
        "embed",
        "object",
        "source",
        "audio",
        "video",
        "track",
        "input",
        "link",
        "image",
        "use",
        "feimage",
        "portal",
    }
    URL_ATTRS = {
        "src",
        "href",
        "xlink:href",
        "data",
        "srcset",
        "poster",
        "background",
        "action",
        "formaction",
        "ping",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings: list[dict] = []
        self.problems: list[str] = []
        self._heading: dict | None = None
        self._skip_anchor = 0
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.problems.append("a <script> element")
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("a <meta http-equiv=refresh>")
        for k, v in attrs:
            v = (v or "").strip()
            low = v.lower().replace("\t", "").replace("\n", "")
            if k.startswith("on"):
                self.problems.append(f"an event handler attribute {k}= on <{tag}>")
            if k in self.URL_ATTRS and low.startswith(("javascript:", "vbscript:")):
                self.problems.append(f"a {low.split(':')[0]}: URL in <{tag} {k}>")
            if tag in self.FETCHING and k in self.URL_ATTRS and v:
                if k == "srcset" or not low.startswith(("data:", "#")):
                    self.problems.append(f'<{tag} {k}="{v[:60]}"> would fetch a resource')
            if k == "style" and re.search(r"url\s*\(\s*['\"]?(?!data:|#)", low):
                self.problems.append(f"an inline style on <{tag}> loads a url()")
        if tag == "style":
            self._in_style = True
        if tag in ("h1", "h2") and a.get("id"):
            pos = self.getpos()
            self._heading = {
                "level": int(tag[1]),
                "id": a["id"],
                "pos": pos,
                "start": self.get_starttag_text(),
                "text": "",
            }
        elif tag == "a" and self._heading is not None and "anchor-link" in (a.get("class") or ""):
            self._skip_anchor += 1

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False
        if tag == "a" and self._skip_anchor:
            self._skip_anchor -= 1
        if tag in ("h1", "h2") and self._heading is not None:
            self._heading["text"] = " ".join(self._heading["text"].split())
            self.headings.append(self._heading)
            self._heading = None

    def handle_data(self, data):
        if self._in_style:
            low = data.lower()
            if "@import" in low or re.search(r"url\s*\(\s*['\"]?(?!data:|#)", low):
                self.problems.append("a stylesheet that loads an @import or url()")
        if self._heading is not None and not self._skip_anchor:
            self._heading["text"] += data


def _offsets(text: str) -> list[int]:
    starts, pos = [0], 0
    for line in text.splitlines(keepends=True):
        pos += len(line)
        starts.append(pos)
    return starts


def finish_html(body: str) -> tuple[str, list[str]]:
    """Make heading ids unique and fill in the table of contents; also return what the page
    would fetch or run (see check_html), found in the same pass."""
    scan = _Scan()
    scan.feed(body)
    scan.close()
    starts = _offsets(body)
    seen: dict[str, int] = {}
    edits: list[tuple[int, int, str]] = []
    entries = []
    for h in scan.headings:
        hid = h["id"]
        if hid in seen:
            seen[hid] += 1
            new = f"{hid}-{seen[hid]}"
            begin = starts[h["pos"][0] - 1] + h["pos"][1]
            end = body.find("</h", begin)
            chunk = body[begin:end]
            q = htmlmod.escape(hid, quote=True)
            chunk = chunk.replace(f'id="{q}"', f'id="{new}"', 1)
            chunk = chunk.replace(f'href="#{q}"', f'href="#{new}"', 1)
            edits.append((begin, end, chunk))
            hid = new
        else:
            seen[hid] = 1
        entries.append((h["level"], hid, h["text"]))
    for begin, end, chunk in reversed(edits):
        body = body[:begin] + chunk + body[end:]
    items = "\n".join(
        f'<li class="toc-{level}"><a href="#{htmlmod.escape(hid, quote=True)}">'
        f"{htmlmod.escape(text)}</a></li>"
        for level, hid, text in entries
    )
    toc = f"<ol>\n{items}\n</ol>"
    return body.replace("<!-- stability-report:toc -->", toc, 1), list(dict.fromkeys(scan.problems))


def check_html(body: str) -> list[str]:
    """Everything in the page that would run a script or fetch from anywhere."""
    scan = _Scan()
    scan.feed(body)
    scan.close()
    return list(dict.fromkeys(scan.problems))


def headings(body: str) -> list[tuple[int, str, str]]:
    """(level, id, text) of the report's h1/h2 headings: for tests and the PDF's checks."""
    scan = _Scan()
    scan.feed(body)
    scan.close()
    return [(h["level"], h["id"], h["text"]) for h in scan.headings]


# ---------------------------------------------------------------------------------------------
# PDF


def find_chromium(explicit: str | None = None) -> str | None:
    """--chromium, then $STABILITY_REPORT_CHROMIUM, then chromium on PATH, then Debian's path."""
    for candidate in (explicit, os.environ.get(ENV_CHROMIUM)):
        if candidate:
            found = shutil.which(candidate) if os.sep not in candidate else candidate
            return found if found and os.access(found, os.X_OK) else None
    for name in ("chromium", "chromium-browser", "/usr/bin/chromium"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _footer(title: str, as_of_long: str) -> str:
    style = (
        "font-family:'DejaVu Sans','Liberation Sans',Arial,sans-serif;font-size:7.5pt;"
        "color:#666;width:100%;margin:0 18mm;display:flex;justify-content:space-between;"
    )
    return (
        f'<div style="{style}"><span>{htmlmod.escape(title)} · as of '
        f'{htmlmod.escape(as_of_long)}</span><span>page <span class="pageNumber"></span> of '
        '<span class="totalPages"></span></span></div>'
    )


class _Chromium:
    """One headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe:
    it reads commands on its fd 3 and writes replies and events on its fd 4, each a JSON text
    ended by a NUL byte). No driver process: the browser is the only thing started. When this
    process dies, however it dies, the pipe closes and Chromium exits."""

    def __init__(self, exe: str, args: list[str], env: dict[str, str], profile: str):
        self.profile = profile  # removed by close()
        cmd_r, cmd_w = os.pipe()
        out_r, out_w = os.pipe()
        # the child's ends above fd 4, so that moving them to 3 and 4 cannot clobber each other
        child = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (cmd_r, out_w)]
        devnull = os.open(os.devnull, os.O_RDWR | os.O_CLOEXEC)
        argv = [
            exe,
            *args,
            "--remote-debugging-pipe",
            f"--user-data-dir={self.profile}",
            "--no-startup-window",
        ]
        try:
            self.pid = os.posix_spawn(
                exe,
                argv,
                env,
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, child[0], 3),
                    (os.POSIX_SPAWN_DUP2, child[1], 4),
                    (os.POSIX_SPAWN_DUP2, devnull, 0),
                    (os.POSIX_SPAWN_DUP2, devnull, 1),
                    (os.POSIX_SPAWN_DUP2, devnull, 2),
                ],
                setsid=True,
            )  # a ^C reaches us, not it
        except OSError:
            for fd in (cmd_r, cmd_w, out_r, out_w, devnull, *child):
                os.close(fd)
            raise
        for fd in (cmd_r, out_w, devnull, *child):
            os.close(fd)
        self._w, self._r = cmd_w, out_r
        self._ids = itertools.count(1)
        self._send_lock = threading.Lock()
        self._cond = threading.Condition()
        self._replies: dict[int, dict] = {}
        self._events: list[dict] = []
        self._unanswered: set[int] = set()  # replies nobody waits for
        self._gone = False
        self._hung = False  # a command timed out: the browser is not asked for anything more
        self._closed = False
        self._status: int | None = None
        self._reader = threading.Thread(target=self._read, name="chromium-pipe", daemon=True)
        self._reader.start()

    WANTED_EVENTS = {"Page.lifecycleEvent"}

    def _read(self) -> None:
        pending: list[bytes] = []
        while True:
            try:
                chunk = os.read(self._r, 1 << 20)
            except OSError:
                chunk = b""
            if not chunk:
                break
            try:
                while (end := chunk.find(b"\0")) >= 0:
                    pending.append(chunk[:end])
                    chunk = chunk[end + 1 :]
                    self._dispatch(json.loads(b"".join(pending)))
                    pending = []
            except ValueError:  # not the protocol: treat the browser as gone
                break
            pending.append(chunk)
        with self._cond:
            self._gone = True
            self._cond.notify_all()

    def _dispatch(self, msg: dict) -> None:
        if msg.get("method") == "Fetch.requestPaused":  # nothing leaves the page
            msg_id = self._send(
                "Fetch.failRequest",
                {"requestId": msg["params"]["requestId"], "errorReason": "BlockedByClient"},
                msg.get("sessionId"),
            )
            with self._cond:
                self._unanswered.add(msg_id)
            return
        with self._cond:
            if "id" in msg:
                if msg["id"] in self._unanswered:
                    self._unanswered.discard(msg["id"])
                else:
                    self._replies[msg["id"]] = msg
            elif msg.get("method") in self.WANTED_EVENTS:
                self._events.append(msg)
            self._cond.notify_all()

    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        msg_id = next(self._ids)
        msg: dict[str, Any] = {"id": msg_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        with self._send_lock:
            try:
                while data:
                    data = data[os.write(self._w, data) :]
            except OSError:
                pass  # the browser is gone: the reply never comes and the caller says so
        return msg_id

    def _wait(self, found: Callable[[], Any], what: str, timeout: float) -> Any:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                got = found()
                if got is not None:
                    return got
                if self._gone:
                    raise RenderError(f"chromium exited during {what}")
                left = deadline - time.monotonic()
                if left <= 0:
                    self._hung = True
                    raise BrowserTimeout(f"chromium did not answer {what} within {timeout:.0f} s")
                self._cond.wait(left)

    def call(
        self,
        method: str,
        params: dict | None = None,
        session: str | None = None,
        timeout: float = 60,
    ) -> dict:
        msg_id = self._send(method, params, session)
        msg = self._wait(lambda: self._replies.pop(msg_id, None), method, timeout)
        if "error" in msg:
            raise RenderError(f"chromium refused {method}: {msg['error'].get('message')}")
        return msg.get("result", {})

    def loaded(self, session: str, loader: str | None, timeout: float) -> None:
        """Wait for the load event of the document the navigation `loader` brought."""

        def found():
            for e in self._events:
                p = e.get("params", {})
                if (
                    e.get("sessionId") == session
                    and p.get("name") == "load"
                    and (loader is None or p.get("loaderId") == loader)
                ):
                    return e
            return None

        self._wait(found, "loading the page", timeout)

    def exit_status(self) -> int | None:
        """The browser's exit status, None while it runs."""
        if self._status is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped by someone else
                pid, status = self.pid, 0
            if pid:
                self._status = os.waitstatus_to_exitcode(status)
        return self._status

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if not self._gone and not self._hung:
            try:
                self.call("Browser.close", timeout=10)
            except RenderError:
                pass
        os.close(self._w)  # end of input: chromium exits if Browser.close did not get through
        for _ in range(0 if self._hung else 200):
            if self.exit_status() is not None:
                break
            time.sleep(0.05)
        if self.exit_status() is None:  # hung, or deaf to its closed pipe
            try:
                os.killpg(self.pid, signal.SIGKILL)  # it leads a session of its own (setsid)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        self._reader.join(10)
        os.close(self._r)
        shutil.rmtree(self.profile, ignore_errors=True)


# The switches Playwright (1.65) gave Chromium when it drove the printing: the page is set up and
# rendered as it was then (same PDF, byte for byte). Chromium honours only the last
# --disable-features, so it lists Playwright's features and the omnibox popup: in headless mode
# every new page also starts that popup's WebUI renderer (80 MB) for nothing.
PAGE_SWITCHES = [
    "--headless",
    "--disable-field-trial-config",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-back-forward-cache",
    "--disable-breakpad",
    "--disable-component-extensions-with-background-pages",
    "--no-default-browser-check",
    "--disable-dev-shm-usage",
    "--disable-pings",
    "--media-router=0",
    "--disable-features=AvoidUnnecessaryBeforeUnloadCheckSync,"
    "DestroyProfileOnBrowserClose,HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,LensOverlay,"
    "MediaRouter,PaintHolding,ThirdPartyStoragePartitioning,AvoidCorsURLLoaderRestartOnRedirect,"
    "TcpPortRandomizationWin,OptimizationHints,NetworkTimeServiceQuerying,AimEnabled,"
    "PreconnectToSearch,WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup",
    "--enable-features=CDPScreenshotNewSurface,SkipListAccountsWithoutGaiaCookies",
    "--allow-pre-commit-input",
    "--disable-hang-monitor",
    "--disable-ipc-flooding-protection",
    "--disable-popup-blocking",
    "--disable-prompt-on-repost",
    "--disable-renderer-backgrounding",
    "--disable-updater-scheduler",
    "--force-color-profile=srgb",
    "--metrics-recording-only",
    "--password-store=basic",
    "--use-mock-keychain",
    "--no-service-autorun",
    "--disable-search-engine-choice-screen",
    "--disable-stack-profiler",
    "--disable-infobars",
    "--hide-scrollbars",
    "--blink-settings=primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,"
    "availablePointerTypes=4",
]
VIEWPORT = {"width": 1280, "height": 720}


def _inches(css: str) -> float:
    """A CSS length (mm, cm, in, px) in inches, as the DevTools protocol wants it."""
    per_px = {"px": 1.0, "in": 96.0, "cm": 37.8, "mm": 3.78}
    m = re.fullmatch(r"\s*([0-9.]+)\s*(px|in|cm|mm)\s*", css)
    if not m:
        raise ValueError(f"not a length: {css!r}")
    return float(m.group(1)) * per_px[m.group(2)] / 96


A4_INCHES = (8.27, 11.7)
# The width between the margins, in CSS pixels: what the printed page lays its content out in.
PRINT_WIDTH_PX = round(
    (A4_INCHES[0] - _inches(PDF_MARGINS["left"]) - _inches(PDF_MARGINS["right"])) * 96
)

# A word wider than the page (an address, an identifier, any run of characters without a space)
# would run off the printed page's edge and be cut off there. Added to the page's stylesheet for
# printing: in running text such a word breaks at the margin. In a table it also sets its
# column's minimum width (the report's `overflow-wrap: break-word` does not change that), so in
# a table that comes out wider than the page, the cells holding its longest words, and only
# those, let their words break anywhere: the other cells and every table that fits are laid out
# as before.
LONG_WORD_CELL = "stability-report-long-word"
PRINT_CSS = f"""
body {{ overflow-wrap: break-word; }}
td.{LONG_WORD_CELL}, th.{LONG_WORD_CELL} {{ overflow-wrap: anywhere; }}
"""
_SHORTEST_BREAKABLE_WORD = 12  # characters: no word shorter is broken to make a table fit


class _CellTexts(HTMLParser):
    """The text of each td/th of a table's HTML, in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self._open = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("td", "th"):
            self.cells.append("")
            self._open += 1

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._open:
            self._open -= 1

    def handle_data(self, data):
        if self._open:
            self.cells[-1] += data


def _fit_wide_tables(
    browser: _Chromium, session: str, frame: str, left: Callable[[], float]
) -> None:
    """Add PRINT_CSS to the loaded page (laid out as it is printed: see _open_page), and in each
    table wider than the space between the margins, mark the cells with the longest words as
    LONG_WORD_CELL, longest first, until the table fits."""

    def call(method: str, params: dict | None = None) -> dict:
        return browser.call(method, params or {}, session, timeout=left())

    call("DOM.enable")
    call("CSS.enable")
    sheet = call("CSS.createStyleSheet", {"frameId": frame})["styleSheetId"]
    call("CSS.setStyleSheetText", {"styleSheetId": sheet, "text": PRINT_CSS})

    def too_wide(node: int) -> bool:
        try:
            border = call("DOM.getBoxModel", {"nodeId": node})["model"]["border"]
        except BrowserTimeout:
            raise
        except RenderError:  # not laid out (hidden): nothing of it is printed
            return False
        return max(border[0::2]) > PRINT_WIDTH_PX + 0.5

    root = call("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    for table in call("DOM.querySelectorAll", {"nodeId": root, "selector": "table"})["nodeIds"]:
        if too_wide(table):
            _break_longest_words(call, table, lambda: too_wide(table))


def _break_longest_words(
    call: Callable[..., dict], table: int, too_wide: Callable[[], bool]
) -> None:
    cells = call("DOM.querySelectorAll", {"nodeId": table, "selector": "td, th"})["nodeIds"]
    parser = _CellTexts()
    parser.feed(call("DOM.getOuterHTML", {"nodeId": table})["outerHTML"])
    parser.close()
    if len(parser.cells) != len(cells):  # a table in a table: give every cell the rule
        longest = [_SHORTEST_BREAKABLE_WORD] * len(cells)
    else:
        longest = [max((len(w) for w in text.split()), default=0) for text in parser.cells]
    for length in sorted({n for n in longest if n >= _SHORTEST_BREAKABLE_WORD}, reverse=True):
        for node, n in zip(cells, longest):
            if n == length:
                attrs = call("DOM.getAttributes", {"nodeId": node})["attributes"]
                classes = dict(zip(attrs[0::2], attrs[1::2])).get("class", "")
                call(
                    "DOM.setAttributeValue",
                    {
                        "nodeId": node,
                        "name": "class",
                        "value": f"{classes} {LONG_WORD_CELL}".strip(),
                    },
                )
        if not too_wide():
            return


class PdfPrinter:
    """Chromium printing report.pdf. `probe()` (cheap: `chromium --version`, in a thread) finds
    the browser and its version while the notebooks run; `launch()` starts it, once the kernel has
    stopped (so the two are not in memory together), and the page is printed when the HTML is
    ready."""

    def __init__(
        self,
        chromium: str | None = None,
        print_timeout: float = 60,
        start_timeout: float = CHROMIUM_START_TIMEOUT,
    ):
        self.requested = chromium
        self.print_timeout = print_timeout  # loading and printing the page (--print-timeout)
        self.start_timeout = start_timeout  # chromium's first answer, per attempt
        self._probed: Future | None = None
        self._launched: Future | None = None
        self._browser: _Chromium | None = None
        self._page: tuple[str, str] | RenderError | None = None  # opened by launch()
        self._lock = threading.Lock()

    def _exe(self) -> str:
        exe = find_chromium(self.requested)
        if exe is None:
            wanted = self.requested or os.environ.get(ENV_CHROMIUM) or "chromium"
            raise MissingDependency(
                f"cannot print report.pdf: chromium not found ({wanted}); " + SYSTEM_DEPS_HINT
            )
        return exe

    def _did_not_start(self, exe: str, why: str) -> MissingDependency:
        return MissingDependency(
            f"cannot print report.pdf: chromium ({exe}) did not start: {why}; " + SYSTEM_DEPS_HINT
        )

    def _probe(self) -> str:
        exe = self._exe()
        import subprocess

        try:
            r = subprocess.run(
                [exe, "--version"],
                capture_output=True,
                text=True,
                timeout=self.start_timeout,
                stdin=subprocess.DEVNULL,
                env={**os.environ, "TZ": "UTC"},
            )
        except subprocess.TimeoutExpired:
            raise self._did_not_start(
                exe,
                f"`{exe} --version` did not answer within "
                f"{self.start_timeout:g} s (the start-up timeout)",
            ) from None
        except (OSError, subprocess.SubprocessError) as e:
            raise self._did_not_start(exe, str(e) or type(e).__name__) from None
        m = re.search(r"\b(\d+(?:\.\d+){1,3})\b", r.stdout)
        if r.returncode != 0 or not m:
            said = r.stderr.strip().splitlines()
            why = (
                f"`{exe} --version` exited with status {r.returncode}"
                if r.returncode
                else f"`{exe} --version` gave no version"
            )
            raise self._did_not_start(exe, why + (f" ({said[-1]})" if said else ""))
        return m.group(1)

    def probe(self) -> None:
        """Find chromium and its version in the background."""
        if self._probed is None:
            self._probed = _run_in_thread(self._probe)

    def version(self) -> str:
        """Chromium's version; raises MissingDependency when it cannot be used."""
        self.probe()
        return self._probed.result()

    def _start(self) -> _Chromium:
        self.version()  # the same executable, and its errors first
        exe = self._exe()
        for attempt in (1, 2):  # a browser that exits at start-up is given a second chance
            profile = _profile_dir()
            try:
                browser = _Chromium(
                    exe, [*PAGE_SWITCHES, *CHROMIUM_ARGS], {**os.environ, "TZ": "UTC"}, profile
                )
            except OSError as e:
                shutil.rmtree(profile, ignore_errors=True)
                raise self._did_not_start(exe, e.strerror or str(e)) from None
            try:
                browser.call("Browser.getVersion", timeout=self.start_timeout)
                break
            except RenderError as e:
                status = browser.exit_status()
                browser.close()
                if attempt == 2:
                    why = (
                        f"it exited with status {status}"
                        if status is not None
                        else f"it did not answer the DevTools protocol within "
                        f"{self.start_timeout:g} s of starting (the start-up timeout)"
                        if isinstance(e, BrowserTimeout)
                        else str(e)
                    )
                    raise self._did_not_start(exe, why + " (twice)") from None
        with self._lock:
            self._browser = browser
        try:  # the page is made ready while the HTML is rendered
            page: tuple[str, str] | RenderError = self._open_page(browser, self.start_timeout)
        except BrowserTimeout as e:  # reported by print_pdf
            page = RenderError(f"{e} while the page was set up (the start-up timeout)")
        except RenderError as e:
            page = e
        with self._lock:
            self._page = page
        return browser

    def launch(self) -> None:
        """Start the browser in the background (see print_pdf)."""
        if self._launched is None:
            self._launched = _run_in_thread(self._start)

    def print_pdf(
        self,
        html_path: Path,
        as_of: str,
        digest: str,
        scale: float = 1.0,
        footer: bool = True,
        name: str = "report.pdf",
    ) -> bytes:
        """Load the HTML and print it on A4 (at `scale`, with the footer of title, date and page
        number) in a page of its own (two calls may print at the same time); the whole of it
        (and the page's set-up, if the launch had not finished it) within print_timeout seconds
        (--print-timeout)."""
        self.launch()
        browser = self._launched.result()
        deadline = time.monotonic() + self.print_timeout
        with self._lock:
            page, self._page = self._page, None
        try:
            if isinstance(page, RenderError):
                raise page
            context, session = (
                page if page is not None else self._open_page(browser, self.start_timeout)
            )
            try:
                data = self._print(browser, session, html_path, as_of, deadline, scale, footer)
            finally:
                if not browser._hung:
                    try:
                        browser.call(
                            "Target.disposeBrowserContext",
                            {"browserContextId": context},
                            timeout=10,
                        )
                    except RenderError:
                        pass
        except BrowserTimeout as e:
            raise RenderError(
                f"chromium could not print {name}: it did not finish loading "
                f"and printing it within {self.print_timeout:g} s "
                f"(--print-timeout; {e})"
            ) from None
        except RenderError as e:
            raise RenderError(f"chromium could not print {name}: {e}") from None
        return fix_pdf(data, as_of, digest)

    @staticmethod
    def _open_page(browser: _Chromium, wait: float) -> tuple[str, str]:
        """A page set up as Playwright set it up (offline, JavaScript off, light colour scheme,
        every network request failed), laid out in print media at the printed width: (its
        browser context, its session)."""
        context = browser.call(
            "Target.createBrowserContext", {"disposeOnDetach": True}, timeout=wait
        )["browserContextId"]
        target = browser.call(
            "Target.createTarget", {"url": "about:blank", "browserContextId": context}, timeout=wait
        )
        s = browser.call(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}, timeout=wait
        )["sessionId"]
        for method, params in (
            ("Page.enable", {}),
            ("Page.setLifecycleEventsEnabled", {"enabled": True}),
            ("Network.enable", {}),
            ("Emulation.setFocusEmulationEnabled", {"enabled": True}),
            # laid out from the start as it is printed (print media, the width between the
            # margins), so that what _fit_wide_tables measures is what is printed; printToPDF
            # lays the page out for print itself, and prints the same bytes either way
            (
                "Emulation.setDeviceMetricsOverride",
                {
                    "mobile": False,
                    "deviceScaleFactor": 1,
                    "width": PRINT_WIDTH_PX,
                    "height": VIEWPORT["height"],
                    "screenWidth": VIEWPORT["width"],
                    "screenHeight": VIEWPORT["height"],
                    "screenOrientation": {"angle": 0, "type": "landscapePrimary"},
                },
            ),
            ("Emulation.setScriptExecutionDisabled", {"value": True}),
            (
                "Emulation.setEmulatedMedia",
                {
                    "media": "print",
                    "features": [{"name": "prefers-color-scheme", "value": "light"}],
                },
            ),
            (
                "Network.emulateNetworkConditions",
                {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
            ),
            (
                "Fetch.enable",
                {
                    "patterns": [
                        {"urlPattern": f"{scheme}://*"}
                        for scheme in ("http", "https", "ws", "wss", "ftp")
                    ]
                },
            ),
        ):
            browser.call(method, params, s, timeout=wait)
        return context, s

    @staticmethod
    def _print(
        browser: _Chromium,
        session: str,
        html_path: Path,
        as_of: str,
        deadline: float,
        scale: float = 1.0,
        footer: bool = True,
    ) -> bytes:
        """The page loads the HTML; Page.printToPDF prints it on A4 with the margins; all of it
        by the deadline (time.monotonic())."""

        def left() -> float:
            return max(deadline - time.monotonic(), 0.001)

        nav = browser.call(
            "Page.navigate", {"url": html_path.resolve().as_uri()}, session, timeout=left()
        )
        if nav.get("errorText"):
            raise RenderError(f"cannot open {html_path}: {nav['errorText']}")
        browser.loaded(session, nav.get("loaderId"), timeout=left())
        try:
            _fit_wide_tables(browser, session, nav["frameId"], left)
        except (KeyError, TypeError, ValueError, IndexError) as e:
            raise RenderError(
                "chromium answered the page's set-up for printing with something "
                f"else than the protocol says ({type(e).__name__}: {e})"
            ) from None
        result = browser.call(
            "Page.printToPDF",
            {
                "transferMode": "ReturnAsBase64",
                "landscape": False,
                "displayHeaderFooter": footer,
                "headerTemplate": "<span></span>",
                "footerTemplate": _footer(TITLE, _long_date(as_of)) if footer else "<span></span>",
                "printBackground": True,
                "scale": scale,
                "paperWidth": A4_INCHES[0],
                "paperHeight": A4_INCHES[1],
                "marginTop": _inches(PDF_MARGINS["top"]),
                "marginBottom": _inches(PDF_MARGINS["bottom"]),
                "marginLeft": _inches(PDF_MARGINS["left"]),
                "marginRight": _inches(PDF_MARGINS["right"]),
                "pageRanges": "",
                "preferCSSPageSize": False,
                "generateTaggedPDF": True,
                "generateDocumentOutline": True,
            },
            session,
            timeout=left(),
        )
        return base64.b64decode(result["data"])

    def close(self) -> None:
        if self._launched is not None:
            try:
                self._launched.result()
            except BaseException:  # noqa: BLE001 - reported by print_pdf, if it was called
                pass
        with self._lock:
            browser, self._browser = self._browser, None
        if browser is not None:
            browser.close()


_PDF_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
BRIEF_SCALES = (1.0, 0.93, 0.86, 0.8, 0.75)  # the brief is never printed smaller than 0.75


def pdf_pages(data: bytes) -> int:
    """The number of pages of a PDF Chromium printed (its page objects are not compressed)."""
    return len(_PDF_PAGE.findall(data))


def print_brief(printer: PdfPrinter, html_path: Path, as_of: str, digest: str) -> bytes:
    """brief.pdf on exactly one A4 page: printed at full size, and again smaller (down to 0.75)
    while it takes more than one page. Raises RenderError if it does not fit even then: a brief
    is never cut or published on two pages."""
    pages = 0
    for scale in BRIEF_SCALES:
        data = printer.print_pdf(
            html_path, as_of, digest, scale=scale, footer=False, name="brief.pdf"
        )
        pages = pdf_pages(data)
        if pages == 1:
            return data
    raise RenderError(
        f"the brief does not fit on one A4 page: at scale {BRIEF_SCALES[-1]} it "
        f"still takes {pages} pages; shorten the cells of the first notebook "
        f"tagged `{BRIEF_TAG}` (the bottom line, the key numbers, the figure)"
    )


def _profile_dir() -> str:
    """A fresh profile directory for Chromium in the temporary directory; a failure to make it
    is the temporary directory's (OutputError), not Chromium's."""
    try:
        return tempfile.mkdtemp(prefix="stability-report-chromium-")
    except OSError as e:
        raise OutputError.from_os(
            e, "Chromium's profile in the temporary directory (TMPDIR)"
        ) from None


def _run_in_thread(fn: Callable[[], Any]) -> Future:
    """fn() in a daemon thread of its own; its result (or exception) in the returned future."""
    future: Future = Future()

    def target():
        if future.set_running_or_notify_cancel():
            try:
                future.set_result(fn())
            except BaseException as e:  # noqa: BLE001 - re-raised by future.result()
                future.set_exception(e)

    threading.Thread(target=target, name="pdf", daemon=True).start()
    return future


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[+\-Z][^)]*\)")
# The tagged PDF's structure elements carry Chromium's DOM node ids, which depend on the order
# in which the renderer happened to number nodes, not on the document.
_PDF_NODE = re.compile(rb"\(node(\d{6,12})\)")
_PDF_ID = re.compile(rb"/ID \[<([0-9A-Fa-f]+)>(\s*)<([0-9A-Fa-f]+)>\]")


def fix_pdf(data: bytes, as_of: str, digest: str) -> bytes:
    """Make two prints of the same HTML byte-identical: Chromium's print time becomes the as-of
    date, a document /ID (if any) a hash of the inputs, and the structure tree's DOM node ids are
    numbered in order; every replacement has the same length, so the cross-reference offsets
    stay valid."""
    stamp = as_of.replace("-", "") + "000000"
    h = hashlib.sha256(digest.encode()).hexdigest().upper().encode() * 4

    def date_sub(m: re.Match) -> bytes:
        new = b"/" + m.group(1) + b" (D:" + stamp.encode() + b"+00'00')"
        return new if len(new) == len(m.group(0)) else m.group(0)

    def id_sub(m: re.Match) -> bytes:
        a, sep, b = m.group(1), m.group(2), m.group(3)
        return b"/ID [<" + h[: len(a)] + b">" + sep + b"<" + h[: len(b)] + b">]"

    nodes: dict[bytes, bytes] = {}

    def node_sub(m: re.Match) -> bytes:  # renumbered in order of appearance
        number = nodes.setdefault(m.group(1), b"%0*d" % (len(m.group(1)), len(nodes) + 1))
        return b"(node" + number + b")"

    out = _PDF_DATE.sub(date_sub, data)
    out = _PDF_ID.sub(id_sub, out)
    out = _PDF_NODE.sub(node_sub, out)
    return out if len(out) == len(data) else data
