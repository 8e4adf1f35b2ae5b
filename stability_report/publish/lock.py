"""The run's lock: an exclusive flock on <output>/.lock, so that two runs never interleave. The
file exists only while a run holds it: the holder removes it before letting go, and a run that
locked a file another run had just removed tries again on the new one."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path

from ..errors import LockedError, OutputError
from . import safefs


class RunLock:
    """An exclusive flock on <output>/.lock holding the owner's pid.

    The kernel drops a flock when its holder dies, however it dies, so a killed run never blocks
    the next one; a pid left in the file by a run that did not finish is reported as stale.
    """

    def __init__(self, path: Path, say: Callable[[str], None]):
        self.path, self.say, self.fd = path, say, None

    def __enter__(self) -> RunLock:
        for _ in range(10):
            if self._acquire():
                return self
        raise LockedError(f"the lock {self.path} keeps being replaced; try again later")

    def _acquire(self) -> bool:
        """Lock the file at self.path; False when the file locked was removed meanwhile."""
        try:
            fd = safefs.open_nofollow(self.path, os.O_RDWR | os.O_CREAT, "the lock file")
        except safefs.UnsafePath as e:
            raise OutputError(str(e)) from None
        except OSError as e:
            raise OutputError.from_os(e, "the lock file") from None
        if os.fstat(fd).st_nlink != 1:  # truncating it would truncate another name's file
            os.close(fd)
            raise OutputError(
                str(safefs.UnsafePath(self.path, "a file with other hard links", "the lock file"))
            )
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            who = f"pid {holder}" if holder else "pid unknown"
            raise LockedError(
                f"another run ({who}) is in progress (lock: {self.path}); "
                "try again when it has finished"
            ) from None
        try:
            st, now = os.fstat(fd), os.lstat(self.path)
            same = (st.st_dev, st.st_ino) == (now.st_dev, now.st_ino)
        except FileNotFoundError:
            same = False
        if not same:  # its holder removed it as we opened it: lock the file there now
            os.close(fd)
            return False
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
        return True

    def __exit__(self, *exc) -> None:
        if self.fd is None:
            return
        try:
            os.ftruncate(self.fd, 0)
            st, now = os.fstat(self.fd), os.lstat(self.path)
            if (st.st_dev, st.st_ino) == (now.st_dev, now.st_ino):
                os.unlink(self.path)  # still locked: whoever opens it next sees it is gone
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
