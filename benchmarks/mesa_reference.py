"""The ceasefire model as a Mesa user would write it: one replication at a time, scalar Python.

A plain-Mesa reference of ``deterrence_sim``, not part of the package. It exists to check the
batched NumPy core (``deterrence_sim.model.CeasefireModel``) against an independent implementation
of the same model (``tests/test_mesa_reference.py``: the two agree in distribution) and to measure
how much the batching buys (``benchmarks/test_ratios.py``).

One ``ReferenceModel`` is one replication. Every sector, state (aggressor, defender, guarantor),
monitoring asset and guarantee commitment is a Mesa agent with its own scalar state; the day is the
list of phases ``ReferenceModel.PHASES``, each calling per-agent methods through Mesa's
``AgentSet.do``; every draw is one scalar from the model's own ``rng`` (the reference reproduces the
core's distributions, not its random numbers: no counter streams, no common random numbers); Mesa's
``DataCollector`` records each day.

Reused from the package (data and bookkeeping, no behaviour of the daily phases):

- the configuration dataclasses (``ScenarioConfig`` and its nodes; the asset kinds' and effect
  types' config classes, whose type also says which laws or effect apply here) and
  ``config.parameters``, the list of a scenario's numeric parameters with their paths and ranges;
- ``theater.sector_profile``: each sector's value and visibility;
- ``calibration.posterior.posterior_path`` and its list of non-parameter columns: where a
  calibration's table of particles is and which of its columns are not parameters.

Written again here in plain Python (``math``, ``statistics.NormalDist``), from the model's
definition and not by calling the core:

- each replication's parameter values (:func:`resolve_parameters`): every parameter given as a
  distribution is drawn once from the replication's own ``rng`` with NumPy's samplers
  (``Generator.triangular``, ``beta``, ..., the normal truncated to the field's range by
  rejection), not by the core's inverse-CDF sampler, its ``param:<path>`` streams or
  ``parameters.resolve``; with a calibration, one particle of its posterior is drawn by weight
  (``Generator.choice``) and sets the calibrated parameters (but those the scenario keeps,
  ``calibration.keep``); the values are written into a copy of
  the scenario, which the agents then read as plain numbers;
- every daily phase: weather and EW (logit-normal around the seasonal median), asset losses; the
  aggressor's build-ups (a seen one stood down with the logit of ``-abort_cost - U_go``, the others
  counted down and launched; a new one weighed at the offensive rate and started with the logit
  of ``U_build``, the war utility expected over being seen in time or not; its axis drawn in
  proportion to the sectors' value) and its sector decisions (utilities with the expected
  punishment if seen, the false-alarm risk, local denial and the tripwire, each with the believed
  cost of the escalation a clash may start; the logit choice); the war utility (p_win, the window
  term with both capabilities projected in closed form, the punishment and escalation cost of
  answering the offensive); the defender's reaction; each asset kind's detection law and build-up
  law (:data:`ASSET_KINDS`: only the config classes are imported, not the kinds' ``probability``
  or ``buildup_look``), fusion and corroboration, attribution, verification and false alarms (a
  Poisson count of false reports thinned by a binomial: the same law as the core's two independent
  Poisson counts, reached another way); build-up watching, warnings after their delay and false
  warnings; commitments (the tripwire count or the rolling window of verified reports, coalition
  decisions, delayed responses, action on warnings), each effect type's behaviour
  (:data:`EFFECT_TYPES`: landing, answering an offensive, pre-empting a build-up); the defender's
  alert and the forces moved forward; the escalation ladder (:class:`EscalationLadder`); learning,
  capabilities, aid and political will, and the records.

The day's phases share what happened through one blackboard, :class:`Today`. Adding a phase is a
method of :class:`ReferenceModel` named in ``PHASES`` (and, if agents act in it, a method on those
agents); adding an asset kind or an effect type is a class here registered in ``ASSET_KINDS`` or
``EFFECT_TYPES``. A kind or type the reference does not know, or an asset kind without both of its
laws written here, is refused by name rather than borrowed from the core.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any

import mesa
import numpy as np
import pandas as pd
from mesa.agent import AgentSet

from deterrence_sim.assets.drone_fleet import DroneFleetConfig
from deterrence_sim.assets.ground_sensors import GroundSensorsConfig
from deterrence_sim.assets.observer_team import ObserverTeamConfig
from deterrence_sim.assets.optical_satellite import OpticalSatelliteConfig
from deterrence_sim.assets.sar_satellite import SarSatelliteConfig
from deterrence_sim.calibration.posterior import NOT_PARAMETERS, posterior_path
from deterrence_sim.config import (
    AssetConfig,
    CommitmentConfig,
    DecisionRule,
    EffectConfig,
    GuarantorConfig,
    Parameter,
    ScenarioConfig,
    parameters,
)
from deterrence_sim.core.distributions import Range, is_distribution
from deterrence_sim.effects.arms_surge import ArmsSurgeConfig
from deterrence_sim.effects.punishment import PunishmentConfig
from deterrence_sim.effects.reassurance_force import ReassuranceForceConfig
from deterrence_sim.effects.sanctions import SanctionsConfig
from deterrence_sim.theater import sector_profile

DAYS_PER_YEAR = 365.0
MIN_CAPABILITY = 1e-3
WIDER_WAR = 3                 # the top rung of the escalation ladder
_NORMAL = NormalDist()


# ------------------------------------------------------------------------------- scalar helpers


def logistic(x: float) -> float:
    """``1 / (1 + exp(-x))`` without overflow."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def logit(utility: float, temperature: float) -> float:
    """Chance of taking an action of ``utility`` against a status quo of 0: ``logistic(U / tau)``;
    at zero temperature 1 if ``U > 0``, else 0."""
    if temperature == 0.0:
        return float(utility > 0.0)
    return logistic(utility / temperature)


def uniform(rng: np.random.Generator) -> float:
    """A uniform strictly inside (0, 1) (``rng.random()`` may return 0)."""
    u = rng.random()
    while u == 0.0:
        u = rng.random()
    return u


def logit_normal(median: float, logit_sd: float, u: float) -> float:
    """Inverse CDF of a logit-normal law with the given median (0 if the median is 0)."""
    if median <= 0.0:
        return 0.0
    return logistic(math.log(median / (1.0 - median)) + logit_sd * _NORMAL.inv_cdf(u))


def seasonal_cloud_median(t: Any, extra_cloud: float, day: int) -> float:
    """Median cloud cover on day ``day`` (1-based): the annual median plus a peak on 1 January."""
    doy = (t.start_day_of_year + day - 2) % DAYS_PER_YEAR
    median = (t.cloud_median + extra_cloud
              + t.cloud_seasonal_amplitude * math.cos(2.0 * math.pi * doy / DAYS_PER_YEAR))
    return min(max(median, 0.01), 0.99)


def project(x: float, inflow: float, depreciation: float, days: int) -> float:
    """Capability ``days`` ahead under ``x' = inflow - depreciation x`` (closed form), floored."""
    if depreciation == 0.0:
        return max(x + inflow * days, MIN_CAPABILITY)
    target = inflow / depreciation
    return max(target + (x - target) * (1.0 - depreciation) ** days, MIN_CAPABILITY)


