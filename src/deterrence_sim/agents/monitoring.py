"""Monitoring assets and the monitoring-and-verification mechanism that fuses their reports."""

from __future__ import annotations

import mesa
import numpy as np

from deterrence_sim.agents.states import DAYS_PER_YEAR, Guarantor
from deterrence_sim.config import AssetConfig, MonitoringConfig
from deterrence_sim.core.detection import at_least_two, fuse_independent, revisit_detection
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
        self._reports: list[tuple[np.ndarray, np.ndarray, np.ndarray, bool]] = []

    def false_alarm_risk(self) -> np.ndarray:
        """Chance per sector-day that a false alarm is verified against the aggressor (all assets up)."""
        per_sector = sum((a.cfg.false_alarms_per_sector_day * a.covered for a in self.assets),
                         np.zeros(self.theatre.n_sectors))
        return -np.expm1(-per_sector) * self.cfg.p_verify_false_alarm

    def _observe_side(self, rung: np.ndarray, u_detect: np.ndarray, u_attr: np.ndarray):
        """Detect and attribute every event of one side; returns per-event arrays."""
        cells = np.flatnonzero(rung)
        n_sectors = rung.shape[1]
        rep, sector = cells // n_sectors, cells % n_sectors
        sev = rung.reshape(-1)[cells].astype(np.intp)
        if not self.assets:
            none = np.zeros(len(cells), dtype=bool)
            return cells, rep, sev, none, none, none, none
        p = np.stack([a.detection_probability(rep, sector, sev, self.theatre) for a in self.assets])
        u = u_detect.reshape(-1)[cells]
        detected = u < fuse_independent(p)
        corroborated = u < at_least_two(p)
        total = p.sum(axis=0)
        accuracy = (p * self._accuracy).sum(axis=0) / np.where(total > 0, total, 1.0)
        ua = u_attr.reshape(-1)[cells]
        right = detected & (ua < accuracy)
        wrong = detected & ~right & (ua < accuracy + (1.0 - accuracy) * self.cfg.p_wrong_side)
        return cells, rep, sev, detected, corroborated, right, wrong

    def observe(self, events: DayEvents, rng: np.random.Generator) -> None:
        """Phase 4: which events are seen, by how many sources, and whom they are blamed on."""
        u = rng.random((4, *events.aggressor_rung.shape), dtype=np.float32)
        cells, rep_a, sev_a, det_a, corr_a, right_a, wrong_a = self._observe_side(
            events.aggressor_rung, u[0], u[1])
        _, rep_d, sev_d, _, corr_d, _, wrong_d = self._observe_side(
            events.defender_rung, u[2], u[3])
        n = self.n
        events.aggressor_event_cells = cells
        events.aggressor_event_seen = right_a
        events.detected = np.bincount(rep_a[det_a], minlength=n)
        events.misattributed = (np.bincount(rep_a[wrong_a], minlength=n)
                                + np.bincount(rep_d[wrong_d], minlength=n))
        self._reports = [(rep_a[right_a], sev_a[right_a], corr_a[right_a], True),
                         (rep_d[wrong_d], sev_d[wrong_d], corr_d[wrong_d], False)]

    def verify(self, events: DayEvents, day: int, in_ceasefire: np.ndarray,
               rng: np.random.Generator) -> None:
        """Phase 5: schedule today's reports for verification and release those due today."""
        cfg, n = self.cfg, self.n
        for rep, sev, corroborated, real in self._reports:
            single = ~corroborated
            kept = corroborated | (single & (rng.random(len(rep)) < cfg.p_verify_single))
            row = (0 if real else 2) + sev - 1
            for delay, mask in ((cfg.corroborated_delay_days, corroborated & kept),
                                (cfg.verification_delay_days, single & kept)):
                counts = np.bincount(row[mask] * n + rep[mask], minlength=4 * n).reshape(4, n)
                slot = self._pending[(day + delay) % self._slots]
                slot[:4] += counts
                if real:
                    slot[4] += delay * counts[:2].sum(axis=0)
        rate = sum((a.false_alarm_rate() for a in self.assets), np.zeros(n)) * in_ceasefire
        events.false_alarms = rng.poisson(rate)
        verified_false = rng.binomial(events.false_alarms, cfg.p_verify_false_alarm)
        self._pending[(day + cfg.verification_delay_days) % self._slots, 2] += verified_false
        due = self._pending[day % self._slots]
        events.verified_true = due[:2].T.astype(np.int64) * in_ceasefire[:, None]
        events.verified_spurious = due[2:4].T.astype(np.int64) * in_ceasefire[:, None]
        events.verification_delay_sum = due[4] * in_ceasefire
        due[:] = 0.0
