"""The printed PDF's bytes: its pages counted, and two prints of the same HTML made
byte-identical (fix_pdf). Chromium writes the page objects uncompressed, stamps the print time,
and numbers the tagged structure's elements after its DOM nodes."""

from __future__ import annotations

import hashlib
import re

_PDF_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def pdf_pages(data: bytes) -> int:
    """The number of pages of a PDF Chromium printed (its page objects are not compressed)."""
    return len(_PDF_PAGE.findall(data))


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[+\-Z][^)]*\)")


# The tagged PDF's structure elements carry Chromium's DOM node ids, which depend on the order
# in which the renderer happened to number nodes, not on the document.
_PDF_NODE = re.compile(rb"\(node(\d{6,12})\)")


_PDF_ID = re.compile(rb"/ID \[<([0-9A-Fa-f]+)>(\s*)<([0-9A-Fa-f]+)>\]")


def fix_pdf(data: bytes, as_of: str, digest: str) -> bytes:
    """Make two prints of the same HTML byte-identical: Chromium's print time becomes the as-of
    date, a document /ID (if any) a hash of the inputs, and the structure tree's DOM node ids are
    numbered in order; every replacement has the same length, so the cross-reference offsets
    stay valid."""
    stamp = as_of.replace("-", "") + "000000"
    h = hashlib.sha256(digest.encode()).hexdigest().upper().encode() * 4

    def date_sub(m: re.Match) -> bytes:
        new = b"/" + m.group(1) + b" (D:" + stamp.encode() + b"+00'00')"
        return new if len(new) == len(m.group(0)) else m.group(0)

    def id_sub(m: re.Match) -> bytes:
        a, sep, b = m.group(1), m.group(2), m.group(3)
        return b"/ID [<" + h[: len(a)] + b">" + sep + b"<" + h[: len(b)] + b">]"

    nodes: dict[bytes, bytes] = {}

    def node_sub(m: re.Match) -> bytes:  # renumbered in order of appearance
        number = nodes.setdefault(m.group(1), b"%0*d" % (len(m.group(1)), len(nodes) + 1))
        return b"(node" + number + b")"

    out = _PDF_DATE.sub(date_sub, data)
    out = _PDF_ID.sub(id_sub, out)
    out = _PDF_NODE.sub(node_sub, out)
    return out if len(out) == len(data) else data