def choice_probabilities(utility: list[float], temperature: float) -> list[float]:
    """Logit probabilities of comply, minor, serious; at zero temperature the best response
    (ties to the lower rung)."""
    if temperature == 0.0:
        best = max(range(3), key=lambda r: (utility[r], -r))
        return [float(r == best) for r in range(3)]
    top = max(utility)
    e = [math.exp((x - top) / temperature) for x in utility]
    total = sum(e)
    return [x / total for x in e]


def detection(looks: float, p_look: float, clear: float, exposure_days: float) -> float:
    """Chance that looks arriving as a Poisson process see an event: ``1 - exp(-looks p clear T)``."""
    return -math.expm1(-looks * p_look * clear * exposure_days)


def seen_in_a_day(q: float, looks: float) -> float:
    """Chance that at least one of ``looks`` independent looks, each seeing with ``q``, sees a
    build-up: ``1 - (1 - q)**looks`` (a fractional number of looks too)."""
    return 1.0 - (1.0 - q) ** looks


def none_and_one(p: list[float]) -> tuple[float, float]:
    """Chance that no source, and exactly one source, sees something (independent sources)."""
    none, one = 1.0, 0.0
    for p_i in p:
        one = one * (1.0 - p_i) + none * p_i
        none *= 1.0 - p_i
    return none, one


def combine(votes: list[bool], rule: DecisionRule) -> bool:
    """A coalition's decision from its members' votes: the first member's (lead nation), more
    than half (majority), or all (unanimity)."""
    if rule is DecisionRule.lead_nation:
        return votes[0]
    if rule is DecisionRule.majority:
        return 2 * sum(votes) > len(votes)
    return all(votes)


# ------------------------------------------------------------------------------- parameters


def uncertain_parameters(scenario: ScenarioConfig) -> list[Parameter]:
    """The scenario's parameters given as distributions, in declaration order."""
    return [p for p in parameters(scenario) if is_distribution(p.value)]


@dataclass(frozen=True)
class Particles:
    """A calibration's posterior: each particle's values of the calibrated parameters, its weight."""

    paths: tuple[str, ...]
    values: list[list[float]]
    probability: np.ndarray

    @classmethod
    def of(cls, scenario: ScenarioConfig) -> Particles | None:
        """The scenario's posterior (read with pandas), or None without a calibration."""
        if not scenario.calibration.posterior:
            return None
        table = pd.read_parquet(posterior_path(scenario.calibration.posterior))
        paths = tuple(str(c) for c in table.columns if c not in NOT_PARAMETERS)
        weight = table["weight"].to_numpy(dtype=float)
        particles = cls(paths, table[list(paths)].to_numpy(dtype=float).tolist(), weight / weight.sum())
        return particles.without(scenario.calibration.keep)

    def draw(self, rng: np.random.Generator) -> dict[str, float]:
        """One particle's values, drawn by weight."""
        row = self.values[rng.choice(len(self.values), p=self.probability)]
        return dict(zip(self.paths, row, strict=True))

    def without(self, kept: list[str]) -> Particles:
        """The particles without the parameters the scenario keeps (an override set them)."""
        j = [i for i, p in enumerate(self.paths) if p not in kept]
        return Particles(tuple(self.paths[i] for i in j), [[row[i] for i in j] for row in self.values],
                         self.probability)


def draw(spec: Mapping[str, Any], rng: np.random.Generator, allowed: Range, integer: bool) -> float:
    """One value of a parameter's distribution, drawn with NumPy's own samplers (not by the
    inverse CDF, as the core draws it): the normal is truncated to the field's range by rejection,
    whole-number fields are rounded half to even, and open ends of the range are kept open."""
    kind = spec["dist"]
    if kind == "uniform":
        x = rng.uniform(spec["low"], spec["high"])
    elif kind == "triangular":
        x = rng.triangular(spec["low"], spec["mode"], spec["high"])
    elif kind == "normal":
        x = rng.normal(spec["mean"], spec["sd"])
        while not allowed.lo <= x <= allowed.hi:
            x = rng.normal(spec["mean"], spec["sd"])
    elif kind == "lognormal":
        x = spec["median"] * math.exp(spec["sigma"] * rng.standard_normal())
    elif kind == "beta":
        x = rng.beta(spec["a"], spec["b"])
    elif kind == "choice":
        weights = spec.get("weights") or [1.0] * len(spec["values"])
        return float(spec["values"][rng.choice(len(weights), p=np.divide(weights, sum(weights)))])
    else:
        raise NotImplementedError(f"the plain-Mesa reference cannot draw {kind!r}")
    x = float(round(x)) if integer else float(x)
    lo = math.nextafter(allowed.lo, math.inf) if allowed.lo_open else allowed.lo
    hi = math.nextafter(allowed.hi, -math.inf) if allowed.hi_open else allowed.hi
    return min(max(x, lo), hi)


def resolve_parameters(scenario: ScenarioConfig, rng: np.random.Generator,
                       uncertain: list[Parameter] | None = None,
                       particles: Particles | None = None) -> tuple[ScenarioConfig, dict[str, float]]:
    """The scenario with every distribution replaced by one draw from ``rng``, and the draws.

    ``uncertain`` is :func:`uncertain_parameters` of ``scenario`` (computed if not given);
    ``particles`` its calibration's posterior, whose drawn particle sets the calibrated
    parameters (whole-number ones truncated, as the core's cast does). The values are written into
    a copy of the scenario; untouched nodes are shared with it.
    """
    calibrated = particles.draw(rng) if particles is not None else {}
    values: dict[str, float] = {}
    for p in uncertain_parameters(scenario) if uncertain is None else uncertain:
        if p.path not in calibrated:
            x = draw(p.value, rng, p.allowed, p.integer)
            values[p.path] = int(x) if p.integer else x
    if calibrated:
        integer = {p.path for p in parameters(scenario) if p.integer}
        values.update({path: int(x) if path in integer else x for path, x in calibrated.items()})
    return _with_values(scenario, values), values


def _with_values(node: Any, values: Mapping[str, Any]) -> Any:
    """A copy of ``node`` with the values at the given dotted paths replaced; only the nodes on
    those paths are copied (shallow), the rest is shared."""
    tree: dict[str, Any] = {}
    for path, x in values.items():
        *parents, leaf = path.split(".")
        branch = tree
        for part in parents:
            branch = branch.setdefault(part, {})
        branch[leaf] = x
    return _replace(node, tree)


def _replace(node: Any, tree: Mapping[str, Any]) -> Any:
    if not tree:
        return node
    new = dict(node) if isinstance(node, Mapping) else copy.copy(node)
    for key, sub in tree.items():
        old = node[key] if isinstance(node, Mapping) else getattr(node, key)
        x = _replace(old, sub) if isinstance(sub, dict) else sub
        if isinstance(node, Mapping):
            new[key] = x
        else:
            setattr(new, key, x)
    return new


# ------------------------------------------------------------------------------- the blackboard


@dataclass
class Report:
    """A report against the aggressor awaiting verification."""

    rung: int
    corroborated: bool
    real: bool   # the aggressor's own violation (else the defender's, blamed on it)


