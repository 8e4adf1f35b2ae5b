"""The command line: help, parameters checked before anything runs, exit codes, the lock and
the no-op path.

The tests of the same that need a whole run are in tests/integration/test_cli.py.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from stability_report import cli, config


def _args(*argv: str):
    return cli.build_parser().parse_args(["run", *argv])


def test_parameter_precedence_file_then_p_then_as_of(tmp_path):
    f = tmp_path / "p.json"
    f.write_text(
        json.dumps({"as_of": "2024-01-01", "burn_basis": "feb2024", "horizon_months": 12}),
        encoding="utf-8",
    )
    p = cli.resolve_params(_args("--params-file", str(f), "-p", "horizon_months", "24"))
    assert p["as_of"] == "2024-01-01" and p["burn_basis"] == "feb2024"
    assert p["horizon_months"] == 24  # -p overrides the file, parsed to its declared type
    p = cli.resolve_params(_args("--params-file", str(f), "--as-of", "2024-03-01"))
    assert p["as_of"] == "2024-03-01"


def test_as_of_defaults_to_today():
    assert cli.resolve_params(_args())["as_of"] == date.today().isoformat()
    f_less = cli.resolve_params(_args("-p", "burn_basis", "feb2024"))
    assert f_less["as_of"] == date.today().isoformat()


@pytest.mark.parametrize(
    ("argv", "where"),
    [
        ([], config.REPORT),
        (["--as-of", "2024-06-04"], config.REPORT),
        (["-p", "burn_basis", "fy2023_projection"], config.REPORT),  # the default, said
        (["-p", "burn_basis", "feb2024"], config.SCRATCH / "burn_basis-feb2024"),
        (
            ["-p", "revenue_growth", "0.05", "-p", "horizon_months", "24"],
            config.SCRATCH / "revenue_growth-0.05_horizon_months-24",
        ),
        (["-p", "burn_basis", "feb2024", "--publish"], config.REPORT),
        (["-p", "burn_basis", "feb2024", "--output", "/tmp/x"], Path("/tmp/x")),
    ],
)
def test_a_scenario_goes_to_scratch_unless_published(argv, where):
    """Parameters other than the published defaults never replace the published report by
    default: they write into scratch/<scenario>/; --publish or --output say otherwise."""
    args = cli.build_parser().parse_args(["run", *argv])
    params = cli.resolve_params(args)
    assert cli.make_config(args, params).output == where
