"""An exploration's plan: its config, each design's scenario, the design matrix and its chunks.

:func:`make_plan` composes the command's overrides once per guarantee design (Hydra runs here,
never per point), checks the uncertain parameters against every design's scenario, draws the design
matrix and cuts it into chunks. Nothing is written: a bad override, path, range, N, method or
outcome raises :class:`~deterrence_sim.config.ConfigError` (one line) before any folder exists.
The plan's digest identifies what is computed (config, scenarios, design, chunks), so that a
resumed exploration reuses only chunks of the same plan.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from deterrence_sim.api import (
    compose_config,
    config_dir,
    expand_overrides,
    explain,
    presets,
    to_scenario,
)
from deterrence_sim.config import ConfigError, Parameter, ScenarioConfig, config_dict, parameters
from deterrence_sim.exploration.config import ExploreConfig
from deterrence_sim.simulation import MAX_ROWS_PER_MODEL

GROUP = "explore"
"""The config group of explorations (``conf/explore/``) and the composed config's key."""

DEFAULT_PRESET = "default"
DESIGN_COLUMN = "guarantee"
"""The column of the runs and points tables naming the guarantee design."""

NOT_PLANNED = ("explore.n_jobs", "explore.out")
"""Fields that say how or where to run, not what: they change neither the plan nor the folder name."""


@dataclass(frozen=True)
class Chunk:
    """A slice of the design matrix under one design: the unit that is run, saved and resumed.

    ``number`` is ``design_index * per_design + index``; chunk ``index`` covers the same points
    ``[start, stop)`` under every design.
    """

    number: int
    design: str
    index: int
    start: int
    stop: int

    @property
    def n_points(self) -> int:
        return self.stop - self.start


@dataclass
class Plan:
    """Everything an exploration computes, decided before anything runs.

    Attributes
    ----------
    explore : ExploreConfig
    scenarios : dict of str to ScenarioConfig
        Each guarantee design's scenario, by the design's name, in the order given.
    overrides : list of str
        The scenario's overrides as given (without the design and the ``explore`` ones).
    launcher : list of str
        ``hydra/launcher=...`` and ``hydra.launcher.*`` overrides: the chunks then run as jobs of
        that Hydra launcher (submitit on SLURM) instead of local worker processes.
    design : DataFrame
        The design matrix as drawn (``attrs["design"]``: how it was made).
    points : DataFrame
        The values the points set (whole-number parameters rounded), one column per path.
    chunks : list of Chunk
    folder : Path
    digest : str
        SHA-256 of the config, the scenarios, the design and the chunks.
    """

    explore: ExploreConfig
    scenarios: dict[str, ScenarioConfig]
    overrides: list[str]
    launcher: list[str]
    design: pd.DataFrame
    points: pd.DataFrame
    chunks: list[Chunk]
    folder: Path
    digest: str = ""
    base: dict[str, float] = field(default_factory=dict)

    @property
    def horizon(self) -> int:
        """The scenarios' horizon in days (the same under every design)."""
        return next(iter(self.scenarios.values())).sim.horizon_days

    @property
    def replications(self) -> int:
        """Replications in the whole exploration."""
        return len(self.points) * len(self.scenarios) * self.explore.replications_per_point

    def describe(self) -> dict[str, Any]:
        """The plan as JSON-able data, for the manifest (without the chunks' checksums)."""
        info = self.design.attrs["design"]
        return {"explore": _explore_dict(self.explore), "design": info, "n_points": len(self.points),
                "designs": {name: {"overrides": self.design_overrides(name), "config": config_dict(sc)}
                            for name, sc in self.scenarios.items()},
                "overrides": self.overrides, "replications_per_point": self.explore.replications_per_point,
                "horizon_days": self.horizon,
                "seed": {"design": self.explore.seed,
                         "simulation": next(iter(self.scenarios.values())).sim.seed},
                "rounded": [p for p in self.points.columns if self.points[p].dtype.kind == "i"],
                "chunks": [asdict(c) for c in self.chunks], "plan": self.digest}

    def design_overrides(self, name: str) -> list[str]:
        """The scenario overrides of design ``name`` (``guarantee=NAME`` added if designs are listed)."""
        return [*self.overrides, f"guarantee={name}"] if self.explore.designs else list(self.overrides)


