"""The printed page's set-up: Chromium's switches, A4 and its margins, the footer (title, as-of
date, page number), and the one rule added in the browser for printing: a word wider than the page
(an address, an identifier) breaks instead of running off the page's edge (PRINT_CSS); and the
brief's forms and scales (BRIEF_BODIES, BRIEF_SCALES).
"""

from __future__ import annotations

import html as htmlmod
import re
from collections.abc import Callable
from functools import partial
from html.parser import HTMLParser

from ..errors import BrowserTimeout, RenderError
from .chromium import Chromium

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--font-render-hinting=none",
]


PDF_MARGINS = {"top": "15mm", "bottom": "17mm", "left": "15mm", "right": "15mm"}
# a page printed without the footer (the brief) needs no room for it
PDF_MARGINS_NO_FOOTER = {"top": "11mm", "bottom": "10mm", "left": "15mm", "right": "15mm"}


def footer_html(title: str, as_of_long: str) -> str:
    style = (
        "font-family:'DejaVu Sans','Liberation Sans',Arial,sans-serif;font-size:7.5pt;"
        "color:#666;width:100%;margin:0 15mm;display:flex;justify-content:space-between;"
    )
    return (
        f'<div style="{style}"><span>{htmlmod.escape(title)} · as of '
        f'{htmlmod.escape(as_of_long)}</span><span>page <span class="pageNumber"></span> of '
        '<span class="totalPages"></span></span></div>'
    )


# The switches Playwright (1.65) gave Chromium when it drove the printing: the page is set up and
# rendered as it was then (same PDF, byte for byte). Chromium honours only the last
# --disable-features, so it lists Playwright's features and the omnibox popup: in headless mode
# every new page also starts that popup's WebUI renderer (80 MB) for nothing.
PAGE_SWITCHES = [
    "--headless",
    "--disable-field-trial-config",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-back-forward-cache",
    "--disable-breakpad",
    "--disable-component-extensions-with-background-pages",
    "--no-default-browser-check",
    "--disable-dev-shm-usage",
    "--disable-pings",
    "--media-router=0",
    "--disable-features=AvoidUnnecessaryBeforeUnloadCheckSync,"
    "DestroyProfileOnBrowserClose,HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,LensOverlay,"
    "MediaRouter,PaintHolding,ThirdPartyStoragePartitioning,AvoidCorsURLLoaderRestartOnRedirect,"
    "TcpPortRandomizationWin,OptimizationHints,NetworkTimeServiceQuerying,AimEnabled,"
    "PreconnectToSearch,WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup",
    "--enable-features=CDPScreenshotNewSurface,SkipListAccountsWithoutGaiaCookies",
    "--allow-pre-commit-input",
    "--disable-hang-monitor",
    "--disable-ipc-flooding-protection",
    "--disable-popup-blocking",
    "--disable-prompt-on-repost",
    "--disable-renderer-backgrounding",
    "--disable-updater-scheduler",
    "--force-color-profile=srgb",
    "--metrics-recording-only",
    "--password-store=basic",
    "--use-mock-keychain",
    "--no-service-autorun",
    "--disable-search-engine-choice-screen",
    "--disable-stack-profiler",
    "--disable-infobars",
    "--hide-scrollbars",
    "--blink-settings=primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,"
    "availablePointerTypes=4",
]


VIEWPORT = {"width": 1280, "height": 720}


def inches(css: str) -> float:
    """A CSS length (mm, cm, in, px) in inches, as the DevTools protocol wants it."""
    per_px = {"px": 1.0, "in": 96.0, "cm": 37.8, "mm": 3.78}
    m = re.fullmatch(r"\s*([0-9.]+)\s*(px|in|cm|mm)\s*", css)
    if not m:
        raise ValueError(f"not a length: {css!r}")
    return float(m.group(1)) * per_px[m.group(2)] / 96


A4_INCHES = (8.27, 11.7)


# The width between the margins, in CSS pixels: what the printed page lays its content out in.
PRINT_WIDTH_PX = round(
    (A4_INCHES[0] - inches(PDF_MARGINS["left"]) - inches(PDF_MARGINS["right"])) * 96
)


