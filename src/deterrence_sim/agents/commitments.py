"""Guarantee commitments: triggers, coalition decisions, delayed responses and their effects."""

from __future__ import annotations

import mesa
import numpy as np

from deterrence_sim.agents.states import DAYS_PER_YEAR, Guarantor
from deterrence_sim.config import CommitmentConfig
from deterrence_sim.core.guarantees import coalition_decision, honour_probability
from deterrence_sim.events import DayEvents


class GuaranteeCommitment(mesa.Agent):
    """A promise by some guarantors to respond when verified violations reach a trigger.

    It counts qualifying verified violations (severity at least ``trigger_severity``) in a rolling
    window. A commitment with a force present in some sectors (a tripwire) counts instead the
    serious violations in those sectors, at once and unverified: the force answers attacks on
    itself. On a trigger, or on a major offensive, each member decides to honour with
    probability ``w + b (1 - w)``; the decision rule combines them. An honoured response lands
    ``response_delay_days`` later: punishment, sanctions drag, arms for the defender, its cost, and
    for military responses a risk of a direct clash.
    """

    def __init__(self, model: mesa.Model, cfg: CommitmentConfig, members: list[Guarantor],
                 n_sectors: int, n: int) -> None:
        super().__init__(model)
        self.cfg = cfg
        self.members = members
        self.n = n
        self.presence = np.arange(n_sectors) < cfg.presence_sectors
        self._min_rung = cfg.trigger_severity.value
        self._window = np.zeros((cfg.trigger_window_days, n), dtype=np.int32)
        self.window_count = np.zeros(n, dtype=np.int32)
        self._landing = np.zeros((cfg.response_delay_days + 1, n), dtype=bool)
        self._drag_until = np.full(n, -1, dtype=np.int64)
        self.decided = np.zeros(n, dtype=bool)
        self.honoured = np.zeros(n, dtype=bool)
        for g in members:
            g.standing_cost_bn_per_day += cfg.standing_cost_bn_per_year / DAYS_PER_YEAR / len(members)

    def punishment_per_violation(self, rung: int) -> float:
        """Punishment a single violation of ``rung`` adds: its share of a trigger's response."""
        return self.cfg.punishment / self.cfg.trigger_count if rung >= self._min_rung else 0.0

    def drag_on(self, day: int) -> np.ndarray:
        """Cut in the aggressor's regeneration from this commitment's responses in force on ``day``."""
        return self.cfg.sanctions_drag_per_day * (self._drag_until >= day)

    def respond(self, events: DayEvents, day: int, in_ceasefire: np.ndarray,
                rng: np.random.Generator) -> None:
        """Phase 6: count, trigger, decide, and apply the responses that land today."""
        alive = in_ceasefire & ~events.offensive
        triggered = alive & self._count(events, day)
        offensive = events.offensive & (self.cfg.punishment_offensive > 0)
        self.decided = triggered | offensive
        self.honoured = self._coalition_honours(self.decided, rng)
        self._landing[(day + self.cfg.response_delay_days) % len(self._landing)] |= (
            self.honoured & triggered)
        slot = day % len(self._landing)
        landed, self._landing[slot] = self._landing[slot] & alive, False
        self._apply(events, landed, self.cfg.punishment, rng)
        self._apply(events, self.honoured & offensive, self.cfg.punishment_offensive, rng)
        if landed.any():
            self._drag_until[landed] = day + self.cfg.effect_days - 1
            events.denial_boost += self.cfg.denial_boost * landed
        events.triggered += self.decided
        events.honoured += self.honoured

    def _count(self, events: DayEvents, day: int) -> np.ndarray:
        """Add today's qualifying violations to the rolling window; True where it triggers."""
        if self.presence.any():  # a present force answers attacks on itself, seen at once
            rep, sector = np.divmod(events.aggressor_event_cells, len(self.presence))
            hit = (events.aggressor_event_rung == 2) & self.presence[sector]
            today = np.bincount(rep[hit], minlength=self.n)
        else:
            lo = self._min_rung - 1
            today = (events.verified_true[:, lo:].sum(axis=1)
                     + events.verified_spurious[:, lo:].sum(axis=1))
        slot = day % len(self._window)
        self.window_count += today - self._window[slot]
        self._window[slot] = today
        fire = self.window_count >= self.cfg.trigger_count
        self._window[:, fire] = 0
        self.window_count[fire] = 0
        return fire

    def _coalition_honours(self, decided: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Where a decision is due, each member's draw against ``w + b (1 - w)``, combined by the rule."""
        u = rng.random((len(self.members), self.n))   # drawn every day, so the stream stays in step
        if not decided.any():
            return decided.copy()
        will = np.stack([g.will for g in self.members])
        return decided & coalition_decision(u < honour_probability(will, self.cfg.bindingness),
                                            self.cfg.rule)

    def _apply(self, events: DayEvents, acted: np.ndarray, punishment: float,
               rng: np.random.Generator) -> None:
        """Book punishment, cost and clash risk for the responses carried out today."""
        clash_u = rng.random(self.n)   # drawn every day, so the stream stays in step
        if not acted.any():
            return
        events.aggressor_cost += punishment * acted
        share = self.cfg.cost_bn_per_response / len(self.members)
        for g in self.members:
            g.pay(share * acted)
        events.clash |= acted & (clash_u < self.cfg.clash_risk)
