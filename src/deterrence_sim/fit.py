"""Calibrating the model to a target set: ``ds.calibrate`` (the ABC-SMC of what the set is about).

What a target set calibrates is written beside it, in the ``fit`` section of its provenance file
(``experiments/calibration/targets/<name>.yaml``)::

    fit:
      scenario: [monitoring=none, guarantee=none, calibration=none]   # what the targets are about
      parameters:                           # the calibrated parameters and their priors
        theater.aggressor.regen_per_day: config          # the prior is the scenario's own law
        attack.offensive_rate_per_day: {dist: lognormal, median: 0.02, sigma: 1.5}
      replications_per_particle: 62         # the targets' n (docs/decisions.md, "Calibration")
      abc: {population_size: 200, max_generations: 6}   # settings of calibration.abc_smc
      check_draws: 100                      # posterior draws of the predictive check

:func:`fit_spec` composes that scenario (plus the caller's overrides, plus a horizon that reaches
the longest target), checks every parameter path and prior, and :func:`calibrate` runs ABC-SMC
(:func:`deterrence_sim.calibration.abc_smc`) on it. Each population is simulated in batched calls
of :func:`deterrence_sim.simulation.evaluate_points` with independent random numbers per particle,
in this process or cut into parts run by a Hydra launcher (:mod:`deterrence_sim.launch`); the
summary statistics are the shares failed by the targets' horizons, the distance
:class:`~deterrence_sim.calibration.SurvivalDistance`. The ABC seed is the scenario's
``sim.seed``.
"""

from __future__ import annotations

import copy
import difflib
import math
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from deterrence_sim.api import as_overrides, compose_scenario, expand_overrides
from deterrence_sim.calibration import (
    ABCProgress,
    ABCResult,
    Prior,
    SurvivalDistance,
    TargetSet,
    abc_smc,
    failed_shares,
    load_targets,
)
from deterrence_sim.calibration.abc import _check_settings as check_settings
from deterrence_sim.calibration.priors import PRIORS
from deterrence_sim.config import ConfigError, ScenarioConfig, config_dict, parameters
from deterrence_sim.core.distributions import is_distribution
from deterrence_sim.launch import is_launcher_override, launch_evaluation, parts_for
from deterrence_sim.simulation import evaluate_points

FIT_KEYS = ("scenario", "parameters", "replications_per_particle", "abc", "check_draws")
"""Keys of a target set's ``fit`` section."""

ABC_DEFAULTS: dict[str, Any] = {"population_size": 200, "quantile": 0.5, "min_epsilon": 0.0,
                                "max_generations": 8, "min_acceptance": 0.05, "max_simulations": None,
                                "max_batch": None}
"""Settings of the sampler when neither the target set nor the caller gives them (``max_batch``
None: half the population, so that the first batch of a generation, sized from the previous
generation's acceptance rate, which counts only the particles it kept, does not overshoot)."""

CONFIG_PRIOR = "config"
"""A parameter's prior written as this word is the scenario's own distribution for it."""

PART_SIZE = 64
"""Most particles in one launcher job of a batch (more jobs per batch: finer progress reports)."""


@dataclass(frozen=True)
class FitSpec:
    """Everything a calibration depends on, checked.

    Attributes
    ----------
    targets : TargetSet
        The observed shares failed.
    overrides : tuple of str
        The scenario's overrides: the target set's, then the caller's, then the horizon.
    scenario : ScenarioConfig
        The validated scenario every particle modifies.
    prior : Prior
        The calibrated parameters (their paths) and priors.
    replications : int
        Replications per particle.
    abc : dict
        Settings of :func:`~deterrence_sim.calibration.abc_smc`.
    check_draws : int
        Posterior draws of the predictive check.
    """

    targets: TargetSet
    overrides: tuple[str, ...]
    scenario: ScenarioConfig = field(repr=False)
    prior: Prior
    replications: int
    abc: dict[str, Any]
    check_draws: int = 100

    @property
    def seed(self) -> int:
        """The ABC seed: the scenario's ``sim.seed``."""
        return int(self.scenario.sim.seed)

    @property
    def sector_days_per_particle(self) -> int:
        """Sector-days simulated per particle: replications x horizon x sectors."""
        sim = self.scenario.sim
        return int(self.replications * sim.horizon_days * self.scenario.theater.n_sectors)

    def meta(self) -> dict[str, Any]:
        """The simulator's description stored with the run: a resumed run must match it."""
        return {"targets": self.targets.name,
                "target_table": self.targets.table[["horizon_days", "share_failed", "n"]].to_dict("list"),
                "overrides": list(self.overrides), "config": config_dict(self.scenario),
                "replications_per_particle": self.replications, "statistic": "share failed by each horizon"}


