"""The layout of a sweep folder on disk: job folders, manifests, failure records, design columns.

A sweep folder holds one folder per job (``0/``, ``1/``, ...). A finished job has ``runs.parquet``,
``daily.parquet`` and, written last, ``manifest.json`` (its resolved ``config``, its ``overrides``
and the SHA-256 of each table under ``files``); a failed job has ``failure.json`` instead. Hydra
writes ``multirun.yaml`` at the top, and consolidation adds ``runs.parquet`` and ``daily.parquet``
with every job's rows. This module only reads files (no model, no Mesa, no Hydra), so both the
sweep commands (:mod:`deterrence_sim.sweep`) and the analysis (:mod:`deterrence_sim.analysis`) use it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

RUNS = "runs.parquet"
DAILY = "daily.parquet"
TRACES = "traces.parquet"
MANIFEST = "manifest.json"
FAILURE = "failure.json"
MULTIRUN = "multirun.yaml"
HYDRA_OVERRIDES = Path(".hydra") / "overrides.yaml"
"""Where Hydra records a job's overrides when the job starts (before anything of ours is written)."""
JOB_TABLES = (RUNS, DAILY)
"""The tables every finished job writes, in its folder and, consolidated, at the top of the sweep."""

PRESET_COLUMNS = ("theater", "attack", "monitoring", "guarantee")
"""Config groups whose preset name becomes a column of a sweep table."""

KEEP = "calibration.keep"
"""The override that lists the parameters one has set (added by ``api.expand_overrides``): they
keep their value where the calibration's posterior names them; not a design column."""
_NOT_SCENARIO_KEYS = ("experiment", "hydra", KEEP)  # overrides that say how, not what, was run

FINISHED, FAILED, DAMAGED, UNFINISHED = "finished", "failed", "damaged", "unfinished"


SWEEP_FOLDER = "a sweep folder (job folders 0/, 1/, ... written by deterrence-sim -m) or a run's folder"
"""What a command or function that reads a sweep accepts, for error messages."""


class SweepError(ValueError):
    """The folder is not a sweep, or nothing in it can be read; one-line message."""


def not_a_sweep(argument: str, path: Path | str, why: str, allowed: str = SWEEP_FOLDER) -> SweepError:
    """The one-line error for a folder that cannot be read as a sweep.

    Examples
    --------
    >>> str(not_a_sweep("SWEEP_DIR", "multirun/x", "no such folder"))  # doctest: +ELLIPSIS
    "SWEEP_DIR: invalid value 'multirun/x': no such folder; allowed: a sweep folder (job folders 0/, ..."
    """
    return SweepError(f"{argument}: invalid value '{path}': {why}; allowed: {allowed}")


@dataclass(frozen=True)
class JobFolder:
    """One job folder of a sweep, checked: what state the job is in and, if unusable, why.

    Attributes
    ----------
    number : int
        The job's number (its folder's name).
    path : Path
        The job's folder.
    status : str
        ``"finished"`` (manifest and tables intact), ``"failed"`` (it left ``failure.json``),
        ``"damaged"`` (a file is missing, unreadable or does not match the manifest) or
        ``"unfinished"`` (no manifest yet).
    manifest : dict or None
        The parsed manifest, when it is readable (also for a damaged job whose tables are not).
    problem : str
        For a job that is not finished, one line naming the job and the file at fault.
    overrides : tuple of str
        The overrides the job ran with (finished) or tried (failed, damaged, unfinished): from its
        manifest or failure record, else from Hydra's record of the job.
    error : str
        Why a job is not finished: the error of a failed job, the problem of a damaged or
        unfinished one (``problem`` without the job's number).
    """

    number: int
    path: Path
    status: str
    manifest: dict[str, Any] | None = None
    problem: str = ""
    overrides: tuple[str, ...] = ()
    error: str = ""


def job_folders(sweep_dir: Path) -> dict[int, Path]:
    """The job folders (``0/``, ``1/``, ...) of a sweep folder, by job number in order."""
    folders = {int(p.name): p for p in sweep_dir.iterdir() if p.is_dir() and p.name.isdigit()}
    return dict(sorted(folders.items()))


