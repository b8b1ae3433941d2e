"""The Python API: compose a scenario from overrides (the CLI's syntax) and simulate it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from pathlib import Path

from hydra import compose, initialize_config_dir
from hydra.errors import HydraException, MissingConfigException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import ConfigKeyError, OmegaConfBaseException

from deterrence_sim.config import ConfigError, ScenarioConfig
from deterrence_sim.results import SimulationResult, simulate_scenario


def config_dir() -> Path:
    """The Hydra config tree: shipped inside the package, or ``conf/`` of a source checkout."""
    packaged = Path(__file__).parent / "conf"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "conf"


def _allowed_keys(node_type: type | None) -> str:
    if node_type is None or not is_dataclass(node_type):
        return "a known key"
    return ", ".join(f.name for f in fields(node_type))


def explain(exc: Exception) -> ConfigError:
    """Turn a Hydra or OmegaConf error into one line: field, bad value, what is allowed."""
    if isinstance(exc, ConfigError):
        return exc
    if isinstance(exc, MissingConfigException) and exc.missing_cfg_file:
        group, _, name = exc.missing_cfg_file.rpartition("/")
        options = ", ".join(sorted(exc.options or [])) or "(none)"
        return ConfigError(f"{group or 'config'}: unknown preset {name!r}; allowed: {options}")
    if isinstance(exc, OmegaConfBaseException) and exc.full_key:
        if isinstance(exc, ConfigKeyError):
            return ConfigError(f"{exc.full_key}: unknown key; allowed: "
                               f"{_allowed_keys(exc.object_type)}")
        expected = exc.ref_type_str or "a value of the declared type"
        if "Invalid value" in (exc.msg or ""):
            expected = exc.msg.split("expected one of", 1)[-1].strip(" []")
        return ConfigError(f"{exc.full_key}: invalid value {exc.value!r}; allowed: {expected}")
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, OmegaConfBaseException | ConfigError):
        return explain(cause)
    text = " ".join(str(exc).split())
    return ConfigError(text)


def to_scenario(cfg: DictConfig) -> ScenarioConfig:
    """Check a composed config against the typed schema and convert it (runs all validation)."""
    try:
        merged = OmegaConf.merge(OmegaConf.structured(ScenarioConfig), cfg)
        return OmegaConf.to_object(merged)
    except (OmegaConfBaseException, ConfigError, ValueError) as exc:
        raise explain(exc) from None


def compose_scenario(overrides: Sequence[str] = ()) -> ScenarioConfig:
    """Compose ``conf/config.yaml`` with Hydra overrides, e.g. ``["attack=revisionist"]``.

    Raises
    ------
    ConfigError
        For an unknown preset or key, a wrong type or an out-of-range value (one-line message).
    """
    try:
        with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
            cfg = compose(config_name="config", overrides=list(overrides))
    except (HydraException, OmegaConfBaseException) as exc:
        raise explain(exc) from None
    return to_scenario(cfg)


def simulate(overrides: Sequence[str] = (), *, replications: int | None = None,
             seed: int | None = None) -> SimulationResult:
    """Run one scenario and return its tables, for notebooks.

    Parameters
    ----------
    overrides : sequence of str
        Hydra overrides in exactly the command line's syntax.
    replications, seed : int, optional
        Shorthands for ``sim.replications=...`` and ``sim.seed=...``.

    Examples
    --------
    >>> import deterrence_sim as ds
    >>> r = ds.simulate(["guarantee=none", "sim.horizon_days=30"], replications=20, seed=1)
    >>> len(r.runs), len(r.daily), r.config.guarantee.name
    (20, 30, 'none')
    """
    extra = []
    if replications is not None:
        extra.append(f"sim.replications={replications}")
    if seed is not None:
        extra.append(f"sim.seed={seed}")
    return simulate_scenario(compose_scenario([*overrides, *extra]))
