"""State actors: the aggressor, the defender and the guarantors."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from deterrence_sim.config import AggressorForces, AttackConfig, DefenderForces, GuarantorConfig
from deterrence_sim.core.beliefs import beta_mean, beta_update
from deterrence_sim.core.decision import logit_probability, p_win, rung_probabilities
from deterrence_sim.core.dynamics import capability_step, political_will_step
from deterrence_sim.core.rng import Uniforms
from deterrence_sim.events import DayEvents

if TYPE_CHECKING:
    from deterrence_sim.agents.commitments import GuaranteeCommitment

DAYS_PER_YEAR = 365.0

#: Opportunity threshold margin: ``rate (P(1) + P(2))`` in float32 can exceed ``rate`` by rounding.
_ROUND_UP = np.float32(1.0 + 1e-5)


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

    def __init__(self, model: mesa.Model, cfg: GuarantorConfig, will0: np.ndarray,
                 aid_bn_per_year: float) -> None:
        super().__init__(model, cfg.name, len(will0))
        self.will0 = will0
        self.will = will0.copy()
        self.min_will = will0.copy()
        self.aid_bn_per_day = aid_bn_per_year / DAYS_PER_YEAR
        self.standing_cost_bn_per_day = 0.0
        self.cost_today = np.zeros(self.n)
        self._tolerance_per_day = cfg.cost_tolerance_bn_per_year / DAYS_PER_YEAR
        self._rally, self._fatigue, self._drift = cfg.rally_per_flagrant, cfg.fatigue, cfg.drift_per_day

    def aid_today(self) -> np.ndarray:
        """Aid delivered today (bn USD): the pledged amount, scaled by today's political will."""
        return self.aid_bn_per_day * self.will

    def pay(self, amount: np.ndarray) -> None:
        """Book a cost (bn USD) against today's account."""
        self.cost_today += amount

    def evolve(self, flagrant: np.ndarray, in_ceasefire: np.ndarray) -> None:
        """Phase 8: pay aid and standing costs, then update political will."""
        self.cost_today += (self.standing_cost_bn_per_day + self.aid_today()) * in_ceasefire
        will = political_will_step(self.will, self.will0, self._rally, flagrant, self._fatigue,
                                   self.cost_today, self._tolerance_per_day, self._drift)
        self.will = np.where(in_ceasefire, will, self.will)
        np.minimum(self.min_will, self.will, out=self.min_will)

    def close_day(self) -> np.ndarray:
        """Return today's cost and open a fresh account for tomorrow."""
        cost, self.cost_today = self.cost_today, np.zeros(self.n)
        return cost


