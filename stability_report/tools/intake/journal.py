"""Writing a change through one journal (intake.store validates the change before, and carries
the journal through after).

Each new file is written beside its destination under a temporary name (`.money.csv.intake-<id>`)
and made durable, then the journal `data/facts/.intake-journal.json` records them with their
SHA-256 (and the articles the change deletes): its rename into place is the commit point. A
change killed before it leaves nothing but temporary files, which the next change removes
(store.recover, by the names declared here); killed after it, the next change carries it
through (store.roll_forward).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import stat
from pathlib import Path

from ...durable import fsync_dir, write_new
from ...facts.load import JOURNAL

TX = re.compile(r"^[0-9a-f]{12}$")
TEMP = re.compile(r"^\.(?P<name>[^/]+)\.intake-(?P<tx>[0-9a-f]{12})$")
# what earlier versions left when killed: tempfile.mkstemp(prefix=".<file>.", suffix=".tmp")
OLD_TEMP = re.compile(r"^\.(?P<name>[^/]+)\.[A-Za-z0-9_]{8}\.tmp$")
ARTICLE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def sha256_of(path: Path) -> str | None:
    """The SHA-256 of the regular file at path (not followed if a link), else None."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            return None
        h = hashlib.sha256()
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write(facts_dir: Path, raw_dir: Path, files: list[tuple[str, str, bytes | None]]) -> None:
    """Put each (where: "facts" or "raw", name, bytes) in place through the journal, and delete
    each whose bytes are None (an article removed): all of them, or (killed before the journal
    is written) none."""
    tx = secrets.token_hex(6)
    dirs = {"facts": facts_dir, "raw": raw_dir}
    entries = []
    try:
        for where, name, data in files:
            if data is None:
                entries.append({"dir": where, "name": name, "sha256": None})
                continue
            write_new(dirs[where] / f".{name}.intake-{tx}", data)
            entries.append({"dir": where, "name": name, "sha256": hashlib.sha256(data).hexdigest()})
        for d in set(dirs.values()):
            fsync_dir(d)
        record = json.dumps({"format": 1, "id": tx, "files": entries}, indent=1) + "\n"
        write_new(facts_dir / f"{JOURNAL}.{tx}", record.encode())
        os.replace(facts_dir / f"{JOURNAL}.{tx}", facts_dir / JOURNAL)  # the commit point
        fsync_dir(facts_dir)
    except BaseException:
        for where, name, _ in files:
            (dirs[where] / f".{name}.intake-{tx}").unlink(missing_ok=True)
        (facts_dir / f"{JOURNAL}.{tx}").unlink(missing_ok=True)
        raise
