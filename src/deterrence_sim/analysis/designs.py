"""Design matrices for exploring the parameters: Sobol' (Saltelli), Morris, Latin hypercube, one at a time.

Every function takes ``ranges``, a mapping from a parameter path (``attack.temperature``) to its
``(low, high)``, and returns a DataFrame with one row per point (index ``point``, 0-based) and one
float column per path, ready for ``deterrence_sim.evaluate``. How the design was made is kept in
``df.attrs["design"]`` as a plain dict (JSON-able, and kept by pandas in Parquet files), so that the
indices can be computed from the same table later: :func:`design_info` reads it back.

SALib is imported only when a Sobol' or Morris design is drawn (it takes seconds to import).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import qmc

METHODS = ("sobol", "morris", "lhs", "sobol_sequence", "oat")
"""Design methods: Saltelli's Sobol' design (indices), Morris trajectories, Latin hypercube and
plain Sobol' sequence (scenario discovery), one at a time around a base case (tornado)."""


@dataclass(frozen=True)
class DesignInfo:
    """How a design matrix was made; enough to draw it again, bit for bit.

    Attributes
    ----------
    method : str
        One of :data:`METHODS`.
    ranges : dict of str to (float, float)
        Parameter path to ``(low, high)``, in column order.
    n : int
        The method's sample size: base sample N (``sobol``), trajectories (``morris``), points
        (``lhs``, ``sobol_sequence``); 1 for ``oat``.
    seed : int
        Seed of the design's generator (unused by ``oat``).
    levels : int, optional
        Grid levels of a Morris design.
    base : dict of str to float, optional
        The base case of a one-at-a-time design.
    """

    method: str
    ranges: dict[str, tuple[float, float]]
    n: int
    seed: int = 0
    levels: int | None = None
    base: dict[str, float] | None = field(default=None)

    @property
    def names(self) -> list[str]:
        """Parameter paths, in column order."""
        return list(self.ranges)

    @property
    def n_points(self) -> int:
        """Rows of the design: N(D+2) for Sobol', r(D+1) for Morris, 1+2D one at a time, else n."""
        d = len(self.ranges)
        return {"sobol": self.n * (d + 2), "morris": self.n * (d + 1), "oat": 1 + 2 * d}.get(
            self.method, self.n)

    def problem(self) -> dict[str, Any]:
        """The design as a SALib problem dict."""
        return {"num_vars": len(self.ranges), "names": self.names,
                "bounds": [list(b) for b in self.ranges.values()]}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict (what ``df.attrs["design"]`` holds). The ranges are a list of
        ``[path, low, high]`` in column order, so that the order survives JSON with sorted keys (the
        indices are computed by column position, and named by this order).

        >>> d = DesignInfo("sobol", {"b": (0.0, 1.0), "a": (2.0, 3.0)}, n=4).to_dict()
        >>> d["ranges"]
        [['b', 0.0, 1.0], ['a', 2.0, 3.0]]
        >>> import json
        >>> DesignInfo.from_dict(json.loads(json.dumps(d, sort_keys=True))).names
        ['b', 'a']
        """
        out = asdict(self)
        out["ranges"] = [[k, float(lo), float(hi)] for k, (lo, hi) in self.ranges.items()]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DesignInfo:
        """The inverse of :meth:`to_dict` (lists from JSON become tuples again); ``ranges`` may also
        be a mapping of path to ``(low, high)``, in column order."""
        given = data["ranges"]
        items = given.items() if isinstance(given, Mapping) else ((k, (lo, hi)) for k, lo, hi in given)
        ranges = {str(k): (float(lo), float(hi)) for k, (lo, hi) in items}
        base = data.get("base")
        return cls(method=str(data["method"]), ranges=ranges, n=int(data["n"]),
                   seed=int(data.get("seed", 0)), levels=data.get("levels"),
                   base=None if base is None else {str(k): float(v) for k, v in base.items()})


def sobol_design(ranges: Mapping[str, tuple[float, float]], n: int, seed: int = 0) -> pd.DataFrame:
    """Saltelli's design for Sobol' first-order and total indices (SALib's Sobol' sampling).

    Parameters
    ----------
    ranges : mapping of str to (float, float)
        Parameter path to ``(low, high)``; each parameter is uniform on its range.
    n : int
        Base sample size N, a power of two of at least 4 (the Sobol' sequence is balanced only at
        powers of two; N/2 must be one too, for the convergence check of :func:`sobol_indices`).
    seed : int, default 0
        Seed of the scrambled Sobol' sequence.

    Returns
    -------
    DataFrame
        :math:`N(D + 2)` rows for D parameters: N blocks of D + 2 rows, block i made of the rows
        :math:`A_i`, :math:`A_i` with column j taken from :math:`B_i` (j = 1..D), and :math:`B_i`,
        where (A, B) are the two halves of a 2D-dimensional scrambled Sobol' point.

    Notes
    -----
    The Sobol' sequence is extensible: the first N points of a 2N-point sequence are the N-point
    sequence. So the first :math:`N(D+2)` rows of ``sobol_design(ranges, 2 * n, seed)`` are exactly
    ``sobol_design(ranges, n, seed)``, a valid Saltelli design of its own; :func:`sobol_indices`
    uses this to give the indices at N and 2N from one run.

    Examples
    --------
    >>> x = sobol_design({"a": (0.0, 1.0), "b": (10.0, 20.0)}, n=4, seed=1)
    >>> x.shape, x.columns.tolist(), x.attrs["design"]["method"]
    ((16, 2), ['a', 'b'], 'sobol')
    >>> bool((sobol_design({"a": (0.0, 1.0), "b": (10.0, 20.0)}, n=8, seed=1).iloc[:16] == x).all().all())
    True
    """
    info = DesignInfo("sobol", _checked_ranges(ranges), _power_of_two(n, "n"), _seed(seed))
    return make_design(info)


def morris_design(ranges: Mapping[str, tuple[float, float]], n_trajectories: int, levels: int = 4,
                  seed: int = 0) -> pd.DataFrame:
    """Morris elementary-effects trajectories on a grid of ``levels`` values per parameter (SALib).

    Parameters
    ----------
    ranges : mapping of str to (float, float)
        Parameter path to ``(low, high)``.
    n_trajectories : int
        Number of trajectories r, at least 2 (σ needs two elementary effects); 10 to 50 is usual.
    levels : int, default 4
        Grid levels p, an even number of at least 2; the step is :math:`Δ = p / (2(p - 1))` of the range.
    seed : int, default 0

    Returns
    -------
    DataFrame
        :math:`r(D + 1)` rows: each trajectory starts at a random grid point and moves one parameter
        at a time by ±Δ.

    Examples
    --------
    >>> x = morris_design({"a": (0.0, 1.0), "b": (0.0, 3.0)}, n_trajectories=5, levels=4, seed=2)
    >>> x.shape, sorted(set(x["b"].round(6)))
    ((15, 2), [0.0, 1.0, 2.0, 3.0])
    """
    if isinstance(levels, bool) or not isinstance(levels, int | np.integer) or levels < 2 or levels % 2:
        raise ValueError(f"levels: invalid value {levels!r}; allowed: an even integer of at least 2 "
                         "(4 is usual)")
    info = DesignInfo("morris", _checked_ranges(ranges), _count(n_trajectories, "n_trajectories", 2),
                      _seed(seed), levels=int(levels))
    return make_design(info)


def lhs_design(ranges: Mapping[str, tuple[float, float]], n: int, seed: int = 0) -> pd.DataFrame:
    """Latin hypercube sample (``scipy.stats.qmc.LatinHypercube``), for scenario discovery.

    Each parameter's range is cut into ``n`` equal strata and every stratum holds exactly one point.

    Examples
    --------
    >>> x = lhs_design({"a": (0.0, 1.0), "b": (-1.0, 1.0)}, n=10, seed=3)
    >>> x.shape, sorted((x["a"] * 10).astype(int)) == list(range(10))
    ((10, 2), True)
    """
    return make_design(DesignInfo("lhs", _checked_ranges(ranges), _count(n, "n", 2), _seed(seed)))


def sobol_sequence_design(ranges: Mapping[str, tuple[float, float]], n: int, seed: int = 0) -> pd.DataFrame:
    """The first ``n`` points of a scrambled Sobol' sequence, for scenario discovery.

    ``n`` must be a power of two of at least 4 (the sequence is balanced only then).

    Examples
    --------
    >>> sobol_sequence_design({"a": (0.0, 1.0)}, n=8, seed=0).shape
    (8, 1)
    """
    info = DesignInfo("sobol_sequence", _checked_ranges(ranges), _power_of_two(n, "n"), _seed(seed))
    return make_design(info)


def oat_design(base: Mapping[str, float], ranges: Mapping[str, tuple[float, float]]) -> pd.DataFrame:
    """One at a time around a base case: the base, then each parameter at its low and its high end.

    Parameters
    ----------
    base : mapping of str to float
        The base case's value of every parameter in ``ranges``, within its range.
    ranges : mapping of str to (float, float)

    Returns
    -------
    DataFrame
        :math:`1 + 2D` rows: point 0 is the base case; points :math:`2j + 1` and :math:`2j + 2` set
        parameter j (in the order of ``ranges``) to its low and high end, the others at the base.

    Examples
    --------
    >>> oat_design({"a": 0.5, "b": 2.0}, {"a": (0.0, 1.0), "b": (1.0, 4.0)}).values.tolist()
    [[0.5, 2.0], [0.0, 2.0], [1.0, 2.0], [0.5, 1.0], [0.5, 4.0]]
    """
    ranges = _checked_ranges(ranges)
    missing = [k for k in ranges if k not in base]
    if missing:
        raise ValueError(f"base: no value for {', '.join(missing)}; allowed: a value for every "
                         "parameter of ranges")
    values = {}
    for k, (lo, hi) in ranges.items():
        v = base[k]
        if isinstance(v, bool) or not isinstance(v, int | float | np.number) or not lo <= v <= hi:
            raise ValueError(f"base[{k!r}]: invalid value {v!r}; allowed: a number in [{lo}, {hi}]")
        values[k] = float(v)
    return make_design(DesignInfo("oat", ranges, 1, 0, base=values))


def make_design(info: DesignInfo) -> pd.DataFrame:
    """Draw the design ``info`` describes (the same table each time); see the ``*_design`` functions."""
    names, d = info.names, len(info.ranges)
    low = np.array([lo for lo, _ in info.ranges.values()])
    width = np.array([hi - lo for lo, hi in info.ranges.values()])
    if info.method == "sobol":
        from SALib.sample import sobol

        x = sobol.sample(info.problem(), info.n, calc_second_order=False, seed=info.seed)
    elif info.method == "morris":
        from SALib.sample import morris

        x = morris.sample(info.problem(), info.n, num_levels=info.levels, seed=info.seed)
    elif info.method == "lhs":
        x = low + width * qmc.LatinHypercube(d, rng=np.random.default_rng(info.seed)).random(info.n)
    elif info.method == "sobol_sequence":
        x = low + width * qmc.Sobol(d, rng=np.random.default_rng(info.seed)).random(info.n)
    elif info.method == "oat":
        base = np.array([info.base[k] for k in names])
        x = np.repeat(base[None, :], 1 + 2 * d, axis=0)
        for j, (lo, hi) in enumerate(info.ranges.values()):
            x[2 * j + 1, j], x[2 * j + 2, j] = lo, hi
    else:
        raise ValueError(f"method: invalid value {info.method!r}; allowed: {', '.join(METHODS)}")
    df = pd.DataFrame(np.asarray(x, dtype=float), columns=names,
                      index=pd.RangeIndex(len(x), name="point"))
    df.attrs["design"] = info.to_dict()
    return df


def design_info(design: pd.DataFrame | DesignInfo | Mapping[str, Any]) -> DesignInfo:
    """The :class:`DesignInfo` of a design table (its ``attrs["design"]``), or of a manifest's dict.

    Examples
    --------
    >>> design_info(lhs_design({"a": (0.0, 1.0)}, n=4, seed=9)).seed
    9
    """
    if isinstance(design, DesignInfo):
        return design
    if isinstance(design, pd.DataFrame):
        if "design" not in design.attrs:
            raise ValueError("design: the table has no attrs['design']; allowed: a table made by "
                             "sobol_design, morris_design, lhs_design, sobol_sequence_design or "
                             "oat_design, or its DesignInfo")
        design = design.attrs["design"]
    return DesignInfo.from_dict(design)


def _checked_ranges(ranges: Mapping[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    if not isinstance(ranges, Mapping) or not ranges:
        raise ValueError(f"ranges: invalid value {ranges!r}; allowed: a non-empty mapping of parameter "
                         "path to (low, high)")
    out = {}
    for key, value in ranges.items():
        if not isinstance(key, str) or not key:
            raise ValueError(f"ranges: invalid parameter path {key!r}; allowed: a dotted config path "
                             "such as 'attack.temperature'")
        try:
            if isinstance(value, str):
                raise TypeError(value)
            lo, hi = (float(v) for v in value)
        except (TypeError, ValueError):
            lo = hi = np.nan
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise ValueError(f"ranges[{key!r}]: invalid value {value!r}; allowed: (low, high) with "
                             "finite numbers low < high")
        out[key] = (lo, hi)
    return out


def _count(n: object, name: str, least: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < least:
        raise ValueError(f"{name}: invalid value {n!r}; allowed: an integer of at least {least}")
    return int(n)


def _power_of_two(n: object, name: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 4 or n & (n - 1):
        raise ValueError(f"{name}: invalid value {n!r}; allowed: a power of two of at least 4 "
                         "(4, 8, 16, ..., 1024, ...)")
    return int(n)


def _seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed: invalid value {seed!r}; allowed: an integer of at least 0")
    return int(seed)
