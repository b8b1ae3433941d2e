"""What every effect of a guarantee response has, and the registry of effect types.

A commitment is a trigger (what it answers), a decision (who decides, by which rule, how fast)
and a list of typed *effects*: what an honoured response does. Each effect type is a small class
in a module of its own, registered by name, that owns when it lands, what it changes for whom, its
cost and its clash risk. Effects act on the day's blackboard (:class:`~deterrence_sim.events.
DayEvents`): the aggressor's cost, the cut in its regeneration, capability for the defender, and
clashes. A new type is one module with a class decorated by :func:`register_effect`, plus YAML.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from deterrence_sim.core.rng import Dice
from deterrence_sim.fields import NONNEG, PROB, Num, build_node, fail, param
from deterrence_sim.units import DAYS_PER_YEAR


@dataclass
class EffectConfig:
    """The fields every effect has: what the aggressor loses, what the guarantors pay, the risk."""

    name: str = ""
    type: str = ""
    punishment: Num = param(0.0, "utility", NONNEG,
                            "cost to the aggressor of one response (the deterrent it weighs)")
    punishment_offensive: Num = param(0.0, "utility", NONNEG,
                                      "cost to the aggressor when it answers a major offensive")
    cost_bn_per_response: Num = param(0.0, "bn USD", NONNEG, "cost to the guarantors per response")
    standing_cost_bn_per_year: Num = param(0.0, "bn USD/yr", NONNEG,
                                           "cost to the guarantors of being in place")
    clash_risk: Num = param(0.0, "probability", PROB,
                            "chance that one response brings a direct guarantor-aggressor clash")


class Effect:
    """One typed effect of a commitment's honoured responses.

    Parameters
    ----------
    cfg : EffectConfig
        Its config; each field a number or one value per replication.
    owner : str
        The commitment's name (keys its random streams).
    dice : Dice
        The model's counter uniforms.
    """

    type: ClassVar[str] = ""
    config: ClassVar[type[EffectConfig]] = EffectConfig

    def __init__(self, cfg: EffectConfig, owner: str, dice: Dice) -> None:
        self.cfg = cfg
        self.dice = dice
        self._clash_stream = f"clash:{owner}.{cfg.name}"

    # --- public terms: what the aggressor knows of the design
    def presence_sectors(self) -> Any:
        """Sectors (most valuable first) where this effect puts a force; 0 for none."""
        return 0

    def local_denial(self) -> Any:
        """Defence added in each sector where the force stands (0 without a force)."""
        return 0.0

    def forward_denial(self) -> Any:
        """Defence the effect moves forward against a major offensive it was warned of (0: none)."""
        return 0.0

    def standing_cost_bn_per_day(self) -> Any:
        """Cost to the guarantors of the effect being in place, per day."""
        return np.divide(self.cfg.standing_cost_bn_per_year, DAYS_PER_YEAR)

    # --- behaviour
    def land(self, landed: np.ndarray, day: int, events: Any) -> None:
        """A response lands today where ``landed``: the aggressor pays, a clash may follow."""
        events.aggressor_cost += self.cfg.punishment * landed
        self._clash(landed, day, events, "response")

    def answer_offensive(self, acted: np.ndarray, day: int, events: Any) -> None:
        """The guarantors answer a major offensive where ``acted`` (at once)."""
        events.aggressor_cost += self.cfg.punishment_offensive * acted
        self._clash(acted, day, events, "offensive")

    def pre_empt(self, acted: np.ndarray, day: int, events: Any) -> None:
        """The guarantors act on a verified warning of a build-up, before any attack (nothing by
        default: a punishment waits for a violation)."""

    def in_force(self, day: int, events: Any) -> None:
        """What the effect does every day while it lasts (nothing by default)."""

    def _clash(self, acted: np.ndarray, day: int, events: Any, what: str) -> None:
        if not np.any(self.cfg.clash_risk) or not acted.any():
            return
        u = self.dice.replications(f"{self._clash_stream}:{what}", day)
        events.clash |= acted & (u < self.cfg.clash_risk)


#: Registered effect types by name.
EFFECTS: dict[str, type[Effect]] = {}


def register_effect(cls: type[Effect]) -> type[Effect]:
    """Class decorator: make ``cls`` available as ``type: <cls.type>`` in a commitment's effects."""
    EFFECTS[cls.type] = cls
    return cls


def build_effect(data: Any, path: str, name: str) -> EffectConfig:
    """An effect's typed config from a plain mapping; its ``type`` defaults to its name."""
    if isinstance(data, EffectConfig):
        kind = data.type or name
        if kind not in EFFECTS:
            raise fail(f"{path}.type", kind, ", ".join(sorted(EFFECTS)))
        if type(data) is not EFFECTS[kind].config:
            raise fail(f"{path}.type", kind, f"{type(data)().type} (to change the type, replace the "
                                             f"whole entry: {path}={{type: {kind}, ...}})")
        return build_node(EFFECTS[kind].config, data, path, name=name)
    kind = (data.get("type") or name) if isinstance(data, Mapping) else None
    if kind not in EFFECTS:
        raise fail(f"{path}.type", kind, ", ".join(sorted(EFFECTS)))
    return build_node(EFFECTS[kind].config, {**data, "type": kind}, path, name=name)
