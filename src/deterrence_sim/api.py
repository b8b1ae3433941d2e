"""The Python API: compose a scenario from overrides (the CLI's syntax), simulate it, evaluate points.

This is the layer that speaks Hydra: it registers the config schemas, composes ``conf/`` with
overrides and turns Hydra's and OmegaConf's errors into one-line :class:`ConfigError` messages.
Below it, the model and the runner see only typed dataclasses.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from enum import Enum
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

import pandas as pd
from hydra import compose, initialize_config_dir
from hydra.errors import HydraException, MissingConfigException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from deterrence_sim.assets import AssetConfig
from deterrence_sim.config import CommitmentConfig, ConfigError, GuarantorConfig, ScenarioConfig, config_dict
from deterrence_sim.effects import EffectConfig
from deterrence_sim.exploration.config import ExploreConfig
from deterrence_sim.fields import Range
from deterrence_sim.folders import KEEP, job_designs, with_design
from deterrence_sim.hydra_config import is_schema, register_schemas
from deterrence_sim.model import CeasefireModel
from deterrence_sim.results import SimulationResult
from deterrence_sim.simulation import evaluate_points, simulate_scenario

#: The schema of the entries of each named mapping (for assets and effects, the fields every kind or
#: type has; their kind or type adds more).
_ENTRIES = {"guarantors": GuarantorConfig, "assets": AssetConfig, "commitments": CommitmentConfig,
            "effects": EffectConfig}

#: Config nodes that sit beside the scenario's groups in a composed config, with their schema
#: (``deterrence-sim-explore`` adds ``explore``); they are not part of :class:`ScenarioConfig`.
_ROOTS = {"explore": ExploreConfig}

SEARCHPATH = "hydra.searchpath"
"""The override that adds a user's folders of presets (``[file://DIR, ...]``) to the config tree."""


def config_dir() -> Path:
    """The Hydra config tree: shipped inside the package, or ``conf/`` of a source checkout."""
    packaged = Path(__file__).parent / "conf"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "conf"


def _schema_at(full_key: str) -> tuple[type | None, Any]:
    """The dataclass holding ``full_key`` in the schema, and the declared type of its last key.

    Named entries (``theater.guarantors.uk``, ``monitoring.assets.drones``) are stepped over to
    their schema (for assets and effects, the fields every kind or type has).

    Examples
    --------
    >>> _schema_at("theater.guarantors.uk.political_will")[0].__name__
    'GuarantorConfig'
    >>> _schema_at("monitoring.assets.drones.looks_per_day")[0].__name__
    'AssetConfig'
    >>> _schema_at("explore.replications_per_point")[0].__name__
    'ExploreConfig'
    """
    node: Any = ScenarioConfig
    parts = [p for p in full_key.replace("[", ".").replace("]", "").split(".") if p]
    depth = 0
    if parts and parts[0] in _ROOTS and len(parts) > 1:
        node, depth = _ROOTS[parts[0]], 1
    while depth < len(parts):
        part = parts[depth]
        hints = get_type_hints(node) if is_dataclass(node) else {}
        if part not in hints:
            return node, None
        hint = hints[part]
        if depth == len(parts) - 1:
            return node, hint
        if part in _ENTRIES or part == "aid_bn_per_year":   # step over the entry's name
            entry = _ENTRIES.get(part, float)
            depth += 1
            if depth == len(parts) - 1:
                return node, entry
            node = entry
        elif get_origin(hint) is list:
            node = get_args(hint)[0]
        elif get_origin(hint) is dict:           # a mapping keyed by dotted paths (explore.parameters)
            return node, get_args(hint)[1]
        else:
            node = hint
        depth += 1
    return None, None


def _is_entry(full_key: str) -> bool:
    """True if ``full_key`` names an entry of a named mapping (``theater.guarantors.uk``).

    Examples
    --------
    >>> _is_entry("theater.guarantors.uk"), _is_entry("theater.guarantors.uk.fatigue")
    (True, False)
    """
    head, _, _ = full_key.rpartition(".")
    return head.rsplit(".", 1)[-1] in (*_ENTRIES, "aid_bn_per_year")


