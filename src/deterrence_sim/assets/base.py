"""What every monitoring asset has, and the registry of asset kinds.

An asset *kind* (drone fleet, optical satellite, ...) is a small class in a module of its own that
states its detection law: how looks, the chance that one look sees an event, the sector's
visibility, cloud, jamming and exposure combine into the chance of detecting an event. The kind
may add fields to :class:`AssetConfig` (a drone fleet's sensitivity to jamming). A new kind is one
module with a class decorated by :func:`register_kind`, plus YAML that names it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from deterrence_sim.fields import NONNEG, POS, PROB, ConfigError, Num, Range, build_node, fail, param


@dataclass
class AssetConfig:
    """One monitoring asset: where it looks, how often, how well, and what it costs.

    The fields every kind has; a kind's own config class adds the fields its law reads.
    """

    name: str = ""
    kind: str = ""
    owner: str = "defender"
    coverage_share: Num = param(1.0, "share", PROB, "share of sectors covered, most valuable first")
    looks_per_day: Num = param(1.0, "looks/day", NONNEG, "revisits of each covered sector")
    p_detect_minor: Num = param(0.1, "probability", PROB, "chance one clear look sees a minor event")
    p_detect_serious: Num = param(0.3, "probability", PROB, "chance one clear look sees a serious one")
    exposure_days: Num = param(1.0, "days", POS, "how long an event stays observable")
    false_alarms_per_sector_day: Num = param(
        0.0, "reports", NONNEG, "false reports per covered sector-day")
    attribution_accuracy: Num = param(0.8, "probability", PROB, "attributes to the right side")
    p_detect_buildup: Num = param(0.1, "probability", PROB,
                                  "chance one look sees a build-up of full signature on its axis")
    false_warnings_per_year: Num = param(0.5, "reports", NONNEG, "false build-up alarms per year")
    loss_rate_per_day: Num = param(0.0, "probability", PROB, "chance per day it is lost")
    replacement_days: Num = param(30, "days", Range(0, 10_000), "days to replace a lost asset",
                                  integer=True)
    cost_bn_per_year: Num = param(0.0, "bn USD/yr", NONNEG, "running cost to its owner")


class AssetKind:
    """A kind of monitoring asset: its config class and its detection law.

    Subclasses set ``name`` (the ``kind`` written in YAML), ``config`` (an :class:`AssetConfig`
    subclass) and implement :meth:`probability`.
    """

    name: ClassVar[str] = ""
    config: ClassVar[type[AssetConfig]] = AssetConfig

    @staticmethod
    def buildup_look(cfg: Any, signature: np.ndarray, cloud: np.ndarray, jamming: np.ndarray) -> np.ndarray:
        """Chance that one look sees a build-up on an axis the asset covers (one entry per build-up).

        ``signature`` (in [0, 1]) is how visible the build-up is; the day's chance of seeing it
        with ``looks_per_day`` looks is ``1 - (1 - q)**looks_per_day`` (:func:`~deterrence_sim.
        core.detection.buildup_detection`).
        """
        raise NotImplementedError

    @staticmethod
    def probability(cfg: Any, p_look: np.ndarray, visibility: np.ndarray, cloud: np.ndarray,
                    jamming: np.ndarray) -> np.ndarray:
        """Chance that the asset detects each event it covers (one entry per event).

        Parameters
        ----------
        cfg : AssetConfig
            The asset's config, each field a number or already one value per event.
        p_look : ndarray
            Chance that one unobscured look sees the event (by the event's severity).
        visibility : ndarray
            Visibility of the event's sector, in [0, 1].
        cloud, jamming : ndarray
            Cloud cover and electronic-warfare pressure in the event's replication today.
        """
        raise NotImplementedError


#: Registered kinds by name.
KINDS: dict[str, type[AssetKind]] = {}


def register_kind(cls: type[AssetKind]) -> type[AssetKind]:
    """Class decorator: make ``cls`` available as ``kind: <cls.name>`` in monitoring configs."""
    KINDS[cls.name] = cls
    return cls


def build_asset(data: Any, path: str, name: str) -> AssetConfig:
    """An asset's typed config from a plain mapping, its class chosen by its ``kind``."""
    kind = getattr(data, "kind", None) if isinstance(data, AssetConfig) else (
        data.get("kind") if isinstance(data, Mapping) else None)
    if kind not in KINDS:
        raise fail(f"{path}.kind", kind, ", ".join(sorted(KINDS)))
    if isinstance(data, AssetConfig) and type(data) is not KINDS[kind].config:
        raise fail(f"{path}.kind", kind, f"{type(data)().kind} (to change the kind, replace the whole "
                                         f"entry: {path}={{kind: {kind}, ...}})")
    return build_node(KINDS[kind].config, data, path, name=name)


def kind_of(cfg: AssetConfig) -> type[AssetKind]:
    """The registered kind of an asset config."""
    try:
        return KINDS[cfg.kind]
    except KeyError:
        raise ConfigError(f"asset {cfg.name!r}: unknown kind {cfg.kind!r}; allowed: "
                          f"{', '.join(sorted(KINDS))}") from None


def clear_share(sensitivity: Any, pressure: np.ndarray) -> np.ndarray:
    """Share of looks that survive a pressure (cloud, jamming) in [0, 1]: ``1 - s * pressure``."""
    return 1.0 - np.multiply(sensitivity, pressure)
