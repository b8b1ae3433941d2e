"""Decision math: logit choice, its zero-temperature limit, p_win, and the deterrence thresholds."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special

from deterrence_sim.core.decision import (
    deterrence_credibility_threshold,
    inspection_detection_threshold,
    logit_probability,
    p_win,
    rung_probabilities,
)


def test_rung_probabilities_are_the_softmax_of_utilities():
    rng = np.random.default_rng(3)
    u = rng.normal(0.0, 3.0, size=(3, 200))
    for tau in (0.1, 0.5, 2.0):
        p_minor, p_serious = rung_probabilities(u[0], u[1], u[2], tau)
        expected = special.softmax(u / tau, axis=0)
        np.testing.assert_allclose(p_minor, expected[1], rtol=1e-10)
        np.testing.assert_allclose(p_serious, expected[2], rtol=1e-10)


def test_rung_probabilities_do_not_overflow_at_low_temperature():
    u0, u1, u2 = np.array([0.0]), np.array([1e4]), np.array([-1e4])
    p_minor, p_serious = rung_probabilities(u0, u1, u2, 1e-3)
    assert p_minor[0] == 1.0 and p_serious[0] == 0.0
    assert np.isfinite(p_minor).all() and np.isfinite(p_serious).all()


def test_zero_temperature_is_the_exact_best_response_with_ties_to_the_lower_rung():
    #                    comply  minor  serious   -> expected (minor, serious)
    cases = np.array([[0.0, 1.0, 0.5],            # minor best
                      [0.0, 0.5, 1.0],            # serious best
                      [0.0, -1.0, -0.5],          # comply best
                      [0.0, 0.0, -1.0],           # comply = minor: comply wins the tie
                      [0.0, -1.0, 0.0],           # comply = serious: comply
                      [0.0, 1.0, 1.0],            # minor = serious: minor
                      [0.0, 0.0, 0.0]])           # all equal: comply
    p_minor, p_serious = rung_probabilities(cases[:, 0], cases[:, 1], cases[:, 2], 0.0)
    assert p_minor.tolist() == [1, 0, 0, 0, 0, 1, 0]
    assert p_serious.tolist() == [0, 1, 0, 0, 0, 0, 0]


def test_low_temperature_converges_to_the_best_response():
    rng = np.random.default_rng(5)
    u = rng.normal(0.0, 1.0, size=(3, 300))
    gap = np.sort(u, axis=0)
    u = u[:, (gap[2] - gap[1]) > 0.05]           # no near-ties
    best_minor, best_serious = rung_probabilities(u[0], u[1], u[2], 0.0)
    p_minor, p_serious = rung_probabilities(u[0], u[1], u[2], 1e-3)
    np.testing.assert_allclose(p_minor, best_minor, atol=1e-12)
    np.testing.assert_allclose(p_serious, best_serious, atol=1e-12)


def test_logit_probability_is_the_logistic_of_utility_over_temperature():
    u = np.linspace(-20.0, 20.0, 81)
    for tau in (0.3, 1.0, 3.0):
        np.testing.assert_allclose(logit_probability(u, tau), special.expit(u / tau),
                                   rtol=1e-12, atol=1e-15)
    assert logit_probability(np.array([-1.0, 0.0, 1e-12, 5.0]), 0.0).tolist() == [0, 0, 1, 1]


def test_p_win_is_logistic_in_log_force_ratio():
    ratios = np.array([0.5, 1.0, 2.0, 3.0, 6.0, 100.0])
    kappa, rho = 4.0, 3.0
    expected = special.expit(kappa * (np.log(ratios) - np.log(rho)))
    np.testing.assert_allclose(p_win(ratios, kappa, rho), expected, rtol=1e-12)
    assert p_win(rho, kappa, rho) == pytest.approx(0.5)
    assert np.all(np.diff(p_win(ratios, kappa, rho)) > 0)
    assert p_win(1e6, kappa, rho) == 1.0


@pytest.mark.parametrize("seed", range(5))
def test_credibility_threshold_is_the_indifference_point_of_expected_utility(seed):
    rng = np.random.default_rng(seed)
    gain, punishment = rng.uniform(1.0, 50.0, 2)
    status_quo = rng.uniform(-5.0, gain)
    q = deterrence_credibility_threshold(gain, status_quo, punishment)
    assert 0.0 <= q <= 1.0

    def attack_utility(c):
        return (1.0 - c) * gain - c * punishment

    assert attack_utility(q) == pytest.approx(status_quo)
    assert attack_utility(q + 1e-3) < status_quo < attack_utility(q - 1e-3)


def test_credibility_threshold_worked_values():
    assert deterrence_credibility_threshold(10.0, 0.0, 30.0) == pytest.approx(0.25)
    assert deterrence_credibility_threshold(10.0, 10.0, 30.0) == 0.0     # nothing to gain
    assert deterrence_credibility_threshold(10.0, 2.0, 30.0) == pytest.approx(0.2)


@pytest.mark.parametrize("seed", range(5))
def test_inspection_threshold_is_the_indifference_point_of_the_inspection_game(seed):
    rng = np.random.default_rng(100 + seed)
    g, s, h = rng.uniform(0.5, 10.0, 3)
    a = rng.uniform(0.0, 0.2)
    d = inspection_detection_threshold(g, s, a, h)

    def violate(det):
        return (1.0 - det) * g - det * s

    assert violate(d) == pytest.approx(-a * h)
    assert violate(d + 1e-3) < -a * h < violate(d - 1e-3)


def test_false_alarms_raise_the_detection_needed_to_deter():
    without = inspection_detection_threshold(1.0, 3.0, 0.0, 4.0)
    with_false_alarms = inspection_detection_threshold(1.0, 3.0, 0.1, 4.0)
    assert without == pytest.approx(0.25)
    assert with_false_alarms == pytest.approx(0.35)