def _under_entry(full_key: str) -> bool:
    """True if ``full_key`` is a field of an entry of a named mapping (``monitoring.assets.x.kind``)."""
    parts = full_key.split(".")
    return len(parts) >= 3 and parts[-3] in (*_ENTRIES, "aid_bn_per_year")


def _check_removals(overrides: Sequence[str]) -> None:
    """Refuse ``~key`` for a field of a schema: only entries of named mappings can be removed."""
    for item in overrides:
        if not item.startswith("~"):
            continue
        key = item[1:].partition("=")[0]
        if _schema_at(key)[1] is not None and not _is_entry(key):
            raise ConfigError(f"{key}: invalid override {item}: a field of the schema cannot be removed; "
                              f"allowed: {key}=VALUE, or ~ on a named entry (~monitoring.assets.NAME)")


def _unknown_keys(tree: Any, node: Any, path: str) -> None:
    """Refuse a key of the composed tree that the schema does not declare (``+attack.foo=1``)."""
    if not is_dataclass(node) or not isinstance(tree, dict):
        return
    hints = get_type_hints(node)
    for key, value in tree.items():
        here = f"{path}.{key}" if path else str(key)
        if key not in hints:
            allowed = ", ".join(f.name for f in fields(node) if f.name != "name" or path)
            raise ConfigError(f"{here}: unknown key; allowed: {allowed}")
        if is_dataclass(hints[key]):
            _unknown_keys(value, hints[key], here)


def _field_range(node: Any, key: str) -> Range | None:
    """The allowed range declared in the metadata of field ``key`` of dataclass ``node``."""
    name = key.replace("]", "").replace("[", ".").rsplit(".", 1)[-1]
    found = [f.metadata.get("range") for f in fields(node) if f.name == name] if is_dataclass(node) else []
    return found[0] if found else None


def _describe_type(hint: Any, allowed: Range | None = None, value: Any = None) -> str:
    """What a field of type ``hint`` (and range ``allowed``) takes, for an error message.

    A whole number given with a decimal point or an exponent (``1e8``) is told the range, and,
    if it is in the range, how to write it.

    Examples
    --------
    >>> _describe_type(int, Range(1, 10_000_000), 1e8)
    'a whole number in [1, 10000000]'
    >>> _describe_type(int, Range(1, 10_000_000), 1e6)
    'a whole number in [1, 10000000], written without a decimal point or exponent (1000000)'
    >>> _describe_type(float, Range(0.0))
    'a number >= 0'
    """
    if get_origin(hint) in (Union, UnionType) and type(None) in get_args(hint):   # Optional[X]
        (hint,) = [h for h in get_args(hint) if h is not type(None)]
        return _describe_type(hint, allowed, value) + ", or null"
    if isinstance(hint, type) and issubclass(hint, Enum):
        return ", ".join(m.name for m in hint)
    if hint is int and allowed is not None:
        text = "a whole " + str(allowed).removeprefix("a ")
        whole = isinstance(value, float) and math.isfinite(value) and value.is_integer()
        if whole and allowed.contains(value):
            text += f", written without a decimal point or exponent ({int(value)})"
        return text
    if hint is float and allowed is not None:
        return str(allowed)
    names = {bool: "true or false", int: "a whole number", float: "a number", str: "text"}
    if hint in names:
        return names[hint]
    if get_origin(hint) is list:
        return "a list" + (" of numbers" if get_args(hint) == (float,) else "")
    if get_origin(hint) is dict:
        return "a mapping"
    return "a value of the declared type"


