"""How two amounts of the same thing compare (intake.relations judges the rest): the rounding a
figure allows (`tolerance`: half a unit of its last significant digit, at most 5%; "about"
within 10%), and whether two values and bounds restate each other, can both hold, or exclude
each other (`compare_values`). A bound is compared with the figure as written: "less than $4
million" excludes $4 million itself.
"""

from __future__ import annotations

from .statements import Statement, show

EXACT_TOLERANCE = 0.05  # an exact figure holds at most 5% either side (its rounding)
APPROX_TOLERANCE = 0.10  # "about", "approximately", "nearly": 10% either side
LOWER, UPPER = ("more_than", "at_least"), ("less_than", "at_most")


def tolerance(v: float, bound: str) -> float:
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


def _two_figures(a: Statement, b: Statement, sa: str, sb: str) -> tuple[str, str]:
    """Two figures: the same within rounding, or different amounts."""
    tol = max(tolerance(a.value, a.bound), tolerance(b.value, b.bound)) + 1e-9 * max(a.value, 1)
    if abs(a.value - b.value) <= tol:
        same = "the same amount" if a.value == b.value else "equal within rounding"
        return "restates", f"{sa} and {sb}: {same}"
    return "conflict", f"different amounts: {sa} vs {sb}"


def _two_bounds(a: Statement, b: Statement, sa: str, sb: str) -> tuple[str, str]:
    """Two bounds: the same bound, both can hold, or they exclude each other."""
    if (a.bound in LOWER) == (b.bound in LOWER):
        tol = max(tolerance(a.value, "exact"), tolerance(b.value, "exact"))
        if a.bound == b.bound and abs(a.value - b.value) <= tol:
            return "restates", f"{sa} and {sb}: the same bound"
        return "compatible", f"{sa} and {sb}: both bounds can hold"
    lo, hi = (a, b) if a.bound in LOWER else (b, a)
    strict = lo.bound == "more_than" or hi.bound == "less_than"
    if lo.value > hi.value or (lo.value == hi.value and strict):
        return "conflict", f"bounds that exclude each other: {show(lo)} vs {show(hi)}"
    return "compatible", f"{sa} and {sb}: both bounds can hold"


def _figure_and_bound(point: Statement, limit: Statement) -> tuple[str, str]:
    """A figure against a bound: whether the figure (any value about it, if approximate) can
    satisfy the bound."""
    sp, sl = show(point), show(limit)
    if point.bound == "approx":  # any value about the figure will do
        tol = tolerance(point.value, "approx")
        ends = (point.value - tol, point.value + tol)
        if any(_satisfies(v, limit.bound, limit.value) for v in ends):
            return "compatible", f"{sp} can be {sl}"
        return "conflict", f"{sp} cannot be {sl}"
    if _satisfies(point.value, limit.bound, limit.value):
        return "compatible", f"{sp} is {sl}"
    return "conflict", f"{sp} is not {sl}"


def compare_values(a: Statement, b: Statement) -> tuple[str, str]:
    """restates, compatible or conflict for two amounts of the same thing, with the reason."""
    sa, sb = show(a), show(b)
    if a.value is None and b.value is None:
        return "restates", "neither gives an amount"
    if a.value is None or b.value is None:
        return "compatible", f"only one gives an amount ({sa if a.value is not None else sb})"
    limits = LOWER + UPPER
    if a.bound not in limits and b.bound not in limits:
        return _two_figures(a, b, sa, sb)
    if a.bound in limits and b.bound in limits:
        return _two_bounds(a, b, sa, sb)
    return _figure_and_bound(*((a, b) if b.bound in limits else (b, a)))
