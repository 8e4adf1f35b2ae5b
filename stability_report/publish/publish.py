"""Publishing a run into the output tree in one atomic step: every published path resolves through
`latest`, which one renameat2(RENAME_EXCHANGE) swaps from one complete run to the next. The file
operations it uses, none of which follows a symbolic link it did not make, are publish.safefs.

    <output>/runs/<as_of>_<hash>/  one folder per run: report.html, report.pdf, brief.html,
                                   brief.pdf, results.json, attachments/, figures/, notebooks/,
                                   run.json (the audit record)
    <output>/latest/               the published run: a real folder holding hard links to the
                                   files of runs/<run id> (regular files, so that git and a clone
                                   have them), swapped in whole
    <output>/report.html, report.pdf, brief.html, brief.pdf, results.json, attachments
                                   symbolic links into latest/ (`latest/report.html`, ...)
    the figures directory          a link to <output>/latest/figures (figures/ of the
                                   repository for the default output, else <output>/figures)
    <output>/.lock, .work/         the lock and staging

Publishing. The run's staging folder moves into runs/; a copy of it made of hard links is prepared
in .work/; then one exchange puts it at `latest` (the previous run's folder lands in .work/ and
is removed). The links at the usual places never change once made: they name `latest/...`, so a
reader of any published path sees, at every instant, one whole run or the other, never a mix. A
run killed at any moment leaves either the previous run published or the new one; what it left
in .work/ the next run removes. Where the file system cannot exchange two names, `latest` is
renamed aside and the new folder renamed in: a reader may then find nothing at all for an instant
(never a mix), and a kill in that instant is completed by the next run (publish.recover).

Earlier versions published regular copies at the usual places and a link `latest` -> runs/<id>;
the first publication replaces those by the links (each file replaced by one rename), with
`latest` still naming the run the copies came from.

Safety. The output tree may sit in a directory others can write to. Whatever the project creates,
truncates, renames over or deletes in it is checked with lstat and opened with O_NOFOLLOW; a
symbolic link other than the project's own (with the exact target it writes), a directory or a
device where the project expects its own file or folder is refused with a message
(errors.UnsafePath, exit 4), never followed. Deletion touches only what this module names: run
folders in runs/ whose names are run ids, folders in .work/, and published figures and
attachments of the earlier layout.
"""

from __future__ import annotations

import errno
import json
import os
import re
from pathlib import Path

from ..config import ATTACHMENT_NAME, ATTACHMENTS
from ..errors import UnsafePath
from .safefs import (
    copy_new,
    described,
    exchange,
    fsync_dir,
    kind_of,
    read_small,
    remove,
    require_dir,
    unlink,
)

RUN_ID = re.compile(r"^\d{4}-\d{2}-\d{2}_[0-9a-f]{10}$")
# What a file in the figures directory may be called to be published (no path, no leading dot).
FIGURE_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
REPORT_FILES = ("report.html", "report.pdf", "brief.html", "brief.pdf", "results.json")
ATTACHMENT_FILE = re.compile(f"^{ATTACHMENT_NAME.pattern}$")
LATEST = "latest"
# What a publication keeps in .work/ while it works: the folder that becomes `latest`, and the
# previous `latest` once swapped out (both removed by the next run if a kill leaves them).
NEXT = re.compile(r"^next-(?P<run>\d{4}-\d{2}-\d{2}_[0-9a-f]{10})$")
RETIRED = re.compile(r"^retired-\d{1,10}$")
# The earlier layout's leftovers (a publication journal and temporary copies), removed on sight.
JOURNAL = ".publishing.json"
TAG = re.compile(r"^\d{1,10}$")
TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.new-(?P<tag>\d{1,10})$")


def rename(src: Path, dst: Path) -> None:
    """Every rename of the publication: rename(2), atomic, replacing dst, following no link."""
    os.replace(src, dst)


def swap(src: Path, dst: Path) -> None:
    """Every exchange of the publication goes through here (renameat2 RENAME_EXCHANGE)."""
    exchange(src, dst)


# ---------------------------------------------------------------------------------------------
# the published run


def published_dir(out: Path) -> Path | None:
    """The folder of the published run: <output>/latest (or, in the earlier layout, the run
    folder its link `runs/<run id>` names); None when there is none."""
    latest = out / LATEST
    kind, _ = kind_of(latest)
    if kind == "dir":
        return latest
    if kind == "link":
        target = os.readlink(latest)
        rid = target[len("runs/") :] if target.startswith("runs/") else ""
        if RUN_ID.match(rid) and kind_of(out / "runs" / rid)[0] == "dir":
            return out / "runs" / rid
    return None


