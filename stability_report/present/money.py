"""Chapter 2, money: every sentence of the chapter in one place (its notebook holds only the
headings and the calls). Costs against revenue, the revenue figures and who gives them, the
cash, unpaid bills and what investors put in, the runway, fundraising and the search for a
buyer, and the cross-check of the 2022 raise.

Each function returns Markdown built from cited values (present.markdown.md), or raises
MissingFact when its facts are not available. Who says a figure and how it is hedged come from
the facts (facts.strength, through present.story), so a sentence carries its source's strength;
the render checks it (render.trust).
"""

from __future__ import annotations

import pandas as pd

from ..analysis import attrition, fundraising, revenue, runway
from ..analysis.cash import cash_position, convertibles
from ..analysis.cited import Cited, cite
from ..analysis.runway import RUNWAY_TABLE
from ..errors import MissingFact
from ..facts.base import Facts
from ..formats import BOUND_PHRASES, bound_words, count_word, join_words
from ..params import Params
from . import phrases, story
from .markdown import md
from .story import Statement, source_of_claim


def _month(t: pd.Timestamp) -> Cited:
    return cite(t, fmt="month")


def _text(s: str) -> Cited:
    return cite(s, fmt="text")


def _who(facts: Facts, c: Cited) -> Cited:
    return source_of_claim(facts, *c.ids)


# ---------------------------------------------------------------------------------------------
# 2.1 costs against revenue


def costs_text(facts: Facts) -> str:
    cs = revenue.cost_structure(facts)
    return md(
        "By the company's own projection, its 2023 costs were {total}: {compute} (about "
        "{share}) for computing, about {multiple} the revenue it expected for the year "
        "({revenue}, by {rep}), "
        "and {opex} for salaries and operating expenses. On these projections revenue would "
        "cover {coverage} of costs; the projected loss is {loss}, or {monthly} a month, which "
        "bears out the source: “the monthly fixed losses are likely to exceed the annual "
        "revenue figure”.",
        total=cs.total,
        compute=runway.qualified(facts, cs.compute),
        share=cs.compute_share,
        multiple=cs.compute_multiple,
        revenue=cs.revenue,
        rep=_text("its October financial report"),
        opex=cs.salaries_opex,
        coverage=cs.coverage,
        loss=cs.loss,
        monthly=cs.monthly_loss,
    )


COST_CAPTION = (
    "The company's projection for 2023: computing and salaries and operating costs against the "
    "revenue it expected, full year."
)


def february_text(facts: Facts) -> str:
    feb = runway.bases(facts).get("feb2024")
    if feb is None:
        raise MissingFact("the February 2024 figures are not available")
    return md(
        "In February 2024, according to {who}, revenue of {rev} against costs of {cost} "
        "covered {cov} of costs, a net burn of {net} that month.",
        who=_who(facts, cite("", feb.revenue.ids, feb.gross.ids)),
        rev=feb.revenue,
        cost=feb.gross,
        cov=feb.coverage,
        net=feb.net,
    )


# ---------------------------------------------------------------------------------------------
# 2.2 revenue


def claims_text(facts: Facts) -> str:
    """The chief executive's claimed figures set against the company's own projection."""
    if revenue.revenue_points(facts).empty:
        raise MissingFact("no monthly revenue figure is reported by this date")
    check = revenue.claims_against_projection(facts)
    if check is None:
        return ""
    deleted = story.ref(facts, "ceo_revenue_tweet_deleted")
    return md(
        "The chief executive's figures come from a tweet{deleted}: he claimed {a} for {am} and, "
        "as a forecast, {b} for {bm}. If revenue had grown steadily between Mostaque's two "
        "claimed figures ({g} a month) and kept growing into December (the report's assumption, "
        "not a source figure), it would have come to {total} from {am} to December alone, "
        "{more} the {annual} the company's own October projection expected for the whole year. "
        "The claims are hard to square with that projection{path}.",
        path=_text(
            ", but the sources give no monthly path to test this"
            if phrases.months_between_claims(facts, check) == 0
            else ""
        ),
        deleted=cite(
            " that was later deleted" if deleted is not None else "",
            deleted.ids if deleted is not None else (),
            fmt="text",
        ),
        a=check.first,
        am=_month(check.first_month),
        b=check.second,
        bm=_month(check.second_month),
        g=check.growth,
        total=check.rest_of_year,
        more=_text("more than" if check.exceeds else "within"),
        annual=check.annual,
    )


