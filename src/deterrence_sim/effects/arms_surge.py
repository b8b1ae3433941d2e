"""Arms surge: weapons and ammunition for the defender, delivered when a response lands."""

from __future__ import annotations

from dataclasses import dataclass

from deterrence_sim.effects.base import Effect, EffectConfig, register_effect
from deterrence_sim.fields import NONNEG, Num, param


@dataclass
class ArmsSurgeConfig(EffectConfig):
    """A pledged surge of arms (denial): capability handed to the defender per response."""

    type: str = "arms_surge"
    capability: Num = param(0.05, "index", NONNEG, "capability the defender receives per response")


@register_effect
class ArmsSurge(Effect):
    """The defender's capability rises by ``capability`` on the day a response lands, or on the day
    the guarantors act on a warning of a build-up."""

    type = "arms_surge"
    config = ArmsSurgeConfig

    def land(self, landed, day, events) -> None:
        super().land(landed, day, events)
        events.defender_boost += self.cfg.capability * landed

    def pre_empt(self, acted, day, events) -> None:
        """Arms delivered on a warning, before the attack (air defence, ammunition)."""
        events.defender_boost += self.cfg.capability * acted
