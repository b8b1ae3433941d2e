"""Reading a sweep folder into one tidy table, and naming the columns that describe a scenario.

A sweep folder holds job folders ``0/``, ``1/``, ... each with ``runs.parquet`` and ``manifest.json``
(written last, so its presence marks a finished job), and, once consolidated, ``runs.parquet`` at
the top with every job's rows. Only files are read here: no model, no Mesa, no Hydra.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import yaml

PRESET_COLUMNS = ("theater", "attack", "monitoring", "guarantee")
"""Config groups whose preset name becomes a column of a sweep table."""

_NOT_SCENARIO_KEYS = ("hydra", "experiment")  # overrides that say how, not what, was run
RUNS = "runs.parquet"
MANIFEST = "manifest.json"
FAILURE = "failure.json"


class SweepError(ValueError):
    """The folder is not a sweep, or nothing in it can be read."""


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


def design_columns(df: pd.DataFrame) -> list[str]:
    """Columns of a sweep table that describe the scenario rather than its outcome.

    These are the preset columns present and every overridden config key (a dotted name such as
    ``attack.temperature``), except :data:`RUN_SETTINGS`: a scenario split over jobs with
    ``sim.first_block=0,1,2,3`` is one scenario.

    Examples
    --------
    >>> import pandas as pd
    >>> design_columns(pd.DataFrame(columns=["replication", "guarantee", "attack", "attack.temperature",
    ...                                      "sim.first_block"]))
    ['attack', 'guarantee', 'attack.temperature']
    """
    return ([c for c in PRESET_COLUMNS if c in df.columns]
            + [c for c in df.columns if "." in str(c) and c not in RUN_SETTINGS])


def varying_columns(df: pd.DataFrame, exclude: tuple[str, ...] | list[str] = ()) -> list[str]:
    """The design columns that take more than one value in ``df`` (the swept ones), minus ``exclude``."""
    return [c for c in design_columns(df) if c not in exclude and df[c].nunique(dropna=False) > 1]


def groups(df: pd.DataFrame, columns: list[str]):
    """Yield ``(key tuple, sub-frame)`` per combination of ``columns`` (one group keyed ``()`` if none)."""
    if not columns:
        yield (), df
        return
    yield from df.groupby(columns, sort=True, dropna=False)


def horizon_of(df: pd.DataFrame) -> pd.Series:
    """The horizon (days) each replication was followed to.

    It is the ``sim.horizon_days`` column when the horizon was swept, and otherwise the single
    horizon of the sweep, which is the largest ``duration_days`` (a censored replication's
    duration equals the horizon; if every replication collapsed, no later day is observed).
    """
    if "sim.horizon_days" in df.columns:
        return pd.to_numeric(df["sim.horizon_days"]).astype(float)
    return pd.Series(float(df["duration_days"].max()), index=df.index)


def read_sweep(path: str | Path) -> Sweep:
    """Read every finished job of a sweep folder; unusable jobs are listed, not fatal.

    Parameters
    ----------
    path : str or Path
        A sweep folder (job folders ``0/``, ``1/``, ...) or a single run's folder.

    Returns
    -------
    Sweep

    Raises
    ------
    SweepError
        If ``path`` is not a folder or holds no job folder, manifest or runs table.
    """
    root = Path(path)
    if not root.is_dir():
        raise SweepError(f"{root} is not a folder")
    jobs = _job_folders(root)
    if not jobs and not (root / RUNS).exists():
        if (root / "multirun.yaml").exists():
            raise SweepError(f"{root} is an empty sweep: it has no job folders yet")
        raise SweepError(f"{root} is not a sweep: no job folders (0/, 1/, ...) with {MANIFEST} "
                         f"and no {RUNS}")
    sweep = Sweep(path=root, runs=pd.DataFrame())
    damaged: dict[int, str] = {}
    for job, folder in jobs.items():
        manifest = _read_manifest(folder, job, sweep.problems)
        if manifest is not None:
            sweep.manifests[job] = manifest
            trouble = _damage(folder, manifest)
            if trouble:
                damaged[job] = trouble
    consolidated = _read_consolidated(root, sweep.problems)
    present = (set(consolidated["job"].tolist()) if consolidated is not None and "job" in consolidated
               else set())
    frames = [] if consolidated is None else [consolidated]
    keys = _override_keys(sweep.manifests.values())
    for job, manifest in sweep.manifests.items():
        if job in damaged:
            kept = "its rows in the consolidated table are used" if job in present else "left out"
            sweep.problems.append(f"job {job}: {damaged[job]}; {kept}")
        elif job not in present:  # not consolidated yet: read it from its folder
            runs = _read_job_runs(jobs[job], job, sweep.problems)
            if runs is not None:
                frames.append(_with_design(runs, job, manifest, keys))
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
        raise SweepError(f"no job of the sweep in {sweep.path} could be read")
    return sweep.runs


def _job_folders(root: Path) -> dict[int, Path]:
    if (root / MANIFEST).exists():  # a single run's folder is a one-job sweep
        return {0: root}
    folders = {int(p.name): p for p in root.iterdir() if p.is_dir() and p.name.isdigit()}
    return dict(sorted(folders.items()))


def _read_manifest(folder: Path, job: int, problems: list[str]) -> dict[str, Any] | None:
    path = folder / MANIFEST
    if not path.exists():
        problems.append(f"job {job}: {_why_unfinished(folder)}; left out")
        return None
    try:
        manifest = json.loads(path.read_text())
        if not isinstance(manifest.get("config"), dict):
            raise ValueError("no 'config' in it")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        problems.append(f"job {job}: {path} is unreadable ({type(exc).__name__}: {exc}); left out")
        return None
    return manifest


def _why_unfinished(folder: Path) -> str:
    """'failed (the error)' if the job left a failure record, else 'unfinished (no manifest)'."""
    try:
        return f"failed ({json.loads((folder / FAILURE).read_text())['error']})"
    except (OSError, ValueError, KeyError, TypeError):
        return f"unfinished ({folder / MANIFEST} is missing)"


def _damage(folder: Path, manifest: dict[str, Any]) -> str | None:
    """What is wrong with a finished job's runs table (missing, or not the file the manifest hashed)."""
    path = folder / RUNS
    if not path.exists():
        return f"{path} is missing"
    expected = (manifest.get("files") or {}).get(RUNS)
    if expected and hashlib.sha256(path.read_bytes()).hexdigest() != expected:
        return f"{path} does not match its manifest (truncated or modified)"
    return None


