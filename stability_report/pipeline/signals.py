"""SIGTERM, SIGINT and SIGHUP: turned into Interrupted while a run works, so that `finally`
blocks stop the kernel and the browser; held while publishing (milliseconds)."""

from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager

from ..errors import Interrupted


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
