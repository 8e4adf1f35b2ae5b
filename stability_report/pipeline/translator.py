"""What papermill writes into a notebook: parameters as literal assignments to plain names only.

papermill injects the parameters as a new cell of `name = value` lines after the `parameters`
cell, and the kernel runs that cell before anything in the notebook can check it. papermill's own
Python translator writes each value as an escaped literal but each name as given, so a name such
as `a=1; import os; os.system('...'); b` would run as code. The translator here refuses, before
any kernel starts, a name that is not a Python identifier (or is a keyword) and a value that is
not None, a bool, an int, a float, a str, or a list or a dict (with str keys) of these; the rest
it writes exactly as papermill's Python translator does. For the project's notebooks (their
parameters cell declares the project's parameters) it also checks each name and value as the
notebook's first cell would (stability_report.params), before any kernel starts: a bad one stops
papermill with one line naming it, what it allows and the closest valid name, exit 2.

papermill loads this module through its `papermill.engine` entry point (declared in
pyproject.toml, installed by `make env`): importing papermill imports it, and importing it
registers the translator for Python notebooks, so `papermill` run by hand gets it as the pipeline
does. The engine the entry point names is papermill's own nbclient engine under the project's
name; it is there to be that hook.
"""

from __future__ import annotations

import keyword
import threading
from functools import cache
from typing import Any

from ..errors import ParameterError, UnsafeParameter
from ..params import Params

# papermill is imported inside the functions, never at the top: importing papermill loads this
# module through the entry point, and importing this module first must not leave papermill
# looking for `Engine` in a module that is only half run.


_LITERALS = (type(None), bool, int, float, str)


def check_name(name: Any) -> None:
    """A parameter name is a Python identifier that is not a keyword."""
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise UnsafeParameter(
            f"parameter name {name!r} refused: a name must be a Python identifier (letters, "
            "digits and underscores, not starting with a digit, not a keyword); nothing was run"
        )


def check_value(name: str, value: Any) -> None:
    """A value is None, a bool, a number, text, or a list or dict (str keys) of these."""
    if isinstance(value, _LITERALS):
        return
    if isinstance(value, list):
        for item in value:
            check_value(name, item)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise UnsafeParameter(
                    f"parameter {name!r} refused: a dict key must be text, "
                    f"got {type(key).__name__}; nothing was run"
                )
            check_value(name, item)
        return
    raise UnsafeParameter(
        f"parameter {name!r} refused: a {type(value).__module__}.{type(value).__qualname__} "
        "is not a literal papermill can write (give text, a number, true/false or null; a date "
        "as text such as '2024-06-04'); nothing was run"
    )


@cache
def refused() -> type:
    """The error of a parameter the notebook's parameters refuse, found before a kernel starts:
    a ParameterError that papermill's command line (click) prints as one line, exit 2."""
    import click

    class ParameterRefused(ParameterError, click.ClickException):
        exit_code = 2

        def __init__(self, message: str) -> None:
            click.ClickException.__init__(self, f"{message}; nothing was run")

        def __str__(self) -> str:
            return self.message

    return ParameterRefused


# The parameters cell papermill last inspected in this thread (papermill inspects the notebook's
# parameters cell, to warn of unknown names, just before it writes the parameters).
_inspected = threading.local()


@cache
def translator() -> type:
    """papermill's Python translator, for names and values checked first: every parameter as a
    literal; and, for a notebook whose parameters cell declares the project's parameters, each
    name and value as those parameters allow them (stability_report.params), so that a bad one
    stops papermill with one line before a kernel starts."""
    from papermill.translators import PythonTranslator

    class LiteralPythonTranslator(PythonTranslator):
        @classmethod
        def inspect(cls, parameters_cell) -> list:
            found = super().inspect(parameters_cell)
            _inspected.names = {p.name for p in found}
            return found

        @classmethod
        def codify(cls, parameters: dict[str, Any], comment: str = "Parameters") -> str:
            for name, value in parameters.items():
                check_name(name)
                check_value(name, value)
            declared, _inspected.names = getattr(_inspected, "names", None), None
            if declared == set(Params.names()):
                try:
                    Params.from_mapping(parameters)
                except ParameterError as e:
                    raise refused()(str(e)) from None
            return super().codify(parameters, comment)

    return LiteralPythonTranslator


def register() -> None:
    """Make the checked translator the one papermill uses for Python notebooks (by language,
    and by the name of the project's kernel, which papermill looks up first)."""
    from papermill.translators import papermill_translators

    for key in ("python", "python3"):
        papermill_translators.register(key, translator())


def __getattr__(name: str) -> Any:
    """`Engine`, the object the `papermill.engine` entry point names: papermill's own nbclient
    engine."""
    if name == "Engine":
        from papermill.engines import NBClientEngine

        return NBClientEngine
    raise AttributeError(name)


register()
