"""The ceasefire model: one scenario advanced for ``n`` replications at once, one day per step."""

from __future__ import annotations

from collections.abc import Callable

import mesa
import numpy as np

from deterrence_sim.agents import (
    Aggressor,
    Defender,
    GuaranteeCommitment,
    Guarantor,
    MonitoringAsset,
    MonitoringMechanism,
)
from deterrence_sim.config import ScenarioConfig
from deterrence_sim.core.recorder import Recorder
from deterrence_sim.core.rng import block_streams, daily_stream, scenario_entropy
from deterrence_sim.core.types import sample
from deterrence_sim.events import DayEvents
from deterrence_sim.theatre import Theatre


class CeasefireModel(mesa.Model):
    """A ceasefire watched by monitoring assets and backed by guarantee commitments.

    All agents act on every replication of the block at once; replications that have collapsed
    are masked, not removed. ``step`` advances one day through the nine phases of the ODD.

    Parameters
    ----------
    scenario : ScenarioConfig
        The validated scenario.
    n : int
        Replications in this block.
    block : int
        Index of the replication block; with the scenario's seed it fixes every random stream.
    """

    def __init__(self, scenario: ScenarioConfig, n: int, block: int = 0) -> None:
        self.entropy = scenario_entropy(scenario.sim.seed,
                                        (scenario.theater.name, scenario.attack.name))
        self.block = block
        self.streams = block_streams(self.entropy, block)
        super().__init__(rng=self.streams["mesa"])
        self.n = n
        self.horizon_days = scenario.sim.horizon_days
        self.day = 0
        self.in_ceasefire = np.ones(n, dtype=bool)
        self.collapse_day = np.zeros(n, dtype=np.int64)
        self.clash = np.zeros(n, dtype=bool)
        self._build(scenario)
        self.events = DayEvents(n, self.theatre.n_sectors)
        self.recorder = Recorder(n, self.horizon_days)

    def _build(self, s: ScenarioConfig) -> None:
        """Create the environment and the agents; draw each replication's hidden types."""
        n, types = self.n, self.streams["types"]
        u_types = types.random((1 + len(s.theater.guarantors), n))
        self.theatre = Theatre(s.theater, s.monitoring, n, self.streams["weather"])
        self.guarantors = [
            Guarantor(self, g, sample(g.political_will, u_types[1 + i]),
                      s.guarantee.aid_bn_per_year.get(g.name, 0.0))
            for i, g in enumerate(s.theater.guarantors)
        ]
        by_name = {g.name: g for g in self.guarantors}
        self.defender = Defender(self, s.theater.defender, n, self.guarantors)
        n_sectors = s.theater.n_sectors
        self.assets = [MonitoringAsset(self, a, n_sectors, n, by_name.get(a.owner))
                       for a in s.monitoring.assets]
        self.monitoring = MonitoringMechanism(s.monitoring, self.assets, self.theatre, n)
        self.commitments = [
            GuaranteeCommitment(self, c, [by_name[g] for g in c.guarantors], n_sectors, n)
            for c in s.guarantee.commitments
        ]
        self.aggressor = Aggressor(self, s.attack, s.theater.aggressor,
                                   sample(s.attack.revisionism, u_types[0]),
                                   self.theatre.sector_value, self.commitments,
                                   self.monitoring.false_alarm_risk())

    # ------------------------------------------------------------------ the day
    def step(self) -> None:
        """One day: the nine phases in order."""
        self.day += 1
        self.events.reset()
        self.update_environment()      # 1 weather, EW, asset losses
        self.aggressor_decides()       # 2 comply / violate per sector; major offensive
        self.defender_reacts()         # 3 retaliation, spontaneous violations
        self.monitor()                 # 4 detection, attribution, false alarms
        self.verify()                  # 5 delayed, corroborated verification
        self.commitments_respond()     # 6 triggers, coalition decisions, responses
        self.aggressor_learns()        # 7 beliefs about detection and credibility
        self.evolve()                  # 8 capabilities, aid, political will, costs
        self.record()                  # 9 totals and daily aggregates

    def update_environment(self) -> None:
        self.theatre.update(self.day)
        for asset in self.assets:
            asset.update_status(self.streams["assets"])

    def aggressor_decides(self) -> None:
        self.aggressor.decide(self.events, self.in_ceasefire, self.defender,
                              self.streams["aggressor"])

    def defender_reacts(self) -> None:
        self.defender.react(self.events, self.in_ceasefire, self.streams["defender"])

    def monitor(self) -> None:
        self.monitoring.observe(self.events, self.streams["detection"])

    def verify(self) -> None:
        rng = daily_stream(self.entropy, self.block, "verification", self.day)
        self.monitoring.verify(self.events, self.day, self.in_ceasefire, rng)

    def commitments_respond(self) -> None:
        rng = daily_stream(self.entropy, self.block, "response", self.day)
        for commitment in self.commitments:
            commitment.respond(self.events, self.day, self.in_ceasefire, rng)

    def aggressor_learns(self) -> None:
        self.aggressor.learn(self.events)

    def evolve(self) -> None:
        flagrant = (self.events.verified_true[:, 1] + self.events.verified_spurious[:, 1])
        self.aggressor.evolve(self.in_ceasefire)
        self.defender.evolve(self.events, self.in_ceasefire)
        for g in self.guarantors:
            g.evolve(flagrant, self.in_ceasefire)

    def record(self) -> None:
        ev, live = self.events, self.in_ceasefire
        cost = sum((g.close_day() for g in self.guarantors), np.zeros(self.n))
        self.clash |= ev.clash
        self.recorder.add(
            violations_minor=ev.violations[:, 0], violations_serious=ev.violations[:, 1],
            defender_violations_minor=ev.defender_violations[:, 0],
            defender_violations_serious=ev.defender_violations[:, 1],
            detected=ev.detected, verified=ev.verified_true.sum(axis=1),
            verified_spurious=ev.verified_spurious.sum(axis=1), false_alarms=ev.false_alarms,
            misattributed=ev.misattributed, verification_delay_days_sum=ev.verification_delay_sum,
            responses_triggered=ev.triggered, responses_honoured=ev.honoured,
            guarantor_cost=cost, aggressor_cost=ev.aggressor_cost,
            ground_lost_km=self.theatre.ground_km_per_serious * ev.violations[:, 1],
        )
        self.recorder.record_day(
            self.day, live, ev.offensive,
            violations_minor=ev.violations[:, 0], violations_serious=ev.violations[:, 1],
            defender_violations_minor=ev.defender_violations[:, 0],
            defender_violations_serious=ev.defender_violations[:, 1],
            detected=ev.detected, verified=ev.verified_true.sum(axis=1),
            false_alarms=ev.false_alarms, responses_triggered=ev.triggered,
            responses_honoured=ev.honoured, guarantor_cost=cost,
            political_will=self.mean_political_will(),
            credibility_belief=self.mean_credibility_belief(),
            detection_belief=self.aggressor.p_seen.mean(axis=(1, 2)),
            force_ratio=self.aggressor.capability / self.defender.capability,
            cloud=self.theatre.cloud, jamming=self.theatre.jamming,
            assets_active=self.share_assets_active(),
        )
        self.collapse_day[ev.offensive] = self.day
        self.in_ceasefire = live & ~ev.offensive

    # ------------------------------------------------------------------ summaries
    def mean_political_will(self) -> np.ndarray:
        """Mean political will over the guarantors (NaN-free: 0 with no guarantors)."""
        if not self.guarantors:
            return np.zeros(self.n)
        return np.mean([g.will for g in self.guarantors], axis=0)

    def mean_credibility_belief(self) -> np.ndarray:
        """The aggressor's mean believed credibility over the commitments (0 with none)."""
        if not self.commitments:
            return np.zeros(self.n)
        return self.aggressor.credibility().mean(axis=1)

    def share_assets_active(self) -> np.ndarray:
        if not self.assets:
            return np.zeros(self.n)
        return np.mean([a.active for a in self.assets], axis=0)

    def run(self, on_day: Callable[[int], None] | None = None, every_days: int = 30) -> CeasefireModel:
        """Advance to the horizon, or until every replication has collapsed.

        ``on_day(day)`` is called every ``every_days`` days and at the end (for progress reports).
        """
        while self.day < self.horizon_days and self.in_ceasefire.any():
            self.step()
            if on_day is not None and self.day % every_days == 0:
                on_day(self.day)
        if on_day is not None:
            on_day(self.horizon_days)
        return self
