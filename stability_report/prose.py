"""The sentences of chapters 2 and 3 that need more than a template: ranges across bases,
clauses that depend on which facts are available, comparisons. Each function returns Markdown
built from cited values (narrative.md), or raises MissingFact when its facts are not available.
"""

from __future__ import annotations

import pandas as pd

from . import attrition, runway, story
from .facts import Facts, MissingFact
from .narrative import Cited, cite, count_word, md, money
from .tables import bound_words
from .overview import RUNWAY_TABLE, funding_timing, runway_range
from .params import Params


def _month(t: pd.Timestamp) -> Cited:
    return cite(t, fmt="month")


# Events told in the dated sequence of chapter 3 (event name -> what happened, present tense).
SEQUENCE = {
    "rombach_threatened_to_resign": "Robin Rombach first threatens to resign, “affected by "
                                    "failed fundraising efforts”",
    "executives_confronted_ceo_at_cogx": "executives confront Mostaque at the CogX conference "
                                         "over the cash position and funding",
    "coatue_left_board": "Coatue leaves the board",
    "lightspeed_gave_up_observer_seat": "Lightspeed gives up its board observer seat",
    "quiet_layoffs": "layoffs begin: {figure} of the workforce is let go",
    "sd3_released": "Stable Diffusion 3 is released, the three researchers contributing",
    "interim_co_leader_appointed": "the COO Shan Shan Wong and the CTO Christian Laforte take "
                                   "over the top leadership for the interim",
}


def sequence(facts: Facts, deps: pd.DataFrame, as_of=None) -> list[str]:
    """The people-and-control story as dated Markdown bullets, ordered by the end of each date
    interval: the events in SEQUENCE and the departures, grouped by the interval the sources
    allow (a large group cites the departures table)."""
    items = []
    for name, text in SEQUENCE.items():
        r = story.ref(facts, name)
        if r is None:
            continue
        start, end, precision = attrition.merged_interval(r.rows, facts, as_of)
        if precision == "undated":
            continue
        figure = r.figure.value if "{figure}" in text else ""
        items.append((start, end, 1, precision, text.replace("{figure}", figure), r))
    dated = deps[deps["dated"]]
    for (start, end, precision), g in dated.groupby(["earliest", "latest", "precision"],
                                                    sort=False):
        if len(g) == 1:
            p = g.iloc[0]
            role = p["roles"].split(" / ")[0]
            what = f"{p['name']} ({role}) leaves"
            # the reason the statements that date the departure give, when it is the source's
            # own words (a reason assembled from several passages is left to the reasons table)
            rows = facts.personnel.set_index("fact_id").reindex(
                list(attrition._binding_ids(facts, g)))
            reasons = {r for r, src in zip(rows["reason"], rows["source_id"])
                       if isinstance(r, str) and r and r in facts.texts.get(src, "")}
            if len(reasons) == 1:
                what += f", “{reasons.pop()}”"
        elif len(g) <= 4:
            names = list(g["name"])
            what = ", ".join(names[:-1]) + " and " + names[-1] + " leave"
        else:
            what = f"{count_word(len(g))} named executives and researchers leave"
            if precision in ("year", "quarter", "range"):
                what += f", dated only to the {'year' if precision == 'year' else precision}"
        c = attrition.when(g, facts)
        items.append((start, end, 0, precision, what, cite("", c.ids, fmt="text", ref=c.ref)))
    # by the end of each interval: an item known only to the year comes after its months
    items.sort(key=lambda i: (i[1], i[0], i[2]))
    out = []
    for start, end, _, precision, what, c in items:
        when = attrition.interval_label(start, end, precision)
        out.append(md("**{when}**: {what}{c}", when=cite(when, fmt="text"),
                      what=cite(what[:1].upper() + what[1:], fmt="text"), c=c))
    return out


def runway_headline(facts: Facts, params: Params) -> str:
    """The runway as a range across the bases the sources give, with the cash figure's bound in
    the sentence and cash-out dates to the month."""
    h = runway.headline(facts, params)
    at_most = cite("at most " if h.bound == "less_than" else "", fmt="text")
    text = md("Starting from {bound}{cash} at the end of {month}, the cash lasts {at_most}{none} "
              "with no new money, across the {n} burn bases the sources give",
              bound=cite(bound_words(h.bound), fmt="text"), cash=h.cash, month=_month(h.on),
              none=runway_range(h), n=cite(count_word(len(h.bases)), fmt="text"),
              at_most=at_most)
    if h.funded is not None:
        text += md("; adding the {amount} raised {when}, {at_most}{funded}", amount=h.funding,
                   at_most=at_most,
                   when=cite(funding_timing(facts, h), fmt="text"),
                   funded=runway_range(h, funded=True))
    text += "."
    if h.bound == "less_than":
        text += md(" Because the cash figure is an upper bound, so is every runway.")
    return text + md(" No basis is taken as the answer: they describe different months.")


