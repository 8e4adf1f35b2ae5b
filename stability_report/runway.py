"""Cash runway: burn from each basis the sources give, runway and cash-out dates under stated
scenarios, the revenue trajectory, break-even, the fundraising story and the sensitivity grid.

Every function takes the validated facts and returns values that carry the ids of the facts they
come from (narrative.Cited), so the prose can cite them. Nothing here reads the clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .facts import Facts, MissingFact
from .narrative import Cited, cite, money
from .params import Params
from .tables import money_facts

DAYS_PER_MONTH = 365.25 / 12


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
    """Money facts matching every given criterion.

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
            "fy2023_projection", "2023 projection (annual / 12)",
            cite(costs["value"] / 12, costs["fact_id"]),
            cite(revenue["value"] / 12, revenue["fact_id"]),
            "the October 2023 projection of 2023 costs and revenue, divided by 12",
        )
    feb_costs = pick(facts, "costs", per="month", month="2024-02")
    feb_revenue = pick(facts, "revenue", per="month", month="2024-02")
    if feb_costs is not None and feb_revenue is not None:
        out["feb2024"] = Basis(
            "feb2024", "February 2024 (monthly)", value(feb_costs), value(feb_revenue),
            "the costs and revenue reported for February 2024",
        )
    spend = pick(facts, "monthly_spend", per="month")
    aug = pick(facts, "revenue", per="month", month="2023-08", status="reported")
    if spend is not None and aug is not None:
        out["monthly_spend"] = Basis(
            "monthly_spend", "Reported spend of $8M a month", value(spend), value(aug),
            "the reported monthly spend as gross burn, offset by the latest actual monthly "
            "revenue reported beside it (August 2023)",
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
            "basis": b.label, "gross burn / month": b.gross.value,
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
        loss=cite(loss, ids), monthly_loss=cite(loss / 12, ids),
        coverage=cite(revenue.value / total.value, ids, fmt="pct1"),
        parts_add_up=math.isclose(compute.value + opex.value, total.value, rel_tol=0.005),
    )


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

    @property
    def months_cited(self) -> Cited:
        return cite(self.months, self.ids, fmt="months")

    @property
    def date_cited(self) -> Cited:
        return cite(self.cash_out, self.ids, fmt="date")


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
             assumptions: tuple[str, ...] = ()) -> Runway:
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
                  tuple(assumptions))


@dataclass(frozen=True)
class CashPosition:
    cash: Cited
    on: pd.Timestamp
    bound: str
    bills_known: Cited  # total of unpaid bills with a known amount
    bills: pd.DataFrame  # every unpaid bill, amount or not
    funding_after: list[tuple[pd.Timestamp, Cited, str]]  # funding closed in or after the month


def cash_position(facts: Facts) -> CashPosition:
    """The October 2023 cash figure, the unpaid bills and the funding that came after it."""
    row = need(facts, "cash")
    on = row["date_end"]
    bills = select(facts, "unpaid_bill").sort_values(["date_start", "fact_id"])
    # a bill with no amount and no month ("millions of dollars in invoices") summarises the
    # itemised bills rather than adding one
    bills = bills[bills["value"].notna() | (bills["date_precision"] == "month")]
    known = bills.dropna(subset=["value"])
    funding = select(facts, "funding_closed")
    after = funding[funding["date_end"] >= row["date_start"]].sort_values("date_start")
    return CashPosition(
        cash=value(row), on=on, bound=row["bound"],
        bills_known=cite(float(known["value"].sum()), tuple(known["fact_id"])),
        bills=bills,
        funding_after=[(r["date_end"], value(r), str(r["counterparty"] or ""))
                       for _, r in after.iterrows()],
    )


