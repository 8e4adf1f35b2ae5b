"""A small, hand-made fact base over the real articles, for tests of attrition.py and quality.py
that must not move while data/facts/ grows. Every quote is verbatim in data/raw/, so the fixture
passes the real loader; the values are worked out by hand from the articles."""

from __future__ import annotations

import shutil
from pathlib import Path

from stability_report import paths
from stability_report.facts import Facts, load_facts

PERSONS = """person_id,canonical_name,affiliation,outcome,function,seniority,sd_author,canonical_note
P001,Emad Mostaque,staff,departed,executive,c_suite,no,
P002,Robin Rombach,staff,departed,research,lead,yes,
P003,Andreas Blattmann,staff,departed,research,staff,yes,
P004,Dominik Lorenz,staff,departed,research,staff,yes,
P005,Christian Cantrell,staff,departed,product,vp,no,
P006,Scott Draves,staff,departed,engineering,vp,no,
P007,Patrick Hebron,staff,departed,research,vp,no,S000 VP (R&D); S001 Head of Research
P008,Joe Penna,staff,departed,applied_ml,vp,no,
P009,David Ha,staff,departed,research,head,no,
P010,Ed Newton-Rex,staff,departed,audio,vp,no,
P011,Louis Castricato,staff,departed,language_models,lead,no,S000 spells Luis
P012,Ozden Onder,staff,departed,people,c_suite,no,
P013,Shan Shan Wong,staff,took_over,operations,c_suite,no,
P014,Jim O’Shaughnessy,board,mentioned,board,board,no,
P015,Coatue,investor,departed,board,board,no,a fund; its board exit is governance
"""

_RESEARCHERS_S001 = (
    "In March this year, three key researchers at Stability AI—Robin Rombach, Andreas "
    "Blattmann, and Dominik Lorenz—left the company"
)
_VPS_S000 = (
    "VPs Christian Cantrell (product), Scott Draves (engineering), Patrick Hebron (R&D) and "
    "Joe Penna (applied machine learning) all left last year"
)
_LAST_YEAR_S001 = (
    "Additionally, Research Director David Ha, LLM lead Stanislav Fort and his successor Louis "
    "Castricato, General Counsel Adam Avrunin, Chief People Officer Ozden Onder, Chief "
    "Operating Officer Ren Ito, and VP of Communications Jordan Valdés, along with VP of Audio "
    "Ed Newton-Rex, all departed last year"
)
_OTHERS_S000 = (
    "Other notable departures include head of research David Ha and LLMs Stanislav Fort and his "
    "successor Luis Castricato"
)
_HEADER = ("fact_id,source_id,person_id,quote,role_as_written,function,seniority,status,"
           "date_start,date_end,date_precision,reason,inference_note")


