"""Whether a rendered run says what the published report says, for an output that has a
published report but no archive of runs (a fresh clone: report/ is committed, report/runs/ is
not), where the inputs' hash has no published run to be compared with.

The run is compared with the published files on their content: report.html, brief.html,
results.json and the CSV attachments as text with the as-of date, the run id and the inputs hash
set aside (each side's own, read from its results.json) and without the run information (which
names the commit and the package versions); the figures byte for byte; and the same report files
on both sides (the PDFs are printed from the pages compared). It is only asked when the as-of date
changes nothing in the analysis (the published date and the new one have the same signature,
analysis.asof): then only the printed date can differ, and that is not a change of content.

A run found to have the published content publishes nothing; <output>/checked.json records its
inputs hash with the digests of the published files, so that the same inputs on the same
published files are known to be unchanged at once next time (`unchanged_at_once`).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from .. import config, formats
from ..analysis.asof import signature
from ..errors import UnsafePath
from ..publish import publish, safefs
from .inputs import Config

TEXT_FILES = ("report.html", "brief.html", "results.json")
# The run information closes report.html: the commit, the digests and the package versions.
RUN_INFO = re.compile(r'<section class="run-info" id="report-run-information".*?</section>', re.S)
_LIMIT = 1 << 28  # no published page is near 256 MB; a larger file is not compared


def _read(path: Path) -> bytes | None:
    """A published file's bytes, or None when it is not a regular file (never followed)."""
    try:
        return safefs.read_small(path, "a file of the published report", limit=_LIMIT)
    except (OSError, ValueError, UnsafePath):
        return None


def identity(results: bytes | None) -> dict[str, str] | None:
    """The as-of date, run id and inputs hash a results.json names, or None."""
    try:
        data = json.loads(results or b"")
        found = {
            "as_of": data["as_of"],
            "run_id": data["run"]["run_id"],
            "inputs_hash": data["run"]["inputs_hash"],
        }
    except (ValueError, KeyError, TypeError):
        return None
    if not all(isinstance(v, str) and v for v in found.values()):
        return None
    return found


def _masked(data: bytes, ident: dict[str, str]) -> bytes:
    """The text with its own run id, inputs hash and as-of date (as written in the data and as
    the pages print it) set aside, and without the run information."""
    text = data.decode("utf-8", errors="surrogateescape")
    shown = [(ident["run_id"], "\0run\0"), (ident["inputs_hash"], "\0hash\0")]
    try:
        shown.append((formats.long_date(ident["as_of"]), "\0date\0"))
    except ValueError:
        pass
    shown.append((ident["as_of"], "\0date\0"))
    for value, token in shown:
        text = text.replace(value, token)
    return RUN_INFO.sub("", text).encode("utf-8", errors="surrogateescape")


def _names(folder: Path, pattern: re.Pattern) -> set[str]:
    try:
        return {n for n in os.listdir(folder) if pattern.match(n) and not n.startswith(".")}
    except OSError:
        return set()


def published_as_of(cfg: Config, staging: Path) -> str | None:
    """The published report's as-of date when the run in `staging` has its content (see the
    module's comment), else None."""
    old = identity(_read(cfg.output / "results.json"))
    new = identity(_read(staging / "results.json"))
    if old is None or new is None:
        return None
    try:
        if signature(cfg.facts, old["as_of"]) != signature(cfg.facts, new["as_of"]):
            return None
    except (OSError, ValueError, KeyError):
        return None
    made = {n for n in publish.REPORT_FILES if os.path.isfile(staging / n)}
    kept = {n for n in publish.REPORT_FILES if _read(cfg.output / n) is not None}
    if made != kept:
        return None
    for name in sorted(made & set(TEXT_FILES)):
        if _masked(_read(cfg.output / name) or b"", old) != _masked(
            (staging / name).read_bytes(), new
        ):
            return None
    attachments = publish.ATTACHMENT_FILE
    made_csv = _names(staging / config.ATTACHMENTS, attachments)
    if made_csv != _names(cfg.output / config.ATTACHMENTS, attachments):
        return None
    for name in sorted(made_csv):
        old_csv = _read(cfg.output / config.ATTACHMENTS / name)
        new_csv = (staging / config.ATTACHMENTS / name).read_bytes()
        if old_csv is None or _masked(old_csv, old) != _masked(new_csv, new):
            return None
    figures = publish.FIGURE_FILE
    made_fig = _names(staging / "figures", figures)
    if made_fig != _names(cfg.figures, figures):
        return None
    for name in sorted(made_fig):
        if _read(cfg.figures / name) != (staging / "figures" / name).read_bytes():
            return None
    return old["as_of"]


def published_digests(cfg: Config) -> dict[str, str]:
    """The SHA-256 of every published file the comparison reads: the report files, the
    attachments and the figures (what `unchanged_at_once` finds again)."""
    found = {}
    for folder, label, pattern in (
        (cfg.output, "", None),
        (cfg.output / config.ATTACHMENTS, f"{config.ATTACHMENTS}/", publish.ATTACHMENT_FILE),
        (cfg.figures, "figures/", publish.FIGURE_FILE),
    ):
        names = publish.REPORT_FILES if pattern is None else sorted(_names(folder, pattern))
        for name in names:
            try:
                found[label + name] = safefs.sha256_nofollow(folder / name)
            except (OSError, UnsafePath):
                continue
    return found


def record(cfg: Config, digest: str) -> dict[str, Any]:
    """What checked.json keeps of a run found to have the published content."""
    return {"same_content": {"inputs_hash": digest, "published": published_digests(cfg)}}


def unchanged_at_once(cfg: Config, digest: str) -> str | None:
    """The published as-of date when checked.json says that a run with these inputs rendered
    the published content and the published files are still those it compared, else None."""
    from .output import CHECKED

    try:
        data = json.loads(_read(cfg.output / CHECKED) or b"")
        same = data["same_content"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(same, dict) or same.get("inputs_hash") != digest:
        return None
    if same.get("published") != published_digests(cfg):
        return None
    old = identity(_read(cfg.output / "results.json"))
    return old["as_of"] if old else None
