"""Figures of the cash analysis, in the house style. Each function returns a matplotlib figure;
notebooks pass it to style.show(fig, name, caption)."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd

from . import style
from .runway import Basis, CostStructure, Runway


def bases_figure(bases: list[Basis]):
    """Gross burn, revenue and net burn per month for each basis, side by side."""
    fig, ax = style.new_figure(3.2)
    labels = [b.label for b in bases]
    y = np.arange(len(bases))
    h = 0.26
    series = (("gross burn", [b.gross.value for b in bases], style.DARK, ""),
              ("revenue", [b.revenue.value for b in bases], style.LIGHT, "//"),
              ("net burn", [b.net.value for b in bases], style.MID, ""))
    for i, (name, vals, color, hatch) in enumerate(series):
        bars = ax.barh(y + (i - 1) * h, vals, h, label=name, color=color, hatch=hatch,
                       edgecolor=style.INK, linewidth=0.5)
        ax.bar_label(bars, labels=[f"${v / 1e6:,.1f}M" for v in vals], padding=2, fontsize=7)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    style.usd_millions(ax, "x")
    ax.set_xlabel("US dollars per month")
    ax.set_xlim(0, max(b.gross.value for b in bases) * 1.18)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=3)
    style.finish(fig, "Monthly burn and revenue, by the basis the figures come from")
    return fig


def cost_structure_figure(cs: CostStructure):
    """The 2023 projection: compute and salaries/opex against revenue, in $M."""
    fig, ax = style.new_figure(2.4)
    ax.barh([1], [cs.compute.value], color=style.DARK, edgecolor=style.INK, linewidth=0.5,
            label="compute")
    ax.barh([1], [cs.salaries_opex.value], left=[cs.compute.value], color=style.LIGHT,
            hatch="//", edgecolor=style.INK, linewidth=0.5, label="salaries and operating costs")
    ax.barh([0], [cs.revenue.value], color=style.MID, edgecolor=style.INK, linewidth=0.5,
            label="revenue")
    ax.text(cs.compute.value / 2, 1, f"compute ${cs.compute.value / 1e6:.0f}M", ha="center",
            va="center", color="white", fontsize=8)
    ax.text(cs.compute.value + cs.salaries_opex.value / 2, 1,
            f"salaries, opex ${cs.salaries_opex.value / 1e6:.0f}M", ha="center", va="center",
            fontsize=8)
    ax.text(cs.revenue.value + 2e6, 0, f"revenue ${cs.revenue.value / 1e6:.0f}M", va="center",
            fontsize=8)
    ax.set_yticks([0, 1], ["revenue", "costs"])
    style.usd_millions(ax, "x")
    ax.set_xlabel("US dollars, full year 2023 (projection of October 2023)")
    ax.grid(axis="y", visible=False)
    style.finish(fig, "2023 projection: costs of $%.0fM against revenue of $%.0fM"
                 % (cs.total.value / 1e6, cs.revenue.value / 1e6))
    return fig


def runway_figure(runs: list[Runway], bills: pd.DataFrame | None = None):
    """Cash balance month by month under each scenario, with the zero line."""
    fig, ax = style.new_figure(3.6)
    for i, r in enumerate(runs):
        p = r.path
        if r.cash_out is not None:  # the line stops where the money does
            p = pd.concat([p[p["date"] < r.cash_out],
                           pd.DataFrame({"date": [r.cash_out], "cash": [0.0]})])
        ax.plot(p["date"], p["cash"], label=r.label, color=style.PALETTE[i % len(style.PALETTE)],
                linestyle=style.LINESTYLES[i % len(style.LINESTYLES)], marker=style.MARKERS[i % 6],
                markersize=3, linewidth=1.4)
        if r.cash_out is not None:
            ax.plot([r.cash_out], [0], marker="x", color=style.INK, markersize=6)
    ax.axhline(0, color=style.INK, linewidth=0.9)
    style.usd_millions(ax)
    ax.set_ylabel("cash balance (US dollars)")
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.legend(loc="upper right", fontsize=7)
    style.finish(fig, "Cash from October 2023 under each scenario (x: cash runs out)")
    return fig


def revenue_figure(points: pd.DataFrame, annual: float | None, year: int = 2023):
    """Monthly revenue figures: actual filled, projected hollow; the 2023 monthly average."""
    fig, ax = style.new_figure(3.0)
    actual = points[points["status"] == "reported"]
    projected = points[points["status"] != "reported"]
    ax.plot(actual["date_start"], actual["value"], "o-", color=style.DARK, label="actual",
            markersize=6)
    ax.plot(projected["date_start"], projected["value"], "o", mfc="white", color=style.MID,
            markersize=7, markeredgewidth=1.5, label="projected (CEO's tweet)")
    for _, r in points.iterrows():
        ax.annotate(f"${r['value'] / 1e6:.1f}M", (r["date_start"], r["value"]),
                    textcoords="offset points", xytext=(6, 4), fontsize=8)
    if annual is not None:
        ax.hlines(annual / 12, pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31),
                  color=style.GREY, linestyle="--", label=f"{year} projection / 12")
    style.usd_millions(ax)
    ax.set_ylim(0, points["value"].max() * 1.25 if len(points) else 1)
    ax.set_ylabel("revenue per month (US dollars)")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    ax.legend(loc="upper left")
    style.finish(fig, "Monthly revenue: the figures the sources give")
    return fig


def fundraising_figure(rows: list[tuple[str, float, str]]):
    """(label, amount, kind) bars: kind 'sought' or 'raised'."""
    fig, ax = style.new_figure(2.8)
    y = np.arange(len(rows))
    for i, (label, amount, kind) in enumerate(rows):
        sought = kind == "sought"
        ax.barh(i, amount, color="white" if sought else style.DARK, edgecolor=style.INK,
                hatch="//" if sought else "", linewidth=0.8)
        ax.text(amount + 8e6, i, f"${amount / 1e6:,.0f}M", va="center", fontsize=8)
    ax.set_yticks(y, [r[0] for r in rows])
    ax.invert_yaxis()
    style.usd_millions(ax, "x")
    ax.set_xlabel("US dollars (hatched: sought; solid: raised)")
    ax.set_xlim(0, max(r[1] for r in rows) * 1.15)
    ax.grid(axis="y", visible=False)
    style.finish(fig, "Money sought against money raised, 2023")
    return fig


def sensitivity_figure(grid: np.ndarray, gross: np.ndarray, growth: np.ndarray,
                       marks: list[tuple[str, float, float]], horizon: int):
    """Runway in months over gross monthly burn (x) and monthly revenue growth (y)."""
    fig, ax = style.new_figure(3.8)
    levels = np.arange(0, horizon + 1, 1)
    cs = ax.contourf(gross, growth, grid, levels=levels, cmap="Greys_r", extend="neither")
    lines = ax.contour(gross, growth, grid, levels=[1, 3, 6, 12], colors=style.INK,
                       linewidths=0.7)
    ax.clabel(lines, fmt=lambda v: f"{v:.0f} mo", fontsize=7)
    for i, (label, x, y) in enumerate(marks):
        ax.plot(x, y, marker=style.MARKERS[i % 6], color=style.MID, markeredgecolor="white",
                markersize=9, markeredgewidth=1.2, linestyle="none", label=label, clip_on=False,
                zorder=5)
    style.usd_millions(ax, "x")
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xlabel("gross burn per month (US dollars)")
    ax.set_ylabel("revenue growth per month")
    ax.grid(False)
    cbar = fig.colorbar(cs, ax=ax, shrink=0.9)
    cbar.set_label(f"months of runway (capped at {horizon})")
    ax.legend(loc="upper left", fontsize=7, frameon=True)
    style.finish(fig, "Runway from October 2023 by monthly burn and revenue growth")
    return fig
