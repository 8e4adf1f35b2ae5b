"""The report's parameters, declared once with their types, defaults, allowed values and meaning.

papermill guesses a value's type from the command line text ("9e6" arrives as a string), so
every value is parsed against its declared type here; unknown names and bad values stop the run
with a message naming the parameter and what it allows. Nothing is ever evaluated as code.
"""

from __future__ import annotations

import calendar
import json
import math
import re
from dataclasses import MISSING, asdict, dataclass, field, fields
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

from . import bounded
from .bounded import MAX_JSON_DEPTH, MAX_PARAMS_BYTES
from .errors import ParameterError

BURN_BASES = ("monthly_spend", "fy2023_projection", "feb2024", "custom")
# The day of the October 2023 cash figure (money.csv, metric `cash`), which every runway
# projection starts from: money arriving on or before it would be counted in that cash, and
# money arriving after the projection's horizon would not be counted at all.
PROJECTION_START = date(2023, 10, 31)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # date.fromisoformat also reads 2024-W23-2


def _meta(doc: str, cell: str, allowed: str, **kw) -> dict:
    """A parameter's declaration: `doc`, its meaning (--help, the docs); `cell`, the one-line
    comment of the notebooks' parameters cell (what `papermill --help-notebook` shows; no "=" in
    it, papermill's parser would not read the line); `allowed`, what it allows in words; `lo`
    and `hi`, its range."""
    assert "=" not in cell, cell
    return {"doc": doc, "cell": cell, "allowed": allowed, **kw}