def scenarios(facts: Facts, params: Params) -> list[Runway]:
    """Runway from the October 2023 cash under the chosen basis: no new money; each funding event
    reported after it; the unpaid bills paid; and the extra funding of the parameters."""
    pos = cash_position(facts)
    b = chosen_basis(facts, params)
    base_ids = pos.cash.ids + b.gross.ids + b.revenue.ids
    qualifier = {"less_than": "the source says less than this, so every runway is an upper "
                              "bound", "exact": "as reported"}.get(pos.bound, pos.bound)
    common = (
        f"opening cash {money(pos.cash.value)} on {pos.on.day} {pos.on:%B %Y} ({qualifier})",
        f"burn basis: {b.how}",
        f"revenue grows {params.revenue_growth:.1%} a month from {money(b.revenue.value)}",
        "funding arrives at the start of the month it is reported in; funding in the month of "
        "the cash figure is assumed not to be in it",
    )

    def run(label, inflows=(), bills=False, extra_ids=()):
        cash = pos.cash.value - (pos.bills_known.value if bills else 0.0)
        ids = base_ids + tuple(extra_ids) + (pos.bills_known.ids if bills else ())
        notes = common + (("the unpaid bills of known amount are paid at once",) if bills else
                          ("the unpaid bills stay unpaid",))
        return simulate(cash, pos.on, b.gross.value, b.revenue.value, params.revenue_growth,
                        list(inflows), params.horizon_months, label, ids, notes)

    out = [run("No new money")]
    inflows, ids = [], []
    for when, amount, who in pos.funding_after:
        inflows.append((when, amount.value))
        ids.extend(amount.ids)
        out.append(run(f"+ {who or 'funding'} ({when:%b %Y})", list(inflows), extra_ids=ids))
    if params.pay_unpaid_bills:
        out.append(run("+ funding, unpaid bills paid" if inflows else "Unpaid bills paid",
                       list(inflows), bills=True, extra_ids=ids))
    if params.extra_funding_usd > 0:
        extra = (pd.Timestamp(params.extra_funding_date), params.extra_funding_usd)
        out.append(run("+ extra funding (parameter)", list(inflows) + [extra],
                       bills=params.pay_unpaid_bills, extra_ids=ids))
    return out


def scenarios_table(runs: list[Runway]) -> pd.DataFrame:
    return pd.DataFrame([{
        "scenario": r.label, "opening cash": r.start_cash,
        "runway (months)": r.months, "cash runs out": r.cash_out, "facts": ", ".join(r.ids),
    } for r in runs])


def basis_matrix(facts: Facts, params: Params) -> pd.DataFrame:
    """Months of runway for every basis (rows) under every scenario (columns)."""
    rows = []
    available = bases(facts, params)
    if not available:
        raise MissingFact("no burn basis is available")
    for key, basis in available.items():
        p = Params.from_mapping({**params.as_dict(), "burn_basis": key})
        for r in scenarios(facts, p):
            rows.append({"basis": basis.label, "scenario": r.label, "months": r.months})
    t = pd.DataFrame(rows)
    order = list(dict.fromkeys(t["scenario"]))
    wide = t.pivot(index="basis", columns="scenario", values="months")[order]
    wide = wide.reindex(list(dict.fromkeys(t["basis"]))).reset_index()
    wide.columns.name = None
    return wide


# ---------------------------------------------------------------------------------------------
# consistency check: the 2022 raise against the October 2023 cash


@dataclass(frozen=True)
class RaiseCheck:
    raised: Cited
    months: int
    cash_after: Cited
    implied_burn: Cited  # lower bound of the average net burn over the period
    raise_lasts: dict[str, Cited]  # months the 2022 raise alone lasts at each basis' net burn


def raise_check(facts: Facts, params: Params) -> RaiseCheck:
    """What the money raised from October 2022 implies about burn, given the cash reported in
    October 2023. The cash held before October 2022 is unknown, so the implied burn is a floor."""
    pos = cash_position(facts)
    funding = select(facts, "funding_closed")
    r2022 = funding[(funding["date_start"].dt.year == 2022)].sort_values("value")
    if r2022.empty:
        raise MissingFact("no 2022 funding fact")
    first = r2022.iloc[-1]  # the larger (more precise) reading of the 2022 raise
    start = first["date_end"]
    cash_month = pd.Timestamp(pos.on.year, pos.on.month, 1)
    # funding closed after the 2022 raise and before the month of the cash figure is in that
    # figure; funding of the same month (the Intel note) is assumed not to be.
    between = funding[(funding["date_start"] > start) & (funding["date_end"] < cash_month)]
    raised = float(first["value"]) + float(between["value"].sum())
    ids = (first["fact_id"],) + tuple(between["fact_id"])
    months = (pos.on.year - start.year) * 12 + (pos.on.month - start.month)
    implied = (raised - pos.cash.value) / months
    lasts = {
        b.label: cite(float(first["value"]) / b.net.value, first["fact_id"], b.net.ids,
                      fmt="months")
        for b in bases(facts, params).values() if b.net.value > 0
    }
    return RaiseCheck(
        raised=cite(raised, ids), months=months, cash_after=pos.cash,
        implied_burn=cite(implied, ids, pos.cash.ids), raise_lasts=lasts,
    )


# ---------------------------------------------------------------------------------------------
# revenue trajectory and break-even


def revenue_points(facts: Facts) -> pd.DataFrame:
    """Monthly revenue figures, actual and projected kept apart, in date order."""
    rows = select(facts, "revenue", per="month").sort_values("date_start")
    return rows[["fact_id", "source_id", "date_start", "value", "status", "quote"]].reset_index(
        drop=True)


