"""Parameters papermill injects are literal assignments to plain names, whatever papermill is
given: a name that is code, or a value that is no literal, is refused before any kernel starts,
for `papermill` run by hand as for the pipeline.

The tests of the same that need a whole run are in tests/integration/test_papermill_translator.py.
"""

from __future__ import annotations

import datetime

import pytest

from stability_report.pipeline.translator import (
    UnsafeParameter,
    check_name,
    check_value,
    translator,
)


@pytest.mark.parametrize("name", ["as_of", "x1", "_private", "Ünïcode"])
def test_identifiers_are_names(name):
    check_name(name)


@pytest.mark.parametrize("name", ["", "1x", "a b", "a-b", "a;b", "class", "None", "a=1", 3])
def test_anything_else_is_not_a_name(name):
    with pytest.raises(UnsafeParameter, match="a name must be a Python identifier"):
        check_name(name)


class _Sneaky:
    def __str__(self) -> str:
        return '1"); __import__("os").system("true"); ("'


@pytest.mark.parametrize(
    "value",
    [_Sneaky(), datetime.date(2024, 6, 4), (1, 2), {1: "a"}, {"k": [_Sneaky()]}, b"bytes", {1, 2}],
)
def test_values_that_are_no_literal_are_refused(value):
    with pytest.raises(UnsafeParameter, match="refused"):
        check_value("p", value)


def test_literals_are_written_exactly_as_papermill_writes_them():
    from papermill.translators import PythonTranslator

    params = {
        "as_of": "2024-06-04",
        "quote": 'a "b" \\ c\n',
        "n": 3,
        "x": 0.5,
        "nan": float("nan"),
        "flag": True,
        "none": None,
        "items": [1, "two", {"k": [3.0]}],
    }
    assert translator().codify(params) == PythonTranslator.codify(params)
