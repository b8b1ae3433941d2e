"""The ceasefire model as a Mesa user would write it: one replication at a time, scalar Python.

A plain-Mesa reference of ``deterrence_sim`` (docs/model.md, the ODD), not part of the package. It
exists to check the batched NumPy core against an independent implementation of the same model
(``tests/test_mesa_reference.py``: the distributions of collapse day, violations and detections
agree) and to measure how much the batching buys (``benchmarks/test_ratios.py``).

One ``ReferenceModel`` is one replication. Every sector and every state is an agent with its own
scalar state and per-agent methods, called phase by phase through Mesa's ``AgentSet.do``; randomness
comes from the model's ``rng`` one scalar draw at a time; Mesa's ``DataCollector`` records the
day. It reuses the configuration dataclasses, the sector profile and the type sampler, and writes
every formula of the daily phases again in plain Python (``math``), so that a slip in one
implementation shows up as a difference between the two.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import mesa
import numpy as np
from deterrence_sim.core.types import sample
from deterrence_sim.theatre import seasonal_cloud_median, sector_profile
from scipy import special

from deterrence_sim.config import (
    AssetConfig,
    CommitmentConfig,
    DecisionRule,
    GuarantorConfig,
    ScenarioConfig,
)

DAYS_PER_YEAR = 365.0
MIN_CAPABILITY = 1e-3


def logistic(x: float) -> float:
    """``1 / (1 + exp(-x))`` without overflow."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def logit_normal(median: float, logit_sd: float, u: float) -> float:
    """Inverse CDF of a logit-normal law with the given median (0 if the median is 0)."""
    if median <= 0.0:
        return 0.0
    return logistic(math.log(median / (1.0 - median)) + logit_sd * float(special.ndtri(u)))


def project(x: float, inflow: float, depreciation: float, days: int) -> float:
    """Capability ``days`` ahead under ``x' = inflow - depreciation x`` (closed form)."""
    if depreciation == 0.0:
        return max(x + inflow * days, MIN_CAPABILITY)
    target = inflow / depreciation
    return max(target + (x - target) * (1.0 - depreciation) ** days, MIN_CAPABILITY)


@dataclass
class Report:
    """A report against the aggressor awaiting verification."""

    rung: int
    corroborated: bool
    real: bool


@dataclass
class Today:
    """What happened today in this replication."""

    offensive: bool = False
    violations: list[int] = field(default_factory=lambda: [0, 0, 0])   # by rung (index 0 unused)
    defender_violations: list[int] = field(default_factory=lambda: [0, 0, 0])   # by rung
    detected: int = 0
    misattributed: int = 0
    false_alarms: int = 0
    reports: list[Report] = field(default_factory=list)
    verified_true: list[int] = field(default_factory=lambda: [0, 0, 0])
    verified_spurious: list[int] = field(default_factory=lambda: [0, 0, 0])
    delay_sum: int = 0
    triggered: int = 0
    honoured: int = 0
    aggressor_cost: float = 0.0
    denial_boost: float = 0.0
    clash: bool = False


# --------------------------------------------------------------------------------------- agents


class Guarantor(mesa.Agent):
    def __init__(self, model: ReferenceModel, cfg: GuarantorConfig, will0: float, aid: float) -> None:
        super().__init__(model)
        self.cfg = cfg
        self.will0 = self.will = self.min_will = will0
        self.aid_per_day = aid / DAYS_PER_YEAR
        self.standing_per_day = 0.0
        self.cost_today = 0.0

    def evolve(self) -> None:
        c, today = self.cfg, self.model.today
        self.cost_today += self.standing_per_day + self.aid_per_day * self.will
        flagrant = today.verified_true[2] + today.verified_spurious[2]
        w = (self.will + c.rally_per_flagrant * flagrant
             - c.fatigue * self.cost_today / (c.cost_tolerance_bn_per_year / DAYS_PER_YEAR)
             - c.drift_per_day * (self.will - self.will0))
        self.will = min(max(w, 0.0), 1.0)
        self.min_will = min(self.min_will, self.will)


