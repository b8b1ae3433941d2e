"""Calibration targets as data: shares of ceasefires failed by given horizons, with provenance.

A *target set* is a CSV table with one row per horizon and a YAML file of the same name beside it
that says where the numbers come from::

    experiments/calibration/targets/fortna_civil_no_pk.csv
    experiments/calibration/targets/fortna_civil_no_pk.yaml

The CSV has the columns of :data:`COLUMNS` (more are allowed and kept):

=============== ======= ================================================================
column          dtype   meaning
=============== ======= ================================================================
horizon_days    int64   days after the ceasefire, > 0, increasing
share_failed    float64 Kaplan-Meier share of ceasefires failed by the horizon, in [0, 1]
low, high       float64 its confidence interval (95 %), low <= share_failed <= high
n               float64 the (effective) sample size the interval follows from, > 0
=============== ======= ================================================================

The YAML has at least the keys of :data:`PROVENANCE`: ``source``, ``sample``, ``n``, ``failure``
(what counts as a failure) and ``censoring``. Sets are found by name in user folders first, then
in the shipped folder; a path to a ``.csv`` file is used as it is.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from scipy import special

from deterrence_sim.fields import ConfigError

COLUMNS = ("horizon_days", "share_failed", "low", "high", "n")
"""Columns every target table has."""

PROVENANCE = ("source", "sample", "n", "failure", "censoring")
"""Keys every provenance file has."""


@dataclass(frozen=True)
class TargetSet:
    """A validated target set: the table and where it comes from.

    Attributes
    ----------
    name : str
        The set's name (its file name without ``.csv``).
    path : Path
        The CSV file.
    table : pandas.DataFrame
        One row per horizon, the columns of :data:`COLUMNS` first.
    provenance : dict
        The parsed YAML file.
    """

    name: str
    path: Path
    table: pd.DataFrame = field(repr=False)
    provenance: dict[str, Any] = field(repr=False)

    @property
    def horizons(self) -> np.ndarray:
        """The horizons in days (int64)."""
        return self.table["horizon_days"].to_numpy(dtype=np.int64)

    @property
    def shares(self) -> np.ndarray:
        """The shares failed by each horizon (float64): the observed summary statistics."""
        return self.table["share_failed"].to_numpy(dtype=float)

    @property
    def n(self) -> np.ndarray:
        """The (effective) sample size at each horizon (float64)."""
        return self.table["n"].to_numpy(dtype=float)


def shipped_dir() -> Path:
    """The folder of the shipped target sets: inside the package, or in a source checkout."""
    packaged = Path(__file__).parent / "target_sets"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3] / "experiments" / \
        "calibration" / "targets"


def target_sets(dirs: Iterable[Path | str] = ()) -> dict[str, Path]:
    """Target sets by name: those in ``dirs`` (earlier folders win), then the shipped ones."""
    found: dict[str, Path] = {}
    for folder in [*map(Path, dirs), shipped_dir()]:
        for csv in sorted(folder.glob("*.csv")) if folder.is_dir() else ():
            found.setdefault(csv.stem, csv)
    return found


def load_targets(name: str | Path, dirs: Iterable[Path | str] = ()) -> TargetSet:
    """Find a target set by name (or path), read it and check it.

    Parameters
    ----------
    name : str or Path
        The name of a set in ``dirs`` or the shipped folder (``"fortna_civil_no_pk"``), or a path
        to a ``.csv`` file.
    dirs : iterable of path, optional
        User folders searched before the shipped one.

    Returns
    -------
    TargetSet

    Raises
    ------
    ConfigError
        One line naming the set, the file or the cell at fault and what is allowed.

    Examples
    --------
    >>> targets = load_targets("fortna_civil_no_pk")
    >>> targets.horizons.tolist(), targets.shares.round(2).tolist()
    ([365, 730, 1826], [0.39, 0.45, 0.61])
    >>> targets.provenance["n"]
    62
    """
    dirs = list(dirs)
    known = target_sets(dirs)
    text = str(name)
    if text.endswith(".csv") or Path(text).suffix == ".csv":
        path = Path(text)
        if not path.is_file():
            raise ConfigError(f"targets: invalid value {text!r}; allowed: an existing .csv file or one of "
                              f"{', '.join(known) or '(none found)'}")
    elif text in known:
        path = known[text]
    else:
        raise ConfigError(f"targets: invalid value {text!r}; allowed: one of {', '.join(known) or '(none)'}"
                          f", or a path to a .csv file")
    try:
        raw = pd.read_csv(path, comment="#", skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        reason = " ".join(str(exc).split())
        raise ConfigError(f"{path.name}: not a readable CSV table ({reason}); allowed: a CSV table with "
                          f"columns {', '.join(COLUMNS)}") from None
    table = check_targets(raw, path.name)
    return TargetSet(path.stem, path, table, _provenance(path))


def check_targets(table: pd.DataFrame, label: str = "targets") -> pd.DataFrame:
    """Check a target table and return it with numeric columns (``horizon_days`` as int64).

    Raises :class:`ConfigError` with one line, ``<label> <column>[<row>]: invalid value ...;
    allowed: ...``, for missing columns, non-numbers, horizons that are not positive whole days
    or do not increase, shares or bounds outside [0, 1], an interval that does not contain its
    share, a non-positive ``n``, and cumulative shares that decrease with the horizon.

    Examples
    --------
    >>> bad = pd.DataFrame({"horizon_days": [365, 730], "share_failed": [0.4, 0.3],
    ...                     "low": [0.3, 0.2], "high": [0.5, 0.4], "n": [62, 62]})
    >>> check_targets(bad, "mine.csv")
    Traceback (most recent call last):
    ...
    deterrence_sim.fields.ConfigError: mine.csv share_failed[1]: invalid value 0.3; allowed: a \