@dataclass(frozen=True)
class Params:
    as_of: str = field(
        default="2024-06-04",
        metadata=_meta(
            "Date of the analysis: only facts published and dated by then are used.",
            "analysis date (ISO); facts published or dated later are ignored",
            "an ISO date YYYY-MM-DD from 2020-01-01 to 2100-12-31",
        ),
    )
    burn_basis: str = field(
        default="fy2023_projection",
        metadata=_meta(
            "Which reported figure drives the runway: the 2023 projection (costs and revenue for "
            "the year), the February 2024 monthly figures, the reported monthly spend, or a custom "
            "monthly burn.",
            "runway driver: fy2023_projection, feb2024, monthly_spend or custom",
            "one of " + ", ".join(BURN_BASES),
        ),
    )
    custom_monthly_burn_usd: float = field(
        default=0.0,
        metadata=_meta(
            "Net monthly burn in US dollars when burn_basis is 'custom'.",
            "net monthly burn in USD, used when burn_basis is 'custom'",
            "a number from 0 to 1e9; above 0 when burn_basis is 'custom'",
            lo=0.0,
            hi=1e9,
        ),
    )
    revenue_growth: float = field(
        default=0.0,
        metadata=_meta(
            "Assumed month-on-month revenue growth, as a fraction (0.05 means 5% a month).",
            "assumed month-on-month revenue growth (0.05 means 5% a month)",
            "a number from -0.5 to 1.0",
            lo=-0.5,
            hi=1.0,
        ),
    )
    pay_unpaid_bills: bool = field(
        default=True,
        metadata=_meta(
            "Whether to add a scenario in which the bills left unpaid for months before the cash "
            "figure (deferred burn) are paid at once.",
            "add a scenario that pays at once the bills unpaid before the cash figure",
            "true or false",
        ),
    )
    extra_funding_usd: float = field(
        default=0.0,
        metadata=_meta(
            "A hypothetical extra funding amount in US dollars (0 for none).",
            "hypothetical extra funding in USD (0 for none)",
            "a number from 0 to 1e11",
            lo=0.0,
            hi=1e11,
        ),
    )
    extra_funding_date: str = field(
        default="",
        metadata=_meta(
            "Date the hypothetical extra funding arrives (needed when extra_funding_usd > 0).",
            "date the extra funding arrives (ISO); needed with extra_funding_usd",
            f"empty or an ISO date YYYY-MM-DD after {PROJECTION_START.isoformat()} (the October "
            "2023 cash figure the projections start from) and within horizon_months of it",
        ),
    )
    horizon_months: int = field(
        default=18,
        metadata=_meta(
            "How many months past the October 2023 cash figure the projections and charts extend.",
            "months after the October 2023 cash figure that projections extend to",
            "a whole number from 3 to 60",
            lo=3,
            hi=60,
        ),
    )

    # -----------------------------------------------------------------------------------------

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> Params:
        """Parse and validate a mapping (from papermill, the command line or a file)."""
        unknown = sorted(set(values) - set(cls.names()))
        if unknown:
            shown = ", ".join(f"{name!r}{did_you_mean(name, cls.names())}" for name in unknown)
            raise ParameterError(
                f"unknown parameter(s) {shown}; the parameters are: {', '.join(cls.names())}"
            )
        parsed: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in values:
                continue
            parsed[f.name] = _parse(f.name, values[f.name], f.type, f.metadata)
        p = cls(**parsed)
        p._check_together()
        return p

    @classmethod
    def from_notebook(cls, namespace: dict[str, Any]) -> Params:
        """Validate the parameters a notebook holds after papermill's injection.

        Every user-defined name in the namespace at this point is a parameter (the cell after
        `parameters` runs before anything else is defined), so an injected name that is not a
        declared parameter is reported as unknown.
        """
        try:
            hidden = get_ipython().user_ns_hidden  # type: ignore[name-defined]  # noqa: F821
        except NameError:
            hidden = {}
        values = {
            k: v
            for k, v in namespace.items()
            if not k.startswith("_")
            and k not in hidden
            and k not in ("In", "Out", "get_ipython", "exit", "quit", "open")
            and not isinstance(v, ModuleType)
            and not callable(v)
        }
        return cls.from_mapping(values)

    @staticmethod
    def file_values(path: Path | str) -> dict:
        """The JSON object of a parameters file, read within the limits (config.MAX_PARAMS_BYTES,
        config.MAX_JSON_DEPTH); ParameterError for anything else."""
        path = Path(path)
        try:
            data = bounded.loads(
                bounded.read_bytes(path, MAX_PARAMS_BYTES).decode("utf-8"), MAX_JSON_DEPTH
            )
        # ValueError: also undecodable UTF-8, integers too long to convert and a file beyond
        # the limits; RecursionError: nesting the parser cannot take. A bad file, not a bug.
        except (OSError, ValueError, RecursionError) as e:
            raise ParameterError(f"{path}: cannot read parameters as JSON: {e}") from None
        if not isinstance(data, dict):
            raise ParameterError(f"{path}: expected a JSON object of name: value")
        return data

    def _check_together(self) -> None:
        if self.burn_basis == "custom" and self.custom_monthly_burn_usd <= 0:
            raise ParameterError(
                "custom_monthly_burn_usd: expected a number above 0 when burn_basis is 'custom'"
            )
        if self.extra_funding_usd > 0 and not self.extra_funding_date:
            raise ParameterError(
                "extra_funding_date: expected an ISO date YYYY-MM-DD when extra_funding_usd > 0"
            )
        if self.extra_funding_date:
            first, last = funding_window(self.horizon_months)
            if not first <= date.fromisoformat(self.extra_funding_date) <= last:
                raise ParameterError(
                    f"extra_funding_date: expected an ISO date YYYY-MM-DD from {first} (after "
                    f"the October 2023 cash figure the projections start from) to {last} (the "
                    f"end of the {self.horizon_months}-month horizon, horizon_months); got "
                    f"{self.extra_funding_date!r}"
                )

    @property
    def extra_funding_on(self) -> date | None:
        return date.fromisoformat(self.extra_funding_date) if self.extra_funding_date else None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def cell_source(cls) -> str:
        """The text of every notebook's `parameters` cell: each parameter, typed, with its
        default and a comment; literals only."""
        lines = ["# parameters"]
        for f in fields(cls):
            lines.append(f"{f.name}: {f.type} = {f.default!r}  # {f.metadata['cell']}")
        return "\n".join(lines)

    @classmethod
    def markdown_table(cls) -> str:
        """The table of docs/parameters.md (tests/unit/test_params.py checks that it is there)."""
        rows = ["| parameter | default | meaning | allowed |", "|---|---|---|---|"]
        for f in fields(cls):
            default = json.dumps(f.default)
            rows.append(
                f"| `{f.name}` | `{default}` | {f.metadata['doc']} | {f.metadata['allowed']} |"
            )
        return "\n".join(rows) + "\n"

    @classmethod
    def describe(cls) -> list[tuple[str, str, str, str]]:
        """(name, type, default, meaning + allowed values) for each parameter: for --help."""
        out = []
        for f in fields(cls):
            default = "" if f.default is MISSING else repr(f.default)
            out.append(
                (
                    f.name,
                    str(f.type),
                    default,
                    f"{f.metadata['doc']} Allowed: {f.metadata['allowed']}.",
                )
            )
        return out