def _read_job_runs(folder: Path, job: int, problems: list[str]) -> pd.DataFrame | None:
    try:
        return pq.read_table(folder / RUNS).to_pandas()
    except (OSError, ValueError) as exc:
        problems.append(f"job {job}: {folder / RUNS} is unreadable ({exc}); left out")
        return None


def _read_consolidated(root: Path, problems: list[str]) -> pd.DataFrame | None:
    path = root / RUNS
    if not path.exists() or (root / MANIFEST).exists():
        return None
    try:
        return pq.read_table(path).to_pandas()
    except (OSError, ValueError) as exc:
        problems.append(f"{path} is unreadable ({exc}); reading the job folders instead")
        return None


def _override_keys(manifests) -> list[str]:
    """Overridden config keys across all jobs, in first-seen order, without presets and launchers."""
    keys: dict[str, None] = {}
    for manifest in manifests:
        for override in manifest.get("overrides") or []:
            key = override.lstrip("+~").partition("=")[0]
            if key.split("/")[0].split(".")[0] not in (*PRESET_COLUMNS, *_NOT_SCENARIO_KEYS):
                keys[key] = None
    return list(keys)


def _with_design(runs: pd.DataFrame, job: int, manifest: dict[str, Any], keys: list[str]) -> pd.DataFrame:
    """Add the job number, its preset names and its value of every swept key (as ``sweep.collect``)."""
    config = manifest["config"]
    given = dict(o.lstrip("+~").partition("=")[::2] for o in manifest.get("overrides") or [])
    tags: dict[str, Any] = {"job": job}
    tags.update({group: str((config.get(group) or {}).get("name", "")) for group in PRESET_COLUMNS})
    tags.update({key: resolved_value(config, key, given.get(key)) for key in keys})
    return pd.concat([pd.DataFrame({k: [v] * len(runs) for k, v in tags.items()}, index=runs.index), runs],
                     axis=1)


def resolved_value(config: dict[str, Any], key: str, given: str | None) -> Any:
    """The value a job ran with for a dotted key: from its resolved config, else as overridden.

    Mappings and lists become sorted JSON text, so that a column holds one type.
    """
    node: Any = config
    try:
        for part in key.split("."):
            node = node[int(part)] if isinstance(node, list) else node[part]
    except (KeyError, IndexError, ValueError, TypeError):
        node = yaml.safe_load(given) if given is not None else None
    return json.dumps(node, sort_keys=True) if isinstance(node, dict | list) else node


def concat_jobs(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack jobs' tables; a swept key whose values mix types becomes text."""
    if not frames:
        return pd.DataFrame()
    df = pd.concat(frames, ignore_index=True)
    for col in df.columns:
        if df[col].dtype == object and df[col].map(type).nunique() > 1:
            df[col] = df[col].map(str)  # a swept key with values of mixed types
    return df