@dataclass
class Today:
    """What happened today in this replication: the phases' shared blackboard."""

    offensive: bool = False          # the major offensive is launched today
    buildup_started: bool = False
    buildup_aborted: bool = False    # a seen build-up was stood down
    surprise: bool = False           # today's offensive came without a verified warning
    attacked: list[Sector] = field(default_factory=list)   # where the aggressor violated today
    violations: list[int] = field(default_factory=lambda: [0, 0, 0])   # by rung (index 0 unused)
    defender_violations: list[int] = field(default_factory=lambda: [0, 0, 0])
    detected: int = 0
    misattributed: int = 0
    false_alarms: int = 0
    reports: list[Report] = field(default_factory=list)
    buildup_seen: bool = False       # the build-up under way was first seen today
    warning: bool = False            # its warning was verified today
    false_warning: bool = False      # a warning of a build-up that is not there was verified today
    verified_true: list[int] = field(default_factory=lambda: [0, 0, 0])
    verified_spurious: list[int] = field(default_factory=lambda: [0, 0, 0])
    delay_sum: int = 0
    triggered: int = 0
    honoured: int = 0
    aggressor_cost: float = 0.0
    regen_drag: float = 0.0       # cut in the aggressor's regeneration today (sanctions in force)
    defender_boost: float = 0.0   # capability handed to the defender today (arms surges)
    forward_denial: float = 0.0   # defence moved forward today against a build-up warned of
    clash: bool = False
    clash_source: int | None = None   # index of the commitment whose forces clashed first today
    wider_war: bool = False


# ------------------------------------------------------------------------------- states


class Guarantor(mesa.Agent):
    """A guarantor state: political will, aid delivered in proportion to it, its costs, and its
    answers on the escalation ladder."""

    def __init__(self, model: ReferenceModel, cfg: GuarantorConfig, aid_bn_per_year: float) -> None:
        super().__init__(model)
        self.cfg = cfg
        self.will0 = self.will = self.min_will = cfg.political_will
        self.aid_per_day = aid_bn_per_year / DAYS_PER_YEAR
        self.standing_per_day = 0.0
        self.cost_today = 0.0

    def on_clash(self) -> None:
        """A direct clash today moves will by ``will_per_clash``, within [0, 1]."""
        self.will = min(max(self.will + self.cfg.will_per_clash, 0.0), 1.0)
        self.min_will = min(self.min_will, self.will)

    def matches(self, rung: int) -> bool:
        """Whether it matches the aggressor going up from ``rung``: a logit choice on
        ``will * escalation_resolve - (rung / 2) * wider_war_loss``."""
        c = self.cfg
        utility = self.will * c.escalation_resolve - rung / 2.0 * c.wider_war_loss
        return self.model.rng.random() < logit(utility, self.model.cfg.attack.escalation_temperature)

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
    """The defender: capability bought with its budget and the aid delivered; retaliates in kind;
    warned of a build-up, goes on alert and stands with the guarantors' forces moved forward."""

    def __init__(self, model: ReferenceModel, cfg: Any) -> None:
        super().__init__(model)
        self.cfg = cfg
        self.capability = cfg.capability
        self.alert = False
        self.forward_denial = 0.0

    def inflow(self) -> float:
        """Capability bought today: efficiency x (own budget + aid at today's will) x depreciation."""
        money = self.cfg.own_budget_bn_per_year / DAYS_PER_YEAR + sum(
            g.aid_per_day * g.will for g in self.model.guarantors)
        return self.cfg.efficiency_per_bn * DAYS_PER_YEAR * money * self.cfg.depreciation_per_day

    def against_offensive(self) -> float:
        """Defence facing a major offensive: ``D (1 + gain)`` on alert, plus the forces moved forward."""
        gain = self.cfg.warned_capability_gain if self.alert else 0.0
        return self.capability * (1.0 + gain) + self.forward_denial

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

    def warned(self) -> None:
        """A verified warning puts it on alert; forces moved forward today (on any warning, true or
        false) stand with it until the build-up ends."""
        today = self.model.today
        self.alert = self.alert or today.warning
        self.forward_denial += today.forward_denial

    def evolve(self) -> None:
        c, today = self.cfg, self.model.today
        losses = c.attrition_minor * today.violations[1] + c.attrition_serious * today.violations[2]
        x = self.capability + self.inflow() - c.depreciation_per_day * self.capability - losses
        self.capability = max(x, MIN_CAPABILITY) + today.defender_boost

    def stand_down(self) -> None:
        """The build-up is over (launched or stood down): alert and forward forces end."""
        if self.model.today.offensive or self.model.today.buildup_aborted:
            self.alert, self.forward_denial = False, 0.0


