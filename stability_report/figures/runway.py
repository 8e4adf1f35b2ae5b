"""Figures of the cash analysis, in the house style. Each function returns a matplotlib figure;
notebooks pass it to style.show(fig, name, caption). Every figure reads in greyscale: series
differ by marker, line style or hatching as well as by colour."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from ..analysis.revenue import CostStructure
from ..analysis.runway import Runway
from ..analysis.sensitivity import Sensitivity
from . import style

# How a revenue figure is drawn, by its status: filled for what a source reports, hollow for
# what a party claims; a forecast (money.forecast) is a hollow triangle with a dashed outline,
# whatever its status. "{who}" is the party the source attributes the figure to.
_STATUS_MARK = {
    "reported": ("o", style.DARK, style.DARK, "reported"),
    "claimed": ("s", style.MID, "white", "claimed{by} (not reported as fact)"),
    "projected": ("^", style.GREY, "white", "projected{by}"),
}
_FORECAST_MARK = ("^", style.MID, "white", "forecast{by} (not reported as fact)")


def _speaker(attributed_to) -> str:
    """Who a figure is attributed to, before the medium ('Emad Mostaque, in a tweet' ->
    'Emad Mostaque'); '' when the source gives it as its own."""
    return attributed_to.split(",")[0].strip() if isinstance(attributed_to, str) else ""


def _revenue_mark(r) -> tuple[str, str, str, str]:
    """Marker, edge, face and legend text of a revenue point, from its status, whether it is a
    forecast and whom the source attributes it to."""
    is_forecast = bool(r.get("forecast", False))
    status = r.get("status")
    marker, edge, face, text = (
        _FORECAST_MARK
        if is_forecast
        else _STATUS_MARK.get(status, ("D", style.INK, "white", f"{status}{{by}}"))
    )
    who = _speaker(r.get("attributed_to"))
    return marker, edge, face, text.format(by=f" by {who}" if who else "")


_LABEL_BOX = {"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none"}

# Shortest runway darkest, longest white: four greys far enough apart to tell in print.
_BAND_GREYS = ["#7a7a7a", "#a8a8a8", "#d4d4d4", "#ffffff"]


def cost_structure_figure(cs: CostStructure):
    """The 2023 projection: compute and salaries/opex against revenue, in $M."""
    fig, ax = style.new_figure(2.2)
    bars = ax.barh(
        [1],
        [cs.compute.value],
        color=style.DARK,
        edgecolor=style.INK,
        linewidth=0.5,
        label="compute",
    )
    style.link(bars[0], cs.compute.ids)
    bars = ax.barh(
        [1],
        [cs.salaries_opex.value],
        left=[cs.compute.value],
        color=style.LIGHT,
        hatch="//",
        edgecolor=style.INK,
        linewidth=0.5,
        label="salaries and operating costs",
    )
    style.link(bars[0], cs.salaries_opex.ids)
    bars = ax.barh(
        [0],
        [cs.revenue.value],
        color=style.MID,
        edgecolor=style.INK,
        linewidth=0.5,
        label="revenue",
    )
    style.link(bars[0], cs.revenue.ids)
    ax.text(
        cs.compute.value / 2,
        1,
        f"compute ${cs.compute.value / 1e6:.0f}M",
        ha="center",
        va="center",
        color="white",
        fontsize=8,
    )
    ax.text(
        cs.compute.value + cs.salaries_opex.value / 2,
        1,
        f"salaries, opex ${cs.salaries_opex.value / 1e6:.0f}M",
        ha="center",
        va="center",
        fontsize=8,
        bbox=_LABEL_BOX,  # on the hatching: a white ground keeps it legible in grey
    )
    ax.text(
        cs.revenue.value + 2e6,
        0,
        f"revenue ${cs.revenue.value / 1e6:.0f}M",
        va="center",
        fontsize=8,
    )
    ax.set_yticks([0, 1], ["revenue", "costs"])
    style.usd_millions(ax, "x")
    ax.set_xlabel("US dollars, full year 2023 (the company's projection)")
    ax.grid(axis="y", visible=False)
    style.finish(
        fig,
        f"2023 projection: costs of ${cs.total.value / 1e6:.0f}M against revenue of "
        f"${cs.revenue.value / 1e6:.0f}M",
    )
    return fig


def revenue_figure(points: pd.DataFrame, annual: float | None, year: int = 2023):
    """Monthly revenue figures as separate points (nothing is known between them), marked by
    status; the year's projection divided by 12 as a dashed line over that year."""
    fig, ax = style.new_figure(2.6)
    seen = set()
    for _, r in points.iterrows():  # one mark per figure, linked to its fact
        marker, edge, face, label = _revenue_mark(r)
        if r.get("forecast", False):  # a dashed outline: no marker edge can be dashed
            mark = ax.scatter(
                [r["date_start"]],
                [r["value"]],
                s=8**2,
                marker=marker,
                facecolors=face,
                edgecolors=edge,
                linewidths=1.5,
                linestyles=(0, (2, 1.2)),
                label=label if label not in seen else "_nolegend_",
                zorder=3,
            )
        else:
            (mark,) = ax.plot(
                [r["date_start"]],
                [r["value"]],
                linestyle="none",
                marker=marker,
                markersize=7,
                markeredgewidth=1.5,
                color=edge,
                markerfacecolor=face,
                label=label if label not in seen else "_nolegend_",
            )
        seen.add(label)
        style.link(mark, r.get("fact_id", ""))
    for _, r in points.iterrows():
        ax.annotate(
            f"${r['value'] / 1e6:.1f}M" + (" (forecast)" if r.get("forecast", False) else ""),
            (r["date_start"], r["value"]),
            textcoords="offset points",
            xytext=(7, 3),
            fontsize=8,
        )
    if annual is not None:
        ax.hlines(
            annual / 12,
            pd.Timestamp(year, 1, 1),
            pd.Timestamp(year, 12, 31),
            color=style.GREY,
            linestyle="--",
            label=f"{year} revenue projected, ÷ 12",
        )
    style.usd_millions(ax)
    top = max([points["value"].max() if len(points) else 0, (annual or 0) / 12])
    ax.set_ylim(0, top * 1.3 if top else 1)
    ax.set_ylabel("revenue a month")
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    ax.legend(loc="upper left", fontsize=8)
    style.finish(fig, "Monthly revenue: each figure the sources give, by status")
    return fig


