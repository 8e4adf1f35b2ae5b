"""Cash runway: costs against revenue, the revenue figures and their status, the cash and the
unpaid bills, the runway under every burn basis the sources give, the fundraising story, what
investors are owed, and the sensitivity of the runway to burn and growth.

Every function takes the validated facts and returns values that carry the ids of the facts they
come from (narrative.Cited), so the prose can cite them. Nothing here reads the clock or draws.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .attrition import rejected
from .facts import Facts, MissingFact
from .narrative import Cited, cite, money
from .params import Params
from .tables import money_facts, when

DAYS_PER_MONTH = 365.25 / 12
# The bases the sources give (the custom basis is the reader's own number, not a source's).
SOURCE_BASES = ("fy2023_projection", "feb2024", "monthly_spend")


# ---------------------------------------------------------------------------------------------
# picking facts


def _month_mask(t: pd.DataFrame, month: str) -> np.ndarray:
    start = pd.Timestamp(month)
    end = start + pd.offsets.MonthEnd(0)
    return ((t["date_start"].to_numpy() == start.to_datetime64())
            & (t["date_end"].to_numpy() <= end.to_datetime64()))


def select(facts: Facts, metric: str, *, per: str | None = None, month: str | None = None,
           year: int | None = None, source: str | None = None, status: str | None = None,
           counterparty: str | None = None) -> pd.DataFrame:
    """Money facts matching every given criterion, except the readings a recorded conflict
    says the analysis does not use.

    per="month" matches monthly flows (unit USD_per_month, or USD over one month);
    per="year" matches annual flows (unit USD_per_year, or USD over one calendar year).

    (The criteria are compared on the columns' numpy arrays: the same rows as pandas
    comparisons, where a missing value matches nothing, at a fraction of the cost.)
    """
    t = facts.money

    def col(name: str) -> np.ndarray:
        return t[name].to_numpy()

    m = col("metric") == metric
    if per == "month":
        unit = col("unit")
        m &= (unit == "USD_per_month") | ((unit == "USD") & (col("date_precision") == "month"))
    elif per == "year":
        unit = col("unit")
        m &= (unit == "USD_per_year") | ((unit == "USD") & (col("date_precision") == "year"))
    if month is not None:
        m &= _month_mask(t, month)
    if year is not None:
        m &= ((col("date_start") >= pd.Timestamp(year, 1, 1).to_datetime64())
              & (col("date_end") <= pd.Timestamp(year, 12, 31).to_datetime64()))
    if source is not None:
        m &= col("source_id") == source
    if status is not None:
        m &= col("status") == status
    if counterparty is not None:
        m &= t["counterparty"].fillna("").str.contains(
            counterparty, case=False, regex=False).to_numpy(dtype=bool)
    dropped = rejected(facts)
    if dropped:
        m &= ~np.isin(col("fact_id"), list(dropped))
    return t[m]


def pick(facts: Facts, metric: str, **criteria) -> pd.Series | None:
    """The single money fact matching the criteria, None if there is none; several is an error
    in the fact base's use, reported with their ids."""
    rows = select(facts, metric, **criteria)
    if len(rows) > 1:
        raise LookupError(
            f"more than one {metric} fact matches {criteria}: {', '.join(rows['fact_id'])}"
        )
    return None if rows.empty else rows.iloc[0]


def need(facts: Facts, metric: str, **criteria) -> pd.Series:
    row = pick(facts, metric, **criteria)
    if row is None:
        raise MissingFact(f"no {metric} fact matching {criteria} in the facts as of this date")
    return row


def value(row: pd.Series) -> Cited:
    return cite(float(row["value"]), row["fact_id"])


def _months_between(a: pd.Timestamp, b: pd.Timestamp) -> int:
    return (b.year - a.year) * 12 + (b.month - a.month)


# ---------------------------------------------------------------------------------------------
# burn bases


@dataclass(frozen=True)
class Basis:
    key: str
    label: str
    gross: Cited  # monthly costs
    revenue: Cited  # monthly revenue
    how: str  # how the monthly figures were obtained from what the sources say

    @property
    def net(self) -> Cited:
        return cite(self.gross.value - self.revenue.value, self.gross.ids, self.revenue.ids)

    @property
    def coverage(self) -> Cited:
        return cite(self.revenue.value / self.gross.value, self.gross.ids, self.revenue.ids,
                    fmt="pct")