def split_overrides(overrides: Sequence[str]) -> tuple[str, list[str], list[str], list[str]]:
    """The preset, the ``explore.*`` overrides, the scenario's overrides and the launcher's.

    ``explore=NAME`` (or ``+explore=NAME``) chooses the preset (default ``default``); ``explore.KEY=V``
    sets a field; ``hydra/launcher=...`` and ``hydra.launcher.*`` choose the launcher; the rest
    (``hydra.searchpath`` included) describe the scenario.

    Examples
    --------
    >>> split_overrides(["explore=tornado", "explore.n_jobs=1", "attack=cautious",
    ...                  "hydra/launcher=submitit_slurm"])
    ('tornado', ['explore.n_jobs=1'], ['attack=cautious'], ['hydra/launcher=submitit_slurm'])
    """
    preset, fields_, scenario, launcher = DEFAULT_PRESET, [], [], []
    for item in overrides:
        key, sep, value = item.partition("=")
        bare = key.lstrip("+~")
        if bare == GROUP and sep:
            preset = value
        elif bare.startswith(f"{GROUP}."):
            fields_.append(item)
        elif bare.startswith(("hydra/launcher", "hydra.launcher")):
            launcher.append(item)
        else:
            scenario.append(item)
    return preset, fields_, scenario, launcher


def make_plan(overrides: Sequence[str], out: str | Path | None = None) -> Plan:
    """Compose and check an exploration, draw its design matrix and cut it into chunks.

    Parameters
    ----------
    overrides : sequence of str
        The command line's overrides: ``explore=NAME``, ``explore.KEY=VALUE``, the scenario's
        overrides and, optionally, the Hydra launcher's.
    out : str or Path, optional
        The output folder (else ``explore.out``, else the default of :func:`default_folder`).

    Raises
    ------
    ConfigError
        For anything wrong: an override, an unknown preset, method or outcome, an N that does not
        suit the method, an unknown parameter path, a range outside the field's range or with
        low >= high.
    """
    preset, explore_overrides, scenario_overrides, launcher = split_overrides(overrides)
    if not _is_name(preset) or (preset not in presets(GROUP) and not _searchpath(scenario_overrides)):
        raise ConfigError(f"explore: unknown preset {preset!r}; allowed: {', '.join(presets(GROUP))}")
    edits = [o for o in explore_overrides if _mapping_key(o)]
    choice = [f"+{GROUP}={preset}", *(o for o in explore_overrides if o not in edits)]
    first = compose_config([*scenario_overrides, *choice, *launcher], hydra_node=bool(launcher))
    if launcher:
        from deterrence_sim.cli import check_hydra_node

        check_hydra_node(first)
    explore = to_explore(first, edits)
    _check_designs(explore, scenario_overrides)
    if explore.designs:
        composed = {name: compose_config([*scenario_overrides, f"guarantee={name}"])
                    for name in explore.designs}
    else:
        composed = {to_scenario(_scenario_node(first)).guarantee.name: first}
    scenarios = {name: to_scenario(_scenario_node(cfg)) for name, cfg in composed.items()}
    known = _check_parameters(explore, scenarios)
    base = _base_case(explore, known)
    design = _draw(explore, base)
    points = _rounded(design, known)
    folder = Path(out or explore.out or default_folder(preset, [*explore_overrides, *scenario_overrides]))
    chunks = _chunks(explore, list(scenarios), len(points))
    plan = Plan(explore, scenarios, list(scenario_overrides), list(launcher), design, points, chunks,
                folder, base=base)
    plan.digest = digest(plan)
    return plan


MAPPINGS = ("parameters", "base")
"""The ``explore`` fields keyed by parameter paths, which :func:`edit_mappings` edits."""


def to_explore(cfg: DictConfig, edits: Sequence[str] = ()) -> ExploreConfig:
    """The composed config's ``explore`` node, with ``edits`` applied, as a checked :class:`ExploreConfig`."""
    node = OmegaConf.to_container(cfg[GROUP])
    edit_mappings(node, edits)
    try:
        return OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(ExploreConfig), node))
    except OmegaConfBaseException as exc:
        raise explain(exc) from None


def _mapping_key(override: str) -> str:
    """``parameters`` or ``base`` if the override edits that mapping, else ""."""
    parts = override.lstrip("+~").partition("=")[0].split(".", 2)
    return parts[1] if len(parts) >= 2 and parts[0] == GROUP and parts[1] in MAPPINGS else ""