def explain(exc: Exception, key: str = "") -> ConfigError:
    """Turn a Hydra or OmegaConf error into one line: field, bad value, what is allowed.

    ``key`` is the full key of the override being merged, when Hydra names it.
    """
    if isinstance(exc, ConfigError):
        return exc
    merging = re.match(r"Error merging override \+*([^=\s]+)=", str(exc))
    key = merging.group(1) if merging else key
    if isinstance(exc, MissingConfigException) and exc.missing_cfg_file:
        group, _, name = exc.missing_cfg_file.rpartition("/")
        options = ", ".join(sorted(o for o in exc.options or [] if not is_schema(o))) or "(none)"
        return ConfigError(f"{group or 'config'}: unknown preset {name!r}; allowed: {options}")
    if isinstance(exc, OmegaConfBaseException) and exc.full_key:
        full_key = key if key.replace("[", ".").replace("]", "").endswith(
            exc.full_key) else exc.full_key
        if _is_entry(full_key):
            mapping = full_key.rsplit(".", 1)[0]
            return ConfigError(f"{full_key}: unknown entry; allowed: the name of an entry of {mapping}, "
                               f"or +{full_key}={{...}} to add one")
        node, hint = _schema_at(full_key)
        if hint is not None and exc.value is None and _under_entry(full_key):
            return ConfigError(f"{full_key}: invalid override: this entry does not set it; allowed: "
                               f"+{full_key}=VALUE to add it, or the value inside the entry's {{...}}")
        if hint is None and is_dataclass(node):
            keys = ", ".join(f.name for f in fields(node) if f.name != "name" or node is ScenarioConfig)
            return ConfigError(f"{full_key}: unknown key; allowed: {keys}")
        if hint is None:
            return ConfigError(f"{full_key}: unknown key; allowed: an existing key "
                               f"(add an entry with +{full_key}=VALUE)")
        allowed = _describe_type(hint, _field_range(node, full_key), exc.value)
        return ConfigError(f"{full_key}: invalid value {exc.value!r}; allowed: {allowed}")
    if unquoted := re.match(r"LexerNoViableAltException: ([\w.]+)=(.*?)\s*\^", str(exc), re.S):
        key, value = unquoted[1], unquoted[2].strip()
        return ConfigError(f"{key}: invalid value {value!r}: text with spaces, symbols or non-ASCII "
                           f"letters must be quoted; allowed: quoted text, e.g. \"{key}='{value}'\"")
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, OmegaConfBaseException | ConfigError):
        return explain(cause, key)
    text = " ".join(str(exc).split())
    if gone := re.match(r"Could not delete from config\. '([^']+)' does not exist", text):
        return ConfigError(f"{gone[1]}: invalid override ~{gone[1]}: no such field (deleted twice?); "
                           "allowed: ~KEY once, for a field that exists")
    if taken := re.match(r"Could not append to config\. An item is already at '([^']+)'", text):
        return ConfigError(f"{taken[1]}: invalid override +{taken[1]}: it is already set; "
                           f"allowed: {taken[1]}=VALUE to change it")
    named = re.search(r"'([\w.\[\]/+~-]+)'", text)
    return ConfigError(f"{named.group(1).lstrip('+~') if named else 'config'}: {text}")


def _locate(tree: Any, key: str, value: Any, path: str = "") -> str:
    """Full path of the first ``key`` holding ``value`` in a plain config tree ("" if none)."""
    items = tree.items() if isinstance(tree, dict) else enumerate(tree) if isinstance(
        tree, list) else ()
    for k, v in items:
        here = f"{path}[{k}]" if isinstance(k, int) else f"{path}.{k}" if path else str(k)
        if str(k) == key and (v == value or value is None):
            return here
        found = _locate(v, key, value, here)
        if found:
            return found
    return ""


def to_scenario(cfg: DictConfig) -> ScenarioConfig:
    """Check a composed config against the typed schema and convert it (runs all validation)."""
    _unknown_keys(OmegaConf.to_container(cfg), ScenarioConfig, "")
    try:
        merged = OmegaConf.merge(OmegaConf.structured(ScenarioConfig), cfg)
        return OmegaConf.to_object(merged)
    except OmegaConfBaseException as exc:
        # Inside lists OmegaConf loses the path; find it in the composed tree.
        key = _locate(OmegaConf.to_container(cfg), str(exc.key), exc.value) if exc.key else ""
        raise explain(exc, key) from None
    except (ConfigError, ValueError) as exc:
        raise explain(exc) from None


