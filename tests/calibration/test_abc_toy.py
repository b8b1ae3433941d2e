"""ABC-SMC against exact posteriors of toy survival models (exponential and Weibull).

The observed statistics are the shares of 62 ceasefires failed by 1, 2 and 5 years; the sampler
runs until its tolerance reaches 0, where ABC conditions on the observed shares exactly, so its
posterior must agree with the exact one up to Monte Carlo error. That error was measured on the
Weibull case (400 particles) over seeds 0-11: the gap of the posterior mean has a standard deviation
of 0.07 exact-posterior sd (largest 0.14), the sd ratio ranges over 0.92-1.10, the median's gap has
a standard deviation of 0.07 and the 5 % and 95 % quantiles' of 0.16 (largest 0.45). The
tolerances below are about 3.5 of those standard deviations. A sampler that drops the importance
weights, or the prior from them, misses them: measured on the same case, the log-scale mean moves by
0.36 and 0.66 sd, and the sd ratio of the shape or of the log scale becomes 0.78 and 1.20.
"""

from __future__ import annotations

import numpy as np
import pytest
from survival_toys import (
    Marginal,
    cumulative_shares,
    exponential_cdf,
    log_likelihood,
    simulate_exponential,
    simulate_weibull,
    weibull_cdf,
)

from deterrence_sim.calibration import Prior, SurvivalDistance, abc_smc

#: Allowed gaps from the exact posterior, in exact posterior standard deviations.
MEAN_GAP, SD_RATIO = 0.25, (0.85, 1.18)
QUANTILE_GAP = {"q05": 0.6, "q50": 0.25, "q95": 0.6}


def assert_agrees(name: str, exact: Marginal, abc: Marginal) -> None:
    gaps = exact.gaps(abc)
    print(f"{name}: exact {exact}, ABC {abc}, gaps {({k: round(v, 3) for k, v in gaps.items()})}")
    assert abs(gaps["mean"]) < MEAN_GAP, gaps
    assert SD_RATIO[0] < gaps["sd_ratio"] < SD_RATIO[1], gaps
    for q, allowed in QUANTILE_GAP.items():
        assert abs(gaps[q]) < allowed, (q, gaps)


def test_exponential_posterior_matches_the_exact_one() -> None:
    counts = np.array([14, 11, 20, 17])           # a typical sample of 62 with rate 0.25 per year
    observed = cumulative_shares(counts)
    prior = Prior.from_spec({"rate": {"dist": "lognormal", "median": 0.3, "sigma": 0.6}})
    result = abc_smc(simulate_exponential, prior, observed, SurvivalDistance(tuple(observed), (62,) * 3),
                     population_size=500, seed=3, min_acceptance=0.0005, max_generations=30)
    assert result.stop_reason == "min_epsilon" and result.trace["epsilon"].iloc[-1] == 0.0

    grid = np.linspace(1e-4, 1.5, 20_001)
    log_post = prior.logpdf(grid[:, None]) + log_likelihood(exponential_cdf(grid), counts)
    exact = Marginal.of(grid, np.exp(log_post - log_post.max()))
    post = result.posterior
    assert_agrees("exponential rate", exact, Marginal.of(post["rate"].to_numpy(), post["weight"].to_numpy()))


def test_weibull_posterior_matches_the_exact_one() -> None:
    counts = np.array([24, 4, 10, 24])            # the default target: Fortna's 62 ceasefires
    observed = cumulative_shares(counts)
    prior = Prior.from_spec({"shape": {"dist": "uniform", "low": 0.1, "high": 1.5},
                             "scale": {"dist": "lognormal", "median": 5.0, "sigma": 1.0}})
    result = abc_smc(simulate_weibull, prior, observed, SurvivalDistance(tuple(observed), (62,) * 3),
                     population_size=400, seed=5, min_acceptance=0.0002, max_generations=30)
    assert result.stop_reason == "min_epsilon" and result.trace["epsilon"].iloc[-1] == 0.0

    shape = np.linspace(0.1, 1.5, 701)
    log_scale = np.linspace(np.log(0.05), np.log(2000.0), 1601)
    k, u = np.meshgrid(shape, log_scale, indexing="ij")
    theta = np.column_stack([k.ravel(), np.exp(u).ravel()])
    log_post = (prior.logpdf(theta).reshape(k.shape) + u                  # + u: d(scale) = scale d(u)
                + log_likelihood(weibull_cdf(k, np.exp(u)), counts))
    mass = np.exp(log_post - log_post.max())
    assert mass[[0, -1], :].sum() + mass[:, [0, -1]].sum() < 1e-5 * mass.sum()   # the grid holds it all
    post, w = result.posterior, result.posterior["weight"].to_numpy()
    assert_agrees("Weibull shape", Marginal.of(k.ravel(), mass.ravel()),
                  Marginal.of(post["shape"].to_numpy(), w))
    assert_agrees("Weibull log scale", Marginal.of(u.ravel(), mass.ravel()),
                  Marginal.of(np.log(post["scale"].to_numpy()), w))


def test_particles_sharing_random_numbers_give_a_posterior_far_too_narrow() -> None:
    """Why the simulator must not give every particle the same random numbers (decisions.md)."""
    counts = np.array([14, 11, 20, 17])
    observed = cumulative_shares(counts)
    prior = Prior.from_spec({"rate": {"dist": "lognormal", "median": 0.3, "sigma": 0.6}})

    def shared_noise(params, rng_seed):
        u = np.random.default_rng(rng_seed).random(62)          # one draw of the world for all rows
        return (u[None, :, None] <= exponential_cdf(params["rate"].to_numpy())[:, None, :]).mean(axis=1)

    result = abc_smc(shared_noise, prior, observed, SurvivalDistance(tuple(observed), (62,) * 3),
                     population_size=300, seed=11, min_acceptance=0.002, max_generations=15)
    grid = np.linspace(1e-4, 1.5, 20_001)
    log_post = prior.logpdf(grid[:, None]) + log_likelihood(exponential_cdf(grid), counts)
    exact = Marginal.of(grid, np.exp(log_post - log_post.max()))
    abc = Marginal.of(result.posterior["rate"].to_numpy(), result.posterior["weight"].to_numpy())
    assert exact.gaps(abc)["sd_ratio"] < 0.5


@pytest.mark.parametrize("seed", [0, 1])
def test_single_share_posterior_is_the_beta_posterior_transformed(seed: int) -> None:
    """One horizon, uniform prior on F(1 year): the exact posterior of F is Beta(k + 1, n - k + 1)."""
    from scipy import stats

    prior = Prior.from_spec({"share": {"dist": "uniform", "low": 0.0, "high": 1.0}})

    def simulate(params, rng_seed):
        u = np.random.default_rng(rng_seed).random((len(params), 62))
        return (u <= params[["share"]].to_numpy()).mean(axis=1, keepdims=True)

    result = abc_smc(simulate, prior, [24 / 62], SurvivalDistance((24 / 62,), (62,)),
                     population_size=1000, seed=seed)
    exact = stats.beta(25, 39)
    post = result.posterior
    abc = Marginal.of(post["share"].to_numpy(), post["weight"].to_numpy())
    grid = np.linspace(0, 1, 100_001)
    assert_agrees("share failed by 1 year", Marginal.of(grid, exact.pdf(grid)), abc)
