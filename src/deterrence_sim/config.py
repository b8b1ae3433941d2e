"""Structured configuration: one typed dataclass per config node, validated before a run.

The groups follow EMA Workbench's split between *uncertainties* (``theater``, ``attack``: what the
analyst cannot choose) and *levers* (``monitoring``, ``guarantee``: the designs being compared), plus
``sim`` for the run itself. Every numeric field declares its unit, allowed range and meaning
(:func:`deterrence_sim.fields.param`) and, unless it is structural, takes a number or a
distribution drawn once per replication. Named collections (guarantors, assets, commitments,
effects) are mappings keyed by name, so the path of a value is the same on the command line
(``theater.guarantors.uk.political_will=0.8``), in a points table and in the ``param.*`` columns.

:class:`ScenarioConfig` builds the plug-in nodes (asset kinds, effect types) from their mappings
and runs :func:`validate`, which raises :class:`ConfigError` naming the full path, the bad value and
what is allowed. The same schemas are registered in Hydra's ConfigStore by
:mod:`deterrence_sim.hydra_config`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from enum import Enum
from typing import Any

from deterrence_sim.assets import AssetConfig, build_asset
from deterrence_sim.calibration.posterior import load_posterior
from deterrence_sim.core.distributions import Range, is_distribution, support
from deterrence_sim.core.guarantees import DecisionRule
from deterrence_sim.effects import EffectConfig, build_effect
from deterrence_sim.fields import (
    COUNT,
    NONNEG,
    POS,
    PROB,
    ConfigError,
    Num,
    build_node,
    check_node,
    check_value,
    fail,
    param,
)

__all__ = ["AggressorForces", "AssetConfig", "AttackConfig", "CalibrationConfig", "CommitmentConfig",
           "ConfigError",
           "DecisionRule", "DefenderForces", "EffectConfig", "GuaranteeConfig", "GuarantorConfig",
           "MonitoringConfig", "Parameter", "ScenarioConfig", "Severity", "SimConfig",
           "TheaterConfig", "config_dict", "parameters", "validate"]


class Severity(Enum):
    """Rungs of violation below a major offensive."""

    minor = 1
    serious = 2


# --------------------------------------------------------------------------- theater (uncertainty)


@dataclass
class AggressorForces:
    """The aggressor's theater-level military capability (1.0 = the defender's day-0 strength)."""

    capability: Num = param(2.0, "index", POS, "capability on day 0, relative to the defender's")
    regen_per_day: Num = param(0.00675, "index/day", NONNEG, "capability regenerated per day")
    depreciation_per_day: Num = param(0.0027, "1/day", Range(0.0, 1.0),
                                      "share of capability that wears out per day")


@dataclass
class DefenderForces:
    """The defender: its strength, financing and behaviour at the line."""

    capability: Num = param(1.0, "index", POS, "capability on day 0 (the unit of force)")
    own_budget_bn_per_year: Num = param(40.0, "bn USD/yr", NONNEG, "own defence budget")
    efficiency_per_bn: Num = param(1.0 / 80.0, "index/(bn USD/yr)", NONNEG,
                                   "equilibrium capability per bn USD a year")
    depreciation_per_day: Num = param(0.0027, "1/day", Range(0.0, 1.0, lo_open=True),
                                      "share of capability that wears out per day")
    attrition_minor: Num = param(0.0002, "index", NONNEG, "capability lost per minor violation")
    attrition_serious: Num = param(0.002, "index", NONNEG, "capability lost per serious one")
    p_retaliate: Num = param(0.3, "probability", PROB, "retaliates in kind, same sector and day")
    p_spontaneous_per_sector_day: Num = param(0.0005, "probability", PROB,
                                              "own unprovoked minor violation, per sector-day")
    warned_capability_gain: Num = param(0.3, "share", NONNEG,
                                        "capability gained against an offensive it was warned of "
                                        "(alert, dispersal, reserves)")


@dataclass
class GuarantorConfig:
    """A guarantor state: how resolute it is and how much cost it tolerates (named by its key)."""

    name: str = ""
    political_will: Num = param(0.7, "share", PROB, "will to act on day 0 (its true type)")
    cost_tolerance_bn_per_year: Num = param(20.0, "bn USD/yr", POS,
                                            "yearly cost at which fatigue erodes will at the full rate")
    rally_per_flagrant: Num = param(0.02, "will", NONNEG, "will gained per verified serious violation")
    fatigue: Num = param(0.002, "will/day", NONNEG, "will lost per day at cost = tolerance")
    drift_per_day: Num = param(0.01, "1/day", PROB, "pull of will back to its day-0 value")
    will_per_clash: Num = param(-0.05, "will", Range(-1.0, 1.0),
                                "will change per direct clash with the aggressor (rally > 0, fear < 0)")
    escalation_resolve: Num = param({"dist": "triangular", "low": 10, "mode": 30, "high": 80}, "utility",
                                    NONNEG, "value at full will of not backing down in an escalation")
    wider_war_loss: Num = param(40.0, "utility", NONNEG, "what a wider war with the aggressor costs it")


@dataclass
class TheaterConfig:
    """The contact line, the forces on both sides and the guarantor states."""

    name: str = "theater"
    n_sectors: Any = param(40, "sectors", Range(1, 10_000), "sectors along the contact line",
                           integer=True, fixed=True)
    sector_value_low: Num = param(0.5, "index", NONNEG, "strategic value, least valuable sector")
    sector_value_high: Num = param(1.5, "index", NONNEG, "strategic value, most valuable sector")
    visibility_low: Num = param(0.6, "factor", PROB, "visibility of the least visible sector")
    visibility_high: Num = param(1.0, "factor", PROB, "visibility of the most visible sector")
    cloud_median: Num = param(0.6, "share", Range(0.0, 1.0, hi_open=True), "median cloud cover")
    cloud_seasonal_amplitude: Num = param(0.15, "share", PROB,
                                          "winter excess of cloud cover over the median")
    cloud_logit_sd: Num = param(1.0, "1", NONNEG, "day-to-day spread of cloud (logit scale)")
    start_day_of_year: Num = param(6, "day", Range(1, 366), "calendar day of the ceasefire",
                                   integer=True)
    ground_km_per_serious: Num = param(0.3, "km", NONNEG, "ground taken per serious violation")
    aggressor: AggressorForces = field(default_factory=AggressorForces)
    defender: DefenderForces = field(default_factory=DefenderForces)
    guarantors: dict[str, Any] | None = field(default_factory=dict)


# --------------------------------------------------------------------------- attack (uncertainty)


@dataclass
class AttackConfig:
    """An aggressor profile: its type, its incentives and how it learns."""

    name: str = "attack"
    revisionism: Num = param(0.5, "share", PROB, "weight on gains (its true type)")
    opportunity_rate_per_sector_day: Num = param(0.02, "probability", PROB,
                                                 "chance a sector offers a violation opportunity")
    gain_minor: Num = param(0.4, "utility", NONNEG, "gain of a minor violation per unit value")
    gain_serious: Num = param(2.0, "utility", NONNEG, "gain of a serious violation")
    denial_minor: Num = param(0.1, "utility", NONNEG, "cost per unit of local defence, minor")
    denial_serious: Num = param(0.8, "utility", NONNEG, "cost per unit of local defence, serious")
    temperature: Num = param(0.5, "utility", NONNEG, "logit decision noise; 0 = best response")
    offensive_gain: Num = param(100.0, "utility", NONNEG, "value of winning a major offensive")
    offensive_fail_loss: Num = param(20.0, "utility", NONNEG, "loss if the offensive fails")
    offensive_cost: Num = param(12.0, "utility", NONNEG, "fixed cost of going to war")
    offensive_rate_per_day: Num = param(0.02, "probability", PROB,
                                        "chance per day that the war option is weighed")
    offensive_temperature: Num = param(3.0, "utility", NONNEG,
                                       "logit noise of the war decision; 0 = best response")
    win_steepness: Num = param(4.0, "1", NONNEG, "kappa: steepness of p_win in log force ratio")
    required_force_ratio: Num = param(3.0, "ratio", POS, "rho*: ratio giving p_win = 0.5")
    window_weight: Num = param(0.0, "utility", NONNEG, "omega: weight of a closing window of opportunity")
    lookahead_days: Num = param(180, "days", Range(1, 10_000), "H: horizon of the force projection",
                                integer=True)
    buildup_days: Num = param({"dist": "triangular", "low": 7, "mode": 21, "high": 56}, "days",
                              Range(1, 365), "days of massing before a major offensive", integer=True)
    buildup_signature: Num = param({"dist": "beta", "a": 4, "b": 2}, "share", PROB,
                                   "how visible a build-up is: scales every look's chance to see it")
    buildup_cost_per_day: Num = param(0.1, "utility", NONNEG, "cost of keeping forces massed, per day")
    abort_cost: Num = param(3.0, "utility", NONNEG, "cost of standing down a build-up that was seen")
    prior_warning_alpha: Num = param(1.0, "pseudo-count", POS, "Beta prior: build-ups seen in time")
    prior_warning_beta: Num = param(1.0, "pseudo-count", POS, "Beta prior: build-ups unseen")
    escalation_resolve: Num = param({"dist": "triangular", "low": 0, "mode": 10, "high": 60}, "utility",
                                    NONNEG, "value of not backing down in an escalation")
    wider_war_loss: Num = param(60.0, "utility", NONNEG, "what a wider war with the guarantors costs it")
    escalation_temperature: Num = param(3.0, "utility", NONNEG,
                                        "logit noise of escalation choices; 0 = best response")
    prior_detect_alpha: Num = param(1.0, "pseudo-count", POS, "Beta prior: violations seen")
    prior_detect_beta: Num = param(1.0, "pseudo-count", POS, "Beta prior: violations unseen")
    prior_credibility_alpha: Num = param(1.0, "pseudo-count", POS, "Beta prior: honoured")
    prior_credibility_beta: Num = param(1.0, "pseudo-count", POS, "Beta prior: not honoured")
    forgetting: Num = param(1.0, "factor", Range(0.0, 1.0, lo_open=True),
                            "lambda: weight kept on past evidence")
    learns: bool = True


# --------------------------------------------------------------------------- monitoring (lever)


@dataclass
class MonitoringConfig:
    """A monitoring and verification architecture and the conditions it works in.

    ``assets`` maps each asset's name to its config; its ``kind`` (one module of
    :mod:`deterrence_sim.assets`) chooses its detection law and its fields.
    """

    name: str = "none"
    assets: dict[str, Any] | None = field(default_factory=dict)
    verification_delay_days: Num = param(3, "days", Range(0, 365),
                                         "delay to verify a single-source report", integer=True)
    corroborated_delay_days: Num = param(1, "days", Range(0, 365),
                                         "delay to verify a report seen by two or more sources",
                                         integer=True)
    p_verify_single: Num = param(0.6, "probability", PROB, "single-source report verified")
    p_verify_false_alarm: Num = param(0.1, "probability", PROB, "false alarm wrongly verified")
    p_wrong_side: Num = param(0.5, "probability", PROB,
                              "an attribution error blames the wrong side (else: unknown)")
    warning_delay_days: Num = param(2, "days", Range(0, 365),
                                    "delay to verify a build-up warning", integer=True)
    p_verify_warning: Num = param(0.7, "probability", PROB,
                                  "a build-up seen by one source only is verified as a warning")
    jamming_median: Num = param(0.2, "share", Range(0.0, 1.0, hi_open=True),
                                "median EW pressure (0 = none)")
    jamming_logit_sd: Num = param(0.8, "1", NONNEG, "day-to-day spread of EW (logit scale)")
    extra_cloud: Num = param(0.0, "share", Range(-1.0, 1.0), "cloud added to the theater's")


# --------------------------------------------------------------------------- guarantee (lever)


@dataclass
class CommitmentConfig:
    """A guarantee commitment: its trigger, its decision, and the typed effects of a response.

    ``effects`` maps each effect's name to its config; its ``type`` (default: the name) is one
    module of :mod:`deterrence_sim.effects`.
    """

    name: str = ""
    guarantors: list[str] = field(default_factory=list)
    trigger_severity: Severity = Severity.serious
    trigger_count: Num = param(1, "violations", COUNT, "verified violations that trigger it",
                               integer=True)
    trigger_window_days: Num = param(30, "days", Range(1, 3650), "window the count must fall in",
                                     integer=True)
    rule: DecisionRule = DecisionRule.majority
    response_delay_days: Num = param(7, "days", Range(0, 365), "decision to effect", integer=True)
    bindingness: Num = param(0.0, "share", Range(0.0, 1.0, hi_open=True),
                             "b: raises honouring above political will")
    pre_empts: bool = True
    """Whether a verified warning of a build-up triggers a decision to act before the attack."""
    effects: dict[str, Any] | None = field(default_factory=dict)


@dataclass
class GuaranteeConfig:
    """A guarantee design: who finances the defender and which commitments stand behind it."""

    name: str = "none"
    aid_bn_per_year: dict[str, Any] | None = field(default_factory=dict)
    commitments: dict[str, Any] | None = field(default_factory=dict)


AID = param(0.0, "bn USD/yr", NONNEG, "aid pledged to the defender by a guarantor")
"""The field declaration of each value of ``guarantee.aid_bn_per_year``."""

# --------------------------------------------------------------------------- calibration


@dataclass
class CalibrationConfig:
    """The calibration whose posterior the calibrated parameters are drawn from (one particle per
    replication, by weight); ``posterior`` is a shipped posterior's name or a Parquet file. A
    parameter set by an override keeps its value (``keep``)."""

    name: str = "none"
    posterior: str = ""
    #: Parameters the posterior names that keep the scenario's own value instead: the ones an
    #: override sets (added by the overrides' expansion, so that a value one types is the value run).
    keep: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- sim


@dataclass
class SimConfig:
    """How many replications, which seed, how long (fixed for the whole run)."""

    replications: Any = param(1000, "replications", Range(1, 10_000_000), "replications to run",
                              integer=True, fixed=True)
    seed: Any = param(20260106, "seed", Range(0, 2**63 - 1), "root seed of every random stream",
                      integer=True, fixed=True)
    horizon_days: Any = param(730, "days", Range(1, 36_500), "days simulated (censoring time)",
                              integer=True, fixed=True)
    block_size: Any = param(1000, "replications", Range(1, 1_000_000),
                            "replications sharing one random-number block", integer=True, fixed=True)
    first_block: Any = param(0, "block", Range(0, 1_000_000_000),
                             "index of the first block (to split a scenario over jobs)",
                             integer=True, fixed=True)
    trace: list[int] = field(default_factory=list)
    """Replications (global indices) whose every day is written to ``traces.parquet``."""

    def replication_range(self) -> range:
        """The global indices of this run's replications."""
        start = self.first_block * self.block_size
        return range(start, start + self.replications)


