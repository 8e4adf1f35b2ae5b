"""The report pipeline: run the notebooks in one kernel, render one HTML + PDF report, publish it.

A run is built aside in `<output>/.work/<run>/` and published only when every step succeeded
(stability_report.publish): the run folder moves to `<output>/runs/<as_of>_<inputs hash>/` (the
audit record: executed notebooks, figures, report.html, report.pdf, run.json) and `latest`
switches to it with one rename, so that the report read through `<output>/latest/` is always
one whole run. The copies readers and git find at the usual places (`<output>/report.html`,
`report.pdf`, the figures directory) are regular files; a journal written before the switch
makes their update complete: a run killed half way through it is finished by the next run, before
anything else. A lock (`<output>/.lock`) keeps two runs from interleaving; a run whose inputs hash
equals the published run's does nothing. SIGTERM, SIGINT and SIGHUP stop a run with one line
saying whether it had published (they are held during the milliseconds of publishing).

This module is imported by the command line on every run, including the no-op one, so it imports
only the standard library at the top: nbclient, papermill and nbconvert are imported
inside the functions that need them.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from . import paths, publish, results
from .attachments import ENV_ATTACHMENTS


# Exit codes of `python -m stability_report run` (documented in --help and the README).
OK = 0  # rendered and published, or already up to date
FAILED = 1  # a notebook or a render step failed; the published report is unchanged
USAGE = 2  # bad parameters or usage
LOCKED = 3  # another run holds the lock
OUTPUT = 4  # the output cannot be written safely (see cli.EXIT_CODES); nothing was published
MISSING_DEPENDENCY = 5  # a system dependency (chromium, a Python package) is missing

RUN_FORMAT = 1  # bump when what a run contains or how it is laid out changes
NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"
ENV_NOTEBOOKS = "STABILITY_REPORT_NOTEBOOKS_DIR"
ENV_FACTS = "STABILITY_REPORT_FACTS_DIR"
ENV_RAW = "STABILITY_REPORT_RAW_DIR"
ENV_FIGURES = "STABILITY_REPORT_FIGURES_DIR"
ENV_CHROMIUM = "STABILITY_REPORT_CHROMIUM"
CHROMIUM_START_TIMEOUT = 30  # seconds for Chromium to answer its first command, per attempt
ENV_BACKGROUND = "STABILITY_REPORT_BACKGROUND_FIGURES"  # set in the kernel (stability_report.style)
PACKAGE = Path(__file__).resolve().parent
SYSTEM_DEPS_HINT = ("install it with `make system-deps` "
                    "(or as root: apt-get install chromium)")

_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS,
                  errno.EFBIG}


# ---------------------------------------------------------------------------------------------
# errors


class PipelineError(Exception):
    """A run failed; `exit_code` is what the command line exits with."""

    exit_code = FAILED


class UsageError(PipelineError):
    exit_code = USAGE


class LockedError(PipelineError):
    exit_code = LOCKED


class OutputError(PipelineError):
    exit_code = OUTPUT

    @classmethod
    def from_os(cls, e: OSError, what: str) -> OutputError:
        reason = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is exceeded",
                  errno.EROFS: "the file system is read-only"}.get(e.errno, e.strerror or str(e))
        where = f" ({e.filename})" if getattr(e, "filename", None) else ""
        return cls(f"cannot write {what}{where}: {reason}")


class PartlyPublished(OutputError):
    """Publishing stopped half way after the published run switched; the message says what is
    in place, and the next run completes it."""


class MissingDependency(PipelineError):
    exit_code = MISSING_DEPENDENCY


class Interrupted(BaseException):
    """The run was stopped by a signal (SIGTERM from systemctl or a timeout, SIGINT from ^C,
    SIGHUP when its terminal went away). A BaseException, so that no `except Exception` on the
    way takes it for a failure of the step it interrupted."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


class NotebookFailed(PipelineError):
    """A notebook raised, wrote to stderr or could not be run."""

    def __init__(self, notebook: str, detail: str, cell: int | None = None,
                 source: str = "", kept: Path | None = None):
        self.notebook, self.detail, self.cell, self.source = notebook, detail, cell, source
        self.kept = kept
        super().__init__(self.describe())

    def describe(self) -> str:
        where = f" in cell {self.cell}" if self.cell is not None else ""
        lines = [f"notebook {self.notebook} failed{where}"]
        if self.source.strip():
            src = self.source.strip("\n").splitlines()
            shown = src[:12] + (["..."] if len(src) > 12 else [])
            lines.append("  cell source:")
            lines += [f"    | {line[:110]}" for line in shown]
        lines.append("  error: " + self.detail.strip().replace("\n", "\n    "))
        if self.kept:
            lines.append(f"  the executed notebook is kept in {self.kept}")
        return "\n".join(lines)


class FiguresFailed(NotebookFailed):
    """A figure's PNG, written in the background, could not be written."""

    def __init__(self, detail: str):
        super().__init__("", detail)

    def describe(self) -> str:
        return "writing the figures failed\n  error: " + self.detail.strip().replace("\n", "\n    ")


def _is_output_error(e: BaseException) -> bool:
    return isinstance(e, OSError) and e.errno in _OUTPUT_ERRNOS


# ---------------------------------------------------------------------------------------------
# configuration and inputs


