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
  on disjoint dates, one person given two ranks in one post, or two spellings of a name.
- are **compatible** when they speak of the same thing and can both hold, one saying less ("more
  than $100 million" and "$120 million"; a surname and the full name; an undated and a dated
  departure), and **unrelated** when they speak of different things: other metrics, monthly
  against annual flows, other counterparties, a total and one of its parts, disjoint periods,
  projections against actuals, other people or posts.

Rounding: an exact amount stands for anything that rounds to it at its last significant digit,
within at most 5% ("$99 million" holds $99.3 million); "about" within 10%. A bound is compared
with the figure as written: "less than $4 million" excludes $4 million itself.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from .statements import Statement, show
from .statements import period as _period

KINDS = ("restates", "conflict", "compatible", "unrelated")
EXACT_TOLERANCE = 0.05  # an exact figure holds at most 5% either side (its rounding)
APPROX_TOLERANCE = 0.10  # "about", "approximately", "nearly": 10% either side
# Tables that hold one row per source by design: what each source says about a person (its
# title, its dating of a departure) and how it spells the name; the analysis merges them per
# person, so two sources' rows about one person are no repeat to turn into a reference.
PER_SOURCE_TABLES = ("personnel", "person_names")
# Money that several counterparties add up to: a figure that names none may be a total or
# another party's share, so it never contradicts one that names a party.
ADDITIVE = ("unpaid_bill", "funding_closed", "funding_sought", "compute_sought")
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
_LOWER, _UPPER = ("more_than", "at_least"), ("less_than", "at_most")
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


@dataclass
class Context:
    """What a judgement may look at beyond the two statements: the organisation names the fact
    base knows (to read a counterparty from a quote that names one) and the money statements a
    total may be the sum of."""

    parties: tuple[str, ...] = ()
    money: list[Statement] = field(default_factory=list)
    # the counterparties read from each statement's quote, read once
    read: dict[Statement, list[str]] = field(default_factory=dict, repr=False)
    _by_measure: dict[tuple[str, str], list[Statement]] | None = field(default=None, repr=False)
    _names_rx: re.Pattern | None = field(default=None, repr=False)

    def names_rx(self) -> re.Pattern | None:
        """One pattern for every known name and the initials of each (AWS), longest first."""
        if self._names_rx is None and self.parties:
            initials = {_initials(k) for k in self.parties if len(_initials(k)) >= 2}
            names = sorted(set(self.parties) | initials, key=lambda n: (-len(n), n))
            alternatives = "|".join(re.escape(n) for n in names)
            self._names_rx = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")
        return self._names_rx

    def measuring(self, s: Statement) -> list[Statement]:
        """The money statements of `s`'s metric and unit."""
        if self._by_measure is None:
            self._by_measure = {}
            for m in self.money:
                self._by_measure.setdefault((m.subject, m.unit), []).append(m)
        return self._by_measure.get((s.subject, s.unit), [])

    @classmethod
    def of(cls, statements: Iterable[Statement]) -> Context:
        money = [s for s in statements if s.table == "money"]
        names: set[str] = set()
        for s in money:
            names.update(_party_names(s.counterparty))
        return cls(tuple(sorted(names, key=lambda n: (-len(n), n))), money)


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
# amounts


def _tolerance(v: float, bound: str) -> float:
    """How far from `v` a figure written as `v` may lie: half a unit of its last significant
    digit, at most 5%; 10% for an approximate figure."""
    if bound == "approx":
        return APPROX_TOLERANCE * abs(v)
    digits = f"{abs(v):.6f}".rstrip("0").rstrip(".")
    if "." in digits:
        unit = 10.0 ** -len(digits.split(".")[1])
    else:
        unit = 10.0 ** (len(digits) - len(digits.rstrip("0")))
    return min(unit / 2, EXACT_TOLERANCE * abs(v))


