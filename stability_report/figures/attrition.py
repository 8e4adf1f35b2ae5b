"""The figures of the people chapter and the overview: who left and when (a bar per person across
the interval the sources allow), and people and money on one time axis (departures as a band,
money and governance events in lanes).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..analysis.attrition import CAPABILITY_GROUPS, FUNCTION_LABELS, departures
from ..analysis.timeline import cumulative_band, timeline_events
from ..facts.base import Facts
from . import style


def _month_floor(t: pd.Timestamp) -> pd.Timestamp:
    return pd.Timestamp(t.year, t.month, 1)


def _month_ceil(t: pd.Timestamp) -> pd.Timestamp:
    return _month_floor(t) + pd.offsets.MonthEnd(0)


_PRECISION_STYLE = {  # fill, hatch, legend: each a different lightness, apart in greyscale
    "day": (style.INK, None, "dated to the day"),
    "month": (style.DARK, None, "dated to the month"),
    "quarter": (style.GREY, "xx", "dated to the quarter"),
    "year": (style.LIGHT, None, "dated to the year"),
    "range": ("white", "////", "only bounds known"),
}


def _date_axis(ax, start: pd.Timestamp, end: pd.Timestamp) -> None:
    """Month ticks (every 1, 3 or 6 months by span) and a few days' margin at both ends."""
    import matplotlib.dates as mdates

    months = (end.year - start.year) * 12 + end.month - start.month + 1
    step = 1 if months <= 8 else 3 if months <= 30 else 6
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=range(1, 13, step)))
    ax.xaxis.set_minor_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    pad = pd.Timedelta(days=max(4, months))
    ax.set_xlim(start - pad, end + pd.Timedelta(days=1) + pad)


# The outline of a bar whose interval is the report's bound (no source dates it): dashed.
_BOUND_EDGE = {"linestyle": (0, (3, 1.5)), "linewidth": 1.1}


def _interval_bars(
    ax, ys, starts, ends, fills, hatches, ids=None, height=0.62, bounded=None
) -> None:
    """A bar per row across its date interval, each linked to the fact(s) it draws; a bar in
    `bounded` (the report's bound, not a source's date) has a dashed outline."""
    ids = list(ids) if ids is not None else [()] * len(ys)
    bounded = list(bounded) if bounded is not None else [False] * len(ys)
    for y, s, e, fill, hatch, fid, own in zip(ys, starts, ends, fills, hatches, ids, bounded):
        (bar,) = ax.barh(
            y,
            (e - s).days + 1,
            left=s,
            height=height,
            color=fill,
            hatch=hatch,
            edgecolor=style.INK,
            **(_BOUND_EDGE if own else {"linewidth": 0.7}),
        )
        style.link(bar, fid)


def _undated_note(ax, names: list[str], what: str) -> None:
    ax.set_axis_off()
    ax.text(
        0.0,
        1.0,
        f"Not placed on the axis, because no source dates {what}:\n" + "; ".join(names),
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize=8,
        color="#333333",
        wrap=True,
    )


