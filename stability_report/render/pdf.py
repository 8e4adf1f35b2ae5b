"""report.pdf and brief.pdf, printed by Chromium from the very HTML that is published: one
browser start (render.chromium), one rendering pass, the CSS print rules, the page set up as
render.pagesetup describes; the brief measured in each of its forms and printed on exactly one
A4 page in the first that fits. Chromium's start-up and the
printing each have a time limit; a browser that stops answering is killed. Chromium stamps the
print time into the PDF; the dates are replaced by the as-of date so two prints of the same
inputs are byte-identical (render.pdffile).
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from .. import config, formats
from ..errors import BrowserTimeout, MissingDependency, RenderError
from .chromium import (
    CHROMIUM_START_TIMEOUT,
    SYSTEM_DEPS_HINT,
    Chromium,
    find_chromium,
    profile_dir,
)
from .combine import BRIEF_TAG
from .html import TITLE
from .pagesetup import (
    A4_INCHES,
    BRIEF_BODIES,
    BRIEF_FORMS,
    BRIEF_SCALES,
    CHROMIUM_ARGS,
    PAGE_SWITCHES,
    PDF_MARGINS,
    PDF_MARGINS_NO_FOOTER,
    fit_wide_tables,
    fitting_forms,
    footer_html,
    inches,
    measure_brief_forms,
    open_page,
)
from .pdffile import fix_pdf, pdf_pages
from .threads import in_thread


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
        self._browser: Chromium | None = None
        self._page: tuple[str, str] | RenderError | None = None  # opened by launch()
        self._lock = threading.Lock()

    def _exe(self) -> str:
        exe = find_chromium(self.requested)
        if exe is None:
            wanted = self.requested or config.chromium() or "chromium"
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
            self._probed = in_thread(self._probe)

    def version(self) -> str:
        """Chromium's version; raises MissingDependency when it cannot be used."""
        self.probe()
        return self._probed.result()

    def _start(self) -> Chromium:
        self.version()  # the same executable, and its errors first
        exe = self._exe()
        for attempt in (1, 2):  # a browser that exits at start-up is given a second chance
            profile = profile_dir()
            try:
                browser = Chromium(
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
            page: tuple[str, str] | RenderError = open_page(browser, self.start_timeout)
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
            self._launched = in_thread(self._start)

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
        return fix_pdf(
            self._in_page(
                name,
                lambda browser, session, deadline: self._print(
                    browser, session, html_path, as_of, deadline, scale, footer
                ),
            ),
            as_of,
            digest,
        )

    def measure_brief(self, html_path: Path) -> list[float]:
        """The brief loaded and set up as it is printed, measured in each of its forms
        (pagesetup.measure_brief_forms), within print_timeout seconds."""

        def measure(browser: Chromium, session: str, deadline: float) -> list[float]:
            def left() -> float:
                return max(deadline - time.monotonic(), 0.001)

            frame = _load(browser, session, html_path, left)
            fit_wide_tables(browser, session, frame, left)
            return measure_brief_forms(browser, session, left)

        return self._in_page("brief.pdf", measure)

    def _in_page(self, name: str, work: Callable[[Chromium, str, float], Any]) -> Any:
        """work(browser, session, deadline) in a page of its own (two calls may run at the same
        time); the whole of it (and the page's set-up, if the launch had not finished it)
        within print_timeout seconds (--print-timeout)."""
        self.launch()
        browser = self._launched.result()
        deadline = time.monotonic() + self.print_timeout
        with self._lock:
            page, self._page = self._page, None
        try:
            if isinstance(page, RenderError):
                raise page
            context, session = page if page is not None else open_page(browser, self.start_timeout)
            try:
                return work(browser, session, deadline)
            except (KeyError, TypeError, ValueError, IndexError) as e:
                raise RenderError(
                    "chromium answered the page's set-up for printing with something "
                    f"else than the protocol says ({type(e).__name__}: {e})"
                ) from None
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

    @staticmethod
    def _print(
        browser: Chromium,
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

        fit_wide_tables(browser, session, _load(browser, session, html_path, left), left)
        margins = PDF_MARGINS if footer else PDF_MARGINS_NO_FOOTER
        result = browser.call(
            "Page.printToPDF",
            {
                "transferMode": "ReturnAsBase64",
                "landscape": False,
                "displayHeaderFooter": footer,
                "headerTemplate": "<span></span>",
                "footerTemplate": footer_html(TITLE, formats.long_date(as_of))
                if footer
                else "<span></span>",
                "printBackground": True,
                "scale": scale,
                "paperWidth": A4_INCHES[0],
                "paperHeight": A4_INCHES[1],
                "marginTop": inches(margins["top"]),
                "marginBottom": inches(margins["bottom"]),
                "marginLeft": inches(margins["left"]),
                "marginRight": inches(margins["right"]),
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


def print_brief(printer: PdfPrinter, html_path: Path, as_of: str, digest: str) -> bytes:
    """brief.pdf on exactly one A4 page: in its first form that fits (as written, then without
    its tables, whose notes name them as the report's, then also without its figures), at the
    largest scale from 1.0 down to 0.9 at which it fits. The brief is measured in every form
    first, and the forms whose height fits are printed in order until one takes one page (so
    usually one print); should the measure miss, each form is printed at its smallest scale
    first. Raises RenderError if it does not fit even then: a brief is never cut or published
    on two pages."""
    heights = printer.measure_brief(html_path)
    for i in fitting_forms(heights):
        body, scale = BRIEF_FORMS[i]
        data = _print_form(printer, html_path, body, as_of, digest, scale)
        if pdf_pages(data) == 1:
            return data
    pages = 0
    for body in BRIEF_BODIES:
        data, pages = _largest_scale_that_fits(printer, html_path, body, as_of, digest)
        if data is not None:
            return data
    raise RenderError(
        f"layout: the brief does not fit on one A4 page: at scale {BRIEF_SCALES[-1]} (the "
        f"smallest that keeps its text at 7 pt or more), even without its tables and figures, "
        f"it still takes {pages} pages; nothing was published; shorten the cells of the first "
        f"notebook tagged `{BRIEF_TAG}` (the bottom line, the key numbers, the figure)"
    )


def _print_form(
    printer: PdfPrinter, html_path: Path, body: str, as_of: str, digest: str, scale: float
) -> bytes:
    """The brief printed with its <body> as `body` says (a copy beside it, removed after)."""
    variant = html_path
    if body != BRIEF_BODIES[0]:
        text = html_path.read_text(encoding="utf-8")
        fd, name = tempfile.mkstemp(suffix=".html", prefix=".brief-", dir=html_path.parent)
        os.close(fd)
        variant = Path(name)
    try:
        if variant != html_path:
            variant.write_text(text.replace(BRIEF_BODIES[0], body, 1), encoding="utf-8")
        options = {"scale": scale, "footer": False, "name": "brief.pdf"}
        return printer.print_pdf(variant, as_of, digest, **options)
    finally:
        if variant != html_path:
            variant.unlink(missing_ok=True)


def _largest_scale_that_fits(
    printer: PdfPrinter, html_path: Path, body: str, as_of: str, digest: str
) -> tuple[bytes | None, int]:
    """The brief's print in the form `body` at the largest of BRIEF_SCALES that gives one page,
    and its page count (None and the count at the smallest scale when none does). A page that
    does not fit at the smallest scale fits at no larger one, so the smallest is printed first:
    a form that cannot fit costs one print, not three."""

    def pages_at(scale: float) -> tuple[bytes, int]:
        data = _print_form(printer, html_path, body, as_of, digest, scale)
        return data, pdf_pages(data)

    smallest, pages = pages_at(BRIEF_SCALES[-1])
    if pages != 1:
        return None, pages
    for scale in BRIEF_SCALES[:-1]:
        data, n = pages_at(scale)
        if n == 1:
            return data, n
    return smallest, pages


def _load(browser: Chromium, session: str, html_path: Path, left: Callable[[], float]) -> str:
    """The page loads the HTML: its frame's id."""
    nav = browser.call(
        "Page.navigate", {"url": html_path.resolve().as_uri()}, session, timeout=left()
    )
    if nav.get("errorText"):
        raise RenderError(f"cannot open {html_path}: {nav['errorText']}")
    browser.loaded(session, nav.get("loaderId"), timeout=left())
    return nav["frameId"]
