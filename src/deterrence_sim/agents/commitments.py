"""Guarantee commitments: triggers, coalition decisions, delayed responses and their typed effects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import mesa
import numpy as np

from deterrence_sim.config import CommitmentConfig
from deterrence_sim.core.arrays import largest
from deterrence_sim.core.guarantees import coalition_decision, honour_probability
from deterrence_sim.core.rng import Dice
from deterrence_sim.effects import EFFECTS, Effect
from deterrence_sim.events import DayEvents


class Member(Protocol):
    """What a commitment needs of a guarantor: its will today and an account to pay into."""

    name: str
    will: np.ndarray
    standing_cost_bn_per_day: Any

    def pay(self, amount: np.ndarray) -> None: ...


@dataclass(frozen=True)
class CommitmentTerms:
    """A commitment's public terms: what the aggressor knows of it (numbers or per replication).

    Attributes
    ----------
    min_rung : int
        Lowest violation rung it answers (1 minor, 2 serious).
    trigger_count : int or ndarray
        Qualifying violations that trigger one response.
    punishment, punishment_offensive : float or ndarray
        What one response costs the aggressor; what answering a major offensive costs it.
    tripwire_sectors : int or ndarray
        Sectors (most valuable first) where a force stands and answers attacks on itself; 0 if none.
    presence : list of (sectors, local_denial)
        Each present force's sectors and the defence it adds there.
    clash_risk : float or ndarray
        Chance that one response brings a direct clash (any of its effects).
    forward_denial : float or ndarray
        Defence its forces move forward when it acts on a warning of a build-up.
    varies : bool
        True if any term differs between replications.
    """

    min_rung: int
    trigger_count: Any
    punishment: Any
    punishment_offensive: Any
    tripwire_sectors: Any
    presence: list[tuple[Any, Any]] = field(default_factory=list)
    clash_risk: Any = 0.0
    forward_denial: Any = 0.0
    varies: bool = False

    def per_violation(self, per_response: Any, rung: int) -> Any:
        """A single violation's share of what one response brings: ``x / trigger_count`` at or
        above the trigger's rung, nothing below it."""
        return np.divide(per_response, self.trigger_count) if rung >= self.min_rung else 0.0

    def punishment_per_violation(self, rung: int) -> Any:
        """Punishment a single violation of ``rung`` adds: its share of a trigger's response."""
        return self.per_violation(self.punishment, rung)


