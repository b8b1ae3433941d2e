"""The config schemas in Hydra's ConfigStore: presets extend them and state only what differs.

Each group's schema is stored as ``base_<group>`` in that group (``theater/base_theater``, ...);
a preset's defaults list starts with it (``defaults: [base_theater, _self_]``) or with another
preset of its group (``us_led_tech_jammed`` extends ``us_led_tech``), so composing checks every key
and type against the dataclass, and a preset lists only its differences. Named entries take their
schema the same way: a guarantor from ``guarantor/base_guarantor``, an asset from its kind
(``asset/drone_fleet``), an effect from its type (``effect/sanctions``); commitments are defined once
each in ``conf/commitment/`` and placed into designs by the designs' defaults lists. An entry added
on the command line as a plain mapping (``+monitoring.assets.extra={kind: sar_satellite}``) is
checked against its kind's dataclass when the scenario is built (:mod:`deterrence_sim.config`).

The ``explore`` group's schema (:class:`~deterrence_sim.exploration.config.ExploreConfig`) is stored
the same way, but it is no part of the scenario: ``deterrence-sim-explore`` adds the group to the
composed config (``+explore=<name>``) and reads it apart from the scenario's groups.
"""

from __future__ import annotations

from hydra.core.config_store import ConfigStore

from deterrence_sim.assets import KINDS
from deterrence_sim.config import (
    AttackConfig,
    CalibrationConfig,
    CommitmentConfig,
    GuaranteeConfig,
    GuarantorConfig,
    MonitoringConfig,
    SimConfig,
    TheaterConfig,
)
from deterrence_sim.effects import EFFECTS
from deterrence_sim.exploration.config import ExploreConfig

SCHEMAS = {"theater": TheaterConfig, "attack": AttackConfig, "monitoring": MonitoringConfig,
           "guarantee": GuaranteeConfig, "sim": SimConfig, "guarantor": GuarantorConfig,
           "commitment": CommitmentConfig, "calibration": CalibrationConfig, "explore": ExploreConfig}
"""Config group -> its schema, stored as ``<group>/base_<group>``."""


def register_schemas() -> None:
    """Store every schema in Hydra's ConfigStore (idempotent; call again after registering a plug-in).

    Besides the groups' schemas: each asset kind's config as ``asset/<kind>`` and each effect
    type's as ``effect/<type>``, which an entry names in its preset's defaults list
    (``- /asset@assets.drones: drone_fleet``) so that the entry is checked against, and filled
    from, its own schema.
    """
    store = ConfigStore.instance()
    for group, node in SCHEMAS.items():
        store.store(group=group, name=f"base_{group}", node=node, provider="deterrence_sim")
    for kind, cls in KINDS.items():
        store.store(group="asset", name=kind, node=cls.config, provider="deterrence_sim")
    for kind, cls in EFFECTS.items():
        store.store(group="effect", name=kind, node=cls.config, provider="deterrence_sim")


def is_schema(preset: str) -> bool:
    """True for a stored schema's name (``base_attack``), which is not a preset users choose."""
    return preset.startswith("base_")
