"""The one way the notebooks read the fact base: `load_facts` reads every table (facts.read),
types its columns (facts.typed), validates it against the declared schema (facts.validate), and
returns all of it (facts.base.Facts) or nothing. A fact base already loaded in this process from
the same bytes is not validated again.

Errors name the file, the row (1 = first row under the header), the column and what was expected.
`python -m stability_report.facts` validates the fact base (`--dictionary`: prints the data
dictionary).
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
import stat
import sys
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from .. import config
from ..errors import FactsError, Problem
from .base import Facts
from .dictionary import data_dictionary
from .read import decode, display_path, read_file, read_rows
from .schema import FACT_TABLES, OPTIONAL_TABLES, TABLES
from .spec import Table
from .typed import coerce
from .validate import pandera_schema, problems_from, reference_problems, shared_ids

# ---------------------------------------------------------------------------------------------


# The last fact base loaded in this process, by the content of what it was read from: the
# notebooks of one run share a kernel, and each loads the facts (validation costs 0.1-0.3 s).
_cache: dict[str, tuple[dict[str, str], Facts]] = {}


def _sha(path: Path) -> str | None:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO or device would never end
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


# The journal of a change to the fact base (intake.store): while it exists, the tables may hold
# part of the change.
JOURNAL = ".intake-journal.json"


def raw_files(raw_dir: Path) -> list[Path]:
    """The articles in the raw directory: its regular files, hidden ones aside."""
    if not raw_dir.is_dir():
        return []
    return sorted(f for f in raw_dir.iterdir() if not f.name.startswith(".") and f.is_file())


def _tables_key(facts_dir: Path, raw_dir: Path) -> str:
    """The directories, the content of every table file (None for a missing one) and the names
    of the files in the raw directory (a file dropped there must be noticed)."""
    parts = [str(facts_dir.resolve()), str(raw_dir.resolve())]
    parts += [f"{t.file}={_sha(facts_dir / t.file)}" for t in TABLES.values()]
    parts += [f.name for f in raw_files(raw_dir)]
    return "\n".join(parts)


@contextmanager
def _gc_paused():
    """No cyclic garbage collection while a table of many rows is read: the collector would
    walk every row list read so far, again and again, and nothing read here forms a cycle."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _copy(facts: Facts) -> Facts:
    """The same facts in frames of their own: a caller that changes its frames in place does
    not change what the next caller gets."""
    return Facts(
        tables={k: v.copy() for k, v in facts.tables.items()},
        texts=dict(facts.texts),
        digest=facts.digest,
    )


def load_facts(facts_dir: Path | str | None = None, raw_dir: Path | str | None = None) -> Facts:
    """Load and validate every fact table. Raises FactsError listing every problem found.

    A fact base already loaded in this process from the same directories, with the same bytes
    in every table file and every source file it read, is not validated again: a copy of it is
    returned."""
    facts_dir = Path(facts_dir if facts_dir is not None else config.facts_dir())
    raw_dir = Path(raw_dir if raw_dir is not None else config.raw_dir())
    if os.path.lexists(facts_dir / JOURNAL):
        raise FactsError(
            [
                Problem(
                    display_path(facts_dir / JOURNAL),
                    None,
                    None,
                    "no change to the fact base under way",
                    "the journal of a change that is under way or was cut short (run "
                    "`python -m stability_report facts check`: it completes the change)",
                )
            ]
        )
    try:
        key = _tables_key(facts_dir, raw_dir)
    except OSError:
        key = None
    hit = _cache.get(key) if key is not None else None
    if hit is not None and all(_sha(Path(f)) == sha for f, sha in hit[0].items()):
        return _copy(hit[1])
    read: dict[str, str] = {}
    with _gc_paused():
        facts = _load_facts(facts_dir, raw_dir, read)
    if key is not None and key == _tables_key(facts_dir, raw_dir):  # unchanged while loading
        _cache.clear()
        _cache[key] = (read, facts)
    return _copy(facts)