@dataclass(frozen=True)
class Config:
    """Everything one run needs, resolved and validated by the command line."""

    params: dict[str, Any]
    output: Path = paths.REPORT
    figures: Path = paths.FIGURES
    notebooks: Path = paths.NOTEBOOKS
    facts: Path = paths.FACTS
    raw: Path = paths.RAW
    show_code: bool = False
    pdf: bool = True
    force: bool = False
    chromium: str | None = None
    timeout: int = 600
    print_timeout: int = 60
    keep_runs: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def as_of(self) -> str:
        return str(self.params["as_of"])

    def options(self) -> dict[str, Any]:
        return {"show_code": self.show_code, "pdf": self.pdf}


def default_figures_dir(output: Path) -> Path:
    """figures/ at the repository root for the default output, else <output>/figures."""
    if output.resolve() == paths.REPORT.resolve():
        return paths.FIGURES
    return output / "figures"


def discover_notebooks(directory: Path) -> list[Path]:
    """The report's notebooks in reading order: NN-name.ipynb."""
    return sorted(p for p in directory.glob(NOTEBOOK_GLOB) if p.is_file())


def _files(root: Path, pattern: str) -> list[Path]:
    out = []
    for p in sorted(root.glob(pattern)):
        rel = p.relative_to(root).parts
        if any(part.startswith(".") or part == "__pycache__" for part in rel):
            continue
        if p.is_file():
            out.append(p)
    return out


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def input_files(cfg: Config) -> dict[str, str]:
    """Every input file as `label/relative path` -> sha256, in a stable order."""
    groups = [
        ("data/raw", cfg.raw, "**/*"),
        ("data/facts", cfg.facts, "**/*"),
        ("notebooks", cfg.notebooks, NOTEBOOK_GLOB),
        ("stability_report", PACKAGE, "**/*.py"),
        ("stability_report/templates", PACKAGE / "templates", "**/*"),
    ]
    files: dict[str, str] = {}
    for label, root, pattern in groups:
        for p in _files(root, pattern):
            files[f"{label}/{p.relative_to(root).as_posix()}"] = sha256_file(p)
    req = paths.ROOT / "requirements.txt"
    if req.exists():
        files["requirements.txt"] = sha256_file(req)
    return files


