"""Numbers into prose: money written as readers write it, every value carrying the ids of the facts
it comes from, and text from the fact base escaped so it can never become markup or TeX.
"""

from __future__ import annotations

import html
import math
import re
import string
from dataclasses import dataclass
from datetime import date

import pandas as pd

_MD_SPECIAL = re.compile(r"([\\`*_\[\]~$])")
DOLLAR = "<span>&#36;</span>"  # a dollar sign in Markdown that no maths typesetter can pair
# The Markdown renderer (mistune's url plugin) turns a bare http(s):// address into a live link;
# a backslash before the colon keeps it plain text (it renders as ":").
_AUTOLINK = re.compile(r"(?<=[A-Za-z]):(?=//)")


# A sentence cites the few facts it rests on; a value resting on more (a count of people, a
# total over many bills) cites the table that lists them instead (`ref`).
MAX_INLINE_IDS = 4


@dataclass(frozen=True)
class Cited:
    """A computed value, the fact ids it was computed from, and (for a value resting on many
    facts) the anchor of the report table that lists them."""

    value: object
    ids: tuple[str, ...] = ()
    fmt: str = "money"  # money, money_short, pct, pct1, months, date, month, int, text,
    # number, times
    ref: str | None = None  # anchor name of a table (show_table(..., anchor=ref))

    def __format__(self, spec: str) -> str:
        return render_value(self, spec or self.fmt)

    def via(self, ref: str) -> Cited:
        """The same value, cited by the table `ref` that lists its facts."""
        return Cited(self.value, self.ids, self.fmt, ref)


def cite(value: object, *ids: str | tuple | list, fmt: str = "money",
         ref: str | None = None) -> Cited:
    flat: list[str] = []
    for i in ids:
        flat.extend([i] if isinstance(i, str) else list(i))
    return Cited(value, tuple(dict.fromkeys(flat)), fmt, ref)


def citation(c: Cited) -> str:
    """The citation mark after a value: its fact ids, or a link to the table listing them."""
    if c.ref:
        return f'<sup class="cite"><a class="table-ref" href="#tbl-{c.ref}">table</a></sup>'
    if not c.ids:
        return ""
    if len(c.ids) > MAX_INLINE_IDS:
        raise ValueError(f"a value citing {len(c.ids)} facts ({', '.join(c.ids)}) must cite the "
                         "table that lists them (Cited.via(anchor))")
    return f'<sup class="cite">[{", ".join(c.ids)}]</sup>'