class Aggressor(mesa.Agent):
    """The aggressor: weighs gains against believed detection, credibility, punishment and
    escalation; prepares a major offensive with a build-up; learns."""

    def __init__(self, model: ReferenceModel, s: ScenarioConfig) -> None:
        super().__init__(model)
        a = s.attack
        self.attack, self.forces, self.theta = a, s.theater.aggressor, a.revisionism
        self.capability = self.forces.capability
        self.drag = 0.0                                   # sanctions drag in force yesterday
        self.detect = [[[a.prior_detect_alpha, a.prior_detect_beta] for _ in range(3)]
                       for _ in range(s.theater.n_sectors)]   # per sector and rung (0 unused)
        self.cred = [[a.prior_credibility_alpha, a.prior_credibility_beta]
                     for _ in s.guarantee.commitments]
        self.warn = [a.prior_warning_alpha, a.prior_warning_beta]   # build-ups seen in time or not
        self.credibility: list[float] = []
        self.escalation: list[float] = []  # believed cost of a clash with each commitment's forces
        self.expected = [0.0, 0.0, 0.0]   # expected punishment of a violation if seen, by rung
        # Its own moves on the escalation ladder (from rung 1 and 2) depend on its type alone.
        self.up = [0.0] + [logit(a.escalation_resolve - rung / 2.0 * a.wider_war_loss,
                                 a.escalation_temperature) for rung in (1, 2)]
        self.buildup_left = 0      # days to the attack of the build-up under way (0: none)
        self.axis: Sector | None = None
        self.warned = False        # a verified warning of the build-up under way is public
        self.warned_day = -1
        self.launch_warned_day = -1   # day of the warning of the offensive launched (-1: none)

    def believed_detection(self, sector: int, rung: int) -> float:
        alpha, beta = self.detect[sector][rung]
        return alpha / (alpha + beta)

    # ------------------------------------------------------------------ today's beliefs
    def weigh(self) -> None:
        """Today's credibility of each commitment, the believed cost of the escalation a clash
        with its forces may start (``P(both go up twice) x wider_war_loss``, the guarantors
        matching with the credibility it gives them), and the expected punishment if seen."""
        self.credibility = [a / (a + b) for a, b in self.cred]
        up = self.up[1] * self.up[2] * self.attack.wider_war_loss
        self.escalation = [up * q * q for q in self.credibility]
        for rung in (1, 2):
            self.expected[rung] = sum(
                q * (c.punish_if_seen[rung] + c.clash_if_seen[rung] * x) for q, x, c in zip(
                    self.credibility, self.escalation, self.model.commitments, strict=True))

    def p_win(self, attacker: float, defender: float) -> float:
        a = self.attack
        return logistic(a.win_steepness * (math.log(attacker / defender)
                                           - math.log(a.required_force_ratio)))

    def war_utility(self, defence: float) -> float:
        """A major offensive against ``defence``: ``theta G p_win - (1 - p_win) L - sum_k q_k
        (P_k + clash_k X_k) - W``, plus ``omega max(0, p_win - p_later)`` with both sides
        projected ``lookahead_days`` ahead (the defence scaled as today)."""
        a, defender = self.attack, self.model.defender
        win = self.p_win(self.capability, defence)
        answered = sum(q * (c.punishment_offensive + c.clash_offensive * x) for q, x, c in zip(
            self.credibility, self.escalation, self.model.commitments, strict=True))
        u = (self.theta * a.offensive_gain * win - (1.0 - win) * a.offensive_fail_loss - answered
             - a.offensive_cost)
        if a.window_weight > 0.0:
            later = self.p_win(
                project(self.capability, self.forces.regen_per_day - self.drag,
                        self.forces.depreciation_per_day, a.lookahead_days),
                project(defender.capability, defender.inflow(), defender.cfg.depreciation_per_day,
                        a.lookahead_days) * defence / defender.capability)
            u += a.window_weight * max(0.0, win - later)
        return u

    # ------------------------------------------------------------------ build-ups
    def prepare(self) -> None:
        """Stand a seen build-up down or count it down (and launch it at 0); else weigh a new one."""
        if self.buildup_left > 0:
            self.carry_on()
            return
        a, m = self.attack, self.model
        u = m.rng.random()
        if u < a.offensive_rate_per_day and u < a.offensive_rate_per_day * self.start_probability():
            self.buildup_left = a.buildup_days
            self.axis = self.draw_axis()
            self.warned = False
            m.today.buildup_started = True

    def carry_on(self) -> None:
        """Seen (warned of), stand down with the logit probability of ``U_abort - U_go``:
        ``U_go`` the war against the alerted defence less the cost of the days left,
        ``U_abort = -abort_cost``. Else one day nearer the attack; launch at 0."""
        a, m = self.attack, self.model
        if self.warned:
            go = (self.war_utility(m.defender.against_offensive())
                  - a.buildup_cost_per_day * self.buildup_left)
            if m.rng.random() < logit(-a.abort_cost - go, a.offensive_temperature):
                self.buildup_left = 0
                m.today.buildup_aborted = True
                return
        self.buildup_left -= 1
        if self.buildup_left == 0:
            m.today.offensive = True
            m.today.surprise = not self.warned
            self.launch_warned_day = self.warned_day if self.warned else -1

    def start_probability(self) -> float:
        """The logit of ``U_build = (1 - W) U_war(D) + W U_war(D (1 + g) + sum_k q_k F_k)
        - c days``: ``W`` its belief of being seen in time, ``g`` the defender's gain on alert,
        ``F_k`` the defence commitment ``k`` moves forward on a warning."""
        a, defender = self.attack, self.model.defender
        seen = self.warn[0] / (self.warn[0] + self.warn[1])
        d = defender.capability
        warned = d * (1.0 + defender.cfg.warned_capability_gain) + sum(
            q * c.forward_denial for q, c in zip(self.credibility, self.model.commitments, strict=True))
        utility = ((1.0 - seen) * self.war_utility(d) + seen * self.war_utility(warned)
                   - a.buildup_cost_per_day * a.buildup_days)
        return logit(utility, a.offensive_temperature)

    def draw_axis(self) -> Sector:
        """The sector the build-up aims at, with probability in proportion to its value."""
        sectors = self.model.sectors
        target = self.model.rng.random() * sum(s.value for s in sectors)
        reached = 0.0
        for sector in sectors:
            reached += sector.value
            if target <= reached:
                return sector
        return sectors[-1]

    # ------------------------------------------------------------------ sectors
    def choose(self, sector: Sector) -> None:
        """Comply, minor or serious in one sector: a logit choice, if the sector offers a chance.

        One uniform ``u``: serious if ``u < rate P(2)``, minor if ``u < rate (P(1) + P(2))``. Both
        thresholds are below ``rate``, so a sector with ``u >= rate`` (no opportunity) complies
        whatever the utilities, which are then not computed.
        """
        a, m = self.attack, self.model
        u = m.rng.random()
        rate = a.opportunity_rate_per_sector_day
        if u >= rate:
            return
        defence = m.defender.capability + sector.presence_denial
        tripwire = sum(q * (c.punishment_per_violation[2] + c.clash_per_violation[2] * x)
                       for q, x, c in zip(self.credibility, self.escalation, m.commitments, strict=True)
                       if sector.index < c.tripwire_sectors)
        utility = [
            -sector.false_alarm_risk * self.expected[1],
            self.theta * a.gain_minor * sector.value - a.denial_minor * defence
            - self.believed_detection(sector.index, 1) * self.expected[1],
            self.theta * a.gain_serious * sector.value - a.denial_serious * defence
            - self.believed_detection(sector.index, 2) * self.expected[2] - tripwire,
        ]
        p = choice_probabilities(utility, a.temperature)
        if u < rate * p[2]:
            sector.aggressor_rung = 2
        elif u < rate * (p[1] + p[2]):
            sector.aggressor_rung = 1
        else:
            return
        m.today.violations[sector.aggressor_rung] += 1
        m.today.attacked.append(sector)

    # ------------------------------------------------------------------ learning
    def observe_warning(self) -> None:
        """A verified warning of its build-up is public: it knows it has been seen."""
        if self.model.today.warning and not self.warned:
            self.warned, self.warned_day = True, self.model.steps

    def observe_resolve(self, k: int, matched: bool) -> None:
        """It went up on the ladder against commitment ``k``'s forces: whether they matched is
        evidence of their resolve."""
        if self.attack.learns:
            lam, belief = self.attack.forgetting, self.cred[k]
            belief[0] = lam * belief[0] + matched
            belief[1] = lam * belief[1] + (1 - matched)

    def learn_where_seen(self) -> None:
        """Update the belief of being seen in each sector and rung where it violated today."""
        if not self.attack.learns:
            return
        lam = self.attack.forgetting
        for sector in self.model.today.attacked:
            cell = self.detect[sector.index][sector.aggressor_rung]
            cell[0] = lam * cell[0] + sector.aggressor_seen
            cell[1] = lam * cell[1] + (1 - sector.aggressor_seen)

    def learn_credibility(self) -> None:
        """Update credibility from each commitment's decision today (a refusal is visible too)."""
        if not self.attack.learns:
            return
        lam = self.attack.forgetting
        for belief, c in zip(self.cred, self.model.commitments, strict=True):
            if c.decided:
                belief[0] = lam * belief[0] + c.honoured
                belief[1] = lam * belief[1] + (1 - c.honoured)

    def learn_warning(self) -> None:
        """A build-up ended today (launched or stood down): was it seen in time? Then it is over."""
        today = self.model.today
        if not (today.offensive or today.buildup_aborted):
            return
        if self.attack.learns:
            lam = self.attack.forgetting
            self.warn = [lam * self.warn[0] + self.warned, lam * self.warn[1] + (1 - self.warned)]
        self.warned = False

    def evolve(self) -> None:
        """Regeneration and wear, less the drag of the sanctions in force today."""
        f = self.forces
        self.drag = self.model.today.regen_drag
        x = self.capability + f.regen_per_day - f.depreciation_per_day * self.capability - self.drag
        self.capability = max(x, MIN_CAPABILITY)


# ------------------------------------------------------------------------------- sectors


