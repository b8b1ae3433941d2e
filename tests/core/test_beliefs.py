"""Beta-Bernoulli beliefs: the exact conjugate update and forgetting."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from deterrence_sim.core.beliefs import beta_mean, beta_update


@pytest.mark.parametrize(("a", "b"), [(1.0, 1.0), (2.5, 0.5), (40.0, 3.0)])
def test_conjugate_update_adds_one_to_the_observed_side(a, b):
    assert beta_update(a, b, True) == (a + 1.0, b)
    assert beta_update(a, b, False) == (a, b + 1.0)
    assert beta_update(a, b, 1) == (a + 1.0, b)
    assert beta_update(a, b, 0) == (a, b + 1.0)


def test_conjugate_update_is_bayes_rule():
    """The posterior Beta(a+1, b) is prior x likelihood, normalised (checked on a grid)."""
    a, b = 2.0, 3.0
    x = np.linspace(0.001, 0.999, 999)
    for outcome in (True, False):
        like = x if outcome else 1.0 - x
        posterior = stats.beta.pdf(x, a, b) * like
        posterior /= np.trapezoid(posterior, x)
        a1, b1 = beta_update(a, b, outcome)
        np.testing.assert_allclose(posterior, stats.beta.pdf(x, a1, b1), rtol=2e-3, atol=2e-3)


def test_update_is_vectorised_and_elementwise():
    alpha = np.array([1.0, 2.0, 3.0, 4.0])
    beta = np.array([1.0, 1.0, 2.0, 5.0])
    seen = np.array([True, False, True, False])
    new_alpha, new_beta = beta_update(alpha, beta, seen)
    assert new_alpha.tolist() == [2.0, 2.0, 4.0, 4.0]
    assert new_beta.tolist() == [1.0, 2.0, 2.0, 6.0]
    assert alpha.tolist() == [1.0, 2.0, 3.0, 4.0]          # inputs untouched


def test_forgetting_discounts_past_evidence_before_adding_the_outcome():
    assert beta_update(4.0, 6.0, True, forgetting=0.5) == (3.0, 3.0)
    assert beta_update(4.0, 6.0, False, forgetting=0.5) == (2.0, 4.0)
    # Repeated failures with forgetting converge to the fixed point beta = 1 / (1 - lam), alpha -> 0.
    a, b = 5.0, 5.0
    for _ in range(2000):
        a, b = beta_update(a, b, False, forgetting=0.9)
    assert a == pytest.approx(0.0, abs=1e-12)
    assert b == pytest.approx(10.0)


def test_sequence_of_outcomes_gives_counts_without_forgetting():
    rng = np.random.default_rng(2)
    outcomes = rng.random(250) < 0.3
    a, b = 1.0, 1.0
    for x in outcomes:
        a, b = beta_update(a, b, x)
    assert (a, b) == (1.0 + outcomes.sum(), 1.0 + (~outcomes).sum())


def test_beta_mean():
    assert beta_mean(1.0, 3.0) == 0.25
    np.testing.assert_allclose(beta_mean(np.array([1.0, 9.0]), np.array([1.0, 1.0])), [0.5, 0.9])
    means = beta_mean(np.float32(3.0), np.float32(1.0))
    assert means == pytest.approx(stats.beta.mean(3.0, 1.0))