@dataclass
class ScenarioConfig:
    """The root: one scenario, i.e. one choice from each group."""

    theater: TheaterConfig = field(default_factory=TheaterConfig)
    attack: AttackConfig = field(default_factory=AttackConfig)
    monitoring: MonitoringConfig = field(default_factory=MonitoringConfig)
    guarantee: GuaranteeConfig = field(default_factory=GuaranteeConfig)
    sim: SimConfig = field(default_factory=SimConfig)
    calibration: CalibrationConfig = field(default_factory=CalibrationConfig)

    def __post_init__(self) -> None:
        _name_entries(self)
        validate(self)


def _name_entries(cfg: ScenarioConfig) -> None:
    """Give every named entry its key as name, and build asset and effect nodes from mappings.

    A mapping set to null (how an override replaces a whole mapping) is an empty one.
    """
    t, m, g = cfg.theater, cfg.monitoring, cfg.guarantee
    g.aid_bn_per_year = g.aid_bn_per_year or {}
    t.guarantors = {key: build_node(GuarantorConfig, x, f"theater.guarantors.{key}", name=key)
                    for key, x in (t.guarantors or {}).items()}
    m.assets = {key: build_asset(a, f"monitoring.assets.{key}", key) for key, a in (m.assets or {}).items()}
    g.commitments = {key: build_node(CommitmentConfig, c, f"guarantee.commitments.{key}", name=key)
                     for key, c in (g.commitments or {}).items()}
    for key, c in g.commitments.items():
        where = f"guarantee.commitments.{key}.effects"
        c.effects = {name: build_effect(e, f"{where}.{name}", name)
                     for name, e in (c.effects or {}).items()}


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


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class Parameter:
    """A numeric parameter of a scenario: its path, its value (number or distribution), its field."""

    path: str
    value: Any
    field: Any

    @property
    def allowed(self) -> Range:
        return self.field.metadata["range"]

    @property
    def integer(self) -> bool:
        return self.field.metadata["integer"]

    @property
    def fixed(self) -> bool:
        return self.field.metadata["fixed"]


