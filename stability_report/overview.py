"""The executive summary: the freshness of the facts, the main findings as sentences whose numbers
are computed (and cited), and a table of key numbers."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import attrition, runway
from .facts import Facts, MissingFact
from .narrative import Cited, cite, md
from .params import Params


@dataclass(frozen=True)
class Summary:
    freshness: str  # Markdown
    findings: list[str]  # Markdown sentences
    key_numbers: pd.DataFrame  # measure, value, facts


def freshness(facts: Facts, all_sources: pd.DataFrame, params: Params) -> str:
    """How old the newest fact is on the analysis date, or why there are none."""
    as_of = pd.Timestamp(params.as_of)
    n = len(facts.all_facts())
    if n == 0:
        first = all_sources["published_start"].min()
        return md("**No fact is available as of {d}.** Neither source can have been published by "
                  "then: the earliest either could have appeared is {first}. Every section below "
                  "says what it is missing.", d=cite(as_of, fmt="date"),
                  first=cite(first, fmt="date"))
    newest = facts.newest_fact_date()
    age = (as_of - newest).days
    text = md("This analysis is as of {d}. It rests on {n} facts from {s} sources; the newest "
              "dated fact refers to a period starting {newest}, {age} days before the analysis "
              "date.", d=cite(as_of, fmt="date"), n=cite(n, fmt="int"),
              s=cite(len(facts.sources), fmt="int"), newest=cite(newest, fmt="date"),
              age=cite(age, fmt="int"))
    if age > 365:
        text += md(" **The facts are more than a year old on the analysis date**: the report "
                   "describes the company as of {newest}, not as of {d}, and projects no further "
                   "than its horizon.", newest=cite(newest, fmt="month"),
                   d=cite(as_of, fmt="date"))
    return text


def _finding(fn) -> str | None:
    try:
        return fn()
    except MissingFact:
        return None


def findings(facts: Facts, params: Params) -> list[str]:
    """The main findings, each a sentence with computed, cited numbers; a finding whose facts
    are not available as of the analysis date is left out."""

    def money() -> str:
        cs = runway.cost_structure(facts)
        return md("**Costs dwarfed revenue.** The company's own projection for 2023 put costs at "
                  "{total} against revenue of {rev}: a loss of {loss}, or {monthly} a month, with "
                  "computing alone {share} of costs.", total=cs.total, rev=cs.revenue,
                  loss=cs.loss, monthly=cs.monthly_loss, share=cs.compute_share)

    def cash() -> str:
        pos = runway.cash_position(facts)
        runs = runway.scenarios(facts, params)
        b = runway.chosen_basis(facts, params)
        text = md("**The money was running out.** In {month} the company had less than {cash} in "
                  "the bank and {bills} of cloud bills unpaid. ", month=cite(pos.on, pos.cash.ids,
                                                                             fmt="month"),
                  cash=pos.cash, bills=pos.bills_known)
        first = runs[0]
        if first.months is None:
            text += md("At the net burn of the {basis} basis ({net} a month) that cash lasts "
                       "beyond the projection horizon.", basis=b.label, net=b.net)
        else:
            text += md("At the net burn of the {basis} basis ({net} a month) that cash lasts "
                       "{m}, to about {d}", basis=b.label, net=b.net, m=first.months_cited,
                       d=first.date_cited)
            funded = [r for r in runs[1:] if "bills paid" not in r.label
                      and "extra" not in r.label]
            if funded and funded[-1].cash_out is not None:
                text += md("; with the funding reported after it, to about {d}.",
                           d=funded[-1].date_cited)
            else:
                text += "."
        return text

    def check() -> str:
        rc = runway.raise_check(facts, params)
        bs = runway.bases(facts, params)
        text = md("**The burn was higher than the headline figure.** Money raised from the 2022 "
                  "round to the cash figure ({raised}) against the cash left implies a net burn "
                  "of at least {burn} a month", raised=rc.raised, burn=rc.implied_burn)
        if "fy2023_projection" in bs and "monthly_spend" in bs:
            text += md(", in line with the 2023 projection's {fy} and above the {spend} a month "
                       "reported by Bloomberg.", fy=bs["fy2023_projection"].net,
                       spend=bs["monthly_spend"].gross)
        else:
            text += "."
        return text

    def funding() -> str:
        fr = runway.fundraising(facts)
        text = md("**The fundraising fell short.** The company set out to raise {target}",
                  target=fr.target)
        if fr.valuation_sought is not None:
            text += md(" at a valuation of {v}", v=fr.valuation_sought)
        text += md("; it raised {raised} in 2023, {share} of that target", raised=fr.raised_2023,
                   share=fr.raised_share)
        if fr.cut is not None:
            text += md(", and cut the target by more than {cut}", cut=fr.cut)
        return text + "."

    def revenue() -> str:
        g = runway.implied_growth(facts)
        bs = runway.bases(facts, params)
        if g is None or "feb2024" not in bs:
            raise MissingFact("two actual monthly revenue figures")
        pts = runway.revenue_points(facts)
        actual = pts[pts["status"] == "reported"]
        a, z = actual.iloc[0], actual.iloc[-1]
        feb = bs["feb2024"]
        return md("**Revenue grew fast, from a low base.** Monthly revenue rose from {a} in {am} to "
                  "{z} in {zm}, {g} a month; by then it covered {cov} of monthly costs of {cost}.",
                  a=cite(a["value"], a["fact_id"]), am=cite(a["date_start"], fmt="month"),
                  z=cite(z["value"], z["fact_id"]), zm=cite(z["date_start"], fmt="month"), g=g,
                  cov=feb.coverage, cost=feb.gross)

    def people() -> str:
        k = attrition.key_numbers(facts, params.as_of)
        if k["departures"] is None or not k["departures"].value:
            raise MissingFact("no departure is reported by this date")
        text = md("**The people left too.** The sources name {n} executives and researchers who "
                  "left, {r} of them from research", n=k["departures"],
                  r=k["research_departures"])
        if k["sd_authors_left"] is not None:
            text += md(", including {x} of the {y} authors of the original Stable Diffusion study",
                       x=k["sd_authors_left"], y=k["sd_authors"])
        text += "."
        if k["layoffs_share"] is not None:
            bound = attrition.layoff_bound(facts)
            text += md(" {b}{p} of the workforce was laid off", p=k["layoffs_share"],
                       b=(bound + " ").capitalize() if bound else "")
            if k["remaining_headcount"] is not None:
                text += md(", leaving {h} employees", h=k["remaining_headcount"])
            text += "."
        return text

    out = [_finding(f) for f in (money, cash, check, funding, revenue, people)]
    return [f for f in out if f]


def key_numbers(facts: Facts, params: Params) -> pd.DataFrame:
    """The report's key numbers: measure, value as written, fact ids."""
    rows: list[tuple[str, Cited | None, str, str]] = []

    def add(label: str, get, prefix: str = "") -> None:
        try:
            c = get()
        except MissingFact:
            c = None
        if c is not None:
            rows.append((label, c, c.fmt, prefix))

    add("Valuation after the 2022 round", lambda: runway.fundraising(facts).valuation)
    add("Cash in the bank, October 2023", lambda: runway.cash_position(facts).cash, "less than ")
    add("Unpaid cloud bills of known amount", lambda: runway.cash_position(facts).bills_known)
    add("Projected 2023 costs", lambda: runway.cost_structure(facts).total)
    add("Projected 2023 revenue", lambda: runway.cost_structure(facts).revenue)
    add("Projected 2023 loss", lambda: runway.cost_structure(facts).loss)
    add("Compute share of 2023 costs", lambda: runway.cost_structure(facts).compute_share)
    add("Net burn a month, chosen basis", lambda: runway.chosen_basis(facts, params).net)
    add("Runway from October 2023, no new money",
        lambda: runway.scenarios(facts, params)[0].months_cited)
    add("Raised in 2023", lambda: runway.fundraising(facts).raised_2023)
    add("Share of the 2023 target raised", lambda: runway.fundraising(facts).raised_share)
    k = attrition.key_numbers(facts, params.as_of)
    for label, key in (("Named departures", "departures"),
                       ("of which research", "research_departures"),
                       ("Stable Diffusion authors who left", "sd_authors_left"),
                       ("Workforce laid off (" + (attrition.layoff_bound(facts) or "as reported")
                        + ")", "layoffs_share"),
                       ("Employees remaining", "remaining_headcount")):
        if k.get(key) is not None and k[key].ids:  # a count with no fact behind it says nothing
            rows.append((label, k[key], k[key].fmt, ""))
    table = pd.DataFrame({
        "measure": [r[0] for r in rows],
        "value": [r[3] + format(Cited(r[1].value, (), r[2])) for r in rows],
        "facts": [", ".join(r[1].ids) for r in rows],
    })
    table["value"] = table["value"].astype(str).str.replace("\\", "", regex=False)
    return table


def summarise(facts: Facts, params: Params, all_sources: pd.DataFrame | None = None) -> Summary:
    sources = facts.sources if all_sources is None else all_sources
    return Summary(freshness(facts, sources, params), findings(facts, params),
                   key_numbers(facts, params))


def show_key_numbers(summary: Summary) -> None:
    from .narrative import show_table

    if summary.key_numbers.empty:
        from IPython.display import Markdown, display

        display(Markdown("*No key number can be computed from the facts available.*"))
        return
    show_table(summary.key_numbers, "Key numbers (each traceable through its fact ids)")
