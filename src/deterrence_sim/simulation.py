"""Running scenarios: replications in blocks, and tables of points in batched models.

:func:`simulate_scenario` runs every replication of a scenario, block by block (one
:class:`~deterrence_sim.model.CeasefireModel` per block), and tabulates them. :func:`evaluate_points`
runs a table of parameter points, ``k`` replications each, many points per model: replication
``j`` of every point draws the same random numbers, so points are compared on common random
numbers, and the rows do not depend on how the points are split into models (or jobs).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from deterrence_sim.config import ScenarioConfig
from deterrence_sim.model import CeasefireModel
from deterrence_sim.parameters import check_points
from deterrence_sim.results import SimulationResult, daily_table, runs_table

Progress = Callable[[int, int], None]
"""``progress(done, total)``: replication-days simulated so far, out of the total."""

MAX_ROWS_PER_MODEL = 10_000
"""Largest number of replications :func:`evaluate_points` puts in one model (memory, speed)."""


def _blocks(replications: int, block_size: int, first_block: int):
    """``(block, first row, size)`` of each block of a run of ``replications``."""
    for i, start in enumerate(range(0, replications, block_size)):
        yield first_block + i, start, min(block_size, replications - start)


def _run(model: CeasefireModel, progress: Progress | None, done: int, total: int) -> pd.DataFrame:
    """Run a model to its end and return its runs table (rows in model order)."""
    n = model.n
    model.run_model(None if progress is None else lambda day: progress(done + day * n, total))
    sim = model.scenario.sim
    position = np.arange(n) % model.dice.period
    return runs_table(model.recorder.totals, model.final_values(), model.collapse_day,
                      model.horizon_days, model.block * sim.block_size + position, model.block,
                      model.parameter_values)


def simulate_scenario(scenario: ScenarioConfig, progress: Progress | None = None) -> SimulationResult:
    """Run every replication of a validated scenario, block by block, and tabulate the results.

    Block ``sim.first_block + i`` holds replications ``(sim.first_block + i) * block_size`` onwards
    and has its own random streams, so a scenario split over jobs by ``first_block`` gives the same
    rows as one job.
    """
    sim = scenario.sim
    total = sim.replications * sim.horizon_days
    frames, recorders, traces = [], [], []
    for block, start, size in _blocks(sim.replications, sim.block_size, sim.first_block):
        first = block * sim.block_size
        trace = [rep - first for rep in sim.trace if first <= rep < first + size]
        model = CeasefireModel(scenario, size, block, trace=trace)
        frames.append(_run(model, progress, start * sim.horizon_days, total))
        recorders.append(model.recorder)
        traces.append(model.tracer.table(first + np.arange(size)))
    daily = daily_table([r.daily_sums for r in recorders], [r.in_ceasefire for r in recorders],
                        [r.collapses for r in recorders], sim.replications)
    return SimulationResult(runs=pd.concat(frames, ignore_index=True), daily=daily, config=scenario,
                            traces=pd.concat(traces, ignore_index=True))


def evaluate_points(scenario: ScenarioConfig, points: pd.DataFrame, replications_per_point: int,
                    progress: Progress | None = None, max_rows: int = MAX_ROWS_PER_MODEL,
                    common_random_numbers: bool = True, first_point: int = 0) -> pd.DataFrame:
    """Run ``replications_per_point`` replications of every row of ``points``, in batched models.

    Parameters
    ----------
    scenario : ScenarioConfig
        The base scenario; each point overrides the parameters named by the columns of ``points``.
    points : DataFrame
        One row per point, one column per parameter path.
    replications_per_point : int
        Replications of each point; they come in the scenario's blocks (``sim.block_size``).
    progress : callable, optional
        ``progress(done, total)`` in replication-days.
    max_rows : int
        Most replications in one model: points are grouped so that a group's replications of one
        block fit.
    common_random_numbers : bool
        True: replication ``j`` of every point draws the same random numbers (paired comparisons of
        points, as in a sensitivity analysis). False: every point draws its own (independent
        samples, as calibration needs); the draws of point ``p`` are still the same however the
        points are chunked.
    first_point : int
        With ``common_random_numbers=False``: the index of the first row of ``points`` in a larger
        table that was split into parts (each part evaluated by its own call, e.g. in its own
        launcher job). Row ``i`` then draws the numbers of point ``first_point + i``, so the parts
        give the rows the whole table would give. ``point`` still counts from 0 within ``points``.

    Returns
    -------
    DataFrame
        One row per (point, replication), ordered so: ``point`` (the row's position in
        ``points``), then the runs table's columns (``replication`` counts within the point),
        including ``param.<path>`` for every column of ``points``.
    """
    values = check_points(scenario, points)
    if isinstance(first_point, bool) or not isinstance(first_point, int | np.integer) or first_point < 0:
        raise ValueError(f"first_point: invalid value {first_point!r}; allowed: a whole number >= 0")
    sim = scenario.sim
    n_points = len(points)
    total = n_points * replications_per_point * sim.horizon_days
    frames, done = [], 0
    for block, _, size in _blocks(replications_per_point, sim.block_size, sim.first_block):
        per_model = max(1, max_rows // size)
        for first in range(0, n_points, per_model):
            chunk = slice(first, min(first + per_model, n_points))
            rows = np.arange(n_points)[chunk]
            positions = None if common_random_numbers else (
                (first_point + rows)[:, None] * size + np.arange(size)).reshape(-1)
            model = CeasefireModel(scenario, size, block, points={k: v[chunk] for k, v in values.items()},
                                   positions=positions)
            runs = _run(model, progress, done, total)
            done += model.n * sim.horizon_days
            runs.insert(0, "point", np.repeat(np.arange(n_points)[chunk], size))
            frames.append(runs)
    out = pd.concat(frames, ignore_index=True).sort_values(["point", "replication"], kind="stable")
    out = out.reset_index(drop=True)
    out.attrs["horizon_days"] = sim.horizon_days
    return out
