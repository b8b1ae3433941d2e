"""deterrence-sim: agent-based scenario simulation of ceasefire deterrence.

The analysis functions (``compare``, ``summarize``, ...), ``explore`` and ``calibrate`` are loaded
on first use: SciPy's statistics take about two seconds to import, which every command-line run and
every sweep worker would pay.

>>> import deterrence_sim as ds
>>> result = ds.simulate(["guarantee=paris_package"], replications=10)  # doctest: +SKIP
>>> runs = ds.load_sweep("multirun/paris_2026")  # doctest: +SKIP
>>> ds.compare(runs, baseline="none", within=["attack", "monitoring"])  # doctest: +SKIP
>>> ex = ds.explore(["explore=what_matters"])   # Sobol' indices and failure boxes  # doctest: +SKIP
>>> fit = ds.calibrate("fortna_civil_no_pk", out="calibration/fortna")  # doctest: +SKIP
"""

from deterrence_sim.api import batch_model, compose_scenario, evaluate, simulate
from deterrence_sim.config import ConfigError, ScenarioConfig
from deterrence_sim.model import CeasefireModel
from deterrence_sim.results import SimulationResult

__all__ = [
    "AnalysisError",
    "CeasefireModel",
    "ConfigError",
    "PairingWarning",
    "ScenarioConfig",
    "SimulationResult",
    "batch_model",
    "calibrate",
    "compare",
    "compose_scenario",
    "cost_effectiveness",
    "evaluate",
    "explore",
    "funnel",
    "load_sweep",
    "robustness",
    "simulate",
    "summarize",
    "survival",
]
__version__ = "0.1.0"

_ANALYSIS = ("AnalysisError", "PairingWarning", "compare", "cost_effectiveness", "funnel", "load_sweep",
             "robustness", "summarize", "survival")


def __getattr__(name: str) -> object:
    """Load the analysis functions, ``explore`` and ``calibrate`` on first use (PEP 562)."""
    if name in _ANALYSIS:
        from deterrence_sim import analysis

        return getattr(analysis, name)
    if name == "explore":
        from deterrence_sim.exploration.run import explore

        return explore
    if name == "calibrate":
        from deterrence_sim.fit import calibrate

        return calibrate
    raise AttributeError(f"module 'deterrence_sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_ANALYSIS, "explore", "calibrate"])
