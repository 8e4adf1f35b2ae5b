"""The report's statements of fact that carry no computation: each sentence is written once, keyed
to the facts it rests on (events by name, money facts by metric), and said only when those facts
are available as of the analysis date, with their ids.

A template names its facts by letter: `{a}` is the citation of fact group a, `{a.when}` its date
as precisely as the sources give it, `{a.figure}` its value as the source qualifies it. Wording
stays within what the quotes say: a claim is attributed, a denial is given beside the claim, a
source's words that carry judgement are quoted. Sentences that rest on nothing available are
left out, so a chapter shows only what its facts support.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..analysis.attrition import merged_interval, rejected
from ..analysis.cited import Cited, cite
from ..facts.base import Facts
from ..formats import bound_words, interval, money
from .markdown import md


@dataclass(frozen=True)
class Ref(Cited):
    """A group of facts named in a template (the events of some names, or the money facts of a
    metric): formatted, it is their citation."""

    rows: pd.DataFrame | None = None
    facts: Facts | None = None

    @property
    def when(self) -> Cited:
        start, end, precision = merged_interval(self.rows, self.facts)
        return cite(interval(start, end, precision), fmt="text")

    @property
    def figure(self) -> Cited:
        """The value with the source's qualifier: 'at least 10%', 'less than $4 million'."""
        r = self._valued()
        return cite(bound_words(r["bound"]) + _plain(r), fmt="text")

    @property
    def amount(self) -> Cited:
        """The value alone, for a template whose words carry the qualifier ('starting at')."""
        return cite(_plain(self._valued()), fmt="text")

    def _valued(self) -> pd.Series:
        return self.rows.dropna(subset=["value"]).iloc[0]


def _plain(r: pd.Series) -> str:
    if r["unit"] == "percent":
        return f"{r['value']:g}%"
    if str(r["unit"]).startswith("USD"):
        return money(float(r["value"]))
    return f"{r['value']:,.0f}"


def ref(facts: Facts, names: str) -> Ref | None:
    """The facts named by `names` (event names, or `money:<metric>`, joined by '|'), without
    readings a recorded conflict rejects unless every one is rejected (a claim and its denial
    are each cited); None when none is available."""
    frames = []
    for name in names.split("|"):
        if name.startswith("money:"):
            t = facts.money
            frames.append(t[t["metric"] == name.split(":", 1)[1]])
        else:
            t = facts.events
            frames.append(t[t["event"] == name])
    rows = pd.concat(frames) if len(frames) > 1 else frames[0]
    if rows.empty:
        return None
    kept = rows[~rows["fact_id"].isin(rejected(facts))]
    rows = kept if len(kept) else rows
    return Ref("", tuple(dict.fromkeys(rows["fact_id"])), "text", None, rows, facts)


@dataclass(frozen=True)
class Statement:
    template: str
    refs: dict[str, str]


def say(facts: Facts, statement: Statement) -> str | None:
    """The statement with its facts cited, or None when one of its facts is not available."""
    values = {}
    for letter, name in statement.refs.items():
        r = ref(facts, name)
        if r is None:
            return None
        values[letter] = r
    return md(statement.template, **values)


def paragraph(facts: Facts, *keys: str) -> str:
    """The available statements among STATEMENTS[keys], in order, as one paragraph ('' when
    none is available)."""
    said = [say(facts, STATEMENTS[k]) for k in keys]
    return " ".join(s for s in said if s)


