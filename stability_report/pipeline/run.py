"""One run of the report, as its stages: inputs → kernel → html → pdf → publish.

`run()` takes the lock, checks the output tree and finishes what an interrupted run left
(stability_report.pipeline.output), hashes the inputs (pipeline.inputs) and stops there when the
published run has the same hash, recording the check in <output>/checked.json (a new as-of date that
changes nothing in the analysis gives the same hash: analysis.asof). Otherwise `render()` builds the
run aside in `<output>/.work/<run>/`: the notebooks run in one kernel (pipeline.kernel), one HTML
page is rendered from them (render.html), Chromium prints it (render.pdf), and the run is published
only when every step succeeded (pipeline.output, publish.publish). SIGTERM, SIGINT and SIGHUP stop a
run with one line saying whether it had published (they are held during the milliseconds of
publishing).

The stages overlap where that saves time: Chromium is looked for while the notebooks run;
nbconvert is imported and the templates compiled meanwhile; the HTML is rendered while the
kernel writes results.json and finishes drawing the figures; Chromium starts once the kernel is
gone; the brief prints beside the report, and the executed notebooks are written meanwhile.

This module is imported by the command line on every run, including the no-op one, so it imports
only the standard library and the run's light modules at the top: nbformat, nbclient,
papermill and nbconvert are imported inside the stages that need them.
"""

from __future__ import annotations

import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import config
from ..errors import (
    OK,
    OUTPUT,
    Interrupted,
    MissingDependency,
    NotebookFailed,
    OutputError,
    PipelineError,
    UnsafePath,
    UsageError,
    is_output_error,
)
from ..publish import publish, recover
from ..publish.lock import RunLock
from ..render.threads import in_thread
from ..resultsfile import NAME as RESULTS_NAME
from ..resultsfile import PREVIOUS_NAME
from . import output, results, unchanged
from .inputs import NOTEBOOK_GLOB, Config, discover_notebooks, git_commit, run_id, versions
from .progress import Progress
from .signals import handle_signals


def run(cfg: Config, progress: Progress) -> int:
    """Render and publish the report the configuration asks for, unless the published run has
    the same inputs (or `cfg.force`). Returns the exit code; raises PipelineError."""
    from .inputs import input_files, inputs_hash

    with RunLock(cfg.output / ".lock", progress.say), output.tidy_work(cfg):
        output.check_output_tree(cfg)
        output.recover(cfg, progress)
        files = input_files(cfg)
        digest = inputs_hash(cfg, files)
        if not cfg.force and output.up_to_date(cfg, digest):
            reported = output.record_check(cfg, progress.say)
            progress.say(
                f"unchanged since the report as of {reported}: nothing to render "
                "(--force renders it again)"
            )
            return OK
        if not cfg.force and not _archived(cfg):
            reported = unchanged.unchanged_at_once(cfg, digest)
            if reported:
                output.record_check(cfg, progress.say, reported, unchanged.record(cfg, digest))
                progress.say(
                    f"unchanged since the report as of {reported}: these inputs rendered the "
                    "published report before; nothing to render (--force renders it again)"
                )
                return OK
        shown = ", ".join(f"{k}={v}" for k, v in cfg.params.items())
        progress.say(f"rendering run {run_id(cfg.as_of, digest)} ({shown})")
        return render(cfg, files, digest, progress)


@dataclass
class _Run:
    """What the stages of one run share."""

    cfg: Config
    rid: str
    digest: str
    staging: Path
    notebooks: list[Path]
    progress: Progress
    printer: Any = None  # render.pdf.PdfPrinter, when a PDF is made
    pdf_problem: MissingDependency | None = None  # why the PDF is not made (HTML published)


