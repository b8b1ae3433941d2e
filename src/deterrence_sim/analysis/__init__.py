"""Statistics on result tables: pandas in, pandas out; no model objects, no Mesa, no Hydra.

- :mod:`~deterrence_sim.analysis.shares`: shares with Wilson intervals, the run headline.
- :mod:`~deterrence_sim.analysis.sweeps`: reading a sweep folder into one tidy table.
- :mod:`~deterrence_sim.analysis.survival`: Kaplan–Meier curves, log-rank tests, hazard per period.
- :mod:`~deterrence_sim.analysis.paired`: paired effects of designs on common random numbers.
- :mod:`~deterrence_sim.analysis.summary`: per-group summaries, the funnel, robustness.
- :mod:`~deterrence_sim.analysis.mechanisms`: the build-up → warning → offensive funnel and clashes
  per group, and a sentence on the mechanism that decides a group.
- :mod:`~deterrence_sim.analysis.designs`: design matrices (Sobol', Morris, Latin hypercube, one at a time).
- :mod:`~deterrence_sim.analysis.outcomes`: the outcomes of an exploration, per replication and point.
- :mod:`~deterrence_sim.analysis.sensitivity`: Sobol' and Morris indices, tornado, response curves.
- :mod:`~deterrence_sim.analysis.discovery`: scenario discovery with PRIM and CART.
- :mod:`~deterrence_sim.analysis.checks`: their arguments checked (one-line ``AnalysisError``), and
  why designs cannot be paired when they cannot.

SALib and scikit-learn are imported only by the functions that use them.
"""

from deterrence_sim.analysis.checks import AnalysisError, PairingWarning
from deterrence_sim.analysis.designs import (
    DesignInfo,
    design_info,
    lhs_design,
    morris_design,
    oat_design,
    sobol_design,
    sobol_sequence_design,
)
from deterrence_sim.analysis.discovery import (
    Box,
    CartResult,
    FailureConditions,
    PrimResult,
    cart,
    failure_conditions,
    prim,
)
from deterrence_sim.analysis.mechanisms import early_warning, mechanism_note
from deterrence_sim.analysis.outcomes import OUTCOMES, point_outcomes, replication_outcomes
from deterrence_sim.analysis.paired import (
    PairedEffect,
    compare,
    cost_effectiveness,
    paired_mean_difference,
    paired_risk_difference,
)
from deterrence_sim.analysis.sensitivity import morris_indices, response_curve, sobol_indices, tornado
from deterrence_sim.analysis.shares import Estimate, Proportion, collapse_by, headline, proportion
from deterrence_sim.analysis.summary import all_or_nothing, funnel, robustness, summarize
from deterrence_sim.analysis.survival import (
    SurvivalCurve,
    SurvivalResult,
    kaplan_meier,
    logrank,
    period_hazard,
    survival,
)
from deterrence_sim.analysis.sweeps import (
    Sweep,
    SweepError,
    SweepWarning,
    design_columns,
    load_sweep,
    read_sweep,
)

__all__ = [
    "OUTCOMES",
    "AnalysisError",
    "Box",
    "CartResult",
    "DesignInfo",
    "Estimate",
    "FailureConditions",
    "PairedEffect",
    "PairingWarning",
    "PrimResult",
    "Proportion",
    "SurvivalCurve",
    "SurvivalResult",
    "Sweep",
    "SweepError",
    "SweepWarning",
    "all_or_nothing",
    "cart",
    "collapse_by",
    "compare",
    "cost_effectiveness",
    "design_columns",
    "design_info",
    "early_warning",
    "failure_conditions",
    "funnel",
    "headline",
    "kaplan_meier",
    "lhs_design",
    "load_sweep",
    "logrank",
    "mechanism_note",
    "morris_design",
    "morris_indices",
    "oat_design",
    "paired_mean_difference",
    "paired_risk_difference",
    "period_hazard",
    "point_outcomes",
    "prim",
    "proportion",
    "read_sweep",
    "replication_outcomes",
    "response_curve",
    "robustness",
    "sobol_design",
    "sobol_indices",
    "sobol_sequence_design",
    "summarize",
    "survival",
    "tornado",
]
