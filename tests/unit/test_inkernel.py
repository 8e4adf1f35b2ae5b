"""The code the run runs in its kernel (stability_report.pipeline.inkernel), called in process on an
IPython shell of its own: start() records the state and prints the versions and the facts digest;
reset() empties the namespace and puts back what a notebook changed; wait_figures() waits for the
figures drawn in the background."""

from __future__ import annotations

import json
import os
import sys
import warnings

import pytest

from stability_report.pipeline import inkernel


@pytest.fixture
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    ip = InteractiveShell.instance()
    yield ip
    InteractiveShell.clear_instance()


def test_pandas_options_lists_every_option():
    import pandas as pd

    names = inkernel.pandas_options()
    assert len(names) == len(set(names)) > 50
    assert {"display.max_rows", "display.precision", "mode.copy_on_write"} <= set(names)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in names:
            pd.get_option(name)  # each is a whole option name, not a group


def test_start_prints_versions_and_digest(shell, capsys):
    inkernel.start()
    line = capsys.readouterr().out.strip()
    assert line.startswith(inkernel.MARK)
    info = json.loads(line[len(inkernel.MARK) :])
    assert {"python", "pandas", "matplotlib", "numpy", "pandera", "ipykernel"} <= set(info)
    assert len(info["facts_digest"]) == 64


def test_reset_puts_back_what_a_notebook_changed(shell, tmp_path, capsys):
    import matplotlib
    import pandas as pd

    inkernel.start()
    capsys.readouterr()
    cwd, path, filters = os.getcwd(), list(sys.path), list(warnings.filters)
    rows, dpi = pd.get_option("display.max_rows"), matplotlib.rcParams["figure.dpi"]
    try:
        shell.run_cell("x = 1")
        shell.execution_count = 7
        os.chdir(tmp_path)
        sys.path.append(str(tmp_path))
        warnings.simplefilter("error")
        pd.set_option("display.max_rows", rows + 1)
        matplotlib.rcParams["figure.dpi"] = dpi + 1
        inkernel.reset()
        assert "x" not in shell.user_ns and shell.execution_count == 1
        assert os.getcwd() == cwd and sys.path == path and warnings.filters == filters
        assert pd.get_option("display.max_rows") == rows
        assert matplotlib.rcParams["figure.dpi"] == dpi
    finally:
        os.chdir(cwd)
        sys.path[:] = path
        warnings.filters[:] = filters
        pd.set_option("display.max_rows", rows)


def test_wait_figures_waits_for_the_style_modules_figures(monkeypatch):
    from stability_report.figures import style

    waited = []
    monkeypatch.setattr(style, "wait_figures", lambda: waited.append(True))
    inkernel.wait_figures()
    assert waited == [True]


def test_the_call_binds_no_name():
    code = inkernel.CALL.format("wait_figures")
    namespace: dict = {}
    exec(code, namespace)  # as the kernel runs it
    assert set(namespace) == {"__builtins__"}
