"""The batched NumPy core and a plain-Mesa reference of the same model agree in distribution.

``benchmarks/mesa_reference.py`` writes the model again as a Mesa user would: one replication at a
time, one agent per sector, state, asset and commitment, scalar Python, each replication drawing its
own parameter values. Its random numbers differ from the core's, so the two are compared as samples:
over 2,000 replications of each of three small scenarios built so that collapses, violations,
detections, responses, build-ups, warnings (true and false), stood-down build-ups, surprise
offensives, clashes and escalation episodes are frequent, two-sample tests of collapse, a direct
clash, a surprise offensive, a wider war and the highest escalation rung (chi-squared), collapse
day (log-rank with censoring at the horizon; Kolmogorov-Smirnov on the duration), the
per-replication counts and costs (violations by rung and the defender's, detections,
verifications, misattributions, false alarms, responses triggered and honoured, costs, build-ups
started, detected and stood down, warnings and false warnings: Mann-Whitney U), the final
capabilities and lowest political will (Kolmogorov-Smirnov), and the values drawn for the
parameters the scenario makes uncertain (Kolmogorov-Smirnov) must not reject at alpha = 0.01,
family-wise per scenario (Holm-Bonferroni over its tests). Every test's name, statistic and p-value
is printed (``pytest -s`` or ``-rP`` shows them).

The battery has power: it rejects when the core after a 10 % change in one parameter is compared
with the unchanged model, run by the core (another seed) or by the reference. Where it has little (a
law that differs only where another asset sees the event anyway), the reference's detection law
and build-up law of every asset kind are compared with the core's directly, on grids of
conditions; the reference must know every asset kind and effect type the core registers, and
refuses an asset kind whose two laws it has not both written. With a calibration, both draw the
calibrated parameters from the posterior's particles alike.
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
from deterrence_sim.assets.sar_satellite import SarSatelliteConfig
from deterrence_sim.core.detection import buildup_detection
from deterrence_sim.effects import EFFECTS
from deterrence_sim.simulation import simulate_scenario

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
mesa_reference = importlib.import_module("mesa_reference")

REPLICATIONS = 2_000
ALPHA = 0.01

TRIANGULAR_REGEN = "{dist:triangular,low:0.004,mode:0.0068,high:0.012}"
NORMAL_TEMPERATURE = "{dist:normal,mean:0.5,sd:0.3}"
SHORT_BUILDUP = "{dist:triangular,low:2,mode:6,high:14}"
SHORTER_BUILDUP = "{dist:triangular,low:2,mode:5,high:12}"
FORCE = "guarantee.commitments.reassurance_force.effects.reassurance_force"

#: Small scenarios (4-6 sectors, 40 days) where every phase matters often (the first draws what it
#: does not set from the calibration's posterior, the others run the presets' own): a strong aggressor
#: with short build-ups (days drawn per replication) weighed often, so that build-ups, warnings,
#: aborts, surprise offensives and collapses are frequent; false warnings raised often by one asset;
#: forces that clash often and guarantors with the resolve to climb the escalation ladder. Between
#: them they use every asset kind and every effect type, and every effect acts on warnings.
SCENARIOS: dict[str, list[str]] = {
    # The Paris package: binding support (sanctions, arms surge, military response) and a
    # reassurance force in 4 of the 6 sectors (a tripwire), aid; drones, ground sensors, optical and
    # SAR satellites, drones often lost. The force's light punishment invites serious violations in
    # its sectors, its answer clashes often (0.8), and its guarantors (UK, France) have the resolve
    # to match: escalation episodes in half the replications, some of them wider wars. Warned, the
    # guarantors pre-empt (sanctions, arms, the force moved forward); the abort cost is drawn per
    # replication (uniform 0-30), so some seen build-ups are stood down. Per-replication parameters:
    # a triangular regeneration and a normal decision noise (truncated at 0), besides the theatre's
    # and the profile's own ranges.
    "paris_package_uncertain": [
        "attack=opportunist", "monitoring=us_led_tech", "guarantee=paris_package",
        "theater.n_sectors=6", "sim.horizon_days=40", "attack.required_force_ratio=1.5",
        "attack.opportunity_rate_per_sector_day=0.2", "attack.gain_serious=4",
        f"theater.aggressor.regen_per_day={TRIANGULAR_REGEN}",
        f"attack.temperature={NORMAL_TEMPERATURE}",
        "monitoring.assets.drone_patrols.loss_rate_per_day=0.05",
        "theater.aggressor.capability=3", "attack.offensive_rate_per_day=0.15",
        f"attack.buildup_days={SHORT_BUILDUP}", "attack.abort_cost={dist:uniform,low:0,high:30}",
        f"{FORCE}.punishment=0.5", f"{FORCE}.clash_risk=0.8", "attack.wider_war_loss=30",
        "theater.guarantors.uk.escalation_resolve=80", "theater.guarantors.france.escalation_resolve=80",
        "monitoring.assets.sar_satellites.false_warnings_per_year=60",
    ],
    # Heavy jamming and cloud, under which SAR satellites (made sharper here) carry much of the
    # detection of violations, but see build-ups poorly, so that jammed drones and ground sensors
    # and clouded optical satellites decide whether a build-up is seen (a third of the offensives
    # are surprises); sanctions snap back after 3 verified minor violations within days, and are
    # imposed at once on a warning (true or false: ground sensors raise false ones often); their
    # drag on a declining aggressor opens a window of opportunity; seen build-ups are stood down
    # when going on is worth less than nothing.
    "sanctions_jammed_window": [
        "attack=revisionist", "monitoring=us_led_tech_jammed", "guarantee=sanctions", "calibration=none",
        "theater.n_sectors=6", "sim.horizon_days=40", "attack.required_force_ratio=2",
        "attack.opportunity_rate_per_sector_day=0.2", "attack.window_weight=60",
        "theater.aggressor.regen_per_day=0.004", "attack.offensive_rate_per_day=0.15",
        f"attack.buildup_days={SHORTER_BUILDUP}", "attack.abort_cost=0",
        "monitoring.assets.sar_satellites.looks_per_day=3",
        "monitoring.assets.sar_satellites.p_detect_minor=0.1",
        "monitoring.assets.sar_satellites.p_detect_buildup=0.05",
        "monitoring.assets.ground_sensors.false_warnings_per_year=60",
        "guarantee.commitments.sanctions_snapback.trigger_count=3",
        "guarantee.commitments.sanctions_snapback.response_delay_days=3",
        "guarantee.commitments.sanctions_snapback.effects.sanctions.drag_per_day=0.006",
    ],
    # Observer teams and drones, collective defence, at zero temperature everywhere: best
    # responses in the sectors (ties to the lower rung), a build-up started when its utility is
    # positive, a seen one stood down exactly when going on is worth less than the abort cost
    # (drawn per replication), and deterministic moves on the escalation ladder (the aggressor's
    # resolve drawn per replication; guarantors resolved enough to match). The military response
    # clashes often and answers every verified serious violation.
    "collective_best_response": [
        "attack=cautious", "monitoring=osce_observers", "guarantee=collective_defence", "calibration=none",
        "theater.n_sectors=4", "sim.horizon_days=40", "attack.required_force_ratio=1.5",
        "attack.opportunity_rate_per_sector_day=0.3", "attack.gain_serious=6", "attack.offensive_cost=0",
        "attack.temperature=0", "attack.offensive_temperature=0", "attack.escalation_temperature=0",
        "attack.offensive_rate_per_day=0.2", "theater.aggressor.capability=3",
        "theater.defender.warned_capability_gain=1", f"attack.buildup_days={SHORTER_BUILDUP}",
        "attack.abort_cost={dist:uniform,low:0,high:20}", "attack.wider_war_loss=40",
        "theater.guarantors.us.political_will={dist:uniform,low:0.2,high:0.9}",
        "monitoring.assets.smm_drones.loss_rate_per_day=0.05",
        "monitoring.assets.observer_patrols.p_detect_buildup=0.5", "monitoring.p_verify_single=0.8",
        "guarantee.commitments.collective_defence.trigger_count=1",
        "guarantee.commitments.collective_defence.effects.sanctions.punishment=0.5",
        "guarantee.commitments.collective_defence.effects.military_response.punishment=1",
        "guarantee.commitments.collective_defence.effects.military_response.clash_risk=0.6",
        *(f"theater.guarantors.{g}.escalation_resolve=100" for g in ("us", "uk", "france", "germany")),
    ],
}

#: Parameters whose per-replication draws are compared directly, by scenario.
BUILDUP = ["attack.buildup_days", "attack.buildup_signature", "attack.escalation_resolve"]
DRAWN = {"paris_package_uncertain": ["theater.aggressor.regen_per_day", "attack.temperature",
                                     "attack.abort_cost", *BUILDUP],
         "sanctions_jammed_window": BUILDUP,
         "collective_best_response": ["theater.guarantors.us.political_will", "attack.abort_cost",
                                      *BUILDUP]}

#: What each scenario must make frequent in the core (mean per replication above the value).
EXERCISED = {
    "paris_package_uncertain": {"buildups_aborted": 0.1, "warnings": 0.3, "false_warnings": 0.05,
                                "surprise_offensive": 0.05, "escalation_rung_max": 0.5,
                                "wider_war": 0.02},
    "sanctions_jammed_window": {"buildups_aborted": 0.2, "warnings": 0.3, "false_warnings": 0.05,
                                "surprise_offensive": 0.2},
    "collective_best_response": {"buildups_aborted": 0.01, "warnings": 0.05,
                                 "surprise_offensive": 0.1, "escalation_rung_max": 0.1},
}

FLAGS = ("collapsed", "direct_clash", "surprise_offensive", "wider_war")
COUNTS = ("violations_minor", "violations_serious", "defender_violations_minor", "detected",
          "verified", "verified_spurious", "misattributed", "false_alarms", "responses_triggered",
          "responses_honoured", "aggressor_cost", "guarantor_cost", "buildups_started",
          "buildups_detected", "buildups_aborted", "warnings", "false_warnings")
CONTINUOUS = ("final_aggressor_capability", "final_defender_capability", "min_political_will")


def _scenario(overrides: list[str], seed: int = 20260106, replications: int = REPLICATIONS):
    return compose_scenario([*overrides, f"sim.replications={replications}", f"sim.seed={seed}"])


@cache
def _named(name: str):
    """Scenario ``name`` of :data:`SCENARIOS`, composed once per test session."""
    return _scenario(SCENARIOS[name])


@cache
def _samples(name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The core's and the reference's runs of a scenario (computed once per test session)."""
    scenario = _named(name)
    core = simulate_scenario(scenario).runs
    ref = pd.DataFrame(mesa_reference.simulate_reference(scenario, REPLICATIONS, seed=7))
    return core, ref


