"""The results of a run (results.json, whose format is stability_report.resultsfile) as the run
stages handle them: the published run's results copied into the new run's folder for the report's
"What changed" section to compare with, and the kernel's environment (config.ENV_RESULTS,
config.ENV_PREVIOUS_RESULTS) naming that copy and where the kernel writes the new run's results
(pipeline.inkernel.write_results, after the last notebook).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import config
from ..errors import UnsafePath
from ..publish import publish, safefs
from ..resultsfile import MAX_RESULTS_BYTES, NAME, loads


def copy_previous(output: Path, dest: Path, say) -> Path | None:
    """Copy results.json of the run `<output>/latest` names to `dest` (the new run's folder keeps
    it as the record of what its "What changed" section compared with); None when there is no
    published run or it has no readable results.json (said, not an error: the section is left
    out). An OSError writing the copy (a full disk) is raised."""
    rid, folder = publish.current_run(output), publish.published_dir(output)
    if rid is None or folder is None:
        return None
    source = folder / NAME
    try:
        data = safefs.read_small(source, "the published run's results.json", MAX_RESULTS_BYTES)
        loads(data.decode("utf-8"), str(source))
    except FileNotFoundError:
        say(f"the published run {rid} has no {NAME}: the report says nothing of what changed")
        return None
    except (OSError, ValueError, UnicodeDecodeError, UnsafePath) as e:
        say(
            f"the published run's {NAME} cannot be read ({e}): the report says nothing of "
            "what changed"
        )
        return None
    safefs.write_new(dest, data)
    return dest


def kernel_env(
    path: Path, params: dict[str, Any], run: dict[str, str], previous: Path | None
) -> dict[str, str]:
    """The kernel's environment variables for the results: where to write results.json, for which
    parameters and run, and the previous run's results (if any)."""
    env = {config.ENV_RESULTS: json.dumps({"path": str(path), "params": params, "run": run})}
    if previous is not None:  # what the report's "What changed" section compares with
        env[config.ENV_PREVIOUS_RESULTS] = str(previous)
    return env