class Defender(StateActor):
    """The defender: capability financed by its own budget and guarantor aid; retaliates in kind."""

    role = "defender"

    def __init__(self, model: mesa.Model, cfg: DefenderForces, n: int,
                 guarantors: list[Guarantor]) -> None:
        super().__init__(model, "defender", n)
        self.capability = np.full(n, cfg.capability)
        self.guarantors = guarantors
        self._cfg = cfg
        self._own_bn_per_day = cfg.own_budget_bn_per_year / DAYS_PER_YEAR

    def react(self, events: DayEvents, in_ceasefire: np.ndarray, rng: np.random.Generator) -> None:
        """Phase 3: retaliate in kind where attacked; rare unprovoked minor violations elsewhere.

        One uniform per sector-day decides both: below ``p_retaliate`` where the aggressor acted,
        below ``p_spontaneous_per_sector_day`` elsewhere (only the few cells below either matter).
        """
        u = Uniforms(rng, events.aggressor_rung.size)
        attacked = events.aggressor_event_cells
        back = u.at(attacked) < self._cfg.p_retaliate
        spontaneous = u.below(self._cfg.p_spontaneous_per_sector_day)
        if not back.any() and not len(spontaneous):
            return                                         # a quiet day on the defender's side
        live = in_ceasefire & ~events.offensive
        spontaneous = spontaneous[(events.aggressor_rung.reshape(-1)[spontaneous] == 0)
                                  & live[spontaneous // events.n_sectors]]
        events.set_defender_events(
            np.concatenate([attacked[back], spontaneous]),
            np.concatenate([events.aggressor_event_rung[back], np.ones(len(spontaneous), np.int8)]))

    def inflow_per_day(self) -> np.ndarray:
        """Capability bought today: efficiency x (own budget + aid actually delivered)."""
        money = self._own_bn_per_day + sum((g.aid_today() for g in self.guarantors), 0.0)
        return self._cfg.efficiency_per_bn * DAYS_PER_YEAR * money * self._cfg.depreciation_per_day

    def projected_capability(self, days: int) -> np.ndarray:
        """Capability ``days`` ahead if today's financing and wear continued (no attrition)."""
        return _project(self.capability, self.inflow_per_day(), self._cfg.depreciation_per_day, days)

    def evolve(self, events: DayEvents, in_ceasefire: np.ndarray) -> None:
        """Phase 8: financing, wear, attrition from today's violations, and any arms surge."""
        losses = self._cfg.attrition_minor * events.violations[:, 0]
        losses = losses + self._cfg.attrition_serious * events.violations[:, 1]
        nxt = capability_step(self.capability, self.inflow_per_day(),
                              self._cfg.depreciation_per_day, losses) + events.denial_boost
        self.capability = np.where(in_ceasefire, nxt, self.capability)


class Aggressor(StateActor):
    """The aggressor: weighs gains against believed detection, credibility and punishment.

    Beliefs are Beta pseudo-counts: ``detect_alpha``/``detect_beta`` of shape ``(n, sectors, 2)``
    (per sector and rung: was a violation seen and attributed?) and ``cred_alpha``/``cred_beta`` of
    shape ``(n, commitments)`` (was a triggered commitment honoured?).
    """

    role = "aggressor"

    def __init__(self, model: mesa.Model, attack: AttackConfig, forces: AggressorForces,
                 revisionism: np.ndarray, sector_value: np.ndarray,
                 commitments: list[GuaranteeCommitment], false_alarm_risk: np.ndarray) -> None:
        n, n_sectors, k = len(revisionism), len(sector_value), len(commitments)
        super().__init__(model, "aggressor", n)
        self.attack = attack
        self.forces = forces
        self.revisionism = revisionism
        self.capability = np.full(n, forces.capability)
        self.detect_alpha = np.full((n, n_sectors, 2), attack.prior_detect_alpha, np.float32)
        self.detect_beta = np.full((n, n_sectors, 2), attack.prior_detect_beta, np.float32)
        self.p_seen = beta_mean(self.detect_alpha, self.detect_beta)
        self.cred_alpha = np.full((n, k), attack.prior_credibility_alpha)
        self.cred_beta = np.full((n, k), attack.prior_credibility_beta)
        self.commitments = commitments
        # What the aggressor knows of the design (public): punishment per violation by rung,
        # punishment for an offensive, where forces stand, the false-alarm risk per sector.
        self._punish = np.array([[c.punishment_per_violation(r) for r in (1, 2)]
                                 for c in commitments]).reshape(k, 2)
        # Commitments with a present force answer only attacks on it (the tripwire term below).
        self._punish_if_seen = self._punish * np.array([[not c.presence.any()] for c in commitments
                                                        ]).reshape(k, 1)
        self._punish_offensive = np.array([c.cfg.punishment_offensive for c in commitments])
        self._presence = np.array([c.presence for c in commitments], np.float32).reshape(k, n_sectors)
        self._present = [i for i, c in enumerate(commitments) if c.presence.any()]
        self._presence_denial = sum((c.presence * c.cfg.presence_denial for c in commitments),
                                    np.zeros(n_sectors)).astype(np.float32)
        self._gain_minor = (attack.gain_minor * sector_value).astype(np.float32)
        self._gain_serious = (attack.gain_serious * sector_value).astype(np.float32)
        self._false_alarm_risk = false_alarm_risk.astype(np.float32)
        self._theta = revisionism.astype(np.float32)[:, None]

    def credibility(self) -> np.ndarray:
        """Believed chance that each commitment is honoured, shape ``(n, commitments)``."""
        return beta_mean(self.cred_alpha, self.cred_beta)

    def decide(self, events: DayEvents, in_ceasefire: np.ndarray, defender: Defender,
               rng: np.random.Generator) -> None:
        """Phase 2: per sector comply / minor / serious; for the theatre, a major offensive or not.

        One uniform ``u`` per sector-day: serious if ``u < rate P(2)``, minor if
        ``rate P(2) <= u < rate (P(1) + P(2))``. Only sectors with ``u < rate`` (an opportunity)
        can act, so the utilities are weighed there alone.
        """
        a, n_sectors = self.attack, len(self._gain_minor)
        cred = self.credibility()
        u = Uniforms(rng, self.n * n_sectors)
        events.offensive = in_ceasefire & (rng.random(self.n) < self._offensive_probability(
            cred, defender))
        live = in_ceasefire & ~events.offensive
        rate = np.float32(a.opportunity_rate_per_sector_day)
        cells = u.below(rate * _ROUND_UP)
        cells = cells[live[cells // n_sectors]]
        if not len(cells):
            return                                         # no opportunity anywhere today
        p_minor, p_serious = rung_probabilities(*self._utilities(cred, defender, cells),
                                                a.temperature)
        u = u.at(cells)
        serious = u < rate * p_serious
        minor = ~serious & (u < rate * (p_minor + p_serious))
        acted = minor | serious
        events.set_aggressor_events(cells[acted], (1 + serious[acted]).astype(np.int8))

    def _utilities(self, cred: np.ndarray, defender: Defender, cells: np.ndarray):
        """Utilities of comply, minor and serious at the flat (replication, sector) ``cells``."""
        a = self.attack
        rep, sector = np.divmod(cells, len(self._gain_minor))
        expected = (cred @ self._punish_if_seen).astype(np.float32)[rep]   # if seen, per rung
        defence = defender.capability.astype(np.float32)[rep] + self._presence_denial[sector]
        theta = self._theta[rep, 0]
        p_seen = self.p_seen.reshape(-1)
        u_comply = -self._false_alarm_risk[sector] * expected[:, 0]
        u_minor = theta * self._gain_minor[sector] - a.denial_minor * defence
        u_minor -= p_seen[2 * cells] * expected[:, 0]
        u_serious = theta * self._gain_serious[sector] - a.denial_serious * defence
        u_serious -= p_seen[2 * cells + 1] * expected[:, 1]
        present = self._present
        if present:   # the tripwire: a present force's full punishment, in its sectors only
            w = cred[rep] * self._punish[:, 1]
            tripwire = w[:, present[0]] * self._presence[present[0], sector]
            for k in present[1:]:
                tripwire += w[:, k] * self._presence[k, sector]
            u_serious -= tripwire.astype(np.float32)
        return u_comply, u_minor, u_serious

    def _offensive_probability(self, cred: np.ndarray, defender: Defender) -> np.ndarray:
        """Chance today of a major offensive: a logit of the war utility, at a daily weighing rate.

        ``U_war = theta G p_win - (1 - p_win) L - sum_k C_k P_k - W + omega max(0, p_win - p_later)``.
        """
        a = self.attack
        win = p_win(self.capability / defender.capability, a.win_steepness, a.required_force_ratio)
        utility = (self.revisionism * a.offensive_gain * win - (1.0 - win) * a.offensive_fail_loss
                   - cred @ self._punish_offensive - a.offensive_cost)
        if a.window_weight > 0.0:
            later = p_win(self.projected_capability(a.lookahead_days)
                          / defender.projected_capability(a.lookahead_days),
                          a.win_steepness, a.required_force_ratio)
            utility += a.window_weight * np.maximum(0.0, win - later)
        return a.offensive_rate_per_day * logit_probability(utility, a.offensive_temperature)

    def learn(self, events: DayEvents) -> None:
        """Phase 7: update detection beliefs from own violations, credibility from responses."""
        if not self.attack.learns:
            return
        lam = self.attack.forgetting
        if len(events.aggressor_event_cells):
            where = events.aggressor_event_cells * 2 + (events.aggressor_event_rung - 1)
            alpha, beta = self.detect_alpha.reshape(-1), self.detect_beta.reshape(-1)
            alpha[where], beta[where] = beta_update(alpha[where], beta[where],
                                                    events.aggressor_event_seen, lam)
            self.p_seen.reshape(-1)[where] = beta_mean(alpha[where], beta[where])
        for k, c in enumerate(self.commitments):
            d = c.decided
            if not d.any():
                continue
            self.cred_alpha[d, k], self.cred_beta[d, k] = beta_update(
                self.cred_alpha[d, k], self.cred_beta[d, k], c.honoured[d], lam)

    def projected_capability(self, days: int) -> np.ndarray:
        """Capability ``days`` ahead at today's regeneration, less any sanctions drag."""
        inflow = self.forces.regen_per_day - self._drag()
        return _project(self.capability, inflow, self.forces.depreciation_per_day, days)

    def _drag(self) -> np.ndarray:
        """Today's cut in regeneration from the sanctions in force (read in phases 2 and 8)."""
        return sum((c.drag_on(self.model.day) for c in self.commitments), np.zeros(self.n))

    def evolve(self, in_ceasefire: np.ndarray) -> None:
        """Phase 8: regeneration, wear and the drag of any sanctions in force."""
        nxt = capability_step(self.capability, self.forces.regen_per_day,
                              self.forces.depreciation_per_day, self._drag())
        self.capability = np.where(in_ceasefire, nxt, self.capability)


def _project(x: np.ndarray, inflow, depreciation: float, days: int) -> np.ndarray:
    """Closed-form solution of ``x' = inflow - depreciation x`` after ``days`` (linear if no wear)."""
    if depreciation == 0.0:
        return np.maximum(x + inflow * days, 1e-3)
    target = inflow / depreciation
    return np.maximum(target + (x - target) * (1.0 - depreciation) ** days, 1e-3)
