"""Random streams: ``Uniforms`` reproduces ``Generator.random(dtype=float32)`` bit for bit; counter
streams are uniform, independent across positions and streams, and keyed only by what they name."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from deterrence_sim.core.rng import BlockStreams, Dice, Uniforms, counter_uniforms, stream_key


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


def test_copies_share_the_draws_of_one_period():
    one, two = np.random.default_rng(5), np.random.default_rng(5)
    base, copies = Uniforms(one, 12), Uniforms(two, 12, copies=3)
    np.testing.assert_array_equal(copies.at(np.arange(36)), np.tile(base.at(np.arange(12)), 3))
    expected = np.concatenate([base.below(0.3) + 12 * c for c in range(3)])
    np.testing.assert_array_equal(copies.below(0.3), expected)


def test_counter_uniforms_are_uniform_and_uncorrelated():
    u = counter_uniforms(stream_key(1, 0, "test"), 3, np.arange(200_000))
    assert 0.0 < u.min() and u.max() < 1.0
    assert stats.kstest(u, "uniform").pvalue > 1e-3
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.01                 # neighbouring positions
    other_day = counter_uniforms(stream_key(1, 0, "test"), 4, np.arange(200_000))
    other_name = counter_uniforms(stream_key(1, 0, "test2"), 3, np.arange(200_000))
    other_block = counter_uniforms(stream_key(1, 1, "test"), 3, np.arange(200_000))
    for v in (other_day, other_name, other_block):
        assert abs(np.corrcoef(u, v)[0, 1]) < 0.01


def test_a_counter_draw_depends_only_on_its_position():
    key = stream_key(9, 2, "detect")
    everything = counter_uniforms(key, 10, np.arange(1000))
    some = np.array([999, 3, 500])
    np.testing.assert_array_equal(counter_uniforms(key, 10, some), everything[some])


def test_dice_give_replication_j_of_every_copy_the_same_draws():
    dice = Dice(BlockStreams(4, 0), n=12, period=4, n_sectors=3)
    u = dice.replications("cloud", 7).reshape(3, 4)
    assert (u == u[0]).all() and len(np.unique(u[0])) == 4
    cells = np.arange(36)
    np.testing.assert_array_equal(dice.cells("detect", 7, cells), dice.cells("detect", 7, cells % 12))