def inputs_hash(cfg: Config, files: dict[str, str]) -> str:
    """One hash of everything that can change the report."""
    blob = json.dumps({
        "format": RUN_FORMAT,
        "files": files,
        "params": cfg.params,
        "options": cfg.options(),
        "python": sys.version,
    }, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def run_id(as_of: str, digest: str) -> str:
    return f"{as_of}_{digest[:10]}"


# ---------------------------------------------------------------------------------------------
# lock


class RunLock:
    """An exclusive flock on <output>/.lock holding the owner's pid.

    The kernel drops a flock when its holder dies, however it dies, so a killed run never blocks
    the next one; a pid left in the file by a run that did not finish is reported as stale.
    """

    def __init__(self, path: Path, say: Callable[[str], None]):
        self.path, self.say, self.fd = path, say, None

    def __enter__(self) -> RunLock:
        try:
            fd = publish.open_nofollow(self.path, os.O_RDWR | os.O_CREAT, "the lock file")
        except publish.UnsafePath as e:
            raise OutputError(str(e)) from None
        except OSError as e:
            raise OutputError.from_os(e, "the lock file") from None
        if os.fstat(fd).st_nlink != 1:  # truncating it would truncate another name's file
            os.close(fd)
            raise OutputError(str(publish.UnsafePath(self.path, "a file with other hard links",
                                                     "the lock file")))
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            who = f"pid {holder}" if holder else "pid unknown"
            raise LockedError(f"another run ({who}) is in progress (lock: {self.path}); "
                              "try again when it has finished") from None
        previous = _read_pid(fd)
        if previous and previous != os.getpid():
            state = "" if not _alive(previous) else " (that pid is running but held no lock)"
            self.say(f"stale lock from pid {previous} cleared{state}")
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError as e:
            os.close(fd)
            raise OutputError.from_os(e, "the lock file") from None
        self.fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is None:
            return
        try:
            os.ftruncate(self.fd, 0)
        except OSError:
            pass
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
        self.fd = None


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
        return int(text) if text else None
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ---------------------------------------------------------------------------------------------
# the published state


def published_manifest(output: Path) -> dict | None:
    """run.json of the run `latest` names, or None."""
    return publish.published_manifest(output)


def up_to_date(cfg: Config, digest: str) -> bool:
    """The published run has this inputs hash and its published files are intact."""
    m = published_manifest(cfg.output)
    if not m or m.get("inputs_hash") != digest or not m.get("complete"):
        return False
    names_ok = set(m.get("published", {})) <= set(publish.REPORT_FILES) and all(
        isinstance(n, str) and publish.FIGURE_FILE.match(n) for n in m.get("figures", {})) \
        and all(isinstance(n, str) and publish.ATTACHMENT_FILE.match(n)
                for n in m.get("attachments", {}))
    if not names_ok:  # a run.json this program did not write
        return False
    try:
        for name, sha in m.get("published", {}).items():
            if publish.sha256_nofollow(cfg.output / name) != sha:
                return False
        for name, sha in m.get("figures", {}).items():
            if publish.sha256_nofollow(cfg.figures / name) != sha:
                return False
        for name, sha in m.get("attachments", {}).items():
            if publish.sha256_nofollow(cfg.output / publish.ATTACHMENTS / name) != sha:
                return False
    except (OSError, publish.UnsafePath):
        return False
    return True


def check_output_tree(cfg: Config) -> None:
    """The output directory, the figures directory and what the project keeps in them are real
    directories and files, not symbolic links (UnsafePath becomes OutputError)."""
    try:
        publish.require_dir(cfg.output, "the output directory")
        for name, what in ((".work", "the staging folder"), ("runs", "the folder of archived runs"),
                           (publish.ATTACHMENTS, "the folder of the report's attachments")):
            if os.path.lexists(cfg.output / name):
                publish.require_dir(cfg.output / name, what)
        for name in publish.REPORT_FILES + (publish.JOURNAL,):
            publish.require_file_slot(cfg.output / name, f"the published {name}")
        latest = cfg.output / "latest"
        if os.path.lexists(latest) and not os.path.islink(latest):
            publish.require_file_slot(latest, "the pointer to the published run")
        if os.path.lexists(cfg.figures):
            publish.require_dir(cfg.figures, "the figures directory")
    except publish.UnsafePath as e:
        raise OutputError(str(e)) from None
    except OSError as e:
        raise OutputError.from_os(e, f"the output directory {cfg.output}") from None


def recover(cfg: Config, progress: Progress) -> None:
    """Finish a publication an earlier run left half done, and remove what interrupted runs
    left behind; holding the lock, before anything else is looked at."""
    try:
        publish.recover(cfg.output, cfg.figures, progress.say)
    except publish.UnsafePath as e:
        raise OutputError(str(e)) from None
    except publish.PartlyPublished as e:
        raise PartlyPublished(f"completing an interrupted publication: {e}") from None
    except OSError as e:
        raise OutputError.from_os(e, f"the interrupted publication in {cfg.output}") from None


def _on_signal(signum, frame):
    raise Interrupted(signum)  # so that `finally` blocks stop the kernel and the browser


HANDLED_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def handle_signals() -> None:
    """Turn SIGTERM, SIGINT and SIGHUP into Interrupted, in the main thread. A signal that the
    process ignores (SIGINT in a background job of a shell) stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in HANDLED_SIGNALS:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _on_signal)


@contextmanager
def signals_deferred():
    """Hold SIGTERM, SIGINT and SIGHUP while publishing (milliseconds): a signal that arrives
    meanwhile is noted, and acted on once the publication is complete. (Noted by a handler of
    its own rather than blocked: the kernel may deliver a process's signal to any of its threads,
    and other libraries' threads do not block it.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    previous = {signum: signal.getsignal(signum) for signum in HANDLED_SIGNALS}
    for signum, handler in previous.items():
        if handler is not signal.SIG_IGN:
            signal.signal(signum, lambda n, frame: noted.append(n))
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if noted:
            handler = previous[noted[0]]
            if callable(handler):
                handler(noted[0], None)
            else:  # the default action: let it happen now
                os.kill(os.getpid(), noted[0])


# ---------------------------------------------------------------------------------------------
# progress


class Progress:
    """One line per step on stderr: `[3/9] running 02-cash-runway.ipynb ... done (2.1 s)`."""

    def __init__(self, total: int, stream=None):
        self.total, self.n, self.stream = total, 0, stream or sys.stderr
        self.t0 = time.monotonic()
        self.published: str | None = None  # the run this process published, once it has

    def say(self, text: str) -> None:
        print(f"stability-report: {text}", file=self.stream, flush=True)

    def step(self, what: str) -> _Step:
        self.n += 1
        return _Step(self, f"[{self.n}/{self.total}] {what}")


class _Step:
    def __init__(self, progress: Progress, label: str):
        self.p, self.label = progress, label

    def __enter__(self) -> _Step:
        self.t = time.monotonic()
        print(f"stability-report: {self.label} ...", end="", file=self.p.stream, flush=True)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        took = time.monotonic() - self.t
        status = "done" if exc_type is None else "FAILED"
        print(f" {status} ({took:.1f} s)", file=self.p.stream, flush=True)


# ---------------------------------------------------------------------------------------------
# the kernel: one for all notebooks


# Run once after the kernel starts, outside any notebook: imports the heavy modules (so the
# notebooks find them loaded and matplotlib's font cache exists before any cell can print about
# it), records what every later notebook starts from, and reports versions and the facts digest.
# It does not import matplotlib.pyplot: that would choose a backend before the notebooks do.
_PREAMBLE = r'''
def __stability_report_preamble():
    import importlib.metadata as md, json, os, platform, sys, warnings
    info = {"python": platform.python_version()}
    for name in ("pandas", "matplotlib", "numpy", "pandera", "ipykernel"):
        try:
            info[name] = md.version(name)
        except md.PackageNotFoundError:
            info[name] = "not installed"
    saved = {"cwd": os.getcwd(), "path": list(sys.path), "warnings": list(warnings.filters),
             "pandas": {}}
    try:
        import matplotlib, matplotlib.font_manager  # builds the font cache if it is missing
        import pandas as pd
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for key in list(pd._config.config._registered_options):
                saved["pandas"][key] = pd.get_option(key)
    except Exception:
        pass
    try:
        from stability_report.facts import load_facts
        info["facts_digest"] = load_facts().digest
    except Exception as e:
        info["facts_digest"] = f"unavailable ({type(e).__name__})"
    get_ipython()._stability_report_saved = saved
    print("@@stability-report@@" + json.dumps(info))
__stability_report_preamble()
del __stability_report_preamble
'''

# Run before each notebook: an empty namespace, execution counts from 1, and the global state a
# notebook could have changed (working directory, sys.path, warning filters, open figures,
# matplotlib rc, pandas options) back to what a fresh kernel has.
# (%reset ends with a full gc.collect(), 0.15 s with pandas loaded; the kernel collects
# garbage as usual anyway, so that one call is skipped.)
_RESET = r'''
def __stability_report_reset():
    import gc
    collect, gc.collect = gc.collect, lambda *args, **kwargs: 0
    try:
        get_ipython().run_line_magic("reset", "-f")
    finally:
        gc.collect = collect
__stability_report_reset()
def __stability_report_reset():
    import os, sys, warnings
    ip = get_ipython()
    saved = ip._stability_report_saved
    os.chdir(saved["cwd"])
    sys.path[:] = saved["path"]
    warnings.filters[:] = saved["warnings"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")
        if "matplotlib" in sys.modules:
            sys.modules["matplotlib"].rc_file_defaults()
        pd = sys.modules.get("pandas")
        for key, value in saved["pandas"].items():
            try:
                now = pd.get_option(key)
                if now is not value and now != value:
                    pd.set_option(key, value)
            except Exception:
                pass
    ip.execution_count = 1
__stability_report_reset()
del __stability_report_reset
'''

# Run after the last notebook: wait for the figures, which the kernel draws in child processes
# while the notebooks go on (stability_report.style, $STABILITY_REPORT_BACKGROUND_FIGURES).
_WAIT_FIGURES = r'''
def __stability_report_wait():
    import sys
    style = sys.modules.get("stability_report.style")
    if style is not None and hasattr(style, "wait_figures"):
        style.wait_figures()
__stability_report_wait()
del __stability_report_wait
'''

ENGINE_NAME = "stability-report-shared-kernel"


def _register_engine() -> None:
    """A papermill engine that runs a notebook on an already running kernel and keeps it."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.exceptions import PapermillExecutionError
    from papermill.log import logger

    # papermill loads it through its entry point once `make env` has installed that; imported
    # here too, so that no run writes parameters with papermill's unchecked translator
    from . import papermill_translator  # noqa: F401

    class SessionClient(PapermillNotebookClient):
        """papermill's client on the session's running kernel. nbclient's own set-up would put
        in SIGINT and SIGTERM handlers that shut the kernel down under the running cell (the run
        then reported a dead kernel); the command line handles those signals itself."""

        @asynccontextmanager
        async def async_setup_kernel(self, **kwargs):
            yield

    class SharedKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None,
                                     km=None, kc=None, **kwargs):
            kwargs.pop("input_path", None)
            client = SessionClient(
                nb_man, km=km, kernel_name=kernel_name, timeout=execution_timeout,
                startup_timeout=start_timeout, log=logger, log_output=False,
                record_timing=False, **kwargs)
            client.kc = kc  # the session's client: starting one costs 0.2 s of iopub flushing
            try:
                return client.execute()
            except (DeadKernelError, CellTimeoutError) as e:
                # Not a CellExecutionError, so papermill passes it on without saying where: the
                # cell is the last one papermill started (the cells after it are still pending).
                cells = nb_man.nb.cells
                started = [i for i, c in enumerate(cells)
                           if c.metadata.get("papermill", {}).get("status") != "pending"]
                i = started[-1] if started else 0
                why = ("the kernel died (it was killed, or ran out of memory)"
                       if isinstance(e, DeadKernelError) else
                       f"the cell did not finish within {execution_timeout} s (--timeout)")
                raise PapermillExecutionError(i, None, cells[i].source if cells else "",
                                              type(e).__name__, why, []) from None

    papermill_engines.register(ENGINE_NAME, SharedKernelEngine)


class KernelSession:
    """One IPython kernel for all notebooks, reset between them."""

    def __init__(self, cwd: Path, env: dict[str, str], log_path: Path, timeout: int):
        self.cwd, self.env, self.log_path, self.timeout = cwd, env, log_path, timeout
        self.km = self.kc = None
        self._log = None
        # Set once this process has imported what the kernel session needs (jupyter_client,
        # nbclient, papermill). Code importing nbconvert in another thread waits for it: two
        # threads importing these packages at once can meet in a circular import and one of them
        # gets a partially initialised module ("cannot import name ... from jupyter_client").
        self.imported = threading.Event()

    def start(self) -> dict[str, Any]:
        try:
            return self._start()
        finally:
            self.imported.set()  # also when the start failed: nothing waits for ever

    def _start(self) -> dict[str, Any]:
        try:
            import ipykernel  # noqa: F401
            from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
            from jupyter_client.manager import AsyncKernelManager
            from jupyter_core.utils import run_sync
        except ImportError as e:
            raise MissingDependency(f"a Python package is missing ({e.name}); "
                                    "run `make env` to install requirements.txt") from None

        class _ThisPython(KernelSpecManager):
            """The kernel is this interpreter, whatever kernels a user has installed."""

            def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
                return KernelSpec(
                    argv=[sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher",
                          "-f", "{connection_file}"],
                    display_name="Python 3 (stability-report)", language="python",
                    resource_dir=str(PACKAGE))

        self._log = open(self.log_path, "ab")
        self.km = AsyncKernelManager(kernel_name="python3", kernel_spec_manager=_ThisPython())
        run_sync(self.km.start_kernel)(
            cwd=str(self.cwd), env=self.env, stdout=self._log, stderr=self._log,
            extra_arguments=["--HistoryManager.enabled=False"])
        _register_engine()  # imports papermill and nbclient while the kernel boots
        self.imported.set()
        self.kc = self.km.client()
        self.kc.allow_stdin = False
        self.kc.start_channels()
        try:
            run_sync(self.kc.wait_for_ready)(timeout=120)
        except RuntimeError:
            raise PipelineError("the kernel did not answer within 120 s of starting (see "
                                f"{self.log_path})") from None
        out = self._control_named(_PREAMBLE, "loading the packages and the fact base")
        for line in out.splitlines():
            if line.startswith("@@stability-report@@"):
                return json.loads(line[len("@@stability-report@@"):])
        return {}

    def _control_named(self, code: str, what: str) -> str:
        """control(), with a failure or a time-out reported as the step it was."""
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

        try:
            return self.control(code)
        except CellTimeoutError:
            raise PipelineError(f"starting the kernel failed: {what} did not finish within "
                                f"{self.timeout} s (--timeout)") from None
        except DeadKernelError:
            raise PipelineError(f"starting the kernel failed: the kernel died while {what} "
                                "(it was killed, or ran out of memory)") from None
        except CellExecutionError as e:
            raise PipelineError(f"starting the kernel failed while {what}: {e.ename}: "
                                f"{e.evalue}") from None

    def control(self, code: str) -> str:
        """Run code outside any notebook; return its stdout. Raises on an error."""
        import nbformat
        from nbclient import NotebookClient

        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        client = NotebookClient(nb, km=self.km, timeout=self.timeout, record_timing=False)
        client.kc = self.kc
        client.execute_cell(nb.cells[0], 0, store_history=False)
        return "".join(o.get("text", "") for o in nb.cells[0].outputs
                       if o.get("output_type") == "stream" and o.get("name") == "stdout")

    def execute(self, src: Path, out: Path, params: dict[str, Any]):
        import logging

        import papermill
        from papermill.exceptions import PapermillExecutionError

        # papermill's warnings come from its guess at the parameters cell ("Unable to parse
        # line", "Passed unknown parameter"); the notebooks validate their parameters with
        # Params.from_notebook, which is authoritative, so those guesses are not shown.
        logging.getLogger("papermill").setLevel(logging.ERROR)

        self.control(_RESET)
        try:
            return papermill.execute_notebook(
                str(src), str(out), parameters=params, engine_name=ENGINE_NAME,
                kernel_name="python3", language="python", progress_bar=False,
                request_save_on_cell_execute=False, autosave_cell_every=0, km=self.km,
                kc=self.kc, execution_timeout=self.timeout, log_output=False)
        except PapermillExecutionError as e:
            failed = NotebookFailed(src.name, f"{e.ename}: {e.evalue}",
                                    _source_cell_number(src, e.cell_index), e.source,
                                    out if out.exists() else None)
            if e.ename == "OSError" and re.search(r"\[Errno (28|122)\]", str(e.evalue)):
                failed.exit_code = OUTPUT  # the disk filled up under the notebook
            raise failed from None

    def write_results(self, path: Path, params: dict[str, Any], run: dict[str, str]) -> None:
        """results.json of the run, computed in the kernel from its fact base (results.py)."""
        from nbclient.exceptions import CellExecutionError

        try:
            self.control(results.kernel_call(path, params, run))
        except CellExecutionError as e:
            raise PipelineError(f"writing {results.NAME} failed: {e.ename}: {e.evalue}") from None

    def wait_figures(self) -> None:
        """Wait for the PNGs being written in the background; a failure is reported like a
        notebook's (exit code 4 when the disk is full)."""
        from nbclient.exceptions import CellExecutionError

        try:
            self.control(_WAIT_FIGURES)
        except CellExecutionError as e:
            failed = FiguresFailed(f"{e.ename}: {e.evalue}")
            if e.ename == "OSError" and re.search(r"\[Errno (28|122)\]", str(e.evalue)):
                failed.exit_code = OUTPUT
            raise failed from None

    def close(self) -> None:
        _cancel_pending_tasks()
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is not None:
            from jupyter_core.utils import run_sync

            try:
                run_sync(self.km.shutdown_kernel)(now=True)
            except Exception:
                pass
            self.km = None
        if self._log is not None:
            self._log.close()
            self._log = None


def _cancel_pending_tasks() -> None:
    """Cancel, and collect, what a signal left running on this thread's event loop (a cell's
    execution cut short): nothing is left to report "Task exception was never retrieved"."""
    import asyncio

    try:
        from jupyter_core.utils import ensure_event_loop
    except ImportError:
        return
    loop = ensure_event_loop()
    if loop.is_running() or loop.is_closed():
        return
    tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))


