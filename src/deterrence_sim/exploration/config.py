"""The ``explore`` config node: which method, which parameters over which ranges, how many runs.

An exploration is configured like a scenario, through Hydra: a preset of the ``explore`` group
(``conf/explore/<name>.yaml``, extending the schema ``explore/base_explore``) chosen with
``explore=<name>``, and any field set on the command line (``explore.n=256``). The node sits beside
the scenario's groups in the composed config, not inside :class:`~deterrence_sim.config.ScenarioConfig`:
it says how to explore a scenario, not what the scenario is (docs/decisions.md).

:class:`ExploreConfig` checks what it can alone when it is built (method, N for that method,
outcomes, ranges with low < high, counts); the parameter paths and their ranges are checked against
each design's scenario by :func:`deterrence_sim.exploration.plan.make_plan`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from deterrence_sim.core.distributions import Range
from deterrence_sim.fields import ConfigError

OUTCOME_NAMES = ("collapse_risk", "wider_war_risk", "guarantor_cost", "days_to_collapse")
"""The outcomes an exploration can analyse (:data:`deterrence_sim.analysis.outcomes.OUTCOMES`;
a test keeps the two lists equal, so that this module need not import SciPy's statistics)."""

METHOD_NAMES = ("sobol", "morris", "lhs", "sobol_sequence", "oat")
"""The design methods (:data:`deterrence_sim.analysis.designs.METHODS`, kept equal by a test)."""

DEFAULT_N = {"sobol": 64, "morris": 10, "lhs": 200, "sobol_sequence": 256, "oat": None}
"""N when ``explore.n`` is null: base sample (sobol), trajectories (morris), points (lhs, sobol_sequence);
a one-at-a-time design has no N."""

MAX_POINTS = 10_000_000
"""Most points a design may have (per guarantee design)."""


def _meta(allowed: Range, doc: str) -> dict[str, Any]:
    return {"range": allowed, "doc": doc}


@dataclass
class ExploreConfig:
    """How to explore a scenario: the design of the experiment over its uncertain parameters.

    Attributes
    ----------
    name : str
        The preset's name (the default output folder is named after it).
    method : str
        ``sobol`` (Sobol' first-order and total indices, Saltelli's design), ``morris`` (elementary
        effects), ``lhs`` or ``sobol_sequence`` (space-filling samples for scenario discovery), or
        ``oat`` (one at a time around the base case: the tornado).
    n : int or None
        The method's sample size: the base sample N of ``sobol`` (a power of two; N(D + 2) points
        for D parameters), the trajectories of ``morris`` (r(D + 1) points), the points of ``lhs``
        and ``sobol_sequence``; null for ``oat`` (1 + 2D points). Null elsewhere: the method's
        default (:data:`DEFAULT_N`).
    levels : int
        Grid levels of a Morris design (even, at least 2).
    parameters : dict of str to [low, high]
        The uncertain parameters: a scenario parameter's path (``attack.temperature``) and the range
        it is sampled from, uniformly. Each point of the design sets these values in every
        replication it runs, whatever the scenario draws them from otherwise. On the command line,
        ``explore.parameters.attack.temperature=[0.1,1.0]`` adds a parameter or changes its range,
        ``~explore.parameters.attack.temperature`` drops it, and ``explore.parameters={...}``
        replaces them all (:func:`~deterrence_sim.exploration.plan.edit_mappings`).
    base : dict of str to float
        The base case of a one-at-a-time design, per parameter; a parameter left out takes the
        scenario's value if it is a number within the range, else the range's midpoint.
    outcomes : list of str
        The outcomes analysed (:data:`OUTCOME_NAMES`).
    replications_per_point : int
        Replications of every point, on common random numbers: replication j of every point, under
        every design, meets the same random numbers.
    seed : int
        Seed of the design matrix and of the bootstrap intervals (the simulations use ``sim.seed``).
    designs : list of str
        Guarantee presets: the same design matrix is run under each of them (paired). Empty: the
        scenario's own guarantee preset only.
    failure_outcome, failure_threshold : str, float
        Scenario discovery: a point "fails" under a design when this outcome exceeds the threshold.
    chunk_points : int or None
        Points per chunk (the unit that is run, saved and resumed); null: as many as fill one
        batched model of 10,000 replications.
    n_jobs : int
        Local worker processes for the chunks (joblib); -1: one per core. Not part of the plan:
        changing it does not change the results.
    out : str or None
        The output folder; null: ``explorations/<name>`` (with a digest of the overrides if there
        are any), so that the same command finds the same folder and resumes.
    """

    name: str = "default"
    method: str = "sobol"
    n: int | None = field(default=None, metadata=_meta(Range(1, MAX_POINTS), "the method's sample size"))
    levels: int = field(default=4, metadata=_meta(Range(2, 1000), "Morris grid levels (even)"))
    parameters: dict[str, Any] = field(default_factory=dict)
    base: dict[str, Any] = field(default_factory=dict)
    outcomes: list[str] = field(default_factory=lambda: list(OUTCOME_NAMES))
    replications_per_point: int = field(default=8, metadata=_meta(
        Range(1, 10_000_000), "replications of every point"))
    seed: int = field(default=0, metadata=_meta(Range(0, 2**32 - 1), "seed of the design matrix"))
    designs: list[str] = field(default_factory=list)
    failure_outcome: str = "collapse_risk"
    failure_threshold: float = 0.5
    chunk_points: int | None = field(default=None, metadata=_meta(Range(1, MAX_POINTS), "points per chunk"))
    n_jobs: int = field(default=-1, metadata=_meta(Range(-64, 256), "local worker processes"))
    out: str | None = None

    def __post_init__(self) -> None:
        check_explore(self)

    @property
    def sample_size(self) -> int | None:
        """N as given, or the method's default."""
        return DEFAULT_N[self.method] if self.n is None else self.n

    @property
    def ranges(self) -> dict[str, tuple[float, float]]:
        """Parameter path to ``(low, high)``, in the order given."""
        return {path: (float(lo), float(hi)) for path, (lo, hi) in self.parameters.items()}

    def n_points(self) -> int:
        """Points of the design: N(D + 2), r(D + 1), 1 + 2D or N."""
        d, n = len(self.parameters), self.sample_size
        return {"sobol": n * (d + 2) if n else 0, "morris": n * (d + 1) if n else 0,
                "oat": 1 + 2 * d}.get(self.method, n or 0)


def check_explore(cfg: ExploreConfig) -> None:
    """Check the node on its own; raise :class:`ConfigError` (one line) on the first fault.

    Examples
    --------
    >>> ExploreConfig(method="sobol", n=100, parameters={"attack.temperature": [0.1, 1.0]})
    Traceback (most recent call last):
    ...
    deterrence_sim.fields.ConfigError: explore.n: invalid value 100 for method sobol; allowed: \
a power of two of at least 4 (4, 8, 16, ..., 1024, ...): N(D + 2) points, and N/2 is the \
convergence check
    >>> ExploreConfig(parameters={"attack.temperature": [0.8, 0.2]})
    Traceback (most recent call last):
    ...
    deterrence_sim.fields.ConfigError: explore.parameters.attack.temperature: invalid value \
[0.8, 0.2]; allowed: [low, high] with finite numbers low < high
    """
    if cfg.method not in METHOD_NAMES:
        raise ConfigError(f"explore.method: invalid value {cfg.method!r}; allowed: {', '.join(METHOD_NAMES)}")
    _check_n(cfg)
    if cfg.method == "morris" and (not _whole(cfg.levels) or cfg.levels < 2 or cfg.levels % 2):
        raise ConfigError(f"explore.levels: invalid value {cfg.levels!r}; allowed: an even whole number of "
                          "at least 2 (4 is usual)")
    if not cfg.parameters:
        raise ConfigError("explore.parameters: invalid value {}; allowed: at least one parameter path with "
                          "its range, e.g. explore.parameters={attack.temperature:[0.1,1.0]}")
    for path, value in cfg.parameters.items():
        _check_range(path, value)
    for path, value in cfg.base.items():
        if path not in cfg.parameters:
            raise ConfigError(f"explore.base.{path}: unknown parameter; allowed: a path of "
                              f"explore.parameters ({', '.join(cfg.parameters)})")
        lo, hi = cfg.parameters[path]
        if not _number(value) or not lo <= value <= hi:
            raise ConfigError(f"explore.base.{path}: invalid value {value!r}; allowed: a number in [{lo:g}, "
                              f"{hi:g}] (its range)")
    if not cfg.outcomes:
        raise ConfigError("explore.outcomes: invalid value []; allowed: one or more of "
                          f"{', '.join(OUTCOME_NAMES)}")
    for name in [*cfg.outcomes, cfg.failure_outcome]:
        if name not in OUTCOME_NAMES:
            key = "explore.outcomes" if name in cfg.outcomes else "explore.failure_outcome"
            raise ConfigError(f"{key}: invalid value {name!r}; allowed: {', '.join(OUTCOME_NAMES)}")
    if len(set(cfg.outcomes)) < len(cfg.outcomes):
        raise ConfigError(f"explore.outcomes: invalid value {cfg.outcomes!r}; allowed: each outcome once")
    if len(set(cfg.designs)) < len(cfg.designs):
        raise ConfigError(f"explore.designs: invalid value {cfg.designs!r}; allowed: each guarantee preset "
                          "once")
    if not _number(cfg.failure_threshold) or (cfg.failure_outcome.endswith("_risk")
                                              and not 0 <= cfg.failure_threshold < 1):
        allowed = "a share in [0, 1)" if cfg.failure_outcome.endswith("_risk") else "a number"
        raise ConfigError(f"explore.failure_threshold: invalid value {cfg.failure_threshold!r}; allowed: "
                          f"{allowed} (for {cfg.failure_outcome})")
    for key in ("replications_per_point", "seed", "chunk_points", "n_jobs"):
        value = getattr(cfg, key)
        allowed = ExploreConfig.__dataclass_fields__[key].metadata["range"]
        if value is not None and (not _whole(value) or not allowed.contains(value)
                                  or (key == "n_jobs" and value == 0)):
            text = "a whole " + str(allowed).removeprefix("a ")
            raise ConfigError(f"explore.{key}: invalid value {value!r}; allowed: {text}"
                              + (", not 0 (-1: one per core)" if key == "n_jobs" else ""))
    if cfg.n_points() > MAX_POINTS:
        raise ConfigError(f"explore.n: invalid value {cfg.n!r}: {cfg.n_points():,} points; allowed: at most "
                          f"{MAX_POINTS:,} points per design")


def _check_n(cfg: ExploreConfig) -> None:
    """N must suit the method: say what the method allows."""
    n, method = cfg.n, cfg.method
    if method == "oat":
        if n is not None:
            raise ConfigError(f"explore.n: invalid value {n!r} for method oat; allowed: null (a "
                              "one-at-a-time design has 1 + 2D points: the base case and each parameter at "
                              "its low and high end)")
        return
    if n is None:
        return
    if method in ("sobol", "sobol_sequence"):
        if not _whole(n) or n < 4 or n & (n - 1):
            why = (": N(D + 2) points, and N/2 is the convergence check" if method == "sobol"
                   else ": the Sobol' sequence is balanced only then")
            raise ConfigError(f"explore.n: invalid value {n!r} for method {method}; allowed: a power of two "
                              f"of at least 4 (4, 8, 16, ..., 1024, ...){why}")
    elif not _whole(n) or n < 2:
        what = "trajectories, at least 2 (10 to 50 is usual)" if method == "morris" else "points, at least 2"
        raise ConfigError(f"explore.n: invalid value {n!r} for method {method}; allowed: a whole number of "
                          f"{what}")


def _check_range(path: str, value: Any) -> None:
    ok = isinstance(value, list | tuple) and len(value) == 2 and all(map(_number, value))
    if not ok or not (math.isfinite(value[0]) and math.isfinite(value[1]) and value[0] < value[1]):
        shown = list(value) if isinstance(value, list | tuple) else value
        raise ConfigError(f"explore.parameters.{path}: invalid value {shown!r}; allowed: [low, high] with "
                          "finite numbers low < high")


def _whole(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)
