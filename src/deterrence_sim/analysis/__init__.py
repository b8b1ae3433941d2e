"""Statistics on result tables: pandas in, pandas out; no model objects, no Mesa, no Hydra.

- :mod:`~deterrence_sim.analysis.shares`: shares with Wilson intervals, the run headline.
- :mod:`~deterrence_sim.analysis.sweeps`: reading a sweep folder into one tidy table.
- :mod:`~deterrence_sim.analysis.survival`: Kaplan–Meier curves and log-rank tests.
- :mod:`~deterrence_sim.analysis.paired`: paired effects of designs on common random numbers.
- :mod:`~deterrence_sim.analysis.summary`: per-group summaries, the funnel, robustness.
- :mod:`~deterrence_sim.analysis.checks`: their arguments checked (one-line ``AnalysisError``), and
  why designs cannot be paired when they cannot.
"""

from deterrence_sim.analysis.checks import AnalysisError, PairingWarning
from deterrence_sim.analysis.paired import (
    PairedEffect,
    compare,
    cost_effectiveness,
    paired_mean_difference,
    paired_risk_difference,
)
from deterrence_sim.analysis.shares import Estimate, Proportion, collapse_by, headline, proportion
from deterrence_sim.analysis.summary import all_or_nothing, funnel, robustness, summarize
from deterrence_sim.analysis.survival import SurvivalCurve, SurvivalResult, kaplan_meier, logrank, survival
from deterrence_sim.analysis.sweeps import (
    Sweep,
    SweepError,
    SweepWarning,
    design_columns,
    load_sweep,
    read_sweep,
)

__all__ = [
    "AnalysisError",
    "Estimate",
    "PairedEffect",
    "PairingWarning",
    "Proportion",
    "SurvivalCurve",
    "SurvivalResult",
    "Sweep",
    "SweepError",
    "SweepWarning",
    "all_or_nothing",
    "collapse_by",
    "compare",
    "cost_effectiveness",
    "design_columns",
    "funnel",
    "headline",
    "kaplan_meier",
    "load_sweep",
    "logrank",
    "paired_mean_difference",
    "paired_risk_difference",
    "proportion",
    "read_sweep",
    "robustness",
    "summarize",
    "survival",
]
