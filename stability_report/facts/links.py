"""The tables that link statements to each other: `conflicts` (two facts that disagree, both
quoted, and which reading the analysis uses) and `references` (one more source that reports a
fact, with its own quote). Registered with the others in facts.schema. The standard library
only.
"""

from __future__ import annotations

from .columns import ATTRIBUTED_TO, ORIGINAL_REPORTER
from .spec import Column, Rule, Table, id_pattern
from .vocabulary import CONFLICT_KINDS, USES

CONFLICTS = Table(
    "conflicts",
    "Where the articles (or one article with itself) disagree: both readings with their quotes, "
    "which one the analysis uses, and why.",
    (
        Column(
            "conflict_id",
            "id",
            "Stable id (C001, C002, ...).",
            pattern=id_pattern("C"),
            unique=True,
        ),
        Column("topic", "text", "What the disagreement is about."),
        Column("kind", "enum", "What differs.", allowed=CONFLICT_KINDS),
        Column("fact_id_a", "id", "Fact holding reading A.", ref="*"),
        Column(
            "quote_a",
            "text",
            "The passage of reading A, verbatim in the source of fact A.",
            verbatim=True,
            verbatim_via="fact_id_a",
        ),
        Column("reading_a", "text", "Reading A in a few words."),
        Column("fact_id_b", "id", "Fact holding reading B.", ref="*"),
        Column(
            "quote_b",
            "text",
            "The passage of reading B, verbatim in the source of fact B.",
            verbatim=True,
            verbatim_via="fact_id_b",
        ),
        Column("reading_b", "text", "Reading B in a few words."),
        Column(
            "analysis_uses",
            "enum",
            "`a`, `b`, `both` (kept as alternatives) or `neither`.",
            allowed=USES,
        ),
        Column("rationale", "text", "Why."),
    ),
    (
        Rule(
            "differs_from",
            "fact_id_b",
            "fact_id_a",
            "a fact different from fact_id_a",
            "both fact ids exist and are different",
        ),
    ),
)

REFERENCES = Table(
    "references",
    "Further references of a statement: each row is one more source that reports a fact of "
    "`money`, `events`, `personnel` or `person_names`, with its own verbatim quote. A fact's "
    "own `source_id` and `quote` are its first reference; a statement that several articles "
    "report is one fact with several references, counted once and cited with all its sources. "
    "An optional file: a fact base without it has one reference per fact.",
    (
        Column("fact_id", "id", "The statement this source also reports.", ref="*"),
        Column("source_id", "id", "The further source.", ref="sources.source_id"),
        Column(
            "quote",
            "text",
            "Passage of that source stating the same thing: an exact substring of its article.",
            verbatim=True,
        ),
        ORIGINAL_REPORTER,
        ATTRIBUTED_TO,
        Column(
            "note",
            "text",
            "How this source's wording relates to the statement where it is not word for word "
            "(a rounded amount, a wider period).",
            required=False,
        ),
    ),
)