def _replaced_whole(key: str) -> bool:
    """True for fields whose mapping value an override replaces instead of merging into.

    Numeric fields (a new distribution replaces the old one) and mappings (a new set of
    guarantors, assets, commitments, effects or aid pledges replaces the old set).
    """
    node, hint = _schema_at(key)
    if hint is None or not is_dataclass(node) or key.split(".")[0] in _ROOTS:
        return False
    name = key.replace("]", "").rsplit(".", 1)[-1]
    declared = {f.name: f for f in fields(node)}
    if name not in declared:       # a named entry: an asset, an effect, an aid pledge, ...
        return True
    return "range" in declared[name].metadata or dict in (get_origin(hint), *map(get_origin, get_args(hint)))


def expand_overrides(overrides: Sequence[str]) -> list[str]:
    """Let a mapping replace another one: ``key={...}`` becomes ``key=null``, then ``key={...}``.

    Hydra merges a mapping into the mapping it overrides, so ``attack.revisionism={dist: uniform,
    low: 0.2, high: 0.6}`` over a preset's beta law would keep ``a`` and ``b``, and
    ``guarantee.aid_bn_per_year={}`` would keep the preset's aid. For numeric fields and mappings
    an override replaces the whole value (structured configs cannot delete a field, so the value is
    first set to null).

    A parameter one sets keeps the value set, even where the calibration's posterior names it: the
    expansion lists it in ``calibration.keep``.

    Examples
    --------
    >>> expand_overrides(["attack.revisionism={dist:uniform,low:0,high:1}", "guarantee=none"])
    ['attack.revisionism=null', 'attack.revisionism={dist:uniform,low:0,high:1}', 'guarantee=none',
     'calibration.keep=[attack.revisionism]']
    """
    out, typed = [], []
    for item in overrides:
        key, sep, value = item.partition("=")
        if sep and value.strip() == "[]" and key[:1] not in "+~" and _is_mapping(key):
            item, value = f"{key}={{}}", "{}"               # "none of them" written as a list
        if sep and value.lstrip().startswith("{") and key[:1] not in "+~" and _replaced_whole(key):
            out += [f"{key}=null", item]
        else:
            out.append(item)
        if sep and key[:1] not in "+~" and _is_parameter(key) and key not in typed:
            typed.append(key)
    if typed and not any(o.partition("=")[0] == KEEP for o in overrides):
        out.append(f"{KEEP}=[{','.join(typed)}]")
    return out


def _is_parameter(key: str) -> bool:
    """True for a parameter that may vary per replication (a numeric field with a range, not
    ``fixed`` like ``sim.seed``), e.g. ``attack.temperature``."""
    node, hint = _schema_at(key)
    if hint is None or not is_dataclass(node) or key.split(".")[0] in _ROOTS:
        return False
    declared = {f.name: f for f in fields(node)}.get(key.rsplit(".", 1)[-1])
    return declared is not None and "range" in declared.metadata and not declared.metadata["fixed"]


def _is_mapping(key: str) -> bool:
    """True for a field holding named entries (``monitoring.assets``) or aid pledges."""
    return key.rsplit(".", 1)[-1] in (*_ENTRIES, "aid_bn_per_year") and _schema_at(key)[1] is not None


def collapse_overrides(overrides: Sequence[str]) -> list[str]:
    """The overrides as the user wrote them: undoes :func:`expand_overrides`.

    Examples
    --------
    >>> collapse_overrides(['attack.revisionism=null', 'attack.revisionism={dist:uniform,low:0,high:1}',
    ...                     'sim.seed=3', 'calibration.keep=[attack.revisionism]'])
    ['attack.revisionism={dist:uniform,low:0,high:1}', 'sim.seed=3']
    """
    overrides = list(overrides)
    if overrides[-1:] and overrides[-1].startswith(f"{KEEP}=") and \
            expand_overrides(overrides[:-1])[-1:] == overrides[-1:]:
        overrides = overrides[:-1]                          # added by the expansion
    out: list[str] = []
    for item in overrides:
        key, _, value = item.partition("=")
        if out and value.lstrip().startswith("{") and out[-1] == f"{key}=null":
            out[-1] = item
        else:
            out.append(item)
    return out


