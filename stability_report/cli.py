"""`python -m stability_report` (the `stability-report` command): `run`, the report pipeline's
command line, `compare` (tools.compare), `sweep` (tools.sweep) and the intake commands
(stability_report.tools.intake.commands).

Parameters are parsed and validated (stability_report.params) before anything else happens; the
clock is read here and nowhere else (the default of --as-of). The no-op path (inputs unchanged)
imports only the standard library and filelock (the run's lock): pandas, matplotlib, nbconvert
and papermill load only when there is something to render.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import textwrap
from datetime import date
from pathlib import Path

from . import config
from .errors import (
    FAILED,
    USAGE,
    Interrupted,
    NotebookFailed,
    OutputError,
    PipelineError,
    UnsafePath,
    UsageError,
)
from .params import ParameterError, Params
from .pipeline.inputs import NOTEBOOK_GLOB, Config, default_figures_dir, discover_notebooks
from .pipeline.progress import Progress
from .pipeline.run import run as run_report
from .pipeline.signals import HANDLED_SIGNALS, handle_signals
from .publish import safefs
from .render.chromium import CHROMIUM_START_TIMEOUT
from .tools import compare, sweep
from .tools.intake import commands

PROG = "python -m stability_report"

EXIT_CODES = """\
exit codes:
  0  the report was rendered and published, or it was already up to date
  1  a notebook or a render step failed; the published report is left as it was
  2  bad parameters or usage (nothing was run)
  3  another run holds the lock (<output>/.lock)
  4  the output cannot be written safely: a directory is not writable, the disk is full,
     TMPDIR is not writable, or a symbolic link (or another foreign object) stands where
     the report's own file or folder should be; nothing was published (unless the message
     says publishing stopped half way: then it says what is in place, and the next run
     completes the publication)
  5  a system dependency is missing (chromium: run `make system-deps`); the HTML is
     still published, the PDF is not
  129, 130, 143  stopped by SIGHUP, SIGINT or SIGTERM (the last line says whether this
     run had published)
"""

ENVIRONMENT = f"""\
environment:
  {config.ENV_NOTEBOOKS:<32} notebooks directory (default: notebooks/)
  {config.ENV_FACTS:<32} fact tables (default: data/facts/)
  {config.ENV_RAW:<32} source articles (default: data/raw/)
  {config.ENV_CHROMIUM:<32} the chromium executable (default: chromium on PATH)
"""

EXAMPLES = f"""\
examples:
  {PROG} run                                  # as of today; no-op if nothing changed
  {PROG} run --as-of 2024-06-04 -p burn_basis feb2024   # into scratch/burn_basis-feb2024/
  {PROG} run -p burn_basis feb2024 --publish          # into report/, replacing it
  {PROG} run --params-file scenario.json --output /srv/reports/stability --no-pdf