@dataclass(frozen=True)
class Calibration:
    """What :func:`calibrate` returns.

    Attributes
    ----------
    spec : FitSpec
    result : ABCResult
        Posterior (weighted particles), trace and stopping reason.
    seconds : float
        Wall time of this call (a resumed run counts only what it did itself).
    simulated_particles : int
        Particles this call simulated (with those of a generation that was abandoned).
    """

    spec: FitSpec
    result: ABCResult
    seconds: float
    simulated_particles: int

    @property
    def sector_days(self) -> int:
        """Sector-days this call simulated."""
        return self.simulated_particles * self.spec.sector_days_per_particle


# --------------------------------------------------------------------------- the specification


def fit_spec(targets: str | Path = "fortna_civil_no_pk", overrides: Sequence[str] | str = (), *,
             parameters: Mapping[str, Any] | None = None, replications: int | None = None,
             searchpath: Any = (), target_dirs: Sequence[Path | str] = (), **abc: Any) -> FitSpec:
    """Check and assemble a calibration: targets, scenario, priors and settings.

    Parameters
    ----------
    targets : str or Path
        A target set's name or CSV file (:func:`~deterrence_sim.calibration.load_targets`).
    overrides : sequence of str, or str
        Overrides of the scenario, after the target set's (``fit.scenario``).
    parameters : mapping, optional
        Parameter path -> prior (``{dist: ...}`` or ``"config"``), instead of ``fit.parameters``.
    replications : int, optional
        Replications per particle, instead of ``fit.replications_per_particle``.
    searchpath, target_dirs
        Folders of the user's presets and of their target sets.
    **abc
        Settings of the sampler (``population_size``, ``max_generations``, ...); ``None`` keeps
        the target set's (or the default).

    Raises
    ------
    ConfigError
        One line for an unknown target set or a malformed table, a missing or malformed ``fit``
        section, a scenario that does not compose, a parameter path that does not exist (or is
        fixed, or whole-numbered), a prior with no mass, a horizon shorter than a target.
    """
    target_set = load_targets(targets, target_dirs)
    where = f"{target_set.path.with_suffix('.yaml').name} fit"
    fit = target_set.provenance.get("fit") or {}
    if not isinstance(fit, Mapping) or set(fit) - set(FIT_KEYS):
        extra = sorted(set(fit) - set(FIT_KEYS)) if isinstance(fit, Mapping) else fit
        raise ConfigError(f"{where}: invalid value {extra!r}; allowed: a mapping with the keys "
                          f"{', '.join(FIT_KEYS)}")
    user = as_overrides(overrides)
    launcher = [o for o in user if is_launcher_override(o)]
    if launcher:
        raise ConfigError(f"overrides: invalid value {launcher[0]!r}; allowed: overrides of the scenario "
                          "(the launcher is chosen by the launcher argument)")
    scenario_overrides = [*_strings(fit.get("scenario", []), f"{where}.scenario"), *user]
    keys = [o.lstrip("+~").partition("=")[0] for o in scenario_overrides]
    longest = int(target_set.horizons.max())
    if "sim.horizon_days" not in keys:
        scenario_overrides.append(f"sim.horizon_days={longest}")
    scenario = compose_scenario(scenario_overrides, searchpath=searchpath)
    if scenario.sim.horizon_days < longest:
        raise ConfigError(f"sim.horizon_days: invalid value {scenario.sim.horizon_days}; allowed: a "
                          f"horizon >= {longest} days, the longest horizon of target set {target_set.name}")
    chosen = fit.get("parameters") if parameters is None else parameters
    source = where + ".parameters" if parameters is None else "parameters"
    prior = _prior(scenario, chosen, source)
    k = replications if replications is not None else fit.get("replications_per_particle", 62)
    _whole(k, "replications_per_particle", 1)
    settings = {**ABC_DEFAULTS, **_abc(fit.get("abc") or {}, f"{where}.abc"),
                **{key: v for key, v in abc.items() if v is not None}}
    unknown = sorted(set(settings) - set(ABC_DEFAULTS))
    if unknown:
        raise ConfigError(f"{unknown[0]}: unknown setting; allowed: {', '.join(ABC_DEFAULTS)}")
    if settings["max_batch"] is None and _is_count(settings["population_size"]):
        settings["max_batch"] = max(1, settings["population_size"] // 2)
    check_settings(**settings, seed=scenario.sim.seed)    # before anything is written
    draws = fit.get("check_draws", 100)
    _whole(draws, f"{where}.check_draws", 1)
    return FitSpec(target_set, tuple(expand_overrides(scenario_overrides)), scenario, prior, int(k),
                   settings, int(draws))


def _is_count(value: Any) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool) and value >= 2