share >= 0.4 (the share failed by 365 days): shares failed cannot decrease with the horizon
    """
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise ConfigError(f"{label}: missing columns {', '.join(missing)}; allowed: a table with columns "
                          f"{', '.join(COLUMNS)}")
    if table.empty:
        raise ConfigError(f"{label}: invalid value: no rows; allowed: one row per horizon, at least one")
    out = table.copy()
    for col in COLUMNS:
        values = pd.to_numeric(out[col], errors="coerce").to_numpy(dtype=float)
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            i = int(bad[0])
            raw = table[col].iloc[i]
            shown = "(empty)" if pd.isna(raw) else repr(raw.item() if isinstance(raw, np.generic) else raw)
            raise ConfigError(f"{label} {col}[{i}]: invalid value {shown}; allowed: a number")
        out[col] = values
    h, share, low, high, n = (out[c].to_numpy() for c in COLUMNS)
    for i in range(len(out)):
        where = f"{label} {{}}[{i}]: invalid value {{}}; allowed: "
        if h[i] <= 0 or h[i] != math.floor(h[i]):
            raise ConfigError(where.format("horizon_days", _num(h[i])) + "a whole number of days > 0")
        if i and h[i] <= h[i - 1]:
            raise ConfigError(where.format("horizon_days", _num(h[i]))
                              + f"horizons that increase (> {_num(h[i - 1])})")
        for col, v in (("share_failed", share[i]), ("low", low[i]), ("high", high[i])):
            if not 0.0 <= v <= 1.0:
                raise ConfigError(where.format(col, _num(v)) + "a share in [0, 1]")
        if not low[i] <= share[i] <= high[i]:
            raise ConfigError(where.format("low", _num(low[i])) + f"low <= share_failed ({_num(share[i])}) "
                              f"<= high ({_num(high[i])})")
        if n[i] <= 0:
            raise ConfigError(where.format("n", _num(n[i])) + "a sample size > 0")
        if i and share[i] < share[i - 1]:
            raise ConfigError(where.format("share_failed", _num(share[i]))
                              + f"a share >= {_num(share[i - 1])} (the share failed by {_num(h[i - 1])} "
                              "days): shares failed cannot decrease with the horizon")
    out["horizon_days"] = h.astype(np.int64)
    return out


def wilson_interval(share: Any, n: Any, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a share estimated from ``n`` cases (``n`` need not be whole).

    Parameters
    ----------
    share : array_like
        Estimated shares in [0, 1].
    n : array_like
        Sample sizes, > 0: the number of cases, or the effective sample size of a Kaplan-Meier
        share (see :func:`km_targets`).
    confidence : float, default 0.95
        Confidence level in (0, 1).

    Returns
    -------
    low, high : ndarray

    Notes
    -----
    With :math:`z` the :math:`(1 + c)/2` normal quantile,

    .. math:: \\frac{\\hat p + \\frac{z^2}{2n} \\pm z \\sqrt{\\frac{\\hat p (1 - \\hat p)}{n}
              + \\frac{z^2}{4 n^2}}}{1 + \\frac{z^2}{n}}

    (Wilson 1927). For whole counts it equals ``scipy.stats.binomtest(k, n).proportion_ci(
    method="wilson")``. Unlike the Wald interval it stays inside [0, 1] and keeps close to its
    nominal coverage for shares near 0 or 1 and samples of a few dozen (Brown, Cai and DasGupta
    2001, Statistical Science 16(2)).

    Examples
    --------
    24 of the 62 ceasefires without peacekeepers failed within a year:

    >>> low, high = wilson_interval(24 / 62, 62)
    >>> round(float(low), 3), round(float(high), 3)
    (0.276, 0.512)
    """
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence: invalid value {confidence!r}; allowed: a level in (0, 1)")
    p, n = np.asarray(share, dtype=float), np.asarray(n, dtype=float)
    z2 = special.ndtri(0.5 + confidence / 2) ** 2
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = np.sqrt(z2) / (1 + z2 / n) * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


