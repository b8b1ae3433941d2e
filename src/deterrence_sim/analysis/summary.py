"""Per-group summaries of a sweep: risks with intervals, rates, the monitoring funnel, robustness."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from deterrence_sim.analysis.checks import (
    FUNNEL_COLUMNS,
    RISK_COLUMNS,
    SUMMARY_COLUMNS,
    AnalysisError,
    check_columns,
    check_fraction,
    check_positive,
    check_table,
)
from deterrence_sim.analysis.shares import Estimate, proportion
from deterrence_sim.analysis.survival import curve_of
from deterrence_sim.analysis.sweeps import groups, horizon_of, varying_columns

DAYS_PER_MONTH = 365.25 / 12
DAYS_PER_YEAR = 365


def summarize(df: pd.DataFrame, by: Sequence[str] | str | None = None, years: Sequence[int] = (1, 2),
              confidence: float = 0.95) -> pd.DataFrame:
    """Per group: collapse risk, survival, violations, monitoring, responses, cost, clash and wider-war risk.

    Parameters
    ----------
    df : DataFrame
        Replications (columns of ``deterrence_sim.results.RUN_COLUMNS`` and grouping columns).
    by : str or sequence of str, optional
        Grouping columns; by default every design column that varies (``attack``, ``guarantee``,
        swept keys, ...).
    years : sequence of int, default (1, 2)
        Report the probability of collapse within each of these many years (365 days each).
    confidence : float, default 0.95

    Returns
    -------
    DataFrame
        One row per group: the ``by`` columns and

        - ``replications``; ``horizon_days`` (shortest horizon in the group);
        - ``collapse_{k}y`` with ``_low``/``_high``: Kaplan–Meier :math:`1 - \\hat S(365k)` and its
          band (:func:`kaplan_meier`); NaN beyond the horizon; ``collapse_horizon`` likewise at
          ``horizon_days``;
        - ``median_survival_days`` with ``_low``/``_high``; NaN when not reached;
        - ``violations_per_month``: aggressor violations (minor + serious) per month of ceasefire,
          :math:`\\sum v_r / \\sum (T_r / 30.44)`;
        - ``detection_rate`` = detected / violations, ``verification_rate`` = verified / violations;
        - ``mean_verification_delay_days``: detection-to-verification delay averaged over all
          verified violations (each replication's mean weighted by its verified count);
        - ``share_honoured`` = responses honoured / responses triggered (NaN if none triggered);
        - ``guarantor_cost_bn`` with a t interval of the mean;
        - ``direct_clash`` with its Wilson interval;
        - ``wider_war`` with its Wilson interval: the share of replications in which a clash
          escalated into a wider war (which also ends the ceasefire, so it is part of the collapse
          risk). Only when the table has a ``wider_war`` column (sweeps from before issue 11 do not).

    Raises
    ------
    AnalysisError
        (A ``ValueError``.) For a table without the columns needed, a ``by`` that names no column,
        ``years`` that are not whole numbers > 0, or a confidence outside (0, 1).

    Examples
    --------
    >>> import pandas as pd
    >>> runs = pd.DataFrame({"guarantee": "none", "duration_days": [100, 300, 730, 730],
    ...     "collapsed": [True, True, False, False], "violations_minor": 30, "violations_serious": 0,
    ...     "detected": 15, "verified": 10, "mean_verification_delay_days": 2.0,
    ...     "responses_triggered": 0, "responses_honoured": 0, "guarantor_cost": 1.5,
    ...     "direct_clash": False})
    >>> summarize(runs, by="guarantee").loc[0, ["collapse_1y", "collapse_2y", "median_survival_days",
    ...                                         "detection_rate"]].tolist()
    [0.5, 0.5, 300.0, 0.5]
    """
    check_table(df, SUMMARY_COLUMNS)
    by = check_columns(df, "by", varying_columns(df) if by is None else by)
    check_fraction("confidence", confidence)
    _check_years(years)
    rows = []
    for row, g in _survival_rows(df, by, years, confidence):
        violations = float((g["violations_minor"] + g["violations_serious"]).sum())
        verified = g["verified"].to_numpy(float)
        delays = g["mean_verification_delay_days"].to_numpy(float)
        row.update({
            "violations_per_month": violations / (g["duration_days"].sum() / DAYS_PER_MONTH),
            "detection_rate": _ratio(g["detected"].sum(), violations),
            "verification_rate": _ratio(g["verified"].sum(), violations),
            "mean_verification_delay_days": _ratio(np.nansum(delays * verified),
                                                   verified[np.isfinite(delays)].sum()),
            "share_honoured": _ratio(g["responses_honoured"].sum(), g["responses_triggered"].sum()),
        })
        _put(row, "guarantor_cost_bn", _mean_interval(g["guarantor_cost"].to_numpy(float), confidence))
        _put(row, "direct_clash", proportion(int(g["direct_clash"].sum()), len(g), confidence))
        if "wider_war" in g.columns:
            war = g["wider_war"].astype("boolean")
            _put(row, "wider_war", proportion(int(war.sum()), int(war.notna().sum()), confidence)
                 if war.notna().any() else Estimate(np.nan, np.nan, np.nan))
        rows.append(row)
    return pd.DataFrame(rows)


FUNNEL_STAGES = ("violations", "detected", "verified", "responses_triggered", "responses_honoured")
"""Stages of the detection → verification → response funnel, in order."""


def funnel(df: pd.DataFrame, by: Sequence[str] | str = "monitoring") -> pd.DataFrame:
    """The detection → verification → response funnel per group, as counts per month of ceasefire.

    Parameters
    ----------
    df : DataFrame
        Replications.
    by : str or sequence of str, default "monitoring"
        Grouping columns.

    Returns
    -------
    DataFrame
        One row per group: ``replications``, one column ``<stage>_per_month`` per stage of
        :data:`FUNNEL_STAGES` (aggressor violations, detected, verified, responses triggered,
        responses honoured) and the conversion shares ``detected_share`` (of violations),
        ``verified_share`` (of detected), ``honoured_share`` (of triggered), plus
        ``mean_verification_delay_days``.

    Examples
    --------
    >>> import pandas as pd
    >>> runs = pd.DataFrame({"monitoring": "drones", "duration_days": [365.25, 365.25],
    ...     "violations_minor": [20, 4], "violations_serious": [0, 0], "detected": [12, 0],
    ...     "verified": [6, 0], "mean_verification_delay_days": [1.5, float("nan")],
    ...     "responses_triggered": [2, 0], "responses_honoured": [1, 0]})
    >>> funnel(runs).loc[0, ["violations_per_month", "detected_share", "verified_share",
    ...                      "honoured_share"]].tolist()
    [1.0, 0.5, 0.5, 0.5]
    """
    check_table(df, FUNNEL_COLUMNS)
    by = check_columns(df, "by", by)
    rows = []
    for key, g in groups(df, by):
        months = g["duration_days"].sum() / DAYS_PER_MONTH
        totals = {"violations": float((g["violations_minor"] + g["violations_serious"]).sum()),
                  **{s: float(g[s].sum()) for s in FUNNEL_STAGES[1:]}}
        verified = g["verified"].to_numpy(float)
        delays = g["mean_verification_delay_days"].to_numpy(float)
        rows.append({**dict(zip(by, key, strict=True)), "replications": len(g),
                     **{f"{s}_per_month": totals[s] / months for s in FUNNEL_STAGES},
                     "detected_share": _ratio(totals["detected"], totals["violations"]),
                     "verified_share": _ratio(totals["verified"], totals["detected"]),
                     "honoured_share": _ratio(totals["responses_honoured"],
                                              totals["responses_triggered"]),
                     "mean_verification_delay_days": _ratio(np.nansum(delays * verified),
                                                            verified[np.isfinite(delays)].sum())})
    return pd.DataFrame(rows)


def robustness(df: pd.DataFrame, by: str = "guarantee",
               within: Sequence[str] | None = None) -> pd.DataFrame:
    """Each design's worst case across scenarios and its regret against the best design per scenario.

    Parameters
    ----------
    df : DataFrame
        Replications.
    by : str, default "guarantee"
        Column naming the designs.
    within : sequence of str, optional
        Columns defining the scenarios; by default every other varying design column.

    Returns
    -------
    DataFrame
        One row per design, sorted by ``max_regret`` then ``worst_risk``: ``scenarios`` (count),
        ``mean_risk``, ``worst_risk`` and ``worst_scenario``, ``best_in`` (scenarios where it has
        the lowest risk), ``max_regret`` and ``max_regret_scenario``.

    Notes
    -----
    Risk is the Kaplan–Meier collapse probability by the horizon, :math:`r_{d,s}`, of design *d* in
    scenario *s*. Regret is :math:`r_{d,s} - \\min_{d'} r_{d',s}`; a design with low maximum regret
    is never far from the best choice whichever scenario comes true (minimax regret, Savage).
    Point estimates only: the per-scenario intervals are in :func:`summarize`.

    Examples
    --------
    >>> import pandas as pd
    >>> risks = {("cautious", "a"): 0.1, ("cautious", "b"): 0.2,
    ...          ("bold", "a"): 0.9, ("bold", "b"): 0.5}
    >>> runs = pd.DataFrame([{"attack": s, "guarantee": d, "duration_days": 100 if i < 10 * r else 730,
    ...                       "collapsed": i < 10 * r} for (s, d), r in risks.items() for i in range(10)])
    >>> robustness(runs)[["guarantee", "worst_risk", "max_regret", "max_regret_scenario"]].values.tolist()
    [['b', 0.5, 0.1, 'attack=cautious'], ['a', 0.9, 0.4, 'attack=bold']]
    """
    check_table(df, RISK_COLUMNS)
    check_columns(df, "by", by)
    within = check_columns(df, "within", varying_columns(df, exclude=(by,)) if within is None else within)
    table = pd.DataFrame([row for row, _ in _survival_rows(df, [*within, by], (), 0.95)])
    table["scenario"] = (table[within].astype(str).apply(
        lambda r: ", ".join(f"{c}={v}" for c, v in r.items()), axis=1) if within else "all")
    best = table.groupby("scenario")["collapse_horizon"].transform("min")
    table["regret"] = table["collapse_horizon"] - best
    rows = []
    for design, g in table.groupby(by, sort=True):
        worst = g.loc[g["collapse_horizon"].idxmax()]
        regret = g.loc[g["regret"].idxmax()]
        rows.append({by: design, "scenarios": len(g), "mean_risk": g["collapse_horizon"].mean(),
                     "worst_risk": worst["collapse_horizon"], "worst_scenario": worst["scenario"],
                     "best_in": int((g["regret"] <= 1e-12).sum()), "max_regret": regret["regret"],
                     "max_regret_scenario": regret["scenario"]})
    out = pd.DataFrame(rows)
    return out.sort_values(["max_regret", "worst_risk"], ignore_index=True) if rows else out


def all_or_nothing(df: pd.DataFrame, by: Sequence[str], margin: float = 0.01) -> tuple[int, int]:
    """How many groups collapse within the horizon almost never or almost always, of how many.

    Many such groups say more about the model's calibration than about the designs: read the
    ranking, not the levels. (All censoring is at the horizon, so the share collapsed is the
    Kaplan–Meier estimate.)

    Examples
    --------
    >>> df = pd.DataFrame({"g": ["a", "a", "b", "b"], "collapsed": [True, True, True, False]})
    >>> all_or_nothing(df, ["g"])
    (1, 2)
    """
    check_table(df, ("collapsed",))
    check_fraction("margin", margin)
    risk = df.groupby(check_columns(df, "by", by))["collapsed"].mean()
    return int(((risk < margin) | (risk > 1.0 - margin)).sum()), len(risk)


def _check_years(years: Sequence[int]) -> None:
    """``years`` is a sequence of whole numbers > 0."""
    try:
        for k in years:
            check_positive("years", k, whole=True)
    except (AnalysisError, TypeError):
        raise AnalysisError(f"years: invalid value {years!r}; allowed: whole numbers > 0, "
                            "e.g. (1, 2)") from None


def _survival_rows(df: pd.DataFrame, by: list[str], years: Sequence[int], confidence: float):
    """Yield (row, group) with the group's key, size, horizon and Kaplan–Meier risks filled in."""
    df = df.assign(_horizon=horizon_of(df))
    for key, g in groups(df, by):
        km = curve_of(g, confidence)
        horizon = float(g["_horizon"].min())
        row: dict[str, object] = {**dict(zip(by, key, strict=True)), "replications": len(g),
                                  "horizon_days": horizon}
        for k in years:
            _put(row, f"collapse_{k}y", km.collapse_by(k * DAYS_PER_YEAR))
        _put(row, "collapse_horizon", km.collapse_by(horizon))
        _put(row, "median_survival_days", km.median())
        yield row, g


def _put(row: dict[str, object], name: str, value: Estimate) -> None:
    row[name], row[f"{name}_low"], row[f"{name}_high"] = value.estimate, value.low, value.high


def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den else np.nan


def _mean_interval(x: np.ndarray, confidence: float) -> Estimate:
    """Mean with its t interval (zero width when every value is the same)."""
    if x.size < 2 or np.all(x == x[0]):
        m = float(x.mean())
        return Estimate(m, m, m)
    ci = stats.ttest_1samp(x, 0.0).confidence_interval(confidence)
    return Estimate(float(x.mean()), float(ci.low), float(ci.high))
