"""Every path the project uses and every environment variable it reads, in one place.

Paths are resolved from the package's own location. The environment is read when a function
below is called, never at import: the pipeline sets these variables for its kernel, and tests
point them at copies of the fact base. A leaf: it imports nothing from the package.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
DATA = ROOT / "data"
RAW = DATA / "raw"  # the articles, as received
FACTS = DATA / "facts"  # the fact tables
NOTEBOOKS = ROOT / "notebooks"
FIGURES = ROOT / "figures"  # the published figures, for the default output
# What notebooks run outside the pipeline (JupyterLab, papermill by hand) write; git ignores it,
# so exploring never changes the published figures/ or report/.
SCRATCH = ROOT / "scratch"
REPORT = ROOT / "report"  # the default output directory
TEMPLATES = PACKAGE / "templates"
REQUIREMENTS = ROOT / "requirements.txt"
# The run's CSV attachments: their folder, next to report.html, and what a file there may be called.
ATTACHMENTS = "attachments"

# Limits on what the project reads (README, "Faults and bad input"): a cell of a fact table or
# a candidates file, and the size of such a file (those of JSON files are in bounded).
MAX_CELL = 100_000  # characters
MAX_TABLE_BYTES = 64 << 20
# The dates the project works with: an analysis date (--as-of) and every date of the fact tables.
DATE_WINDOW = (date(2020, 1, 1), date(2100, 12, 31))
# The largest article `sources add`, `sources replace` and `extract` take (bytes). News
# articles run to 10-100 KB of text (a 20,000-word feature is about 120 KB); 2 MB is some
# twenty times the longest, and its extraction time is linear in length: about 4.5 s of CPU per
# MB (`bench/bench.py --extract`), so 2 MB takes some 10 s on a free core. A larger file is not
# one article (a page dump, a book, a data file) and is refused rather than left to run.
MAX_ARTICLE_BYTES = 2_000_000
ATTACHMENT_NAME = re.compile(r"[a-z0-9][a-z0-9-]*\.csv")

# The environment variables, each with what it names.
ENV_FACTS = "STABILITY_REPORT_FACTS_DIR"  # the fact tables (default: data/facts/)
ENV_RAW = "STABILITY_REPORT_RAW_DIR"  # the articles (default: data/raw/)
ENV_NOTEBOOKS = "STABILITY_REPORT_NOTEBOOKS_DIR"  # the notebooks to run (default: notebooks/)
ENV_CHROMIUM = "STABILITY_REPORT_CHROMIUM"  # the chromium executable (default: on PATH)
# Set by the pipeline in its kernel:
ENV_FIGURES = (
    "STABILITY_REPORT_FIGURES_DIR"  # where figures are written (default: scratch/figures/)
)
ENV_ATTACHMENTS = "STABILITY_REPORT_ATTACHMENTS_DIR"  # where CSV attachments are written
ENV_BACKGROUND = "STABILITY_REPORT_BACKGROUND_FIGURES"  # "1": figures drawn in child processes
# What the kernel reads to write results.json: a JSON object {"path", "params", "run"}.
ENV_RESULTS = "STABILITY_REPORT_RESULTS"
# The published run's results.json the report's "What changed" section compares with.
ENV_PREVIOUS_RESULTS = "STABILITY_REPORT_PREVIOUS_RESULTS"
# Read, never set: the temporary directory (Python's fallback when unset).
ENV_TMPDIR = "TMPDIR"


def _env_path(name: str, default: Path) -> Path:
    return Path(os.environ.get(name) or default)


def facts_dir() -> Path:
    """The fact tables: $STABILITY_REPORT_FACTS_DIR or data/facts/."""
    return _env_path(ENV_FACTS, FACTS)


def raw_dir() -> Path:
    """The articles: $STABILITY_REPORT_RAW_DIR or data/raw/."""
    return _env_path(ENV_RAW, RAW)


def notebooks_dir() -> Path:
    """The notebooks to run: $STABILITY_REPORT_NOTEBOOKS_DIR or notebooks/."""
    return _env_path(ENV_NOTEBOOKS, NOTEBOOKS)


def figures_dir() -> Path:
    """Where figures are written: $STABILITY_REPORT_FIGURES_DIR (set by the pipeline while it
    builds a run aside) or, for a notebook run any other way, scratch/figures/: only the
    pipeline publishes into figures/."""
    return _env_path(ENV_FIGURES, SCRATCH / "figures")


def attachments_dir() -> Path | None:
    """The run's attachments directory, or None outside the pipeline."""
    d = os.environ.get(ENV_ATTACHMENTS)
    return Path(d) if d else None


def background_figures() -> bool:
    """Whether figures are drawn in child processes (the pipeline's kernel sets it)."""
    return os.environ.get(ENV_BACKGROUND) == "1"


def results_request() -> dict[str, Any] | None:
    """What the pipeline asks its kernel to write as results.json ($STABILITY_REPORT_RESULTS:
    the file's path, the run's parameters and run id), or None outside the pipeline."""
    text = os.environ.get(ENV_RESULTS)
    return json.loads(text) if text else None


def previous_results() -> Path | None:
    """The published run's results.json the report compares itself with
    ($STABILITY_REPORT_PREVIOUS_RESULTS, set by the pipeline), or None (a first run, JupyterLab)."""
    path = os.environ.get(ENV_PREVIOUS_RESULTS)
    return Path(path) if path else None


def chromium() -> str | None:
    """$STABILITY_REPORT_CHROMIUM, if set."""
    return os.environ.get(ENV_CHROMIUM) or None


def tmpdir() -> str | None:
    """$TMPDIR, if set (else Python's fallback)."""
    return os.environ.get(ENV_TMPDIR) or None
