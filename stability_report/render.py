"""From executed notebooks to one report: a self-contained HTML page and a PDF printed from it.

The HTML is rendered once by nbconvert with the `report` template (stability_report/templates):
no require.js, no MathJax, no widget scripts, nothing fetched from a network; figures are
embedded. After rendering, figures are numbered, a table of contents is made from the headings,
and the page is checked: a script, an event handler or an external fetch stops the run.

The PDF is printed from that same HTML by Chromium driven by Playwright (one browser start,
one rendering pass, the CSS print rules). Chromium stamps the print time into the PDF; the dates
are replaced by the as-of date so two prints of the same inputs are byte-identical.
"""

from __future__ import annotations

import copy
import hashlib
import html as htmlmod
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .pipeline import ENV_CHROMIUM, SYSTEM_DEPS_HINT, MissingDependency, PipelineError

TEMPLATES = Path(__file__).resolve().parent / "templates"
TITLE = "The decline of Stability AI, 2023–24"
SUBTITLE = "Cash, runway and the departure of its executives, reconstructed from two news articles"
KICKER = "Analytical report"
BASIS = ("Every number in this report is computed from facts quoted verbatim from two news "
         "articles; the ids in brackets name the facts it comes from (see the sources appendix).")

REMOVE_CELL_TAGS = {"parameters", "injected-parameters", "remove-cell", "remove_cell"}
REMOVE_INPUT_TAGS = {"remove-input", "remove_input", "hide-input", "hide_input"}
REMOVE_OUTPUT_TAGS = {"remove-output", "remove_output", "hide-output", "hide_output"}
DISPLAY_PRIORITY = ["text/html", "text/markdown", "image/svg+xml", "image/png", "image/jpeg",
                    "text/latex", "text/plain"]

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-extensions", "--disable-default-apps", "--mute-audio",
                 "--font-render-hinting=none"]
PDF_MARGINS = {"top": "18mm", "bottom": "20mm", "left": "18mm", "right": "18mm"}


class RenderError(PipelineError):
    """The report could not be rendered, or the rendered page breaks the report's rules."""


# ---------------------------------------------------------------------------------------------
# HTML


def warm_up() -> None:
    """Import nbconvert (slow) while the notebooks run in the kernel."""
    try:
        import nbconvert.exporters.html  # noqa: F401
    except ImportError as e:
        raise MissingDependency(f"a Python package is missing ({e.name}); "
                                "run `make env` to install requirements.txt") from None


def combine(executed: list[tuple[str, Any]], show_code: bool):
    """One notebook of all chapters in reading order, without the parameter cells; code cells
    that show nothing are dropped (unless code is shown). Cell ids are prefixed by the notebook,
    so they stay unique."""
    import nbformat

    merged = nbformat.v4.new_notebook()
    first = executed[0][1].metadata
    merged.metadata = nbformat.from_dict(
        {k: first[k] for k in ("kernelspec", "language_info") if k in first})
    for stem, nb in executed:
        for cell in nb.cells:
            tags = set(cell.metadata.get("tags", []))
            if tags & REMOVE_CELL_TAGS:
                continue
            c = copy.deepcopy(cell)
            c["id"] = f"{stem}-{cell.get('id', '')}"
            if c.cell_type == "code":
                if tags & REMOVE_OUTPUT_TAGS:
                    c.outputs = []
                if tags & REMOVE_INPUT_TAGS:
                    c["transient"] = {"remove_source": True}
                if not c.outputs and (not show_code or tags & REMOVE_INPUT_TAGS):
                    continue
            merged.cells.append(c)
    return merged


_FIGCAPTION = re.compile(r"(<figure\b[^>]*\breport-figure\b[^>]*>.*?<figcaption\b[^>]*>)",
                         re.S)


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
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
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
    return _exporter_class()(config=c)


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


def render_html(executed: list[tuple[str, Any]], info: dict[str, Any], show_code: bool,
                resources_path: Path) -> str:
    """The report's HTML, checked: raises RenderError if it would fetch or run anything."""
    nb = combine(executed, show_code)
    number_figures(nb)
    versions = info["versions"]
    labels = {"python": "Python", "pandas": "pandas", "matplotlib": "matplotlib",
              "numpy": "NumPy", "nbconvert": "nbconvert", "nbclient": "nbclient",
              "papermill": "papermill", "playwright": "Playwright", "chromium": "Chromium (PDF)"}
    report = {
        **info,
        "title": TITLE,
        "subtitle": SUBTITLE,
        "kicker": KICKER,
        "basis": BASIS,
        "as_of_long": _long_date(info["as_of"]),
        "css": (TEMPLATES / "report" / "report.css").read_text(encoding="utf-8"),
        "param_rows": [(k, _param_value(v)) for k, v in info["params"].items()],
        "version_rows": [(labels.get(k, k), v) for k, v in versions.items()],
    }
    resources = {"metadata": {"name": TITLE, "path": str(resources_path)}, "report": report}
    try:
        body, _ = _exporter(show_code).from_notebook_node(nb, resources=resources)
    except Exception as e:  # a template or filter error: name it
        raise RenderError(f"nbconvert could not render the report: {type(e).__name__}: {e}") \
            from None
    body, problems = finish_html(body)
    if problems:
        shown = "\n  - ".join(problems[:10])
        raise RenderError("the rendered report breaks the self-contained, script-free rule:\n  - "
                          + shown)
    return body


