"""The output tree: publishing a run, finishing a publication that was cut short, pruning old
runs, and the file operations these use, none of which follows a symbolic link.

    <output>/runs/<as_of>_<hash>/  one folder per run: report.html, report.pdf, brief.html,
                                   brief.pdf, results.json, attachments/, figures/, notebooks/,
                                   run.json (the audit record)
    <output>/latest                the published run: a symbolic link `runs/<run id>` (a file
                                   holding the run id where links cannot be made)
    <output>/report.html, report.pdf, brief.html, brief.pdf, results.json, attachments/ (the
                                   CSV files the report links to) and the figures directory (figures/ at the
                                   top of the repository for the default output, else
                                   <output>/figures):
                                   copies of the published run's files, where readers, links and
                                   git look for them (regular files, so that a clone has them)
    <output>/.lock, .work/, .publishing.json   the lock, staging, the publication journal

Publishing. `latest` switches from one complete run folder to the next with one rename(2):
whoever reads the report through <output>/latest/ sees one run or the other, never a mix. The
copies at the usual places cannot switch together (they are several files in two directories, the
figures directory may be writable when its parent is not, and git needs them as regular files),
so a journal makes their update complete instead: every new file is first written beside its
destination under a temporary name (everything that can fail for lack of space happens here, and
a failure here publishes nothing); then `.publishing.json` is written (the commit point); then
the run folder moves into runs/, `latest` switches, and the temporary files are renamed over the
copies. A run that is killed after the commit point leaves the journal, and the next run, before
anything else, rolls the publication forward from wherever it stopped (each step can be done
again). Between the switch of `latest` and the last rename (milliseconds; or, after a kill in that
window, until the next run starts) a reader of the copies can find some of the new run's files
beside some of the previous run's; each file on its own is always whole.

Safety. The output tree may sit in a directory others can write to. Whatever the project creates,
truncates, renames over or deletes in it is checked with lstat and opened with O_NOFOLLOW; a
symbolic link, a directory or a device where the project expects its own file or folder is
refused with a message (UnsafePath), never followed. Deletion touches only what this module
names: run folders in runs/ whose names are run ids, staging folders in .work/, the temporary
files of a publication, and figures that the previous published run listed.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .attachments import NAME as ATTACHMENT_NAME
from .attachments import SUBDIR

RUN_ID = re.compile(r"^\d{4}-\d{2}-\d{2}_[0-9a-f]{10}$")
# What a file in the figures directory may be called to be published (no path, no leading dot).
FIGURE_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
REPORT_FILES = ("report.html", "report.pdf", "brief.html", "brief.pdf", "results.json")
ATTACHMENTS = SUBDIR  # <output>/attachments/: the CSV files the report links to
ATTACHMENT_FILE = re.compile(f"^{ATTACHMENT_NAME.pattern}$")
JOURNAL = ".publishing.json"
JOURNAL_FORMAT = 2  # 2 added the attachments (a format-1 journal reads with none)
_TAG = re.compile(r"^\d{1,10}$")
_TEMP = re.compile(r"^\.(?P<name>.+)\.new-(?P<tag>\d{1,10})$")
_MAX_SMALL_FILE = 1 << 20  # the journal, run.json, a pointer file


Say = Callable[[str], None]


class UnsafePath(Exception):
    """A symbolic link, or something else that is not the project's, where the project would
    create, replace or delete its own file or folder."""

    def __init__(self, path: Path, found: str, expected: str):
        self.path, self.found, self.expected = path, found, expected
        super().__init__(f"refusing to use {path}: it is {found} where {expected} should be; "
                         "move it away (nothing there was followed or changed)")


class PartlyPublished(Exception):
    """Publishing stopped after `latest` switched (what is and is not in place is in the
    message; the next run completes it), or the journal of a failed publication could not be
    removed."""


class CannotComplete(Exception):
    """A publication that was cut short cannot be rolled forward."""


# ---------------------------------------------------------------------------------------------
# file operations that do not follow symbolic links


def _kind(path: Path) -> tuple[str, os.stat_result | None]:
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


def _found(path: Path, kind: str) -> str:
    if kind == "link":
        try:
            return f"a symbolic link (to {os.readlink(path)})"
        except OSError:
            return "a symbolic link"
    return {"dir": "a directory", "file": "a regular file",
            "other": "a device, pipe or socket"}[kind]


def require_dir(path: Path, expected: str, create: bool = False, mode: int = 0o755) -> None:
    """path is a real directory (made if `create` and missing); anything else is refused."""
    kind, _ = _kind(path)
    if kind == "missing" and create:
        try:
            os.mkdir(path, mode)
        except FileExistsError:
            pass
        kind, _ = _kind(path)
    if kind == "missing":
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(path))
    if kind != "dir":
        raise UnsafePath(path, _found(path, kind), expected)


def require_file_slot(path: Path, expected: str) -> None:
    """path is missing or a regular file: something a rename may replace."""
    kind, _ = _kind(path)
    if kind not in ("missing", "file"):
        raise UnsafePath(path, _found(path, kind), expected)


def open_nofollow(path: Path, flags: int, expected: str, mode: int = 0o644) -> int:
    """os.open that refuses a symbolic link as the last component and anything but a regular
    file (a FIFO or device is not even opened for real: O_NONBLOCK, then checked)."""
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK | os.O_NOCTTY,
                     mode)
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise UnsafePath(path, _found(path, "link"), expected) from None
        if e.errno == errno.EISDIR:
            raise UnsafePath(path, _found(path, "dir"), expected) from None
        raise
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise UnsafePath(path, _found(path, "dir" if stat.S_ISDIR(st.st_mode) else "other"),
                         expected)
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


def write_new(path: Path, data: bytes) -> None:
    """Create path (which must not exist), write data and make it durable."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        _unlink(path)
        raise


