"""Reading what a user or another run hands the project, within limits: a file's size, read no
further than the limit (a device such as /dev/zero ends there too), and the nesting depth of
JSON, checked before the parser (which recurses) sees it. A leaf: it imports only errors (the
TooLarge it raises)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .errors import TooLarge

# The limits (README, "Faults and bad input"): the size of a parameters file, and how deep any
# JSON the project reads may nest.
MAX_PARAMS_BYTES = 1 << 20
MAX_JSON_DEPTH = 64

# A JSON string (skipped whole, escapes included) or a bracket that opens or closes a level.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def read_bytes(path: Path | str, limit: int) -> bytes:
    """At most `limit` bytes of the file; TooLarge if it holds more (OSError if unreadable)."""
    with open(path, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"larger than the limit of {limit:,} bytes")
    return data


def nesting(text: str) -> int:
    """How deep arrays and objects nest in a JSON text (0 for a plain value)."""
    depth = deepest = 0
    for m in _TOKENS.finditer(text):
        c = m.group()
        if c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}":
            depth -= 1
    return deepest


def loads(text: str, depth: int = MAX_JSON_DEPTH) -> Any:
    """json.loads, refusing (TooLarge) a document nested deeper than `depth` levels."""
    found = nesting(text)
    if found > depth:
        raise TooLarge(f"nested {found} levels deep; the limit is {depth}")
    return json.loads(text)
