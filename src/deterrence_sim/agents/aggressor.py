"""The aggressor: weighs violations sector by sector, prepares major offensives, learns.

Every parameter it reads is a number or one value per replication (``(R,)``); it uses either
through :func:`~deterrence_sim.core.arrays.take` (at events) or by broadcasting.
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np

from deterrence_sim.agents.commitments import CommitmentTerms
from deterrence_sim.agents.states import Defender, StateActor
from deterrence_sim.config import AggressorForces, AttackConfig
from deterrence_sim.core.arrays import column, largest, take, take_rows
from deterrence_sim.core.beliefs import beta_mean, beta_update
from deterrence_sim.core.decision import logit_probability, p_win, rung_probabilities
from deterrence_sim.core.dynamics import capability_step, project
from deterrence_sim.core.escalation import escalation_utility, wider_war_probability
from deterrence_sim.core.rng import Dice
from deterrence_sim.events import DayEvents

#: Opportunity threshold margin: ``rate (P(1) + P(2))`` in float32 can exceed ``rate`` by rounding.
_ROUND_UP = np.float32(1.0 + 1e-5)


class Aggressor(StateActor):
    """The aggressor: weighs gains against believed detection, credibility and punishment.

    Beliefs are Beta pseudo-counts: ``detect_alpha``/``detect_beta`` of shape ``(n, sectors, 2)``
    (per sector and rung: was a violation seen and attributed?), ``cred_alpha``/``cred_beta`` of
    shape ``(n, commitments)`` (was a triggered commitment honoured?) and ``warn_alpha``/
    ``warn_beta`` of shape ``(n,)`` (was a build-up seen in time?). What it knows of the design is
    the commitments' public terms (:class:`~deterrence_sim.agents.commitments.CommitmentTerms`) and
    the false-alarm risk per sector. A major offensive needs a build-up of ``buildup_days``; while
    one runs, ``buildup_left`` counts the days to the attack and ``warned`` says whether a verified
    warning has made it public.
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
        self.warn_alpha = np.broadcast_to(np.asarray(attack.prior_warning_alpha, float), (n,)).copy()
        self.warn_beta = np.broadcast_to(np.asarray(attack.prior_warning_beta, float), (n,)).copy()
        self.buildup_left = np.zeros(n, dtype=np.int64)
        self.buildup_axis = np.zeros(n, dtype=np.int64)
        self.warned = np.zeros(n, dtype=bool)
        self.warned_day = np.full(n, -1, dtype=np.int64)
        self._know(terms, n, n_sectors)
        # Its own moves on the escalation ladder depend on its fixed type only: rung 1 and 2.
        self._up = np.stack([self.escalation_probability(k) for k in (1, 2)])
        self._sector_value = sector_value.astype(np.float32)
        self._false_alarm_risk = false_alarm_risk.astype(np.float32)
        self._n_sectors = n_sectors
        self._rng, self._dice = rng, dice

    def _know(self, terms: list[CommitmentTerms], n: int, n_sectors: int) -> None:
        """Arrays of the design's public terms, ``(1 or R, K, ...)``: per replication only if needed."""
        k = len(terms)
        rows = n if any(t.varies for t in terms) else 1
        self._punish = np.zeros((rows, k, 2))                 # punishment per violation, by rung
        self._clash_per_violation = np.zeros((rows, k, 2))    # clash risk per violation, by rung
        self._punish_offensive = np.zeros((rows, k))
        self._clash_offensive = np.zeros((rows, k))
        self._forward = np.zeros((rows, k))                   # defence moved forward on a warning
        self._tripwire = np.zeros((rows, k), dtype=np.int64)  # sectors where a force stands
        self._presence_denial = np.zeros((rows, n_sectors))
        sector = np.arange(n_sectors)
        for i, t in enumerate(terms):
            for rung in (1, 2):
                self._punish[:, i, rung - 1] = t.punishment_per_violation(rung)
                self._clash_per_violation[:, i, rung - 1] = t.per_violation(t.clash_risk, rung)
            self._punish_offensive[:, i] = t.punishment_offensive
            self._clash_offensive[:, i] = t.clash_risk * (np.asarray(t.punishment_offensive) > 0)
            self._forward[:, i] = t.forward_denial
            self._tripwire[:, i] = t.tripwire_sectors
            for sectors, denial in t.presence:
                self._presence_denial += (sector < column(sectors)) * column(denial)
        # Commitments with a present force answer only attacks on it (the tripwire term).
        untripped = (self._tripwire == 0)[:, :, None]
        self._punish_if_seen = self._punish * untripped
        self._clash_if_seen = self._clash_per_violation * untripped
        self._presence_denial = self._presence_denial.astype(np.float32)
        self._any_tripwire = bool(self._tripwire.any())
        self._any_clash = bool(self._clash_per_violation.any() or self._clash_offensive.any())

    def credibility(self) -> np.ndarray:
        """Believed chance that each commitment is honoured, shape ``(n, commitments)``."""
        return beta_mean(self.cred_alpha, self.cred_beta)

    def _escalation_cost(self, cred: np.ndarray) -> np.ndarray:
        """Believed cost of a clash with each commitment's forces, ``(n, K)``: the chance that it
        ends in a wider war, its own moves up at rungs 1 and 2 (``escalation_probability``) and the
        guarantors matching with the credibility it gives them (:func:`~deterrence_sim.core.
        escalation.wider_war_probability`), times what a wider war costs it."""
        up1, up2 = self._up[0][:, None], self._up[1][:, None]
        return wider_war_probability((up1, up2), (cred, cred)) * column(self.attack.wider_war_loss)

    # ------------------------------------------------------------------ the theater: build-ups
    def prepare(self, events: DayEvents, in_ceasefire: np.ndarray, defender: Defender, day: int) -> None:
        """Phase 2a: stand down a build-up that was seen, if going on is worth less than stopping;
        count the others down and launch those that are ready; weigh starting new ones.

        A seen build-up is stood down with the logit probability of ``U_abort - U_go``, where
        ``U_go`` is the war utility against the warned defender less the cost of the days left
        and ``U_abort = -abort_cost`` (at temperature 0: exactly when ``U_go < U_abort``). A new
        build-up is weighed at ``offensive_rate_per_day`` and started with the logit probability
        of ``U_build``, the war utility expected over being seen in time or not, less its cost.
        """
        a, dice = self.attack, self._dice
        cred = self.credibility()
        preparing = in_ceasefire & (self.buildup_left > 0)
        abort = np.zeros(self.n, dtype=bool)
        seen = np.flatnonzero(preparing & self.warned)
        if len(seen):
            go = self.war_utility(cred, defender, defender.against_offensive()[seen], seen)
            go = go - take(a.buildup_cost_per_day, seen) * self.buildup_left[seen]
            p_abort = logit_probability(-take(a.abort_cost, seen) - go, take(a.offensive_temperature, seen))
            abort[seen] = dice.replications("abort", day, seen) < p_abort
        self.buildup_left -= preparing & ~abort
        launch = preparing & ~abort & (self.buildup_left == 0)
        self.buildup_left[abort] = 0
        events.offensive, events.buildup_aborted = launch, abort
        events.surprise = launch & ~self.warned
        events.launch_warned_day = np.where(launch & self.warned, self.warned_day, -1)
        idle = in_ceasefire & ~preparing
        u = dice.replications("offensive", day)
        weighing = np.flatnonzero(idle & (u < a.offensive_rate_per_day))   # the war option is weighed
        start = np.zeros(self.n, dtype=bool)
        if len(weighing):
            start[weighing] = u[weighing] < self._start_probability(cred, defender, weighing)
        if start.any():
            self.buildup_left = np.where(start, a.buildup_days, self.buildup_left)
            self.buildup_axis = np.where(start, self._axis(day), self.buildup_axis)
            self.warned &= ~start
        events.buildup_started = start

    def _axis(self, day: int) -> np.ndarray:
        """The sector a new build-up aims at, drawn in proportion to the sectors' value."""
        value = np.broadcast_to(self._sector_value, (self.n, self._n_sectors))
        cumulative = np.cumsum(value, axis=1)
        u = self._dice.replications("axis", day)[:, None] * cumulative[:, -1:]
        return np.minimum((cumulative < u).sum(axis=1), self._n_sectors - 1)

    def _start_probability(self, cred: np.ndarray, defender: Defender, rows: np.ndarray) -> np.ndarray:
        """Chance today of starting a build-up in replications ``rows``: the weighing rate times the
        logit of ``U_build``.

        ``U_build = (1 - W) U_war(D) + W U_war(D (1 + g) + sum_k C_k F_k) - c E[days]``, with ``W``
        the believed chance of being seen in time, ``g`` the defender's gain when warned, ``F_k``
        the defence commitment ``k`` moves forward on a warning and ``c`` the daily cost.
        """
        a = self.attack
        capability = defender.capability[rows]
        warned_defence = (capability * (1.0 + take(defender.warned_gain, rows))
                          + (cred[rows] * take_rows(self._forward, rows)).sum(axis=1))
        seen = beta_mean(self.warn_alpha[rows], self.warn_beta[rows])
        unseen_u = self.war_utility(cred, defender, capability, rows)
        seen_u = self.war_utility(cred, defender, warned_defence, rows)
        utility = (1.0 - seen) * unseen_u + seen * seen_u - take(a.buildup_cost_per_day * np.asarray(
            a.buildup_days), rows)
        return take(a.offensive_rate_per_day, rows) * logit_probability(utility, take(
            a.offensive_temperature, rows))

    def war_utility(self, cred: np.ndarray, defender: Defender, defence: np.ndarray,
                    rows: np.ndarray) -> np.ndarray:
        """Utility of a major offensive against ``defence``, in replications ``rows``:
        ``theta G p_win - (1 - p_win) L - sum_k C_k (P_k + clash_k X_k) - W + omega max(0, p_win - p_later)``,
        ``X_k`` the believed cost of escalation after a clash with commitment ``k``'s forces."""
        a = self.attack
        steep, ratio = take(a.win_steepness, rows), take(a.required_force_ratio, rows)
        win = p_win(self.capability[rows] / defence, steep, ratio)
        answered = take_rows(self._punish_offensive, rows)
        if self._any_clash:
            answered = answered + take_rows(self._clash_offensive, rows) * self._escalation_cost(cred)[rows]
        utility = (self.revisionism[rows] * take(a.offensive_gain, rows) * win
                   - (1.0 - win) * take(a.offensive_fail_loss, rows)
                   - (cred[rows] * answered).sum(axis=1) - take(a.offensive_cost, rows))
        if np.any(a.window_weight > 0.0):    # the same defence later, at the projected strength
            days = take(a.lookahead_days, rows)
            scale = defence / defender.capability[rows]
            later = p_win(self.projected_capability(days, rows)
                          / (defender.projected_capability(days, rows) * scale), steep, ratio)
            utility = utility + take(a.window_weight, rows) * np.maximum(0.0, win - later)
        return utility

    # ------------------------------------------------------------------ the sectors
    def decide(self, events: DayEvents, in_ceasefire: np.ndarray, defender: Defender, day: int) -> None:
        """Phase 2b: per sector comply / minor / serious (not in replications launching an offensive).

        One uniform ``u`` per sector-day: serious if ``u < rate P(2)``, minor if
        ``rate P(2) <= u < rate (P(1) + P(2))``. Only sectors with ``u < rate`` (an opportunity)
        can act, so the utilities are weighed there alone.
        """
        a, s = self.attack, self._n_sectors
        u = self._dice.sector_field(self._rng, "opportunity", day)
        live = in_ceasefire & ~events.offensive
        cells = u.below(largest(a.opportunity_rate_per_sector_day) * _ROUND_UP)
        cells = cells[live[cells // s]]
        if not len(cells):
            return                                         # no opportunity anywhere today
        rep = cells // s
        cred = self.credibility()
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
        punish, trip_punish = self._punish_if_seen, self._punish[:, :, 1]
        if self._any_clash:     # a clash the response may bring, and the escalation it may start
            escalation = self._escalation_cost(cred)[:, :, None]
            punish = punish + self._clash_if_seen * escalation
            trip_punish = trip_punish + self._clash_per_violation[:, :, 1] * escalation[:, :, 0]
            per_rep = True
        if per_rep:
            expected = np.einsum("rk,rka->ra", cred, np.broadcast_to(punish, (self.n, *punish.shape[1:])))
            expected = expected[rep].astype(np.float32)
        else:
            expected = (cred @ punish[0]).astype(np.float32)[rep]   # if seen, per rung
        denial = (self._presence_denial.reshape(-1)[cells] if len(self._presence_denial) > 1
                  else self._presence_denial[0, sector])
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
            row = rep if len(self._tripwire) > 1 else 0
            weight = cred[rep] * np.broadcast_to(trip_punish, (self.n, trip_punish.shape[1]))[rep]
            inside = sector[:, None] < self._tripwire[row]
            u_serious -= (weight * inside).sum(axis=1).astype(np.float32)
        return u_comply, u_minor, u_serious

    # ------------------------------------------------------------------ learning and forces
    def learn(self, events: DayEvents, decided: list[np.ndarray], honoured: list[np.ndarray]) -> None:
        """Phase 8: update detection beliefs from own violations, credibility from responses, and
        the chance of being seen in time from each build-up that ends.

        ``decided[k]`` and ``honoured[k]`` are commitment ``k``'s decisions today, which the
        aggressor observes (a refusal is as visible as a response).
        """
        ended = events.offensive | events.buildup_aborted
        if not self.attack.learns:
            self.warned &= ~ended
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
        if ended.any():
            self.warn_alpha[ended], self.warn_beta[ended] = beta_update(
                self.warn_alpha[ended], self.warn_beta[ended], self.warned[ended], take(lam, ended))
            self.warned &= ~ended

    def escalation_probability(self, rung: int) -> np.ndarray:
        """Chance it goes up from ``rung`` of an escalation, in every replication: logit of
        ``escalation_resolve - (rung / 2) * wider_war_loss``."""
        a = self.attack
        u = escalation_utility(a.escalation_resolve, a.wider_war_loss, rung)
        return np.broadcast_to(logit_probability(u, a.escalation_temperature), (self.n,))

    def goes_up(self, rung: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Chance it goes up, in replications ``rows`` standing on ``rung`` (1 or 2)."""
        return np.where(rung == 1, self._up[0][rows], self._up[1][rows])

    def observe_resolve(self, commitment: np.ndarray, rows: np.ndarray, matched: np.ndarray) -> None:
        """Phase 7: it went up on the ladder in ``rows``; whether ``commitment``'s guarantors matched
        is evidence of their resolve (a credibility observation, as a response is)."""
        if not self.attack.learns:
            return
        lam = take(self.attack.forgetting, rows)
        self.cred_alpha[rows, commitment], self.cred_beta[rows, commitment] = beta_update(
            self.cred_alpha[rows, commitment], self.cred_beta[rows, commitment], matched, lam)

    def observe_warning(self, events: DayEvents, day: int) -> None:
        """Phase 5: a verified warning of its build-up is public; it knows it has been seen."""
        new = events.warning & ~self.warned
        self.warned |= events.warning
        self.warned_day = np.where(new, day, self.warned_day)

    def projected_capability(self, days: Any, rows: np.ndarray) -> np.ndarray:
        """Capability ``days`` ahead (in ``rows``) at today's regeneration, less the sanctions drag
        now in force."""
        f = self.forces
        inflow = take(f.regen_per_day, rows) - self.drag[rows]
        return project(self.capability[rows], inflow, take(f.depreciation_per_day, rows), days)

    def evolve(self, events: DayEvents, in_ceasefire: np.ndarray) -> None:
        """Phase 9: regeneration, wear and the drag of any sanctions in force today."""
        self.drag = events.regen_drag
        nxt = capability_step(self.capability, self.forces.regen_per_day,
                              self.forces.depreciation_per_day, self.drag)
        self.capability = np.where(in_ceasefire, nxt, self.capability)