def bases(facts: Facts, params: Params | None = None) -> dict[str, Basis]:
    """Every burn basis the facts allow (and the custom one when chosen)."""
    out: dict[str, Basis] = {}
    costs = pick(facts, "costs", per="year", year=2023)
    revenue = pick(facts, "revenue", per="year", year=2023)
    if costs is not None and revenue is not None:
        out["fy2023_projection"] = Basis(
            "fy2023_projection", "2023 projection ÷ 12",
            cite(costs["value"] / 12, costs["fact_id"]),
            cite(revenue["value"] / 12, revenue["fact_id"]),
            "the October 2023 projection of 2023 costs and revenue, divided by 12",
        )
    feb_costs = pick(facts, "costs", per="month", month="2024-02")
    feb_revenue = pick(facts, "revenue", per="month", month="2024-02")
    if feb_costs is not None and feb_revenue is not None:
        out["feb2024"] = Basis(
            "feb2024", "February 2024", value(feb_costs), value(feb_revenue),
            "the costs and revenue reported for February 2024, held flat",
        )
    spend = pick(facts, "monthly_spend", per="month")
    aug = pick(facts, "revenue", per="month", month="2023-08")
    if spend is not None and aug is not None:
        status = "claimed" if aug["status"] == "claimed" else aug["status"]
        out["monthly_spend"] = Basis(
            "monthly_spend", f"Spend of {money(spend['value'], short=True)} a month",
            value(spend), value(aug),
            f"the reported monthly spend as gross burn, less the August 2023 revenue "
            f"({status})",
        )
    if params is not None and params.burn_basis == "custom":
        out["custom"] = Basis(
            "custom", "Custom (parameter)", cite(params.custom_monthly_burn_usd, fmt="money"),
            cite(0.0), "the custom_monthly_burn_usd parameter, taken as net burn",
        )
    return out


def chosen_basis(facts: Facts, params: Params) -> Basis:
    available = bases(facts, params)
    if params.burn_basis not in available:
        raise MissingFact(
            f"burn basis {params.burn_basis!r} needs facts not available as of {params.as_of}; "
            f"available: {', '.join(available) or 'none'}"
        )
    return available[params.burn_basis]


def bases_table(facts: Facts, params: Params | None = None) -> pd.DataFrame:
    """Gross burn, revenue, net burn and revenue coverage for every basis, side by side."""
    rows = []
    for b in bases(facts, params).values():
        rows.append({
            "basis": b.label, "costs / month": b.gross.value,
            "revenue / month": b.revenue.value, "net burn / month": b.net.value,
            "revenue covers": b.coverage.value,
            "facts": ", ".join(dict.fromkeys(b.gross.ids + b.revenue.ids)), "how": b.how,
        })
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# cost structure and the 2023 projection


@dataclass(frozen=True)
class CostStructure:
    compute: Cited
    salaries_opex: Cited
    total: Cited
    revenue: Cited
    compute_share: Cited
    compute_multiple: Cited  # compute cost as a multiple of revenue
    loss: Cited
    monthly_loss: Cited
    coverage: Cited
    parts_add_up: bool


def cost_structure(facts: Facts) -> CostStructure:
    """The 2023 projection: compute vs salaries and operating costs, the projected loss."""
    compute = value(need(facts, "compute_costs", per="year", year=2023))
    opex = value(need(facts, "salaries_opex", per="year", year=2023))
    total = value(need(facts, "costs", per="year", year=2023))
    revenue = value(need(facts, "revenue", per="year", year=2023))
    loss = total.value - revenue.value
    ids = total.ids + revenue.ids
    return CostStructure(
        compute=compute, salaries_opex=opex, total=total, revenue=revenue,
        compute_share=cite(compute.value / total.value, compute.ids, total.ids, fmt="pct"),
        compute_multiple=cite(compute.value / revenue.value, compute.ids, revenue.ids,
                              fmt="times"),
        loss=cite(loss, ids), monthly_loss=cite(loss / 12, ids),
        coverage=cite(revenue.value / total.value, ids, fmt="pct1"),
        parts_add_up=math.isclose(compute.value + opex.value, total.value, rel_tol=0.005),
    )


# ---------------------------------------------------------------------------------------------
# revenue: what was reported, projected and claimed


def revenue_points(facts: Facts) -> pd.DataFrame:
    """Monthly revenue figures in date order, each with its status (reported, claimed,
    projected): a claim is never mixed up with an actual."""
    rows = select(facts, "revenue", per="month").sort_values("date_start")
    return rows[["fact_id", "source_id", "date_start", "date_end", "value", "status",
                 "quote"]].reset_index(drop=True)


def revenue_table(facts: Facts) -> pd.DataFrame:
    """Every revenue figure, monthly and annual, with its status and the words it rests on."""
    m = facts.money
    rows = m[(m["metric"] == "revenue") & m["value"].notna()].sort_values(
        ["date_start", "fact_id"])
    return pd.DataFrame({
        "when": [when(s, e, p) for s, e, p in zip(rows["date_start"], rows["date_end"],
                                                  rows["date_precision"])],
        "revenue": [money(v, short=True) + (" a year" if u == "USD_per_year" else " a month")
                    for v, u in zip(rows["value"], rows["unit"])],
        "status": rows["status"],
        "source says": [f"“{q}”" for q in rows["quote"]],
        "facts": rows["fact_id"],
    }).reset_index(drop=True)