class Defender(mesa.Agent):
    def __init__(self, model: ReferenceModel, cfg) -> None:
        super().__init__(model)
        self.cfg = cfg
        self.capability = cfg.capability

    def inflow(self) -> float:
        money = self.cfg.own_budget_bn_per_year / DAYS_PER_YEAR + sum(
            g.aid_per_day * g.will for g in self.model.guarantors)
        return self.cfg.efficiency_per_bn * DAYS_PER_YEAR * money * self.cfg.depreciation_per_day

    def react(self, sector: Sector) -> None:
        """Retaliate in kind where attacked; rarely violate unprovoked elsewhere."""
        u = self.model.rng.random()
        if sector.aggressor_rung > 0:
            if u < self.cfg.p_retaliate:
                sector.defender_rung = sector.aggressor_rung
        elif not self.model.today.offensive and u < self.cfg.p_spontaneous_per_sector_day:
            sector.defender_rung = 1
        if sector.defender_rung:
            self.model.today.defender_violations[sector.defender_rung] += 1

    def evolve(self) -> None:
        c, today = self.cfg, self.model.today
        losses = c.attrition_minor * today.violations[1] + c.attrition_serious * today.violations[2]
        x = self.capability + self.inflow() - c.depreciation_per_day * self.capability - losses
        self.capability = max(x, MIN_CAPABILITY) + today.denial_boost


class Aggressor(mesa.Agent):
    def __init__(self, model: ReferenceModel, s: ScenarioConfig, theta: float) -> None:
        super().__init__(model)
        self.attack, self.forces, self.theta = s.attack, s.theater.aggressor, theta
        self.capability = self.forces.capability
        a = s.attack
        n = s.theater.n_sectors
        self.detect = [[[a.prior_detect_alpha, a.prior_detect_beta] for _ in range(3)] for _ in range(n)]
        self.cred = [[a.prior_credibility_alpha, a.prior_credibility_beta]
                     for _ in s.guarantee.commitments]
        self.credibility: list[float] = []
        self.expected = [0.0, 0.0, 0.0]

    def believed_detection(self, sector: int, rung: int) -> float:
        alpha, beta = self.detect[sector][rung]
        return alpha / (alpha + beta)

    def weigh(self) -> None:
        """Today's beliefs and expected punishment if seen; then whether to launch the offensive."""
        self.credibility = [a / (a + b) for a, b in self.cred]
        commitments = self.model.commitments
        for rung in (1, 2):
            self.expected[rung] = sum(q * c.punish_if_seen(rung)
                                      for q, c in zip(self.credibility, commitments, strict=True))
        a, defender = self.attack, self.model.defender
        win = self.p_win(self.capability, defender.capability)
        u = (self.theta * a.offensive_gain * win - (1.0 - win) * a.offensive_fail_loss
             - sum(q * c.cfg.punishment_offensive for q, c in zip(self.credibility, commitments,
                                                                    strict=True))
             - a.offensive_cost)
        if a.window_weight > 0.0:
            inflow = self.forces.regen_per_day - sum(c.drag(self.model.day) for c in commitments)
            later = self.p_win(
                project(self.capability, inflow, self.forces.depreciation_per_day, a.lookahead_days),
                project(defender.capability, defender.inflow(), defender.cfg.depreciation_per_day,
                        a.lookahead_days))
            u += a.window_weight * max(0.0, win - later)
        if a.offensive_temperature == 0.0:
            p = a.offensive_rate_per_day * (u > 0.0)
        else:
            p = a.offensive_rate_per_day * logistic(u / a.offensive_temperature)
        self.model.today.offensive = self.model.rng.random() < p

    def p_win(self, attacker: float, defender: float) -> float:
        a = self.attack
        return logistic(a.win_steepness * (math.log(attacker / defender)
                                           - math.log(a.required_force_ratio)))

    def choose(self, sector: Sector) -> None:
        """Comply, minor or serious in one sector: a logit choice, if the sector offers a chance."""
        a, m = self.attack, self.model
        u = m.rng.random()
        if m.today.offensive:
            return
        defence = m.defender.capability + sector.presence_denial
        tripwire = sum(q * c.punishment_per_violation(2) for q, c in zip(
            self.credibility, m.commitments, strict=True) if c.present_in(sector.index))
        utility = [
            -sector.false_alarm_risk * self.expected[1],
            self.theta * a.gain_minor * sector.value - a.denial_minor * defence
            - self.believed_detection(sector.index, 1) * self.expected[1],
            self.theta * a.gain_serious * sector.value - a.denial_serious * defence
            - self.believed_detection(sector.index, 2) * self.expected[2] - tripwire,
        ]
        p = choice_probabilities(utility, a.temperature)
        rate = a.opportunity_rate_per_sector_day
        if u < rate * p[2]:
            sector.aggressor_rung = 2
        elif u < rate * (p[1] + p[2]):
            sector.aggressor_rung = 1
        m.today.violations[sector.aggressor_rung] += sector.aggressor_rung > 0

    def learn_where_seen(self, sector: Sector) -> None:
        if not self.attack.learns or not sector.aggressor_rung:
            return
        lam, cell = self.attack.forgetting, self.detect[sector.index][sector.aggressor_rung]
        cell[0] = lam * cell[0] + sector.aggressor_seen
        cell[1] = lam * cell[1] + (1 - sector.aggressor_seen)

    def learn_credibility(self) -> None:
        if not self.attack.learns:
            return
        lam = self.attack.forgetting
        for belief, c in zip(self.cred, self.model.commitments, strict=True):
            if c.decided:
                belief[0] = lam * belief[0] + c.honoured
                belief[1] = lam * belief[1] + (1 - c.honoured)

    def evolve(self) -> None:
        f = self.forces
        drag = sum(c.drag(self.model.day) for c in self.model.commitments)
        x = self.capability + f.regen_per_day - f.depreciation_per_day * self.capability - drag
        self.capability = max(x, MIN_CAPABILITY)