def _source_cell_number(src: Path, executed_index: int) -> int:
    """1-based number of a cell in the source notebook, from its index in the executed one
    (papermill inserts the injected-parameters cell after the `parameters` cell)."""
    try:
        cells = json.loads(src.read_text(encoding="utf-8"))["cells"]
        tagged = [i for i, c in enumerate(cells)
                  if "parameters" in c.get("metadata", {}).get("tags", [])]
        injected = tagged[0] + 1 if tagged else 0
    except (OSError, ValueError, KeyError):
        return executed_index + 1
    return executed_index + (0 if executed_index > injected else 1)


def _kernel_env(cfg: Config, figures: Path, attachments: Path | None = None) -> dict[str, str]:
    """The kernel's environment: this checkout's package first, the run's figure and attachment
    directories, the fact base, and everything that would make two runs differ pinned."""
    env = dict(os.environ)
    pythonpath = [str(paths.ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    as_of = date.fromisoformat(cfg.as_of)
    epoch = int(datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC).timestamp())
    env.update({
        "PYTHONPATH": os.pathsep.join(pythonpath),
        ENV_FIGURES: str(figures),
        ENV_BACKGROUND: "1",
        ENV_FACTS: str(cfg.facts.resolve()),
        ENV_RAW: str(cfg.raw.resolve()),
        "PYTHONHASHSEED": "0",
        "SOURCE_DATE_EPOCH": str(epoch),
        "TZ": "UTC",
        "PYTHONUTF8": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    })
    if attachments is not None:
        env[ENV_ATTACHMENTS] = str(attachments)
    return env


# ---------------------------------------------------------------------------------------------
# executed notebooks: checked and made reproducible


_STYLER_ID = re.compile(r'id="T_([0-9a-f]{5,32})')


def _normalize_outputs(nb, stem: str) -> None:
    """pandas Styler tables carry a random uuid in their ids and CSS: number them instead."""
    n = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            html = out.get("data", {}).get("text/html")
            if not isinstance(html, str) or 'id="T_' not in html:
                continue
            for uid in dict.fromkeys(_STYLER_ID.findall(html)):
                n += 1
                html = re.sub(rf"\bT_{uid}", f"T_{stem}-{n}", html)
            out["data"]["text/html"] = html


def clean_executed(nb, source_ids: list[str], stem: str, rel_in: str, rel_out: str):
    """Strip what differs between two runs of the same inputs: papermill's and nbclient's
    timestamps and durations, absolute paths, random cell ids."""
    pm = nb.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration"):
        pm.pop(key, None)
    pm["input_path"], pm["output_path"] = rel_in, rel_out
    known = set(source_ids)
    for i, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        cpm = cell.metadata.get("papermill")
        if cpm is not None:
            for key in ("start_time", "end_time", "duration"):
                cpm.pop(key, None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
        elif cell.get("id") not in known:
            cell["id"] = f"cell-{i:02d}"
    _normalize_outputs(nb, stem)
    return nb


def check_outputs(nb, src: Path) -> None:
    """Nothing written to stderr (warnings included) and no error may reach the report."""
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                raise NotebookFailed(src.name, "the cell wrote to stderr (warnings are errors "
                                     "in the report):\n" + out.get("text", "").strip(),
                                     _source_cell_number(src, i), cell.source)
            if out.get("output_type") == "error":
                raise NotebookFailed(src.name, f"{out.get('ename')}: {out.get('evalue')}",
                                     _source_cell_number(src, i), cell.source)


# ---------------------------------------------------------------------------------------------
# the run


class _Background:
    """Run a function in a thread now; collect its result (or exception) later."""

    def __init__(self, fn: Callable[[], Any]):
        self._result: Any = None
        self._error: BaseException | None = None

        def target():
            try:
                self._result = fn()
            except BaseException as e:  # noqa: BLE001 - re-raised in result()
                self._error = e

        self._thread = threading.Thread(target=target, daemon=True)
        self._thread.start()

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result


def _git_commit() -> str:
    import subprocess

    try:
        head = subprocess.run(["git", "-C", str(paths.ROOT), "rev-parse", "HEAD"],
                              capture_output=True, text=True, timeout=10)
        if head.returncode != 0:
            return "unknown"
        commit = head.stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(paths.ROOT), "status", "--porcelain", "--", "data", "notebooks",
             "stability_report", "requirements.txt"],
            capture_output=True, text=True, timeout=10)
        if dirty.returncode == 0 and dirty.stdout.strip():
            commit += " (with uncommitted changes to the inputs)"
        return commit
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _versions() -> dict[str, str]:
    import importlib.metadata as md

    out = {}
    for name in ("nbconvert", "nbclient", "papermill"):
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = "not installed"
    return out


