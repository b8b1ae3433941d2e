"""Behaviour of the whole model (DESIGN §6): the closed forms it must reproduce, its invariants,
monotonicity on common random numbers, preventive war, masking, reproducibility and validation.

Every test runs the real model (``CeasefireModel`` or ``simulate_scenario``) on a scenario composed
from Hydra overrides, sometimes with a field swapped in Python (``vary``), which re-validates.
"""

from __future__ import annotations

import dataclasses as dc
import itertools
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from deterrence_sim import CeasefireModel, ConfigError, ScenarioConfig, compose_scenario, simulate
from deterrence_sim.assets.base import AssetConfig
from deterrence_sim.assets.drone_fleet import DroneFleetConfig
from deterrence_sim.assets.optical_satellite import OpticalSatelliteConfig
from deterrence_sim.config import CommitmentConfig, Severity
from deterrence_sim.core.decision import (
    deterrence_credibility_threshold,
    inspection_detection_threshold,
)
from deterrence_sim.simulation import simulate_scenario

# ----------------------------------------------------------------------------- helpers


def vary(node: Any, changes: dict[str, Any]) -> Any:
    """Copy of a config with dotted fields replaced; replacing the root re-runs validation."""
    grouped: dict[str, dict[str, Any]] = {}
    for path, value in changes.items():
        head, _, rest = path.partition(".")
        grouped.setdefault(head, {})[rest] = value
    new = {head: sub[""] if "" in sub else vary(getattr(node, head), sub)
           for head, sub in grouped.items()}
    return dc.replace(node, **new)


def with_assets(sc: ScenarioConfig, *assets: AssetConfig) -> ScenarioConfig:
    return vary(sc, {"monitoring.assets": {a.name: a for a in assets}})


def with_commitments(sc: ScenarioConfig, **changes: Any) -> ScenarioConfig:
    """The same design with ``changes`` applied to every commitment."""
    return vary(sc, {"guarantee.commitments": {k: dc.replace(c, **changes)
                                               for k, c in sc.guarantee.commitments.items()}})


def only_commitment(sc: ScenarioConfig, punishment: float = 0.0, punishment_offensive: float = 0.0,
                    **changes: Any) -> ScenarioConfig:
    """The design's first commitment alone, its effects replaced by one plain punishment."""
    first = next(iter(sc.guarantee.commitments.values()))
    effect = {"type": "punishment", "punishment": punishment, "punishment_offensive": punishment_offensive}
    commitment: CommitmentConfig = dc.replace(first, effects={"punish": effect}, **changes)
    return vary(sc, {"guarantee.commitments": {first.name: commitment}})


def scale_looks(sc: ScenarioConfig, factor: float) -> ScenarioConfig:
    """The same monitoring architecture with every asset looking ``factor`` times as often."""
    return with_assets(sc, *(dc.replace(a, looks_per_day=a.looks_per_day * factor)
                             for a in sc.monitoring.assets.values()))


def collapsed(sc: ScenarioConfig) -> np.ndarray:
    return simulate_scenario(sc).runs["collapsed"].to_numpy(dtype=float)


