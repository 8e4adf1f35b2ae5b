"""Every exception of the package, and the exit codes of `python -m stability_report run` that
they carry: the run's (a failed step, bad usage, the lock held, an output that cannot be written
safely, a missing dependency, a signal), the report's (a bad parameter, an invalid fact base, a
fact missing as of the analysis date, a results.json that cannot be read, a file beyond the
limits) and the tools' (bad input to an intake command). A leaf: it imports nothing from the
package, so every module can import it.
"""

from __future__ import annotations

import errno
import signal
from dataclasses import dataclass
from pathlib import Path

# Exit codes of `python -m stability_report run` (documented in --help and docs/command-line.md).
OK = 0  # rendered and published, or already up to date
FAILED = 1  # a notebook or a render step failed; the published report is unchanged
USAGE = 2  # bad parameters or usage
LOCKED = 3  # another run holds the lock
OUTPUT = 4  # the output cannot be written safely (see cli.EXIT_CODES); nothing was published
MISSING_DEPENDENCY = 5  # a system dependency (chromium, a Python package) is missing

# The errors of the file system that mean the output cannot be written (exit code OUTPUT).
OUTPUT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS, errno.EFBIG}


def is_output_error(e: BaseException) -> bool:
    return isinstance(e, OSError) and e.errno in OUTPUT_ERRNOS


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
        reason = {
            errno.ENOSPC: "the disk is full",
            errno.EDQUOT: "the disk quota is exceeded",
            errno.EROFS: "the file system is read-only",
        }.get(e.errno, e.strerror or str(e))
        where = f" ({e.filename})" if getattr(e, "filename", None) else ""
        return cls(f"cannot write {what}{where}: {reason}")


class UnsafePath(OutputError):
    """A symbolic link, or something else that is not the project's, where the project would
    create, replace or delete its own file or folder (stability_report.publish.safefs)."""

    def __init__(self, path: Path, found: str, expected: str):
        self.path, self.found, self.expected = path, found, expected
        super().__init__(
            f"refusing to use {path}: it is {found} where {expected} should be; "
            "move it away (nothing there was followed or changed)"
        )


class MissingDependency(PipelineError):
    exit_code = MISSING_DEPENDENCY


class RenderError(PipelineError):
    """The report could not be rendered, or the rendered page breaks the report's rules."""


class BrowserTimeout(RenderError):
    """Chromium did not answer a command in time (it is then treated as hung)."""


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

    def __init__(
        self,
        notebook: str,
        detail: str,
        cell: int | None = None,
        source: str = "",
        kept: Path | None = None,
    ):
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


class ParameterError(ValueError):
    """A parameter is unknown or has a value outside what it allows."""

    def _render_traceback_(self) -> list[str]:
        """What IPython shows for it in a notebook (JupyterLab, papermill): the one line that
        says what is wrong, not the frames of the validation that found it."""
        return [f"ParameterError: {self}"]


class UnsafeParameter(ValueError):
    """A parameter name or value that papermill could not write as a plain literal assignment
    (stability_report.pipeline.translator)."""


class TooLarge(ValueError):
    """A file or document beyond the project's limits (stability_report.bounded)."""


class ResultsError(ValueError):
    """A results.json that cannot be read as its schema (stability_report.resultsfile); the
    message names the file and why."""


@dataclass(frozen=True)
class Problem:
    """One problem of the fact base, located: file, row (1 = first row under the header; None
    for the file or its header), column."""

    file: str
    row: int | None
    column: str | None
    expected: str
    got: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        got = "" if self.got is None else f"; got {self.got!r}"
        return f"{where}: expected {self.expected}{got}"


class FactsError(ValueError):
    """The fact base is invalid. `problems` lists every problem found, each locatable."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:25])
        more = f"\n  ... and {len(problems) - 25} more" if len(problems) > 25 else ""
        super().__init__(f"invalid fact base ({len(problems)} problem(s)):\n{shown}{more}")


class MissingFact(LookupError):
    """A fact a computation needs is not in the (as-of filtered) fact base."""


class IntakeError(Exception):
    """Bad input to an intake command (stability_report.tools.intake): the message names the file,
    row and column. Exit 2."""

    exit_code = 2

    def __init__(self, message: str, problems: list[Problem] | None = None):
        self.problems = problems or []
        super().__init__(message)


class WriteError(OSError):
    """The file system refused a write of an intake command (disk full, permissions). Exit 1."""

    exit_code = 1
