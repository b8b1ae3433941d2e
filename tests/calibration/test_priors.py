"""Priors: draws and densities against SciPy, truncation to a field's range, and every refusal."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import integrate, stats

from deterrence_sim.calibration import Prior
from deterrence_sim.config import ConfigError

SPECS = {
    "uniform": ({"dist": "uniform", "low": 0.2, "high": 0.7}, stats.uniform(0.2, 0.5)),
    "triangular": ({"dist": "triangular", "low": 0.0, "mode": 0.3, "high": 2.0}, stats.triang(0.15, 0, 2)),
    "normal": ({"dist": "normal", "mean": 1.0, "sd": 0.5}, stats.norm(1.0, 0.5)),
    "lognormal": ({"dist": "lognormal", "median": 0.002, "sigma": 0.5}, stats.lognorm(0.5, scale=0.002)),
    "beta": ({"dist": "beta", "a": 2, "b": 5}, stats.beta(2, 5)),
}


@pytest.mark.parametrize("kind", list(SPECS))
def test_draws_and_density_are_scipys(kind: str) -> None:
    spec, dist = SPECS[kind]
    prior = Prior.from_spec({"x": spec})
    draws = prior.sample(np.random.default_rng(4), 20_000)[:, 0]
    assert stats.kstest(draws, dist.cdf).pvalue > 0.01
    x = dist.ppf(np.linspace(0.01, 0.99, 25))
    np.testing.assert_allclose(prior.logpdf(x[:, None]), dist.logpdf(x), rtol=1e-12)


def test_truncation_to_the_fields_range_renormalises_the_density() -> None:
    prior = Prior.from_spec({"p": {"dist": "normal", "mean": 0.1, "sd": 0.2}}, bounds={"p": (0.0, 1.0)})
    mass, _ = integrate.quad(lambda v: np.exp(prior.logpdf(np.array([[v]]))[0]), 0.0, 1.0)
    assert mass == pytest.approx(1.0, abs=1e-9)
    assert prior.logpdf(np.array([[-0.01], [1.01]])).tolist() == [-np.inf, -np.inf]
    draws = prior.sample(np.random.default_rng(2), 20_000)[:, 0]
    truncated = stats.truncnorm(-0.5, 4.5, loc=0.1, scale=0.2)
    assert draws.min() >= 0.0 and stats.kstest(draws, truncated.cdf).pvalue > 0.01


def test_parameters_are_independent_and_in_the_order_given() -> None:
    prior = Prior.from_spec({"b": SPECS["beta"][0], "a": SPECS["uniform"][0]})
    assert prior.names == ("b", "a")
    theta = np.array([[0.3, 0.5], [0.9, 0.3]])
    expected = stats.beta(2, 5).logpdf(theta[:, 0]) + stats.uniform(0.2, 0.5).logpdf(theta[:, 1])
    np.testing.assert_allclose(prior.logpdf(theta), expected)
    assert list(prior.frame(theta).columns) == ["b", "a"]
    assert json.loads(prior.key())["a"] == {"dist": "uniform", "low": 0.2, "high": 0.7,
                                            "bounds": [None, None]}


def test_the_same_seed_draws_the_same_particles() -> None:
    prior = Prior.from_spec({"a": SPECS["lognormal"][0], "b": SPECS["triangular"][0]})
    np.testing.assert_array_equal(prior.sample(np.random.default_rng(9), 100),
                                  prior.sample(np.random.default_rng(9), 100))


@pytest.mark.parametrize(("spec", "bounds", "message"), [
    ({"dist": "uniform", "low": 0.5, "high": 0.5}, None,
     "x: invalid value {'dist': 'uniform', 'low': 0.5, 'high': 0.5}; allowed: low < high (this prior has no "
     "mass)"),
    ({"dist": "uniform", "low": 2, "high": 1}, None,
     "x: invalid value {'dist': 'uniform', 'low': 2, 'high': 1}; allowed: low < high (this prior has no "
     "mass)"),
    ({"dist": "triangular", "low": 0, "mode": 3, "high": 2}, None,
     "x: invalid value {'dist': 'triangular', 'low': 0, 'mode': 3, 'high': 2}; allowed: low <= mode <= high "
     "and low < high (this prior has no mass)"),
    ({"dist": "normal", "mean": 0, "sd": 0}, None,
     "x: invalid value {'dist': 'normal', 'mean': 0, 'sd': 0}; allowed: sd > 0 (this prior has no mass)"),
    ({"dist": "lognormal", "median": 0, "sigma": 1}, None,
     "x: invalid value {'dist': 'lognormal', 'median': 0, 'sigma': 1}; allowed: median > 0 and sigma > 0 "
     "(this prior has no mass)"),
    ({"dist": "beta", "a": 0, "b": 2}, None,
     "x: invalid value {'dist': 'beta', 'a': 0, 'b': 2}; allowed: a > 0 and b > 0 (this prior has no mass)"),
    ({"dist": "uniform", "low": 2, "high": 3}, (0.0, 1.0),
     "x: invalid value {'dist': 'uniform', 'low': 2, 'high': 3}; allowed: a prior with mass inside the "
     "field's range [0, 1] (this one has none there)"),
    ({"dist": "normal", "mean": 100, "sd": 1}, (0.0, 1.0),
     "x: invalid value {'dist': 'normal', 'mean': 100, 'sd': 1}; allowed: a prior with mass inside the "
     "field's range [0, 1] (this one has none there)"),
])
def test_a_prior_with_no_mass_is_refused_in_one_line(spec: dict, bounds: tuple | None, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        Prior.from_spec({"x": spec}, bounds={"x": bounds} if bounds else None)
    assert str(err.value) == message


@pytest.mark.parametrize(("spec", "message"), [
    (0.3, "x: invalid value 0.3; allowed: a distribution, one of {dist: uniform, low, high}, "
          "{dist: triangular, low, mode, high}, {dist: normal, mean, sd}, {dist: lognormal, median, sigma}, "
          "{dist: beta, a, b} (a fixed value is not calibrated: leave it out of the prior)"),
    ({"dist": "choice", "values": [1, 2]}, "x: invalid value {'dist': 'choice', 'values': [1, 2]}; allowed: "
     "one of {dist: uniform, low, high}, {dist: triangular, low, mode, high}, {dist: normal, mean, sd}, "
     "{dist: lognormal, median, sigma}, {dist: beta, a, b}"),
    ({"dist": "uniform", "low": 0}, "x: invalid value {'dist': 'uniform', 'low': 0}; allowed: "
     "{dist: uniform, low, high}"),
    ({"dist": "beta", "a": 1, "b": 1, "loc": 0},
     "x: invalid value {'dist': 'beta', 'a': 1, 'b': 1, 'loc': 0}; allowed: {dist: beta, a, b}"),
    ({"dist": "normal", "mean": float("nan"), "sd": 1},
     "x.mean: invalid value nan; allowed: a finite number"),
    ({"dist": "normal", "mean": True, "sd": 1}, "x.mean: invalid value True; allowed: a finite number"),
    ({"dist": "normal", "mean": "0", "sd": 1}, "x.mean: invalid value '0'; allowed: a finite number"),
])
def test_malformed_priors_are_refused_in_one_line(spec: object, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        Prior.from_spec({"x": spec})
    assert str(err.value) == message


def test_an_empty_prior_and_a_reserved_name_are_refused() -> None:
    with pytest.raises(ConfigError) as err:
        Prior.from_spec({})
    assert str(err.value) == ("prior: invalid value {}; allowed: a mapping of at least one parameter path "
                              "to a distribution")
    with pytest.raises(ConfigError) as err:
        Prior.from_spec({"weight": SPECS["beta"][0]})
    assert str(err.value) == "prior: invalid value 'weight'; allowed: a parameter path other than weight, " \
                             "distance, generation"