def _satisfies(v: float, bound: str, limit: float) -> bool:
    return {
        "more_than": v > limit,
        "at_least": v >= limit,
        "less_than": v < limit,
        "at_most": v <= limit,
    }[bound]


def _compare_values(a: Statement, b: Statement) -> tuple[str, str]:
    """restates, compatible or conflict for two amounts of the same thing, with the reason."""
    sa, sb = show(a), show(b)
    if a.value is None and b.value is None:
        return "restates", "neither gives an amount"
    if a.value is None or b.value is None:
        return "compatible", f"only one gives an amount ({sa if a.value is not None else sb})"
    ba, bb = a.bound, b.bound
    limits = _LOWER + _UPPER
    if ba not in limits and bb not in limits:
        tol = max(_tolerance(a.value, ba), _tolerance(b.value, bb)) + 1e-9 * max(a.value, 1)
        if abs(a.value - b.value) <= tol:
            same = "the same amount" if a.value == b.value else "equal within rounding"
            return "restates", f"{sa} and {sb}: {same}"
        return "conflict", f"different amounts: {sa} vs {sb}"
    if ba in limits and bb in limits:
        same_side = (ba in _LOWER) == (bb in _LOWER)
        if same_side:
            tol = max(_tolerance(a.value, "exact"), _tolerance(b.value, "exact"))
            if ba == bb and abs(a.value - b.value) <= tol:
                return "restates", f"{sa} and {sb}: the same bound"
            return "compatible", f"{sa} and {sb}: both bounds can hold"
        lo, hi = (a, b) if ba in _LOWER else (b, a)
        strict = lo.bound == "more_than" or hi.bound == "less_than"
        if lo.value > hi.value or (lo.value == hi.value and strict):
            return "conflict", f"bounds that exclude each other: {show(lo)} vs {show(hi)}"
        return "compatible", f"{sa} and {sb}: both bounds can hold"
    point, limit = (a, b) if bb in limits else (b, a)
    sp, sl = show(point), show(limit)
    if point.bound == "approx":  # any value about the figure will do
        tol = _tolerance(point.value, "approx")
        ends = (point.value - tol, point.value + tol)
        if any(_satisfies(v, limit.bound, limit.value) for v in ends):
            return "compatible", f"{sp} can be {sl}"
        return "conflict", f"{sp} cannot be {sl}"
    if _satisfies(point.value, limit.bound, limit.value):
        return "compatible", f"{sp} is {sl}"
    return "conflict", f"{sp} is not {sl}"


# ------------------------------------------------------------------------------------------------
# counterparties


def _party_names(text: str) -> list[str]:
    """The organisation names in a counterparty cell: 'Coatue; Lightspeed Venture Partners
    (leads)' -> Coatue, Lightspeed Venture Partners; 'cloud providers like Amazon Web Services'
    -> Amazon Web Services; 'a number of large investors' -> none."""
    out = []
    for part in re.split(r";|,|\band\b|&", re.sub(r"\([^)]*\)", "", text or "")):
        words = part.split()
        while words and not words[0][:1].isupper():
            words = words[1:]
        name = " ".join(words).strip(" .")
        if len(name) >= 2:
            out.append(name)
    return out


