"""The declared schema of the fact tables in data/facts/: one spec per table, one per column.

The specs are the single description of the data: the loader's checks (facts.validate) are built
from them, with the rules across columns each table declares, and the data dictionary
(data/README.md, facts.dictionary) is generated from them. The values an enumerated column allows
are facts.vocabulary; what a column, a rule and a table are is facts.spec. The standard library
only.
"""

from __future__ import annotations

from .spec import MAX_NUMBER, Column, Rule, Table, id_pattern
from .vocabulary import (
    AFFILIATIONS,
    BOUNDS,
    CONFLICT_KINDS,
    EVENT_CATEGORIES,
    EVENT_UNITS,
    FUNCTIONS,
    MONEY_METRICS,
    MONEY_UNITS,
    OUTCOMES,
    PRECISIONS,
    SENIORITIES,
    STATUSES,
    USES,
)


def _id(name: str, prefix: str, doc: str) -> Column:
    return Column(name, "id", doc, pattern=id_pattern(prefix), unique=True)


_SOURCE = Column("source_id", "id", "The article the row comes from.", ref="sources.source_id")
_QUOTE = Column(
    "quote",
    "text",
    "Verbatim passage of the source that states the fact: an exact substring of the article.",
    verbatim=True,
)
_PERSON = Column("person_id", "id", "The reconciled person.", ref="persons.person_id")
_ORIGINAL = Column(
    "original_reporter",
    "text",
    "The outlet whose earlier reporting the source restates for this statement ('Bloomberg "
    "previously reported', 'according to the Financial Times'); empty when the source reports "
    "it itself. Two sources restating one outlet are one line of reporting, not two.",
    required=False,
    may_be_absent=True,
)
_ATTRIBUTED = Column(
    "attributed_to",
    "text",
    "Who the source says the statement comes from, when not its own reporting: 'insiders', "
    "'two sources', 'a company spokesperson', 'internal documents', a named person. Empty when "
    "the source states it as its own finding.",
    required=False,
    may_be_absent=True,
)
_NOTE = Column(
    "inference_note",
    "text",
    "How a value not stated outright was inferred (a relative date resolved, an unnamed year "
    "supplied); empty when the quote states the value directly.",
    required=False,
)


def _dates(undated_allowed: bool) -> tuple[Column, ...]:
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


SOURCES = Table(
    "sources",
    "The articles: where they are, what they are called, and when they were published as far "
    "as their own text establishes it.",
    (
        Column(
            "source_id", "id", "Stable id of the article.", pattern=id_pattern("S"), unique=True
        ),
        Column(
            "file",
            "text",
            "File name in data/raw/ (the article exactly as received): a name, not a path.",
            unique=True,
            pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        ),
        Column(
            "sha256",
            "text",
            "SHA-256 of the raw file, so a changed source is detected.",
            pattern=r"^[0-9a-f]{64}$",
        ),
        Column("headline", "text", "The article's headline, verbatim.", verbatim=True),
        Column("published_start", "date", "Earliest publication date the text allows."),
        Column("published_end", "date", "Latest publication date the text allows."),
        Column(
            "published_precision",
            "enum",
            "`day` when the text states the date; `range` when only bounds can be established.",
            allowed=("day", "month", "range"),
        ),
        Column("updated", "date", "Update date the article states, if any.", required=False),
        Column(
            "reference_year",
            "int",
            "Calendar year that relative dates in the article "
            "('last year', 'this year', 'In February') are resolved against.",
            ge=2020,
        ),
        Column(
            "dating_note",
            "text",
            "How the publication bounds and reference year were established from the text.",
        ),
        Column(
            "outlet",
            "text",
            "The publication that ran the article, as the reviewer knows it (the text of the "
            "article may not name it); empty when unknown.",
            required=False,
            may_be_absent=True,
        ),
        Column(
            "author",
            "text",
            "The article's author, where given; empty when not given.",
            required=False,
            may_be_absent=True,
        ),
        Column(
            "url",
            "text",
            "Where the article was published, when known.",
            required=False,
            pattern=r"^https?://\S+$",
            may_be_absent=True,
        ),
    ),
)

PERSONS = Table(
    "persons",
    "One row per reconciled person named in either article, with the function and seniority the "
    "analysis uses. Each source's own wording is in `personnel`; each spelling in `person_names`.",
    (
        Column("person_id", "id", "Stable id of the person.", pattern=id_pattern("P"), unique=True),
        Column("canonical_name", "text", "The name the report uses.", unique=True),
        Column("affiliation", "enum", "Relation to the company.", allowed=AFFILIATIONS),
        Column(
            "outcome",
            "enum",
            "`departed` left the company (or its board); `stayed` is "
            "reported still in post; `took_over` assumed a departed person's duties; "
            "`mentioned` is named with no statement about leaving; `external` is not staff.",
            allowed=OUTCOMES,
        ),
        Column("function", "enum", "Normalised function used by the analysis.", allowed=FUNCTIONS),
        Column(
            "seniority", "enum", "Normalised seniority used by the analysis.", allowed=SENIORITIES
        ),
        Column(
            "sd_author",
            "enum",
            "`yes` if the sources name the person as one of the authors "
            "of the original Stable Diffusion study.",
            allowed=("yes", "no"),
        ),
        Column(
            "canonical_note",
            "text",
            "Why this name, function and seniority were chosen where the sources differ.",
            required=False,
        ),
    ),
)

PERSON_NAMES = Table(
    "person_names",
    "Every spelling of a person's name in each source, so variants ('Mostak', 'Mostaque', "
    "'Mostake') resolve to one person.",
    (
        _id("fact_id", "N", "Stable id of this name reading (N001, N002, ...)."),
        _PERSON,
        _SOURCE,
        Column(
            "name_as_written",
            "text",
            "The name exactly as the source spells it; must occur in the quote.",
        ),
        _QUOTE,
    ),
    (
        Rule(
            "occurs_in",
            "name_as_written",
            "quote",
            "a name that occurs in the quote",
            "`name_as_written` occurs in `quote`",
        ),
    ),
)