class Sector(mesa.Agent):
    """One sector of the contact line: its value, what happens there today, and who sees it."""

    def __init__(self, model: ReferenceModel, index: int, value: float, visibility: float) -> None:
        super().__init__(model)
        self.index, self.value, self.visibility = index, value, visibility
        self.presence_denial = 0.0     # defence added by present forces
        self.false_alarm_risk = 0.0    # chance per day that a false alarm here is verified
        self.aggressor_rung = self.defender_rung = 0
        self.aggressor_seen = False

    def aggressor_acts(self) -> None:
        """The sector's day starts: nothing has happened yet; then the aggressor's move here."""
        self.aggressor_rung = self.defender_rung = 0
        self.aggressor_seen = False
        if not self.model.today.offensive:
            self.model.aggressor.choose(self)

    def defender_acts(self) -> None:
        self.model.defender.react(self)

    def observed(self) -> None:
        """Each side's event here: seen by the assets, corroborated, attributed, reported."""
        m = self.model
        for real, rung in ((True, self.aggressor_rung), (False, self.defender_rung)):
            if not rung or not m.asset_list:
                continue
            u_detect, u_attr = m.rng.random(), m.rng.random()
            p = [asset.detection_probability(self, rung) for asset in m.asset_list]
            none, one = none_and_one(p)
            if u_detect >= 1.0 - none:
                continue
            total = sum(p)
            accuracy = sum(p_i * a.cfg.attribution_accuracy
                           for p_i, a in zip(p, m.asset_list, strict=True)) / total
            right = u_attr < accuracy
            wrong = not right and u_attr < accuracy + (1.0 - accuracy) * m.cfg.monitoring.p_wrong_side
            corroborated = u_detect < 1.0 - none - one
            if real:
                m.today.detected += 1
                self.aggressor_seen = right
            m.today.misattributed += wrong
            if (real and right) or (not real and wrong):
                m.today.reports.append(Report(rung, corroborated, real))


# ------------------------------------------------------------------------------- monitoring assets


class MonitoringAsset(mesa.Agent):
    """An asset covering its ``coverage_share`` of the sectors (most valuable first).

    Each kind is a subclass that writes its two laws: :meth:`law`, the chance of detecting an
    event, and :meth:`buildup_law`, the chance that one look sees a build-up.
    """

    def __init__(self, model: ReferenceModel, cfg: AssetConfig, n_sectors: int) -> None:
        super().__init__(model)
        self.cfg = cfg
        self.n_covered = round(cfg.coverage_share * n_sectors)   # half to even, as np.rint
        self.active, self.down_days = True, 0

    def update_status(self) -> None:
        """Lost today with ``loss_rate_per_day`` if active; back after ``replacement_days``."""
        lost = self.active and self.model.rng.random() < self.cfg.loss_rate_per_day
        if self.down_days > 0:
            self.down_days -= 1
        if lost:
            self.down_days = self.cfg.replacement_days
        self.active = self.down_days == 0

    def detection_probability(self, sector: Sector, rung: int) -> float:
        if not self.active or sector.index >= self.n_covered:
            return 0.0
        p_look = self.cfg.p_detect_minor if rung == 1 else self.cfg.p_detect_serious
        return self.law(p_look, sector.visibility)

    def buildup_probability(self, axis: Sector, signature: float) -> float:
        """Chance it sees today a build-up aimed at ``axis``: ``1 - (1 - q)**looks_per_day`` with
        ``q`` its kind's per-look law, where it covers the axis and is up."""
        if not self.active or axis.index >= self.n_covered:
            return 0.0
        return seen_in_a_day(self.buildup_law(signature), self.cfg.looks_per_day)

    def law(self, p_look: float, visibility: float) -> float:
        raise NotImplementedError

    def buildup_law(self, signature: float) -> float:
        raise NotImplementedError

    def false_alarm_rate(self) -> float:
        """Expected false reports today (none while the asset is down)."""
        return self.cfg.false_alarms_per_sector_day * self.n_covered * self.active

    def false_warning_rate(self) -> float:
        """Expected false build-up alarms today (none while the asset is down)."""
        return self.cfg.false_warnings_per_year / DAYS_PER_YEAR * self.active


class OpticalSatellite(MonitoringAsset):
    """A pass sees the ground only through clear sky; EW does not reach it."""

    def law(self, p_look: float, visibility: float) -> float:
        c = self.cfg
        return detection(c.looks_per_day * visibility, p_look, 1.0 - self.model.cloud, c.exposure_days)

    def buildup_law(self, signature: float) -> float:
        """Massing seen on a cloud-free pass."""
        return self.cfg.p_detect_buildup * signature * (1.0 - self.model.cloud)


class SarSatellite(MonitoringAsset):
    """Radar: neither cloud nor EW at the line stops it."""

    def law(self, p_look: float, visibility: float) -> float:
        c = self.cfg
        return detection(c.looks_per_day * visibility, p_look, 1.0, c.exposure_days)

    def buildup_law(self, signature: float) -> float:
        return self.cfg.p_detect_buildup * signature


class DroneFleet(MonitoringAsset):
    """A sortie is lost to jamming or to cloud, independently."""

    def law(self, p_look: float, visibility: float) -> float:
        c, m = self.cfg, self.model
        clear = (1.0 - c.jam_sensitivity * m.jamming) * (1.0 - c.cloud_sensitivity * m.cloud)
        return detection(c.looks_per_day * visibility, p_look, clear, c.exposure_days)

    def buildup_law(self, signature: float) -> float:
        """Massing seen on the sorties that jamming and cloud let through."""
        c, m = self.cfg, self.model
        clear = (1.0 - c.jam_sensitivity * m.jamming) * (1.0 - c.cloud_sensitivity * m.cloud)
        return c.p_detect_buildup * signature * clear


class GroundSensors(MonitoringAsset):
    """Sensors in the ground: no line of sight needed (visibility does not enter); links jammed."""

    def law(self, p_look: float, visibility: float) -> float:
        c = self.cfg
        return detection(c.looks_per_day, p_look, 1.0 - c.jam_sensitivity * self.model.jamming,
                         c.exposure_days)

    def buildup_law(self, signature: float) -> float:
        """Movement near the line, reported over jammable links."""
        c = self.cfg
        return c.p_detect_buildup * signature * (1.0 - c.jam_sensitivity * self.model.jamming)


class ObserverTeam(MonitoringAsset):
    """People on the ground: the terrain's cover matters, cloud and EW do not."""

    def law(self, p_look: float, visibility: float) -> float:
        c = self.cfg
        return detection(c.looks_per_day * visibility, p_look, 1.0, c.exposure_days)

    def buildup_law(self, signature: float) -> float:
        """What teams see where they stand (their coverage)."""
        return self.cfg.p_detect_buildup * signature


#: The asset kinds the reference knows, by config class.
ASSET_KINDS: dict[type, type[MonitoringAsset]] = {
    OpticalSatelliteConfig: OpticalSatellite,
    SarSatelliteConfig: SarSatellite,
    DroneFleetConfig: DroneFleet,
    GroundSensorsConfig: GroundSensors,
    ObserverTeamConfig: ObserverTeam,
}

#: The laws every asset kind must write here.
ASSET_LAWS = ("law", "buildup_law")


# ------------------------------------------------------------------------------- effects


