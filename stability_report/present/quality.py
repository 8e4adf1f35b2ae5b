"""The sentences of the sources-and-data-quality chapter: what the report rests on, how firm the
figures are, where the sources disagree, how dates were inferred, and what the sources cannot
tell; each counted from the facts (analysis.quality) and cited.
"""

from __future__ import annotations

import pandas as pd

from ..analysis import attrition
from ..analysis.cash import itemised_bills
from ..analysis.cited import MAX_INLINE_IDS, Cited, cite
from ..analysis.quality import (
    board_changes,
    conflict_counts,
    count_of_facts,
    dated_by_text,
    inference_kinds,
    restated_outlets,
    source_ids,
)
from ..facts.base import Facts
from ..facts.strength import strength
from ..facts.vocabulary import STATUSES
from ..formats import bound_words, count_word, interval, join_words, money
from .markdown import md


def sources_text(facts: Facts) -> str:
    per = [
        md("{n} from {sid}", n=count_of_facts(facts, sid), sid=cite(sid, fmt="text"))
        for sid in source_ids(facts)
    ]
    text = (
        md(
            "The report rests on {n} facts, each with a verbatim quote of its source: ",
            n=count_of_facts(facts),
        )
        + ", ".join(per)
        + ". "
    )
    return text + publication_dating_text(facts) + outlets_text(facts)


def publication_dating_text(facts: Facts) -> str:
    """How each source's publication date was established: stated by its text, bounded from its
    text (a window), or given when the article was registered (not read from the text)."""
    by_text = dated_by_text(facts)
    dated = facts.sources["published_precision"] == "day"
    given = list(facts.sources.loc[~by_text.to_numpy(), "source_id"])
    if not given:
        if not dated.any():
            return md(
                "{none} states its publication date: each one's window comes "
                "from its own text (an update date, the latest event it reports as past), and "
                "its relative dates (“last year”, “In February”) are resolved against the year "
                "that window falls in. Each source's entry in the evidence appendix gives the "
                "reasoning.",
                none=cite("Neither source" if len(dated) == 2 else "No source", fmt="text"),
            )
        if not dated.all():
            return md(
                "{k} of the {m} sources state no publication date: their windows come from "
                "their own text (the evidence appendix gives the reasoning).",
                k=cite(count_word(int((~dated).sum())).capitalize(), fmt="text"),
                m=cite(count_word(len(dated)), fmt="text"),
            )
        return ""
    windows = list(facts.sources.loc[(by_text & ~dated).to_numpy(), "source_id"])
    parts = []
    if windows:
        one = len(windows) == 1
        parts.append(
            md(
                "{ids} {state} no publication date: {each} window comes from its own text "
                "(an update date, the latest event it reports as past), and its relative "
                "dates are resolved against the year that window falls in.",
                ids=cite(join_words(windows), fmt="text"),
                state=cite("states" if one else "state", fmt="text"),
                each=cite("its" if one else "each one's", fmt="text"),
            )
        )
    one = len(given) == 1
    parts.append(
        md(
            "The publication {dates} of {ids} {was} given when {it} registered, not read "
            "from {its} text.",
            dates=cite("date" if one else "dates", fmt="text"),
            ids=cite(join_words(given), fmt="text"),
            was=cite("was" if one else "were", fmt="text"),
            it=cite("it was" if one else "they were", fmt="text"),
            its=cite("its" if one else "their", fmt="text"),
        )
    )
    parts.append(md("Each source's entry in the evidence appendix gives the reasoning."))
    return " ".join(parts)


def sources_caption(facts: Facts) -> str:
    """The caption of the sources table: how their publication dates were established."""
    given = list(facts.sources.loc[~dated_by_text(facts).to_numpy(), "source_id"])
    text = "The sources, as dated by their own text"
    return text + (f" ({join_words(given)} as given when registered)" if given else "")


def outlets_text(facts: Facts) -> str:
    """The outlets each source restates (original_reporter), counted from the facts, and what
    follows: the sources are not independent confirmations of each other."""
    per = restated_outlets(facts)
    if not per:
        return ""
    own = _outlet_sources(facts)
    parts = [
        md(
            "{sid} restates {outlets}",
            sid=cite(sid, fmt="text"),
            outlets=cite(
                join_words(
                    [
                        f"{o} ({count_word(len(ids))} facts"
                        + (
                            f"; the outlet of {join_words(own[_outlet_key(o)])})"
                            if _outlet_key(o) in own
                            else ")"
                        )
                        for o, ids in outlets.items()
                    ]
                ),
                fmt="text",
            ),
        )
        for sid, outlets in per.items()
    ]
    n, total = len(per), len(facts.sources)
    if n == total:
        who = "Both articles rest" if n == 2 else f"All {count_word(n)} articles rest"
    elif n == 1:
        who = "One article rests"
    else:
        who = f"{count_word(n).capitalize()} of the {count_word(total)} articles rest"
    so = (
        "It is therefore not an independent confirmation of the others"
        if n == 1
        else "The two are therefore not independent confirmations of each other"
        if n == 2
        else "They are therefore not independent confirmations of each other"
    )
    return (
        md(" {who} in part on earlier reporting by other outlets: ", who=who)
        + "; ".join(parts)
        + md(
            ". {so}: where they "
            "agree, they may be retelling the same reports, and the report counts a statement "
            "once, however many articles repeat it. The counts are of the facts a source ",
            so=so,
        )
        + md(
            "attributes to the outlet explicitly, so they are a floor: a source that frames its "
            "account as an outlet's reporting may restate it more often (the evidence appendix "
            "says “restating” only where the quote does not itself name the outlet)."
        )
        + _own_outlets(facts)
    )


