"""The batched NumPy core and a plain-Mesa reference of the same model agree in distribution.

``benchmarks/mesa_reference.py`` writes the model again as a Mesa user would: one replication at a
time, one agent per sector and per state, scalar Python. Its random streams differ from the core's,
so the two are compared as samples: over 2,000 replications of each of three small scenarios built
so that collapses, violations, detections and responses are frequent, two-sample tests of collapse
(chi-squared), collapse day (log-rank with censoring at the horizon; Kolmogorov-Smirnov on the
duration), violations by rung, detections, verifications and responses (Mann-Whitney U) must not
reject at alpha = 0.01, family-wise per scenario (Holm-Bonferroni over its tests). Every test's
name, statistic and p-value is printed (``pytest -s`` or ``-rP`` shows them).

A last test shows the battery has power: it rejects when the core is compared with itself after a
10 % change in one parameter.
"""

from __future__ import annotations

import dataclasses
import importlib
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from deterrence_sim import compose_scenario
from deterrence_sim.simulation import simulate_scenario

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
mesa_reference = importlib.import_module("mesa_reference")

REPLICATIONS = 2_000
ALPHA = 0.01

#: Small scenarios (4-8 sectors, 60-90 days) where every phase matters often.
SCENARIOS: dict[str, list[str]] = {
    # The Paris package: two commitments, one with a present force (the tripwire), aid.
    "paris_package": [
        "attack=opportunist", "monitoring=us_led_tech", "guarantee=paris_package",
        "theater.n_sectors=6", "sim.horizon_days=90", "attack.required_force_ratio=1.5",
        "attack.opportunity_rate_per_sector_day=0.2",
    ],
    # Jammed monitoring, sanctions triggered by repeated minor violations, window-of-opportunity term.
    "sanctions_jammed_window": [
        "attack=revisionist", "monitoring=us_led_tech_jammed", "guarantee=sanctions",
        "theater.n_sectors=8", "sim.horizon_days=60", "attack.required_force_ratio=2",
        "attack.opportunity_rate_per_sector_day=0.2",
    ],
    # Observers and collective defence, at zero temperature (best responses, ties to the lower rung).
    "collective_best_response": [
        "attack=cautious", "monitoring=osce_observers", "guarantee=collective_defence",
        "theater.n_sectors=4", "sim.horizon_days=60", "attack.required_force_ratio=1.5",
        "attack.opportunity_rate_per_sector_day=0.3", "attack.gain_serious=6", "attack.offensive_cost=0",
        "attack.temperature=0", "attack.offensive_temperature=0", "attack.offensive_rate_per_day=0.05",
    ],
}

COUNTS = ("violations_minor", "violations_serious", "detected", "verified", "responses_triggered")


def _scenario(overrides: list[str], seed: int = 20260106):
    return compose_scenario([*overrides, f"sim.replications={REPLICATIONS}", f"sim.seed={seed}"])


def battery(core: pd.DataFrame, ref: pd.DataFrame, horizon: int) -> list[tuple[str, str, float, float]]:
    """(quantity, test, statistic, p-value) of every two-sample test of the two samples."""
    out = []
    table = [[core["collapsed"].sum(), (~core["collapsed"]).sum()],
             [ref["collapsed"].sum(), (~ref["collapsed"]).sum()]]
    chi2 = stats.chi2_contingency(table)
    out.append(("collapsed", "chi-squared", chi2.statistic, chi2.pvalue))

    def censored(runs: pd.DataFrame) -> stats.CensoredData:
        held = ~runs["collapsed"].to_numpy(dtype=bool)
        days = runs["duration_days"].to_numpy(dtype=float)
        return stats.CensoredData(uncensored=days[~held], right=np.full(held.sum(), float(horizon)))

    lr = stats.logrank(censored(core), censored(ref))
    out.append(("collapse day", "log-rank", lr.statistic, lr.pvalue))
    ks = stats.ks_2samp(core["duration_days"], ref["duration_days"], method="asymp")
    out.append(("duration (days)", "Kolmogorov-Smirnov", ks.statistic, ks.pvalue))
    for name in COUNTS:
        a, b = core[name].to_numpy(dtype=float), ref[name].to_numpy(dtype=float)
        if np.ptp(np.concatenate([a, b])) == 0:
            out.append((name, "constant in both", np.nan, 1.0))
            continue
        mw = stats.mannwhitneyu(a, b)
        out.append((name, "Mann-Whitney U", mw.statistic, mw.pvalue))
    return out


def holm_rejects(pvalues: list[float], alpha: float) -> list[bool]:
    """Holm-Bonferroni: which hypotheses are rejected at family-wise level ``alpha``."""
    order = np.argsort(pvalues)
    rejected = [False] * len(pvalues)
    for rank, i in enumerate(order):
        if pvalues[i] > alpha / (len(pvalues) - rank):
            break
        rejected[i] = True
    return rejected


def report(title: str, rows: list[tuple[str, str, float, float]], core: pd.DataFrame,
           ref: pd.DataFrame) -> str:
    lines = [title, f"{'quantity':22s} {'test':20s} {'statistic':>12s} {'p':>8s}  core mean  ref mean"]
    col = {"collapsed": "collapsed", "collapse day": "duration_days", "duration (days)": "duration_days"}
    for name, test, statistic, p in rows:
        c = col.get(name, name)
        lines.append(f"{name:22s} {test:20s} {statistic:12.4g} {p:8.4f}  {core[c].mean():9.3f} "
                     f"{ref[c].mean():9.3f}")
    return "\n".join(lines)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_core_and_plain_mesa_reference_agree_in_distribution(name: str) -> None:
    scenario = _scenario(SCENARIOS[name])
    core = simulate_scenario(scenario).runs
    ref = pd.DataFrame(mesa_reference.simulate_reference(scenario, REPLICATIONS, seed=7))
    rows = battery(core, ref, scenario.sim.horizon_days)
    text = report(f"{name}: NumPy core vs plain-Mesa reference, {REPLICATIONS} replications each",
                  rows, core, ref)
    print(text)
    # The scenario exercises what it is meant to (otherwise the tests below say little).
    assert 0.2 < core["collapsed"].mean() < 0.95, text
    assert core["violations_minor"].mean() > 1 and core["detected"].mean() > 1, text
    assert core["responses_triggered"].mean() > 0.1, text
    rejected = holm_rejects([p for *_, p in rows], ALPHA)
    assert not any(rejected), text


def test_battery_detects_a_ten_percent_change_in_one_parameter() -> None:
    overrides = SCENARIOS["paris_package"]
    base = _scenario(overrides)
    changed = dataclasses.replace(base, attack=dataclasses.replace(
        base.attack, opportunity_rate_per_sector_day=1.1 * base.attack.opportunity_rate_per_sector_day))
    core = simulate_scenario(base).runs
    other = simulate_scenario(dataclasses.replace(changed, sim=dataclasses.replace(base.sim, seed=1))).runs
    rows = battery(core, other, base.sim.horizon_days)
    print(report("paris_package vs the same with a 10 % higher opportunity rate", rows, core, other))
    assert any(holm_rejects([p for *_, p in rows], ALPHA))