def money(x: float, short: bool = False) -> str:
    """$5.4 million, $153 million, $600,000, $1 billion (short: $5.4M, $153M, $600K, $1B)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "unknown"
    sign = "-" if x < 0 else ""
    x = abs(x)
    for size, long_word, short_word in ((1e9, "billion", "B"), (1e6, "million", "M")):
        if x >= size:
            v = x / size
            text = f"{v:.1f}".rstrip("0").rstrip(".") if v < 100 else f"{v:.0f}"
            return f"{sign}${text}{short_word}" if short else f"{sign}${text} {long_word}"
    if short and x >= 1e3:
        return f"{sign}${x / 1e3:.0f}K"
    return f"{sign}${x:,.0f}"


def pct(x: float, digits: int = 0) -> str:
    return f"{x * 100:.{digits}f}%"


def count_word(k: int) -> str:
    """A count as a reader writes it in running text: 'two', 'ten', '16'."""
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    return words[k] if 0 <= k < len(words) else f"{k:,}"


def times(x: float) -> str:
    """A multiple: '9.0 times', '91 times'."""
    return f"{x:.1f} times" if x < 10 else f"{x:,.0f} times"


def month_name(d: date | pd.Timestamp) -> str:
    return pd.Timestamp(d).strftime("%B %Y")


def day_name(d: date | pd.Timestamp) -> str:
    t = pd.Timestamp(d)
    return f"{t.day} {t.strftime('%B %Y')}"


def render_value(c: Cited, fmt: str) -> str:
    """The value as Markdown (data text made inert), then its citation."""
    return escape_md(value_text(c, fmt)) + citation(c)


def value_text(c: Cited, fmt: str | None = None) -> str:
    """The value as a reader writes it, in the format `fmt` (the value's own by default)."""
    fmt = fmt or c.fmt
    v = c.value
    if v is None or (isinstance(v, float) and math.isnan(v)):
        text = "not computable from the facts"
    elif fmt == "money":
        text = money(float(v))
    elif fmt == "money_short":
        text = money(float(v), short=True)
    elif fmt == "pct":
        text = pct(float(v))
    elif fmt == "pct1":
        text = pct(float(v), 1)
    elif fmt == "months":
        text = f"{float(v):.1f} months"
    elif fmt == "date":
        text = day_name(v)
    elif fmt == "month":
        text = month_name(v)
    elif fmt == "int":
        text = f"{int(v):,}"
    elif fmt == "number":
        text = f"{float(v):,.1f}"
    elif fmt == "times":
        text = times(float(v))
    else:
        text = str(v)
    return text


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
            return format(value, format_spec)
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


_NUMERIC = re.compile(r"^(?:[-+]?\$?[\d,]+(?:\.\d+)?[KMB%]?|(?:more than|less than|about|at "
                      r"least|>) \$?[\d,.]+[KMB%]?)$")


def _plain(v: object) -> str:
    return value_text(v) if isinstance(v, Cited) else str(v)


def _cell(v: object) -> str:
    """A table cell's HTML: text escaped (no literal $ for math typesetting to pair); a Cited
    value with its citation."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
        return ""
    if isinstance(v, Cited):
        return _cell(value_text(v)) + citation(v)
    return html.escape(str(v)).replace("$", "&#36;")


def table_html(df: pd.DataFrame, caption: str | None = None, anchor: str | None = None,
               row_ids: str | None = None) -> str:
    """An HTML table for reading: no index, every value escaped, numeric columns right-aligned,
    math typesetting disabled (a table of amounts is full of dollar signs).

    With `anchor`, the table is the element `#tbl-<anchor>`, which `<a class="table-ref"
    href="#tbl-<anchor>">` links to (the render numbers the tables and makes such a link read
    "Table N"). With `row_ids`, the column whose ids name the rows: each row becomes the entry
    of its id (`<tr id="conflict-C001">`), which the id links to instead of an entry in the
    evidence appendix (a register that lists each conflict once, for instance)."""
    from .citations import ID, TABLE_ANCHOR
    from .citations import anchor as entry_anchor

    if anchor is not None and not TABLE_ANCHOR.fullmatch(anchor):
        raise ValueError(f"table anchor {anchor!r}: expected lower-case letters, digits and '-'")
    if row_ids is not None and row_ids not in df.columns:
        raise ValueError(f"row_ids: no column {row_ids!r} in the table")
    cols = list(df.columns)
    right = [
        bool(len(df)) and all(_NUMERIC.match(_plain(v)) or _plain(v) in ("", "nan", "None", "NaT")
                              for v in df[c])
        for c in cols
    ]
    def attrs(r: bool) -> str:
        return 'class="num" style="text-align:right"' if r else 'class="text" style="text-align:left"'

    head = "".join(f"<th {attrs(r)}>{_cell(c)}</th>" for c, r in zip(cols, right))
    body = []
    key = cols.index(row_ids) if row_ids is not None else None
    for row in df.itertuples(index=False):
        cells = "".join(
            f"<td {attrs(r)}>{_cell(v)}</td>" for v, r in zip(row, right)
        )
        ident = ""
        if key is not None and ID.fullmatch(str(row[key])):
            ident = f' id="{entry_anchor(str(row[key]))}"'
        body.append(f"<tr{ident}>{cells}</tr>")
    cap = f"<caption>{_cell(caption)}</caption>" if caption else ""
    ident = f' id="tbl-{anchor}"' if anchor else ""
    return (
        f'<div class="report-table-wrap tex2jax_ignore mathjax_ignore"{ident}>'
        f'<table class="report-table">{cap}<thead><tr>{head}</tr></thead>'
        f'<tbody>{"".join(body)}</tbody></table></div>'
    )


def show_table(df: pd.DataFrame, caption: str | None = None, anchor: str | None = None,
               row_ids: str | None = None) -> None:
    """Display table_html(df, caption, anchor, row_ids) in the notebook."""
    from IPython.display import HTML, display

    display(HTML(table_html(df, caption, anchor, row_ids)))


def show_details(df: pd.DataFrame, caption: str, anchor: str | None = None,
                 row_ids: str | None = None) -> None:
    """Display a long register folded away in the HTML (a link into it opens it; printed in
    full): table_html(df, caption, anchor, row_ids) under a summary line."""
    from IPython.display import HTML, display

    summary = html.escape(f"{caption} ({len(df):,} rows)")
    display(HTML(f'<details class="register"><summary>{summary}</summary>'
                 f"{table_html(df, caption, anchor, row_ids)}</details>"))


class needs_facts:  # noqa: N801 - used as a context manager: `with needs_facts(P.as_of):`
    """Run a notebook section; if the facts it needs are not available as of the analysis date,
    say so in one sentence instead of failing the whole report."""

    def __init__(self, as_of: str):
        self.as_of = as_of

    def __enter__(self) -> "needs_facts":
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        from .facts import MissingFact

        if exc_type is not None and issubclass(exc_type, MissingFact):
            from IPython.display import Markdown, display

            display(Markdown(md("*Not available as of {d}: {why}.*",
                                d=cite(pd.Timestamp(self.as_of), fmt="date"), why=str(exc))))
            return True
        return False
