"""Chapter 2, section 2.4: how long the cash lasts across the burn rates the sources give,
the report's own extrapolation, the captions of the runway figures, what every runway assumes,
and the model set against what the sources show the company did."""

from __future__ import annotations

from ...analysis import burn, runway
from ...analysis.cash import cash_position
from ...analysis.cited import cite
from ...analysis.runway import RUNWAY_TABLE
from ...errors import MissingFact
from ...facts.base import Facts
from ...formats import BOUND_PHRASES, bound_words, count_word, join_words
from ...params import Params
from .. import phrases, story
from ..markdown import md
from ..phrases import month_value, text_value
from ..story import source_of_claim


def runway_headline(facts: Facts, params: Params) -> str:
    """The runway as a person would say it: how long the cash lasts, the range across the
    burn rates the sources give, and the assumption the funded range rests on."""
    h = runway.headline(facts, params)
    at_most = "at most " if h.bound == "less_than" else ""
    pos = cash_position(facts)
    text = md(
        "On the report's model, which pays each month's net burn in cash{unpaid}, the "
        "{bound}{cash} that {said_by} counted in {month} (taken as the end of the month) would "
        "have lasted, with no new money, {none}, depending on which of the {n} net "
        "burn rates the report derives from the sources' figures is right",
        unpaid=text_value(
            " (the sources report bills left unpaid instead)" if _unpaid(pos) else ""
        ),
        bound=text_value(bound_words(h.bound)),
        cash=h.cash,
        said_by=text_value(pos.said_by),
        month=month_value(h.on),
        none=phrases.runway_range(h, at_most=at_most),
        n=text_value(count_word(len(h.bases))),
    )
    if h.funded is not None:
        same = phrases.funding_timing(facts, h) == "the same month"
        text += (
            md(". Adding ")
            + phrases.funding_md(facts)
            + md(
                ", it lasts {funded}; this assumes the money came after the memo's count{order}",
                funded=phrases.runway_range(h, funded=True, at_most=at_most),
                order=text_value(
                    ", which the sources do not say: both are dated only to the same month"
                    if same
                    else ""
                ),
            )
        )
    text += "."
    if h.bound == "less_than":
        text += md(" Because the cash figure is an upper bound, ") + md(_bound_reach(pos)) + "."
    return text + md(
        " No burn rate is taken as the answer: they describe different months and different "
        "things (the 2023 projection averaged over twelve months; February 2024 costs less "
        "revenue; {undated} monthly spend less a claimed month's revenue).",
        undated=text_value(_undated_spend_by(facts, params)),
    )


def _unpaid(pos) -> bool:
    """Whether the sources report bills left unpaid around the cash figure."""
    return bool(len(pos.before) or len(pos.after))


def _bound_reach(pos, text: str = "so is the runway for a given burn rate paid in full") -> str:
    """What an upper-bound cash figure bounds: the runway for one burn rate paid in full, not
    how long the cash lasted when bills went unpaid."""
    if _unpaid(pos):
        text += (
            "; since the company left bills unpaid, the cash may have lasted longer than the "
            "model says"
        )
    return text


def _undated_spend_by(facts: Facts, params: Params) -> str:
    """'Bloomberg's undated': who gives the undated monthly spend a burn rate rests on."""
    b = burn.bases(facts, params).get("monthly_spend")
    who = source_of_claim(facts, *b.gross.ids).value if b is not None else None
    return f"{who}'s undated" if who else "an undated"


RUNWAY_TABLE_CAPTION = (
    "Runway from the cash figure for each burn basis and scenario: months, and the month "
    "the cash runs out"
)


