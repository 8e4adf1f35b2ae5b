"""The worked example of adding an article, carried through to the rendered report: the fictitious
third article (tests/fixtures/articles/) registered, extracted, reviewed and accepted into a copy
of the fact base, the contradiction it brings recorded as a conflict, and the report rendered
from that copy. The report must count and name the new source, cite its facts where they bear,
link each of them to a verbatim entry, and show the contradiction with the reading it uses."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pipeline_support as support
import pytest
from bs4 import BeautifulSoup
from intake_support import read_csv, run, third_article_base, write_csv


@pytest.fixture(scope="module")
def added(tmp_path_factory) -> dict:
    """The fact base with the third article accepted and its contradiction recorded (the
    reviewer keeps the company's own figure), and the report rendered from it."""
    d = tmp_path_factory.mktemp("worked-example")
    base = third_article_base(d / "base")
    where = ("--facts", base["facts"], "--raw", base["raw"])
    suggested = d / "suggested.csv"
    assert run("facts", "check", "--out", suggested, *where).code == 0
    rows = [r for r in read_csv(suggested) if r["table"] == "conflicts"]
    assert len(rows) == 1
    rows[0].update(
        accept="yes",
        analysis_uses="a",
        rationale="The internal memo is the company's own figure; the new one comes "
        "from an unnamed person.",
    )
    write_csv(suggested, rows)
    r = run("accept", suggested, *where)
    assert r.code == 0, r.err
    conflict = read_csv(base["facts"] / "conflicts.csv")[-1]
    out = d / "out"
    result = support.run_cli(
        "run",
        "--output",
        str(out),
        "--facts",
        str(base["facts"]),
        "--raw",
        str(base["raw"]),
        "--as-of",
        support.AS_OF,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    html = (out / "report.html").read_text(encoding="utf-8")
    article = next(p for p in base["raw"].iterdir() if p.name.startswith("002_"))
    return {
        **base,
        "out": out,
        "html": html,
        "soup": BeautifulSoup(html, "html.parser"),
        "conflict": conflict,
        "article": article.read_text(encoding="utf-8"),
    }


def _text(node) -> str:
    """A node's text as a reader sees it: spaces collapsed, citations written '5[S002]'."""
    text = " ".join(node.get_text(" ").split())
    text = re.sub(r"\$ (?=\d)", "$", text)  # a dollar sign is an element of its own: "$4"
    text = re.sub(r"\s+([,.;:)\]])", r"\1", text)
    return re.sub(r"\s*\[\s*", "[", text)


def _section(soup, heading: str) -> str:
    """The text from a heading to the next heading of the same or a higher level."""
    h = next(h for h in soup.find_all(re.compile("^h[1-3]$")) if heading in h.get_text())
    parts = []
    for sib in h.find_all_next():
        if sib.name and re.fullmatch("h[1-3]", sib.name) and sib.name <= h.name:
            break
        if sib.name in ("p", "li", "tr", "figcaption"):
            parts.append(_text(sib))
    return " ".join(parts)


def test_the_new_source_is_counted_and_named_wherever_sources_are(added):
    soup = added["soup"]
    title = _text(soup.find(id="report-title-page"))
    assert "three news articles" in title
    new = next(s for s in read_csv(added["facts"] / "sources.csv") if s["source_id"] == "S002")
    assert new["headline"] and new["headline"] in title
    assert "published 12 April 2024" in title
    sources = _section(soup, "4.1 The sources")
    assert "5[S002] from S002" in sources
    assert re.search(r"S002 Invented for tests[^.]* 12 April 2024 5$", sources)
    # the conflict register counts the new source's disagreement with the others
    n = len(read_csv(added["facts"] / "conflicts.csv"))
    assert f"records {n}" in _section(soup, "4.3 Where the articles disagree")
    brief = (added["out"] / "latest" / "brief.html").read_text(encoding="utf-8")
    assert "Built from three news articles" in brief and "S002" in brief


def test_the_new_facts_appear_where_they_bear(added):
    soup = added["soup"]
    row = _text(next(tr for tr in soup.find_all("tr") if "Dana Whitlock" in tr.get_text()))
    assert "vice president of partnerships" in row and "March 2024" in row and "R043" in row
    # the chief executive's exit, dated by the new source to the month, narrows his interval
    assert "resigned as chief executive in March 2024[R044]" in _section(soup, "3.5 Control")
    # the new monthly revenue figure enters the growth the sources imply, while the trajectory
    # still passes through the February figure in February
    runway = _section(soup, "2.4 Runway")
    assert re.search(r"\d+\.\d%\[M004, M033\] a month", runway)
    # the February figure, cited, and the month it is for, in each sentence that gives it
    february = [s for s in re.split(r"(?<=\.) ", runway) if "$5.4 million[M012]" in s]
    assert february and all("February 2024" in s for s in february)


def test_the_contradiction_is_recorded_and_the_reading_used_is_the_one_chosen(added):
    soup = added["soup"]
    cid = added["conflict"]["conflict_id"]
    row = soup.find("tr", id=f"conflict-{cid}")
    assert row is not None, f"{cid} has no row in the conflict register"
    text = _text(row)
    assert "M014" in text and "M032" in text and "reading A" in text
    assert "less than $4 million, Oct 2023 (month)" in text
    assert "about $6 million, Oct 2023 (month)" in text
    # the analysis uses M014 (reading A): the cash figure cited is M014's, never M032's
    assert "less than $4 million[M014]" in _section(soup, "2.3 Cash, unpaid bills")
    for heading in ("Bottom line", "2.3 Cash, unpaid bills", "2.4 Runway"):
        assert "M032" not in _section(soup, heading), heading
    assert "The cash figure used is an upper bound" in _section(soup, "Bottom line")


def test_every_new_id_links_to_a_verbatim_entry_in_the_html_and_the_pdf(added):
    soup = added["soup"]
    targets = {t["id"] for t in soup.find_all(id=True)}
    for a in soup.select("a.id-ref"):
        assert a["href"].startswith("#") and a["href"][1:] in targets, a["href"]
    article = added["article"]
    new = ("M032", "M033", "R043", "R044")
    for fid in new:
        entry = soup.find(id=f"fact-{fid}")
        assert entry is not None, f"{fid} has no evidence entry"
        assert entry.select_one("q.ev-quote").get_text() in article
        assert "S002" in _text(entry)
    assert soup.find(id="source-S002") is not None
    pdf = subprocess.run(
        ["pdftotext", str(added["out"] / "report.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = " ".join(pdf.split())
    for fid in new:
        assert fid in flat
    assert "Dana Whitlock, the company's vice president of partnerships" in flat


def test_the_real_fact_base_is_untouched(added):
    from stability_report import config

    real = (config.FACTS / "sources.csv").read_text(encoding="utf-8")
    assert "S002" not in real
    assert not list(Path(config.RAW).glob("002_*"))
