"""The key numbers the bottom line does not state (valuation and what it implies, the fundraising,
what investors put in, the latest revenue and costs, the claimed figures, the layoffs), each a
Cited value with its status."""

from __future__ import annotations

import pandas as pd

from ..errors import MissingFact
from ..facts.base import Facts
from ..formats import bound_words, money
from ..params import Params
from . import attrition, cash, fundraising, revenue, runway
from .cited import Cited, cite


def said(fn):
    """fn(), or None when the facts it needs are not available as of the analysis date."""
    try:
        return fn()
    except MissingFact:
        return None


def key_numbers(facts: Facts, params: Params) -> pd.DataFrame:
    """The key numbers the bottom line does not state: valuation and what it implies, the
    fundraising, what investors put in, the latest revenue and costs, the claimed figures and the
    layoffs. Columns: measure, value (a Cited value, with its citation), status."""
    rows: list[tuple[str, Cited, str]] = []

    def add(label: str, c: Cited | None, status: str) -> None:
        if c is not None and c.value is not None:
            rows.append((label, c, status))

    fr = said(lambda: fundraising.fundraising(facts))
    mult = said(lambda: fundraising.valuation_multiples(facts))
    cs = said(lambda: revenue.cost_structure(facts))
    if fr is not None:
        add("Valuation after the 2022 round", fr.valuation, "reported")
        add("Valuation sought in 2023", fr.valuation_sought, "planned")
    if mult is not None:
        add("2022 valuation ÷ 2023 revenue projected", mult.valuation_multiple, "derived")
        add("Valuation sought ÷ 2023 revenue projected", mult.sought_multiple, "derived")
    if cs is not None:
        add("Computing cost ÷ 2023 revenue projected", cs.compute_multiple, "derived")
    if fr is not None:
        add(f"Fundraising target, {fr.target_month:%B %Y}", fr.target, "planned")
        if fr.cut is not None:
            cut = facts.money.set_index("fact_id").loc[fr.cut.ids[0]]
            add(
                f"Target cut by {cut['date_end']:%B %Y}",
                cite(bound_words(cut["bound"]) + f"{fr.cut.value:.0%}", fr.cut.ids, fmt="text"),
                "reported",
            )
    conv = cash.convertibles(facts)
    if len(conv):
        years = sorted({d.year for d in conv["date_start"]})
        add(
            "Convertible money from investors, " + ", ".join(map(str, years)),
            cite(float(conv["value"].sum()), tuple(conv["fact_id"])),
            "reported",
        )
    feb = runway.bases(facts).get("feb2024")
    if feb is not None:
        add(
            "Revenue against costs, February 2024",
            cite(
                f"{money(feb.revenue.value)} against {money(feb.gross.value)}",
                feb.revenue.ids,
                feb.gross.ids,
                fmt="text",
            ),
            "reported",
        )
    pts = revenue.revenue_points(facts)
    for _, r in pts[pts["status"] == "claimed"].iterrows():
        add(
            f"Revenue the chief executive claimed for {r['date_start']:%B %Y}",
            cite(r["value"], r["fact_id"]),
            "claimed",
        )
    laid_off = attrition.layoff_share(facts)
    if laid_off is not None:
        bound = attrition.layoff_bound(facts)
        add(
            "Workforce laid off",
            cite(
                (bound + " " if bound else "") + f"{laid_off.value:.0%}", laid_off.ids, fmt="text"
            ),
            "reported",
        )
    return pd.DataFrame(
        {
            "measure": [r[0] for r in rows],
            "value": [r[1] for r in rows],
            "status": [r[2] for r in rows],
        }
    )
