"""Figures of the report, drawn for print: large type, and series told apart without colour.

Every function takes tidy DataFrames from :mod:`deterrence_sim.analysis` and returns PNG bytes.
Figures are built with ``matplotlib.figure.Figure`` (no pyplot, no global state).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from deterrence_sim.analysis.summary import FUNNEL_STAGES
from deterrence_sim.analysis.sweeps import sorted_values, value_key

STYLE = {"font.size": 14, "axes.titlesize": 15, "axes.labelsize": 14, "legend.fontsize": 12,
         "xtick.labelsize": 12, "ytick.labelsize": 12}
LINESTYLES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (8, 3)), (0, (1, 3)), (0, (3, 1, 3, 4)))
MARKERS = ("o", "s", "^", "D", "v", "X", "P", "*")
GRAYS = ("0.0", "0.35", "0.55", "0.2", "0.45", "0.65", "0.1", "0.3")
HATCHES = ("", "//", "..", "xx", "\\\\", "--", "oo", "++")
DPI = 150


def text(label: object) -> str:
    """A label safe for matplotlib: ``$`` would start mathtext."""
    return str(label).replace("$", r"\$")


def _figure(width: float = 9.0, height: float = 5.5) -> Figure:
    return Figure(figsize=(width, height), dpi=DPI, layout="constrained")


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    with _rc():
        fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def _rc():
    return matplotlib.rc_context(STYLE)


def survival_figure(curves: pd.DataFrame, by: str, title: str, baseline: str | None = None) -> bytes:
    """Kaplan–Meier curves of each design with shaded pointwise bands; y is the share still holding."""
    with _rc():
        fig = _figure()
        ax = fig.subplots()
        designs = _ordered(curves[by].unique(), baseline)
        for i, design in enumerate(designs):
            c = curves[curves[by] == design]
            day, s = c["day"].to_numpy(float), c["survival"].to_numpy(float)
            style = {"color": GRAYS[i % len(GRAYS)], "linestyle": LINESTYLES[i % len(LINESTYLES)]}
            ax.fill_between(day, c["ci_low"], c["ci_high"], step="post", color=style["color"], alpha=0.12,
                            linewidth=0)
            ax.step(day, s, where="post", linewidth=2.2, **style)
            marks = np.linspace(0, day.max(), 7)[1:-1]  # markers tell the lines apart in print
            ax.plot(marks, s[np.searchsorted(day, marks, side="right") - 1], linestyle="none",
                    marker=MARKERS[i % len(MARKERS)], markersize=7, color=style["color"])
            ax.plot([], [], marker=MARKERS[i % len(MARKERS)], linewidth=2.2, label=text(design), **style)
        ax.legend(frameon=False, loc="lower left", handlelength=3)
        ax.set_xlabel("day of the ceasefire")
        ax.set_ylabel("share of replications still in ceasefire")
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlim(0, float(curves["day"].max()))
        ax.grid(True, color="0.85")
        ax.set_title(text(title))
        return _png(fig)


def funnel_figure(table: pd.DataFrame, by: str) -> bytes:
    """Grouped bars: violations, detected, verified, responses triggered and honoured per month."""
    labels = ["violations", "detected", "verified", "responses\ntriggered", "responses\nhonoured"]
    with _rc():
        fig = _figure()
        ax = fig.subplots()
        groups = list(table[by])
        width = 0.8 / max(len(groups), 1)
        x = np.arange(len(FUNNEL_STAGES))
        for i, (group, row) in enumerate(zip(groups, table.itertuples(index=False), strict=True)):
            values = [getattr(row, f"{s}_per_month") for s in FUNNEL_STAGES]
            bars = ax.bar(x + (i - (len(groups) - 1) / 2) * width, values, width, label=text(group),
                          color=str(0.3 + 0.65 * i / max(len(groups) - 1, 1)), edgecolor="black",
                          hatch=HATCHES[i % len(HATCHES)])
            crowded = len(groups) > 2   # upright labels of neighbouring narrow bars would overlap
            ax.bar_label(bars, fmt="%.2g", fontsize=11 if crowded else 12, padding=3,
                         rotation=90 if crowded else 0)
        ax.set_xticks(x, labels)
        ax.set_ylabel("events per month of ceasefire")
        ax.margins(y=0.2)
        ax.legend(title=text(by), frameon=False)
        ax.grid(True, axis="y", color="0.85")
        ax.set_title("Detection → verification → response")
        return _png(fig)


def cost_effectiveness_figure(table: pd.DataFrame, by: str, scenario: Sequence[str]) -> bytes:
    """Added guarantor cost (x) against collapse risk averted (y), with 95% bootstrap bars.

    One panel per scenario, on shared axes (small multiples), so that any number of scenarios
    stays readable in grayscale; each design has its own marker and shade in every panel.
    """
    labels = _scenario_labels(table, scenario)
    panels = list(dict.fromkeys(labels[_in_order(table, list(scenario))]))
    designs = sorted_values(table[by])
    cols = min(4, len(panels))
    rows = -(-len(panels) // cols)
    with _rc():
        fig = _figure(width=9.0 if cols == 1 else 4.3 * cols, height=5.5 if rows == 1 else 3.7 * rows + 1)
        axes = np.atleast_1d(fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)).ravel()
        for ax, panel in zip(axes, panels, strict=False):
            for i, design in enumerate(designs):
                for _, row in table[(labels == panel) & (table[by] == design)].iterrows():
                    x, y = row["added_cost_bn"], row["risk_averted_pp"]
                    ax.errorbar(x, y, xerr=[[x - row["added_cost_bn_low"]], [row["added_cost_bn_high"] - x]],
                                yerr=[[y - row["risk_averted_pp_low"]], [row["risk_averted_pp_high"] - y]],
                                marker=MARKERS[i % len(MARKERS)], markersize=9, color="black",
                                markerfacecolor=GRAYS[i % len(GRAYS)], capsize=3, linestyle="none")
            ax.axhline(0, color="0.5", linewidth=1)
            ax.axvline(0, color="0.5", linewidth=1)
            ax.grid(True, color="0.9")
            if len(panels) > 1:
                ax.set_title(text(panel), fontsize=12)
        for ax in axes[len(panels):]:
            ax.set_visible(False)
        handles = [axes[0].plot([], [], marker=MARKERS[i % len(MARKERS)], color="black", linestyle="none",
                                markersize=9, markerfacecolor=GRAYS[i % len(GRAYS)])[0]
                   for i in range(len(designs))]
        fig.legend(handles, [text(d) for d in designs], frameon=False, loc="outside lower center",
                   ncols=min(len(designs), 4), fontsize=12)
        for k, ax in enumerate(axes[:len(panels)]):
            if k + cols >= len(panels):                     # the lowest panel of its column
                ax.set_xlabel("added guarantor cost (bn USD)")
                ax.xaxis.set_tick_params(labelbottom=True)
            if k % cols == 0:
                ax.set_ylabel("risk averted (pp)")
        fig.suptitle("Cost-effectiveness (paired, 95% bootstrap)")
        return _png(fig)


def regret_figure(regret: pd.DataFrame) -> bytes:
    """Annotated grayscale heat map of regret (pp): a row per scenario, a column per design."""
    values = 100.0 * regret.to_numpy(float)
    top = max(float(np.nanmax(values)), 1.0)
    rows, cols = values.shape
    with _rc():
        fig = _figure(width=max(7.0, 3.5 + 1.25 * cols), height=max(4.0, 2.2 + 0.5 * rows))
        ax = fig.subplots()
        image = ax.imshow(values, cmap="Greys", vmin=0, vmax=top, aspect="auto")
        for (i, j), v in np.ndenumerate(values):
            ax.text(j, i, f"{v:.1f}", ha="center", va="center", color="white" if v > 0.6 * top else "black",
                    fontsize=12)
        ax.set_xticks(range(cols), [text(c) for c in regret.columns], rotation=30, ha="right")
        ax.set_yticks(range(rows), [text(r) for r in regret.index])
        fig.colorbar(image, ax=ax, label="regret (pp of collapse risk)", shrink=0.8)
        ax.set_title("Regret against the best design per scenario")
        return _png(fig)


def _ordered(values, baseline: str | None) -> list[str]:
    values = sorted_values(map(str, values))
    if baseline in values:
        values.remove(baseline)
        values.insert(0, baseline)
    return values


def _in_order(table: pd.DataFrame, columns: list[str]) -> pd.Index:
    """The rows' index sorted by ``columns``, numbers numerically (:func:`value_key`)."""
    if not columns:
        return table.index
    keys = table[columns].apply(lambda row: tuple(map(value_key, row)), axis=1)
    return keys.sort_values(kind="stable").index


