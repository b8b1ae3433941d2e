"""Radar (SAR) satellites: imagery through cloud and at night."""

from __future__ import annotations

from dataclasses import dataclass

from deterrence_sim.assets.base import AssetConfig, AssetKind, register_kind
from deterrence_sim.core.detection import revisit_detection


@dataclass
class SarSatelliteConfig(AssetConfig):
    """A synthetic-aperture radar constellation: ``looks_per_day`` passes per covered sector."""

    kind: str = "sar_satellite"


@register_kind
class SarSatellite(AssetKind):
    """Radar sees through cloud, and electronic warfare at the line does not reach it.

    ``P = 1 - exp(-looks_per_day * visibility * p_look * exposure_days)``.
    """

    name = "sar_satellite"
    config = SarSatelliteConfig

    @staticmethod
    def probability(cfg, p_look, visibility, cloud, jamming):
        return revisit_detection(cfg.looks_per_day * visibility, p_look, 0.0, cfg.exposure_days)