@dataclass(frozen=True)
class Growth:
    """Compound monthly growth between two monthly revenue figures."""

    rate: Cited
    first: pd.Series
    last: pd.Series
    months: int


def _growth(a: pd.Series, b: pd.Series) -> Growth | None:
    months = _months_between(a["date_start"], b["date_start"])
    if months <= 0 or a["value"] <= 0:
        return None
    g = (b["value"] / a["value"]) ** (1 / months) - 1
    return Growth(cite(g, a["fact_id"], b["fact_id"], fmt="pct1"), a, b, months)


def implied_growth(facts: Facts) -> Growth | None:
    """The growth the sources imply: from the earliest monthly revenue figure to the latest
    reported one (whatever the first one's status: the caller says it), or None."""
    pts = revenue_points(facts)
    reported = pts[pts["status"] == "reported"]
    if pts.empty or reported.empty:
        return None
    return _growth(pts.iloc[0], reported.iloc[-1])


@dataclass(frozen=True)
class ClaimCheck:
    """The CEO's claimed monthly figures set against the company's own annual projection: steady
    growth from the first claimed month to the second, continued to the year's end, gives the
    revenue of those months alone."""

    first: Cited
    first_month: pd.Timestamp
    second: Cited
    second_month: pd.Timestamp
    growth: Cited
    rest_of_year: Cited  # revenue from the first claimed month to December, at that growth
    annual: Cited  # the projection for the whole year
    exceeds: bool


def claims_against_projection(facts: Facts) -> ClaimCheck | None:
    """None unless two claimed monthly figures of one year and that year's projection exist."""
    pts = revenue_points(facts)
    claimed = pts[pts["status"] == "claimed"]
    if len(claimed) < 2:
        return None
    a, b = claimed.iloc[0], claimed.iloc[1]
    year = a["date_start"].year
    annual = pick(facts, "revenue", per="year", year=year)
    g = _growth(a, b)
    if annual is None or g is None or b["date_start"].year != year:
        return None
    months = 12 - a["date_start"].month + 1
    total = sum(a["value"] * (1 + g.rate.value) ** t for t in range(months))
    ids = (a["fact_id"], b["fact_id"])
    return ClaimCheck(
        first=cite(a["value"], a["fact_id"]), first_month=a["date_start"],
        second=cite(b["value"], b["fact_id"]), second_month=b["date_start"],
        growth=g.rate, rest_of_year=cite(total, ids), annual=value(annual),
        exceeds=total > annual["value"],
    )


# ---------------------------------------------------------------------------------------------
# cash, unpaid bills, what investors are owed


@dataclass(frozen=True)
class CashPosition:
    cash: Cited
    on: pd.Timestamp  # the last day of the period the cash figure refers to
    month: pd.Timestamp  # the first day of that period
    bound: str
    arrears: Cited  # unpaid bills of known amount for months before the cash figure
    bills: pd.DataFrame  # every itemised unpaid bill, amount or not
    before: pd.DataFrame  # bills for months up to the cash figure's month
    after: pd.DataFrame  # later bills, and those the sources date only loosely
    funding_after: list[tuple[pd.Timestamp, Cited, str]]  # funding closed in or after the month
    said_by: str  # who the source says gave the figure ("an internal memo"), else the source id


# "According to an internal memo released during ...": who a source says gave a figure, up to
# the first punctuation or the participle that starts describing it.
_SAID_BY = re.compile(r"\baccording to ((?:an?|the|its|his|her|their) [^,.;:]+?)(?=[,.;:]|$| "
                      r"(?:released|seen|obtained|described|reviewed|shared|cited|sent|by)\b)",
                      re.I)


def attribution(quote: str) -> str | None:
    """Who a quote says gave its figure ("an internal memo"), from its "according to ...";
    None when it names no one."""
    m = _SAID_BY.search(quote)
    return m.group(1) if m else None


BOUND_PHRASES = {"less_than": "an upper bound", "more_than": "a lower bound",
                 "at_least": "a lower bound", "approx": "approximate"}