def _outlet_key(name: str) -> str:
    """An outlet's name as compared: case and a leading 'the' set aside."""
    key = " ".join(name.split()).casefold()
    return key[4:] if key.startswith("the ") else key


def _outlet_sources(facts: Facts) -> dict[str, list[str]]:
    """The sources each named outlet published (sources.outlet), by _outlet_key."""
    out: dict[str, list[str]] = {}
    if "outlet" not in facts.sources:
        return out
    for sid, outlet in zip(facts.sources["source_id"], facts.sources["outlet"].fillna("")):
        if str(outlet).strip():
            out.setdefault(_outlet_key(str(outlet)), []).append(sid)
    return out


def _own_outlets(facts: Facts) -> str:
    """Which articles name no outlet of their own (sources.outlet empty)."""
    if "outlet" not in facts.sources:
        return ""
    unnamed = list(
        facts.sources.loc[facts.sources["outlet"].fillna("").str.strip() == "", "source_id"]
    )
    if not unnamed:
        return ""
    if len(unnamed) == len(facts.sources) == 2:
        return md(" Neither article names its own outlet in the article body.")
    return md(
        " {which} no outlet of {its} own in {its} article body.",
        which=cite(join_words(unnamed) + (" names" if len(unnamed) == 1 else " name"), fmt="text"),
        its=cite("its" if len(unnamed) == 1 else "their", fmt="text"),
    )


def status_text(facts: Facts) -> str:
    m = facts.money
    counts = m["status"].value_counts()
    parts = [
        f"{count_word(int(counts[s]))} {'are ' if i == 0 else ''}{s}"
        for i, s in enumerate([s for s in STATUSES if s in counts])
    ]
    text = md(
        "Of the {n} money facts, {parts}. ",
        n=cite(count_word(len(m)), fmt="text"),
        parts=cite(", ".join(parts), fmt="text"),
    )
    bounded = m[m["bound"].isin(("less_than", "more_than", "at_least", "approx"))]
    if len(bounded):
        text += md(
            "{k} carry the source's own qualifier (“less than”, “more than”, “at least”, "
            "“about”), which the report keeps with the number. ",
            k=cite(count_word(len(bounded)).capitalize(), fmt="text"),
        )
    no_amount = m[m["value"].isna()]
    if len(no_amount):
        text += md(
            "{k} give no amount at all and are left out of every total.",
            k=cite(count_word(len(no_amount)).capitalize(), fmt="text"),
        )
    return text


def conflicts_text(facts: Facts) -> str:
    cc = conflict_counts(facts)
    compatible = (
        md(
            "; the register marks {k} of them as compatible or not contradictory",
            k=cc["compatible"],
        )
        if cc["compatible"].value
        else ""
    )
    return (
        md(
            "The conflict register records {total} entries: {across} set two sources against "
            "each other and {within} two passages of one",
            **cc,
        )
        + compatible
        + md(
            ". Both readings are kept, each with its quote; the analysis "
            "uses one in {one}, keeps both as alternatives in {both} (the runway chapter, for "
            "instance, shows every burn basis) and uses neither in {neither}, where a claim "
            "and its denial cannot be settled from the text. The {visible} below change a "
            "number, a date, a name or a title the reader sees; the rest concern claims and "
            "descriptions.",
            **{k: v for k, v in cc.items() if k not in ("total", "across", "within")},
        )
    )


def dating_text(facts: Facts) -> str:
    frames = [facts.tables[t] for t in ("personnel", "money", "events")]
    dated = pd.concat([f[["date_precision", "inference_note"]] for f in frames])
    p = dated["date_precision"]

    kinds = inference_kinds(facts)
    relative = kinds["kind"].isin(
        ("relative year", "relative period", "month without year", "quarter without year")
    ) & ~kinds["date_precision"].isin(("undated",))
    relative = relative.sum()

    def n(mask) -> Cited:
        return cite(count_word(int(mask.sum())), fmt="text")

    return md(
        "Of the {facts} personnel, money and event facts, {fine} are dated to the day or "
        "month, {coarse} only to a quarter, a year or between bounds, and {undated} not at "
        "all. {relative} of the dated facts are dated relative to the article (“last "
        "year”, “last month”) or by a month or quarter it names without a year, and were resolved "
        "against the source's publication window; a fact its source does not date stays "
        "undated rather than receiving a guess. {inferred} carry a note on how their date "
        "or value was inferred, of these kinds:",
        facts=n(p.notna()),
        relative=cite(count_word(int(relative)).capitalize(), fmt="text"),
        fine=n(p.isin(("day", "month"))),
        coarse=n(p.isin(("quarter", "year", "range"))),
        undated=n(p == "undated"),
        inferred=cite(
            count_word(int(dated["inference_note"].notna().sum())).capitalize(), fmt="text"
        ),
    )