def run_files(run_dir: Path) -> list[str]:
    """The files a run publishes side by side, as paths relative to its folder (links between
    them are relative: brief.html -> report.html#fact-..., report.html -> attachments/NAME.csv):
    the documents of publish.REPORT_FILES it made, then its attachments."""
    names = [n for n in publish.REPORT_FILES if (run_dir / n).is_file()]
    return names + [f"{publish.ATTACHMENTS}/{n}" for n in publish.run_attachments(run_dir)]


def render_run(cfg: Config, files: dict[str, str], digest: str, progress: Progress) -> int:
    """Execute, render, print and publish one run. Returns the exit code; raises PipelineError."""
    # jsonschema (under nbformat) imports rfc3987_syntax when it is installed (jupyter-events
    # pulls it in), which compiles a grammar for 1.5 s; its IRI format checks are never used
    # here, so this process reports it missing.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]
    try:
        import nbformat
    except ImportError as e:
        raise MissingDependency(f"a Python package is missing ({e.name}); "
                                "run `make env` to install requirements.txt") from None

    from . import embed, render

    notebooks = discover_notebooks(cfg.notebooks)
    if not notebooks:
        raise UsageError(f"no notebooks ({NOTEBOOK_GLOB}) in {cfg.notebooks}")
    rid = run_id(cfg.as_of, digest)
    check_temporary_directory()
    staging = _make_staging(cfg, rid)

    progress.total = 1 + len(notebooks) + 1 + (1 if cfg.pdf else 0) + 1
    printer = render.PdfPrinter(cfg.chromium, cfg.print_timeout) if cfg.pdf else None
    if printer is not None:
        printer.probe()  # chromium is found (and its version read) while the notebooks run
    env = _kernel_env(cfg, staging / "figures", staging / publish.ATTACHMENTS)
    try:
        previous = results.copy_previous(cfg.output, staging / results.PREVIOUS_NAME,
                                         progress.say)
    except OSError as e:  # writing its copy into the staging folder (the disk is full)
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError.from_os(e, f"the run in {staging}") from None
    if previous is not None:  # what the report's "What changed" section compares with
        env[results.ENV_PREVIOUS] = str(previous)
    kernel = KernelSession(cfg.notebooks.resolve(), env, staging / "kernel.log", cfg.timeout)

    def warm_up():
        kernel.imported.wait()  # not importing alongside the kernel session (KernelSession)
        render.warm_up(cfg.show_code)

    warm = _Background(warm_up)
    commit = _Background(_git_commit)
    try:
        try:
            with progress.step("starting the kernel"):
                kinfo = kernel.start()
            executed = []
            for src in notebooks:
                out = staging / "notebooks" / src.name
                with progress.step(f"running {src.name}"):
                    nb = kernel.execute(src, out, cfg.params)
                    handle_signals()
                    source_ids = [c.get("id") for c in nbformat.read(src, as_version=4).cells]
                    clean_executed(nb, source_ids, src.stem, f"notebooks/{src.name}",
                                   f"runs/{rid}/notebooks/{src.name}")
                    check_outputs(nb, src)
                    nbformat.write(nb, out)
                    executed.append((src.stem, nb))
            kernel.write_results(staging / results.NAME, cfg.params,
                                 {"run_id": rid, "inputs_hash": digest})
            warm.result()

            # Without chromium the HTML is still published (and the run exits 5); any other
            # failure of the PDF step fails the run like any other step.
            browser_version = None
            pdf_problem: MissingDependency | None = None
            if printer is not None:
                try:
                    browser_version = printer.version()
                except MissingDependency as e:
                    pdf_problem = e

            info = {
                "run_id": rid,
                "as_of": cfg.as_of,
                "params": cfg.params,
                "options": cfg.options(),
                "inputs_hash": digest,
                "git_commit": commit.result(),
                "facts_digest": kinfo.get("facts_digest", "unavailable"),
                "versions": {
                    "python": kinfo.get("python", "unknown"),
                    **{k: kinfo.get(k, "unknown") for k in ("pandas", "matplotlib", "numpy")},
                    **_versions(),
                    **({"chromium": browser_version} if browser_version else {}),
                },
                "notebooks": [src.name for src in notebooks],
            }
            with progress.step("rendering report.html"):
                # rendered in a thread while the kernel finishes drawing the figures
                # (stability_report.style draws them in the background) and shuts down
                rendering = _Background(lambda: render.render_report(
                    executed, info, show_code=cfg.show_code, resources_path=cfg.notebooks,
                    facts_dir=cfg.facts, raw_dir=cfg.raw,
                    attachments_dir=staging / publish.ATTACHMENTS))
                try:
                    kernel.wait_figures()
                finally:
                    kernel.close()
                if printer is not None and pdf_problem is None:
                    printer.launch()  # now that the kernel is gone, while the HTML renders
                rendered = rendering.result()
                # the figures drawn in the background are written: their SVGs go in place
                html = embed.embed_svgs(rendered.html, staging / "figures")
                for (_, nb), src in zip(executed, notebooks):
                    embed.embed_notebook(nb, staging / "figures")
                    nbformat.write(nb, staging / "notebooks" / src.name)
                (staging / "report.html").write_text(html, encoding="utf-8")
                if rendered.brief is not None:  # no cell tagged `brief`: no brief
                    (staging / "brief.html").write_text(
                        embed.embed_svgs(rendered.brief, staging / "figures"), encoding="utf-8")
        finally:
            kernel.close()
        if printer is not None and pdf_problem is None:
            try:
                brief_html = staging / "brief.html"
                what = "report.pdf and brief.pdf" if brief_html.exists() else "report.pdf"
                with progress.step(f"printing {what}"):
                    # the brief prints in a second page of the same browser meanwhile
                    briefing = (_Background(lambda: render.print_brief(
                        printer, brief_html, cfg.as_of, digest + ":brief"))
                        if brief_html.exists() else None)
                    pdf = printer.print_pdf(staging / "report.html", cfg.as_of, digest)
                    (staging / "report.pdf").write_bytes(pdf)
                    if briefing is not None:
                        (staging / "brief.pdf").write_bytes(briefing.result())
            except MissingDependency as e:  # chromium was found but did not start
                pdf_problem = e
    except BaseException as e:
        if printer is not None:
            printer.close()
        if isinstance(e, Interrupted):
            shutil.rmtree(staging, ignore_errors=True)  # half made, and nobody asked for it
            raise
        if _is_output_error(e) or getattr(e, "exit_code", None) == OUTPUT:
            shutil.rmtree(staging, ignore_errors=True)  # keeping it would hold on to the space
            if isinstance(e, NotebookFailed):
                e.kept = None
            if isinstance(e, PipelineError):
                raise
            raise OutputError.from_os(e, f"the run in {staging}") from None
        kept = publish.keep_failed(cfg.output, staging, rid)
        if isinstance(e, NotebookFailed) and e.kept is not None:
            e.kept = kept / "notebooks" / e.kept.name if kept else None
        raise
    if printer is not None:
        printer.close()

    complete = pdf_problem is None
    with progress.step(f"publishing run {rid}"):
        _publish(cfg, staging, rid, info, files, complete)
    progress.published = rid
    try:
        publish.remove_failed(cfg.output)  # superseded by this run
        if cfg.keep_runs:
            publish.prune(cfg.output, cfg.keep_runs, rid, progress.say)
    except (OSError, publish.UnsafePath) as e:
        progress.say(f"run {rid} is published; cleaning up older runs failed: {e}")
    if pdf_problem is not None:
        progress.say(f"report.html published ({_rel(cfg.output / 'report.html')}); "
                     "report.pdf was not made")
        raise pdf_problem
    took = time.monotonic() - progress.t0
    made = "report.html and report.pdf" if cfg.pdf else "report.html"
    progress.say(f"published {made} in {_rel(cfg.output)} (run {rid}, {took:.1f} s)")
    return OK


