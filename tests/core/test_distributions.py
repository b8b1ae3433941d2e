"""Uncertain parameters: inverse CDFs agree with SciPy, draws stay in range, bad laws are refused."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from deterrence_sim.core.distributions import (
    Range,
    distribution_problem,
    poisson_quantile,
    sample,
)

U = (np.random.default_rng(11).random(50_000) * (1 - 2e-9)) + 1e-9   # strictly inside (0, 1)
PROB, POS = Range(0.0, 1.0), Range(0.0, lo_open=True)


@pytest.mark.parametrize(("a", "b"), [(2, 5), (3, 3), (0.5, 0.5), (10, 2)])
def test_beta_is_scipys_ppf_bit_for_bit(a, b):
    np.testing.assert_array_equal(sample({"dist": "beta", "a": a, "b": b}, U, PROB),
                                  stats.beta.ppf(U, a, b))


@pytest.mark.parametrize("mode", [0.1, 0.3, 0.6])
def test_triangular_is_scipys_ppf_to_rounding(mode):
    spec = {"dist": "triangular", "low": 0.1, "mode": mode, "high": 0.6}
    expected = stats.triang.ppf(U, (mode - 0.1) / 0.5, loc=0.1, scale=0.5)
    np.testing.assert_allclose(sample(spec, U), expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize(("mean", "sd", "allowed"), [(0.5, 0.2, PROB), (0.0, 1.0, PROB),
                                                     (3.0, 2.0, POS), (-1.0, 1.0, Range(0.0))])
def test_normal_is_scipys_truncated_normal(mean, sd, allowed):
    lo, hi = (allowed.lo - mean) / sd, (allowed.hi - mean) / sd
    expected = stats.truncnorm.ppf(U, lo, hi, loc=mean, scale=sd)
    drawn = sample({"dist": "normal", "mean": mean, "sd": sd}, U, allowed)
    np.testing.assert_allclose(drawn, expected, rtol=1e-7, atol=1e-9)
    assert all(allowed.contains(x) for x in drawn[:2000])


def test_lognormal_is_scipys_ppf():
    drawn = sample({"dist": "lognormal", "median": 0.006, "sigma": 0.4}, U, Range(0.0))
    np.testing.assert_allclose(drawn, stats.lognorm.ppf(U, 0.4, scale=0.006), rtol=1e-10)


def test_choice_follows_its_weights():
    drawn = sample({"dist": "choice", "values": [3, 7, 30], "weights": [1, 2, 1]}, U,
                   Range(0, 365), integer=True)
    assert set(np.unique(drawn)) == {3.0, 7.0, 30.0}
    shares = [np.mean(drawn == v) for v in (3, 7, 30)]
    np.testing.assert_allclose(shares, [0.25, 0.5, 0.25], atol=0.01)


def test_whole_number_fields_get_whole_draws_in_range():
    drawn = sample({"dist": "triangular", "low": 1, "mode": 7, "high": 30}, U, Range(0, 365),
                   integer=True)
    assert np.all(drawn == np.rint(drawn)) and drawn.min() >= 1 and drawn.max() <= 30


def test_draws_at_the_open_end_of_a_range_stay_inside_it():
    allowed = Range(0.0, 1.0, hi_open=True)
    drawn = sample({"dist": "normal", "mean": 5.0, "sd": 0.1}, np.array([1 - 1e-16, 0.5]), allowed)
    assert (drawn < 1.0).all()


@pytest.mark.parametrize(("spec", "allowed", "message"), [
    ({"dist": "gamma", "k": 2}, PROB, "a number, or one of {dist: uniform, low, high}"),
    ({"dist": "uniform", "low": 0.2}, PROB, "{dist: uniform, low, high}"),
    ({"dist": "uniform", "low": 0.2, "high": 0.4, "mode": 0.3}, PROB, "{dist: uniform, low, high}"),
    ({"dist": "uniform", "low": 0.2, "high": 1.4}, PROB, "uniform with low and high in [0, 1]"),
    ({"dist": "uniform", "low": 0.4, "high": 0.2}, PROB, "uniform with low < high, low < high"),
    ({"dist": "triangular", "low": 0, "mode": 2, "high": 1}, PROB, "triangular with low <= mode <= high"),
    ({"dist": "lognormal", "median": 0.5, "sigma": 0.3}, PROB, "lognormal with support (0, inf) in [0, 1]"),
    ({"dist": "lognormal", "median": 0.5, "sigma": -1}, POS, "lognormal with sigma > 0"),
    ({"dist": "beta", "a": 2, "b": 2}, Range(0.0, 0.5), "beta with support [0, 1] in [0, 0.5]"),
    ({"dist": "beta", "a": -1, "b": 2}, PROB, "beta with a > 0 and b > 0"),
    ({"dist": "normal", "mean": 50, "sd": 1}, PROB, "normal with mass inside [0, 1] (this one has none)"),
    ({"dist": "choice", "values": [0.5, 2.0]}, PROB, "choice of values that are each a number in [0, 1]"),
    ({"dist": "choice", "values": [0.5, 0.7], "weights": [1]}, PROB, "choice with one weight >= 0"),
    ({"dist": "uniform", "low": "a", "high": 1}, PROB, "{dist: uniform, low, high} with finite numbers"),
    (1.5, PROB, "a number in [0, 1], or a distribution"),
    (True, PROB, "a number in [0, 1], or a distribution"),
])
def test_bad_laws_are_refused_with_what_is_allowed(spec, allowed, message):
    assert distribution_problem(spec, allowed).startswith(message)


def test_whole_number_fields_refuse_fractions():
    assert distribution_problem(2.5, Range(0, 365), integer=True).startswith("a whole number in [0, 365]")
    assert distribution_problem({"dist": "choice", "values": [1, 2.5]}, Range(0, 365), integer=True)
    assert distribution_problem(7, Range(0, 365), integer=True) is None


@pytest.mark.parametrize("mean", [0.0, 0.01, 0.3, 2.0, 7.5])
def test_poisson_quantile_is_scipys_ppf(mean):
    u = U[:5000]
    np.testing.assert_array_equal(poisson_quantile(u, np.full(len(u), mean)),
                                  stats.poisson.ppf(u, mean).astype(int))
