"""The checks of the fact base, built with pandera from the declared schema: each column's type,
allowed values, pattern, range, uniqueness and references; each table's rules (schema.Rule);
verbatim quotes; date intervals; and ids no two fact tables share. Failures become Problems
naming file, row and column."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pandera.pandas as pa

from ..errors import Problem
from .ids import id_sort_key
from .schema import FACT_TABLES, TABLES
from .spec import Column, Rule, Table

_SEP = "\x1f"  # separates the column name from the expectation inside a pandera check's error


def _check(fn, column: str, expected: str, **kw) -> pa.Check:
    """A check on the whole table that reports its failures under `column`. It handles empty
    values itself (ignore_na=False spares pandera a scan of the whole table per check)."""
    return pa.Check(fn, error=f"{column}{_SEP}{expected}", ignore_na=False, **kw)


def _column_checks(col: Column, refs: dict[str, set[str]]) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if col.allowed:
        checks.append(pa.Check.isin(col.allowed, error=f"one of {list(col.allowed)}"))
    if col.pattern:
        checks.append(pa.Check.str_matches(col.pattern, error=f"a value matching {col.pattern}"))
    if col.ge is not None:
        checks.append(pa.Check.ge(col.ge, error=f"a value >= {col.ge:g}"))
    if col.le is not None:
        checks.append(pa.Check.le(col.le, error=f"a value <= {col.le:g}"))
    if col.ref:
        known = frozenset(refs.get(col.ref, ()))
        where = f"one of the fact tables ({', '.join(FACT_TABLES)})" if col.ref == "*" else col.ref
        checks.append(
            pa.Check(
                lambda s, known=known: s.isin(known),
                element_wise=False,
                error=f"an id defined in {where}",
            )
        )
    return checks


def _verbatim(
    column: str, source_col: str, texts: dict[str, str], source_of_fact: dict[str, str] | None
) -> pa.Check:
    """Each value of `column` is an exact substring of its source's text: the source named in
    `source_col`, or (with `source_of_fact`) the source of the fact it names."""

    def fn(df: pd.DataFrame) -> pd.Series:
        sources = df[source_col]
        if source_of_fact is not None:
            sources = sources.map(source_of_fact)
        seen: dict[tuple[str, str], bool] = {}  # many facts share a quote

        def ok(value, sid) -> bool:
            if not isinstance(value, str) or sid not in texts:
                return True
            found = seen.get((sid, value))
            if found is None:
                found = seen[(sid, value)] = value in texts[sid]
            return found

        return pd.Series(
            [ok(v, sid) for v, sid in zip(df[column], sources)], index=df.index, dtype=bool
        )

    return _check(fn, column, "an exact substring of the source article")


def _undated_consistent(df: pd.DataFrame) -> pd.Series:
    empty = df["date_start"].isna() | df["date_end"].isna()
    return empty == (df["date_precision"] == "undated")


def _date_checks(names: set[str]) -> list[pa.Check]:
    """No interval inverted; `undated` exactly when the dates are empty."""
    checks = []
    for lo, hi in (("date_start", "date_end"), ("published_start", "published_end")):
        if {lo, hi} <= names:
            checks.append(
                _check(
                    lambda df, lo=lo, hi=hi: ~(df[lo] > df[hi]),
                    hi,
                    f"a date on or after {lo} (the interval is inverted)",
                )
            )
    if "date_precision" in names:
        checks.append(
            _check(
                _undated_consistent,
                "date_precision",
                "`undated` exactly when date_start and date_end are empty",
            )
        )
    return checks


def pandera_schema(
    table: Table, refs: dict[str, set[str]], texts: dict[str, str], source_of_fact: dict[str, str]
) -> pa.DataFrameSchema:
    """The pandera schema of one table: its columns' checks, its quotes checked against the
    sources' texts, its dates and its rules across columns."""
    columns = {
        col.name: pa.Column(
            {"number": "float64", "int": "Int64"}.get(col.kind),
            checks=_column_checks(col, refs),
            nullable=not col.required,
            unique=col.unique,
            coerce=False,
            report_duplicates="all",
        )
        for col in table.columns
    }
    checks = [
        _verbatim(col.name, col.verbatim_via, texts, source_of_fact)
        if col.verbatim_via
        else _verbatim(col.name, "source_id", texts, None)
        for col in table.columns
        if col.verbatim_via or col.verbatim
    ]
    checks += _date_checks({c.name for c in table.columns})
    checks += [_check(_rule(r), r.column, r.expected) for r in table.rules]
    return pa.DataFrameSchema(columns, checks=checks, strict=True, ordered=False)