def cash_position(facts: Facts) -> CashPosition:
    """The last cash figure, the unpaid bills split at its date, and the funding after it."""
    cash = select(facts, "cash").sort_values("date_end")
    if cash.empty:
        raise MissingFact("no cash figure is reported by this date")
    row = cash.iloc[-1]
    on = row["date_end"]
    bills = select(facts, "unpaid_bill").sort_values(["date_start", "fact_id"])
    # a bill with no amount and no month ("millions of dollars in invoices") summarises the
    # itemised bills rather than adding one
    bills = bills[bills["value"].notna() | bills["date_precision"].isin(("day", "month"))]
    fine = bills["date_precision"].isin(("day", "month"))
    before = bills[fine & (bills["date_end"] <= on)]
    known = before.dropna(subset=["value"])
    funding = select(facts, "funding_closed")
    after = funding[funding["date_end"] >= row["date_start"]].sort_values("date_start")
    return CashPosition(
        cash=value(row), on=on, month=row["date_start"], bound=row["bound"],
        arrears=cite(float(known["value"].sum()), tuple(known["fact_id"])),
        bills=bills, before=before, after=bills.drop(before.index),
        funding_after=[(r["date_end"], value(r), str(r["counterparty"] or ""))
                       for _, r in after.iterrows()],
        said_by=attribution(row["quote"]) or row["source_id"],
    )


def bills_table(pos: CashPosition) -> pd.DataFrame:
    """The unpaid bills, those for months up to the cash figure first, with the words that date
    them."""
    rows = pd.concat([pos.before.assign(_when="up to the cash figure"),
                      pos.after.assign(_when="later or undated")])
    t = money_facts(rows)
    return pd.DataFrame({
        "bill": [f"{c}, {w}" if w != "undated" else c
                 for c, w in zip(t["counterparty"], t["when"])],
        "amount": t["amount"],
        "dated": rows["_when"].to_numpy(),
        "source says": [f"“{q}”" for q in rows["quote"]],
        "fact": t["fact"],
    }).reset_index(drop=True)


def convertibles(facts: Facts) -> pd.DataFrame:
    """Money investors put in through instruments that convert or must be repaid (SAFEs,
    convertible notes): when, holder, instrument, amount, fact."""
    f = select(facts, "funding_closed")
    f = f[f["instrument"].fillna("").str.contains("convertible|SAFE|note", case=False)]
    return f.sort_values("date_start").reset_index(drop=True)


def convertibles_table(rows: pd.DataFrame) -> pd.DataFrame:
    t = money_facts(rows)
    return pd.DataFrame({"when": t["when"], "holder": t["counterparty"],
                         "instrument": t["instrument"], "amount": t["amount"],
                         "fact": t["fact"]})


# ---------------------------------------------------------------------------------------------
# runway


@dataclass(frozen=True)
class Runway:
    label: str
    start_cash: float
    months: float | None  # None: the cash lasts beyond the horizon
    cash_out: pd.Timestamp | None
    path: pd.DataFrame = field(repr=False)
    ids: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    basis: str = ""  # the label of the burn basis it runs on

    @property
    def months_cited(self) -> Cited:
        return cite(self.months, self.ids, fmt="months")

    @property
    def month_cited(self) -> Cited:
        """The month the cash runs out (no more precise than the inputs allow)."""
        return cite(self.cash_out, self.ids, fmt="month")


def _schedule(start: pd.Timestamp, inflows, horizon_months: int):
    """The months of a simulation from `start`: (start, the inflows on or before it, and for
    t = 1..horizon the first and last day of month t and the inflows dated in it)."""
    start = pd.Timestamp(start)
    opened_with = sum(a for d, a in inflows if pd.Timestamp(d) <= start)
    periods = []
    period_end = start
    for t in range(1, horizon_months + 1):
        period_start = period_end + pd.Timedelta(days=1)
        period_end = start + pd.DateOffset(months=t)
        if start.is_month_end:
            period_end += pd.offsets.MonthEnd(0)
        inflow = sum(a for d, a in inflows if period_start <= pd.Timestamp(d) <= period_end)
        periods.append((period_start, period_end, inflow))
    return start, opened_with, periods


def simulate(cash: float, start: pd.Timestamp, gross: float, revenue: float, growth: float,
             inflows: list[tuple[pd.Timestamp, float]] = (), horizon_months: int = 18,
             label: str = "", ids: tuple[str, ...] = (),
             assumptions: tuple[str, ...] = (), basis: str = "") -> Runway:
    """Month-by-month cash from `start` (the day the cash figure refers to).

    Each month t = 1..horizon spends `gross`, earns revenue * (1 + growth)^t and receives the
    inflows dated in it (at the start of the month; inflows on or before `start` are added to the
    opening cash). Cash runs out on the day, interpolated within the month, the balance reaches
    zero. A non-positive net burn never runs out.
    """
    start, opened_with, periods = _schedule(start, inflows, horizon_months)
    opening = cash + opened_with
    rows = [{"date": start, "cash": opening, "revenue": np.nan, "costs": np.nan, "inflow": 0.0}]
    balance, out_months, out_date = opening, None, None
    if opening <= 0:
        out_months, out_date = 0.0, start
    for t, (period_start, period_end, inflow) in enumerate(periods, start=1):
        rev = revenue * (1 + growth) ** t
        before = balance + inflow
        balance = before + rev - gross
        rows.append({"date": period_end, "cash": balance, "revenue": rev, "costs": gross,
                     "inflow": inflow})
        if out_months is None and balance < 0:
            fraction = before / (gross - rev) if before > 0 else 0.0
            out_months = (t - 1) + fraction
            days = (period_end - period_start).days + 1
            out_date = period_start + pd.Timedelta(days=int(fraction * days))
            out_date = min(out_date, period_end)
    path = pd.DataFrame(rows)
    return Runway(label, opening, out_months, out_date, path, tuple(dict.fromkeys(ids)),
                  tuple(assumptions), basis)


