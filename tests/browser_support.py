"""Helpers for tests/integration/test_browser.py: a throw-away JupyterLab server driven by headless
Chromium, the rendered HTML opened with the network cut off, and the checks on the PDF (pdffonts,
pdftoppm, pdftotext). Every wait is bounded; nothing is written into the repository."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parents[1]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
POPPLER = all(shutil.which(t) for t in ("pdffonts", "pdftoppm", "pdftotext"))

# JupyterLab renders stderr streams, warnings and error tracebacks all with this mime type.
STDERR_OUTPUT = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'


def launch(playwright):
    """Headless Debian chromium (Playwright's own browser download is not used)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without the project's STABILITY_REPORT_* redirections (so the real fact
    base and notebooks are used), plus `extra`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("STABILITY_REPORT_") or k == "STABILITY_REPORT_CHROMIUM"
    }
    env.update(extra)
    return env


def snapshot(directory: Path) -> dict[str, tuple[int, int]]:
    """Name -> (size, mtime) of every file under `directory`, to show it was not written."""
    if not directory.is_dir():
        return {}
    return {
        str(p.relative_to(directory)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the process group `proc` leads (started with start_new_session=True), so its
    kernels and browsers go with it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(10)


# ---------------------------------------------------------------------------------------------
# images


def ink_fraction(image: Image.Image, threshold: int = 200) -> float:
    """Share of pixels darker than `threshold` (0-255 grey): 0 for a blank white page."""
    hist = image.convert("L").histogram()
    return sum(hist[:threshold]) / max(1, sum(hist))


def distinct_colours(image: Image.Image, limit: int = 1 << 16) -> int:
    """How many colours the (downsampled) image holds, capped at `limit`."""
    small = image.convert("RGB")
    if small.width * small.height > 2_000_000:
        small = small.reduce(4)
    colours = small.getcolors(limit)
    return limit if colours is None else len(colours)


# ---------------------------------------------------------------------------------------------
# JupyterLab


@dataclass
class JupyterLab:
    """`python -m jupyterlab` on 127.0.0.1, a port chosen by the OS, a random token, its own
    config, data, runtime, settings and workspace directories under `workdir`, serving
    `root_dir`. The kernel inherits `env`."""

    root_dir: Path
    workdir: Path
    env: dict[str, str]
    token: str = field(default_factory=lambda: secrets.token_hex(24))
    proc: subprocess.Popen | None = None
    base: str = ""

    @property
    def log(self) -> Path:
        return self.workdir / "jupyterlab.log"

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def _settings(self) -> Path:
        settings = self.workdir / "user-settings" / "@jupyterlab"
        files = {
            # every cell in the DOM, so the checks below see the whole notebook
            "notebook-extension/tracker": {"windowingMode": "none"},
            # no news or update check: nothing leaves the machine, no toast over the menus
            "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
        }
        for name, value in files.items():
            path = settings / f"{name}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(value), encoding="utf-8")
        return settings.parent

    def start(self, timeout: float = 90.0) -> JupyterLab:
        runtime = self.workdir / "runtime"
        env = dict(
            self.env,
            JUPYTER_CONFIG_DIR=str(self.workdir / "config"),
            JUPYTER_DATA_DIR=str(self.workdir / "data"),
            JUPYTER_RUNTIME_DIR=str(runtime),
            IPYTHONDIR=str(self.workdir / "ipython"),
        )
        cmd = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            "--port=0",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            "--LabApp.expose_app_in_browser=True",
            f"--LabApp.user_settings_dir={self._settings()}",
            f"--LabApp.workspaces_dir={self.workdir / 'workspaces'}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class="
            "jupyterlab.handlers.announcements.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        log = self.log.open("wb")
        self.proc = subprocess.Popen(
            cmd,
            cwd=self.workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        info_file = runtime / f"jpserver-{self.proc.pid}.json"
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"jupyter lab exited with {self.proc.returncode}:\n" + self.log_tail()
                )
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"jupyter lab not up after {timeout:.0f} s:\n" + self.log_tail())
            if not self.base and info_file.is_file():
                try:
                    info = json.loads(info_file.read_text(encoding="utf-8"))
                    self.base = f"http://127.0.0.1:{info['port']}"
                except (ValueError, KeyError):
                    pass
            if self.base:
                try:
                    self.api("GET", "api/status")
                    return self
                except (OSError, urllib.error.URLError):
                    pass
            time.sleep(0.2)

    def url(self, path: str, **query: str) -> str:
        return f"{self.base}/{path}?" + urllib.parse.urlencode({**query, "token": self.token})

    def api(self, method: str, path: str):
        req = urllib.request.Request(
            f"{self.base}/{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """End every session (and its kernel), so notebooks run one kernel at a time."""
        for session in self.api("GET", "api/sessions") or []:
            self.api("DELETE", f"api/sessions/{session['id']}")

    def stop(self, timeout: float = 30.0) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.terminate()  # jupyter shuts its kernels down on SIGTERM
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                kill_group(self.proc)
        return self.proc.returncode


_NOTEBOOK_OPEN = """name => {
  const app = window.jupyterapp;
  const w = app && app.shell.currentWidget;
  return !!(w && w.context && w.context.path === name && w.sessionContext && w.content);
}"""

_KERNEL_IDLE = """() => {
  const k = window.jupyterapp.shell.currentWidget.sessionContext.session?.kernel;
  return !!k && k.connectionStatus === 'connected' && k.status === 'idle';
}"""

# Finished: the kernel is idle, no cell is queued or running ([*]), and either every code cell
# has an execution count or an error stopped the run (JupyterLab then unqueues the rest).
_RUN_FINISHED = """sel => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session?.kernel;
  if (!k || k.status !== 'idle') return false;
  const prompts = [...w.content.node.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
    .map(e => e.textContent.trim());
  if (!prompts.length || prompts.some(t => t.includes('*'))) return false;
  return prompts.every(t => /^\\[\\d+\\]:$/.test(t)) || !!w.content.node.querySelector(sel);
}"""

_IMAGES_SETTLED = """() => [...window.jupyterapp.shell.currentWidget.content.node
  .querySelectorAll('.jp-OutputArea-output img')].every(i => i.complete)"""

# A Markdown cell the lab's copy of a notebook ends with (browser tests, `lab`): JupyterLab
# typesets its maths once MathJax has loaded, and typesets in the order it is asked, so when the
# canary is typeset every output rendered before it has been typeset too (or left alone).
MATH_CANARY = "Math canary: $x^2$"

_MATH_SETTLED = """() => [...window.jupyterapp.shell.currentWidget.content.node
  .querySelectorAll('.jp-MarkdownCell')].some(c => c.textContent.includes('Math canary')
                                                 && c.querySelector('mjx-container'))"""

_COLLECT = """sel => {
  const w = window.jupyterapp.shell.currentWidget;
  const nb = w.content.node;
  const prompts = [...nb.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
    .map(e => e.textContent.trim());
  const counts = prompts.map(t => {
    const m = /^\\[(\\d+)\\]:$/.exec(t);
    return m ? +m[1] : null;
  });
  return {
    path: w.context.path,
    kernel: w.sessionContext.kernelDisplayName,
    kernel_status: w.sessionContext.session?.kernel?.status ?? null,
    code_cells: nb.querySelectorAll('.jp-CodeCell').length,
    counts: counts,
    stderr: [...nb.querySelectorAll(sel)].map(e => e.textContent.slice(0, 800)),
    // maths JupyterLab typeset in an output (a literal $ it paired): [code cell, output text]
    math: [...nb.querySelectorAll('.jp-OutputArea-output mjx-container')]
      .map(m => [[...nb.querySelectorAll('.jp-CodeCell')].indexOf(m.closest('.jp-CodeCell')),
                 (m.closest('.jp-OutputArea-output').textContent || '').slice(0, 300)]),
    // output images, and the figures the package shows as inline SVG
    images: [...nb.querySelectorAll('.jp-OutputArea-output img, .jp-OutputArea-output svg')]
      .filter(i => i.tagName.toLowerCase() === 'img' || i.closest('.figure-picture'))
      .map(i => i.tagName.toLowerCase() === 'img'
        ? {complete: i.complete, width: i.naturalWidth, height: i.naturalHeight,
           alt: (i.alt || '').slice(0, 80)}
        : {complete: true, width: Math.round(i.getBoundingClientRect().width),
           height: Math.round(i.getBoundingClientRect().height),
           alt: (i.closest('.figure-picture').getAttribute('aria-label') || '').slice(0, 80)}),
  };
}"""


def run_all_in_lab(context, lab: JupyterLab, name: str, timeout: float = 180.0, then=None) -> dict:
    """Open `name` in JupyterLab (/lab/tree/<name>, fresh workspace), wait for its kernel, run
    Run > Run All Cells from the menu bar, wait until the run has finished, and return what
    the page shows: execution counts, stderr/error outputs, maths typeset in an output (after
    the notebook's math canary, if it has one, was typeset), output images, console errors and
    uncaught page errors, the seconds it took and when each step ended. A step that does not
    finish within `timeout` (for the whole) raises TimeoutError saying which one, and where
    the notebook stood. With `then`, a function of the page, it is called once the run has
    finished, and what it returns is the result's "then"."""
    start = time.monotonic()
    deadline = start + timeout
    steps: dict[str, float] = {}

    def left_ms() -> float:
        return max(1000.0, (deadline - time.monotonic()) * 1000)

    def done(step: str) -> None:
        steps[step] = round(time.monotonic() - start, 1)

    page = context.new_page()
    console_errors: list[str] = []
    page_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page_errors.append(str(e)))
    try:
        page.goto(lab.url(f"lab/tree/{urllib.parse.quote(name)}", reset=""), timeout=left_ms())
        done("loaded")
        page.wait_for_function(_NOTEBOOK_OPEN, arg=name, timeout=left_ms())
        done("notebook open")
        page.wait_for_function(_KERNEL_IDLE, timeout=left_ms(), polling=200)
        done("kernel idle")
        menubar = page.locator("#jp-MainMenu")
        menubar.get_by_role("menuitem", name="Run", exact=True).click(timeout=left_ms())
        page.locator('#jp-mainmenu-run .lm-Menu-item[data-command="runmenu:run-all"]').click(
            timeout=left_ms()
        )
        done("run all clicked")
        page.wait_for_function(_RUN_FINISHED, arg=STDERR_OUTPUT, timeout=left_ms(), polling=250)
        page.wait_for_function(_IMAGES_SETTLED, timeout=min(left_ms(), 30_000), polling=200)
        if MATH_CANARY in (lab.root_dir / name).read_text(encoding="utf-8"):
            page.wait_for_function(_MATH_SETTLED, timeout=min(left_ms(), 30_000), polling=200)
        done("finished")
        result = page.evaluate(_COLLECT, STDERR_OUTPUT)
        if then is not None:
            result["then"] = then(page)
            done("then")
    except PlaywrightError as exc:
        try:
            prompts = page.eval_on_selector_all(
                ".jp-CodeCell .jp-InputPrompt", "els => els.map(e => e.textContent.trim())"
            )
        except PlaywrightError:
            prompts = "?"
        raise TimeoutError(
            f"{name}: stuck after {list(steps) or ['start']} ({time.monotonic() - start:.0f} s; "
            f"prompts {prompts}; page errors {page_errors[:3]}; console errors "
            f"{console_errors[:3]}): {str(exc).splitlines()[0]}\n"
            f"jupyter lab log:\n{lab.log_tail(2000)}"
        ) from exc
    finally:
        page.close()
    result.update(
        console_errors=console_errors,
        page_errors=page_errors,
        seconds=round(time.monotonic() - start, 1),
        steps=steps,
    )
    return result


# ---------------------------------------------------------------------------------------------
# the HTML, offline


@dataclass
class OfflineVisit:
    url: str
    requests: list[str]  # every request the page attempted (data: URIs are not requests)
    blocked: list[str]  # those the route aborted: everything but the file itself
    console_errors: list[str]
    page_errors: list[str]
    images: list[dict]
    screenshot: Path | None

    def problems(self) -> list[str]:
        out = [f"request blocked: {u[:120]}" for u in self.blocked]
        out += [
            f"request attempted: {u[:120]}"
            for u in self.requests
            if u != self.url and u not in self.blocked
        ]
        out += [f"console error: {t[:200]}" for t in self.console_errors]
        out += [f"page error: {t[:200]}" for t in self.page_errors]
        out += [
            f"image not loaded: {i['src'][:80]} ({i['alt'][:60]})"
            for i in self.images
            if not (i["complete"] and i["width"] > 0 and i["height"] > 0)
        ]
        return out


def visit_offline(
    browser, html: Path, screenshot: Path | None = None, timeout: float = 60.0
) -> OfflineVisit:
    """Open `html` from disk with every request but the file itself aborted (and service
    workers blocked, the context offline), recording what the page tried to fetch, what it
    logged, its images, and optionally a full-page screenshot."""
    url = html.resolve().as_uri()
    context = browser.new_context(
        service_workers="block", offline=True, viewport={"width": 1280, "height": 900}
    )
    requests: list[str] = []
    blocked: list[str] = []
    console_errors: list[str] = []
    page_errors: list[str] = []

    def route(r):
        if r.request.url == url:
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    try:
        context.route("**/*", route)
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("websocket", lambda ws: requests.append(ws.url))
        page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page_errors.append(str(e)))
        page.goto(url, wait_until="load", timeout=timeout * 1000)
        page.wait_for_load_state("networkidle", timeout=timeout * 1000)
        images = page.evaluate("""() => [...document.images].map(i => ({
            src: i.currentSrc || i.src, alt: i.alt || '', complete: i.complete,
            width: i.naturalWidth, height: i.naturalHeight}))""")
        if screenshot is not None:
            page.screenshot(path=str(screenshot), full_page=True, timeout=timeout * 1000)
    finally:
        context.close()
    return OfflineVisit(url, requests, blocked, console_errors, page_errors, images, screenshot)


_LAYOUT = """() => {
  const page = document.documentElement;
  const box = e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right}; };
  return {
    scroll_width: page.scrollWidth,
    client_width: page.clientWidth,
    // tables and figures wider than their box: each must scroll inside it
    wide: [...document.querySelectorAll('.report-table-wrap, .figure-picture')]
      .filter(e => e.scrollWidth > e.clientWidth + 1)
      .map(e => ({id: e.id || (e.closest('figure') || {}).id || '',
                  overflow: getComputedStyle(e).overflowX})),
    // the width each figure is drawn at, in CSS pixels
    figures: [...document.querySelectorAll('.figure-picture svg, figure.report-figure img')]
      .map(i => i.getBoundingClientRect().width),
    // each figure's title, which must be on screen whole: its right edge inside the window
    titles: [...document.querySelectorAll('p.figure-title')]
      .map(t => ({right: t.getBoundingClientRect().right, width: t.scrollWidth,
                  box: t.clientWidth})),
    contents: (() => {
      const a = document.querySelector('a.to-contents');
      if (!a) return null;
      const r = a.getBoundingClientRect();
      // the right edge of the text column: the body's content box
      const b = document.body.getBoundingClientRect();
      const column = b.right - parseFloat(getComputedStyle(document.body).paddingRight);
      return {href: a.getAttribute('href'), position: getComputedStyle(a).position,
              visible: r.width > 0 && r.top >= 0 && r.bottom <= innerHeight
                       && r.left >= 0 && r.right <= innerWidth,
              beside_text: r.left >= column - 0.5};
    })(),
  };
}"""


def layout(browser, html: Path, width: int, height: int, screenshot: Path | None = None) -> dict:
    """How the page lays out in a viewport `width` x `height` (offline, as in visit_offline),
    scrolled to its end: its scroll width, the tables and figures wider than their box and how
    they overflow, the width figures are drawn at, the link back to the contents; with
    `screenshot`, a full-page one (whose width shows any horizontal scroll of the page)."""
    context = browser.new_context(
        service_workers="block", offline=True, viewport={"width": width, "height": height}
    )
    try:
        context.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
        )
        page = context.new_page()
        page.goto(html.resolve().as_uri(), wait_until="load", timeout=60_000)
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        got = page.evaluate(_LAYOUT)
        if screenshot is not None:
            page.screenshot(path=str(screenshot), full_page=True, timeout=60_000)
    finally:
        context.close()
    return got


# ---------------------------------------------------------------------------------------------
# the PDF


def pdffonts(pdf: Path) -> list[dict[str, str]]:
    """`pdffonts` as rows keyed by its column headers (name, type, encoding, emb, sub, uni,
    object ID), columns cut where its dashed rule has gaps."""
    out = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True, timeout=60
    ).stdout.splitlines()
    rule = next(i for i, line in enumerate(out) if line.startswith("---"))
    spans = [m.span() for m in re.finditer(r"-+", out[rule])]
    spans[-1] = (spans[-1][0], None)
    header = [out[rule - 1][a:b].strip() for a, b in spans]
    return [
        {h: line[a:b].strip() for h, (a, b) in zip(header, spans)}
        for line in out[rule + 1 :]
        if line.strip()
    ]


def pdf_pages_as_png(pdf: Path, outdir: Path, dpi: int = 30) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(outdir / "page")],
        check=True,
        timeout=120,
        capture_output=True,
    )
    return sorted(outdir.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
