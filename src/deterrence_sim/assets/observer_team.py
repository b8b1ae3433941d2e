"""Observer teams: people on the ground, who see what happens where they stand."""

from __future__ import annotations

from dataclasses import dataclass

from deterrence_sim.assets.base import AssetConfig, AssetKind, register_kind
from deterrence_sim.core.detection import revisit_detection
from deterrence_sim.fields import PROB, Num, param


@dataclass
class ObserverTeamConfig(AssetConfig):
    """Observer patrols: ``looks_per_day`` visits to each sector they can reach (their coverage)."""

    kind: str = "observer_team"
    p_detect_buildup: Num = param(0.05, "probability", PROB,
                                  "chance one look sees a build-up of full signature on its axis")


@register_kind
class ObserverTeam(AssetKind):
    """Eyes on the ground: neither cloud nor jamming stops a patrol, the terrain's cover does.

    ``P = 1 - exp(-looks_per_day * visibility * p_look * exposure_days)`` in the sectors the teams
    can reach (``coverage_share``); nothing elsewhere.
    """

    name = "observer_team"
    config = ObserverTeamConfig

    @staticmethod
    def buildup_look(cfg, signature, cloud, jamming):
        """What teams see where they stand (their coverage): ``q = p_buildup * signature``."""
        return cfg.p_detect_buildup * signature

    @staticmethod
    def probability(cfg, p_look, visibility, cloud, jamming):
        return revisit_detection(cfg.looks_per_day * visibility, p_look, 0.0, cfg.exposure_days)
