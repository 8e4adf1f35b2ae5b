"""The intake commands of `python -m stability_report`: `sources add`, `extract`, `accept`,
`facts check`, and the undo and correction commands `reject`, `sources remove` and `sources
replace`: what each does and says (the options, help and exit codes are intake.options).

Each command reads the fact base from --facts/--raw (default: $STABILITY_REPORT_FACTS_DIR and
$STABILITY_REPORT_RAW_DIR, else data/facts/ and data/raw/). Bad input stops it with a message
naming the file, row and column, exit 2, and nothing written. The modules that do the work
(register, extract, accept, check, revise) load only when a command runs, so `run` stays light.
"""

from __future__ import annotations

import argparse
import glob
import os
import shlex
import sys
import tempfile
from pathlib import Path

from ... import config
from .options import NAMES, PROG, SOURCES_ACTIONS, add_parsers

__all__ = ["NAMES", "add_parsers", "dispatch"]


def _write(path: Path, text: str) -> None:
    """Write a file whole or not at all (temporary file, then rename)."""
    if path.is_dir():
        raise _usage(f"--out {path}: expected a file path; got a directory")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise _usage(f"--out {path}: the directory {parent} does not exist")
    for left in parent.glob(f".{glob.escape(path.name)}.????????.tmp"):  # of a killed write
        if left.is_file() and not left.is_symlink():
            left.unlink()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _usage(message: str) -> Exception:
    from ...errors import IntakeError

    return IntakeError(message)


def _source_for(file: Path, text: str, data: bytes, facts, args):
    import hashlib

    from .extract import Source
    from .register import dating_of

    digest = hashlib.sha256(data).hexdigest()
    src = facts.sources[facts.sources["sha256"] == digest]
    sid = str(src.iloc[0]["source_id"]) if len(src) else ""
    if args.published or args.published_between or not sid:
        d = dating_of(
            text,
            file,
            args.published,
            tuple(args.published_between) if args.published_between else None,
        )
        return Source((d.start, d.end), sid), d.note
    r = src.iloc[0]
    return Source(
        (r["published_start"].date(), r["published_end"].date()), sid
    ), f"publication {r['published_start'].date()}..{r['published_end'].date()} from sources.csv"


def _remove(args: argparse.Namespace, facts_dir: Path, raw_dir: Path) -> int:
    from .revise import remove_source

    print(remove_source(args.source_id, facts_dir, raw_dir).summary(), file=sys.stderr)
    return 0


def _where(args: argparse.Namespace) -> str:
    """The --facts and --raw options as given, for the next command a message suggests: the
    fact base a scratch copy was worked on is the one the next step must read."""
    return "".join(
        f" {opt} {shlex.quote(str(d))}"
        for opt, d in (("--facts", args.facts), ("--raw", args.raw))
        if d is not None
    )


def _between(args: argparse.Namespace) -> tuple | None:
    return tuple(args.published_between) if args.published_between else None


def _replace(args: argparse.Namespace, facts_dir: Path, raw_dir: Path) -> int:
    from .replace import replace_source

    done, row = replace_source(
        args.source_id,
        args.file,
        facts_dir,
        raw_dir,
        published=args.published,
        between=_between(args),
        headline=args.headline,
    )
    print(
        done.summary() + f"\nreplaced the text of {row['source_id']} "
        f"(published {row['published_start']}..{row['published_end']}); next: {PROG} "
        f"facts check{_where(args)}",
        file=sys.stderr,
    )
    return 0


def _reject(args: argparse.Namespace, facts_dir: Path, raw_dir: Path) -> int:
    from .revise import reject

    print(reject(args.ids, facts_dir, raw_dir).summary(), file=sys.stderr)
    return 0


def _add_source(args: argparse.Namespace, facts_dir: Path, raw_dir: Path) -> int:
    from .register import add_source

    row = add_source(
        args.file,
        facts_dir,
        raw_dir,
        published=args.published,
        between=_between(args),
        headline=args.headline,
        described={"outlet": args.outlet, "author": args.author, "url": args.url},
    )
    print(
        f"registered {row['source_id']}: {raw_dir / row['file']} "
        f"(published {row['published_start']}..{row['published_end']}, "
        f"{row['published_precision']})",
        file=sys.stderr,
    )
    print(
        f"next: {PROG} extract {raw_dir / row['file']} --out candidates.csv{_where(args)}",
        file=sys.stderr,
    )
    return 0