def runway_figure(runs: list[Runway], horizon_label: str, bound: str | None = None):
    """Cash balance month by month, one line per scenario, with the zero line and a cross where
    each runs out; `bound` says how the opening cash is qualified ("an upper bound")."""
    fig, ax = style.new_figure(3.2)
    for i, r in enumerate(runs):
        p = r.path
        if r.cash_out is not None:  # the line stops where the money does
            p = pd.concat(
                [p[p["date"] < r.cash_out], pd.DataFrame({"date": [r.cash_out], "cash": [0.0]})]
            )
        ax.plot(
            p["date"],
            p["cash"],
            label=r.label,
            color=style.PALETTE[i % len(style.PALETTE)],
            linestyle=style.LINESTYLES[i % len(style.LINESTYLES)],
            marker=style.MARKERS[i % len(style.MARKERS)],
            markersize=3.5,
            linewidth=1.4,
        )
        if r.cash_out is not None:
            ax.plot(
                [r.cash_out], [0], marker="x", color=style.INK, markersize=7, markeredgewidth=1.5
            )
    # the opening balance of the first scenario is the last cash figure the sources give: a
    # ring on it, linked to that fact (the lines after it are the model's, not facts)
    if runs and len(runs[0].path) and runs[0].ids:
        (ring,) = ax.plot(
            [runs[0].path["date"].iloc[0]],
            [runs[0].path["cash"].iloc[0]],
            marker="o",
            markersize=9,
            markerfacecolor="none",
            markeredgecolor=style.INK,
            markeredgewidth=1.2,
            linestyle="none",
            label="the last cash figure reported",
            zorder=5,
        )
        style.link(ring, runs[0].ids[:1])
    ax.axhline(0, color=style.INK, linewidth=0.9)
    # a path that compounds far above its start would flatten every other line: the axis stops
    # a little above the highest opening balance, and the text says which lines leave it
    top = max(r.start_cash for r in runs) * 1.35
    above = [r.label for r in runs if r.path["cash"].max() > top]
    if top > 0 and above:
        ax.set_ylim(top=top)
        ax.text(
            0.99,
            0.97,
            "leaves the chart upwards: " + "; ".join(above),
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=8,
            color="#333333",
        )
    style.usd_millions(ax)
    ax.set_ylabel("cash" + (f" ({bound})" if bound else ""))
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.legend(loc="upper right", fontsize=8)
    style.finish(fig, f"Cash from the last reported figure, {horizon_label}")
    return fig


