"""Punishment: a response that only costs the aggressor (strikes, diplomatic and economic measures)."""

from __future__ import annotations

from dataclasses import dataclass

from deterrence_sim.effects.base import Effect, EffectConfig, register_effect


@dataclass
class PunishmentConfig(EffectConfig):
    """A punitive response: only the fields every effect has."""

    type: str = "punishment"


@register_effect
class Punishment(Effect):
    """The aggressor loses ``punishment`` when a response lands (``punishment_offensive`` when the
    guarantors answer a major offensive); a military response may clash (``clash_risk``)."""

    type = "punishment"
    config = PunishmentConfig