FUNDED = "+ funding after it"  # the label part of the scenarios with the funding reported later


def _funding_label(pos: CashPosition) -> str:
    parts = [f"{who or 'funding'} {d:%b %Y}" for d, _, who in pos.funding_after]
    return "+ " + ", ".join(parts) if parts else ""


def scenarios(facts: Facts, params: Params, basis: Basis | None = None) -> list[Runway]:
    """Runway from the last cash figure under one basis (the chosen one by default): no new
    money; with the funding reported after it; that and the arrears paid at once; and the
    parameters' extra funding."""
    pos = cash_position(facts)
    b = basis or chosen_basis(facts, params)
    base_ids = pos.cash.ids + b.gross.ids + b.revenue.ids
    qualifier = {"less_than": "the source says less than this, so every runway is an upper "
                              "bound", "exact": "as reported"}.get(pos.bound, pos.bound)
    common = (
        f"opening cash {money(pos.cash.value)} at the end of {pos.on:%B %Y} ({qualifier})",
        f"burn: {b.how}",
        f"revenue grows {params.revenue_growth:.1%} a month from {money(b.revenue.value)}",
        "funding arrives at the start of the month it is reported in; funding in the month of "
        "the cash figure is assumed not to be in it",
    )

    def run(label, inflows=(), bills=False, extra_ids=()):
        cash = pos.cash.value - (pos.arrears.value if bills else 0.0)
        ids = base_ids + tuple(extra_ids) + (pos.arrears.ids if bills else ())
        notes = common + ((f"the {money(pos.arrears.value)} of bills for months before the cash "
                           "figure are paid at once",) if bills else
                          ("unpaid bills stay unpaid",))
        return simulate(cash, pos.on, b.gross.value, b.revenue.value, params.revenue_growth,
                        list(inflows), params.horizon_months, label, ids, notes, b.label)

    out = [run("No new money")]
    inflows = [(d, a.value) for d, a, _ in pos.funding_after]
    ids = [i for _, a, _ in pos.funding_after for i in a.ids]
    if inflows:
        out.append(run(_funding_label(pos), inflows, extra_ids=ids))
    if params.pay_unpaid_bills and pos.arrears.value > 0:
        out.append(run((_funding_label(pos) + ", arrears paid").lstrip(", ") if inflows
                       else "Arrears paid", inflows, bills=True, extra_ids=ids))
    if params.extra_funding_usd > 0:
        extra = (pd.Timestamp(params.extra_funding_date), params.extra_funding_usd)
        out.append(run("+ extra funding (parameter)", inflows + [extra],
                       bills=params.pay_unpaid_bills, extra_ids=ids))
    return out


def runway_grid(facts: Facts, params: Params) -> dict[str, list[Runway]]:
    """scenarios() for every basis available (basis key -> runs, same scenarios in each)."""
    return {k: scenarios(facts, params, b) for k, b in bases(facts, params).items()}


def runway_table(facts: Facts, params: Params) -> pd.DataFrame:
    """One row per basis (and the February 2024 trajectory), and per scenario the months of
    runway and the month the cash runs out (empty: beyond the horizon)."""
    grid = runway_grid(facts, params)
    if not grid:
        raise MissingFact("no burn basis is available")
    rows = [(b.label, b.net.value, grid[k]) for k, b in bases(facts, params).items()]
    tr = trajectory(facts, params)
    if tr is not None:
        first = tr.runs[0].path.iloc[1]
        rows.append((tr.runs[0].basis, first["costs"] - first["revenue"], tr.runs))
    out = []
    for label, net, runs in rows:
        row = {"basis": label, "net burn, first month": net}
        for r in runs:
            row[f"{r.label}: months"] = r.months
            row[f"{r.label}: runs out"] = r.cash_out
        out.append(row)
    return pd.DataFrame(out)


