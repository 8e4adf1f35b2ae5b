"""Whether two statements say the same thing, contradict each other, or neither: `relation(a, b)`,
the one judgement that the extraction assistant (intake.matches: a candidate against the fact
base) and `facts check` (intake.check: the fact base against itself) both use.

A statement is a row of money, events, personnel or person_names, or a candidate of `extract`
(`statement()` reads either). Two statements:

- **restate** each other when they say the same thing: money of the same metric and unit (and
  counterparty and instrument where both give one) with values equal within rounding, bounds
  alike, periods that overlap; one event, person, departure or spelling with compatible dates.
  They should be one statement with two references.
- **conflict** when they cannot both hold: values or bounds that exclude each other for the same
  metric and period ("less than $4 million" excludes "just $4 million"), one event or departure
  on disjoint dates, one funding round (same investors, amounts that agree) on disjoint dates,
  one person given two ranks in one post, or two spellings of a name.
- are **compatible** when they speak of the same thing and can both hold, one saying less ("more
  than $100 million" and "$120 million"; a surname and the full name; an undated and a dated
  departure), and **unrelated** when they speak of different things: other metrics, monthly
  against annual flows, other counterparties, a total and one of its parts, disjoint periods,
  projections against actuals, other people or posts.

Rounding: an exact amount stands for anything that rounds to it at its last significant digit,
within at most 5% ("$99 million" holds $99.3 million); "about" within 10%. A bound is compared
with the figure as written: "less than $4 million" excludes $4 million itself. How two amounts
compare is intake.amount_values; counterparties, and the context a judgement reads them from,
are intake.parties.
"""

from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass, replace

from .amount_values import UPPER, compare_values, tolerance
from .parties import Context, cover, parties_of, same_party
from .statements import Statement, show
from .statements import period as _period

KINDS = ("restates", "conflict", "compatible", "unrelated")
# Tables that hold one row per source by design: what each source says about a person (its
# title, its dating of a departure) and how it spells the name; the analysis merges them per
# person, so two sources' rows about one person are no repeat to turn into a reference.
PER_SOURCE_TABLES = ("personnel", "person_names")
# Money that several counterparties add up to: a figure that names none may be a total or
# another party's share, so it never contradicts one that names a party.
ADDITIVE = ("unpaid_bill", "funding_closed", "funding_sought", "compute_sought")
# Money that is one deal with named counterparties: the same amount from the same parties on
# disjoint dates is one deal given two dates (a timing conflict), not two deals.
ROUNDS = ("funding_closed",)
# Statuses that can contradict one another; a projection or a plan never contradicts an actual.
_STATUS_GROUP = {
    "reported": "actual",
    "claimed": "actual",
    "derived": "actual",
    "projected": "projection",
    "planned": "plan",
}
# Ranks that say nothing of seniority beyond the person's post.
_UNRANKED = ("", "staff", "external")
# How many parts a total may be the sum of, and how many statements are tried as parts.
_MAX_PARTS, _MAX_PART_CANDIDATES = 4, 16


@dataclass(frozen=True)
class Relation:
    """What one statement is to another, and why in a few words. `conflict_kind` is the
    conflicts.csv kind of a conflict (amount, date, role, name, claim); `agrees` says that
    neither gives a reading the other contradicts (restates, or compatible about the same
    thing)."""

    kind: str
    reason: str
    conflict_kind: str = ""
    agrees: bool = False
    total: str = ""  # when one is a total of amounts the other is among: the total's id


# ------------------------------------------------------------------------------------------------
# the judgement


def relation(a: Statement, b: Statement, context: Context | None = None) -> Relation:
    """What `b` is to `a`: restates, conflict, compatible or unrelated, with the reason."""
    ctx = context or Context.of([a, b])
    if a.table != b.table:
        return Relation("unrelated", f"different tables ({a.table}, {b.table})")
    if a.table == "money":
        return _money(a, b, ctx)
    if a.table == "events":
        return _event(a, b)
    if a.table == "personnel":
        return _personnel(a, b)
    return _name(a, b)