def _strings(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: invalid value {value!r}; allowed: a list of overrides "
                          "(['monitoring=none', 'guarantee=none'])")
    return list(value)


def _whole(value: Any, name: str, least: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < least:
        raise ConfigError(f"{name}: invalid value {value!r}; allowed: a whole number >= {least}")


def _abc(settings: Any, where: str) -> dict[str, Any]:
    if not isinstance(settings, Mapping):
        raise ConfigError(f"{where}: invalid value {settings!r}; allowed: a mapping of "
                          f"{', '.join(ABC_DEFAULTS)}")
    unknown = sorted(set(settings) - set(ABC_DEFAULTS))
    if unknown:
        raise ConfigError(f"{where}.{unknown[0]}: unknown setting; allowed: {', '.join(ABC_DEFAULTS)}")
    return dict(settings)


def _prior(scenario: ScenarioConfig, chosen: Any, where: str) -> Prior:
    """The priors of the chosen parameters, truncated to their fields' ranges."""
    if not isinstance(chosen, Mapping) or not chosen:
        raise ConfigError(f"{where}: invalid value {chosen!r}; allowed: a mapping of at least one "
                          "parameter path to its prior ({dist: ...} or config)")
    known = {p.path: p for p in parameters(scenario) if p.path != "calibration"}
    spec, bounds = {}, {}
    for path, law in chosen.items():
        p = known.get(str(path))
        if p is None or p.fixed:
            movable = [k for k, q in known.items() if not q.fixed]
            near = difflib.get_close_matches(str(path), movable, n=1)
            hint = f" (closest: {near[0]})" if near else ""
            raise ConfigError(f"{where}.{path}: unknown parameter; allowed: a parameter path of the scenario "
                              f"such as theater.aggressor.regen_per_day{hint}")
        if p.integer:
            raise ConfigError(f"{where}.{path}: invalid parameter: it takes whole numbers; allowed: a "
                              "parameter with real values")
        if law == CONFIG_PRIOR or law is None:
            if not is_distribution(p.value) or p.value["dist"] not in PRIORS:
                raise ConfigError(f"{where}.{path}: invalid value {CONFIG_PRIOR!r}: the scenario gives it "
                                  f"{p.value!r}, not a distribution; allowed: a prior {{dist: ...}} of "
                                  f"{', '.join(PRIORS)}")
            law = dict(p.value)
        r = p.allowed
        lo = float(np.nextafter(r.lo, np.inf)) if r.lo_open else float(r.lo)
        hi = float(np.nextafter(r.hi, -np.inf)) if r.hi_open else float(r.hi)
        spec[p.path], bounds[p.path] = law, (lo, hi)
    try:
        return Prior.from_spec(spec, bounds)
    except ConfigError as exc:
        raise ConfigError(f"{where}.{exc}") from None


# --------------------------------------------------------------------------- the simulator


@dataclass
class FailedShares:
    """The simulator of ABC: shares failed by each horizon, one row per particle.

    ``__call__(params, rng_seed)`` runs ``replications`` independent replications of every row of
    ``params`` (the scenario with ``sim.seed = rng_seed``), in this process or, with
    ``launcher``, in ``jobs`` parallel launcher jobs per round; the result does not depend on which.
    """

    scenario: ScenarioConfig
    horizons: tuple[int, ...]
    replications: int
    launcher: tuple[str, ...] = ()
    jobs: int = 1
    work_dir: Path | None = None
    progress: Callable[[int, int], None] | None = None
    simulated: int = 0
    _batches: int = 0

    def __call__(self, params: pd.DataFrame, rng_seed: int) -> np.ndarray:
        scenario = with_seed(self.scenario, rng_seed)
        self._batches += 1
        if not self.launcher:
            runs = evaluate_points(scenario, params, self.replications, self.progress,
                                   common_random_numbers=False)
            shares = failed_shares(runs, self.horizons)
        else:
            shares = self._launched(scenario, params)
        self.simulated += len(params)
        return shares

    def _launched(self, scenario: ScenarioConfig, params: pd.DataFrame) -> np.ndarray:
        """Rounds of ``jobs`` launcher jobs of at most :data:`PART_SIZE` particles each."""
        n = len(params)
        parts = parts_for(n, self.jobs, PART_SIZE)
        rounds = math.ceil(parts / self.jobs)
        bounds = np.linspace(0, n, rounds + 1).round().astype(int)
        out, total = [], n * self.replications * scenario.sim.horizon_days
        reduce = partial(failed_shares, horizons=self.horizons)
        for r in range(rounds):
            lo, hi = int(bounds[r]), int(bounds[r + 1])
            chunk = params.iloc[lo:hi].reset_index(drop=True)
            folder = self._sweep_dir(r)
            got = launch_evaluation(scenario, chunk, self.replications, launcher=self.launcher,
                                    parts=min(self.jobs, hi - lo), reduce=reduce, first_point=lo,
                                    sweep_dir=folder)
            shutil.rmtree(folder, ignore_errors=True)     # kept only if a job failed (its logs)
            out.extend(got)
            if self.progress:
                self.progress(hi * self.replications * scenario.sim.horizon_days, total)
        return np.concatenate(out)

    def _sweep_dir(self, round_: int) -> Path:
        base = self.work_dir if self.work_dir is not None else Path(tempfile.gettempdir()) / "deterrence-sim"
        return base / f"batch_{self._batches:04d}_{round_:03d}"


def with_seed(scenario: ScenarioConfig, seed: int) -> ScenarioConfig:
    """A copy of a validated scenario with another ``sim.seed`` (nothing else is checked again)."""
    out = copy.copy(scenario)
    out.sim = copy.copy(scenario.sim)
    out.sim.seed = int(seed)
    return out


# --------------------------------------------------------------------------- the calibration


def calibrate(targets: str | Path = "fortna_civil_no_pk", overrides: Sequence[str] | str = (), *,
              out: Path | str | None = None, parameters: Mapping[str, Any] | None = None,
              replications: int | None = None, population_size: int | None = None,
              max_generations: int | None = None, min_acceptance: float | None = None,
              max_simulations: int | None = None, quantile: float | None = None,
              min_epsilon: float | None = None, launcher: Sequence[str] = (), jobs: int | None = None,
              progress: bool | Callable[[ABCProgress], None] = False, searchpath: Any = (),
              target_dirs: Sequence[Path | str] = ()) -> Calibration:
    """Calibrate the parameters a target set is about by ABC-SMC, with populations simulated in
    batched calls.

    Parameters
    ----------
    targets : str or Path
        A target set's name (``"fortna_civil_no_pk"``) or CSV file.
    overrides : sequence of str, or str
        Overrides of the target set's scenario (``sim.seed=7`` sets the ABC seed).
    out : path, optional
        Folder of the run (:mod:`deterrence_sim.calibration.store`): every finished generation is
        written there, and the same call on the same folder resumes from the last one.
    parameters : mapping, optional
        Parameter path -> prior, instead of the target set's ``fit.parameters``.
    replications : int, optional
        Replications per particle (default: the target set's, 62 for ``fortna_civil_no_pk``).
    population_size, max_generations, min_acceptance, max_simulations, quantile, min_epsilon
        Settings of :func:`~deterrence_sim.calibration.abc_smc` (default: the target set's).
    launcher : sequence of str
        Hydra overrides choosing a launcher for the populations (``["hydra/launcher=joblib"]``);
        empty: this process. The posterior is the same either way.
    jobs : int, optional
        Launcher jobs run at once (default: the number of CPUs; 1 without a launcher).
    progress : bool or callable
        True: report progress with the time left on stderr; a callable gets each
        :class:`~deterrence_sim.calibration.ABCProgress`.
    searchpath, target_dirs
        Folders of the user's presets and target sets.

    Returns
    -------
    Calibration

    Raises
    ------
    ConfigError
        For bad input (see :func:`fit_spec`), or an ``out`` folder holding another calibration;
        nothing is written then.

    Examples
    --------
    >>> import deterrence_sim as ds
    >>> fit = ds.calibrate("fortna_civil_no_pk", out="calibration/fortna")   # doctest: +SKIP
    >>> fit.result.summary()                                                # doctest: +SKIP
    """
    spec = fit_spec(targets, overrides, parameters=parameters, replications=replications,
                    searchpath=searchpath, target_dirs=target_dirs, population_size=population_size,
                    max_generations=max_generations, min_acceptance=min_acceptance,
                    max_simulations=max_simulations, quantile=quantile, min_epsilon=min_epsilon)
    return run_calibration(spec, out=out, launcher=launcher, jobs=jobs, progress=progress)


def run_calibration(spec: FitSpec, *, out: Path | str | None = None, launcher: Sequence[str] = (),
                    jobs: int | None = None,
                    progress: bool | Callable[[ABCProgress], None] = False) -> Calibration:
    """Run the ABC-SMC of a checked :class:`FitSpec` (the arguments as for :func:`calibrate`)."""
    launcher = tuple(as_overrides(list(launcher), "launcher"))
    jobs = (1 if not launcher else _cpus()) if jobs is None else jobs
    _whole(jobs, "jobs", 1)
    report = ProgressReport(spec) if progress is True else progress or None
    simulator = FailedShares(spec.scenario, tuple(int(h) for h in spec.targets.horizons), spec.replications,
                             launcher, jobs, Path(out) / "jobs" if out is not None else None,
                             getattr(report, "batch", None))
    distance = SurvivalDistance.from_targets(spec.targets.shares, spec.targets.n)
    start = time.monotonic()
    result = abc_smc(simulator, spec.prior, spec.targets.shares, distance, seed=spec.seed, out=out,
                     meta=spec.meta(), progress=report, **spec.abc)
    return Calibration(spec, result, time.monotonic() - start, simulator.simulated)


def _cpus() -> int:
    import os

    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


# --------------------------------------------------------------------------- progress


class ProgressReport:
    """Progress of a calibration on a stream, with the time left.

    After each batch the sampler reports its generation, tolerance and acceptances; during a
    batch the simulator reports the replication-days done. The time left in the generation is
    estimated from the seconds per simulated particle and the generation's acceptance rate (the
    previous generation's until the first acceptance); with ``max_simulations`` set, the time left
    for the whole run is at most the budget left at that speed.
    """

    def __init__(self, spec: FitSpec, stream: IO[str] | None = None, every_s: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty()
        self.every = every_s if every_s is not None else (0.5 if self.interactive else 30.0)
        self.clock = clock
        self.budget = spec.abc.get("max_simulations")
        self.population = spec.abc["population_size"]
        self.start = self.last = clock()
        self.simulated = 0                   # particles, all batches finished in this process
        self.state: ABCProgress | None = None
        self.rates: dict[int, float] = {}    # acceptance rate of each generation, as it stands
        self.batch_share = 0.0

    def batch(self, done: int, total: int) -> None:
        """The simulator's report within a batch (replication-days)."""
        self.batch_share = done / total if total else 1.0
        self._show(False)

    def __call__(self, p: ABCProgress) -> None:
        """The sampler's report after each batch."""
        if self.state is None or p.generation != self.state.generation:
            self.simulated += p.simulations
        else:
            self.simulated += p.simulations - self.state.simulations
        self.state, self.batch_share = p, 0.0
        self.rates[p.generation] = p.accepted / p.simulations if p.simulations else math.nan
        self._show(p.accepted >= p.population_size)

    def line(self) -> str:
        """The current progress line."""
        p, elapsed = self.state, self.clock() - self.start
        per_particle = elapsed / self.simulated if self.simulated else math.nan
        batch = f" (batch {100 * self.batch_share:.0f}%)" if self.batch_share else ""
        if p is None or p.accepted >= p.population_size:      # a new generation's first batch
            number = 0 if p is None else p.generation + 1
            text = f"calibrating: generation {number}, first batch{batch}; {elapsed:.0f} s elapsed"
        else:
            rate = p.accepted / p.simulations if p.accepted else self.rates.get(p.generation - 1, math.nan)
            left = (p.population_size - p.accepted) / rate * per_particle if rate and rate > 0 else math.nan
            text = (f"calibrating: generation {p.generation}, epsilon {p.epsilon:.3g}: {p.accepted}/"
                    f"{p.population_size} accepted of {p.simulations:,} simulated{batch}; {elapsed:.0f} s "
                    f"elapsed, ~{_s(left)} left in this generation")
        if self.budget is not None and p is not None and math.isfinite(per_particle):
            text += f", at most ~{_s((self.budget - p.total_simulations) * per_particle)} in all"
        return text

    def _show(self, force: bool) -> None:
        now = self.clock()
        if not force and now - self.last < self.every:
            return
        self.last = now
        if self.interactive:
            self.stream.write("\r\033[K" + self.line())
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()


def _s(seconds: float) -> str:
    return "?" if not math.isfinite(seconds) else f"{max(seconds, 0):.0f} s"