def _personnel() -> str:
    rows = [
        # researchers: S000 bounds the announcement only by its own dating; S001 says March
        ("R001", "S000", "P002", "Now Rombach and his team have added their names to the "
         "fast-growing list of high-profile tech execs who have left Stability AI",
         "led the team", "research", "lead", "departed", "2024-01-25", "2024-06-04", "range", "",
         "announced 'last week' before publication (1 Feb to 4 Jun 2024)"),
        ("R002", "S000", "P003", "his colleagues Andreas Blattmann and Dominik Lorenz",
         "colleague", "research", "staff", "departed", "", "", "undated", "", ""),
        ("R003", "S001", "P002", _RESEARCHERS_S001, "key researcher", "research", "lead",
         "departed", "2024-03-01", "2024-03-31", "month", "", "'this year' is 2024"),
        ("R004", "S001", "P003", _RESEARCHERS_S001, "key researcher", "research", "staff",
         "departed", "2024-03-01", "2024-03-31", "month", "", "'this year' is 2024"),
        ("R005", "S001", "P004", _RESEARCHERS_S001, "key researcher", "research", "staff",
         "departed", "2024-03-01", "2024-03-31", "month", "", "'this year' is 2024"),
        ("R006", "S000", "P005", _VPS_S000, "VP (product)", "product", "vp", "departed",
         "2023-01-01", "2023-12-31", "year", "", "'last year' is 2023"),
        ("R007", "S000", "P006", _VPS_S000, "VP (engineering)", "engineering", "vp", "departed",
         "2023-01-01", "2023-12-31", "year", "", "'last year' is 2023"),
        ("R008", "S000", "P007", _VPS_S000, "VP (R&D)", "research", "vp", "departed",
         "2023-01-01", "2023-12-31", "year", "", "'last year' is 2023"),
        ("R009", "S000", "P008", _VPS_S000, "VP (applied machine learning)", "applied_ml", "vp",
         "departed", "2023-01-01", "2023-12-31", "year", "", "'last year' is 2023"),
        ("R010", "S000", "P009", _OTHERS_S000, "head of research", "research", "head",
         "departed", "", "", "undated", "", ""),
        ("R011", "S001", "P009", _LAST_YEAR_S001, "Research Director", "research", "director",
         "departed", "2023-01-01", "2023-12-31", "year", "", "'last year' is 2023"),
        ("R012", "S000", "P010", "In November, Stability's VP of audio Ed Newton-Rex resigned in "
         "protest over Stability and other AI startups' treatment of copyrighted data",
         "VP of audio", "audio", "vp", "departed", "2023-11-01", "2023-11-30", "month",
         "in protest over Stability and other AI startups' treatment of copyrighted data",
         "'November' is November 2023"),
        ("R013", "S001", "P010", _LAST_YEAR_S001, "VP of Audio", "audio", "vp", "departed",
         "2023-01-01", "2023-12-31", "year", "", "'last year' is 2023"),
        ("R014", "S000", "P011", _OTHERS_S000, "LLMs (successor)", "language_models", "lead",
         "departed", "", "", "undated", "", ""),
        ("R015", "S000", "P012", "human resources director Ozden Onder", "human resources "
         "director", "people", "director", "departed", "", "", "undated", "", ""),
        ("R016", "S001", "P001", "Just four days after the speech, Mostaque resigned as CEO of "
         "Stability AI", "CEO", "executive", "c_suite", "departed", "", "", "undated", "", ""),
        ("R017", "S001", "P013", "The company's top leadership will be temporarily assumed by "
         "Chief Operating Officer Shan Shan Wong", "Chief Operating Officer", "operations",
         "c_suite", "took_over", "", "", "undated", "", ""),
        ("R018", "S001", "P014", "Board Chairman Jim O’Shaughnessy", "Board Chairman", "board",
         "board", "mentioned", "", "", "undated", "", ""),
        ("R019", "S001", "P015", "Coatue left the board", "board member", "board", "board",
         "departed", "2023-10-01", "2023-10-31", "month", "", "'October last year' is 2023"),
    ]
    return _csv(_HEADER, rows)


def _csv(header: str, rows) -> str:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header.split(","))
    w.writerows(rows)
    return buf.getvalue()


PERSON_NAMES = _csv("fact_id,person_id,source_id,name_as_written,quote", [
    ("N001", "P001", "S000", "Emad Mostak", "The announcement was made by CEO Emad Mostak"),
    ("N002", "P001", "S001", "Emad Mostaque", "former CEO Emad Mostaque"),
    ("N003", "P001", "S000", "Mostake", "the lines between Mostake and his wife"),
    ("N004", "P011", "S000", "Luis Castricato", "his successor Luis Castricato"),
    ("N005", "P011", "S001", "Louis Castricato", "his successor Louis Castricato"),
    ("N006", "P002", "S000", "Robin Rombach", "Robin Rombach, who led the team"),
])

EVENTS = _csv(
    "fact_id,source_id,quote,category,event,actor,person_id,value,unit,bound,date_start,"
    "date_end,date_precision,status,inference_note", [
        ("E001", "S001", "Coatue left the board", "governance", "coatue_leaves_board", "Coatue",
         "", "", "", "", "2023-10-01", "2023-10-31", "month", "reported",
         "'October last year' is October 2023"),
        ("E002", "S000", "Investment firm Coatue has resigned from its board of directors",
         "governance", "coatue_leaves_board", "Coatue", "", "", "", "", "2023-10-01",
         "2023-10-31", "month", "reported", ""),
        ("E003", "S001", "at least 10% of the workforce was let go", "workforce", "layoffs", "",
         "", "10", "percent", "at_least", "2024-01-01", "2024-03-31", "range", "reported",
         "'the beginning of this year' read as January to March 2024"),
        ("E004", "S001", "its remaining 150 employees", "workforce", "remaining_employees", "",
         "", "150", "count", "exact", "", "", "undated", "reported", ""),
        ("E005", "S000", "In February, less than a year after its acquisition, Stability sold "
         "Clipdrop", "corporate", "clipdrop_sold_to_jasper", "Stability AI", "", "", "", "",
         "2024-02-01", "2024-02-29", "month", "reported", "'February' is February 2024"),
        ("E006", "S001", "Mostaque resigned as CEO of Stability AI", "leadership",
         "ceo_resigns", "Emad Mostaque", "P001", "", "", "", "", "", "undated", "reported", ""),
        ("E007", "S000", "were three of the five authors who developed the main Stable "
         "Diffusion study", "reputation", "sd_study_authors", "", "", "5", "count", "exact", "",
         "", "undated", "reported", ""),
        ("E008", "S000", "were three of the five authors who developed the main Stable "
         "Diffusion study", "reputation", "sd_authors_who_left", "", "", "3", "count", "exact",
         "", "", "undated", "reported", ""),
    ])

