"""`python -m stability_report sweep`: the report for every combination of some parameters'
values (`-p NAME v1,v2,...`, repeatable), each scenario's report in `<output>/<scenario>/`, and a
comparison of their key numbers in `<output>/sweep.csv` and `<output>/sweep.html`.

Each scenario is one ordinary `run` (pipeline.run, with its lock, its no-op check, its atomic
publication) in a process of its own; `--jobs` of them (default: one per core) run at once, and
their progress lines reach stderr prefixed with the scenario's name. The runs share nothing but
the machine: each starts its own kernel and loads the fact base itself (the kernel session
cannot serve two runs at once, and the notebooks' globals and figures are per run). Every
parameter name and value is checked before anything runs (exit 2). The table is written only
when every scenario succeeded; a failed scenario leaves its previous report as it was.

Standard library only: the key numbers come from each scenario's results.json
(stability_report.resultsfile).
"""

from __future__ import annotations

import argparse
import csv
import html
import io
import itertools
import os
import re
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import resultsfile
from ..errors import FAILED, OUTPUT, USAGE, UnsafePath
from ..params import ParameterError, Params, did_you_mean
from ..publish import safefs

CSV_NAME, HTML_NAME = "sweep.csv", "sweep.html"
# The key number the sweep's figure draws, one bar per scenario.
FIGURE_KEY = "scenario_no_new_money"
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Scenario:
    name: str  # its folder in the output directory
    values: dict[str, str]  # the swept parameters, as given


def add_parser(sub) -> None:
    p = sub.add_parser(
        "sweep",
        help="render the report for every combination of parameter values and compare them",
        description="Render one report per combination of the values given (-p NAME v1,v2,... "
        "repeated for each parameter swept), several at once, each in <output>/<scenario>/ "
        "(a run of its own: a scenario whose inputs are unchanged renders nothing), then write "
        "<output>/sweep.csv (one row per scenario: its parameters and the key numbers of its "
        "results.json) and <output>/sweep.html (the comparison table and a figure, "
        "self-contained). Bad parameter names or values: exit 2 before anything runs. A failed "
        "scenario: the others finish, no table is written, exit 1.",
    )
    p.add_argument(
        "-p",
        "--param",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUES"),
        help="a parameter and its values, separated by commas (repeatable)",
    )
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="date of the analysis (default: today)")
    p.add_argument("--output", type=Path, required=True, metavar="DIR", help="output directory")
    p.add_argument("--no-pdf", action="store_true", help="render each report.html only")
    p.add_argument("--force", action="store_true", help="render even unchanged scenarios")
    p.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="scenarios rendered at once (default: the number of cores)",
    )
    p.add_argument("--notebooks", type=Path, metavar="DIR", help="as for `run`")
    p.add_argument("--facts", type=Path, metavar="DIR", help="as for `run`")
    p.add_argument("--raw", type=Path, metavar="DIR", help="as for `run`")


def folder_name(values: dict[str, Any]) -> str:
    """A scenario's folder, named by its values: `burn_basis-feb2024_horizon_months-24`."""
    return "_".join(f"{k}-{_SAFE.sub('-', str(v))}" for k, v in values.items())


def _axis(name: str, values: str, names: list[str], taken: dict) -> list[str]:
    """The values of one swept parameter; ParameterError for an unknown, repeated or as_of
    parameter, or an empty or repeated value."""
    if name not in names:
        raise ParameterError(
            f"unknown parameter {name!r}{did_you_mean(name, names)}; known: {', '.join(names)}"
        )
    if name == "as_of":
        raise ParameterError("as_of is not swept: give it with --as-of")
    if name in taken:
        raise ParameterError(f"{name} is given twice")
    vals = [v.strip() for v in values.split(",")]
    if any(not v for v in vals):
        raise ParameterError(f"{name}: an empty value in {values!r}")
    if len(set(vals)) != len(vals):
        raise ParameterError(f"{name}: a value repeated in {values!r}")
    return vals


def _scenario(values: dict[str, str], as_of: str) -> Scenario:
    """One combination, checked by the parameters (ParameterError naming the scenario)."""
    try:
        Params.from_mapping({"as_of": as_of, **values})
    except ParameterError as e:
        shown = ", ".join(f"{k}={v}" for k, v in values.items())
        raise ParameterError(f"{e} (in the scenario {shown})") from None
    return Scenario(folder_name(values), values)


def scenarios(swept: list[tuple[str, str]], as_of: str) -> list[Scenario]:
    """The grid: every combination of the values, in the order given. Raises ParameterError
    naming a parameter that is unknown, repeated or as_of, an empty or repeated value, or a
    combination the parameters refuse."""
    names = Params.names()
    axes: dict[str, list[str]] = {}
    for name, values in swept:
        axes[name] = _axis(name, values, names, axes)
    if not axes:
        raise ParameterError("nothing to sweep: give at least one -p NAME v1,v2,...")
    out, seen = [], set()
    for combo in itertools.product(*axes.values()):
        scenario = _scenario(dict(zip(axes, combo)), as_of)
        if scenario.name in seen:  # two values that differ only in characters a name drops
            raise ParameterError(f"two scenarios would share the folder {scenario.name!r}")
        seen.add(scenario.name)
        out.append(scenario)
    return out


