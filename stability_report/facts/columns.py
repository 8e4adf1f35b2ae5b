"""The columns several fact tables share, declared once: the id, the source and its verbatim
quote, the person, who first reported a statement and who it is attributed to, how a value was
inferred, and the dates with their precision. The tables are facts.schema and facts.links. The
standard library only.
"""

from __future__ import annotations

from .spec import Column, id_pattern
from .vocabulary import PRECISIONS


def id_column(name: str, prefix: str, doc: str) -> Column:
    """The id column of a table whose ids start with `prefix`."""
    return Column(name, "id", doc, pattern=id_pattern(prefix), unique=True)


SOURCE = Column("source_id", "id", "The article the row comes from.", ref="sources.source_id")
QUOTE = Column(
    "quote",
    "text",
    "Verbatim passage of the source that states the fact: an exact substring of the article.",
    verbatim=True,
)
PERSON = Column("person_id", "id", "The reconciled person.", ref="persons.person_id")
ORIGINAL_REPORTER = Column(
    "original_reporter",
    "text",
    "The outlet whose earlier reporting the source restates for this statement ('Bloomberg "
    "previously reported', 'according to the Financial Times'); empty when the source reports "
    "it itself. Two sources restating one outlet are one line of reporting, not two.",
    required=False,
    may_be_absent=True,
)
ATTRIBUTED_TO = Column(
    "attributed_to",
    "text",
    "Who the source says the statement comes from, when not its own reporting: 'insiders', "
    "'two sources', 'a company spokesperson', 'internal documents', a named person. Empty when "
    "the source states it as its own finding.",
    required=False,
    may_be_absent=True,
)
INFERENCE_NOTE = Column(
    "inference_note",
    "text",
    "How a value not stated outright was inferred (a relative date resolved, an unnamed year "
    "supplied); empty when the quote states the value directly.",
    required=False,
)


def date_columns(undated_allowed: bool) -> tuple[Column, ...]:
    """date_start, date_end and date_precision; empty only when `undated` is allowed and given."""
    precisions = PRECISIONS + (("undated",) if undated_allowed else ())
    empty = " Empty only when the precision is `undated`." if undated_allowed else ""
    return (
        Column(
            "date_start",
            "date",
            "First day of the period or date the fact refers to (ISO YYYY-MM-DD)." + empty,
            required=not undated_allowed,
        ),
        Column(
            "date_end",
            "date",
            "Last day of that period, or of the interval the date must lie in; not before "
            "date_start." + empty,
            required=not undated_allowed,
        ),
        Column(
            "date_precision",
            "enum",
            "How precisely the source dates the fact: `day`, `month`, `quarter`, `year`, or "
            "`range` (only bounds are known)" + (", or `undated`." if undated_allowed else "."),
            allowed=precisions,
        ),
    )
