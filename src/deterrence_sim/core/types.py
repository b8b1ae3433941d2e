"""Uncertain parameters: a plain number, or a distribution drawn once per replication.

A *type* in the game-theoretic sense (how revisionist the aggressor really is, how resolute a
guarantor really is) is unknown to the other side. The analyst gives the plausible range as a
distribution; every replication draws its own value, so the population of replications spans it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from scipy import special

#: Supported distributions and the parameters each needs.
DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "beta": ("a", "b"),
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
}


def check_distribution(path: str, spec: Any, allowed: Any, error: Callable[[str], Exception]) -> None:
    """Raise ``error`` unless ``spec`` is a number in ``allowed`` or a valid distribution in it."""
    if isinstance(spec, bool):
        raise error(f"{path}: invalid value {spec!r}; allowed: {allowed} or a distribution")
    if isinstance(spec, int | float):
        if not allowed.contains(float(spec)):
            raise error(f"{path}: invalid value {spec!r}; allowed: {allowed} or a distribution")
        return
    kinds = ", ".join(f"{{dist: {k}, {', '.join(v)}}}" for k, v in DISTRIBUTIONS.items())
    if not isinstance(spec, Mapping) or spec.get("dist") not in DISTRIBUTIONS:
        raise error(f"{path}: invalid value {spec!r}; allowed: {allowed} or one of {kinds}")
    kind = spec["dist"]
    need = DISTRIBUTIONS[kind]
    extra = set(spec) - set(need) - {"dist"}
    missing = [p for p in need if p not in spec]
    if extra or missing:
        raise error(f"{path}: invalid value {dict(spec)!r}; allowed: {{dist: {kind}, {', '.join(need)}}}")
    for p in need:
        v = spec[p]
        if isinstance(v, bool) or not isinstance(v, int | float) or not np.isfinite(v):
            raise error(f"{path}.{p}: invalid value {v!r}; allowed: a finite number")
    if kind == "beta":
        if spec["a"] <= 0 or spec["b"] <= 0:
            raise error(f"{path}: invalid value {dict(spec)!r}; allowed: beta with a > 0 and b > 0")
        if not (allowed.contains(0.0) and allowed.contains(1.0)):
            raise error(f"{path}: invalid value {dict(spec)!r}; allowed: {allowed} (beta is on [0, 1])")
        return
    lo, hi = spec["low"], spec["high"]
    mode = spec.get("mode", lo)
    if not (lo <= mode <= hi) or lo == hi:
        raise error(f"{path}: invalid value {dict(spec)!r}; allowed: low <= mode <= high, low < high")
    if not (allowed.contains(float(lo)) and allowed.contains(float(hi))):
        raise error(f"{path}: invalid value {dict(spec)!r}; allowed: low and high in {allowed}")


def sample(spec: Any, u: np.ndarray) -> np.ndarray:
    """Values of an uncertain parameter from uniforms ``u`` by the inverse CDF (float64).

    Each parameter consumes its own uniforms whether it is fixed or not, so changing one parameter's
    distribution never shifts the draws of another: types stay on common random numbers.

    Examples
    --------
    >>> import numpy as np
    >>> u = np.array([0.1, 0.5, 0.9])
    >>> sample(0.3, u)
    array([0.3, 0.3, 0.3])
    >>> sample({"dist": "uniform", "low": 0.2, "high": 0.4}, u)
    array([0.22, 0.3 , 0.38])
    >>> sample({"dist": "beta", "a": 1, "b": 1}, u)
    array([0.1, 0.5, 0.9])
    >>> sample({"dist": "triangular", "low": 0.0, "mode": 0.5, "high": 1.0}, u)
    array([0.2236068, 0.5      , 0.7763932])
    """
    if isinstance(spec, int | float):
        return np.full(u.shape, float(spec))
    kind = spec["dist"]
    if kind == "beta":
        return special.betaincinv(spec["a"], spec["b"], u)   # = scipy.stats.beta.ppf, bit for bit
    lo, hi = float(spec["low"]), float(spec["high"])
    if kind == "uniform":
        return lo + u * (hi - lo)
    c = (spec["mode"] - lo) / (hi - lo)                       # triangular: invert the two halves
    return lo + (hi - lo) * np.where(u < c, np.sqrt(c * u), 1.0 - np.sqrt((1.0 - c) * (1.0 - u)))
