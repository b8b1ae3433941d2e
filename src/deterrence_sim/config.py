"""Structured configuration: one typed dataclass per config node, validated before a run.

The groups follow EMA Workbench's split between *uncertainties* (``theater``, ``attack``: what the
analyst cannot choose) and *levers* (``monitoring``, ``guarantee``: the designs being compared), plus
``sim`` for the run itself. Every numeric field declares its unit and allowed range in its metadata;
:func:`validate` walks the tree and raises :class:`ConfigError` naming the full field path, the bad
value and what is allowed. Cross-references (a commitment naming a guarantor) are checked there too.

Fields marked *uncertain* take either a plain number (a fixed value) or a distribution drawn once
per replication, ``{dist: beta, a: 2, b: 5}`` (see :mod:`deterrence_sim.core.types`).
"""

from __future__ import annotations

import math
from dataclasses import MISSING, asdict, dataclass, field, fields, is_dataclass
from enum import Enum
from typing import Any

from deterrence_sim.core.types import check_distribution


class ConfigError(ValueError):
    """A configuration value is wrong; the message is one line: field, value, what is allowed."""


@dataclass(frozen=True)
class Range:
    """Closed or half-open interval of allowed values, used for validation and for the docs."""

    lo: float = -math.inf
    hi: float = math.inf
    lo_open: bool = False
    hi_open: bool = False

    def contains(self, x: float) -> bool:
        above = x > self.lo if self.lo_open else x >= self.lo
        below = x < self.hi if self.hi_open else x <= self.hi
        return bool(above and below and not math.isnan(x))

    def __str__(self) -> str:
        if self.hi == math.inf:
            return f"a number {'>' if self.lo_open else '>='} {self.lo:g}"
        left = "(" if self.lo_open else "["
        right = ")" if self.hi_open else "]"
        return f"a number in {left}{self.lo:g}, {self.hi:g}{right}"


PROB = Range(0.0, 1.0)
NONNEG = Range(0.0)
POS = Range(0.0, lo_open=True)
COUNT = Range(1.0)


def param(default: Any, unit: str, allowed: Range, doc: str, *, uncertain: bool = False) -> Any:
    """A config field with its unit, allowed range and a one-line meaning (kept in metadata)."""
    meta = {"unit": unit, "range": allowed, "doc": doc, "uncertain": uncertain}
    if isinstance(default, list | dict):
        return field(default_factory=lambda: default.copy(), metadata=meta)
    return field(default=default, metadata=meta)


class Severity(Enum):
    """Rungs of the escalation ladder below a major offensive."""

    minor = 1
    serious = 2


class DecisionRule(Enum):
    """How the guarantors' individual decisions combine into one response."""

    lead_nation = "lead_nation"
    majority = "majority"
    unanimity = "unanimity"


class AssetKind(Enum):
    """The monitoring technologies the model distinguishes."""

    optical_satellite = "optical_satellite"
    sar_satellite = "sar_satellite"
    drone_fleet = "drone_fleet"
    ground_sensors = "ground_sensors"
    observer_team = "observer_team"


# --------------------------------------------------------------------------- theater (uncertainty)


@dataclass
class AggressorForces:
    """The aggressor's theatre-level military capability (1.0 = the defender's day-0 strength)."""

    capability: float = param(2.0, "index", POS, "capability on day 0, relative to defender's")
    regen_per_day: float = param(0.00675, "index/day", NONNEG, "capability regenerated per day")
    depreciation_per_day: float = param(
        0.0027, "1/day", Range(0.0, 1.0), "share of capability that wears out per day"
    )