def km_targets(duration: Sequence[float], failed: Sequence[bool], horizons: Sequence[int],
               confidence: float = 0.95) -> pd.DataFrame:
    """A target table from right-censored durations: Kaplan-Meier shares with Wilson intervals.

    Parameters
    ----------
    duration : array_like of float
        Days each ceasefire was observed: until it failed, or until it was censored.
    failed : array_like of bool
        True where the ceasefire failed on ``duration``, False where it was censored.
    horizons : sequence of int
        Horizons in days, increasing.
    confidence : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`COLUMNS`; ``n`` is the effective sample size.

    Notes
    -----
    :math:`\\hat F(t) = 1 - \\prod_{t_j \\le t} (1 - d_j / n_j)` with Greenwood's variance
    :math:`\\hat S(t)^2 \\sum_{t_j \\le t} d_j / (n_j (n_j - d_j))`. The interval is Wilson's for the
    effective sample size :math:`n_{eff} = \\hat F (1 - \\hat F) / \\widehat{Var}`, the number of
    uncensored cases that would give the same variance (Dorey and Korn 1987, Statistics in
    Medicine 6(1)). Without censoring before ``t``, :math:`n_{eff}` is the number of cases and the
    interval is the binomial share's Wilson interval. Where :math:`\\hat F` is 0 or 1 the
    variance is 0 and ``n`` is the number of cases not censored before ``t``.

    Examples
    --------
    62 ceasefires: 24 fail in the first year, 4 in the second, 10 in years 3 to 5; the other 24
    are censored after 5 years:

    >>> d = [100] * 24 + [500] * 4 + [1000] * 10 + [2000] * 24
    >>> f = [True] * 38 + [False] * 24
    >>> km_targets(d, f, [365, 730, 1826]).round(3)
       horizon_days  share_failed    low   high     n
    0           365         0.387  0.276  0.512  62.0
    1           730         0.452  0.334  0.575  62.0
    2          1826         0.613  0.488  0.724  62.0
    """
    t = np.asarray(duration, dtype=float)
    event = np.asarray(failed, dtype=bool)
    h = np.asarray(horizons, dtype=float)
    if t.ndim != 1 or t.shape != event.shape or t.size == 0:
        raise ValueError(f"duration, failed: invalid shapes {t.shape}, {event.shape}; allowed: two "
                         "non-empty 1-d arrays of the same length")
    times = np.unique(t[event])
    at_risk = (t[None, :] >= times[:, None]).sum(axis=1)
    deaths = (t[event][None, :] == times[:, None]).sum(axis=1)
    share, n_eff = [], []
    for horizon in h:
        k = times <= horizon
        surv = float(np.prod(1.0 - deaths[k] / at_risk[k]))
        var = surv ** 2 * float(np.sum(deaths[k] / (at_risk[k] * np.maximum(at_risk[k] - deaths[k], 1))))
        observed = int(np.sum((t >= horizon) | (event & (t <= horizon))))
        share.append(1.0 - surv)
        n_eff.append(surv * (1 - surv) / var if var > 0 and 0 < surv < 1 else float(observed))
    low, high = wilson_interval(share, n_eff, confidence)
    return pd.DataFrame({"horizon_days": h.astype(np.int64), "share_failed": share, "low": low,
                         "high": high, "n": n_eff})