def _rel(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def _make_staging(cfg: Config, rid: str) -> Path:
    """A fresh <output>/.work/<rid>/ with notebooks/, figures/ and attachments/ (.work/ private
    to the user
    that runs the report: nobody else can put anything in the way inside it)."""
    staging = cfg.output / ".work" / rid
    try:
        publish.require_dir(cfg.output / ".work", "the staging folder", create=True, mode=0o700)
        publish.remove(staging)
        publish.require_dir(staging, "the run's staging folder", create=True)
        for d in ("notebooks", "figures", publish.ATTACHMENTS):
            publish.require_dir(staging / d, "a folder of the run", create=True)
    except publish.UnsafePath as e:
        raise OutputError(str(e)) from None
    except OSError as e:
        raise OutputError.from_os(e, f"the staging directory {staging}") from None
    return staging


def check_temporary_directory() -> None:
    """The temporary directory (TMPDIR, or what Python falls back to) can be written: Chromium
    and the kernel's libraries keep files there, and a failure there is not theirs."""
    import tempfile

    where = os.environ.get("TMPDIR") or None
    try:
        fd, name = tempfile.mkstemp(prefix="stability-report-check-", dir=where)
        os.close(fd)
        os.unlink(name)
    except OSError as e:
        shown = f"TMPDIR={where}" if where else "the temporary directory"
        reason = {errno.ENOSPC: "the disk is full", errno.EROFS: "the file system is read-only",
                  errno.ENOENT: "it does not exist", errno.ENOTDIR: "it is not a directory",
                  }.get(e.errno, e.strerror or str(e))
        raise OutputError(f"cannot write {shown}: {reason}; set TMPDIR to a writable directory "
                          "(nothing was run)") from None


def _publish(cfg: Config, staging: Path, rid: str, info: dict, files: dict[str, str],
             complete: bool) -> None:
    """Write run.json and publish the run (publish.publish), signals held meanwhile."""
    try:
        _write_manifest(staging, info, files, complete)
        os.makedirs(cfg.figures.parent, exist_ok=True)
        publish.require_dir(cfg.figures, "the figures directory", create=True)
        with signals_deferred():
            publish.publish(cfg.output, cfg.figures, staging, rid,
                            published_manifest(cfg.output))
    except publish.PartlyPublished as e:
        raise PartlyPublished(str(e)) from None
    except publish.UnsafePath as e:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(str(e)) from None
    except OSError as e:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError.from_os(e, f"the published report in {cfg.output}") from None


def _write_manifest(staging: Path, info: dict, files: dict[str, str], complete: bool) -> dict:
    outputs = {}
    (staging / "kernel.log").unlink(missing_ok=True)
    for dirpath, dirnames, filenames in os.walk(staging):  # links are not followed
        dirnames.sort()
        for name in sorted(filenames):
            p = Path(dirpath) / name
            if not os.path.islink(p) and p.is_file():
                outputs[p.relative_to(staging).as_posix()] = sha256_file(p)
    outputs = dict(sorted(outputs.items()))
    published = {n: outputs[n] for n in publish.REPORT_FILES if n in outputs}
    manifest = {
        "format": RUN_FORMAT,
        **info,
        "complete": complete,
        "inputs": files,
        "outputs": outputs,
        "published": published,
        "figures": {name: outputs[f"figures/{name}"] for name in publish.run_figures(staging)},
        "attachments": {name: outputs[f"{publish.ATTACHMENTS}/{name}"]
                        for name in publish.run_attachments(staging)},
    }
    publish.write_new(staging / "run.json",
                      (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())
    return manifest
