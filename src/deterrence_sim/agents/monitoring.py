"""Monitoring assets and the monitoring-and-verification mechanism that fuses their reports."""

from __future__ import annotations

import mesa
import numpy as np

from deterrence_sim.agents.states import DAYS_PER_YEAR, Guarantor
from deterrence_sim.config import AssetConfig, MonitoringConfig
from deterrence_sim.core.detection import at_least_two, fuse_independent, revisit_detection
from deterrence_sim.core.rng import Uniforms
from deterrence_sim.events import DayEvents
from deterrence_sim.theatre import Theatre


class MonitoringAsset(mesa.Agent):
    """A satellite constellation, drone fleet, ground-sensor network or observer team.

    It covers the most valuable ``coverage_share`` of sectors, can be lost (jammed, shot down) and is
    replaced after ``replacement_days``; ``active`` has one entry per replication.
    """

    def __init__(self, model: mesa.Model, cfg: AssetConfig, n_sectors: int, n: int,
                 owner: Guarantor | None) -> None:
        super().__init__(model)
        self.cfg = cfg
        self.owner = owner
        self.covered = np.arange(n_sectors) < round(cfg.coverage_share * n_sectors)
        self.active = np.ones(n, dtype=bool)
        self.down_days = np.zeros(n, dtype=np.int32)
        self.p_detect = np.array([0.0, cfg.p_detect_minor, cfg.p_detect_serious])
        if owner is not None:
            owner.standing_cost_bn_per_day += cfg.cost_bn_per_year / DAYS_PER_YEAR

    def update_status(self, rng: np.random.Generator) -> None:
        """Phase 1: losses today; lost assets come back after their replacement time."""
        lost = self.active & (rng.random(len(self.active)) < self.cfg.loss_rate_per_day)
        np.subtract(self.down_days, 1, out=self.down_days, where=self.down_days > 0)
        self.down_days[lost] = self.cfg.replacement_days
        self.active = self.down_days == 0

    def detection_probability(self, rep: np.ndarray, sector: np.ndarray, rung: np.ndarray,
                              theatre: Theatre) -> np.ndarray:
        """Chance this asset detects each event (replication, sector, rung), vectorised over events."""
        c = self.cfg
        obscured = 1.0 - (1.0 - c.cloud_sensitivity * theatre.cloud[rep]) * (
            1.0 - c.jam_sensitivity * theatre.jamming[rep])
        looks = c.looks_per_day * theatre.visibility[sector]
        p = revisit_detection(looks, self.p_detect[rung], obscured, c.exposure_days)
        return p * (self.covered[sector] & self.active[rep])

    def false_alarm_rate(self) -> np.ndarray:
        """Expected false reports per day in each replication (zero while the asset is down)."""
        return self.cfg.false_alarms_per_sector_day * self.covered.sum() * self.active


