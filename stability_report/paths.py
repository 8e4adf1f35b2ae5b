"""Every path the project uses, resolved from the package's own location.

Figures go to the pipeline's run folder when the pipeline runs a notebook; a notebook run any other
way (JupyterLab, papermill by hand) writes them to SCRATCH, which git ignores, so exploring never
changes the published `figures/` or `report/`.

The fact base can be pointed elsewhere with $STABILITY_REPORT_FACTS_DIR and
$STABILITY_REPORT_RAW_DIR (the pipeline sets them for its kernel; tests use them for fixtures).
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
RAW = Path(os.environ.get("STABILITY_REPORT_RAW_DIR") or DATA / "raw")
FACTS = Path(os.environ.get("STABILITY_REPORT_FACTS_DIR") or DATA / "facts")
NOTEBOOKS = ROOT / "notebooks"
FIGURES = ROOT / "figures"
REPORT = ROOT / "report"
SCRATCH = ROOT / "scratch"  # what notebooks run outside the pipeline write (not committed)