@dataclass(frozen=True)
class Headline:
    """The runway as a range across the bases the sources give, never one basis as the answer:
    (shortest, longest) months and the months the cash runs out, with no new money and with the
    funding reported after the cash figure. A None end means beyond the horizon."""

    cash: Cited
    bound: str
    on: pd.Timestamp
    bases: tuple[str, ...]
    none: tuple[Runway, Runway]
    funded: tuple[Runway, Runway] | None
    funding: Cited | None
    horizon: int

    @staticmethod
    def ids(runs: tuple[Runway, Runway]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(runs[0].ids + runs[1].ids))


def _span(runs: list[Runway]) -> tuple[Runway, Runway]:
    key = [(r.months if r.months is not None else math.inf) for r in runs]
    return runs[int(np.argmin(key))], runs[int(np.argmax(key))]


def headline(facts: Facts, params: Params) -> Headline:
    pos = cash_position(facts)
    keys = [k for k in SOURCE_BASES if k in bases(facts)]
    if not keys:
        raise MissingFact("no burn basis is available")
    p = Params.from_mapping({**params.as_dict(), "pay_unpaid_bills": False,
                             "extra_funding_usd": 0.0, "extra_funding_date": ""})
    grid = {k: scenarios(facts, p, bases(facts)[k]) for k in keys}
    none = _span([runs[0] for runs in grid.values()])
    funded = funding = None
    if pos.funding_after:
        funded = _span([runs[1] for runs in grid.values()])
        funding = cite(sum(a.value for _, a, _ in pos.funding_after),
                       *[a.ids for _, a, _ in pos.funding_after])
    return Headline(pos.cash, pos.bound, pos.on, tuple(bases(facts)[k].label for k in keys),
                    none, funded, funding, params.horizon_months)


@dataclass(frozen=True)
class Trajectory:
    """The February 2024 month extended both ways: costs held at its level, revenue on the path
    that passes through its revenue at the growth the sources imply; run under the same
    scenarios as the bases."""

    runs: list[Runway]
    growth: Growth
    gross: Cited
    anchor: Cited
    break_even: pd.Timestamp | None  # the first month revenue covers the costs
    anchor_month: pd.Timestamp  # the month of the anchor's revenue

    @property
    def run(self) -> Runway:
        """The scenario with the funding reported after the cash figure (else no new money)."""
        funded = [r for r in self.runs if r.label.startswith("+ ") and "parameter" not in r.label
                  and "arrears" not in r.label]
        return funded[0] if funded else self.runs[0]

    @property
    def low_point(self) -> Cited:
        return cite(float(self.run.path["cash"].min()), self.run.ids).via("runway")


def trajectory(facts: Facts, params: Params) -> Trajectory | None:
    """None when the February 2024 figures or an implied growth are missing."""
    feb = bases(facts).get("feb2024")
    g = implied_growth(facts)
    if feb is None or g is None or g.rate.value <= 0:
        return None
    pos = cash_position(facts)
    m = facts.money.set_index("fact_id")
    anchor_month = m.at[feb.revenue.ids[0], "date_start"]
    steps = _months_between(pos.month, anchor_month)  # month t=steps is the anchor
    rate = g.rate.value
    basis = Basis("trajectory", f"February 2024, revenue growing {rate:.1%} a month", feb.gross,
                  cite(feb.revenue.value / (1 + rate) ** steps, feb.revenue.ids, g.rate.ids),
                  f"the February 2024 costs held flat; revenue on the path through the February "
                  f"2024 revenue, growing {rate:.1%} a month")
    p = Params.from_mapping({**params.as_dict(), "revenue_growth": rate})
    runs = scenarios(facts, p, basis)
    path = runs[0].path.iloc[1:]
    covered = path[path["revenue"] >= path["costs"]]
    be = None if covered.empty else pd.Timestamp(covered["date"].iloc[0]).replace(day=1)
    return Trajectory(runs, g, feb.gross, feb.revenue, be, anchor_month)


def qualified(facts: Facts, c: Cited) -> Cited:
    """A money value with its source's qualifier ('about $99 million', 'less than $4 million'),
    as text, cited like the value."""
    m = facts.money.set_index("fact_id")
    bound = m.at[c.ids[0], "bound"] if c.ids and c.ids[0] in m.index else "exact"
    words = {"approx": "about ", "less_than": "less than ", "more_than": "more than ",
             "at_least": "at least "}.get(bound, "")
    return cite(words + money(float(c.value)), c.ids, fmt="text", ref=c.ref)


# ---------------------------------------------------------------------------------------------
# consistency check: the 2022 raise against the cash figure


@dataclass(frozen=True)
class RaiseCheck:
    raised: Cited
    months: int
    cash_after: Cited
    implied_burn: Cited  # lower bound of the average net burn over the period


