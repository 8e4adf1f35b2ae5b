"""The code the pipeline runs inside its kernel, outside any notebook: each function is called by
one line the kernel session sends (`CALL.format(name)`), which binds no name in the notebooks'
namespace.

- `start()`, once after the kernel starts: imports the heavy modules (so the notebooks find them
  loaded, and matplotlib's font cache exists before any cell can print about it), records what
  every later notebook starts from, and prints the versions and the facts digest. It does not
  import matplotlib.pyplot: that would choose a backend before the notebooks do. What it loaded is
  then left out of the garbage collector's passes (gc.freeze).
- `reset()`, before each notebook: an empty namespace, execution counts from 1, and the global
  state a notebook could have changed (working directory, sys.path, warning filters, open
  figures, matplotlib rc, pandas options) back to what `start()` recorded.
- `write_results()`, after the last notebook: writes the run's results.json
  (stability_report.present.results) where the kernel's environment says (config.results_request,
  set by pipeline.results).
- `wait_figures()`, after that: waits for the figures the kernel draws in child processes while
  the notebooks go on (stability_report.figures.style).

The state `start()` records is kept in this module (`_saved`), not on the IPython shell.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import warnings
from typing import Any

# What the kernel session sends to run one of the functions below (`CALL.format("reset")`).
CALL = '__import__("stability_report.pipeline.inkernel").pipeline.inkernel.{}()'
MARK = "@@stability-report@@"  # the line of start()'s output that holds its JSON

_saved: dict[str, Any] = {}


def _shell():
    from IPython import get_ipython

    return get_ipython()


def pandas_options() -> list[str]:
    """The name of every pandas option, read from `pd.options` (the attribute access pandas
    documents, one group of options per level: display, display.html, mode, ...)."""
    import pandas as pd

    group = type(pd.options)

    def walk(node, prefix: str):
        for name in dir(node):
            value = getattr(node, name)
            if isinstance(value, group):
                yield from walk(value, f"{prefix}{name}.")
            else:
                yield prefix + name

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # reading a deprecated option warns
        return list(walk(pd.options, ""))


def start() -> None:
    import importlib.metadata as md
    import platform

    info = {"python": platform.python_version()}
    for name in ("pandas", "matplotlib", "numpy", "pandera", "ipykernel"):
        try:
            info[name] = md.version(name)
        except md.PackageNotFoundError:
            info[name] = "not installed"
    saved: dict[str, Any] = {
        "cwd": os.getcwd(),
        "path": list(sys.path),
        "warnings": list(warnings.filters),
        "pandas": {},
    }
    try:
        import matplotlib  # noqa: F401
        import matplotlib.font_manager  # noqa: F401  (builds the font cache if it is missing)
        import pandas as pd

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for key in pandas_options():
                saved["pandas"][key] = pd.get_option(key)
    except Exception:  # noqa: BLE001 - the notebooks report what is missing
        pass
    try:
        from stability_report.facts.load import load_facts

        info["facts_digest"] = load_facts().digest
    except Exception as e:  # noqa: BLE001 - shown in run.json and the report's run information
        info["facts_digest"] = f"unavailable ({type(e).__name__})"
    _saved.clear()
    _saved.update(saved)
    # What is loaded now (the modules, the fact base) lives as long as the kernel: the garbage
    # collector's full passes during the notebooks no longer walk through it.
    gc.freeze()
    print(MARK + json.dumps(info))


def reset() -> None:
    ip = _shell()
    # %reset ends with a full gc.collect(), 0.15 s with pandas loaded; the kernel collects
    # garbage as usual anyway, so that one call is skipped.
    collect, gc.collect = gc.collect, lambda *args, **kwargs: 0
    try:
        ip.run_line_magic("reset", "-f")
    finally:
        gc.collect = collect
    os.chdir(_saved["cwd"])
    sys.path[:] = _saved["path"]
    warnings.filters[:] = _saved["warnings"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")
        if "matplotlib" in sys.modules:
            sys.modules["matplotlib"].rc_file_defaults()
        pd = sys.modules.get("pandas")
        for key, value in _saved["pandas"].items():
            try:
                now = pd.get_option(key)
                if now is not value and now != value:
                    pd.set_option(key, value)
            except Exception:  # noqa: BLE001 - an option that cannot be set back is left
                pass
    ip.execution_count = 1


def wait_figures() -> None:
    style = sys.modules.get("stability_report.figures.style")
    if style is not None:
        style.wait_figures()


def write_results() -> None:
    """After the last notebook: write the run's results.json where $STABILITY_REPORT_RESULTS
    says, for its parameters and run (stability_report.present.results)."""
    from stability_report import config
    from stability_report.present import results

    request = config.results_request()
    if request is None:
        raise RuntimeError(f"${config.ENV_RESULTS} is not set: only the pipeline writes results")
    results.write(request["path"], request["params"], request["run"])
