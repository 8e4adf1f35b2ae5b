"""Where a report cites the readings a recorded conflict rejects: a rejected reading may be cited
only beside what decides it (the reading the analysis uses, or the conflict itself, in the same
sentence, list item or table row), or in the places that list disagreements and changes as such
(the conflict register, the disagreements and inference tables, the evidence appendix, the
"What changed" section). Anywhere else a rejected reading would be carrying a claim of its own.

A conflict over a name or a title rejects only that name or title: the rest of its fact (a
departure, drawn as a bar of the departures figure) still stands, and the report writes people
by the names and titles the analysis chose, so such readings are not looked for.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from stability_report.analysis.readings import rejected_readings

# The conflicts whose rejected reading rejects the whole fact.
KINDS = ("amount", "date", "timing", "claim", "description")
# Headings under which every fact of a disagreement is listed on purpose.
LISTING = re.compile(
    r"What changed|Where the articles disagree|Conflict register|Inference log|Evidence", re.I
)


def misused(html: str, conflicts) -> list[str]:
    """Each citation of a rejected reading outside those places, as 'ID (conflict): text'."""
    rejected = rejected_readings(conflicts, KINDS)
    partner = {}
    for c in conflicts.itertuples(index=False):
        partner.setdefault(c.fact_id_a, set()).update({c.fact_id_b, c.conflict_id})
        partner.setdefault(c.fact_id_b, set()).update({c.fact_id_a, c.conflict_id})
    soup = BeautifulSoup(html, "html.parser")
    for section in soup.select("section.evidence"):
        section.decompose()
    out = []
    for a in soup.select("a.id-ref"):
        fid = a.get_text().strip()
        if fid not in rejected:
            continue
        heading = a.find_previous(re.compile("^h[1-3]$"))
        if heading is not None and LISTING.search(heading.get_text()):
            continue
        unit = a.find_parent(["p", "li", "tr", "figcaption"]) or a.parent
        cited = {x.get_text().strip() for x in unit.select("a.id-ref")}
        if cited & partner.get(fid, set()):
            continue
        out.append(f"{fid} ({rejected[fid]}): {' '.join(unit.get_text(' ').split())[:160]}")
    return out