def edit_mappings(node: dict[str, Any], edits: Sequence[str]) -> None:
    """Apply overrides of ``explore.parameters`` and ``explore.base`` to the plain ``explore`` node.

    Their keys are dotted parameter paths, which Hydra would read as nested keys, so they are
    applied here: ``explore.parameters.PATH=[LOW,HIGH]`` sets one entry, ``~explore.parameters.PATH``
    removes it, ``explore.parameters={PATH: [LOW, HIGH], ...}`` replaces them all.

    Examples
    --------
    >>> node = {"parameters": {"attack.temperature": [0.1, 1.0], "attack.revisionism": [0, 1]}}
    >>> edit_mappings(node, ["explore.parameters.attack.temperature=[0.2,0.5]",
    ...                      "~explore.parameters.attack.revisionism"])
    >>> node["parameters"]
    {'attack.temperature': [0.2, 0.5]}
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.core.override_parser.types import OverrideType

    parser = OverridesParser.create()
    for item in edits:
        mapping = _mapping_key(item)
        key = item.lstrip("+~").partition("=")[0]
        try:
            parsed = parser.parse_override(item)
        except HydraException as exc:
            raise ConfigError(f"{key}: invalid override {item!r} ({' '.join(str(exc).split())}); allowed: "
                              f"{GROUP}.{mapping}.PATH=[LOW,HIGH], ~{GROUP}.{mapping}.PATH or "
                              f"{GROUP}.{mapping}={{PATH: [LOW, HIGH], ...}}") from None
        path = key.removeprefix(f"{GROUP}.{mapping}").lstrip(".")
        entries = node.setdefault(mapping, {}) or {}
        if parsed.type == OverrideType.DEL:
            if path not in entries:
                raise ConfigError(f"{key}: invalid override {item!r}: no such entry; allowed: "
                                  f"~{GROUP}.{mapping}.PATH for a PATH of {', '.join(entries) or '(none)'}")
            del entries[path]
        elif path:
            entries[path] = parsed.value()
        else:
            value = parsed.value()
            if not isinstance(value, dict):
                raise ConfigError(f"{key}: invalid value {value!r}; allowed: a mapping {{PATH: [LOW, HIGH], "
                                  f"...}}, or {GROUP}.{mapping}.PATH=VALUE for one entry")
            entries = dict(value)
        node[mapping] = entries


def _scenario_node(cfg: DictConfig) -> DictConfig:
    """The composed config without the ``explore`` node and Hydra's settings."""
    return OmegaConf.masked_copy(cfg, [key for key in cfg if key not in (GROUP, "hydra")])


def _is_name(text: str) -> bool:
    return bool(text) and text.replace("_", "a").replace("-", "a").isalnum()


def _searchpath(overrides: Sequence[str]) -> bool:
    return any(item.lstrip("+").startswith("hydra.searchpath=") for item in overrides)


def _check_designs(explore: ExploreConfig, scenario_overrides: Sequence[str]) -> None:
    """Designs name guarantee presets, and replace any ``guarantee=`` override of the scenario."""
    if not explore.designs:
        return
    chosen = [o for o in scenario_overrides if o.lstrip("+").partition("=")[0] == DESIGN_COLUMN]
    if chosen:
        raise ConfigError(f"{DESIGN_COLUMN}: invalid override {chosen[0]!r} together with explore.designs "
                          f"{list(explore.designs)}; allowed: one of the two (explore.designs lists the "
                          "guarantee presets to run)")
    if _searchpath(scenario_overrides):
        return                       # a preset of the user's own: Hydra says if it is unknown
    known = presets(DESIGN_COLUMN)
    for name in explore.designs:
        if name not in known:
            raise ConfigError(f"explore.designs: invalid value {name!r}; allowed: guarantee presets "
                              f"({', '.join(known)})")


def _check_parameters(explore: ExploreConfig, scenarios: dict[str, ScenarioConfig]) -> dict[str, Parameter]:
    """Every uncertain parameter is a parameter of every design's scenario, its range inside the
    field's; returns each path's parameter (of the first design)."""
    found: dict[str, Parameter] = {}
    for name, scenario in scenarios.items():
        known = {p.path: p for p in parameters(scenario)}
        under = f" under {DESIGN_COLUMN}={name}" if len(scenarios) > 1 else ""
        for path, (lo, hi) in explore.ranges.items():
            p = known.get(path)
            if p is None or p.fixed:
                raise ConfigError(f"explore.parameters.{path}: unknown parameter{under}; allowed: a numeric "
                                  f"parameter of the scenario{_closest(path, known, p)}")
            if not (p.allowed.contains(lo) and p.allowed.contains(hi)):
                raise ConfigError(f"explore.parameters.{path}: invalid value [{lo:g}, {hi:g}]: outside the "
                                  f"field's range; allowed: a range within {p.allowed.interval()}")
            found.setdefault(path, p)
    return found


