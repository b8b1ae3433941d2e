"""Recording: per-replication totals and per-day aggregates across replications, streamed.

Memory grows with the number of replications, not with the horizon: each day adds one row of
sums over the replications still in ceasefire, which add up exactly across replication blocks.
"""

from __future__ import annotations

import numpy as np

#: Per-replication counters, summed over the days in ceasefire.
TOTALS: tuple[str, ...] = (
    "violations_minor", "violations_serious", "defender_violations_minor",
    "defender_violations_serious", "detected", "verified",
    "verified_spurious", "false_alarms", "misattributed", "verification_delay_days_sum",
    "responses_triggered", "responses_honoured", "guarantor_cost", "aggressor_cost",
    "ground_lost_km",
)

#: Per-day quantities averaged over the replications in ceasefire that day.
DAILY_MEANS: tuple[str, ...] = (
    "violations_minor", "violations_serious", "defender_violations_minor",
    "defender_violations_serious", "detected", "verified",
    "false_alarms", "responses_triggered", "responses_honoured", "guarantor_cost",
    "political_will", "credibility_belief", "detection_belief", "force_ratio", "cloud",
    "jamming", "assets_active",
)


class Recorder:
    """Accumulates totals for ``n`` replications and one row of sums per day."""

    def __init__(self, n: int, horizon_days: int) -> None:
        self.totals = {name: np.zeros(n) for name in TOTALS}
        self.daily_sums = np.zeros((horizon_days, len(DAILY_MEANS)))
        self.in_ceasefire = np.zeros(horizon_days, dtype=np.int64)   # at the start of the day
        self.collapses = np.zeros(horizon_days, dtype=np.int64)

    def add(self, **per_replication: np.ndarray) -> None:
        """Add today's per-replication values to the totals."""
        for name, value in per_replication.items():
            self.totals[name] += value

    def record_day(self, day: int, in_ceasefire: np.ndarray, collapsed: np.ndarray,
                   **values: np.ndarray) -> None:
        """Store day ``day``'s sums of ``values`` over the replications in ceasefire that day."""
        row = self.daily_sums[day - 1]
        for i, name in enumerate(DAILY_MEANS):
            row[i] = float(np.add.reduce(values[name], where=in_ceasefire))   # = np.sum, less overhead
        self.in_ceasefire[day - 1] = np.count_nonzero(in_ceasefire)
        self.collapses[day - 1] = np.count_nonzero(collapsed)
