"""What papermill writes into a notebook: parameters as literal assignments to plain names only.

papermill injects the parameters as a new cell of `name = value` lines after the `parameters`
cell, and the kernel runs that cell before anything in the notebook can check it. papermill's own
Python translator writes each value as an escaped literal but each name as given, so a name such
as `a=1; import os; os.system('...'); b` would run as code. The translator here refuses, before
any kernel starts, a name that is not a Python identifier (or is a keyword) and a value that is
not None, a bool, an int, a float, a str, or a list or a dict (with str keys) of these; the rest
it writes exactly as papermill's Python translator does.

papermill loads this module through its `papermill.engine` entry point (declared in
pyproject.toml, installed by `make env`): importing papermill imports it, and importing it
registers the translator for Python notebooks, so `papermill` run by hand gets it as the pipeline
does. The engine the entry point names is papermill's own nbclient engine under the project's
name; it is there to be that hook.
"""

from __future__ import annotations

import keyword
from functools import cache
from typing import Any

# papermill is imported inside the functions, never at the top: importing papermill loads this
# module through the entry point, and importing this module first must not leave papermill
# looking for `Engine` in a module that is only half run.


class UnsafeParameter(ValueError):
    """A parameter name or value that papermill could not write as a plain literal assignment."""


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
def translator() -> type:
    """papermill's Python translator, for names and values checked first."""
    from papermill.translators import PythonTranslator

    class LiteralPythonTranslator(PythonTranslator):
        @classmethod
        def codify(cls, parameters: dict[str, Any], comment: str = "Parameters") -> str:
            for name, value in parameters.items():
                check_name(name)
                check_value(name, value)
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