@dataclass
class DefenderForces:
    """The defender: its strength, financing and behaviour at the line."""

    capability: float = param(1.0, "index", POS, "capability on day 0 (the unit of force)")
    own_budget_bn_per_year: float = param(40.0, "bn USD/yr", NONNEG, "own defence budget")
    efficiency_per_bn: float = param(
        1.0 / 80.0, "index/(bn USD/yr)", NONNEG, "equilibrium capability per bn USD a year"
    )
    depreciation_per_day: float = param(
        0.0027, "1/day", Range(0.0, 1.0, lo_open=True), "share of capability that wears out per day"
    )
    attrition_minor: float = param(0.0002, "index", NONNEG, "capability lost per minor violation")
    attrition_serious: float = param(0.002, "index", NONNEG, "capability lost per serious one")
    p_retaliate: float = param(0.3, "probability", PROB, "retaliates in kind, same sector and day")
    p_spontaneous_per_sector_day: float = param(
        0.0005, "probability", PROB, "own unprovoked minor violation, per sector-day"
    )


@dataclass
class GuarantorConfig:
    """A guarantor state: how resolute it is and how much cost it tolerates."""

    name: str = "guarantor"
    political_will: Any = param(
        0.7, "share", PROB, "will to act on day 0 (its true type)", uncertain=True
    )
    cost_tolerance_bn_per_year: float = param(
        20.0, "bn USD/yr", POS, "yearly cost at which fatigue erodes will at the full rate"
    )
    rally_per_flagrant: float = param(
        0.02, "will", NONNEG, "will gained per verified serious violation"
    )
    fatigue: float = param(0.002, "will/day", NONNEG, "will lost per day at cost = tolerance")
    drift_per_day: float = param(0.01, "1/day", PROB, "pull of will back to its day-0 value")


@dataclass
class TheaterConfig:
    """The contact line, the forces on both sides and the guarantor states."""

    name: str = "ukraine_2026"
    n_sectors: int = param(40, "sectors", Range(1, 10_000), "sectors along the contact line")
    front_length_km: float = param(1250.0, "km", POS, "length of the contact line")
    sector_value_low: float = param(0.5, "index", NONNEG, "strategic value, least valuable")
    sector_value_high: float = param(1.5, "index", NONNEG, "strategic value, most valuable")
    visibility_low: float = param(0.6, "factor", PROB, "visibility of the least visible sector")
    visibility_high: float = param(1.0, "factor", PROB, "visibility of the most visible sector")
    cloud_median: float = param(0.6, "share", Range(0.0, 1.0, hi_open=True), "median cloud cover")
    cloud_seasonal_amplitude: float = param(
        0.15, "share", PROB, "winter excess of cloud cover over the median"
    )
    cloud_logit_sd: float = param(1.0, "1", NONNEG, "day-to-day spread of cloud (logit scale)")
    start_day_of_year: int = param(6, "day", Range(1, 366), "calendar day of the ceasefire")
    ground_km_per_serious: float = param(0.3, "km", NONNEG, "ground taken per serious violation")
    aggressor: AggressorForces = field(default_factory=AggressorForces)
    defender: DefenderForces = field(default_factory=DefenderForces)
    guarantors: list[GuarantorConfig] = field(default_factory=list)


# --------------------------------------------------------------------------- attack (uncertainty)


