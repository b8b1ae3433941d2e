"""deterrence-sim: agent-based scenario simulation of ceasefire deterrence.

>>> import deterrence_sim as ds
>>> result = ds.simulate(["guarantee=paris_package"], replications=10)  # doctest: +SKIP
"""

from deterrence_sim.api import compose_scenario, simulate
from deterrence_sim.config import ConfigError, ScenarioConfig
from deterrence_sim.model import CeasefireModel
from deterrence_sim.results import SimulationResult

__all__ = [
    "CeasefireModel",
    "ConfigError",
    "ScenarioConfig",
    "SimulationResult",
    "compose_scenario",
    "simulate",
]
__version__ = "0.1.0"
