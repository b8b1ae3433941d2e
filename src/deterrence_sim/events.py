"""What happened today, shared by the phases of one day (the model's blackboard)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class DayEvents:
    """The day's events for ``n`` replications and ``n_sectors`` sectors; reset every morning.

    Rung codes: 0 comply, 1 minor, 2 serious. Counts are per replication, shape ``(n,)``.
    """

    n: int
    n_sectors: int
    aggressor_rung: np.ndarray = field(init=False)      # (n, sectors) int8
    defender_rung: np.ndarray = field(init=False)       # (n, sectors) int8
    offensive: np.ndarray = field(init=False)           # (n,) bool: major offensive launched today
    buildup_started: np.ndarray = field(init=False)     # (n,) bool: a build-up began today
    buildup_aborted: np.ndarray = field(init=False)     # (n,) bool: a build-up was stood down
    surprise: np.ndarray = field(init=False)            # (n,) bool: today's offensive was not warned of
    launch_warned_day: np.ndarray = field(init=False)   # (n,) int: warning day of today's offensive, -1
    violations: np.ndarray = field(init=False)          # (n, 2) aggressor's minor, serious
    defender_violations: np.ndarray = field(init=False)  # (n, 2) defender's minor, serious
    # The same events as sorted lists (events are sparse: a few per cent of the sector-days)
    aggressor_event_cells: np.ndarray = field(init=False)  # flat (n * sectors) indices, ascending
    aggressor_event_rung: np.ndarray = field(init=False)   # rung of each, 1 or 2
    defender_event_cells: np.ndarray = field(init=False)
    defender_event_rung: np.ndarray = field(init=False)
    # monitoring (phase 4)
    aggressor_event_seen: np.ndarray = field(init=False)   # detected and attributed to aggressor
    detected: np.ndarray = field(init=False)
    misattributed: np.ndarray = field(init=False)
    false_alarms: np.ndarray = field(init=False)
    buildup_seen: np.ndarray = field(init=False)        # (n,) bool: a build-up first seen today
    warning: np.ndarray = field(init=False)             # (n,) bool: a build-up's warning verified today
    false_warning: np.ndarray = field(init=False)       # (n,) bool: a false warning verified today
    # verification (phase 5): verified reports against the aggressor, by rung
    verified_true: np.ndarray = field(init=False)       # (n, 2) real aggressor violations
    verified_spurious: np.ndarray = field(init=False)   # (n, 2) misattributed or false alarms
    verification_delay_sum: np.ndarray = field(init=False)
    # commitments (phase 6)
    triggered: np.ndarray = field(init=False)
    honoured: np.ndarray = field(init=False)
    clash: np.ndarray = field(init=False)
    aggressor_cost: np.ndarray = field(init=False)      # punishment landed today (utility)
    regen_drag: np.ndarray = field(init=False)          # cut in the aggressor's regeneration today
    defender_boost: np.ndarray = field(init=False)      # capability handed to the defender today
    forward_denial: np.ndarray = field(init=False)      # defence moved forward against an offensive
    clash_source: np.ndarray = field(init=False)        # (n,) int: commitment of today's clash, -1
    # escalation (phase 7)
    wider_war: np.ndarray = field(init=False)           # (n,) bool: a wider war broke out today

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        n, s = self.n, self.n_sectors
        for name in ("offensive", "buildup_started", "buildup_aborted", "surprise", "buildup_seen",
                     "warning", "false_warning", "clash", "wider_war"):
            setattr(self, name, np.zeros(n, dtype=bool))
        self.aggressor_rung = np.zeros((n, s), dtype=np.int8)
        self.defender_rung = np.zeros((n, s), dtype=np.int8)
        self.violations = np.zeros((n, 2), dtype=np.int64)
        self.defender_violations = np.zeros((n, 2), dtype=np.int64)
        self.aggressor_event_cells = self.defender_event_cells = np.zeros(0, dtype=np.intp)
        self.aggressor_event_rung = self.defender_event_rung = np.zeros(0, dtype=np.int8)
        self.aggressor_event_seen = np.zeros(0, dtype=bool)
        for name in ("detected", "misattributed", "false_alarms", "triggered", "honoured"):
            setattr(self, name, np.zeros(n, dtype=np.int32))
        self.verified_true = np.zeros((n, 2), dtype=np.int32)
        self.verified_spurious = np.zeros((n, 2), dtype=np.int32)
        self.verification_delay_sum = np.zeros(n)
        self.aggressor_cost = np.zeros(n)
        self.regen_drag = np.zeros(n)
        self.defender_boost = np.zeros(n)
        self.forward_denial = np.zeros(n)
        self.clash_source = np.full(n, -1, dtype=np.int64)
        self.launch_warned_day = np.full(n, -1, dtype=np.int64)

    def set_aggressor_events(self, cells: np.ndarray, rung: np.ndarray) -> None:
        """Today's aggressor violations: flat (replication, sector) ``cells`` in ascending order."""
        self.aggressor_event_cells, self.aggressor_event_rung = cells, rung
        self.aggressor_rung.reshape(-1)[cells] = rung
        rep = cells // self.n_sectors
        self.violations = np.stack([np.bincount(rep[rung == 1], minlength=self.n),
                                    np.bincount(rep[rung == 2], minlength=self.n)], axis=1)

    def set_defender_events(self, cells: np.ndarray, rung: np.ndarray) -> None:
        """Today's defender violations at flat ``cells`` (in any order)."""
        order = np.argsort(cells)
        self.defender_event_cells, self.defender_event_rung = cells[order], rung[order]
        self.defender_rung.reshape(-1)[cells] = rung
        rep = cells // self.n_sectors
        self.defender_violations = np.stack([np.bincount(rep[rung == 1], minlength=self.n),
                                             np.bincount(rep[rung == 2], minlength=self.n)], axis=1)