def choice_probabilities(utility: list[float], temperature: float) -> list[float]:
    """Logit probabilities of the three rungs; at zero temperature the best response (ties: lower)."""
    if temperature == 0.0:
        best = max(range(3), key=lambda r: (utility[r], -r))
        return [float(r == best) for r in range(3)]
    top = max(utility)
    e = [math.exp((x - top) / temperature) for x in utility]
    total = sum(e)
    return [x / total for x in e]


class Sector(mesa.Agent):
    """One sector of the contact line: its value, what happens there today, and who sees it."""

    def __init__(self, model: ReferenceModel, index: int, value: float, visibility: float) -> None:
        super().__init__(model)
        self.index, self.value, self.visibility = index, value, visibility
        self.presence_denial = 0.0
        self.false_alarm_risk = 0.0
        self.aggressor_rung = self.defender_rung = 0
        self.aggressor_seen = False

    def morning(self) -> None:
        self.aggressor_rung = self.defender_rung = 0
        self.aggressor_seen = False

    def aggressor_acts(self) -> None:
        self.model.aggressor.choose(self)

    def defender_acts(self) -> None:
        self.model.defender.react(self)

    def observed(self) -> None:
        """Each side's event here: seen by the assets, corroborated, attributed, reported."""
        m = self.model
        for real, rung in ((True, self.aggressor_rung), (False, self.defender_rung)):
            if not rung or not m.assets:
                continue
            u_detect, u_attr = m.rng.random(), m.rng.random()
            p = [asset.detection_probability(self, rung) for asset in m.assets]
            none, one = 1.0, 0.0
            for p_i in p:
                one = one * (1.0 - p_i) + none * p_i
                none *= 1.0 - p_i
            if u_detect >= 1.0 - none:
                continue
            total = sum(p)
            accuracy = sum(p_i * a.cfg.attribution_accuracy for p_i, a in zip(p, m.assets, strict=True))
            accuracy = accuracy / total if total > 0 else 0.0
            right = u_attr < accuracy
            wrong = not right and u_attr < accuracy + (1.0 - accuracy) * m.cfg.monitoring.p_wrong_side
            corroborated = u_detect < 1.0 - none - one
            if real:
                m.today.detected += 1
                self.aggressor_seen = right
            m.today.misattributed += wrong
            if (real and right) or (not real and wrong):
                m.today.reports.append(Report(rung, corroborated, real))

    def learn(self) -> None:
        self.model.aggressor.learn_where_seen(self)


