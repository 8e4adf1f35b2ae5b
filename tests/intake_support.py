"""The worked example of adding an article, as helpers for tests: a copy of the real fact base,
the fictitious third article registered, its candidates extracted, some accepted.

`third_article_base(directory)` returns the directories of a fact base with the third article
accepted; a render test can point the report at it with $STABILITY_REPORT_FACTS_DIR and
$STABILITY_REPORT_RAW_DIR (or `run --facts/--raw`). The `third_article` fixture (conftest.py)
builds it once per test module.
"""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

from stability_report import cli, config

ARTICLE = Path(__file__).resolve().parent / "fixtures" / "articles" / "ledger-fictitious.txt"


@dataclass
class Result:
    code: int
    out: str
    err: str


def run(*args: str) -> Result:
    """`python -m stability_report ARGS` in this process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main([str(a) for a in args])
        except SystemExit as e:  # argparse's own usage errors and --help
            code = e.code if isinstance(e.code, int) else 2
    return Result(code, out.getvalue(), err.getvalue())


def copy_base(directory: Path) -> tuple[Path, Path]:
    """A copy of the real fact base and articles: (facts dir, raw dir)."""
    facts, raw = directory / "facts", directory / "raw"
    shutil.copytree(config.FACTS, facts)
    shutil.copytree(config.RAW, raw)
    return facts, raw


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def snapshot(*dirs: Path) -> dict[str, bytes]:
    """Every file under the directories, by path: to prove nothing was written."""
    return {str(p): p.read_bytes() for d in dirs for p in sorted(d.rglob("*")) if p.is_file()}


# What the reviewer of the worked example keeps, and how they complete it.
def review(rows: list[dict]) -> list[dict]:
    for r in rows:
        if r["kind"] == "money" and r["value"] in ("6000000", "7100000"):
            r["accept"] = "yes"
        elif r["kind"] == "departure" and r["person"] == "Dana Whitlock":
            r.update(
                accept="yes",
                role_as_written="vice president of partnerships",
                function="operations",
                affiliation="staff",
                outcome="departed",
                sd_author="no",
            )
        elif r["kind"] == "departure" and r["person"] == "P001":
            r.update(
                accept="yes",
                role_as_written="chief executive",
                function="executive",
                seniority="c_suite",
            )
        elif r["kind"] == "person" and r["person"] == "Dana Whitlock":
            r["accept"] = "yes"
    return rows


def third_article_base(directory: Path) -> dict:
    """The real fact base plus the fictitious third article: registered, extracted, reviewed,
    accepted. Returns the directories, the new source id and the candidates file."""
    facts, raw = copy_base(directory)
    where = ("--facts", facts, "--raw", raw)
    r = run("sources", "add", ARTICLE, *where)
    assert r.code == 0, r.err
    added = read_csv(facts / "sources.csv")[-1]
    candidates = directory / "candidates.csv"
    r = run("extract", raw / added["file"], "--out", candidates, *where)
    assert r.code == 0, r.err
    write_csv(candidates, review(read_csv(candidates)))
    r = run("accept", candidates, *where)
    assert r.code == 0, r.err
    return {
        "facts": facts,
        "raw": raw,
        "source_id": added["source_id"],
        "candidates": candidates,
        "accept_message": r.err,
    }
