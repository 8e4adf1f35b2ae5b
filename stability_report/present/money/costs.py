"""Chapter 2, sections 2.1 and 2.2: the 2023 costs against the revenue the company
projected, February 2024's figures, and the chief executive's claimed revenue set against the
projection."""

from __future__ import annotations

from ...analysis import burn, revenue, runway
from ...analysis.cited import cite
from ...errors import MissingFact
from ...facts.base import Facts
from .. import phrases, story
from ..markdown import md
from ..phrases import month_value, text_value, who_says


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
        rep=text_value("its October financial report"),
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
    feb = burn.bases(facts).get("feb2024")
    if feb is None:
        raise MissingFact("the February 2024 figures are not available")
    row = story.fact_row(facts, feb.revenue.ids[0])
    note = row.get("inference_note")
    inferred = isinstance(note, str) and bool(note.strip())
    return md(
        "According to {who}{restated}, revenue in {month}{year} was {rev} and costs {cost}: on "
        "those figures, revenue covered about {cov} of costs, a net burn of about {net} that "
        "month (the report's arithmetic).",
        who=who_says(facts, cite("", feb.revenue.ids, feb.gross.ids)),
        restated=text_value(
            f", as {row['source_id']} restates it"
            if isinstance(row.get("original_reporter"), str) and row["original_reporter"].strip()
            else ""
        ),
        month=text_value(f"{row['date_start']:%B}" if inferred else f"{row['date_start']:%B %Y}"),
        year=text_value(f" ({row['date_start']:%Y}, by the report's dating)" if inferred else ""),
        rev=feb.revenue,
        cost=feb.gross,
        cov=feb.coverage,
        net=feb.net,
    )


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
        path=text_value(
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
        am=month_value(check.first_month),
        b=check.second,
        bm=month_value(check.second_month),
        g=check.growth,
        total=check.rest_of_year,
        more=text_value("more than" if check.exceeds else "within"),
        annual=check.annual,
    )


REVENUE_CAPTION = (
    "Each monthly revenue figure the sources give, as a separate point: reported (filled); "
    "claimed for a past month by the party the legend names (hollow square); or forecast "
    "(hollow triangle with a dashed outline, labelled “forecast”), neither of the last two "
    "reported as fact. Dashed line: the company's 2023 projection divided by 12."
)