# ---------------------------------------------------------------------------------------------
# after rendering: unique heading ids, a table of contents, and the checks


class _Scan(HTMLParser):
    """Collects h1/h2 headings (with their positions) and what the page would fetch or run."""

    FETCHING = {"img", "script", "iframe", "frame", "embed", "object", "source", "audio", "video",
                "track", "input", "link", "image", "use", "feimage", "portal"}
    URL_ATTRS = {"src", "href", "xlink:href", "data", "srcset", "poster", "background",
                 "action", "formaction", "ping"}

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
                    self.problems.append(f"<{tag} {k}=\"{v[:60]}\"> would fetch a resource")
            if k == "style" and re.search(r"url\s*\(\s*['\"]?(?!data:|#)", low):
                self.problems.append(f"an inline style on <{tag}> loads a url()")
        if tag == "style":
            self._in_style = True
        if tag in ("h1", "h2") and a.get("id"):
            pos = self.getpos()
            self._heading = {"level": int(tag[1]), "id": a["id"], "pos": pos,
                             "start": self.get_starttag_text(), "text": ""}
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
        for level, hid, text in entries)
    toc = f'<ol>\n{items}\n</ol>'
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
    style = ("font-family:'DejaVu Sans','Liberation Sans',Arial,sans-serif;font-size:7.5pt;"
             "color:#666;width:100%;margin:0 18mm;display:flex;justify-content:space-between;")
    return (f'<div style="{style}"><span>{htmlmod.escape(title)} · as of '
            f'{htmlmod.escape(as_of_long)}</span><span>page <span class="pageNumber"></span> of '
            '<span class="totalPages"></span></span></div>')


class PdfPrinter:
    """Chromium via Playwright, in a thread of its own: it starts while the notebooks run and
    prints when the HTML is ready. Playwright's objects stay in that one thread."""

    def __init__(self, chromium: str | None = None):
        self.requested = chromium
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf")
        self._launched = None
        self._pw = self._browser = None

    def launch(self) -> None:
        self._launched = self._pool.submit(self._start)

    def _start(self) -> str:
        exe = find_chromium(self.requested)
        if exe is None:
            wanted = self.requested or os.environ.get(ENV_CHROMIUM) or "chromium"
            raise MissingDependency(f"cannot print report.pdf: chromium not found ({wanted}); "
                                    + SYSTEM_DEPS_HINT)
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            raise MissingDependency("cannot print report.pdf: the Python package playwright is "
                                    "missing; run `make env`") from None
        self._pw = sync_playwright().start()
        try:
            self._browser = self._pw.chromium.launch(
                executable_path=exe, args=CHROMIUM_ARGS, env={**os.environ, "TZ": "UTC"})
        except Exception as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise MissingDependency(f"cannot print report.pdf: chromium ({exe}) did not start: "
                                    f"{first}; " + SYSTEM_DEPS_HINT) from None
        return self._browser.version

    def version(self) -> str:
        return self._launched.result()

    def print_pdf(self, html_path: Path, as_of: str, digest: str) -> bytes:
        return self._pool.submit(self._print, html_path, as_of, digest).result()

    def _print(self, html_path: Path, as_of: str, digest: str) -> bytes:
        context = self._browser.new_context(offline=True, java_script_enabled=False)
        try:
            page = context.new_page()
            page.route(re.compile(r"^(https?|wss?|ftp):"), lambda route: route.abort())
            page.goto(html_path.resolve().as_uri(), wait_until="load")
            data = page.pdf(
                format="A4", margin=PDF_MARGINS, print_background=True, outline=True,
                tagged=True, display_header_footer=True, header_template="<span></span>",
                footer_template=_footer(TITLE, _long_date(as_of)), prefer_css_page_size=False)
        except Exception as e:
            raise RenderError(f"chromium could not print report.pdf: {e}") from None
        finally:
            context.close()
        return fix_pdf(data, as_of, digest)

    def close(self) -> None:
        def stop():
            try:
                if self._browser is not None:
                    self._browser.close()
            finally:
                if self._pw is not None:
                    self._pw.stop()
            self._browser = self._pw = None

        if self._launched is not None:
            try:
                self._pool.submit(stop).result()
            except Exception:
                pass
        self._pool.shutdown(wait=True)


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
