"""Figures and page of a calibration's folder: predictive check, prior against posterior, trace.

Reads tables (the posterior, the trace, the check) and the prior; imports neither Mesa nor Hydra.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from deterrence_sim.calibration import Prior
from deterrence_sim.calibration.posterior import WEIGHT
from deterrence_sim.report.figures import GRAYS, _figure, _png, _rc, text

DAYS_PER_YEAR = 365.25


def check_figure(curve: pd.DataFrame, table: pd.DataFrame, title: str) -> bytes:
    """Share failed against years: the model's mean, its 50 % and 95 % predictive bands, and the
    targets with their intervals (filled: calibrated on; open: not)."""
    with _rc():
        fig = _figure()
        ax = fig.subplots()
        years = curve["day"].to_numpy(float) / DAYS_PER_YEAR
        ax.fill_between(years, curve["band_low"], curve["band_high"], color="0.85", linewidth=0,
                        label="95 % predictive band (a sample of the targets' size)")
        ax.fill_between(years, curve["inner_low"], curve["inner_high"], color="0.65", linewidth=0,
                        label="50 % predictive band")
        ax.plot(years, curve["share_failed"], color="0.0", linewidth=2, label="calibrated model (mean)")
        targets = table.dropna(subset=["target"])
        for calibrated, marker, face in ((True, "o", "0.0"), (False, "s", "white")):
            t = targets[targets["calibrated"] == calibrated]
            if t.empty:
                continue
            x = t["horizon_days"].to_numpy(float) / DAYS_PER_YEAR
            y = t["target"].to_numpy(float)
            err = np.vstack([y - t["target_low"].to_numpy(float), t["target_high"].to_numpy(float) - y])
            ax.errorbar(x, y, yerr=err, fmt=marker, color="0.0", markerfacecolor=face, capsize=6,
                        markersize=8, label="target, 95 % interval" + ("" if calibrated else " (not fitted)"))
        ax.set_xlabel("years after the ceasefire")
        ax.set_ylabel("share of ceasefires failed")
        ax.set_ylim(0, 1)
        ax.set_xlim(0, years[-1])
        ax.set_title(text(title))
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left")
        return _png(fig)


def prior_posterior_figure(prior: Prior, posterior: pd.DataFrame) -> bytes:
    """One panel per parameter: the prior's density (line) and the weighted posterior (bars)."""
    names = prior.names
    with _rc():
        fig = _figure(4.2 * len(names), 4.2)
        axes = np.atleast_1d(fig.subplots(1, len(names)))
        w = posterior[WEIGHT].to_numpy(float)
        for ax, m in zip(axes, prior.marginals, strict=True):
            x = posterior[m.path].to_numpy(float)
            lo_q, hi_q = (float(m.ppf(np.array([q]))[0]) for q in (0.001, 0.999))
            lo, hi = min(lo_q, x.min()), max(hi_q, x.max())
            bins = np.linspace(lo, hi, 31)
            ax.hist(x, bins=bins, weights=w, density=True, color="0.6", edgecolor="0.3",
                    label="posterior")
            grid = np.linspace(lo, hi, 400)
            ax.plot(grid, np.exp(m.logpdf(grid)), color="0.0", linewidth=2, label="prior")
            ax.set_title(text(m.path), fontsize=10)
            ax.tick_params(axis="x", labelsize=9)
            ax.set_yticks([])
        axes[0].legend(loc="upper right", fontsize=10)
        return _png(fig)


def trace_figure(trace: pd.DataFrame) -> bytes:
    """Tolerance and acceptance rate per generation (generation 0, from the prior, has no tolerance)."""
    with _rc():
        fig = _figure(9.0, 4.0)
        left, right = fig.subplots(1, 2)
        later = trace[trace["generation"] > 0]
        left.plot(later["generation"], later["epsilon"], "o-", color=GRAYS[0])
        left.set_xlabel("generation")
        left.set_ylabel("tolerance (epsilon)")
        right.plot(trace["generation"], trace["acceptance_rate"], "s--", color=GRAYS[1])
        right.set_xlabel("generation")
        right.set_ylabel("acceptance rate")
        right.set_ylim(0, 1.05)
        for ax in (left, right):
            ax.grid(alpha=0.3)
            ax.set_xticks(trace["generation"])
        return _png(fig)


