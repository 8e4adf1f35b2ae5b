"""Registering a new article: `python -m stability_report sources add FILE`.

The file is copied byte for byte into the raw directory as `NNN_<first 16 hex digits of its
SHA-256>.txt` and recorded in `sources.csv` with the next source id, its SHA-256, its headline
(given, or its first line) and its publication date: as given on the command line, or as bounded
by its own text (publication_from_text), with the precision and a note saying how it was
established, and the outlet, author and URL where given. A file already registered (same
SHA-256), empty, or not UTF-8 is refused, naming the problem; nothing is written unless the
whole fact base validates with the new source.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ... import config
from ...errors import IntakeError
from ...facts.load import display_path
from ...facts.vocabulary import DATING_GIVEN
from . import store
from .dating import explicit_dates, find_dates


@dataclass(frozen=True)
class Dating:
    start: date
    end: date
    precision: str
    updated: date | None
    note: str


_STAMP = re.compile(
    r"\b(?P<what>first\s+published|published|posted|last\s+updated|updated|"
    r"modified)\b",
    re.I,
)


@dataclass(frozen=True)
class Publication:
    start: date
    end: date
    precision: str  # day or range
    updated: date | None
    note: str


def _stamps(head: str) -> tuple[tuple | None, tuple | None, list[tuple[int, int]]]:
    """The 'Published' and 'Updated' stamps of the article's head, each (day, line), and the
    spans of the lines that hold a stamp or a date."""
    published = updated = None
    pos = 0
    stamp_lines = []
    for line in head.splitlines(keepends=True):
        pos += len(line)
        stamp = _STAMP.search(line)
        dates = explicit_dates(line)
        if stamp or dates:
            stamp_lines.append((pos - len(line), pos))
        if stamp and dates:
            d = next((d for a, _, d in dates if a >= stamp.start()), dates[0][2])
            what = stamp.group("what").lower()
            if "updated" in what or "modified" in what:
                updated = updated or (d, line.strip())
            else:
                published = published or (d, line.strip())
        elif dates and len(line.split()) <= 10 and published is None and updated is None:
            published = (dates[0][2], line.strip())
    return published, updated, stamp_lines


def _latest_reported(text: str, day: date, stamp_lines: list[tuple[int, int]]):
    """The latest day or month the text names with its year, on or before `day`, outside the
    stamp lines: (its first day, the words), or None."""
    latest = None
    for m in find_dates(text, (day, day)):
        iv = m.interval
        if not (m.explicit and iv and iv.precision in ("day", "month") and iv.start <= day):
            continue
        if any(a <= m.start < b for a, b in stamp_lines):
            continue
        if latest is None or iv.start > latest[0]:
            latest = (iv.start, m.text)
    return latest


def publication_from_text(text: str, head_chars: int = 2000) -> Publication | None:
    """The publication date or bounds the article's own text gives, or None.

    A 'Published'/'Posted' stamp near the top gives the day. An 'Updated' stamp alone gives only
    the latest possible day; the earliest is then the start of the latest month or day that the
    text names with its year, no later than that stamp (an article reports what has happened).
    A line near the top that holds only a date is read as the publication day."""
    published, updated, stamp_lines = _stamps(text[:head_chars])
    if published:
        d, line = published
        upd = updated[0] if updated else None
        return Publication(d, d, "day", upd, f"The text states the publication date: '{line}'.")
    if not updated:
        return None
    d, line = updated
    latest = _latest_reported(text, d, stamp_lines)
    if latest is None:
        return None
    return Publication(
        latest[0],
        d,
        "range",
        d,
        f"The text states only an update date ('{line}'), the latest possible "
        f"publication date. The latest date it reports with its year is "
        f"'{latest[1]}', so it was published on or after "
        f"{latest[0].isoformat()}.",
    )


def parse_day(text: str, option: str) -> date:
    try:
        d = date.fromisoformat(text)
        if len(text) != 10:
            raise ValueError
        return d
    except ValueError:
        raise IntakeError(f"{option}: expected a date YYYY-MM-DD; got {text!r}") from None


def read_article(path: Path) -> tuple[bytes, str]:
    """The file's bytes and its text; refuses what is not a readable, non-empty UTF-8 file."""
    if not path.exists():
        raise IntakeError(f"{path}: no such file")
    if not path.is_file():
        raise IntakeError(f"{path}: expected a text file; got a directory or special file")
    with path.open("rb") as f:  # never more than the limit: a device or a huge file stops there
        data = f.read(config.MAX_ARTICLE_BYTES + 1)
    if len(data) > config.MAX_ARTICLE_BYTES:
        from .extract import check_size

        check_size(path, path.stat().st_size if path.is_file() else len(data))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise IntakeError(
            f"{path}: expected UTF-8 text; undecodable byte "
            f"{data[e.start : e.start + 1]!r} at line {line}, byte offset {e.start} "
            "(save the article as UTF-8 first)"
        ) from None
    if not text.strip():
        raise IntakeError(f"{path}: expected an article; the file is empty")
    if "\x00" in text:
        raise IntakeError(f"{path}: expected text; the file holds NUL bytes")
    return data, text


