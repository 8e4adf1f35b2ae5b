"""What earlier runs left: a publication a killed run left half done is completed before
anything else (build.publish), leftovers of interrupted runs are removed, a failed run's folder is
kept for inspection, and old runs are pruned. Deletion touches only names this program gives."""

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
    REPORT_FILES,
    RUN_ID,
    TAG,
    TEMP_NAME,
    CannotComplete,
    Publication,
    current_run,
)
from .safefs import kind_of, read_small, remove, require_dir, unlink

Say = Callable[[str], None]


def recover(out: Path, figures: Path, say: Say) -> None:
    """Before anything else in a run (under the lock): finish a publication a killed run left
    half done, then remove the leftovers of interrupted runs."""
    journal = out / JOURNAL
    if kind_of(journal)[0] != "missing":
        _roll_forward(out, figures, journal, say)
    clear_leftovers(out, figures, say)


def _roll_forward(out: Path, figures: Path, journal: Path, say: Say) -> None:
    try:
        p = Publication.from_json(read_small(journal, "the publication journal"))
    except (ValueError, KeyError, TypeError) as e:
        say(f"removing {journal}: not a journal this program wrote ({e}); nothing was done from it")
        remove(journal)
        return
    if Path(p.figures_dir) != figures.resolve():
        say(
            f"the interrupted publication of run {p.run} published figures into "
            f"{p.figures_dir}, not {figures}: its figures there are left as they are"
        )
        p = Publication(
            p.run,
            p.tag,
            p.figures_dir,
            p.report_files,
            (),
            p.remove_report_files,
            (),
            p.attachment_files,
            p.remove_attachment_files,
        )
    try:
        placed = publish.complete(out, figures, p)
    except CannotComplete as e:
        for name in p.report_files:
            unlink(p.temp(out, name))
        for name in p.figure_files:
            unlink(p.temp(figures, name))
        for name in p.attachment_files:
            unlink(p.temp(out / ATTACHMENTS, name))
        remove(journal)
        say(
            f"the interrupted publication of run {p.run} cannot be completed: {e}; "
            "nothing of it had been published"
        )
        return
    say(
        f"completed the publication of run {p.run}, which an earlier run left unfinished "
        f"({placed} file(s) put in place)"
    )


def clear_leftovers(out: Path, figures: Path, say: Say) -> None:
    """Remove what interrupted runs left behind: staging folders in .work/ and temporary files
    of a publication (only the names this program gives them; a failed run's folder,
    .work/failed-*, is kept for inspection). Call it holding the lock."""
    work = out / ".work"
    left: list[Path] = []
    if kind_of(work)[0] == "dir":
        left += [
            work / n
            for n in os.listdir(work)
            if RUN_ID.match(n) or (n.startswith("replaced-") and RUN_ID.match(n[9:]))
        ]
    for directory, allowed in (
        (out, lambda n: n in REPORT_FILES + ("latest", JOURNAL.lstrip("."))),
        (figures, FIGURE_FILE.match),
        (out / ATTACHMENTS, ATTACHMENT_FILE.match),
    ):
        if kind_of(directory)[0] != "dir":
            continue
        for n in os.listdir(directory):
            m = TEMP_NAME.match(n)
            if m and allowed(m["name"]):
                left.append(directory / n)
    rid = current_run(out)
    if rid:  # the marker of a publication that stopped between its last two steps
        left += [
            out / "runs" / rid / n
            for n in os.listdir(out / "runs" / rid)
            if n.startswith(".publishing-") and TAG.match(n[12:])
        ]
    for entry in sorted(left):
        say(f"removing {entry} left by an interrupted run")
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
    current one or the one `latest` names. Only real folders named by a run id are touched."""
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