def _words(name: str) -> list[str]:
    return re.findall(r"[\w’'-]+", name.casefold())


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Z][\w’'-]*", name))


@functools.lru_cache(maxsize=4096)
def same_party(x: str, y: str) -> bool:
    """One organisation under two names: equal, one inside the other word for word ('Lightspeed'
    and 'Lightspeed Venture Partners'), or one the initials of the other ('AWS')."""
    wx, wy = _words(x), _words(y)
    if not wx or not wy:
        return False
    short, long_ = (wx, wy) if len(wx) <= len(wy) else (wy, wx)
    if any(long_[i : i + len(short)] == short for i in range(len(long_) - len(short) + 1)):
        return True
    for p, q in ((x, y), (y, x)):
        if re.fullmatch(r"[A-Z]{2,}", p.strip()) and _initials(q) == p.strip():
            return True
    return False


def _parties_in_quote(s: Statement, ctx: Context) -> list[str]:
    """The known organisations the quote names beside the amount: each name goes to the amount
    of the quote it stands nearest (a quote listing 'a $1 million bill to AWS and $600,000 to
    CoreWeave' gives each amount its creditor)."""
    rx = ctx.names_rx()
    if not s.quote or rx is None:
        return []
    from .amounts import find_amounts

    amounts = [(x.start, x.end, x.value) for x in find_amounts(s.quote)]
    mine = [
        x for x in amounts if s.value is not None and x[2] is not None and float(x[2]) == s.value
    ]
    found = []
    for m in rx.finditer(s.quote):
        if mine and len(amounts) > 1:
            near = min(amounts, key=lambda x: min(abs(x[0] - m.end()), abs(m.start() - x[1])))
            if near not in mine:
                continue
        found.append(m.group(0))
    return found


def _parties(s: Statement, ctx: Context) -> tuple[list[str], bool]:
    """The statement's counterparties, and whether they were read from its quote."""
    if s.counterparty:
        return _party_names(s.counterparty), False
    if s not in ctx.read:
        ctx.read[s] = _parties_in_quote(s, ctx)
    return ctx.read[s], True


def _cover(xs: list[str], ys: list[str]) -> bool:
    """Every party of xs is one of ys."""
    return all(any(same_party(x, y) for y in ys) for x in xs)


def _total_of(total: Statement, part: Statement, ctx: Context) -> list[Statement]:
    """Statements, `part` among them, whose amounts add up to `total` (same metric, unit and
    status, periods overlapping the total's, counterparties among the total's where it names
    any); empty if none do."""
    if total.value is None or part.value is None or total.bound in _UPPER:
        return []
    named = _parties(total, ctx)[0]

    def fits(s: Statement) -> bool:
        return not named or _cover(_parties(s, ctx)[0], named)

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
    tol = _tolerance(total.value, total.bound if total.bound == "approx" else "exact")
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


def _money(a: Statement, b: Statement, ctx: Context) -> Relation:
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
        return Relation("unrelated", f"different periods ({_period(a)}, {_period(b)})")
    if a.instrument and b.instrument and not same_party(a.instrument, b.instrument):
        return Relation("unrelated", f"different instruments ({a.instrument}, {b.instrument})")
    (pa, read_a), (pb, read_b) = _parties(a, ctx), _parties(b, ctx)
    kind, why = _compare_values(a, b)
    read = " (counterparty read from the quote)" if (read_a and pa) or (read_b and pb) else ""
    period = _periods(a, b)
    if pa and pb:
        in_a, in_b = _cover(pb, pa), _cover(pa, pb)
        if not in_a and not in_b:
            return Relation(
                "unrelated",
                f"different counterparties ({'; '.join(pa)} vs {'; '.join(pb)}){read}",
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
    if kind == "conflict":
        big, small = (a, b) if a.value >= b.value else (b, a)
        parts = _total_of(big, small, ctx)
        if parts:
            ids = ", ".join(sorted(p.id for p in parts))
            return Relation(
                "unrelated", f"{show(big)} is the total of {ids}, not another reading", total=big.id
            )
        if a.subject in ADDITIVE and bool(pa) != bool(pb):
            return Relation(
                "compatible",
                f"{why}, but only one names a counterparty: another party's amount or a "
                f"total{read}",
            )
        if a.subject in ADDITIVE and big.bound not in _UPPER and _contains(big, small):
            return Relation(
                "compatible",
                f"{why}, the larger over a longer period ({_period(big)} against "
                f"{_period(small)}): a total that may include the other{read}",
            )
        return Relation("conflict", f"{a.subject}: {why}, {period}{read}", "amount")
    reason = f"same metric ({a.subject}), {why}, {period}{read}"
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
        values, why = _compare_values(a, b)
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
