"""Calibration against the historical record.

- :mod:`~deterrence_sim.calibration.targets`: target sets as data (CSV + provenance YAML), their
  checks, Wilson intervals, Kaplan-Meier targets from durations, simulated shares failed.
- :mod:`~deterrence_sim.calibration.priors`: priors in the distribution syntax of the configs.
- :mod:`~deterrence_sim.calibration.distance`: distances between simulated and observed shares.

Nothing here imports the model, Mesa or Hydra.
"""

from deterrence_sim.calibration.distance import ScaledEuclidean, SurvivalDistance
from deterrence_sim.calibration.priors import Prior
from deterrence_sim.calibration.targets import (
    TargetSet,
    check_targets,
    failed_shares,
    km_targets,
    load_targets,
    target_sets,
    wilson_interval,
)

__all__ = [
    "Prior",
    "ScaledEuclidean",
    "SurvivalDistance",
    "TargetSet",
    "check_targets",
    "failed_shares",
    "km_targets",
    "load_targets",
    "target_sets",
    "wilson_interval",
]