def trajectory_text(facts: Facts, params: Params) -> str:
    tr = runway.trajectory(facts, params)
    if tr is None:
        raise MissingFact("the February 2024 figures or a revenue growth rate")
    g = tr.growth
    text = md("The February 2024 figures can also be read as a trajectory: costs held at {cost} "
              "a month and revenue on the path through {rev} in {feb} at the growth the sources "
              "imply, {rate} a month (from the {status} {first} for {first_month} to the "
              "reported {last} figure)", cost=tr.gross, rev=tr.anchor,
              feb=_month(tr.anchor_month), last=_month(g.last["date_start"]), rate=g.rate,
              status=cite(g.first["status"], fmt="text"),
              first=cite(g.first["value"], g.first["fact_id"]),
              first_month=_month(g.first["date_start"]))
    r = tr.run
    if r.cash_out is None:
        text += md(". On that path the cash never runs out within {h} months: it falls to "
                   "{low} at its lowest", h=cite(count_word(params.horizon_months), fmt="text"),
                   low=tr.low_point)
    else:
        text += md(". On that path the cash runs out in {m}", m=r.month_cited.via(RUNWAY_TABLE))
    if tr.break_even is not None:
        text += md(", and revenue covers costs from {be}", be=cite(tr.break_even, fmt="month"))
    m = facts.money
    later = m[m["metric"].isin(("revenue", "costs", "cash"))
              & (m["date_start"] > g.last["date_start"])]
    if later.empty:
        text += md(". The sources give no later revenue, cost or cash figure to test it")
    return text + "."


def reconciliation(facts: Facts, params: Params) -> str:
    """The model against the record: how long the sources show the company going on, what they
    show kept it going, and what the model therefore leaves out."""
    h = runway.headline(facts, params)
    lo, _ = h.funded if h.funded is not None else h.none
    if lo.cash_out is None:
        raise MissingFact("a runway that ends within the horizon")
    feb = runway.bases(facts).get("feb2024")
    text = md("On the {basis} basis the model runs out of cash by {m}{even}",
              basis=cite(lo.basis, fmt="text"), m=lo.month_cited.via(RUNWAY_TABLE),
              even=cite(", even with the new money" if h.funded is not None else "", fmt="text"))
    if feb is not None:
        month = facts.money.set_index("fact_id").at[feb.gross.ids[0], "date_start"]
        text += md(", yet in {feb} the company still had {cost} of costs and {rev} of revenue",
                   feb=cite(month, fmt="month"), cost=feb.gross, rev=feb.revenue)
    interim = story.ref(facts, "interim_co_leader_appointed")
    if interim is not None:
        text += md(", and in {when} it had new interim leadership{i}", when=interim.when,
                   i=interim)
    text += ". "
    kept = []
    pos = runway.cash_position(facts)
    later = pos.after.dropna(subset=["value"])
    unknown = int(pos.after["value"].isna().sum())
    if pos.arrears.value > 0:
        clause = md("cloud bills left unpaid ({arrears} for months before the cash figure",
                    arrears=pos.arrears)
        if len(later) or unknown:
            clause += md("; later, {known} more with a known amount",
                         known=cite(float(later["value"].sum()), tuple(later["fact_id"])))
            if unknown:
                clause += md(", and {k} more without an amount",
                             k=cite(count_word(unknown), fmt="text"))
        kept.append(clause + ")")
    payroll = story.ref(facts, "considered_delaying_uk_tax_payments_to_pay_us_salaries")
    if payroll is not None:
        kept.append(md("considering delaying UK tax payments to pay US salaries{p}", p=payroll))
    if pos.funding_after:
        kept.append(md("new convertible money ({amount})", amount=h.funding))
    avg = runway.bases(facts).get("fy2023_projection")
    if feb is not None and avg is not None:
        kept.append(md("a net burn of {feb} in February 2024 against {avg} a month on the 2023 "
                       "average", avg=avg.net, feb=feb.net))
    if kept:
        text += md("What the sources show kept it going: ") + "; ".join(kept) + ". "
    text += md("The model captures only the new money: it spends at one basis' rate from one "
               "upper-bound cash figure, treats unpaid bills as paid or ignored, and knows no money "
               "the sources do not report.")
    return text