STATEMENTS: dict[str, Statement] = {
    # --- revenue and customers
    "no_business_model": Statement(
        "The company “invested heavily in research and computing power but failed to develop a "
        "viable business model”, S001 reports from Forbes' sources{a}.",
        {"a": "no_viable_business_model"},
    ),
    "deals_failed": Statement(
        "Negotiations with potential major clients such as Samsung, Snap and Canva fell "
        "through{a}.",
        {"a": "client_negotiations_failed_samsung_snap_canva"},
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
        "At one point Amazon Web Services threatened to revoke the company's access because of "
        "unpaid bills{a}; Stability denies that AWS warned it would restrict access because of "
        "late payments{b}.",
        {"a": "aws_threatened_to_revoke_access", "b": "company_denies_aws_warning"},
    ),
    "payroll": Statement(
        "S000 had reported the company “struggling to pay payroll and payroll taxes”{a}, and an "
        "internal board memo shows it considering delaying tax payments to the UK government "
        "to avoid legal sanctions for failing to pay US employees' salaries{b}.",
        {
            "a": "struggling_to_pay_payroll_and_payroll_taxes",
            "b": "considered_delaying_uk_tax_payments_to_pay_us_salaries",
        },
    ),
    "salaries_concern": Statement(
        "Multiple sources told S001 of concerns about how the company will continue to pay "
        "salaries for its remaining {a.figure} employees{a}.",
        {"a": "remaining_employees"},
    ),
    "lawsuits": Statement(
        "It faces copyright infringement lawsuits filed by Getty Images{a} and by a group of "
        "artists in the U.S. and U.K.{b}, who claim it used art and stock photos to train its "
        "models; it is fighting them and they are ongoing{c}. S000 expects heavy costs to "
        "defend them{d}.",
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
        "round “might be oversubscribed”{a}; but three people involved in the financing say "
        "negotiations “often stalled when faced with the company's financial data”{b}, and two "
        "of them that he “simply stopped engaging with venture capital firms that requested to "
        "review financial figures”{c}.",
        {
            "a": "ceo_claims_google_keen_round_oversubscribed",
            "b": "investor_negotiations_stalled_on_financials",
            "c": "ceo_stopped_engaging_vcs",
        },
    ),
    "nvidia": Statement(
        "Two sources say a meeting with NVIDIA and its CEO Jensen Huang “ended in disaster”{a}; "
        "Mostaque says he “had not formally met with Huang since 2022”{b}.",
        {
            "a": "nvidia_meeting_ended_in_disaster",
            "b": "ceo_denies_formal_meeting_with_huang_since_2022",
        },
    ),
    "angered_investors": Statement(
        "A current executive: “Mostaque has severely angered our early investors, making it "
        "impossible for us to raise more funds under acceptable conditions”{a}.",
        {"a": "ceo_angered_early_investors"},
    ),
    "sale_rumours": Statement(
        "Market rumours of a sale emerged in {a.when}{a}. The company held preliminary "
        "acquisition talks with several companies, among them the competitor Cohere and the "
        "unicorn Jasper, with no deal finalised{b}; one AI company confirmed talks that did not "
        "progress because “the numbers couldn't be agreed upon”{c}; and it considered Samsung "
        "as a buyer{d}.",
        {
            "a": "sale_rumours",
            "b": "acquisition_talks_cohere_jasper",
            "c": "ceo_representatives_approached_ai_company|acquisition_talks_failed_on_price",
            "d": "samsung_considered_as_buyer",
        },
    ),
    "sale_denied": Statement(
        "Coatue pushed for a sale{a}; a company spokesperson told Bloomberg it has no "
        "intention of selling{b}.",
        {"a": "coatue_pushed_for_sale", "b": "company_denies_intention_to_sell"},
    ),
    "clipdrop": Statement(
        "In {a.when} it sold Clipdrop, an image creation and editing platform, to the AI startup "
        "Jasper, less than a year after acquiring it{a}.",
        {"a": "clipdrop_sold_to_jasper"},
    ),
    # --- people
    "disappointment": Statement(
        "S001: “Several executives, including the core team behind Stable Diffusion, resigned "
        "in disappointment”{a}.",
        {"a": "executives_resigned_in_disappointment"},
    ),
    "rombach": Statement(
        "Rombach “had been considering leaving for several months”{a}; in {b.when} (S001: "
        "“Last summer”), affected by failed fundraising efforts, he first threatened to "
        "resign{b}.",
        {"a": "rombach_considered_leaving", "b": "rombach_threatened_to_resign"},
    ),
    "sd3": Statement(
        "In {a.when} the three had contributed to the release of Stable Diffusion 3{a}.",
        {"a": "sd3_released"},
    ),
    "layoffs": Statement(
        "In {a.when} the company began quietly laying off employees; {a.figure} of the "
        "workforce was let go{a}.",
        {"a": "quiet_layoffs"},
    ),
    "vacancies": Statement(
        "Many leadership positions have remained vacant for months{a}.",
        {"a": "leadership_positions_vacant_for_months"},
    ),
    "reconsider": Statement(
        "After his exit a current employee said “Some employees who had considered leaving are "
        "now 100% willing to give Stability AI another chance”{a}.",
        {"a": "employees_reconsider_leaving_after_ceo_exit"},
    ),
    # --- control
    "pressure": Statement(
        "Coatue had been urging Mostaque to step down as CEO for months{a}, but “as a major "
        "shareholder of Stability AI, Coatue and other investors could not directly remove "
        "him”{b}; investors offered lucrative equity packages in exchange for his resignation, "
        "which he rejected{c}.",
        {
            "a": "coatue_urged_ceo_to_step_down|coatue_called_for_ceo_to_step_down",
            "b": "investors_could_not_remove_ceo",
            "c": "equity_offer_for_ceo_resignation_rejected",
        },
    ),
    "fought": Statement(
        "Despite increasing external and internal pressure, he “had been fighting to maintain "
        "his position and control”{a}, and a company spokesperson called his leadership "
        "“instrumental to Stability's success”{b}.",
        {"a": "ceo_fought_to_keep_position", "b": "company_backs_ceo_leadership"},
    ),
    "cogx": Statement(
        "In {a.when}, at the CogX conference in London, a group of executives confronted him "
        "over the company's cash position and funding{a}.",
        {"a": "executives_confronted_ceo_at_cogx"},
    ),
    "board_exits": Statement(
        "In {a.when} Coatue left the board{a} and Lightspeed gave up its observer seat{b}.",
        {"a": "coatue_left_board", "b": "lightspeed_gave_up_observer_seat"},
    ),
    "ceo_reasons": Statement(
        "He says he stepped down voluntarily, to decentralize “the concentration of power in "
        "AI”{a}; Forbes' sources say his departure was “primarily due to poor business judgment "
        "and excessive spending”{b}.",
        {
            "a": "ceo_says_resignation_voluntary",
            "b": "ceo_departure_due_to_poor_judgment_and_spending",
        },
    ),
    "ceo_shares": Statement(
        "On X he said he still holds the majority of the company's shares{a} but will step down "
        "from the board{b}.",
        {"a": "ceo_holds_majority_of_shares", "b": "ceo_steps_down_from_board"},
    ),
    "interim": Statement(
        "The top leadership was to be assumed temporarily by the chief operating officer Shan "
        "Shan Wong and the chief technology officer Christian Laforte{a}; the board chairman "
        "Jim O’Shaughnessy said he believes the two will “competently guide the company”{b}.",
        {"a": "interim_co_leader_appointed", "b": "chairman_backs_interim_leaders"},
    ),
    "expenditure": Statement(
        "At an all-hands meeting of the new leadership, one attendee said, the focus was on "
        "“developing a more robust resource and expenditure management plan”{a}.",
        {"a": "new_leadership_focus_on_expenditure_management"},
    ),
}
