"""Effects of guarantee responses: one module per type, each registered by name.

:mod:`~deterrence_sim.effects.base` holds the fields every effect has and the registry. Built in:

- :mod:`~deterrence_sim.effects.punishment`: a cost to the aggressor (strikes, measures);
- :mod:`~deterrence_sim.effects.sanctions`: a cost plus a cut in its regeneration for a while;
- :mod:`~deterrence_sim.effects.arms_surge`: capability for the defender;
- :mod:`~deterrence_sim.effects.reassurance_force`: troops in some sectors, a tripwire.
"""

import importlib
import pkgutil

from deterrence_sim.effects.base import EFFECTS, Effect, EffectConfig, build_effect, register_effect

__all__ = ["EFFECTS", "Effect", "EffectConfig", "build_effect", "register_effect"]

# Every module of this package registers its type on import: a new module is found without
# being listed anywhere.
for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")