REVENUE_CAPTION = (
    "Each monthly revenue figure the sources give, as a separate point: reported (filled) or "
    "claimed by the chief executive (hollow); dashed, the company's 2023 projection divided "
    "by 12."
)


# ---------------------------------------------------------------------------------------------
# 2.3 cash, bills, investors


def cash_text(facts: Facts) -> str:
    pos = cash_position(facts)
    text = md(
        "The {only} cash figure comes from {said_by}: {bound}{cash} in {month}. ",
        only=_text("only" if len(facts.money[facts.money["metric"] == "cash"]) == 1 else "last"),
        bound=_text(bound_words(pos.bound)),
        cash=pos.cash,
        month=_month(pos.month),
        said_by=_text(pos.said_by),
    )
    text += md(
        "For the months up to it, {who} {bills}; ",
        who=_who(facts, pos.arrears),
        bills=_text(phrases.bills_words(facts, pos.arrears.ids)),
    )
    return text + md(
        "the bills reported later, or not dated, are listed separately below, and those "
        "without an amount are left out of every total."
    )


BILLS_CAPTION = (
    "Unpaid bills, as the sources report them (each entry of the evidence says who records "
    "the bill): those for months up to the cash figure, then those reported later or dated "
    "only loosely"
)


def convertibles_caption(facts: Facts) -> str:
    """The caption of the convertibles table, naming who reports each row."""
    conv = convertibles(facts)
    who = [
        f"{source_of_claim(facts, r['fact_id']).value or r['source_id']} ({r['counterparty']})"
        for _, r in conv.iterrows()
    ]
    return (
        "Money investors put in through convertible instruments, and who reports each: "
        + "; ".join(who)
    )


def convertibles_text(facts: Facts) -> str:
    conv = convertibles(facts)
    if conv.empty:
        raise MissingFact("no convertible instrument is reported by this date")
    pos = cash_position(facts)
    ids = tuple(conv["fact_id"])
    return md(
        "Added together, the reports of {who} come to {total} put into convertible "
        "instruments (a sum of the report's, resting on dates partly inferred); whether any of "
        "it is in the {bound}{cash} of the internal memo the sources do not say.{terms}",
        terms=_text(
            ""
            if any(phrases.TERMS.search(q) for q in conv["quote"])
            else " They give none of their terms (interest, maturity, conversion price), so "
            "what the company owes on them, in money or in shares, cannot be computed."
        ),
        who=source_of_claim(facts, *ids),
        total=cite(float(conv["value"].sum()), ids),
        bound=_text(bound_words(pos.bound)),
        cash=pos.cash,
    )


# ---------------------------------------------------------------------------------------------
# 2.4 runway


