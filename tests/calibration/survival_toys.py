"""Toy survival models whose posterior given binned shares is known exactly (on a fine grid).

Each toy simulates ``N_OBS`` ceasefires per particle and returns the shares failed by 1, 2 and 5
years, as the real simulator will. A ceasefire fails by horizon h when its failure time T <= h,
i.e. when its uniform U = F(T) <= F(h): drawing U instead of T (inverse transform) gives the same
shares, cheaply, for any survival model.

The exact posterior: the counts failed in each interval [0, 1), [1, 2), [2, 5) years and after 5
are multinomial with the model's interval probabilities, and the shares are a one-to-one function
of the counts, so p(theta | shares) is prior x multinomial likelihood, evaluated on a grid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

HORIZONS_YEARS = np.array([1.0, 2.0, 5.0])
N_OBS = 62


def shares_failed(cdf: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Shares failed by each horizon among ``N_OBS`` cases per row of ``cdf`` (rows, horizons)."""
    u = rng.random((cdf.shape[0], N_OBS))
    return (u[:, :, None] <= cdf[:, None, :]).mean(axis=1)


def exponential_cdf(rate: np.ndarray) -> np.ndarray:
    """F(h) = 1 - exp(-rate h) at the horizons, one row per rate (per year)."""
    return 1.0 - np.exp(-np.outer(rate, HORIZONS_YEARS))


def weibull_cdf(shape: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """F(h) = 1 - exp(-(h / scale)^shape) at the horizons."""
    return 1.0 - np.exp(-(HORIZONS_YEARS / np.asarray(scale)[..., None]) ** np.asarray(shape)[..., None])


def simulate_exponential(params: pd.DataFrame, rng_seed: int) -> np.ndarray:
    """The exponential toy's simulator (parameter ``rate``, per year)."""
    return shares_failed(exponential_cdf(params["rate"].to_numpy()), np.random.default_rng(rng_seed))


def simulate_weibull(params: pd.DataFrame, rng_seed: int) -> np.ndarray:
    """The Weibull toy's simulator (parameters ``shape`` and ``scale``, in years)."""
    cdf = weibull_cdf(params["shape"].to_numpy(), params["scale"].to_numpy())
    return shares_failed(cdf, np.random.default_rng(rng_seed))


def log_likelihood(cdf: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Multinomial log likelihood (up to a constant) of interval counts, for cdf[..., horizons]."""
    edge = (*cdf.shape[:-1], 1)
    edges = np.concatenate([np.zeros(edge), cdf, np.ones(edge)], axis=-1)
    cells = np.maximum(np.diff(edges, axis=-1), 1e-300)
    return np.sum(counts * np.log(cells), axis=-1)


@dataclass(frozen=True)
class Marginal:
    """A posterior marginal's mean, standard deviation and 5, 50 and 95 % quantiles."""

    mean: float
    sd: float
    q05: float
    q50: float
    q95: float

    @classmethod
    def of(cls, x: np.ndarray, w: np.ndarray) -> Marginal:
        """From values and (unnormalised) weights: a grid with its masses, or weighted particles."""
        order = np.argsort(x, kind="stable")
        x, w = x[order], w[order] / np.sum(w)
        mean = float(w @ x)
        cum = np.cumsum(w)
        q = [float(x[min(np.searchsorted(cum, a), x.size - 1)]) for a in (0.05, 0.5, 0.95)]
        return cls(mean, float(np.sqrt(w @ (x - mean) ** 2)), *q)

    def gaps(self, other: Marginal) -> dict[str, float]:
        """Differences of ``other`` from this (exact) marginal, in units of this one's sd."""
        return {"mean": (other.mean - self.mean) / self.sd, "sd_ratio": other.sd / self.sd,
                "q05": (other.q05 - self.q05) / self.sd, "q50": (other.q50 - self.q50) / self.sd,
                "q95": (other.q95 - self.q95) / self.sd}


def cumulative_shares(counts: np.ndarray) -> np.ndarray:
    """Cumulative shares failed by each horizon from the counts of the four intervals."""
    return np.cumsum(counts)[:-1] / np.sum(counts)
