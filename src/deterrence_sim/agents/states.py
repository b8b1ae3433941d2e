"""State actors: the defender and the guarantors (the aggressor has a module of its own).

Every parameter an agent reads is a number or one value per replication (``(R,)``); the agents use
either through :func:`~deterrence_sim.core.arrays.take` (at events) or by broadcasting.
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np

from deterrence_sim.config import DefenderForces, GuarantorConfig
from deterrence_sim.core.arrays import largest, take
from deterrence_sim.core.decision import logit_probability
from deterrence_sim.core.dynamics import capability_step, political_will_step, project
from deterrence_sim.core.escalation import escalation_utility
from deterrence_sim.core.rng import Dice
from deterrence_sim.events import DayEvents
from deterrence_sim.units import DAYS_PER_YEAR


class StateActor(mesa.Agent):
    """A state in one of three roles; its arrays have a leading replication axis of length ``n``."""

    role: str = ""

    def __init__(self, model: mesa.Model, name: str, n: int) -> None:
        super().__init__(model)
        self.name = name
        self.n = n


class Guarantor(StateActor):
    """A guarantor: political will that rallies after flagrant violations and erodes with cost."""

    role = "guarantor"

    def __init__(self, model: mesa.Model, cfg: GuarantorConfig, n: int, aid_bn_per_year: Any) -> None:
        super().__init__(model, cfg.name, n)
        self.will0 = np.broadcast_to(np.asarray(cfg.political_will, dtype=float), (n,)).copy()
        self.will = self.will0.copy()
        self.min_will = self.will0.copy()
        self.aid_bn_per_day = np.divide(aid_bn_per_year, DAYS_PER_YEAR)
        self.standing_cost_bn_per_day: Any = 0.0
        self.cost_today = np.zeros(n)
        self._cfg = cfg
        self._tolerance_per_day = np.divide(cfg.cost_tolerance_bn_per_year, DAYS_PER_YEAR)

    def aid_today(self) -> np.ndarray:
        """Aid delivered today (bn USD): the pledged amount, scaled by today's political will."""
        return self.aid_bn_per_day * self.will

    def pay(self, amount: np.ndarray) -> None:
        """Book a cost (bn USD) against today's account."""
        self.cost_today += amount

    def evolve(self, flagrant: np.ndarray, in_ceasefire: np.ndarray) -> None:
        """Phase 8: pay aid and standing costs, then update political will."""
        c = self._cfg
        self.cost_today += (self.standing_cost_bn_per_day + self.aid_today()) * in_ceasefire
        will = political_will_step(self.will, self.will0, c.rally_per_flagrant, flagrant, c.fatigue,
                                   self.cost_today, self._tolerance_per_day, c.drift_per_day)
        self.will = np.where(in_ceasefire, will, self.will)
        np.minimum(self.min_will, self.will, out=self.min_will)

    def on_clash(self, clash: np.ndarray) -> None:
        """A direct clash with the aggressor moves will by ``will_per_clash`` (rally or fear)."""
        self.will = np.clip(self.will + self._cfg.will_per_clash * clash, 0.0, 1.0)
        np.minimum(self.min_will, self.will, out=self.min_will)

    def escalation_probability(self, rung: np.ndarray, temperature: Any, rows: np.ndarray) -> np.ndarray:
        """Chance it matches the aggressor's escalation, in replications ``rows`` standing on
        ``rung``: logit of ``will * escalation_resolve - (rung / 2) * wider_war_loss``."""
        c = self._cfg
        resolve = self.will[rows] * take(c.escalation_resolve, rows)
        utility = escalation_utility(resolve, take(c.wider_war_loss, rows), rung)
        return logit_probability(utility, take(temperature, rows))

    def close_day(self) -> np.ndarray:
        """Return today's cost and open a fresh account for tomorrow."""
        cost, self.cost_today = self.cost_today, np.zeros(self.n)
        return cost