def runway_headline(facts: Facts, params: Params) -> str:
    """The runway as a person would say it: how long the cash lasts, the range across the
    burn rates the sources give, and the assumption the funded range rests on."""
    h = runway.headline(facts, params)
    at_most = "at most " if h.bound == "less_than" else ""
    pos = cash_position(facts)
    text = md(
        "With no new money, the {bound}{cash} that {said_by} counted in {month} (taken as the "
        "end of the month) would have lasted {at_most}{none}, depending on which of the {n} "
        "net burn rates the report derives from the sources' figures is right",
        bound=_text(bound_words(h.bound)),
        cash=h.cash,
        said_by=_text(pos.said_by),
        month=_month(h.on),
        at_most=_text(at_most),
        none=phrases.runway_range(h),
        n=_text(count_word(len(h.bases))),
    )
    if h.funded is not None:
        same = phrases.funding_timing(facts, h) == "the same month"
        text += (
            md(". Adding ")
            + phrases.funding_md(facts)
            + md(
                ", it lasts {at_most}{funded}; this assumes the money came after the memo's "
                "count{order}",
                at_most=_text(at_most),
                funded=phrases.runway_range(h, funded=True),
                order=_text(
                    ", which the sources do not say: both are dated only to the same month"
                    if same
                    else ""
                ),
            )
        )
    text += "."
    if h.bound == "less_than":
        text += md(" Because the cash figure is an upper bound, so is every runway.")
    return text + md(
        " No burn rate is taken as the answer: they describe different months and different "
        "things (the 2023 projection averaged over twelve months; February 2024 costs less "
        "revenue; an undated monthly spend less a claimed month's revenue)."
    )


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
        status=_text(first_status),
        first=cite(g.first["value"], g.first["fact_id"]),
        who=_text(source_of_claim(facts, g.first["fact_id"]).value or "the source"),
        verb=_text("claimed in a later-deleted tweet" if first_status == "claimed" else "gave"),
        first_month=_month(g.first["date_start"]),
        last=tr.anchor,
        rep=source_of_claim(facts, *tr.anchor.ids),
        feb=_month(tr.anchor_month),
        rate=g.rate,
        cost=tr.gross,
    )
    r = tr.run
    if r.cash_out is None:
        text += md(
            ", the cash, with the new money added, would never run out within {h} months",
            h=_text(count_word(params.horizon_months)),
        )
    else:
        text += md(", the cash would run out in {m}", m=r.month_cited.via(RUNWAY_TABLE))
    if tr.break_even is not None:
        text += md(" and revenue would cover costs from {be}", be=cite(tr.break_even, fmt="month"))
    text += md(". This is the report's extrapolation, not what the sources imply")
    burn = story.ref(facts, "cash_burn_far_exceeds_revenue")
    if burn is not None:
        text += md(
            ": the same article says the “cash burn rate far exceeds its revenue level”{b}",
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
    basis = runway.chosen_basis(facts, params).label
    text = (
        f"Cash after the last reported figure in each scenario of the table, drawn for one burn "
        f"rate only, “{basis}” (the rate chosen for the run; the table gives every rate, and "
        "none is taken as the answer); a cross marks where the cash runs out."
    )
    if cash_position(facts).bound == "less_than":
        text += " The cash figure is an upper bound, so each line is too."
    return text


def sensitivity_caption(scenario: str) -> str:
    return (
        f"Months of runway in the scenario “{scenario}”, for each monthly cost and revenue "
        "growth rate, one panel per burn rate, each starting from that rate's revenue. The "
        "ringed point is the rate itself at the revenue growth assumed for the run, labelled "
        "with the runway the table above gives it."
    )


def assumptions(facts: Facts, params: Params) -> str:
    """What every runway in the table assumes."""
    pos = cash_position(facts)
    kind = BOUND_PHRASES.get(pos.bound)
    parts = [
        md(
            "The cash is {bound}{cash} in {month}, by {said_by}, taken as the end of the month"
            "{taken}",
            bound=_text(bound_words(pos.bound)),
            cash=pos.cash,
            month=_month(pos.on),
            said_by=_text(pos.said_by),
            taken=_text(
                f" (taken at that value, {kind}: so is every runway)"
                if pos.bound == "less_than"
                else f" (taken at that value, {kind})"
                if kind
                else ""
            ),
        ),
        md(
            "each burn rate's costs are held flat and its revenue {grows}, except the "
            "extrapolated row's",
            grows=_text(
                "is held flat too"
                if params.revenue_growth == 0
                else f"grows {params.revenue_growth:.1%} a month (an assumption of this run)"
            ),
        ),
        md(
            "money raised in the month of the cash figure arrives after it and at the start of "
            "the month it is reported in"
        ),
        md("unpaid bills stay unpaid, except in the scenario that pays the arrears at once"),
    ]
    m = facts.money.set_index("fact_id")
    for b in runway.bases(facts, params).values():
        claimed = [i for i in b.revenue.ids if i in m.index and m.at[i, "status"] == "claimed"]
        if claimed:
            parts.append(
                md(
                    "the rate “{label}” nets its costs against {rev} of revenue for {month} "
                    "that {who} claimed, not a reported figure",
                    label=_text(b.label),
                    rev=b.revenue,
                    who=source_of_claim(facts, *claimed),
                    month=_month(m.at[claimed[0], "date_start"]),
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
    feb = runway.bases(facts).get("feb2024")
    text = md(
        "On the {basis} rate the model runs out of cash by {m}{even}",
        basis=_text(lo.basis),
        m=lo.month_cited.via(RUNWAY_TABLE),
        even=_text(", even with the new money" if h.funded is not None else ""),
    )
    if feb is not None:
        month = facts.money.set_index("fact_id").at[feb.gross.ids[0], "date_start"]
        text += md(
            ", yet in {feb}, according to {who}, the company still had {cost} of costs and "
            "{rev} of revenue",
            feb=_month(month),
            who=_who(facts, cite("", feb.gross.ids, feb.revenue.ids)),
            cost=feb.gross,
            rev=feb.revenue,
        )
    text += md(". The sources do not say how the company kept operating. ")
    pos = cash_position(facts)
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
            "The company was only considering delaying UK tax payments to avoid legal "
            "sanctions for failing to pay US employees' salaries, "
            "{acc}{p}{done}. ",
            acc=payroll.according,
            p=payroll,
            done=_text(
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


# ---------------------------------------------------------------------------------------------
# 2.5 fundraising


def fundraising_text(facts: Facts) -> str:
    """The targets in force over time and what came in, never joining two statements the source
    makes separately, and never measuring money against a target it was not raised against."""
    fr = fundraising.fundraising(facts)
    text = ""
    if fr.valuation_sought is not None:
        text += md(
            "In 2023 the company was reported to be seeking a round at a valuation of "
            "{v}, against the {v0} its 2022 round reached. ",
            v=fr.valuation_sought,
            v0=fr.valuation,
        )
    text += md(
        "A plan Mostaque shared in {month} sought {target} from major investors",
        month=_month(fr.target_month),
        target=fr.target,
    )
    if fr.compute is not None:
        text += md(", plus {c} in computing facilities", c=fr.compute)
    text += ". "
    others = []
    for _, r in fr.other_targets.iterrows():
        who = source_of_claim(facts, r["fact_id"]).value
        others.append(
            md(
                "{x} from {whom} ({when}){by}",
                x=cite(r["value"], r["fact_id"]),
                whom=_text(r["counterparty"] or "investors"),
                when=_text(attrition.interval(r["date_start"], r["date_end"], r["date_precision"])),
                by=_text(
                    f", sought according to {who.replace('the outlet', r['source_id'])}"
                    if who
                    else ""
                ),
            )
        )
    if others:
        text += md("Other amounts the sources say were sought: ") + "; ".join(others) + ". "
    for r, _ in fr.raised:
        note = r.get("inference_note")
        inferred = (
            isinstance(note, str)
            and bool(note.strip())
            and r["date_precision"] in ("quarter", "year", "range")
        )
        text += md(
            "{who} put in {amount} in {when}{inferred}{by}. ",
            inferred=_text(" (the year inferred, see its evidence entry)" if inferred else ""),
            who=_text(r["counterparty"]),
            amount=cite(r["value"], r["fact_id"]),
            when=_text(attrition.interval(r["date_start"], r["date_end"], r["date_precision"])),
            by=_text(
                f", according to {source_of_claim(facts, r['fact_id']).value}"
                if source_of_claim(facts, r["fact_id"]).value
                else ""
            ),
        )
    if fr.cut is not None and fr.target_after_cut is not None:
        cut = facts.money.set_index("fact_id").loc[fr.cut.ids[0]]
        bound = cut["bound"]
        text += md(
            "By {when} Mostaque had cut the target by {bound}{cut}: if the cut applied to the "
            "{target} of the plan, to {less}{left}",
            when=_month(cut["date_end"]),
            bound=_text(bound_words(bound)),
            cut=fr.cut,
            target=fr.target,
            less=_text("less than " if bound in ("more_than", "at_least") else ""),
            left=fr.target_after_cut,
        )
        text += ". "
    return text.strip()


FUNDRAISING_CAPTION = (
    "Money sought (hatched) against money raised (solid), dated as the sources allow (a "
    "quarter with no year in the source is dated by the report's inference); computing "
    "facilities sought are capacity, not cash."
)


def valuation_text(facts: Facts) -> str:
    m = fundraising.valuation_multiples(facts)
    if m.valuation_multiple is None:
        raise MissingFact("no valuation is reported by this date")
    text = md(
        "Against the revenue the company projected for 2023 in its October financial report "
        "({rev}), the 2022 valuation of {v} was {vm} revenue",
        rev=m.revenue,
        v=m.valuation,
        vm=m.valuation_multiple,
    )
    if m.sought_multiple is not None:
        text += md(
            ", and the {s} it was reported to be seeking in 2023 {sm}",
            s=m.sought,
            sm=m.sought_multiple,
        )
    return text + "."


STATEMENTS: dict[str, Statement] = {
    # --- revenue and customers
    "no_business_model": Statement(
        "According to {a.outlet}, the company “invested heavily in research and computing power "
        "but failed to develop a viable business model”{a}; negotiations with potential major "
        "clients such as Samsung, Snap and Canva fell through, Forbes reports{b}.",
        {"a": "no_viable_business_model", "b": "client_negotiations_failed_samsung_snap_canva"},
    ),
    "evasion": Statement(
        "Days before resigning, asked in a public speech in California about the company's "
        "financial model, Mostaque evaded the question, only saying “I can't answer publicly, "
        "but things are going well. We're performing better than expected”{a}; the company's own "
        "internal memo had put its cash at {c.figure} as of {c.when}{c}.",
        {"a": "ceo_evaded_financial_model_question", "c": "money:cash"},
    ),
    "paid_tier": Statement(
        "In {a.when} it launched a paid tier for commercial users of its tools, starting at "
        "{p.amount} a month{a}.",
        {"a": "paid_tier_launched", "p": "money:price"},
    ),
    # --- cash, bills, payroll, lawsuits
    "gpu_burden": Statement(
        "S001 names the “powerful and expensive GPU chip infrastructure” as what placed such a "
        "heavy financial burden on the company{a}.",
        {"a": "gpu_infrastructure_heavy_financial_burden"},
    ),
    "aws_threat": Statement(
        "S000, citing its own earlier reporting, says that at one point Amazon Web Services "
        "threatened to revoke the company's access because of unpaid bills{a}; Stability denies "
        "that AWS warned it would restrict access because of late payments{b}.",
        {"a": "aws_threatened_to_revoke_access", "b": "company_denies_aws_warning"},
    ),
    "payroll": Statement(
        "S000, citing its own earlier reporting, says the company was “struggling to pay payroll "
        "and payroll taxes”{a}; an internal memo says it was even "
        "considering delaying tax payments to the UK government to avoid legal sanctions for "
        "failing to pay US employees' salaries{b}.",
        {
            "a": "struggling_to_pay_payroll_and_payroll_taxes",
            "b": "considered_delaying_uk_tax_payments_to_pay_us_salaries",
        },
    ),
    "salaries_concern": Statement(
        "S001 says multiple sources have expressed concerns about how the company will continue "
        "to pay salaries for its remaining {a.figure} employees{a}.",
        {"a": "remaining_employees"},
    ),
    "lawsuits": Statement(
        "As of S000 (by June 2024) it faced copyright infringement lawsuits filed by Getty "
        "Images{a} and by a group of "
        "artists in the U.S. and U.K.{b}, who claim it used art and stock photos to train its "
        "models; it was fighting them and they were ongoing{c}, and "
        "S000 expected heavy costs to defend them{d}.",
        {
            "a": "getty_images_copyright_lawsuit",
            "b": "artists_copyright_lawsuit_us_uk",
            "c": "lawsuits_ongoing_and_contested",
            "d": "heavy_lawsuit_defence_costs_expected",
        },
    ),
    # --- fundraising and buyers
    "slack_optimism": Statement(
        "In leaked Slack messages Mostaque said Google was “willing to move quickly” and the "
        "round “might be oversubscribed”{a}; but three people directly involved in the "
        "financing say, according to reports, that while there was some interest, negotiations "
        "“often stalled when faced with the company's financial data”{b}, and two of them "
        "that he “simply stopped engaging with venture capital firms that requested to review "
        "financial figures”{c}.",
        {
            "a": "ceo_claims_google_keen_round_oversubscribed",
            "b": "investor_negotiations_stalled_on_financials",
            "c": "ceo_stopped_engaging_vcs",
        },
    ),
    "nvidia": Statement(
        "Two sources say a meeting with NVIDIA and its CEO Jensen Huang “ended in disaster”{a}; "
        "Mostaque says he “had not formally met with Huang since 2022, at most exchanging a few "
        "greetings”{b}.",
        {
            "a": "nvidia_meeting_ended_in_disaster",
            "b": "ceo_denies_formal_meeting_with_huang_since_2022",
        },
    ),
    "angered_investors": Statement(
        "A current executive at Stability AI said: “Mostaque has severely angered our early "
        "investors, making it impossible for us to raise more funds under acceptable "
        "conditions”{a}.",
        {"a": "ceo_angered_early_investors"},
    ),
    "sale_rumours": Statement(
        "Market rumours of a potential sale emerged late in 2023 (S001: “Late last year”){a}. "
        "According to insiders, the "
        "company held preliminary acquisition talks with several companies, potential buyers "
        "including the competitor Cohere and the unicorn Jasper, with no deal finalised{b}; a "
        "well-known AI company confirmed that Mostaque's representatives had contacted it, and "
        "its source, who requested anonymity, said the talks did not progress because “the "
        "numbers couldn't be agreed upon”{c}; and the company considered attracting Samsung as "
        "a buyer{d}.",
        {
            "a": "sale_rumours",
            "b": "acquisition_talks_cohere_jasper",
            "c": "ceo_representatives_approached_ai_company|acquisition_talks_failed_on_price",
            "d": "samsung_considered_as_buyer",
        },
    ),
    "sale_denied": Statement(
        "According to Bloomberg, Coatue pushed for a sale{a}; a company spokesperson told "
        "Bloomberg it has no intention of selling{b}.",
        {"a": "coatue_pushed_for_sale", "b": "company_denies_intention_to_sell"},
    ),
    "white_knight": Statement(
        "Shortly before Mostaque's resignation a Stability AI executive said they were "
        "optimistic his departure would help the company regain appeal, “whether through "
        "raising small investments or being acquired by a friendly buyer”{a}.",
        {"a": "hope_for_small_investments_or_friendly_buyer"},
    ),
    "clipdrop": Statement(
        "In {a.when} it sold Clipdrop, an image creation and editing platform, to the AI startup "
        "Jasper, less than a year after acquiring it{a}.",
        {"a": "clipdrop_sold_to_jasper"},
    ),
}


def paragraph(facts: Facts, *keys: str) -> str:
    return story.paragraph(facts, STATEMENTS, *keys)


# ---------------------------------------------------------------------------------------------
# 2.6 cross-check


def raise_check_text(facts: Facts, params: Params) -> str:
    """The 2022 raise against the cash left: the average burn it implies, set against the net
    burn of each rate."""
    rc = fundraising.raise_check(facts)
    text = md(
        "From the 2022 round to the cash figure the company took in {raised} over {months} "
        "months{who}, and was left with {bound}{cash} by the internal memo's count: on the "
        "report's reading of the dates (the round in October 2022 as S001 dates it, the second-"
        "quarter money in 2023, the Intel note not in the memo's count), it burned at least "
        "{burn} a month on average (a floor, since the cash it held before the round is "
        "unknown).",
        raised=rc.raised,
        months=cite(rc.months, rc.raised.ids, fmt="int"),
        who=_text(phrases.partly(facts, rc.raised.ids)),
        bound=_text(bound_words(cash_position(facts).bound)),
        cash=rc.cash_after,
        burn=rc.implied_burn,
    )
    below = [b for b in runway.bases(facts).values() if b.net.value < rc.implied_burn.value]
    above = [b for b in runway.bases(facts).values() if b.net.value >= rc.implied_burn.value]
    if below:
        text += md(
            " The floor is above the net burn of {labels}",
            labels=_text(join_words([f"the {b.label} rate" for b in below])),
        )
        text += (
            md(
                "; only {labels} reaches it.",
                labels=_text(join_words([f"the {b.label} rate" for b in above])),
            )
            if above
            else "."
        )
    return text