MONEY = _csv(
    "fact_id,source_id,quote,metric,counterparty,instrument,value,unit,bound,date_start,"
    "date_end,date_precision,status,inference_note", [
        ("M001", "S001", "Stability AI had less than $4 million in bank deposits as of October "
         "2023", "cash", "", "", "4000000", "USD", "less_than", "2023-10-01", "2023-10-31",
         "month", "reported", ""),
        ("M002", "S001", "failed to pay the July AWS bill (amounting to $1 million)",
         "unpaid_bill", "AWS", "", "1000000", "USD", "exact", "2023-07-01", "2023-07-31",
         "month", "reported", "'July' is July 2023"),
        ("M003", "S001", "does not intend to pay AWS the $7 million usage fee for August",
         "unpaid_bill", "AWS", "", "7000000", "USD", "exact", "2023-08-01", "2023-08-31",
         "month", "reported", "'August' is August 2023"),
        ("M004", "S001", "the bills for September and January were also unable to be paid",
         "unpaid_bill", "AWS", "", "", "USD", "unknown", "2023-09-01", "2023-09-30", "month",
         "reported", "September 2023"),
        ("M005", "S001", "the bills for September and January were also unable to be paid",
         "unpaid_bill", "AWS", "", "", "USD", "unknown", "2024-01-01", "2024-01-31", "month",
         "reported", "January 2024"),
        ("M006", "S001", "In October 2022, Stability AI announced securing $101 million in "
         "funding", "funding_closed", "Coatue, Lightspeed", "", "101000000", "USD", "exact",
         "2022-10-01", "2022-10-31", "month", "reported", ""),
        ("M007", "S000", "raise more than $100 million from leading investment firms Coatue and "
         "Lightspeed within days of launch", "funding_closed", "Coatue, Lightspeed", "",
         "100000000", "USD", "more_than", "2022-08-01", "2022-09-30", "range", "reported",
         "'within days of launch' in August 2022"),
        ("M008", "S001", "Sound Ventures, led by actor Ashton Kutcher, which invested $35 million "
         "in the second quarter", "funding_closed", "Sound Ventures", "convertible SAFE notes",
         "35000000", "USD", "exact", "2023-04-01", "2023-06-30", "quarter", "reported",
         "'second quarter' is Q2 2023"),
        ("M009", "S000", "it raised $50 million in a convertible promissory note from "
         "semiconductor giant Intel", "funding_closed", "Intel", "convertible promissory note",
         "50000000", "USD", "exact", "2023-10-01", "2023-10-31", "month", "reported",
         "'the same month' is October 2023"),
        ("M010", "S001", "Mostaque had slashed the fundraising target by over 80%", "target_cut",
         "", "", "80", "percent", "more_than", "2023-10-01", "2023-10-31", "month", "reported",
         "'October of last year' is October 2023"),
    ])

CONFLICTS = _csv(
    "conflict_id,topic,kind,fact_id_a,quote_a,reading_a,fact_id_b,quote_b,reading_b,"
    "analysis_uses,rationale", [
        ("C001", "CEO surname", "name", "N001", "CEO Emad Mostak", "Mostak", "N002",
         "former CEO Emad Mostaque", "Mostaque", "b", "the usual spelling"),
        ("C002", "When the 2022 round closed", "timing", "M007", "within days of launch",
         "August 2022", "M006", "In October 2022, Stability AI announced securing $101 million",
         "October 2022", "b", "the announcement is dated"),
    ])


def write(directory: Path) -> Path:
    """Write the fixture tables (and the real sources table) into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(paths.FACTS / "sources.csv", directory / "sources.csv")
    for name, text in (("persons", PERSONS), ("personnel", _personnel()),
                       ("person_names", PERSON_NAMES), ("events", EVENTS), ("money", MONEY),
                       ("conflicts", CONFLICTS)):
        (directory / f"{name}.csv").write_text(text, encoding="utf-8")
    return directory


def load(directory: Path) -> Facts:
    return load_facts(write(directory), paths.RAW)
