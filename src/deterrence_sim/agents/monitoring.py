"""Monitoring assets and the monitoring-and-verification mechanism that fuses their reports."""

from __future__ import annotations

import copy
from typing import Any

import mesa
import numpy as np

from deterrence_sim.assets import AssetConfig, kind_of
from deterrence_sim.config import MonitoringConfig, parameters
from deterrence_sim.core.arrays import column, largest, take
from deterrence_sim.core.detection import at_least_two, buildup_detection, fuse_independent
from deterrence_sim.core.distributions import poisson_quantile
from deterrence_sim.core.rng import Dice
from deterrence_sim.events import DayEvents
from deterrence_sim.theater import Theater
from deterrence_sim.units import DAYS_PER_YEAR


class MonitoringAsset(mesa.Agent):
    """A satellite constellation, drone fleet, ground-sensor network or observer team.

    It covers the most valuable ``coverage_share`` of sectors, can be lost (jammed, shot down) and is
    replaced after ``replacement_days``; ``active`` has one entry per replication. Its kind
    (:mod:`deterrence_sim.assets`) states how it detects.
    """

    def __init__(self, model: mesa.Model, cfg: AssetConfig, n_sectors: int, n: int, owner: Any,
                 dice: Dice) -> None:
        super().__init__(model)
        self.cfg = cfg
        self.name = cfg.name
        self.kind = kind_of(cfg)
        self.owner = owner
        self.covered_sectors = np.rint(np.multiply(cfg.coverage_share, n_sectors)).astype(np.int64)
        self.active = np.ones(n, dtype=bool)
        self.down_days = np.zeros(n, dtype=np.int64)
        self._varying = [p.path for p in parameters(cfg) if isinstance(p.value, np.ndarray)]
        self._dice = dice
        if owner is not None:
            owner.standing_cost_bn_per_day = owner.standing_cost_bn_per_day + np.divide(
                cfg.cost_bn_per_year, DAYS_PER_YEAR)

    def covers(self, rep: np.ndarray, sector: np.ndarray) -> np.ndarray:
        """True where sector ``sector`` of replication ``rep`` is covered (most valuable first)."""
        return sector < take(self.covered_sectors, rep)

    def update_status(self, day: int) -> None:
        """Phase 1: losses today; lost assets come back after their replacement time."""
        u = self._dice.replications(f"asset_loss:{self.name}", day)
        lost = self.active & (u < self.cfg.loss_rate_per_day)
        np.subtract(self.down_days, 1, out=self.down_days, where=self.down_days > 0)
        self.down_days = np.where(lost, self.cfg.replacement_days, self.down_days)
        self.active = self.down_days == 0

    def at(self, rep: np.ndarray) -> AssetConfig:
        """The asset's config with every varying field taken at replications ``rep``."""
        if not self._varying:
            return self.cfg
        cfg = copy.copy(self.cfg)
        for name in self._varying:
            setattr(cfg, name, getattr(self.cfg, name)[rep])
        return cfg

    def detection_probability(self, rep: np.ndarray, cells: np.ndarray, rung: np.ndarray,
                              theater: Theater) -> np.ndarray:
        """Chance this asset detects each event (replication, flat cell, rung), by its kind's law."""
        cfg = self.at(rep)
        p_look = np.where(rung == 2, cfg.p_detect_serious, cfg.p_detect_minor)
        p = self.kind.probability(cfg, p_look, theater.at_cells(theater.visibility, cells),
                                  theater.cloud[rep], theater.jamming[rep])
        return p * (self.covers(rep, cells % theater.n_sectors) & self.active[rep])

    def buildup_probability(self, rows: np.ndarray, axis: np.ndarray, signature: Any,
                            theater: Theater) -> np.ndarray:
        """Chance that the asset sees, today, the build-ups of replications ``rows`` aimed at
        ``axis``: ``1 - (1 - q)**looks_per_day`` with ``q`` its kind's per-look law, where it
        covers the axis and is up (``core.detection.buildup_detection``)."""
        cfg = self.at(rows)
        q = self.kind.buildup_look(cfg, signature, theater.cloud[rows], theater.jamming[rows])
        p = buildup_detection(np.broadcast_to(q, rows.shape), cfg.looks_per_day)
        return p * (self.covers(rows, axis) & self.active[rows])

    def false_warning_rate(self) -> np.ndarray:
        """Expected false build-up alarms per day in each replication (zero while it is down)."""
        return np.divide(self.cfg.false_warnings_per_year, DAYS_PER_YEAR) * self.active

    def false_alarm_rate(self) -> np.ndarray:
        """Expected false reports per day in each replication (zero while the asset is down)."""
        return self.cfg.false_alarms_per_sector_day * self.covered_sectors * self.active

    def false_alarms_per_sector(self, n_sectors: int) -> np.ndarray:
        """Expected false reports per sector-day with the asset up, ``(sectors,)`` or ``(R, sectors)``."""
        covered = np.arange(n_sectors) < column(self.covered_sectors)
        return column(self.cfg.false_alarms_per_sector_day) * covered