def manifest(folder: Path) -> dict | None:
    """run.json of a run folder, or None when it is not a run's (never followed)."""
    try:
        m = json.loads(read_small(folder / "run.json", "the run's run.json"))
    except (OSError, ValueError, UnsafePath):
        return None
    return m if isinstance(m, dict) and RUN_ID.match(str(m.get("run_id", ""))) else None


def current_run(out: Path) -> str | None:
    """The run id of the published run (from its run.json), or None."""
    folder = published_dir(out)
    m = manifest(folder) if folder else None
    return m["run_id"] if m else None


def published_manifest(out: Path) -> dict | None:
    """run.json of the published run, or None."""
    folder = published_dir(out)
    return manifest(folder) if folder else None


# ---------------------------------------------------------------------------------------------
# the links at the usual places


def links(out: Path, figures: Path) -> list[tuple[Path, str, str]]:
    """Each published path outside `latest`: (where, the link's exact target, what it is)."""
    into = os.path.relpath(
        os.path.abspath(out / LATEST / "figures"), os.path.abspath(figures.parent)
    )
    return [(out / n, f"{LATEST}/{n}", f"the published {n}") for n in REPORT_FILES] + [
        (out / ATTACHMENTS, f"{LATEST}/{ATTACHMENTS}", "the folder of the report's attachments"),
        (figures, into, "the figures directory"),
    ]


def link_state(path: Path, target: str, expected: str, earlier: str) -> str:
    """'ours' (the link this module makes), 'missing', or 'earlier' (a regular file, or a real
    folder when `earlier` is 'dir': the earlier layout's copy); anything else is refused."""
    kind, _ = kind_of(path)
    if kind == "missing":
        return "missing"
    if kind == "link" and os.readlink(path) == target:
        return "ours"
    if kind == earlier:
        return "earlier"
    raise UnsafePath(path, described(path, kind), expected + f" (a symbolic link to {target})")


def check_links(out: Path, figures: Path) -> list[tuple[Path, str, str]]:
    """The links that are not in place yet, with the earlier layout's kind of each; raises
    UnsafePath for anything at those places this module would not have made."""
    todo = []
    for path, target, what in links(out, figures):
        earlier = "file" if path.parent == out and path.name in REPORT_FILES else "dir"
        state = link_state(path, target, what, earlier)
        if state != "ours":
            todo.append((path, target, state))
    return todo


def _make_links(todo: list[tuple[Path, str, str]], tag: str, say) -> None:
    """Put each link in place: a new link renamed over a missing name or an earlier regular
    file; an earlier folder (figures, attachments) moved aside first and its files removed."""
    for path, target, state in todo:
        tmp = path.parent / f".{path.name}.new-{tag}"
        unlink(tmp)
        os.symlink(target, tmp)
        if state == "earlier" and kind_of(path)[0] == "dir":
            aside = path.parent / f".{path.name}.new-{tag}-earlier"
            try:
                swap(tmp, path)  # the link in, the folder out, in one step
                rename(tmp, aside)
            except OSError as e:
                if e.errno not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
                    raise
                rename(path, aside)  # for an instant, nothing there
                rename(tmp, path)
            remove_earlier_copies(aside, say)
        else:
            rename(tmp, path)
        fsync_dir(path.parent)


def remove_earlier_copies(folder: Path, say) -> None:
    """The earlier layout's figures or attachments folder, once a link replaced it: its files
    named like a figure or attachment go; anything else is left there, and said."""
    for n in os.listdir(folder):
        if kind_of(folder / n)[0] == "file" and (FIGURE_FILE.match(n) or ATTACHMENT_FILE.match(n)):
            unlink(folder / n)
    try:
        os.rmdir(folder)
    except OSError:
        say(f"{folder} holds files that are not the report's: left there, move them away")


# ---------------------------------------------------------------------------------------------
# publishing


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


def publish(out: Path, figures: Path, staging: Path, rid: str, say=lambda _: None) -> None:
    """Publish the run built in `staging` (<output>/.work/<rid>, holding report.html, maybe
    report.pdf, figures/, attachments/, notebooks/ and run.json) as run `rid`.

    Raises OSError or UnsafePath with nothing published (what it made is removed again, the
    staging folder is back where it was)."""
    _check_run(out, staging, rid)
    tag = str(os.getpid())
    todo = _preflight(out, figures, staging)
    archive, nxt = out / "runs" / rid, out / ".work" / f"next-{rid}"
    retired = out / ".work" / f"retired-{tag}"
    earlier = None
    try:
        remove(nxt)
        _link_copy(staging, nxt)  # what becomes `latest`: the run's own files, linked
        fsync_dir(out / ".work")
        _make_links(todo, tag, say)  # they name latest/, still the previous run
        earlier = _archive(staging, archive, out / ".work" / f"replaced-{rid}")
        _switch(out, nxt, retired)
    except BaseException:
        _remove_quietly(nxt, *(p.parent / f".{p.name}.new-{tag}" for p, _, _ in todo))
        if earlier is not None or kind_of(staging)[0] == "missing":
            try:
                _unarchive(staging, archive, earlier)
            except OSError:
                pass
        raise
    _remove_quietly(earlier, retired)  # the run folder it replaced; the previous `latest`


