"""Kaplan–Meier survival of the ceasefire, its confidence bands, log-rank tests, and the hazard
per period."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from deterrence_sim.analysis.checks import (
    RISK_COLUMNS,
    AnalysisError,
    check_baseline,
    check_columns,
    check_fraction,
    check_pairable,
    check_positive,
    check_table,
)
from deterrence_sim.analysis.shares import Estimate, proportion
from deterrence_sim.analysis.sweeps import groups, horizon_of, varying_columns


@dataclass(frozen=True)
class SurvivalCurve:
    """A Kaplan–Meier estimate of the probability that the ceasefire still holds after day t.

    Attributes
    ----------
    day : ndarray
        0, then every distinct observed day (collapses and censorings), increasing.
    survival : ndarray
        Ŝ(day): the estimated probability that the ceasefire holds beyond ``day``.
    low, high : ndarray
        Pointwise confidence band for Ŝ (exponential Greenwood, see :func:`kaplan_meier`).
    at_risk : ndarray
        Replications still followed and in ceasefire at the start of ``day``.
    follow_up : float
        The last observed day; Ŝ is not defined beyond it unless it has reached 0.
    """

    day: np.ndarray
    survival: np.ndarray
    low: np.ndarray
    high: np.ndarray
    at_risk: np.ndarray
    follow_up: float

    def _index(self, t: float) -> int:
        return int(np.searchsorted(self.day, t, side="right")) - 1

    def defined_at(self, t: float) -> bool:
        """Whether Ŝ(t) is estimated: t is within follow-up, or every replication has collapsed."""
        return t <= self.follow_up or self.survival[-1] == 0.0

    def collapse_by(self, t: float) -> Estimate:
        """Probability of collapse by day ``t``, 1 − Ŝ(t), with its band; NaN beyond follow-up."""
        if not self.defined_at(t):
            return Estimate(np.nan, np.nan, np.nan)
        i = self._index(t)
        return Estimate(1.0 - self.survival[i], 1.0 - self.high[i], 1.0 - self.low[i])

    def median(self) -> Estimate:
        """Median survival (days) with the band-inverted interval; NaN where not reached.

        The median is the first day with Ŝ ≤ 1/2; its interval runs from the first day with the
        lower band ≤ 1/2 to the first day with the upper band ≤ 1/2 (Brookmeyer and Crowley).
        """
        def first(curve: np.ndarray) -> float:
            hit = np.flatnonzero(curve <= 0.5)
            return float(self.day[hit[0]]) if hit.size else np.nan
        return Estimate(first(self.survival), first(self.low), first(self.high))

    def restricted_mean(self, tau: float) -> float:
        """Restricted mean survival time, ∫₀^τ Ŝ(t) dt, in days (the area under the step curve)."""
        edges = np.append(np.minimum(self.day, tau), tau)
        return float(np.sum(self.survival * np.diff(edges)))


def kaplan_meier(duration: Sequence[float], collapsed: Sequence[bool],
                 confidence: float = 0.95) -> SurvivalCurve:
    """Kaplan–Meier survival curve of right-censored durations, with a pointwise confidence band.

    Parameters
    ----------
    duration : array_like of float
        Days each replication was observed: the collapse day, or the horizon if censored.
    collapsed : array_like of bool
        True where the ceasefire collapsed on ``duration`` (an event), False where censored.
    confidence : float, default 0.95
        Confidence level of the band, in (0, 1).

    Returns
    -------
    SurvivalCurve

    Notes
    -----
    With :math:`d_j` collapses among the :math:`n_j` replications at risk on day :math:`t_j`,

    .. math:: \\hat S(t) = \\prod_{t_j \\le t} \\left(1 - \\frac{d_j}{n_j}\\right),

    computed by ``scipy.stats.ecdf`` on ``scipy.stats.CensoredData``. The band is the exponential
    Greenwood interval (``method="log-log"``), which stays inside [0, 1] and covers better than
    the plain Greenwood interval near 0 and 1. It is undefined where Ŝ is exactly 1 (no collapse
    yet) or 0 (all collapsed); there the Wilson score interval of the binomial share
    (collapses by t out of the replications not censored before t) is used, which is exact in the
    usual case of a sweep where censoring happens only at the common horizon.

    Examples
    --------
    Eight replications, three censored (days 5, 10 and 15):

    >>> km = kaplan_meier([3, 5, 5, 8, 10, 12, 12, 15], [1, 1, 0, 1, 0, 1, 1, 0])
    >>> km.day.tolist()
    [0.0, 3.0, 5.0, 8.0, 10.0, 12.0, 15.0]
    >>> km.survival.round(3).tolist()   # 7/8, ·6/7, ·4/5, ·1/3
    [1.0, 0.875, 0.75, 0.6, 0.6, 0.2, 0.2]
    >>> km.at_risk.tolist()
    [8, 8, 7, 5, 4, 3, 1]
    """
    check_fraction("confidence", confidence)
    t = np.asarray(duration, dtype=float)
    event = np.asarray(collapsed, dtype=bool)
    if t.shape != event.shape or t.ndim != 1 or t.size == 0:
        raise AnalysisError(f"duration, collapsed: invalid value: shapes {t.shape} and {event.shape}; "
                            "allowed: 1-d, non-empty and of equal length")
    sf = stats.ecdf(stats.CensoredData(uncensored=t[event], right=t[~event])).sf
    with warnings.catch_warnings():  # NaN where undefined is expected; filled below
        warnings.simplefilter("ignore", RuntimeWarning)
        band = sf.confidence_interval(confidence, method="log-log")
    day = np.concatenate([[0.0], sf.quantiles])
    surv = np.concatenate([[1.0], sf.probabilities])
    low = np.concatenate([[1.0], band.low.probabilities])
    high = np.concatenate([[1.0], band.high.probabilities])
    at_risk = (t[None, :] >= day[:, None]).sum(axis=1)
    undefined = ~np.isfinite(low) | ~np.isfinite(high) | (surv == 1.0) | (surv == 0.0)
    for i in np.flatnonzero(undefined[1:]) + 1:  # day 0 keeps [1, 1]: nothing can happen before day 1
        followed = int(np.sum(~((t < day[i]) & ~event)))  # not censored before the day
        share = proportion(int(np.sum(event & (t <= day[i]))), followed, confidence)
        low[i], high[i] = 1.0 - share.high, 1.0 - share.low
    return SurvivalCurve(day=day, survival=surv, low=low, high=high, at_risk=at_risk,
                         follow_up=float(t.max()))


def curve_of(runs: pd.DataFrame, confidence: float = 0.95) -> SurvivalCurve:
    """The Kaplan–Meier curve of a table of replications (``duration_days``, ``collapsed``)."""
    return kaplan_meier(runs["duration_days"].to_numpy(float), runs["collapsed"].to_numpy(bool),
                        confidence)


@dataclass(frozen=True)
class SurvivalResult:
    """Survival curves of groups of replications and log-rank tests between them.

    Attributes
    ----------
    curves : DataFrame
        One row per group and step: the group columns, ``day``, ``survival``, ``ci_low``,
        ``ci_high``, ``at_risk``; each curve ends with a row at its last observed day.
    tests : DataFrame
        One row per comparison: the ``within`` columns, the design column, ``versus``,
        ``statistic`` (signed z; positive when the design collapses more often than ``versus``)
        and ``p_value`` (two-sided).
    """

    curves: pd.DataFrame
    tests: pd.DataFrame


def survival(df: pd.DataFrame, by: str = "guarantee", within: Sequence[str] | None = None,
             baseline: str | None = None, confidence: float = 0.95) -> SurvivalResult:
    """Kaplan–Meier curves per design and scenario, and log-rank tests between designs.

    Parameters
    ----------
    df : DataFrame
        Replications (``duration_days``, ``collapsed`` and the grouping columns), e.g. from
        :func:`deterrence_sim.load_sweep`.
    by : str, default "guarantee"
        Column whose values are compared (the designs).
    within : sequence of str, optional
        Columns defining the scenarios inside which designs are compared; by default every other
        design column that varies in ``df``.
    baseline : str, optional
        Test every design against this one (a number matches numerically: ``12`` is ``12.0``); by
        default every pair of designs is tested.
    confidence : float, default 0.95
        Level of the pointwise bands.

    Returns
    -------
    SurvivalResult

    Raises
    ------
    AnalysisError
        (A ``ValueError``.) For a table without ``duration_days`` and ``collapsed``, an unknown
        ``by`` or ``within`` column, a ``baseline`` that is not a value of ``by``, or a confidence
        outside (0, 1). When no two designs share a scenario (``within`` columns that move with
        ``by``), the curves are still drawn and a ``PairingWarning`` names those columns.

    Notes
    -----
    The log-rank statistic (``scipy.stats.logrank``) is
    :math:`Z = \\sum_j (O_j - E_j) / \\sqrt{\\sum_j V_j}` over collapse days *j*, with :math:`O_j`
    the design's observed collapses, :math:`E_j` those expected if both designs shared one hazard
    and :math:`V_j` the hypergeometric variance. It treats the two samples as independent; with
    common random numbers they are positively correlated, which makes the test conservative
    (the paired effects of :func:`deterrence_sim.compare` are sharper).

    Examples
    --------
    >>> import pandas as pd
    >>> runs = pd.DataFrame({"guarantee": ["none"] * 4 + ["strong"] * 4,
    ...                      "duration_days": [100, 200, 365, 365, 300, 365, 365, 365],
    ...                      "collapsed": [True, True, False, False, True, False, False, False]})
    >>> res = survival(runs, baseline="none")
    >>> print(res.curves.query("guarantee == 'none'")[["day", "survival", "at_risk"]].to_string(index=False))
      day  survival  at_risk
      0.0      1.00        4
    100.0      0.75        4
    200.0      0.50        3
    365.0      0.50        2
    >>> res.tests[["guarantee", "versus"]].values.tolist()
    [['strong', 'none']]
    """
    check_table(df, RISK_COLUMNS)
    check_columns(df, "by", by)
    check_fraction("confidence", confidence)
    if baseline is not None:
        baseline = check_baseline(df, by, baseline)
    within = check_columns(df, "within", varying_columns(df, exclude=(by,)) if within is None else within)
    check_pairable(df, by, within, baseline, strict=False)
    curves, tests = [], []
    for key, stratum in groups(df, within):
        designs = {str(d): g for (d,), g in groups(stratum, [by])}
        for design, runs in designs.items():
            km = curve_of(runs, confidence)
            curve = pd.DataFrame({"day": km.day, "survival": km.survival, "ci_low": km.low,
                                  "ci_high": km.high, "at_risk": km.at_risk})
            if km.day[-1] < km.follow_up:
                curve = pd.concat([curve, curve.iloc[[-1]].assign(day=km.follow_up)])
            curves.append(curve.assign(**dict(zip(within, key, strict=True)), **{by: design}))
        if baseline is not None:  # a scenario without the baseline has no test (and was warned of)
            pairs = [(d, baseline) for d in designs if d != baseline] if baseline in designs else []
        else:
            pairs = [(b, a) for a, b in itertools.combinations(designs, 2)]
        for design, versus in pairs:
            z, p = logrank(designs[design], designs[versus])
            tests.append({**dict(zip(within, key, strict=True)), by: design, "versus": versus,
                          "statistic": z, "p_value": p})
    order = [*within, by]
    curves_df = (pd.concat(curves, ignore_index=True) if curves else pd.DataFrame())
    if not curves_df.empty:
        curves_df = curves_df[[*order, "day", "survival", "ci_low", "ci_high", "at_risk"]]
    tests_df = pd.DataFrame(tests, columns=[*order, "versus", "statistic", "p_value"])
    return SurvivalResult(curves=curves_df, tests=tests_df)


def logrank(a: pd.DataFrame, b: pd.DataFrame) -> tuple[float, float]:
    """Log-rank z and two-sided p of ``a`` against ``b``; (0, 1) when neither has any collapse.

    ``z > 0`` means ``a`` collapses more than expected under a common hazard.
    """
    if not (a["collapsed"].any() or b["collapsed"].any()):
        return 0.0, 1.0

    def censored(runs: pd.DataFrame) -> stats.CensoredData:
        t = runs["duration_days"].to_numpy(float)
        e = runs["collapsed"].to_numpy(bool)
        return stats.CensoredData(uncensored=t[e], right=t[~e])

    res = stats.logrank(censored(a), censored(b))  # statistic = Σ(O − E) / √ΣV for ``a``
    return float(res.statistic), float(res.pvalue)



HAZARD_COLUMNS = ("start_day", "end_day", "at_risk", "collapses", "exposure_days", "hazard_per_day",
                  "hazard_low", "hazard_high", "collapse_share", "collapse_share_low",
                  "collapse_share_high")
"""Columns of :func:`period_hazard` after the group columns."""


def period_hazard(df: pd.DataFrame, by: Sequence[str] | str = (), period_days: int = 90,
                  confidence: float = 0.95) -> pd.DataFrame:
    """The hazard of collapse per period of the ceasefire (a life table), with exact intervals.

    Parameters
    ----------
    df : DataFrame
        Replications (``duration_days``, ``collapsed``, the ``by`` columns).
    by : str or sequence of str, default ()
        Grouping columns (one table for all replications by default).
    period_days : int, default 90
        Length of each period. The last one ends at the horizon: a remainder shorter than half a
        period joins the period before it (730 days in 90-day periods end with days 631–730).
    confidence : float, default 0.95

    Returns
    -------
    DataFrame
        One row per group and period ``(start_day, end_day]``: the ``by`` columns and

        - ``at_risk``: replications still in ceasefire at the start of the period (followed into it);
        - ``collapses`` in the period; ``exposure_days``: days in ceasefire spent in it;
        - ``hazard_per_day`` = collapses / exposure, with the exact Poisson (Garwood) interval
          ``hazard_low``/``hazard_high``;
        - ``collapse_share``: collapses / at risk, the chance that a ceasefire holding at the start
          collapses within the period, with its Wilson interval (exact here: censoring happens only
          at the horizon, where the last period ends).

    Raises
    ------
    AnalysisError
        For a table without ``duration_days`` and ``collapsed``, an unknown ``by`` column, a
        ``period_days`` that is not a whole number > 0, or a confidence outside (0, 1).

    Notes
    -----
    A replication that collapses on day :math:`T` (1-based) was in ceasefire on days
    :math:`1..T`; one censored at the horizon :math:`H` on days :math:`1..H`. In period
    :math:`(a, b]` its exposure is :math:`\\min(T, b) - a` if :math:`T > a`. With :math:`d`
    collapses over exposure :math:`E`, the hazard is :math:`\\hat h = d / E` and its interval
    :math:`[\\chi^2_{α/2}(2d) / 2E,\\ \\chi^2_{1-α/2}(2d + 2) / 2E]` (Garwood 1936). A hazard
    that falls from period to period means that ceasefires fail early if they fail at all.

    Examples
    --------
    >>> runs = pd.DataFrame({"duration_days": [10, 100, 200, 200], "collapsed": [True, True, False, False]})
    >>> h = period_hazard(runs, period_days=100)
    >>> h[["start_day", "end_day", "at_risk", "collapses", "exposure_days"]].values.tolist()
    [[0, 100, 4, 2, 310], [100, 200, 2, 0, 200]]
    >>> period_hazard(runs, period_days=90)[["start_day", "end_day"]].values.tolist()  # 20 days left
    [[0, 90], [90, 200]]
    >>> round(float(h.loc[0, "hazard_per_day"]), 5), float(h.loc[0, "collapse_share"])
    (0.00645, 0.5)
    """
    check_table(df, RISK_COLUMNS)
    by = check_columns(df, "by", by)
    check_positive("period_days", period_days, whole=True)
    check_fraction("confidence", confidence)
    alpha = 1.0 - confidence
    rows = []
    for key, g in groups(df.assign(_horizon=horizon_of(df)), by):
        t = g["duration_days"].to_numpy(float)
        event = g["collapsed"].to_numpy(bool)
        horizon = int(g["_horizon"].max())
        starts = list(range(0, horizon, period_days))
        if len(starts) > 1 and horizon - starts[-1] < period_days / 2:
            starts.pop()
        for a, b in zip(starts, [*starts[1:], horizon], strict=True):
            risk = t > a
            d = int(np.sum(event & risk & (t <= b)))
            exposure = float(np.sum(np.minimum(t[risk], b) - a))
            low = stats.chi2.ppf(alpha / 2, 2 * d) / 2 / exposure if d and exposure else 0.0
            high = stats.chi2.ppf(1 - alpha / 2, 2 * d + 2) / 2 / exposure if exposure else np.nan
            share = (proportion(d, int(risk.sum()), confidence) if risk.any()
                     else Estimate(np.nan, np.nan, np.nan))
            rows.append({**dict(zip(by, key, strict=True)), "start_day": a, "end_day": b,
                         "at_risk": int(risk.sum()), "collapses": d, "exposure_days": int(exposure),
                         "hazard_per_day": d / exposure if exposure else np.nan, "hazard_low": float(low),
                         "hazard_high": float(high), "collapse_share": share.estimate,
                         "collapse_share_low": share.low, "collapse_share_high": share.high})
    return pd.DataFrame(rows, columns=[*by, *HAZARD_COLUMNS])
