"""Sweeps: plan the jobs of a Hydra multirun, skip finished ones, consolidate into one table.

A sweep folder holds one folder per job (``0/``, ``1/``, ...); :mod:`deterrence_sim.folders` says
what is in them. :func:`collect` builds the sweep's consolidated ``runs.parquet`` and
``daily.parquet`` (every job's rows, with the chosen presets and every overridden value as
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

from deterrence_sim.folders import (
    DAILY,
    DAMAGED,
    FAILURE,
    FINISHED,
    MULTIRUN,
    RUNS,
    JobFolder,
    SweepError,
    concat_jobs,
    finished_manifest,
    job_designs,
    job_folders,
    load_tables,
    not_a_sweep,
    read_job,
    with_design,
)
from deterrence_sim.outputs import write_atomic, write_parquet

__all__ = ["FAILURE", "Collected", "ConsolidateSweep", "SweepError", "collect", "finished_manifest",
           "sweep_name", "write_collected"]


@dataclass
class Collected:
    """A sweep's consolidated tables and the status of each job folder."""

    runs: pd.DataFrame
    daily: pd.DataFrame
    jobs: pd.DataFrame      # job, status (finished/failed/damaged/unfinished), overrides, error


def collect(sweep_dir: Path | str, warn=None, argument: str = "sweep_dir") -> Collected:
    """Consolidate every finished job of a sweep (partial or complete) into tidy tables.

    Damaged jobs (a missing or truncated file, a manifest whose checksums do not match) are
    reported through ``warn`` (default: a line on stderr), one line each naming the job and the
    file, and left out; every intact row is kept. A folder that is not a sweep raises
    :class:`SweepError` naming ``argument``.
    """
    sweep_dir = Path(sweep_dir)
    warn = warn or (lambda msg: print(f"deterrence-sim: warning: {msg}", file=sys.stderr))
    if not sweep_dir.is_dir():
        raise not_a_sweep(argument, sweep_dir, "no such folder")
    folders = job_folders(sweep_dir)
    if not folders and not (sweep_dir / MULTIRUN).exists():
        raise not_a_sweep(argument, sweep_dir, f"not a sweep (no {MULTIRUN} and no job folders)")
    jobs, tables = [], {}
    for number, folder in folders.items():
        job, tables[number] = load_tables(read_job(folder, number))
        jobs.append(job)
        if job.status == DAMAGED:
            warn(f"{job.problem}; left out")
    designs = job_designs({job.number: job.manifest for job in jobs if job.status == FINISHED})
    return Collected(_stack(tables, designs, RUNS), _stack(tables, designs, DAILY), _status_table(jobs))


def _stack(tables: dict[int, dict[str, pd.DataFrame]], designs: dict[int, dict[str, Any]],
           name: str) -> pd.DataFrame:
    """Every finished job's rows of table ``name``, with the job's design columns in front."""
    return concat_jobs([with_design(tables[job][name], design) for job, design in designs.items()])


def _status_table(jobs: list[JobFolder]) -> pd.DataFrame:
    """One row per job folder: job, status, overrides, error (what ``failures.csv`` lists)."""
    rows = [(job.number, job.status, " ".join(job.overrides), job.error) for job in jobs]
    return pd.DataFrame(rows, columns=["job", "status", "overrides", "error"])


def write_collected(sweep_dir: Path | str, collected: Collected) -> None:
    """Write the consolidated tables, the failures table and a summary into the sweep folder."""
    sweep_dir = Path(sweep_dir)
    meta = {"sweep": str(sweep_dir.name)}
    write_parquet(collected.runs, sweep_dir / RUNS, meta)
    write_parquet(collected.daily, sweep_dir / DAILY, meta)
    failures = collected.jobs[collected.jobs["status"] != FINISHED]
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
              + f"; {len(collected.runs):,} replications in {sweep_dir / RUNS}")


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
