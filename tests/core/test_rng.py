"""Random streams: ``Uniforms`` reproduces ``Generator.random(dtype=float32)`` bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from deterrence_sim.core.rng import Uniforms


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_uniforms_equal_numpy_float32_draws_and_leave_the_same_state(seed):
    ours, numpys = np.random.default_rng(seed), np.random.default_rng(seed)
    plan = np.random.default_rng(100 + seed)
    for _ in range(60):   # odd and even sizes, interleaved with float64 draws, as the phases do
        size = int(plan.integers(0, 40))
        u = Uniforms(ours, size)
        expected = numpys.random(size, dtype=np.float32)
        np.testing.assert_array_equal(u.at(np.arange(size)), expected)
        for p in (0.0, 0.02, 0.3, 0.7, float(expected[0]) if size else 0.5, 1.0):
            np.testing.assert_array_equal(u.below(p), np.flatnonzero(expected < p))
        if plan.random() < 0.5:
            k = int(plan.integers(1, 4))
            np.testing.assert_array_equal(ours.random(k), numpys.random(k))
    a, b = ours.bit_generator.state, numpys.bit_generator.state
    assert a["state"] == b["state"] and a["has_uint32"] == b["has_uint32"]
    if a["has_uint32"]:   # the kept half (NumPy leaves a stale one when none is kept)
        assert a["uinteger"] == b["uinteger"]
    np.testing.assert_array_equal(ours.random(7, dtype=np.float32), numpys.random(7, dtype=np.float32))


def test_uniforms_of_another_bit_generator_fall_back_to_numpy():
    a, b = np.random.Generator(np.random.Philox(4)), np.random.Generator(np.random.Philox(4))
    np.testing.assert_array_equal(Uniforms(a, 9).at(np.arange(9)), b.random(9, dtype=np.float32))