def departure_timeline(deps: pd.DataFrame) -> Figure | None:
    """Each departed person a row, grouped as in the departures table (capability group, then
    function); the departure drawn as a bar from the
    earliest to the latest date the sources allow (short when dated to the month, a year long
    when dated to the year); undated departures listed under the chart, not placed on the axis.
    None when nobody left."""
    if deps.empty:
        return None
    dated = deps[deps["dated"]].copy()
    undated = deps[~deps["dated"]]
    groups = {k: i for i, k in enumerate(CAPABILITY_GROUPS)}  # as in the departures table
    order = {k: i for i, k in enumerate(FUNCTION_LABELS)}
    dated["_g"] = dated["group"].map(groups)
    dated["_f"] = dated["function"].map(order)
    dated = dated.sort_values(["_g", "_f", "earliest", "latest", "name"]).reset_index(drop=True)
    n = len(dated)
    note_h = 0.45 if len(undated) else 0.0
    if n:
        fig, axes = style.new_figure(
            height=1.45 + 0.25 * n + note_h,
            nrows=2 if note_h else 1,
            **({"gridspec_kw": {"height_ratios": [0.25 * n + 0.9, note_h]}} if note_h else {}),
        )
        ax = axes[0] if note_h else axes
        ys = np.arange(n)[::-1]
        fills = [_PRECISION_STYLE.get(p, _PRECISION_STYLE["range"]) for p in dated["precision"]]
        _interval_bars(
            ax,
            ys,
            dated["earliest"],
            dated["latest"],
            [f[0] for f in fills],
            [f[1] for f in fills],
            dated["fact_ids"] if "fact_ids" in dated else None,
            bounded=dated["date_bounded"] if "date_bounded" in dated else None,
        )
        ax.set_yticks(
            ys,
            [style.label(f"{r.name} ({FUNCTION_LABELS[r.function]})") for r in dated.itertuples()],
        )
        for i in range(1, n):  # a rule between functions
            if dated["group"].iat[i] != dated["group"].iat[i - 1]:
                ax.axhline(n - i - 0.5, color="#aaaaaa", linewidth=0.6, linestyle=":")
        ax.set_ylim(-0.6, n - 0.4)  # the legend sits above the axes, not in them
        _date_axis(ax, _month_floor(dated["earliest"].min()), _month_ceil(dated["latest"].max()))
        ax.grid(axis="y", visible=False)
        own = "date_bounded" in dated and bool(dated["date_bounded"].any())
        bound = ";\ndashed outline: the report's bound, where no source gives a date" if own else ""
        ax.set_xlabel(
            f"Departure date (each bar: earliest to latest date the sources allow{bound})"
        )
        present = [p for p in _PRECISION_STYLE if p in set(dated["precision"])]
        handles = [
            Patch(
                facecolor=_PRECISION_STYLE[p][0],
                hatch=_PRECISION_STYLE[p][1],
                edgecolor=style.INK,
                linewidth=0.7,
                label=_PRECISION_STYLE[p][2],
            )
            for p in present
        ]
        ax.legend(
            handles=handles,
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncols=len(handles),
            fontsize=8,
            borderaxespad=0.2,
        )
        if note_h:
            _undated_note(
                axes[1],
                [f"{r.name} ({FUNCTION_LABELS[r.function]})" for r in undated.itertuples()],
                "these departures",
            )
    else:
        fig, ax = style.new_figure(height=1.6)
        _undated_note(
            ax,
            [f"{r.name} ({FUNCTION_LABELS[r.function]})" for r in undated.itertuples()],
            "any of the departures",
        )
    style.finish(fig, "Who left Stability AI, and when")
    return fig


def _step_marks(ax, dated: pd.DataFrame) -> None:
    """A dot on each step of the 'at least' line, where departures' intervals end, linked to
    the departure it counts (the first by id when several end on one day)."""
    if "fact_ids" not in dated:
        return
    latest = np.sort(dated["latest"].to_numpy(dtype="datetime64[ns]"))
    for day, group in dated.groupby("latest", sort=True):
        count = int(np.searchsorted(latest, np.datetime64(day, "ns"), side="right"))
        ids = [i for ids in group.sort_values("person_id")["fact_ids"] for i in ids]
        (dot,) = ax.plot(
            [day],
            [count],
            marker="o",
            markersize=3.5,
            color=style.INK,
            linestyle="none",
            zorder=5,
        )
        style.link(dot, ids)


_LANE_STYLE = {  # marker, fill: shape tells lanes apart without colour
    "Funding": ("^", style.DARK),
    "Cash and bills": ("s", style.RED),
    "Board and CEO": ("D", style.INK),
    "Company": ("o", style.MID),
}