def _read_sources(
    src: pd.DataFrame,
    raw_dir: Path,
    display: str,
    read: dict[str, str],
    digest,
    problems: list[Problem],
) -> dict[str, str]:
    """The text of every article `sources` names, checked against its recorded SHA-256."""
    texts: dict[str, str] = {}
    name_rule = re.compile(TABLES["sources"].column("file").pattern)
    for row, r in src.iterrows():
        if not isinstance(r["file"], str) or not name_rule.match(r["file"]):
            continue  # not a plain file name: reported by the schema, never opened
        f = raw_dir / r["file"]
        try:
            shown = str(f.relative_to(config.ROOT))
        except ValueError:
            shown = str(f)
        data = read_file(f, shown, problems)
        if data is None:
            problems.append(Problem(display, row, "file", f"a file in {raw_dir}", str(r["file"])))
        if not data:
            continue
        read[str(f)] = hashlib.sha256(data).hexdigest()
        digest.update(data)
        if read[str(f)] != r["sha256"]:
            problems.append(
                Problem(
                    display, row, "sha256", "the SHA-256 of the raw file (was the source changed?)"
                )
            )
        text = decode(data, shown, problems)
        if text is not None:
            texts[r["source_id"]] = text
    return texts


def _read_tables(
    facts_dir: Path, display, digest, problems: list[Problem]
) -> dict[str, pd.DataFrame]:
    """Every table file read (facts.read) and typed (facts.typed); the bytes read go into
    `digest`."""
    frames: dict[str, pd.DataFrame] = {}
    for t in TABLES.values():
        data = read_file(facts_dir / t.file, display(t), problems)
        if data is False:
            continue
        rows = read_rows(data, display(t), t, problems, optional=t.name in OPTIONAL_TABLES)
        if rows is not None:
            frames[t.name] = coerce(rows, t, display(t), problems)
            if data is not None:
                digest.update(data)
        del data, rows
    return frames


def _unregistered(raw_dir: Path, registered: set[str]) -> list[Problem]:
    """A problem for each article in the raw directory that sources.csv does not list."""
    problems = []
    for f in raw_files(raw_dir):
        if f.name not in registered:
            shown = display_path(f)
            problems.append(
                Problem(
                    shown,
                    None,
                    None,
                    f"every article in {display_path(raw_dir)} to be registered in sources.csv; "
                    f"register this one with `python -m stability_report sources add {shown}`",
                    "a file that sources.csv does not list",
                )
            )
    return problems


def _validate(frames: dict[str, pd.DataFrame], texts: dict[str, str], display) -> list[Problem]:
    """Every table checked against its declared schema (facts.validate), ids shared across
    tables and the further references."""
    problems = []
    refs: dict[str, set[str]] = {}
    for t in TABLES.values():
        for c in t.columns:
            if c.unique and c.kind == "id":
                refs[f"{t.name}.{c.name}"] = set(frames[t.name][c.name].dropna())
    refs["*"] = set().union(*(refs[f"{t}.fact_id"] for t in FACT_TABLES))
    source_of_fact = {
        fid: sid
        for t in FACT_TABLES
        for fid, sid in zip(frames[t]["fact_id"], frames[t]["source_id"])
    }
    for t in TABLES.values():
        schema = pandera_schema(t, refs, texts, source_of_fact)
        try:
            schema.validate(frames[t.name], lazy=True)
        except pa.errors.SchemaErrors as e:
            problems.extend(problems_from(e, display(t)))
    problems.extend(shared_ids(frames, display))
    problems.extend(reference_problems(frames, display(TABLES["references"])))
    return problems


def _load_facts(facts_dir: Path, raw_dir: Path, read: dict[str, str]) -> Facts:
    """load_facts without the cache; records the source files it reads (path -> sha256)."""
    problems: list[Problem] = []
    digest = hashlib.sha256()

    def display(t: Table) -> str:
        try:
            return str((facts_dir / t.file).relative_to(config.ROOT))
        except ValueError:
            return str(facts_dir / t.file)

    frames = _read_tables(facts_dir, display, digest, problems)
    if problems:
        raise FactsError(problems)
    sources = frames["sources"]
    texts = _read_sources(sources, raw_dir, display(TABLES["sources"]), read, digest, problems)
    problems.extend(_unregistered(raw_dir, set(sources["file"].dropna())))
    problems.extend(_validate(frames, texts, display))
    if problems:
        raise FactsError(problems)
    for name, frame in frames.items():
        frames[name] = frame.reset_index(drop=True)
    return Facts(tables=frames, texts=texts, digest=digest.hexdigest())


def main(argv: list[str] | None = None) -> int:
    """`python -m stability_report.facts [--dictionary]`: validate, or print the data dictionary."""
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--dictionary"]:
        print(data_dictionary(), end="")
        return 0
    try:
        facts = load_facts()
    except FactsError as e:
        print(e, file=sys.stderr)
        return 1
    counts = ", ".join(f"{n} {name}" for name, n in ((k, len(v)) for k, v in facts.tables.items()))
    print(f"fact base valid: {counts}")
    return 0