def trajectory_text(facts: Facts, params: Params) -> str:
    """The February 2024 figures extended along the growth from a claimed figure: said as an
    extrapolation from a claim, set against what the later source says of the burn."""
    tr = runway.trajectory(facts, params)
    if tr is None:
        raise MissingFact("the February 2024 figures or a revenue growth rate")
    g = tr.growth
    first_status = str(g.first["status"])
    text = md(
        "The last row is the report's own extrapolation, resting on a {status} figure: if revenue "
        "had grown at the monthly rate that would link the {first} {who} {verb} for "
        "{first_month} to the {last} that {rep} gives for {feb} ({rate} a month), with costs "
        "held at {cost} a month",
        status=text_value(first_status),
        first=cite(g.first["value"], g.first["fact_id"]),
        who=text_value(source_of_claim(facts, g.first["fact_id"]).value or "the source"),
        verb=text_value(
            "claimed in a later-deleted tweet" if first_status == "claimed" else "gave"
        ),
        first_month=month_value(g.first["date_start"]),
        last=tr.anchor,
        rep=source_of_claim(facts, *tr.anchor.ids),
        feb=month_value(tr.anchor_month),
        rate=g.rate,
        cost=tr.gross,
    )
    r = tr.run
    if r.cash_out is None:
        text += md(
            ", the cash, with the new money added, would never run out within {h} months",
            h=text_value(count_word(params.horizon_months)),
        )
    else:
        text += md(", the cash would run out in {m}", m=r.month_cited.via(RUNWAY_TABLE))
    if tr.break_even is not None:
        text += md(" and revenue would cover costs from {be}", be=cite(tr.break_even, fmt="month"))
    text += md(". The sources do not imply this")
    burn = story.ref(facts, "cash_burn_far_exceeds_revenue")
    if burn is not None:
        text += md(
            ": {src} says the “cash burn rate far exceeds its revenue level”{b}",
            src=text_value(" and ".join(dict.fromkeys(burn.rows["source_id"]))),
            b=burn,
        )
    m = facts.money
    later = m[
        m["metric"].isin(("revenue", "costs", "cash")) & (m["date_start"] > g.last["date_start"])
    ]
    if later.empty:
        text += md(", and no source gives a later revenue, cost or cash figure to test it")
    else:
        text += md("; later figures: {ids}", ids=cite("", tuple(later["fact_id"]), fmt="text"))
    return text + "."


def scenarios_caption(facts: Facts, params: Params) -> str:
    """The caption of the cash-by-scenario figure (plain text): it draws one burn rate, which
    is not the answer."""
    basis = burn.chosen_basis(facts, params).label
    text = (
        f"Cash after the last reported figure in each scenario of the table, drawn for one burn "
        f"rate only, “{basis}” (the rate chosen for the run; the table gives every rate, and "
        "none is taken as the answer); a cross marks where the cash runs out."
    )
    if cash_position(facts).bound == "less_than":
        text += (
            " The cash figure is an upper bound, so each line is too, for its burn rate paid in "
            "full."
        )
    return text


def sensitivity_caption(scenario: str) -> str:
    return (
        f"Months of runway in the scenario “{scenario}”, for each monthly cost and revenue "
        "growth rate, one panel per burn rate the sources give, each starting from that rate's "
        "revenue. The "
        "ringed point is the rate itself at the revenue growth assumed for the run, labelled "
        "with the runway the table above gives it."
    )


def assumptions(facts: Facts, params: Params) -> str:
    """What every runway in the table assumes."""
    pos = cash_position(facts)
    kind = BOUND_PHRASES.get(pos.bound)
    parts = [
        (
            md(
                "The cash is taken at its stated ceiling, {cash}, at the end of {month} "
                "({said_by}: “less than”), so ",
                cash=pos.cash,
                month=month_value(pos.on),
                said_by=text_value(pos.said_by),
            )
            + md("each runway is an upper bound for its burn rate paid in full")
            if pos.bound == "less_than"
            else md(
                "The cash is {bound}{cash} at the end of {month} ({said_by}){taken}",
                bound=text_value(bound_words(pos.bound)),
                cash=pos.cash,
                month=month_value(pos.on),
                said_by=text_value(pos.said_by),
                taken=text_value(f", taken at that value ({kind})" if kind else ""),
            )
        ),
        md(
            "each burn rate's costs are held flat and its revenue {grows}, except the "
            "extrapolated row's",
            grows=text_value(
                "is held flat too"
                if params.revenue_growth == 0
                else f"grows {params.revenue_growth:.1%} a month (an assumption of this run)"
            ),
        ),
        md(
            "money reported in the month of the cash figure is added just after it, and later "
            "money at the start of the month it is reported in"
        ),
        md("unpaid bills stay unpaid, except in the scenario that pays the arrears at once"),
    ]
    m = facts.money.set_index("fact_id")
    for b in burn.bases(facts, params).values():
        claimed = [i for i in b.revenue.ids if i in m.index and m.at[i, "status"] == "claimed"]
        if claimed:
            parts.append(
                md(
                    "the rate “{label}” nets its costs against {rev} of revenue for {month} "
                    "that {who} claimed, not a reported figure",
                    label=text_value(b.label),
                    rev=b.revenue,
                    who=source_of_claim(facts, *claimed),
                    month=month_value(m.at[claimed[0], "date_start"]),
                )
            )
    return md("**Assumptions.** ") + "; ".join(parts) + "."


