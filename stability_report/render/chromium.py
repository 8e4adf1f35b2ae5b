"""Chromium, driven over the DevTools protocol on a pipe: finding the executable, and one headless
browser that reads commands on its fd 3 and answers on its fd 4."""

from __future__ import annotations

import fcntl
import itertools
import json
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

from .. import config
from ..errors import BrowserTimeout, OutputError, RenderError

CHROMIUM_START_TIMEOUT = 30  # seconds for Chromium to answer its first command, per attempt


SYSTEM_DEPS_HINT = "install it with `make system-deps` (or as root: apt-get install chromium)"


def find_chromium(explicit: str | None = None) -> str | None:
    """--chromium, then $STABILITY_REPORT_CHROMIUM, then chromium on PATH, then Debian's path."""
    for candidate in (explicit, config.chromium()):
        if candidate:
            found = shutil.which(candidate) if os.sep not in candidate else candidate
            return found if found and os.access(found, os.X_OK) else None
    for name in ("chromium", "chromium-browser", "/usr/bin/chromium"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Chromium:
    """One headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe:
    it reads commands on its fd 3 and writes replies and events on its fd 4, each a JSON text
    ended by a NUL byte). No driver process: the browser is the only thing started. When this
    process dies, however it dies, the pipe closes and Chromium exits."""

    def __init__(self, exe: str, args: list[str], env: dict[str, str], profile: str):
        self.profile = profile  # removed by close()
        cmd_r, cmd_w = os.pipe()
        out_r, out_w = os.pipe()
        # the child's ends above fd 4, so that moving them to 3 and 4 cannot clobber each other
        child = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (cmd_r, out_w)]
        devnull = os.open(os.devnull, os.O_RDWR | os.O_CLOEXEC)
        argv = [
            exe,
            *args,
            "--remote-debugging-pipe",
            f"--user-data-dir={self.profile}",
            "--no-startup-window",
        ]
        try:
            self.pid = os.posix_spawn(
                exe,
                argv,
                env,
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, child[0], 3),
                    (os.POSIX_SPAWN_DUP2, child[1], 4),
                    (os.POSIX_SPAWN_DUP2, devnull, 0),
                    (os.POSIX_SPAWN_DUP2, devnull, 1),
                    (os.POSIX_SPAWN_DUP2, devnull, 2),
                ],
                setsid=True,
            )  # a ^C reaches us, not it
        except OSError:
            for fd in (cmd_r, cmd_w, out_r, out_w, devnull, *child):
                os.close(fd)
            raise
        for fd in (cmd_r, out_w, devnull, *child):
            os.close(fd)
        self._w, self._r = cmd_w, out_r
        self._ids = itertools.count(1)
        self._send_lock = threading.Lock()
        self._cond = threading.Condition()
        self._replies: dict[int, dict] = {}
        self._events: list[dict] = []
        self._unanswered: set[int] = set()  # replies nobody waits for
        self._gone = False
        self._hung = False  # a command timed out: the browser is not asked for anything more
        self._closed = False
        self._status: int | None = None
        self._reader = threading.Thread(target=self._read, name="chromium-pipe", daemon=True)
        self._reader.start()

    WANTED_EVENTS = {"Page.lifecycleEvent"}

    def _read(self) -> None:
        pending: list[bytes] = []
        while True:
            try:
                chunk = os.read(self._r, 1 << 20)
            except OSError:
                chunk = b""
            if not chunk:
                break
            try:
                while (end := chunk.find(b"\0")) >= 0:
                    pending.append(chunk[:end])
                    chunk = chunk[end + 1 :]
                    self._dispatch(json.loads(b"".join(pending)))
                    pending = []
            except ValueError:  # not the protocol: treat the browser as gone
                break
            pending.append(chunk)
        with self._cond:
            self._gone = True
            self._cond.notify_all()

    def _dispatch(self, msg: dict) -> None:
        if msg.get("method") == "Fetch.requestPaused":  # nothing leaves the page
            msg_id = self._send(
                "Fetch.failRequest",
                {"requestId": msg["params"]["requestId"], "errorReason": "BlockedByClient"},
                msg.get("sessionId"),
            )
            with self._cond:
                self._unanswered.add(msg_id)
            return
        with self._cond:
            if "id" in msg:
                if msg["id"] in self._unanswered:
                    self._unanswered.discard(msg["id"])
                else:
                    self._replies[msg["id"]] = msg
            elif msg.get("method") in self.WANTED_EVENTS:
                self._events.append(msg)
            self._cond.notify_all()

    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        msg_id = next(self._ids)
        msg: dict[str, Any] = {"id": msg_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        with self._send_lock:
            try:
                while data:
                    data = data[os.write(self._w, data) :]
            except OSError:
                pass  # the browser is gone: the reply never comes and the caller says so
        return msg_id

    def _wait(self, found: Callable[[], Any], what: str, timeout: float) -> Any:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                got = found()
                if got is not None:
                    return got
                if self._gone:
                    raise RenderError(f"chromium exited during {what}")
                left = deadline - time.monotonic()
                if left <= 0:
                    self._hung = True
                    raise BrowserTimeout(f"chromium did not answer {what} within {timeout:.0f} s")
                self._cond.wait(left)

    def call(
        self,
        method: str,
        params: dict | None = None,
        session: str | None = None,
        timeout: float = 60,
    ) -> dict:
        msg_id = self._send(method, params, session)
        msg = self._wait(lambda: self._replies.pop(msg_id, None), method, timeout)
        if "error" in msg:
            raise RenderError(f"chromium refused {method}: {msg['error'].get('message')}")
        return msg.get("result", {})

    def loaded(self, session: str, loader: str | None, timeout: float) -> None:
        """Wait for the load event of the document the navigation `loader` brought."""

        def found():
            for e in self._events:
                p = e.get("params", {})
                if (
                    e.get("sessionId") == session
                    and p.get("name") == "load"
                    and (loader is None or p.get("loaderId") == loader)
                ):
                    return e
            return None

        self._wait(found, "loading the page", timeout)

    def exit_status(self) -> int | None:
        """The browser's exit status, None while it runs."""
        if self._status is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped by someone else
                pid, status = self.pid, 0
            if pid:
                self._status = os.waitstatus_to_exitcode(status)
        return self._status

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if not self._gone and not self._hung:
            try:
                self.call("Browser.close", timeout=10)
            except RenderError:
                pass
        os.close(self._w)  # end of input: chromium exits if Browser.close did not get through
        for _ in range(0 if self._hung else 200):
            if self.exit_status() is not None:
                break
            time.sleep(0.05)
        if self.exit_status() is None:  # hung, or deaf to its closed pipe
            try:
                os.killpg(self.pid, signal.SIGKILL)  # it leads a session of its own (setsid)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        self._reader.join(10)
        os.close(self._r)
        shutil.rmtree(self.profile, ignore_errors=True)


def profile_dir() -> str:
    """A fresh profile directory for Chromium in the temporary directory; a failure to make it
    is the temporary directory's (OutputError), not Chromium's."""
    try:
        return tempfile.mkdtemp(prefix="stability-report-chromium-")
    except OSError as e:
        raise OutputError.from_os(
            e, "Chromium's profile in the temporary directory (TMPDIR)"
        ) from None