def _overlap(a: Statement, b: Statement) -> bool | None:
    """Whether the periods overlap; None when either is undated (it may be any period)."""
    if a.start is None or b.start is None:
        return None
    return a.start <= b.end and b.start <= a.end


def _contains(x: Statement, y: Statement) -> bool:
    """Whether x's period holds y's and is longer (an undated statement holds any dated one)."""
    if y.start is None:
        return False
    if x.start is None:
        return True
    return x.start <= y.start and y.end <= x.end and (x.start, x.end) != (y.start, y.end)


def _periods(a: Statement, b: Statement) -> str:
    pa, pb = _period(a), _period(b)
    if pa == pb:
        return "both undated" if pa == "undated" else f"period {pa}"
    if "undated" in (pa, pb):
        return f"period {pb if pa == 'undated' else pa} (the other undated)"
    return f"periods {pa} and {pb} overlap"


# ------------------------------------------------------------------------------------------------
# counterparties


def _total_of(total: Statement, part: Statement, ctx: Context) -> list[Statement]:
    """Statements, `part` among them, whose amounts add up to `total` (same metric, unit and
    status, periods overlapping the total's, counterparties among the total's where it names
    any); empty if none do."""
    if total.value is None or part.value is None or total.bound in UPPER:
        return []
    named = parties_of(total, ctx)[0]

    def fits(s: Statement) -> bool:
        return not named or cover(parties_of(s, ctx)[0], named)

    if not fits(part):
        return []
    pool = [
        s
        for s in ctx.measuring(total)
        if s.id not in (total.id, part.id)
        and _STATUS_GROUP.get(s.status) == _STATUS_GROUP.get(total.status)
        and s.value is not None
        and s.bound in ("exact", "approx")
        and s.value < total.value
        and _overlap(s, total) is not False
        and fits(s)
    ]
    pool = sorted(pool, key=lambda s: -s.value)[:_MAX_PART_CANDIDATES]
    tol = tolerance(total.value, total.bound if total.bound == "approx" else "exact")
    for n in range(1, _MAX_PARTS):
        for others in itertools.combinations(pool, n):
            parts = [part, *others]
            if abs(sum(p.value for p in parts) - total.value) > tol + 1e-9 * total.value:
                continue
            if any(
                relation(p, q, ctx).kind == "restates" for p, q in itertools.combinations(parts, 2)
            ):
                continue  # one amount reported twice is not a sum of parts
            return parts
    return []


# ------------------------------------------------------------------------------------------------
# the tables


def _measures_differ(a: Statement, b: Statement, ctx: Context) -> Relation | None:
    """Unrelated (or restating across statuses) when the two amounts measure different things:
    metrics, units, statuses, periods or instruments; None when they measure the same."""
    if a.subject != b.subject:
        return Relation("unrelated", f"different metrics ({a.subject}, {b.subject})")
    if a.unit != b.unit:
        flows = {"USD_per_month": "a monthly", "USD_per_year": "an annual", "USD": "a one-off"}
        if a.unit in flows and b.unit in flows:
            return Relation(
                "unrelated", f"{flows[a.unit]} and {flows[b.unit]} amount are different measures"
            )
        return Relation("unrelated", f"different units ({a.unit}, {b.unit})")
    ga, gb = _STATUS_GROUP.get(a.status, a.status), _STATUS_GROUP.get(b.status, b.status)
    if ga and gb and ga != gb:
        # a projection never contradicts an actual; but the same amount of the same metric for
        # the same period is one statement whose status one source words differently
        same = _money(a, replace(b, status=a.status), ctx)
        if same.kind == "restates":
            return replace(same, reason=f"{same.reason}; statuses differ ({a.status}, {b.status})")
        return Relation("unrelated", f"a {a.status} and a {b.status} figure (not the same claim)")
    if _overlap(a, b) is False:
        return _round_dated_apart(a, b, ctx) or Relation(
            "unrelated", f"different periods ({_period(a)}, {_period(b)})"
        )
    if a.instrument and b.instrument and not same_party(a.instrument, b.instrument):
        return Relation("unrelated", f"different instruments ({a.instrument}, {b.instrument})")
    return None