# A word wider than the page (an address, an identifier, any run of characters without a space)
# would run off the printed page's edge and be cut off there. Added to the page's stylesheet for
# printing: in running text such a word breaks at the margin. In a table it also sets its
# column's minimum width (the report's `overflow-wrap: break-word` does not change that), so in
# a table that comes out wider than the page, the cells holding its longest words, and only
# those, let their words break anywhere: the other cells and every table that fits are laid out
# as before. A table's caption lets its words break anywhere: its longest word would otherwise
# set the table's minimum width (a caption of ordinary words is never that wide).
LONG_WORD_CELL = "stability-report-long-word"


PRINT_CSS = f"""
body {{ overflow-wrap: break-word; }}
td.{LONG_WORD_CELL}, th.{LONG_WORD_CELL} {{ overflow-wrap: anywhere; }}
caption {{ overflow-wrap: anywhere; }}
"""


_SHORTEST_BREAKABLE_WORD = 12  # characters: no word shorter is broken to make a table fit


class _CellTexts(HTMLParser):
    """The text of each td/th of a table's HTML, in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self._open = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("td", "th"):
            self.cells.append("")
            self._open += 1

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._open:
            self._open -= 1

    def handle_data(self, data):
        if self._open:
            self.cells[-1] += data


def fit_wide_tables(browser: Chromium, session: str, frame: str, left: Callable[[], float]) -> None:
    """Add PRINT_CSS to the loaded page (laid out as it is printed: see _open_page), and in each
    table wider than the space between the margins, mark the cells with the longest words as
    LONG_WORD_CELL, longest first, until the table fits."""

    def call(method: str, params: dict | None = None) -> dict:
        return browser.call(method, params or {}, session, timeout=left())

    call("DOM.enable")
    call("CSS.enable")
    sheet = call("CSS.createStyleSheet", {"frameId": frame})["styleSheetId"]
    call("CSS.setStyleSheetText", {"styleSheetId": sheet, "text": PRINT_CSS})

    def too_wide(node: int) -> bool:
        try:
            border = call("DOM.getBoxModel", {"nodeId": node})["model"]["border"]
        except BrowserTimeout:
            raise
        except RenderError:  # not laid out (hidden): nothing of it is printed
            return False
        return max(border[0::2]) > PRINT_WIDTH_PX + 0.5

    root = call("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    for table in call("DOM.querySelectorAll", {"nodeId": root, "selector": "table"})["nodeIds"]:
        if too_wide(table):
            _break_longest_words(call, table, partial(too_wide, table))


def _break_longest_words(
    call: Callable[..., dict], table: int, too_wide: Callable[[], bool]
) -> None:
    cells = call("DOM.querySelectorAll", {"nodeId": table, "selector": "td, th"})["nodeIds"]
    parser = _CellTexts()
    parser.feed(call("DOM.getOuterHTML", {"nodeId": table})["outerHTML"])
    parser.close()
    if len(parser.cells) != len(cells):  # a table in a table: give every cell the rule
        longest = [_SHORTEST_BREAKABLE_WORD] * len(cells)
    else:
        longest = [max((len(w) for w in text.split()), default=0) for text in parser.cells]
    for length in sorted({n for n in longest if n >= _SHORTEST_BREAKABLE_WORD}, reverse=True):
        for node, n in zip(cells, longest):
            if n == length:
                attrs = call("DOM.getAttributes", {"nodeId": node})["attributes"]
                classes = dict(zip(attrs[0::2], attrs[1::2])).get("class", "")
                call(
                    "DOM.setAttributeValue",
                    {
                        "nodeId": node,
                        "name": "class",
                        "value": f"{classes} {LONG_WORD_CELL}".strip(),
                    },
                )
        if not too_wide():
            return


# The brief is never printed smaller than 0.9: brief.css keeps its text at 7.8 pt and more, and
# its figure's at 8 pt and more across the text width, so nothing prints under 7 pt.
BRIEF_SCALES = (1.0, 0.95, 0.9)
# the brief's <body> as render.brief writes it, then as printed without its tables, then without
# its tables and figures (brief.css)
BRIEF_BODIES = (
    '<body class="brief">',
    '<body class="brief brief-without-tables">',
    '<body class="brief brief-without-tables brief-without-figures">',
)
