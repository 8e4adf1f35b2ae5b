"""Publishing a run into the output tree, through a journal and one atomic switch; carrying a
journaled publication through (build.recover finds it). The file operations it uses, none of
which follows a symbolic link, are build.safefs.

    <output>/runs/<as_of>_<hash>/  one folder per run: report.html, report.pdf, brief.html,
                                   brief.pdf, results.json, attachments/, figures/, notebooks/,
                                   run.json (the audit record)
    <output>/latest                the published run: a symbolic link `runs/<run id>` (a file
                                   holding the run id where links cannot be made)
    <output>/report.html, report.pdf, brief.html, brief.pdf, results.json, attachments/ (the
                                   CSV files the report links to) and the figures directory
                                   (figures/ at the top of the repository for the default
                                   output, else <output>/figures):
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
from dataclasses import dataclass
from pathlib import Path

from ..config import ATTACHMENT_NAME, ATTACHMENTS
from .safefs import (
    UnsafePath,
    copy_new,
    described,
    exchange,
    fsync_dir,
    kind_of,
    read_small,
    remove,
    require_dir,
    require_file_slot,
    unlink,
    write_new,
)

RUN_ID = re.compile(r"^\d{4}-\d{2}-\d{2}_[0-9a-f]{10}$")
# What a file in the figures directory may be called to be published (no path, no leading dot).
FIGURE_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
REPORT_FILES = ("report.html", "report.pdf", "brief.html", "brief.pdf", "results.json")
ATTACHMENT_FILE = re.compile(f"^{ATTACHMENT_NAME.pattern}$")
JOURNAL = ".publishing.json"
JOURNAL_FORMAT = 2  # 2 added the attachments (a format-1 journal reads with none)
TAG = re.compile(r"^\d{1,10}$")
TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.new-(?P<tag>\d{1,10})$")


class PartlyPublished(Exception):
    """Publishing stopped after `latest` switched (what is and is not in place is in the
    message; the next run completes it), or the journal of a failed publication could not be
    removed."""


class CannotComplete(Exception):
    """A publication that was cut short cannot be rolled forward."""


# ---------------------------------------------------------------------------------------------
# file operations that do not follow symbolic links


def rename(src: Path, dst: Path) -> None:
    """Every rename of the publication goes through here (rename(2): atomic, replaces dst, and
    never follows a link at either name)."""
    os.replace(src, dst)


# ---------------------------------------------------------------------------------------------
# the published run


def current_run(out: Path) -> str | None:
    """The run id `latest` names, if it names a run folder that exists, else None. Only the
    forms this module writes are read: a link `runs/<run id>` or a file holding the run id."""
    latest = out / "latest"
    kind, _ = kind_of(latest)
    try:
        if kind == "link":
            target = os.readlink(latest)
            rid = target[len("runs/") :] if target.startswith("runs/") else ""
        elif kind == "file":
            rid = read_small(latest, "the pointer to the published run", 64).decode().strip()
        else:
            return None
    except (OSError, UnicodeDecodeError, ValueError, UnsafePath):
        return None
    if (
        not RUN_ID.match(rid)
        or kind_of(out / "runs")[0] != "dir"
        or kind_of(out / "runs" / rid)[0] != "dir"
    ):
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
    unlink(tmp)
    try:
        os.symlink(f"runs/{rid}", tmp)
    except OSError as e:  # a file system without symbolic links: a pointer file
        if e.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL):
            raise
        write_new(tmp, f"{rid}\n".encode())
    rename(tmp, out / "latest")


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
        return (
            json.dumps({"format": JOURNAL_FORMAT, **self.__dict__}, indent=1, sort_keys=True) + "\n"
        ).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Publication:
        """The journal's record, checked: names are names, the run id is a run id."""
        d = json.loads(data)
        if not isinstance(d, dict) or d.get("format") not in (1, JOURNAL_FORMAT):
            raise ValueError("not a journal of this format")
        p = cls(
            run=d["run"],
            tag=d["tag"],
            figures_dir=d["figures_dir"],
            **{
                k: tuple(d[k])
                for k in (
                    "report_files",
                    "figure_files",
                    "remove_report_files",
                    "remove_figure_files",
                )
            },
            **{k: tuple(d.get(k, ())) for k in ("attachment_files", "remove_attachment_files")},
        )
        names_ok = (
            (set(p.report_files) | set(p.remove_report_files)) <= set(REPORT_FILES)
            and all(
                isinstance(n, str) and FIGURE_FILE.match(n)
                for n in p.figure_files + p.remove_figure_files
            )
            and all(
                isinstance(n, str) and ATTACHMENT_FILE.match(n)
                for n in p.attachment_files + p.remove_attachment_files
            )
        )
        if not (
            RUN_ID.match(p.run) and TAG.match(p.tag) and isinstance(p.figures_dir, str) and names_ok
        ):
            raise ValueError("a journal entry that this program would not have written")
        return p

    def temp(self, directory: Path, name: str) -> Path:
        return directory / f".{name}.new-{self.tag}"