class MonitoringMechanism:
    """Fuses the assets' observations, attributes events, and verifies reports after a delay.

    Verified reports arrive through a ring buffer of ``max(delay) + 1`` days holding, per
    replication: real minor and serious violations, spurious minor and serious reports
    (misattributed defender actions and false alarms), and the summed delay of the real ones.
    """

    def __init__(self, cfg: MonitoringConfig, assets: list[MonitoringAsset], theatre: Theatre,
                 n: int) -> None:
        self.cfg = cfg
        self.assets = assets
        self.theatre = theatre
        self.n = n
        self._accuracy = np.array([a.cfg.attribution_accuracy for a in assets])[:, None]
        self._slots = max(cfg.verification_delay_days, cfg.corroborated_delay_days) + 1
        self._pending = np.zeros((self._slots, 5, n))
        none = np.zeros(0, dtype=np.intp)
        self._reports = (none, none, none.astype(bool), none.astype(bool))   # rep, rung, corr., real

    def false_alarm_risk(self) -> np.ndarray:
        """Chance per sector-day that a false alarm is verified against the aggressor (all assets up)."""
        per_sector = sum((a.cfg.false_alarms_per_sector_day * a.covered for a in self.assets),
                         np.zeros(self.theatre.n_sectors))
        return -np.expm1(-per_sector) * self.cfg.p_verify_false_alarm

    def _see(self, cells: np.ndarray, rung: np.ndarray, u_detect: np.ndarray, u_attr: np.ndarray):
        """Which events (flat ``cells``) are detected, corroborated, attributed right or wrong."""
        if not self.assets or not len(cells):
            none = np.zeros(len(cells), dtype=bool)
            return none, none, none, none
        rep, sector = np.divmod(cells, self.theatre.n_sectors)
        sev = rung.astype(np.intp)
        p = np.stack([a.detection_probability(rep, sector, sev, self.theatre) for a in self.assets])
        detected = u_detect < fuse_independent(p)
        corroborated = u_detect < at_least_two(p)
        total = p.sum(axis=0)
        accuracy = (p * self._accuracy).sum(axis=0) / np.where(total > 0, total, 1.0)
        right = detected & (u_attr < accuracy)
        wrong = detected & ~right & (u_attr < accuracy + (1.0 - accuracy) * self.cfg.p_wrong_side)
        return detected, corroborated, right, wrong

    def observe(self, events: DayEvents, rng: np.random.Generator) -> None:
        """Phase 4: which events are seen, by how many sources, and whom they are blamed on.

        Four uniforms per sector-day: the event of the aggressor in cell ``c`` is seen if ``u[c]``
        is below the fused detection probability and attributed by ``u[size + c]``; the defender's
        use ``u[2 size + c]`` and ``u[3 size + c]`` (``size`` = replications x sectors).
        """
        size = events.aggressor_rung.size
        u = Uniforms(rng, 4 * size)
        # Both sides' events in one pass, the aggressor's first.
        cells = np.concatenate([events.aggressor_event_cells, events.defender_event_cells])
        rung = np.concatenate([events.aggressor_event_rung, events.defender_event_rung])
        agg = np.arange(len(cells)) < len(events.aggressor_event_cells)
        first = np.where(agg, 0, 2 * size) + cells
        detected, corroborated, right, wrong = self._see(cells, rung, u.at(first), u.at(first + size))
        rep, sev = cells // events.n_sectors, rung.astype(np.intp)
        events.aggressor_event_seen = right[agg]
        events.detected = np.bincount(rep[detected & agg], minlength=self.n)
        events.misattributed = np.bincount(rep[wrong], minlength=self.n)
        # Reports against the aggressor: its own violations, then the defender's blamed on it.
        report = (right & agg) | (wrong & ~agg)
        self._reports = (rep[report], sev[report], corroborated[report], agg[report])

    def verify(self, events: DayEvents, day: int, in_ceasefire: np.ndarray,
               rng: np.random.Generator) -> None:
        """Phase 5: schedule today's reports for verification and release those due today."""
        cfg, n = self.cfg, self.n
        rep, sev, corroborated, real = self._reports
        if len(rep):
            kept = corroborated | (rng.random(len(rep)) < cfg.p_verify_single)
            delay = np.where(corroborated, cfg.corroborated_delay_days, cfg.verification_delay_days)
            row = np.where(real, 0, 2) + sev - 1              # true minor, serious; spurious ...
            at = ((day + delay) % self._slots * 5 + row) * n + rep
            pending = self._pending.reshape(-1)
            np.add.at(pending, at[kept], 1.0)
            at_delay = ((day + delay) % self._slots * 5 + 4) * n + rep
            np.add.at(pending, at_delay[kept & real], delay[kept & real])
        rate = sum((a.false_alarm_rate() for a in self.assets), np.zeros(n)) * in_ceasefire
        events.false_alarms = rng.poisson(rate)
        verified_false = rng.binomial(events.false_alarms, cfg.p_verify_false_alarm)
        self._pending[(day + cfg.verification_delay_days) % self._slots, 2] += verified_false
        due = self._pending[day % self._slots]
        events.verified_true = due[:2].T.astype(np.int64) * in_ceasefire[:, None]
        events.verified_spurious = due[2:4].T.astype(np.int64) * in_ceasefire[:, None]
        events.verification_delay_sum = due[4] * in_ceasefire
        due[:] = 0.0
