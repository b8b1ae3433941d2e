"""Hazard ratios against an independent implementation and a known truth; interval hazards."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize

from deterrence_sim.analysis.hazard import cox_log_hr, hazard_ratio, interval_hazards


def naive_partial_loglik(beta: float, day: np.ndarray, arm: np.ndarray, horizon: int) -> float:
    """Breslow's partial log-likelihood written the long way: a loop over event days."""
    failed = np.isfinite(day) & (day <= horizon)
    total = 0.0
    for t in np.unique(day[failed]):
        at_risk = day >= t
        events = failed & (day == t)
        total += beta * arm[events].sum() - events.sum() * np.log(np.sum(np.exp(beta * arm[at_risk])))
    return total


def test_the_estimate_maximises_the_partial_likelihood_written_the_long_way() -> None:
    rng = np.random.default_rng(5)
    base = np.ceil(rng.exponential(300, 150))
    design = np.ceil(rng.exponential(450, 150))
    base[rng.random(150) < 0.2] = np.inf                               # some hold to the horizon
    day, arm = np.concatenate([base, design]), np.repeat([0.0, 1.0], 150)
    best = optimize.minimize_scalar(lambda b: -naive_partial_loglik(b, day, arm, 400), bounds=(-3, 3),
                                    method="bounded", options={"xatol": 1e-10})
    hr = hazard_ratio(base, design, 400, n_resamples=0)
    assert np.log(hr.estimate) == pytest.approx(best.x, abs=1e-6)
    assert hr.events_baseline == int(np.sum(base <= 400)) and hr.events_design == int(np.sum(design <= 400))


def test_a_known_ratio_is_found_and_the_paired_interval_covers_it() -> None:
    u = np.random.default_rng(2).random(3000)
    hr = hazard_ratio(np.ceil(-np.log(u) / 0.003), np.ceil(-np.log(u) / 0.0012), 1826, n_resamples=300)
    assert hr.low < 0.4 < hr.high and hr.high - hr.low < 0.05        # pairs: a narrow interval
    assert hr.estimate == pytest.approx(0.4, abs=0.02)


def test_one_arm_without_events_gives_an_infinite_log_ratio() -> None:
    assert cox_log_hr(np.array([3.0]), np.array([9.0]), np.array([0.0]), np.array([9.0])) == -np.inf
    with pytest.raises(ValueError, match="allowed: two 1-d arrays of the same length"):
        hazard_ratio([1.0, 2.0], [1.0], 10)


def test_interval_hazards_are_conditional_on_holding_at_the_start() -> None:
    day = np.array([10, 400, 800, 900, 2000, np.nan])
    np.testing.assert_allclose(interval_hazards(day, [0, 365, 730, 1826]), [1 / 6, 1 / 5, 2 / 4])