def render(cfg: Config, files: dict[str, str], digest: str, progress: Progress) -> int:
    """Execute, render, print and publish one run. Returns the exit code; raises PipelineError."""
    _hide_rfc3987_syntax()
    try:
        import nbformat  # noqa: F401  (the stages need it; a missing one is said here)
    except ImportError as e:
        raise MissingDependency(
            f"a Python package is missing ({e.name}); run `make env` to install requirements.txt"
        ) from None
    from ..render import html
    from ..render.pdf import PdfPrinter
    from .kernel import KernelSession, kernel_env

    notebooks = discover_notebooks(cfg.notebooks)
    if not notebooks:
        raise UsageError(f"no notebooks ({NOTEBOOK_GLOB}) in {cfg.notebooks}")
    rid = run_id(cfg.as_of, digest)
    output.check_temporary_directory()
    staging = output.make_staging(cfg, rid)
    r = _Run(cfg, rid, digest, staging, notebooks, progress)

    progress.total = 1 + len(notebooks) + 1 + (1 if cfg.pdf else 0) + 1
    if cfg.pdf:
        r.printer = PdfPrinter(cfg.chromium, cfg.print_timeout)
        r.printer.probe()  # chromium is found (and its version read) while the notebooks run
    env = kernel_env(cfg, staging / "figures", staging / config.ATTACHMENTS)
    try:
        previous = results.copy_previous(cfg.output, staging / PREVIOUS_NAME, progress.say)
    except OSError as e:  # writing its copy into the staging folder (the disk is full)
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError.from_os(e, f"the run in {staging}") from None
    run = {"run_id": rid, "inputs_hash": digest}
    env.update(results.kernel_env(staging / RESULTS_NAME, cfg.params, run, previous))
    kernel = KernelSession(cfg.notebooks.resolve(), env, staging / "kernel.log", cfg.timeout)

    def warm_up():
        kernel.imported.wait()  # not importing alongside the kernel session (KernelSession)
        html.warm_up(cfg.show_code)

    warm = in_thread(warm_up)
    commit = in_thread(lambda: git_commit(cfg))
    try:
        try:
            kinfo, executed = _kernel_stage(r, kernel)
            warm.result()
            info = _run_info(r, kinfo, commit.result())
            notebooks_written = _html_stage(r, kernel, executed, info)
        finally:
            kernel.close()
        try:
            _pdf_stage(r)
        finally:
            _settled(notebooks_written)  # the staging folder is not removed under the writing
        notebooks_written.result()
    except BaseException as e:
        if r.printer is not None:
            r.printer.close()
        _failed(r, e)
        raise
    if r.printer is not None:
        r.printer.close()
    if not cfg.force and not _archived(cfg) and _same_as_published(r):
        return OK
    _publish_stage(r, info, files)
    return OK


def _archived(cfg: Config) -> bool:
    """The output has a published run in its archive (runs/, latest), whose inputs hash says
    whether a run has anything new; a fresh clone's committed report/ has none."""
    return publish.published_manifest(cfg.output) is not None


def _same_as_published(r: _Run) -> bool:
    """Without an archive, a run whose content is the published report's (pipeline.unchanged)
    publishes nothing: the staging folder goes, and checked.json says so."""
    reported = unchanged.published_as_of(r.cfg, r.staging)
    if reported is None:
        return False
    shutil.rmtree(r.staging, ignore_errors=True)
    output.record_check(r.cfg, r.progress.say, reported, unchanged.record(r.cfg, r.digest))
    r.progress.say(
        f"unchanged since the report as of {reported}: the rendered report says what the "
        "published one says (only its date would change); nothing published (--force "
        "publishes it)"
    )
    return True


def _hide_rfc3987_syntax() -> None:
    """jsonschema (under nbformat) imports rfc3987_syntax when it is installed (jupyter-events
    pulls it in), which compiles a grammar for 1.5 s; its IRI format checks are never used here,
    so this process reports it missing. Written against jsonschema 4.26.0 (requirements.txt):
    tests/integration/test_private_apis.py fails, naming it, when nbformat no longer pulls it in
    or no longer works without it."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]


def _kernel_stage(r: _Run, kernel) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    """Start the kernel and run every notebook in it: the executed notebooks, cleaned and
    checked, written into the run's notebooks/ folder."""
    import nbformat

    from .notebooks import check_outputs, clean_executed

    with r.progress.step("starting the kernel"):
        kinfo = kernel.start()
    executed = []
    for src in r.notebooks:
        out = r.staging / "notebooks" / src.name
        with r.progress.step(f"running {src.name}"):
            nb = kernel.execute(src, out, r.cfg.params)
            handle_signals()
            source_ids = [c.get("id") for c in nbformat.read(src, as_version=4).cells]
            clean_executed(
                nb,
                source_ids,
                src.stem,
                f"notebooks/{src.name}",
                f"runs/{r.rid}/notebooks/{src.name}",
            )
            check_outputs(nb, src)
            nbformat.write(nb, out)
            executed.append((src.stem, nb))
    return kinfo, executed


def _run_info(r: _Run, kinfo: dict[str, Any], commit: str) -> dict[str, Any]:
    """What the report's run information and run.json say about the run. Without chromium the
    HTML is still published (and the run exits 5); any other failure of the PDF step fails the
    run like any other step."""
    browser_version = None
    if r.printer is not None:
        try:
            browser_version = r.printer.version()
        except MissingDependency as e:
            r.pdf_problem = e
    return {
        "run_id": r.rid,
        "as_of": r.cfg.as_of,
        "params": r.cfg.params,
        "options": r.cfg.options(),
        "inputs_hash": r.digest,
        "git_commit": commit,
        "facts_digest": kinfo.get("facts_digest", "unavailable"),
        "versions": {
            "python": kinfo.get("python", "unknown"),
            **{k: kinfo.get(k, "unknown") for k in ("pandas", "matplotlib", "numpy")},
            **versions(),
            **({"chromium": browser_version} if browser_version else {}),
        },
        "notebooks": [src.name for src in r.notebooks],
    }


