"""Reading a sweep folder into one tidy table, and naming the columns that describe a scenario.

A sweep folder holds job folders ``0/``, ``1/``, ... (see :mod:`deterrence_sim.folders`) and,
once consolidated, ``runs.parquet`` at the top with every job's rows. Only files are read here:
no model, no Mesa, no Hydra.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from deterrence_sim.columns import PARAM_PREFIX
from deterrence_sim.folders import (
    FINISHED,
    MANIFEST,
    MULTIRUN,
    PRESET_COLUMNS,
    RUNS,
    SWEEP_FOLDER,
    JobFolder,
    SweepError,
    concat_jobs,
    job_designs,
    job_folders,
    load_tables,
    not_a_sweep,
    read_job,
    with_design,
)


class SweepWarning(UserWarning):
    """One job of a sweep is missing or unreadable; the others are still used."""


@dataclass
class Sweep:
    """What a sweep folder holds: all readable replications and each finished job's manifest.

    Attributes
    ----------
    path : Path
        The sweep folder.
    runs : DataFrame
        One row per replication of every readable job, with the columns of
        ``deterrence_sim.results.RUN_COLUMNS`` plus ``job``, the preset columns (``theater``,
        ``attack``, ``monitoring``, ``guarantee``) and one column per other overridden key.
    manifests : dict of int to dict
        Each readable job's manifest, by job number.
    problems : list of str
        One line per job that could not be used (missing, truncated or unreadable files).
    """

    path: Path
    runs: pd.DataFrame
    manifests: dict[int, dict[str, Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


RUN_SETTINGS = ("sim.replications", "sim.block_size", "sim.first_block")
"""Overridable keys that say how a scenario was split into jobs, not what it is."""

DESIGN_PRESETS = ("monitoring", "guarantee")
"""Columns whose values are designs (the levers chosen by the guarantors). The theater's and attack
profile's presets are scenarios (uncertainties), and a swept numeric key is a parameter: comparing
their values says what drives the outcome, not what a design costs."""


def is_design(column: str) -> bool:
    """Whether the values of ``column`` are designs (:data:`DESIGN_PRESETS`), not parameters.

    >>> is_design("guarantee"), is_design("attack.temperature"), is_design("attack")
    (True, False, False)
    """
    return column in DESIGN_PRESETS


def value_key(value: Any) -> tuple[int, float, str]:
    """Sort key of a swept value: numbers (and text that reads as a number) by value, then text.

    Missing values come last.

    Examples
    --------
    >>> sorted(["10.0", "2.0", "12.0", "0.0"], key=value_key)
    ['0.0', '2.0', '10.0', '12.0']
    >>> sorted([20, "none", 3.5, None], key=value_key)
    [3.5, 20, 'none', None]
    """
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return (2, 0.0, "")
    try:
        number = float(value)
    except (TypeError, ValueError):
        return (1, 0.0, str(value))
    return (1, 0.0, str(value)) if np.isnan(number) else (0, number, str(value))


def sorted_values(values) -> list:
    """The distinct ``values`` in :func:`value_key` order (numeric values numerically).

    >>> sorted_values(["0.0", "10.0", "12.0", "2.0", "20.0", "2.0"])
    ['0.0', '2.0', '10.0', '12.0', '20.0']
    """
    return sorted(dict.fromkeys(values), key=value_key)


def listed_values(values, missing: str = "unknown") -> str:
    """The distinct ``values`` (None left out) in :func:`value_key` order, joined by commas.

    How a report or a findings page states what its jobs share (one seed, one revision) or not.

    >>> listed_values([20, 3, None, 3]), listed_values([None], missing="–")
    ('3, 20', '–')
    """
    return ", ".join(sorted_values(str(v) for v in values if v is not None)) or missing


def match_value(values, wanted: Any) -> Any:
    """The value of ``values`` that ``wanted`` names: the same text, else the same number; or None.

    So a baseline typed ``12`` finds the swept value ``12.0``.

    >>> match_value(["2.0", "12.0"], "12"), match_value(["none", "sanctions"], "none")
    ('12.0', 'none')
    >>> match_value(["2.0", "12.0"], "13") is None
    True
    """
    values = list(values)
    for v in values:
        if str(v) == str(wanted):
            return v
    key = value_key(wanted)
    if key[0] == 0:
        for v in values:
            other = value_key(v)
            if other[0] == 0 and other[1] == key[1]:
                return v
    return None


def design_columns(df: pd.DataFrame) -> list[str]:
    """Columns of a sweep table that describe the scenario rather than its outcome.

    These are the preset columns present and every overridden config key (a dotted name such as
    ``attack.temperature``), except :data:`RUN_SETTINGS`: a scenario split over jobs with
    ``sim.first_block=0,1,2,3`` is one scenario. The ``param.<path>`` columns are not: they hold
    each replication's own draw of an uncertain parameter, an outcome of the sampling.

    Examples
    --------
    >>> import pandas as pd
    >>> design_columns(pd.DataFrame(columns=["replication", "guarantee", "attack", "attack.temperature",
    ...                                      "sim.first_block", "param.attack.revisionism"]))
    ['attack', 'guarantee', 'attack.temperature']
    """
    return ([c for c in PRESET_COLUMNS if c in df.columns]
            + [c for c in df.columns if "." in str(c) and c not in RUN_SETTINGS
               and not str(c).startswith(PARAM_PREFIX)])


def varying_columns(df: pd.DataFrame, exclude: tuple[str, ...] | list[str] = ()) -> list[str]:
    """The design columns that take more than one value in ``df`` (the swept ones), minus ``exclude``."""
    return [c for c in design_columns(df) if c not in exclude and df[c].nunique(dropna=False) > 1]


def groups(df: pd.DataFrame, columns: list[str]):
    """Yield ``(key tuple, sub-frame)`` per combination of ``columns`` (one group keyed ``()`` if none).

    Groups come in :func:`value_key` order, column by column: numbers numerically even when a
    column holds them as text.
    """
    if not columns:
        yield (), df
        return
    found = list(df.groupby(columns, sort=False, dropna=False))
    yield from sorted(found, key=lambda item: tuple(map(value_key, item[0])))


def horizon_of(df: pd.DataFrame) -> pd.Series:
    """The horizon (days) each replication was followed to.

    It is the ``sim.horizon_days`` column when the horizon was swept, and otherwise the single
    horizon of the sweep, which is the largest ``duration_days`` (a censored replication's
    duration equals the horizon; if every replication collapsed, no later day is observed).
    """
    if "sim.horizon_days" in df.columns:
        return pd.to_numeric(df["sim.horizon_days"]).astype(float)
    return pd.Series(float(df["duration_days"].max()), index=df.index)


def calibration_label(config: dict[str, Any] | None) -> str:
    """Which calibration a run used, from its manifest's resolved config.

    Examples
    --------
    >>> calibration_label({"calibration": {"name": "fortna_civil_no_pk", "posterior": "fortna_civil_no_pk"}})
    'fortna_civil_no_pk'
    >>> calibration_label({"calibration": {"name": "none", "posterior": ""}})
    "none (the presets' own values)"
    >>> calibration_label({"calibration": {"name": "none", "posterior": "/tmp/mine.parquet"}})
    'posterior /tmp/mine.parquet'
    >>> calibration_label({})                       # a manifest from before calibrations
    "none (the presets' own values)"
    """
    c = (config or {}).get("calibration") or {}
    name, posterior = c.get("name", "none"), c.get("posterior", "")
    if not posterior:
        return "none (the presets' own values)"
    if posterior == name:
        return str(name)
    return f"posterior {posterior}" if name == "none" else f"{name} (posterior {posterior})"


def read_sweep(path: str | Path, argument: str = "path") -> Sweep:
    """Read every finished job of a sweep folder; unusable jobs are listed, not fatal.

    Parameters
    ----------
    path : str or Path
        A sweep folder (job folders ``0/``, ``1/``, ...) or a single run's folder.
    argument : str, default "path"
        How error messages name ``path`` (a command names its own argument).

    Returns
    -------
    Sweep

    Raises
    ------
    SweepError
        If ``path`` is not a folder or holds no job folder, manifest or runs table.
    """
    if not isinstance(path, str | os.PathLike):
        raise SweepError(f"{argument}: invalid value of type {type(path).__name__}; allowed: {SWEEP_FOLDER}")
    root = Path(path)
    if not root.is_dir():
        raise not_a_sweep(argument, root, "not a folder")
    folders = {0: root} if (root / MANIFEST).exists() else job_folders(root)  # a run is a one-job sweep
    if not folders and not (root / RUNS).exists():
        if (root / MULTIRUN).exists():
            raise not_a_sweep(argument, root, "an empty sweep (no job folders yet)")
        raise not_a_sweep(argument, root, f"not a sweep (no job folders 0/, 1/, ... with {MANIFEST} "
                                          f"and no {RUNS})")
    jobs = [read_job(folder, number, tables=(RUNS,)) for number, folder in folders.items()]
    sweep = Sweep(path=root, runs=pd.DataFrame(),
                  manifests={job.number: job.manifest for job in jobs if job.manifest is not None})
    consolidated = _read_consolidated(root, sweep.problems)
    present = (set(consolidated["job"].tolist()) if consolidated is not None and "job" in consolidated
               else set())
    frames = [] if consolidated is None else [consolidated]
    designs = job_designs(sweep.manifests)
    for job in jobs:
        if job.number not in present:  # not consolidated yet: read it from its folder
            job, tables = load_tables(job, (RUNS,))
            if tables:
                frames.append(with_design(tables[RUNS], designs[job.number]))
        if job.status != FINISHED:
            sweep.problems.append(_problem(job, present))
    sweep.runs = concat_jobs(frames)
    return sweep


def load_sweep(path: str | Path) -> pd.DataFrame:
    """All replications of a sweep as one tidy DataFrame, with the swept choices as columns.

    Reads the consolidated ``runs.parquet`` of the sweep folder if there is one, and otherwise
    concatenates the job folders' tables, adding ``job``, the preset names (``theater``,
    ``attack``, ``monitoring``, ``guarantee``) and one column per other overridden key (its
    resolved value, e.g. ``attack.temperature``). A job that is missing or unreadable is skipped
    with a :class:`SweepWarning` naming it.

    Parameters
    ----------
    path : str or Path
        The sweep folder (or a single run's folder).

    Returns
    -------
    DataFrame
        One row per replication.

    Raises
    ------
    SweepError
        If the folder is not a sweep or no job in it can be read.

    Examples
    --------
    >>> import deterrence_sim as ds
    >>> runs = ds.load_sweep("multirun/paris_2026")  # doctest: +SKIP
    >>> runs.groupby(["attack", "guarantee"])["collapsed"].mean()  # doctest: +SKIP
    """
    sweep = read_sweep(path)
    for problem in sweep.problems:
        warnings.warn(problem, SweepWarning, stacklevel=2)
    if sweep.runs.empty:
        raise not_a_sweep("path", sweep.path, "no job of the sweep could be read",
                          "a sweep with at least one readable job")
    return sweep.runs


def _problem(job: JobFolder, present: set[int]) -> str:
    """The job's problem and whether its rows are used anyway (from the consolidated table)."""
    kept = "its rows in the consolidated table are used" if job.number in present else "left out"
    return f"{job.problem}; {kept}"


def _read_consolidated(root: Path, problems: list[str]) -> pd.DataFrame | None:
    path = root / RUNS
    if not path.exists() or (root / MANIFEST).exists():
        return None
    try:
        return pq.read_table(path).to_pandas()
    except (OSError, ValueError) as exc:
        problems.append(f"{path} is unreadable ({exc}); reading the job folders instead")
        return None
