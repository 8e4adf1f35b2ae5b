"""CSV attachments: the registers too long to read in print (the conflict register, the inference
log), written as CSV files that are published with the report, and the link a notebook shows.

A notebook calls `save_csv(df, "conflicts.csv", "The conflict register")`. When the pipeline
runs the notebook, $STABILITY_REPORT_ATTACHMENTS_DIR (config.attachments_dir) names the run's
`attachments/` directory (next to report.html) and the file is written there, byte for byte the
same for the same table: the columns in the frame's order, UTF-8, `\\n` line endings, no index.
Outside the pipeline (JupyterLab) nothing is written. Either way the notebook shows a link,
`attachments/conflicts.csv`, relative to the report; in print the link is replaced by its plain
name (a PDF would otherwise carry a file:// link into the directory it was printed in).

A spreadsheet runs a cell that begins with `=`, `+`, `-`, `@` (or a tab or carriage return) as a
formula; text from an article or a fact table could do so. Following OWASP's guidance on CSV
injection, such a text cell is written with a single quote before it (`'=HYPERLINK(...)`), so a
spreadsheet shows it as text; a plain number (`-5`, `+1.5e3`) is left as it is. The note beside
each link says so. Only the published attachments are changed this way, never the fact tables.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Any

from .. import config


def check_name(name: str) -> str:
    if not config.ATTACHMENT_NAME.fullmatch(name):
        raise ValueError(
            f"attachment name {name!r}: expected lower-case letters, digits and '-', ending in .csv"
        )
    return name


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
NOTE = (
    "a cell that a spreadsheet would run as a formula (beginning with =, +, -, @, a tab or a "
    "carriage return) begins with a single quote ' added so that it reads as text"
)


def neutralised(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, with a single quote before it."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def link_html(name: str, caption: str | None = None) -> str:
    """The paragraph that points to an attachment: a link on screen, its plain name in print."""
    check_name(name)
    href = html.escape(f"{config.ATTACHMENTS}/{name}", quote=True)
    label = html.escape(name)
    what = f"{html.escape(caption)}: " if caption else ""
    return (
        f'<p class="attachment">{what}'
        f'<a class="attachment-link screen-only" href="{href}" download>{label}</a>'
        f'<span class="attachment-name print-only">{label}</span>'
        f" (CSV, published next to this report; {NOTE})</p>"
    )


def write_csv(df: Any, path: Path) -> None:
    """`df` as CSV, reproducibly: its columns in order, UTF-8, \\n line endings, no index, a
    cell a spreadsheet would run as a formula neutralised."""
    import pandas as pd

    path.parent.mkdir(parents=True, exist_ok=True)
    df = df.copy()
    for column in df.columns:
        if not pd.api.types.is_numeric_dtype(df[column]):
            df[column] = df[column].map(neutralised)
    text = df.to_csv(index=False, columns=list(df.columns), lineterminator="\n")
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(text.encode("utf-8"))
    os.replace(tmp, path)


def save_csv(df: Any, name: str, caption: str | None = None) -> None:
    """Write `df` as attachments/<name> of the run (only when the pipeline runs the notebook)
    and show the link to it. Returns nothing, so that a call ending a cell shows only the
    link (not the path of the run's directory, which differs from run to run)."""
    from IPython.display import HTML, display

    check_name(name)
    target = config.attachments_dir()
    if target is not None:
        write_csv(df, target / name)
    display(HTML(link_html(name, caption)))
