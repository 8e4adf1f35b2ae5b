"""render.backrefs: citation links numbered with a preview of their quote, and each evidence entry
opening with links back to every citation of it (^ a b c)."""

from __future__ import annotations

import html

from bs4 import BeautifulSoup

from stability_report import config
from stability_report.facts.plain import FactBase
from stability_report.render import backrefs


def test_letters_run_a_to_z_then_aa():
    assert [backrefs.letters(i) for i in (0, 1, 25, 26, 27, 51, 52)] == [
        "a", "b", "z", "aa", "ab", "az", "ba",
    ]  # fmt: skip


def test_citations_get_ids_previews_and_entries_link_back_to_each():
    fb = FactBase.load(config.facts_dir(), config.raw_dir())
    body = (
        '<p>Cash <a class="id-ref" href="#fact-M014">M014</a> and again '
        '<a class="id-ref" href="#fact-M014">M014</a>; costs '
        '<a class="id-ref" href="#fact-M023">M023</a>.</p>'
    )
    out, cited = backrefs.number_citations(body, fb)
    assert cited == {
        "fact-M014": ["cite-fact-M014-1", "cite-fact-M014-2"],
        "fact-M023": ["cite-fact-M023-1"],
    }
    quote = " ".join(fb.row("M014")["quote"].split())
    assert (
        f'id="cite-fact-M014-2" data-preview="{html.escape("S001: “" + quote, quote=True)}' in out
    )
    appendix = (
        '<div class="ev-entry ev-fact" id="fact-M014"><p>M014 ...</p></div>'
        '<div class="ev-entry ev-fact" id="fact-M023"><p>M023 ...</p></div>'
        '<div class="ev-entry ev-fact" id="fact-M024"><p>M024 ...</p></div>'
    )
    soup = BeautifulSoup(backrefs.add_backlinks(appendix, cited), "html.parser")
    entry = {div["id"]: div for div in soup.find_all("div", class_="ev-entry")}
    assert list(entry) == ["fact-M014", "fact-M023", "fact-M024"]
    # cited twice: the back links come first, one lettered link per citation, on screen only
    back = entry["fact-M014"].contents[0]
    assert back.name == "span" and set(back["class"]) == {"ev-back", "screen-only"}
    assert [(a["href"], a.get_text()) for a in back.find_all("a")] == [
        ("#cite-fact-M014-1", "a"),
        ("#cite-fact-M014-2", "b"),
    ]
    assert all(a.get("aria-label") for a in back.find_all("a"))
    assert entry["fact-M014"].contents[1].name == "p"
    # cited once: a single link back
    (one,) = entry["fact-M023"].find_all("a")
    assert one["href"] == "#cite-fact-M023-1" and one.get("aria-label")
    # cited nowhere: no link back
    assert entry["fact-M024"].find("a") is None and entry["fact-M024"].contents[0].name == "p"
