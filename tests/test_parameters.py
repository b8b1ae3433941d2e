"""Every numeric parameter may be uncertain: drawn per replication on a stream keyed by its path.

Checks the issue's contract: any parameter of any node can be a distribution; each replication draws
its own value, reported as ``param.<path>``; draws never leave the field's range; adding a parameter
changes no other parameter's draws; designs keep common random numbers; and a parameter that varies
per replication gives, where it happens to take one value everywhere, exactly the scalar results.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from deterrence_sim import compose_scenario, simulate
from deterrence_sim.config import parameters
from deterrence_sim.core.distributions import Range, is_distribution
from deterrence_sim.model import CeasefireModel
from deterrence_sim.parameters import _substitute
from deterrence_sim.simulation import simulate_scenario

SMALL = ["theater.n_sectors=6", "sim.horizon_days=40", "sim.seed=3"]


def _spread(p) -> dict:
    """A distribution around a parameter's value that stays in its range."""
    if p.integer:
        lo = int(max(p.allowed.lo, 0))
        return {"dist": "choice", "values": [max(lo, int(p.value)), max(lo, int(p.value)) + 1]}
    allowed, x = p.allowed, float(p.value)
    lo = max(x * 0.8, allowed.lo) if allowed.lo > -np.inf else x * 0.8
    hi = min(x * 1.2 if x > 0 else 0.1, allowed.hi)
    if allowed.lo_open and lo <= allowed.lo:
        lo = allowed.lo + 1e-6
    if allowed.hi_open and hi >= allowed.hi:
        hi = allowed.hi - 1e-6
    return {"dist": "uniform", "low": lo, "high": hi if hi > lo else lo + 1e-6}


def test_every_numeric_parameter_can_be_a_distribution_drawn_per_replication():
    base = compose_scenario(["guarantee=paris_package", "monitoring=us_led_tech", *SMALL,
                             "sim.replications=300"])
    free = [p for p in parameters(base) if not p.fixed]
    assert len(free) > 100          # theater, attack, assets, commitments, effects, guarantors, aid
    spec = {p.path: p.value if is_distribution(p.value) else _spread(p) for p in free}
    uncertain = _substitute(base, spec, "")
    result = simulate_scenario(type(base)(**{f: getattr(uncertain, f) for f in
                                             ("theater", "attack", "monitoring", "guarantee", "sim")}))
    for p in free:
        drawn = result.runs[f"param.{p.path}"].to_numpy()
        assert all(p.allowed.contains(float(x)) for x in drawn), p.path
        assert drawn.std() > 0, p.path
        if p.integer:
            assert np.all(drawn == np.rint(drawn)), p.path
    assert result.runs["collapsed"].dtype == bool and len(result.runs) == 300


@pytest.mark.parametrize(("override", "path", "check"), [
    ("theater.aggressor.regen_per_day={dist:triangular,low:0.004,mode:0.0068,high:0.009}",
     "theater.aggressor.regen_per_day", lambda x: (x.min() >= 0.004) & (x.max() <= 0.009)),
    ("attack.temperature={dist:normal,mean:0.2,sd:0.5}", "attack.temperature", lambda x: x.min() >= 0),
    ("theater.defender.own_budget_bn_per_year={dist:lognormal,median:50,sigma:0.3}",
     "theater.defender.own_budget_bn_per_year", lambda x: abs(np.median(x) - 50) < 5),
    ("monitoring.verification_delay_days={dist:choice,values:[1,3,7],weights:[1,2,1]}",
     "monitoring.verification_delay_days", lambda x: set(x) == {1, 3, 7}),
    ("theater.guarantors.uk.political_will={dist:beta,a:2,b:2}", "theater.guarantors.uk.political_will",
     lambda x: (x > 0).all() & (x < 1).all()),
    ("guarantee.aid_bn_per_year.eu={dist:uniform,low:20,high:60}", "guarantee.aid_bn_per_year.eu",
     lambda x: (x >= 20).all() & (x <= 60).all()),
    ("guarantee.commitments.binding_support.effects.sanctions.drag_per_day={dist:uniform,low:0,high:0.003}",
     "guarantee.commitments.binding_support.effects.sanctions.drag_per_day", lambda x: x.max() <= 0.003),
])
def test_families_from_the_command_line_and_their_columns(override, path, check):
    runs = simulate([override, *SMALL], replications=400).runs
    drawn = runs[f"param.{path}"].to_numpy()
    assert check(drawn) and len(np.unique(drawn)) > 1


