"""Per-replication traces: every state and every event of chosen replications, day by day.

A doubted number can be followed through one replication: with ``sim.trace=[0,5,17]`` a run
records, for those replications, one row per day with every recorded output, the state of every
agent (capabilities, each guarantor's will, the believed credibility of each commitment, each
asset up or down) and the day's events (the sectors where each side violated, what was seen,
each commitment's decision). Tracing costs nothing for the replications not traced.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd


class Tracer:
    """Collects the trace rows of replications ``rows`` (positions in their model) day by day."""

    def __init__(self, rows: Sequence[int]) -> None:
        self.rows = np.asarray(sorted(set(rows)), dtype=np.int64)
        self._days: list[dict[str, Any]] = []

    def __bool__(self) -> bool:
        return bool(len(self.rows))

    def record(self, model: Any, day: int, in_ceasefire: np.ndarray,
               values: Mapping[str, np.ndarray]) -> None:
        """Store day ``day`` of the traced replications (``in_ceasefire`` at the start of the day)."""
        rows, ev = self.rows, model.events
        row: dict[str, Any] = {"row": rows, "day": np.full(len(rows), day),
                               "in_ceasefire": in_ceasefire[rows], "offensive": ev.offensive[rows]}
        row.update({name: np.asarray(v)[rows] for name, v in values.items()})
        row["aggressor_capability"] = model.aggressor.capability[rows]
        row["defender_capability"] = model.defender.capability[rows]
        row["direct_clash_today"] = ev.clash[rows]
        for g in model.guarantors:
            row[f"will.{g.name}"] = g.will[rows]
        credibility = model.aggressor.credibility()
        for k, c in enumerate(model.commitments):
            row[f"credibility.{c.name}"] = credibility[rows, k]
            row[f"decided.{c.name}"] = c.decided[rows]
            row[f"honoured.{c.name}"] = c.honoured[rows]
        for a in model.assets:
            row[f"active.{a.name}"] = a.active[rows]
        s = ev.n_sectors
        for side, cells, rung in (("aggressor", ev.aggressor_event_cells, ev.aggressor_event_rung),
                                  ("defender", ev.defender_event_cells, ev.defender_event_rung)):
            for level, name in ((1, "minor"), (2, "serious")):
                row[f"{side}_{name}_sectors"] = _sectors(cells[rung == level], rows, s)
        row["aggressor_seen_sectors"] = _sectors(ev.aggressor_event_cells[ev.aggressor_event_seen], rows, s)
        self._days.append(row)

    def table(self, replication: np.ndarray) -> pd.DataFrame:
        """The trace as one row per (traced replication, day); ``replication`` maps rows to indices."""
        if not self._days:
            return pd.DataFrame()
        columns = {key: [x for d in self._days for x in d[key]] if isinstance(self._days[0][key], list)
                   else np.concatenate([d[key] for d in self._days]) for key in self._days[0]}
        df = pd.DataFrame(columns)
        df.insert(0, "replication", replication[df.pop("row").to_numpy()])
        return df.sort_values(["replication", "day"], kind="stable").reset_index(drop=True)


def _sectors(cells: np.ndarray, rows: np.ndarray, n_sectors: int) -> list[list[int]]:
    """For each traced row, the sorted sectors among flat ``cells`` of that row."""
    rep, sector = np.divmod(cells, n_sectors)
    return [sorted(sector[rep == r].tolist()) for r in rows]
