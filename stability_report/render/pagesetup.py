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
from .brief import BRIEF_CLASSES
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
# the brief's <body> as render.brief writes it, then in its other forms (render.brief.BRIEF_CLASSES)
BRIEF_BODIES = tuple(f'<body class="{c}">' for c in BRIEF_CLASSES)


def _metrics(width: float) -> dict:
    """The page's window: `width` CSS pixels wide (the width it is laid out in)."""
    return {
        "mobile": False,
        "deviceScaleFactor": 1,
        "width": round(width),
        "height": VIEWPORT["height"],
        "screenWidth": VIEWPORT["width"],
        "screenHeight": VIEWPORT["height"],
        "screenOrientation": {"angle": 0, "type": "landscapePrimary"},
    }


def open_page(browser: Chromium, wait: float) -> tuple[str, str]:
    """A page set up as Playwright set it up (offline, JavaScript off, light colour scheme,
    every network request failed), laid out in print media at the printed width: (its
    browser context, its session)."""
    context = browser.call("Target.createBrowserContext", {"disposeOnDetach": True}, timeout=wait)[
        "browserContextId"
    ]
    target = browser.call(
        "Target.createTarget", {"url": "about:blank", "browserContextId": context}, timeout=wait
    )
    s = browser.call(
        "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}, timeout=wait
    )["sessionId"]
    for method, params in (
        ("Page.enable", {}),
        ("Page.setLifecycleEventsEnabled", {"enabled": True}),
        ("Network.enable", {}),
        ("Emulation.setFocusEmulationEnabled", {"enabled": True}),
        # laid out from the start as it is printed (print media, the width between the
        # margins), so that what fit_wide_tables measures is what is printed; printToPDF
        # lays the page out for print itself, and prints the same bytes either way
        (
            "Emulation.setDeviceMetricsOverride",
            _metrics(PRINT_WIDTH_PX),
        ),
        ("Emulation.setScriptExecutionDisabled", {"value": True}),
        (
            "Emulation.setEmulatedMedia",
            {
                "media": "print",
                "features": [{"name": "prefers-color-scheme", "value": "light"}],
            },
        ),
        (
            "Network.emulateNetworkConditions",
            {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        ),
        (
            "Fetch.enable",
            {
                "patterns": [
                    {"urlPattern": f"{scheme}://*"}
                    for scheme in ("http", "https", "ws", "wss", "ftp")
                ]
            },
        ),
    ):
        browser.call(method, params, s, timeout=wait)
    return context, s


# The brief's forms, preferred first: each of its bodies at each scale.
BRIEF_FORMS = tuple((body, scale) for body in BRIEF_BODIES for scale in BRIEF_SCALES)
# The printed brief's content box (A4 within the margins without a footer), in CSS pixels.
BRIEF_BOX_PX = (
    (A4_INCHES[0] - inches(PDF_MARGINS_NO_FOOTER["left"]) - inches(PDF_MARGINS_NO_FOOTER["right"]))
    * 96,
    (A4_INCHES[1] - inches(PDF_MARGINS_NO_FOOTER["top"]) - inches(PDF_MARGINS_NO_FOOTER["bottom"]))
    * 96,
)
# A form measured up to this many CSS pixels taller than the page is still printed to see
# whether it fits: the print's layout and the measure may differ by a fraction of a pixel.
MEASURE_SLACK = 1.0


def measure_brief_forms(browser: Chromium, session: str, left: Callable[[], float]) -> list[float]:
    """The height of the loaded brief (set up as it is printed) in each of BRIEF_FORMS, in CSS
    pixels: its <body>'s classes as the form says, laid out as wide as the printed page is at
    the form's scale (a page printed at 0.9 is laid out 1/0.9 as wide); the page's own classes
    and width are put back after."""

    def call(method: str, params: dict | None = None) -> dict:
        return browser.call(method, params or {}, session, timeout=left())

    root = call("DOM.getDocument", {"depth": 1})["root"]["nodeId"]
    body = call("DOM.querySelector", {"nodeId": root, "selector": "body"})["nodeId"]
    heights = []
    for tag, scale in BRIEF_FORMS:
        classes = BRIEF_CLASSES[BRIEF_BODIES.index(tag)]
        call("DOM.setAttributeValue", {"nodeId": body, "name": "class", "value": classes})
        call("Emulation.setDeviceMetricsOverride", _metrics(BRIEF_BOX_PX[0] / scale))
        heights.append(max(call("DOM.getBoxModel", {"nodeId": body})["model"]["border"][1::2]))
    call("Emulation.setDeviceMetricsOverride", _metrics(PRINT_WIDTH_PX))
    return heights


def fitting_forms(heights: list[float]) -> list[int]:
    """The forms (indices into BRIEF_FORMS) whose measured height fits the page at their scale,
    preferred first."""
    return [
        i
        for i, (h, (_, scale)) in enumerate(zip(heights, BRIEF_FORMS))
        if h <= BRIEF_BOX_PX[1] / scale + MEASURE_SLACK
    ]
