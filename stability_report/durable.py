"""Writing files so that they survive a crash, never through a symbolic link: a new file created,
written and synced (`write_new`), a folder synced so that its new entries last (`fsync_dir`).
Shared by the run's publishing (publish.safefs) and the article intake's journal
(tools.intake.journal)."""

from __future__ import annotations

import os
from pathlib import Path


def write_new(path: Path, data: bytes) -> None:
    """Create path (which must not exist, nor be a link), write data and make it durable; on a
    failure nothing is left at path."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        raise


def fsync_dir(path: Path) -> None:
    """Sync the folder at path (not followed if a link); a folder that cannot be opened or
    synced (some file systems cannot sync one) is left as it is."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