def _scenario_labels(table: pd.DataFrame, scenario: Sequence[str]) -> pd.Series:
    if not scenario:
        return pd.Series("all", index=table.index)
    return table[list(scenario)].astype(str).agg(" / ".join, axis=1)


def hazard_figure(table: pd.DataFrame, by: str, title: str, scale: float = 1000.0) -> bytes:
    """Hazard of collapse per period (:func:`~deterrence_sim.analysis.period_hazard`), one line per
    value of ``by``, with its exact interval as error bars; y is collapses per ``scale`` ceasefire-days.

    Each period's hazard is drawn at the period's midpoint; groups are told apart by line style and
    marker, and shifted a little sideways so their bars do not hide each other.
    """
    with _rc():
        fig = _figure()
        ax = fig.subplots()
        values = sorted_values(table[by].unique())
        width = float((table["end_day"] - table["start_day"]).max())
        for i, value in enumerate(values):
            t = table[table[by] == value]
            shift = (i - (len(values) - 1) / 2) * width / 25
            mid = (t["start_day"] + t["end_day"]).to_numpy(float) / 2 + shift
            h = scale * t["hazard_per_day"].to_numpy(float)
            ax.errorbar(mid, h, yerr=[h - scale * t["hazard_low"].to_numpy(float),
                                      scale * t["hazard_high"].to_numpy(float) - h],
                        color=GRAYS[i % len(GRAYS)], linestyle=LINESTYLES[i % len(LINESTYLES)],
                        marker=MARKERS[i % len(MARKERS)], markersize=7, linewidth=2, capsize=3,
                        label=text(value))
        ax.set_xlabel("day of the ceasefire (period midpoint)")
        ax.set_ylabel(f"collapses per {scale:,.0f} ceasefire-days")
        ax.set_ylim(bottom=0)
        ax.set_xlim(0, float(table["end_day"].max()))
        ax.grid(True, color="0.85")
        ax.legend(title=text(by), frameon=False)
        ax.set_title(text(title))
        return _png(fig)
