"""Figures of an exploration, drawn for print like :mod:`deterrence_sim.report.figures`.

Each function takes a table from :mod:`deterrence_sim.analysis.sensitivity` or
:mod:`deterrence_sim.analysis.discovery` and returns PNG bytes: the tornado, Sobol' bars with
intervals (S1 and ST, at N/2 and N), Morris μ* against σ, response curves in numeric order and
PRIM's coverage/density trade-off.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from deterrence_sim.analysis.outcomes import OUTCOMES
from deterrence_sim.report.figures import GRAYS, LINESTYLES, MARKERS, _figure, _png, _rc, text

OUTCOME_LABELS = {"collapse_risk": "collapse risk", "wider_war_risk": "wider-war risk",
                  "guarantor_cost": "guarantor cost (bn USD)", "days_to_collapse": "days held (RMST)"}


def outcome_label(name: str) -> str:
    """Axis label of an outcome (its name if it is not one of the declared outcomes)."""
    return OUTCOME_LABELS.get(name, str(name))


def _bars(err: np.ndarray) -> np.ndarray:
    """Error-bar lengths matplotlib accepts: no NaN (an interval not defined), none below 0 (rounding)."""
    return np.clip(np.nan_to_num(err, nan=0.0), 0.0, None)


def tornado_figure(table: pd.DataFrame, title: str | None = None) -> bytes:
    """Horizontal bars from the base case: each parameter at its low (light) and high (dark) end.

    ``table`` is :func:`~deterrence_sim.analysis.sensitivity.tornado`'s output (largest swing
    first, drawn at the top); error bars are the paired 95% intervals of each effect.
    """
    outcome = str(table["outcome"].iloc[0]) if len(table) else ""
    rows = len(table)
    with _rc():
        fig = _figure(height=max(3.5, 1.6 + 0.6 * rows))
        ax = fig.subplots()
        y = np.arange(rows)[::-1]
        for side, gray, hatch, label in (("low", "0.8", "//", "parameter at its low end"),
                                         ("high", "0.3", "", "parameter at its high end")):
            effect = table[f"{side}_effect"].to_numpy(float)
            err = _bars(np.vstack([effect - table[f"{side}_effect_ci_low"].to_numpy(float),
                                   table[f"{side}_effect_ci_high"].to_numpy(float) - effect]))
            ax.barh(y, effect, height=0.6, color=gray, edgecolor="black", hatch=hatch, label=label,
                    xerr=err, error_kw={"ecolor": "black", "capsize": 3, "elinewidth": 1})
        ax.axvline(0, color="black", linewidth=1)
        ax.set_yticks(y, [f"{text(p)}\n[{lo:.3g}, {hi:.3g}]" for p, lo, hi in
                          table[["parameter", "low", "high"]].itertuples(index=False)])
        ax.set_xlabel(f"change in {outcome_label(outcome)} from the base case")
        ax.grid(True, axis="x", color="0.85")
        ax.legend(frameon=False, loc="lower right")
        ax.set_title(text(title or f"One at a time around the base case: {outcome_label(outcome)}"))
        return _png(fig)


def sobol_figure(indices: pd.DataFrame, title: str | None = None) -> bytes:
    """Bars of S1 (hatched) and ST (plain) per parameter, at each base size (shade), with intervals.

    ``indices`` is :func:`~deterrence_sim.analysis.sensitivity.sobol_indices`' output for one
    outcome; parameters are sorted by ST at the largest N.
    """
    sizes = sorted(indices["n"].unique())
    largest = indices[indices["n"] == sizes[-1]].set_index("parameter")["ST"]
    params = list(largest.sort_values(ascending=False, kind="stable").index)
    outcome = str(indices["outcome"].iloc[0]) if len(indices) else ""
    bars = [(k, n) for n in sizes for k in ("S1", "ST")]
    width = 0.8 / len(bars)
    with _rc():
        fig = _figure(width=max(9.0, 2.0 + 1.2 * len(params)))
        ax = fig.subplots()
        x = np.arange(len(params))
        for i, (k, n) in enumerate(bars):
            g = indices[indices["n"] == n].set_index("parameter").loc[params]
            shade = GRAYS[1] if n == sizes[-1] else "0.8"
            ax.bar(x + (i - (len(bars) - 1) / 2) * width, g[k], width,
                   yerr=_bars(g[f"{k}_conf"].to_numpy(float)),
                   color=shade, edgecolor="black", hatch="//" if k == "S1" else "",
                   label=f"{k}, N = {n}", error_kw={"ecolor": "black", "capsize": 2, "elinewidth": 1})
        ax.axhline(0, color="black", linewidth=1)
        ax.set_xticks(x, [text(p) for p in params], rotation=30 if len(params) > 4 else 0, ha="right"
                      if len(params) > 4 else "center")
        ax.set_ylabel("share of the outcome's variance")
        ax.set_ylim(min(-0.05, float(np.nanmin(indices[["S1_low", "ST_low"]].to_numpy())) - 0.02),
                    max(1.0, float(np.nanmax(indices[["S1_high", "ST_high"]].to_numpy())) + 0.02))
        ax.grid(True, axis="y", color="0.85")
        ax.legend(frameon=False, ncols=len(sizes))
        ax.set_title(text(title or f"Sobol' indices: {outcome_label(outcome)} (first order S1, total ST)"))
        return _png(fig)


def morris_figure(indices: pd.DataFrame, title: str | None = None) -> bytes:
    """μ* (x, with its interval) against σ (y), each parameter labelled; σ = μ* dashed.

    Parameters far right matter most; high above the dashed line, their effect depends on the
    other parameters or is non-linear.
    """
    outcome = str(indices["outcome"].iloc[0]) if len(indices) else ""
    with _rc():
        fig = _figure()
        ax = fig.subplots()
        mu, sigma = indices["mu_star"].to_numpy(float), indices["sigma"].to_numpy(float)
        ax.errorbar(mu, sigma, xerr=indices["mu_star_conf"].to_numpy(float), fmt="o", color="black",
                    markerfacecolor="0.6", markersize=9, capsize=3)
        for name, m, s in zip(indices["parameter"], mu, sigma, strict=True):
            ax.annotate(text(name), (m, s), textcoords="offset points", xytext=(6, 6), fontsize=11)
        top = float(max(np.nanmax(mu, initial=0.0), np.nanmax(sigma, initial=0.0))) * 1.15 or 1.0
        ax.plot([0, top], [0, top], linestyle="--", color="0.5", linewidth=1, label="σ = μ*")
        ax.set_xlim(0, top)
        ax.set_ylim(0, top)
        ax.set_xlabel("μ*: mean absolute elementary effect")
        ax.set_ylabel("σ: spread of the elementary effects")
        ax.grid(True, color="0.9")
        ax.legend(frameon=False, loc="upper left")
        ax.set_title(text(title or f"Morris screening: {outcome_label(outcome)}"))
        return _png(fig)


def response_curve_figure(curve: pd.DataFrame, parameter: str, by: str | None = None,
                          title: str | None = None) -> bytes:
    """The outcome against the parameter's value (numeric axis), with 95% bars; one line per ``by``.

    ``curve`` is :func:`~deterrence_sim.analysis.sensitivity.response_curve`'s output.
    """
    outcome = str(curve["outcome"].iloc[0]) if len(curve) else ""
    lines = [(None, curve)] if by is None else list(curve.groupby(by, sort=True))
    with _rc():
        fig = _figure()
        ax = fig.subplots()
        for i, (name, g) in enumerate(lines):
            g = g.sort_values("value")
            est = g["estimate"].to_numpy(float)
            err = _bars(np.vstack([est - g["low"].to_numpy(float), g["high"].to_numpy(float) - est]))
            ax.errorbar(g["value"], est, yerr=err, color=GRAYS[i % len(GRAYS)],
                        linestyle=LINESTYLES[i % len(LINESTYLES)], marker=MARKERS[i % len(MARKERS)],
                        markersize=8, capsize=3, linewidth=2,
                        label=None if name is None else text(name[0] if isinstance(name, tuple) else name))
        if OUTCOMES.get(outcome) is not None and OUTCOMES[outcome].kind == "risk":
            ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel(text(parameter))
        ax.set_ylabel(outcome_label(outcome))
        ax.grid(True, color="0.85")
        if by is not None:
            ax.legend(title=text(by), frameon=False)
        ax.set_title(text(title or f"{outcome_label(outcome)} by {parameter}"))
        return _png(fig)


def prim_tradeoff_figure(trajectory: pd.DataFrame, chosen: int | None = None,
                         title: str | None = None) -> bytes:
    """PRIM's peeling trajectory: coverage (x) against density (y), shade = parameters restricted.

    ``chosen`` (a step) is ringed and labelled.
    """
    with _rc():
        fig = _figure()
        ax = fig.subplots()
        ax.plot(trajectory["coverage"], trajectory["density"], color="0.6", linewidth=1, zorder=1)
        restricted = trajectory["n_restricted"].to_numpy(int)
        top = max(int(restricted.max()), 1)
        for k in sorted(set(restricted)):
            sel = trajectory[restricted == k]
            ax.scatter(sel["coverage"], sel["density"], s=50, color=str(0.85 - 0.75 * k / top),
                       edgecolor="black", marker=MARKERS[k % len(MARKERS)],
                       label=f"{k} restricted", zorder=2)
        if chosen is not None:
            row = trajectory.set_index("step").loc[chosen]
            ax.scatter([row["coverage"]], [row["density"]], s=260, facecolor="none", edgecolor="black",
                       linewidth=2, zorder=3)
            ax.annotate(f"step {chosen}", (row["coverage"], row["density"]), textcoords="offset points",
                        xytext=(-12, -24), fontsize=12)
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel("coverage: share of all cases in the box")
        ax.set_ylabel("density: share of the box that are cases")
        ax.grid(True, color="0.9")
        ax.legend(frameon=False, loc="lower left", title="parameters")
        ax.set_title(text(title or "PRIM: coverage against density"))
        return _png(fig)
