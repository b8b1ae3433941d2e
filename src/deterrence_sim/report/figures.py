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
            ax.bar_label(bars, fmt="%.2g", fontsize=10 if len(groups) > 2 else 12, padding=2)
        ax.set_xticks(x, labels)
        ax.set_ylabel("events per month of ceasefire")
        ax.margins(y=0.12)
        ax.legend(title=text(by), frameon=False)
        ax.grid(True, axis="y", color="0.85")
        ax.set_title("Detection → verification → response")
        return _png(fig)


def cost_effectiveness_figure(table: pd.DataFrame, by: str, scenario: Sequence[str]) -> bytes:
    """Added guarantor cost (x) against collapse risk averted (y), with 95% bootstrap bars."""
    with _rc():
        fig = _figure()
        ax = fig.subplots()
        designs = sorted(table[by].unique())
        fills = {key: shade for key, shade in
                 zip(sorted(_scenario_labels(table, scenario).unique()),
                     ("black", "white", "0.6", "0.3", "0.85", "0.45"), strict=False)}
        labels = _scenario_labels(table, scenario)
        for i, design in enumerate(designs):
            for idx, row in table[table[by] == design].iterrows():
                x, y = row["added_cost_bn"], row["risk_averted_pp"]
                ax.errorbar(x, y, xerr=[[x - row["added_cost_bn_low"]], [row["added_cost_bn_high"] - x]],
                            yerr=[[y - row["risk_averted_pp_low"]], [row["risk_averted_pp_high"] - y]],
                            marker=MARKERS[i % len(MARKERS)], markersize=10, color="black",
                            markerfacecolor=fills.get(labels[idx], "0.5"), capsize=3, linestyle="none")
        shapes = [ax.plot([], [], marker=MARKERS[i % len(MARKERS)], color="black", linestyle="none",
                          markersize=9, markerfacecolor="none")[0] for i in range(len(designs))]
        first = ax.legend(shapes, [text(d) for d in designs], title="design (marker)", frameon=False,
                          fontsize=10, title_fontsize=11, loc="upper left")
        if scenario:
            swatches = [ax.plot([], [], marker="s", color="black", linestyle="none", markersize=9,
                                markerfacecolor=shade)[0] for shade in fills.values()]
            ax.add_artist(first)
            ax.legend(swatches, [text(k) for k in fills], title="scenario (fill)", frameon=False,
                      fontsize=10, title_fontsize=11, loc="lower right")
        ax.axhline(0, color="0.5", linewidth=1)
        ax.axvline(0, color="0.5", linewidth=1)
        ax.set_xlabel("added guarantor cost vs baseline (bn USD)")
        ax.set_ylabel("collapse risk averted (percentage points)")
        ax.grid(True, color="0.9")
        ax.set_title("Cost-effectiveness (paired, 95% bootstrap)")
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
    values = sorted(map(str, values))
    if baseline in values:
        values.remove(baseline)
        values.insert(0, baseline)
    return values


def _scenario_labels(table: pd.DataFrame, scenario: Sequence[str]) -> pd.Series:
    if not scenario:
        return pd.Series("all", index=table.index)
    return table[list(scenario)].astype(str).agg(" / ".join, axis=1)