@dataclass
class AttackConfig:
    """An aggressor profile: its type, its incentives and how it learns."""

    name: str = "opportunist"
    revisionism: Any = param(
        0.5, "share", PROB, "weight on gains (its true type)", uncertain=True
    )
    opportunity_rate_per_sector_day: float = param(
        0.02, "probability", PROB, "chance a sector offers a violation opportunity"
    )
    gain_minor: float = param(0.4, "utility", NONNEG, "gain of a minor violation per unit value")
    gain_serious: float = param(2.0, "utility", NONNEG, "gain of a serious violation")
    denial_minor: float = param(0.1, "utility", NONNEG, "cost per unit of local defence, minor")
    denial_serious: float = param(0.8, "utility", NONNEG, "cost per unit of local defence, serious")
    temperature: float = param(0.5, "utility", NONNEG, "logit decision noise; 0 = best response")
    offensive_gain: float = param(100.0, "utility", NONNEG, "value of winning a major offensive")
    offensive_fail_loss: float = param(20.0, "utility", NONNEG, "loss if the offensive fails")
    offensive_cost: float = param(12.0, "utility", NONNEG, "fixed cost of going to war")
    offensive_rate_per_day: float = param(
        0.02, "probability", PROB, "chance per day that the war option is weighed"
    )
    offensive_temperature: float = param(
        3.0, "utility", NONNEG, "logit noise of the war decision; 0 = best response"
    )
    win_steepness: float = param(4.0, "1", NONNEG, "kappa: steepness of p_win in log force ratio")
    required_force_ratio: float = param(3.0, "ratio", POS, "rho*: ratio giving p_win = 0.5")
    window_weight: float = param(
        0.0, "utility", NONNEG, "omega: weight of a closing window of opportunity"
    )
    lookahead_days: int = param(180, "days", Range(1, 10_000), "H: horizon of the force projection")
    prior_detect_alpha: float = param(1.0, "pseudo-count", POS, "Beta prior: violations seen")
    prior_detect_beta: float = param(1.0, "pseudo-count", POS, "Beta prior: violations unseen")
    prior_credibility_alpha: float = param(1.0, "pseudo-count", POS, "Beta prior: honoured")
    prior_credibility_beta: float = param(1.0, "pseudo-count", POS, "Beta prior: not honoured")
    forgetting: float = param(
        1.0, "factor", Range(0.0, 1.0, lo_open=True), "lambda: weight kept on past evidence"
    )
    learns: bool = True


# --------------------------------------------------------------------------- monitoring (lever)


@dataclass
class AssetConfig:
    """One monitoring asset: what it sees, how often, and what it costs."""

    name: str = "asset"
    kind: AssetKind = AssetKind.drone_fleet
    owner: str = "defender"
    coverage_share: float = param(1.0, "share", PROB, "share of sectors covered, most valuable first")
    looks_per_day: float = param(1.0, "looks/day", NONNEG, "revisits of each covered sector")
    p_detect_minor: float = param(0.1, "probability", PROB, "chance one look sees a minor event")
    p_detect_serious: float = param(0.3, "probability", PROB, "chance one look sees a serious one")
    exposure_days: float = param(1.0, "days", POS, "how long an event stays observable")
    cloud_sensitivity: float = param(0.0, "share", PROB, "share of looks lost under full cloud")
    jam_sensitivity: float = param(0.0, "share", PROB, "share of looks lost under full jamming")
    false_alarms_per_sector_day: float = param(
        0.0, "reports", NONNEG, "false reports per covered sector-day"
    )
    attribution_accuracy: float = param(0.8, "probability", PROB, "attributes to the right side")
    loss_rate_per_day: float = param(0.0, "probability", PROB, "chance per day it is lost")
    replacement_days: int = param(30, "days", Range(0, 10_000), "days to replace a lost asset")
    cost_bn_per_year: float = param(0.0, "bn USD/yr", NONNEG, "running cost to its owner")


@dataclass
class MonitoringConfig:
    """A monitoring and verification architecture and the conditions it works in."""

    name: str = "none"
    assets: list[AssetConfig] = field(default_factory=list)
    verification_delay_days: int = param(
        3, "days", Range(0, 365), "delay to verify a single-source report"
    )
    corroborated_delay_days: int = param(
        1, "days", Range(0, 365), "delay to verify a report seen by two or more sources"
    )
    p_verify_single: float = param(0.6, "probability", PROB, "single-source report verified")
    p_verify_false_alarm: float = param(0.1, "probability", PROB, "false alarm wrongly verified")
    p_wrong_side: float = param(
        0.5, "probability", PROB, "an attribution error blames the wrong side (else: unknown)"
    )
    jamming_median: float = param(
        0.2, "share", Range(0.0, 1.0, hi_open=True), "median EW pressure (0 = none)"
    )
    jamming_logit_sd: float = param(0.8, "1", NONNEG, "day-to-day spread of EW (logit scale)")
    extra_cloud: float = param(0.0, "share", Range(-1.0, 1.0), "cloud added to the theatre's")