def _run_files(folder: Path, pattern, what: str, bad_name: str, expected: str) -> list[str]:
    """The regular files directly in one folder of a run, each named as `pattern` allows;
    anything else there (a link, a folder, another name) is refused."""
    if kind_of(folder)[0] == "missing":
        return []
    require_dir(folder, what)
    names = []
    for entry in sorted(os.listdir(folder)):
        kind, _ = kind_of(folder / entry)
        if kind != "file" or not pattern.match(entry):
            raise UnsafePath(
                folder / entry,
                described(folder / entry, kind) if kind != "file" else bad_name,
                expected,
            )
        names.append(entry)
    return names


def run_figures(staging: Path) -> list[str]:
    """The figure files of a run: the regular files directly in its figures/ folder."""
    return _run_files(
        staging / "figures",
        FIGURE_FILE,
        "the run's figures folder",
        "a file whose name is not a plain file name",
        "a figure (a regular file named like name.svg)",
    )


def run_attachments(staging: Path) -> list[str]:
    """The CSV attachments of a run: the regular files in its attachments/ folder, each named
    like name.csv."""
    return _run_files(
        staging / ATTACHMENTS,
        ATTACHMENT_FILE,
        "the run's attachments folder",
        "a file whose name is not name.csv",
        "an attachment (a regular file named like name.csv)",
    )


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
    old_figures = [
        n
        for n in (previous or {}).get("figures", {})
        if isinstance(n, str) and FIGURE_FILE.match(n)
    ]
    new_attachments = run_attachments(staging)
    old_attachments = [
        n
        for n in (previous or {}).get("attachments", {})
        if isinstance(n, str) and ATTACHMENT_FILE.match(n)
    ]
    report_files = tuple(n for n in REPORT_FILES if kind_of(staging / n)[0] == "file")
    if "report.html" not in report_files:
        raise FileNotFoundError(
            errno.ENOENT, "the run made no report.html", str(staging / "report.html")
        )
    p = Publication(
        run=rid,
        tag=str(os.getpid()),
        figures_dir=str(figures.resolve()),
        report_files=report_files,
        figure_files=tuple(new_figures),
        remove_report_files=tuple(n for n in REPORT_FILES if n not in report_files),
        remove_figure_files=tuple(sorted(set(old_figures) - set(new_figures))),
        attachment_files=tuple(new_attachments),
        remove_attachment_files=tuple(sorted(set(old_attachments) - set(new_attachments))),
    )

    _preflight(out, figures, staging, p)
    archive = out / "runs" / rid
    archived_before = kind_of(archive)[0] == "dir"
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
    if kind_of(archive)[0] != "missing":
        require_dir(archive, "the archived run " + p.run)
    kind, _ = kind_of(out / "latest")
    if kind not in ("missing", "link", "file"):
        raise UnsafePath(
            out / "latest", described(out / "latest", kind), "the pointer to the published run"
        )
    for name in p.report_files + p.remove_report_files:
        require_file_slot(out / name, f"the published {name}")
    for name in p.figure_files + p.remove_figure_files:
        require_file_slot(figures / name, f"the published figure {name}")
    if p.attachment_files or p.remove_attachment_files:
        require_dir(out / ATTACHMENTS, "the folder of the report's attachments", create=True)
    for name in p.attachment_files + p.remove_attachment_files:
        require_file_slot(out / ATTACHMENTS / name, f"the published attachment {name}")
    for path in (
        [p.temp(out, n) for n in p.report_files]
        + [p.temp(figures, n) for n in p.figure_files]
        + [p.temp(out / ATTACHMENTS, n) for n in p.attachment_files]
        + [out / JOURNAL, out / f"{JOURNAL}.new-{p.tag}", staging / p.marker]
    ):
        require_file_slot(path, "a file of this program")
        unlink(path)  # a temporary file of a dead run that had this pid