def reconciliation(facts: Facts, params: Params) -> str:
    """The model against the record: how long the sources show the company going on, what they
    show it had or did instead, and what the model therefore leaves out."""
    h = runway.headline(facts, params)
    lo, _ = h.funded if h.funded is not None else h.none
    if lo.cash_out is None:
        raise MissingFact("a runway that ends within the horizon")
    pos = cash_position(facts)
    feb = burn.bases(facts).get("feb2024")
    text = md(
        "On the {basis} rate the model runs out of cash in {m}{even}",
        basis=text_value(lo.basis),
        m=lo.month_cited.via(RUNWAY_TABLE),
        even=text_value(
            f" even with {join_words([w or 'investors' for _, _, w in pos.funding_after])}'s money"
            if h.funded is not None
            else ""
        ),
    ) + _arrears_month(facts, params, lo)
    text += md(". ")
    operating = []
    if feb is not None:
        month = facts.money.set_index("fact_id").at[feb.gross.ids[0], "date_start"]
        rows = facts.money[facts.money["fact_id"].isin(feb.gross.ids + feb.revenue.ids)]
        operating.append(
            md(
                "{who} gives it {cost} of costs and {rev} of revenue for {feb}{words}",
                who=source_of_claim(facts, *feb.gross.ids, *feb.revenue.ids),
                cost=feb.gross,
                rev=feb.revenue,
                feb=month_value(month),
                words=text_value(phrases.source_words(rows, lead="for")),
            )
        )
    staff = story.ref(facts, "remaining_employees")
    if staff is not None:
        row = staff.rows.iloc[0]
        who = staff.strengths[0].speaker
        operating.append(
            md(
                "{src}, written no earlier than {start} by the report's dating, {says} about "
                "paying “its remaining {n} employees”{c}",
                src=text_value(row["source_id"]),
                start=month_value(row["date_start"]),
                says=text_value(f"says {who} have voiced concerns" if who else "reports concerns"),
                n=staff.amount,
                c=staff,
            )
        )
    if operating:
        text += md("The sources show the company operating up to then: ") + ", and ".join(operating)
        text += md(". ")
    if not _dated_after(facts, lo.cash_out):
        text += md(
            "Nothing they report is dated clearly after that month, so they neither confirm nor "
            "contradict this rate, nor say how the company paid its way. "
        )
    shown = []
    if len(pos.before) or len(pos.after):
        shown.append(md("cloud bills left unpaid{t}", t=cite("", fmt="text", ref="bills")))
    if pos.funding_after:
        shown.append(md("new convertible money{t}", t=cite("", fmt="text", ref="convertibles")))
    if shown:
        text += md("They report ") + " and ".join(shown) + ". "
    payroll = story.ref(facts, "considered_delaying_uk_tax_payments_to_pay_us_salaries")
    if payroll is not None:
        text += md(
            "{Acc} the company was even considering delaying UK tax payments{p} (see 2.3){done}. ",
            Acc=cite(_says(payroll.according.value), fmt="text"),
            p=payroll,
            done=text_value(
                "; whether it did is not reported"
                if story.ref(facts, "delayed_uk_tax_payments") is None
                else ""
            ),
        )
    text += md(
        "The model captures only the new money: it spends at one rate from one upper-bound "
        "cash figure, treats unpaid bills as paid or ignored, and knows no money the sources "
        "do not report."
    )
    return text


def _arrears_month(facts: Facts, params: Params, lo: runway.Runway) -> str:
    """' (in February 2024 if the arrears are paid at once)': when the same rate runs out with
    the arrears paid, if that is another month; '' otherwise."""
    basis = next((b for b in burn.bases(facts, params).values() if b.label == lo.basis), None)
    if basis is None:
        return ""
    p = Params.from_mapping({**params.as_dict(), "pay_unpaid_bills": True})
    runs = runway.scenarios(facts, p, basis)
    paid = next((r for r in runs if "arrears paid" in r.label.lower()), None)
    if paid is None or paid.cash_out is None or paid.cash_out == lo.cash_out:
        return ""
    return md(" (in {m} if the arrears are paid at once)", m=paid.month_cited.via(RUNWAY_TABLE))


def _month_span(start, end) -> str:
    """'March–December 2024': a span of months as words."""
    if start.year == end.year:
        return f"{start:%B}–{end:%B %Y}" if start.month != end.month else f"{end:%B %Y}"
    return f"{start:%B %Y} – {end:%B %Y}"


def _says(according: str) -> str:
    """'according to an internal memo' -> 'An internal memo says'; else 'The sources say'."""
    who = according.removeprefix("according to ").strip()
    if not who or who == according:
        return "The source says"
    return f"{who[0].upper()}{who[1:]} says"


def _dated_after(facts: Facts, month) -> bool:
    """Whether any fact (an event, an amount, a change of role) begins after the month."""
    import pandas as pd

    end = month + pd.offsets.MonthEnd(0)
    return any(
        (getattr(facts, t)["date_start"] > end).any() for t in ("events", "money", "personnel")
    )