def copy_new(src: Path, dst: Path) -> None:
    """Copy the regular file src to dst (which must not exist) and make it durable."""
    fd_in = open_nofollow(src, os.O_RDONLY, "a file the run made")
    with os.fdopen(fd_in, "rb") as fi:
        fd_out = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                         0o644)
        try:
            with os.fdopen(fd_out, "wb") as fo:
                shutil.copyfileobj(fi, fo, 1 << 20)
                fo.flush()
                os.fsync(fo.fileno())
        except BaseException:
            _unlink(dst)
            raise


def fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot sync a directory
        pass
    finally:
        os.close(fd)


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def remove(path: Path) -> None:
    """Remove what is at path without following a link: a link or file is unlinked, a directory
    removed with its content (shutil.rmtree, which does not follow links inside it either)."""
    kind, _ = _kind(path)
    if kind == "dir":
        shutil.rmtree(path)
    elif kind != "missing":
        _unlink(path)


def _rename(src: Path, dst: Path) -> None:
    """Every rename of the publication goes through here (rename(2): atomic, replaces dst, and
    never follows a link at either name)."""
    os.replace(src, dst)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> None:
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


# ---------------------------------------------------------------------------------------------
# the published run


def current_run(out: Path) -> str | None:
    """The run id `latest` names, if it names a run folder that exists, else None. Only the
    forms this module writes are read: a link `runs/<run id>` or a file holding the run id."""
    latest = out / "latest"
    kind, _ = _kind(latest)
    try:
        if kind == "link":
            target = os.readlink(latest)
            rid = target[len("runs/"):] if target.startswith("runs/") else ""
        elif kind == "file":
            rid = read_small(latest, "the pointer to the published run", 64).decode().strip()
        else:
            return None
    except (OSError, UnicodeDecodeError, ValueError, UnsafePath):
        return None
    if not RUN_ID.match(rid) or _kind(out / "runs")[0] != "dir" or \
            _kind(out / "runs" / rid)[0] != "dir":
        return None
    return rid


def read_manifest(out: Path, rid: str) -> dict | None:
    """run.json of runs/<rid>, or None if it cannot be read as a JSON object."""
    if not RUN_ID.match(rid):
        return None
    try:
        m = json.loads(read_small(out / "runs" / rid / "run.json", "the run's run.json"))
    except (OSError, ValueError, UnsafePath):
        return None
    return m if isinstance(m, dict) else None


def published_manifest(out: Path) -> dict | None:
    """run.json of the run `latest` names, or None."""
    rid = current_run(out)
    return read_manifest(out, rid) if rid else None


def _point_latest(out: Path, rid: str, tag: str) -> None:
    tmp = out / f".latest.new-{tag}"
    _unlink(tmp)
    try:
        os.symlink(f"runs/{rid}", tmp)
    except OSError as e:  # a file system without symbolic links: a pointer file
        if e.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL):
            raise
        write_new(tmp, f"{rid}\n".encode())
    _rename(tmp, out / "latest")


# ---------------------------------------------------------------------------------------------
# publishing


