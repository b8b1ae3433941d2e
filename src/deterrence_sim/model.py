"""The ceasefire model: one scenario advanced for ``n`` replications at once, one day per step."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

import mesa
import numpy as np

from deterrence_sim.agents import (
    Aggressor,
    Defender,
    EscalationLadder,
    GuaranteeCommitment,
    Guarantor,
    MonitoringAsset,
    MonitoringMechanism,
)
from deterrence_sim.columns import DAILY_MEANS, SUMMED
from deterrence_sim.config import ScenarioConfig
from deterrence_sim.core.recorder import Recorder
from deterrence_sim.core.rng import BlockStreams, Dice
from deterrence_sim.events import DayEvents
from deterrence_sim.parameters import resolve
from deterrence_sim.theater import Theater
from deterrence_sim.trace import Tracer


def _mean_today(name: str, model: CeasefireModel) -> float:
    """Model reporter: today's mean of output ``name`` over the replications in ceasefire."""
    return model.means[name]


class CeasefireModel(mesa.Model):
    """A ceasefire watched by monitoring assets and backed by guarantee commitments.

    All agents act on every replication of the block at once; replications that have collapsed
    are masked, not removed. ``step`` advances one day (``steps`` counts the days) through the ten
    phases of the ODD; ``running`` turns False at the horizon or once every replication has
    collapsed, and stepping after that does nothing. Each day's means over the replications in
    ceasefire go to ``datacollector`` (Mesa's ``DataCollector``; row 0 is day 0).

    Parameters
    ----------
    scenario : ScenarioConfig
        The validated scenario (default: the schema's defaults).
    n : int, optional
        Replications (per point, with ``points``); default ``scenario.sim.replications``.
    block : int
        Index of the replication block; with the seed it fixes every random stream.
    points : mapping of str to array, optional
        Parameter values of ``P`` points by path (``ds.evaluate``): the model then holds ``P * n``
        replications, point-major, and replication ``j`` of every point draws the same random
        numbers.
    positions : array of int, optional
        With ``points``: each replication's own position in the block (independent points), instead
        of replication ``j`` of every point sharing position ``j``.
    trace : sequence of int
        Replications (rows of this model) to trace day by day (``tracer``).
    """

    def __init__(self, scenario: ScenarioConfig | None = None, n: int | None = None, block: int = 0,
                 *, points: Mapping[str, np.ndarray] | None = None, positions: np.ndarray | None = None,
                 trace: Sequence[int] = ()) -> None:
        scenario = scenario if scenario is not None else ScenarioConfig()
        period = scenario.sim.replications if n is None else n
        copies = len(next(iter(points.values()))) if points else 1
        self.streams = BlockStreams(scenario.sim.seed, block)
        super().__init__(rng=self.streams.generator("mesa"))
        self.n = period * copies
        self.block = block
        self.horizon_days = scenario.sim.horizon_days
        self.dice = Dice(self.streams, self.n, period, scenario.theater.n_sectors, positions)
        repeated = {k: np.repeat(np.asarray(v, dtype=float), period) for k, v in (points or {}).items()}
        self.scenario, self.parameter_values = resolve(scenario, self.dice, repeated)
        self.in_ceasefire = np.ones(self.n, dtype=bool)
        self.collapse_day = np.zeros(self.n, dtype=np.int64)
        self.clash = np.zeros(self.n, dtype=bool)
        self.surprise = np.zeros(self.n, dtype=bool)
        self.warning_day = np.full(self.n, -1, dtype=np.int64)   # of the offensive that ended it
        self._build(self.scenario)
        self.events = DayEvents(self.n, self.theater.n_sectors)
        self.recorder = Recorder(self.n, self.horizon_days, SUMMED, DAILY_MEANS)
        self.tracer = Tracer(trace)
        self.means = self._means(self.observe_day(), self.in_ceasefire)
        self.datacollector = mesa.DataCollector(
            model_reporters={"share_in_ceasefire": lambda m: float(m.in_ceasefire.mean()),
                             **{name: partial(_mean_today, name) for name in DAILY_MEANS}})
        self.datacollector.collect(self)

    def _build(self, s: ScenarioConfig) -> None:
        """Create the environment and the agents from the resolved scenario."""
        n, dice = self.n, self.dice
        self.theater = Theater(s.theater, s.monitoring, n, dice)
        self.guarantors = [Guarantor(self, g, n, s.guarantee.aid_bn_per_year.get(name, 0.0))
                           for name, g in s.theater.guarantors.items()]
        by_name = {g.name: g for g in self.guarantors}
        self.defender = Defender(self, s.theater.defender, n, self.guarantors,
                                 self.streams.generator("defender"), dice)
        n_sectors = s.theater.n_sectors
        self.assets = [MonitoringAsset(self, a, n_sectors, n, by_name.get(a.owner), dice)
                       for a in s.monitoring.assets.values()]
        self.monitoring = MonitoringMechanism(s.monitoring, self.assets, self.theater, n, dice)
        self.commitments = [GuaranteeCommitment(self, c, [by_name[g] for g in c.guarantors],
                                                n_sectors, n, dice, index=k)
                            for k, c in enumerate(s.guarantee.commitments.values())]
        self.aggressor = Aggressor(self, s.attack, s.theater.aggressor, n, self.theater.sector_value,
                                   [c.terms for c in self.commitments],
                                   self.monitoring.false_alarm_risk(),
                                   self.streams.generator("aggressor"), dice)
        self.ladder = EscalationLadder(n, self.aggressor, self.commitments, self.guarantors, dice)

    def _wrapped_step(self, *args: Any, **kwargs: Any) -> None:
        """Mesa's step wrapper (it counts ``steps``), skipped once the model has stopped running."""
        if self.running:
            super()._wrapped_step(*args, **kwargs)

    # ------------------------------------------------------------------ the day
    def step(self) -> None:
        """One day: the ten phases in order."""
        self.events.reset()
        self.update_environment()      # 1 weather, EW, asset losses
        self.aggressor_decides()       # 2 build-ups and major offensives; comply / violate per sector
        self.defender_reacts()         # 3 retaliation, spontaneous violations
        self.monitor()                 # 4 detection and attribution of events; watch for build-ups
        self.verify()                  # 5 delayed, corroborated verification; warnings
        self.commitments_respond()     # 6 triggers, coalition decisions, responses and effects
        self.escalate()                # 7 the escalation ladder after clashes
        self.aggressor_learns()        # 8 beliefs about detection, credibility and warning
        self.evolve()                  # 9 capabilities, aid, political will, costs
        self.record()                  # 10 totals, daily aggregates, collapses

    def update_environment(self) -> None:
        self.theater.update(self.steps)
        for asset in self.assets:
            asset.update_status(self.steps)

    def aggressor_decides(self) -> None:
        self.aggressor.prepare(self.events, self.in_ceasefire, self.defender, self.steps)
        self.aggressor.decide(self.events, self.in_ceasefire, self.defender, self.steps)

    def defender_reacts(self) -> None:
        self.defender.react(self.events, self.in_ceasefire, self.steps)

    def monitor(self) -> None:
        self.monitoring.observe(self.events, self.steps)
        a = self.aggressor
        self.monitoring.watch_buildups(self.events, self.steps, self.in_ceasefire, a.buildup_left > 0,
                                       a.buildup_axis, a.attack.buildup_signature)

    def verify(self) -> None:
        self.monitoring.verify(self.events, self.steps, self.in_ceasefire)
        self.monitoring.release_warnings(self.events, self.steps, self.aggressor.buildup_left > 0,
                                         self.in_ceasefire)
        self.aggressor.observe_warning(self.events, self.steps)

    def commitments_respond(self) -> None:
        for commitment in self.commitments:
            commitment.respond(self.events, self.steps, self.in_ceasefire)
        self.defender.warned(self.events)

    def escalate(self) -> None:
        self.ladder.step(self.events, self.steps, self.in_ceasefire)

    def aggressor_learns(self) -> None:
        self.aggressor.learn(self.events, [c.decided for c in self.commitments],
                             [c.honoured for c in self.commitments])

    def evolve(self) -> None:
        flagrant = self.events.verified_true[:, 1] + self.events.verified_spurious[:, 1]
        self.aggressor.evolve(self.events, self.in_ceasefire)
        self.defender.evolve(self.events, self.in_ceasefire)
        self.defender.stand_down(self.events.offensive | self.events.buildup_aborted)
        for g in self.guarantors:
            g.evolve(flagrant, self.in_ceasefire)

    def record(self) -> None:
        live, ended = self.in_ceasefire, self.events.offensive | self.events.wider_war
        values = self.observe_day()
        self.recorder.record(self.steps, live, ended, values)
        if self.tracer:
            self.tracer.record(self, self.steps, live, values)
        self.means = self.recorder.day_means(self.steps)
        self.clash |= self.events.clash
        self.surprise |= self.events.surprise
        self.warning_day = np.where(self.events.offensive, self.events.launch_warned_day, self.warning_day)
        self.collapse_day[ended] = self.steps
        self.in_ceasefire = live & ~ended
        self.running = self.steps < self.horizon_days and bool(self.in_ceasefire.any())
        self.datacollector.collect(self)

    # ------------------------------------------------------------------ observation
    def observe_day(self) -> dict[str, np.ndarray]:
        """Today's value of every recorded output (``columns.RECORDED``), one per replication."""
        ev = self.events
        cost = sum((g.close_day() for g in self.guarantors), np.zeros(self.n))
        return {
            "violations_minor": ev.violations[:, 0], "violations_serious": ev.violations[:, 1],
            "defender_violations_minor": ev.defender_violations[:, 0],
            "defender_violations_serious": ev.defender_violations[:, 1],
            "detected": ev.detected, "verified": ev.verified_true.sum(axis=1),
            "verified_spurious": ev.verified_spurious.sum(axis=1), "false_alarms": ev.false_alarms,
            "misattributed": ev.misattributed, "verification_delay_days_sum": ev.verification_delay_sum,
            "responses_triggered": ev.triggered, "responses_honoured": ev.honoured,
            "guarantor_cost": cost, "aggressor_cost": ev.aggressor_cost,
            "ground_lost_km": self.theater.ground_km_per_serious * ev.violations[:, 1],
            "buildups_started": ev.buildup_started, "buildups_detected": ev.buildup_seen,
            "buildups_aborted": ev.buildup_aborted, "warnings": ev.warning,
            "false_warnings": ev.false_warning,
            "preparing": self.aggressor.buildup_left > 0, "warned": self.aggressor.warned,
            "escalation_rung": self.ladder.rung,
            "political_will": self.mean_political_will(),
            "credibility_belief": self.mean_credibility_belief(),
            "detection_belief": self.aggressor.p_seen.mean(axis=(1, 2)),
            "force_ratio": self.aggressor.capability / self.defender.capability,
            "cloud": self.theater.cloud, "jamming": self.theater.jamming,
            "assets_active": self.share_assets_active(),
        }

    def final_values(self) -> dict[str, np.ndarray]:
        """What the runs table reads at the end (``columns.FINAL``), one per replication."""
        wills = [g.min_will for g in self.guarantors]
        ladder, warned = self.ladder, self.warning_day >= 0
        values = {
            "direct_clash": self.clash.copy(),
            "surprise_offensive": self.surprise.copy(),
            "warning_days": np.where(warned, self.collapse_day - self.warning_day, -1),
            "escalation_rung_max": ladder.rung_max.copy(),
            "wider_war": ladder.rung >= 3,
            "wider_war_day": ladder.wider_war_day.copy(),
            "final_aggressor_capability": self.aggressor.capability,
            "final_defender_capability": self.defender.capability,
            "min_political_will": np.min(wills, axis=0) if wills else np.full(self.n, np.nan),
            "final_credibility_belief": self.mean_credibility_belief(),
        }
        return values

    def _means(self, values: Mapping[str, np.ndarray], live: np.ndarray) -> dict[str, float]:
        """Means of the daily outputs over the replications in ``live`` (NaN if none)."""
        count = np.count_nonzero(live)
        return {name: float(np.add.reduce(values[name], where=live)) / count if count else np.nan
                for name in DAILY_MEANS}

    def mean_political_will(self) -> np.ndarray:
        """Mean political will over the guarantors (NaN without guarantors)."""
        if not self.guarantors:
            return np.full(self.n, np.nan)
        return np.mean([g.will for g in self.guarantors], axis=0)

    def mean_credibility_belief(self) -> np.ndarray:
        """The aggressor's mean believed credibility over the commitments (NaN without any)."""
        if not self.commitments:
            return np.full(self.n, np.nan)
        return self.aggressor.credibility().mean(axis=1)

    def share_assets_active(self) -> np.ndarray:
        """Share of the monitoring assets up today (NaN without assets)."""
        if not self.assets:
            return np.full(self.n, np.nan)
        return np.mean([a.active for a in self.assets], axis=0)

    def run_model(self, on_day: Callable[[int], None] | None = None, every_days: int = 30) -> CeasefireModel:
        """Step until the model stops running (horizon reached, or every replication collapsed).

        ``on_day(day)`` is called every ``every_days`` days and at the end (for progress reports).
        """
        while self.running:
            self.step()
            if on_day is not None and self.steps % every_days == 0:
                on_day(self.steps)
        if on_day is not None:
            on_day(self.horizon_days)
        return self