def headline_of(text: str, given: str | None, path: Path) -> str:
    if given is not None:
        if not given.strip():
            raise IntakeError("--headline: expected the article's headline; got an empty text")
        if given not in text:
            raise IntakeError(
                f"--headline: expected the headline exactly as {path} writes it "
                f"(it must be a verbatim part of the article); {given!r} is not in "
                "the file"
            )
        return given
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    raise IntakeError(f"{path}: no line to take as the headline")  # unreachable: text non-blank


def dating_of(
    text: str, path: Path, published: str | None, between: tuple[str, str] | None
) -> Dating:
    if published is not None:
        d = parse_day(published, "--published")
        return Dating(
            d,
            d,
            "day",
            None,
            f"Publication date {d.isoformat()} {DATING_GIVEN} (--published).",
        )
    if between is not None:
        a, b = (
            parse_day(between[0], "--published-between A"),
            parse_day(between[1], "--published-between B"),
        )
        if b < a:
            raise IntakeError(f"--published-between: expected A on or before B; got {a} after {b}")
        return Dating(
            a,
            b,
            "day" if a == b else "range",
            None,
            f"Published between {a.isoformat()} and {b.isoformat()}, {DATING_GIVEN} "
            "(--published-between).",
        )
    found = publication_from_text(text)
    if found is None:
        raise IntakeError(
            f"{path}: the text states no publication or update date that can be "
            "read; give --published YYYY-MM-DD or --published-between A B"
        )
    return Dating(found.start, found.end, found.precision, found.updated, found.note)


def dating_fields(dating: Dating) -> dict[str, str]:
    """The publication columns of a sources row, with the reference year and how both were
    established."""
    year = dating.start.year if dating.start.year == dating.end.year else dating.end.year
    note = dating.note
    if dating.start.year != dating.end.year:
        note += (
            f" The interval spans more than one year: relative dates are resolved against "
            f"each end of it by the extraction; the reference year given is {year}."
        )
    else:
        note += f" Relative dates are resolved against {year}."
    return {
        "published_start": dating.start.isoformat(),
        "published_end": dating.end.isoformat(),
        "published_precision": dating.precision,
        "updated": dating.updated.isoformat() if dating.updated else "",
        "reference_year": str(year),
        "dating_note": note,
    }


def add_source(
    path: Path,
    facts_dir: Path,
    raw_dir: Path,
    *,
    published: str | None = None,
    between: tuple[str, str] | None = None,
    headline: str | None = None,
    described: dict[str, str | None] | None = None,
) -> dict:
    """Register the article at `path`; returns its new sources row. `described` gives the
    optional columns the text does not establish: outlet, author, url."""
    path = Path(path)
    data, text = read_article(path)
    digest = hashlib.sha256(data).hexdigest()
    with store.locked(facts_dir, raw_dir):
        src = store.read_table(facts_dir, "sources")
        for r in src:
            if r.get("sha256", "").strip() == digest:
                raise IntakeError(
                    f"{path}: already registered as {r['source_id']} "
                    f"({display_path(raw_dir / r['file'])}, same SHA-256 "
                    f"{digest[:16]}...)"
                )
        in_raw = path.resolve().parent == raw_dir.resolve()
        dating = dating_of(text, path, published, between)
        source_id = next(store.next_ids((r.get("source_id", "") for r in src), "S"))
        name = path.name if in_raw else f"{source_id[1:]}_{digest[:16]}.txt"
        if not in_raw and (raw_dir / name).exists():
            raise IntakeError(
                f"{display_path(raw_dir / name)} already exists and is not this "
                "article; nothing was written"
            )
        row = {
            "source_id": source_id,
            "file": name,
            "sha256": digest,
            "headline": headline_of(text, headline, path),
            **dating_fields(dating),
        }
        for column, value in (described or {}).items():
            if value is None:
                continue
            if column not in store.header_of(facts_dir, "sources"):
                raise IntakeError(
                    f"{display_path(facts_dir / 'sources.csv')}: expected a column {column!r} "
                    f"for --{column}; the header has none (add outlet,author,url to it)"
                )
            row[column] = value
        where = {("sources", len(src) + 1): f"the new source {source_id} ({path})"}
        if in_raw:
            store.commit(
                facts_dir,
                raw_dir,
                {"sources": store.csv_rows("sources", [row], facts_dir)},
                where=where,
            )
        else:
            store.commit(
                facts_dir,
                raw_dir,
                {"sources": store.csv_rows("sources", [row], facts_dir)},
                new_article=(name, data),
                where=where,
            )
    return row