@dataclass(frozen=True)
class Publication:
    """What one publication does: recorded in the journal before the first change a reader can
    see, so that the next run can finish it."""

    run: str
    tag: str
    figures_dir: str  # absolute path of the figures directory it publishes into
    report_files: tuple[str, ...]  # report.html (and report.pdf) of the run
    figure_files: tuple[str, ...]
    remove_report_files: tuple[str, ...]  # report.pdf when the run has none
    remove_figure_files: tuple[str, ...]  # figures of the previous run this run does not make
    attachment_files: tuple[str, ...] = ()
    remove_attachment_files: tuple[str, ...] = ()  # the previous run's, this run does not make

    @property
    def marker(self) -> str:
        """The file in the run folder that says the folder is this publication's."""
        return f".publishing-{self.tag}"

    def to_json(self) -> bytes:
        return (json.dumps({"format": JOURNAL_FORMAT, **self.__dict__}, indent=1,
                           sort_keys=True) + "\n").encode()

    @classmethod
    def from_json(cls, data: bytes) -> Publication:
        """The journal's record, checked: names are names, the run id is a run id."""
        d = json.loads(data)
        if not isinstance(d, dict) or d.get("format") not in (1, JOURNAL_FORMAT):
            raise ValueError("not a journal of this format")
        p = cls(run=d["run"], tag=d["tag"], figures_dir=d["figures_dir"],
                **{k: tuple(d[k]) for k in ("report_files", "figure_files",
                                            "remove_report_files", "remove_figure_files")},
                **{k: tuple(d.get(k, ())) for k in ("attachment_files",
                                                    "remove_attachment_files")})
        names_ok = (set(p.report_files) | set(p.remove_report_files)) <= set(REPORT_FILES) and \
            all(isinstance(n, str) and FIGURE_FILE.match(n)
                for n in p.figure_files + p.remove_figure_files) and \
            all(isinstance(n, str) and ATTACHMENT_FILE.match(n)
                for n in p.attachment_files + p.remove_attachment_files)
        if not (RUN_ID.match(p.run) and _TAG.match(p.tag) and isinstance(p.figures_dir, str)
                and names_ok):
            raise ValueError("a journal entry that this program would not have written")
        return p

    def temp(self, directory: Path, name: str) -> Path:
        return directory / f".{name}.new-{self.tag}"


def run_figures(staging: Path) -> list[str]:
    """The figure files of a run: the regular files directly in its figures/ folder. Anything
    else there (a link, a folder, a name that is not a plain file name) is refused."""
    folder = staging / "figures"
    if _kind(folder)[0] == "missing":
        return []
    require_dir(folder, "the run's figures folder")
    names = []
    for entry in sorted(os.listdir(folder)):
        kind, _ = _kind(folder / entry)
        if kind != "file" or not FIGURE_FILE.match(entry):
            raise UnsafePath(folder / entry, _found(folder / entry, kind) if kind != "file"
                             else "a file whose name is not a plain file name",
                             "a figure (a regular file named like name.svg)")
        names.append(entry)
    return names


def run_attachments(staging: Path) -> list[str]:
    """The CSV attachments of a run: the regular files in its attachments/ folder, each named
    like name.csv; anything else there is refused."""
    folder = staging / ATTACHMENTS
    if _kind(folder)[0] == "missing":
        return []
    require_dir(folder, "the run's attachments folder")
    names = []
    for entry in sorted(os.listdir(folder)):
        kind, _ = _kind(folder / entry)
        if kind != "file" or not ATTACHMENT_FILE.match(entry):
            raise UnsafePath(folder / entry, _found(folder / entry, kind) if kind != "file"
                             else "a file whose name is not name.csv",
                             "an attachment (a regular file named like name.csv)")
        names.append(entry)
    return names