def _closest(path: str, known: dict[str, Parameter], fixed: Parameter | None) -> str:
    if fixed is not None:
        return f" ({path} is fixed for the whole run)"
    near = difflib.get_close_matches(path, [k for k, p in known.items() if not p.fixed], n=1, cutoff=0.6)
    return f" (closest: {near[0]})" if near else " (the paths are listed in docs/parameters.md)"


def _base_case(explore: ExploreConfig, known: dict[str, Parameter]) -> dict[str, float]:
    """The one-at-a-time base case: given, else the scenario's number if within the range, else the
    range's midpoint. Empty for other methods."""
    if explore.method != "oat":
        return {}
    base = {}
    for path, (lo, hi) in explore.ranges.items():
        value = known[path].value
        scenario_value = isinstance(value, int | float) and not isinstance(value, bool) and lo <= value <= hi
        base[path] = float(explore.base.get(path, value if scenario_value else (lo + hi) / 2))
    return base


def _draw(explore: ExploreConfig, base: dict[str, float]) -> pd.DataFrame:
    """The design matrix (SALib, SciPy or one at a time), with ``attrs["design"]``."""
    from deterrence_sim.analysis.designs import DesignInfo, make_design

    info = DesignInfo(explore.method, explore.ranges, explore.sample_size or 1, explore.seed,
                      levels=explore.levels if explore.method == "morris" else None,
                      base=base or None)
    return make_design(info)


def _rounded(design: pd.DataFrame, known: dict[str, Parameter]) -> pd.DataFrame:
    """The values the points set: whole-number parameters rounded to the nearest whole number."""
    points = design.reset_index(drop=True).copy()
    points.attrs = {}
    for path in points.columns:
        if known[path].integer:
            points[path] = np.rint(points[path].to_numpy()).astype(np.int64)
    return points


def _chunks(explore: ExploreConfig, designs: list[str], n_points: int) -> list[Chunk]:
    """Chunks of ``chunk_points`` points (default: one batched model of 10,000 replications)."""
    size = explore.chunk_points or max(1, MAX_ROWS_PER_MODEL // explore.replications_per_point)
    per_design = math.ceil(n_points / size)
    return [Chunk(d * per_design + j, name, j, j * size, min((j + 1) * size, n_points))
            for d, name in enumerate(designs) for j in range(per_design)]


def digest(plan: Plan) -> str:
    """SHA-256 of what the plan computes: config, scenarios, design, chunks (not where or how fast)."""
    data = {"explore": _explore_dict(plan.explore), "design": plan.design.attrs["design"],
            "scenarios": {name: config_dict(sc) for name, sc in plan.scenarios.items()},
            "points": hashlib.sha256(pd.util.hash_pandas_object(plan.points, index=False).to_numpy()
                                     .tobytes()).hexdigest(),
            "chunks": [asdict(c) for c in plan.chunks]}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _explore_dict(explore: ExploreConfig) -> dict[str, Any]:
    data = asdict(explore)
    for key in NOT_PLANNED:
        data.pop(key.removeprefix(f"{GROUP}."))
    return data


def default_folder(preset: str, overrides: Sequence[str]) -> Path:
    """``explorations/<preset>``, with a digest of the overrides if there are any (so the same
    command finds the same folder, and another one another folder).

    Examples
    --------
    >>> str(default_folder("what_matters", []))
    'explorations/what_matters'
    >>> default_folder("x", ["a=1", "b=2"]) == default_folder("x", ["b=2", "a=1", "explore.n_jobs=1"])
    True
    """
    kept = sorted(o for o in expand_overrides(overrides) if o.partition("=")[0] not in NOT_PLANNED)
    if not kept:
        return Path("explorations") / preset
    tag = hashlib.sha256("\n".join(kept).encode()).hexdigest()[:10]
    return Path("explorations") / f"{preset}-{tag}"


def config_folder() -> Path:
    """Where the ``explore`` presets live (``conf/explore/``)."""
    return config_dir() / GROUP