# --------------------------------------------------------------------------- guarantee (lever)


@dataclass
class CommitmentConfig:
    """A guarantee commitment: trigger, decision rule, delay, what the response does and costs."""

    name: str = "commitment"
    guarantors: list[str] = field(default_factory=list)
    trigger_severity: Severity = Severity.serious
    trigger_count: int = param(1, "violations", COUNT, "verified violations that trigger it")
    trigger_window_days: int = param(30, "days", Range(1, 3650), "window the count must fall in")
    rule: DecisionRule = DecisionRule.majority
    response_delay_days: int = param(7, "days", Range(0, 365), "decision to effect")
    bindingness: float = param(
        0.0, "share", Range(0.0, 1.0, hi_open=True), "b: raises honouring above political will"
    )
    punishment: float = param(0.0, "utility", NONNEG, "cost to the aggressor of one response")
    punishment_offensive: float = param(
        0.0, "utility", NONNEG, "cost to the aggressor if it answers a major offensive"
    )
    sanctions_drag_per_day: float = param(
        0.0, "index/day", NONNEG, "cut in the aggressor's regeneration while the response lasts"
    )
    denial_boost: float = param(0.0, "index", NONNEG, "capability given to the defender")
    effect_days: int = param(90, "days", Range(1, 3650), "how long a response's drag lasts")
    presence_sectors: int = param(0, "sectors", Range(0, 10_000), "sectors with a force present")
    presence_denial: float = param(0.0, "index", NONNEG, "local defence a present force adds")
    cost_bn_per_response: float = param(0.0, "bn USD", NONNEG, "cost to guarantors per response")
    standing_cost_bn_per_year: float = param(0.0, "bn USD/yr", NONNEG, "cost of being in place")
    clash_risk: float = param(
        0.0, "probability", PROB, "direct guarantor-aggressor clash per military response"
    )


@dataclass
class GuaranteeConfig:
    """A guarantee design: who finances the defender and which commitments stand behind it."""

    name: str = "none"
    aid_bn_per_year: dict[str, float] = field(default_factory=dict)
    commitments: list[CommitmentConfig] = field(default_factory=list)


# --------------------------------------------------------------------------- sim


@dataclass
class SimConfig:
    """How many replications, which seed, how long."""

    replications: int = param(1000, "replications", Range(1, 10_000_000), "replications to run")
    seed: int = param(20260106, "seed", Range(0, 2**63 - 1), "root seed of every random stream")
    horizon_days: int = param(730, "days", Range(1, 36_500), "days simulated (censoring time)")
    block_size: int = param(
        1000, "replications", Range(1, 1_000_000), "replications sharing one random-number block"
    )
    first_block: int = param(
        0, "block", Range(0, 1_000_000_000), "index of the first block (to split a scenario over jobs)"
    )


@dataclass
class ScenarioConfig:
    """The root: one scenario, i.e. one choice from each group."""

    theater: TheaterConfig = field(default_factory=TheaterConfig)
    attack: AttackConfig = field(default_factory=AttackConfig)
    monitoring: MonitoringConfig = field(default_factory=MonitoringConfig)
    guarantee: GuaranteeConfig = field(default_factory=GuaranteeConfig)
    sim: SimConfig = field(default_factory=SimConfig)

    def __post_init__(self) -> None:
        validate(self)


def config_dict(cfg: Any) -> Any:
    """A config (or any node of it) as plain JSON-able data, enums by name."""
    def plain(x: Any) -> Any:
        if isinstance(x, Enum):
            return x.name
        if isinstance(x, dict):
            return {k: plain(v) for k, v in x.items()}
        if isinstance(x, list | tuple):
            return [plain(v) for v in x]
        return x
    return plain(asdict(cfg))