def _round_dated_apart(a: Statement, b: Statement, ctx: Context) -> Relation | None:
    """A conflict when two statements on disjoint dates give one deal: a round (ROUNDS) whose
    named investors are all among the other's (the leads beside the leads and a participant)
    and amounts that agree. Amounts of other metrics on disjoint dates
    are other bills or figures of another period (unrelated); two rounds of one amount from the
    same investors would be the exception, which the reviewer judges."""
    if a.subject not in ROUNDS:
        return None
    (pa, _), (pb, _) = parties_of(a, ctx), parties_of(b, ctx)
    if not (pa and pb and (cover(pa, pb) or cover(pb, pa))):
        return None
    kind, why = compare_values(a, b)
    if kind not in ("restates", "compatible"):
        return None
    return Relation(
        "conflict",
        f"{a.subject}: one round ({'; '.join(pa)}; {why}) dated apart: "
        f"{_period(a)} vs {_period(b)}",
        "timing",
    )


def _otherparties_of(
    a: Statement, b: Statement, pa: list[str], pb: list[str], kind: str, read: str
) -> Relation | None:
    """Unrelated when both name counterparties and they differ, or one is a total over more
    counterparties and the other one of its parts; None otherwise."""
    if not (pa and pb):
        return None
    in_a, in_b = cover(pb, pa), cover(pa, pb)
    if not in_a and not in_b:
        return Relation(
            "unrelated", f"different counterparties ({'; '.join(pa)} vs {'; '.join(pb)}){read}"
        )
    if in_a != in_b and kind != "restates":  # one names more parties: a total and a part
        (total, tp), (part, pp) = ((a, pa), (b, pb)) if in_a else ((b, pb), (a, pa))
        if kind == "compatible" or (part.value or 0) <= (total.value or 0):
            return Relation(
                "unrelated",
                f"a total over more counterparties ({'; '.join(tp)}) and one of its parts "
                f"({'; '.join(pp)}){read}",
                total=total.id,
            )
    return None


def _differing_amounts(
    a: Statement, b: Statement, ctx: Context, named: tuple[bool, bool], why: str, read: str
) -> Relation:
    """Two amounts that differ: a total and its parts, another party's amount, a total over a
    longer period, or a conflict."""
    big, small = (a, b) if a.value >= b.value else (b, a)
    parts = _total_of(big, small, ctx)
    if parts:
        ids = ", ".join(sorted(p.id for p in parts))
        return Relation(
            "unrelated", f"{show(big)} is the total of {ids}, not another reading", total=big.id
        )
    if a.subject in ADDITIVE and named[0] != named[1]:
        return Relation(
            "compatible",
            f"{why}, but only one names a counterparty: another party's amount or a total{read}",
        )
    if a.subject in ADDITIVE and big.bound not in UPPER and _contains(big, small):
        return Relation(
            "compatible",
            f"{why}, the larger over a longer period ({_period(big)} against "
            f"{_period(small)}): a total that may include the other{read}",
        )
    return Relation("conflict", f"{a.subject}: {why}, {_periods(a, b)}{read}", "amount")


def _money(a: Statement, b: Statement, ctx: Context) -> Relation:
    differ = _measures_differ(a, b, ctx)
    if differ:
        return differ
    (pa, read_a), (pb, read_b) = parties_of(a, ctx), parties_of(b, ctx)
    kind, why = compare_values(a, b)
    read = " (counterparty read from the quote)" if (read_a and pa) or (read_b and pb) else ""
    others = _otherparties_of(a, b, pa, pb, kind, read)
    if others:
        return others
    if kind == "conflict":
        return _differing_amounts(a, b, ctx, (bool(pa), bool(pb)), why, read)
    reason = f"same metric ({a.subject}), {why}, {_periods(a, b)}{read}"
    return Relation(kind, reason, agrees=True)