def presets(group: str) -> list[str]:
    """The preset names of a config group (the YAML files of ``conf/GROUP/``)."""
    return sorted(p.stem for p in (config_dir() / group).glob("*.yaml") if not is_schema(p.stem))


def check_group_choices(overrides: Sequence[str]) -> None:
    """A group override must name a preset: ``attack=1`` or ``attack=null`` are refused early."""
    for item in overrides:
        key, sep, value = item.lstrip("+").partition("=")
        if sep and (config_dir() / key).is_dir():
            names = presets(key)
            for choice in value.split(","):
                if not re.fullmatch(r"[A-Za-z_][\w-]*", choice) or choice in ("true", "false", "null"):
                    raise ConfigError(f"{key}: invalid value {choice!r}; allowed: {', '.join(names)}")


def as_overrides(overrides: Any, argument: str = "overrides") -> list[str]:
    """The overrides as a list: a single string is one override.

    Examples
    --------
    >>> as_overrides("guarantee=none")
    ['guarantee=none']
    >>> as_overrides(("attack=cautious", "sim.seed=3"))
    ['attack=cautious', 'sim.seed=3']
    >>> as_overrides({"guarantee": "none"})
    Traceback (most recent call last):
    ...
    deterrence_sim.fields.ConfigError: overrides: invalid value {'guarantee': 'none'}; allowed: \
one override as text ('guarantee=none') or a list of them (['guarantee=none', 'sim.seed=3'])
    """
    if isinstance(overrides, str):
        return [overrides]
    items = list(overrides) if isinstance(overrides, Sequence) else None
    if items is None or not all(isinstance(item, str) for item in items):
        raise ConfigError(f"{argument}: invalid value {overrides!r}; allowed: one override as text "
                          "('guarantee=none') or a list of them (['guarantee=none', 'sim.seed=3'])")
    return items


def _key(override: str) -> str:
    """The key an override sets: ``hydra.searchpath`` of ``++hydra.searchpath=[...]``."""
    return override.lstrip("+~").partition("=")[0]


def with_searchpath(overrides: Sequence[str], searchpath: Any) -> list[str]:
    """``overrides`` plus ``hydra.searchpath=[file://DIR, ...]`` for the folders in ``searchpath``.

    Examples
    --------
    >>> with_searchpath(["guarantee=mine"], "/home/me/designs")
    ['guarantee=mine', "hydra.searchpath=['file:///home/me/designs']"]
    """
    single = isinstance(searchpath, str | Path)
    folders = ([searchpath] if single else [] if searchpath is None
               else list(searchpath) if isinstance(searchpath, Sequence) else None)
    if folders is None or not all(isinstance(f, str | Path) for f in folders):
        raise ConfigError(f"searchpath: invalid value {searchpath!r}; allowed: a folder of presets, or a "
                          "list of them")
    if not folders:
        return list(overrides)
    if any(_key(item) == SEARCHPATH for item in overrides):
        raise ConfigError(f"searchpath: invalid value {searchpath!r} together with a {SEARCHPATH} "
                          f"override; allowed: the searchpath argument or a {SEARCHPATH} override, "
                          "not both")
    entries = ", ".join(repr(f"file://{Path(folder).expanduser().absolute()}") for folder in folders)
    return [*overrides, f"{SEARCHPATH}=[{entries}]"]


def check_searchpath(overrides: Sequence[str]) -> None:
    """Every ``file://`` folder named by a ``hydra.searchpath`` override exists (Hydra would
    silently skip it, and its presets would then be "unknown")."""
    for item in overrides:
        if _key(item) != SEARCHPATH:
            continue
        for entry in re.split(r"\s*,\s*", item.partition("=")[2].strip().strip("[]")):
            entry = entry.strip("'\"")
            if entry.startswith("file://") and not Path(entry.removeprefix("file://")).is_dir():
                raise ConfigError(f"{SEARCHPATH}: invalid value {entry!r}: no such folder; allowed: "
                                  "folders of presets, as [file://DIR, ...] (DIR/guarantee/NAME.yaml, ...)")


