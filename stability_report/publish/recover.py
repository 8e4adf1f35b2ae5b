"""What earlier runs left: a publication cut short between the two renames of its fallback
(publish.publish) is completed, leftovers of interrupted runs are removed, a failed run's folder
is kept for inspection, and old runs are pruned. Deletion touches only names this program gives."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from ..config import ATTACHMENTS
from . import publish
from .publish import (
    ATTACHMENT_FILE,
    FIGURE_FILE,
    JOURNAL,
    NEXT,
    REPORT_FILES,
    RETIRED,
    RUN_ID,
    TAG,
    TEMP_NAME,
    current_run,
)
from .safefs import fsync_dir, kind_of, remove, require_dir

Say = Callable[[str], None]


def recover(out: Path, figures: Path, say: Say) -> None:
    """Before anything else in a run (under the lock): complete a publication a kill left
    without `latest`, then remove the leftovers of interrupted runs."""
    complete(out, say)
    clear_leftovers(out, figures, say)


def complete(out: Path, say: Say) -> None:
    """A kill between the two renames of the fallback left no `latest`: the prepared folder
    becomes it."""
    if kind_of(out / publish.LATEST)[0] != "missing" or kind_of(out / ".work")[0] != "dir":
        return
    ready = sorted(n for n in os.listdir(out / ".work") if NEXT.match(n))
    for n in ready[-1:]:
        if publish.manifest(out / ".work" / n):
            publish.rename(out / ".work" / n, out / publish.LATEST)
            fsync_dir(out)
            say(f"completed the publication of run {NEXT.match(n)['run']}, cut short by a kill")


def clear_leftovers(out: Path, figures: Path, say: Say) -> None:
    """Remove what interrupted runs left behind: staging folders in .work/, the folders of a
    publication, temporary links, and the earlier layout's journal and temporary copies (only the
    names this program gives them; a failed run's folder, .work/failed-*, is kept for
    inspection). Call it holding the lock."""
    work = out / ".work"
    left: list[Path] = []
    if kind_of(work)[0] == "dir":
        left += [
            work / n
            for n in os.listdir(work)
            if RUN_ID.match(n)
            or NEXT.match(n)
            or RETIRED.match(n)
            or (n.startswith("replaced-") and RUN_ID.match(n[9:]))
        ]
    names = REPORT_FILES + (publish.LATEST, ATTACHMENTS, JOURNAL.lstrip("."), figures.name)
    for directory, allowed in (
        (out, lambda n: n in names),
        (figures.parent, lambda n: n == figures.name),
        (figures, FIGURE_FILE.match),
        (out / ATTACHMENTS, ATTACHMENT_FILE.match),
    ):
        if kind_of(directory)[0] != "dir":
            continue
        for n in os.listdir(directory):
            m = TEMP_NAME.match(n.removesuffix("-earlier"))
            if m and allowed(m["name"]):
                left.append(directory / n)
    if kind_of(out / JOURNAL)[0] != "missing":  # the earlier layout's publication journal
        left.append(out / JOURNAL)
    folder = publish.published_dir(out)
    if folder:  # the earlier layout's marker of a publication in progress
        left += [
            folder / n
            for n in os.listdir(folder)
            if n.startswith(".publishing-") and TAG.match(n[12:])
        ]
    for entry in sorted(set(left)):
        say(f"removing {entry} left by an interrupted run")
        if entry.name.endswith("-earlier") and kind_of(entry)[0] == "dir":
            publish.remove_earlier_copies(entry, say)
        else:
            remove(entry)


def keep_failed(out: Path, staging: Path, rid: str) -> Path | None:
    """Keep a failed run's staging folder as .work/failed-<rid> (its executed notebooks, for
    inspection); returns where, or None if it could not be kept (it is removed then)."""
    target = out / ".work" / f"failed-{rid}"
    try:
        remove(target)
        if kind_of(staging)[0] == "dir":
            publish.rename(staging, target)
            return target
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
    return None


def remove_failed(out: Path) -> None:
    """Remove the kept folders of failed runs (a run that published supersedes them)."""
    work = out / ".work"
    if kind_of(work)[0] != "dir":
        return
    for n in os.listdir(work):
        if n.startswith("failed-") and RUN_ID.match(n[7:]):
            remove(work / n)


def prune(out: Path, keep: int, current: str, say: Say) -> None:
    """Keep the `keep` newest run folders in runs/ (by modification time, then name); never the
    current one or the published one. Only real folders named by a run id are touched."""
    runs = out / "runs"
    require_dir(runs, "the folder of archived runs")
    protected = {current, current_run(out)}
    folders = []
    for n in os.listdir(runs):
        kind, st = kind_of(runs / n)
        if kind == "dir" and RUN_ID.match(n):
            folders.append((st.st_mtime, n))
    folders.sort()
    old = [n for _, n in folders if n not in protected][: max(0, len(folders) - keep)]
    for n in old:
        remove(runs / n)
    if old:
        say(f"pruned {len(old)} old run(s) from runs/ (keeping {keep})")
