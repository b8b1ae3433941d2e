"""Early warning of a build-up, action before the attack, and the escalation ladder after a clash.

Closed forms where they exist (seeing a build-up with k independent assets; the abort rule at
temperature 0; the ladder with certain or random moves), and monotonicity on common random
numbers where they do not.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from deterrence_sim import CeasefireModel, compose_scenario, simulate
from deterrence_sim.core.decision import logit_probability, p_win
from deterrence_sim.core.escalation import escalation_utility, wider_war_probability
from deterrence_sim.simulation import simulate_scenario

# A build-up starts on day 1 in every replication and runs long; nothing else happens.
CERTAIN_START = [
    "guarantee=none", "attack.revisionism=1", "attack.offensive_rate_per_day=1",
    "attack.offensive_temperature=0", "attack.offensive_cost=0", "attack.offensive_fail_loss=0",
    "attack.opportunity_rate_per_sector_day=0", "theater.aggressor.capability=1e6",
    "attack.buildup_cost_per_day=0", "attack.buildup_signature=1", "theater.n_sectors=6",
    "monitoring.jamming_median=0",
]
# Three assets on whose sight neither cloud nor jamming acts, covering every sector.
ASSETS = {"radar": ("sar_satellite", 0.05, 2.0), "patrols": ("observer_team", 0.1, 0.5),
          "drones": ("drone_fleet", 0.02, 6.0)}


def _asset(name: str) -> str:
    kind, p, looks = ASSETS[name]
    extra = ", jam_sensitivity: 0, cloud_sensitivity: 0" if kind == "drone_fleet" else ""
    return (f"+monitoring.assets.{name}={{kind: {kind}, p_detect_buildup: {p}, looks_per_day: {looks}, "
            f"false_warnings_per_year: 0, coverage_share: 1{extra}}}")


@pytest.mark.parametrize("names", [["radar"], ["radar", "patrols", "drones"]])
def test_chance_to_see_a_build_up_within_d_days_is_the_closed_form(names):
    """``P(seen within d days) = 1 - prod_i (1 - p_i)**(d looks_i)`` for independent assets."""
    sc = compose_scenario([*CERTAIN_START, "monitoring=none", *(_asset(n) for n in names),
                           "attack.buildup_days=200", "monitoring.p_verify_warning=0",
                           "sim.horizon_days=12"])
    model = CeasefireModel(sc, 4000, 0)
    first = np.full(model.n, np.inf)
    for _ in range(12):
        model.step()
        first[model.events.buildup_seen] = model.steps
    assert (model.aggressor.buildup_left > 0).all()             # every build-up still under way
    for d in (1, 3, 6, 12):
        expected = 1.0 - math.prod((1.0 - ASSETS[n][1]) ** (d * ASSETS[n][2]) for n in names)
        seen = float(np.mean(first <= d))
        assert abs(seen - expected) < 4.0 * math.sqrt(expected * (1 - expected) / model.n), (d, seen)


def _abort_case(abort_cost: float):
    """A warned build-up weighed at temperature 0 (p_win < 1 so that the warning matters), with
    every parameter one number (no calibration draw)."""
    return compose_scenario([
        *[o for o in CERTAIN_START if not o.startswith(("theater.aggressor.capability",
                                                       "attack.buildup_cost"))],
        "theater.aggressor.capability=3", "theater.aggressor.regen_per_day=0",
        "theater.aggressor.depreciation_per_day=0", "theater.defender.depreciation_per_day=1e-9",
        "theater.defender.warned_capability_gain=0.5", "attack.offensive_gain=100",
        "attack.buildup_days=10", "attack.buildup_cost_per_day=2", f"attack.abort_cost={abort_cost}",
        "monitoring=none", "+monitoring.assets.radar={kind: sar_satellite, p_detect_buildup: 1, "
        "looks_per_day: 10, false_warnings_per_year: 0}", "monitoring.warning_delay_days=0",
        "monitoring.p_verify_warning=1", "sim.horizon_days=20", "calibration=none",
    ])


def test_at_temperature_zero_a_seen_build_up_is_stood_down_exactly_when_going_on_is_worth_less():
    """Abort iff ``U_war(warned defence) - c * days_left < -abort_cost``."""
    probe = CeasefireModel(_abort_case(0.0), 50, 0)
    probe.step()                                       # day 1: starts, is seen and warned of
    assert probe.aggressor.buildup_left.min() == 10 and probe.aggressor.warned.all()
    a, d = probe.aggressor, probe.defender
    attack = probe.scenario.attack
    win = p_win(a.capability / d.against_offensive(), attack.win_steepness, attack.required_force_ratio)
    u_go = a.revisionism * attack.offensive_gain * win - attack.buildup_cost_per_day * 10
    threshold = float(-u_go[0])                        # abort iff abort_cost < -u_go
    assert np.allclose(u_go, u_go[0]) and threshold > 0
    for side, aborted in ((-1, True), (1, False)):
        model = CeasefireModel(_abort_case(threshold + side * 1e-6), 50, 0)
        model.step()
        model.step()
        assert (model.events.buildup_aborted == aborted).all()
        assert (model.aggressor.buildup_left == (0 if aborted else 9)).all()


@pytest.fixture(scope="module")
def watched_design():
    return compose_scenario(["attack=revisionist", "guarantee=sanctions", "monitoring=us_led_tech",
                             "theater.aggressor.capability=3", "attack.abort_cost=30",
                             "theater.n_sectors=20", "sim.horizon_days=365", "sim.replications=600",
                             "sim.seed=4"])


def _looks(sc, factor: float):
    import dataclasses as dc

    assets = {k: dc.replace(a, looks_per_day=a.looks_per_day * factor)
              for k, a in sc.monitoring.assets.items()}
    return dc.replace(sc, monitoring=dc.replace(sc.monitoring, assets=assets))


def _paired(a, b) -> tuple[float, float]:
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    return float(d.mean()), float(d.std(ddof=1) / math.sqrt(len(d)))


@pytest.mark.parametrize("factor", [0.1, 4.0])
def test_more_detection_never_gives_more_surprise_offensives(watched_design, factor):
    base = simulate_scenario(watched_design).runs
    other = simulate_scenario(_looks(watched_design, factor)).runs
    assert base["surprise_offensive"].any() or other["surprise_offensive"].any()
    more, less = (other, base) if factor > 1 else (base, other)
    diff, se = _paired(more["surprise_offensive"], less["surprise_offensive"])
    assert diff <= 2.0 * se, (factor, diff, se)


def test_warned_guarantors_act_before_the_attack():
    """A verified warning brings pre-emptive sanctions (the drag starts) if the commitment pre-empts."""
    common = [*[o for o in CERTAIN_START if "capability" not in o], "theater.aggressor.capability=3",
              "guarantee=sanctions", "guarantee.commitments.sanctions_snapback.bindingness=0.99",
              "monitoring=us_led_tech", "monitoring.warning_delay_days=0", "attack.buildup_days=60",
              "attack.abort_cost=1e6", "sim.horizon_days=30"]
    drag = {}
    for pre_empts in (True, False):
        sc = compose_scenario([*common, f"guarantee.commitments.sanctions_snapback.pre_empts={pre_empts}"])
        model = CeasefireModel(sc, 200, 0)
        warned_day = np.full(model.n, 0)
        dragged_from = np.full(model.n, 0)
        for _ in range(30):
            model.step()
            warned_day[(warned_day == 0) & model.events.warning] = model.steps
            dragged_from[(dragged_from == 0) & (model.events.regen_drag > 0)] = model.steps
        drag[pre_empts] = (warned_day, dragged_from)
    warned_day, dragged_from = drag[True]
    assert (warned_day > 0).mean() > 0.8
    acted = warned_day > 0
    assert ((dragged_from[acted] == warned_day[acted]) | (dragged_from[acted] == 0)).all()
    assert (dragged_from[acted] == warned_day[acted]).mean() > 0.8       # most coalitions act at once
    assert (drag[False][1] == 0).all()                                  # without it: no drag at all


LADDER = ["attack=revisionist", "guarantee=reassurance_force", "monitoring=us_led_tech",
          "guarantee.commitments.reassurance_force.effects.reassurance_force.clash_risk=1",
          "guarantee.commitments.reassurance_force.bindingness=0.99", "attack.offensive_rate_per_day=0",
          "theater.n_sectors=8", "sim.horizon_days=120"]


@pytest.mark.parametrize(("resolve", "rung_max", "wider"), [(1e4, 3, True), (0.0, 1, False)])
def test_a_clash_climbs_the_ladder_when_both_sides_always_go_up(resolve, rung_max, wider):
    """At temperature 0 with overwhelming resolve the pair climbs a rung a day: incident, limited
    exchange, wider war two days after the first clash; with none on the guarantors' side, an
    incident goes no further."""
    overrides = [*LADDER, "attack.escalation_temperature=0", "attack.escalation_resolve=1e4",
                 *(f"theater.guarantors.{g}.escalation_resolve={resolve}" for g in ("uk", "france"))]
    sc = compose_scenario(overrides)
    model = CeasefireModel(sc, 200, 0)
    first_clash = np.zeros(model.n, dtype=int)
    for _ in range(120):
        if not model.running:
            break
        model.step()
        first_clash[(first_clash == 0) & model.events.clash] = model.steps
    clashed = first_clash > 0
    assert clashed.mean() > 0.2
    assert (model.ladder.rung_max[clashed] == rung_max).all()
    if wider:
        assert (model.ladder.wider_war_day[clashed] == first_clash[clashed] + 2).all()
        assert (~model.in_ceasefire[clashed]).all()
    else:
        assert not model.ladder.wider_war_day.any() and (model.ladder.rung_max[~clashed] == 0).all()


def test_share_of_clashes_ending_in_wider_war_matches_the_ladders_probabilities():
    """With random moves: ``P(wider | clash) = a1 g1 a2 g2`` (one guarantor: lead nation)."""
    resolve_a, resolve_g, loss_a, loss_g, tau = 25.0, 40.0, 30.0, 40.0, 5.0
    overrides = [*LADDER, f"attack.escalation_temperature={tau}", f"attack.escalation_resolve={resolve_a}",
                 f"attack.wider_war_loss={loss_a}", "attack.learns=false",
                 *(f"theater.guarantors.{g}.{f}={v}" for g in ("uk", "france") for f, v in (
                     ("escalation_resolve", resolve_g), ("wider_war_loss", loss_g),
                     ("political_will", 1.0), ("will_per_clash", 0), ("drift_per_day", 0),
                     ("fatigue", 0), ("rally_per_flagrant", 0))),
                 "sim.horizon_days=60"]
    runs = simulate(overrides, replications=3000).runs
    episodes = runs["escalation_rung_max"] > 0
    up = [logit_probability(escalation_utility(resolve_a, loss_a, k), tau) for k in (1, 2)]
    match = [logit_probability(escalation_utility(resolve_g, loss_g, k), tau) for k in (1, 2)]
    p = float(wider_war_probability(up, match))
    n = int(episodes.sum())
    first_episode_wider = runs.loc[episodes, "wider_war"].mean()
    assert n > 1000 and 0.02 < p < 0.5
    # Later episodes in the same replication can only add wider wars: at least p, and not far above.
    assert first_episode_wider > p - 4 * math.sqrt(p * (1 - p) / n)
    assert first_episode_wider < 2.5 * p


def test_the_aggressor_weighs_escalation_before_attacking_near_a_force():
    """An aggressor that would not back down from a clash weighs the wider war it would bring:
    the dearer that war, the fewer serious violations where a force stands, and only there."""
    base = ["attack=revisionist", "attack.offensive_rate_per_day=0", "guarantee=reassurance_force",
            "monitoring=none", "attack.escalation_resolve=1e4", "attack.learns=false",
            "theater.n_sectors=8", "sim.horizon_days=120", "sim.seed=3", "sim.trace=[]"]
    runs = {loss: CeasefireModel(compose_scenario([*base, f"attack.wider_war_loss={loss}"]), 300, 0)
            for loss in (0, 200)}
    near = {}
    for loss, model in runs.items():
        count = np.zeros(8)
        while model.running:
            model.step()
            cells = model.events.aggressor_event_cells[model.events.aggressor_event_rung == 2]
            count += np.bincount(cells % 8, minlength=8)
        near[loss] = count
    force = 4                                   # the force stands in the 4 most valuable sectors
    assert near[200][:force].sum() < 0.8 * near[0][:force].sum()
    assert abs(near[200][force:].sum() - near[0][force:].sum()) < 0.1 * near[0][force:].sum()


# Found while writing the plain-Mesa reference (both failed before the fix).
# Every replication starts a one-day build-up on day 1 and launches it on day 2, or never attacks
# (offensive rate drawn 0 or 1), so the model runs on after the collapses.
CERTAIN = ["guarantee=none", "attack.offensive_rate_per_day={dist:choice,values:[0,1]}",
           "attack.offensive_temperature=0", "attack.offensive_cost=0", "attack.buildup_days=1",
           "theater.aggressor.capability=1e6", "sim.horizon_days=5"]


def test_false_warnings_are_counted_only_while_the_ceasefire_holds():
    """A false warning raised on day 1 is verified on day 3; the ceasefire ended on day 2."""
    runs = simulate([*CERTAIN, "monitoring=us_led_tech", "monitoring.warning_delay_days=2",
                     "monitoring.p_verify_false_alarm=1",
                     "monitoring.assets.sar_satellites.false_warnings_per_year=1e6"],
                    replications=20, seed=0).runs
    assert runs["collapsed"].any() and (~runs["collapsed"]).any()
    assert (runs.loc[runs["collapsed"], "false_warnings"] == 0).all()


def test_a_surprise_offensive_has_no_warning_days():
    """warning_days is the span from the warning of the build-up that was launched; a surprise
    after an earlier build-up was warned of and stood down has none."""
    runs = simulate(["attack=revisionist", "monitoring=us_led_tech_jammed", "guarantee=sanctions",
                     "theater.n_sectors=6", "sim.horizon_days=40", "attack.offensive_rate_per_day=0.15",
                     "attack.buildup_days={dist:triangular,low:2,mode:5,high:12}", "attack.abort_cost=0",
                     "monitoring.assets.sar_satellites.p_detect_buildup=0.05"],
                    replications=600, seed=1).runs
    surprise = runs["surprise_offensive"]
    assert surprise.sum() > 15
    assert runs.loc[surprise, "warning_days"].isna().all()
