"""Unattended ground sensors: seismic, acoustic and radar nodes whose links can be jammed."""

from __future__ import annotations

from dataclasses import dataclass

from deterrence_sim.assets.base import AssetConfig, AssetKind, clear_share, register_kind
from deterrence_sim.core.detection import revisit_detection
from deterrence_sim.fields import PROB, Num, param


@dataclass
class GroundSensorsConfig(AssetConfig):
    """A sensor network: ``looks_per_day`` readings reported from each covered sector."""

    kind: str = "ground_sensors"
    p_detect_buildup: Num = param(0.05, "probability", PROB,
                                  "chance one look sees a build-up of full signature on its axis")
    jam_sensitivity: Num = param(0.2, "share", PROB, "share of reports lost under full jamming")


@register_kind
class GroundSensors(AssetKind):
    """Sensors in the ground do not need a line of sight or a clear sky; their links can be jammed.

    ``P = 1 - exp(-looks_per_day * p_look * (1 - s_jam * jamming) * exposure_days)``, with
    ``s_jam`` = ``jam_sensitivity``; the sector's visibility does not enter.
    """

    name = "ground_sensors"
    config = GroundSensorsConfig

    @staticmethod
    def buildup_look(cfg, signature, cloud, jamming):
        """Vehicle movement and electronic activity near the line, reported over jammable links:
        ``q = p_buildup * signature * (1 - s_jam * jamming)``."""
        return cfg.p_detect_buildup * signature * clear_share(cfg.jam_sensitivity, jamming)

    @staticmethod
    def probability(cfg, p_look, visibility, cloud, jamming):
        obscured = 1.0 - clear_share(cfg.jam_sensitivity, jamming)
        return revisit_detection(cfg.looks_per_day, p_look, obscured, cfg.exposure_days)
