"""File operations on the output tree that never follow a symbolic link: whatever the project
creates, truncates, renames over or deletes there is checked with lstat and opened with
O_NOFOLLOW; a link, a directory or a device where the project expects its own file or folder is
refused (errors.UnsafePath, an OutputError: exit 4)."""

from __future__ import annotations

import errno
import os
import shutil
import stat
from pathlib import Path

from ..durable import fsync_dir, write_new  # noqa: F401  (part of this module's interface)
from ..errors import UnsafePath

_MAX_SMALL_FILE = 1 << 20  # run.json


def kind_of(path: Path) -> tuple[str, os.stat_result | None]:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return "missing", None
    if stat.S_ISLNK(st.st_mode):
        return "link", st
    if stat.S_ISDIR(st.st_mode):
        return "dir", st
    if stat.S_ISREG(st.st_mode):
        return "file", st
    return "other", st


def described(path: Path, kind: str) -> str:
    if kind == "link":
        try:
            return f"a symbolic link (to {os.readlink(path)})"
        except OSError:
            return "a symbolic link"
    return {"dir": "a directory", "file": "a regular file", "other": "a device, pipe or socket"}[
        kind
    ]


def require_dir(path: Path, expected: str, create: bool = False, mode: int = 0o755) -> None:
    """path is a real directory (made if `create` and missing); anything else is refused."""
    kind, _ = kind_of(path)
    if kind == "missing" and create:
        try:
            os.mkdir(path, mode)
        except FileExistsError:
            pass
        kind, _ = kind_of(path)
    if kind == "missing":
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(path))
    if kind != "dir":
        raise UnsafePath(path, described(path, kind), expected)


def require_file_slot(path: Path, expected: str) -> None:
    """path is missing or a regular file: something a rename may replace."""
    kind, _ = kind_of(path)
    if kind not in ("missing", "file"):
        raise UnsafePath(path, described(path, kind), expected)


def open_nofollow(path: Path, flags: int, expected: str, mode: int = 0o644) -> int:
    """os.open that refuses a symbolic link as the last component and anything but a regular
    file (a FIFO or device is not even opened for real: O_NONBLOCK, then checked)."""
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK | os.O_NOCTTY, mode)
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise UnsafePath(path, described(path, "link"), expected) from None
        if e.errno == errno.EISDIR:
            raise UnsafePath(path, described(path, "dir"), expected) from None
        raise
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise UnsafePath(
            path, described(path, "dir" if stat.S_ISDIR(st.st_mode) else "other"), expected
        )
    os.set_blocking(fd, True)
    return fd


def read_small(path: Path, expected: str, limit: int = _MAX_SMALL_FILE) -> bytes:
    """A small regular file's bytes (at most `limit`), without following a symbolic link."""
    fd = open_nofollow(path, os.O_RDONLY, expected)
    with os.fdopen(fd, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"{path} is larger than {limit} bytes")
    return data


def sha256_nofollow(path: Path) -> str:
    import hashlib

    fd = open_nofollow(path, os.O_RDONLY, "a file of the report")
    h = hashlib.sha256()
    with os.fdopen(fd, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def copy_new(src: Path, dst: Path) -> None:
    """Copy the regular file src to dst (which must not exist) and make it durable."""
    fd_in = open_nofollow(src, os.O_RDONLY, "a file the run made")
    with os.fdopen(fd_in, "rb") as fi:
        fd_out = os.open(
            dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644
        )
        try:
            with os.fdopen(fd_out, "wb") as fo:
                shutil.copyfileobj(fi, fo, 1 << 20)
                fo.flush()
                os.fsync(fo.fileno())
        except BaseException:
            unlink(dst)
            raise


def unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def remove(path: Path) -> None:
    """Remove what is at path without following a link: a link or file is unlinked, a directory
    removed with its content (shutil.rmtree, which does not follow links inside it either)."""
    kind, _ = kind_of(path)
    if kind == "dir":
        shutil.rmtree(path)
    elif kind != "missing":
        unlink(path)


_RENAME_EXCHANGE = 2


_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> None:
    """Swap two paths in one step (renameat2 with RENAME_EXCHANGE); OSError with ENOSYS where
    the C library or the file system cannot."""
    import ctypes  # here, not at the top: the no-op run never needs it

    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        raise OSError(errno.ENOSYS, "renameat2 is not available") from None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a), None, str(b))