def test_adding_an_uncertain_parameter_changes_no_other_parameters_draws():
    one = simulate(SMALL, replications=100).runs
    two = simulate([*SMALL, "attack.temperature={dist:uniform,low:0.1,high:1}",
                    "theater.guarantors.us.political_will=0.4"], replications=100).runs
    for col in ("param.attack.revisionism", "param.theater.guarantors.uk.political_will",
                "param.theater.guarantors.eu.political_will"):
        np.testing.assert_array_equal(one[col], two[col])
    assert "param.theater.guarantors.us.political_will" not in two       # now a fixed number


def test_designs_draw_the_same_values():
    a = simulate(["guarantee=none", "monitoring=none", *SMALL], replications=100).runs
    b = simulate(["guarantee=paris_package", *SMALL], replications=100).runs
    params = [c for c in a.columns if c.startswith("param.")]
    assert params and set(params) <= set(b.columns)
    pd.testing.assert_frame_equal(a[params], b[params])


def _one_value_each(sc, skip=()):
    """The scenario with every numeric parameter a one-value choice: arrays of one value."""
    spec = {p.path: {"dist": "choice", "values": [p.value]} for p in parameters(sc)
            if not p.fixed and not is_distribution(p.value) and p.path not in skip}
    return _substitute(sc, spec, ""), spec


@pytest.mark.parametrize("design", [
    ["guarantee=paris_package", "attack=revisionist"],
    ["guarantee=sanctions", "monitoring=osce_observers", "attack=opportunist", "attack.temperature=0"],
])
def test_per_replication_arrays_of_one_value_give_the_scalar_results(design):
    """The array code paths (one value per replication) reproduce the scalar ones bit for bit."""
    sc = compose_scenario([*design, "theater.n_sectors=10", "sim.horizon_days=90",
                           "sim.replications=150"])
    arrays, spec = _one_value_each(sc)
    scalar = CeasefireModel(sc, 150, 0).run_model()
    varied = CeasefireModel(arrays, 150, 0)
    assert len(varied.parameter_values) >= len(spec)
    varied.run_model()
    for name, total in scalar.recorder.totals.items():
        np.testing.assert_array_equal(varied.recorder.totals[name], total, err_msg=name)
    np.testing.assert_array_equal(varied.collapse_day, scalar.collapse_day)
    np.testing.assert_array_equal(varied.aggressor.capability, scalar.aggressor.capability)


def test_per_replication_delays_land_each_response_after_its_own_delay():
    """Whole-number parameters that vary (ring buffers of per-replication length)."""
    sc = compose_scenario([
        "attack=revisionist", "attack.offensive_rate_per_day=0", "monitoring=us_led_tech",
        "guarantee=sanctions", "guarantee.commitments.sanctions_snapback.trigger_count=1",
        "guarantee.commitments.sanctions_snapback.trigger_severity=minor",
        "guarantee.commitments.sanctions_snapback.response_delay_days={dist:choice,values:[0,4,11]}",
        "guarantee.commitments.sanctions_snapback.effects.sanctions.punishment=6",
        "theater.n_sectors=20",
    ])
    model = CeasefireModel(sc, 120, 0)
    delay = model.parameter_values["guarantee.commitments.sanctions_snapback.response_delay_days"]
    assert set(delay) == {0, 4, 11}
    honoured, cost = [], []
    for _ in range(50):
        model.step()
        honoured.append(model.commitments[0].honoured.copy())
        cost.append(model.events.aggressor_cost.copy())
    honoured, cost = np.array(honoured), np.array(cost)
    for d in (0, 4, 11):
        rows = delay == d
        expected = np.zeros_like(cost[:, rows])
        expected[d:] = 6.0 * honoured[: len(honoured) - d, rows]
        np.testing.assert_array_equal(cost[:, rows], expected)
    assert honoured.sum() > 100


def test_draws_never_leave_a_half_open_range():
    runs = simulate(["monitoring.jamming_median={dist:normal,mean:0.99,sd:0.2}", *SMALL],
                    replications=500).runs
    drawn = runs["param.monitoring.jamming_median"]
    assert drawn.max() < 1.0 and drawn.min() >= 0.0 and Range(0.0, 1.0, hi_open=True).contains(drawn.max())
