"""One candidate row of each kind (money, date, person, role, departure, organisation) for the
candidates file, whose columns are declared here: every field the target table requires
proposed from the sentence, and a note saying what each proposal rests on. An amount the
sentence does not date is dated by its publication (from UNDATED_FROM), marked as such.
intake.extract reads the article and calls these for each sentence.
"""

from __future__ import annotations

import difflib
from datetime import date

from ... import config
from . import amounts as am
from . import dating, people, roles
from .departures import Departure
from .events import event_of, workforce_count
from .metrics import clause_at, metric_of, status_of
from .review import is_person_id
from .sentences import Sentence

# The candidates file: the columns a reviewer decides on first (what, how much, of what, when,
# who, and whether it repeats or contradicts a recorded statement), then the rest. Columns named
# as in the fact tables are carried into the table a row is accepted into; `precision` goes to
# `date_precision` and `person` to `person_id` (a new name makes a new person). `restates` (the
# id of a recorded statement the candidate repeats: accepting it adds a reference to it) and
# `conflicts_with` (the ids it contradicts, with the reason) are filled by intake.matches.
DECISION_COLUMNS = (
    "candidate",
    "accept",
    "suggested_table",
    "quote",
    "value",
    "metric",
    "date_start",
    "date_end",
    "precision",
    "person",
    "role_as_written",
    "restates",
    "conflicts_with",
)
COLUMNS = DECISION_COLUMNS + (
    "bound",
    "unit",
    "status",
    "original_reporter",
    "attributed_to",
    "to_complete",
    "note",
    "inference_note",
    "kind",
    "table",
    "value_high",
    "counterparty",
    "instrument",
    "name_as_written",
    "function",
    "seniority",
    "reason",
    "category",
    "event",
    "actor",
    "affiliation",
    "outcome",
    "sd_author",
    "matches",
    "match_note",
    "source_id",
    "start",
    "end",
    "mentions",
    "all_quotes",
)
KINDS = ("money", "date", "person", "role", "departure", "organisation")
SUGGESTED = {
    "money": "money",
    "date": "events",
    "person": "person_names",
    "role": "personnel",
    "departure": "personnel",
    "organisation": "",
}

# An amount of money the article does not date lies, as far as the article says, between the
# start of the story and the publication: the first day of the dates the fact base holds
# (config.DATE_WINDOW, from the company's early days in 2020). A reviewer narrows it.
UNDATED_FROM = config.DATE_WINDOW[0]


def _nearest(items, at: int):
    return min(items, key=lambda x: min(abs(x.start - at), abs(x.end - at)), default=None)


def base_row(kind: str, s: Sentence) -> dict:
    row = dict.fromkeys(COLUMNS, "")
    row.update(kind=kind, suggested_table=SUGGESTED[kind], start=str(s.start), end=str(s.end))
    if s.heading:
        row["note"] = "from a heading or title"
    return row


def _date_fields(row: dict, dates, used: set[int], at: int) -> None:
    d = _nearest(dates, at)
    if d is None or d.interval is None:
        row["note"] = "; ".join(x for x in (row["note"], "the sentence gives no date") if x)
        if row["kind"] in ("departure", "role"):
            row["precision"] = "undated"
        return
    used.add(dates.index(d))
    iv = d.interval
    row.update(date_start=iv.start.isoformat(), date_end=iv.end.isoformat(), precision=iv.precision)
    if d.note:
        row["inference_note"] = d.note


def money_row(
    s: Sentence, a: am.Amount, dates, used: set[int], published: tuple[date, date]
) -> dict:
    """An amount of money with its metric, status, dates and unit."""
    row = base_row("money", s)
    local = a.start - s.start
    metric, words = metric_of(s.text, local, a.end - s.start)
    row.update(
        value="" if a.value is None else am.plain(a.value),
        value_high="" if a.value_high is None else am.plain(a.value_high),
        unit=a.unit,
        bound=a.bound,
        metric=metric,
        status=status_of(clause_at(s.text, local), metric),
    )
    _date_fields(row, dates, used, a.start)
    notes = [row["note"], a.note, f"amount as written: '{a.text}'"]
    if metric:
        notes.append(f"metric {metric} proposed from the words '{words}'")
    else:
        notes.append("no word near the amount says what it measures: choose the metric")
    undated = not row["date_start"]
    if undated:
        _publication_bounds(row, published)
    if (
        not a.rate
        and a.currency == "USD"
        and metric in ("revenue", "costs", "compute_costs", "salaries_opex", "losses")
        and row["precision"] in ("month", "year")
    ):
        row["unit"] = "USD_per_" + row["precision"]
        notes.append(
            f"unit {row['unit']}: a {metric} figure for the {row['precision']} the sentence names"
        )
    if undated:
        notes.append("dated only by publication: correct the dates")
    row["note"] = "; ".join(x for x in notes if x)
    return row


