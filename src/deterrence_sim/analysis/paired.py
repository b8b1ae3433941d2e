"""Paired comparisons of designs on common random numbers: effects, intervals, p-values, costs.

Replications with the same seed and ``replication`` index share their random numbers across
designs, so each design is compared with the baseline replication by replication.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from deterrence_sim.analysis.checks import (
    PAIR_COLUMNS,
    AnalysisError,
    PairingWarning,
    check_baseline,
    check_columns,
    check_fraction,
    check_pairable,
    check_positive,
    check_table,
)
from deterrence_sim.analysis.sweeps import groups, horizon_of, varying_columns

COMPARE_COLUMNS = ("metric", "n_pairs", "baseline_value", "design_value", "difference", "ci_low",
                   "ci_high", "p_value", "method")


@dataclass(frozen=True)
class PairedEffect:
    """Mean of ``design − baseline`` over pairs, its confidence interval and a two-sided p-value."""

    n_pairs: int
    baseline_value: float
    design_value: float
    difference: float
    ci_low: float
    ci_high: float
    p_value: float
    method: str


def paired_risk_difference(baseline: Sequence[bool], design: Sequence[bool],
                           confidence: float = 0.95) -> PairedEffect:
    """Difference of two risks measured on the same pairs (e.g. collapse by the horizon).

    Parameters
    ----------
    baseline, design : array_like of bool
        The event indicator of each pair under the baseline and under the design.
    confidence : float, default 0.95

    Returns
    -------
    PairedEffect
        ``difference`` is :math:`(n_{01} - n_{10}) / n`, with :math:`n_{10}` the pairs where only
        the baseline had the event and :math:`n_{01}` those where only the design had it.

    Notes
    -----
    Interval: Agresti and Min (2005) adjusted Wald interval for matched proportions: add 1/2 to
    each of the four cells of the paired 2×2 table (:math:`n^* = n + 2`), then

    .. math:: \\tilde\\Delta \\pm z \\sqrt{\\frac{(n^*_{10} + n^*_{01}) - (n^*_{01} - n^*_{10})^2 / n^*}
              {n^{*2}}}.

    p-value: exact McNemar test, :math:`2 \\min(P(X \\le n_{01}), P(X \\ge n_{01}))` for
    :math:`X \\sim \\mathrm{Bin}(n_{10} + n_{01}, 1/2)` (``scipy.stats.binomtest``); 1 when no
    pair is discordant. Identical samples give a difference of exactly 0 and p = 1.

    Examples
    --------
    >>> e = paired_risk_difference([1, 1, 1, 0, 0, 1, 0, 1], [0, 1, 0, 0, 0, 0, 0, 1])
    >>> e.difference, round(e.p_value, 3)
    (-0.375, 0.25)
    >>> paired_risk_difference([1, 0, 1], [1, 0, 1]).difference
    0.0
    """
    b = np.asarray(baseline, dtype=bool)
    d = np.asarray(design, dtype=bool)
    n = b.size
    n10 = int(np.sum(b & ~d))
    n01 = int(np.sum(~b & d))
    star = n + 2.0
    a10, a01 = n10 + 0.5, n01 + 0.5
    centre = (a01 - a10) / star
    half = stats.norm.ppf(0.5 + confidence / 2) * np.sqrt((a10 + a01) - (a01 - a10) ** 2 / star) / star
    p = stats.binomtest(n01, n10 + n01).pvalue if n10 + n01 else 1.0
    return PairedEffect(n, float(b.mean()), float(d.mean()), (n01 - n10) / n,
                        max(-1.0, centre - half), min(1.0, centre + half), float(p),
                        "Agresti-Min interval, exact McNemar test")


def paired_mean_difference(baseline: Sequence[float], design: Sequence[float],
                           confidence: float = 0.95) -> PairedEffect:
    """Mean paired difference of a measurement (days held, cost), with a paired t interval.

    Notes
    -----
    With :math:`d_i = x_i^{design} - x_i^{baseline}`, :math:`\\bar d \\pm t_{n-1} s_d/\\sqrt n`
    and the paired t-test (``scipy.stats.ttest_1samp`` on :math:`d`). With hundreds of pairs
    the central limit theorem makes this accurate even for skewed costs. Identical samples give
    exactly 0 with p = 1; a constant non-zero shift gives a zero-width interval and p = 0.

    Examples
    --------
    >>> e = paired_mean_difference([10, 20, 30, 40], [12, 21, 33, 44])
    >>> e.difference, round(e.ci_low, 3), round(e.ci_high, 3)
    (2.5, 0.446, 4.554)
    """
    b = np.asarray(baseline, dtype=float)
    x = np.asarray(design, dtype=float)
    diff = x - b
    mean = float(diff.mean())
    method = "paired t interval and test"
    if diff.size < 2 or np.all(diff == diff[0]):
        return PairedEffect(diff.size, float(b.mean()), float(x.mean()), mean, mean, mean,
                            1.0 if mean == 0.0 else 0.0, method)
    res = stats.ttest_1samp(diff, 0.0)
    ci = res.confidence_interval(confidence)
    return PairedEffect(diff.size, float(b.mean()), float(x.mean()), mean, float(ci.low),
                        float(ci.high), float(res.pvalue), method)


def check_comparison(df: pd.DataFrame, baseline: str, by: str, within: Sequence[str] | None,
                     confidence: float) -> tuple[list[str], str]:
    """Check the arguments of a paired comparison; the ``within`` columns (by default every other
    varying design column) and the baseline as the value of ``by`` it names (``12`` finds ``12.0``).

    Raises
    ------
    AnalysisError
        For a table without the columns needed, an unknown ``by`` or ``within`` column, a baseline
        that is not a value of ``by``, a confidence outside (0, 1), or when no design shares a
        scenario with the baseline (naming the ``within`` columns that move with ``by``).
    """
    check_table(df, PAIR_COLUMNS)
    check_columns(df, "by", by)
    baseline = check_baseline(df, by, baseline)
    check_fraction("confidence", confidence)
    within = check_columns(df, "within", varying_columns(df, exclude=(by,)) if within is None else within)
    check_pairable(df, by, within, baseline)
    return within, baseline


def pairs(df: pd.DataFrame, baseline: str, by: str = "guarantee",
          within: Sequence[str] | None = None):
    """Yield ``(key, design, paired)`` for each scenario and design other than the baseline.

    ``key`` is the tuple of ``within`` values; ``paired`` holds one row per common replication,
    the baseline's columns suffixed ``_base`` and the design's ``_design``. Pairs that share no
    replication index are named: an :class:`AnalysisError` if no design has any, else a
    :class:`~deterrence_sim.analysis.checks.PairingWarning`.

    A numeric ``baseline`` matches a value of ``by`` numerically (``12`` finds ``12.0``), and
    designs come in numeric order when they are numbers.

    Raises
    ------
    AnalysisError
        If replications are not unique within a scenario (a varying column missing from
        ``within``), or if no pair of replications can be formed.
    """
    within = list(varying_columns(df, exclude=(by,)) if within is None else within)
    baseline = str(baseline)
    df = df.assign(_horizon=horizon_of(df))
    found, apart = 0, []
    for key, stratum in groups(df, within):
        per_design = {str(d): g for (d,), g in groups(stratum, [by])}
        if baseline not in per_design:
            continue
        base = _unique_replications(per_design[baseline], baseline, by, within)
        for design, runs in per_design.items():
            if design == baseline:
                continue
            mine = _unique_replications(runs, design, by, within)
            paired = base.add_suffix("_base").join(mine.add_suffix("_design"), how="inner")
            if paired.empty:
                apart.append(f"{by}={design!r}" + "".join(f", {c}={v}" for c, v in zip(within, key,
                                                                                     strict=True)))
                continue
            found += 1
            yield key, design, paired
    if apart:
        message = (f"replication: invalid value: no replication index in common with the baseline "
                   f"{baseline!r} for {'; '.join(apart)}; allowed: designs run with the same "
                   "replications (sim.replications, sim.block_size, sim.first_block)")
        if not found:
            raise AnalysisError(message)
        warnings.warn(message.replace("replication: invalid value: ", "") + ": left out",
                      PairingWarning, stacklevel=3)


def compare(df: pd.DataFrame, baseline: str = "none", by: str = "guarantee",
            within: Sequence[str] | None = None, confidence: float = 0.95) -> pd.DataFrame:
    """Each design's effect against the baseline, paired replication by replication.

    Parameters
    ----------
    df : DataFrame
        Replications of a sweep (e.g. :func:`deterrence_sim.load_sweep`).
    baseline : str, default "none"
        The value of ``by`` every other design is compared with.
    by : str, default "guarantee"
        Column naming the designs.
    within : sequence of str, optional
        Columns defining the scenarios (e.g. ``["attack", "monitoring"]``); pairs are matched on
        ``(*within, replication)``. By default every other design column that varies.
    confidence : float, default 0.95

    Returns
    -------
    DataFrame
        Tidy: one row per scenario, design and metric, with the ``within`` columns, ``by``,
        ``metric``, ``n_pairs``, ``baseline_value``, ``design_value``, ``difference`` (design −
        baseline), ``ci_low``, ``ci_high``, ``p_value`` and ``method``. Metrics:

        - ``collapse_risk``: collapse by the horizon τ (the shorter of the pair's horizons);
          Agresti–Min interval, exact McNemar test (:func:`paired_risk_difference`).
        - ``survival_days``: days held up to τ, :math:`\\min(T, τ)`, whose mean is the restricted
          mean survival time (exact here: censoring happens only at the horizon); paired t.
        - ``guarantor_cost``: bn USD over the run; paired t.
        - ``clash_risk``: a direct guarantor–aggressor clash; Agresti–Min, McNemar.
        - ``wider_war_risk``: a wider war by τ (``wider_war``, and ``wider_war_day <= τ`` when the
          table has that column); Agresti–Min, McNemar. Only when the table has ``wider_war``
          (sweeps from before issue 11 do not) and for pairs where it is never missing.

    Raises
    ------
    AnalysisError
        (A ``ValueError``.) If an argument is not valid (see :func:`check_comparison`), the
        pairing is ambiguous, or nothing can be paired: no design shares a scenario with the
        baseline (the message names the ``within`` columns that move with ``by``) or a replication
        index with it. Designs left out in some scenarios give a ``PairingWarning``.

    Examples
    --------
    >>> import pandas as pd
    >>> base = pd.DataFrame({"replication": range(4), "guarantee": "none",
    ...                      "collapsed": [True, True, False, True], "duration_days": [50, 80, 365, 200],
    ...                      "guarantor_cost": 1.0, "direct_clash": False})
    >>> strong = base.assign(guarantee="strong", collapsed=[False, True, False, False],
    ...                      duration_days=[365, 100, 365, 365], guarantor_cost=3.0)
    >>> res = compare(pd.concat([base, strong]), baseline="none")
    >>> res[["metric", "difference"]].values.tolist()
    [['collapse_risk', -0.5], ['survival_days', 125.0], ['guarantor_cost', 2.0], ['clash_risk', 0.0]]

    With a ``wider_war`` column, the wider-war risk is compared too:

    >>> war = strong.assign(direct_clash=[True, True, False, False], wider_war=[True, False, False, False])
    >>> res = compare(pd.concat([base.assign(wider_war=False), war]), baseline="none")
    >>> res.set_index("metric").loc[["clash_risk", "wider_war_risk"], "difference"].tolist()
    [0.5, 0.25]
    """
    rows = []
    within, baseline = check_comparison(df, baseline, by, within, confidence)
    for key, design, p in pairs(df, baseline, by, within):
        tau = np.minimum(p["_horizon_base"], p["_horizon_design"]).to_numpy()
        effects = {
            "collapse_risk": paired_risk_difference(_collapsed_by(p, "_base", tau),
                                                    _collapsed_by(p, "_design", tau), confidence),
            "survival_days": paired_mean_difference(np.minimum(p["duration_days_base"], tau),
                                                    np.minimum(p["duration_days_design"], tau),
                                                    confidence),
            "guarantor_cost": paired_mean_difference(p["guarantor_cost_base"],
                                                     p["guarantor_cost_design"], confidence),
            "clash_risk": paired_risk_difference(p["direct_clash_base"].astype(bool),
                                                 p["direct_clash_design"].astype(bool), confidence),
        }
        war = (_wider_war_by(p, "_base", tau), _wider_war_by(p, "_design", tau))
        if war[0] is not None and war[1] is not None:
            effects["wider_war_risk"] = paired_risk_difference(*war, confidence)
        for metric, e in effects.items():
            rows.append({**dict(zip(within, key, strict=True)), by: design, "metric": metric,
                         "n_pairs": e.n_pairs, "baseline_value": e.baseline_value,
                         "design_value": e.design_value, "difference": e.difference,
                         "ci_low": e.ci_low, "ci_high": e.ci_high, "p_value": e.p_value,
                         "method": e.method})
    return pd.DataFrame(rows, columns=[*within, by, *COMPARE_COLUMNS])


def cost_effectiveness(df: pd.DataFrame, baseline: str = "none", by: str = "guarantee",
                       within: Sequence[str] | None = None, per_bn_usd: float = 10.0,
                       n_boot: int = 2000, confidence: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Collapse risk averted against added guarantor cost, both ways round, with bootstrap intervals.

    Parameters
    ----------
    df, baseline, by, within
        As in :func:`compare`.
    per_bn_usd : float, default 10
        Cost unit of ``pp_per_cost``: percentage points averted per ``per_bn_usd`` bn USD.
    n_boot : int, default 2000
        Bootstrap resamples of the pairs.
    confidence : float, default 0.95
    seed : int, default 0
        Seed of the bootstrap generator (the report is reproducible).

    Returns
    -------
    DataFrame
        Per scenario and design, each with ``_low``/``_high`` percentile-bootstrap bounds:

        - ``risk_averted_pp``: baseline risk − design risk (percentage points), :math:`ΔE`;
        - ``added_cost_bn``: mean paired difference in guarantor cost (bn USD), :math:`ΔC`;
        - ``pp_per_cost``: :math:`ΔE / ΔC × \\mathrm{per\\_bn\\_usd}`, risk averted per unit of cost;
        - ``cost_per_pp_musd``: :math:`1000\\,ΔC / ΔE`, million USD per percentage point averted
          (the incremental cost-effectiveness ratio; stable when the cost is near zero);
        - ``note``: "dominant" (risk falls, cost does not rise: no ratio), "no significant risk
          averted" (the interval of ΔE reaches 0: no ratio intervals), "cost interval spans 0"
          (no interval for ``pp_per_cost``).

    Raises
    ------
    AnalysisError
        As :func:`compare`, and for ``per_bn_usd`` or ``n_boot`` not positive.

    Notes
    -----
    With y the collapse-by-horizon indicator and c the guarantor cost of a pair,
    :math:`ΔE = 100\\,(\\bar y^{base} - \\bar y^{design})` and :math:`ΔC = \\bar c^{design} - \\bar c^{base}`.
    Pairs are resampled together (``numpy.random.default_rng(seed)``), so the intervals keep the
    correlation that common random numbers create between effect and cost.

    Examples
    --------
    >>> import pandas as pd
    >>> base = pd.DataFrame({"replication": range(4), "guarantee": "none",
    ...                      "collapsed": [True, True, False, True], "duration_days": [50, 80, 365, 200],
    ...                      "guarantor_cost": 1.0, "direct_clash": False})
    >>> strong = base.assign(guarantee="strong", collapsed=False, duration_days=365, guarantor_cost=6.0)
    >>> ce = cost_effectiveness(pd.concat([base, strong]), n_boot=200)
    >>> ce[["risk_averted_pp", "added_cost_bn", "pp_per_cost", "cost_per_pp_musd"]].values.tolist()
    [[75.0, 5.0, 150.0, 66.666667]]
    """
    within, baseline = check_comparison(df, baseline, by, within, confidence)
    check_positive("per_bn_usd", per_bn_usd)
    check_positive("n_boot", n_boot, whole=True)
    rng = np.random.default_rng(seed)
    alpha = (1.0 - confidence) / 2.0
    rows = []
    for key, design, p in pairs(df, baseline, by, within):
        tau = np.minimum(p["_horizon_base"], p["_horizon_design"]).to_numpy()
        averted = 100.0 * (_collapsed_by(p, "_base", tau).astype(float)
                           - _collapsed_by(p, "_design", tau).astype(float))
        added = (p["guarantor_cost_design"] - p["guarantor_cost_base"]).to_numpy(float)
        idx = rng.integers(0, len(p), size=(n_boot, len(p)))
        boot_e, boot_c = averted[idx].mean(axis=1), added[idx].mean(axis=1)
        e, c = averted.mean(), added.mean()
        row = {**dict(zip(within, key, strict=True)), by: design, "n_pairs": len(p)}
        row.update(_bounded("risk_averted_pp", e, boot_e, alpha))
        row.update(_bounded("added_cost_bn", c, boot_c, alpha))
        with np.errstate(divide="ignore", invalid="ignore"):
            row.update(_bounded("pp_per_cost", per_bn_usd * e / c, per_bn_usd * boot_e / boot_c, alpha))
            row.update(_bounded("cost_per_pp_musd", 1000.0 * c / e, 1000.0 * boot_c / boot_e, alpha))
        note = ""
        if e > 0 and c <= 0:
            note = "dominant"
            _blank(row, "pp_per_cost", "cost_per_pp_musd", point=True)
        elif row["risk_averted_pp_low"] <= 0:
            note = "no significant risk averted"
            _blank(row, "pp_per_cost", "cost_per_pp_musd", point=e <= 0)
        elif row["added_cost_bn_low"] <= 0 <= row["added_cost_bn_high"]:
            note = "cost interval spans 0"
            _blank(row, "pp_per_cost", point=False)
        rows.append({**row, "note": note})
    return pd.DataFrame(rows)


def _bounded(name: str, value: float, boot: np.ndarray, alpha: float) -> dict[str, float]:
    """``name``, ``name_low``, ``name_high``: the estimate and its percentile-bootstrap bounds."""
    finite = boot[np.isfinite(boot)]
    low, high = np.quantile(finite, [alpha, 1 - alpha]) if finite.size else (np.nan, np.nan)
    return {name: float(value), f"{name}_low": float(low), f"{name}_high": float(high)}


def _blank(row: dict, *names: str, point: bool) -> None:
    """Drop the bounds (and, with ``point``, the estimate) of ratios that have no meaning here."""
    for name in names:
        row[f"{name}_low"] = row[f"{name}_high"] = np.nan
        if point:
            row[name] = np.nan


def _collapsed_by(p: pd.DataFrame, suffix: str, tau: np.ndarray) -> np.ndarray:
    return (p[f"collapsed{suffix}"].to_numpy(bool)
            & (p[f"duration_days{suffix}"].to_numpy(float) <= tau))


def _wider_war_by(p: pd.DataFrame, suffix: str, tau: np.ndarray) -> np.ndarray | None:
    """A wider war by τ in each pair, or None when the table has no ``wider_war`` or it is missing."""
    flag = p.get(f"wider_war{suffix}")
    if flag is None or flag.isna().any():
        return None
    war = flag.to_numpy(bool)
    day = p.get(f"wider_war_day{suffix}")
    if day is not None:
        war = war & (day.to_numpy(float, na_value=np.inf) <= tau)
    return war


def _unique_replications(runs: pd.DataFrame, design: str, by: str, within: list[str]) -> pd.DataFrame:
    indexed = runs.set_index("replication")
    if not indexed.index.is_unique:
        other = varying_columns(runs, exclude=(by, *within))
        allowed = (f"within with {', '.join(other)} added" if other
                   else "a table with each replication once per scenario and design")
        raise AnalysisError(f"within: invalid value {within!r}: the replications of {by}={design!r} are "
                            f"not unique within ({', '.join([*within, 'replication'])}), so they cannot "
                            f"be paired; allowed: {allowed}")
    return indexed
