"""The kernel session: one IPython kernel for all notebooks, started once, reset between them
(pipeline.inkernel), each notebook executed in it by papermill (pipeline.engine). Its environment
pins what would make two runs differ and points the notebooks at the run's figure and attachment
folders and at the fact base.

jupyter_client, nbclient and papermill are imported when the kernel starts, not before: the
no-op run never needs them."""

from __future__ import annotations

import json
import os
import re
import sys
import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .. import config
from ..errors import OUTPUT, FiguresFailed, MissingDependency, NotebookFailed, PipelineError
from . import inkernel
from .inputs import Config


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
            from jupyter_client.manager import AsyncKernelManager
            from jupyter_core.utils import run_sync
        except ImportError as e:
            raise MissingDependency(
                f"a Python package is missing ({e.name}); "
                "run `make env` to install requirements.txt"
            ) from None
        self._log = open(self.log_path, "ab")
        self.km = AsyncKernelManager(kernel_name="python3", kernel_spec_manager=_this_python())
        run_sync(self.km.start_kernel)(
            cwd=str(self.cwd),
            env=self.env,
            stdout=self._log,
            stderr=self._log,
            extra_arguments=["--HistoryManager.enabled=False"],
        )
        from . import engine  # imports papermill and nbclient while the kernel boots

        engine.register()
        self.imported.set()
        self.kc = self.km.client()
        self.kc.allow_stdin = False
        self.kc.start_channels()
        try:
            run_sync(self.kc.wait_for_ready)(timeout=120)
        except RuntimeError:
            raise PipelineError(
                f"the kernel did not answer within 120 s of starting (see {self.log_path})"
            ) from None
        out = self._control_named(
            inkernel.CALL.format("start"), "loading the packages and the fact base"
        )
        for line in out.splitlines():
            if line.startswith(inkernel.MARK):
                return json.loads(line[len(inkernel.MARK) :])
        return {}

    def _control_named(self, code: str, what: str) -> str:
        """control(), with a failure or a time-out reported as the step it was."""
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

        try:
            return self.control(code)
        except CellTimeoutError:
            raise PipelineError(
                f"starting the kernel failed: {what} did not finish within "
                f"{self.timeout} s (--timeout)"
            ) from None
        except DeadKernelError:
            raise PipelineError(
                f"starting the kernel failed: the kernel died while {what} "
                "(it was killed, or ran out of memory)"
            ) from None
        except CellExecutionError as e:
            raise PipelineError(
                f"starting the kernel failed while {what}: {e.ename}: {e.evalue}"
            ) from None

    def control(self, code: str) -> str:
        """Run code outside any notebook; return its stdout. Raises on an error."""
        import nbformat
        from nbclient import NotebookClient

        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        client = NotebookClient(nb, km=self.km, timeout=self.timeout, record_timing=False)
        client.kc = self.kc
        client.execute_cell(nb.cells[0], 0, store_history=False)
        return "".join(
            o.get("text", "")
            for o in nb.cells[0].outputs
            if o.get("output_type") == "stream" and o.get("name") == "stdout"
        )

    def execute(self, src: Path, out: Path, params: dict[str, Any]):
        import logging

        import papermill
        from papermill.exceptions import PapermillExecutionError

        from .engine import ENGINE_NAME

        # papermill's warnings come from its guess at the parameters cell ("Unable to parse
        # line", "Passed unknown parameter"); the notebooks validate their parameters with
        # Params.from_notebook, which is authoritative, so those guesses are not shown.
        logging.getLogger("papermill").setLevel(logging.ERROR)

        self.control(inkernel.CALL.format("reset"))
        try:
            return papermill.execute_notebook(
                str(src),
                str(out),
                parameters=params,
                engine_name=ENGINE_NAME,
                kernel_name="python3",
                language="python",
                progress_bar=False,
                request_save_on_cell_execute=False,
                autosave_cell_every=0,
                km=self.km,
                kc=self.kc,
                execution_timeout=self.timeout,
                log_output=False,
            )
        except PapermillExecutionError as e:
            failed = NotebookFailed(
                src.name,
                f"{e.ename}: {e.evalue}",
                source_cell_number(src, e.cell_index),
                e.source,
                out if out.exists() else None,
            )
            if e.ename == "OSError" and re.search(r"\[Errno (28|122)\]", str(e.evalue)):
                failed.exit_code = OUTPUT  # the disk filled up under the notebook
            raise failed from None

    def write_results(self) -> None:
        """results.json of the run, computed in the kernel from its fact base after the last
        notebook (pipeline.inkernel.write_results; where and for what,
        pipeline.results.kernel_env)."""
        from nbclient.exceptions import CellExecutionError

        try:
            self.control(inkernel.CALL.format("write_results"))
        except CellExecutionError as e:
            failed = PipelineError(f"writing results.json failed: {e.ename}: {e.evalue}")
            if e.ename == "OSError" and re.search(r"\[Errno (28|122)\]", str(e.evalue)):
                failed.exit_code = OUTPUT
            raise failed from None

    def wait_figures(self) -> None:
        """Wait for the PNGs being written in the background; a failure is reported like a
        notebook's (exit code 4 when the disk is full)."""
        from nbclient.exceptions import CellExecutionError

        try:
            self.control(inkernel.CALL.format("wait_figures"))
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


def source_cell_number(src: Path, executed_index: int) -> int:
    """1-based number of a cell in the source notebook, from its index in the executed one
    (papermill inserts the injected-parameters cell after the `parameters` cell)."""
    try:
        cells = json.loads(src.read_text(encoding="utf-8"))["cells"]
        tagged = [
            i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])
        ]
        injected = tagged[0] + 1 if tagged else 0
    except (OSError, ValueError, KeyError):
        return executed_index + 1
    return executed_index + (0 if executed_index > injected else 1)


def _this_python():
    """jupyter_client's kernel specs, with one kernel: this interpreter, whatever kernels a user
    has installed."""
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager

    class _ThisPython(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            return KernelSpec(
                argv=[
                    sys.executable,
                    "-Xfrozen_modules=off",
                    "-m",
                    "ipykernel_launcher",
                    "-f",
                    "{connection_file}",
                ],
                display_name="Python 3 (stability-report)",
                language="python",
                resource_dir=str(config.PACKAGE),
            )

    return _ThisPython()


def kernel_env(cfg: Config, figures: Path, attachments: Path | None = None) -> dict[str, str]:
    """The kernel's environment: this checkout's package first, the run's figure and attachment
    directories, the fact base, and everything that would make two runs differ pinned."""
    env = dict(os.environ)
    pythonpath = [str(config.ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    as_of = date.fromisoformat(cfg.as_of)
    epoch = int(datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC).timestamp())
    env.update(
        {
            "PYTHONPATH": os.pathsep.join(pythonpath),
            config.ENV_FIGURES: str(figures),
            config.ENV_BACKGROUND: "1",
            config.ENV_FACTS: str(cfg.facts.resolve()),
            config.ENV_RAW: str(cfg.raw.resolve()),
            "PYTHONHASHSEED": "0",
            "SOURCE_DATE_EPOCH": str(epoch),
            "TZ": "UTC",
            "PYTHONUTF8": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }
    )
    if attachments is not None:
        env[config.ENV_ATTACHMENTS] = str(attachments)
    return env