class Effect:
    """One typed effect of a commitment's honoured responses (plain Python, not an agent)."""

    def __init__(self, model: ReferenceModel, cfg: EffectConfig) -> None:
        self.model, self.cfg = model, cfg

    def presence_sectors(self) -> int:
        """Sectors (most valuable first) where the effect puts a force; 0 for none."""
        return 0

    def local_denial(self) -> float:
        return 0.0

    def forward_denial(self) -> float:
        """Defence moved forward against an offensive it was warned of; 0 for none."""
        return 0.0

    def land(self, today: Today, day: int) -> None:
        """A response lands: the aggressor pays ``punishment``; a clash may follow."""
        today.aggressor_cost += self.cfg.punishment
        self.risk_clash(today)

    def answer_offensive(self, today: Today, day: int) -> None:
        """The guarantors answer a major offensive, at once."""
        today.aggressor_cost += self.cfg.punishment_offensive
        self.risk_clash(today)

    def pre_empt(self, today: Today, day: int) -> None:
        """The guarantors act on a warning of a build-up, before any attack (nothing by default:
        a punishment waits for a violation, and no clash)."""

    def in_force(self, today: Today, day: int) -> None:
        """What the effect does every day while it lasts (nothing by default)."""

    def risk_clash(self, today: Today) -> None:
        if self.cfg.clash_risk > 0.0 and self.model.rng.random() < self.cfg.clash_risk:
            today.clash = True


class Punishment(Effect):
    """Only a cost to the aggressor (and the clash risk)."""


class Sanctions(Effect):
    """A cut in the aggressor's regeneration for ``duration_days`` from landing (or from acting on
    a warning, then without punishment); not stacked."""

    def __init__(self, model: ReferenceModel, cfg: EffectConfig) -> None:
        super().__init__(model, cfg)
        self.until_day = -1

    def land(self, today: Today, day: int) -> None:
        super().land(today, day)
        self.until_day = day + self.cfg.duration_days - 1

    def pre_empt(self, today: Today, day: int) -> None:
        self.until_day = day + self.cfg.duration_days - 1

    def in_force(self, today: Today, day: int) -> None:
        if self.until_day >= day:
            today.regen_drag += self.cfg.drag_per_day


class ArmsSurge(Effect):
    """Capability handed to the defender on the day a response lands, or on a warning."""

    def land(self, today: Today, day: int) -> None:
        super().land(today, day)
        today.defender_boost += self.cfg.capability

    def pre_empt(self, today: Today, day: int) -> None:
        today.defender_boost += self.cfg.capability


class ReassuranceForce(Effect):
    """Troops in the most valuable sectors from day 0: local denial there, and a tripwire; warned
    of a build-up, they move forward against the offensive."""

    def presence_sectors(self) -> int:
        return self.cfg.sectors

    def local_denial(self) -> float:
        return self.cfg.local_denial

    def forward_denial(self) -> float:
        return self.cfg.forward_denial

    def pre_empt(self, today: Today, day: int) -> None:
        today.forward_denial += self.cfg.forward_denial


#: The effect types the reference knows, by config class.
EFFECT_TYPES: dict[type, type[Effect]] = {
    PunishmentConfig: Punishment,
    SanctionsConfig: Sanctions,
    ArmsSurgeConfig: ArmsSurge,
    ReassuranceForceConfig: ReassuranceForce,
}


def _known(registry: dict[type, type], cfg: Any, what: str, laws: tuple[str, ...] = ()) -> type:
    """The reference's class for ``cfg``'s type; refused by name if unknown, or if it does not
    write each of ``laws`` itself."""
    cls = registry.get(type(cfg))
    if cls is None:
        raise NotImplementedError(f"the plain-Mesa reference has no {what} {type(cfg).__name__} "
                                  f"({cfg.name!r}); write it in benchmarks/mesa_reference.py")
    for law in laws:
        if getattr(cls, law) is getattr(MonitoringAsset, law):
            raise NotImplementedError(f"the plain-Mesa reference's {what} {cls.__name__} ({cfg.name!r}) "
                                      f"has no {law}; write it in benchmarks/mesa_reference.py")
    return cls


# ------------------------------------------------------------------------------- commitments


class Commitment(mesa.Agent):
    """A guarantee commitment: trigger, coalition decision, delayed response, action on warnings,
    typed effects."""

    def __init__(self, model: ReferenceModel, cfg: CommitmentConfig, members: list[Guarantor],
                 index: int) -> None:
        super().__init__(model)
        self.cfg, self.members, self.index = cfg, members, index
        self.effects = [_known(EFFECT_TYPES, e, "effect type")(model, e) for e in cfg.effects.values()]
        # Public terms: what the aggressor knows of the commitment.
        self.punishment = sum(e.cfg.punishment for e in self.effects)
        self.punishment_offensive = sum(e.cfg.punishment_offensive for e in self.effects)
        self.cost_per_response = sum(e.cfg.cost_bn_per_response for e in self.effects)
        self.tripwire_sectors = max((e.presence_sectors() for e in self.effects), default=0)
        self.clash_risk = 1.0 - math.prod(1.0 - e.cfg.clash_risk for e in self.effects)
        self.clash_offensive = self.clash_risk if self.punishment_offensive > 0 else 0.0
        self.forward_denial = sum(e.forward_denial() for e in self.effects) if cfg.pre_empts else 0.0
        lo = cfg.trigger_severity.value
        self.punishment_per_violation = [
            self.punishment / cfg.trigger_count if rung >= lo else 0.0 for rung in range(3)]
        self.clash_per_violation = [
            self.clash_risk / cfg.trigger_count if rung >= lo else 0.0 for rung in range(3)]
        # A present force answers attacks on itself, not reports: nothing to fear from being seen.
        self.punish_if_seen = [0.0 if self.tripwire_sectors else x for x in self.punishment_per_violation]
        self.clash_if_seen = [0.0 if self.tripwire_sectors else x for x in self.clash_per_violation]
        # State.
        self.window = [0] * cfg.trigger_window_days
        self.count = 0
        self.landing = [False] * (cfg.response_delay_days + 1)
        self.decided = self.honoured = False
        standing = sum(e.cfg.standing_cost_bn_per_year for e in self.effects) / DAYS_PER_YEAR
        for g in members:
            g.standing_per_day += standing / len(members)

    def respond(self) -> None:
        """Count, trigger, decide (also on a verified warning, true or false, if it pre-empts);
        land the responses due today, answer an offensive, act on a warning; keep effects in force."""
        m, c, today = self.model, self.cfg, self.model.today
        day = m.steps
        alive = not today.offensive
        triggered = self.count_today() and alive
        answers_offensive = today.offensive and self.punishment_offensive > 0
        warned = alive and (today.warning or today.false_warning) and c.pre_empts
        self.decided = triggered or answers_offensive or warned
        self.honoured = self.decided and self.coalition_honours()
        if self.honoured and triggered:
            self.landing[(day + c.response_delay_days) % len(self.landing)] = True
        slot = day % len(self.landing)
        landed, self.landing[slot] = self.landing[slot] and alive, False
        answered = self.honoured and answers_offensive
        pre_empted = self.honoured and warned
        if landed or answered or pre_empted:
            for g in self.members:
                g.cost_today += self.cost_per_response / len(self.members)
            clashed = today.clash
            for e in self.effects:
                if landed:
                    e.land(today, day)
                if answered:
                    e.answer_offensive(today, day)
                if pre_empted:
                    e.pre_empt(today, day)
            if today.clash and not clashed:
                today.clash_source = self.index
        for e in self.effects:
            e.in_force(today, day)
        today.triggered += self.decided
        today.honoured += self.honoured

    def count_today(self) -> bool:
        """Add today's qualifying violations to the rolling window; True when it triggers.

        With a present force: the serious violations in its sectors, at once and unverified (the
        tripwire). Otherwise: today's verified reports against the aggressor of the trigger rung.
        """
        m, c = self.model, self.cfg
        if self.tripwire_sectors:
            today = sum(s.aggressor_rung == 2 for s in m.sectors if s.index < self.tripwire_sectors)
        else:
            lo = c.trigger_severity.value
            today = sum(m.today.verified_true[lo:]) + sum(m.today.verified_spurious[lo:])
        slot = m.steps % len(self.window)
        self.count += today - self.window[slot]
        self.window[slot] = today
        if self.count >= c.trigger_count:
            self.window = [0] * len(self.window)
            self.count = 0
            return True
        return False

    def coalition_honours(self) -> bool:
        """Each member honours with ``w + b (1 - w)``; the decision rule combines them."""
        b = self.cfg.bindingness
        votes = [self.model.rng.random() < g.will + b * (1.0 - g.will) for g in self.members]
        return combine(votes, self.cfg.rule)

    def matches(self, rung: int) -> bool:
        """Whether its guarantors match the aggressor going up from ``rung`` (each by its own
        escalation choice, combined by the decision rule)."""
        return combine([g.matches(rung) for g in self.members], self.cfg.rule)