def _html_stage(r: _Run, kernel, executed: list[tuple[str, Any]], info: dict[str, Any]):
    """report.html and brief.html, rendered in a thread while the kernel writes results.json
    (from the fact base the notebooks used), finishes drawing the figures
    (stability_report.figures.style draws them in the background) and shuts down; then the
    figures' SVGs go in place, in the pages, and in the executed notebooks in a thread that
    writes them while the PDFs print (its future is returned)."""
    import nbformat

    from ..figures import embed
    from ..render import html

    with r.progress.step("rendering report.html"):
        rendering = in_thread(
            lambda: html.render_report(
                executed,
                info,
                show_code=r.cfg.show_code,
                resources_path=r.cfg.notebooks,
                facts_dir=r.cfg.facts,
                raw_dir=r.cfg.raw,
                attachments_dir=r.staging / config.ATTACHMENTS,
            )
        )
        try:
            kernel.write_results()
            kernel.wait_figures()
        except BaseException:
            _settled(rendering)  # the staging folder is not removed under the rendering
            raise
        finally:
            kernel.close()
        if r.printer is not None and r.pdf_problem is None:
            r.printer.launch()  # now that the kernel is gone, while the HTML renders
        rendered = rendering.result()
        figures = r.staging / "figures"
        page = embed.embed_svgs(rendered.html, figures)
        (r.staging / "report.html").write_text(page, encoding="utf-8")
        if rendered.brief is not None:  # no cell tagged `brief`: no brief
            (r.staging / "brief.html").write_text(
                embed.embed_svgs(rendered.brief, figures, links=False), encoding="utf-8"
            )

    def write_notebooks() -> None:
        for (_, nb), src in zip(executed, r.notebooks):
            embed.embed_notebook(nb, figures)
            nbformat.write(nb, r.staging / "notebooks" / src.name)

    return in_thread(write_notebooks)


def _settled(work) -> None:
    """Wait for work started in a thread to end, whatever its outcome (it is not used)."""
    try:
        work.result()
    except BaseException:  # noqa: BLE001 - the failure being raised is the one reported
        pass


def _pdf_stage(r: _Run) -> None:
    """report.pdf, and brief.pdf printed in a second page of the same browser meanwhile. A
    chromium that was found but did not start leaves the run without its PDF (exit 5)."""
    if r.printer is None or r.pdf_problem is not None:
        return
    from ..render.pdf import print_brief

    try:
        brief_html = r.staging / "brief.html"
        what = "report.pdf and brief.pdf" if brief_html.exists() else "report.pdf"
        with r.progress.step(f"printing {what}"):
            briefing = (
                in_thread(
                    lambda: print_brief(r.printer, brief_html, r.cfg.as_of, r.digest + ":brief")
                )
                if brief_html.exists()
                else None
            )
            pdf = r.printer.print_pdf(r.staging / "report.html", r.cfg.as_of, r.digest)
            (r.staging / "report.pdf").write_bytes(pdf)
            if briefing is not None:
                (r.staging / "brief.pdf").write_bytes(briefing.result())
    except MissingDependency as e:
        r.pdf_problem = e


def _failed(r: _Run, e: BaseException) -> None:
    """A stage failed: what is left of the run is removed, or kept for inspection in
    .work/failed-<run>; an error of the file system becomes OutputError (exit 4)."""
    if isinstance(e, Interrupted):
        shutil.rmtree(r.staging, ignore_errors=True)  # half made, and nobody asked for it
        return
    if is_output_error(e) or getattr(e, "exit_code", None) == OUTPUT:
        shutil.rmtree(r.staging, ignore_errors=True)  # keeping it would hold on to the space
        if isinstance(e, NotebookFailed):
            e.kept = None
        if isinstance(e, PipelineError):
            return
        raise OutputError.from_os(e, f"the run in {r.staging}") from None
    kept = recover.keep_failed(r.cfg.output, r.staging, r.rid)
    if isinstance(e, NotebookFailed) and e.kept is not None:
        e.kept = kept / "notebooks" / e.kept.name if kept else None


def _publish_stage(r: _Run, info: dict[str, Any], files: dict[str, str]) -> None:
    """Publish the run, then remove what it supersedes; raises the missing chromium (exit 5)
    once the HTML is published."""
    cfg, progress = r.cfg, r.progress
    with progress.step(f"publishing run {r.rid}"):
        output.publish_run(cfg, r.staging, r.rid, info, files, r.pdf_problem is None, progress.say)
    progress.published = r.rid
    try:
        recover.remove_failed(cfg.output)  # superseded by this run
        if cfg.keep_runs:
            recover.prune(cfg.output, cfg.keep_runs, r.rid, progress.say)
    except (OSError, UnsafePath) as e:
        progress.say(f"run {r.rid} is published; cleaning up older runs failed: {e}")
    if r.pdf_problem is not None:
        progress.say(
            f"report.html published ({_rel(cfg.output / 'report.html')}); report.pdf was not made"
        )
        raise r.pdf_problem
    took = time.monotonic() - progress.t0
    made = "report.html and report.pdf" if cfg.pdf else "report.html"
    progress.say(f"published {made} in {_rel(cfg.output)} (run {r.rid}, {took:.1f} s)")


def _rel(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
