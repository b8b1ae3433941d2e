"""The config schemas in Hydra's ConfigStore: presets extend them and state only what differs.

Each group's schema is stored as ``base_<group>`` in that group (``theater/base_theater``, ...);
a preset's defaults list starts with it (``defaults: [base_theater, _self_]``) or with another
preset of its group (``us_led_tech_jammed`` extends ``us_led_tech``), so composing checks every key
and type against the dataclass, and a preset lists only its differences. Commitments are defined
once each in the ``commitment`` group and placed into designs by their defaults lists.
"""

from __future__ import annotations

from hydra.core.config_store import ConfigStore

from deterrence_sim.config import (
    AttackConfig,
    CommitmentConfig,
    GuaranteeConfig,
    MonitoringConfig,
    SimConfig,
    TheaterConfig,
)

SCHEMAS = {"theater": TheaterConfig, "attack": AttackConfig, "monitoring": MonitoringConfig,
           "guarantee": GuaranteeConfig, "sim": SimConfig, "commitment": CommitmentConfig}
"""Config group -> its schema, stored as ``<group>/base_<group>``."""


def register_schemas() -> None:
    """Store every group's schema in Hydra's ConfigStore (idempotent)."""
    store = ConfigStore.instance()
    for group, node in SCHEMAS.items():
        store.store(group=group, name=f"base_{group}", node=node, provider="deterrence_sim")


def is_schema(preset: str) -> bool:
    """True for a stored schema's name (``base_attack``), which is not a preset users choose."""
    return preset.startswith("base_")
