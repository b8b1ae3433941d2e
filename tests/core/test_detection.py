"""Detection physics against the closed forms of DESIGN §2 phase 4 and brute-force enumeration."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from deterrence_sim.core.detection import at_least_two, fuse_independent, revisit_detection


def _enumerate_sources(p: np.ndarray) -> tuple[float, float]:
    """P(at least one) and P(at least two) detect, by summing over every subset of sources."""
    any_, two = 0.0, 0.0
    for seen in itertools.product((False, True), repeat=len(p)):
        weight = float(np.prod([pi if s else 1.0 - pi for pi, s in zip(p, seen, strict=True)]))
        any_ += weight * (sum(seen) >= 1)
        two += weight * (sum(seen) >= 2)
    return any_, two


def test_revisit_detection_is_poisson_revisit_formula():
    rng = np.random.default_rng(1)
    looks = rng.uniform(0.0, 30.0, 500)
    p = rng.uniform(0.0, 1.0, 500)
    obscured = rng.uniform(0.0, 1.0, 500)
    exposure = rng.uniform(0.05, 5.0, 500)
    expected = 1.0 - np.exp(-looks * p * (1.0 - obscured) * exposure)
    np.testing.assert_allclose(revisit_detection(looks, p, obscured, exposure), expected,
                               rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(("looks", "p", "obscured", "exposure", "expected"), [
    (0.0, 0.9, 0.0, 1.0, 0.0),             # never looked at
    (5.0, 0.0, 0.0, 1.0, 0.0),             # looks cannot see this event
    (5.0, 0.9, 1.0, 1.0, 0.0),             # fully obscured
    (1.0, 1.0, 0.0, 1.0, 1.0 - np.exp(-1.0)),
    (2.0, 0.5, 0.5, 2.0, 1.0 - np.exp(-1.0)),
])
def test_revisit_detection_edge_cases(looks, p, obscured, exposure, expected):
    assert revisit_detection(looks, p, obscured, exposure) == pytest.approx(expected, abs=1e-15)


def test_revisit_detection_broadcasts_over_events():
    p = revisit_detection(np.array([1.0, 2.0])[:, None], np.array([0.1, 0.2, 0.3]), 0.25, 1.0)
    assert p.shape == (2, 3)
    assert np.all(np.diff(p, axis=0) > 0) and np.all(np.diff(p, axis=1) > 0)


@pytest.mark.parametrize("n_sources", [1, 2, 3, 4, 6])
def test_fusion_and_corroboration_match_enumeration_of_all_subsets(n_sources):
    rng = np.random.default_rng(n_sources)
    for _ in range(20):
        p = rng.uniform(0.0, 1.0, n_sources)
        any_, two = _enumerate_sources(p)
        assert fuse_independent(p) == pytest.approx(any_, abs=1e-12)
        assert fuse_independent(p) == pytest.approx(1.0 - np.prod(1.0 - p), abs=1e-15)
        assert at_least_two(p) == pytest.approx(two, abs=1e-12)


def test_fusion_with_certain_and_impossible_sources():
    p = np.array([1.0, 0.0, 0.3])
    assert fuse_independent(p) == 1.0
    assert at_least_two(p) == pytest.approx(0.3)
    assert at_least_two(np.array([1.0, 1.0])) == 1.0
    assert at_least_two(np.array([0.7])) == 0.0
    assert fuse_independent(np.zeros((0, 4))).tolist() == [0.0] * 4      # no sources: nothing seen


def test_fusion_is_vectorised_along_axis():
    rng = np.random.default_rng(7)
    p = rng.uniform(size=(3, 50))                 # 3 sources x 50 events
    fused, two = fuse_independent(p), at_least_two(p)
    for j in range(50):
        any_, both = _enumerate_sources(p[:, j])
        assert fused[j] == pytest.approx(any_, abs=1e-12)
        assert two[j] == pytest.approx(both, abs=1e-12)
    np.testing.assert_allclose(fuse_independent(p.T, axis=1), fused, rtol=0, atol=1e-15)
    np.testing.assert_allclose(at_least_two(p.T, axis=1), two, rtol=0, atol=1e-15)
    assert np.all(two <= fused)
