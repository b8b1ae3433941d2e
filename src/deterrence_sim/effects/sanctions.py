"""Sanctions: a punishment that also slows the aggressor's military regeneration for a while."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from deterrence_sim.effects.base import Effect, EffectConfig, register_effect
from deterrence_sim.fields import NONNEG, Num, Range, param


@dataclass
class SanctionsConfig(EffectConfig):
    """Sanctions re-imposed or tightened by a response."""

    type: str = "sanctions"
    drag_per_day: Num = param(0.001, "index/day", NONNEG,
                              "cut in the aggressor's regeneration while the sanctions last")
    duration_days: Num = param(90, "days", Range(1, 3650), "how long one response's sanctions last",
                               integer=True)


@register_effect
class Sanctions(Effect):
    """From the day a response lands (or the guarantors act on a warning), ``drag_per_day`` comes
    off the aggressor's regeneration for ``duration_days`` days; a new response restarts the clock
    (it does not stack)."""

    type = "sanctions"
    config = SanctionsConfig

    def __init__(self, cfg, owner, dice) -> None:
        super().__init__(cfg, owner, dice)
        self.until_day = np.full(dice.n, -1, dtype=np.int64)

    def land(self, landed, day, events) -> None:
        super().land(landed, day, events)
        self._start(landed, day)

    def pre_empt(self, acted, day, events) -> None:
        """Pre-emptive sanctions on a warning: the drag starts now, with no punishment booked."""
        self._start(acted, day)

    def _start(self, acted, day) -> None:
        self.until_day = np.where(acted, day + self.cfg.duration_days - 1, self.until_day)

    def in_force(self, day, events) -> None:
        events.regen_drag += self.cfg.drag_per_day * (self.until_day >= day)
