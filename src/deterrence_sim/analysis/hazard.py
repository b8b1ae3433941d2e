"""Hazard ratios of two designs run on common random numbers, and hazards by interval.

The literature on ceasefires and peacekeeping reports effects as hazard ratios from Cox models
(Fortna 2004, 2008). :func:`hazard_ratio` gives the model's counterpart: the Cox estimate for a
single binary covariate (the design), with a bootstrap interval that resamples *pairs* of
replications, since replication ``i`` of both designs met the same random numbers.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class HazardRatio:
    """A hazard ratio (design against baseline) with its interval and the events behind it."""

    estimate: float
    low: float
    high: float
    events_baseline: int
    events_design: int
    confidence: float


def _counts(day_a: np.ndarray, day_b: np.ndarray, w: np.ndarray, horizon: int) -> tuple[np.ndarray, ...]:
    """Events and numbers at risk of each arm on each day 1..horizon (``w``: each pair's weight)."""
    def arm(day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        failed = np.isfinite(day) & (day <= horizon)
        events = np.bincount(day[failed].astype(np.int64), weights=w[failed], minlength=horizon + 2)
        # at risk on day t: not failed before t (failures on day t are still at risk)
        leaving = np.bincount(np.where(failed, day, horizon + 1).astype(np.int64), weights=w,
                              minlength=horizon + 2)
        at_risk = w.sum() - np.concatenate([[0.0], np.cumsum(leaving)[:-1]])
        return events[1:horizon + 1], at_risk[1:horizon + 1]

    d0, n0 = arm(day_a)
    d1, n1 = arm(day_b)
    keep = (d0 + d1) > 0
    return d0[keep], n0[keep], d1[keep], n1[keep]


def cox_log_hr(d0: np.ndarray, n0: np.ndarray, d1: np.ndarray, n1: np.ndarray) -> float:
    """Cox partial-likelihood estimate of the log hazard ratio of arm 1 (Breslow's ties), by Newton.

    With ``d`` events of which ``d1`` in arm 1 at a time when ``n0`` and ``n1`` are at risk, the
    score is :math:`U(\\beta) = \\sum_t d_{1t} - d_t \\frac{n_{1t} e^\\beta}{n_{0t} + n_{1t}
    e^\\beta}` and the information :math:`I(\\beta) = \\sum_t d_t \\frac{n_{0t} n_{1t}
    e^\\beta}{(n_{0t} + n_{1t} e^\\beta)^2}`. Infinite when one arm has no event.

    Examples
    --------
    One event time, 10 at risk in each arm, 2 events in arm 0 and 1 in arm 1: the estimate is
    ``log(1/2)``.

    >>> round(cox_log_hr(np.array([2.0]), np.array([10.0]), np.array([1.0]), np.array([10.0])), 6)
    -0.693147
    """
    if d1.sum() == 0:
        return -np.inf
    if d0.sum() == 0:
        return np.inf
    beta = 0.0
    d = d0 + d1
    for _ in range(50):
        r = n1 * np.exp(beta)
        p = r / (n0 + r)
        score = float(np.sum(d1 - d * p))
        info = float(np.sum(d * p * (1 - p)))
        step = score / info if info > 0 else 0.0
        beta += float(np.clip(step, -2.0, 2.0))
        if abs(step) < 1e-12:
            break
    return beta


def hazard_ratio(baseline_day: Sequence[float], design_day: Sequence[float], horizon: int, *,
                 n_resamples: int = 1000, confidence: float = 0.95, seed: int = 0) -> HazardRatio:
    """Hazard ratio of a design against its baseline, on replications paired by index.

    Parameters
    ----------
    baseline_day, design_day : array_like of float
        Day of failure of each replication (NaN or inf: held to the horizon); element ``i`` of both
        is the same replication (common random numbers).
    horizon : int
        Censoring day.
    n_resamples : int
        Bootstrap resamples of the pairs (percentile interval).
    confidence : float
    seed : int
        Seed of the bootstrap.

    Returns
    -------
    HazardRatio
        ``estimate`` is ``exp`` of :func:`cox_log_hr`; the interval resamples pairs, so it accounts
        for the pairing (a Wald interval would treat the arms as independent and be too wide).

    Examples
    --------
    Exponential failure times, the design halving the hazard; the same uniforms in both arms:

    >>> u = np.random.default_rng(1).random(4000)
    >>> base, design = -np.log(u) / 0.002, -np.log(u) / 0.001
    >>> hr = hazard_ratio(np.floor(base) + 1, np.floor(design) + 1, 730, n_resamples=200)
    >>> round(hr.estimate, 2), hr.low < 0.5 < hr.high
    (0.5, True)
    """
    a = np.asarray(baseline_day, dtype=float)
    b = np.asarray(design_day, dtype=float)
    if a.shape != b.shape or a.ndim != 1 or a.size == 0:
        raise ValueError(f"baseline_day, design_day: invalid shapes {a.shape}, {b.shape}; allowed: two "
                         "1-d arrays of the same length (replications paired by index)")
    a, b = np.where(np.isnan(a), np.inf, a), np.where(np.isnan(b), np.inf, b)
    estimate = np.exp(cox_log_hr(*_counts(a, b, np.ones(a.size), horizon)))
    rng = np.random.default_rng(seed)
    boot = np.empty(n_resamples)
    for i in range(n_resamples):
        w = np.bincount(rng.integers(0, a.size, a.size), minlength=a.size).astype(float)
        boot[i] = np.exp(cox_log_hr(*_counts(a, b, w, horizon)))
    alpha = (1 - confidence) / 2
    low, high = (np.quantile(boot, [alpha, 1 - alpha]) if n_resamples else (np.nan, np.nan))
    events = [int(np.sum(np.isfinite(d) & (d <= horizon))) for d in (a, b)]
    return HazardRatio(float(estimate), float(low), float(high), *events, confidence)


def interval_hazards(day: Sequence[float], edges: Sequence[int]) -> np.ndarray:
    """Share failing in each interval ``(edges[i], edges[i+1]]`` among those holding at its start.

    Every replication is followed to the last edge (no censoring before it).

    Examples
    --------
    Two of four fail in the first year; one of the two left fails in the second:

    >>> interval_hazards([100, 200, 500, np.inf], [0, 365, 730])
    array([0.5, 0.5])
    """
    d = np.asarray(day, dtype=float)
    d = np.where(np.isnan(d), np.inf, d)
    out = []
    for lo, hi in itertools.pairwise(edges):
        holding = d > lo
        out.append(np.sum(holding & (d <= hi)) / np.sum(holding) if holding.any() else np.nan)
    return np.asarray(out)
