"""Priors of calibrated parameters in the project's distribution syntax, with their densities.

A prior is a mapping from parameter path to a distribution, written as in the config files::

    {"theater.aggressor.regen_per_day": {"dist": "lognormal", "median": 0.002, "sigma": 0.5},
     "attack.temperature": {"dist": "uniform", "low": 0.05, "high": 1.0}}

Parameters are independent a priori. Each may be truncated to the range its config field allows
(``bounds``); a prior that puts no probability inside that range, or none at all (``low >=
high``), is refused with one line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from deterrence_sim.fields import ConfigError

#: Distributions a calibrated parameter may have, and the parameters each needs.
PRIORS: dict[str, tuple[str, ...]] = {
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("median", "sigma"),
    "beta": ("a", "b"),
}

RESERVED = ("weight", "distance", "generation")
"""Column names of the posterior tables that a parameter cannot have."""

_MIN_MASS = 1e-12


@dataclass(frozen=True)
class Marginal:
    """One parameter's prior: a SciPy distribution truncated to ``[lo, hi]``.

    Attributes
    ----------
    path : str
        The parameter's path.
    spec : dict
        The distribution as written (``{"dist": "uniform", "low": 0, "high": 1}``).
    lo, hi : float
        Truncation bounds (the field's allowed range; infinite when there is none).
    """

    path: str
    spec: dict[str, Any]
    lo: float = -np.inf
    hi: float = np.inf

    @cached_property
    def dist(self) -> Any:
        """The SciPy distribution before truncation (frozen once: freezing is slow)."""
        s = self.spec
        match s["dist"]:
            case "uniform":
                return stats.uniform(loc=s["low"], scale=s["high"] - s["low"])
            case "triangular":
                width = s["high"] - s["low"]
                return stats.triang((s["mode"] - s["low"]) / width, loc=s["low"], scale=width)
            case "normal":
                return stats.norm(loc=s["mean"], scale=s["sd"])
            case "lognormal":
                return stats.lognorm(s["sigma"], scale=s["median"])
            case _:
                return stats.beta(s["a"], s["b"])

    @cached_property
    def cdf_range(self) -> tuple[float, float]:
        """``(F(lo), F(hi))``: the untruncated CDF at the bounds."""
        d = self.dist
        return float(d.cdf(self.lo)), float(d.cdf(self.hi))

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF of the truncated distribution at uniforms ``u``."""
        a, b = self.cdf_range
        return np.clip(self.dist.ppf(a + u * (b - a)), self.lo, self.hi)

    def logpdf(self, x: np.ndarray) -> np.ndarray:
        """Log density of the truncated distribution; ``-inf`` outside its support."""
        a, b = self.cdf_range
        inside = (x >= self.lo) & (x <= self.hi)
        with np.errstate(divide="ignore"):
            return np.where(inside, self.dist.logpdf(x) - np.log(b - a), -np.inf)


@dataclass(frozen=True)
class Prior:
    """Independent priors of the calibrated parameters.

    Build one with :meth:`from_spec`. ``names`` gives the column order used everywhere: the
    particles, the simulator's input table and the posterior table.

    Examples
    --------
    >>> prior = Prior.from_spec({"rate": {"dist": "uniform", "low": 0.0, "high": 2.0},
    ...                          "shape": {"dist": "lognormal", "median": 1.0, "sigma": 0.5}})
    >>> prior.names
    ('rate', 'shape')
    >>> theta = prior.sample(np.random.default_rng(1), 3)
    >>> theta.shape
    (3, 2)
    >>> float(prior.logpdf(np.array([[1.0, 1.0]]))[0])   # log(1/2) + log(1/(0.5 sqrt(2 pi)))
    -0.919
    >>> prior.logpdf(np.array([[3.0, 1.0]]))              # outside the uniform's range
    array([-inf])
    """

    marginals: tuple[Marginal, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The parameter paths, in column order."""
        return tuple(m.path for m in self.marginals)

    @property
    def spec(self) -> dict[str, dict[str, Any]]:
        """The prior as written, with the truncation bounds (JSON-ready)."""
        return {m.path: {**m.spec, "bounds": [_json_float(m.lo), _json_float(m.hi)]} for m in self.marginals}

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any],
                  bounds: Mapping[str, tuple[float, float]] | None = None) -> Prior:
        """Check a prior written in the distribution syntax and build it.

        Parameters
        ----------
        spec : mapping
            Parameter path -> ``{"dist": kind, ...}`` with ``kind`` one of :data:`PRIORS`.
        bounds : mapping, optional
            Parameter path -> ``(lo, hi)``: the range the config field allows. The prior is
            truncated to it.

        Raises
        ------
        ConfigError
            One line, ``<path>: invalid value <spec>; allowed: ...``, for an unknown or fixed
            distribution, missing or extra or non-finite arguments, and a prior with no mass
            (``low >= high``, ``sd <= 0``, ... or no probability inside ``bounds``).
        """
        bounds = dict(bounds or {})
        if not isinstance(spec, Mapping) or not spec:
            raise ConfigError(f"prior: invalid value {spec!r}; allowed: a mapping of at least one parameter "
                              "path to a distribution")
        marginals = []
        for path, dist in spec.items():
            if path in RESERVED:
                raise ConfigError(f"prior: invalid value {path!r}; allowed: a parameter path other than "
                                  f"{', '.join(RESERVED)}")
            lo, hi = (float(b) for b in bounds.get(path, (-np.inf, np.inf)))
            marginals.append(_marginal(str(path), dist, lo, hi))
        return cls(tuple(marginals))

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` independent draws, shape ``(size, len(names))``, by the inverse CDF."""
        u = rng.random((size, len(self.marginals)))
        return np.column_stack([m.ppf(u[:, j]) for j, m in enumerate(self.marginals)])

    def logpdf(self, theta: np.ndarray) -> np.ndarray:
        """Log prior density of each row of ``theta`` (shape ``(n, len(names))``)."""
        theta = np.atleast_2d(theta)
        return np.sum([m.logpdf(theta[:, j]) for j, m in enumerate(self.marginals)], axis=0)

    def frame(self, theta: np.ndarray) -> pd.DataFrame:
        """Rows of ``theta`` as a table with one float64 column per parameter."""
        return pd.DataFrame(np.asarray(theta, dtype=float), columns=list(self.names))

    def key(self) -> str:
        """A canonical JSON text of the prior (to recognise the same prior on resume)."""
        return json.dumps(self.spec, sort_keys=True)


def _marginal(path: str, spec: Any, lo: float, hi: float) -> Marginal:
    kinds = ", ".join(f"{{dist: {k}, {', '.join(v)}}}" for k, v in PRIORS.items())
    if not isinstance(spec, Mapping):
        raise ConfigError(f"{path}: invalid value {spec!r}; allowed: a distribution, one of {kinds} (a fixed "
                          "value is not calibrated: leave it out of the prior)")
    if spec.get("dist") not in PRIORS:
        raise ConfigError(f"{path}: invalid value {dict(spec)!r}; allowed: one of {kinds}")
    kind = spec["dist"]
    need = PRIORS[kind]
    if set(spec) != {"dist", *need}:
        raise ConfigError(f"{path}: invalid value {dict(spec)!r}; allowed: "
                          f"{{dist: {kind}, {', '.join(need)}}}")
    for p in need:
        v = spec[p]
        if isinstance(v, bool) or not isinstance(v, int | float) or not np.isfinite(v):
            raise ConfigError(f"{path}.{p}: invalid value {v!r}; allowed: a finite number")
    clean = {"dist": kind, **{p: float(spec[p]) for p in need}}
    rule = _no_mass(clean)
    if rule:
        raise ConfigError(f"{path}: invalid value {dict(spec)!r}; allowed: {rule} (this prior has no mass)")
    if not lo < hi:
        raise ConfigError(f"{path}: invalid bounds [{lo:g}, {hi:g}]; allowed: lo < hi")
    marginal = Marginal(path, clean, lo, hi)
    a, b = marginal.cdf_range
    if not b - a > _MIN_MASS:
        raise ConfigError(f"{path}: invalid value {dict(spec)!r}; allowed: a prior with mass inside the "
                          f"field's range [{lo:g}, {hi:g}] (this one has none there)")
    return marginal


def _no_mass(s: dict[str, Any]) -> str:
    """The rule a degenerate distribution breaks, or '' if it has mass."""
    match s["dist"]:
        case "uniform" if not s["low"] < s["high"]:
            return "low < high"
        case "triangular" if not (s["low"] <= s["mode"] <= s["high"] and s["low"] < s["high"]):
            return "low <= mode <= high and low < high"
        case "normal" if not s["sd"] > 0:
            return "sd > 0"
        case "lognormal" if not (s["median"] > 0 and s["sigma"] > 0):
            return "median > 0 and sigma > 0"
        case "beta" if not (s["a"] > 0 and s["b"] > 0):
            return "a > 0 and b > 0"
    return ""


def _json_float(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None