def _rule(r: Rule):
    """The check function of a rule the schema declares (schema.Rule)."""
    if r.kind == "empty_exactly_when":
        return lambda df: df[r.column].isna() == (df[r.other] == r.value)
    if r.kind == "at_most_when":
        return lambda df: ~((df[r.other] == r.value) & (df[r.column] > r.limit))
    if r.kind == "differs_from":
        return lambda df: df[r.other] != df[r.column]
    if r.kind == "given_with":
        return lambda df: df[r.other].isna() | df[r.column].notna()
    if r.kind == "occurs_in":

        def occurs_in(df: pd.DataFrame) -> pd.Series:
            ok = [
                not isinstance(n, str) or not isinstance(q, str) or n in q
                for n, q in zip(df[r.column], df[r.other])
            ]
            return pd.Series(ok, index=df.index, dtype=bool)

        return occurs_in
    raise ValueError(f"unknown rule kind {r.kind!r} in the schema")


def problems_from(err: pa.errors.SchemaErrors, display: str) -> list[Problem]:
    out = []
    for fc in err.failure_cases.itertuples(index=False):
        column = None if pd.isna(fc.column) else str(fc.column)
        expected = str(fc.check)
        if _SEP in expected:
            column, expected = expected.split(_SEP, 1)
        elif expected == "field_uniqueness":
            expected = "a unique value (this one is duplicated)"
        elif expected.startswith("not_nullable"):
            expected = "a value (this column is required)"
        elif expected.startswith("dtype("):
            expected = f"values of type {expected[6:-1]}"
        row = None if pd.isna(fc.index) else int(fc.index)
        got = None if pd.isna(fc.failure_case) or _SEP in str(fc.check) else str(fc.failure_case)
        if _SEP in str(fc.check) and row is not None:
            got = None
        out.append(Problem(display, row, column, expected, got))
    return sorted(set(out), key=lambda p: (p.row or 0, p.column or "", p.expected))


def shared_ids(frames: dict[str, pd.DataFrame], display) -> list[Problem]:
    """Each fact id used in more than one fact table (each table's own duplicates are reported
    by its schema), at every row it occurs: one pass over the ids."""
    counts: Counter[str] = Counter()
    for t in FACT_TABLES:
        counts.update(frames[t]["fact_id"].dropna().unique())
    shared = {fid for fid, n in counts.items() if n > 1}
    if not shared:
        return []
    where: dict[str, list[tuple[str, int]]] = {fid: [] for fid in shared}
    for t in FACT_TABLES:
        ids = frames[t]["fact_id"]
        for row, fid in ids[ids.isin(shared)].items():
            where[fid].append((display(TABLES[t]), int(row)))
    out = []
    for fid in sorted(shared, key=id_sort_key):
        for file, row in where[fid]:
            others = "; ".join(f"{f}, row {r}" for f, r in where[fid] if f != file)
            out.append(
                Problem(
                    file, row, "fact_id", f"an id no other fact table uses (also in {others})", fid
                )
            )
    return out


def reference_problems(frames: dict[str, pd.DataFrame], display: str) -> list[Problem]:
    """A further reference must come from another source than the fact's own (a second quote of
    the same article is no second reference), and each source references a fact once."""
    refs = frames["references"]
    if refs.empty:
        return []
    own = {
        fid: sid
        for t in FACT_TABLES
        for fid, sid in zip(frames[t]["fact_id"], frames[t]["source_id"])
    }
    out = []
    seen: set[tuple[str, str]] = set()
    for row, fid, sid in zip(refs.index, refs["fact_id"], refs["source_id"]):
        if own.get(fid) is not None and own.get(fid) == sid:
            out.append(
                Problem(
                    display,
                    int(row),
                    "source_id",
                    f"a source other than {fid}'s own ({sid}): its quote is the first reference",
                    sid,
                )
            )
        if (fid, sid) in seen:
            out.append(
                Problem(
                    display,
                    int(row),
                    "source_id",
                    f"one reference per source for {fid} (this source already has one)",
                    sid,
                )
            )
        seen.add((fid, sid))
    return out