def _check_run(out: Path, staging: Path, rid: str) -> None:
    """The staging folder is the run's, with a report.html, and its figures and attachments
    are what a run makes (else ValueError, FileNotFoundError or UnsafePath)."""
    if not RUN_ID.match(rid) or staging != out / ".work" / rid:
        raise ValueError(f"not a staging folder of run {rid!r}: {staging}")
    run_figures(staging)
    run_attachments(staging)
    if kind_of(staging / "report.html")[0] != "file":
        raise FileNotFoundError(
            errno.ENOENT, "the run made no report.html", str(staging / "report.html")
        )


def _remove_quietly(*paths: Path | None) -> None:
    """Remove what a publication made and no longer needs; what cannot be removed now, the next
    run removes (publish.recover)."""
    for path in paths:
        try:
            if path is not None:
                remove(path)
        except OSError:
            pass


def _preflight(out: Path, figures: Path, staging: Path) -> list[tuple[Path, str, str]]:
    """Everything publishing will create, replace or remove is the project's kind of thing;
    returns the links still to make."""
    require_dir(out, "the output directory")
    require_dir(out / "runs", "the folder of archived runs", create=True)
    require_dir(out / ".work", "the staging folder")
    require_dir(staging, "the run's staging folder")
    if kind_of(figures.parent)[0] != "dir":
        require_dir(figures.parent, "the folder of the figures directory")
    archive = out / "runs" / staging.name
    if kind_of(archive)[0] != "missing":
        require_dir(archive, "the archived run " + staging.name)
    check_latest(out)
    return check_links(out, figures)


def check_latest(out: Path) -> None:
    """`latest` is missing or a published run's (a folder with its run.json, or the earlier
    layout's link to one); anything else is refused."""
    latest = out / LATEST
    kind, _ = kind_of(latest)
    if kind != "missing" and (published_dir(out) is None or published_manifest(out) is None):
        found = described(latest, kind) + (" without a run.json" if kind == "dir" else "")
        raise UnsafePath(latest, found, "the folder of the published run")


def _archive(staging: Path, archive: Path, aside: Path) -> Path | None:
    """Move the staging folder into runs/. An earlier folder of the same run id is swapped out
    (no moment without runs/<rid>) and returned, where it now is, to be removed once the run is
    published, or put back (_unarchive)."""
    if kind_of(archive)[0] == "missing":
        rename(staging, archive)
        fsync_dir(archive.parent)
        return None
    try:
        swap(staging, archive)
        earlier = staging
    except OSError as e:
        if e.errno not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
        remove(aside)
        rename(archive, aside)
        rename(staging, archive)
        earlier = aside
    fsync_dir(archive.parent)
    return earlier


def _unarchive(staging: Path, archive: Path, earlier: Path | None) -> None:
    """Take back _archive: the run's folder back to staging, an earlier one back in runs/."""
    if earlier is None:
        if kind_of(staging)[0] == "missing" and kind_of(archive)[0] == "dir":
            rename(archive, staging)
    elif earlier == staging:
        swap(staging, archive)
    else:
        rename(archive, staging)
        rename(earlier, archive)


def _link_copy(src: Path, dst: Path) -> None:
    """dst, a new folder with the tree of src: folders made, files hard-linked (copied where
    the file system has no hard links). Nothing in a run folder is ever written in place."""
    os.mkdir(dst)
    for dirpath, dirnames, filenames in os.walk(src):  # links are not followed
        rel = Path(dirpath).relative_to(src)
        for d in dirnames:
            if kind_of(Path(dirpath) / d)[0] == "dir":
                os.mkdir(dst / rel / d)
        for f in filenames:
            s, d = Path(dirpath) / f, dst / rel / f
            if kind_of(s)[0] != "file":
                continue
            try:
                os.link(s, d, follow_symlinks=False)
            except OSError as e:
                if e.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP):
                    raise
                copy_new(s, d)


def _switch(out: Path, nxt: Path, retired: Path) -> None:
    """The one step a reader can see: the prepared folder becomes `latest`."""
    latest = out / LATEST
    if kind_of(latest)[0] == "missing":
        rename(nxt, latest)
    else:  # the previous run's folder (or the earlier layout's link) is swapped out
        try:
            swap(nxt, latest)
        except OSError as e:
            if e.errno not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
                raise
            remove(retired)
            rename(latest, retired)  # from here until the next rename, no `latest` at all
            rename(nxt, latest)
        else:
            rename(nxt, retired)
    fsync_dir(out)