def publish(out: Path, figures: Path, staging: Path, rid: str, previous: dict | None) -> None:
    """Publish the run built in `staging` (<output>/.work/<rid>, holding report.html, maybe
    report.pdf, figures/, notebooks/ and run.json) as run `rid`; `previous` is the run.json of
    the run published until now (its figures that this run does not make are removed).

    Raises OSError or UnsafePath with nothing published (what it wrote is removed again), or
    PartlyPublished when it stopped after `latest` switched (the message says what is in place;
    the journal stays, and the next run completes the publication)."""
    if not RUN_ID.match(rid) or staging != out / ".work" / rid:
        raise ValueError(f"not a staging folder of run {rid!r}: {staging}")
    new_figures = run_figures(staging)
    old_figures = [n for n in (previous or {}).get("figures", {})
                   if isinstance(n, str) and FIGURE_FILE.match(n)]
    new_attachments = run_attachments(staging)
    old_attachments = [n for n in (previous or {}).get("attachments", {})
                       if isinstance(n, str) and ATTACHMENT_FILE.match(n)]
    report_files = tuple(n for n in REPORT_FILES if _kind(staging / n)[0] == "file")
    if "report.html" not in report_files:
        raise FileNotFoundError(errno.ENOENT, "the run made no report.html",
                                str(staging / "report.html"))
    p = Publication(
        run=rid, tag=str(os.getpid()), figures_dir=str(figures.resolve()),
        report_files=report_files, figure_files=tuple(new_figures),
        remove_report_files=tuple(n for n in REPORT_FILES if n not in report_files),
        remove_figure_files=tuple(sorted(set(old_figures) - set(new_figures))),
        attachment_files=tuple(new_attachments),
        remove_attachment_files=tuple(sorted(set(old_attachments) - set(new_attachments))))

    _preflight(out, figures, staging, p)
    archive = out / "runs" / rid
    archived_before = _kind(archive)[0] == "dir"
    try:
        for name in p.report_files:
            copy_new(staging / name, p.temp(out, name))
        for name in p.figure_files:
            copy_new(staging / "figures" / name, p.temp(figures, name))
        for name in p.attachment_files:
            copy_new(staging / ATTACHMENTS / name, p.temp(out / ATTACHMENTS, name))
        write_new(staging / p.marker, b"")
        fsync_dir(figures)
        _write_journal(out, p)  # the commit point: from here on the next run rolls forward
        _archive(out, archive, p)
        _switch(out, p)
    except BaseException as e:
        _undo(out, figures, p, archived_before, e)
        raise
    _finish(out, figures, p)


def _preflight(out: Path, figures: Path, staging: Path, p: Publication) -> None:
    """Everything publishing will create, replace or remove is the project's kind of thing."""
    require_dir(out, "the output directory")
    require_dir(out / "runs", "the folder of archived runs", create=True)
    require_dir(figures, "the figures directory")
    require_dir(staging, "the run's staging folder")
    archive = out / "runs" / p.run
    if _kind(archive)[0] != "missing":
        require_dir(archive, "the archived run " + p.run)
    kind, _ = _kind(out / "latest")
    if kind not in ("missing", "link", "file"):
        raise UnsafePath(out / "latest", _found(out / "latest", kind),
                         "the pointer to the published run")
    for name in p.report_files + p.remove_report_files:
        require_file_slot(out / name, f"the published {name}")
    for name in p.figure_files + p.remove_figure_files:
        require_file_slot(figures / name, f"the published figure {name}")
    if p.attachment_files or p.remove_attachment_files:
        require_dir(out / ATTACHMENTS, "the folder of the report's attachments", create=True)
    for name in p.attachment_files + p.remove_attachment_files:
        require_file_slot(out / ATTACHMENTS / name, f"the published attachment {name}")
    for path in [p.temp(out, n) for n in p.report_files] + \
            [p.temp(figures, n) for n in p.figure_files] + \
            [p.temp(out / ATTACHMENTS, n) for n in p.attachment_files] + \
            [out / JOURNAL, out / f"{JOURNAL}.new-{p.tag}", staging / p.marker]:
        require_file_slot(path, "a file of this program")
        _unlink(path)  # a temporary file of a dead run that had this pid


def _write_journal(out: Path, p: Publication) -> None:
    tmp = out / f"{JOURNAL}.new-{p.tag}"
    write_new(tmp, p.to_json())
    _rename(tmp, out / JOURNAL)
    fsync_dir(out)


def _undo(out: Path, figures: Path, p: Publication, archived_before: bool,
          error: BaseException) -> None:
    """Take back a publication that failed before `latest` switched: nothing of it is visible
    at the usual places, and the journal goes first so that no later run completes it."""
    archive, staging = out / "runs" / p.run, out / ".work" / p.run
    try:
        _unlink(out / JOURNAL)
        fsync_dir(out)
    except OSError as e:
        raise PartlyPublished(
            f"publishing run {p.run} failed before anything was published "
            f"({getattr(error, 'strerror', None) or error}), and its journal {out / JOURNAL} "
            f"could not be removed ({e.strerror}): the next run will complete the publication"
        ) from None
    try:
        if _kind(archive / p.marker)[0] == "file" and not archived_before and \
                _kind(staging)[0] == "missing":
            _rename(archive, staging)
        for path in (archive / p.marker, staging / p.marker, out / f"{JOURNAL}.new-{p.tag}",
                     out / f".latest.new-{p.tag}", *(p.temp(out, n) for n in p.report_files),
                     *(p.temp(figures, n) for n in p.figure_files),
                     *(p.temp(out / ATTACHMENTS, n) for n in p.attachment_files)):
            _unlink(path)
    except OSError:
        pass  # leftovers with this program's names: the next run removes them


