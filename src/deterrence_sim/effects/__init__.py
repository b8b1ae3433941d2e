"""Effects of guarantee responses: one module per type, each registered by name.

:mod:`~deterrence_sim.effects.base` holds the fields every effect has and the registry. Built in:

- :mod:`~deterrence_sim.effects.punishment`: a cost to the aggressor (strikes, measures);
- :mod:`~deterrence_sim.effects.sanctions`: a cost plus a cut in its regeneration for a while;
- :mod:`~deterrence_sim.effects.arms_surge`: capability for the defender;
- :mod:`~deterrence_sim.effects.reassurance_force`: troops in some sectors, a tripwire.
"""

from deterrence_sim.effects import (  # noqa: F401  (each registers its type)
    arms_surge,
    punishment,
    reassurance_force,
    sanctions,
)
from deterrence_sim.effects.base import EFFECTS, Effect, EffectConfig, build_effect, register_effect

__all__ = ["EFFECTS", "Effect", "EffectConfig", "build_effect", "register_effect"]
