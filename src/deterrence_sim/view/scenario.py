"""What the view's controls choose, and the model they build.

The view runs one block of a scenario (at most ``sim.block_size`` replications) in one
:class:`~deterrence_sim.model.CeasefireModel`, exactly as a run does: replication ``k`` of the view
is replication ``k`` of ``deterrence-sim OVERRIDES sim.replications=R``, and the followed replication
is traced by the model's own tracer, so its rows are those that ``sim.trace=[k]`` writes to
``traces.parquet``.

The controls start at the scenario composed from the command line's overrides; each control
replaces the override of its key (a preset, ``sim.replications``, ``sim.seed``, ``sim.trace``,
``attack.temperature``), every other override stays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from hydra import compose, initialize_config_dir

from deterrence_sim.api import compose_scenario, config_dir, expand_overrides, presets
from deterrence_sim.config import ConfigError, ScenarioConfig
from deterrence_sim.model import CeasefireModel

GROUPS = ("theater", "attack", "monitoring", "guarantee")
"""The preset groups the view lets the user choose."""

CONTROLLED = (*GROUPS, "sim.replications", "sim.seed", "sim.trace", "attack.temperature")
"""Override keys that the controls set (the command line's value is the control's start)."""

MAX_VIEW_REPLICATIONS = 1000
"""Most replications the view starts with (the slider goes up to ``sim.block_size``)."""


def _key(override: str) -> str:
    return override.partition("=")[0].lstrip("+~")


def _value(overrides: Sequence[str], key: str) -> str | None:
    """The value the last override of ``key`` sets, or None."""
    found = [o.partition("=")[2] for o in overrides if _key(o) == key and "=" in o]
    return found[-1] if found else None


def preset_choices(overrides: Sequence[str]) -> dict[str, str]:
    """The preset of each group in :data:`GROUPS` that ``overrides`` compose (Hydra's choices).

    Examples
    --------
    >>> preset_choices(["guarantee=none"])["guarantee"], preset_choices([])["attack"]
    ('none', 'opportunist')
    """
    compose_scenario(overrides)     # validates, and registers the schemas with Hydra
    with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
        cfg = compose(config_name="config", overrides=expand_overrides(overrides),
                      return_hydra_config=True)
    return {group: str(cfg.hydra.runtime.choices[group]) for group in GROUPS}


def view_overrides(base: Sequence[str], theater: str, attack: str, monitoring: str, guarantee: str,
                   replications: int, seed: str, follow: str, temperature: str = "") -> list[str]:
    """The overrides of the view's scenario: ``base`` without the controlled keys, then the controls.

    A blank ``temperature`` keeps the attack preset's value.

    Examples
    --------
    >>> view_overrides(["attack=cautious", "sim.horizon_days=90"], "ukraine_2026", "revisionist",
    ...                "none", "none", 200, "7", "3")  # doctest: +NORMALIZE_WHITESPACE
    ['sim.horizon_days=90', 'theater=ukraine_2026', 'attack=revisionist', 'monitoring=none',
     'guarantee=none', 'sim.replications=200', 'sim.seed=7', 'sim.trace=[3]']
    """
    kept = [o for o in base if _key(o) not in CONTROLLED]
    chosen = [f"theater={theater}", f"attack={attack}", f"monitoring={monitoring}",
              f"guarantee={guarantee}", f"sim.replications={replications}",
              f"sim.seed={str(seed).strip()}", f"sim.trace=[{str(follow).strip()}]"]
    if str(temperature).strip():
        chosen.append(f"attack.temperature={str(temperature).strip()}")
    return [*kept, *chosen]


@dataclass(frozen=True)
class Controls:
    """The view's controls, started from the command line's overrides.

    Attributes
    ----------
    base : tuple of str
        The command line's overrides.
    values : dict
        The start value of each control, by the keyword of :class:`ViewedCeasefire`.
    max_replications : int
        The replications slider's end (``sim.block_size``: one block).
    """

    base: tuple[str, ...]
    values: dict[str, Any]
    max_replications: int

    @classmethod
    def from_overrides(cls, overrides: Sequence[str] = ()) -> Controls:
        """Compose and check the command line's scenario; raises ConfigError (one line) if bad."""
        base = tuple(overrides)
        scenario = compose_scenario(base)
        sim = scenario.sim
        values: dict[str, Any] = dict(preset_choices(base))
        values["replications"] = int(min(sim.replications, sim.block_size, MAX_VIEW_REPLICATIONS))
        values["temperature"] = _value(base, "attack.temperature") or ""
        values["seed"] = str(sim.seed)
        values["follow"] = str(sim.trace[0] if sim.trace else sim.replication_range().start)
        values["base"] = base
        return cls(base, values, int(sim.block_size))

    def model_params(self) -> dict[str, Any]:
        """Mesa's ``model_params`` for SolaraViz: one input per control, ``base`` fixed."""
        v = self.values
        params: dict[str, Any] = {
            group: {"type": "Select", "label": f"{group} preset", "value": v[group],
                    "values": presets(group)} for group in GROUPS}
        params["replications"] = {"type": "SliderInt", "label": "replications", "value": v["replications"],
                                  "min": 1, "max": self.max_replications, "step": 1}
        params["temperature"] = {"type": "InputText", "value": v["temperature"],
                                 "label": "attack.temperature (blank: the preset's)"}
        params["seed"] = {"type": "InputText", "label": "seed", "value": v["seed"]}
        params["follow"] = {"type": "InputText", "label": "follow replication (number)",
                            "value": v["follow"]}
        params["base"] = self.base
        return params


class ViewedCeasefire(CeasefireModel):
    """A :class:`CeasefireModel` built from the view's controls (Mesa's Reset rebuilds it so).

    A choice that does not make a valid scenario (a bad temperature or seed, a replication out of
    range) is not applied: the model then runs the command line's scenario and ``problem`` says
    what was wrong, in the usual one-line form.

    Attributes
    ----------
    overrides : list of str
        The overrides that composed this model's scenario.
    problem : str or None
        Why the controls were not applied, or None.
    followed : int
        The followed (traced) replication, a global index as in ``traces.parquet``.
    first_replication : int
        Global index of this model's first replication (``sim.first_block * sim.block_size``).
    """

    def __init__(self, theater: str = "ukraine_2026", attack: str = "opportunist",
                 monitoring: str = "us_led_tech", guarantee: str = "paris_package",
                 replications: int = 200, temperature: str = "", seed: str = "20260106",
                 follow: str = "0", base: Sequence[str] = ()) -> None:
        self.overrides = view_overrides(base, theater, attack, monitoring, guarantee,
                                        replications, seed, follow, temperature)
        self.problem: str | None = None
        try:
            scenario = self._compose(self.overrides)
        except ConfigError as exc:
            self.problem = f"{exc} (not applied; showing the scenario the view started with)"
            start = Controls.from_overrides(base).values
            self.overrides = view_overrides(base, **{k: v for k, v in start.items() if k != "base"})
            scenario = self._compose(self.overrides)
        sim = scenario.sim
        self.first_replication = sim.replication_range().start
        self.followed = int(sim.trace[0])
        super().__init__(scenario, sim.replications, sim.first_block,
                         trace=[self.followed - self.first_replication])
        self._trace: tuple[int, pd.DataFrame] | None = None

    @staticmethod
    def _compose(overrides: Sequence[str]) -> ScenarioConfig:
        scenario = compose_scenario(overrides)
        sim = scenario.sim
        if sim.replications > sim.block_size:
            raise ConfigError(f"sim.replications: invalid value {sim.replications}; allowed: at most "
                              f"sim.block_size={sim.block_size} in the view (it runs one block)")
        return scenario

    def followed_trace(self) -> pd.DataFrame:
        """The followed replication's trace so far: one row per day (``deterrence_sim.trace``).

        Empty before the first step. Built once per day, however many panels read it.
        """
        if self._trace is None or self._trace[0] != self.steps:
            self._trace = (self.steps, self.tracer.table(self.first_replication + np.arange(self.n)))
        return self._trace[1]