# ------------------------------------------------------------------------------- verification


class MonitoringMechanism:
    """Verification of reports after a delay; false alarms; the watch for build-ups, warnings and
    false warnings. Not an agent (as in the package)."""

    def __init__(self, model: ReferenceModel) -> None:
        self.model = model
        cfg = model.cfg.monitoring
        self.slots = max(cfg.verification_delay_days, cfg.corroborated_delay_days) + 1
        self.pending = [[0] * 5 for _ in range(self.slots)]   # true 1, 2; spurious 1, 2; delay sum
        self.sighted = False          # the build-up under way has been seen
        self.warning_due = -1         # day its warning is verified (-1: none scheduled)
        self.false_warning_due = -1

    def verify(self) -> None:
        m, cfg = self.model, self.model.cfg.monitoring
        day, today = m.steps, m.today
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
        if m.asset_list:
            # N ~ Poisson(rate) false reports, Binomial(N, p) of them verified: the same law as
            # Poisson(rate p) verified and an independent Poisson(rate (1 - p)) not verified.
            today.false_alarms = int(m.rng.poisson(sum(a.false_alarm_rate() for a in m.asset_list)))
            verified_false = int(m.rng.binomial(today.false_alarms, cfg.p_verify_false_alarm))
            self.pending[(day + cfg.verification_delay_days) % self.slots][2] += verified_false
        due = self.pending[day % self.slots]
        today.verified_true = [0, due[0], due[1]]
        today.verified_spurious = [0, due[2], due[3]]
        today.delay_sum = due[4]
        self.pending[day % self.slots] = [0] * 5

    def watch_buildups(self) -> None:
        """Look for the build-up under way (until a warning of it is scheduled); raise false alarms.

        Seen today with ``1 - prod_i (1 - P_i)`` over the assets; by two or more, it is
        corroborated, otherwise confirmed with ``p_verify_warning``; a seen and confirmed build-up's
        warning is due ``warning_delay_days`` later. A false build-up alarm happens with
        ``1 - exp(-rate)`` and is verified with ``p_verify_false_alarm`` (while none is pending).
        """
        m, cfg = self.model, self.model.cfg.monitoring
        a, today = m.aggressor, m.today
        if today.buildup_started:
            self.sighted, self.warning_due = False, -1
        if not m.asset_list:
            return
        if a.buildup_left > 0 and self.warning_due < 0:
            signature = m.cfg.attack.buildup_signature
            none, one = none_and_one([x.buildup_probability(a.axis, signature) for x in m.asset_list])
            u = m.rng.random()
            if u < 1.0 - none:
                today.buildup_seen = not self.sighted
                self.sighted = True
                if u < 1.0 - none - one or m.rng.random() < cfg.p_verify_warning:
                    self.warning_due = m.steps + cfg.warning_delay_days
        rate = sum(x.false_warning_rate() for x in m.asset_list)
        if (m.rng.random() < -math.expm1(-rate) and m.rng.random() < cfg.p_verify_false_alarm
                and self.false_warning_due < 0):
            self.false_warning_due = m.steps + cfg.warning_delay_days

    def release_warnings(self) -> None:
        """Warnings due today become public (that of a build-up no longer under way is dropped)."""
        m, today = self.model, self.model.today
        today.warning = self.warning_due == m.steps and m.aggressor.buildup_left > 0
        if self.false_warning_due == m.steps:
            today.false_warning, self.false_warning_due = True, -1


# ------------------------------------------------------------------------------- escalation


class EscalationLadder:
    """Where the replication stands after a direct clash: incident (1), limited exchange (2),
    wider war (3). Not an agent: its moves are the aggressor's and the guarantors' choices.

    Each day's clashes first move every guarantor's will; an episode under way then moves: the
    aggressor goes up (its escalation probability at this rung) or backs down; if it goes up, the
    guarantors of the commitment whose forces clashed match or not, and it learns from that.
    Matched, the episode climbs a rung (a wider war at 3, which ends the ceasefire); otherwise it
    ends. A clash with no episode under way starts one at rung 1.
    """

    def __init__(self, model: ReferenceModel) -> None:
        self.model = model
        self.rung = self.rung_max = 0
        self.source = -1          # the commitment whose forces clashed
        self.wider_war_day = -1

    def step(self) -> None:
        m, today = self.model, self.model.today
        if today.offensive:
            return
        if today.clash:
            for g in m.guarantors:
                g.on_clash()
        if self.rung > 0:
            self.move()
        if today.clash and self.rung == 0:
            self.rung, self.source = 1, today.clash_source
        self.rung_max = max(self.rung_max, self.rung)

    def move(self) -> None:
        m = self.model
        matched = False
        if m.rng.random() < m.aggressor.up[self.rung]:
            matched = m.commitments[self.source].matches(self.rung)
            m.aggressor.observe_resolve(self.source, matched)
        if not matched:
            self.rung, self.source = 0, -1
            return
        self.rung += 1
        if self.rung >= WIDER_WAR:
            m.today.wider_war, self.wider_war_day = True, m.steps


# ------------------------------------------------------------------------------- the model


RUN_TOTALS = ("violations_minor", "violations_serious", "defender_violations_minor",
              "defender_violations_serious", "detected", "verified", "verified_spurious",
              "false_alarms", "misattributed", "verification_delay_days_sum", "responses_triggered",
              "responses_honoured", "guarantor_cost", "aggressor_cost", "ground_lost_km",
              "buildups_started", "buildups_detected", "buildups_aborted", "warnings",
              "false_warnings")