def fundraising_text(facts: Facts) -> str:
    """The targets in force over time and what came in against each, never joining two
    statements the source makes separately."""
    fr = runway.fundraising(facts)
    text = ""
    if fr.valuation_sought is not None:
        text += md("In 2023 the company was reported to be seeking a round at a valuation of "
                   "{v}, against the {v0} its 2022 round reached. ", v=fr.valuation_sought,
                   v0=fr.valuation)
    text += md("A plan of {month} sought {target} from major investors", month=_month(
        fr.target_month), target=fr.target)
    if fr.compute is not None:
        text += md(", plus {c} in computing facilities", c=fr.compute)
    text += ". "
    others = [md("{x} from {who} ({when})", x=cite(r["value"], r["fact_id"]),
                 who=cite(r["counterparty"] or "investors", fmt="text"),
                 when=cite(attrition.interval_label(r["date_start"], r["date_end"],
                                                    r["date_precision"]), fmt="text"))
              for _, r in fr.other_targets.iterrows()]
    if others:
        text += md("Other amounts the sources say were sought: ") + "; ".join(others) + ". "
    for r, timing in fr.raised:
        text += md("{who} put in {amount} in {when}, {timing} that plan ({share} of its target). ",
                   who=cite(r["counterparty"], fmt="text"), amount=cite(r["value"], r["fact_id"]),
                   when=cite(attrition.interval_label(r["date_start"], r["date_end"],
                                                      r["date_precision"]), fmt="text"),
                   timing=cite(timing, fmt="text"),
                   share=cite(r["value"] / fr.target.value, r["fact_id"], fr.target.ids,
                              fmt="pct"))
    if fr.cut is not None and fr.target_after_cut is not None:
        cut = facts.money.set_index("fact_id").loc[fr.cut.ids[0]]
        bound = cut["bound"]
        text += md("By {when} the target had been cut by {bound}{cut}: if the cut applied to the "
                   "{target} of the plan, to {less}{left}", when=_month(cut["date_end"]),
                   bound=cite(bound_words(bound), fmt="text"), cut=fr.cut, target=fr.target,
                   less=cite("less than " if bound in ("more_than", "at_least") else "",
                             fmt="text"), left=fr.target_after_cut)
        after = [r for r, t in fr.raised if t == "after"]
        if after and fr.target_after_cut.value > 0:
            a = after[-1]
            share = cite(a["value"] / fr.target_after_cut.value, a["fact_id"],
                         fr.target_after_cut.ids, fmt="pct")
            text += md(", against which the {amount} raised in {when} would be {more}{share}",
                       amount=cite(a["value"], a["fact_id"]), when=_month(a["date_start"]),
                       more=cite("more than " if bound in ("more_than", "at_least") else "",
                                 fmt="text"), share=share)
        text += ". "
    return text.strip()


def _names(people: list[str]) -> str:
    return people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]


def capability_text(deps: pd.DataFrame) -> str:
    """Who the research and model group lost, by function, and the other groups in brief."""
    core = deps[deps["group"] == "core"]
    if core.empty:
        raise MissingFact("no departure from research and model development")
    parts = []
    for function in attrition.CAPABILITY_GROUPS["core"][1]:
        people = core[core["function"] == function]
        if len(people):
            label = attrition.FUNCTION_LABELS[function].replace("Applied ML", "applied machine "
                                                                "learning").lower()
            parts.append(f"{_names(list(people['name']))} in {label}")
    text = md("Research and model development lost {n}: {who}.",
              n=attrition.group_counts(deps)["core"], who=cite("; ".join(parts), fmt="text"))
    for key in ("technical", "executive"):
        people = deps[deps["group"] == key]
        if len(people):
            who = [f"{r.name} ({attrition.FUNCTION_LABELS[r.function]})"
                   for r in people.itertuples()]
            text += md(" {label}: {who}.", label=cite(attrition.CAPABILITY_GROUPS[key][0],
                                                      fmt="text"),
                       who=cite(_names(who), fmt="text"))
    return text


def ceo_exit_text(facts: Facts, deps: pd.DataFrame) -> str:
    """The chief executive's exit, as precisely as the sources date it, then what he and the
    company said and who took over."""
    ceo = deps[deps["function"] == "executive"]
    if ceo.empty:
        raise MissingFact("the chief executive's departure is not reported by this date")
    r = ceo.iloc[0]
    when = attrition.when(ceo, facts)
    text = md("{name} resigned as chief executive in {when}", name=cite(r["name"], fmt="text"),
              when=when)
    if r["precision"] in ("range", "year"):
        text += md(", an interval, since no source dates his resignation more precisely")
    text += ". "
    return text + story.paragraph(facts, "ceo_reasons", "ceo_shares", "interim", "expenditure")


