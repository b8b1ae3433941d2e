"""Reassurance force: guarantor troops standing in a few sectors, a tripwire for their commitment."""

from __future__ import annotations

from dataclasses import dataclass

from deterrence_sim.effects.base import Effect, EffectConfig, register_effect
from deterrence_sim.fields import NONNEG, Num, Range, param


@dataclass
class ReassuranceForceConfig(EffectConfig):
    """A multinational force deployed in the most valuable sectors."""

    type: str = "reassurance_force"
    sectors: Num = param(4, "sectors", Range(0, 10_000),
                         "sectors where the force stands, most valuable first", integer=True)
    local_denial: Num = param(0.5, "index", NONNEG, "defence the force adds where it stands")
    forward_denial: Num = param(0.1, "index", NONNEG,
                                "defence it adds against an offensive it was warned of, moved forward")


@register_effect
class ReassuranceForce(Effect):
    """A force present from day 0. It raises the cost of attacking where it stands, and its
    commitment answers serious violations there at once, without waiting for verification
    (the force answers attacks on itself: a tripwire). Warned of a build-up, it moves forward and
    adds ``forward_denial`` to the defence against the offensive."""

    type = "reassurance_force"
    config = ReassuranceForceConfig

    def presence_sectors(self):
        return self.cfg.sectors

    def local_denial(self):
        return self.cfg.local_denial

    def forward_denial(self):
        return self.cfg.forward_denial

    def pre_empt(self, acted, day, events) -> None:
        """Warned of a build-up, the force moves forward: it stands against the offensive."""
        events.forward_denial += self.cfg.forward_denial * acted