def paired(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Mean and standard error of the paired difference ``a - b`` (same replications)."""
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    return float(d.mean()), float(d.std(ddof=1) / math.sqrt(len(d)))


def collapse_days(runs: pd.DataFrame) -> np.ndarray:
    """Collapse day per replication, +inf where the ceasefire held (censored)."""
    return runs["collapse_day"].astype("Float64").fillna(np.inf).to_numpy(dtype=float)


# Nothing forces the aggressor's hand but the terms under test.
NO_OFFENSIVE = "attack.offensive_rate_per_day=0"
# An aggressor strong enough, and committed enough once massed, for collapses to be common.
STRONG = ["theater.aggressor.capability=3", "attack.abort_cost=30"]
ONE_SECTOR = ["theater.n_sectors=1", "theater.sector_value_low=1", "theater.sector_value_high=1"]


# ----------------------------------------------------------------------------- 1. detection


SATELLITE = OpticalSatelliteConfig(   # sees only through cloud-free passes
    name="satellite", owner="defender", coverage_share=1.0, looks_per_day=2.0,
    p_detect_minor=0.2, p_detect_serious=0.5, exposure_days=1.5, false_alarms_per_sector_day=0.0,
    attribution_accuracy=1.0, loss_rate_per_day=0.0,
)
DRONES = DroneFleetConfig(
    name="drones", owner="defender", coverage_share=1.0, looks_per_day=3.0, p_detect_minor=0.1,
    p_detect_serious=0.3, exposure_days=0.5, cloud_sensitivity=0.0, jam_sensitivity=0.0,
    false_alarms_per_sector_day=0.0, attribution_accuracy=1.0, loss_rate_per_day=0.0,
)
CLOUD_BLOCKS = {"satellite": 1.0, "drones": 0.0}   # share of an asset's looks a full cloud takes


@pytest.fixture(scope="module")
def clear_theatre() -> ScenarioConfig:
    """Constant cloud, no jamming, full visibility; violations that nothing deters."""
    return compose_scenario([
        "monitoring=none", "guarantee=none", "attack.learns=false", NO_OFFENSIVE,
        "attack.revisionism=1.0", "attack.gain_minor=1.0", "attack.gain_serious=0.0",
        "attack.denial_minor=0", "attack.denial_serious=0", "attack.temperature=1.0",
        "attack.opportunity_rate_per_sector_day=0.5", "theater.n_sectors=10",
        "theater.visibility_low=1.0", "theater.visibility_high=1.0",
        "theater.cloud_median=0.5", "theater.cloud_seasonal_amplitude=0",
        "theater.cloud_logit_sd=0", "monitoring.jamming_median=0",
        "sim.horizon_days=30", "sim.replications=200", "sim.seed=7",
    ])


@pytest.mark.parametrize("cloud", [0.4, 0.85])
@pytest.mark.parametrize("assets", [(SATELLITE,), (SATELLITE, DRONES)], ids=["one", "fused"])
def test_detected_share_matches_revisit_and_fusion_closed_forms(clear_theatre, assets, cloud):
    sc = with_assets(vary(clear_theatre, {"theater.cloud_median": cloud}), *assets)
    result = simulate_scenario(sc)
    runs = result.runs
    np.testing.assert_allclose(result.daily["cloud_mean"], cloud, rtol=1e-12)
    # P = 1 - exp(-looks p (1 - cloud) T) per asset, fused as 1 - prod(1 - P_i), per rung.
    p_miss = {"minor": 1.0, "serious": 1.0}
    for a in assets:
        clear = 1.0 - CLOUD_BLOCKS[a.name] * cloud
        p_miss["minor"] *= math.exp(-a.looks_per_day * a.p_detect_minor * clear * a.exposure_days)
        p_miss["serious"] *= math.exp(-a.looks_per_day * a.p_detect_serious * clear
                                      * a.exposure_days)
    n_minor, n_serious = runs["violations_minor"].sum(), runs["violations_serious"].sum()
    assert n_minor > 10_000 and n_serious > 3_000        # enough events, both rungs
    p1, p2 = 1.0 - p_miss["minor"], 1.0 - p_miss["serious"]
    expected = n_minor * p1 + n_serious * p2
    sd = math.sqrt(n_minor * p1 * (1 - p1) + n_serious * p2 * (1 - p2))
    assert abs(runs["detected"].sum() - expected) < 4.0 * sd


# ----------------------------------------------------------------------------- 2. thresholds


@pytest.fixture(scope="module")
def one_sector_commitment() -> ScenarioConfig:
    """Single sector of value 1, best response, no learning, one commitment, nothing observed."""
    return compose_scenario([
        "monitoring=none", "guarantee=collective_defence",
        "guarantee.commitments.collective_defence.trigger_count=1", "attack.temperature=0",
        "attack.learns=false", NO_OFFENSIVE,
        "attack.opportunity_rate_per_sector_day=1", "attack.denial_minor=0",
        "attack.denial_serious=0", *ONE_SECTOR,
        "sim.horizon_days=20", "sim.replications=20",
    ])


BEST_RESPONSE_CASES = [
    # rung,     theta, detect (a, b), credibility (a, b), punishment
    ("serious", 0.5, (1.0, 3.0), (1.0, 1.0), 8.0),
    ("serious", 1.0, (3.0, 1.0), (2.0, 3.0), 5.0),
    ("minor", 0.8, (1.0, 1.0), (4.0, 1.0), 2.0),
    ("minor", 0.3, (2.0, 5.0), (1.0, 2.0), 12.0),
]


@pytest.mark.parametrize(("rung", "theta", "detect", "cred", "punishment"), BEST_RESPONSE_CASES)
@pytest.mark.parametrize("side", [-1, 1], ids=["below", "above"])
def test_best_response_violates_iff_gain_exceeds_expected_punishment(
        one_sector_commitment, rung, theta, detect, cred, punishment, side):
    p_detect = detect[0] / sum(detect)
    p_respond = cred[0] / sum(cred)
    threshold = p_detect * p_respond * punishment          # theta * gain at indifference
    gain = threshold / theta * (1.0 + side * 1e-3)
    other = "minor" if rung == "serious" else "serious"
    sc = vary(only_commitment(one_sector_commitment, punishment, trigger_severity=Severity[rung]), {
        "attack.revisionism": theta, f"attack.gain_{rung}": gain, f"attack.gain_{other}": 0.0,
        "attack.prior_detect_alpha": detect[0], "attack.prior_detect_beta": detect[1],
        "attack.prior_credibility_alpha": cred[0], "attack.prior_credibility_beta": cred[1],
    })
    runs = simulate_scenario(sc).runs
    horizon = sc.sim.horizon_days
    expected = horizon if side > 0 else 0                  # an opportunity every day
    assert runs[f"violations_{rung}"].tolist() == [expected] * len(runs)
    assert runs[f"violations_{other}"].sum() == 0


def test_best_response_tie_goes_to_compliance(one_sector_commitment):
    # 0.5 * 2.0 == (1 / 4) * (1 / 2) * 8 exactly: indifferent, so the aggressor complies.
    sc = vary(only_commitment(one_sector_commitment, 8.0, trigger_severity=Severity.serious), {
        "attack.revisionism": 0.5, "attack.gain_serious": 2.0, "attack.gain_minor": 0.0,
        "attack.prior_detect_alpha": 1.0, "attack.prior_detect_beta": 3.0,
        "attack.prior_credibility_alpha": 1.0, "attack.prior_credibility_beta": 1.0,
    })
    runs = simulate_scenario(sc).runs
    assert runs["violations_serious"].sum() == 0 and runs["violations_minor"].sum() == 0


@pytest.mark.parametrize(("gain", "status_quo", "punishment"),
                         [(10.0, 2.0, 30.0), (40.0, 0.0, 40.0), (100.0, 12.0, 20.0)])
@pytest.mark.parametrize("side", [-1, 1], ids=["below", "above"])
def test_offensive_deterred_iff_credibility_reaches_threshold(gain, status_quo, punishment, side):
    """``q >= (G - U_sq) / (G + P)`` through the decision to start a build-up, at p_win = 1.

    With p_win = 1 and theta = 1 the model's ``U_war = G - W - q P_off``; the textbook attack
    utility ``(1 - q) G - q P`` against ``U_sq`` is the same comparison with ``W = U_sq`` and
    ``P_off = G + P`` (a response that takes the gain away and inflicts P).
    """
    q_star = deterrence_credibility_threshold(gain, status_quo, punishment)
    q = q_star + side * 0.01
    sc = compose_scenario([
        "monitoring=none", "guarantee=collective_defence",
        "~guarantee.commitments.collective_defence.effects.sanctions",
        f"guarantee.commitments.collective_defence.effects.military_response.punishment_offensive="
        f"{gain + punishment}",
        "attack.revisionism=1", f"attack.offensive_gain={gain}",
        f"attack.offensive_cost={status_quo}", "attack.offensive_fail_loss=1000",
        "attack.offensive_temperature=0", "attack.offensive_rate_per_day=1",
        "attack.learns=false", "attack.opportunity_rate_per_sector_day=0",
        f"attack.prior_credibility_alpha={q}", f"attack.prior_credibility_beta={1 - q}",
        "theater.aggressor.capability=1e6", "theater.n_sectors=2",
        "attack.buildup_days=1", "attack.buildup_cost_per_day=0", "attack.wider_war_loss=0",
        "sim.horizon_days=10", "sim.replications=10",
    ])
    runs = simulate_scenario(sc).runs
    if side > 0:
        assert not runs["collapsed"].any() and not runs["buildups_started"].any()
    else:   # the build-up starts on day 1 and the offensive follows a day later
        assert runs["collapsed"].all() and (runs["collapse_day"] == 2).all()


@pytest.fixture(scope="module")
def inspection_game() -> ScenarioConfig:
    """One sector, minor violations only, punished by a commitment triggered by minor reports."""
    return compose_scenario([
        "monitoring=none", "monitoring.p_verify_false_alarm=0.2", "guarantee=collective_defence",
        "guarantee.commitments.collective_defence.trigger_severity=minor",
        "guarantee.commitments.collective_defence.trigger_count=1",
        "attack.temperature=0", "attack.learns=false", NO_OFFENSIVE,
        "attack.opportunity_rate_per_sector_day=1", "attack.denial_minor=0",
        "attack.denial_serious=0", "attack.revisionism=1", "attack.gain_minor=1",
        "attack.gain_serious=0", "attack.prior_credibility_alpha=1",
        "attack.prior_credibility_beta=1", *ONE_SECTOR,
        "sim.horizon_days=20", "sim.replications=20",
    ])


@pytest.mark.parametrize("false_alarm_risk", [0.0, 0.1, 0.15])
@pytest.mark.parametrize("side", [-1, 1], ids=["below", "above"])
def test_inspection_deters_iff_detection_exceeds_threshold(inspection_game, false_alarm_risk,
                                                           side):
    """``D > (g + a h) / (g + s)`` through the sector decision, with false alarms.

    In the model a caught violator keeps its gain and pays the expected punishment ``S``; a
    verified false alarm costs the complier the same ``S``. This is the inspection game with
    ``s = S - g`` and ``h = S``: the model reproduces it for ``h = g + s`` (no separate h).
    """
    g, s = 1.0, 3.0
    h = g + s
    d_star = inspection_detection_threshold(g, s, false_alarm_risk, h)
    d = d_star + side * 0.01
    p_verify = inspection_game.monitoring.p_verify_false_alarm
    # A Poisson rate f of false reports, each verified with p_verify: risk a = (1 - e^-f) p_verify.
    rate = -math.log1p(-false_alarm_risk / p_verify)
    watcher = dc.replace(SATELLITE, false_alarms_per_sector_day=rate)
    # The aggressor's expected sanction q * punishment equals S = g + s (q = 1/2).
    sc = vary(with_assets(only_commitment(inspection_game, 2.0 * h), watcher), {
        "attack.prior_detect_alpha": d, "attack.prior_detect_beta": 1.0 - d,
    })
    runs = simulate_scenario(sc).runs
    expected = 0 if side > 0 else sc.sim.horizon_days
    assert runs["violations_minor"].tolist() == [expected] * len(runs)
    assert runs["violations_serious"].sum() == 0


# ----------------------------------------------------------------------------- 3. learning


@pytest.mark.parametrize("forgetting", [1.0, 0.9])
def test_beliefs_update_by_exactly_one_observation(forgetting):
    sc = compose_scenario([
        "attack=opportunist", f"attack.forgetting={forgetting}", "attack.learns=true",
        "guarantee=paris_package", "guarantee.commitments.binding_support.bindingness=0",
        "guarantee.commitments.reassurance_force.bindingness=0", "monitoring=us_led_tech",
        "theater.n_sectors=20", "sim.seed=3",
    ])
    model = CeasefireModel(sc, 150, 0)
    agg = model.aggressor
    honoured = failed = seen = unseen = 0
    for _ in range(90):
        cred_a, cred_b = agg.cred_alpha.copy(), agg.cred_beta.copy()
        det_a, det_b = agg.detect_alpha.copy(), agg.detect_beta.copy()
        model.step()
        # Credibility: Beta(a, b) -> Beta(lam a + 1, lam b) if honoured, (lam a, lam b + 1) if not.
        for k, c in enumerate(model.commitments):
            d, h = c.decided, c.honoured
            assert not (h & ~d).any()
            exp_a = np.where(d, forgetting * cred_a[:, k] + h, cred_a[:, k])
            exp_b = np.where(d, forgetting * cred_b[:, k] + (d & ~h), cred_b[:, k])
            np.testing.assert_allclose(agg.cred_alpha[:, k], exp_a, rtol=1e-12, atol=0)
            np.testing.assert_allclose(agg.cred_beta[:, k], exp_b, rtol=1e-12, atol=0)
            honoured += int(h.sum())
            failed += int((d & ~h).sum())
        # Detection: each own violation adds one trial to its (replication, sector, rung) cell.
        ev = model.events
        cells = ev.aggressor_event_cells
        where = cells * 2 + ev.aggressor_rung.reshape(-1)[cells] - 1
        x = ev.aggressor_event_seen.astype(float)
        exp_a, exp_b = det_a.reshape(-1).copy(), det_b.reshape(-1).copy()
        exp_a[where] = forgetting * exp_a[where].astype(float) + x
        exp_b[where] = forgetting * exp_b[where].astype(float) + 1.0 - x
        np.testing.assert_allclose(agg.detect_alpha.reshape(-1), exp_a, rtol=1e-6, atol=0)
        np.testing.assert_allclose(agg.detect_beta.reshape(-1), exp_b, rtol=1e-6, atol=0)
        np.testing.assert_allclose(agg.p_seen, agg.detect_alpha / (agg.detect_alpha
                                                                   + agg.detect_beta), rtol=1e-6)
        seen += int(x.sum())
        unseen += int(len(x) - x.sum())
    assert honoured > 20 and failed > 20 and seen > 100 and unseen > 100


def test_without_learning_beliefs_stay_at_the_priors():
    sc = compose_scenario(["attack=opportunist", "attack.learns=false", "theater.n_sectors=10",
                           "sim.horizon_days=60", "guarantee=paris_package"])
    model = CeasefireModel(sc, 100, 0).run_model()
    assert model.recorder.totals["responses_triggered"].sum() > 0
    assert np.all(model.aggressor.cred_alpha == sc.attack.prior_credibility_alpha)
    assert np.all(model.aggressor.cred_beta == sc.attack.prior_credibility_beta)
    assert np.all(model.aggressor.detect_alpha == np.float32(sc.attack.prior_detect_alpha))
    assert np.all(model.aggressor.detect_beta == np.float32(sc.attack.prior_detect_beta))


# ----------------------------------------------------------------------------- responses


STEADY_WILL = [f"theater.guarantors.{g}.{f}=0" for g in ("us", "uk", "france", "germany", "eu")
               for f in ("rally_per_flagrant", "fatigue", "drift_per_day")]
WILLS = {"us": 0.3, "uk": 0.6, "france": 0.8}


def _coalition_probability(honour: list[float], rule: str) -> float:
    """Chance the coalition acts, by enumerating every combination of individual decisions."""
    total = 0.0
    for votes in itertools.product((False, True), repeat=len(honour)):
        weight = math.prod(h if v else 1.0 - h for h, v in zip(honour, votes, strict=True))
        acts = {"lead_nation": votes[0], "majority": 2 * sum(votes) > len(votes),
                "unanimity": all(votes)}[rule]
        total += weight * acts
    return total


@pytest.mark.parametrize("rule", ["lead_nation", "majority", "unanimity"])
def test_share_of_triggers_honoured_matches_will_bindingness_and_rule(rule):
    bindingness = 0.25
    members = list(WILLS)
    runs = simulate([
        "attack=opportunist", "monitoring=us_led_tech", "guarantee=sanctions",
        "guarantee.commitments.sanctions_snapback.trigger_count=1",
        "guarantee.commitments.sanctions_snapback.trigger_severity=minor",
        f"guarantee.commitments.sanctions_snapback.guarantors=[{','.join(members)}]",
        f"guarantee.commitments.sanctions_snapback.rule={rule}",
        f"guarantee.commitments.sanctions_snapback.bindingness={bindingness}",
        *(f"theater.guarantors.{m}.political_will={WILLS[m]}" for m in members),
        *STEADY_WILL, "theater.n_sectors=20", "sim.horizon_days=120", "sim.replications=300",
    ]).runs
    honour = [w + bindingness * (1.0 - w) for w in WILLS.values()]
    p = _coalition_probability(honour, rule)
    n = runs["responses_triggered"].sum()
    assert n > 400
    share = runs["responses_honoured"].sum() / n
    assert abs(share - p) < 4.0 * math.sqrt(p * (1.0 - p) / n), (share, p)


def test_honoured_response_lands_after_the_delay():
    delay, punishment = 5, 6.0
    sc = compose_scenario([
        "attack=revisionist", NO_OFFENSIVE, "monitoring=us_led_tech", "guarantee=sanctions",
        "guarantee.commitments.sanctions_snapback.trigger_count=1",
        "guarantee.commitments.sanctions_snapback.trigger_severity=minor",
        f"guarantee.commitments.sanctions_snapback.response_delay_days={delay}",
        f"guarantee.commitments.sanctions_snapback.effects.sanctions.punishment={punishment}",
        "theater.n_sectors=20",
    ])
    model = CeasefireModel(sc, 100, 0)
    decided, cost = [], []
    for _ in range(60):
        model.step()
        decided.append(model.commitments[0].honoured.copy())
        cost.append(model.events.aggressor_cost.copy())
    decided, cost = np.array(decided), np.array(cost)
    assert decided.sum() > 100
    assert not cost[:delay].any()
    np.testing.assert_array_equal(cost[delay:], punishment * decided[:-delay])


# ----------------------------------------------------------------------------- 4. monotonicity


@pytest.fixture(scope="module")
def sanctions_design() -> ScenarioConfig:
    """A design whose collapse risk is intermediate and depends on every lever."""
    return compose_scenario([
        "attack=opportunist", "attack.window_weight=0", "guarantee=sanctions",
        "monitoring=us_led_tech", *STRONG, "attack.offensive_rate_per_day=0.05",
        "theater.n_sectors=20", "sim.horizon_days=365", "sim.replications=600", "sim.seed=11",
    ])


@pytest.fixture(scope="module")
def sanctions_collapsed(sanctions_design) -> np.ndarray:
    return collapsed(sanctions_design)


def test_monotonicity_scenario_is_informative(sanctions_collapsed):
    assert 0.2 < sanctions_collapsed.mean() < 0.8


STRONGER = {
    "more detection": lambda sc: scale_looks(sc, 4.0),
    "more credible": lambda sc: with_commitments(sc, bindingness=0.95),
    "faster response": lambda sc: with_commitments(sc, response_delay_days=0),
}
WEAKER = {
    "less detection": lambda sc: scale_looks(sc, 0.25),
    "less credible": lambda sc: with_commitments(sc, bindingness=0.0),
    "slower response": lambda sc: with_commitments(sc, response_delay_days=60),
}


@pytest.mark.parametrize("lever", list(STRONGER))
def test_stronger_lever_never_raises_collapse(sanctions_design, sanctions_collapsed, lever):
    diff, se = paired(collapsed(STRONGER[lever](sanctions_design)), sanctions_collapsed)
    assert diff <= 2.0 * se, f"{lever}: collapse rate up by {diff:.3f} (se {se:.3f})"


@pytest.mark.parametrize("lever", list(WEAKER))
def test_weaker_lever_never_lowers_collapse(sanctions_design, sanctions_collapsed, lever):
    diff, se = paired(sanctions_collapsed, collapsed(WEAKER[lever](sanctions_design)))
    assert diff <= 2.0 * se, f"{lever}: collapse rate down by {-diff:.3f} (se {se:.3f})"


BASELINE = ["monitoring=none", "guarantee=none", "attack=opportunist", "attack.window_weight=0", *STRONG,
            "theater.n_sectors=20", "sim.horizon_days=180", "sim.replications=300", "sim.seed=5"]


@pytest.fixture(scope="module")
def baseline() -> ScenarioConfig:
    return compose_scenario(BASELINE)


@pytest.fixture(scope="module")
def baseline_runs(baseline) -> pd.DataFrame:
    return simulate_scenario(baseline).runs


def test_no_monitoring_and_no_commitments_ignore_the_aggressors_fears(baseline, baseline_runs):
    """The no-deterrence baseline: beliefs about detection and credibility change nothing."""
    fearful = vary(baseline, {"attack.prior_detect_alpha": 50.0, "attack.prior_detect_beta": 1.0,
                              "attack.prior_credibility_alpha": 50.0,
                              "attack.prior_credibility_beta": 1.0, "attack.forgetting": 0.5})
    assert baseline_runs["collapsed"].any() and baseline_runs["violations_serious"].sum() > 0
    pd.testing.assert_frame_equal(baseline_runs, simulate_scenario(fearful).runs,
                                  check_exact=True)


@pytest.mark.parametrize("monitoring", ["us_led_tech", "osce_observers", "us_led_tech_jammed"])
def test_without_commitments_monitoring_deters_only_through_warnings(baseline_runs, monitoring):
    """Seen violations go unanswered without commitments; what monitoring does alone is warn of a
    build-up. With a warning that gains the defender nothing and a build-up never stood down,
    monitoring changes nothing at all."""
    silent = ["theater.defender.warned_capability_gain=0", "attack.abort_cost=1e9"]
    unwatched = simulate([*BASELINE, *silent]).runs
    watched = simulate([*BASELINE, *silent, f"monitoring={monitoring}"]).runs
    assert watched["detected"].sum() > 0 and watched["warnings"].sum() > 0
    same = ["collapsed", "collapse_day", "duration_days", "violations_minor",
            "violations_serious", "defender_violations_minor", "defender_violations_serious",
            "final_aggressor_capability", "final_defender_capability"]
    pd.testing.assert_frame_equal(unwatched[same], watched[same], check_exact=True)
    warned = simulate([*BASELINE, f"monitoring={monitoring}"]).runs
    diff, se = paired(warned["collapsed"], baseline_runs["collapsed"])
    if monitoring == "osce_observers":     # patrols rarely see massing behind the line
        assert diff <= 2.0 * se
    else:                                  # warnings do deter
        assert diff < -2.0 * se


@pytest.mark.parametrize("guarantee", ["assurances", "sanctions", "arms_surge",
                                       "reassurance_force", "collective_defence",
                                       "paris_package"])
def test_no_design_is_worse_than_no_deterrence(baseline_runs, guarantee):
    base = baseline_runs["collapsed"].to_numpy(dtype=float)
    design = collapsed(compose_scenario([*BASELINE, "monitoring=us_led_tech",
                                         f"guarantee={guarantee}"]))
    assert base.mean() > 0.2
    diff, se = paired(design, base)
    assert diff <= 2.0 * se, f"{guarantee}: collapse rate above the baseline by {diff:.3f}"


# ----------------------------------------------------------------------------- 5. preventive war


PREVENTIVE = [
    # Both sides at equilibrium without aid (defender 80 bn a year x 1/80 = 1.0; aggressor
    # 0.0054 / 0.0027 = 2.0), so without a build-up the force ratio, and the window, stay put.
    "attack=revisionist", "attack.lookahead_days=180", "monitoring=none", "guarantee=arms_surge",
    "theater.defender.own_budget_bn_per_year=80", "theater.aggressor.regen_per_day=0.0054",
    *(f"guarantee.aid_bn_per_year.{g}=0" for g in ("eu", "germany", "uk", "france")),
    "theater.n_sectors=10", "sim.horizon_days=60", "sim.replications=1000",
]
BUILD_UP = "guarantee.aid_bn_per_year.eu=400"


@pytest.fixture(scope="module")
def preventive_runs() -> dict[tuple[bool, bool], pd.DataFrame]:
    """Runs keyed by (build-up, window term on), all on the same seed."""
    out = {}
    for build_up in (False, True):
        for window in (False, True):
            overrides = [*PREVENTIVE, f"attack.window_weight={150 if window else 0}"]
            out[build_up, window] = simulate(overrides + ([BUILD_UP] if build_up else [])).runs
    return out


def test_window_term_brings_attacks_forward_on_common_random_numbers(preventive_runs):
    with_window = collapse_days(preventive_runs[True, True])
    without = collapse_days(preventive_runs[True, False])
    # The window term only adds to U_war, and nothing else differs before the collapse.
    assert np.all(with_window <= without)
    diff, se = paired(np.isfinite(with_window), np.isfinite(without))
    assert diff > 3.0 * se


def test_fast_build_up_provokes_preventive_war_only_with_window_term(preventive_runs):
    def early(build_up, window):
        return preventive_runs[build_up, window]["collapsed"].to_numpy(dtype=float)

    # Window on: arming the defender fast makes the aggressor strike while it still can.
    diff, se = paired(early(True, True), early(False, True))
    assert diff > 3.0 * se, f"build-up raises early collapse by only {diff:.3f} (se {se:.3f})"
    # Window off: the same build-up deters (it never provokes).
    diff, se = paired(early(True, False), early(False, False))
    assert diff <= 2.0 * se


# ----------------------------------------------------------------------------- 6. masking


MASKING = ["attack=revisionist", "guarantee=sanctions", "monitoring=us_led_tech", *STRONG,
           "theater.n_sectors=20", "sim.replications=300", "sim.seed=9"]


def test_collapsed_replications_stop_accumulating():
    short = simulate([*MASKING, "sim.horizon_days=150"]).runs.drop(columns="sim.horizon_days")
    long = simulate([*MASKING, "sim.horizon_days=180"]).runs.drop(columns="sim.horizon_days")
    done = short["collapsed"].to_numpy()
    assert 20 < done.sum() < len(done) - 20
    # Everything of a replication that collapsed by day 150 is the same in the longer run.
    pd.testing.assert_frame_equal(short[done], long[done], check_exact=True)
    # The first 150 days are common to both runs.
    assert (long["collapse_day"].le(150).fillna(False) == short["collapsed"]).all()


def test_no_phase_touches_a_collapsed_replication():
    sc = compose_scenario([*MASKING, "sim.horizon_days=120"])
    model = CeasefireModel(sc, 200, 0)
    checked = 0
    while model.running:
        dead = ~model.in_ceasefire.copy()
        before = {k: v.copy() for k, v in model.recorder.totals.items()}
        state = [model.aggressor.capability, model.defender.capability,
                 model.aggressor.cred_alpha, model.aggressor.cred_beta,
                 model.aggressor.detect_alpha, model.aggressor.detect_beta,
                 *(g.will for g in model.guarantors)]
        state = [s.copy() for s in state]
        model.step()
        ev = model.events
        # Today's collapses fight a war, not violations.
        assert not ev.violations[ev.offensive].any()
        assert not ev.aggressor_rung[ev.offensive].any()
        assert not ev.defender_rung[ev.offensive].any()
        for name, total in model.recorder.totals.items():
            np.testing.assert_array_equal(total[dead], before[name][dead], err_msg=name)
        after = [model.aggressor.capability, model.defender.capability,
                 model.aggressor.cred_alpha, model.aggressor.cred_beta,
                 model.aggressor.detect_alpha, model.aggressor.detect_beta,
                 *(g.will for g in model.guarantors)]
        for old, new in zip(state, after, strict=True):
            np.testing.assert_array_equal(new[dead], old[dead])
        checked += int(dead.sum())
    assert checked > 300


def test_collapse_columns_are_consistent():
    result = simulate([*MASKING, "sim.horizon_days=120"])
    runs, daily, horizon = result.runs, result.daily, 120
    assert runs["collapsed"].any() and not runs["collapsed"].all()
    assert (runs["collapse_day"].isna() == ~runs["collapsed"]).all()
    days = runs.loc[runs["collapsed"], "collapse_day"].astype(int)
    assert days.between(1, horizon).all()
    expected_duration = np.where(runs["collapsed"], runs["collapse_day"].fillna(0), horizon)
    assert (runs["duration_days"].to_numpy() == expected_duration).all()
    assert (runs["responses_failed"] >= 0).all()
    assert (runs["verified"] <= runs["detected"]).all()
    # The daily survival table agrees with the per-replication collapse days.
    assert len(daily) == horizon
    per_day = np.bincount(days, minlength=horizon + 1)[1:]
    assert daily["collapses"].tolist() == per_day.tolist()
    live = len(runs) - np.concatenate([[0], np.cumsum(per_day)[:-1]])
    assert daily["in_ceasefire"].tolist() == live.tolist()
    assert daily["share_holding"].iloc[-1] == pytest.approx(1.0 - runs["collapsed"].mean())


# ----------------------------------------------------------------------------- 7. null designs


SHORT = ["theater.n_sectors=20", "sim.horizon_days=120", "sim.replications=200", "sim.seed=4"]


@pytest.mark.parametrize("guarantee", ["collective_defence", "sanctions", "none"])
def test_without_monitoring_nothing_is_seen_or_verified(guarantee):
    runs = simulate(["monitoring=none", f"guarantee={guarantee}", "attack=revisionist",
                     *SHORT]).runs
    assert runs["violations_minor"].sum() + runs["violations_serious"].sum() > 0
    assert runs["defender_violations_minor"].sum() > 0
    assert runs["defender_violations_serious"].sum() > 0   # retaliation in kind
    for col in ("detected", "verified", "verified_spurious", "false_alarms", "misattributed"):
        assert runs[col].sum() == 0, col
    assert runs["mean_verification_delay_days"].isna().all()
    # Without reports no violation can trigger a commitment; only the answer to an offensive
    # (these designs have no force present as a tripwire) is ever decided.
    answers = runs["collapsed"].astype(int) * (guarantee != "none")
    assert (runs["responses_triggered"] == answers).all()


def test_without_monitoring_only_the_tripwire_triggers():
    runs = simulate(["monitoring=none", "guarantee=reassurance_force", "attack=revisionist",
                     *SHORT]).runs
    held = ~runs["collapsed"]
    assert runs.loc[held, "responses_triggered"].sum() > 0
    assert runs["detected"].sum() == 0 and runs["verified"].sum() == 0


@pytest.mark.parametrize("monitoring", ["none", "us_led_tech"])
def test_without_guarantee_nothing_is_answered(monitoring):
    runs = simulate([f"monitoring={monitoring}", "guarantee=none", "attack=revisionist",
                     *SHORT]).runs
    assert runs["collapsed"].any()
    for col in ("responses_triggered", "responses_honoured", "responses_failed",
                "aggressor_cost"):
        assert runs[col].sum() == 0, col
    assert not runs["direct_clash"].any()
    assert runs["final_credibility_belief"].isna().all()


# ----------------------------------------------------------------------------- 8. reproducibility


REPRO = ["attack=opportunist", "theater.n_sectors=10", "sim.horizon_days=90",
         "sim.replications=150"]


def test_same_config_and_seed_give_identical_tables():
    a = simulate(REPRO, seed=123)
    b = simulate(REPRO, seed=123)
    pd.testing.assert_frame_equal(a.runs, b.runs, check_exact=True)
    pd.testing.assert_frame_equal(a.daily, b.daily, check_exact=True)


def test_different_seeds_give_different_runs():
    a = simulate(REPRO, seed=123).runs
    b = simulate(REPRO, seed=124).runs
    assert not a["param.attack.revisionism"].equals(b["param.attack.revisionism"])
    assert not a["violations_minor"].equals(b["violations_minor"])


def test_replication_blocks_do_not_depend_on_the_run_size():
    small = simulate([*REPRO, "sim.block_size=50"], replications=100, seed=8).runs
    large = simulate([*REPRO, "sim.block_size=50"], replications=150, seed=8).runs
    small, large = (df.drop(columns="sim.replications") for df in (small, large))
    pd.testing.assert_frame_equal(small, large.iloc[:100], check_exact=True)


def test_guarantee_design_does_not_change_weather_or_types():
    """Common random numbers: the weather and the hidden types are drawn the same way."""
    overrides = ["attack=opportunist", NO_OFFENSIVE, "theater.n_sectors=10",
                 "sim.horizon_days=60", "sim.replications=100", "sim.seed=31"]
    none = simulate([*overrides, "guarantee=none"])
    paris = simulate([*overrides, "guarantee=paris_package"])
    assert (none.daily["in_ceasefire"] == paris.daily["in_ceasefire"]).all()
    np.testing.assert_array_equal(none.daily["cloud_mean"], paris.daily["cloud_mean"])
    np.testing.assert_array_equal(none.daily["jamming_mean"], paris.daily["jamming_mean"])
    np.testing.assert_array_equal(none.runs["param.attack.revisionism"],
                                  paris.runs["param.attack.revisionism"])
    assert not none.runs["violations_minor"].equals(paris.runs["violations_minor"])


def test_weather_is_identical_across_designs_every_day_even_after_collapses():
    base = ["attack=revisionist", *STRONG, "theater.n_sectors=10", "sim.seed=2"]
    models = [CeasefireModel(compose_scenario([*base, f"guarantee={g}"]), 100, 0)
              for g in ("none", "paris_package")]
    for _ in range(60):
        for m in models:
            m.step()
        np.testing.assert_array_equal(models[0].theater.cloud, models[1].theater.cloud)
        np.testing.assert_array_equal(models[0].theater.jamming, models[1].theater.jamming)
    assert not np.array_equal(models[0].in_ceasefire, models[1].in_ceasefire)


def test_labels_never_enter_the_seed():
    """Streams are keyed by (seed, block, stream name): two scenarios with identical parameters give
    identical results whatever their labels, and every scenario sees the same weather."""
    base = ["attack=opportunist", "theater.n_sectors=10", "sim.horizon_days=60",
            "sim.replications=50", "sim.seed=5"]
    plain = simulate(base)
    renamed = simulate([*base, "attack.name=copy", "theater.name=elsewhere"])
    labels = ["theater", "attack", "monitoring", "guarantee"]   # design columns: they carry the names
    for table in ("runs", "daily"):
        ours = getattr(plain, table).drop(columns=labels)
        pd.testing.assert_frame_equal(ours, getattr(renamed, table)[ours.columns], check_exact=True)
    cautious = simulate([*base, "attack=cautious"])
    np.testing.assert_array_equal(plain.daily["cloud_mean"], cautious.daily["cloud_mean"])
    assert not plain.runs["violations_minor"].equals(cautious.runs["violations_minor"])


# ----------------------------------------------------------------------------- 9. validation


@pytest.mark.parametrize(("overrides", "message"), [
    (["theater.defender.p_retaliate=1.5"],
     r"^theater\.defender\.p_retaliate: invalid value 1\.5; allowed: a number in \[0, 1\], or a "
     r"distribution$"),
    (["monitoring.assets.drone_patrols.p_detect_minor=2"],
     r"^monitoring\.assets\.drone_patrols\.p_detect_minor: invalid value 2; allowed: a number in "
     r"\[0, 1\], or a distribution$"),
    (["attack.revisionism=1.5"], r"^attack\.revisionism: invalid value 1\.5; allowed: "),
    (["monitoring.verification_delay_days=-1"],
     r"^monitoring\.verification_delay_days: invalid value -1; allowed: "),
    (["guarantee.commitments.binding_support.response_delay_days=-2"],
     r"^guarantee\.commitments\.binding_support\.response_delay_days: invalid value -2; allowed: "
     r"a whole number in \[0, 365\], or a distribution$"),
    (["sim.horizon_days=abc"], r"^sim\.horizon_days: invalid value 'abc'; allowed: a whole number "
     r"in \[1, 36500\] \(fixed for the whole run, not a distribution\)$"),
    (["sim.horizon_days=2.5"], r"^sim\.horizon_days: invalid value 2\.5; allowed: .*whole"),
    (["attack.learns=maybe"], r"^attack\.learns: invalid value 'maybe'; allowed: "),
    (["guarantee.commitments.binding_support.rule=dictator"],
     r"^guarantee\.commitments\.binding_support\.rule: invalid value 'dictator'; allowed: "
     r"lead_nation, majority, unanimity$"),
    (["attack.foo=1"], r"^attack\.foo: unknown key; allowed: .*\brevisionism\b"),
    (["+attack.foo=1"], r"^attack\.foo: unknown key; allowed: .*\brevisionism\b"),
    (["guarantee=nonexistent"],
     r"^guarantee: unknown preset 'nonexistent'; allowed: .*\bparis_package\b"),
    (["guarantee.commitments.binding_support.guarantors=[us,narnia]"],
     r"^guarantee\.commitments\.binding_support\.guarantors\[1\]: invalid value 'narnia'; allowed: "
     r".*\bus\b"),
    (["+guarantee.aid_bn_per_year.narnia=3"],
     r"^guarantee\.aid_bn_per_year\.narnia: .*'?narnia'?"),
    (["attack.revisionism={dist:beta,a:-1,b:2}"], r"^attack\.revisionism: invalid value "),
    (["attack.revisionism={dist:beta,a:2}"],          # replaces the preset's law, no merge
     r"^attack\.revisionism: invalid value \{'dist': 'beta', 'a': 2\}; allowed: \{dist: beta, a, b\}$"),
    (["theater.guarantors.us.political_will={dist:uniform,low:0.2,high:1.4}"],
     r"^theater\.guarantors\.us\.political_will: invalid value .*'high': 1\.4\}; allowed: uniform "
     r"with low and high in \[0, 1\]$"),
    (["attack.temperature={dist:gamma,k:2}"],
     r"^attack\.temperature: invalid value \{'dist': 'gamma', 'k': 2\}; allowed: a number, or one of "),
    (["theater.aggressor.regen_per_day={dist:triangular,low:0.004,mode:0.006,high:0.009,sd:1}"],
     r"^theater\.aggressor\.regen_per_day: invalid value .*; allowed: \{dist: triangular, low, mode, "
     r"high\}$"),
    (["attack.offensive_rate_per_day={dist:lognormal,median:0.02,sigma:0.5}"],
     r"^attack\.offensive_rate_per_day: invalid value .*; allowed: lognormal with support \(0, inf\) "
     r"in \[0, 1\]$"),
    (["guarantee.commitments.binding_support.effects.sanctions.type=embargo"],
     r"^guarantee\.commitments\.binding_support\.effects\.sanctions\.type: invalid value 'embargo'; "
     r"allowed: arms_surge, punishment, reassurance_force, sanctions$"),
    (["monitoring.assets.drone_patrols.kind=balloon"],
     r"^monitoring\.assets\.drone_patrols\.kind: invalid value 'balloon'; allowed: drone_fleet, "
     r"ground_sensors, observer_team, optical_satellite, sar_satellite$"),
    (["monitoring.assets.optical_satellites.jam_sensitivity=0.5"],
     r"^monitoring\.assets\.optical_satellites\.jam_sensitivity: unknown key; allowed: .*looks_per_day"),
    (["theater.guarantors.0.political_will=0.5"],
     r"^theater\.guarantors\.0: unknown entry; allowed: the name of an entry of theater\.guarantors, "
     r"or \+theater\.guarantors\.0=\{\.\.\.\} to add one$"),
    (["theater.sector_value_high=0.1"], r"^theater\.sector_value_high: invalid value 0\.1; "),
])
def test_invalid_config_raises_one_line_error_naming_field_and_value(overrides, message):
    with pytest.raises(ConfigError, match=message) as info:
        compose_scenario(overrides)
    assert "\n" not in str(info.value)
    assert isinstance(info.value, ValueError)


def test_validation_runs_on_python_construction_too(clear_theatre):
    with pytest.raises(ConfigError, match=r"^attack\.forgetting: invalid value 0\.0; "):
        vary(clear_theatre, {"attack.forgetting": 0.0})
    with pytest.raises(ConfigError, match=r"^monitoring\.assets\.satellite\.owner: invalid value "
                                          r"'narnia'; allowed: defender"):
        with_assets(clear_theatre, dc.replace(SATELLITE, owner="narnia"))
    with pytest.raises(ConfigError, match=r"^guarantee\.commitments\.reassurance_force\.effects\."
                                          r"reassurance_force\.sectors: invalid value 50; allowed: a "
                                          r"whole number in \[0, theater\.n_sectors=10\]$"):
        compose_scenario(["guarantee=reassurance_force", "theater.n_sectors=10",
                          "guarantee.commitments.reassurance_force.effects.reassurance_force.sectors=50"])


@pytest.mark.parametrize(("override", "field", "spec"), [
    ("attack.revisionism={dist:uniform,low:0.2,high:0.9}", "revisionism",
     {"dist": "uniform", "low": 0.2, "high": 0.9}),
    ("attack.revisionism={dist:triangular,low:0.1,mode:0.3,high:0.6}", "revisionism",
     {"dist": "triangular", "low": 0.1, "mode": 0.3, "high": 0.6}),
    ("attack.revisionism={dist:beta,a:2,b:9}", "revisionism", {"dist": "beta", "a": 2, "b": 9}),
    ("attack.revisionism=0.35", "revisionism", 0.35),
])
def test_uncertain_parameter_takes_any_distribution_from_an_override(override, field, spec):
    """DESIGN §2 *Types*: ``revisionism: {dist: ..., ...}`` is drawn once per replication.

    The preset gives a beta law; an override with another family must replace it, not merge.
    """
    sc = compose_scenario(["attack=opportunist", override, "theater.n_sectors=5",
                           "sim.horizon_days=2", "sim.replications=400"])
    assert getattr(sc.attack, field) == spec
    drawn = simulate_scenario(sc).runs[f"param.attack.{field}"].to_numpy() if isinstance(
        spec, dict) else np.full(len(simulate_scenario(sc).runs), sc.attack.revisionism)
    if isinstance(spec, float):
        assert (drawn == spec).all()
    else:
        lo, hi = spec.get("low", 0.0), spec.get("high", 1.0)
        assert drawn.min() >= lo and drawn.max() <= hi and drawn.std() > 0.05
