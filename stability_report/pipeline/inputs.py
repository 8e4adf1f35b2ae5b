"""What a run is made from: its configuration (Config, resolved by the command line), the
notebooks, every input file and one hash of them all (the run id is the as-of date and that
hash; a notebook counts by what a run reads of it, not by the outputs a front end saved into it),
and the commit and package versions it records.

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


def _groups(cfg: Config) -> list[tuple[str, Path, str]]:
    """The inputs' folders: label, where it is, which files of it count."""
    return [
        ("data/raw", cfg.raw, "**/*"),
        ("data/facts", cfg.facts, "**/*"),
        ("notebooks", cfg.notebooks, NOTEBOOK_GLOB),
        ("stability_report", config.PACKAGE, "**/*.py"),
        ("stability_report/templates", config.TEMPLATES, "**/*"),
    ]


def input_paths(cfg: Config) -> dict[str, Path]:
    """Every input file as `label/relative path` -> its path, in a stable order."""
    paths: dict[str, Path] = {}
    for label, root, pattern in _groups(cfg):
        for p in _files(root, pattern):
            paths[f"{label}/{p.relative_to(root).as_posix()}"] = p
    if config.REQUIREMENTS.exists():
        paths["requirements.txt"] = config.REQUIREMENTS
    return paths


# What JupyterLab, papermill and the other front ends write into a cell's metadata when they run
# or show it; a run reads none of it.
FRONT_END_CELL_METADATA = frozenset(
    ("execution", "papermill", "collapsed", "scrolled", "ExecuteTime", "jupyter", "trusted")
)


def notebook_content(data: bytes) -> bytes:
    """What a run reads of a notebook, as bytes: its cells in order, each with its type, id,
    source, attachments and metadata (tags, ...); not outputs, execution counts, the notebook's
    metadata (kernel, language version, widget state) or what front ends add to a cell's
    metadata. A notebook JupyterLab saved after running it has the content of the notebook it
    opened. A file that is not a notebook is its bytes."""
    try:
        cells = [
            {
                "cell_type": c["cell_type"],
                "id": c.get("id"),
                "source": c["source"] if isinstance(c["source"], str) else "".join(c["source"]),
                "attachments": c.get("attachments"),
                "metadata": {
                    k: v
                    for k, v in (c.get("metadata") or {}).items()
                    if k not in FRONT_END_CELL_METADATA
                },
            }
            for c in json.loads(data)["cells"]
        ]
    except (ValueError, KeyError, TypeError, AttributeError):
        return data
    return json.dumps(cells, sort_keys=True, ensure_ascii=False).encode()


def input_digest(path: Path) -> str:
    """An input file's SHA-256; a notebook's, of its content (notebook_content)."""
    if path.suffix == ".ipynb":
        return hashlib.sha256(notebook_content(path.read_bytes())).hexdigest()
    return sha256_file(path)


def input_files(cfg: Config) -> dict[str, str]:
    """Every input file as `label/relative path` -> sha256, in a stable order."""
    return {label: input_digest(p) for label, p in input_paths(cfg).items()}


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


def git_commit(cfg: Config) -> str:
    """The commit of this checkout, and which inputs differ from it, if any.

    Computed without git's notebook filter (which `git status` runs on every notebook it cannot
    trust from the index's timestamps, taking seconds each): every input file is compared with
    its blob in the commit's tree (`git ls-tree`, by git's blob id of its bytes), a notebook that
    differs by its content (notebook_content of both, the commit's read with `git cat-file`), and
    files the commit has where this run's inputs come from, but the run has not, count too.
    Inputs read from outside the checkout differ from it by definition."""
    head = _git("rev-parse", "--verify", "HEAD^{commit}")
    listing = _git("ls-tree", "-r", "-z", "--full-tree", "HEAD")
    if not head or listing is None:
        return "unknown"
    commit = head.decode().strip()
    tree = _tree(listing)
    differ, seen = _changed(cfg, tree)
    differ += _removed(cfg, tree, seen)
    if not differ:
        return commit
    differ = sorted(set(differ))
    shown = ", ".join(differ[:3]) + (f" and {len(differ) - 3} more" if len(differ) > 3 else "")
    return f"{commit} (with uncommitted changes to the inputs: {shown})"


def _git(*args: str) -> bytes | None:
    """What a git command run in this checkout prints, or None if it fails."""
    import subprocess

    try:
        r = subprocess.run(
            ["git", "-C", str(config.ROOT.resolve()), *args],
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return r.stdout if r.returncode == 0 else None


def _tree(listing: bytes) -> dict[str, str]:
    """`git ls-tree -r -z` read: each file's path in the checkout -> its blob id."""
    tree = {}
    for entry in listing.split(b"\0"):
        if entry:
            meta, _, name = entry.partition(b"\t")
            tree[name.decode("utf-8", "surrogateescape")] = meta.split()[-1].decode()
    return tree


def _changed(cfg: Config, tree: dict[str, str]) -> tuple[list[str], set[str]]:
    """The inputs that differ from the commit's (outside the checkout: by definition), and the
    paths of the checkout's inputs seen."""
    root = config.ROOT.resolve()
    differ, seen = [], set()
    for label, path in input_paths(cfg).items():
        try:
            rel = path.resolve().relative_to(root).as_posix()
        except ValueError:
            differ.append(label)
            continue
        seen.add(rel)
        if not _as_committed(path, tree.get(rel)):
            differ.append(rel)
    return differ, seen


def _as_committed(path: Path, blob: str | None) -> bool:
    """The file is the commit's blob: the same bytes, or for a notebook the same content."""
    data = path.read_bytes()
    if blob == _blob_id(data):
        return True
    if not blob or path.suffix != ".ipynb":
        return False
    committed = _git("cat-file", "blob", blob)
    return committed is not None and notebook_content(committed) == notebook_content(data)


def _removed(cfg: Config, tree: dict[str, str], seen: set[str]) -> list[str]:
    """The files the commit has where this run's inputs come from, but the run has not."""
    root = config.ROOT.resolve()
    removed = []
    for _, folder, pattern in _groups(cfg):
        try:
            prefix = folder.resolve().relative_to(root).as_posix() + "/"
        except ValueError:
            continue
        for rel in tree:
            if rel.startswith(prefix) and rel not in seen and _counts(rel[len(prefix) :], pattern):
                removed.append(f"{rel} (removed)")
    return removed


def _blob_id(data: bytes) -> str:
    """git's object id of a blob holding `data` (SHA-1, as `git hash-object --no-filters`)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def _counts(rel: str, pattern: str) -> bool:
    """Whether a file at `rel` in an input folder is an input (as _files finds them)."""
    from fnmatch import fnmatchcase

    parts = rel.split("/")
    if any(p.startswith(".") or p == "__pycache__" for p in parts):
        return False
    if pattern.startswith("**/"):
        return fnmatchcase(parts[-1], pattern[3:])
    return len(parts) == 1 and fnmatchcase(rel, pattern)


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