class ReferenceModel(mesa.Model):
    """One replication of one scenario, agent by agent and day by day.

    ``steps`` counts the days (Mesa increments it before ``step``); ``running`` turns False when
    the ceasefire ends (a major offensive or a wider war, after that day's phases) or at the
    horizon.
    """

    #: The day's phases, in order; each is a method of the model.
    PHASES = ("update_environment",   # 1 weather, EW, asset losses
              "aggressor_decides",    # 2 build-ups and the major offensive; comply / violate per sector
              "defender_reacts",      # 3 retaliation, spontaneous violations
              "monitor",              # 4 detection, attribution; the watch for build-ups
              "verify",               # 5 delayed verification, false alarms; warnings
              "commitments_respond",  # 6 triggers, decisions, responses, effects; the defender warned
              "escalate",             # 7 the escalation ladder after clashes
              "aggressor_learns",     # 8 beliefs about detection, credibility and warning
              "evolve",               # 9 capabilities, aid, political will, costs; stand down
              "record")               # 10 totals, the end of the ceasefire

    def __init__(self, cfg: ScenarioConfig, rng: Any = None,
                 uncertain: list[Parameter] | None = None, particles: Particles | None = None) -> None:
        super().__init__(rng=rng)
        self.cfg, self.parameter_values = resolve_parameters(cfg, self.rng, uncertain, particles)
        s = self.cfg
        t = s.theater
        self.horizon_days = s.sim.horizon_days
        self.collapse_day, self.collapsed, self.clash, self.surprise = 0, False, False, False
        self.warning_day = -1          # of the warned offensive that ended the ceasefire
        self.cloud = self.jamming = 0.0
        value, visibility = sector_profile(t)
        self.sectors = [Sector(self, i, float(value[i]), float(visibility[i])) for i in range(t.n_sectors)]
        self.guarantors = [Guarantor(self, g, s.guarantee.aid_bn_per_year.get(name, 0.0))
                           for name, g in t.guarantors.items()]
        by_name = {g.cfg.name: g for g in self.guarantors}
        self.defender = Defender(self, t.defender)
        self.asset_list = [_known(ASSET_KINDS, a, "asset kind", ASSET_LAWS)(self, a, t.n_sectors)
                           for a in s.monitoring.assets.values()]
        self.assets = AgentSet(self.asset_list, random=self.random)
        for asset in self.asset_list:
            if asset.cfg.owner in by_name:
                by_name[asset.cfg.owner].standing_per_day += asset.cfg.cost_bn_per_year / DAYS_PER_YEAR
        self.monitoring = MonitoringMechanism(self)
        self.commitments = [Commitment(self, c, [by_name[g] for g in c.guarantors], k)
                            for k, c in enumerate(s.guarantee.commitments.values())]
        self.aggressor = Aggressor(self, s)
        self.ladder = EscalationLadder(self)
        for sector in self.sectors:
            sector.presence_denial = sum(e.local_denial() for c in self.commitments for e in c.effects
                                         if sector.index < e.presence_sectors())
            rate = sum(a.cfg.false_alarms_per_sector_day for a in self.asset_list
                       if sector.index < a.n_covered)
            sector.false_alarm_risk = -math.expm1(-rate) * s.monitoring.p_verify_false_alarm
        self.totals = dict.fromkeys(RUN_TOTALS, 0.0)
        self.today = Today()
        self.datacollector = mesa.DataCollector(model_reporters={
            "violations": lambda m: m.today.violations[1] + m.today.violations[2],
            "detected": lambda m: m.today.detected,
            "verified": lambda m: m.today.verified_true[1] + m.today.verified_true[2],
            "political_will": lambda m: (sum(g.will for g in m.guarantors) / len(m.guarantors)
                                         if m.guarantors else math.nan),
            "force_ratio": lambda m: m.aggressor.capability / m.defender.capability,
        })

    def step(self) -> None:
        """One day: the phases of ``PHASES`` in order."""
        self.today = Today()
        for phase in self.PHASES:
            getattr(self, phase)()

    # ------------------------------------------------------------------ the phases
    def update_environment(self) -> None:
        t, mon = self.cfg.theater, self.cfg.monitoring
        u_cloud, u_jam = uniform(self.rng), uniform(self.rng)
        self.cloud = logit_normal(seasonal_cloud_median(t, mon.extra_cloud, self.steps),
                                  t.cloud_logit_sd, u_cloud)
        self.jamming = logit_normal(mon.jamming_median, mon.jamming_logit_sd, u_jam)
        self.assets.do("update_status")

    def aggressor_decides(self) -> None:
        self.aggressor.weigh()
        self.aggressor.prepare()
        self.agents_by_type[Sector].do("aggressor_acts")

    def defender_reacts(self) -> None:
        self.agents_by_type[Sector].do("defender_acts")

    def monitor(self) -> None:
        self.agents_by_type[Sector].do("observed")
        self.monitoring.watch_buildups()

    def verify(self) -> None:
        self.monitoring.verify()
        self.monitoring.release_warnings()
        self.aggressor.observe_warning()

    def commitments_respond(self) -> None:
        if self.commitments:
            self.agents_by_type[Commitment].do("respond")
        self.defender.warned()

    def escalate(self) -> None:
        self.ladder.step()

    def aggressor_learns(self) -> None:
        self.aggressor.learn_where_seen()
        self.aggressor.learn_credibility()
        self.aggressor.learn_warning()

    def evolve(self) -> None:
        self.aggressor.evolve()
        self.defender.evolve()
        self.defender.stand_down()
        if self.guarantors:
            self.agents_by_type[Guarantor].do("evolve")

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
        tot["verification_delay_days_sum"] += today.delay_sum
        tot["responses_triggered"] += today.triggered
        tot["responses_honoured"] += today.honoured
        tot["aggressor_cost"] += today.aggressor_cost
        tot["ground_lost_km"] += self.cfg.theater.ground_km_per_serious * today.violations[2]
        tot["buildups_started"] += today.buildup_started
        tot["buildups_detected"] += today.buildup_seen
        tot["buildups_aborted"] += today.buildup_aborted
        tot["warnings"] += today.warning
        tot["false_warnings"] += today.false_warning
        for g in self.guarantors:
            tot["guarantor_cost"] += g.cost_today
            g.cost_today = 0.0
        self.clash |= today.clash
        self.surprise |= today.surprise
        self.datacollector.collect(self)
        if today.offensive:
            self.warning_day = self.aggressor.launch_warned_day
        if today.offensive or today.wider_war:
            self.collapsed, self.collapse_day = True, self.steps
        self.running = not self.collapsed and self.steps < self.horizon_days

    # ------------------------------------------------------------------ running and results
    def outputs(self) -> dict[str, Any]:
        """This replication's row: the columns of the core's runs table that it shares, and
        ``param.<path>`` for each parameter drawn from a distribution (or a posterior). A day or
        span of something that did not happen is NaN."""
        wills = [g.min_will for g in self.guarantors]
        cred = [a / (a + b) for a, b in self.aggressor.cred]
        wider = self.ladder.rung >= WIDER_WAR
        return {"collapsed": self.collapsed,
                "duration_days": self.collapse_day if self.collapsed else self.horizon_days,
                **self.totals, "direct_clash": self.clash,
                "surprise_offensive": self.surprise,
                "warning_days": self.collapse_day - self.warning_day if self.warning_day >= 0 else math.nan,
                "escalation_rung_max": self.ladder.rung_max,
                "wider_war": wider,
                "wider_war_day": self.ladder.wider_war_day if wider else math.nan,
                "final_aggressor_capability": self.aggressor.capability,
                "final_defender_capability": self.defender.capability,
                "min_political_will": min(wills) if wills else math.nan,
                "final_credibility_belief": sum(cred) / len(cred) if cred else math.nan,
                **{f"param.{path}": x for path, x in self.parameter_values.items()}}


def simulate_reference(cfg: ScenarioConfig, replications: int, seed: int = 0) -> list[dict[str, Any]]:
    """Run ``replications`` independent replications one after another; one row each."""
    seeds = np.random.SeedSequence(seed).spawn(replications)
    uncertain = uncertain_parameters(cfg)
    particles = Particles.of(cfg)
    rows = []
    for s in seeds:
        model = ReferenceModel(cfg, s, uncertain, particles)
        model.run_model()
        rows.append(model.outputs())
    return rows