def timeline_figure(
    facts: Facts,
    as_of: date | str | None = None,
    title: str = "Who had left, set against the money: funding, cash, bills and the board",
    height: float | None = None,
) -> Figure | None:
    """People and money on ONE time axis. Top: cumulative departures as a band, its lower edge
    counting departures whose date interval has fully passed, its upper edge those whose
    interval has begun (undated departures are noted, not drawn). Below: funding, cash,
    unpaid bills, board and company events, one row each, a bar spanning the event's date
    interval and a marker at its middle. The axis runs from the first to the last dated fact
    (whole months), never on to an analysis date far past the facts. None if nothing is dated.

    `as_of` bounds the intervals by the analysis date (pass the same date given to
    `facts.as_of`); the overview calls it as `timeline_figure(facts, P.as_of)`.
    """
    deps = departures(facts, as_of)
    ev = timeline_events(facts, as_of)
    dated = deps[deps["dated"]]
    if dated.empty and ev.empty:
        return None
    start = _month_floor(min(list(dated["earliest"]) + list(ev["start"])))
    end = _month_ceil(max(list(dated["latest"]) + list(ev["end"])))
    # each event a row as tall as its label's lines: a wrapped label never runs into the next
    ev_labels = [style.label(t) for t in ev["label"]]
    spans = [1.0 + 1.0 * t.count("\n") for t in ev_labels]
    n_ev = max(sum(spans), 1)
    # the wrapped labels' room comes out of the people panel (down to 0.8 in), so the figure
    # keeps the height the brief's page allows for it
    extra = 0.135 * (n_ev - max(len(ev), 1))
    top_h, bot_h = max(0.8, 1.0 - extra), 0.135 * n_ev + 0.25
    fig, (top, bot) = style.new_figure(
        height=height or top_h + bot_h + 0.9,
        nrows=2,
        sharex=True,
        gridspec_kw={"height_ratios": [top_h, bot_h]},
    )
    # top: the band
    if len(dated):
        band = cumulative_band(deps, start, end)
        x = band["date"]
        top.fill_between(
            x,
            band["minimum"],
            band["maximum"],
            step="post",
            facecolor=style.LIGHT,
            hatch="///",
            hatchcolor="white",
            linewidth=0,
            label="date uncertain",
        )
        top.step(
            x,
            band["maximum"],
            where="post",
            color=style.DARK,
            linestyle="--",
            linewidth=1.4,
            label="at most (interval begun)",
        )
        top.step(
            x,
            band["minimum"],
            where="post",
            color=style.INK,
            linestyle="-",
            linewidth=1.6,
            label="at least (interval passed)",
        )
        _step_marks(top, dated)
        top.set_ylim(0, int(band["maximum"].max()) * 1.15 + 0.8)
        handles, labels = top.get_legend_handles_labels()
        order = [2, 1, 0]
        top.legend(
            [handles[i] for i in order],
            [labels[i] for i in order],
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncols=3,
            fontsize=8,
            borderaxespad=0.2,
            columnspacing=1.0,
            handlelength=1.6,
        )
    else:
        top.text(
            0.5,
            0.5,
            "No dated departures in the facts",
            transform=top.transAxes,
            ha="center",
            va="center",
            color=style.GREY,
        )
        top.set_ylim(0, 1)
    # the month(s) the sources give the cash position, marked across the people panel
    for r in ev[ev["label"].str.startswith("Cash")].itertuples(index=False):
        top.axvspan(
            r.start,
            r.end + pd.Timedelta(days=1),
            color=style.GREY,
            alpha=0.35,
            linewidth=0,
            zorder=2.5,
        )
        top.text(  # beside the band, at the top, where no line runs
            r.start - pd.Timedelta(days=6),
            0.96,
            r.label,
            fontsize=8,
            color="#222222",
            ha="right",
            va="top",
            transform=top.get_xaxis_transform(),
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none"},
            zorder=4,
        )
    top.set_ylabel("People left,\ncumulative", fontsize=8)  # no taller than the panel
    top.yaxis.get_major_locator().set_params(integer=True)
    n_undated = int((~deps["dated"]).sum())
    if n_undated:
        top.text(
            0.995,
            0.03,
            f"not shown: {n_undated} departure{'s' if n_undated > 1 else ''} no source dates",
            transform=top.transAxes,
            ha="right",
            va="bottom",
            fontsize=8,
            color="#333333",
        )
    # bottom: one row per event, grouped in lanes
    if len(ev):
        tops = np.cumsum([0.0, *spans[:-1]])  # each row's top, counted down from the first
        ys = n_ev - tops - np.array(spans) / 2
        for y, r in zip(ys, ev.itertuples(index=False)):
            marker, colour = _LANE_STYLE[r.lane]
            own = bool(getattr(r, "bounded", False))  # the report's bound: a dashed outline
            (bar,) = bot.barh(
                y,
                (r.end - r.start).days + 1,
                left=r.start,
                height=0.5,
                color=colour,
                alpha=0.3,
                edgecolor=style.INK if own else colour,
                **(_BOUND_EDGE if own else {"linewidth": 0.6}),
            )
            style.link(bar, r.fact_ids)
            if r.precision in ("day", "month"):  # a marker only where the date is known
                mid = r.start + (r.end - r.start) / 2
                (mark,) = bot.plot(
                    [mid],
                    [y],
                    marker=marker,
                    color=colour,
                    markeredgecolor=style.INK,
                    markeredgewidth=0.6,
                    markersize=5.5,
                    linestyle="none",
                )
                style.link(mark, r.fact_ids)
        bot.set_yticks(ys, ev_labels, fontsize=8)
        for i in range(1, len(ev)):
            if ev["lane"].iat[i] != ev["lane"].iat[i - 1]:
                bot.axhline(n_ev - tops[i], color="#aaaaaa", linewidth=0.6, linestyle=":")
        bot.set_ylim(-0.2, n_ev + 0.2)
    else:
        bot.text(
            0.5,
            0.5,
            "No dated money or board events in the facts",
            transform=bot.transAxes,
            ha="center",
            va="center",
            color=style.GREY,
        )
        bot.set_yticks([])
    bot.grid(axis="y", visible=False)
    bounded = "bounded" in ev and bool(ev["bounded"].any())
    bot.set_xlabel(
        "bars span each date interval"
        + (" (dashed: the report's bound)" if bounded else "")
        + "; amounts in US dollars",
        fontsize=8,
    )
    _date_axis(bot, start, end)
    style.finish(fig, title)
    return fig
