"""Changing the fact base without ever leaving it half-written: new ids, new rows appended,
the whole base validated in a staging copy, then every changed file put in place through one
journal (written by intake.journal, carried through here).

Adding never rewrites an existing row: new rows are appended to the bytes of each table as
they are, so every existing fact stays byte for byte what it was. Undoing and correcting
(intake.revise: `reject`, `sources remove`; intake.replace: `sources replace`) hand in a
table's whole new bytes and the articles to delete, through the same staging and swap. Before
anything is replaced, the changed tables (and a new article) are written into a temporary copy
of the fact base and raw directory and loaded there with the real loader
(stability_report.facts); any problem stops the change with nothing written. The journal then
puts the files in place, or a change cut short is carried through by the next one. The loader
refuses a fact base with a journal (a change is under way or was cut short), so no run reads
half of one. One change at a time: the facts directory is locked (flock) while a change is
made.
"""

from __future__ import annotations

import csv
import errno
import fcntl
import io
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ...errors import FactsError, IntakeError, Problem, WriteError
from ...facts.base import Facts
from ...facts.load import JOURNAL, display_path, load_facts, raw_files
from ...facts.schema import OPTIONAL_TABLES, TABLES
from . import journal

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
        ok = journal.TX.match(tx) and all(
            isinstance(n, str)
            and (
                (isinstance(h, str) and re.fullmatch(r"[0-9a-f]{64}", h))
                or (h is None and w == "raw")  # an article the change deletes
            )
            and ((w == "facts" and n in tables) or (w == "raw" and journal.ARTICLE_NAME.match(n)))
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


def roll_forward(facts_dir: Path, raw_dir: Path) -> int:
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
        if journal.sha256_of(tmp) == sha:
            os.replace(tmp, dest)
            placed += 1
        elif journal.sha256_of(dest) != sha:
            raise IntakeError(
                f"{display_path(facts_dir / JOURNAL)}: {display_path(dest)} is neither the file "
                "the interrupted change wrote nor the one it was replacing it with; nothing more "
                "was done: check the fact base with `make facts` and version control"
            )
    for d in set(dirs.values()):
        journal.fsync_dir(d)
    (facts_dir / JOURNAL).unlink()
    journal.fsync_dir(facts_dir)
    return placed


def recover(facts_dir: Path, raw_dir: Path | None = None, say=None) -> str | None:
    """Under the lock, before a change: carry an interrupted change through (its journal is in
    place) and remove the temporary files of changes killed before their journal. Returns what
    was done, in a sentence, or None."""
    from ... import config

    raw_dir = Path(raw_dir) if raw_dir else config.raw_dir()
    done = None
    if os.path.lexists(facts_dir / JOURNAL):
        n = roll_forward(facts_dir, raw_dir)
        done = f"completed an interrupted change to the fact base ({n} file(s) put in place)"
    removed = 0
    tables = {t.file for t in TABLES.values()}
    for d in (facts_dir, raw_dir):
        if not d.is_dir():
            continue
        for n in os.listdir(d):
            m = journal.TEMP.match(n) or journal.OLD_TEMP.match(n)
            ours = m and (
                m["name"] in tables
                if d == facts_dir
                else journal.ARTICLE_NAME.match(m["name"]) and m["name"].endswith(".txt")
            )
            journal_tmp = n.startswith(JOURNAL + ".") and journal.TX.match(n[len(JOURNAL) + 1 :])
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


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def _current(facts_dir: Path, table: str) -> bytes:
    """A table file's bytes; an optional table that does not exist yet is its header alone."""
    path = facts_dir / TABLES[table].file
    if table in OPTIONAL_TABLES and not path.exists():
        return (",".join(c.name for c in TABLES[table].columns) + "\n").encode("utf-8")
    return path.read_bytes()


def _appended(old: bytes, new_rows: str) -> bytes:
    if old and not old.endswith(b"\n"):
        old += b"\r\n" if old.endswith(b"\r") or b"\r\n" in old else b"\n"
    return old + new_rows.encode("utf-8")


def _validated(
    facts_dir: Path,
    raw_dir: Path,
    changed: dict[str, bytes],
    gone: set[str],
    new_article: tuple[str, bytes] | None,
    explain,
) -> None:
    """Load the fact base as the change leaves it, in a staging copy; IntakeError (from
    `explain(error, staged facts, staged raw)`) when it is not valid."""
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
            raise IntakeError(explain(e, sf, sr), e.problems) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _files(
    raw_dir: Path, changed: dict[str, bytes], gone: set[str], new_article: tuple | None
) -> list[tuple[str, str, bytes | None]]:
    """What the journal puts in place: the new article, the changed tables, then the articles
    deleted once the tables are in."""
    files: list[tuple[str, str, bytes | None]] = []
    if new_article is not None:
        placed = raw_dir / new_article[0]
        if os.path.lexists(placed):
            raise IntakeError(f"{display_path(placed)} already exists; nothing was written")
        files.append(("raw", new_article[0], new_article[1]))
    files += [("facts", TABLES[t].file, changed[t]) for t in sorted(changed)]
    files += [("raw", name, None) for name in sorted(gone)]
    return files


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

    Undoing and correcting (intake.revise, intake.replace) also give `rewritten` (table -> the
    table's whole new bytes: rows dropped or changed) and `removed_articles` (file names in the
    raw directory to delete), which the same journal deletes after every table is in place."""
    facts_dir, raw_dir = Path(facts_dir), Path(raw_dir)
    rewritten = rewritten or {}
    current = {t: _current(facts_dir, t) for t in (*new_rows, *rewritten)}
    changed = {t: _appended(current[t], text) for t, text in new_rows.items() if text}
    changed.update(rewritten)
    gone = set(removed_articles)

    def explain(e: FactsError, sf: Path, sr: Path) -> str:
        return _explain(e, sf, sr, facts_dir, raw_dir, where or {}, current)

    _validated(facts_dir, raw_dir, changed, gone, new_article, explain)
    files = _files(raw_dir, changed, gone, new_article)
    try:
        journal.write(facts_dir, raw_dir, files)
        roll_forward(facts_dir, raw_dir)
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
