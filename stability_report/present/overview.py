"""The summary chapter: the bottom line in a few cited sentences (money, people, control, and how
sure the sources let us be), the key numbers with their status (analysis.overview), and how old
the facts are.

Every sentence is built from computed, cited values; one whose facts are not available as of the
analysis date is left out rather than said without them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import pandas as pd

from ..analysis import attrition, fundraising, revenue, runway
from ..analysis.asof import STALE_AFTER_DAYS
from ..analysis.cash import cash_position
from ..analysis.cited import cite
from ..analysis.money import select
from ..analysis.overview import key_numbers, said
from ..analysis.quality import restated_outlets
from ..errors import MissingFact
from ..facts.base import Facts
from ..formats import bound_words, count_word, join_words
from ..params import Params
from . import story
from .markdown import md
from .phrases import date_clause, dated_by, departure_when, funding_timing, runway_range
from .story import source_of_claim


@dataclass(frozen=True)
class Summary:
    freshness: str  # Markdown
    headline: str  # Markdown: the one sentence a reader could quote ('' when nothing is known)
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
        src = facts.sources
        text += md(
            " The facts are more than a year old on the analysis date: the report describes "
            "the company as of its sources' writing (published between {a} and {b}, as far "
            "as their texts date them), not as of {d}.",
            a=cite(pd.Timestamp(src["published_start"].min()), fmt="month"),
            b=cite(pd.Timestamp(src["published_end"].max()), fmt="month"),
            d=cite(as_of, fmt="date"),
        )
    return text


def bottom_line(facts: Facts, params: Params) -> list[str]:
    """Three to five sentences: what happened to the money, to the people, to control, and how
    sure the sources let us be; each left out when its facts are not available."""
    lines = (_money_line, _runway_line, _people_line, _control_line)
    out = [said(partial(line, facts, params)) for line in lines]
    caveats = [_sureness_line(facts, params)] if _caveats(facts, params) else []
    return [s for s in out if s] + caveats


def _money_line(facts: Facts, params: Params) -> str:
    """What happened to the money: the 2023 costs against the revenue expected."""
    cs = revenue.cost_structure(facts)
    return md(
        "**Money.** The company's own projection put its 2023 costs at {total}, {compute} "
        "of it for computing, against expected revenue for the year of {revenue} in its "
        "October financial report.",
        total=cs.total,
        compute=runway.qualified(facts, cs.compute),
        revenue=cs.revenue,
    )


def _runway_line(facts: Facts, params: Params) -> str:
    """How long the cash would have lasted, with and without the funding reported after it."""
    h = runway.headline(facts, params)
    pos = cash_position(facts)
    at_most = "at most " if h.bound == "less_than" else ""
    text = md(
        "**Runway.** On the report's model, which pays every month's net burn in cash (the "
        "sources report bills left unpaid instead), the {said_by}'s cash ({bound}{cash}, "
        "{month}) would have lasted {none} with no new money, on the {n} net burn rates "
        "derived from the sources' figures",
        said_by=cite(pos.said_by.removeprefix("an ").removeprefix("a "), fmt="text"),
        bound=cite(bound_words(pos.bound), fmt="text"),
        cash=pos.cash,
        month=cite(pos.month, fmt="month"),
        n=cite(count_word(len(h.bases)), fmt="text"),
        none=runway_range(h, at_most=at_most),
    )
    if h.funded is not None:
        by = [source_of_claim(facts, *a.ids).value for _, a, _ in pos.funding_after]
        text += md(
            "; with the {amount} {who} put in {when}{by}, {funded}, if that money "
            "came after the memo's count{order}",
            funded=runway_range(h, funded=True, at_most=at_most),
            amount=h.funding,
            who=cite(" and ".join(w or "investors" for _, _, w in pos.funding_after), fmt="text"),
            by=cite(
                f" (according to {' and '.join(b for b in by if b)})" if any(by) else "",
                fmt="text",
            ),
            when=cite(funding_timing(facts, h), fmt="text"),
            order=cite(
                " (the sources do not say)" if funding_timing(facts, h) == "the same month" else "",
                fmt="text",
            ),
        )
    return text + "."


def _people_line(facts: Facts, params: Params) -> str:
    """Who left: how many, the Stable Diffusion authors, the chief executive."""
    deps = attrition.departures(facts, params.as_of)
    if deps.empty:
        raise MissingFact("no departures")
    groups = attrition.group_counts(deps)
    text = md(
        "**People.** The sources name {n} executives and researchers who left",
        n=attrition.departure_count(deps),
    )
    ceo = deps[deps["function"] == "executive"]
    if len(ceo):
        text += ", among them the chief executive, who resigned" + departure_when(facts, ceo)
    text += md(
        ". By the report's grouping, {core} were in research and model development",
        core=groups["core"],
    )
    share = attrition.sd_author_share(facts, deps)
    if share is not None:
        authors = deps[deps["sd_author"]]
        when = attrition.when(authors, facts)
        hired = story.ref(facts, "sd_researchers_hired")
        text += md(
            ", among them {part} of the {whole} authors of the main Stable Diffusion study, "
            "whom the company hired{funds}{c} and who left in {when}{whose}",
            part=cite(count_word(int(share.part.value)), share.part.ids, fmt="text"),
            whole=cite(count_word(int(share.whole.value)), share.whole.ids, fmt="text"),
            funds=cite(_hired_with(hired), fmt="text"),
            c=hired if hired is not None else cite("", fmt="text"),
            when=when,
            whose=cite(_dated_by_sources(facts, when.ids), fmt="text"),
        )
    return text + "."


def _hired_with(hired) -> str:
    """' with part of the money it raised (S000)': what paid for the hiring, when the source's
    quote says so ("some of those funds")."""
    if hired is None:
        return ""
    row = hired.rows.iloc[0]
    words = "some of those funds"
    if words not in row["quote"]:
        return ""
    return f" with part of the money it raised ({row['source_id']})"


def _dated_by_sources(facts: Facts, ids) -> str:
    """' (S001: “In March this year”)': the source's own words, when the report dated the
    statements that date a group from them; else ' (S001's date)' when one source alone dates
    it; '' otherwise."""
    p = facts.personnel
    rows = p[p["fact_id"].isin(list(ids))]
    words = story.source_words(rows) if len(rows) else ""
    if words:
        return words
    srcs = sorted(set(rows["source_id"]))
    return f" ({srcs[0]}'s date)" if len(srcs) == 1 else ""


def _control_line(facts: Facts, params: Params) -> str:
    """What the investors could and could not do about the chief executive."""
    could_not = story.ref(facts, "investors_could_not_remove_ceo")
    exits = story.ref(facts, "coatue_left_board|lightspeed_gave_up_observer_seat")
    if could_not is None or exits is None:
        raise MissingFact("the board and the investors")
    text = md(
        "**Control.** According to {src}, Coatue and other investors “could not directly "
        "remove” the chief executive{a}; in {when} Coatue left the board and Lightspeed gave "
        "up its observer seat{b}{by}",
        src=cite(_cited_by(could_not.rows), fmt="text"),
        a=could_not,
        when=exits.when,
        b=exits,
        by=cite(_according_outlet(exits.rows), fmt="text"),
    )
    shares = story.ref(facts, "ceo_holds_majority_of_shares")
    if shares is not None:
        text += md(
            "; on resigning, Mostaque said on X that he still holds the majority of the shares{c}",
            c=shares,
        )
    return text + "."


def _cited_by(rows: pd.DataFrame) -> str:
    """'insiders cited by S001' when every statement gives the same attribution
    (`attributed_to`), else the sources: 'S001', 'S001, S002'."""
    sources = ", ".join(dict.fromkeys(rows["source_id"]))
    whos = {w.strip() for w in rows["attributed_to"] if isinstance(w, str) and w.strip()}
    every = all(isinstance(w, str) and w.strip() for w in rows["attributed_to"])
    return f"{whos.pop()} cited by {sources}" if every and len(whos) == 1 else sources


def _according_outlet(rows: pd.DataFrame) -> str:
    """', according to Bloomberg (restated by S000; S001 separately: “By October last year,
    Coatue and Lightspeed had reached their limit”)': the outlet the sources restate for a set of
    facts, then each source's part (restating it, or its own date words in the sentence of its
    quote that holds them, so that the reader sees what they date); falls back to dated_by()
    when no source restates an outlet."""
    outlets = [o for o in rows["original_reporter"] if isinstance(o, str) and o.strip()]
    if not outlets:
        return f" ({dated_by(rows)})"
    parts = []
    for sid, g in rows.groupby("source_id", sort=True):
        if any(isinstance(o, str) and o.strip() for o in g["original_reporter"]):
            parts.append(f"restated by {sid}")
        else:  # its own account, not a restatement of the outlet, with what its words date
            words = date_clause(g)
            parts.append(f"{sid} separately: “{words}”" if words else f"{sid} too")
    return f", according to {outlets[0]} ({'; '.join(parts)})"


def _sureness_line(facts: Facts, params: Params) -> str:
    """How sure the sources let us be (their caveats)."""
    parts = "; ".join(_caveats(facts, params))
    return md("**How sure.** {parts}.", parts=cite(parts[:1].upper() + parts[1:], fmt="text"))


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
    outlets = restated_outlets(facts)
    if outlets:
        names = list(dict.fromkeys(o for per in outlets.values() for o in per))
        n, total = len(outlets), len(facts.sources)
        if n == total:
            who, so = "the articles restate", "they are not independent confirmations"
        elif n == 1:
            who = f"one of the {count_word(total)} articles restates"
            so = "it is not an independent confirmation"
        else:
            who = f"{count_word(n)} of the {count_word(total)} articles restate"
            so = "they are not independent confirmations"
        out.append(f"{who} {join_words(names)}, so {so}")
    return out


def headline(facts: Facts, params: Params) -> str:
    """The one sentence at the top that a reader could quote: what happened, in plain words,
    each figure cited and hedged as its source gives it; '' when the facts for it are not
    available."""
    parts = []
    fr = said(lambda: fundraising.fundraising(facts))
    if fr is not None and fr.valuation is not None:
        parts.append(
            md(
                "Stability AI, valued at {v} after its 2022 funding round,",
                v=runway.qualified(facts, fr.valuation),
            )
        )
    try:
        pos = cash_position(facts)
        parts.append(
            md(
                "had {bound}{cash} in the bank in {month}, according to {said_by},",
                bound=cite(bound_words(pos.bound), fmt="text"),
                cash=pos.cash,
                month=cite(pos.month, fmt="month"),
                said_by=cite(pos.said_by, fmt="text"),
            )
        )
    except MissingFact:
        pass
    deps = attrition.departures(facts, params.as_of)
    if len(deps):
        dated = deps[deps["dated"]]
        years = sorted({d.year for d in dated["earliest"]} | {d.year for d in dated["latest"]})
        span = f"in {years[0]}–{str(years[-1])[2:]} " if len(years) > 1 else ""
        lost = md(
            "and {span}lost {n} named executives and researchers",
            span=cite(span, fmt="text"),
            n=attrition.departure_count(deps),
        )
        ceo = deps[deps["function"] == "executive"]
        share = attrition.sd_author_share(facts, deps)
        extra = []
        if len(ceo):
            extra.append("its chief executive")
        if share is not None:
            extra.append(
                md(
                    "{k} of the researchers behind Stable Diffusion",
                    k=cite(count_word(int(share.part.value)), share.part.ids, fmt="text"),
                )
            )
        if extra:
            lost += md(", among them ") + " and ".join(extra)
        parts.append(lost)
    if not parts:
        return ""
    text = " ".join(parts).rstrip(",")
    if not text.startswith("Stability AI"):
        text = "Stability AI " + text
    return "**" + text + ".**"


def summarise(facts: Facts, params: Params, all_sources: pd.DataFrame | None = None) -> Summary:
    sources = facts.sources if all_sources is None else all_sources
    kn = key_numbers(facts, params)
    kn["reported by"] = [facts.first_reported_by(c.ids) for c in kn["value"]]
    return Summary(
        freshness(facts, sources, params),
        headline(facts, params),
        bottom_line(facts, params),
        kn,
    )


def show_key_numbers(summary: Summary) -> None:
    from .markdown import show
    from .tables import show_table

    if summary.key_numbers.empty:
        show("*No key number can be computed from the facts available.*")
        return
    show_table(
        summary.key_numbers.drop(columns="key"),
        "Further key numbers, each with the status its facts give it (derived: computed here), "
        "and who reported the facts behind it, as the sources tell it (a source restating "
        "another outlet's reporting may not name it for every fact)",
        anchor="key-numbers",
    )