def _extract(args: argparse.Namespace, facts_dir: Path, raw_dir: Path) -> int:
    from ...facts.load import load_facts
    from .extract import check_size, extract, to_csv
    from .register import read_article

    data, text = read_article(args.file)
    check_size(args.file, len(data))
    facts = load_facts(facts_dir, raw_dir)
    source, how = _source_for(args.file, text, data, facts, args)
    rows = extract(text, facts, source)
    out = to_csv(rows)
    if args.out:
        _write(args.out, out)
    else:
        sys.stdout.write(out)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["kind"]] = counts.get(r["kind"], 0) + 1
    shown = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    unregistered = (
        ""
        if source.source_id
        else f"; not registered yet: {PROG} sources add {args.file}{_where(args)}"
    )
    print(
        f"{len(rows)} candidates ({shown}); dates resolved against {how}"
        + ("" if source.source_id else unregistered),
        file=sys.stderr,
    )
    return 0


def _accept(args: argparse.Namespace, facts_dir: Path, raw_dir: Path) -> int:
    from .accept import accept

    done = accept(args.candidates, facts_dir, raw_dir)
    print(
        done.summary()
        + (
            f"; next: {PROG} facts check{_where(args)}"
            if done.ids
            else f" (no row of {args.candidates} is marked accept=yes)"
        ),
        file=sys.stderr,
    )
    return 0


def _facts_check(args: argparse.Namespace, facts_dir: Path, raw_dir: Path) -> int:
    from ...facts.load import load_facts
    from . import check as fc
    from .store import locked
    from .unused import unused

    with locked(facts_dir, raw_dir, lambda m: print(m, file=sys.stderr)):
        facts = load_facts(facts_dir, raw_dir)
    judged = fc.Judged.of(facts)
    dups = fc.near_duplicates(facts)
    not_used, note = unused(facts, args.report or config.REPORT / "report.html")
    contra = fc.contradictions(facts, judged)
    repeats = fc.repeats(facts, judged)
    header = rows = None
    if args.candidates:
        from .accept import read_candidates

        header, rows = read_candidates(args.candidates)
        contra += fc.candidate_contradictions(facts, rows)
    print(fc.render(dups, not_used, note, contra, repeats))
    if args.out:
        _write(args.out, fc.suggestions_csv(contra + repeats, header, rows))
        print(f"suggested conflicts rows written to {args.out}", file=sys.stderr)
    return 0


# What runs each command, by (command, action).
_HANDLERS = {
    ("sources", "remove"): _remove,
    ("sources", "replace"): _replace,
    ("sources", "add"): _add_source,
    ("reject", None): _reject,
    ("extract", None): _extract,
    ("accept", None): _accept,
    ("facts", "check"): _facts_check,
}


def _missing_action(args: argparse.Namespace) -> str:
    """The message for `sources` or `facts` given without an action; empty when one is."""
    for command, action, expected in (
        ("sources", "sources_command", SOURCES_ACTIONS),
        ("facts", "facts_command", ("check",)),
    ):
        if args.command == command and getattr(args, action, None) not in expected:
            return (
                f"error: {command}: expected an action: {', '.join(expected)} (see `{PROG} "
                f"{command} {expected[0]} --help`)"
            )
    return ""


def _action(args: argparse.Namespace) -> str | None:
    if args.command == "sources":
        return args.sources_command
    if args.command == "facts":
        return args.facts_command
    return None


def dispatch(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Run one intake command; its exit code (0 done, 1 a refused write, 2 bad input)."""
    from ...errors import FactsError, IntakeError

    missing = _missing_action(args)
    if missing:
        print(missing, file=sys.stderr)
        return 2
    handler = _HANDLERS.get((args.command, _action(args)))
    facts_dir = args.facts or config.facts_dir()
    raw_dir = args.raw or config.raw_dir()
    try:
        for what, d in (("--facts", facts_dir), ("--raw", raw_dir)):
            if not Path(d).is_dir():
                raise IntakeError(f"{what}: the directory {d} does not exist")
        if handler:
            return handler(args, facts_dir, raw_dir)
    except (IntakeError, FactsError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # the file system refused a write or a read
        print(f"error: {e}", file=sys.stderr)
        return 1
    parser.print_help(sys.stderr)
    return 2
