"""State actors: the aggressor, the defender and the guarantors.

Every parameter an agent reads is a number or one value per replication (``(R,)``); the agents use
either through :func:`~deterrence_sim.core.arrays.take` (at events) or by broadcasting.
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np

from deterrence_sim.agents.commitments import CommitmentTerms
from deterrence_sim.config import AggressorForces, AttackConfig, DefenderForces, GuarantorConfig
from deterrence_sim.core.arrays import column, largest, take
from deterrence_sim.core.beliefs import beta_mean, beta_update
from deterrence_sim.core.decision import logit_probability, p_win, rung_probabilities
from deterrence_sim.core.dynamics import capability_step, political_will_step, project
from deterrence_sim.core.rng import Dice
from deterrence_sim.events import DayEvents
from deterrence_sim.units import DAYS_PER_YEAR

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

    def close_day(self) -> np.ndarray:
        """Return today's cost and open a fresh account for tomorrow."""
        cost, self.cost_today = self.cost_today, np.zeros(self.n)
        return cost


class Defender(StateActor):
    """The defender: capability financed by its own budget and guarantor aid; retaliates in kind."""

    role = "defender"

    def __init__(self, model: mesa.Model, cfg: DefenderForces, n: int, guarantors: list[Guarantor],
                 rng: np.random.Generator, dice: Dice) -> None:
        super().__init__(model, "defender", n)
        self.capability = np.broadcast_to(np.asarray(cfg.capability, dtype=float), (n,)).copy()
        self.guarantors = guarantors
        self._cfg = cfg
        self._own_bn_per_day = np.divide(cfg.own_budget_bn_per_year, DAYS_PER_YEAR)
        self._rng, self._dice = rng, dice

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

    def projected_capability(self, days: Any) -> np.ndarray:
        """Capability ``days`` ahead if today's financing and wear continued (no attrition)."""
        return project(self.capability, self.inflow_per_day(), self._cfg.depreciation_per_day, days)

    def evolve(self, events: DayEvents, in_ceasefire: np.ndarray) -> None:
        """Phase 8: financing, wear, attrition from today's violations, and any arms surge."""
        c = self._cfg
        losses = c.attrition_minor * events.violations[:, 0] + c.attrition_serious * events.violations[:, 1]
        nxt = capability_step(self.capability, self.inflow_per_day(), c.depreciation_per_day,
                              losses) + events.defender_boost
        self.capability = np.where(in_ceasefire, nxt, self.capability)


