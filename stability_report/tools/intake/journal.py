"""Putting a change's files in place through one journal, and carrying a change that was cut
short through (intake.store stages and validates the change first).

Each new file is written beside its destination under a temporary name (`.money.csv.intake-<id>`),
the journal `data/facts/.intake-journal.json` records them with their SHA-256 (the commit point),
the files are renamed over their destinations (an article the change removes is deleted last)
and the journal goes. A change killed before the journal is in place leaves nothing but
temporary files, which `recover` removes before the next change; killed after it, `recover`
carries it through. The journal names only files this program writes: anything else stops it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import stat
import sys
from pathlib import Path

from ...facts.load import JOURNAL, display_path
from ...facts.schema import TABLES
from .store import IntakeError

TX = re.compile(r"^[0-9a-f]{12}$")
TEMP = re.compile(r"^\.(?P<name>[^/]+)\.intake-(?P<tx>[0-9a-f]{12})$")
# what earlier versions left when killed: tempfile.mkstemp(prefix=".<file>.", suffix=".tmp")
OLD_TEMP = re.compile(r"^\.(?P<name>[^/]+)\.[A-Za-z0-9_]{8}\.tmp$")
ARTICLE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def _sha256(path: Path) -> str | None:
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


def _write_temp(path: Path, data: bytes) -> None:
    """Create path (which must not exist), write data and make it durable."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def place(facts_dir: Path, raw_dir: Path, files: list[tuple[str, str, bytes | None]]) -> None:
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
            _write_temp(dirs[where] / f".{name}.intake-{tx}", data)
            entries.append({"dir": where, "name": name, "sha256": hashlib.sha256(data).hexdigest()})
        for d in set(dirs.values()):
            _fsync_dir(d)
        record = json.dumps({"format": 1, "id": tx, "files": entries}, indent=1) + "\n"
        _write_temp(facts_dir / f"{JOURNAL}.{tx}", record.encode())
        os.replace(facts_dir / f"{JOURNAL}.{tx}", facts_dir / JOURNAL)  # the commit point
        _fsync_dir(facts_dir)
    except BaseException:
        for where, name, _ in files:
            (dirs[where] / f".{name}.intake-{tx}").unlink(missing_ok=True)
        (facts_dir / f"{JOURNAL}.{tx}").unlink(missing_ok=True)
        raise
    _roll_forward(facts_dir, raw_dir)


def _read_journal(facts_dir: Path) -> tuple[str, list[tuple[str, str, str]]]:
    """The journal's change (id, [(where, name, sha256)]), checked: only names this module
    writes; IntakeError for anything else."""
    path = facts_dir / JOURNAL
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as f:
            d = json.loads(f.read(1 << 20))
        tx = d["id"]
        files = [(e["dir"], e["name"], e["sha256"]) for e in d["files"]]
        tables = {t.file for t in TABLES.values()}
        ok = TX.match(tx) and all(
            isinstance(n, str)
            and (
                (isinstance(h, str) and re.fullmatch(r"[0-9a-f]{64}", h))
                or (h is None and w == "raw")  # an article the change deletes
            )
            and ((w == "facts" and n in tables) or (w == "raw" and ARTICLE_NAME.match(n)))
            for w, n, h in files
        )
        if not ok:
            raise ValueError("names this program does not write")
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise IntakeError(
            f"{display_path(path)}: not a journal of a change this program made ({e}); nothing "
            "was done from it: move it away, then check the fact base with `make facts`"
        ) from None
    return tx, files


def _roll_forward(facts_dir: Path, raw_dir: Path) -> int:
    """Carry the journaled change through (each step can be done again); returns how many files
    it put in place. A temporary file whose bytes are not the journal's stops it."""
    tx, files = _read_journal(facts_dir)
    dirs = {"facts": facts_dir, "raw": raw_dir}
    placed = 0
    for where, name, sha in files:
        tmp, dest = dirs[where] / f".{name}.intake-{tx}", dirs[where] / name
        if sha is None:  # deleted last: the journal lists them after every file it places
            dest.unlink(missing_ok=True)
            placed += 1
            continue
        if _sha256(tmp) == sha:
            os.replace(tmp, dest)
            placed += 1
        elif _sha256(dest) != sha:
            raise IntakeError(
                f"{display_path(facts_dir / JOURNAL)}: {display_path(dest)} is neither the file "
                "the interrupted change wrote nor the one it was replacing it with; nothing more "
                "was done: check the fact base with `make facts` and version control"
            )
    for d in set(dirs.values()):
        _fsync_dir(d)
    (facts_dir / JOURNAL).unlink()
    _fsync_dir(facts_dir)
    return placed


def recover(facts_dir: Path, raw_dir: Path | None = None, say=None) -> str | None:
    """Under the lock, before a change: carry an interrupted change through (its journal is in
    place) and remove the temporary files of changes killed before their journal. Returns what
    was done, in a sentence, or None."""
    from ... import config

    raw_dir = Path(raw_dir) if raw_dir else config.raw_dir()
    done = None
    if os.path.lexists(facts_dir / JOURNAL):
        n = _roll_forward(facts_dir, raw_dir)
        done = f"completed an interrupted change to the fact base ({n} file(s) put in place)"
    removed = 0
    tables = {t.file for t in TABLES.values()}
    for d in (facts_dir, raw_dir):
        if not d.is_dir():
            continue
        for n in os.listdir(d):
            m = TEMP.match(n) or OLD_TEMP.match(n)
            ours = m and (
                m["name"] in tables
                if d == facts_dir
                else ARTICLE_NAME.match(m["name"]) and m["name"].endswith(".txt")
            )
            journal_tmp = n.startswith(JOURNAL + ".") and TX.match(n[len(JOURNAL) + 1 :])
            if ours or (d == facts_dir and journal_tmp):
                (d / n).unlink(missing_ok=True)
                removed += 1
    if removed:
        done = (done + "; " if done else "") + (
            f"removed {removed} temporary file(s) of a change that was cut short"
        )
    if done:
        (say or (lambda m: print(m, file=sys.stderr)))(done)
    return done
