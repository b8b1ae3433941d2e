"""Uncertain parameters: a plain number, or a distribution drawn once per replication.

A parameter the analyst cannot pin down (how fast the aggressor regenerates, how resolute a
guarantor really is) is given as a distribution, ``{dist: triangular, low: 0.004, mode: 0.0068,
high: 0.009}``; every replication draws its own value from it, so the population of replications
spans what the analyst considers plausible. Values come from uniforms by the inverse CDF, so a
parameter's draws depend only on its own uniforms (common random numbers across designs and
across the values of other parameters).

Families (each is checked against the field's allowed :class:`Range`; a family whose support
leaves that range is refused, except the normal, which is truncated to it):

========== ============================ =====================================================
``dist``   keys                         law
========== ============================ =====================================================
uniform    ``low, high``                uniform on [low, high]
triangular ``low, mode, high``          triangular on [low, high], peak at mode
normal     ``mean, sd``                 normal truncated to the field's range
lognormal  ``median, sigma``            ``median * exp(sigma * Z)``, Z standard normal
beta       ``a, b``                     beta on [0, 1]
choice     ``values`` [, ``weights``]   one of the values, with the given weights (default equal)
========== ============================ =====================================================
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

#: The families and the keys each needs (``choice`` may also take ``weights``).
DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("median", "sigma"),
    "beta": ("a", "b"),
    "choice": ("values",),
}
_OPTIONAL = {"choice": ("weights",)}


@dataclass(frozen=True)
class Range:
    """Closed or half-open interval of allowed values, used for validation and for the docs.

    Examples
    --------
    >>> str(Range(0.0, 1.0)), str(Range(0.0, lo_open=True)), Range(0, 1, hi_open=True).contains(1)
    ('a number in [0, 1]', 'a number > 0', False)
    """

    lo: float = -math.inf
    hi: float = math.inf
    lo_open: bool = False
    hi_open: bool = False

    def contains(self, x: float) -> bool:
        """True if ``x`` lies in the interval (NaN never does)."""
        above = x > self.lo if self.lo_open else x >= self.lo
        below = x < self.hi if self.hi_open else x <= self.hi
        return bool(above and below and not math.isnan(x))

    def clip(self, x: np.ndarray) -> np.ndarray:
        """``x`` moved into the interval (open ends by one float step): guards against rounding."""
        lo = np.nextafter(self.lo, np.inf) if self.lo_open else self.lo
        hi = np.nextafter(self.hi, -np.inf) if self.hi_open else self.hi
        return np.clip(x, lo, hi)

    def interval(self) -> str:
        """The interval in brackets: ``[0, 1]``, ``(0, inf)``.

        Examples
        --------
        >>> Range(0.0, 1.0).interval(), Range(0.0, lo_open=True).interval()
        ('[0, 1]', '(0, inf)')
        """
        hi = "inf" if self.hi == math.inf else _fmt(self.hi)
        lo = "-inf" if self.lo == -math.inf else _fmt(self.lo)
        left = "(" if self.lo_open or self.lo == -math.inf else "["
        right = ")" if self.hi_open or self.hi == math.inf else "]"
        return f"{left}{lo}, {hi}{right}"

    def __str__(self) -> str:
        if self.hi == math.inf:
            return f"a number {'>' if self.lo_open else '>='} {_fmt(self.lo)}"
        left = "(" if self.lo_open else "["
        right = ")" if self.hi_open else "]"
        return f"a number in {left}{_fmt(self.lo)}, {_fmt(self.hi)}{right}"


def _fmt(x: float) -> str:
    """A bound as people write it: ``0``, ``0.5``, ``10000000`` (no exponent for whole numbers)."""
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e18 else f"{x:g}"


def is_distribution(spec: Any) -> bool:
    """True for a mapping with a ``dist`` key (a distribution rather than a plain number)."""
    return isinstance(spec, Mapping) and "dist" in spec


def _number(x: Any) -> bool:
    return not isinstance(x, bool) and isinstance(x, int | float) and math.isfinite(x)


def support(spec: Mapping[str, Any]) -> tuple[float, float]:
    """Smallest and largest value a (valid) distribution can give, before truncation.

    Examples
    --------
    >>> support({"dist": "lognormal", "median": 2.0, "sigma": 0.5})
    (0.0, inf)
    >>> support({"dist": "choice", "values": [3, 1, 2]})
    (1, 3)
    """
    kind = spec["dist"]
    if kind in ("uniform", "triangular"):
        return spec["low"], spec["high"]
    if kind == "normal":
        return -math.inf, math.inf
    if kind == "lognormal":
        return 0.0, math.inf
    if kind == "beta":
        return 0.0, 1.0
    return min(spec["values"]), max(spec["values"])


def distribution_problem(spec: Any, allowed: Range, integer: bool = False) -> str | None:
    """Why ``spec`` is not a valid number or distribution for a field allowing ``allowed``, or None.

    The message is the part after ``allowed:`` of a one-line configuration error.

    Examples
    --------
    >>> distribution_problem({"dist": "uniform", "low": 0.2, "high": 1.4}, Range(0.0, 1.0))
    'uniform with low and high in [0, 1]'
    >>> distribution_problem({"dist": "normal", "mean": 0.5, "sd": 0.1}, Range(0.0, 1.0)) is None
    True
    """
    whole = "a whole " + str(allowed).removeprefix("a ") if integer else str(allowed)
    families = ", ".join(f"{{dist: {k}, {', '.join(v)}}}" for k, v in DISTRIBUTIONS.items())
    if not isinstance(spec, Mapping):
        if not _number(spec) or not allowed.contains(float(spec)) or (
                integer and not isinstance(spec, int)):
            return f"{whole}, or a distribution"
        return None
    kind = spec.get("dist")
    if kind not in DISTRIBUTIONS:
        return f"a number, or one of {families}"
    need, optional = DISTRIBUTIONS[kind], _OPTIONAL.get(kind, ())
    if set(spec) - {"dist", *need, *optional} or any(k not in spec for k in need):
        keys = ", ".join(need + tuple(f"[{k}]" for k in optional))
        return f"{{dist: {kind}, {keys}}}"
    if kind == "choice":
        return _choice_problem(spec, allowed, integer, whole)
    if not all(_number(spec[k]) for k in need):
        return f"{{dist: {kind}, {', '.join(need)}}} with finite numbers"
    if kind in ("uniform", "triangular"):
        lo, hi = spec["low"], spec["high"]
        if not lo < hi or not lo <= spec.get("mode", lo) <= hi:
            return f"{kind} with low {'<= mode <=' if kind == 'triangular' else '<'} high, low < high"
    elif kind in ("beta",) and not (spec["a"] > 0 and spec["b"] > 0):
        return "beta with a > 0 and b > 0"
    elif kind in ("normal", "lognormal"):
        scale = "sd" if kind == "normal" else "sigma"
        if spec[scale] <= 0 or (kind == "lognormal" and spec["median"] <= 0):
            return f"{kind} with {scale} > 0" + (" and median > 0" if kind == "lognormal" else "")
        if kind == "normal" and _truncated_mass(spec, allowed) < 1e-9:
            return f"normal with mass inside {allowed.interval()} (this one has none)"
    if kind != "normal":
        lo, hi = support(spec)
        if not (_within(lo, allowed) and _within(hi, allowed)):
            return f"{kind} with {_support_words(kind)} in {allowed.interval()}"
    return None


def _choice_problem(spec: Mapping[str, Any], allowed: Range, integer: bool, whole: str) -> str | None:
    values, weights = spec["values"], spec.get("weights")
    if not isinstance(values, list | tuple) or not values:
        return "{dist: choice, values: [...], [weights: [...]]} with at least one value"
    if any(not _number(v) or not allowed.contains(float(v)) or (integer and not isinstance(v, int))
           for v in values):
        return f"choice of values that are each {whole}"
    if weights is not None and (not isinstance(weights, list | tuple) or len(weights) != len(values)
                                or any(not _number(w) or w < 0 for w in weights) or sum(weights) <= 0):
        return "choice with one weight >= 0 per value, not all 0"
    return None


def _within(x: float, allowed: Range) -> bool:
    """True if a support end ``x`` is allowed (an open end of the support may sit on an open bound)."""
    return allowed.contains(x) or (x == allowed.lo and allowed.lo_open) or (
        x == allowed.hi and allowed.hi_open)


def _support_words(kind: str) -> str:
    return {"uniform": "low and high", "triangular": "low and high", "lognormal": "support (0, inf)",
            "beta": "support [0, 1]"}.get(kind, "support")


def _truncated_mass(spec: Mapping[str, Any], allowed: Range) -> float:
    a = special.ndtr((allowed.lo - spec["mean"]) / spec["sd"])
    b = special.ndtr((allowed.hi - spec["mean"]) / spec["sd"])
    return float(b - a)


def sample(spec: Any, u: np.ndarray, allowed: Range = Range(), integer: bool = False) -> np.ndarray:
    """Values of an uncertain parameter from uniforms ``u`` in (0, 1), by the inverse CDF (float64).

    A plain number gives a constant. The values always lie in ``allowed`` (the normal is truncated
    to it; rounding at its ends is clipped away); for an ``integer`` field they are rounded to the
    nearest whole number.

    Examples
    --------
    >>> import numpy as np
    >>> u = np.array([0.1, 0.5, 0.9])
    >>> sample(0.3, u)
    array([0.3, 0.3, 0.3])
    >>> sample({"dist": "uniform", "low": 0.2, "high": 0.4}, u)
    array([0.22, 0.3 , 0.38])
    >>> sample({"dist": "triangular", "low": 0.0, "mode": 0.5, "high": 1.0}, u)
    array([0.2236068, 0.5      , 0.7763932])
    >>> sample({"dist": "normal", "mean": 0.0, "sd": 1.0}, u, Range(0.0, 1.0)).round(4)
    array([0.0857, 0.4418, 0.8677])
    >>> sample({"dist": "choice", "values": [1, 2, 4], "weights": [1, 1, 2]}, u)
    array([1., 4., 4.])
    """
    u = np.asarray(u, dtype=np.float64)
    if not is_distribution(spec):
        return np.full(u.shape, float(spec))
    kind = spec["dist"]
    if kind == "uniform":
        x = spec["low"] + u * (spec["high"] - spec["low"])
    elif kind == "triangular":
        lo, hi = float(spec["low"]), float(spec["high"])
        c = (spec["mode"] - lo) / (hi - lo)                   # invert the two halves
        x = lo + (hi - lo) * np.where(u < c, np.sqrt(c * u), 1.0 - np.sqrt((1.0 - c) * (1.0 - u)))
    elif kind == "normal":
        a = special.ndtr((allowed.lo - spec["mean"]) / spec["sd"])
        b = special.ndtr((allowed.hi - spec["mean"]) / spec["sd"])
        x = spec["mean"] + spec["sd"] * special.ndtri(a + u * (b - a))
    elif kind == "lognormal":
        x = spec["median"] * np.exp(spec["sigma"] * special.ndtri(u))
    elif kind == "beta":
        x = special.betaincinv(spec["a"], spec["b"], u)     # = scipy.stats.beta.ppf, bit for bit
    else:
        values = np.asarray(spec["values"], dtype=np.float64)
        weights = np.asarray(spec.get("weights") or [1.0] * len(values), dtype=np.float64)
        cumulative = np.cumsum(weights) / weights.sum()
        x = values[np.minimum(np.searchsorted(cumulative, u, side="right"), len(values) - 1)]
    if integer:
        x = np.rint(x)
    return allowed.clip(x) if kind != "choice" else x


def poisson_quantile(u: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Poisson counts from uniforms ``u`` by the inverse CDF: the smallest ``k`` with ``F(k) >= u``.

    For the small daily means of the model (false alarms); the loop runs over counts, never over
    replications, and stops at the largest count drawn.

    Examples
    --------
    >>> import numpy as np
    >>> poisson_quantile(np.array([0.3, 0.7, 0.95, 0.5]), np.array([0.5, 0.5, 0.5, 0.0]))
    array([0, 1, 2, 0])
    """
    u, mean = np.broadcast_arrays(np.asarray(u, dtype=float), np.asarray(mean, dtype=float))
    pmf = np.exp(-mean)
    cdf = pmf.copy()
    k = np.zeros(u.shape, dtype=np.int64)
    short = u > cdf
    n = 0
    while short.any():
        n += 1
        pmf = pmf * mean / n
        cdf = cdf + pmf
        k += short
        short &= u > cdf
        if n > 1000:                                      # the CDF's rounding never reaching u
            break
    return k