class Defender(StateActor):
    """The defender: capability financed by its own budget and guarantor aid; retaliates in kind.

    Warned of a build-up, it goes on alert (its capability against the offensive rises by
    ``warned_capability_gain``), and guarantors' forces moved forward add their defence.
    """

    role = "defender"

    def __init__(self, model: mesa.Model, cfg: DefenderForces, n: int, guarantors: list[Guarantor],
                 rng: np.random.Generator, dice: Dice) -> None:
        super().__init__(model, "defender", n)
        self.capability = np.broadcast_to(np.asarray(cfg.capability, dtype=float), (n,)).copy()
        self.guarantors = guarantors
        self._cfg = cfg
        self._own_bn_per_day = np.divide(cfg.own_budget_bn_per_year, DAYS_PER_YEAR)
        self._rng, self._dice = rng, dice
        self.alert = np.zeros(n, dtype=bool)
        self.forward_denial = np.zeros(n)
        self.warned_gain = cfg.warned_capability_gain

    def against_offensive(self) -> np.ndarray:
        """Capability facing a major offensive: ``D (1 + gain * alert) + forward denial``."""
        return self.capability * (1.0 + self.warned_gain * self.alert) + self.forward_denial

    def warned(self, events: DayEvents) -> None:
        """Phase 6: a verified warning puts it on alert; forces moved forward today stand with it
        (on a false warning they move and go back: nothing stays)."""
        self.alert |= events.warning
        self.forward_denial += events.forward_denial * self.alert

    def stand_down(self, ended: np.ndarray) -> None:
        """The build-up it was warned of is over: alert and forward forces end."""
        self.alert &= ~ended
        self.forward_denial = np.where(ended, 0.0, self.forward_denial)

    def react(self, events: DayEvents, in_ceasefire: np.ndarray, day: int) -> None:
        """Phase 3: retaliate in kind where attacked; rare unprovoked minor violations elsewhere.

        One dense uniform per sector-day decides both: below ``p_retaliate`` where the aggressor
        acted, below ``p_spontaneous_per_sector_day`` elsewhere (only the few cells below either
        matter).
        """
        c, s = self._cfg, events.n_sectors
        u = self._dice.sector_field(self._rng, "defender", day)
        attacked = events.aggressor_event_cells
        back = u.at(attacked) < take(c.p_retaliate, attacked // s)
        spontaneous = u.below(largest(c.p_spontaneous_per_sector_day))
        if isinstance(c.p_spontaneous_per_sector_day, np.ndarray):
            rows = spontaneous // s
            spontaneous = spontaneous[u.at(spontaneous) < c.p_spontaneous_per_sector_day[rows]]
        if not back.any() and not len(spontaneous):
            return                                         # a quiet day on the defender's side
        live = in_ceasefire & ~events.offensive
        spontaneous = spontaneous[(events.aggressor_rung.reshape(-1)[spontaneous] == 0)
                                  & live[spontaneous // s]]
        events.set_defender_events(
            np.concatenate([attacked[back], spontaneous]),
            np.concatenate([events.aggressor_event_rung[back], np.ones(len(spontaneous), np.int8)]))

    def inflow_per_day(self) -> np.ndarray:
        """Capability bought today: efficiency x (own budget + aid actually delivered)."""
        c = self._cfg
        money = self._own_bn_per_day + sum((g.aid_today() for g in self.guarantors), 0.0)
        return np.multiply(c.efficiency_per_bn, DAYS_PER_YEAR) * money * c.depreciation_per_day

    def projected_capability(self, days: Any, rows: np.ndarray) -> np.ndarray:
        """Capability ``days`` ahead (in ``rows``) if today's financing and wear continued (no
        attrition)."""
        return project(self.capability[rows], take(self.inflow_per_day(), rows),
                       take(self._cfg.depreciation_per_day, rows), days)

    def evolve(self, events: DayEvents, in_ceasefire: np.ndarray) -> None:
        """Phase 8: financing, wear, attrition from today's violations, and any arms surge."""
        c = self._cfg
        losses = c.attrition_minor * events.violations[:, 0] + c.attrition_serious * events.violations[:, 1]
        nxt = capability_step(self.capability, self.inflow_per_day(), c.depreciation_per_day,
                              losses) + events.defender_boost
        self.capability = np.where(in_ceasefire, nxt, self.capability)
