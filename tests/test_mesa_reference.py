"""The batched NumPy core and a plain-Mesa reference of the same model agree in distribution.

``benchmarks/mesa_reference.py`` writes the model again as a Mesa user would: one replication at a
time, one agent per sector, state, asset and commitment, scalar Python, each replication drawing its
own parameter values. Its random numbers differ from the core's, so the two are compared as samples:
over 2,000 replications of each of three small scenarios built so that collapses, violations,
detections and responses are frequent, two-sample tests of collapse and of a direct clash
(chi-squared), collapse day (log-rank with censoring at the horizon; Kolmogorov-Smirnov on the
duration), the per-replication counts and costs (violations by rung and the defender's, detections,
verifications, misattributions, false alarms, responses triggered and honoured, costs: Mann-Whitney
U), the final capabilities and lowest political will (Kolmogorov-Smirnov), and the values drawn for
the parameters the scenario makes uncertain (Kolmogorov-Smirnov) must not reject at alpha = 0.01,
family-wise per scenario (Holm-Bonferroni over its tests). Every test's name, statistic and p-value
is printed (``pytest -s`` or ``-rP`` shows them).

The battery has power: it rejects when the core after a 10 % change in one parameter is compared
with the unchanged model, run by the core (another seed) or by the reference. Where it has little (a
detection law that differs only where another asset sees the event anyway), the reference's
detection law of every asset kind is compared with the core's directly, on a grid of conditions, and
the reference must know every asset kind and effect type the core registers.
"""

from __future__ import annotations

import dataclasses
import importlib
import itertools
import sys
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from deterrence_sim import compose_scenario
from deterrence_sim.assets import KINDS
from deterrence_sim.effects import EFFECTS
from deterrence_sim.simulation import simulate_scenario

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
mesa_reference = importlib.import_module("mesa_reference")

REPLICATIONS = 2_000
ALPHA = 0.01

TRIANGULAR_REGEN = "{dist:triangular,low:0.004,mode:0.0068,high:0.012}"
NORMAL_TEMPERATURE = "{dist:normal,mean:0.5,sd:0.3}"

#: Small scenarios (4-8 sectors, 60-90 days) where every phase matters often. Between them they use
#: every asset kind and every effect type.
SCENARIOS: dict[str, list[str]] = {
    # The Paris package: binding support (sanctions, arms surge, military response) and a
    # reassurance force in 4 of the 6 sectors (a tripwire), aid; drones, ground sensors, optical and
    # SAR satellites, drones often lost. Per-replication parameters: a triangular regeneration and
    # a normal decision noise (truncated at 0), besides the theatre's and the profile's own ranges.
    "paris_package_uncertain": [
        "attack=opportunist", "monitoring=us_led_tech", "guarantee=paris_package",
        "theater.n_sectors=6", "sim.horizon_days=90", "attack.required_force_ratio=1.5",
        "attack.opportunity_rate_per_sector_day=0.2",
        f"theater.aggressor.regen_per_day={TRIANGULAR_REGEN}",
        f"attack.temperature={NORMAL_TEMPERATURE}",
        "monitoring.assets.drone_patrols.loss_rate_per_day=0.05",
    ],
    # Heavy jamming and cloud, under which SAR satellites (made sharper here) carry much of the
    # detection; sanctions snap back after 3 verified minor violations within days, and their drag
    # on a declining aggressor opens a window of opportunity (in the core, 8,000 replications: a
    # collapse risk of 0.74; 0.68 without the drag, 0.60 without the window term).
    "sanctions_jammed_window": [
        "attack=revisionist", "monitoring=us_led_tech_jammed", "guarantee=sanctions",
        "theater.n_sectors=8", "sim.horizon_days=60", "attack.required_force_ratio=2",
        "attack.opportunity_rate_per_sector_day=0.2", "attack.window_weight=60",
        "theater.aggressor.regen_per_day=0.004",
        "monitoring.assets.sar_satellites.looks_per_day=3",
        "monitoring.assets.sar_satellites.p_detect_minor=0.1",
        "guarantee.commitments.sanctions_snapback.trigger_count=3",
        "guarantee.commitments.sanctions_snapback.response_delay_days=3",
        "guarantee.commitments.sanctions_snapback.effects.sanctions.drag_per_day=0.006",
    ],
    # Observer teams and drones, collective defence, at zero temperature (best responses, ties to
    # the lower rung) and an offensive decided by the sign of its utility.
    "collective_best_response": [
        "attack=cautious", "monitoring=osce_observers", "guarantee=collective_defence",
        "theater.n_sectors=4", "sim.horizon_days=60", "attack.required_force_ratio=1.5",
        "attack.opportunity_rate_per_sector_day=0.3", "attack.gain_serious=6", "attack.offensive_cost=0",
        "attack.temperature=0", "attack.offensive_temperature=0", "attack.offensive_rate_per_day=0.05",
        "theater.guarantors.us.political_will={dist:uniform,low:0.2,high:0.9}",
        "monitoring.assets.smm_drones.loss_rate_per_day=0.05",
    ],
}

