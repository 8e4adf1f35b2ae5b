"""Every path the project uses, resolved from the package's own location."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
RAW = DATA / "raw"
FACTS = DATA / "facts"
NOTEBOOKS = ROOT / "notebooks"
FIGURES = ROOT / "figures"
REPORT = ROOT / "report"