PERSONNEL = Table(
    "personnel",
    "What each source says about a person's role and departure (or staying). One row per person "
    "per statement.",
    (
        _id("fact_id", "R", "Stable id of this statement (R001, R002, ...)."),
        _SOURCE,
        _PERSON,
        _QUOTE,
        Column("role_as_written", "text", "The role in the source's words."),
        Column(
            "function",
            "enum",
            "Normalised function of the role as this source gives it.",
            allowed=FUNCTIONS,
        ),
        Column(
            "seniority",
            "enum",
            "Normalised seniority of the role as this source gives it.",
            allowed=SENIORITIES,
        ),
        Column("status", "enum", "What this source says happened to the person.", allowed=OUTCOMES),
        *_dates(undated_allowed=True),
        Column(
            "reason",
            "text",
            "The stated reason for leaving, in the source's words.",
            required=False,
        ),
        _ORIGINAL,
        _ATTRIBUTED,
        _NOTE,
    ),
)

MONEY = Table(
    "money",
    "Every amount of money the articles give: revenue, costs, spend, cash, unpaid bills, funding "
    "closed and sought, valuations, prices. Amounts are numbers in US dollars (or percent).",
    (
        _id("fact_id", "M", "Stable id of the fact (M001, M002, ...)."),
        _SOURCE,
        _QUOTE,
        Column("metric", "enum", "What the amount measures.", allowed=MONEY_METRICS),
        Column(
            "counterparty",
            "text",
            "Creditor, investor or prospective investor, when named.",
            required=False,
        ),
        Column(
            "instrument",
            "text",
            "Financing instrument, when given (e.g. convertible promissory note).",
            required=False,
        ),
        Column(
            "value",
            "number",
            "The amount in `unit`; empty when the source says a bill or "
            "payment exists but not its size.",
            required=False,
            ge=0,
            le=MAX_NUMBER,
        ),
        Column(
            "unit",
            "enum",
            "`USD` (a stock or one-off amount), `USD_per_month`, `USD_per_year`, or `percent`.",
            allowed=MONEY_UNITS,
        ),
        Column(
            "bound",
            "enum",
            "How the source qualifies the amount: `exact`, `approx` "
            "('approximately'), `more_than`, `less_than`, `at_least`, or `unknown` (no amount "
            "given).",
            allowed=BOUNDS,
        ),
        *_dates(undated_allowed=False),
        Column(
            "status",
            "enum",
            "`reported` an actual the source reports, `claimed` a figure a "
            "party asserts that the source does not stand behind (e.g. a later-deleted tweet), "
            "`projected` forecast, `planned` intention or target, `considered` a step only being "
            "considered, `derived` computed by the source from other figures.",
            allowed=STATUSES,
        ),
        _ORIGINAL,
        _ATTRIBUTED,
        _NOTE,
    ),
    (
        Rule(
            "empty_exactly_when",
            "value",
            "bound",
            "an amount, empty exactly when bound is `unknown`",
            "`value` is empty exactly when `bound` is `unknown`",
            value="unknown",
        ),
        Rule(
            "at_most_when",
            "value",
            "unit",
            "a percentage of at most 100",
            "`percent` values are at most 100",
            value="percent",
            limit=100,
        ),
    ),
)

EVENTS = Table(
    "events",
    "Governance, leadership, workforce, product, corporate, fundraising, legal and reputational "
    "events, with counts and percentages where the articles give them.",
    (
        _id("fact_id", "E", "Stable id of the fact (E001, E002, ...)."),
        _SOURCE,
        _QUOTE,
        Column("category", "enum", "Kind of event.", allowed=EVENT_CATEGORIES),
        Column("event", "text", "Short description of what happened.", pattern=r"^[a-z0-9_]+$"),
        Column("actor", "text", "Who acted (company, investor, person).", required=False),
        Column(
            "person_id",
            "id",
            "The reconciled person, when the event is about one.",
            required=False,
            ref="persons.person_id",
        ),
        Column(
            "value",
            "number",
            "A count, percentage or amount the event carries.",
            required=False,
            ge=0,
            le=MAX_NUMBER,
        ),
        Column("unit", "enum", "Unit of `value`.", allowed=EVENT_UNITS, required=False),
        Column(
            "bound", "enum", "How the source qualifies `value`.", allowed=BOUNDS, required=False
        ),
        *_dates(undated_allowed=True),
        Column(
            "status",
            "enum",
            "`reported`, `claimed`, `projected`, `planned`, `considered` or `derived` (as money).",
            allowed=STATUSES,
        ),
        _ORIGINAL,
        _ATTRIBUTED,
        _NOTE,
    ),
    (
        Rule(
            "given_with",
            "unit",
            "value",
            "a unit whenever value is given",
            "`unit` is given whenever `value` is",
        ),
    ),
)

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
        _ORIGINAL,
        _ATTRIBUTED,
        Column(
            "note",
            "text",
            "How this source's wording relates to the statement where it is not word for word "
            "(a rounded amount, a wider period).",
            required=False,
        ),
    ),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (SOURCES, PERSONS, PERSON_NAMES, PERSONNEL, MONEY, EVENTS, CONFLICTS, REFERENCES)
}
# Tables that a fact base may lack: read as empty.
OPTIONAL_TABLES = ("references",)
# Tables whose rows are facts with a quote; their ids are what conflicts and prose refer to.
FACT_TABLES = ("person_names", "personnel", "money", "events")
