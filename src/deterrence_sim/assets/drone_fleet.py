"""Drone fleets: patrols flown near the line, jammed by electronic warfare and held back by cloud."""

from __future__ import annotations

from dataclasses import dataclass

from deterrence_sim.assets.base import AssetConfig, AssetKind, clear_share, register_kind
from deterrence_sim.core.detection import revisit_detection
from deterrence_sim.fields import PROB, Num, param


@dataclass
class DroneFleetConfig(AssetConfig):
    """A drone fleet: ``looks_per_day`` sorties over each covered sector."""

    kind: str = "drone_fleet"
    p_detect_buildup: Num = param(0.15, "probability", PROB,
                                  "chance one look sees a build-up of full signature on its axis")
    jam_sensitivity: Num = param(0.6, "share", PROB, "share of sorties lost under full jamming")
    cloud_sensitivity: Num = param(0.3, "share", PROB, "share of sorties lost under full cloud")


@register_kind
class DroneFleet(AssetKind):
    """A sortie is lost to jamming or to low cloud, independently.

    ``P = 1 - exp(-looks_per_day * visibility * p_look * (1 - s_jam * jamming)
    * (1 - s_cloud * cloud) * exposure_days)``, with ``s_jam`` = ``jam_sensitivity`` and
    ``s_cloud`` = ``cloud_sensitivity``.
    """

    name = "drone_fleet"
    config = DroneFleetConfig

    @staticmethod
    def buildup_look(cfg, signature, cloud, jamming):
        """Massing near the line, on sorties that jamming and cloud let through:
        ``q = p_buildup * signature * (1 - s_jam * jamming) * (1 - s_cloud * cloud)``."""
        return (cfg.p_detect_buildup * signature * clear_share(cfg.jam_sensitivity, jamming)
                * clear_share(cfg.cloud_sensitivity, cloud))

    @staticmethod
    def probability(cfg, p_look, visibility, cloud, jamming):
        clear = clear_share(cfg.jam_sensitivity, jamming) * clear_share(cfg.cloud_sensitivity, cloud)
        return revisit_detection(cfg.looks_per_day * visibility, p_look, 1.0 - clear, cfg.exposure_days)