def write_figures(out: Path, prior: Prior, posterior: pd.DataFrame, trace: pd.DataFrame,
                  check: Any) -> dict[str, str]:
    """Write the three figures into ``out/figures``; their paths relative to ``out`` by name."""
    folder = out / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    made = {"check": check_figure(check.curve, check.table, "Posterior predictive check"),
            "prior_posterior": prior_posterior_figure(prior, posterior),
            "trace": trace_figure(trace)}
    for name, png in made.items():
        (folder / f"{name}.png").write_bytes(png)
    return {name: f"figures/{name}.png" for name in made}


def _markdown(df: pd.DataFrame, digits: int = 4) -> str:
    cols = list(df.columns)
    lines = ["| " + " | ".join(map(str, cols)) + " |", "|" + "---|" * len(cols)]
    for _, row in df.iterrows():
        cells = []
        for v in row:
            if isinstance(v, float | np.floating):
                cells.append("" if np.isnan(v) else f"{v:.{digits}g}")
            else:
                cells.append("" if v is pd.NA else str(v))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def check_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The check's table as people read it: shares as percentages with their intervals."""
    def pct(x: float) -> str:
        return "" if not np.isfinite(x) else f"{100 * x:.1f}%"

    return pd.DataFrame({
        "horizon (days)": table["horizon_days"],
        "target [95 % interval]": [f"{pct(t)} [{pct(lo)}, {pct(hi)}]" if np.isfinite(t) else "(none)"
                                   for t, lo, hi in zip(table["target"], table["target_low"],
                                                        table["target_high"], strict=True)],
        "model (mean)": [pct(x) for x in table["model"]],
        "model, 95 % predictive band": [f"[{pct(lo)}, {pct(hi)}]" for lo, hi in
                                        zip(table["band_low"], table["band_high"], strict=True)],
        "target inside the band": ["" if pd.isna(x) else ("yes" if x else "no") for x in table["inside"]],
        "fitted": ["yes" if c else "no" for c in table["calibrated"]],
    })


def calibration_page(meta: dict[str, Any], trace: pd.DataFrame, summary: pd.DataFrame, check: Any,
                     cost: dict[str, Any], figures: dict[str, str]) -> str:
    """The Markdown page of a calibration folder."""
    prior = pd.DataFrame([{"parameter": p, "prior": ", ".join(f"{k}: {v}" for k, v in spec.items()
                                                             if k != "bounds")}
                          for p, spec in meta["prior"].items()])
    settings = pd.DataFrame([
        ("target set", meta["targets"]), ("scenario overrides", " ".join(meta["scenario_overrides"])),
        ("replications per particle", meta["replications_per_particle"]),
        *((f"abc.{k}", v) for k, v in meta["abc"].items()), ("seed", meta["seed"]),
        ("git revision", meta["git_revision"]), ("stopped by", meta["stop_reason"]),
        ("generations", meta["generations"]), ("final tolerance", f"{meta['final_epsilon']:.4g}"),
        ("simulated particles (ABC)", f"{cost.get('simulated_particles', 0):,}"),
        ("simulated sector-days (ABC and check)", f"{cost.get('sector_days', 0):,}"),
        ("wall time", f"{cost.get('wall_seconds', 0):.0f} s"),
        ("CPU time (this process and its workers)", f"{cost.get('cpu_seconds', 0):.0f} s"),
    ], columns=["setting", "value"])
    return "\n".join([
        f"# Calibration to `{meta['targets']}`",
        "",
        "*Written by `deterrence-sim-calibrate`; do not edit by hand.*",
        "",
        "## Settings",
        "",
        _markdown(settings.astype(str)),
        "",
        "## Priors",
        "",
        _markdown(prior),
        "",
        "## Posterior",
        "",
        "Weighted mean, standard deviation and 2.5 / 50 / 97.5 % quantiles of the last generation.",
        "",
        _markdown(summary),
        "",
        f"![prior and posterior]({figures['prior_posterior']})",
        "",
        "## Posterior predictive check",
        "",
        f"{check.draws} particles drawn from the posterior by weight, {check.replications} independent "
        "replications each (a sample of the targets' size): the band is where the share failed of such "
        "a sample falls, to be read against the targets' own 95 % intervals.",
        "",
        _markdown(check_rows(check.table)),
        "",
        f"![posterior predictive check]({figures['check']})",
        "",
        "## ABC trace",
        "",
        _markdown(trace),
        "",
        f"![trace]({figures['trace']})",
        "",
    ])