def _switch(out: Path, p: Publication) -> None:
    if current_run(out) != p.run:
        _point_latest(out, p.run, p.tag)
        fsync_dir(out)


def _finish(out: Path, figures: Path, p: Publication) -> int:
    """After `latest` switched: the copies of the report and figures take the new run's files,
    the previous run's files this run does not have go, the journal goes. Returns how many
    files it put in place; raises PartlyPublished if a step fails."""
    pending = [(figures, n, f"figure {n}") for n in p.figure_files] + \
        [(out / ATTACHMENTS, n, f"{ATTACHMENTS}/{n}") for n in p.attachment_files] + \
        [(out, n, n) for n in p.report_files[::-1]]
    placed = 0
    try:
        for directory, name, _ in pending:
            tmp = p.temp(directory, name)
            if _kind(tmp)[0] == "file":
                _rename(tmp, directory / name)
                placed += 1
        for name in p.remove_report_files:
            if _kind(out / name)[0] == "file":
                _unlink(out / name)
        for name in p.remove_figure_files:
            if name not in p.figure_files and _kind(figures / name)[0] == "file":
                _unlink(figures / name)
        for name in p.remove_attachment_files:
            if name not in p.attachment_files and \
                    _kind(out / ATTACHMENTS / name)[0] == "file":
                _unlink(out / ATTACHMENTS / name)
        if p.attachment_files or p.remove_attachment_files:
            fsync_dir(out / ATTACHMENTS)
        fsync_dir(figures)
        fsync_dir(out)
        _unlink(out / JOURNAL)
        fsync_dir(out)
        _unlink(out / "runs" / p.run / p.marker)
    except OSError as e:
        left = [label for directory, n, label in pending
                if _kind(p.temp(directory, n))[0] == "file"]
        raise PartlyPublished(_partly(out, p, left, e)) from None
    return placed


def complete(out: Path, figures: Path, p: Publication) -> int:
    """Carry a journaled publication through from wherever it stopped (each step can be done
    again); returns how many files it put in place. Raises CannotComplete if the run folder is
    gone before it was archived, OSError if a step before the switch of `latest` fails, and
    PartlyPublished if one after it fails."""
    _archive(out, out / "runs" / p.run, p)
    _switch(out, p)
    return _finish(out, figures, p)


def _partly(out: Path, p: Publication, left: list[str], e: OSError) -> str:
    why = e.strerror or str(e)
    where = f" ({e.filename})" if getattr(e, "filename", None) else ""
    total = len(p.report_files) + len(p.figure_files) + len(p.attachment_files)
    still = ("still the previous run's: " + ", ".join(left)) if left else \
        "all of them are in place, but the journal could not be removed"
    return (f"publishing run {p.run} stopped after {out / 'latest'} switched to it: "
            f"{total - len(left)} of {total} published files are this run's, {still} "
            f"({why}{where}); the next run completes the publication (journal: "
            f"{out / JOURNAL})")


def _archive(out: Path, archive: Path, p: Publication) -> None:
    """Move the staging folder into runs/ (replacing an earlier folder of the same run id)."""
    staging = out / ".work" / p.run
    if _kind(archive / p.marker)[0] == "file":
        if _kind(staging)[0] == "dir" and _kind(staging / p.marker)[0] == "missing":
            remove(staging)  # the earlier folder it replaced
        return
    if _kind(staging / p.marker)[0] != "file":
        raise CannotComplete(f"its run folder ({staging}) is gone")
    if _kind(archive)[0] == "missing":
        _rename(staging, archive)
    else:
        require_dir(archive, "the archived run " + p.run)
        try:
            _exchange(staging, archive)  # no moment without runs/<rid>
        except OSError as e:
            if e.errno not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
                raise
            aside = out / ".work" / f"replaced-{p.run}"
            remove(aside)
            _rename(archive, aside)
            _rename(staging, archive)
            staging = aside
        remove(staging)
    fsync_dir(out / "runs")


# ---------------------------------------------------------------------------------------------
# what an earlier run left


