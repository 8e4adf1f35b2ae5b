"""Values that carry their facts: `Cited` is a computed value with the ids of the facts it was
computed from (and, for a value resting on many facts, the anchor of the report table that lists
them). Every analysis function returns these; the prose (present.markdown) writes each with its
citation.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cited:
    """A computed value, the fact ids it was computed from, and (for a value resting on many
    facts) the anchor of the report table that lists them."""

    value: object
    ids: tuple[str, ...] = ()
    fmt: str = "money"  # money, money_short, pct, pct1, months, date, month, int, text,
    # number, times
    ref: str | None = None  # anchor name of a table (show_table(..., anchor=ref))

    def via(self, ref: str) -> Cited:
        """The same value, cited by the table `ref` that lists its facts."""
        return Cited(self.value, self.ids, self.fmt, ref)


def cite(
    value: object, *ids: str | tuple | list, fmt: str = "money", ref: str | None = None
) -> Cited:
    """A Cited value: `ids` are fact ids or collections of them (duplicates dropped, in order);
    `fmt` is how prose writes it (Cited.fmt)."""
    flat: list[str] = []
    for i in ids:
        flat.extend([i] if isinstance(i, str) else list(i))
    return Cited(value, tuple(dict.fromkeys(flat)), fmt, ref)


# A sentence cites the few facts it rests on; a value resting on more (a count of people, a
# total over many bills) cites the table that lists them instead (`ref`).
MAX_INLINE_IDS = 4
