"""Monitoring asset kinds: one module per kind, each stating its detection law.

:mod:`~deterrence_sim.assets.base` holds the fields every asset has and the registry; each kind
module registers itself on import. The built-in kinds:

- :mod:`~deterrence_sim.assets.optical_satellite`: sees only through cloud-free passes;
- :mod:`~deterrence_sim.assets.sar_satellite`: radar, sees through cloud;
- :mod:`~deterrence_sim.assets.drone_fleet`: flies near the line, jammed and grounded by cloud;
- :mod:`~deterrence_sim.assets.ground_sensors`: fixed sensors, their links jammed;
- :mod:`~deterrence_sim.assets.observer_team`: people who see only where they stand.
"""

import importlib
import pkgutil

from deterrence_sim.assets.base import KINDS, AssetConfig, AssetKind, build_asset, kind_of, register_kind

__all__ = ["KINDS", "AssetConfig", "AssetKind", "build_asset", "kind_of", "register_kind"]

# Every module of this package registers its kind on import: a new module is found without
# being listed anywhere.
for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")
