"""A table of points evaluated in parts, as the jobs of a Hydra launcher (joblib, submitit, ...).

``ds.evaluate`` with ``common_random_numbers=False`` gives point ``p`` the random numbers of
position ``p`` whatever model it runs in; :func:`launch_evaluation` cuts the points into contiguous
parts, hands each part with its first index to one job of the launcher the overrides choose
(``hydra/launcher=joblib``, ``hydra/launcher=submitit_slurm`` and its settings, ...), and puts the
parts' results back in order, so the result is the one a single process would give, bit for bit.

The jobs receive the validated scenario itself (pickled with the task), not overrides to compose
again: what they simulate cannot differ from what the parent checked. This is the layer that
speaks Hydra, like :mod:`deterrence_sim.api`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from hydra import initialize_config_dir
from hydra._internal.callbacks import Callbacks
from hydra.core.global_hydra import GlobalHydra
from hydra.core.plugins import Plugins
from hydra.errors import HydraException
from hydra.types import HydraContext, RunMode
from omegaconf import DictConfig
from omegaconf.errors import OmegaConfBaseException

from deterrence_sim.api import check_group_choices, config_dir, explain
from deterrence_sim.config import ConfigError, ScenarioConfig
from deterrence_sim.hydra_config import register_schemas
from deterrence_sim.simulation import evaluate_points

#: Settings of every launch: quiet logging, no config copies in the job folders.
QUIET = ("hydra/hydra_logging=disabled", "hydra/job_logging=disabled", "hydra.output_subdir=null",
         "hydra.job.chdir=false")


def is_launcher_override(override: str) -> bool:
    """True for an override of Hydra's own settings (``hydra/launcher=joblib``,
    ``hydra.launcher.n_jobs=2``) rather than of the scenario.

    Examples
    --------
    >>> [is_launcher_override(o) for o in ("hydra/launcher=joblib", "hydra.launcher.n_jobs=2",
    ...                                    "attack.temperature=0.2")]
    [True, True, False]
    """
    key = override.lstrip("+~").partition("=")[0]
    return key == "hydra" or key.startswith(("hydra/", "hydra."))


def split(n: int, parts: int) -> list[tuple[int, int]]:
    """``[(start, stop), ...]``: ``range(n)`` cut into at most ``parts`` contiguous, non-empty parts of
    near-equal size.

    Examples
    --------
    >>> split(10, 3)
    [(0, 4), (4, 7), (7, 10)]
    >>> split(2, 5)
    [(0, 1), (1, 2)]
    """
    parts = max(1, min(parts, n))
    size, extra = divmod(n, parts)
    bounds, start = [], 0
    for i in range(parts):
        stop = start + size + (i < extra)
        bounds.append((start, stop))
        start = stop
    return bounds


@dataclass(frozen=True)
class EvaluatePart:
    """The task of one job: evaluate rows ``bounds[part]`` of ``points``, reduce the runs.

    Picklable (launchers send it to their workers); ``reduce`` must be a module-level function or a
    ``functools.partial`` of one.
    """

    scenario: ScenarioConfig
    points: pd.DataFrame
    bounds: tuple[tuple[int, int], ...]
    replications_per_point: int
    reduce: Callable[[pd.DataFrame], Any] | None = None
    first_point: int = 0

    def run(self, part: int) -> Any:
        """Evaluate part ``part`` (point numbers are those of the whole table, from ``first_point``)."""
        start, stop = self.bounds[part]
        first = self.first_point + start
        runs = evaluate_points(self.scenario, self.points.iloc[start:stop].reset_index(drop=True),
                               self.replications_per_point, common_random_numbers=False, first_point=first)
        if self.reduce is not None:
            return self.reduce(runs)          # points counted from 0 within the part
        runs["point"] += first
        return runs

    def __call__(self, cfg: DictConfig) -> Any:
        """Hydra's task function: the part is the job's ``part`` override."""
        return self.run(int(cfg.part))


def launch_evaluation(scenario: ScenarioConfig, points: pd.DataFrame, replications_per_point: int, *,
                      launcher: Sequence[str], parts: int, sweep_dir: Path | str,
                      reduce: Callable[[pd.DataFrame], Any] | None = None,
                      first_point: int = 0) -> list[Any]:
    """Evaluate ``points`` on independent random numbers in ``parts`` jobs of a Hydra launcher.

    Parameters
    ----------
    scenario : ScenarioConfig
        The validated base scenario (its seed is the seed of the evaluation).
    points : DataFrame
        One row per point, one column per parameter path.
    replications_per_point : int
        Replications of each point.
    launcher : sequence of str
        Overrides of Hydra's settings that choose and set the launcher, e.g.
        ``["hydra/launcher=joblib", "hydra.launcher.n_jobs=2"]``; empty: Hydra's basic launcher
        (the jobs one after the other, in this process).
    parts : int
        Jobs to cut the points into (at most one per point).
    sweep_dir : path
        Hydra's ``hydra.sweep.dir``: the jobs' folders (submitit keeps its logs there).
    reduce : callable, optional
        Applied by each job to its runs table (``point`` counted from 0 within the part); its
        result is what the job sends back.
    first_point : int
        The number of the first row of ``points`` in a larger table (``evaluate_points``'s
        ``first_point``): ``points`` may itself be one part of a table.

    Returns
    -------
    list
        One entry per part, in order: the part's runs table (``point`` numbered over the whole
        table from ``first_point``, as ``evaluate_points`` on the whole table would number it), or
        ``reduce`` of it.

    Raises
    ------
    ConfigError
        For a launcher override that does not parse or names no launcher.
    """
    bounds = tuple(split(len(points), parts))
    task = EvaluatePart(scenario, points.reset_index(drop=True), bounds, replications_per_point, reduce,
                        first_point)
    settings = [*QUIET, *launcher, f"hydra.sweep.dir={Path(sweep_dir).absolute()}",
                "hydra.sweep.subdir=${hydra.job.num}"]
    check_group_choices(settings)
    register_schemas()
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
        hydra = GlobalHydra.instance().hydra
        try:
            cfg = hydra.compose_config("config", settings, run_mode=RunMode.MULTIRUN)
        except (HydraException, OmegaConfBaseException, ValueError) as exc:
            error = explain(exc)
            key = str(error).partition(":")[0]
            if key.startswith("hydra.") and "unknown key" in str(error):
                raise ConfigError(f"{key}: unknown key; allowed: a setting of the chosen launcher (see its "
                                  "settings with: deterrence-sim hydra/launcher=NAME --cfg hydra)") from None
            raise error from None
        context = HydraContext(config_loader=hydra.config_loader, callbacks=Callbacks())
        job = Plugins.instance().instantiate_launcher(hydra_context=context, task_function=task,
                                                      config=cfg)
        returns = job.launch([[f"+part={i}"] for i in range(len(bounds))], initial_job_idx=0)
    return [r.return_value for r in returns]


def parts_for(n_points: int, jobs: int, most: int) -> int:
    """Parts to cut ``n_points`` into: a multiple of ``jobs``, each part at most ``most`` points.

    Examples
    --------
    >>> parts_for(500, 2, 64), parts_for(10, 2, 64), parts_for(1, 4, 64)
    (8, 2, 1)
    """
    rounds = max(1, math.ceil(n_points / (jobs * most)))
    return min(n_points, jobs * rounds)


__all__ = ["ConfigError", "EvaluatePart", "is_launcher_override", "launch_evaluation", "parts_for", "split"]
