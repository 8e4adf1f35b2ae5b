"""The papermill engine that runs a notebook on the kernel session's running kernel and keeps the
kernel for the next notebook (papermill's engines are looked up by name in its registry;
`register()` adds this one as ENGINE_NAME).

Imported only when a run starts its kernel: papermill and nbclient are slow to import.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.exceptions import PapermillExecutionError
from papermill.log import logger

# papermill loads the translator through its entry point once the package is installed; imported
# here too, so that no run writes parameters with papermill's unchecked translator
from . import translator  # noqa: F401

ENGINE_NAME = "stability-report-shared-kernel"


class SessionClient(PapermillNotebookClient):
    """papermill's client on the session's running kernel. nbclient's own set-up would put in
    SIGINT and SIGTERM handlers that shut the kernel down under the running cell (the run then
    reported a dead kernel); the command line handles those signals itself."""

    @asynccontextmanager
    async def async_setup_kernel(self, **kwargs):
        yield


class SharedKernelEngine(NBClientEngine):
    """papermill's nbclient engine, on the kernel and client the session passes (`km`, `kc`)."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name,
        log_output=False,
        stdout_file=None,
        stderr_file=None,
        start_timeout=60,
        execution_timeout=None,
        km=None,
        kc=None,
        **kwargs,
    ):
        kwargs.pop("input_path", None)
        client = SessionClient(
            nb_man,
            km=km,
            kernel_name=kernel_name,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            log=logger,
            log_output=False,
            record_timing=False,
            **kwargs,
        )
        client.kc = kc  # the session's client: starting one costs 0.2 s of iopub flushing
        try:
            return client.execute()
        except (DeadKernelError, CellTimeoutError) as e:
            # Not a CellExecutionError, so papermill passes it on without saying where: the
            # cell is the last one papermill started (the cells after it are still pending).
            cells = nb_man.nb.cells
            started = [
                i
                for i, c in enumerate(cells)
                if c.metadata.get("papermill", {}).get("status") != "pending"
            ]
            i = started[-1] if started else 0
            why = (
                "the kernel died (it was killed, or ran out of memory)"
                if isinstance(e, DeadKernelError)
                else f"the cell did not finish within {execution_timeout} s (--timeout)"
            )
            raise PapermillExecutionError(
                i, None, cells[i].source if cells else "", type(e).__name__, why, []
            ) from None


def register() -> None:
    """Add SharedKernelEngine to papermill's engines as ENGINE_NAME."""
    papermill_engines.register(ENGINE_NAME, SharedKernelEngine)