def limits(facts: Facts, as_of) -> list[str]:
    """What the sources cannot tell, each point counted from the facts where it can be."""
    out = []
    m = facts.money
    cash = m[m["metric"] == "cash"]
    if len(cash) == 1:
        r = cash.iloc[0]
        out.append(
            md(
                "The cash at any time but {when}: there is one cash figure, {bound}{value} by "
                "{who}{c}, and it is {kind}.",
                when=cite(
                    interval(r["date_start"], r["date_end"], r["date_precision"]), fmt="text"
                ),
                bound=cite(bound_words(r["bound"]), fmt="text"),
                value=cite(money(float(r["value"])), fmt="text"),
                who=cite(
                    strength(r).according_to.removeprefix("according to ") or r["source_id"],
                    fmt="text",
                ),
                c=cite("", r["fact_id"], fmt="text"),
                kind=cite(
                    "an upper bound" if r["bound"] == "less_than" else "as reported", fmt="text"
                ),
            )
        )
    # the bills as the cash chapter lists them: a fact that summarises them is no further bill
    bills = itemised_bills(facts)
    unknown = tuple(bills.loc[bills["value"].isna(), "fact_id"])
    if unknown:
        # each bill cited, unless they are too many to list inline (the cash chapter lists them)
        ids = unknown if len(unknown) <= MAX_INLINE_IDS else ()
        out.append(
            md(
                "The amount of {k} of the unpaid bills, so the arrears are larger than "
                "any total given.",
                k=cite(count_word(len(unknown)), ids, fmt="text"),
            )
        )
    deps = attrition.departures(facts, as_of)
    if len(deps):
        coarse = deps["precision"].isin(("quarter", "year", "range", "undated"))
        out.append(
            md(
                "When most people left: {k} of the {n} departures are dated only to a "
                "year or between bounds. Nor how many people worked in each function, so "
                "departures are counts, not rates.",
                k=cite(count_word(int(coarse.sum())), fmt="text"),
                n=attrition.departure_count(deps),
            )
        )
    conv = m[
        (m["metric"] == "funding_closed")
        & m["instrument"].fillna("").str.contains("convertible|SAFE|note", case=False)
    ]
    if len(conv):
        out.append(
            md(
                "The terms of the convertible instruments (interest, maturity, conversion "
                "price), so neither what the company owes on them nor the dilution they "
                "imply."
            )
        )
    votes = "Who holds the votes: the sources speak of shares, not of share classes"
    if board_changes(facts):  # changes to the board, not who sits on it
        votes += " or voting rights, and of changes to the board, not of its full composition."
    else:
        votes += ", voting rights or board composition."
    out.append(md(votes))
    by_text = dated_by_text(facts).to_numpy()
    given = list(facts.sources.loc[~by_text, "source_id"])
    undated_pub = facts.sources[facts.sources["published_precision"] != "day"]
    if given:
        one = len(given) == 1
        windows = int(((facts.sources["published_precision"] != "day").to_numpy() & by_text).sum())
        out.append(
            md(
                "The publication date of {k}, which {is_} bounded from {their} text instead, "
                "and of {ids}, given when {it} registered.",
                k=cite(f"{count_word(windows)} of the sources", fmt="text"),
                is_=cite("is" if windows == 1 else "are", fmt="text"),
                their=cite("its" if windows == 1 else "their", fmt="text"),
                ids=cite(join_words(given), fmt="text"),
                it=cite("it was" if one else "they were", fmt="text"),
            )
            if windows
            else md(
                "The publication date of {ids}, given when {it} registered.",
                ids=cite(join_words(given), fmt="text"),
                it=cite("it was" if one else "they were", fmt="text"),
            )
        )
    elif len(undated_pub):
        out.append(
            md(
                "The publication date of {k}, which is bounded from {their} text instead.",
                k=cite(
                    ("either source" if len(facts.sources) == 2 else "every source")
                    if len(undated_pub) == len(facts.sources)
                    else f"{count_word(len(undated_pub))} of the sources",
                    fmt="text",
                ),
                their=cite(
                    "its" if len(undated_pub) == len(facts.sources) else "their", fmt="text"
                ),
            )
        )
    return out