class GuaranteeCommitment(mesa.Agent):
    """A promise by some guarantors to respond when verified violations reach a trigger.

    It counts qualifying verified violations (severity at least ``trigger_severity``) in a rolling
    window. A commitment with a force present in some sectors (a tripwire) counts instead the
    serious violations in those sectors, at once and unverified: the force answers attacks on
    itself. On a trigger, or on a major offensive, each member decides to honour with
    probability ``w + b (1 - w)``; the decision rule combines them. An honoured response lands
    ``response_delay_days`` later, and each of its effects (:mod:`deterrence_sim.effects`) acts.
    A verified warning of a build-up (true or false) is decided on the same way, if
    ``pre_empts``; the effects then act at once, before the attack (sanctions, arms, a force
    moved forward).
    """

    def __init__(self, model: mesa.Model, cfg: CommitmentConfig, members: list[Member],
                 n_sectors: int, n: int, dice: Dice, index: int = 0) -> None:
        super().__init__(model)
        self.cfg = cfg
        self.name = cfg.name
        self.index = index
        self.members = members
        self.n = n
        self.effects: list[Effect] = [EFFECTS[e.type](e, cfg.name, dice) for e in cfg.effects.values()]
        self.terms = self._terms()
        self._min_rung = cfg.trigger_severity.value
        self._rows = np.arange(n)
        self._window = np.zeros((int(largest(cfg.trigger_window_days)), n), dtype=np.int32)
        self.window_count = np.zeros(n, dtype=np.int32)
        self._landing = np.zeros((int(largest(cfg.response_delay_days)) + 1, n), dtype=bool)
        self.decided = np.zeros(n, dtype=bool)
        self.honoured = np.zeros(n, dtype=bool)
        self._dice = dice
        standing = sum((e.standing_cost_bn_per_day() for e in self.effects), 0.0)
        for g in members:
            g.standing_cost_bn_per_day = g.standing_cost_bn_per_day + standing / len(members)

    def _terms(self) -> CommitmentTerms:
        c = self.cfg
        presence = [(e.presence_sectors(), e.local_denial()) for e in self.effects
                    if np.any(e.presence_sectors())]
        tripwire = np.maximum.reduce([np.asarray(s) for s, _ in presence]) if presence else 0
        punishment = sum((e.cfg.punishment for e in self.effects), 0.0)
        offensive = sum((e.cfg.punishment_offensive for e in self.effects), 0.0)
        calm = np.prod([np.subtract(1.0, e.cfg.clash_risk) for e in self.effects], axis=0)
        forward = sum((e.forward_denial() for e in self.effects), 0.0) if c.pre_empts else 0.0
        values = [c.trigger_count, punishment, offensive, tripwire, calm, forward,
                  *(x for p in presence for x in p)]
        return CommitmentTerms(min_rung=c.trigger_severity.value, trigger_count=c.trigger_count,
                               punishment=punishment, punishment_offensive=offensive,
                               tripwire_sectors=tripwire, presence=presence, clash_risk=1.0 - calm,
                               forward_denial=forward, varies=any(np.ndim(v) > 0 for v in values))

    def respond(self, events: DayEvents, day: int, in_ceasefire: np.ndarray) -> None:
        """Phase 6: count, trigger, decide; land the responses due today; act on warnings of a
        build-up before the attack; keep effects in force."""
        alive = in_ceasefire & ~events.offensive
        triggered = alive & self._count(events, day)
        offensive = events.offensive & (np.asarray(self.terms.punishment_offensive) > 0)
        warned = alive & (events.warning | events.false_warning) & self.cfg.pre_empts
        self.decided = triggered | offensive | warned
        self.honoured = self._coalition_honours(self.decided, day)
        slot = (day + self.cfg.response_delay_days) % len(self._landing)
        self._landing[slot, self._rows] |= self.honoured & triggered
        today = day % len(self._landing)
        landed, self._landing[today] = self._landing[today] & alive, False
        answered, pre_empted = self.honoured & offensive, self.honoured & warned
        acted = landed | answered | pre_empted
        if acted.any():
            cost = sum((e.cfg.cost_bn_per_response for e in self.effects), 0.0)
            for g in self.members:
                g.pay(cost / len(self.members) * acted)
            clashed = events.clash.copy()
            for e in self.effects:
                e.land(landed, day, events)
                e.answer_offensive(answered, day, events)
                e.pre_empt(pre_empted, day, events)
            events.clash_source[events.clash & ~clashed] = self.index
        for e in self.effects:
            e.in_force(day, events)
        events.triggered += self.decided
        events.honoured += self.honoured

    def _count(self, events: DayEvents, day: int) -> np.ndarray:
        """Add today's qualifying violations to the rolling window; True where it triggers."""
        lo, trip = self._min_rung - 1, self.terms.tripwire_sectors
        today = (events.verified_true[:, lo:].sum(axis=1)
                 + events.verified_spurious[:, lo:].sum(axis=1))
        if np.any(trip):   # where a force is present, it answers attacks on itself, at once
            cells = events.aggressor_event_cells
            rep, sector = np.divmod(cells, events.n_sectors)
            inside = sector < (trip[rep] if np.ndim(trip) else trip)
            attacked = np.bincount(rep[(events.aggressor_event_rung == 2) & inside], minlength=self.n)
            today = np.where(np.asarray(trip) > 0, attacked, today)
        width = len(self._window)
        gone = self._window[(day - self.cfg.trigger_window_days) % width, self._rows]
        self._window[day % width] = today
        self.window_count += today - gone
        fire = self.window_count >= self.cfg.trigger_count
        self._window[:, fire] = 0
        self.window_count[fire] = 0
        return fire

    def _coalition_honours(self, decided: np.ndarray, day: int) -> np.ndarray:
        """Where a decision is due, each member's draw against ``w + b (1 - w)``, combined by the rule."""
        if not decided.any():
            return decided.copy()
        u = np.stack([self._dice.replications(f"honour:{self.name}:{g.name}", day)
                      for g in self.members])
        will = np.stack([g.will for g in self.members])
        return decided & coalition_decision(u < honour_probability(will, self.cfg.bindingness),
                                            self.cfg.rule)

