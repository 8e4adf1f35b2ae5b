"""Changing the fact base without ever leaving it half-written: new ids, new rows appended,
the whole base validated in a staging copy, then every changed file put in place through one
journal.

Adding never rewrites an existing row: new rows are appended to the bytes of each table as
they are, so every existing fact stays byte for byte what it was. Undoing and correcting
(intake.revise: `reject`, `sources remove`, `sources replace`) hand in a table's whole new bytes
and the articles to delete, through the same staging and swap. Before anything is replaced, the
changed tables (and a new article) are written into a temporary copy of the fact base and raw
directory and loaded there with the real loader (stability_report.facts); any problem stops the
change with nothing written. Then each new file is written beside its destination under a
temporary name (`.money.csv.intake-<id>`), the journal `data/facts/.intake-journal.json` records
them with their SHA-256 (the commit point), the files are renamed over their destinations and
the journal goes. A change killed before the journal is in place leaves nothing but temporary
files, which the next change removes; killed after it, the next change (or `facts check`) first
carries it through, whatever tables it touched. The loader refuses a fact base with a journal
(a change is under way or was cut short), so no run reads half of one. One change at a time: the
facts directory is locked (flock) while a change is made.
"""

from __future__ import annotations

import csv
import errno
import fcntl
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ...errors import FactsError, IntakeError, Problem, WriteError
from ...facts.base import Facts
from ...facts.load import JOURNAL, display_path, load_facts, raw_files
from ...facts.schema import OPTIONAL_TABLES, TABLES

ID_PREFIX = {
    "sources": "S",
    "persons": "P",
    "person_names": "N",
    "personnel": "R",
    "money": "M",
    "events": "E",
    "conflicts": "C",
}
ID_COLUMN = {"sources": "source_id", "persons": "person_id", "conflicts": "conflict_id"}
TX = re.compile(r"^[0-9a-f]{12}$")
TEMP = re.compile(r"^\.(?P<name>[^/]+)\.intake-(?P<tx>[0-9a-f]{12})$")
# what earlier versions left when killed: tempfile.mkstemp(prefix=".<file>.", suffix=".tmp")
OLD_TEMP = re.compile(r"^\.(?P<name>[^/]+)\.[A-Za-z0-9_]{8}\.tmp$")
ARTICLE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def _where(e: OSError, facts_dir: Path) -> str:
    return (
        display_path(Path(e.filename)) if getattr(e, "filename", None) else display_path(facts_dir)
    )


def id_column(table: str) -> str:
    return ID_COLUMN.get(table, "fact_id")


def id_number(fact_id: str, prefix: str) -> int | None:
    m = re.fullmatch(rf"{prefix}(\d+)", fact_id or "")
    return int(m.group(1)) if m else None


def next_ids(existing: Iterable[str], prefix: str) -> Iterator[str]:
    """Free ids after the highest in use: max + 1, max + 2, ..., zero-padded to at least three
    digits (M999 is followed by M1000); existing ids are never renumbered."""
    numbers = [n for n in (id_number(i, prefix) for i in existing) if n is not None]
    return _count_from(max(numbers, default=-1 if prefix == "S" else 0) + 1, prefix)


def _count_from(n: int, prefix: str) -> Iterator[str]:
    while True:
        yield f"{prefix}{n:03d}"
        n += 1


def header_of(facts_dir: Path | None, table: str) -> list[str]:
    """The columns of a table file as its header names them (a file may predate a column the
    schema added since, Column.may_be_absent); the schema's columns when there is no file."""
    names = [c.name for c in TABLES[table].columns]
    path = None if facts_dir is None else Path(facts_dir) / TABLES[table].file
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:  # type: ignore[arg-type]
            header = next(csv.reader(f), None)
    except (OSError, TypeError, UnicodeDecodeError, csv.Error):
        header = None
    return [h for h in header if h in names] if header else names


def csv_rows(table: str, rows: list[dict], facts_dir: Path | None = None) -> str:
    """Rows as CSV text in the column order of the table's file in `facts_dir` (the schema's
    order when not given), as the fact files are written."""
    buf = io.StringIO()
    w = csv.DictWriter(
        buf,
        fieldnames=header_of(facts_dir, table),
        lineterminator="\n",
        extrasaction="ignore",
    )
    w.writerows(rows)
    return buf.getvalue()


