"""Shares with intervals and the short headline table printed after a run."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats


@dataclass(frozen=True)
class Estimate:
    """A point estimate with the bounds of its confidence interval."""

    estimate: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.estimate:.3f} [{self.low:.3f}, {self.high:.3f}]"


@dataclass(frozen=True)
class Proportion(Estimate):
    """A share with its (by default 95%) Wilson score interval."""


def proportion(successes: int, trials: int, confidence: float = 0.95) -> Proportion:
    """Share ``successes / trials`` with a Wilson score interval (``scipy.stats.binomtest``).

    Examples
    --------
    >>> str(proportion(30, 100))
    '0.300 [0.219, 0.396]'
    """
    ci = stats.binomtest(int(successes), int(trials)).proportion_ci(confidence, method="wilson")
    return Proportion(successes / trials, float(ci.low), float(ci.high))


def collapse_by(runs: pd.DataFrame, day: int) -> Proportion:
    """Probability that the ceasefire collapsed by ``day``, with its 95% interval.

    Every replication is followed to the same horizon, so when ``day`` is within it the share
    collapsed by ``day`` is the Kaplan-Meier estimate (no one is censored earlier).
    """
    collapsed = runs["collapse_day"].le(day).fillna(False).to_numpy(dtype=bool)
    return proportion(int(collapsed.sum()), len(runs))


def headline(runs: pd.DataFrame, horizon_days: int) -> pd.DataFrame:
    """The short table printed after a run: one row per measure, with 95% intervals for shares."""
    n = len(runs)
    months = runs["duration_days"].sum() / 30.4375
    violations = runs["violations_minor"] + runs["violations_serious"]
    rows: list[tuple[str, str]] = [("replications", f"{n}")]
    for label, day in (("collapse within 1 year", 365), ("collapse within 2 years", 730)):
        rows.append((label, str(collapse_by(runs, day)) if day <= horizon_days else "beyond horizon"))
    held = runs["duration_days"].to_numpy()
    median = np.median(held) if runs["collapsed"].mean() >= 0.5 else np.nan
    rows += [
        ("median days to collapse", f"{median:.0f}" if np.isfinite(median) else f"> {horizon_days}"),
        ("aggressor violations per month", f"{violations.sum() / months:.2f}"),
        ("share of violations detected", _ratio(runs["detected"].sum(), violations.sum())),
        ("share of violations verified", _ratio(runs["verified"].sum(), violations.sum())),
        ("share of responses honoured",
         _ratio(runs["responses_honoured"].sum(), runs["responses_triggered"].sum())),
        ("guarantor cost, bn USD (mean)", f"{runs['guarantor_cost'].mean():.1f}"),
        ("direct clash", str(proportion(int(runs["direct_clash"].sum()), n))),
    ]
    return pd.DataFrame(rows, columns=["measure", "value [95% CI]"])


def _ratio(num: float, den: float) -> str:
    return f"{num / den:.3f}" if den else "n/a"
