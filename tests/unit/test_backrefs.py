"""render.backrefs: citation links numbered with a preview of their quote, and each evidence entry
opening with links back to every citation of it (^ a b c)."""

from __future__ import annotations

import html

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
    linked = backrefs.add_backlinks(appendix, cited)
    assert (
        '<div class="ev-entry ev-fact" id="fact-M014"><span class="ev-back screen-only">^ '
        '<a href="#cite-fact-M014-1" aria-label="back to citation a">a</a> '
        '<a href="#cite-fact-M014-2" aria-label="back to citation b">b</a></span><p>'
    ) in linked
    assert '<a href="#cite-fact-M023-1" aria-label="back to where it is cited">^</a>' in linked
    assert '<div class="ev-entry ev-fact" id="fact-M024"><p>' in linked  # cited nowhere else
