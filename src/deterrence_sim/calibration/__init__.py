"""Calibration against the historical record: target sets, priors and an ABC-SMC sampler.

- :mod:`~deterrence_sim.calibration.targets`: target sets as data (CSV + provenance YAML), their
  checks, Wilson intervals, Kaplan-Meier targets from durations, simulated shares failed.
- :mod:`~deterrence_sim.calibration.priors`: priors in the distribution syntax of the configs.
- :mod:`~deterrence_sim.calibration.distance`: distances between simulated and observed shares.
- :mod:`~deterrence_sim.calibration.abc`: ABC-SMC with an adaptive tolerance that simulates a
  whole population per call, reproducible and resumable.
- :mod:`~deterrence_sim.calibration.store`: the folder a calibration writes, generation by
  generation.

Nothing here imports the model, Mesa or Hydra: the simulator is a plain callable.
"""

from deterrence_sim.calibration.abc import ABCProgress, ABCResult, abc_smc, weighted_quantile
from deterrence_sim.calibration.distance import ScaledEuclidean, SurvivalDistance
from deterrence_sim.calibration.priors import Prior
from deterrence_sim.calibration.store import Generation
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
    "ABCProgress",
    "ABCResult",
    "Generation",
    "Prior",
    "ScaledEuclidean",
    "SurvivalDistance",
    "TargetSet",
    "abc_smc",
    "check_targets",
    "failed_shares",
    "km_targets",
    "load_targets",
    "target_sets",
    "weighted_quantile",
    "wilson_interval",
]