def parameters(node: Any, path: str = "") -> Iterator[Parameter]:
    """Every numeric parameter of a config node, with its dotted path, in declaration order.

    Examples
    --------
    >>> [p.path for p in parameters(AggressorForces(), "theater.aggressor")]   # doctest: +ELLIPSIS
    ['theater.aggressor.capability', 'theater.aggressor.regen_per_day', ...]
    """
    for f in fields(node):
        value = getattr(node, f.name)
        here = f"{path}.{f.name}" if path else f.name
        if "range" in f.metadata:
            yield Parameter(here, value, f)
        elif f.name == "aid_bn_per_year":
            for key, amount in value.items():
                yield Parameter(f"{here}.{key}", amount, AID)
        elif is_dataclass(value):
            yield from parameters(value, here)
        elif isinstance(value, Mapping):
            for key, item in value.items():
                if is_dataclass(item):
                    yield from parameters(item, f"{here}.{key}")


# --------------------------------------------------------------------------- validation


def validate(cfg: ScenarioConfig) -> None:
    """Check every range and every cross-reference; raise :class:`ConfigError` on the first fault."""
    check_node(cfg, "")
    t, g = cfg.theater, cfg.guarantee
    for name, amount in g.aid_bn_per_year.items():
        check_value(f"guarantee.aid_bn_per_year.{name}", amount, AID)
    for low, high in (("sector_value_low", "sector_value_high"), ("visibility_low", "visibility_high")):
        lo, hi = getattr(t, low), getattr(t, high)
        if not is_distribution(lo) and not is_distribution(hi) and hi < lo:
            raise fail(f"theater.{high}", hi, f"a number >= theater.{low} ({lo:g})")
    names = list(t.guarantors)
    if "defender" in names:
        raise fail("theater.guarantors.defender", "defender", "a guarantor name other than 'defender'")
    known = ", ".join(names) if names else "(no guarantors in this theater)"
    for key, asset in cfg.monitoring.assets.items():
        if asset.owner not in names and asset.owner != "defender":
            raise fail(f"monitoring.assets.{key}.owner", asset.owner, f"defender, {known}")
    for name in g.aid_bn_per_year:
        if name not in names:
            raise fail(f"guarantee.aid_bn_per_year.{name}", name, known)
    for key, c in g.commitments.items():
        where = f"guarantee.commitments.{key}"
        if not c.guarantors:
            raise fail(f"{where}.guarantors", c.guarantors, f"a non-empty list of: {known}")
        for j, name in enumerate(c.guarantors):
            if name not in names:
                raise fail(f"{where}.guarantors[{j}]", name, known)
        for p in parameters(c, where):
            most = support(p.value)[1] if is_distribution(p.value) else p.value
            if p.field.metadata["unit"] == "sectors" and most > t.n_sectors:
                raise fail(p.path, p.value, f"a whole number in [0, theater.n_sectors={t.n_sectors}]")
    _check_trace(cfg.sim)
    if cfg.calibration.posterior:
        load_posterior(cfg.calibration.posterior,
                       [p.path for p in parameters(cfg) if not p.fixed and p.path != "calibration"])


MAX_TRACED = 1000
"""Most replications a run may trace (a trace has one row per replication and day)."""


def _check_trace(sim: SimConfig) -> None:
    run = sim.replication_range()
    if len(sim.trace) > MAX_TRACED:
        raise fail("sim.trace", f"{len(sim.trace)} replications", f"at most {MAX_TRACED}")
    for i, rep in enumerate(sim.trace):
        if isinstance(rep, bool) or not isinstance(rep, int) or rep not in run:
            raise fail(f"sim.trace[{i}]", rep, f"a replication of this run, in [{run.start}, {run.stop - 1}]")
