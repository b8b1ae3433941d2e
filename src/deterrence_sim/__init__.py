"""deterrence-sim: agent-based scenario simulation of ceasefire deterrence.

>>> import deterrence_sim as ds
>>> result = ds.simulate(["guarantee=paris_package"], replications=10)  # doctest: +SKIP
>>> runs = ds.load_sweep("multirun/paris_2026")  # doctest: +SKIP
>>> ds.compare(runs, baseline="none", within=["attack", "monitoring"])  # doctest: +SKIP
"""

from deterrence_sim.analysis import (
    compare,
    cost_effectiveness,
    funnel,
    load_sweep,
    robustness,
    summarize,
    survival,
)
from deterrence_sim.api import compose_scenario, simulate
from deterrence_sim.config import ConfigError, ScenarioConfig
from deterrence_sim.model import CeasefireModel
from deterrence_sim.results import SimulationResult

__all__ = [
    "CeasefireModel",
    "ConfigError",
    "ScenarioConfig",
    "SimulationResult",
    "compare",
    "compose_scenario",
    "cost_effectiveness",
    "funnel",
    "load_sweep",
    "robustness",
    "simulate",
    "summarize",
    "survival",
]
__version__ = "0.1.0"
