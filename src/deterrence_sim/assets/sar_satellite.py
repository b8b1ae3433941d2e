"""Radar (SAR) satellites: imagery through cloud and at night."""

from __future__ import annotations

from dataclasses import dataclass

from deterrence_sim.assets.base import AssetConfig, AssetKind, register_kind
from deterrence_sim.core.detection import revisit_detection
from deterrence_sim.fields import PROB, Num, param


@dataclass
class SarSatelliteConfig(AssetConfig):
    """A synthetic-aperture radar constellation: ``looks_per_day`` passes per covered sector."""

    kind: str = "sar_satellite"
    p_detect_buildup: Num = param(0.25, "probability", PROB,
                                  "chance one look sees a build-up of full signature on its axis")


@register_kind
class SarSatellite(AssetKind):
    """Radar sees through cloud, and electronic warfare at the line does not reach it.

    ``P = 1 - exp(-looks_per_day * visibility * p_look * exposure_days)``.
    """

    name = "sar_satellite"
    config = SarSatelliteConfig

    @staticmethod
    def buildup_look(cfg, signature, cloud, jamming):
        """Vehicles and earthworks seen through cloud: ``q = p_buildup * signature``."""
        return cfg.p_detect_buildup * signature

    @staticmethod
    def probability(cfg, p_look, visibility, cloud, jamming):
        return revisit_detection(cfg.looks_per_day * visibility, p_look, 0.0, cfg.exposure_days)
