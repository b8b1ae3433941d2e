"""Sweeps: plan the jobs of a Hydra multirun, skip finished ones, consolidate into one table.

A sweep folder holds one folder per job (``0/``, ``1/``, ...). A finished job has
``runs.parquet``, ``daily.parquet`` and, written last, ``manifest.json`` with the tables' SHA-256;
a failed job has ``failure.json``. :func:`collect` builds the sweep's consolidated ``runs.parquet``
and ``daily.parquet`` (every job's rows, with the chosen presets and every overridden value as
columns), ``failures.csv`` and ``sweep.json``, from a partial or finished sweep at any time.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from deterrence_sim.analysis.sweeps import concat_jobs, resolved_value
from deterrence_sim.outputs import MANIFEST, write_atomic, write_parquet

GROUPS = ("theater", "attack", "monitoring", "guarantee")
FAILURE = "failure.json"


class SweepError(ValueError):
    """The folder is not a sweep, or nothing in it can be collected; one-line message."""


@dataclass
class Collected:
    """A sweep's consolidated tables and the status of each job folder."""

    runs: pd.DataFrame
    daily: pd.DataFrame
    jobs: pd.DataFrame      # job, status (finished/failed/damaged/unfinished), overrides, error


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def finished_manifest(job_dir: Path) -> dict[str, Any] | None:
    """The job's manifest if the job finished and its tables are intact, else None."""
    try:
        manifest = json.loads((job_dir / MANIFEST).read_text())
        intact = all(_sha256(job_dir / name) == digest
                     for name, digest in manifest["files"].items())
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return manifest if intact else None


def choice_columns(manifest: dict[str, Any]) -> dict[str, Any]:
    """The job's presets and the resolved value of every key it overrode."""
    config = manifest["config"]
    columns: dict[str, Any] = {g: config[g]["name"] for g in GROUPS}
    for item in manifest.get("overrides", []):
        key, _, value = item.lstrip("+~").partition("=")
        if key.split("/")[0] in (*GROUPS, "experiment", "hydra") or key.startswith("hydra."):
            continue
        columns[key] = resolved_value(config, key, value)
    return columns


def _job_dirs(sweep_dir: Path) -> list[Path]:
    return sorted((p for p in sweep_dir.iterdir() if p.is_dir() and p.name.isdigit()),
                  key=lambda p: int(p.name))


def _tag(df: pd.DataFrame, job: int, columns: dict[str, Any]) -> pd.DataFrame:
    tags = pd.DataFrame({"job": job, **{k: [v] * len(df) for k, v in columns.items()}},
                        index=df.index)
    return pd.concat([tags, df], axis=1)


def collect(sweep_dir: Path | str, warn=None) -> Collected:
    """Consolidate every finished job of a sweep (partial or complete) into tidy tables.

    Damaged jobs (a missing or truncated file, a manifest whose checksums do not match) are
    reported through ``warn`` (default: a line on stderr) and left out; every intact row is kept.
    """
    sweep_dir = Path(sweep_dir)
    warn = warn or (lambda msg: print(f"deterrence-sim: warning: {msg}", file=sys.stderr))
    if not sweep_dir.is_dir():
        raise SweepError(f"{sweep_dir}: no such sweep folder")
    jobs = _job_dirs(sweep_dir)
    if not jobs and not (sweep_dir / "multirun.yaml").exists():
        raise SweepError(f"{sweep_dir}: not a sweep folder (no multirun.yaml and no job folders)")
    runs, daily, status = [], [], []
    for job_dir in jobs:
        job = int(job_dir.name)
        manifest = finished_manifest(job_dir)
        if manifest is not None:
            try:
                job_runs = pd.read_parquet(job_dir / "runs.parquet")
                job_daily = pd.read_parquet(job_dir / "daily.parquet")
            except (OSError, ValueError) as exc:
                manifest = None
                warn(f"{job_dir}: damaged job left out ({type(exc).__name__})")
        if manifest is not None:
            columns = choice_columns(manifest)
            runs.append(_tag(job_runs, job, columns))
            daily.append(_tag(job_daily, job, columns))
            status.append({"job": job, "status": "finished",
                           "overrides": " ".join(manifest["overrides"]), "error": ""})
        elif (job_dir / FAILURE).exists():
            failure = json.loads((job_dir / FAILURE).read_text())
            status.append({"job": job, "status": "failed",
                           "overrides": " ".join(failure["overrides"]), "error": failure["error"]})
        elif (job_dir / MANIFEST).exists():
            warn(f"{job_dir}: damaged job left out (its files do not match its manifest)")
            status.append({"job": job, "status": "damaged", "overrides": "", "error": ""})
        else:
            status.append({"job": job, "status": "unfinished", "overrides": "", "error": ""})
    jobs_table = pd.DataFrame(status, columns=["job", "status", "overrides", "error"])
    return Collected(concat_jobs(runs), concat_jobs(daily), jobs_table)


def write_collected(sweep_dir: Path | str, collected: Collected) -> None:
    """Write the consolidated tables, the failures table and a summary into the sweep folder."""
    sweep_dir = Path(sweep_dir)
    meta = {"sweep": str(sweep_dir.name)}
    write_parquet(collected.runs, sweep_dir / "runs.parquet", meta)
    write_parquet(collected.daily, sweep_dir / "daily.parquet", meta)
    failures = collected.jobs[collected.jobs["status"] != "finished"]
    write_atomic(sweep_dir / "failures.csv", lambda tmp: failures.to_csv(tmp, index=False))
    counts = collected.jobs["status"].value_counts().to_dict()
    summary = {"jobs": len(collected.jobs), **{k: int(v) for k, v in counts.items()},
               "replications": len(collected.runs)}
    text = json.dumps(summary, indent=2, sort_keys=True) + "\n"
    write_atomic(sweep_dir / "sweep.json", lambda tmp: tmp.write_text(text))


class ConsolidateSweep(Callback):
    """Hydra callback: at the end of a multirun, consolidate the sweep folder."""

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        sweep_dir = Path(config.hydra.sweep.dir)
        collected = collect(sweep_dir)
        write_collected(sweep_dir, collected)
        counts = collected.jobs["status"].value_counts().to_dict()
        print(f"sweep {sweep_dir}: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
              + f"; {len(collected.runs):,} replications in {sweep_dir / 'runs.parquet'}")


def sweep_name(overrides: list[str]) -> str:
    """A stable folder name for a sweep command: the experiment's name, or a hash of the overrides.

    Re-running the same command finds the same folder, so it resumes instead of starting over.

    Examples
    --------
    >>> sweep_name(["+experiment=paris_2026"])
    'paris_2026'
    >>> sweep_name(["a=1,2", "b=x"]) == sweep_name(["b=x", "a=1,2"])
    True
    """
    for item in overrides:
        match = re.fullmatch(r"\+?experiment=([\w-]+)", item)
        if match:
            return match.group(1)
    digest = hashlib.sha256("\n".join(sorted(overrides)).encode()).hexdigest()[:10]
    return f"sweep-{digest}"