def raise_check(facts: Facts) -> RaiseCheck:
    """What the money raised from October 2022 implies about burn, given the cash reported in
    October 2023. The cash held before October 2022 is unknown, so the implied burn is a floor."""
    pos = cash_position(facts)
    funding = select(facts, "funding_closed")
    r2022 = funding[(funding["date_start"].dt.year == 2022)].sort_values("value")
    if r2022.empty:
        raise MissingFact("no 2022 funding fact")
    first = r2022.iloc[-1]  # the larger (more precise) reading of the 2022 raise
    start = first["date_end"]
    # funding closed after the 2022 raise and before the month of the cash figure is in that
    # figure; funding of the same month (the Intel note) is assumed not to be.
    between = funding[(funding["date_start"] > start) & (funding["date_end"] < pos.month)]
    raised = float(first["value"]) + float(between["value"].sum())
    ids = (first["fact_id"],) + tuple(between["fact_id"])
    months = _months_between(start, pos.on)
    implied = (raised - pos.cash.value) / months
    return RaiseCheck(raised=cite(raised, ids), months=months, cash_after=pos.cash,
                      implied_burn=cite(implied, ids, pos.cash.ids))


# ---------------------------------------------------------------------------------------------
# break-even


@dataclass(frozen=True)
class BreakEven:
    growth: float
    months: int | None  # None: never within the horizon
    cash_needed: float | None


def break_even(gross: float, revenue: float, growth: float, horizon_months: int = 60) -> BreakEven:
    """Months until revenue growing at `growth` a month covers flat costs `gross`, and the cash
    burned until then (None when it does not happen within the horizon)."""
    if revenue >= gross:
        return BreakEven(growth, 0, 0.0)
    if growth <= 0 or revenue <= 0:
        return BreakEven(growth, None, None)
    months = math.ceil(math.log(gross / revenue) / math.log(1 + growth))
    if months > horizon_months:
        return BreakEven(growth, None, None)
    burned = sum(gross - revenue * (1 + growth) ** t for t in range(1, months))
    return BreakEven(growth, months, burned)


# ---------------------------------------------------------------------------------------------
# fundraising and valuation


@dataclass(frozen=True)
class Fundraising:
    table: pd.DataFrame  # targets, valuations and money raised in date order
    target: Cited  # the largest 2023 target
    target_month: pd.Timestamp
    compute: Cited | None  # computing facilities sought beside it
    valuation_sought: Cited | None
    valuation: Cited | None  # the last valuation reached before
    raised_2023: Cited
    raised: list[tuple[pd.Series, str]]  # each 2023 raise and when it came against the target
    cut: Cited | None  # the cut to the target, as a fraction
    target_after_cut: Cited | None  # what is left of `target` if the cut applied to it
    other_targets: pd.DataFrame  # the other amounts sought
    bars: list[tuple[str, float, str]]


def fundraising(facts: Facts) -> Fundraising:
    """Targets, valuations sought, what was raised (and whether before or after the target it is
    set against) and the cut to the target."""
    metrics = ["funding_closed", "funding_sought", "compute_sought", "valuation",
               "valuation_sought", "target_cut"]
    m = facts.money
    t = m[m["metric"].isin(metrics)].sort_values(["date_start", "fact_id"])
    sought = select(facts, "funding_sought", year=2023).sort_values("value")
    if sought.empty:
        raise MissingFact("no 2023 fundraising target is reported by this date")
    target = sought.iloc[-1]
    compute = select(facts, "compute_sought", year=2023)
    vs = select(facts, "valuation_sought")
    val = select(facts, "valuation", year=2022).sort_values("fact_id")
    raised = select(facts, "funding_closed", year=2023).sort_values("date_start")
    cut = m[m["metric"] == "target_cut"]
    raised_c = cite(float(raised["value"].sum()), tuple(raised["fact_id"]))
    cut_c = None if cut.empty else cite(float(cut.iloc[0]["value"]) / 100,
                                        cut.iloc[0]["fact_id"], fmt="pct")
    timing = [(r, "before" if r["date_end"] < target["date_start"] else "after")
              for _, r in raised.iterrows()]
    bars = [(f"sought: {target['counterparty'] or 'major investors'} "
             f"({when(target['date_start'], target['date_end'], target['date_precision'])})"[:56],
             float(target["value"]), "sought")]
    if not compute.empty:
        bars.append(("sought: computing facilities", float(compute.iloc[0]["value"]), "sought"))
    for r, _ in timing:
        bars.append((f"raised: {r['counterparty']} "
                     f"({when(r['date_start'], r['date_end'], r['date_precision'])})",
                     float(r["value"]), "raised"))
    all_sought = select(facts, "funding_sought")
    return Fundraising(
        table=money_facts(t).reset_index(drop=True),
        target=value(target), target_month=target["date_start"],
        compute=None if compute.empty else value(compute.iloc[0]),
        valuation_sought=None if vs.empty else value(vs.iloc[0]),
        valuation=None if val.empty else value(val.iloc[0]),
        raised_2023=raised_c, raised=timing,
        cut=cut_c,
        target_after_cut=None if cut_c is None else cite(
            float(target["value"]) * (1 - cut_c.value), target["fact_id"], cut_c.ids),
        other_targets=all_sought[all_sought["fact_id"] != target["fact_id"]].sort_values(
            "date_start"),
        bars=bars,
    )


