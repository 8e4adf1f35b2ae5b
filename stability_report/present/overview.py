"""The summary chapter: the bottom line in a few cited sentences (money, people, control, and how
sure the sources let us be), the key numbers with their status (analysis.overview), and how old
the facts are.

Every sentence is built from computed, cited values; one whose facts are not available as of the
analysis date is left out rather than said without them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..analysis import attrition, revenue, runway
from ..analysis.asof import STALE_AFTER_DAYS
from ..analysis.cash import cash_position
from ..analysis.cited import Cited, cite
from ..analysis.money import select
from ..analysis.overview import key_numbers, said
from ..analysis.runway import RUNWAY_TABLE
from ..errors import MissingFact
from ..facts.base import Facts
from ..formats import bound_words, count_word
from ..params import Params
from . import story
from .markdown import md


@dataclass(frozen=True)
class Summary:
    freshness: str  # Markdown
    bottom_line: list[str]  # Markdown sentences
    key_numbers: pd.DataFrame  # measure, value (Cited), status


def freshness(facts: Facts, all_sources: pd.DataFrame, params: Params) -> str:
    """How old the newest fact is on the analysis date, or why there are none."""
    as_of = pd.Timestamp(params.as_of)
    n = len(facts.all_facts())
    if n == 0:
        first = all_sources["published_start"].min()
        return md(
            "**No fact is available as of {d}.** No source can have been published by "
            "then: the earliest any could have appeared is {first}. Every section below "
            "says what it is missing.",
            d=cite(as_of, fmt="date"),
            first=cite(first, fmt="date"),
        )
    newest = facts.newest_fact_date()
    age = (as_of - newest).days
    text = md(
        "This analysis is as of {d}. It rests on {n} facts from {s} sources; the newest "
        "dated fact refers to a period starting in {newest}.",
        d=cite(as_of, fmt="date"),
        n=cite(n, fmt="int"),
        s=cite(len(facts.sources), fmt="int"),
        newest=cite(newest, fmt="month"),
    )
    if age > STALE_AFTER_DAYS:
        text += md(
            " The facts are more than a year old on the analysis date: the report "
            "describes the company as of {newest}, not as of {d}.",
            newest=cite(newest, fmt="month"),
            d=cite(as_of, fmt="date"),
        )
    return text


def runway_range(h: runway.Headline, funded: bool = False) -> Cited:
    """'0.3 to 1.5 months (November to December 2023)': the range across the bases, the months
    the cash runs out to the month, cited by the runway table."""
    lo, hi = h.funded if funded else h.none

    def months(r: runway.Runway) -> str:
        return f"{r.months:.1f}" if r.months is not None else f"more than {h.horizon}"

    def month(r: runway.Runway) -> str:
        return f"{r.cash_out:%B %Y}" if r.cash_out is not None else ""

    if lo is hi or lo.months == hi.months:
        text = f"{months(lo)} months" + (f" (to {month(lo)})" if month(lo) else "")
    elif hi.cash_out is None:
        text = f"{months(lo)} to {months(hi)} months (from {month(lo)} on)"
    elif lo.cash_out.year == hi.cash_out.year:
        text = f"{months(lo)} to {months(hi)} months ({lo.cash_out:%B} to {month(hi)})"
    else:
        text = f"{months(lo)} to {months(hi)} months ({month(lo)} to {month(hi)})"
    return cite(text, runway.Headline.ids((lo, hi)), fmt="text").via(RUNWAY_TABLE)


def funding_timing(facts: Facts, h: runway.Headline) -> str:
    """'the same month' when every funding event added to the cash falls in the cash figure's
    month, else 'after it'."""
    pos = cash_position(facts)
    same = all(d.to_period("M") == h.on.to_period("M") for d, _, _ in pos.funding_after)
    return "the same month" if same else "after it"


def bottom_line(facts: Facts, params: Params) -> list[str]:
    """Three to five sentences: what happened to the money, to the people, to control, and how
    sure the sources let us be; each left out when its facts are not available."""

    def money() -> str:
        cs = revenue.cost_structure(facts)
        pos = cash_position(facts)
        return md(
            "**Money.** The company's own projection put its 2023 costs at {total}, {compute} "
            "of it for computing, against revenue of {revenue}; {said_by} put its "
            "cash at {bound}{cash} in {month}.",
            total=cs.total,
            said_by=cite(pos.said_by, fmt="text"),
            compute=runway.qualified(facts, cs.compute),
            revenue=cs.revenue,
            bound=cite(bound_words(pos.bound), fmt="text"),
            cash=pos.cash,
            month=cite(pos.month, fmt="month"),
        )

    def cash() -> str:
        h = runway.headline(facts, params)
        at_most = cite("at most " if h.bound == "less_than" else "", fmt="text")
        text = md(
            "**Runway.** On the {n} burn rates the sources give, that cash lasts "
            "{at_most}{none} with no new money",
            n=cite(count_word(len(h.bases)), fmt="text"),
            none=runway_range(h),
            at_most=at_most,
        )
        if h.funded is not None:
            text += md(
                ", and {at_most}{funded} adding the {amount} raised {when}",
                funded=runway_range(h, funded=True),
                amount=h.funding,
                at_most=at_most,
                when=cite(funding_timing(facts, h), fmt="text"),
            )
        pos = cash_position(facts)
        if pos.arrears.value > 0:
            text += md(
                "; meanwhile {arrears} of cloud bills for earlier months were unpaid",
                arrears=pos.arrears,
            )
        return text + "."

    def people() -> str:
        deps = attrition.departures(facts, params.as_of)
        if deps.empty:
            raise MissingFact("no departures")
        groups = attrition.group_counts(deps)
        text = md(
            "**People.** The sources name {n} executives and researchers who left, {core} "
            "of them in research and model development",
            n=attrition.departure_count(deps),
            core=groups["core"],
        )
        share = attrition.sd_author_share(facts, deps)
        if share is not None:
            authors = deps[deps["sd_author"]]
            text += md(
                ", including {part} of the {whole} authors of the original Stable "
                "Diffusion study ({when})",
                part=share.part,
                whole=share.whole,
                when=attrition.when(authors, facts),
            )
        ceo = deps[deps["function"] == "executive"]
        if len(ceo):
            text += md(
                "; the chief executive himself left in {when}", when=attrition.when(ceo, facts)
            )
        return text + "."

    def control() -> str:
        could_not = story.ref(facts, "investors_could_not_remove_ceo")
        exits = story.ref(facts, "coatue_left_board|lightspeed_gave_up_observer_seat")
        if could_not is None or exits is None:
            raise MissingFact("the board and the investors")
        text = md(
            "**Control.** Investors could not remove the chief executive{a}; in {when} "
            "Coatue left the board and Lightspeed gave up its observer seat{b}",
            a=could_not,
            when=exits.when,
            b=exits,
        )
        shares = story.ref(facts, "ceo_holds_majority_of_shares")
        if shares is not None:
            text += md(
                "; on resigning, he said he still holds the majority of the shares{c}", c=shares
            )
        return text + "."

    def sureness() -> str:
        parts = "; ".join(_caveats(facts, params))
        return md("**How sure.** {parts}.", parts=cite(parts[:1].upper() + parts[1:], fmt="text"))

    out = [said(f) for f in (money, cash, people, control)]
    return [s for s in out if s] + ([sureness()] if _caveats(facts, params) else [])


def _caveats(facts: Facts, params: Params) -> list[str]:
    """What limits the figures, each counted from the facts (plain text)."""
    out = []
    every = facts.money[facts.money["metric"] == "cash"]
    cash = select(facts, "cash")  # the readings the analysis uses
    upper = cash[cash["bound"] == "less_than"]
    if len(upper) == len(cash) == 1:
        out.append(
            "the only cash figure is an upper bound (“less than”)"
            if len(every) == 1
            else "the cash figure used is an upper bound (“less than”)"
        )
    elif len(upper) == len(cash) and len(cash):
        out.append("every cash figure used is an upper bound (“less than”)")
    elif len(upper):
        out.append(
            f"{count_word(len(upper))} of the {count_word(len(cash))} cash figures used "
            f"{'is an upper bound' if len(upper) == 1 else 'are upper bounds'}"
        )
    rev = revenue.revenue_points(facts)
    claimed = rev[rev["status"] == "claimed"]
    if len(claimed):
        out.append(
            f"{count_word(len(claimed))} of the {count_word(len(rev))} monthly revenue figures "
            f"{'is a claim' if len(claimed) == 1 else 'are claims'} by the chief "
            "executive, not reported actuals"
        )
    deps = attrition.departures(facts, params.as_of)
    if len(deps):
        coarse = deps["precision"].isin(("quarter", "year", "range", "undated"))
        out.append(
            f"{count_word(int(coarse.sum()))} of the {count_word(len(deps))} departures are dated "
            "only to a year or between bounds"
        )
    c = facts.conflicts
    if len(c):
        out.append(
            f"the {count_word(len(facts.sources))} articles disagree in {count_word(len(c))} "
            "places, each recorded"
        )
    return out


def summarise(facts: Facts, params: Params, all_sources: pd.DataFrame | None = None) -> Summary:
    sources = facts.sources if all_sources is None else all_sources
    kn = key_numbers(facts, params)
    kn["first reported by"] = [facts.first_reported_by(c.ids) for c in kn["value"]]
    return Summary(freshness(facts, sources, params), bottom_line(facts, params), kn)


def show_key_numbers(summary: Summary) -> None:
    from .markdown import show
    from .tables import show_table

    if summary.key_numbers.empty:
        show("*No key number can be computed from the facts available.*")
        return
    show_table(
        summary.key_numbers,
        "Further key numbers and their status: reported, claimed "
        "(asserted by a party, not reported as fact), projected, planned, or derived here; "
        "and who first reported the facts behind each, as the sources tell it",
        anchor="key-numbers",
    )
