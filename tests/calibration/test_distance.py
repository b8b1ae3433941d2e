"""Distances between simulated and observed statistics."""

from __future__ import annotations

import numpy as np
import pytest

from deterrence_sim.calibration import ScaledEuclidean, SurvivalDistance


def test_survival_distance_is_neymans_chi_squared_on_the_intervals() -> None:
    counts = np.array([24, 4, 10, 24])
    shares = np.cumsum(counts)[:3] / 62
    smoothed = (counts + 0.5) / 64                                          # half a case per interval
    rng = np.random.default_rng(3)
    sim = np.cumsum(rng.multinomial(62, [0.3, 0.2, 0.2, 0.3], size=5), axis=1)[:, :3] / 62
    cells = np.diff(np.column_stack([np.zeros(5), sim, np.ones(5)]), axis=1)
    chi2 = 62 * np.sum((cells - counts / 62) ** 2 / smoothed, axis=1)
    np.testing.assert_allclose(SurvivalDistance(tuple(shares), (62,) * 3)(sim, shares), np.sqrt(chi2))


def test_survival_distance_refuses_shares_that_decrease() -> None:
    with pytest.raises(ValueError, match=r"^SurvivalDistance: invalid value shares=\(0.5, 0.4\), "
                                         r"n=\(10, 10\); "):
        SurvivalDistance((0.5, 0.4), (10, 10))


def test_survival_distance_weighs_a_share_by_its_sampling_noise() -> None:
    d = SurvivalDistance((0.05, 0.5), (100, 100))
    near_zero = d(np.array([[0.10, 0.5]]), np.array([0.05, 0.5]))     # 0.05 off a share of 0.05 ...
    near_half = d(np.array([[0.05, 0.55]]), np.array([0.05, 0.5]))    # ... counts more than off 0.5
    assert near_zero[0] > 1.5 * near_half[0]


def test_scaled_euclidean_refuses_a_scale_of_zero() -> None:
    with pytest.raises(ValueError, match=r"^ScaledEuclidean: invalid value scale=\(1.0, 0.0\); allowed: "):
        ScaledEuclidean((1.0, 0.0))
