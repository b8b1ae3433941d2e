"""Optical satellites: imagery taken on passes over the line, useless under cloud."""

from __future__ import annotations

from dataclasses import dataclass

from deterrence_sim.assets.base import AssetConfig, AssetKind, register_kind
from deterrence_sim.core.detection import revisit_detection
from deterrence_sim.fields import PROB, Num, param


@dataclass
class OpticalSatelliteConfig(AssetConfig):
    """An optical constellation: ``looks_per_day`` passes over each covered sector."""

    kind: str = "optical_satellite"
    p_detect_buildup: Num = param(0.3, "probability", PROB,
                                  "chance one look sees a build-up of full signature on its axis")


@register_kind
class OpticalSatellite(AssetKind):
    """A pass sees the ground only where the sky is clear.

    ``P = 1 - exp(-looks_per_day * visibility * p_look * (1 - cloud) * exposure_days)``: a pass is
    clouded with the day's cloud cover, and a clouded pass sees nothing; electronic warfare does
    not reach it.
    """

    name = "optical_satellite"
    config = OpticalSatelliteConfig

    @staticmethod
    def buildup_look(cfg, signature, cloud, jamming):
        """Massing and logistics seen on a cloud-free pass: ``q = p_buildup * signature * (1 - cloud)``."""
        return cfg.p_detect_buildup * signature * (1.0 - cloud)

    @staticmethod
    def probability(cfg, p_look, visibility, cloud, jamming):
        return revisit_detection(cfg.looks_per_day * visibility, p_look, cloud, cfg.exposure_days)
