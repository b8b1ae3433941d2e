"""Recording: per-replication totals and per-day aggregates across replications, streamed.

Memory grows with the number of replications, not with the horizon: each day adds one row of
sums over the replications still in ceasefire, which add up exactly across replication blocks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np


class Recorder:
    """Accumulates totals of ``summed`` outputs for ``n`` replications and one row of daily sums.

    Parameters
    ----------
    n : int
        Replications.
    horizon_days : int
        Days of the run (rows of the daily sums).
    summed : sequence of str
        Outputs summed per replication over the days.
    daily : sequence of str
        Outputs summed each day over the replications in ceasefire (their means follow by
        dividing by ``in_ceasefire``).

    Examples
    --------
    >>> import numpy as np
    >>> rec = Recorder(2, 3, summed=["shots"], daily=["shots"])
    >>> rec.record(1, np.array([True, False]), np.array([False, False]), {"shots": np.array([2, 5])})
    >>> rec.totals["shots"].tolist(), rec.daily_sums[0].tolist(), rec.in_ceasefire.tolist()
    ([2.0, 5.0], [2.0], [1, 0, 0])
    """

    def __init__(self, n: int, horizon_days: int, summed: Sequence[str], daily: Sequence[str]) -> None:
        self.totals = {name: np.zeros(n) for name in summed}
        self.daily_names = tuple(daily)
        self.daily_sums = np.zeros((horizon_days, len(self.daily_names)))
        self.in_ceasefire = np.zeros(horizon_days, dtype=np.int64)   # at the start of the day
        self.collapses = np.zeros(horizon_days, dtype=np.int64)

    def record(self, day: int, in_ceasefire: np.ndarray, collapsed: np.ndarray,
               values: Mapping[str, np.ndarray]) -> None:
        """Add day ``day``'s ``values`` to the totals and store their sums over ``in_ceasefire``."""
        for name, total in self.totals.items():
            total += values[name]
        row = self.daily_sums[day - 1]
        for i, name in enumerate(self.daily_names):
            row[i] = float(np.add.reduce(values[name], where=in_ceasefire))   # = np.sum, less overhead
        self.in_ceasefire[day - 1] = np.count_nonzero(in_ceasefire)
        self.collapses[day - 1] = np.count_nonzero(collapsed)

    def day_means(self, day: int) -> dict[str, float]:
        """Day ``day``'s means of the daily outputs over the replications in ceasefire (NaN if none)."""
        live = self.in_ceasefire[day - 1]
        row = self.daily_sums[day - 1] / live if live else np.full(len(self.daily_names), np.nan)
        return dict(zip(self.daily_names, row.tolist(), strict=True))