class MonitoringAsset(mesa.Agent):
    def __init__(self, model: ReferenceModel, cfg: AssetConfig, n_sectors: int) -> None:
        super().__init__(model)
        self.cfg = cfg
        self.n_covered = round(cfg.coverage_share * n_sectors)
        self.active, self.down_days = True, 0

    def update_status(self) -> None:
        lost = self.active and self.model.rng.random() < self.cfg.loss_rate_per_day
        if self.down_days > 0:
            self.down_days -= 1
        if lost:
            self.down_days = self.cfg.replacement_days
        self.active = self.down_days == 0

    def detection_probability(self, sector: Sector, rung: int) -> float:
        c, m = self.cfg, self.model
        if not self.active or sector.index >= self.n_covered:
            return 0.0
        obscured = 1.0 - (1.0 - c.cloud_sensitivity * m.cloud) * (1.0 - c.jam_sensitivity * m.jamming)
        p_look = c.p_detect_minor if rung == 1 else c.p_detect_serious
        return -math.expm1(-c.looks_per_day * sector.visibility * p_look * (1.0 - obscured)
                           * c.exposure_days)

    def false_alarm_rate(self) -> float:
        return self.cfg.false_alarms_per_sector_day * self.n_covered * self.active


class Commitment(mesa.Agent):
    def __init__(self, model: ReferenceModel, cfg: CommitmentConfig, members: list[Guarantor]) -> None:
        super().__init__(model)
        self.cfg, self.members = cfg, members
        self.window = [0] * cfg.trigger_window_days
        self.count = 0
        self.landing = [False] * (cfg.response_delay_days + 1)
        self.drag_until = -1
        self.decided = self.honoured = False
        for g in members:
            g.standing_per_day += cfg.standing_cost_bn_per_year / DAYS_PER_YEAR / len(members)

    def present_in(self, sector: int) -> bool:
        return sector < self.cfg.presence_sectors

    def punishment_per_violation(self, rung: int) -> float:
        ok = rung >= self.cfg.trigger_severity.value
        return self.cfg.punishment / self.cfg.trigger_count if ok else 0.0

    def punish_if_seen(self, rung: int) -> float:
        """A present force answers only attacks on itself (the tripwire), not reports."""
        return 0.0 if self.cfg.presence_sectors else self.punishment_per_violation(rung)

    def drag(self, day: int) -> float:
        return self.cfg.sanctions_drag_per_day * (self.drag_until >= day)

    def respond(self) -> None:
        m, c = self.model, self.cfg
        day = m.day
        alive = not m.today.offensive
        fires = self.add_to_window()
        triggered = alive and fires
        answer_offensive = m.today.offensive and c.punishment_offensive > 0
        self.decided = triggered or answer_offensive
        self.honoured = self.decided and self.coalition_honours()
        if self.honoured and triggered:
            self.landing[(day + c.response_delay_days) % len(self.landing)] = True
        slot = day % len(self.landing)
        landed, self.landing[slot] = self.landing[slot] and alive, False
        if landed:
            self.carry_out(c.punishment)
            self.drag_until = day + c.effect_days - 1
            m.today.denial_boost += c.denial_boost
        if self.honoured and answer_offensive:
            self.carry_out(c.punishment_offensive)
        m.today.triggered += self.decided
        m.today.honoured += self.honoured

    def add_to_window(self) -> bool:
        m, c = self.model, self.cfg
        if c.presence_sectors:
            today = sum(s.aggressor_rung == 2 for s in m.sectors if self.present_in(s.index))
        else:
            lo = c.trigger_severity.value
            today = sum(m.today.verified_true[lo:]) + sum(m.today.verified_spurious[lo:])
        slot = m.day % len(self.window)
        self.count += today - self.window[slot]
        self.window[slot] = today
        if self.count >= c.trigger_count:
            self.window = [0] * len(self.window)
            self.count = 0
            return True
        return False

    def coalition_honours(self) -> bool:
        b = self.cfg.bindingness
        votes = [self.model.rng.random() < g.will + b * (1.0 - g.will) for g in self.members]
        if self.cfg.rule is DecisionRule.lead_nation:
            return votes[0]
        if self.cfg.rule is DecisionRule.majority:
            return 2 * sum(votes) > len(votes)
        return all(votes)

    def carry_out(self, punishment: float) -> None:
        m = self.model
        m.today.aggressor_cost += punishment
        for g in self.members:
            g.cost_today += self.cfg.cost_bn_per_response / len(self.members)
        if m.rng.random() < self.cfg.clash_risk:
            m.today.clash = True


