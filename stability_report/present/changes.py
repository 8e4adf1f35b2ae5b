"""The report's section "What changed since the report of <date>": the sources added (by outlet
when known), the statements added, corroborated by a further source, changed or removed, the
conflicts recorded, since the published run the pipeline compares with, and the key numbers that
moved; shown only when the fact base differs from that run's.

The pipeline puts that run's results.json beside the new run (resultsfile.PREVIOUS_NAME) and
names it in $STABILITY_REPORT_PREVIOUS_RESULTS; without it (a first run, JupyterLab) nothing is
shown. Removed facts are no longer in the fact base, so their ids are printed as code, not as links
to an evidence entry that does not exist.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import config, resultsfile
from ..analysis.cited import cite
from ..formats import count_words, long_date
from . import results
from .markdown import escape_md, md


def _q(text: str) -> str:
    return f"<q>{escape_md(text)}</q>"


def _counts(d: dict[str, Any]) -> list[str]:
    """'2 new sources', '1 fact added', ...: what changed, in the order the lists follow."""
    f, s, c = d["facts"], d["sources"], d["conflicts"]
    parts = []
    for items, one, many in (
        (s["added"], "new source", "new sources"),
        (f["added"], "fact added", "facts added"),
        (f.get("corroborated", []), "fact corroborated", "facts corroborated"),
        (f["changed"], "fact changed", "facts changed"),
        (f["removed"], "fact removed", "facts removed"),
        (
            c["added"] + c["changed"] + c["removed"],
            "conflict recorded or revised",
            "conflicts recorded or revised",
        ),
    ):
        if items:
            parts.append(count_words(len(items), one, many))
    return parts


def _rewritten(x: dict[str, Any]) -> bool:
    """Whether a changed fact's quote itself changed (shortened or rewritten)."""
    return x.get("quote_before") not in (None, x["quote"])


def _changed(x: dict[str, Any]) -> str:
    """One changed fact: its quote, and what changed in it."""
    what = [
        f"{k} {v[0] or '(empty)'} → {v[1] or '(empty)'}"
        for k, v in x.get("fields_changed", {}).items()
    ]
    if _rewritten(x):
        what.append("quote shortened or rewritten")
    was = f" ({escape_md('; '.join(what))})" if what else ""
    return f"- {x['id']} ({escape_md(x['table'])}): {_q(x['quote'])}{was}"


def _changed_facts(changed: list[dict[str, Any]]) -> list[str]:
    """Each fact changed in a column the comparison names (value, status, dates, attribution...)
    or in its quote, with its quote and the change; the facts changed only in columns it does not
    name (an inference note reworded) in one line of ids, so that a reworded note does not fill
    pages."""
    shown = [x for x in changed if x.get("fields_changed") or _rewritten(x)]
    quiet = [x["id"] for x in changed if x not in shown]
    lines = [_changed(x) for x in shown]
    if quiet:
        lines.append(
            f"- {count_words(len(quiet), 'further fact', 'further facts')} changed only in "
            f"columns not listed here, such as the note on how a value was inferred: "
            + ", ".join(quiet)
        )
    return lines


def _lists(d: dict[str, Any]) -> list[str]:
    """The lists of what changed, each under its heading; an empty list is left out."""
    f, s, c = d["facts"], d["sources"], d["conflicts"]
    lists = [
        (
            "New sources",
            [
                f"- {x['id']}"
                + (f" ({escape_md(x['outlet'])})" if x.get("outlet") else "")
                + f": {_q(x['headline'])}"
                for x in s["added"]
            ],
        ),
        (
            "Facts added",
            [
                f"- {x['id']} ({escape_md(x['table'])}, {x['source_id']}): {_q(x['quote'])}"
                for x in f["added"]
            ],
        ),
        (
            "Facts corroborated by a further source",
            [
                f"- {x['id']} ({escape_md(x['table'])}), now also reported by "
                f"{r['source_id']}: {_q(r['quote'])}"
                for x in f.get("corroborated", [])
                for r in x["references"]
            ],
        ),
        ("Facts changed", _changed_facts(f["changed"])),
        (
            "Facts removed",
            [f"- `{x['id']}` ({escape_md(x['table'])}): {_q(x['quote'])}" for x in f["removed"]],
        ),
        (
            "Conflicts recorded",
            [f"- {x['id']}: {escape_md(x['topic'])} ({', '.join(x['facts'])})" for x in c["added"]],
        ),
    ]
    lines = []
    for heading, items in lists:
        if items:
            lines += ["", f"**{heading}**", "", *items]
    return lines


def _key_number(k: dict[str, Any]) -> str:
    """One key number that moved: before → after, the after cited by the facts it rests on."""
    before = escape_md(k["before"]["text"]) if k["before"] else "not computable"
    if k["after"]:
        value = cite(k["after"]["text"], k["after"]["fact_ids"], fmt="text")
        if k["after"].get("table"):  # a count resting on many facts cites their table
            value = value.via(k["after"]["table"])
        after = md("{v}", v=value)
    else:
        after = "not computable from the facts now"
    return f"- {escape_md(k['label'])}: {before} → {after}"


def _params(d: dict[str, Any]) -> list[str]:
    """The sentence saying which parameters differ (the analysis date aside), if any."""
    shown = ", ".join(f"{k} {v[0]} → {v[1]}" for k, v in d["params"].items() if k != "as_of")
    if not shown:
        return []
    return [
        "",
        escape_md(f"The parameters differ too ({shown}), which moves some numbers by itself."),
    ]


def section(d: dict[str, Any]) -> str:
    """The section's Markdown from resultsfile.diff(previous, current); '' when no source, fact or
    conflict changed."""
    if not d["facts_differ"]:
        return ""
    when = long_date(d["before"]["as_of"])
    lines = [
        f"## What changed since the report of {escape_md(when)}",
        "",
        escape_md(
            f"Since the report published for {when} (run "
            f"{d['before']['run_id'] or 'unknown'}), the fact base has changed: "
            + ", ".join(_counts(d))
            + "."
        ),
        *_lists(d),
        "",
        "**Key numbers**",
        "",
    ]
    moved = d["key_numbers"]
    if not moved:
        lines.append("No key number moved.")
    lines += [_key_number(k) for k in moved]
    return "\n".join(lines + _params(d))


def show_since_previous(all_facts, params) -> None:
    """Display the section in the notebook, if the pipeline named a previous run whose fact
    base differs."""
    path = config.previous_results()
    if not path:
        return
    previous = resultsfile.read(Path(path))
    text = section(resultsfile.diff(previous, results.compute(all_facts, params)))
    if text:
        from IPython.display import Markdown, display

        display(Markdown(text))