def funding_window(horizon_months: int) -> tuple[date, date]:
    """The first and last day extra funding can arrive and be counted by the projections: the
    day after PROJECTION_START, and the last day of the horizon's last month."""
    months = PROJECTION_START.month - 1 + horizon_months
    year, month = PROJECTION_START.year + months // 12, months % 12 + 1
    last = date(year, month, calendar.monthrange(year, month)[1])
    return PROJECTION_START + timedelta(days=1), last


def did_you_mean(word: Any, choices: list[str] | tuple[str, ...]) -> str:
    """' (did you mean 'x'?)' with the closest of `choices` to `word`, or '' when none is close:
    for the command line, a params file and papermill alike."""
    import difflib

    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word.strip(), list(choices), n=1, cutoff=0.6)
    if not close and word.strip().lower() in [c.lower() for c in choices]:
        close = [c for c in choices if c.lower() == word.strip().lower()]
    return f" (did you mean {close[0]!r}?)" if close else ""


def _as_bool(value: Any) -> bool:
    """True or False, from a bool, 0 or 1, or the words true/false, yes/no, 1/0."""
    if isinstance(value, bool):
        return value
    words = ("true", "false", "yes", "no", "1", "0")
    if isinstance(value, str) and value.strip().lower() in words:
        return value.strip().lower() in ("true", "yes", "1")
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise ValueError(value)


def _as_number(value: Any, whole: bool, lo: float, hi: float) -> float | int:
    """A finite number from lo to hi (a whole one if `whole`), from a number or its text
    (underscores allowed); a bool is not a number here."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(value)
    number = float(value.strip().replace("_", "") if isinstance(value, str) else value)
    if not math.isfinite(number) or (whole and number != int(number)):
        raise ValueError(value)
    if whole:
        number = int(number)
    if not lo <= number <= hi:
        raise ValueError(value)
    return number


def _as_date_text(value: str) -> str:
    """An ISO date YYYY-MM-DD inside config.DATE_WINDOW, kept as text."""
    if not _ISO_DATE.match(value):
        raise ValueError(value)
    if not date(2020, 1, 1) <= date.fromisoformat(value) <= date(2100, 12, 31):
        raise ValueError(value)  # config.DATE_WINDOW
    return value


def _as_text(name: str, value: Any) -> str:
    """A text parameter, stripped: a burn basis, a date (extra_funding_date may be empty)."""
    if not isinstance(value, str):
        raise ValueError(value)
    value = value.strip()
    if name == "burn_basis" and value not in BURN_BASES:
        raise ValueError(value)
    if name == "as_of" or (name == "extra_funding_date" and value != ""):
        return _as_date_text(value)
    return value


def _parse(name: str, value: Any, typ: str, meta: Any) -> Any:
    """The value of parameter `name` of type `typ`, or a ParameterError saying what it allows."""
    try:
        if typ == "bool":
            return _as_bool(value)
        if typ in ("float", "int"):
            return _as_number(value, typ == "int", meta["lo"], meta["hi"])
        return _as_text(name, value)
    except ValueError:
        text = typ not in ("bool", "float", "int") and isinstance(value, str)
        shown = value.strip() if text else value  # a text value is shown as it was read
        hint = did_you_mean(shown, BURN_BASES) if name == "burn_basis" else ""
        raise ParameterError(f"{name}: expected {meta['allowed']}; got {shown!r}{hint}") from None