def failed_shares(runs: pd.DataFrame, horizons: Sequence[int]) -> np.ndarray:
    """Share of replications failed by each horizon, per point: the simulated summary statistics.

    Parameters
    ----------
    runs : pandas.DataFrame
        One row per (point, replication) with the columns ``point`` (0-based) and
        ``collapse_day`` (<NA> where the ceasefire held to the horizon), as returned by
        ``deterrence_sim.evaluate``; ``runs.attrs["horizon_days"]``, when present, is the horizon.
    horizons : sequence of int
        Horizons in days, each within the runs' horizon.

    Returns
    -------
    ndarray, shape (points, len(horizons))
        Row ``i`` holds, for point ``i``, the share of its replications with
        ``collapse_day <= h``. Every replication is followed to the same horizon, so this is the
        Kaplan-Meier estimate.

    Examples
    --------
    >>> runs = pd.DataFrame({"point": [0, 0, 1, 1],
    ...                      "collapse_day": pd.array([100, None, 400, 800], dtype="Int64")})
    >>> failed_shares(runs, [365, 730])
    array([[0.5, 0.5],
           [0. , 0.5]])
    """
    h = np.asarray(horizons, dtype=float)
    end = runs.attrs.get("horizon_days")
    if end is not None and h.size and h.max() > end:
        raise ValueError(f"horizons: invalid value {h.max():g}; allowed: horizons within the runs' "
                         f"{end} days")
    day = runs["collapse_day"].to_numpy(dtype=float, na_value=np.inf)
    point = runs["point"].to_numpy(dtype=np.int64)
    count = np.bincount(point)
    failed = np.stack([np.bincount(point, weights=day <= x, minlength=count.size) for x in h], axis=1)
    return failed / np.maximum(count, 1)[:, None]


def _provenance(csv: Path) -> dict[str, Any]:
    path = csv.with_suffix(".yaml")
    if not path.is_file():
        raise ConfigError(f"{path.name}: not found; allowed: a provenance file beside {csv.name} with the "
                          f"keys {', '.join(PROVENANCE)}")
    try:
        meta = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path.name}: not readable YAML ({' '.join(str(exc).split())}); allowed: a "
                          f"mapping with the keys {', '.join(PROVENANCE)}") from None
    missing = [k for k in PROVENANCE if not isinstance(meta, dict) or k not in meta]
    if missing:
        raise ConfigError(f"{path.name}: missing keys {', '.join(missing)}; allowed: a mapping with the keys "
                          f"{', '.join(PROVENANCE)}")
    return meta


def _num(v: float) -> str:
    return f"{v:g}"