def _publication_bounds(row: dict, published: tuple[date, date]) -> None:
    """Date a candidate the sentence leaves undated by what its publication allows: from
    UNDATED_FROM to the latest publication date, marked as such for the reviewer."""
    first, last = UNDATED_FROM, published[1]
    row.update(date_start=first.isoformat(), date_end=last.isoformat(), precision="range")
    row["inference_note"] = (
        f"bounded only by publication: the sentence gives no date, so the period is "
        f"anything from {first.isoformat()} (the earliest date a statement is given without "
        f"one) to the latest publication date {last.isoformat()}; narrow it if the article "
        "dates it elsewhere"
    )


def departure_row(s: Sentence, d: Departure, dates, used: set[int], note: str) -> dict:
    row = base_row("departure", s)
    m = d.mention
    role = m.role or roles.role_after(s.text, d.trigger_start - s.start)
    row.update(
        person=m.person_id or m.name,
        name_as_written=m.name,
        role_as_written=role,
        function=roles.function_of(role),
        seniority=roles.seniority_of(role),
        status="departed",
        reason=roles.reason_after(s.text, d.trigger_start - s.start) if d.trigger else "",
    )
    _date_fields(row, dates, used, d.trigger_start)
    notes = [row["note"], note]
    if d.trigger:
        notes.append(f"departure stated by '{d.trigger}'")
    if not is_person_id(m.person_id):
        notes.append(f"a name not in the fact base ({m.how}): accepting it adds a person")
    row["note"] = "; ".join(x for x in notes if x)
    return row


def role_row(s: Sentence, m: people.Mention, role: str) -> dict:
    row = base_row("role", s)
    row.update(
        person=m.person_id or m.name,
        name_as_written=m.name,
        role_as_written=role,
        function=roles.function_of(role),
        seniority=roles.seniority_of(role),
        status="mentioned",
        precision="undated",
    )
    notes = [row["note"], "undated unless you add a date"]
    if role == m.role and m.role_note:
        notes.append(m.role_note)
    elif role != m.role:
        notes.append(f"'{role}': a title the names listed together share")
    row["note"] = "; ".join(x for x in notes if x)
    return row


def person_row(s: Sentence, m: people.Mention, lexicon: people.Lexicon) -> dict:
    row = base_row("person", s)
    row.update(person=m.person_id or m.name, name_as_written=m.name)
    if not is_person_id(m.person_id):
        close = people_close(m.person_id or m.name, lexicon)
        row["note"] = "; ".join(
            x for x in (row["note"], f"a name not in the fact base ({m.how})", close) if x
        )
    return row


def organisation_row(s: Sentence, name: str) -> dict:
    row = base_row("organisation", s)
    row.update(counterparty=name, actor=name)
    row["note"] = "; ".join(
        x
        for x in (
            row["note"],
            "organisations are recorded in "
            "money.counterparty or events.actor of the facts "
            "they take part in",
        )
        if x
    )
    return row


def date_row(s: Sentence, d: dating.DateMention) -> dict:
    row = base_row("date", s)
    iv = d.interval
    row.update(
        date_start=iv.start.isoformat(),
        date_end=iv.end.isoformat(),
        precision=iv.precision,
        inference_note=d.note,
        status="reported",
    )
    notes = [row["note"], f"date as written: '{d.text}'"]
    event = event_of(s.text, d.start - s.start)
    if event:
        category, slug, words = event
        row.update(category=category, event=slug)
        notes.append(
            f"category {category} and event {slug} proposed from the words '{words}': "
            "name the event in a few words"
        )
        count = workforce_count(s.text) if category == "workforce" else None
        if count:
            value, unit, bound, said = count
            row.update(value=value, unit=unit, bound=bound)
            notes.append(f"value {value} {unit} ({bound}) from '{said}'")
    row["note"] = "; ".join(x for x in notes if x)
    return row


def people_close(name: str, lexicon: people.Lexicon) -> str:
    """Known people whose name is spelled almost the same way (a possible variant)."""
    close = difflib.get_close_matches(name, list(lexicon.names), n=3, cutoff=0.8)
    if not close:
        return ""
    return "possibly a variant of " + ", ".join(f"{c} ({lexicon.names[c]})" for c in close)