def assumptions(facts: Facts, params: Params) -> str:
    """What every runway in the table assumes, in one sentence."""
    pos = runway.cash_position(facts)
    kind = runway.BOUND_PHRASES.get(pos.bound)
    parts = [md("The cash is {bound}{cash} at the end of {month}{taken}",
                bound=cite(bound_words(pos.bound), fmt="text"), cash=pos.cash,
                month=cite(pos.on, fmt="month"),
                taken=cite(f" (taken at that value, {kind}: so is every runway)"
                           if pos.bound == "less_than" else
                           f" (taken at that value, {kind})" if kind else "", fmt="text")),
             md("each basis' costs are held flat and its revenue grows {g} a month (the "
                "parameter revenue_growth), except the trajectory's",
                g=cite(f"{params.revenue_growth:.1%}", fmt="text")),
             md("funding arrives at the start of the month it is reported in, and funding in "
                "the month of the cash figure is not already in it"),
             md("unpaid bills stay unpaid, except in the scenario that pays the arrears at once")]
    m = facts.money.set_index("fact_id")
    for b in runway.bases(facts, params).values():
        claimed = [i for i in b.revenue.ids if i in m.index and m.at[i, "status"] == "claimed"]
        if claimed:
            parts.append(md("the basis “{label}” nets its costs against {rev} of revenue for "
                            "{month} that is claimed, not reported", label=cite(b.label,
                            fmt="text"), rev=b.revenue, month=_month(m.at[claimed[0],
                                                                            "date_start"])))
    return md("**Assumptions.** ") + "; ".join(parts) + "."


def raise_check_text(facts: Facts, params: Params) -> str:
    """The 2022 raise against the cash left: the average burn it implies, set against the net
    burn of each basis."""
    rc = runway.raise_check(facts)
    text = md("From the 2022 round to the cash figure the company took in {raised} over {months} "
              "months and was left with {bound}{cash}: it must have burned at least {burn} a "
              "month on average (a floor, since the cash it held before the round is unknown).",
              raised=rc.raised, months=cite(rc.months, rc.raised.ids, fmt="int"),
              bound=cite(bound_words(runway.cash_position(facts).bound), fmt="text"),
              cash=rc.cash_after, burn=rc.implied_burn)
    below = [b for b in runway.bases(facts).values() if b.net.value < rc.implied_burn.value]
    above = [b for b in runway.bases(facts).values() if b.net.value >= rc.implied_burn.value]
    if below:
        text += md(" The floor is above the net burn of {labels}", labels=cite(_names(
            [f"the {b.label} basis" for b in below]), fmt="text"))
        text += md("; only {labels} reaches it.", labels=cite(_names(
            [f"the {b.label} basis" for b in above]), fmt="text")) if above else "."
    return text


def cash_milestone_text(facts: Facts, deps: pd.DataFrame, as_of=None) -> str:
    """The departures set against the last cash figure: how many had certainly and how many
    had possibly happened by the end of its month, and why the two differ."""
    cm = attrition.cash_milestone(facts, deps, as_of)
    if cm is None:
        raise MissingFact("no cash figure is reported by this date")
    lo, hi, dated = cm["at_least"], cm["at_most"], cm["dated"]
    text = md("By the end of {when}, when the last cash figure was {bound}{cash}, ",
              when=cm["when"], cash=cm["cash"],
              bound=cite(f"{cm['bound'].value} " if cm["bound"].value else "", fmt="text"))
    if lo.value == hi.value:
        return text + md("{n} of the {d} dated departures had happened.", n=hi, d=dated)
    if lo.value == 0:
        text += md("none of the {d} dated departures had certainly happened and at most {hi} "
                   "had begun", d=dated, hi=hi)
    else:
        text += md("at least {lo} and at most {hi} of the {d} dated departures had happened",
                   lo=lo, hi=hi, d=dated)
    open_ = int(hi.value - lo.value)
    return text + md(": {k} {are} dated only to an interval that spans that month, so the "
                     "sources cannot say whether {they} came before the cash figure or after "
                     "it.", k=cite(open_, fmt="int", ref=attrition.DEPARTURES_TABLE),
                     are=cite("is" if open_ == 1 else "are", fmt="text"),
                     they=cite("it" if open_ == 1 else "they", fmt="text"))


def scenarios_caption(facts: Facts, params: Params) -> str:
    """The caption of the cash-by-scenario figure (plain text)."""
    basis = runway.chosen_basis(facts, params).label
    text = (f"Cash after the last reported figure on the {basis} basis (the parameter "
            "burn_basis), in each scenario of the table; a cross marks where the cash runs out.")
    if runway.cash_position(facts).bound == "less_than":
        text += " The cash figure is an upper bound, so each line is too."
    return text
