"""The outcomes an exploration analyses, per replication and per point of a design.

A runs table from ``deterrence_sim.evaluate`` has one row per (point, replication), with ``point``,
``replication``, a ``param.<path>`` column per varied parameter and the run outputs (``collapsed``,
``duration_days``, ``guarantor_cost``, and from issue 11 on ``wider_war``). Each outcome of
:data:`OUTCOMES` is the mean over a point's replications of one per-replication measure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from deterrence_sim.analysis.sweeps import horizon_of

PARAM_PREFIX = "param."
"""Prefix of the runs table's parameter columns: ``param.<path>``."""


@dataclass(frozen=True)
class Outcome:
    """One analysed outcome: the per-replication measure it averages and what kind it is."""

    measure: str
    kind: str  # "risk" (mean of a 0/1 measure: Wilson interval) or "mean" (t interval)
    description: str


OUTCOMES: dict[str, Outcome] = {
    "collapse_risk": Outcome("collapsed_by_horizon", "risk",
                             "share of replications whose ceasefire collapsed by the horizon"),
    "wider_war_risk": Outcome("wider_war_by_horizon", "risk",
                              "share of replications in which a wider war broke out by the horizon"),
    "guarantor_cost": Outcome("guarantor_cost", "mean", "mean guarantor cost over the run, bn USD"),
    "days_to_collapse": Outcome("days_held", "mean",
                                "restricted mean survival time: mean of min(days held, horizon), days"),
}
"""The outcomes of an exploration, by name (the order of the output tables)."""

MEASURES = ("collapsed_by_horizon", "wider_war_by_horizon", "days_held", "guarantor_cost")
"""Per-replication measures of :func:`replication_outcomes`."""


def check_outcomes(outcomes: Sequence[str] | str, argument: str = "outcome") -> list[str]:
    """``outcomes`` as a list, or a one-line ``ValueError`` naming the first unknown one.

    Examples
    --------
    >>> check_outcomes("collapse_risk")
    ['collapse_risk']
    >>> check_outcomes(["collapse_risk", "fun"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: outcome: invalid value 'fun'; allowed: collapse_risk, wider_war_risk, guarantor_cost, ...
    """
    names = [outcomes] if isinstance(outcomes, str) else list(outcomes)
    for name in names:
        if name not in OUTCOMES:
            raise ValueError(f"{argument}: invalid value {name!r}; allowed: {', '.join(OUTCOMES)}")
    return names


def replication_outcomes(runs: pd.DataFrame, horizon: float | None = None) -> pd.DataFrame:
    """Per replication: collapse and wider war by the horizon (0/1), days held, guarantor cost.

    Parameters
    ----------
    runs : DataFrame
        One row per replication (per point and replication for ``deterrence_sim.evaluate``).
    horizon : float, optional
        Horizon τ in days; at most the one simulated. By default ``runs.attrs["horizon_days"]``, else
        the sweep's horizon (:func:`~deterrence_sim.analysis.sweeps.horizon_of`).

    Returns
    -------
    DataFrame
        ``runs``' ``point``, ``replication`` and ``param.*`` columns (those present), then

        - ``collapsed_by_horizon`` (bool): collapsed with :math:`T \\le τ`;
        - ``wider_war_by_horizon`` (bool; only when ``runs`` has ``wider_war``): a wider war by τ
          (``wider_war_day <= τ`` when that column is present);
        - ``days_held`` (float): :math:`\\min(T, τ)`, T the day of collapse or the horizon if none;
        - ``guarantor_cost`` (float, bn USD).

    Raises
    ------
    ValueError
        If a needed column is missing, or ``horizon`` is beyond the simulated horizon.

    Examples
    --------
    >>> runs = pd.DataFrame({"point": [0, 0], "replication": [0, 1], "collapsed": [True, False],
    ...                      "duration_days": [200, 365], "guarantor_cost": [1.0, 3.0]})
    >>> replication_outcomes(runs, horizon=100)[["collapsed_by_horizon", "days_held"]].values.tolist()
    [[False, 100.0], [False, 100.0]]
    """
    missing = [c for c in ("collapsed", "duration_days", "guarantor_cost") if c not in runs.columns]
    if missing:
        raise ValueError(f"runs: no column {', '.join(missing)}; allowed: a runs table with collapsed, "
                         "duration_days and guarantor_cost (from deterrence_sim.evaluate or a sweep)")
    tau = _horizon(runs, horizon)
    keep = [c for c in runs.columns if c in ("point", "replication") or str(c).startswith(PARAM_PREFIX)]
    out = runs[keep].copy()
    duration = runs["duration_days"].to_numpy(float)
    out["collapsed_by_horizon"] = runs["collapsed"].to_numpy(bool) & (duration <= tau)
    if "wider_war" in runs.columns:
        war = runs["wider_war"].to_numpy(bool)
        if "wider_war_day" in runs.columns:
            war = war & (runs["wider_war_day"].to_numpy(float, na_value=np.inf) <= tau)
        out["wider_war_by_horizon"] = war
    out["days_held"] = np.minimum(duration, tau)
    out["guarantor_cost"] = runs["guarantor_cost"].to_numpy(float)
    return out


