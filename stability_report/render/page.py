"""The rendered page finished and checked: heading ids made unique, the table of contents filled
in, and everything in it that would run a script or fetch from anywhere listed."""

from __future__ import annotations

import html as htmlmod
import re
from html.parser import HTMLParser


class _Scan(HTMLParser):
    """Collects h1/h2 headings (with their positions) and what the page would fetch or run."""

    FETCHING = {
        "img",
        "script",
        "iframe",
        "frame",
        "embed",
        "object",
        "source",
        "audio",
        "video",
        "track",
        "input",
        "link",
        "image",
        "use",
        "feimage",
        "portal",
    }
    URL_ATTRS = {
        "src",
        "href",
        "xlink:href",
        "data",
        "srcset",
        "poster",
        "background",
        "action",
        "formaction",
        "ping",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings: list[dict] = []
        self.problems: list[str] = []
        self._heading: dict | None = None
        self._skip_anchor = 0
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.problems.append("a <script> element")
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("a <meta http-equiv=refresh>")
        for k, v in attrs:
            self._check_attribute(tag, k, (v or "").strip())
        if tag == "style":
            self._in_style = True
        if tag in ("h1", "h2") and a.get("id"):
            pos = self.getpos()
            self._heading = {
                "level": int(tag[1]),
                "id": a["id"],
                "pos": pos,
                "start": self.get_starttag_text(),
                "text": "",
            }
        elif tag == "a" and self._heading is not None and "anchor-link" in (a.get("class") or ""):
            self._skip_anchor += 1

    def _check_attribute(self, tag: str, k: str, v: str) -> None:
        """What the attribute `k="v"` of <tag> would run or fetch, if anything."""
        low = v.lower().replace("\t", "").replace("\n", "")
        if k.startswith("on"):
            self.problems.append(f"an event handler attribute {k}= on <{tag}>")
        if k in self.URL_ATTRS and low.startswith(("javascript:", "vbscript:")):
            self.problems.append(f"a {low.split(':')[0]}: URL in <{tag} {k}>")
        if tag in self.FETCHING and k in self.URL_ATTRS and v:
            if k == "srcset" or not low.startswith(("data:", "#")):
                self.problems.append(f'<{tag} {k}="{v[:60]}"> would fetch a resource')
        if k == "style" and re.search(r"url\s*\(\s*['\"]?(?!data:|#)", low):
            self.problems.append(f"an inline style on <{tag}> loads a url()")

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False
        if tag == "a" and self._skip_anchor:
            self._skip_anchor -= 1
        if tag in ("h1", "h2") and self._heading is not None:
            self._heading["text"] = " ".join(self._heading["text"].split())
            self.headings.append(self._heading)
            self._heading = None

    def handle_data(self, data):
        if self._in_style:
            low = data.lower()
            if "@import" in low or re.search(r"url\s*\(\s*['\"]?(?!data:|#)", low):
                self.problems.append("a stylesheet that loads an @import or url()")
        if self._heading is not None and not self._skip_anchor:
            self._heading["text"] += data


def _offsets(text: str) -> list[int]:
    starts, pos = [0], 0
    for line in text.splitlines(keepends=True):
        pos += len(line)
        starts.append(pos)
    return starts


def finish_html(body: str) -> tuple[str, list[str]]:
    """Make heading ids unique and fill in the table of contents; also return what the page
    would fetch or run (see check_html), found in the same pass."""
    scan = _Scan()
    scan.feed(body)
    scan.close()
    starts = _offsets(body)
    seen: dict[str, int] = {}
    edits: list[tuple[int, int, str]] = []
    entries = []
    for h in scan.headings:
        hid = h["id"]
        if hid in seen:
            seen[hid] += 1
            new = f"{hid}-{seen[hid]}"
            begin = starts[h["pos"][0] - 1] + h["pos"][1]
            end = body.find("</h", begin)
            chunk = body[begin:end]
            q = htmlmod.escape(hid, quote=True)
            chunk = chunk.replace(f'id="{q}"', f'id="{new}"', 1)
            chunk = chunk.replace(f'href="#{q}"', f'href="#{new}"', 1)
            edits.append((begin, end, chunk))
            hid = new
        else:
            seen[hid] = 1
        entries.append((h["level"], hid, h["text"]))
    for begin, end, chunk in reversed(edits):
        body = body[:begin] + chunk + body[end:]
    items = "\n".join(
        f'<li class="toc-{level}"><a href="#{htmlmod.escape(hid, quote=True)}">'
        f"{htmlmod.escape(text)}</a></li>"
        for level, hid, text in entries
    )
    toc = f"<ol>\n{items}\n</ol>"
    return body.replace("<!-- stability-report:toc -->", toc, 1), list(dict.fromkeys(scan.problems))


def check_html(body: str) -> list[str]:
    """Everything in the page that would run a script or fetch from anywhere."""
    scan = _Scan()
    scan.feed(body)
    scan.close()
    return list(dict.fromkeys(scan.problems))


def headings(body: str) -> list[tuple[int, str, str]]:
    """(level, id, text) of the report's h1/h2 headings: for tests and the PDF's checks."""
    scan = _Scan()
    scan.feed(body)
    scan.close()
    return [(h["level"], h["id"], h["text"]) for h in scan.headings]
