"""The run's progress: one line per step on stderr, each beginning with the local date and time
(with its offset) when asked (`--timestamps`, for a log file; the journal stamps its own)."""

from __future__ import annotations

import sys
import time


class Progress:
    """One line per step on stderr: `[3/9] running 02-cash-runway.ipynb ... done (2.1 s)`."""

    def __init__(self, total: int, stream=None, timestamps: bool = False):
        self.total, self.n, self.stream = total, 0, stream or sys.stderr
        self.t0 = time.monotonic()
        self.published: str | None = None  # the run this process published, once it has
        self.timestamps = timestamps

    def prefix(self) -> str:
        """`stability-report: `, after `2026-12-04T06:15:02+00:00 ` with timestamps."""
        if not self.timestamps:
            return "stability-report: "
        from datetime import datetime

        return f"{datetime.now().astimezone().isoformat(timespec='seconds')} stability-report: "

    def say(self, text: str) -> None:
        print(f"{self.prefix()}{text}", file=self.stream, flush=True)

    def step(self, what: str) -> _Step:
        self.n += 1
        return _Step(self, f"[{self.n}/{self.total}] {what}")


class _Step:
    def __init__(self, progress: Progress, label: str):
        self.p, self.label = progress, label

    def __enter__(self) -> _Step:
        self.t = time.monotonic()
        print(f"{self.p.prefix()}{self.label} ...", end="", file=self.p.stream, flush=True)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        took = time.monotonic() - self.t
        status = "done" if exc_type is None else "FAILED"
        print(f" {status} ({took:.1f} s)", file=self.p.stream, flush=True)