def recover(out: Path, figures: Path, say: Say) -> None:
    """Before anything else in a run (under the lock): finish a publication a killed run left
    half done, then remove the leftovers of interrupted runs."""
    journal = out / JOURNAL
    if _kind(journal)[0] != "missing":
        _roll_forward(out, figures, journal, say)
    clear_leftovers(out, figures, say)


def _roll_forward(out: Path, figures: Path, journal: Path, say: Say) -> None:
    try:
        p = Publication.from_json(read_small(journal, "the publication journal"))
    except (ValueError, KeyError, TypeError) as e:
        say(f"removing {journal}: not a journal this program wrote ({e}); nothing was done "
            "from it")
        remove(journal)
        return
    if Path(p.figures_dir) != figures.resolve():
        say(f"the interrupted publication of run {p.run} published figures into "
            f"{p.figures_dir}, not {figures}: its figures there are left as they are")
        p = Publication(p.run, p.tag, p.figures_dir, p.report_files, (), p.remove_report_files,
                        (), p.attachment_files, p.remove_attachment_files)
    try:
        placed = complete(out, figures, p)
    except CannotComplete as e:
        for name in p.report_files:
            _unlink(p.temp(out, name))
        for name in p.figure_files:
            _unlink(p.temp(figures, name))
        for name in p.attachment_files:
            _unlink(p.temp(out / ATTACHMENTS, name))
        remove(journal)
        say(f"the interrupted publication of run {p.run} cannot be completed: {e}; "
            "nothing of it had been published")
        return
    say(f"completed the publication of run {p.run}, which an earlier run left unfinished "
        f"({placed} file(s) put in place)")


def clear_leftovers(out: Path, figures: Path, say: Say) -> None:
    """Remove what interrupted runs left behind: staging folders in .work/ and temporary files
    of a publication (only the names this program gives them; a failed run's folder,
    .work/failed-*, is kept for inspection). Call it holding the lock."""
    work = out / ".work"
    left: list[Path] = []
    if _kind(work)[0] == "dir":
        left += [work / n for n in os.listdir(work)
                 if RUN_ID.match(n) or (n.startswith("replaced-") and RUN_ID.match(n[9:]))]
    for directory, allowed in ((out, lambda n: n in REPORT_FILES + ("latest",
                                                                  JOURNAL.lstrip("."))),
                               (figures, FIGURE_FILE.match),
                               (out / ATTACHMENTS, ATTACHMENT_FILE.match)):
        if _kind(directory)[0] != "dir":
            continue
        for n in os.listdir(directory):
            m = _TEMP.match(n)
            if m and allowed(m["name"]):
                left.append(directory / n)
    rid = current_run(out)
    if rid:  # the marker of a publication that stopped between its last two steps
        left += [out / "runs" / rid / n for n in os.listdir(out / "runs" / rid)
                 if n.startswith(".publishing-") and _TAG.match(n[12:])]
    for entry in sorted(left):
        say(f"removing {entry} left by an interrupted run")
        remove(entry)


def keep_failed(out: Path, staging: Path, rid: str) -> Path | None:
    """Keep a failed run's staging folder as .work/failed-<rid> (its executed notebooks, for
    inspection); returns where, or None if it could not be kept (it is removed then)."""
    target = out / ".work" / f"failed-{rid}"
    try:
        remove(target)
        if _kind(staging)[0] == "dir":
            _rename(staging, target)
            return target
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
    return None


def remove_failed(out: Path) -> None:
    """Remove the kept folders of failed runs (a run that published supersedes them)."""
    work = out / ".work"
    if _kind(work)[0] != "dir":
        return
    for n in os.listdir(work):
        if n.startswith("failed-") and RUN_ID.match(n[7:]):
            remove(work / n)


def prune(out: Path, keep: int, current: str, say: Say) -> None:
    """Keep the `keep` newest run folders in runs/ (by modification time, then name); never the
    current one or the one `latest` names. Only real folders named by a run id are touched."""
    runs = out / "runs"
    require_dir(runs, "the folder of archived runs")
    protected = {current, current_run(out)}
    folders = []
    for n in os.listdir(runs):
        kind, st = _kind(runs / n)
        if kind == "dir" and RUN_ID.match(n):
            folders.append((st.st_mtime, n))
    folders.sort()
    old = [n for _, n in folders if n not in protected][: max(0, len(folders) - keep)]
    for n in old:
        remove(runs / n)
    if old:
        say(f"pruned {len(old)} old run(s) from runs/ (keeping {keep})")