# --------------------------------------------------------------------------- validation


def _fail(path: str, value: Any, allowed: str) -> ConfigError:
    return ConfigError(f"{path}: invalid value {value!r}; allowed: {allowed}")


def _check_value(path: str, value: Any, f: Any) -> None:
    meta = f.metadata
    allowed: Range | None = meta.get("range")
    if meta.get("uncertain"):
        check_distribution(path, value, allowed, ConfigError)
        return
    if allowed is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(path, value, str(allowed))
    if f.type in ("int", int) and not isinstance(value, int):
        raise _fail(path, value, "a whole " + str(allowed).removeprefix("a "))
    if not math.isfinite(value) or not allowed.contains(float(value)):
        bounded = math.isfinite(allowed.lo) and math.isfinite(allowed.hi)
        raise _fail(path, value, str(allowed) if bounded else f"a finite {str(allowed)[2:]}")


def _validate_node(node: Any, path: str) -> None:
    for f in fields(node):
        value = getattr(node, f.name)
        sub = f"{path}.{f.name}" if path else f.name
        if is_dataclass(value):
            _validate_node(value, sub)
        elif isinstance(value, list) and value and is_dataclass(value[0]):
            for i, item in enumerate(value):
                _validate_node(item, f"{sub}[{i}]")
        else:
            _check_value(sub, value, f)


def validate(cfg: ScenarioConfig) -> None:
    """Check every range and every cross-reference; raise :class:`ConfigError` on the first fault."""
    _validate_node(cfg, "")
    t = cfg.theater
    if t.sector_value_high < t.sector_value_low:
        raise _fail("theater.sector_value_high", t.sector_value_high,
                    f"a number >= theater.sector_value_low ({t.sector_value_low:g})")
    if t.visibility_high < t.visibility_low:
        raise _fail("theater.visibility_high", t.visibility_high,
                    f"a number >= theater.visibility_low ({t.visibility_low:g})")
    names = [g.name for g in t.guarantors]
    for i, name in enumerate(names):
        if name in names[:i] or name == "defender":
            raise _fail(f"theater.guarantors[{i}].name", name, "a unique name other than 'defender'")
    known = ", ".join(names) if names else "(no guarantors in this theater)"
    for i, asset in enumerate(cfg.monitoring.assets):
        if asset.owner not in names and asset.owner != "defender":
            raise _fail(f"monitoring.assets[{i}].owner", asset.owner, f"defender, {known}")
    for name in cfg.guarantee.aid_bn_per_year:
        if name not in names:
            raise _fail(f"guarantee.aid_bn_per_year.{name}", name, known)
    for name, amount in cfg.guarantee.aid_bn_per_year.items():
        if not NONNEG.contains(float(amount)):
            raise _fail(f"guarantee.aid_bn_per_year.{name}", amount, str(NONNEG))
    for k, c in enumerate(cfg.guarantee.commitments):
        where = f"guarantee.commitments[{k}]"
        if not c.guarantors:
            raise _fail(f"{where}.guarantors", c.guarantors, f"a non-empty list of: {known}")
        for j, name in enumerate(c.guarantors):
            if name not in names:
                raise _fail(f"{where}.guarantors[{j}]", name, known)
        if c.presence_sectors > t.n_sectors:
            raise _fail(f"{where}.presence_sectors", c.presence_sectors,
                        f"a whole number in [0, theater.n_sectors={t.n_sectors}]")


def field_table(node_type: type) -> list[dict[str, Any]]:
    """Rows (field, default, unit, allowed, meaning) of one config node, for the docs."""
    rows = []
    for f in fields(node_type):
        if "unit" not in f.metadata:
            continue
        default = f.default if f.default is not MISSING else f.default_factory()
        rows.append({"field": f.name, "default": default, "unit": f.metadata["unit"],
                     "allowed": str(f.metadata["range"]), "meaning": f.metadata["doc"]})
    return rows