class Aggressor(StateActor):
    """The aggressor: weighs gains against believed detection, credibility and punishment.

    Beliefs are Beta pseudo-counts: ``detect_alpha``/``detect_beta`` of shape ``(n, sectors, 2)``
    (per sector and rung: was a violation seen and attributed?) and ``cred_alpha``/``cred_beta`` of
    shape ``(n, commitments)`` (was a triggered commitment honoured?). What it knows of the design
    is the commitments' public terms (:class:`~deterrence_sim.agents.commitments.CommitmentTerms`)
    and the false-alarm risk per sector.
    """

    role = "aggressor"

    def __init__(self, model: mesa.Model, attack: AttackConfig, forces: AggressorForces, n: int,
                 sector_value: np.ndarray, terms: list[CommitmentTerms], false_alarm_risk: np.ndarray,
                 rng: np.random.Generator, dice: Dice) -> None:
        n_sectors, k = sector_value.shape[-1], len(terms)
        super().__init__(model, "aggressor", n)
        self.attack = attack
        self.forces = forces
        self.revisionism = np.broadcast_to(np.asarray(attack.revisionism, dtype=float), (n,)).copy()
        self.capability = np.broadcast_to(np.asarray(forces.capability, dtype=float), (n,)).copy()
        self.drag = np.zeros(n)                              # sanctions drag in force yesterday
        shape = (n, n_sectors, 2)
        self.detect_alpha = np.empty(shape, np.float32)
        self.detect_beta = np.empty(shape, np.float32)
        self.detect_alpha[:] = np.reshape(attack.prior_detect_alpha, (-1, 1, 1))
        self.detect_beta[:] = np.reshape(attack.prior_detect_beta, (-1, 1, 1))
        self.p_seen = beta_mean(self.detect_alpha, self.detect_beta)
        self.cred_alpha = np.empty((n, k))
        self.cred_beta = np.empty((n, k))
        self.cred_alpha[:] = column(attack.prior_credibility_alpha)
        self.cred_beta[:] = column(attack.prior_credibility_beta)
        self._know(terms, n, n_sectors)
        self._sector_value = sector_value.astype(np.float32)
        self._false_alarm_risk = false_alarm_risk.astype(np.float32)
        self._n_sectors = n_sectors
        self._rng, self._dice = rng, dice

    def _know(self, terms: list[CommitmentTerms], n: int, n_sectors: int) -> None:
        """Arrays of the design's public terms, ``(1 or R, K, ...)``: per replication only if needed."""
        k = len(terms)
        per_rep = any(t.varies for t in terms)
        rows = n if per_rep else 1
        self._punish = np.zeros((rows, k, 2))                 # punishment per violation, by rung
        self._punish_offensive = np.zeros((rows, k))
        self._tripwire = np.zeros((rows, k), dtype=np.int64)  # sectors where a force stands
        self._presence_denial = np.zeros((rows, n_sectors))
        sector = np.arange(n_sectors)
        for i, t in enumerate(terms):
            for rung in (1, 2):
                self._punish[:, i, rung - 1] = t.punishment_per_violation(rung)
            self._punish_offensive[:, i] = t.punishment_offensive
            self._tripwire[:, i] = t.tripwire_sectors
            for sectors, denial in t.presence:
                self._presence_denial += (sector < column(sectors)) * column(denial)
        # Commitments with a present force answer only attacks on it (the tripwire term).
        self._punish_if_seen = self._punish * (self._tripwire == 0)[:, :, None]
        self._presence_denial = self._presence_denial.astype(np.float32)
        self._any_tripwire = bool(self._tripwire.any())

    def credibility(self) -> np.ndarray:
        """Believed chance that each commitment is honoured, shape ``(n, commitments)``."""
        return beta_mean(self.cred_alpha, self.cred_beta)

    def decide(self, events: DayEvents, in_ceasefire: np.ndarray, defender: Defender, day: int) -> None:
        """Phase 2: per sector comply / minor / serious; for the theatre, a major offensive or not.

        One uniform ``u`` per sector-day: serious if ``u < rate P(2)``, minor if
        ``rate P(2) <= u < rate (P(1) + P(2))``. Only sectors with ``u < rate`` (an opportunity)
        can act, so the utilities are weighed there alone.
        """
        a, s = self.attack, self._n_sectors
        cred = self.credibility()
        u = self._dice.sector_field(self._rng, "opportunity", day)
        events.offensive = in_ceasefire & (self._dice.replications("offensive", day)
                                           < self._offensive_probability(cred, defender))
        live = in_ceasefire & ~events.offensive
        cells = u.below(largest(a.opportunity_rate_per_sector_day) * _ROUND_UP)
        cells = cells[live[cells // s]]
        if not len(cells):
            return                                         # no opportunity anywhere today
        rep = cells // s
        p_minor, p_serious = rung_probabilities(*self._utilities(cred, defender, cells, rep),
                                                take(a.temperature, rep))
        rate = np.float32(a.opportunity_rate_per_sector_day) if not isinstance(
            a.opportunity_rate_per_sector_day, np.ndarray) else a.opportunity_rate_per_sector_day[
            rep].astype(np.float32)
        u = u.at(cells)
        serious = u < rate * p_serious
        minor = ~serious & (u < rate * (p_minor + p_serious))
        acted = minor | serious
        events.set_aggressor_events(cells[acted], (1 + serious[acted]).astype(np.int8))

    def _utilities(self, cred: np.ndarray, defender: Defender, cells: np.ndarray, rep: np.ndarray):
        """Utilities of comply, minor and serious at the flat (replication, sector) ``cells``."""
        a, s = self.attack, self._n_sectors
        sector = cells % s
        per_rep = len(self._punish) > 1
        if per_rep:
            expected = np.einsum("rk,rka->ra", cred, self._punish_if_seen)[rep].astype(np.float32)
        else:
            expected = (cred @ self._punish_if_seen[0]).astype(np.float32)[rep]   # if seen, per rung
        denial = self._presence_denial.reshape(-1)[cells] if per_rep else self._presence_denial[0, sector]
        defence = defender.capability.astype(np.float32)[rep] + denial
        theta = self.revisionism.astype(np.float32)[rep]
        value = self._sector_value.reshape(-1)[cells] if self._sector_value.ndim == 2 else (
            self._sector_value[sector])
        risk = self._false_alarm_risk.reshape(-1)[cells] if self._false_alarm_risk.ndim == 2 else (
            self._false_alarm_risk[sector])
        p_seen = self.p_seen.reshape(-1)
        u_comply = -risk * expected[:, 0]
        u_minor = theta * np.float32(take(a.gain_minor, rep)) * value - np.float32(
            take(a.denial_minor, rep)) * defence
        u_minor -= p_seen[2 * cells] * expected[:, 0]
        u_serious = theta * np.float32(take(a.gain_serious, rep)) * value - np.float32(
            take(a.denial_serious, rep)) * defence
        u_serious -= p_seen[2 * cells + 1] * expected[:, 1]
        if self._any_tripwire:   # a present force's full punishment, in its sectors only
            row = rep if per_rep else 0
            weight = cred[rep] * self._punish[row, :, 1]
            inside = sector[:, None] < self._tripwire[row]
            u_serious -= (weight * inside).sum(axis=1).astype(np.float32)
        return u_comply, u_minor, u_serious

    def _offensive_probability(self, cred: np.ndarray, defender: Defender) -> np.ndarray:
        """Chance today of a major offensive: a logit of the war utility, at a daily weighing rate.

        ``U_war = theta G p_win - (1 - p_win) L - sum_k C_k P_k - W + omega max(0, p_win - p_later)``.
        """
        a = self.attack
        win = p_win(self.capability / defender.capability, a.win_steepness, a.required_force_ratio)
        punished = (cred * self._punish_offensive).sum(axis=1)
        utility = (self.revisionism * a.offensive_gain * win - (1.0 - win) * a.offensive_fail_loss
                   - punished - a.offensive_cost)
        if np.any(a.window_weight > 0.0):
            later = p_win(self.projected_capability(a.lookahead_days)
                          / defender.projected_capability(a.lookahead_days),
                          a.win_steepness, a.required_force_ratio)
            utility = utility + a.window_weight * np.maximum(0.0, win - later)
        return a.offensive_rate_per_day * logit_probability(utility, a.offensive_temperature)

    def learn(self, events: DayEvents, decided: list[np.ndarray], honoured: list[np.ndarray]) -> None:
        """Phase 7: update detection beliefs from own violations, credibility from responses.

        ``decided[k]`` and ``honoured[k]`` are commitment ``k``'s decisions today, which the
        aggressor observes (a refusal is as visible as a response).
        """
        if not self.attack.learns:
            return
        lam = self.attack.forgetting
        cells = events.aggressor_event_cells
        if len(cells):
            where = cells * 2 + (events.aggressor_event_rung - 1)
            alpha, beta = self.detect_alpha.reshape(-1), self.detect_beta.reshape(-1)
            alpha[where], beta[where] = beta_update(alpha[where], beta[where],
                                                    events.aggressor_event_seen,
                                                    take(lam, cells // self._n_sectors))
            self.p_seen.reshape(-1)[where] = beta_mean(alpha[where], beta[where])
        for k, (d, h) in enumerate(zip(decided, honoured, strict=True)):
            if not d.any():
                continue
            self.cred_alpha[d, k], self.cred_beta[d, k] = beta_update(
                self.cred_alpha[d, k], self.cred_beta[d, k], h[d], take(lam, d))

    def projected_capability(self, days: Any) -> np.ndarray:
        """Capability ``days`` ahead at today's regeneration, less the sanctions drag now in force."""
        inflow = self.forces.regen_per_day - self.drag
        return project(self.capability, inflow, self.forces.depreciation_per_day, days)

    def evolve(self, events: DayEvents, in_ceasefire: np.ndarray) -> None:
        """Phase 8: regeneration, wear and the drag of any sanctions in force today."""
        self.drag = events.regen_drag
        nxt = capability_step(self.capability, self.forces.regen_per_day,
                              self.forces.depreciation_per_day, self.drag)
        self.capability = np.where(in_ceasefire, nxt, self.capability)
