"""The options, help and exit codes of the intake commands of `python -m stability_report`
(`sources add|remove|replace`, `extract`, `accept`, `facts check`, `reject`): the argparse
subparsers that `commands.add_parsers` adds. What each command does is intake.commands.
"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

PROG = "python -m stability_report"
NAMES = ("sources", "extract", "accept", "facts", "reject")
SOURCES_ACTIONS = ("add", "remove", "replace")
EXIT = """\
exit codes:
  0  done (facts check: also when it reports findings; it never fails the build)
  1  the file system refused a write (disk full, permissions); what was written is undone
  2  bad usage or bad input: the message names the file, row and column; nothing was written
"""


def _fill(text: str) -> str:
    return textwrap.fill(" ".join(text.split()), width=88)


def _dirs(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--facts",
        type=Path,
        metavar="DIR",
        help="fact tables (default: $STABILITY_REPORT_FACTS_DIR or data/facts/)",
    )
    p.add_argument(
        "--raw",
        type=Path,
        metavar="DIR",
        help="source articles (default: $STABILITY_REPORT_RAW_DIR or data/raw/)",
    )


def _published(p: argparse.ArgumentParser, what: str) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--published", metavar="YYYY-MM-DD", help=f"publication day {what}")
    g.add_argument(
        "--published-between",
        nargs=2,
        metavar=("A", "B"),
        help=f"earliest and latest possible publication days {what}",
    )


def add_parsers(sub: argparse._SubParsersAction) -> None:
    raw = argparse.RawDescriptionHelpFormatter
    src = sub.add_parser(
        "sources",
        help="register, remove or correct an article (sources add|remove|replace)",
        description="Manage the articles the report is built from.",
    )
    ssub = src.add_subparsers(dest="sources_command", metavar="ACTION")
    add = ssub.add_parser(
        "add",
        formatter_class=raw,
        help="copy an article into data/raw/ and record it",
        description=_fill(
            "Copy FILE byte for byte into the raw directory as NNN_<sha256 prefix>.txt and "
            "record it in sources.csv with the next source id, its SHA-256, its headline and "
            "its publication date: as given, or as bounded by the article's own text (a "
            "'Published' or 'Updated' line, a date line under the headline), with the precision "
            "and a note on how it was established. A file already in the raw directory is "
            "registered where it is. Refuses a file already registered (same SHA-256), empty, "
            "or not UTF-8, and writes nothing unless the whole fact base validates."
        ),
        epilog=EXIT + f"\nexample:\n  {PROG} sources add ~/articles/ft-stability.txt "
        "--published 2024-03-23 --outlet 'Financial Times' \\\n"
        "      --url https://www.ft.com/content/...\n",
    )
    add.add_argument("file", type=Path, metavar="FILE", help="the article, plain UTF-8 text")
    _published(add, "(default: read from the text)")
    add.add_argument(
        "--headline",
        metavar="TEXT",
        help="the headline, verbatim as in the file (default: its first line)",
    )
    add.add_argument("--outlet", metavar="NAME", help="the publication that ran the article")
    add.add_argument("--author", metavar="NAME", help="the article's author, where given")
    add.add_argument("--url", metavar="URL", help="where the article was published (http(s)://)")
    _dirs(add)

    rm = ssub.add_parser(
        "remove",
        formatter_class=raw,
        help="remove an article and everything only it supports",
        description=_fill(
            "Remove source SOURCE_ID: its row of sources.csv, its file in the raw directory, "
            "the references it gives to other sources' statements, the facts whose own source "
            "it is, the conflicts that cite a removed fact, and the persons that only removed "
            "facts named. A fact that other sources also report stays, with its id: its first "
            "further reference becomes its own source and quote. Removed records are deleted "
            "exactly and every other byte is kept, so removing the article that the last "
            "`sources add` and `accept` took in gives back every file as it was. Validates the "
            "whole fact base and writes all of it or nothing; prints what was removed by id."
        ),
        epilog=EXIT + f"\nexample:\n  {PROG} sources remove S002\n",
    )
    rm.add_argument("source_id", metavar="SOURCE_ID", help="the source's id, e.g. S002")
    _dirs(rm)

    rp = ssub.add_parser(
        "replace",
        formatter_class=raw,
        help="take in a corrected version of an article, keeping its facts",
        description=_fill(
            "Make FILE the text of source SOURCE_ID: it is copied into the raw directory as "
            "NNN_<sha256 prefix>.txt (the old file goes) and the SHA-256 recorded. Every quote "
            "of that source (its facts, its references to other statements, the conflicts "
            "quoting its facts) is checked against the new text: kept when still "
            "verbatim; re-anchored when the new text holds exactly one passage that matches it "
            "closely (difflib ratio at least 0.9) with the same figures and dates, each printed "
            "old -> new; otherwise the change is refused, listing every quote that cannot be "
            "placed by file, row, column and id. Facts and ids stay. The publication "
            "date stays as registered unless --published or --published-between is given; the "
            "headline is read again from the first line when it is no longer in the text."
        ),
        epilog=EXIT + f"\nexample:\n  {PROG} sources replace S002 ~/articles/ft-stability-"
        "corrected.txt --published 2024-03-23\n",
    )
    rp.add_argument("source_id", metavar="SOURCE_ID", help="the source's id, e.g. S002")
    rp.add_argument("file", type=Path, metavar="FILE", help="the corrected article, UTF-8 text")
    _published(rp, "(default: as registered)")
    rp.add_argument(
        "--headline",
        metavar="TEXT",
        help="the headline, verbatim as in the file (default: the registered one while it is "
        "still in the text, else the first line)",
    )
    _dirs(rp)

    ext = sub.add_parser(
        "extract",
        formatter_class=raw,
        help="propose candidate facts of an article as CSV",
        description=_fill(
            "Print the candidate facts of FILE as CSV, one row per candidate: amounts of money "
            "(value in dollars, unit, bound), dates (resolved against the publication date, "
            "with how), people, roles, departures and organisations, each with its quote (the "
            "sentence, an exact substring of FILE), its character offsets, the table it would "
            "go to and the existing facts it repeats or contradicts. Publisher boilerplate is "
            "skipped. Review the file, set accept=yes on the rows to keep, complete their "
            "fields, then run `accept`. For a registered article the publication date comes "
            "from sources.csv and source_id is filled in."
        ),
        epilog=EXIT + f"\nexample:\n  {PROG} extract data/raw/002_ab12cd34ef567890.txt "
        "--out candidates.csv\n",
    )
    ext.add_argument("file", type=Path, metavar="FILE", help="the article, plain UTF-8 text")
    _published(ext, "(default: as registered, or read from the text)")
    ext.add_argument("--out", type=Path, metavar="PATH", help="write the CSV here, not stdout")
    _dirs(ext)

    acc = sub.add_parser(
        "accept",
        formatter_class=raw,
        help="move reviewed candidates into the fact tables",
        description=_fill(
            "Add the rows of CANDIDATES.csv marked accept=yes to their table (column 'table', "
            "else 'suggested_table') with the next free ids, validate the whole fact base, and "
            "write all of them or nothing. Columns named as in the table are carried over; "
            "'precision' stands for date_precision and 'person' for person_id (a name that is "
            "no person id adds a person, whose affiliation, outcome, function, seniority and "
            "sd_author come from the same row). In a conflicts row, fact_id_a/fact_id_b may read "
            "'row N' for the fact made from row N of the same file."
        ),
        epilog=EXIT + f"\nexample:\n  {PROG} accept candidates.csv\n",
    )
    acc.add_argument("candidates", type=Path, metavar="CANDIDATES.csv")
    _dirs(acc)

    rej = sub.add_parser(
        "reject",
        formatter_class=raw,
        help="undo accepted rows: facts, conflicts, references",
        description=_fill(
            "Remove accepted rows by id: a fact id (M..., E..., R..., N...) removes the fact, "
            "its further references, the conflicts that cite it and the persons no remaining "
            "fact names; a conflict id (C...) removes that conflict; FACT_ID@SOURCE_ID removes "
            "the further reference of that source to that fact. Removed records are deleted "
            "exactly and every other byte is kept, so rejecting the rows the last `accept` "
            "added gives back the files as they were. Validates the whole fact base and writes "
            "all of it or nothing; prints what was removed by id."
        ),
        epilog=EXIT + f"\nexamples:\n  {PROG} reject M033 C030\n  {PROG} reject M014@S002\n",
    )
    rej.add_argument("ids", nargs="+", metavar="ID", help="fact, conflict or FACT_ID@SOURCE_ID")
    _dirs(rej)

    facts = sub.add_parser(
        "facts", help="check the fact base (facts check)", description="Look over the fact base."
    )
    fsub = facts.add_subparsers(dest="facts_command", metavar="ACTION")
    chk = fsub.add_parser(
        "check",
        formatter_class=raw,
        help="near-duplicates, facts no chapter uses, unrecorded contradictions, repeats",
        description=_fill(
            "Report, without failing: near-duplicate facts (overlapping quotes saying the same "
            "thing, or the same value and period in two tables); facts no chapter of the report "
            "uses (fact ids absent from the published report's text, read from --report); "
            "contradictions that conflicts.csv does not record (statements that cannot both "
            "hold: amounts or bounds that exclude each other for one metric, counterparty and "
            "period; one event, departure or funding round (same investors and amount) on "
            "disjoint dates; two ranks in one post; two "
            "spellings of a name), each with a suggested conflicts row; and statements of "
            "different sources that restate each other (one statement with two references), "
            "each with a suggested references row. --candidates checks an extraction's "
            "candidates too; --out writes the suggested rows (after the candidates, if given) as "
            "a file `accept` reads once analysis_uses and rationale are filled in and accept is "
            "set to yes."
        ),
        epilog=EXIT + f"\nexamples:\n  {PROG} facts check\n  {PROG} facts check --candidates "
        "candidates.csv --out candidates-checked.csv\n",
    )
    chk.add_argument(
        "--report",
        type=Path,
        metavar="HTML",
        help="the published report to read (default: report/report.html)",
    )
    chk.add_argument(
        "--candidates",
        type=Path,
        metavar="CSV",
        help="candidates from `extract` to check against the fact base",
    )
    chk.add_argument(
        "--out",
        type=Path,
        metavar="PATH",
        help="write the suggested conflicts rows here as an `accept` file",
    )
    _dirs(chk)
