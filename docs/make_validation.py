"""Write docs/validation.md: the calibrated model against the record, in and out of sample.

    python docs/make_validation.py                        # make validate: the shipped calibration
    python docs/make_validation.py --replications 200     # quicker, wider intervals

Every number is computed here from runs of the calibrated model (``calibration=<name>``: each
replication draws one weighted particle of the posterior) or read from
``experiments/calibration/published.yaml`` and the target sets; nothing is typed. Designs are run
on common random numbers (the same seed), so their comparisons are paired. No parameter is
adjusted to match anything on the page: the design effects come out of the mechanisms.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

import deterrence_sim as ds
from deterrence_sim.analysis.hazard import hazard_ratio, interval_hazards
from deterrence_sim.calibration import load_targets, wilson_interval
from deterrence_sim.calibration.posterior import posterior_path
from deterrence_sim.report.figures import GRAYS, LINESTYLES, _figure, _png, _rc

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "experiments" / "calibration" / "published.yaml"
PROG = "make_validation"
BARE = ["theater=ukraine_2026", "attack=opportunist", "monitoring=none", "guarantee=none"]
SCENARIOS = {                       # name -> overrides of the bare truce
    "bare truce": [],
    "reassurance force": ["guarantee=reassurance_force"],
    "collective defence": ["guarantee=collective_defence"],
    "observers only": ["monitoring=osce_observers"],
    "reassurance force + observers": ["guarantee=reassurance_force", "monitoring=osce_observers"],
    "cautious attacker": ["attack=cautious"],
    "revisionist attacker": ["attack=revisionist"],
}
ARMED = ("reassurance force", "collective defence", "reassurance force + observers")
YEARS = (365, 730, 1826)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    p.add_argument("--calibration", default="fortna_civil_no_pk",
                   help="a shipped posterior's name, or a .parquet file of weighted particles")
    p.add_argument("--replications", type=int, default=2000, help="replications of each scenario")
    p.add_argument("--horizon-days", type=int, default=1826, help="days simulated (5 years by default)")
    p.add_argument("--seed", type=int, default=20260106)
    p.add_argument("--bootstrap", type=int, default=1000, help="resamples of the hazard ratios' intervals")
    p.add_argument("--override", action="append", default=[], help="an extra override of every scenario")
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "validation.md")
    p.add_argument("--figures", type=Path, default=ROOT / "docs" / "img",
                   help="folder of the figures (linked relative to --out)")
    return p.parse_args(argv)


# --------------------------------------------------------------------------- runs


def calibration_overrides(calibration: str) -> list[str]:
    if calibration.endswith(".parquet"):
        return [f"calibration.posterior={Path(calibration).absolute()}", "calibration.name=file"]
    return [f"calibration={calibration}"]


def run_all(args: argparse.Namespace) -> dict[str, pd.DataFrame]:
    base = [*BARE, *calibration_overrides(args.calibration), f"sim.horizon_days={args.horizon_days}",
            *args.override]
    runs = {}
    for name, extra in SCENARIOS.items():
        print(f"{PROG}: {name} ({args.replications} replications)", file=sys.stderr, flush=True)
        runs[name] = ds.simulate([*base, *extra], replications=args.replications, seed=args.seed).runs
    return runs


def days(runs: pd.DataFrame) -> np.ndarray:
    return runs["collapse_day"].to_numpy(dtype=float, na_value=np.inf)


def share(runs: pd.DataFrame, h: int, horizon: int) -> tuple[float, float, float]:
    """Share failed by day ``h`` with its Wilson interval (NaN beyond the horizon)."""
    if h > horizon:
        return (np.nan, np.nan, np.nan)
    p = float(np.mean(days(runs) <= h))
    low, high = wilson_interval(p, len(runs))
    return p, float(low), float(high)


# --------------------------------------------------------------------------- text helpers


def pct(x: float) -> str:
    return "n/a" if not np.isfinite(x) else f"{100 * x:.0f}%"


def ratio(a: float, b: float) -> float:
    return a / b if np.isfinite(a) and np.isfinite(b) and b > 0 else np.nan


def with_interval(p: float, low: float, high: float) -> str:
    return "n/a (beyond the horizon)" if not np.isfinite(p) else f"{pct(p)} [{pct(low)}, {pct(high)}]"


def table(rows: list[dict]) -> str:
    cols = list(rows[0])
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    out += ["| " + " | ".join(str(r[c]) for c in cols) + " |" for r in rows]
    return "\n".join(out)


def agree(model: tuple[float, float], published: tuple[float, float]) -> str:
    """Whether two intervals overlap: the plainest test of agreement the figures allow."""
    if not all(np.isfinite([*model, *published])):
        return "n/a"
    return "overlap" if model[0] <= published[1] and published[0] <= model[1] else "no overlap"


# --------------------------------------------------------------------------- sections


def calibration_section(args: argparse.Namespace) -> tuple[str, dict]:
    path = posterior_path(args.calibration)
    side = path.with_suffix(".yaml")
    meta = yaml.safe_load(side.read_text()) if side.is_file() else {}
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    lines = ["## Which calibration", "",
             f"Every run below uses the calibration `{args.calibration}`: each replication draws one "
             f"particle of the posterior `{path.name}` (SHA-256 {digest}...) by its weight."]
    if meta:
        lines += ["", table([
            {"setting": "target set", "value": meta.get("targets")},
            {"setting": "calibrated parameters", "value": ", ".join(meta.get("parameters", []))},
            {"setting": "seed, git revision", "value": f"{meta.get('seed')}, {meta.get('git_revision')}"},
            {"setting": "ABC", "value": f"{meta.get('generations')} generations, {meta.get('particles')} "
                                        "particles, final tolerance "
                                        f"{meta.get('final_epsilon', np.nan):.3g}, "
                                        f"stopped by {meta.get('stop_reason')}"},
            {"setting": "scenario", "value": " ".join(meta.get("scenario_overrides", []))}])]
    lines += ["", f"Settings of this page: {args.replications:,} replications per scenario, horizon "
              f"{args.horizon_days} days, seed {args.seed}; every scenario is the bare truce "
              f"(`{' '.join(BARE)}`) with the changes named, on the same random numbers."
              + (f" Extra overrides: `{' '.join(args.override)}`." if args.override else "")]
    return "\n".join(lines), meta


def fit_section(runs: dict[str, pd.DataFrame], args: argparse.Namespace, published: dict, fig: str) -> str:
    targets = load_targets("fortna_civil_no_pk").table.set_index("horizon_days")
    timing = published["timing"]
    rows = []
    for h in sorted({*YEARS, *map(int, timing["shares"])}):
        fitted = h in targets.index
        t = targets.loc[h] if fitted else None
        ref = (t["share_failed"], t["low"], t["high"]) if fitted else tuple(timing["shares"][h])
        m = share(runs["bare truce"], h, args.horizon_days)
        rows.append({"horizon (days)": h, "reference class [95 %]": with_interval(*ref),
                     "calibrated model [95 %]": with_interval(*m),
                     "intervals": agree(m[1:], ref[1:]),
                     "used in the calibration": "yes (target)" if fitted else "no"})
    return "\n".join([
        "## (a) Fit: the calibrated bare truce against the targets", "",
        "Share of ceasefires failed by each horizon. Reference class: the 62 civil-war ceasefires "
        "without peacekeepers of Fortna's data (`fortna_civil_no_pk`); 90 and 180 days were not "
        "calibrated on. Model: the bare truce with the posterior drawn per replication (its "
        "interval is the Monte Carlo interval of the mean share; the spread a sample of 62 would "
        "show is the predictive band of experiments/calibration/fortna_civil_no_pk/README.md).", "",
        table(rows), "", f"![fit]({fig})", ""])


def stress_rows(runs: dict[str, pd.DataFrame], horizon: int) -> str:
    targets = load_targets("fortna_civil_no_pk").table.set_index("horizon_days")
    rows = [{"": "reference class (Fortna, no peacekeepers)",
             **{f"{h} days": with_interval(*targets.loc[h, ["share_failed", "low", "high"]]) for h in YEARS}}]
    for name, label in (("cautious attacker", "cautious"), ("bare truce", "opportunist (calibrated)"),
                        ("revisionist attacker", "revisionist")):
        rows.append({"": f"bare truce, {label}",
                     **{f"{h} days": with_interval(*share(runs[name], h, horizon)) for h in YEARS}})
    return table(rows)


def design_section(runs: dict[str, pd.DataFrame], args: argparse.Namespace, published: dict,
                   fig: str) -> str:
    base = days(runs["bare truce"])
    hr = {name: hazard_ratio(base, days(runs[name]), args.horizon_days, n_resamples=args.bootstrap,
                             seed=args.seed) for name in (*ARMED, "observers only")}
    rows = []
    for name in ARMED:
        r = hr[name]
        risk = [ratio(share(runs[name], h, args.horizon_days)[0], share(runs["bare truce"], h,
                                                                        args.horizon_days)[0])
                for h in (365, 730)]
        rows.append({"model: design against the bare truce": name,
                     "hazard ratio [95 %, paired bootstrap]": f"{r.estimate:.2f} [{r.low:.2f}, {r.high:.2f}]",
                     "risk ratio at 1 / 2 years": " / ".join("n/a" if not np.isfinite(x) else f"{x:.2f}"
                                                             for x in risk),
                     "failures (bare / design)": f"{r.events_baseline} / {r.events_design}"})
    lit = [{"published": e["figure"], "value": _value(e), "sample": e.get("sample", ""),
            "source": e["source"], "label": e["label"]} for e in published["armed_presence"]]
    pk = load_targets(published["with_peacekeepers_shares"]["target_set"]).table.set_index("horizon_days")
    shares = [{"": "with peacekeepers (Fortna, n = 34)",
               **{f"{h} days": with_interval(*pk.loc[h, ["share_failed", "low", "high"]]) for h in YEARS}}]
    for name in ("bare truce", *ARMED):
        cells = {f"{h} days": with_interval(*share(runs[name], h, args.horizon_days)) for h in YEARS}
        shares.append({"": f"model: {name}", **cells})
    obs = hr["observers only"]
    lit_obs = [{"published": e["figure"], "sample": e.get("sample", ""), "source": e["source"],
                "label": e["label"]} for e in published["observers"]]
    first, (point, low, high) = hr["reassurance force"], published["armed_presence"][0]["hazard_ratio"]
    verdict = "within" if low <= first.estimate <= high else "outside"
    return "\n".join([
        "## (b) What was not calibrated, against what is published", "",
        "### Armed third-party presence and the hazard of renewed war", "",
        "The calibration saw only the bare truce. Below, the same replications (same random numbers, "
        "same posterior draws) with an armed presence: the reassurance force (a tripwire in 4 "
        "sectors), binding collective defence, and the force with OSCE-like observers (closest to a "
        "peacekeeping mission, which observes as well as deters).", "",
        table(rows), "", "Published:", "", table(lit), "",
        f"The reassurance force's hazard ratio ({first.estimate:.2f}) is {verdict} the interval of the "
        f"unadjusted ratio in Fortna's data ({point} [{low}, {high}]). The comparison is loose: "
        "peacekeepers in civil wars are not a guarantor's tripwire against a state, and the published "
        "adjusted estimates (a 50-85 % lower risk) come from secondary summaries.", "",
        "Share failed, with and without an armed presence:", "", table(shares), "",
        f"![designs]({fig})", "",
        "### Observer-only missions", "",
        f"Model: OSCE-like observers (`monitoring=osce_observers`) with no guarantee, against the bare "
        f"truce: hazard ratio {obs.estimate:.2f} [{obs.low:.2f}, {obs.high:.2f}] ({obs.events_baseline} / "
        f"{obs.events_design} failures).", "", table(lit_obs), ""])


def _value(entry: dict) -> str:
    if "hazard_ratio" in entry:
        v = entry["hazard_ratio"]
        if len(v) == 3:
            return f"HR {v[0]} [{v[1]}, {v[2]}]"
        return f"HR {v[0]} to {v[1]}" if len(v) == 2 else f"HR about {v[0]}"
    if "risk_ratio" in entry:
        return f"risk ratio about {entry['risk_ratio'][0]}"
    return ""


def timing_section(runs: dict[str, pd.DataFrame], args: argparse.Namespace, published: dict) -> str:
    d = days(runs["bare truce"])
    timing = published["timing"]
    edges = [0, 365, 730, 1826]
    hazards = interval_hazards(d, edges) if args.horizon_days >= 1826 else np.full(3, np.nan)
    targets = load_targets("fortna_civil_no_pk").table.set_index("horizon_days")["share_failed"]
    ref_h = [targets[365], (targets[730] - targets[365]) / (1 - targets[365]),
             (targets[1826] - targets[730]) / (1 - targets[730])]
    failed = d[np.isfinite(d)]
    first_year = float(np.mean(failed <= 365)) if failed.size else np.nan
    rows = [{"measure": "failing in year 1", "model": pct(hazards[0]), "reference class": pct(ref_h[0]),
             "calibrated on": "yes (the 1-year target)"},
            {"measure": "failing in year 2, of those holding after year 1", "model": pct(hazards[1]),
             "reference class": pct(ref_h[1]), "calibrated on": "yes (follows from the targets)"},
            {"measure": "failing in years 3-5, of those holding after year 2", "model": pct(hazards[2]),
             "reference class": pct(ref_h[2]), "calibrated on": "yes (follows from the targets)"},
            {"measure": f"share of the failures (within {args.horizon_days} days) that came in year 1",
             "model": pct(first_year), "reference class": f"{pct(timing['first_year_share_of_failures'])} "
                                                          "(of failures to 2004)", "calibrated on": "no"},
            {"measure": "median day of failure, among failed", "model": f"{np.median(failed):.0f}"
             if failed.size else "n/a", "reference class": f"{timing['median_days_to_failure']}",
             "calibrated on": "no"}]
    return "\n".join([
        "### When failures happen", "",
        "Shares by 90 and 180 days are in table (a). Conditional yearly shares (the discrete hazard):", "",
        table(rows), "", f"Reference class: {timing['source']}.", ""])


def clash_section(runs: dict[str, pd.DataFrame], args: argparse.Namespace, published: dict) -> str:
    rows = []
    for name in ARMED:
        r = runs[name]
        years = r["duration_days"].sum() / 365.25
        clashes = int(r["direct_clash"].sum())
        p = float(r["direct_clash"].mean())
        low, high = wilson_interval(p, len(r))
        rows.append({"model": name, "share of ceasefires with a direct clash [95 %]":
                     f"{pct(p)} [{pct(low)}, {pct(high)}]",
                     "ceasefires with a clash per 10,000 ceasefire-years":
                         f"{1e4 * clashes / years:.0f}" if years else "n/a"})
    lit = [{"published": e["figure"], "source": e["source"], "label": e["label"]}
           for e in published["clashes"]]
    return "\n".join([
        "### How often guarantor and aggressor forces clash", "",
        f"Model: replications (over {args.horizon_days} days) in which a response brought guarantor "
        "and aggressor forces into a direct clash.", "", table(rows), "", table(lit), "",
        "The published figures measure attacks on mostly consent-based, lightly armed UN missions in "
        "civil wars, counted per peacekeeper; the model counts clashes per ceasefire between a "
        "guarantor's combat force and a state aggressor. There is no empirical counterpart to set "
        "beside the model's figure; it is printed so that it can be doubted.", ""])


LIMITS = """## (c) The limits

