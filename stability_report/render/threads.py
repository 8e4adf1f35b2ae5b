"""Work started in a thread now and collected later: the run overlaps its stages with it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any


def in_thread(fn: Callable[[], Any], name: str | None = None) -> Future:
    """fn() in a daemon thread of its own; its result (or exception) in the returned future."""
    future: Future = Future()

    def target():
        if future.set_running_or_notify_cancel():
            try:
                future.set_result(fn())
            except BaseException as e:  # noqa: BLE001 - re-raised by future.result()
                future.set_exception(e)

    threading.Thread(target=target, name=name, daemon=True).start()
    return future
