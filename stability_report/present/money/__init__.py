"""Chapter 2, money: every sentence of the chapter, one module per section, and the names its
notebook calls. Costs against revenue and the revenue figures (money.costs); the cash, unpaid
bills and what investors put in (money.cash); the runway (money.runway); fundraising and the
cross-check of the 2022 raise (money.funding); the statements the sources make in their own
words, from the revenue to the search for a buyer (money.statements).

Each function returns Markdown built from cited values (present.markdown.md), or raises
MissingFact when its facts are not available. Who says a figure and how it is hedged come from
the facts (facts.strength, through present.story), so a sentence carries its source's strength;
the render checks it (render.trust).
"""

from .cash import bills_caption, cash_text, convertibles_caption, convertibles_text
from .costs import COST_CAPTION, REVENUE_CAPTION, claims_text, costs_text, february_text
from .funding import FUNDRAISING_CAPTION, fundraising_text, raise_check_text, valuation_text
from .runway import (
    RUNWAY_TABLE_CAPTION,
    assumptions,
    reconciliation,
    runway_headline,
    scenarios_caption,
    sensitivity_caption,
    trajectory_text,
)
from .statements import STATEMENTS, paragraph

__all__ = [
    "bills_caption",
    "COST_CAPTION",
    "FUNDRAISING_CAPTION",
    "REVENUE_CAPTION",
    "RUNWAY_TABLE_CAPTION",
    "STATEMENTS",
    "assumptions",
    "cash_text",
    "claims_text",
    "convertibles_caption",
    "convertibles_text",
    "costs_text",
    "february_text",
    "fundraising_text",
    "paragraph",
    "raise_check_text",
    "reconciliation",
    "runway_headline",
    "scenarios_caption",
    "sensitivity_caption",
    "trajectory_text",
    "valuation_text",
]