@contextmanager
def locked(facts_dir: Path, raw_dir: Path | None = None, say=None):
    """Hold an exclusive lock on the facts directory; a second change waits for none: it
    fails at once with a message. An interrupted change is completed first (recover)."""
    fd = os.open(facts_dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise IntakeError(
                    f"{display_path(facts_dir)} is being changed by another command; "
                    "try again when it has finished"
                ) from None
            raise
        recover(facts_dir, raw_dir, say)
        yield
    finally:
        os.close(fd)


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


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


def _current(facts_dir: Path, table: str) -> bytes:
    """A table file's bytes; an optional table that does not exist yet is its header alone."""
    path = facts_dir / TABLES[table].file
    if table in OPTIONAL_TABLES and not path.exists():
        return (",".join(c.name for c in TABLES[table].columns) + "\n").encode("utf-8")
    return path.read_bytes()


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


def _place(facts_dir: Path, raw_dir: Path, files: list[tuple[str, str, bytes | None]]) -> None:
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


def _appended(old: bytes, new_rows: str) -> bytes:
    if old and not old.endswith(b"\n"):
        old += b"\r\n" if old.endswith(b"\r") or b"\r\n" in old else b"\n"
    return old + new_rows.encode("utf-8")


def commit(
    facts_dir: Path,
    raw_dir: Path,
    new_rows: dict[str, str],
    new_article: tuple[str, bytes] | None = None,
    where: dict[tuple[str, int], str] | None = None,
    *,
    rewritten: dict[str, bytes] | None = None,
    removed_articles: tuple[str, ...] = (),
) -> Facts:
    """Append `new_rows` (table -> CSV text without header) and add `new_article` (file name,
    bytes) to the raw directory, all or nothing. Returns the validated new fact base.

    `where` maps (table, 1-based row in the new table) to a description of the input the row
    came from ("candidates.csv, row 4"), so problems are reported against the file the user
    wrote rather than the staging copy.

    Undoing and correcting (intake.revise) also give `rewritten` (table -> the table's whole
    new bytes: rows dropped or changed) and `removed_articles` (file names in the raw
    directory to delete), which the same journal deletes after every table is in place."""
    facts_dir, raw_dir = Path(facts_dir), Path(raw_dir)
    rewritten = rewritten or {}
    current = {t: _current(facts_dir, t) for t in (*new_rows, *rewritten)}
    changed = {t: _appended(current[t], text) for t, text in new_rows.items() if text}
    changed.update(rewritten)
    gone = set(removed_articles)
    stage = Path(tempfile.mkdtemp(prefix="stability-intake-"))
    try:
        sf, sr = stage / "facts", stage / "raw"
        sf.mkdir()
        sr.mkdir()
        for t in TABLES.values():
            src = facts_dir / t.file
            if t.name in changed:
                (sf / t.file).write_bytes(changed[t.name])
            elif src.exists():
                shutil.copyfile(src, sf / t.file)
        for f in raw_files(raw_dir):
            if f.name not in gone:
                _link_or_copy(f, sr / f.name)
        if new_article is not None:
            (sr / new_article[0]).write_bytes(new_article[1])
        try:
            load_facts(sf, sr)
        except FactsError as e:
            raise IntakeError(
                _explain(e, sf, sr, facts_dir, raw_dir, where or {}, current), e.problems
            ) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    files: list[tuple[str, str, bytes]] = []
    if new_article is not None:
        placed = raw_dir / new_article[0]
        if os.path.lexists(placed):
            raise IntakeError(f"{display_path(placed)} already exists; nothing was written")
        files.append(("raw", new_article[0], new_article[1]))
    files += [("facts", TABLES[t].file, changed[t]) for t in sorted(changed)]
    files += [("raw", name, None) for name in sorted(gone)]  # deleted once the tables are in
    try:
        _place(facts_dir, raw_dir, files)
    except OSError as e:
        state = (
            "nothing was written"
            if not os.path.lexists(facts_dir / JOURNAL)
            else "the change is journaled: the next intake command completes it"
        )
        raise WriteError(
            f"could not write {_where(e, facts_dir)}: {e.strerror or e}; {state}"
        ) from e
    return load_facts(facts_dir, raw_dir)


def _explain(
    err: FactsError,
    sf: Path,
    sr: Path,
    facts_dir: Path,
    raw_dir: Path,
    where: dict[tuple[str, int], str],
    current: dict[str, bytes],
) -> str:
    """The loader's problems, with staging paths turned back into the user's, and rows that
    came from the user's input named by where they came from."""
    lines = []
    by_file = {str(sf / t.file): t.name for t in TABLES.values()}
    for p in err.problems:
        table = by_file.get(p.file)
        shown = p.file.replace(str(sf), display_path(facts_dir)).replace(
            str(sr), display_path(raw_dir)
        )
        origin = where.get((table, p.row)) if table and p.row is not None else None
        text = str(Problem(shown, p.row, p.column, p.expected, p.got))
        if origin:
            text += f"  (from {origin})"
        lines.append(f"  - {text}")
    return (
        f"the fact base would not be valid ({len(err.problems)} problem(s)); nothing was "
        f"written:\n" + "\n".join(lines)
    )


def read_table(facts_dir: Path, table: str) -> list[dict]:
    """A table's data rows as dicts of text, read without validation (the loader validates the
    result of a change); an unreadable file is an IntakeError naming it."""
    path = Path(facts_dir) / TABLES[table].file
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        if table in OPTIONAL_TABLES:
            return []
        raise IntakeError(f"{display_path(path)}: no such file") from None
    except UnicodeDecodeError:
        raise IntakeError(
            f"{display_path(path)}: expected UTF-8 text (run `make facts` to see where it is not)"
        ) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return [r for r in reader if any((v or "").strip() for v in r.values())]