"""


def _params_help() -> str:
    lines = [
        "parameters (-p NAME VALUE, or a JSON object in --params-file; as_of defaults to "
        "today here):"
    ]
    for name, typ, default, doc in Params.describe():
        shown = "today" if name == "as_of" else default
        lines.append(f"  {name} ({typ}, default {shown})")
        lines += textwrap.wrap(doc, width=88, initial_indent="      ", subsequent_indent="      ")
    return "\n".join(lines) + "\n"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Reproducible report on the 2023-24 decline of Stability AI.",
        epilog=f"Run `{PROG} COMMAND --help` for each command's options and exit codes.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser(
        "run",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="execute the notebooks and publish report.html and report.pdf",
        description=textwrap.fill(
            "Execute the notebooks with the parameters, render one combined report "
            "(report.html, report.pdf) and publish it atomically in the output directory, "
            "with a dated archive of the run (executed notebooks, figures, run.json) in "
            "<output>/runs/: the run is swapped in whole as <output>/latest/, into which "
            "report.html, report.pdf, the brief, results.json, attachments and the figures "
            "directory are links. A run whose inputs (facts, "
            "notebooks, parameters, package code, requirements, options; the as-of date "
            "through what it changes in the analysis) are unchanged does nothing but record "
            "the check in <output>/checked.json. Progress goes to stderr, one line per step.",
            width=88,
        ),
        epilog="\n".join([_params_help(), EXIT_CODES, ENVIRONMENT, EXAMPLES]),
    )
    run.add_argument(
        "-p",
        "--param",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="set a parameter (repeatable)",
    )
    run.add_argument(
        "--params-file",
        type=Path,
        metavar="FILE.json",
        help="parameters from a JSON object; -p and --as-of override it",
    )
    run.add_argument("--as-of", metavar="YYYY-MM-DD", help="date of the analysis (default: today)")
    run.add_argument("--force", action="store_true", help="render even if the inputs are unchanged")
    run.add_argument(
        "--show-code",
        action="store_true",
        help="include the notebooks' code cells in the report (hidden by default)",
    )
    run.add_argument("--no-pdf", action="store_true", help="render report.html only")
    run.add_argument(
        "--output",
        type=Path,
        metavar="DIR",
        help="output directory (default: report/, or scratch/<scenario>/ for parameters other "
        "than the published defaults)",
    )
    run.add_argument(
        "--publish",
        action="store_true",
        help="with parameters other than the published defaults, publish into report/ and "
        "figures/ all the same (without it, such a run writes into scratch/<scenario>/)",
    )
    run.add_argument(
        "--figures-dir",
        type=Path,
        metavar="DIR",
        help="where the figures are published (default: figures/ for the default "
        "output, else DIR/figures)",
    )
    run.add_argument(
        "--notebooks",
        type=Path,
        metavar="DIR",
        help=f"notebooks to run, NN-name.ipynb (default: ${config.ENV_NOTEBOOKS} or notebooks/)",
    )
    run.add_argument(
        "--facts",
        type=Path,
        metavar="DIR",
        help=f"fact tables (default: ${config.ENV_FACTS} or data/facts/)",
    )
    run.add_argument(
        "--raw",
        type=Path,
        metavar="DIR",
        help=f"source articles (default: ${config.ENV_RAW} or data/raw/)",
    )
    run.add_argument(
        "--chromium",
        metavar="PATH",
        help=f"chromium executable for the PDF (default: ${config.ENV_CHROMIUM} or chromium on "
        "PATH)",
    )
    run.add_argument(
        "--timeout",
        type=int,
        default=600,
        metavar="SECONDS",
        help="time limit for one notebook cell, and for the kernel's start-up (default: 600)",
    )
    run.add_argument(
        "--print-timeout",
        type=int,
        default=60,
        metavar="SECONDS",
        help="time limit for Chromium to load and print report.pdf (default: 60; "
        "its start-up has a limit of its own, "
        f"{CHROMIUM_START_TIMEOUT} s)",
    )
    run.add_argument(
        "--timestamps",
        action="store_true",
        help="begin each progress line with the local date and time (for a log file; the "
        "systemd journal stamps its own)",
    )
    run.add_argument(
        "--keep-runs",
        type=int,
        default=0,
        metavar="N",
        help="keep only the N newest runs in <output>/runs/ (default: keep all)",
    )
    commands.add_parsers(sub)
    compare.add_parser(sub)
    sweep.add_parser(sub)
    return parser


def resolve_params(args: argparse.Namespace) -> dict:
    """File, then -p, then --as-of; as_of defaults to today. Raises ParameterError."""
    values: dict = {}
    if args.params_file is not None:
        explicit = Params.file_values(args.params_file)
        values.update(Params.from_mapping(explicit).as_dict())
        if "as_of" not in explicit:
            values.pop("as_of")
    for name, value in args.param:
        values[name] = value
    if args.as_of is not None:
        values["as_of"] = args.as_of
    if "as_of" not in values:
        values["as_of"] = date.today().isoformat()  # the one place the clock is read
    return Params.from_mapping(values).as_dict()


def scenario(params: dict) -> dict:
    """The parameters that differ from the published defaults (as_of aside: the published
    report is as of the day it was made)."""
    defaults = Params().as_dict()
    return {k: v for k, v in params.items() if k != "as_of" and v != defaults.get(k)}


def default_output(args: argparse.Namespace, params: dict) -> Path:
    """--output; else report/, unless the parameters are a scenario of their own and
    --publish is not given: then scratch/<scenario>/, so exploring never replaces the published
    report."""
    if args.output is not None:
        return args.output
    changed = scenario(params)
    if changed and not args.publish:
        return config.SCRATCH / sweep.folder_name(changed)
    return config.REPORT


def make_config(args: argparse.Namespace, params: dict) -> Config:
    # absolute (the report's links are checked against its folder, and the kernel runs
    # elsewhere), but not resolved: a symbolic link there is still seen, and refused
    output = Path(os.path.abspath(default_output(args, params)))
    notebooks = Path(os.path.abspath(args.notebooks or config.notebooks_dir()))
    facts = Path(os.path.abspath(args.facts or config.facts_dir()))
    raw = Path(os.path.abspath(args.raw or config.raw_dir()))
    for what, d in (("notebooks", notebooks), ("facts", facts), ("raw", raw)):
        if not d.is_dir():
            raise UsageError(f"{what} directory {d} does not exist")
    if not discover_notebooks(notebooks):
        raise UsageError(f"no notebooks ({NOTEBOOK_GLOB}) in {notebooks}")
    if args.timeout <= 0 or args.print_timeout <= 0 or args.keep_runs < 0:
        raise UsageError("--timeout and --print-timeout must be above 0 and --keep-runs at least 0")
    return Config(
        params=params,
        output=output,
        figures=Path(os.path.abspath(args.figures_dir))
        if args.figures_dir
        else default_figures_dir(output),
        notebooks=notebooks,
        facts=facts,
        raw=raw,
        show_code=args.show_code,
        pdf=not args.no_pdf,
        force=args.force,
        chromium=args.chromium,
        timeout=args.timeout,
        print_timeout=args.print_timeout,
        keep_runs=args.keep_runs,
    )


def _prepare_output(output: Path) -> None:
    try:
        if not os.path.islink(output):  # a link there is refused below, not followed
            output.mkdir(parents=True, exist_ok=True)
        safefs.require_dir(output, "the output directory")
    except UnsafePath as e:
        raise OutputError(f"{e} (give the directory itself, not a link to it)") from None
    except OSError as e:
        raise OutputError.from_os(e, f"the output directory {output}") from None
    if not os.access(output, os.W_OK | os.X_OK):
        try:
            read_only = bool(os.statvfs(output).f_flag & os.ST_RDONLY)
        except OSError:
            read_only = False
        why = "the file system is read-only" if read_only else "permission denied"
        raise OutputError(f"cannot write the output directory {output}: {why}")


def run(args: argparse.Namespace) -> int:
    progress = Progress(total=0, timestamps=args.timestamps)
    try:
        try:
            params = resolve_params(args)
        except ParameterError as e:
            raise UsageError(f"bad parameter: {e}") from None
        cfg = make_config(args, params)
        if args.output is None and cfg.output != config.REPORT:
            shown = ", ".join(f"{k}={v}" for k, v in scenario(params).items())
            progress.say(
                f"exploring {shown}: the report goes to {_shown(cfg.output)}/, the published "
                "report/ stays as it is (--publish publishes it there)"
            )
        _prepare_output(cfg.output)
        return run_report(cfg, progress)
    except PipelineError as e:
        progress.say("error: " + (e.describe() if isinstance(e, NotebookFailed) else str(e)))
        if progress.published:
            pass  # what was published has been said
        elif isinstance(e, OutputError):
            progress.say("nothing was published; the published report is unchanged")
        else:
            progress.say("the published report is unchanged")
        return e.exit_code
    except (Interrupted, KeyboardInterrupt) as e:
        _quiet_after_interruption()
        signum = e.signum if isinstance(e, Interrupted) else signal.SIGINT
        name = signal.Signals(signum).name
        if progress.published:
            progress.say(f"stopped by {name} after run {progress.published} was published")
        else:
            progress.say(
                f"stopped by {name}; nothing was published, the published report is unchanged"
            )
        return 128 + signum
    except Exception as e:  # a bug, not a user error: say so, with the traceback
        import traceback

        traceback.print_exc()
        progress.say(
            f"error: unexpected {type(e).__name__}: {e}; the published report is unchanged"
        )
        return FAILED


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _quiet_after_interruption() -> None:
    """What the interrupted libraries would print while the process ends (asyncio's reports
    of tasks a signal cut short) is not news: the one line above says what happened."""
    import logging

    logging.getLogger("asyncio").disabled = True
    for signum in HANDLED_SIGNALS:  # a second ^C while exiting ends it quietly too
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, signal.SIG_DFL if signum != signal.SIGINT else signal.SIG_IGN)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command in commands.NAMES:
        return commands.dispatch(args, parser)
    if args.command == "compare":
        return compare.main(args)
    if args.command == "sweep":
        return sweep.main(args, args.as_of or date.today().isoformat())  # the clock, read here
    if args.command != "run":
        parser.print_help(sys.stderr)
        return USAGE
    handle_signals()
    return run(args)