# The fundraising bars' labels: a little longer than the house width, so that a target with its
# example parties ('sought: major investors, e.g. ...') keeps to two lines.
_FUNDING_LABEL_CHARS = 40


def fundraising_figure(rows: list[tuple[str, float, str]], ids: list[str] | None = None):
    """(label, amount, kind) bars: kind 'sought' or 'raised'; `ids`, the fact each bar draws
    (its link)."""
    labels = [style.label(r[0], width=_FUNDING_LABEL_CHARS, lines=3) for r in rows]
    lines = sum(max(1, t.count("\n") + 1) for t in labels)
    fig, ax = style.new_figure(1.2 + 0.2 * lines + 0.12 * len(rows))
    y = np.arange(len(rows))
    for i, (_, amount, kind) in enumerate(rows):
        sought = kind == "sought"
        (bar,) = ax.barh(
            i,
            amount,
            color="white" if sought else style.DARK,
            edgecolor=style.INK,
            hatch="//" if sought else "",
            linewidth=0.8,
        )
        if ids and i < len(ids):
            style.link(bar, ids[i])
        ax.text(amount + 8e6, i, f"${amount / 1e6:,.0f}M", va="center", fontsize=8)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    style.usd_millions(ax, "x")
    ax.set_xlabel("US dollars (hatched: sought; solid: raised)")
    ax.set_xlim(0, max(r[1] for r in rows) * 1.15)
    ax.grid(axis="y", visible=False)
    style.finish(fig, "Money sought against money raised")
    return fig


def sensitivity_figure(s: Sensitivity):
    """One panel per burn basis: months of runway over monthly gross burn (x) and revenue growth
    (y), starting from that basis' revenue; the basis itself is marked, with the runway the
    scenario table gives for it. A few bands of clearly different grey (and hatching for the
    shortest), each named on the colour bar, and their edges drawn: readable in greyscale."""
    n = len(s.panels)
    fig, axes = style.new_figure(3.1, ncols=n, sharey=True, squeeze=False)
    edges = [v for v in (3, 6, 12) if v < s.horizon]
    levels = [0, *edges, s.horizon]
    greys = _BAND_GREYS[-len(levels) + 1 :]
    hatches = ["///"] + [None] * (len(levels) - 2)
    last = None
    for ax, panel in zip(axes[0], s.panels):
        last = ax.contourf(
            panel.gross,
            panel.growth,
            panel.grid,
            levels=levels,
            colors=greys,
            hatches=hatches,
            extend="neither",
        )
        ax.contour(
            panel.gross, panel.growth, panel.grid, levels=edges, colors=style.INK, linewidths=0.7
        )
        x, y = panel.mark
        months = f"> {s.horizon:d}" if panel.months is None else f"{panel.months:.1f}"
        ax.plot(
            x,
            y,
            marker="o",
            markersize=8,
            markerfacecolor="white",
            markeredgecolor=style.RED,
            markeredgewidth=2,
            linestyle="none",
            zorder=5,
            clip_on=False,
        )
        # the runway at the basis, in a white box just above its mark (toward the panel's
        # middle, so it is never cut at the edge): the box keeps band edges from crossing it
        x0, x1 = ax.get_xlim() if len(panel.gross) == 0 else (min(panel.gross), max(panel.gross))
        right_half = x > (x0 + x1) / 2
        ax.annotate(
            f"{months} mo",
            (x, y),
            xytext=(4 if not right_half else -4, 9),
            textcoords="offset points",
            ha="right" if right_half else "left",
            va="bottom",
            fontsize=8,
            color=style.INK,
            fontweight="bold",
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": style.INK, "lw": 0.5},
            zorder=6,
        )
        ax.set_title(style.label(panel.label, width=28, lines=3), fontsize=9, loc="left")
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.xaxis.set_major_formatter(lambda v, _: f"${v / 1e6:,.0f}M")
        ax.tick_params(axis="x", labelsize=8)
        ax.set_xlabel("costs a month", fontsize=8)
        ax.grid(False)
    axes[0][0].yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    axes[0][0].set_ylabel("revenue growth a month")
    cbar = fig.colorbar(last, ax=axes[0].tolist(), shrink=0.95, pad=0.02, ticks=levels)
    cbar.ax.set_yticklabels([f"{v:d}" for v in levels[:-1]] + [f"{s.horizon:d}+"])
    cbar.ax.tick_params(labelsize=8)
    cbar.set_label("months of runway", fontsize=8)
    style.finish(
        fig,
        "Months of runway by costs and growth, for each burn basis the sources give",
    )
    return fig