def implied_growth(facts: Facts, status: str = "reported") -> Cited | None:
    """Compound monthly growth between the first and last monthly revenue of a status (actual
    figures only by default), or None when there are fewer than two."""
    pts = revenue_points(facts)
    if status == "reported":
        pts = pts[pts["status"] == "reported"]
    else:
        first_actual = pts[pts["status"] == "reported"].head(1)
        pts = pd.concat([first_actual, pts[pts["status"] == status]]).drop_duplicates("fact_id")
    if len(pts) < 2:
        return None
    a, b = pts.iloc[0], pts.iloc[-1]
    months = (b["date_start"].year - a["date_start"].year) * 12 + (
        b["date_start"].month - a["date_start"].month)
    g = (b["value"] / a["value"]) ** (1 / months) - 1
    return cite(g, a["fact_id"], b["fact_id"], fmt="pct1")


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


def break_even_table(facts: Facts, params: Params) -> pd.DataFrame:
    b = chosen_basis(facts, params)
    rates = {"parameter revenue_growth": params.revenue_growth}
    g = implied_growth(facts)
    if g is not None:
        rates["actual Aug 2023 to Feb 2024"] = g.value
    for r in (0.05, 0.10):
        rates.setdefault(f"{r:.0%} a month", r)
    rows = []
    for label, rate in rates.items():
        be = break_even(b.gross.value, b.revenue.value, rate, 60)
        rows.append({"growth assumption": label, "monthly growth": rate,
                     "months to break-even": be.months, "cash burned until then": be.cash_needed})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# fundraising


@dataclass(frozen=True)
class Fundraising:
    table: pd.DataFrame
    target: Cited  # the largest 2023 target from major investors
    compute: Cited | None  # computing facilities sought beside it
    valuation_sought: Cited | None
    valuation: Cited | None  # the 2022 valuation
    raised_2023: Cited
    raised_share: Cited
    cut: Cited | None  # the cut to the target, as a fraction
    target_after_cut: Cited | None  # the target left if the cut applied to `target`
    bars: list[tuple[str, float, str]]


def fundraising(facts: Facts) -> Fundraising:
    """Targets, valuations sought, what was raised and the cut to the target."""
    metrics = ["funding_closed", "funding_sought", "compute_sought", "valuation",
               "valuation_sought", "target_cut"]
    m = facts.money
    t = m[m["metric"].isin(metrics)].sort_values(["date_start", "fact_id"])
    table = money_facts(t).reset_index(drop=True)
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
    bars = [(f"target ({target['counterparty'] or target['source_id']})"[:48],
             float(target["value"]), "sought")]
    if not compute.empty:
        bars.append(("computing facilities sought", float(compute.iloc[0]["value"]), "sought"))
    for _, r in raised.iterrows():
        bars.append((f"raised: {r['counterparty']} ({r['date_start']:%b %Y})",
                     float(r["value"]), "raised"))
    return Fundraising(
        table=table,
        target=value(target),
        compute=None if compute.empty else value(compute.iloc[0]),
        valuation_sought=None if vs.empty else value(vs.iloc[0]),
        valuation=None if val.empty else value(val.iloc[0]),
        raised_2023=raised_c,
        raised_share=cite(raised_c.value / float(target["value"]), raised_c.ids,
                          target["fact_id"], fmt="pct"),
        cut=cut_c,
        target_after_cut=None if cut_c is None else cite(
            float(target["value"]) * (1 - cut_c.value), target["fact_id"], cut_c.ids),
        bars=bars,
    )


# ---------------------------------------------------------------------------------------------
# sensitivity


@dataclass(frozen=True)
class Sensitivity:
    grid: np.ndarray
    gross: np.ndarray
    growth: np.ndarray
    marks: list[tuple[str, float, float]]


def sensitivity_grid(facts: Facts, params: Params) -> Sensitivity:
    """Runway over a grid of gross burn (x) and growth (y), starting from the chosen basis'
    revenue, the October 2023 cash, the funding after it and the bills per the parameters."""
    pos = cash_position(facts)
    b = chosen_basis(facts, params)
    all_bases = bases(facts, params)
    top = max(x.gross.value for x in all_bases.values()) * 1.25
    gross = np.linspace(max(b.revenue.value, 1e6), top, 41)
    growth = np.linspace(0.0, 0.30, 31)
    cash = pos.cash.value - (pos.bills_known.value if params.pay_unpaid_bills else 0.0)
    inflows = [(d, a.value) for d, a, _ in pos.funding_after]
    grid = sensitivity(cash, pos.on, b.revenue.value, gross, growth, inflows,
                       params.horizon_months)
    marks = [(x.label, x.gross.value, params.revenue_growth) for x in all_bases.values()]
    return Sensitivity(grid, gross, growth, marks)


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