# ---------------------------------------------------------------------------------------- model


class MonitoringMechanism:
    """Verification of reports after a delay; false alarms. Not an agent (as in the package)."""

    def __init__(self, model: ReferenceModel) -> None:
        self.model = model
        cfg = model.cfg.monitoring
        self.slots = max(cfg.verification_delay_days, cfg.corroborated_delay_days) + 1
        self.pending = [[0] * 5 for _ in range(self.slots)]   # true 1, 2; spurious 1, 2; delay sum

    def verify(self) -> None:
        m, cfg = self.model, self.model.cfg.monitoring
        day, today = m.day, m.today
        for r in today.reports:
            if r.corroborated:
                delay = cfg.corroborated_delay_days
            elif m.rng.random() < cfg.p_verify_single:
                delay = cfg.verification_delay_days
            else:
                continue
            slot = self.pending[(day + delay) % self.slots]
            slot[(0 if r.real else 2) + r.rung - 1] += 1
            slot[4] += delay if r.real else 0
        today.false_alarms = int(m.rng.poisson(sum(a.false_alarm_rate() for a in m.assets)))
        verified_false = int(m.rng.binomial(today.false_alarms, cfg.p_verify_false_alarm))
        self.pending[(day + cfg.verification_delay_days) % self.slots][2] += verified_false
        due = self.pending[day % self.slots]
        today.verified_true = [0, due[0], due[1]]
        today.verified_spurious = [0, due[2], due[3]]
        today.delay_sum = due[4]
        self.pending[day % self.slots] = [0] * 5


