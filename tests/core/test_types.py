"""Inverse CDFs of the uncertain parameters agree with SciPy's distributions."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from deterrence_sim.core.types import sample

U = np.random.default_rng(11).random(50_000)


@pytest.mark.parametrize(("a", "b"), [(2, 5), (3, 3), (0.5, 0.5), (10, 2)])
def test_beta_is_scipys_ppf_bit_for_bit(a, b):
    np.testing.assert_array_equal(sample({"dist": "beta", "a": a, "b": b}, U), stats.beta.ppf(U, a, b))


@pytest.mark.parametrize("mode", [0.1, 0.3, 0.6])
def test_triangular_is_scipys_ppf_to_rounding(mode):
    spec = {"dist": "triangular", "low": 0.1, "mode": mode, "high": 0.6}
    expected = stats.triang.ppf(U, (mode - 0.1) / 0.5, loc=0.1, scale=0.5)
    np.testing.assert_allclose(sample(spec, U), expected, rtol=0, atol=1e-12)