def _write_journal(out: Path, p: Publication) -> None:
    tmp = out / f"{JOURNAL}.new-{p.tag}"
    write_new(tmp, p.to_json())
    rename(tmp, out / JOURNAL)
    fsync_dir(out)


def _undo(
    out: Path, figures: Path, p: Publication, archived_before: bool, error: BaseException
) -> None:
    """Take back a publication that failed before `latest` switched: nothing of it is visible
    at the usual places, and the journal goes first so that no later run completes it."""
    archive, staging = out / "runs" / p.run, out / ".work" / p.run
    try:
        unlink(out / JOURNAL)
        fsync_dir(out)
    except OSError as e:
        raise PartlyPublished(
            f"publishing run {p.run} failed before anything was published "
            f"({getattr(error, 'strerror', None) or error}), and its journal {out / JOURNAL} "
            f"could not be removed ({e.strerror}): the next run will complete the publication"
        ) from None
    try:
        if (
            kind_of(archive / p.marker)[0] == "file"
            and not archived_before
            and kind_of(staging)[0] == "missing"
        ):
            rename(archive, staging)
        for path in (
            archive / p.marker,
            staging / p.marker,
            out / f"{JOURNAL}.new-{p.tag}",
            out / f".latest.new-{p.tag}",
            *(p.temp(out, n) for n in p.report_files),
            *(p.temp(figures, n) for n in p.figure_files),
            *(p.temp(out / ATTACHMENTS, n) for n in p.attachment_files),
        ):
            unlink(path)
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
    pending = (
        [(figures, n, f"figure {n}") for n in p.figure_files]
        + [(out / ATTACHMENTS, n, f"{ATTACHMENTS}/{n}") for n in p.attachment_files]
        + [(out, n, n) for n in p.report_files[::-1]]
    )
    placed = 0
    try:
        for directory, name, _ in pending:
            tmp = p.temp(directory, name)
            if kind_of(tmp)[0] == "file":
                rename(tmp, directory / name)
                placed += 1
        for name in p.remove_report_files:
            if kind_of(out / name)[0] == "file":
                unlink(out / name)
        for name in p.remove_figure_files:
            if name not in p.figure_files and kind_of(figures / name)[0] == "file":
                unlink(figures / name)
        for name in p.remove_attachment_files:
            if name not in p.attachment_files and kind_of(out / ATTACHMENTS / name)[0] == "file":
                unlink(out / ATTACHMENTS / name)
        if p.attachment_files or p.remove_attachment_files:
            fsync_dir(out / ATTACHMENTS)
        fsync_dir(figures)
        fsync_dir(out)
        unlink(out / JOURNAL)
        fsync_dir(out)
        unlink(out / "runs" / p.run / p.marker)
    except OSError as e:
        left = [
            label for directory, n, label in pending if kind_of(p.temp(directory, n))[0] == "file"
        ]
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
    still = (
        ("still the previous run's: " + ", ".join(left))
        if left
        else "all of them are in place, but the journal could not be removed"
    )
    return (
        f"publishing run {p.run} stopped after {out / 'latest'} switched to it: "
        f"{total - len(left)} of {total} published files are this run's, {still} "
        f"({why}{where}); the next run completes the publication (journal: "
        f"{out / JOURNAL})"
    )


def _archive(out: Path, archive: Path, p: Publication) -> None:
    """Move the staging folder into runs/ (replacing an earlier folder of the same run id)."""
    staging = out / ".work" / p.run
    if kind_of(archive / p.marker)[0] == "file":
        if kind_of(staging)[0] == "dir" and kind_of(staging / p.marker)[0] == "missing":
            remove(staging)  # the earlier folder it replaced
        return
    if kind_of(staging / p.marker)[0] != "file":
        raise CannotComplete(f"its run folder ({staging}) is gone")
    if kind_of(archive)[0] == "missing":
        rename(staging, archive)
    else:
        require_dir(archive, "the archived run " + p.run)
        try:
            exchange(staging, archive)  # no moment without runs/<rid>
        except OSError as e:
            if e.errno not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
                raise
            aside = out / ".work" / f"replaced-{p.run}"
            remove(aside)
            rename(archive, aside)
            rename(staging, archive)
            staging = aside
        remove(staging)
    fsync_dir(out / "runs")