class ReferenceModel(mesa.Model):
    """One replication of one scenario, agent by agent and day by day."""

    def __init__(self, cfg: ScenarioConfig, seed: int) -> None:
        super().__init__(rng=seed)
        self.cfg = cfg
        t = cfg.theater
        self.day, self.collapse_day, self.collapsed, self.clash = 0, 0, False, False
        self.cloud = self.jamming = 0.0
        u_types = self.rng.random(1 + len(t.guarantors))
        value, visibility = sector_profile(t)
        self.sectors = [Sector(self, s, float(value[s]), float(visibility[s])) for s in range(t.n_sectors)]
        self.guarantors = [Guarantor(self, g, float(sample(g.political_will, u_types[1 + i:2 + i])[0]),
                                     cfg.guarantee.aid_bn_per_year.get(g.name, 0.0))
                           for i, g in enumerate(t.guarantors)]
        by_name = {g.cfg.name: g for g in self.guarantors}
        self.defender = Defender(self, t.defender)
        self.assets = [MonitoringAsset(self, a, t.n_sectors) for a in cfg.monitoring.assets]
        for asset in self.assets:
            if asset.cfg.owner in by_name:
                by_name[asset.cfg.owner].standing_per_day += asset.cfg.cost_bn_per_year / DAYS_PER_YEAR
        self.monitoring = MonitoringMechanism(self)
        self.commitments = [Commitment(self, c, [by_name[g] for g in c.guarantors])
                            for c in cfg.guarantee.commitments]
        self.aggressor = Aggressor(self, cfg, float(sample(cfg.attack.revisionism, u_types[:1])[0]))
        for sector in self.sectors:
            sector.presence_denial = sum(c.cfg.presence_denial for c in self.commitments
                                         if c.present_in(sector.index))
            rate = sum(a.cfg.false_alarms_per_sector_day for a in self.assets
                       if sector.index < a.n_covered)
            sector.false_alarm_risk = -math.expm1(-rate) * cfg.monitoring.p_verify_false_alarm
        self.totals = dict.fromkeys(RUN_TOTALS, 0.0)
        self.today = Today()
        self.datacollector = mesa.DataCollector(model_reporters={
            "violations": lambda m: m.today.violations[1] + m.today.violations[2],
            "detected": lambda m: m.today.detected,
            "verified": lambda m: m.today.verified_true[1] + m.today.verified_true[2],
            "political_will": lambda m: (sum(g.will for g in m.guarantors) / len(m.guarantors)
                                         if m.guarantors else 0.0),
            "force_ratio": lambda m: m.aggressor.capability / m.defender.capability,
        })

    def step(self) -> None:
        """One day: the nine phases of the ODD, agent by agent."""
        self.day += 1
        self.today = Today()
        sectors = self.agents_by_type[Sector]
        sectors.do("morning")
        self.update_environment()                                   # 1
        self.aggressor.weigh()                                      # 2 theatre, then sectors
        sectors.do("aggressor_acts")
        sectors.do("defender_acts")                                 # 3
        sectors.do("observed")                                      # 4
        self.monitoring.verify()                                    # 5
        if self.commitments:                                        # 6
            self.agents_by_type[Commitment].do("respond")
        sectors.do("learn")                                         # 7
        self.aggressor.learn_credibility()
        self.aggressor.evolve()                                     # 8
        self.defender.evolve()
        if self.guarantors:
            self.agents_by_type[Guarantor].do("evolve")
        self.record()                                               # 9

    def update_environment(self) -> None:
        t, mon = self.cfg.theater, self.cfg.monitoring
        u_cloud, u_jam = self.rng.random(), self.rng.random()
        self.cloud = logit_normal(seasonal_cloud_median(t, mon.extra_cloud, self.day), t.cloud_logit_sd,
                                  u_cloud)
        self.jamming = logit_normal(mon.jamming_median, mon.jamming_logit_sd, u_jam)
        if self.assets:
            self.agents_by_type[MonitoringAsset].do("update_status")

    def record(self) -> None:
        today, tot = self.today, self.totals
        tot["violations_minor"] += today.violations[1]
        tot["violations_serious"] += today.violations[2]
        tot["defender_violations_minor"] += today.defender_violations[1]
        tot["defender_violations_serious"] += today.defender_violations[2]
        tot["detected"] += today.detected
        tot["verified"] += today.verified_true[1] + today.verified_true[2]
        tot["verified_spurious"] += today.verified_spurious[1] + today.verified_spurious[2]
        tot["false_alarms"] += today.false_alarms
        tot["misattributed"] += today.misattributed
        tot["responses_triggered"] += today.triggered
        tot["responses_honoured"] += today.honoured
        tot["aggressor_cost"] += today.aggressor_cost
        for g in self.guarantors:
            tot["guarantor_cost"] += g.cost_today
            g.cost_today = 0.0
        self.clash |= today.clash
        self.datacollector.collect(self)
        if today.offensive:
            self.collapsed, self.collapse_day = True, self.day

    def run(self) -> ReferenceModel:
        while self.day < self.cfg.sim.horizon_days and not self.collapsed:
            self.step()
        return self

    def outputs(self) -> dict[str, float]:
        """This replication's row, with the columns of ``results.runs_table`` that it shares."""
        return {"collapsed": self.collapsed,
                "duration_days": self.collapse_day if self.collapsed else self.cfg.sim.horizon_days,
                **self.totals, "direct_clash": self.clash,
                "final_aggressor_capability": self.aggressor.capability,
                "final_defender_capability": self.defender.capability,
                "revisionism": self.aggressor.theta}


RUN_TOTALS = ("violations_minor", "violations_serious", "defender_violations_minor",
              "defender_violations_serious", "detected", "verified",
              "verified_spurious", "false_alarms", "misattributed", "responses_triggered",
              "responses_honoured", "guarantor_cost", "aggressor_cost")


def simulate_reference(cfg: ScenarioConfig, replications: int, seed: int = 0) -> list[dict[str, float]]:
    """Run ``replications`` independent replications one after another; one row each."""
    seeds = np.random.SeedSequence(seed).spawn(replications)
    return [ReferenceModel(cfg, s).run().outputs() for s in seeds]
