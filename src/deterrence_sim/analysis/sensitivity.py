"""What drives an outcome: Sobol' and Morris indices, the one-at-a-time tornado, response curves.

The indices take a design (:mod:`~deterrence_sim.analysis.designs`) and one value of the outcome per
point of it (:func:`~deterrence_sim.analysis.outcomes.point_outcomes`); the tornado and the response
curves take the runs table itself, so that they can pair replications and give intervals. SALib is
imported only when indices are computed.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from deterrence_sim.analysis.designs import DesignInfo, design_info, make_design
from deterrence_sim.analysis.outcomes import (
    OUTCOMES,
    check_outcomes,
    interval,
    parameter_column,
    replication_outcomes,
)
from deterrence_sim.analysis.paired import paired_mean_difference, paired_risk_difference

SOBOL_COLUMNS = ("outcome", "n", "n_points", "parameter", "S1", "S1_conf", "S1_low", "S1_high", "ST",
                 "ST_conf", "ST_low", "ST_high")
MORRIS_COLUMNS = ("outcome", "parameter", "mu", "mu_star", "mu_star_conf", "mu_star_low", "mu_star_high",
                  "sigma")


def sobol_indices(design: pd.DataFrame | DesignInfo, y, *, convergence: bool = True,
                  n_resamples: int = 1000, confidence: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Sobol' first-order and total indices with bootstrap intervals, at N and at N/2.

    Parameters
    ----------
    design : DataFrame or DesignInfo
        The table :func:`~deterrence_sim.analysis.designs.sobol_design` returned (or its info).
    y : array_like, Series or DataFrame
        The outcome at each point of the design, in point order (a Series or DataFrame is aligned
        on its index, the point number). A DataFrame gives the indices of each of its columns; the
        table of :func:`~deterrence_sim.analysis.outcomes.point_outcomes` (aligned on its ``point``
        column) those of each declared outcome in it.
    convergence : bool, default True
        Also compute the indices from the first N/2 blocks of the design, which are the Saltelli
        design of base size N/2 with the same seed (see the Notes of ``sobol_design``).
    n_resamples : int, default 1000
        Bootstrap resamples of the N blocks.
    confidence : float, default 0.95
    seed : int, default 0
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        One row per outcome, base size (N/2 then N) and parameter: ``outcome``, ``n`` (base size),
        ``n_points`` (model runs used, :math:`n(D + 2)`), ``parameter``, ``S1`` and ``ST`` with
        ``_conf`` (half-width) and ``_low``/``_high``. An outcome that takes one value at every
        point has no variance to share out: its indices are NaN.

    Notes
    -----
    With A, B the two base matrices and :math:`A_B^{(i)}` A with column i from B, and f the outcome
    (SALib's ``sobol.analyze``, Saltelli et al. 2010, Jansen's total index):

    .. math:: S_i = \\frac{\\frac1N \\sum_j f(B)_j (f(A_B^{(i)})_j - f(A)_j)}{V(Y)}, \\qquad
              S_{Ti} = \\frac{\\frac1{2N} \\sum_j (f(A)_j - f(A_B^{(i)})_j)^2}{V(Y)}.

    The interval is :math:`\\hat S \\pm z\\,\\mathrm{sd}^*`, with :math:`\\mathrm{sd}^*` the standard
    deviation of the estimate over bootstrap resamples of the N blocks. A stochastic outcome (a
    collapse risk estimated from k replications) adds noise that the bootstrap does not see: run
    enough replications per point, and compare the indices at N/2 and N.

    References
    ----------
    Saltelli, A. et al. (2010). Variance based sensitivity analysis of model output. Design and
    estimator for the total sensitivity index. Computer Physics Communications 181(2), 259-270.

    Examples
    --------
    The additive model :math:`y = a + 2b` has :math:`S_a = 1/5`, :math:`S_b = 4/5` and no
    interaction (:math:`S_{T} = S`):

    >>> from deterrence_sim.analysis.designs import sobol_design
    >>> x = sobol_design({"a": (0.0, 1.0), "b": (0.0, 1.0)}, n=256, seed=1)
    >>> res = sobol_indices(x, x["a"] + 2 * x["b"])
    >>> res[res["n"] == 256][["parameter", "S1", "ST"]].round(2).values.tolist()
    [['a', 0.2, 0.2], ['b', 0.8, 0.8]]
    """
    info = _info(design, "sobol")
    ys = _aligned(y, info.n_points)
    sizes = [info.n // 2, info.n] if convergence else [info.n]
    rows = []
    for outcome, values in ys.items():
        for n in sizes:
            rows += _sobol_rows(info, values[: n * (len(info.ranges) + 2)], n, outcome, n_resamples,
                                confidence, seed)
    return pd.DataFrame(rows, columns=list(SOBOL_COLUMNS))


def morris_indices(design: pd.DataFrame | DesignInfo, y, *, n_resamples: int = 1000,
                   confidence: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Morris elementary effects: μ, μ* with a bootstrap interval, and σ (SALib's ``morris.analyze``).

    Parameters
    ----------
    design : DataFrame or DesignInfo
        The table :func:`~deterrence_sim.analysis.designs.morris_design` returned (or its info:
        the table is then drawn again from its seed).
    y : array_like, Series or DataFrame
        The outcome at each point, as in :func:`sobol_indices`.
    n_resamples : int, default 1000
    confidence : float, default 0.95
    seed : int, default 0
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        One row per outcome and parameter: ``mu``, ``mu_star``, ``mu_star_conf`` (half-width),
        ``mu_star_low``, ``mu_star_high``, ``sigma``.

    Notes
    -----
    The elementary effect of parameter i on trajectory t is
    :math:`EE_{ti} = (f(x + Δ e_i) - f(x)) / Δ`, Δ in units of the range (so effects of parameters
    with different units compare). :math:`μ^*_i = \\frac1r \\sum_t |EE_{ti}|` ranks importance,
    :math:`σ_i`, the standard deviation of :math:`EE_{ti}`, flags interactions or non-linearity
    (Morris 1991; Campolongo, Cariboni and Saltelli 2007).

    Examples
    --------
    >>> from deterrence_sim.analysis.designs import morris_design
    >>> x = morris_design({"a": (0.0, 1.0), "b": (0.0, 10.0)}, n_trajectories=10, seed=4)
    >>> res = morris_indices(x, 3 * x["a"] + x["b"] / 10)
    >>> res[["parameter", "mu_star", "sigma"]].round(6).values.tolist()
    [['a', 3.0, 0.0], ['b', 1.0, 0.0]]
    """
    info = _info(design, "morris")
    x = design if isinstance(design, pd.DataFrame) else make_design(info)
    ys = _aligned(y, info.n_points)
    from SALib.analyze import morris

    rows = []
    for outcome, values in ys.items():
        res = morris.analyze(info.problem(), x.to_numpy(float), values, num_resamples=n_resamples,
                             conf_level=confidence, num_levels=info.levels, seed=seed)
        for i, name in enumerate(info.names):
            mu_star, conf = float(res["mu_star"][i]), float(res["mu_star_conf"][i])
            rows.append({"outcome": outcome, "parameter": name, "mu": float(res["mu"][i]),
                         "mu_star": mu_star, "mu_star_conf": conf, "mu_star_low": mu_star - conf,
                         "mu_star_high": mu_star + conf, "sigma": float(res["sigma"][i])})
    return pd.DataFrame(rows, columns=list(MORRIS_COLUMNS))


def tornado(runs: pd.DataFrame, design: pd.DataFrame | DesignInfo, outcome: str = "collapse_risk", *,
            horizon: float | None = None, confidence: float = 0.95) -> pd.DataFrame:
    """One-at-a-time effects around the base case, paired replication by replication.

    Parameters
    ----------
    runs : DataFrame
        Runs of an :func:`~deterrence_sim.analysis.designs.oat_design` (one row per point and
        replication); replication j of every point must share its random numbers (as
        ``deterrence_sim.evaluate`` does).
    design : DataFrame or DesignInfo
        The one-at-a-time design.
    outcome : str, default "collapse_risk"
        One of :data:`~deterrence_sim.analysis.outcomes.OUTCOMES`.
    horizon : float, optional
        As in :func:`~deterrence_sim.analysis.outcomes.replication_outcomes`.
    confidence : float, default 0.95

    Returns
    -------
    DataFrame
        One row per parameter, sorted by the size of the swing (largest first): ``parameter``,
        ``low``, ``base``, ``high`` (its values), ``outcome``, ``n_pairs``, ``at_base``, ``at_low``,
        ``at_high`` (the outcome there), and for ``low_effect`` (low − base), ``high_effect``
        (high − base) and ``swing`` (high − low): the paired difference, ``_ci_low``, ``_ci_high``
        and, for the swing, ``swing_p_value``.

    Notes
    -----
    Pairs are the replications present at both points. Risks: Agresti–Min interval and exact
    McNemar test (:func:`~deterrence_sim.analysis.paired.paired_risk_difference`); means: paired t
    (:func:`~deterrence_sim.analysis.paired.paired_mean_difference`). On common random numbers the
    pairs differ only by the parameter, so the intervals are much narrower than unpaired ones.

    Examples
    --------
    >>> from deterrence_sim.analysis.designs import oat_design
    >>> x = oat_design({"a": 0.5}, {"a": (0.0, 1.0)})
    >>> runs = pd.DataFrame({"point": [0, 0, 1, 1, 2, 2], "replication": [0, 1] * 3,
    ...                      "collapsed": [True, False, False, False, True, True],
    ...                      "duration_days": [50, 365, 365, 365, 20, 40], "guarantor_cost": 1.0})
    >>> t = tornado(runs, x)
    >>> t[["parameter", "at_low", "at_base", "at_high", "swing"]].values.tolist()
    [['a', 0.0, 0.5, 1.0, 1.0]]
    """
    info = _info(design, "oat")
    (name,) = check_outcomes(outcome)
    o = OUTCOMES[name]
    per = replication_outcomes(runs, horizon)
    if o.measure not in per.columns:
        raise ValueError(f"outcome: {name!r} needs the runs table's wider_war column, which it does not have")
    wide = per.pivot(index="replication", columns="point", values=o.measure)
    missing = [p for p in range(info.n_points) if p not in wide.columns]
    if missing:
        raise ValueError(f"runs: no replication of point {missing[0]}; allowed: runs of every point of the "
                         f"one-at-a-time design (points 0..{info.n_points - 1})")
    paired = paired_risk_difference if o.kind == "risk" else paired_mean_difference
    rows = []
    for j, (param, (lo, hi)) in enumerate(info.ranges.items()):
        both = wide[[0, 2 * j + 1, 2 * j + 2]].dropna()
        base, at_low, at_high = (both[p].to_numpy() for p in (0, 2 * j + 1, 2 * j + 2))
        row = {"parameter": param, "low": lo, "base": info.base[param], "high": hi, "outcome": name,
               "n_pairs": len(both), "at_base": float(np.mean(base)), "at_low": float(np.mean(at_low)),
               "at_high": float(np.mean(at_high))}
        for label, (a, b) in {"low_effect": (base, at_low), "high_effect": (base, at_high),
                              "swing": (at_low, at_high)}.items():
            e = paired(a, b, confidence)
            row.update({label: e.difference, f"{label}_ci_low": e.ci_low, f"{label}_ci_high": e.ci_high})
            if label == "swing":
                row["swing_p_value"] = e.p_value
        rows.append(row)
    out = pd.DataFrame(rows)
    order = out["swing"].abs().sort_values(ascending=False, kind="stable").index
    return out.loc[order].reset_index(drop=True)


def response_curve(runs: pd.DataFrame, parameter: str, outcome: str = "collapse_risk", *,
                   bins: int | None = None, by: Sequence[str] = (), horizon: float | None = None,
                   confidence: float = 0.95) -> pd.DataFrame:
    """The outcome against the numeric value of one parameter, in numeric order, with intervals.

    Parameters
    ----------
    runs : DataFrame
        Replications: an exploration's runs (the parameter in ``param.<path>``) or a sweep's (the
        parameter as the swept key's column).
    parameter : str
        The parameter's path, e.g. ``attack.temperature``.
    outcome : str, default "collapse_risk"
        One of :data:`~deterrence_sim.analysis.outcomes.OUTCOMES`.
    bins : int, optional
        Group the values into this many bins of about equal count (for continuous designs such as a
        Latin hypercube); by default each distinct value is a group.
    by : sequence of str, default ()
        Further grouping columns, e.g. ``["guarantee"]``: one curve each.
    horizon : float, optional
    confidence : float, default 0.95

    Returns
    -------
    DataFrame
        One row per group, sorted by ``by`` and then numerically by ``value``: the ``by`` columns,
        ``value`` (the parameter's value, or the mean value in the bin), ``value_low``/``value_high``
        (the bin's smallest and largest value), ``replications``, ``outcome``, ``estimate``, ``low``
        and ``high`` (Wilson interval for risks, t interval for means).

    Examples
    --------
    >>> runs = pd.DataFrame({"attack.temperature": [10.0, 2.0, 12.0, 2.0, 10.0, 12.0],
    ...                      "collapsed": [True, False, True, False, False, True],
    ...                      "duration_days": [100, 365, 50, 365, 365, 80], "guarantor_cost": 1.0})
    >>> response_curve(runs, "attack.temperature")[["value", "estimate"]].values.tolist()
    [[2.0, 0.0], [10.0, 0.5], [12.0, 1.0]]
    """
    (name,) = check_outcomes(outcome)
    o = OUTCOMES[name]
    column = parameter_column(runs, parameter)
    values = pd.to_numeric(runs[column], errors="coerce")
    bad = runs.loc[values.isna() & runs[column].notna(), column]
    if len(bad) or values.isna().all():
        shown = bad.iloc[0] if len(bad) else None
        raise ValueError(f"parameter: {parameter!r} has the value {shown!r}; allowed: numbers (a response "
                         "curve orders the values numerically)")
    per = replication_outcomes(runs, horizon)
    if o.measure not in per.columns:
        raise ValueError(f"outcome: {name!r} needs the runs table's wider_war column, which it does not have")
    by = list(by)
    frame = pd.DataFrame({**{c: runs[c] for c in by}, "_v": values.astype(float),
                          "_m": per[o.measure].astype(float)}, index=runs.index)
    frame["_g"] = pd.qcut(frame["_v"], bins, labels=False, duplicates="drop") if bins else frame["_v"]
    grouped = frame.groupby([*by, "_g"], sort=True)
    est, low, high = interval(grouped["_m"], o.kind, confidence)
    out = pd.DataFrame({"value": grouped["_v"].mean(), "value_low": grouped["_v"].min(),
                        "value_high": grouped["_v"].max(), "replications": grouped.size(),
                        "outcome": name, "estimate": est, "low": low, "high": high})
    out = out.reset_index(level="_g", drop=True).reset_index() if by else out.reset_index(drop=True)
    return out.sort_values([*by, "value"], kind="stable", ignore_index=True)


def _info(design: pd.DataFrame | DesignInfo, method: str) -> DesignInfo:
    info = design_info(design)
    if info.method != method:
        raise ValueError(f"design: invalid method {info.method!r}; allowed: {method!r} (a table from "
                         f"{method}_design)")
    if isinstance(design, pd.DataFrame) and len(design) != info.n_points:
        raise ValueError(f"design: {len(design)} rows; allowed: the {info.n_points} rows of the "
                         f"{method!r} design it describes")
    return info


def _aligned(y, n_points: int) -> dict[str, np.ndarray]:
    """One float array of length ``n_points`` per outcome, in point order.

    A table from :func:`~deterrence_sim.analysis.outcomes.point_outcomes` (it has a ``point``
    column) gives its declared outcomes; any other DataFrame, each of its columns.
    """
    if isinstance(y, pd.DataFrame) and "point" in y.columns:
        names = [c for c in OUTCOMES if c in y.columns]
        if not names:
            raise ValueError(f"y: no outcome column; allowed: a points table with any of "
                             f"{', '.join(OUTCOMES)}")
        y = y.set_index("point")[names]
    if isinstance(y, pd.Series | pd.DataFrame):
        twice = y.index[y.index.duplicated()]
        if len(twice):
            count = int((y.index == twice[0]).sum())
            raise ValueError(f"y: point {twice[0]} has {count} values; allowed: one per point (take one "
                             "design's points at a time)")
        frame = y.to_frame(name=y.name if y.name is not None else "y") if isinstance(y, pd.Series) else y
        frame = frame.reindex(pd.RangeIndex(n_points))
        extra = len(y) - int(y.index.isin(frame.index).sum())
        if extra:
            raise ValueError(f"y: {extra} values for points outside the design; allowed: points "
                             f"0..{n_points - 1}")
        arrays = {str(c): frame[c].to_numpy(float) for c in frame.columns}
    else:
        arr = np.asarray(y, dtype=float)
        if arr.ndim != 1 or arr.size != n_points:
            raise ValueError(f"y: invalid shape {arr.shape}; allowed: one value per point of the design "
                             f"({n_points},)")
        arrays = {"y": arr}
    for name, arr in arrays.items():
        bad = np.flatnonzero(~np.isfinite(arr))
        if bad.size:
            raise ValueError(f"y: {name} has no finite value at {bad.size} of {n_points} points (first: "
                             f"point {bad[0]}); allowed: a finite value at every point of the design")
    return arrays


def _sobol_rows(info: DesignInfo, y: np.ndarray, n: int, outcome: str, n_resamples: int,
                confidence: float, seed: int) -> list[dict]:
    d = len(info.ranges)
    base = {"outcome": outcome, "n": n, "n_points": n * (d + 2)}
    if np.ptp(y) == 0:  # no variance to share out
        nan = dict.fromkeys(SOBOL_COLUMNS[4:], np.nan)
        return [{**base, "parameter": p, **nan} for p in info.names]
    from SALib.analyze import sobol

    # SALib draws its resamples from the global generator when seed is 0 (it tests `if seed:`)
    salib_seed = int(np.random.SeedSequence(seed).generate_state(1)[0]) or 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a resample with no variance gives NaN
        res = sobol.analyze(info.problem(), y, calc_second_order=False, num_resamples=n_resamples,
                            conf_level=confidence, seed=salib_seed)
    rows = []
    for i, p in enumerate(info.names):
        row = {**base, "parameter": p}
        for k in ("S1", "ST"):
            est, conf = float(res[k][i]), float(res[f"{k}_conf"][i])
            row.update({k: est, f"{k}_conf": conf, f"{k}_low": est - conf, f"{k}_high": est + conf})
        rows.append(row)
    return rows
