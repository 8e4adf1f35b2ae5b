"""The declared schema of the fact tables in data/facts/: one spec per table, one per column.

The specs are the single description of the data: the loader's checks (facts.validate) are built
from them, with the rules across columns each table declares, and the data dictionary
(data/README.md, facts.dictionary) is generated from them. The values an enumerated column allows
are facts.vocabulary; what a column, a rule and a table are is facts.spec; the columns several
tables share are facts.columns, the tables linking statements (conflicts, references)
facts.links. The standard library only.
"""

from __future__ import annotations

from .columns import (
    ATTRIBUTED_TO,
    INFERENCE_NOTE,
    ORIGINAL_REPORTER,
    PERSON,
    QUOTE,
    SOURCE,
    date_columns,
    id_column,
)
from .links import CONFLICTS, REFERENCES
from .spec import MAX_NUMBER, Column, Rule, Table, id_pattern
from .vocabulary import (
    AFFILIATIONS,
    BOUNDS,
    EVENT_CATEGORIES,
    EVENT_UNITS,
    FUNCTIONS,
    MONEY_METRICS,
    MONEY_UNITS,
    OUTCOMES,
    SENIORITIES,
    STATUSES,
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
        id_column("fact_id", "N", "Stable id of this name reading (N001, N002, ...)."),
        PERSON,
        SOURCE,
        Column(
            "name_as_written",
            "text",
            "The name exactly as the source spells it; must occur in the quote.",
        ),
        QUOTE,
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
        id_column("fact_id", "R", "Stable id of this statement (R001, R002, ...)."),
        SOURCE,
        PERSON,
        QUOTE,
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
        *date_columns(undated_allowed=True),
        Column(
            "reason",
            "text",
            "The stated reason for leaving, in the source's words.",
            required=False,
        ),
        ORIGINAL_REPORTER,
        ATTRIBUTED_TO,
        INFERENCE_NOTE,
    ),
)

MONEY = Table(
    "money",
    "Every amount of money the articles give: revenue, costs, spend, cash, unpaid bills, funding "
    "closed and sought, valuations, prices. Amounts are numbers in US dollars (or percent).",
    (
        id_column("fact_id", "M", "Stable id of the fact (M001, M002, ...)."),
        SOURCE,
        QUOTE,
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
        *date_columns(undated_allowed=False),
        Column(
            "status",
            "enum",
            "`reported` an actual the source reports, `claimed` a figure a "
            "party asserts that the source does not stand behind (e.g. a later-deleted tweet), "
            "`projected` forecast, `planned` intention or target, `considered` a step only being "
            "considered, `derived` computed by the source from other figures.",
            allowed=STATUSES,
        ),
        ORIGINAL_REPORTER,
        ATTRIBUTED_TO,
        INFERENCE_NOTE,
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
        id_column("fact_id", "E", "Stable id of the fact (E001, E002, ...)."),
        SOURCE,
        QUOTE,
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
        *date_columns(undated_allowed=True),
        Column(
            "status",
            "enum",
            "`reported`, `claimed`, `projected`, `planned`, `considered` or `derived` (as money).",
            allowed=STATUSES,
        ),
        ORIGINAL_REPORTER,
        ATTRIBUTED_TO,
        INFERENCE_NOTE,
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

TABLES: dict[str, Table] = {
    t.name: t
    for t in (SOURCES, PERSONS, PERSON_NAMES, PERSONNEL, MONEY, EVENTS, CONFLICTS, REFERENCES)
}
# Tables that a fact base may lack: read as empty.
OPTIONAL_TABLES = ("references",)
# Tables whose rows are facts with a quote; their ids are what conflicts and prose refer to.
FACT_TABLES = ("person_names", "personnel", "money", "events")
