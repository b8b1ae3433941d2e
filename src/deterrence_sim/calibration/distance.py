"""Distances between simulated and observed summary statistics, for ABC.

A distance is a callable ``distance(stats, observed) -> ndarray`` taking the statistics of a
population, shape ``(particles, k)``, and the observed ones, shape ``(k,)``, and returning one
non-negative number per particle. Its ``repr`` is recorded with a calibration, so a resumed run can
check it is the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SurvivalDistance:
    """Mahalanobis distance between cumulative shares failed, scaled by their sampling noise.

    Parameters
    ----------
    shares : sequence of float
        The observed cumulative shares failed :math:`F_1 \\le \\dots \\le F_K` at the horizons.
    n : sequence of float
        The (effective) sample size behind each share.

    Notes
    -----
    The covariance of Kaplan-Meier shares at horizons :math:`i \\le j` is, by Greenwood's
    formula, :math:`\\Sigma_{ij} = F_i (1 - F_j) / n_i` (with :math:`Var(F_i) = F_i (1 - F_i) /
    n_i`, the definition of the effective sample size). The distance is

    .. math:: d(s) = \\sqrt{(s - F)^\\top \\Sigma^{-1} (s - F)}.

    Without censoring this is the square root of Neyman's chi-squared statistic comparing the
    simulated and observed numbers failed in each interval (first year, second year, ...), so a
    model that fits gives :math:`d^2` of about :math:`K` and a difference of one sampling standard
    deviation in one share gives :math:`d` of about 1, whatever the share. :math:`\\Sigma` is
    computed at the observed shares smoothed by half a case per interval (Jeffreys), so that an
    interval without failures or a share of 0 or 1 does not make it singular. Scaling by the
    sampling noise makes the acceptance region of ABC approximately a contour of the likelihood
    of the shares, rather than a sphere that over-weights the rarest interval or the most
    correlated pair of horizons.

    Examples
    --------
    >>> d = SurvivalDistance((0.3871, 0.4516, 0.6129), (62, 62, 62))
    >>> d(np.array([[0.3871, 0.4516, 0.6129], [0.5, 0.55, 0.7]]), np.array([0.3871, 0.4516, 0.6129]))
    array([0.        , 1.87796351])
    """

    shares: tuple[float, ...]
    n: tuple[float, ...]

    def __post_init__(self) -> None:
        f, n = np.asarray(self.shares, dtype=float), np.asarray(self.n, dtype=float)
        if f.ndim != 1 or f.size == 0 or f.shape != n.shape or np.any(n <= 0) or np.any(np.diff(f) < 0) \
                or np.any((f < 0) | (f > 1)):
            raise ValueError(f"SurvivalDistance: invalid value shares={self.shares}, n={self.n}; allowed: "
                             "non-decreasing shares in [0, 1] and as many sample sizes > 0")
        object.__setattr__(self, "shares", tuple(map(float, f)))
        object.__setattr__(self, "n", tuple(map(float, n)))

    @classmethod
    def from_targets(cls, shares: Sequence[float], n: Sequence[float]) -> SurvivalDistance:
        """The distance for a target set's ``shares`` and ``n`` columns."""
        return cls(tuple(shares), tuple(n))

    def _whitener(self) -> np.ndarray:
        f, n = np.asarray(self.shares), np.asarray(self.n)
        cells = np.diff(np.concatenate([[0.0], f, [1.0]]))          # failed in each interval, and after
        smooth = np.cumsum((cells * n[0] + 0.5) / (n[0] + 0.5 * cells.size))[:-1]
        i, j = np.meshgrid(np.arange(f.size), np.arange(f.size), indexing="ij")
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        cov = smooth[lo] * (1.0 - smooth[hi]) / n[lo]
        try:
            chol = np.linalg.cholesky(cov)
        except np.linalg.LinAlgError:
            raise ValueError(f"SurvivalDistance: invalid value n={self.n}; allowed: sample sizes that do not "
                             "grow with the horizon (the covariance is not positive definite)") from None
        return np.linalg.inv(chol)

    def __call__(self, stats: np.ndarray, observed: np.ndarray) -> np.ndarray:
        diff = np.atleast_2d(stats) - np.asarray(observed, dtype=float)
        z = np.einsum("ij,nj->ni", self._whitener(), diff, optimize=False)
        return np.sqrt(np.einsum("ni,ni->n", z, z, optimize=False))


@dataclass(frozen=True)
class ScaledEuclidean:
    """Euclidean distance of statistics divided by ``scale`` (one scale per statistic).

    .. math:: d(s) = \\sqrt{\\sum_k ((s_k - o_k) / c_k)^2}

    Examples
    --------
    >>> ScaledEuclidean((1.0, 2.0))(np.array([[1.0, 2.0], [4.0, 6.0]]), np.array([1.0, 2.0]))
    array([0.        , 3.60555128])
    """

    scale: tuple[float, ...]

    def __post_init__(self) -> None:
        c = np.asarray(self.scale, dtype=float)
        if c.ndim != 1 or c.size == 0 or not np.all(np.isfinite(c) & (c > 0)):
            raise ValueError(f"ScaledEuclidean: invalid value scale={self.scale}; allowed: finite scales > 0")
        object.__setattr__(self, "scale", tuple(map(float, c)))

    def __call__(self, stats: np.ndarray, observed: np.ndarray) -> np.ndarray:
        z = (np.atleast_2d(stats) - np.asarray(observed, dtype=float)) / np.asarray(self.scale)
        return np.sqrt(np.einsum("ni,ni->n", z, z, optimize=False))