- **A civil-war reference class for an interstate ceasefire.** The targets are ceasefires in civil
  wars of 1989-1999. The Russia-Ukraine line is an interstate front between a nuclear power and a
  state with a standing army; its belligerents do not have to disarm or share a territory, which is
  what makes civil-war settlements fragile (Walter 1997). Fortna's interstate data (*Peace Time*,
  2004) would be the closer class; its survival shares were not available here in a usable form.
  The calibrated parameters therefore describe how often and how soon *a* ceasefire of the kind in
  the data fails, not this one.
- **What three shares can say.** The targets are three cumulative shares of 62 ceasefires; their
  95 % intervals are about 23 points wide. They pin down roughly two combinations of the calibrated
  parameters (the level and the shape of the failure curve), not each parameter: the posterior has
  ridges (docs/decisions.md). Everything else keeps its documented law.
- **What the data cannot say.** Nothing in them measures monitoring, guarantees, sanctions or a
  reassurance force, so the design effects on this page come from the model's mechanisms and are
  compared, not fitted, with published estimates that are themselves observational (peacekeepers
  were not sent at random) and partly known only from secondary summaries. A hazard ratio for
  observer-only missions and any rate of guarantor-aggressor clashes were not found.
- **Beyond five years** the model is not constrained at all.
"""


def figure_fit(runs: dict[str, pd.DataFrame], horizon: int, published: dict) -> bytes:
    targets = load_targets("fortna_civil_no_pk").table
    with _rc():
        fig = _figure()
        ax = fig.subplots()
        t = np.arange(horizon + 1)
        for i, name in enumerate(("bare truce", "cautious attacker", "revisionist attacker")):
            d = days(runs[name])
            curve = np.array([np.mean(d <= x) for x in t])
            label = {"bare truce": "calibrated bare truce (opportunist)"}.get(name, f"stress test: {name}")
            ax.plot(t / 365.25, curve, color=GRAYS[i], linestyle=LINESTYLES[i], linewidth=2, label=label)
            if i == 0:
                low, high = wilson_interval(curve, len(d))
                ax.fill_between(t / 365.25, low, high, color="0.8", linewidth=0)
        y = targets["share_failed"].to_numpy()
        err = np.vstack([y - targets["low"].to_numpy(), targets["high"].to_numpy() - y])
        ax.errorbar(targets["horizon_days"] / 365.25, y, yerr=err, fmt="o", color="0", capsize=6,
                    label="Fortna, no peacekeepers (targets)")
        extra = published["timing"]["shares"]
        xs = np.array(sorted(map(int, extra)))
        vals = np.array([extra[x] for x in xs])
        err = np.vstack([vals[:, 0] - vals[:, 1], vals[:, 2] - vals[:, 0]])
        ax.errorbar(xs / 365.25, vals[:, 0], yerr=err, fmt="s", color="0", markerfacecolor="white", capsize=6,
                    label="Fortna, not fitted")
        return _survival_png(fig, ax, legend_fontsize=10)


def _survival_png(fig, ax, legend_fontsize: int) -> bytes:
    """A figure of shares failed against years: its axes labelled, then the PNG."""
    ax.set_xlabel("years after the ceasefire")
    ax.set_ylabel("share of ceasefires failed")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=legend_fontsize)
    return _png(fig)


def figure_designs(runs: dict[str, pd.DataFrame], horizon: int) -> bytes:
    pk = load_targets("fortna_civil_pk").table
    no = load_targets("fortna_civil_no_pk").table
    with _rc():
        fig = _figure()
        ax = fig.subplots()
        t = np.arange(horizon + 1)
        for i, name in enumerate(("bare truce", *ARMED, "observers only")):
            d = days(runs[name])
            ax.plot(t / 365.25, [np.mean(d <= x) for x in t], color=GRAYS[i], linestyle=LINESTYLES[i],
                    linewidth=2, label=f"model: {name}")
        for tab, marker, face, label in ((no, "o", "0", "Fortna, no peacekeepers"),
                                         (pk, "D", "white", "Fortna, with peacekeepers")):
            y = tab["share_failed"].to_numpy()
            err = np.vstack([y - tab["low"].to_numpy(), tab["high"].to_numpy() - y])
            ax.errorbar(tab["horizon_days"] / 365.25, y, yerr=err, fmt=marker, color="0",
                        markerfacecolor=face, capsize=5, label=label)
        return _survival_png(fig, ax, legend_fontsize=9)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    published = yaml.safe_load(PUBLISHED.read_text())
    runs = run_all(args)
    args.figures.mkdir(parents=True, exist_ok=True)
    fit_png, designs_png = args.figures / "validation_fit.png", args.figures / "validation_designs.png"
    fit_png.write_bytes(figure_fit(runs, args.horizon_days, published))
    designs_png.write_bytes(figure_designs(runs, args.horizon_days))
    rel = {k: Path(_relative(v, args.out.parent)) for k, v in (("fit", fit_png), ("designs", designs_png))}
    calibration, _ = calibration_section(args)
    page = "\n".join([
        "# Validation: the calibrated model against the record", "",
        "*Generated by `docs/make_validation.py` (`make validate`); do not edit by hand.*", "",
        calibration, "",
        fit_section(runs, args, published, str(rel["fit"])),
        "### The attack profiles as stress tests", "",
        "No attack profile sets a calibrated parameter, so the three profiles keep every trait of "
        "their own (type, opportunism, war-decision rate and noise, beliefs and, for the "
        "revisionist, the window of opportunity) around the calibrated baseline. Their bare-truce "
        "failure shares beside the reference class:", "", stress_rows(runs, args.horizon_days), "",
        design_section(runs, args, published, str(rel["designs"])),
        timing_section(runs, args, published),
        clash_section(runs, args, published),
        LIMITS])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(page)
    print(f"{PROG}: wrote {args.out}", file=sys.stderr)


def _relative(path: Path, start: Path) -> str:
    import os

    return os.path.relpath(path.resolve(), start.resolve())


if __name__ == "__main__":
    main()