def battery(core: pd.DataFrame, ref: pd.DataFrame, horizon: int,
            drawn: list[str] = ()) -> list[tuple[str, str, float, float]]:
    """(quantity, test, statistic, p-value) of every two-sample test of the two samples."""
    out = []
    for name in (*FLAGS, "escalation_rung_max"):      # flags, and the rungs reached
        out.append((name, *_chi_squared(core[name], ref[name])))

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


def _chi_squared(a: pd.Series, b: pd.Series) -> tuple[str, float, float]:
    """Chi-squared test that two samples of a few ordered levels (flags, rungs) share one
    distribution. Levels seen in neither are left out, and the top levels are pooled while the
    highest holds fewer than 10 of both samples together (the approximation needs counts)."""
    a, b = a.to_numpy(), b.to_numpy()
    levels = sorted(set(a) | set(b))
    table = np.array([[np.sum(x == level) for level in levels] for x in (a, b)])
    while table.shape[1] > 2 and table[:, -1].sum() < 10:
        table = np.column_stack([table[:, :-2], table[:, -2] + table[:, -1]])
    if table.shape[1] < 2:
        return "constant in both", np.nan, 1.0
    chi2 = stats.chi2_contingency(table)
    return "chi-squared", chi2.statistic, chi2.pvalue


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
    scenario = _named(name)
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
    for column, least in EXERCISED[name].items():
        assert core[column].astype(float).mean() > least, (column, text)
    rejected = holm_rejects([p for *_, p in rows], ALPHA)
    assert not any(rejected), text


