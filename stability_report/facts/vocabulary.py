"""The values each enumerated column of the fact tables allows (statuses, precisions, bounds,
functions, seniorities, metrics, units, event categories, conflict kinds), named once for the
schema (facts.schema) and for the code that counts by them. The standard library only.
"""

from __future__ import annotations

PRECISIONS = ("day", "month", "quarter", "year", "range")
STATUSES = ("reported", "claimed", "projected", "planned", "considered", "derived")
BOUNDS = ("exact", "approx", "more_than", "less_than", "at_least", "unknown")
FUNCTIONS = (
    "executive",
    "research",
    "product",
    "engineering",
    "applied_ml",
    "language_models",
    "audio",
    "legal",
    "people",
    "operations",
    "communications",
    "integrity",
    "technology",
    "board",
    "external",
)
SENIORITIES = ("c_suite", "svp", "vp", "head", "director", "lead", "staff", "board", "external")
OUTCOMES = ("departed", "stayed", "took_over", "mentioned", "external")
AFFILIATIONS = ("staff", "board", "investor", "external")
MONEY_METRICS = (
    "revenue",
    "costs",
    "compute_costs",
    "salaries_opex",
    "monthly_spend",
    "cash",
    "unpaid_bill",
    "funding_closed",
    "funding_sought",
    "compute_sought",
    "target_cut",
    "valuation",
    "valuation_sought",
    "price",
    "losses",
)
MONEY_UNITS = ("USD", "USD_per_month", "USD_per_year", "percent")
EVENT_CATEGORIES = (
    "governance",
    "leadership",
    "workforce",
    "product",
    "corporate",
    "fundraising",
    "finance",
    "legal",
    "reputation",
)
EVENT_UNITS = (
    "count",
    "percent",
    "USD",
    "USD_per_month",
    "hours",
    "days",
    "months",
    "pixels",
    "images_per_second",
)
# What sources.dating_note says of a publication date given when the article was registered
# (`sources add --published` or `--published-between`) rather than read from its own text.
DATING_GIVEN = "as given when the article was registered"


def dated_at_registration(source: dict) -> bool:
    """Whether a sources.csv row's publication date was given when the article was registered
    (its dating_note says so in DATING_GIVEN's words), not read from its text."""
    return DATING_GIVEN in (source.get("dating_note") or "")


CONFLICT_KINDS = ("name", "role", "date", "amount", "timing", "claim", "description")
USES = ("a", "b", "both", "neither")
# A quote that says an unnamed earlier report gave the fact ("was reported to be seeking",
# "reportedly", "according to reports"): its source is not the first to report it (read by
# facts.base with pandas, and by the render's evidence entries without it).
EARLIER_REPORT = (
    r"(?i)\b(?:(?:was|were|is|are|had been|has been) reported\b|reportedly\b"
    r"|according to reports\b)"
)
