"""Replacing a source's text with a corrected article: `sources replace S00N FILE`.

Every fact and id is kept; each quote of that source (in the fact tables, the further references
and the conflicts) is kept when still verbatim, re-anchored when the new text holds one closely
matching passage (difflib's ratio at least ANCHOR_RATIO) with the same figures and dates, and
otherwise the change is refused, listing every quote that could not be placed. The new article
gets a file of its own (named by its digest) and the sources row its digest, dating and headline;
it works on the table files as records, like the other corrections (intake.revise), and is
validated and written all or nothing by store.commit.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ...errors import IntakeError
from ...facts.load import display_path
from ...facts.schema import FACT_TABLES
from . import store
from .anchor import ANCHOR_RATIO, Anchor, anchor, changed_figures, figures
from .register import dating_fields, dating_of, headline_of, read_article
from .revise import Base, Revision, source_row


def _refuse_known_text(base: Base, path: Path, source_id: str, digest: str) -> None:
    """Refuse a text the fact base already holds, as this source's or another's."""
    for _, r in base.rows("sources"):
        if r.get("sha256", "").strip() == digest:
            same = r["source_id"] == source_id
            raise IntakeError(
                f"{path}: "
                + (
                    f"already the text of {source_id}; nothing to replace"
                    if same
                    else f"already registered as {r['source_id']} (same SHA-256)"
                )
            )


def _new_source_row(
    src: dict, name: str, digest: str, text: str, path: Path, dating: tuple, done: Revision
) -> dict[str, str]:
    """The sources row of the corrected article: its file and digest, its dating when given
    anew, and its headline (given, or read again when the old one is no longer in the text)."""
    published, between, headline = dating
    new_src = dict(src, file=name, sha256=digest)
    if published is not None or between is not None:
        new_src.update(dating_fields(dating_of(text, path, published, between)))
    if headline is not None:
        new_src["headline"] = headline_of(text, headline, path)
    elif src.get("headline", "") not in text:
        new_src["headline"] = headline_of(text, None, path)
    if new_src["headline"] != src.get("headline"):
        done.notes.append(f"headline: {src.get('headline')!r} -> {new_src['headline']!r}")
    return new_src


def _quotes_of(base: Base, source_id: str) -> list[tuple[str, int, str, str, str]]:
    """Every quote of the source: (table, row, column, id, quote)."""
    own = base.own_source()
    places = []
    for t in FACT_TABLES:
        for n, r in base.rows(t):
            if r.get("source_id") == source_id:
                places.append((t, n, "quote", r["fact_id"], r["quote"]))
    for n, r in base.rows("references"):
        if r.get("source_id") == source_id:
            places.append(("references", n, "quote", f"{r['fact_id']}@{source_id}", r["quote"]))
    for n, r in base.rows("conflicts"):
        for side in ("a", "b"):
            if own.get(r.get(f"fact_id_{side}", "")) == source_id:
                places.append(
                    ("conflicts", n, f"quote_{side}", r["conflict_id"], r[f"quote_{side}"])
                )
    return places


def _unplaced(a: Anchor, quote: str) -> str:
    """Why a quote has no place in the corrected article; empty when it has one."""
    if a.passage is not None and figures(a.passage) != figures(quote):
        return (
            f"the closest passage gives other figures or dates "
            f"({changed_figures(quote, a.passage)}), so the corrected article no longer states "
            f"it as recorded: {a.passage!r}"
        )
    if a.passage is not None:
        return ""
    if a.passages > 1:
        return f"{a.passages} passages of the corrected article match it: {quote!r}"
    closest = f"; the closest reaches {a.ratio:.2f})" if a.ratio else ")"
    return (
        "no passage of the corrected article matches it closely enough "
        f"(a ratio of at least {ANCHOR_RATIO} is needed{closest}: {quote!r}"
    )


def _reanchor(base: Base, places: list, text: str, done: Revision) -> list[str]:
    """Re-anchor each quote no longer verbatim in `text`; the lines of those that cannot be."""
    anchors: dict[str, Anchor] = {}
    refused = []
    for t, n, col, ident, quote in places:
        if quote in text:
            continue
        a = anchors.get(quote) or anchors.setdefault(quote, anchor(quote, text))
        why = _unplaced(a, quote)
        if why:
            refused.append(f"  - {base.shown(t, n, col)} ({ident}): {why}")
            continue
        fields = dict(base.files[t].records[n - 1].fields)
        fields[col] = a.passage
        base.set(t, n, fields)
        done.notes.append(
            f"re-anchored {ident} {col}: {quote!r} -> {a.passage!r} (ratio {a.ratio:.2f})"
        )
    return refused


def replace_source(
    source_id: str,
    path: Path,
    facts_dir: Path,
    raw_dir: Path,
    *,
    published: str | None = None,
    between: tuple[str, str] | None = None,
    headline: str | None = None,
) -> tuple[Revision, dict[str, str]]:
    """Make FILE the text of `source_id`, every quote of that source kept, re-anchored or the
    change refused. Returns the report and the new sources row."""
    path, facts_dir, raw_dir = Path(path), Path(facts_dir), Path(raw_dir)
    data, text = read_article(path)
    digest = hashlib.sha256(data).hexdigest()
    done = Revision()
    with store.locked(facts_dir):
        base = Base(facts_dir)
        row_no, src = source_row(base, source_id)
        _refuse_known_text(base, path, source_id, digest)
        name = f"{source_id[1:]}_{digest[:16]}.txt"
        if name == src["file"] or (raw_dir / name).exists():
            raise IntakeError(
                f"{display_path(raw_dir / name)} already exists and is not this article; "
                "nothing was written"
            )
        dating = (published, between, headline)
        new_src = _new_source_row(src, name, digest, text, path, dating, done)
        base.set("sources", row_no, new_src)
        refused = _reanchor(base, _quotes_of(base, source_id), text, done)
        if refused:
            raise IntakeError(
                f"{path}: {len(refused)} quote(s) of {source_id} cannot be placed in the "
                "corrected article; nothing was written. Reject those facts, references or "
                "conflicts first (`reject ID`), replace the article, then take what it now "
                "says in through `extract` and `accept`:\n" + "\n".join(refused)
            )
        store.commit(
            facts_dir,
            raw_dir,
            {},
            new_article=(name, data),
            rewritten=base.rewritten(),
            removed_articles=(src["file"],),
        )
    done.notes.insert(
        0, f"{source_id}: {display_path(raw_dir / src['file'])} -> {display_path(raw_dir / name)}"
    )
    return done, new_src