def _event(a: Statement, b: Statement) -> Relation:
    if not a.subject or a.subject != b.subject:
        return Relation("unrelated", f"different events ({a.subject or '?'}, {b.subject or '?'})")
    if a.person and b.person and a.person != b.person:
        return Relation("unrelated", f"{a.subject} of different people ({a.person}, {b.person})")
    overlap = _overlap(a, b)
    values = "restates"
    why = ""
    if a.value is not None and b.value is not None:
        if a.unit != b.unit:
            return Relation("unrelated", f"{a.subject}: different units ({a.unit}, {b.unit})")
        values, why = compare_values(a, b)
    elif (a.value is None) != (b.value is None):
        values, why = "restates", "only one gives its size"
    if overlap is False:
        if values == "conflict":
            return Relation(
                "unrelated",
                f"{a.subject}: different dates and values ({_period(a)}, {_period(b)}): two "
                "occurrences",
            )
        return Relation(
            "conflict", f"{a.subject} on disjoint dates: {_period(a)} vs {_period(b)}", "date"
        )
    if values == "conflict":
        return Relation("conflict", f"{a.subject}: {why}", "amount")
    when = _periods(a, b)
    return Relation(
        values, f"same event ({a.subject}), {why + ', ' if why else ''}{when}", agrees=True
    )


def _personnel(a: Statement, b: Statement) -> Relation:
    if a.person != b.person or not a.person:
        return Relation("unrelated", "different people")
    fa, fb = a.function, b.function
    if fa and fb and fa != fb:
        return Relation("unrelated", f"{a.person} in different posts ({fa}, {fb})")
    overlap = _overlap(a, b)
    ra, rb = a.seniority, b.seniority
    if ra not in _UNRANKED and rb not in _UNRANKED and ra != rb and overlap is not False:
        return Relation(
            "conflict",
            f"{a.person}: two ranks in one post ({a.role or ra}: {ra} vs {b.role or rb}: {rb})",
            "role",
        )
    role = "same post" if ra == rb or ra in _UNRANKED or rb in _UNRANKED else "different ranks"
    if a.status != b.status:
        if {a.status, b.status} == {"departed", "stayed"} and overlap:
            return Relation(
                "conflict",
                f"{a.person} {a.status} vs {b.status} in overlapping periods "
                f"({_period(a)}, {_period(b)})",
                "claim",
            )
        return Relation(
            "compatible", f"{a.person}: {a.status} and {b.status} can both hold", agrees=True
        )
    if overlap is False:
        if a.status == "departed":
            return Relation(
                "conflict",
                f"{a.person} left on disjoint dates: {_period(a)} vs {_period(b)}",
                "date",
            )
        return Relation("compatible", f"{a.person} {a.status} at different times", agrees=True)
    when = _periods(a, b)
    return Relation("restates", f"{a.person} {a.status}, {role}, {when}", agrees=True)


def name_differences(x: str, y: str) -> list[tuple[str, str]]:
    """The words two spellings of one name write differently, paired: 'Emad Mostak' and
    'Mostaque' -> [('Mostak', 'Mostaque')]; a name and its surname alone differ in nothing."""
    wx, wy = x.split(), y.split()
    fold = [w.casefold() for w in wy]
    rest_x = []
    for w in wx:
        if w.casefold() in fold:
            fold[fold.index(w.casefold())] = None
        else:
            rest_x.append(w)
    rest_y = [w for w, f in zip(wy, fold) if f is not None]
    short, long_ = (rest_x, rest_y) if len(rest_x) <= len(rest_y) else (rest_y, rest_x)
    pairs = []
    for w in short:
        if not long_:
            break
        best = max(long_, key=lambda v: difflib.SequenceMatcher(None, w, v).ratio())
        long_.remove(best)
        pairs.append((w, best) if short is rest_x else (best, w))
    return pairs


def _name(a: Statement, b: Statement) -> Relation:
    if a.person != b.person or not a.person:
        return Relation("unrelated", "different people")
    if a.name.casefold() == b.name.casefold():
        return Relation("restates", f"{a.person} written '{a.name}' in both", agrees=True)
    diffs = name_differences(a.name, b.name)
    if not diffs:
        return Relation(
            "compatible", f"'{a.name}' and '{b.name}': the same spelling, one longer", agrees=True
        )
    words = ", ".join(f"'{x}' vs '{y}'" for x, y in diffs)
    return Relation("conflict", f"{a.person} spelled two ways: {words}", "name")