def main(args: argparse.Namespace, as_of: str) -> int:
    """The sweep the command line asked for, as of `as_of`; returns the exit code."""
    try:
        grid = scenarios(args.param, as_of)
        Params.from_mapping({"as_of": as_of})
    except ParameterError as e:
        return _error(f"bad parameter: {e}", USAGE)
    if args.jobs < 1:
        return _error("--jobs must be at least 1", USAGE)
    out = args.output = Path(os.path.abspath(args.output))  # not resolved: a link is refused
    try:
        if not os.path.islink(out):
            out.mkdir(parents=True, exist_ok=True)
        safefs.require_dir(out, "the output directory")
    except (OSError, UnsafePath) as e:
        return _error(f"cannot use the output directory {out}: {e}", OUTPUT)
    _say(f"sweeping {len(grid)} scenarios, {min(args.jobs, len(grid))} at once, into {out}")
    lock = threading.Lock()
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        codes = list(pool.map(lambda s: _run(s, args, as_of, lock), grid))
    failed = [(s.name, rc) for s, rc in zip(grid, codes) if rc != 0]
    if failed:
        shown = ", ".join(f"{n} (exit {rc})" for n, rc in failed)
        return _error(f"{len(failed)} of {len(grid)} scenarios failed: {shown}; no table written")
    try:
        rows = [(s, resultsfile.read(out / s.name / resultsfile.NAME)) for s in grid]
    except resultsfile.ResultsError as e:  # a report published before runs wrote results.json
        return _error(f"{e}; render that scenario again with --force")
    names = [n for n, _ in args.param]
    try:
        _write(out / CSV_NAME, table_csv(rows, names))
        _write(out / HTML_NAME, page(rows, names, as_of))
    except (OSError, UnsafePath) as e:
        return _error(f"cannot write the sweep's table in {out}: {e}", OUTPUT)
    _say(f"wrote {out / CSV_NAME} and {out / HTML_NAME} ({len(grid)} scenarios)")
    return 0


def _say(text: str) -> None:
    print(f"stability-report: {text}", file=sys.stderr, flush=True)


def _error(text: str, code: int = FAILED) -> int:
    print(f"stability-report: error: {text}", file=sys.stderr, flush=True)
    return code


