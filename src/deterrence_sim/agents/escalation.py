"""The escalation ladder that a direct clash starts: incident, limited exchange, wider war."""

from __future__ import annotations

from typing import Any

import numpy as np

from deterrence_sim.agents.aggressor import Aggressor
from deterrence_sim.agents.commitments import GuaranteeCommitment
from deterrence_sim.core.escalation import WIDER_WAR
from deterrence_sim.core.guarantees import coalition_decision
from deterrence_sim.core.rng import Dice
from deterrence_sim.events import DayEvents


class EscalationLadder:
    """Where each replication stands after a direct clash, and the two sides' moves on the ladder.

    A clash puts the replication on rung 1 (an incident), with the commitment whose forces clashed
    as the guarantors' side. On each later day the aggressor goes up or backs down
    (:meth:`Aggressor.escalation_probability`); if it goes up, each member of that commitment
    matches or not (:meth:`Guarantor.escalation_probability`) and the commitment's decision rule
    combines them. Matched at rung 2, it is a wider war (rung 3), which ends the ceasefire; a side
    that backs down ends the episode. Not an agent: its moves are the agents' choices; every
    draw is a counter uniform. Each day's clashes also move the guarantors' will
    (:meth:`Guarantor.on_clash`).
    """

    def __init__(self, n: int, aggressor: Aggressor, commitments: list[GuaranteeCommitment],
                 guarantors: list[Any], dice: Dice) -> None:
        self.aggressor, self.commitments, self.guarantors = aggressor, commitments, guarantors
        self.rung = np.zeros(n, dtype=np.int64)
        self.rung_max = np.zeros(n, dtype=np.int64)
        self.source = np.full(n, -1, dtype=np.int64)
        self.wider_war_day = np.zeros(n, dtype=np.int64)
        self._dice = dice

    def step(self, events: DayEvents, day: int, in_ceasefire: np.ndarray) -> None:
        """Phase 7: episodes under way move one rung (or end); today's clashes start new ones."""
        alive = in_ceasefire & ~events.offensive
        clashed = events.clash & alive
        if clashed.any():
            for g in self.guarantors:
                g.on_clash(clashed)
        active = alive & (self.rung > 0)
        if active.any():
            self._move(active, events, day)
        new = clashed & (self.rung == 0)
        self.rung = np.where(new, 1, self.rung)
        self.source = np.where(new, events.clash_source, self.source)
        np.maximum(self.rung_max, self.rung, out=self.rung_max)

    def _move(self, active: np.ndarray, events: DayEvents, day: int) -> None:
        """The aggressor's move, then the guarantors' answer, on every active rung."""
        rows = np.flatnonzero(active)
        rung, source = self.rung[rows], self.source[rows]
        up = self._dice.replications("escalate", day, rows) < self.aggressor.goes_up(rung, rows)
        matched = np.zeros(len(rows), dtype=bool)
        for k, c in enumerate(self.commitments):
            mine = up & (source == k)
            if not mine.any():
                continue
            at = rows[mine]
            u = np.stack([self._dice.replications(f"escalate:{c.name}:{g.name}", day, at) for g in c.members])
            p = np.stack([g.escalation_probability(rung[mine], self._temperature(), at) for g in c.members])
            matched[mine] = coalition_decision(u < p, c.cfg.rule)
        if up.any():
            self.aggressor.observe_resolve(source[up], rows[up], matched[up])
        self.rung[rows] = np.where(matched, rung + 1, 0)
        wider = rows[self.rung[rows] >= WIDER_WAR]
        events.wider_war[wider] = True
        self.wider_war_day[wider] = day
        self.source[rows] = np.where(self.rung[rows] == 0, -1, source)

    def _temperature(self) -> Any:
        """The logit noise of both sides' escalation choices (``attack.escalation_temperature``)."""
        return self.aggressor.attack.escalation_temperature
