"""The report's HTML: the executed notebooks combined into one (render.combine), rendered once by
nbconvert with the `report` template (stability_report/templates: no require.js, no MathJax, no
widget scripts, nothing fetched from a network; figures embedded), every id the page shows made a
link to its entry in the evidence appendix written then (render.citations, render.evidence), each
citation given an id and a quote preview and each entry links back to its citations
(render.backrefs), download links to the run's files, a table of contents made from the headings,
and the page checked (render.page): a script, an event
handler or an external fetch, an id without its evidence or a quote that is not its source's
stops the run. The cells tagged `brief` become the one-page brief (render.brief).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import config, formats
from ..errors import MissingDependency, RenderError
from ..facts.plain import FactBase
from ..resultsfile import PREVIOUS_NAME
from . import backrefs, brief, citations, evidence
from .combine import combine, number_figures, number_tables
from .page import check_html, finish_html

TITLE = "The decline of Stability AI, 2023–24"
SUBTITLE = "Cash, runway and the departure of its executives, reconstructed from {sources}"
KICKER = "Analytical report"

DISPLAY_PRIORITY = [
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/latex",
    "text/plain",
]


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
            nbformat.v4.new_notebook(), resources=_resources(empty, config.TEMPLATES)
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


def _exporter_class():
    from nbconvert import HTMLExporter

    class ReportExporter(HTMLExporter):
        """HTMLExporter without its final BeautifulSoup pass, which re-parses the whole page to
        add alt texts and tabindex attributes (0.7 s on a 2 MB report): the report's figures
        carry their own alt text and the page is not an interactive notebook.

        It repeats what HTMLExporter.from_notebook_node of nbconvert 7.17.2 (requirements.txt)
        does before that pass, with its private `_init_resources` and `_nb_metadata`:
        tests/unit/test_private_apis.py fails, naming that version, when the page it makes is no
        longer nbconvert's page but for that pass."""

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
    c.HTMLExporter.extra_template_basedirs = [str(config.TEMPLATES)]
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
        fb = FactBase.load(facts_dir or config.facts_dir(), raw_dir or config.raw_dir())
    except (OSError, ValueError, KeyError) as e:
        raise RenderError(f"cannot read the fact base for the evidence appendix: {e}") from None
    attached = (
        sorted(
            p.name
            for p in attachments_dir.iterdir()
            if p.is_file() and config.ATTACHMENT_NAME.fullmatch(p.name)
        )
        if attachments_dir is not None and attachments_dir.is_dir()
        else []
    )
    nb = combine(executed, show_code)
    number_figures(nb)
    tables = number_tables(nb)
    resources = _resources(info, resources_path, fb, attached, facts_dir, raw_dir)
    resources["report"]["brief"] = any(c.metadata.get("stability_report_brief") for c in nb.cells)
    # previous-results.json is named whether or not this run had one, so that the page does not
    # depend on the state of the output folder (the same inputs render the same page)
    also = [
        *ALSO_IN_RUN,
        (PREVIOUS_NAME, "the results of the run published before, if any"),
    ]
    resources["report"]["run_also"] = [f"{n} ({w})" if w else n for n, w in also]
    resources["report"]["downloads"] = downloads(
        bool(info.get("options", {}).get("pdf", True)), resources["report"]["brief"], attached
    )
    try:
        body, _ = _exporter(show_code).from_notebook_node(nb, resources=resources)
    except Exception as e:  # a template or filter error: name it
        raise RenderError(
            f"nbconvert could not render the report: {type(e).__name__}: {e}"
        ) from None
    body, brief_cells = brief.take_cells(body)
    linker = citations.Linker(lambda fid: f"#{citations.anchor(fid)}", tables)
    body = linker.run(body)
    body, cited = backrefs.number_citations(body, fb)
    appendix = evidence.evidence_html(fb, linker.ids, linker.element_ids)
    body = body.replace(EVIDENCE_MARK, backrefs.add_backlinks(appendix.html, cited), 1)
    body, problems = finish_html(body)
    if problems:
        shown = "\n  - ".join(problems[:10])
        raise RenderError(
            "the rendered report breaks the self-contained, script-free rule:\n  - " + shown
        )
    files = [href for href, _ in resources["report"]["downloads"]]
    problems = linker.problems + appendix.problems + citations.check_page(body, fb, files=files)
    if problems:
        raise RenderError(_listed("the report's citations cannot all be checked", problems))
    page = None
    if brief_cells:
        css = "\n".join(
            (config.TEMPLATES / "report" / name).read_text(encoding="utf-8")
            for name in ("report.css", "brief.css")
        )
        page, _, problems = brief.page(
            brief_cells,
            fb,
            title=TITLE,
            as_of_long=formats.long_date(info["as_of"]),
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
    return Report(body, page, tables, appendix.ids)


EVIDENCE_MARK = "<!-- stability-report:evidence -->"
RESULTS = "results.json"


# What else a run's folder holds besides the files `downloads` links (pipeline.run and
# publish.publish write them), named in the run information so its list of files is whole;
# previous-results.json too (the published run's, for chapter 4's changes, when there is one).
ALSO_IN_RUN = (
    ("report.html", "this page"),
    ("run.json", "the run's record"),
    ("figures/", ""),
    ("notebooks/", "the executed notebooks"),
)


def downloads(pdf: bool, has_brief: bool, attached: list[str]) -> list[tuple[str, str]]:
    """(link, label) of each file the run publishes next to report.html, for the page's
    download links: the PDF (when printed), the brief, the CSV attachments and results.json."""
    out = [("report.pdf", "report (PDF)")] if pdf else []
    if has_brief:
        out += [("brief.pdf", "one-page brief (PDF)")] if pdf else []
        out += [(brief.BRIEF, "brief (HTML)")]
    out += [(f"{config.ATTACHMENTS}/{name}", name) for name in attached]
    return out + [(RESULTS, "results (JSON)")]


def _listed(what: str, problems: list[str], limit: int = 12) -> str:
    more = f"\n  ... and {len(problems) - limit} more" if len(problems) > limit else ""
    return f"{what}:\n  - " + "\n  - ".join(problems[:limit]) + more


def _element_ids(page: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', page))


def _label(path: Path) -> str:
    """A directory as the reader should see it: relative to the repository when inside it."""
    try:
        return path.resolve().relative_to(config.ROOT).as_posix() + "/"
    except ValueError:
        return str(path.resolve()) + "/"


def subtitle(fb: FactBase) -> str:
    return SUBTITLE.format(sources=formats.count_words(len(fb.sources), "news article"))


def _resources(
    info: dict[str, Any],
    resources_path: Path,
    fb: FactBase | None = None,
    attached: list[str] | None = None,
    facts_dir: Path | None = None,
    raw_dir: Path | None = None,
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
        "as_of_long": formats.long_date(info["as_of"]),
        "css": (config.TEMPLATES / "report" / "report.css").read_text(encoding="utf-8"),
        "param_rows": [(k, _param_value(v)) for k, v in info["params"].items()],
        "version_rows": [(labels.get(k, k), v) for k, v in versions.items()],
        "attachments": attached or [],
        "attachments_dir": config.ATTACHMENTS,
        "facts_label": _label(facts_dir or config.facts_dir()),
        "raw_label": _label(raw_dir or config.raw_dir()),
    }
    return {"metadata": {"name": TITLE, "path": str(resources_path)}, "report": report}