def compose_config(overrides: Sequence[str] = (), hydra_node: bool = False) -> DictConfig:
    """Compose ``conf/config.yaml`` with Hydra overrides (and, with ``hydra_node``, Hydra's own
    settings under ``hydra``); presets are also looked up in ``hydra.searchpath`` folders.

    Raises
    ------
    ConfigError
        For an override that does not parse, an unknown preset or key, or a wrong type.
    """
    check_group_choices(overrides)
    check_searchpath(overrides)
    _check_removals(overrides)
    register_schemas()
    try:
        with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
            return compose(config_name="config", overrides=expand_overrides(overrides),
                           return_hydra_config=hydra_node)
    except (HydraException, OmegaConfBaseException, ValueError) as exc:
        raise explain(exc) from None


def compose_scenario(overrides: Sequence[str] | str = (), *, searchpath: Any = ()) -> ScenarioConfig:
    """Compose ``conf/config.yaml`` with Hydra overrides, e.g. ``["attack=revisionist"]``.

    Parameters
    ----------
    overrides : sequence of str, or str
        Hydra overrides in the command line's syntax; a single string is one override.
    searchpath : str, Path or sequence of them, optional
        Folders with presets of one's own (``DIR/guarantee/my_design.yaml``), the same as the
        override ``hydra.searchpath=[file://DIR]``.

    Raises
    ------
    ConfigError
        For an unknown preset or key, a wrong type or an out-of-range value (one-line message).
    """
    overrides = with_searchpath(as_overrides(overrides), searchpath)
    return to_scenario(compose_config(overrides))


def scenario_design(scenario: ScenarioConfig, overrides: Sequence[str]) -> dict[str, Any]:
    """The design columns of one scenario: preset names and every overridden value.

    The same rule as a sweep's tables (:func:`deterrence_sim.folders.job_designs`), without ``job``.

    Examples
    --------
    >>> sc = compose_scenario(["guarantee=none", "attack.temperature=0.20"])
    >>> scenario_design(sc, ["guarantee=none", "attack.temperature=0.20"])
    {'theater': 'ukraine_2026', 'attack': 'opportunist', 'monitoring': 'us_led_tech', \
'guarantee': 'none', 'attack.temperature': 0.2}
    """
    manifest = {"config": config_dict(scenario), "overrides": expand_overrides(overrides)}
    design = job_designs({0: manifest})[0]
    del design["job"]
    return design


def simulate(overrides: Sequence[str] | str = (), *, replications: int | None = None,
             seed: int | None = None, searchpath: Any = ()) -> SimulationResult:
    """Run one scenario and return its tables, for notebooks.

    Parameters
    ----------
    overrides : sequence of str, or str
        Hydra overrides in exactly the command line's syntax; a single string is one override.
    replications, seed : int, optional
        Shorthands for ``sim.replications=...`` and ``sim.seed=...``.
    searchpath : str, Path or sequence of them, optional
        Folders with presets of one's own, as in :func:`compose_scenario`.

    Returns
    -------
    SimulationResult
        ``runs`` and ``daily`` start with the design columns of a sweep's tables: the preset
        names (``theater``, ``attack``, ``monitoring``, ``guarantee``) and one column per
        overridden value (``attack.temperature``, ``sim.replications``, ...).

    Examples
    --------
    >>> import deterrence_sim as ds
    >>> r = ds.simulate(["guarantee=none", "sim.horizon_days=30"], replications=20, seed=1)
    >>> len(r.runs), len(r.daily), r.config.guarantee.name
    (20, 30, 'none')
    >>> list(r.runs.columns[:7])
    ['theater', 'attack', 'monitoring', 'guarantee', 'sim.horizon_days', 'sim.replications', 'sim.seed']
    """
    overrides = as_overrides(overrides)
    if replications is not None:
        overrides.append(f"sim.replications={replications}")
    if seed is not None:
        overrides.append(f"sim.seed={seed}")
    scenario = compose_scenario(overrides, searchpath=searchpath)
    result = simulate_scenario(scenario)
    design = scenario_design(scenario, overrides)
    return dataclasses.replace(result, runs=with_design(result.runs, design),
                               daily=with_design(result.daily, design))


