"""Chapter 2's statements the sources make in their own words (revenue and customers; cash,
bills, payroll and lawsuits; fundraising and buyers), each a template whose slots cite the
facts it rests on (present.story), shown a paragraph at a time."""

from __future__ import annotations

from ...facts.base import Facts
from .. import story
from ..story import Statement

STATEMENTS: dict[str, Statement] = {
    # --- revenue and customers
    "no_business_model": Statement(
        "According to {a.outlet}, the company “invested heavily in research and computing power "
        "but failed to develop a viable business model”{a}; negotiations with potential major "
        "clients such as Samsung, Snap and Canva fell through, Forbes reports{b}.",
        {"a": "no_viable_business_model", "b": "client_negotiations_failed_samsung_snap_canva"},
    ),
    "evasion": Statement(
        "Days before resigning, Mostaque gave a public speech in California, and when later "
        "asked about the company's financial model he evaded the question, only saying “I can't "
        "answer publicly, but things are going well. We're performing better than expected”{a}. "
        "The sources' cash figure is from {c.when}: an internal memo put it at {c.figure}{c}.",
        {"a": "ceo_evaded_financial_model_question", "c": "money:cash"},
    ),
    "paid_tier": Statement(
        "{a.in_when}{a.words} the company launched a paid tier for commercial users of its "
        "tools, starting at {p.amount} a month{a}.",
        {"a": "paid_tier_launched", "p": "money:price"},
    ),
    # --- cash, bills, payroll, lawsuits
    "gpu_burden": Statement(
        "S001 names the “powerful and expensive GPU chip infrastructure” as what placed such a "
        "heavy financial burden on the company{a}.",
        {"a": "gpu_infrastructure_heavy_financial_burden"},
    ),
    "aws_threat": Statement(
        "S000, citing its own earlier reporting, says the company was “struggling to pay "
        "payroll and payroll taxes”{p} and that at one point Amazon Web Services threatened to "
        "revoke its access because of unpaid bills{a}; Stability denies that AWS warned it "
        "would restrict access because of late payments{b}.",
        {
            "p": "struggling_to_pay_payroll_and_payroll_taxes",
            "a": "aws_threatened_to_revoke_access",
            "b": "company_denies_aws_warning",
        },
    ),
    "payroll": Statement(
        "An internal memo says the company was even considering delaying tax payments to the "
        "UK government to avoid legal sanctions for failing to pay US employees' salaries{b}.",
        {"b": "considered_delaying_uk_tax_payments_to_pay_us_salaries"},
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
        "“often stalled when faced with the company's financial data”{b}. According to the same "
        "reports, two of those involved say that at some time in {c.when} (S001: “earlier "
        "this year”, which the report cannot date more closely) he “simply stopped engaging "
        "with venture capital firms that requested to review financial figures”{c}.",
        {
            "a": "ceo_claims_google_keen_round_oversubscribed",
            "b": "investor_negotiations_stalled_on_financials",
            "c": "ceo_stopped_engaging_vcs",
        },
    ),
    "nvidia": Statement(
        "Two sources say a meeting with NVIDIA and its CEO Jensen Huang “ended in disaster”{a}; "
        "Mostaque stated, in an interview email, that he had not formally met Huang since 2022, "
        "at most exchanging a few greetings{b}.",
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
        "{a.in_when}{a.words} it sold the image platform Clipdrop to Jasper, less than a year "
        "after acquiring it{a}.",
        {"a": "clipdrop_sold_to_jasper"},
    ),
}


def paragraph(facts: Facts, *keys: str) -> str:
    return story.paragraph(facts, STATEMENTS, *keys)
