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
    same = (
        _same_signature(cfg, old["as_of"], new["as_of"])
        and _same_pages(cfg.output, staging, old, new)
        and _same_attachments(
            cfg.output / config.ATTACHMENTS, staging / config.ATTACHMENTS, old, new
        )
        and _same_figures(cfg.figures, staging / "figures")
    )
    return old["as_of"] if same else None


def _same_signature(cfg: Config, old: str, new: str) -> bool:
    """The two as-of dates change the analysis alike (analysis.asof)."""
    try:
        return signature(cfg.facts, old) == signature(cfg.facts, new)
    except (OSError, ValueError, KeyError):
        return False


def _same_pages(out: Path, staging: Path, old: dict, new: dict) -> bool:
    """The same report files on both sides, the text ones the same but for each side's own
    date, run id, hash and run information."""
    made = {n for n in publish.REPORT_FILES if os.path.isfile(staging / n)}
    kept = {n for n in publish.REPORT_FILES if _read(out / n) is not None}
    return made == kept and all(
        _masked(_read(out / name) or b"", old) == _masked((staging / name).read_bytes(), new)
        for name in sorted(made & set(TEXT_FILES))
    )


def _same_attachments(published: Path, made: Path, old: dict, new: dict) -> bool:
    """The same CSV attachments, each the same but for each side's own date, run id and hash."""
    names = _names(made, publish.ATTACHMENT_FILE)
    if names != _names(published, publish.ATTACHMENT_FILE):
        return False
    for name in sorted(names):
        old_csv = _read(published / name)
        if old_csv is None or _masked(old_csv, old) != _masked((made / name).read_bytes(), new):
            return False
    return True


def _same_figures(published: Path, made: Path) -> bool:
    """The same figures, byte for byte."""
    names = _names(made, publish.FIGURE_FILE)
    return names == _names(published, publish.FIGURE_FILE) and all(
        _read(published / name) == (made / name).read_bytes() for name in sorted(names)
    )


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
