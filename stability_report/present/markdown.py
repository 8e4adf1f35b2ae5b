"""Numbers into prose: Markdown templates filled with Cited values, each written as readers write
it (stability_report.formats) and followed by the ids of the facts it comes from; text from the
fact base escaped so it can never become markup or TeX; and `show`, `needs_facts`, which the
notebooks call.
"""

from __future__ import annotations

import html
import math
import re
import string

import pandas as pd

from ..analysis.cited import MAX_INLINE_IDS, Cited, cite
from ..errors import MissingFact
from ..formats import day_name, money, month_name, pct, times

_MD_SPECIAL = re.compile(r"([\\`*_\[\]~$])")
DOLLAR = "<span>&#36;</span>"  # a dollar sign in Markdown that no maths typesetter can pair
# The Markdown renderer (mistune's url plugin) turns a bare http(s):// address into a live link;
# a backslash before the colon keeps it plain text (it renders as ":").
_AUTOLINK = re.compile(r"(?<=[A-Za-z]):(?=//)")


def citation(c: Cited) -> str:
    """The citation mark after a value: its fact ids, or a link to the table listing them."""
    if c.ref:
        return f'<sup class="cite"><a class="table-ref" href="#tbl-{c.ref}">table</a></sup>'
    if not c.ids:
        return ""
    if len(c.ids) > MAX_INLINE_IDS:
        raise ValueError(
            f"a value citing {len(c.ids)} facts ({', '.join(c.ids)}) must cite the "
            "table that lists them (Cited.via(anchor))"
        )
    return f'<sup class="cite">[{", ".join(c.ids)}]</sup>'


def render_value(c: Cited, fmt: str) -> str:
    """The value as Markdown (data text made inert), then its citation."""
    return escape_md(value_text(c, fmt)) + citation(c)


# Each format a value may be written in (Cited.fmt), as a reader writes it; any other is str().
_FORMATS = {
    "money": lambda v: money(float(v)),
    "money_short": lambda v: money(float(v), short=True),
    "money_floor": lambda v: money(float(v), down=True),  # a lower bound, rounded down
    "pct": lambda v: pct(float(v)),
    "pct1": lambda v: pct(float(v), 1),
    "months": lambda v: f"{float(v):.1f} months",
    "date": day_name,
    "month": month_name,
    "int": lambda v: f"{int(v):,}",
    "number": lambda v: f"{float(v):,.1f}",
    "times": lambda v: times(float(v)),
}


def value_text(c: Cited, fmt: str | None = None) -> str:
    """The value as a reader writes it, in the format `fmt` (the value's own by default)."""
    v = c.value
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "not computable from the facts"
    return _FORMATS.get(fmt or c.fmt, str)(v)


def escape_md(text: str) -> str:
    """Text from data, made inert in Markdown: HTML escaped, Markdown markers escaped, and each
    `$` written `<span>&#36;</span>`. JupyterLab typesets the text between two dollar signs as
    TeX even when they are escaped `\\$` or written `&#36;` (it looks for maths in the rendered
    text); a dollar sign alone in its element pairs with nothing. The report shows the same `$`."""
    text = _MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))
    return _AUTOLINK.sub(r"\\:", text).replace("\\$", DOLLAR)


class _Formatter(string.Formatter):
    def format_field(self, value, format_spec):
        if isinstance(value, Cited):
            return render_value(value, format_spec or value.fmt)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise TypeError("numbers in prose must be Cited values (cite(...)) with fact ids")
        return escape_md(format(value, format_spec))


def md(template: str, **values: object) -> str:
    """Fill a Markdown template. Cited values are formatted and carry their fact ids; any other
    value is escaped; a bare number is refused, so no number reaches the prose untraced."""
    return _Formatter().format(template, **values)


def show(template: str, **values: object) -> None:
    """Display a filled Markdown template in the notebook; without values, `template` is
    Markdown already built (by md() or the package's prose functions) and is shown as it is."""
    from IPython.display import Markdown, display

    display(Markdown(md(template, **values) if values else template))


class needs_facts:  # noqa: N801 - used as a context manager: `with needs_facts(P.as_of):`
    """Run a notebook section; if the facts it needs are not available as of the analysis date,
    say so in one sentence instead of failing the whole report."""

    def __init__(self, as_of: str):
        self.as_of = as_of

    def __enter__(self) -> needs_facts:
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is not None and issubclass(exc_type, MissingFact):
            from IPython.display import Markdown, display

            display(
                Markdown(
                    md(
                        "*Not available as of {d}: {why}.*",
                        d=cite(pd.Timestamp(self.as_of), fmt="date"),
                        why=str(exc),
                    )
                )
            )
            return True
        return False
