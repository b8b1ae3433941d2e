"""Tidy result tables: one row per replication (``runs``) and one row per day (``daily``).

The columns are declared once in :mod:`deterrence_sim.columns`; this module turns the arrays a
finished model hands over into those tables. It knows nothing of the model itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from deterrence_sim.columns import BY_NAME, DAILY_MEANS, PARAM_PREFIX, RUN_COLUMNS
from deterrence_sim.config import ScenarioConfig

__all__ = ["RUN_COLUMNS", "SimulationResult", "daily_table", "runs_table"]


@dataclass
class SimulationResult:
    """The outputs of one scenario: tidy tables and the typed configuration that produced them.

    ``traces`` holds one row per (traced replication, day) when ``sim.trace`` names replications
    (see :mod:`deterrence_sim.trace`), else an empty table.
    """

    runs: pd.DataFrame
    daily: pd.DataFrame
    config: ScenarioConfig
    traces: pd.DataFrame = field(default_factory=pd.DataFrame)


def runs_table(totals: Mapping[str, np.ndarray], final: Mapping[str, np.ndarray],
               collapse_day: np.ndarray, horizon_days: int, replication: np.ndarray, block: int,
               parameter_values: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """One row per replication of a finished block.

    Parameters
    ----------
    totals : mapping of str to ndarray
        The summed outputs (``columns.SUMMED``) per replication.
    final : mapping of str to ndarray
        The outputs read at the end (``columns.FINAL``).
    collapse_day : ndarray
        Day of collapse, 0 where the ceasefire held to the horizon.
    horizon_days : int
        The censoring day.
    replication : ndarray
        Global replication index of each row.
    block : int
        The rows' random-number block.
    parameter_values : mapping of str to ndarray
        Each varying parameter's value per replication (columns ``param.<path>``).
    """
    n = len(replication)
    collapsed = collapse_day > 0
    verified = totals["verified"]
    with np.errstate(invalid="ignore", divide="ignore"):
        delay = np.where(verified > 0, totals["verification_delay_days_sum"] / verified, np.nan)
    derived = {
        "replication": replication,
        "block": np.full(n, block),
        "collapsed": collapsed,
        "collapse_day": np.where(collapsed, collapse_day, -1),
        "duration_days": np.where(collapsed, collapse_day, horizon_days),
        "mean_verification_delay_days": delay,
        "responses_failed": totals["responses_triggered"] - totals["responses_honoured"],
    }
    columns = {}
    for name in RUN_COLUMNS:
        source = derived if name in derived else final if name in final else totals
        values = source[name]
        dtype = BY_NAME[name].dtype
        columns[name] = _missing_if_negative(values) if dtype == "Int64" else np.asarray(values).astype(dtype)
    columns.update({PARAM_PREFIX + path: np.asarray(v) for path, v in parameter_values.items()})
    return pd.DataFrame(columns)


def _missing_if_negative(values) -> pd.arrays.IntegerArray:
    """A nullable integer column: negative codes (and zero days of what never happened) missing."""
    values = np.asarray(values, dtype=np.int64)
    column = pd.array(values, dtype="Int64")
    column[values <= 0] = pd.NA
    return column


def daily_table(daily_sums: Sequence[np.ndarray], in_ceasefire: Sequence[np.ndarray],
                collapses: Sequence[np.ndarray], replications: int) -> pd.DataFrame:
    """One row per day: survival and hazard, and means over replications still in ceasefire.

    Each argument holds one array per replication block (summed here: daily sums add up exactly).
    """
    sums = sum(daily_sums)
    live = sum(in_ceasefire)
    fallen = sum(collapses)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / live[:, None]
        hazard = fallen / live
    df = pd.DataFrame({
        "day": np.arange(1, len(live) + 1),
        "in_ceasefire": live,
        "collapses": fallen,
        "share_holding": (live - fallen) / replications,
        "hazard": hazard,
    })
    for i, name in enumerate(DAILY_MEANS):
        df[f"{name}_mean"] = means[:, i]
    return df