class MonitoringMechanism:
    """Fuses the assets' observations, attributes events, and verifies reports after a delay.

    Verified reports arrive through a ring buffer of ``max(delay) + 1`` days holding, per
    replication: real minor and serious violations, spurious minor and serious reports
    (misattributed defender actions and false alarms), and the summed delay of the real ones.
    Build-ups are watched too: a sighting is verified as a warning (corroborated, or confirmed
    with ``p_verify_warning``) after ``warning_delay_days``; false build-up alarms happen, and
    some are verified.
    """

    def __init__(self, cfg: MonitoringConfig, assets: list[MonitoringAsset], theater: Theater, n: int,
                 dice: Dice) -> None:
        self.cfg = cfg
        self.assets = assets
        self.theater = theater
        self.n = n
        self._dice = dice
        self._slots = int(max(largest(cfg.verification_delay_days),
                              largest(cfg.corroborated_delay_days))) + 1
        self._pending = np.zeros((self._slots, 5, n))
        none = np.zeros(0, dtype=np.intp)
        self._reports = (none, none, none, none.astype(bool), none.astype(bool))
        self.warning_due = np.full(n, -1, dtype=np.int64)     # day the current build-up's warning lands
        self.false_warning_due = np.full(n, -1, dtype=np.int64)
        self.sighted = np.zeros(n, dtype=bool)                # the current build-up has been seen

    def false_alarm_risk(self) -> np.ndarray:
        """Chance per sector-day that a false alarm is verified against the aggressor (all assets up).

        Shape ``(sectors,)``, or ``(R, sectors)`` if a rate or coverage varies per replication.
        """
        s = self.theater.n_sectors
        per_sector = sum((a.false_alarms_per_sector(s) for a in self.assets), np.zeros(s))
        return -np.expm1(-per_sector) * column(self.cfg.p_verify_false_alarm)

    def _see(self, cells: np.ndarray, rung: np.ndarray, u_detect: np.ndarray, u_attr: np.ndarray):
        """Which events (flat ``cells``) are detected, corroborated, attributed right or wrong."""
        if not self.assets or not len(cells):
            none = np.zeros(len(cells), dtype=bool)
            return none, none, none, none
        rep = cells // self.theater.n_sectors
        p = np.stack([a.detection_probability(rep, cells, rung, self.theater) for a in self.assets])
        detected = u_detect < fuse_independent(p)
        corroborated = u_detect < at_least_two(p)
        total = p.sum(axis=0)
        accuracy = np.stack([np.broadcast_to(take(a.cfg.attribution_accuracy, rep), rep.shape)
                             for a in self.assets])
        accuracy = (p * accuracy).sum(axis=0) / np.where(total > 0, total, 1.0)
        right = detected & (u_attr < accuracy)
        wrong_side = take(self.cfg.p_wrong_side, rep)
        wrong = detected & ~right & (u_attr < accuracy + (1.0 - accuracy) * wrong_side)
        return detected, corroborated, right, wrong

    def observe(self, events: DayEvents, day: int) -> None:
        """Phase 4: which events are seen, by how many sources, and whom they are blamed on.

        Each event draws two counter uniforms at its cell (stream ``detect`` for the aggressor's
        events and ``detect_defender`` for the defender's; the same for ``attribute``): whether it
        is seen (and corroborated), and how it is attributed.
        """
        agg_cells, def_cells = events.aggressor_event_cells, events.defender_event_cells
        cells = np.concatenate([agg_cells, def_cells])
        rung = np.concatenate([events.aggressor_event_rung, events.defender_event_rung])
        agg = np.arange(len(cells)) < len(agg_cells)
        d = self._dice
        u_detect = np.concatenate([d.cells("detect", day, agg_cells),
                                   d.cells("detect_defender", day, def_cells)])
        u_attr = np.concatenate([d.cells("attribute", day, agg_cells),
                                 d.cells("attribute_defender", day, def_cells)])
        detected, corroborated, right, wrong = self._see(cells, rung, u_detect, u_attr)
        rep, sev = cells // events.n_sectors, rung.astype(np.intp)
        events.aggressor_event_seen = right[agg]
        events.detected = np.bincount(rep[detected & agg], minlength=self.n)
        events.misattributed = np.bincount(rep[wrong], minlength=self.n)
        # Reports against the aggressor: its own violations, then the defender's blamed on it.
        report = (right & agg) | (wrong & ~agg)
        self._reports = (rep[report], cells[report], sev[report], corroborated[report], agg[report])

    def watch_buildups(self, events: DayEvents, day: int, in_ceasefire: np.ndarray, preparing: np.ndarray,
                       axis: np.ndarray, signature: Any) -> None:
        """Phase 4b: look for build-ups under way (not yet warned of) and raise false alarms.

        The build-up of replication ``r`` is seen today if a counter uniform is below the fused
        chance ``1 - prod_i (1 - P_i)`` of the assets (:meth:`MonitoringAsset.buildup_probability`);
        the same uniform below the chance that two or more see it means it is corroborated. A
        sighting becomes a warning after ``warning_delay_days`` if corroborated, or if a second
        uniform is below ``p_verify_warning``; an unconfirmed sighting may be confirmed by a later
        one. False alarms: ``Bernoulli(1 - exp(-rate))`` a day, verified with
        ``p_verify_false_alarm``.
        """
        cfg, d = self.cfg, self._dice
        self.warning_due[events.buildup_started] = -1
        self.sighted &= ~events.buildup_started
        rows = np.flatnonzero(in_ceasefire & preparing & (self.warning_due < 0))
        if self.assets and len(rows):
            sig = np.broadcast_to(np.asarray(signature, dtype=float), (self.n,))[rows]
            p = np.stack([a.buildup_probability(rows, axis[rows], sig, self.theater) for a in self.assets])
            u = d.replications("buildup_seen", day, rows)
            seen = u < fuse_independent(p)
            confirmed = (u < at_least_two(p)) | (
                d.replications("buildup_verified", day, rows) < take(cfg.p_verify_warning, rows))
            events.buildup_seen[rows] = seen & ~self.sighted[rows]
            self.sighted[rows] |= seen
            due = rows[seen & confirmed]
            self.warning_due[due] = day + take(cfg.warning_delay_days, due)
        if self.assets:
            rate = sum((a.false_warning_rate() for a in self.assets), np.zeros(self.n))
            alarm = in_ceasefire & (d.replications("false_warning", day) < -np.expm1(-rate))
            verified = alarm & (d.replications("false_warning_verified", day) < cfg.p_verify_false_alarm)
            verified &= self.false_warning_due < 0
            self.false_warning_due = np.where(verified, day + cfg.warning_delay_days, self.false_warning_due)

    def release_warnings(self, events: DayEvents, day: int, preparing: np.ndarray,
                         in_ceasefire: np.ndarray) -> None:
        """Phase 5b: warnings due today become public (a stood-down build-up's is dropped, and
        nothing is released where the ceasefire is over)."""
        events.warning = (self.warning_due == day) & preparing & in_ceasefire
        due = self.false_warning_due == day
        events.false_warning = due & in_ceasefire
        self.false_warning_due[due] = -1

    def verify(self, events: DayEvents, day: int, in_ceasefire: np.ndarray) -> None:
        """Phase 5: schedule today's reports for verification and release those due today.

        A single-source report is kept if its counter uniform (stream ``verify``, at its cell, for
        the aggressor's; ``verify_defender`` for a defender's event blamed on it) is below
        ``p_verify_single``. False alarms are Poisson: ``Poisson(rate * p)`` of them are verified and
        ``Poisson(rate * (1 - p))`` are not (the thinning of one Poisson stream of reports).
        """
        cfg, n, d = self.cfg, self.n, self._dice
        rep, cells, sev, corroborated, real = self._reports
        if len(rep):
            u = np.where(real, d.cells("verify", day, cells), d.cells("verify_defender", day, cells))
            kept = corroborated | (u < take(cfg.p_verify_single, rep))
            delay = np.where(corroborated, take(cfg.corroborated_delay_days, rep),
                             take(cfg.verification_delay_days, rep))
            row = np.where(real, 0, 2) + sev - 1              # true minor, serious; spurious ...
            at = ((day + delay) % self._slots * 5 + row) * n + rep
            pending = self._pending.reshape(-1)
            np.add.at(pending, at[kept], 1.0)
            at_delay = ((day + delay) % self._slots * 5 + 4) * n + rep
            np.add.at(pending, at_delay[kept & real], delay[kept & real])
        rate = sum((a.false_alarm_rate() for a in self.assets), np.zeros(n)) * in_ceasefire
        if self.assets:
            p = cfg.p_verify_false_alarm
            verified_false = poisson_quantile(d.replications("false_alarm_verified", day), rate * p)
            events.false_alarms = verified_false + poisson_quantile(
                d.replications("false_alarm_dropped", day), rate * (1.0 - np.asarray(p)))
            slot = (day + np.asarray(cfg.verification_delay_days)) % self._slots
            self._pending[slot, 2, np.arange(n)] += verified_false
        due = self._pending[day % self._slots]
        events.verified_true = due[:2].T.astype(np.int64) * in_ceasefire[:, None]
        events.verified_spurious = due[2:4].T.astype(np.int64) * in_ceasefire[:, None]
        events.verification_delay_sum = due[4] * in_ceasefire
        due[:] = 0.0