#: Parameters whose per-replication draws are compared directly, by scenario.
DRAWN = {"paris_package_uncertain": ["theater.aggressor.regen_per_day", "attack.temperature"],
         "collective_best_response": ["theater.guarantors.us.political_will"]}

COUNTS = ("violations_minor", "violations_serious", "defender_violations_minor", "detected",
          "verified", "verified_spurious", "misattributed", "false_alarms", "responses_triggered",
          "responses_honoured", "aggressor_cost", "guarantor_cost")
CONTINUOUS = ("final_aggressor_capability", "final_defender_capability", "min_political_will")


def _scenario(overrides: list[str], seed: int = 20260106):
    return compose_scenario([*overrides, f"sim.replications={REPLICATIONS}", f"sim.seed={seed}"])


@cache
def _samples(name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The core's and the reference's runs of a scenario (computed once per test session)."""
    scenario = _scenario(SCENARIOS[name])
    core = simulate_scenario(scenario).runs
    ref = pd.DataFrame(mesa_reference.simulate_reference(scenario, REPLICATIONS, seed=7))
    return core, ref


def battery(core: pd.DataFrame, ref: pd.DataFrame, horizon: int,
            drawn: list[str] = ()) -> list[tuple[str, str, float, float]]:
    """(quantity, test, statistic, p-value) of every two-sample test of the two samples."""
    out = []
    for flag in ("collapsed", "direct_clash"):
        table = np.array([[core[flag].sum(), (~core[flag]).sum()], [ref[flag].sum(), (~ref[flag]).sum()]])
        if table[:, 0].sum() == 0 or table[:, 1].sum() == 0:
            out.append((flag, "constant in both", np.nan, 1.0))
            continue
        chi2 = stats.chi2_contingency(table)
        out.append((flag, "chi-squared", chi2.statistic, chi2.pvalue))

    def censored(runs: pd.DataFrame) -> stats.CensoredData:
        held = ~runs["collapsed"].to_numpy(dtype=bool)
        days = runs["duration_days"].to_numpy(dtype=float)
        return stats.CensoredData(uncensored=days[~held], right=np.full(held.sum(), float(horizon)))

    lr = stats.logrank(censored(core), censored(ref))
    out.append(("collapse day", "log-rank", lr.statistic, lr.pvalue))
    ks = stats.ks_2samp(core["duration_days"], ref["duration_days"], method="asymp")
    out.append(("duration_days", "Kolmogorov-Smirnov", ks.statistic, ks.pvalue))
    for name in COUNTS:
        # Rounded: a cost summed in another order differs in its last bits, and Mann-Whitney would
        # read those systematic differences between otherwise tied values as a shift.
        a, b = (np.round(x[name].to_numpy(dtype=float), 9) for x in (core, ref))
        if np.ptp(np.concatenate([a, b])) == 0:
            out.append((name, "constant in both", np.nan, 1.0))
            continue
        mw = stats.mannwhitneyu(a, b)
        out.append((name, "Mann-Whitney U", mw.statistic, mw.pvalue))
    for name in (*CONTINUOUS, *(f"param.{path}" for path in drawn)):
        ks = stats.ks_2samp(core[name].to_numpy(dtype=float), ref[name].to_numpy(dtype=float),
                            method="asymp")
        out.append((name, "Kolmogorov-Smirnov", ks.statistic, ks.pvalue))
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
    lines = [title, f"{'quantity':44s} {'test':20s} {'statistic':>12s} {'p':>8s}  core mean  ref mean"]
    col = {"collapse day": "duration_days"}
    for name, test, statistic, p in rows:
        c = col.get(name, name)
        lines.append(f"{name:44s} {test:20s} {statistic:12.4g} {p:8.4f}  "
                     f"{core[c].astype(float).mean():9.4g} {ref[c].astype(float).mean():9.4g}")
    lines.append(f"smallest p: {min(p for *_, p in rows):.4g} over {len(rows)} tests")
    return "\n".join(lines)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_core_and_plain_mesa_reference_agree_in_distribution(name: str) -> None:
    scenario = _scenario(SCENARIOS[name])
    core, ref = _samples(name)
    rows = battery(core, ref, scenario.sim.horizon_days, DRAWN.get(name, []))
    text = report(f"{name}: NumPy core vs plain-Mesa reference, {REPLICATIONS} replications each",
                  rows, core, ref)
    print(text)
    # The scenario exercises what it is meant to (otherwise the tests below say little).
    assert 0.2 < core["collapsed"].mean() < 0.95, text
    assert core["violations_minor"].mean() > 1 and core["detected"].mean() > 1, text
    assert core["responses_triggered"].mean() > 0.1, text
    assert core["verified"].mean() > 0.1, text
    rejected = holm_rejects([p for *_, p in rows], ALPHA)
    assert not any(rejected), text


@pytest.mark.parametrize("unchanged", ["core", "reference"])
def test_battery_detects_a_ten_percent_change_in_one_parameter(unchanged: str) -> None:
    name = "paris_package_uncertain"
    base = _scenario(SCENARIOS[name])
    changed = dataclasses.replace(base, attack=dataclasses.replace(
        base.attack, opportunity_rate_per_sector_day=1.1 * base.attack.opportunity_rate_per_sector_day))
    other = simulate_scenario(dataclasses.replace(changed, sim=dataclasses.replace(base.sim, seed=1))).runs
    core, ref = _samples(name)
    sample = core if unchanged == "core" else ref
    rows = battery(sample, other, base.sim.horizon_days, DRAWN[name])
    print(report(f"{name} ({unchanged}) vs the core with a 10 % higher opportunity rate", rows,
                 sample, other))
    assert any(holm_rejects([p for *_, p in rows], ALPHA))


def test_the_reference_knows_every_asset_kind_and_effect_type() -> None:
    assert set(mesa_reference.ASSET_KINDS) == {kind.config for kind in KINDS.values()}
    assert set(mesa_reference.EFFECT_TYPES) == {effect.config for effect in EFFECTS.values()}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_asset_kinds_detection_law_matches_the_core(kind: str) -> None:
    """The reference's law (plain Python) against the kind's ``probability`` (NumPy) on a grid."""
    config = KINDS[kind].config
    names = {f.name for f in dataclasses.fields(config)}
    cfg = config(name=kind, looks_per_day=2.5, exposure_days=1.5,
                 **{k: v for k, v in (("jam_sensitivity", 0.7), ("cloud_sensitivity", 0.4)) if k in names})
    grid = list(itertools.product([0.05, 0.5, 1.0], [0.6, 0.85, 1.0], [0.0, 0.3, 0.95], [0.0, 0.4, 0.9]))
    p_look, visibility, cloud, jamming = (np.array(x) for x in zip(*grid, strict=True))
    core = KINDS[kind].probability(cfg, p_look, visibility, cloud, jamming)
    law = mesa_reference.ASSET_KINDS[config].law
    ref = [law(SimpleNamespace(cfg=cfg, model=SimpleNamespace(cloud=c, jamming=j)), p, v)
           for p, v, c, j in grid]
    np.testing.assert_allclose(ref, np.broadcast_to(core, len(grid)), rtol=1e-12, atol=1e-15)
