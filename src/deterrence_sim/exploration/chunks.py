"""Chunks of an exploration on disk: run one, tell a finished one, read them all back.

Chunk ``c`` writes ``chunks/<c>.parquet`` (one row per point and replication, as
``deterrence_sim.evaluate`` returns them, with the design's name in front) and then, last,
``chunks/<c>.json``: the plan's digest, the code's version and revision, the point range and the
SHA-256 of the table. A chunk counts as finished only if that record matches the plan and the code
and the table matches its checksum, as a sweep's jobs do (:mod:`deterrence_sim.folders`); anything
else is run again. Every chunk writes only its own files, so local workers and launcher jobs can
run chunks at the same time.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd

from deterrence_sim.config import ScenarioConfig
from deterrence_sim.exploration.plan import DESIGN_COLUMN, Chunk
from deterrence_sim.outputs import write_atomic, write_parquet
from deterrence_sim.simulation import Progress, evaluate_points

CHUNKS = "chunks"


def chunk_files(folder: Path, number: int) -> tuple[Path, Path]:
    """The table and the record of chunk ``number``."""
    stem = folder / CHUNKS / f"{number:05d}"
    return stem.with_suffix(".parquet"), stem.with_suffix(".json")


def run_chunk(folder: Path, chunk: Chunk, scenario: ScenarioConfig, points: pd.DataFrame,
              replications_per_point: int, plan_digest: str, code: dict[str, Any],
              progress: Progress | None = None) -> dict[str, Any]:
    """Evaluate the chunk's points under its design and write its table, then its record.

    Parameters
    ----------
    folder : Path
        The exploration's folder.
    chunk : Chunk
    scenario : ScenarioConfig
        The chunk's design's scenario.
    points : DataFrame
        The whole design's points (the chunk takes rows ``start:stop``).
    replications_per_point : int
    plan_digest : str
    code : dict
        ``versions`` and ``git_revision`` of the code that runs it.
    progress : callable, optional
        ``progress(done, total)`` in replication-days of this chunk.

    Returns
    -------
    dict
        The chunk's record (what ``chunks/<c>.json`` holds).
    """
    table, record_path = chunk_files(folder, chunk.number)
    table.parent.mkdir(parents=True, exist_ok=True)
    record_path.unlink(missing_ok=True)      # unfinished from here until the new record is written
    start = time.monotonic()
    runs = evaluate_points(scenario, points.iloc[chunk.start:chunk.stop].reset_index(drop=True),
                           replications_per_point, progress)
    runs["point"] += chunk.start
    runs.insert(0, DESIGN_COLUMN, chunk.design)
    write_parquet(runs, table, {"chunk": chunk.number, "plan": plan_digest})
    record = {**asdict(chunk), "plan": plan_digest, "rows": len(runs),
              "sha256": hashlib.sha256(table.read_bytes()).hexdigest(),
              "seconds": round(time.monotonic() - start, 3), **code}
    text = json.dumps(record, indent=2, sort_keys=True) + "\n"
    write_atomic(record_path, lambda tmp: tmp.write_text(text))
    return record


def finished_chunk(folder: Path, chunk: Chunk, plan_digest: str, code: dict[str, Any]) -> dict | None:
    """The chunk's record if it finished under this plan and code and its table is intact, else None."""
    table, record_path = chunk_files(folder, chunk.number)
    try:
        record = json.loads(record_path.read_text())
        intact = hashlib.sha256(table.read_bytes()).hexdigest() == record["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    same = (record.get("plan") == plan_digest and record.get("number") == chunk.number
            and all(record.get(key) == value for key, value in code.items()))
    return record if intact and same else None


def read_chunks(folder: Path, chunks: list[Chunk]) -> pd.DataFrame:
    """Every chunk's rows in chunk order: by design (in the order given), point and replication."""
    frames = [pd.read_parquet(chunk_files(folder, c.number)[0]) for c in chunks]
    runs = pd.concat(frames, ignore_index=True)
    horizon = frames[0].attrs.get("horizon_days") if frames else None
    if horizon is not None:
        runs.attrs["horizon_days"] = horizon
    return runs