def read_job(folder: Path, number: int | None = None, tables: Sequence[str] = JOB_TABLES) -> JobFolder:
    """Check one job folder: its manifest, the checksums of ``tables``, or its failure record.

    Parameters
    ----------
    folder : Path
        The job's folder.
    number : int, optional
        The job's number, for messages (default: the folder's name).
    tables : sequence of str, default ``JOB_TABLES``
        The tables that must be intact for the job to count as finished (the ones the caller reads).

    Returns
    -------
    JobFolder
        Finished when the manifest is readable and every table matches its SHA-256; otherwise
        failed, damaged or unfinished, with a one-line ``problem``.
    """
    number = int(folder.name) if number is None else number
    manifest, problem = _read_manifest(folder, number)
    if manifest is not None:
        problem = _damage(folder, number, manifest, tables)
        if not problem:
            overrides = tuple(manifest.get("overrides") or ())
            return JobFolder(number, folder, FINISHED, manifest, overrides=overrides)
    if (folder / FAILURE).exists():  # the latest attempt failed, whatever an older manifest says
        return _read_failure(folder, number)
    status = DAMAGED if (folder / MANIFEST).exists() else UNFINISHED
    overrides = tuple((manifest or {}).get("overrides") or ()) or hydra_overrides(folder)
    return JobFolder(number, folder, status, manifest, problem, overrides, _cause(problem, number))


def hydra_overrides(folder: Path) -> tuple[str, ...]:
    """The overrides Hydra recorded for a job when it started (``.hydra/overrides.yaml``), or ()."""
    try:
        recorded = yaml.safe_load((folder / HYDRA_OVERRIDES).read_text())
    except (OSError, yaml.YAMLError):
        return ()
    return tuple(map(str, recorded)) if isinstance(recorded, list) else ()


def _cause(problem: str, number: int) -> str:
    """A job's problem without the leading ``job N: `` (for a table that has a job column)."""
    return problem.removeprefix(f"job {number}: ")


def finished_manifest(folder: Path) -> dict[str, Any] | None:
    """The job's manifest if the job finished and its tables are intact, else None."""
    job = read_job(folder)
    return job.manifest if job.status == FINISHED else None


def load_tables(job: JobFolder,
                tables: Sequence[str] = JOB_TABLES) -> tuple[JobFolder, dict[str, pd.DataFrame]]:
    """Read a finished job's tables; a table that cannot be read makes the job damaged.

    Parameters
    ----------
    job : JobFolder
        A job as :func:`read_job` found it.
    tables : sequence of str, default ``JOB_TABLES``
        The tables to read.

    Returns
    -------
    job : JobFolder
        ``job``, or a damaged copy whose ``problem`` names the unreadable table.
    frames : dict of str to DataFrame
        The tables by file name; empty unless the job is (still) finished.
    """
    if job.status != FINISHED:
        return job, {}
    frames: dict[str, pd.DataFrame] = {}
    for name in tables:
        try:
            frames[name] = pd.read_parquet(job.path / name)
        except (OSError, ValueError) as exc:
            problem = f"job {job.number}: {job.path / name} is unreadable ({_say(exc)})"
            return dataclasses.replace(job, status=DAMAGED, problem=problem,
                                       error=_cause(problem, job.number)), {}
    return job, frames