@dataclass(frozen=True)
class Multiples:
    revenue: Cited  # the annual revenue the multiples are taken on
    valuation: Cited | None
    valuation_multiple: Cited | None
    sought: Cited | None
    sought_multiple: Cited | None


def valuation_multiples(facts: Facts) -> Multiples:
    """The 2022 valuation and the valuation sought in 2023 as multiples of 2023 revenue (the
    October 2023 projection for the whole year)."""
    rev = value(need(facts, "revenue", per="year", year=2023))
    val = select(facts, "valuation", year=2022).sort_values("fact_id")
    vs = select(facts, "valuation_sought")
    v = None if val.empty else value(val.iloc[0])
    s = None if vs.empty else value(vs.iloc[0])

    def times(x: Cited | None) -> Cited | None:
        return None if x is None else cite(x.value / rev.value, x.ids, rev.ids, fmt="times")

    return Multiples(rev, v, times(v), s, times(s))


# ---------------------------------------------------------------------------------------------
# sensitivity


@dataclass(frozen=True)
class Panel:
    """The runway over gross burn (x) and revenue growth (y) for one basis, starting from that
    basis' revenue; `mark` is the basis itself at the parameters' growth, and `months` the
    runway the scenario table gives for it."""

    label: str
    grid: np.ndarray
    gross: np.ndarray
    growth: np.ndarray
    mark: tuple[float, float]
    months: float | None


@dataclass(frozen=True)
class Sensitivity:
    panels: list[Panel]
    scenario: str  # the scenario every panel computes
    horizon: int


def sensitivity_grid(facts: Facts, params: Params) -> Sensitivity:
    """One panel per basis: the runway of the scenario with the funding reported after the cash
    figure (and the arrears paid when `pay_unpaid_bills`), as the scenario table computes it."""
    pos = cash_position(facts)
    all_bases = bases(facts, params)
    if not all_bases:
        raise MissingFact("no burn basis is available")
    top = max(x.gross.value for x in all_bases.values()) * 1.25
    growth = np.linspace(0.0, 0.30, 31)
    cash = pos.cash.value - (pos.arrears.value if params.pay_unpaid_bills else 0.0)
    inflows = [(d, a.value) for d, a, _ in pos.funding_after]
    panels = []
    label = "no new money"
    for key, b in all_bases.items():
        runs = scenarios(facts, params, b)
        wanted = [r for r in runs if r.label != "+ extra funding (parameter)"][-1]
        label = wanted.label
        gross = np.linspace(max(b.revenue.value, 1e6), top, 41)
        grid = sensitivity(cash, pos.on, b.revenue.value, gross, growth, inflows
                           if wanted.label != "No new money" else (), params.horizon_months)
        panels.append(Panel(b.label, grid, gross, growth, (b.gross.value, params.revenue_growth),
                            wanted.months))
    return Sensitivity(panels, label, params.horizon_months)


def sensitivity(cash: float, start: pd.Timestamp, revenue: float, gross_grid: np.ndarray,
                growth_grid: np.ndarray, inflows=(), horizon_months: int = 18) -> np.ndarray:
    """Months of runway (capped at the horizon) for each (growth, gross burn) pair.

    The same computation as `simulate` for every pair (same operations in the same order, so
    the same floating-point results), done for a whole row of gross burns at once: the months
    and their inflows depend on neither."""
    _, opened_with, periods = _schedule(start, list(inflows), horizon_months)
    opening = cash + opened_with
    gross = np.asarray(gross_grid)
    out = np.empty((len(growth_grid), len(gross_grid)))
    for i, g in enumerate(growth_grid):
        balance = np.full(gross.shape, opening, dtype=float)
        months = np.full(gross.shape, float(horizon_months))
        done = np.full(gross.shape, opening <= 0)
        months[done] = 0.0
        for t, (_, _, inflow) in enumerate(periods, start=1):
            rev = revenue * (1 + g) ** t
            before = balance + inflow
            balance = before + rev - gross
            new = ~done & (balance < 0)
            if new.any():
                b, c = before[new], gross[new]
                fraction = np.zeros(b.shape)
                pos = b > 0
                fraction[pos] = b[pos] / (c[pos] - rev)
                months[new] = (t - 1) + fraction
                done |= new
        out[i] = months
    return out
