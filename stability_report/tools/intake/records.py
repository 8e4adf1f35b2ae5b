"""A table file as its CSV records, each with its own text, so that a change can drop or rewrite
single records and leave every other byte of the file as it was.

`accept` appends records to the end of a table; undoing it (`reject`, `sources remove`) deletes
exactly those records, so the file comes back byte for byte. A record may span several lines
(a quoted field holding a line break): records are found by the csv module itself, fed one line
(ending at `\\n`) at a time, and a record's text is the lines it consumed. A record that is
rewritten is written again by the csv module in the column order of the file's header, with
the line ending it had.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from ...errors import IntakeError
from ...facts.load import display_path

_LINES = re.compile(r"[^\n]*\n|[^\n]+")


@dataclass
class Record:
    """One record: its text as in the file and its fields by column name (None for a blank
    line or a record of another length, which the change keeps as it is)."""

    text: str
    fields: dict[str, str] | None


class TableFile:
    """A CSV table file: the header's text, its column names, and the records in file order.
    Record `n` (1-based) is row `n` as the loader numbers rows."""

    def __init__(self, data: bytes, shown: str = "the table"):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise IntakeError(
                f"{shown}: expected UTF-8 text (run `make facts` to see where it is not)"
            ) from None
        lines = _LINES.findall(text)
        consumed = 0

        def feed():
            nonlocal consumed
            for line in lines:
                consumed += 1
                yield line

        reader = csv.reader(feed())
        try:
            header = next(reader)
        except StopIteration:
            header = []
        except csv.Error as e:
            raise IntakeError(f"{shown}: the header cannot be read as CSV ({e})") from None
        self.header_text = "".join(lines[:consumed])
        self.columns = [h.lstrip("\ufeff") for h in header]
        self.records: list[Record] = []
        start = consumed
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                raise IntakeError(
                    f"{shown}, row {len(self.records) + 1}: cannot be read as CSV ({e})"
                ) from None
            chunk = "".join(lines[start:consumed])
            start = consumed
            regular = len(values) == len(self.columns) and any(v.strip() for v in values)
            self.records.append(Record(chunk, dict(zip(self.columns, values)) if regular else None))

    @classmethod
    def read(cls, path) -> TableFile:
        return cls(path.read_bytes(), display_path(path))

    def rows(self) -> list[tuple[int, dict[str, str]]]:
        """(row number, fields) of every regular record."""
        return [(n, r.fields) for n, r in enumerate(self.records, start=1) if r.fields is not None]

    def drop(self, numbers: set[int]) -> None:
        """Remove the records with these row numbers."""
        self.records = [r for n, r in enumerate(self.records, start=1) if n not in numbers]

    def set(self, number: int, fields: dict[str, str]) -> None:
        """Rewrite record `number` with `fields` (columns the file has; others are ignored)."""
        old = self.records[number - 1]
        ending = "\r\n" if old.text.endswith("\r\n") else "\n" if old.text.endswith("\n") else ""
        buf = io.StringIO()
        csv.writer(buf, lineterminator=ending).writerow([fields.get(c, "") for c in self.columns])
        self.records[number - 1] = Record(buf.getvalue(), dict(fields))

    def to_bytes(self) -> bytes:
        return (self.header_text + "".join(r.text for r in self.records)).encode("utf-8")
