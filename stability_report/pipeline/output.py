"""The output tree as a run sees it: checked before anything else, an interrupted publication
completed, the run's staging folder made, the published run compared with this one's inputs,
and the run published with its run.json (publish.publish does the file work; an error of the
file system becomes the run's OutputError here, and UnsafePath is one already)."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
from pathlib import Path

from .. import config
from ..errors import OutputError, UnsafePath
from ..publish import publish, safefs
from ..publish.recover import recover as recover_tree
from .inputs import RUN_FORMAT, Config, sha256_file
from .progress import Progress
from .signals import signals_deferred


def up_to_date(cfg: Config, digest: str) -> bool:
    """The published run has this inputs hash, its files are intact and every published path
    is the link into it."""
    folder = publish.published_dir(cfg.output)
    m = publish.published_manifest(cfg.output)
    if not folder or not m or m.get("inputs_hash") != digest or not m.get("complete"):
        return False
    if not _names_ok(m):  # a run.json this program did not write
        return False
    try:
        return not publish.check_links(cfg.output, cfg.figures) and _intact(folder, m)
    except (OSError, UnsafePath):
        return False


def _names_ok(m: dict) -> bool:
    """Every file a run.json lists as published is named as this program names them."""
    return (
        set(m.get("published", {})) <= set(publish.REPORT_FILES)
        and all(isinstance(n, str) and publish.FIGURE_FILE.match(n) for n in m.get("figures", {}))
        and all(
            isinstance(n, str) and publish.ATTACHMENT_FILE.match(n)
            for n in m.get("attachments", {})
        )
    )


def _intact(folder: Path, m: dict) -> bool:
    """Every published file of the run in `folder` has the SHA-256 its run.json records."""
    for sub, key in (
        ("", "published"),
        ("figures", "figures"),
        (config.ATTACHMENTS, "attachments"),
    ):
        for name, sha in m.get(key, {}).items():
            if safefs.sha256_nofollow(folder / sub / name) != sha:
                return False
    return True


CHECKED = "checked.json"  # the record of the last run that found nothing to render


def record_check(cfg: Config, say, reported: str | None = None, extra: dict | None = None) -> str:
    """The run found the published report up to date: write <output>/checked.json (the as-of
    date checked, and the published run's id and as-of date) and return that as-of date.
    Without an archive of runs (pipeline.unchanged) the caller gives the published as-of date and
    what else the record keeps (`extra`).

    The record stands outside the published run: it is one small file, replaced by a
    rename (a reader sees the old record or the new one), describing the report rather than being
    part of it; nothing reads it back. It is never followed if it is a symbolic link, and a
    record that cannot be written is said, not fatal: the report itself is up to date."""
    m = publish.published_manifest(cfg.output) or {}
    reported = reported or str(m.get("as_of", "unknown"))
    record = {
        "checked_as_of": cfg.as_of,
        "report_as_of": reported,
        "run_id": m.get("run_id"),
        "inputs_hash": m.get("inputs_hash"),
        **(extra or {}),
    }
    path, tmp = cfg.output / CHECKED, cfg.output / f".{CHECKED}.new"
    try:
        safefs.require_file_slot(path, f"the record of the last check ({CHECKED})")
        if os.path.lexists(tmp):  # left by a check that was killed: ours (the lock is held)
            safefs.require_file_slot(tmp, "a temporary file of the check")
            safefs.unlink(tmp)
        data = json.dumps(record, indent=2, sort_keys=True) + "\n"
        safefs.write_new(tmp, data.encode())
        os.rename(tmp, path)
        safefs.fsync_dir(cfg.output)
    except (OSError, UnsafePath) as e:
        say(f"the check was not recorded in {CHECKED}: {e}")
        try:
            if safefs.kind_of(tmp)[0] == "file":
                safefs.unlink(tmp)
        except OSError:
            pass
    return reported


def check_output_tree(cfg: Config) -> None:
    """The output directory, the figures directory and what the project keeps in them are its
    own: real directories, and at the published paths the links it makes (or the earlier
    layout's copies); never someone else's symbolic link (UnsafePath, an OutputError)."""
    try:
        safefs.require_dir(cfg.output, "the output directory")
        for name, what in (
            (".work", "the staging folder"),
            ("runs", "the folder of archived runs"),
        ):
            if os.path.lexists(cfg.output / name):
                safefs.require_dir(cfg.output / name, what)
        publish.check_latest(cfg.output)
        publish.check_links(cfg.output, cfg.figures)
    except OSError as e:
        raise OutputError.from_os(e, f"the output directory {cfg.output}") from None


def recover(cfg: Config, progress: Progress) -> None:
    """Complete a publication a kill cut short, and remove what interrupted runs left behind;
    holding the lock, before anything else is looked at."""
    try:
        recover_tree(cfg.output, cfg.figures, progress.say)
    except OSError as e:
        raise OutputError.from_os(e, f"the interrupted publication in {cfg.output}") from None


def make_staging(cfg: Config, rid: str) -> Path:
    """A fresh <output>/.work/<rid>/ with notebooks/, figures/ and attachments/ (.work/ private
    to the user
    that runs the report: nobody else can put anything in the way inside it)."""
    staging = cfg.output / ".work" / rid
    try:
        safefs.require_dir(cfg.output / ".work", "the staging folder", create=True, mode=0o700)
        safefs.remove(staging)
        safefs.require_dir(staging, "the run's staging folder", create=True)
        for d in ("notebooks", "figures", config.ATTACHMENTS):
            safefs.require_dir(staging / d, "a folder of the run", create=True)
    except OSError as e:
        raise OutputError.from_os(e, f"the staging directory {staging}") from None
    return staging


@contextlib.contextmanager
def tidy_work(cfg: Config):
    """Around a run: its staging folder .work/ goes at the end when nothing is left in it (a
    failed run's folder kept for inspection keeps it)."""
    try:
        yield
    finally:
        try:
            if safefs.kind_of(cfg.output / ".work")[0] == "dir":
                os.rmdir(cfg.output / ".work")
        except OSError:
            pass  # not empty, or gone


def check_temporary_directory() -> None:
    """The temporary directory (TMPDIR, or what Python falls back to) can be written: Chromium
    and the kernel's libraries keep files there, and a failure there is not theirs."""
    import tempfile

    where = config.tmpdir()
    try:
        fd, name = tempfile.mkstemp(prefix="stability-report-check-", dir=where)
        os.close(fd)
        os.unlink(name)
    except OSError as e:
        shown = f"TMPDIR={where}" if where else "the temporary directory"
        reason = {
            errno.ENOSPC: "the disk is full",
            errno.EROFS: "the file system is read-only",
            errno.ENOENT: "it does not exist",
            errno.ENOTDIR: "it is not a directory",
        }.get(e.errno, e.strerror or str(e))
        raise OutputError(
            f"cannot write {shown}: {reason}; set TMPDIR to a writable directory (nothing was run)"
        ) from None


def publish_run(
    cfg: Config,
    staging: Path,
    rid: str,
    info: dict,
    files: dict[str, str],
    complete: bool,
    say=lambda _: None,
) -> None:
    """Write run.json and publish the run (publish.publish), signals held meanwhile."""
    try:
        write_manifest(staging, info, files, complete)
        os.makedirs(cfg.figures.parent, exist_ok=True)
        with signals_deferred():
            publish.publish(cfg.output, cfg.figures, staging, rid, say)
    except UnsafePath:  # an OutputError already
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except OSError as e:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError.from_os(e, f"the published report in {cfg.output}") from None


def write_manifest(staging: Path, info: dict, files: dict[str, str], complete: bool) -> dict:
    outputs = {}
    (staging / "kernel.log").unlink(missing_ok=True)
    for dirpath, dirnames, filenames in os.walk(staging):  # links are not followed
        dirnames.sort()
        for name in sorted(filenames):
            p = Path(dirpath) / name
            if not os.path.islink(p) and p.is_file():
                outputs[p.relative_to(staging).as_posix()] = sha256_file(p)
    outputs = dict(sorted(outputs.items()))
    published = {n: outputs[n] for n in publish.REPORT_FILES if n in outputs}
    manifest = {
        "format": RUN_FORMAT,
        **info,
        "complete": complete,
        "inputs": files,
        "outputs": outputs,
        "published": published,
        "figures": {name: outputs[f"figures/{name}"] for name in publish.run_figures(staging)},
        "attachments": {
            name: outputs[f"{config.ATTACHMENTS}/{name}"]
            for name in publish.run_attachments(staging)
        },
    }
    safefs.write_new(
        staging / "run.json", (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    )
    return manifest
