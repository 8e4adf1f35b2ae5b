"""What a run is made from: its configuration (Config, resolved by the command line), the
notebooks, every input file and one hash of them all (the run id is the as-of date and that
hash), and the commit and package versions it records.

The as-of date enters the hash only through what it changes in the analysis, its signature
(stability_report.analysis.asof): a run as of another date with the same signature and the same
other inputs has the published run's hash, and renders nothing."""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import config
from ..analysis.asof import signature

RUN_FORMAT = 1  # bump when what a run contains or how it is laid out changes


NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"


@dataclass(frozen=True)
class Config:
    """Everything one run needs, resolved and validated by the command line."""

    params: dict[str, Any]
    output: Path = config.REPORT
    figures: Path = config.FIGURES
    notebooks: Path = config.NOTEBOOKS
    facts: Path = field(default_factory=config.facts_dir)
    raw: Path = field(default_factory=config.raw_dir)
    show_code: bool = False
    pdf: bool = True
    force: bool = False
    chromium: str | None = None
    timeout: int = 600
    print_timeout: int = 60
    keep_runs: int = 0

    @property
    def as_of(self) -> str:
        return str(self.params["as_of"])

    def options(self) -> dict[str, Any]:
        return {"show_code": self.show_code, "pdf": self.pdf}


def default_figures_dir(output: Path) -> Path:
    """figures/ at the repository root for the default output, else <output>/figures."""
    if output.resolve() == config.REPORT.resolve():
        return config.FIGURES
    return output / "figures"


def discover_notebooks(directory: Path) -> list[Path]:
    """The report's notebooks in reading order: NN-name.ipynb."""
    return sorted(p for p in directory.glob(NOTEBOOK_GLOB) if p.is_file())


def _files(root: Path, pattern: str) -> list[Path]:
    out = []
    for p in sorted(root.glob(pattern)):
        rel = p.relative_to(root).parts
        if any(part.startswith(".") or part == "__pycache__" for part in rel):
            continue
        if p.is_file():
            out.append(p)
    return out


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def input_files(cfg: Config) -> dict[str, str]:
    """Every input file as `label/relative path` -> sha256, in a stable order."""
    groups = [
        ("data/raw", cfg.raw, "**/*"),
        ("data/facts", cfg.facts, "**/*"),
        ("notebooks", cfg.notebooks, NOTEBOOK_GLOB),
        ("stability_report", config.PACKAGE, "**/*.py"),
        ("stability_report/templates", config.TEMPLATES, "**/*"),
    ]
    files: dict[str, str] = {}
    for label, root, pattern in groups:
        for p in _files(root, pattern):
            files[f"{label}/{p.relative_to(root).as_posix()}"] = sha256_file(p)
    req = config.REQUIREMENTS
    if req.exists():
        files["requirements.txt"] = sha256_file(req)
    return files


def as_of_signature(cfg: Config) -> dict[str, Any]:
    """What the as-of date changes in this run's analysis (analysis.asof.signature); the date
    itself when the fact base cannot be read here (the run then renders, and the kernel's
    validation says what is wrong with it)."""
    try:
        return signature(cfg.facts, cfg.as_of)
    except (OSError, ValueError, KeyError):
        return {"as_of": cfg.as_of}


def inputs_hash(cfg: Config, files: dict[str, str]) -> str:
    """One hash of everything that can change the report but the printed date: the as-of date
    counts through its signature (as_of_signature)."""
    params = {k: v for k, v in cfg.params.items() if k != "as_of"}
    blob = json.dumps(
        {
            "format": RUN_FORMAT,
            "files": files,
            "params": params,
            "as_of": as_of_signature(cfg),
            "options": cfg.options(),
            "python": sys.version,
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def run_id(as_of: str, digest: str) -> str:
    return f"{as_of}_{digest[:10]}"


def git_commit() -> str:
    """The commit of this checkout, and whether the inputs have uncommitted changes."""
    import subprocess

    try:
        head = subprocess.run(
            ["git", "-C", str(config.ROOT), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        if head.returncode != 0:
            return "unknown"
        commit = head.stdout.strip()
        dirty = subprocess.run(
            [
                "git",
                "-C",
                str(config.ROOT),
                "status",
                "--porcelain",
                "--",
                "data",
                "notebooks",
                "stability_report",
                "requirements.txt",
            ],
            capture_output=True,
            text=True,
            timeout=10,
        )
        if dirty.returncode == 0 and dirty.stdout.strip():
            commit += " (with uncommitted changes to the inputs)"
        return commit
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def versions() -> dict[str, str]:
    """The versions of the packages this process renders with."""
    import importlib.metadata as md

    out = {}
    for name in ("nbconvert", "nbclient", "papermill"):
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = "not installed"
    return out