def _run(s: Scenario, args: argparse.Namespace, as_of: str, lock: threading.Lock) -> int:
    """One scenario's `run`, in a process of its own; its stderr relayed line by line."""
    cmd = [sys.executable, "-m", "stability_report", "run", "--output", str(args.output / s.name)]
    cmd += ["--as-of", as_of]
    for k, v in s.values.items():
        cmd += ["-p", k, v]
    for flag, value in (("--notebooks", args.notebooks), ("--facts", args.facts)):
        if value is not None:
            cmd += [flag, str(value)]
    if args.raw is not None:
        cmd += ["--raw", str(args.raw)]
    cmd += (["--no-pdf"] if args.no_pdf else []) + (["--force"] if args.force else [])
    proc = subprocess.Popen(
        cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        with lock:
            text = line.rstrip("\n").removeprefix("stability-report: ")
            print(f"stability-report: [{s.name}] {text}", file=sys.stderr, flush=True)
    return proc.wait()


def _key_order(rows) -> list[str]:
    keys: dict[str, None] = {}
    for _, r in rows:
        keys.update(dict.fromkeys(r["key_numbers"]))
    return sorted(keys)


def table_csv(rows: list[tuple[Scenario, dict[str, Any]]], names: list[str]) -> str:
    """sweep.csv: one row per scenario: its folder, run id, as-of date, the swept parameters
    (as the run read them), then the value of every key number (empty where a scenario has
    none; units in docs/results.md)."""
    keys = _key_order(rows)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["scenario", "run_id", "as_of", *names, *keys])
    for s, r in rows:
        kn = r["key_numbers"]
        w.writerow(
            [s.name, r["run"].get("run_id", ""), r["as_of"]]
            + [_cell(r["params"].get(n)) for n in names]
            + [_cell(kn[k]["value"]) if k in kn else "" for k in keys]
        )
    return buf.getvalue()


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def figure(rows: list[tuple[Scenario, dict[str, Any]]]) -> str:
    """An inline SVG: one bar per scenario, the months of runway with no new money on the chosen
    basis (FIGURE_KEY), labelled as the report prints it; a runway past the horizon is drawn to
    the horizon, hatched."""
    bars = []
    for s, r in rows:
        n = r["key_numbers"].get(FIGURE_KEY)
        horizon = float(r["params"].get("horizon_months", 0) or 0)
        value = n["value"] if n else None
        months = float(value) if isinstance(value, (int, float)) else horizon
        bars.append((s.name, months, n["text"] if n else "not computable", value is None))
    top = max([m for _, m, _, _ in bars] + [1.0])
    left, width, bar, gap = 330, 360, 18, 10
    height = 40 + len(bars) * (bar + gap)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 150}" '
        f'height="{height}" role="img" aria-label="Runway with no new money, by scenario">',
        '<defs><pattern id="past" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="3" height="6" fill="#4a6fa5"/></pattern>'
        "</defs>",
        '<text x="0" y="16" font-size="13" font-weight="bold">Runway with no new money on '
        "the chosen basis (months)</text>",
    ]
    for i, (name, months, text, past) in enumerate(bars):
        y = 32 + i * (bar + gap)
        w = width * months / top
        fill = "url(#past)" if past else "#4a6fa5"
        out.append(
            f'<text x="{left - 8}" y="{y + 13}" font-size="11" text-anchor="end">'
            f"{html.escape(name)}</text>"
        )
        out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar}" fill="{fill}"/>')
        out.append(
            f'<text x="{left + w + 6:.1f}" y="{y + 13}" font-size="11">{html.escape(text)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


def row_label(key: str, labels: list[str]) -> str:
    """A key number's row heading in words: its label, or, where scenarios label it differently
    (the label names the chosen basis), the words their labels share, else the key in words."""
    labels = list(dict.fromkeys(labels))
    if len(labels) == 1:
        return labels[0]
    words = [label.split() for label in labels]
    common = []
    for group in zip(*words):
        if len(set(group)) > 1:
            break
        common.append(group[0])
    shared = " ".join(common).rstrip(" ,;:(–-")
    if len(common) >= 2 and shared:
        return shared + " …"
    text = key.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def page(rows: list[tuple[Scenario, dict[str, Any]]], names: list[str], as_of: str) -> str:
    """sweep.html: the figure, then one row per key number and one column per scenario (the
    text each report prints), each column headed by its parameters and linked to its report.
    Every row is headed in words (row_label); where the scenarios label a key number
    differently (the label names the chosen basis), each cell says its own. The rows whose
    numbers differ between scenarios are marked (and counted above the table). No external
    resource: the style and the figure are inline."""
    keys = _key_order(rows)
    e = html.escape
    head = "".join(
        f'<th><a href="{e(s.name)}/report.html">{e(s.name)}</a><br>'
        + "<br>".join(f"{e(n)} = {e(_cell(r['params'].get(n)))}" for n in names)
        + "</th>"
        for s, r in rows
    )
    body = []
    differing = 0
    for k in keys:
        labels = [r["key_numbers"][k]["label"] for _, r in rows if k in r["key_numbers"]]
        own = len(set(labels)) > 1  # a label naming what differs (the chosen basis): in each cell
        texts = {r["key_numbers"][k]["text"] if k in r["key_numbers"] else None for _, r in rows}
        differs = len(texts) > 1
        differing += differs
        cells = "".join(
            (
                f"<td>{e(r['key_numbers'][k]['text'])}"
                + (f"<br><small>{e(r['key_numbers'][k]['label'])}</small>" if own else "")
                + "</td>"
            )
            if k in r["key_numbers"]
            else "<td>–</td>"
            for _, r in rows
        )
        header = f'{e(row_label(k, labels))}<br><small class="key">{e(k)}</small>'
        mark = '<span class="mark" title="differs between scenarios">≠</span> ' if differs else ""
        row_class = ' class="differs"' if differs else ""
        body.append(f'<tr{row_class}><th scope="row">{mark}{header}</th>{cells}</tr>')
    style = (
        "body{font-family:sans-serif;margin:2em;color:#222}"
        "table{border-collapse:collapse;font-size:13px}"
        "th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
        "thead th{background:#f3f3f3}"
        "small.key{color:#777;font-family:monospace;font-size:11px}"
        "tr.differs td,tr.differs th{background:#fff4cc}"
        ".mark{font-weight:bold;color:#8a5a00}"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Scenario sweep as of {e(as_of)}</title><style>{style}</style></head><body>\n"
        f"<h1>Scenario sweep as of {e(as_of)}</h1>\n"
        f"<p>{len(rows)} scenarios of the report, each in its folder; the numbers are those of "
        f"each scenario's results.json (also in {CSV_NAME}). "
        f'<span class="mark">≠</span> marks the {differing} of {len(keys)} key numbers that '
        "differ between scenarios (shaded).</p>\n"
        f"{figure(rows)}\n"
        f"<table><thead><tr><th>key number</th>{head}</tr></thead><tbody>\n"
        + "\n".join(body)
        + "\n</tbody></table>\n</body></html>\n"
    )


def _write(path: Path, text: str) -> None:
    """Replace a file by a rename, never following a link at either name."""
    tmp = path.with_name(f".{path.name}.new")
    safefs.require_file_slot(path, f"the sweep's {path.name}")
    if os.path.lexists(tmp):
        safefs.require_file_slot(tmp, "a temporary file of the sweep")
        safefs.unlink(tmp)
    safefs.write_new(tmp, text.encode("utf-8"))
    os.rename(tmp, path)