def evaluate(points: pd.DataFrame, overrides: Sequence[str] = (), *, replications_per_point: int = 1,
             seed: int | None = None, common_random_numbers: bool = True,
             progress=None) -> pd.DataFrame:
    """Run a table of parameter points in batched models: ``k`` replications per point.

    The base scenario is composed once from ``overrides`` (the command line's syntax); each row of
    ``points`` then sets the parameters named by its columns (paths such as
    ``theater.aggressor.regen_per_day``), with no Hydra composition per point. Replication ``j`` of
    every point sees the same random numbers, so differences between points are paired, and the
    result does not depend on how the points are chunked.

    Parameters
    ----------
    points : DataFrame
        One row per point, one column per parameter path.
    overrides : sequence of str
        Overrides of the base scenario, e.g. ``["guarantee=paris_package"]``.
    replications_per_point : int
        Replications of each point.
    seed : int, optional
        Shorthand for ``sim.seed=...``.
    common_random_numbers : bool
        True (default): replication ``j`` of every point sees the same random numbers, so
        differences between points are paired (sensitivity analysis). False: every point gets its
        own random numbers (independent samples, e.g. for calibration).
    progress : callable, optional
        ``progress(done, total)`` in replication-days.

    Returns
    -------
    DataFrame
        One row per (point, replication): ``point``, the runs table's columns (``replication``
        counts within the point) and ``param.<path>`` for every varying parameter;
        ``attrs["horizon_days"]`` is the censoring day.

    Raises
    ------
    ConfigError
        For a column that is not a parameter, a value out of its range or NaN (one line).

    Examples
    --------
    >>> import pandas as pd
    >>> import deterrence_sim as ds
    >>> points = pd.DataFrame({"attack.temperature": [0.2, 0.8]})
    >>> out = ds.evaluate(points, ["sim.horizon_days=20", "theater.n_sectors=5"],
    ...                   replications_per_point=3, seed=1)
    >>> out[["point", "replication", "param.attack.temperature"]].values.tolist()[:4]
    [[0.0, 0.0, 0.2], [0.0, 1.0, 0.2], [0.0, 2.0, 0.2], [1.0, 0.0, 0.8]]
    """
    if not isinstance(points, pd.DataFrame) or points.empty or not len(points.columns):
        shape = getattr(points, "shape", type(points).__name__)
        raise ConfigError(f"points: invalid value of shape {shape}; allowed: a DataFrame with at "
                          "least one row and one parameter column")
    if isinstance(replications_per_point, bool) or not isinstance(replications_per_point, int) or not (
            1 <= replications_per_point <= 10_000_000):
        raise ConfigError(f"replications_per_point: invalid value {replications_per_point!r}; "
                          "allowed: a whole number in [1, 10000000]")
    extra = [f"sim.seed={seed}"] if seed is not None else []
    scenario = compose_scenario([*as_overrides(overrides), *extra])
    return evaluate_points(scenario, points, replications_per_point, progress,
                           common_random_numbers=common_random_numbers)


def batch_model(replications: int = 100, **parameters: Any) -> CeasefireModel:
    """A :class:`CeasefireModel` from keyword arguments, for ``mesa.batch_run``.

    Config groups and dotted parameter paths are keyword arguments (``guarantee="none"``,
    ``**{"attack.temperature": 0.2}``); ``replications`` is the model's number of replications.

    Examples
    --------
    >>> import mesa
    >>> rows = mesa.batch_run(batch_model, {"guarantee": ["none", "sanctions"],
    ...                                     "sim.horizon_days": 5, "theater.n_sectors": 4},
    ...                       max_steps=10, display_progress=False)
    >>> [(r["guarantee"], r["Step"]) for r in rows]
    [('none', 4), ('sanctions', 4)]
    """
    overrides = [f"{key}={value}" for key, value in parameters.items()]
    return CeasefireModel(compose_scenario(overrides), replications)