def job_designs(manifests: Mapping[int, dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Each job's design columns: ``job``, the preset names and its value of every swept key.

    A key is swept if any of the jobs overrode it (in first-seen order), except preset choices
    (``attack=cautious``), the experiment and Hydra's own settings; each job gets the value it
    ran with, from its resolved config (see :func:`resolved_value`), so all jobs have the same
    columns.

    Parameters
    ----------
    manifests : mapping of int to dict
        The manifests of the jobs, by job number.

    Returns
    -------
    dict of int to dict
        Column name to value, by job number.

    Examples
    --------
    >>> config = {"theater": {"name": "t"}, "attack": {"name": "a", "temperature": 0.3}}
    >>> overrides = ["attack=a", "attack.temperature=0.30", "hydra/launcher=joblib"]
    >>> job_designs({4: {"config": config, "overrides": overrides}})[4]
    {'job': 4, 'theater': 't', 'attack': 'a', 'monitoring': '', 'guarantee': '', 'attack.temperature': 0.3}
    """
    keys = list(dict.fromkeys(key for m in manifests.values() for key in _overrides(m) if _is_swept(key)))
    return {job: _design(job, m, keys) for job, m in manifests.items()}


def with_design(df: pd.DataFrame, design: dict[str, Any]) -> pd.DataFrame:
    """``df`` with the job's design columns (from :func:`job_designs`) in front, one value per row."""
    tags = pd.DataFrame({k: [v] * len(df) for k, v in design.items()}, index=df.index)
    return pd.concat([tags, df], axis=1)


def resolved_value(config: dict[str, Any], key: str, given: str | None) -> Any:
    """The value a job ran with for a dotted key: from its resolved config, else as overridden.

    Mappings and lists become sorted JSON text, so that a column holds one type.

    Examples
    --------
    >>> resolved_value({"attack": {"temperature": 0.3}}, "attack.temperature", "0.30")
    0.3
    >>> resolved_value({}, "sim.weights", "{b: 1, a: 2}")
    '{"a": 2, "b": 1}'
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


def _read_manifest(folder: Path, number: int) -> tuple[dict[str, Any] | None, str]:
    """The job's manifest and "", or None and why it cannot be used (one line naming the file)."""
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text())
        missing = [key for key in ("config", "files") if not isinstance(manifest.get(key), dict)]
        if missing:
            raise ValueError(f"no {missing[0]!r} in it")
    except FileNotFoundError:
        return None, f"job {number}: unfinished ({path} is missing)"
    except (OSError, ValueError, AttributeError) as exc:
        return None, f"job {number}: {path} is unreadable ({_say(exc)})"
    return manifest, ""


def _damage(folder: Path, number: int, manifest: dict[str, Any], tables: Sequence[str]) -> str:
    """"" if every table is the file the manifest hashed, else one line on the first that is not."""
    for name in tables:
        path = folder / name
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except FileNotFoundError:
            return f"job {number}: {path} is missing"
        except OSError as exc:
            return f"job {number}: {path} is unreadable ({_say(exc)})"
        if digest != manifest["files"].get(name):
            return f"job {number}: {path} does not match its manifest (truncated or modified)"
    return ""


def _read_failure(folder: Path, number: int) -> JobFolder:
    """A failed job from its ``failure.json`` (damaged if that record is unreadable)."""
    path = folder / FAILURE
    try:
        record = json.loads(path.read_text())
        overrides, error = tuple(record["overrides"]), str(record["error"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        problem = f"job {number}: {path} is unreadable ({_say(exc)})"
        return JobFolder(number, folder, DAMAGED, problem=problem, overrides=hydra_overrides(folder),
                         error=_cause(problem, number))
    problem = f"job {number}: failed ({' '.join(error.split())}; details in {path})"
    return JobFolder(number, folder, FAILED, problem=problem, overrides=overrides, error=error)


def _overrides(manifest: dict[str, Any]) -> dict[str, str]:
    """The job's overrides as key to given value (``+key=value``, ``~key`` and ``key=value`` alike)."""
    return dict(item.lstrip("+~").partition("=")[::2] for item in manifest.get("overrides") or [])


def _is_swept(key: str) -> bool:
    """True for a key whose value becomes a column: not a preset choice, the experiment or Hydra's."""
    group = key.split("/")[0]
    return group not in (*PRESET_COLUMNS, *_NOT_SCENARIO_KEYS) and group.split(".")[0] != "hydra"


def _design(job: int, manifest: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    """The job number, its preset names and its resolved value of each key."""
    config = manifest["config"]
    given = _overrides(manifest)
    design: dict[str, Any] = {"job": job}
    design.update({group: str((config.get(group) or {}).get("name", "")) for group in PRESET_COLUMNS})
    design.update({key: resolved_value(config, key, given.get(key)) for key in keys})
    return design


def _say(exc: Exception) -> str:
    """An exception as one line: its type and message."""
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"