def point_outcomes(runs: pd.DataFrame, outcomes: Sequence[str] | None = None, horizon: float | None = None,
                   confidence: float = 0.95, by: Sequence[str] = ()) -> pd.DataFrame:
    """Each point's outcomes with confidence intervals: collapse risk, wider-war risk, cost, days held.

    Parameters
    ----------
    runs : DataFrame
        One row per (point, replication), as ``deterrence_sim.evaluate`` returns.
    outcomes : sequence of str, optional
        Names from :data:`OUTCOMES`; by default all that ``runs`` can give (``wider_war_risk`` only
        when it has ``wider_war``).
    horizon : float, optional
        As in :func:`replication_outcomes`.
    confidence : float, default 0.95
    by : sequence of str, default ()
        Columns that tell runs of the same point apart, e.g. ``["guarantee"]`` when the same design
        matrix was run under several guarantee designs: one row per design and point.

    Returns
    -------
    DataFrame
        One row per point (per ``by`` and point), in that order: the ``by`` columns, ``point``,
        ``replications``, the ``param.*`` columns that are constant within every point (the
        design's), and for each outcome its estimate and
        ``<outcome>_low``/``<outcome>_high``: risks with the Wilson score interval, means with the
        t interval (NaN bounds for one replication; zero width when all replications agree).

    Notes
    -----
    Wilson interval for k events in n replications, :math:`\\hat p = k/n`, z the normal quantile:

    .. math:: \\frac{\\hat p + z^2/2n \\pm z\\sqrt{\\hat p(1-\\hat p)/n + z^2/4n^2}}{1 + z^2/n}.

    ``days_to_collapse`` is the restricted mean survival time up to τ, exact here because
    replications are censored only at the horizon.

    Examples
    --------
    >>> runs = pd.DataFrame({"point": [0, 0, 1, 1], "replication": [0, 1, 0, 1],
    ...                      "param.attack.temperature": [0.1, 0.1, 0.9, 0.9],
    ...                      "collapsed": [False, False, True, False], "duration_days": [365, 365, 100, 365],
    ...                      "guarantor_cost": [2.0, 2.0, 1.0, 3.0]})
    >>> pts = point_outcomes(runs)
    >>> pts[["point", "param.attack.temperature", "collapse_risk", "days_to_collapse"]].values.tolist()
    [[0.0, 0.1, 0.0, 365.0], [1.0, 0.9, 0.5, 232.5]]
    """
    if "point" not in runs.columns:
        raise ValueError("runs: no column 'point'; allowed: a runs table from deterrence_sim.evaluate "
                         "(one row per point and replication)")
    by = list(by)
    per = replication_outcomes(runs, horizon)
    per[by] = runs[by]
    names = check_outcomes([o for o in OUTCOMES if OUTCOMES[o].measure in per.columns]
                           if outcomes is None else outcomes, "outcomes")
    for name in names:
        if OUTCOMES[name].measure not in per.columns:
            raise ValueError(f"outcomes: {name!r} needs the runs table's wider_war column, which it does "
                             "not have")
    grouped = per.groupby([*by, "point"], sort=True)
    params = [c for c in per.columns if str(c).startswith(PARAM_PREFIX)]
    constant = [c for c in params if (grouped[c].nunique(dropna=False) <= 1).all()]
    out = grouped[constant].first() if constant else pd.DataFrame(index=grouped.size().index)
    out.insert(0, "replications", grouped.size())
    for name in names:
        o = OUTCOMES[name]
        est, low, high = interval(grouped[o.measure], o.kind, confidence)
        out[name], out[f"{name}_low"], out[f"{name}_high"] = est, low, high
    return out.reset_index()


def interval(grouped, kind: str, confidence: float = 0.95) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per group of a ``SeriesGroupBy``: the mean and its Wilson (``kind="risk"``) or t interval."""
    n = grouped.count().astype(float)
    mean = grouped.mean().astype(float)
    z = special.ndtri(0.5 + confidence / 2)
    if kind == "risk":
        centre = (mean + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(mean * (1 - mean) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return mean, (centre - half).clip(lower=0.0), (centre + half).clip(upper=1.0)
    sd = grouped.std(ddof=1).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.5 + confidence / 2, n - 1) * sd / np.sqrt(n)
    half = half.where(sd > 0, 0.0).where(n > 1)
    return mean, mean - half, mean + half


def parameter_column(df: pd.DataFrame, parameter: str) -> str:
    """The column holding ``parameter``: ``param.<path>`` in an exploration, the path itself in a sweep.

    Examples
    --------
    >>> parameter_column(pd.DataFrame(columns=["param.attack.temperature"]), "attack.temperature")
    'param.attack.temperature'
    """
    for column in (f"{PARAM_PREFIX}{parameter}", parameter):
        if column in df.columns:
            return column
    known = [str(c).removeprefix(PARAM_PREFIX) for c in df.columns if str(c).startswith(PARAM_PREFIX)]
    raise ValueError(f"parameter: invalid value {parameter!r}; allowed: "
                     f"{', '.join(known) or 'a column of the table'}")


def _horizon(runs: pd.DataFrame, horizon: float | None) -> np.ndarray | float:
    simulated = (float(runs.attrs["horizon_days"]) if "horizon_days" in runs.attrs
                 else horizon_of(runs).to_numpy(float))
    if horizon is None:
        return simulated
    longest = float(np.min(simulated))
    if not (isinstance(horizon, int | float | np.number) and 0 < horizon <= longest):
        raise ValueError(f"horizon: invalid value {horizon!r}; allowed: a number of days in (0, {longest:g}] "
                         "(nothing is known beyond the simulated horizon)")
    return float(horizon)
