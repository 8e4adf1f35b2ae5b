"""The run's lock, so that two runs never interleave: an exclusive flock on <output>/.lock, taken
through filelock. A second run waits a moment (a run ending as it starts lets go), then is refused
with the pid of the run in progress, which the file holds. The kernel drops a flock when its holder
dies, however it dies, so a killed run never blocks the next one; the pid it left in the file is
reported as stale. The file exists only while a run holds it: the holder removes it before letting
go, and a run that locked a file removed meanwhile (no name left) tries again on the new one.

filelock opens the file without following a symbolic link and without truncating it; before
anything is written into it, what it opened must be a regular file with no other name (a hard
link to someone else's file would be truncated with it): anything else is UnsafePath (exit 4).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock, Timeout

from ..errors import LockedError, OutputError, UnsafePath
from . import safefs

WAIT = 1.0  # seconds a second run waits before it is refused
WHAT = "the lock file"


class RunLock:
    """An exclusive flock on <output>/.lock holding the owner's pid."""

    def __init__(self, path: Path, say: Callable[[str], None]):
        self.path, self.say = path, say
        self.lock = FileLock(path, timeout=WAIT, fallback_to_soft=False, on_acquired=self._claim)
        self.identity: tuple[int, int] | None = None

    def __enter__(self) -> RunLock:
        try:
            self.lock.acquire()
        except Timeout:  # before OSError: filelock's Timeout is a TimeoutError
            holder = _holder(self.path)
            raise LockedError(
                f"another run ({f'pid {holder}' if holder else 'pid unknown'}) is in progress "
                f"(lock: {self.path}); try again when it has finished"
            ) from None
        except OSError as e:
            if e.errno in (errno.ELOOP, errno.EISDIR):  # a symbolic link or a folder: not opened
                kind = "link" if e.errno == errno.ELOOP else "dir"
                raise UnsafePath(self.path, safefs.described(self.path, kind), WHAT) from None
            raise OutputError.from_os(e, WHAT) from None
        return self

    def _claim(self, fd: int) -> None:
        """Called by filelock holding the flock, before `acquire` returns (if this raises,
        filelock lets go): check what was opened, say a stale pid, write this run's."""
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnsafePath(self.path, "a device, pipe or socket", WHAT)
        if st.st_nlink != 1:  # truncating it would truncate another name's file
            raise UnsafePath(self.path, "a file with other hard links", WHAT)
        previous = _read_pid(fd)
        if previous and previous != os.getpid():
            state = "" if not _alive(previous) else " (that pid is running but held no lock)"
            self.say(f"stale lock from pid {previous} cleared{state}")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self.identity = (st.st_dev, st.st_ino)

    def __exit__(self, *exc) -> None:
        if not self.lock.is_locked:
            return
        try:
            now = os.lstat(self.path)
            if (now.st_dev, now.st_ino) == self.identity:
                os.unlink(self.path)  # still locked: whoever opens it next sees it is gone
        except OSError:
            pass
        self.lock.release()


def _holder(path: Path) -> int | None:
    """The pid the lock file names (never following a link), or None."""
    try:
        text = safefs.read_small(path, WHAT, 64).decode("ascii", "replace").strip()
        return int(text) if text else None
    except (OSError, ValueError, UnsafePath):
        return None


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