@pytest.mark.parametrize("unchanged", ["core", "reference"])
def test_battery_detects_a_ten_percent_change_in_one_parameter(unchanged: str) -> None:
    name = "paris_package_uncertain"
    base = _named(name)
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
    base = mesa_reference.MonitoringAsset
    for cls in mesa_reference.ASSET_KINDS.values():    # each writes its own detection and build-up laws
        assert all(getattr(cls, law) is not getattr(base, law) for law in mesa_reference.ASSET_LAWS), cls


class _SightOnly(mesa_reference.MonitoringAsset):
    """An asset kind written with a detection law and no build-up law."""

    def law(self, p_look: float, visibility: float) -> float:
        return p_look * visibility


@pytest.mark.parametrize(("known", "message"), [
    (None, r"has no asset kind SarSatelliteConfig \('sar_satellites'\); write it in"),
    (_SightOnly, r"asset kind _SightOnly \('sar_satellites'\) has no buildup_law; write it in"),
])
def test_an_asset_kind_the_reference_has_not_written_in_full_is_refused(monkeypatch, known, message) -> None:
    if known is None:
        monkeypatch.delitem(mesa_reference.ASSET_KINDS, SarSatelliteConfig)
    else:
        monkeypatch.setitem(mesa_reference.ASSET_KINDS, SarSatelliteConfig, known)
    with pytest.raises(NotImplementedError, match=message):
        mesa_reference.ReferenceModel(_named("sanctions_jammed_window"), 0)


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


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_asset_kinds_buildup_law_matches_the_core(kind: str) -> None:
    """The reference's build-up law (plain Python), per look and over a day's looks, against the
    kind's ``buildup_look`` (NumPy) and ``core.detection.buildup_detection`` on a grid of
    signatures, cloud, jamming and looks."""
    config = KINDS[kind].config
    names = {f.name for f in dataclasses.fields(config)}
    sensitivity = {k: v for k, v in (("jam_sensitivity", 0.7), ("cloud_sensitivity", 0.4)) if k in names}
    grid = list(itertools.product([0.0, 0.3, 1.0], [0.0, 0.3, 0.95], [0.0, 0.4, 0.9]))
    signature, cloud, jamming = (np.array(x) for x in zip(*grid, strict=True))
    law = mesa_reference.ASSET_KINDS[config].buildup_law
    for looks in (0.5, 2.5, 24.0):
        cfg = config(name=kind, looks_per_day=looks, p_detect_buildup=0.4, **sensitivity)
        core = np.broadcast_to(KINDS[kind].buildup_look(cfg, signature, cloud, jamming), len(grid))
        ref = [law(SimpleNamespace(cfg=cfg, model=SimpleNamespace(cloud=c, jamming=j)), s)
               for s, c, j in grid]
        np.testing.assert_allclose(ref, core, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose([mesa_reference.seen_in_a_day(q, looks) for q in ref],
                                   buildup_detection(core, looks), rtol=1e-12, atol=1e-15)
    assert np.ptp(core) > 0.1                      # the grid moves the law


def test_calibrated_parameters_are_drawn_from_the_posterior_alike(tmp_path) -> None:
    """With a calibration, each replication takes one particle by weight, in both; a whole-number
    parameter is cast as the core casts it."""
    particles = pd.DataFrame({"attack.abort_cost": [1.0, 5.0, 9.0], "attack.buildup_days": [3.0, 7.0, 11.0],
                              "weight": [0.2, 0.5, 0.3]})
    particles.to_parquet(tmp_path / "posterior.parquet")
    scenario = _scenario(["monitoring=none", "guarantee=none", "theater.n_sectors=2", "sim.horizon_days=1",
                          f"calibration.posterior={tmp_path / 'posterior.parquet'}"], replications=600)
    core = simulate_scenario(scenario).runs
    ref = pd.DataFrame(mesa_reference.simulate_reference(scenario, 600, seed=7))
    for runs in (core, ref):
        pairs = set(zip(runs["param.attack.abort_cost"], runs["param.attack.buildup_days"], strict=True))
        assert pairs == {(1.0, 3), (5.0, 7), (9.0, 11)}
    p = _chi_squared(core["param.attack.abort_cost"], ref["param.attack.abort_cost"])[2]
    assert p > 0.001, p
    assert ref["param.attack.buildup_days"].map(type).eq(int).all()
