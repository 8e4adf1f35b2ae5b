"""Chapter 3, people and control: every sentence of the chapter in one place (its notebook holds
only the headings and the calls). What happened in order, who left, the capability lost (and
the dispute over who deserves credit for Stable Diffusion), the workforce, and control: the
investors' pressure, the criticism of the chief executive and his exit.

Each function returns Markdown built from cited values (present.markdown.md), or raises
MissingFact when its facts are not available. Who says a thing comes from the facts
(facts.strength, through present.story); the render checks every sentence (render.trust).
"""

from __future__ import annotations

import pandas as pd

from ..analysis import attrition, readings
from ..analysis.cited import Cited, cite
from ..errors import MissingFact
from ..facts.base import Facts
from ..formats import count_word, join_words
from . import story
from .markdown import md
from .phrases import departure_when, source_words, undated_note
from .story import Statement


def _text(s: str) -> Cited:
    return cite(s, fmt="text")


# Events told in the dated sequence of 3.1 (event name -> what happened, present tense; {by} is
# who the source says it comes from, {figure} its value as the source qualifies it).
SEQUENCE = {
    "rombach_threatened_to_resign": "Robin Rombach first threatens to resign, “affected by "
    "failed fundraising efforts”, according to sources",
    "executives_confronted_ceo_at_cogx": "executives confront Mostaque at the CogX conference "
    "over the cash position and funding, according to three people familiar with the matter",
    "coatue_left_board": "Coatue leaves the board",
    "lightspeed_gave_up_observer_seat": "Lightspeed gives up its board observer seat",
    "quiet_layoffs": "quiet layoffs begin (sources say {figure} of the workforce was let go, "
    "without saying by when)",
    "sd3_released": "Stable Diffusion 3 is released, the three researchers contributing",
    "interim_co_leader_appointed": "the company announces that the COO Shan Shan Wong and the "
    "CTO Christian Laforte will assume the top leadership temporarily",
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
        start, end, precision = readings.merged_interval(r.rows, facts, as_of)
        if precision == "undated":
            continue
        figure = r.figure.value if "{figure}" in text else ""
        items.append(
            (
                start,
                end,
                1,
                precision,
                text.replace("{figure}", figure),
                r,
                source_words(r.rows) or undated_note(facts, r.ids),
            )
        )
    dated = deps[deps["dated"]]
    for (start, end, precision), g in dated.groupby(
        ["earliest", "latest", "precision"], sort=False
    ):
        if len(g) == 1:
            p = g.iloc[0]
            role = p["roles"].split(" / ")[0]
            what = f"{p['name']} ({role}) leaves"
            rows = facts.personnel.set_index("fact_id").reindex(
                list(attrition._binding_ids(facts, g))
            )
            reasons = {
                (r, src)
                for r, src in zip(rows["reason"], rows["source_id"])
                if isinstance(r, str) and r and r in facts.texts.get(src, "")
            }
            if len(reasons) == 1:
                reason, src = reasons.pop()
                what += f", “{reason}” ({src})"
        elif len(g) <= 4:
            names = list(g["name"])
            what = join_words(names) + " leave"
        else:
            what = f"{count_word(len(g))} named executives and researchers leave"
            if precision in ("year", "quarter", "range"):
                what += f", dated only to the {'year' if precision == 'year' else precision}"
        c = attrition.when(g, facts)
        binding = facts.personnel[facts.personnel["fact_id"].isin(c.ids)]
        note = (source_words(binding) if len(binding) else "") or undated_note(facts, c.ids)
        items.append((start, end, 0, precision, what, cite("", c.ids, fmt="text", ref=c.ref), note))
    items.sort(key=lambda i: (i[1], i[0], i[2]))
    out = []
    for start, end, _, precision, what, c, note in items:
        when = attrition.interval(start, end, precision) + note
        out.append(
            md(
                "**{when}**: {what}{c}",
                when=_text(when),
                what=_text(what[:1].upper() + what[1:]),
                c=c,
            )
        )
    return out


def who_left_text(deps: pd.DataFrame) -> str:
    if deps.empty:
        raise MissingFact("no departures are reported by this date")
    groups = attrition.group_counts(deps)
    high, low = attrition.vp_or_above(deps)
    labels = {f"{k}_l": _text(v[0].lower()) for k, v in attrition.CAPABILITY_GROUPS.items()}
    by_group = "; ".join(f"{{{k}_l}} {{{k}}}" for k in groups)
    text = md(
        "The sources name {n} people who left. By the report's grouping: " + by_group + ". "
        "{high} were vice presidents or above if each person's more senior title is taken; "
        "where the two articles give a person different ranks (“VP” against “Head of”, a "
        "director against a chief officer), taking the less senior title gives {low}.",
        n=attrition.departure_count(deps),
        high=high,
        low=low,
        **groups,
        **labels,
    )
    heads = deps[deps["rank_high"] == "head"]
    if len(heads):
        who = [f"{r['name']} ({r['roles'].split(' / ')[0]})" for _, r in heads.iterrows()]
        text += md(
            " A head of a function is not counted as vice president or above: {who}.",
            who=_text(join_words(who)),
        )
    return text


def departures_caption(facts: Facts) -> str:
    """The caption of the departures table, saying which departures a source attributes to
    someone (their LinkedIn profiles), counted from the facts."""
    p = facts.personnel
    words = story.resolved_words(p[p["status"] == "departed"])
    when_text = (
        f"when, the report dating the sources' {join_words([f'“{w}”' for w in words])} "
        "by when each was written"
        if words
        else "when, as precisely as the sources allow"
    )
    text = (
        "Everyone the sources name as leaving: role as each article writes it, group, and "
        + when_text
    )
    said = p[(p["status"] == "departed") & (p["attributed_to"].fillna("").str.strip() != "")]
    names = facts.persons.set_index("person_id")["canonical_name"]
    own = [
        str(a).split(",")[0].strip() == names.get(pid, "")
        for a, pid in zip(said["attributed_to"], said["person_id"])
    ]
    said = said[[not o for o in own]]  # a person's own account of why, not of whether, he left
    notes = [
        f"in {sid}, {count_word(len(g))} {'of them ' if len(g) > 1 else ''}according to {who}"
        for (sid, who), g in said.groupby(["source_id", "attributed_to"])
    ]
    return text + (f" ({'; '.join(notes)})" if notes else "")


TIMELINE_CAPTION = (
    "Each person who left, grouped as in the table: a bar from the earliest to the latest date "
    "the sources allow, short when they give the month, a year long when they say only “last "
    "year”, or across the bounds the report infers when they give no date."
)


def cash_milestone_text(facts: Facts, deps: pd.DataFrame, as_of=None) -> str:
    """The departures set against the last cash figure: how many had certainly and how many
    had possibly happened by the end of its month, and why the two differ."""
    cm = attrition.cash_milestone(facts, deps, as_of)
    if cm is None:
        raise MissingFact("no cash figure is reported by this date")
    lo, hi, dated = cm["at_least"], cm["at_most"], cm["dated"]
    text = md(
        "By {when} (taken as its end), when an internal memo put the cash at {bound}{cash}, ",
        when=cm["when"],
        cash=cm["cash"],
        bound=_text(f"{cm['bound'].value} " if cm["bound"].value else ""),
    )
    if lo.value == hi.value:
        return text + md("{n} of the {d} dated departures had happened.", n=hi, d=dated)
    open_ = int(hi.value - lo.value)
    if lo.value == 0:  # every departure that could have happened by then is an open one
        text += md(
            "none of the {d} dated departures had certainly happened, and at most {hi} could "
            "have: ",
            d=dated,
            hi=hi,
        )
        text += (
            md("that one")
            if open_ == 1
            else md("those {k}", k=cite(open_, fmt="int", ref=attrition.DEPARTURES_TABLE))
        )
    else:
        text += md(
            "at least {lo} and at most {hi} of the {d} dated departures had happened: {k}",
            lo=lo,
            hi=hi,
            d=dated,
            k=cite(open_, fmt="int", ref=attrition.DEPARTURES_TABLE),
        )
    return text + md(
        " {are} dated only to an interval that spans that month, so the sources cannot say "
        "whether {they} came before the cash figure or after it.",
        are=_text("is" if open_ == 1 else "are"),
        they=_text("it" if open_ == 1 else "they"),
    )


def authors_text(facts: Facts, deps: pd.DataFrame) -> str:
    """The Stable Diffusion authors who left, against the authors the company employed (never
    against the study's whole author list, most of whom it did not employ)."""
    share = attrition.sd_author_share(facts, deps)
    if share is None:
        raise MissingFact("no source states how many authors the Stable Diffusion study had")
    authors = deps[deps["sd_author"]]
    hired = story.ref(facts, "sd_researchers_hired")
    names = list(authors["name"])
    who = join_words(names)
    text = md(
        "{who}, {part} of the {whole} authors of the main Stable Diffusion study, were hired "
        "by the company with some of the funds of its 2022 round{h}",
        who=_text(who),
        part=share.part,
        whole=share.whole,
        h=hired if hired is not None else _text(""),
    )
    text += md(
        "; all {n} left ({when}).",
        n=_text(count_word(len(authors))),
        when=attrition.when(authors, facts),
    )
    if len(authors) < share.whole.value:
        text += md(" The sources do not say the company ever employed the other authors.")
    return text


def ceo_exit_text(facts: Facts, deps: pd.DataFrame) -> str:
    """The chief executive's exit, as precisely as the sources date it, then what he, the
    sources and the company said and who took over."""
    ceo = deps[deps["function"] == "executive"]
    if ceo.empty:
        raise MissingFact("the chief executive's departure is not reported by this date")
    r = ceo.iloc[0]
    text = md("{name} resigned as chief executive", name=_text(r["name"]))
    text += departure_when(facts, ceo)
    text += ". "
    return text + paragraph(facts, "ceo_reasons", "ceo_shares", "interim")


STATEMENTS: dict[str, Statement] = {
    # --- capability and credit
    "sd3": Statement(
        "{a.in_when}{a.words} the three had contributed to the release of Stable Diffusion 3{a}.",
        {"a": "sd3_released"},
    ),
    "rombach": Statement(
        "According to sources, Rombach “had been considering leaving for several months”{a} "
        "and, in {b.when} (S001: “Last summer”), affected by failed fundraising efforts, first "
        "threatened to resign{b}.",
        {"a": "rombach_considered_leaving", "b": "rombach_threatened_to_resign"},
    ),
    "disappointment": Statement(
        "According to {a.outlet}, “several executives, including the core team behind Stable "
        "Diffusion, resigned in disappointment”{a}.",
        {"a": "executives_resigned_in_disappointment"},
    ),
    "credit": Statement(
        "Who deserves the credit for Stable Diffusion is disputed: the research began as an "
        "academic project{a}, which Stability joined seven months after the original paper, "
        "offering computing resources{b}. Bjorn Ommer, the professor who led the study, said he "
        "believed Stability misled the public about its contribution{c}; at the time, a Stability "
        "spokesman, Motes Bishara, said Mostaque was “quick to praise and take credit for the "
        "work of collaborators”{d}.",
        {
            "a": "sd_originated_as_academic_project",
            "b": "stability_joined_sd_project_with_compute",
            "c": "ommer_says_stability_misled_public_on_credit",
            "d": "spokesman_statement_on_ceo_credit",
        },
    ),
    # --- workforce
    "layoffs": Statement(
        "{a.in_when}{a.words} the company began quietly laying off employees, and sources "
        "say {a.figure} of the workforce was let go, without saying by when{a}. The only size "
        "the sources give is S001's {e.figure} remaining employees{e}, so the share has no "
        "stated base.",
        {"a": "quiet_layoffs", "e": "remaining_employees"},
    ),
    "concerns": Statement(
        "At Stability AI, S001 says, many employees have expressed concerns about the "
        "company's cash flow and accountability{a}.",
        {"a": "employee_concerns_cash_flow_accountability"},
    ),
    "vacancies": Statement(
        "S001 reported that many leadership positions had remained vacant for months{a}.",
        {"a": "leadership_positions_vacant_for_months"},
    ),
    "midjourney": Statement(
        "The rival Midjourney blamed a 24-hour outage on “botnet-like activity” that it believes "
        "was caused by two user accounts associated with Stability AI employees{a}, and said it "
        "is banning all Stability AI employees from its service{b}; Mostaque said the incident "
        "was not intentional, the personal project of an employee{c}.",
        {
            "a": "midjourney_outage_blamed_on_botnet_like_activity|"
            "midjourney_links_outage_to_stability_employee_accounts",
            "b": "midjourney_bans_stability_employees",
            "c": "ceo_says_midjourney_incident_unintentional",
        },
    ),
    "reconsider": Statement(
        "After his exit a current employee said “Some employees who had considered leaving are "
        "now 100% willing to give Stability AI another chance”{a}.",
        {"a": "employees_reconsider_leaving_after_ceo_exit"},
    ),
    # --- control
    "pressure": Statement(
        "According to insiders, Coatue had been urging Mostaque to step down as CEO for "
        "months{a}; Bloomberg had reported that Coatue called for him to step down{e}. But “as a "
        "major shareholder of Stability AI, Coatue and other investors could not directly "
        "remove him”{b}; two other sources say investors offered lucrative equity packages in "
        "exchange for his resignation, which he rejected{c}.",
        {
            "a": "coatue_urged_ceo_to_step_down",
            "e": "coatue_called_for_ceo_to_step_down",
            "b": "investors_could_not_remove_ceo",
            "c": "equity_offer_for_ceo_resignation_rejected",
        },
    ),
    "fought": Statement(
        "According to Forbes' sources, despite increasing external and internal pressure he "
        "“had been fighting to maintain his position and control”{a}; a company spokesperson "
        "told Bloomberg his leadership had been “instrumental to Stability's success”{b}.",
        {"a": "ceo_fought_to_keep_position", "b": "company_backs_ceo_leadership"},
    ),
    "criticism": Statement(
        "According to {a.outlet}, the chief executive “overestimated himself and made some "
        "unrealistic promises, such as customized national AI models”{a}. S001 reports, without "
        "saying from whom, that his “lax attitude” on "
        "keeping the company's products from being used to generate child sexual abuse imagery "
        "“has also drawn severe criticism”{b}. S000, citing its own earlier reporting, says the "
        "lines between Mostaque and his wife and the company's finances were “blurring”{f}. "
        "A former Stability AI executive said: “Mostaque "
        "is the least organized leader I've ever worked with in my entire career”{c}.",
        {
            "a": "ceo_made_unrealistic_promises",
            "b": "ceo_criticised_over_csam_safeguards",
            "c": "former_executive_criticises_ceo",
            "f": "ceo_family_and_company_finances_blurred",
        },
    ),
    "ceo_reasons": Statement(
        "Mostaque said on X that he stepped down voluntarily, to decentralize “the "
        "concentration of power in AI”{a}; Forbes, from company documents and interviews with "
        "32 people, reports it was “primarily due to poor business judgment and excessive "
        "spending”{b}.",
        {
            "a": "ceo_says_resignation_voluntary",
            "b": "ceo_departure_due_to_poor_judgment_and_spending",
        },
    ),
    "ceo_shares": Statement(
        "Mostaque also stated on X that he still holds the majority of the company's shares{a} "
        "(the sources give no share classes or voting split, so who controls the company is "
        "not established) but will step down from the board{b}.",
        {"a": "ceo_holds_majority_of_shares", "b": "ceo_steps_down_from_board"},
    ),
    "interim": Statement(
        "The company announced that the top leadership would be assumed temporarily by the "
        "chief operating officer Shan Shan Wong and the chief technology officer Christian "
        "Laforte{a}.",
        {"a": "interim_co_leader_appointed"},
    ),
}


def paragraph(facts: Facts, *keys: str) -> str:
    return story.paragraph(facts, STATEMENTS, *keys)
