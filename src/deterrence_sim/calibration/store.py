"""The folder of a calibration: one sub-folder per finished generation, written atomically.

::

    OUT/abc.json                        settings (written first; a resumed run must match them)
    OUT/generations/000/particles.parquet   parameters, weight, distance (float64), one row a particle
    OUT/generations/000/generation.json     epsilon, simulations, acceptance rate, ESS, seconds and
                                            the SHA-256 of particles.parquet; written last
    OUT/trace.parquet                   one row per finished generation (rewritten after each)
    OUT/posterior.parquet               the last generation's particles, at the end
    OUT/result.json                     why the run stopped; written last of all

Every file is written to a temporary name in its folder and renamed (``os.replace``), so a file
is either complete or absent. A generation is finished when its ``generation.json`` exists and
its particles match the checksum; an interrupted run keeps every finished generation intact.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

SETTINGS, TRACE, POSTERIOR, RESULT = "abc.json", "trace.parquet", "posterior.parquet", "result.json"
PARTICLES, GENERATION = "particles.parquet", "generation.json"

TRACE_COLUMNS = ("generation", "epsilon", "acceptance_rate", "simulations", "ess", "seconds")
"""Columns of the trace: all reproducible bit for bit except ``seconds`` (wall time)."""


@dataclass(frozen=True)
class Generation:
    """One finished population of particles.

    Attributes
    ----------
    number : int
        0 for the population drawn from the prior.
    theta : ndarray, shape (particles, parameters)
    weights : ndarray, shape (particles,)
        Normalised importance weights.
    distances : ndarray, shape (particles,)
    epsilon : float
        The tolerance the particles were accepted at (``inf`` for generation 0).
    simulations : int
        Particles simulated to accept these (the accepted ones and the rejected ones).
    seconds : float
        Wall time of the generation.
    """

    number: int
    theta: np.ndarray
    weights: np.ndarray
    distances: np.ndarray
    epsilon: float
    simulations: int
    seconds: float

    @property
    def acceptance_rate(self) -> float:
        """Accepted particles per simulated particle."""
        return self.weights.size / self.simulations

    @property
    def ess(self) -> float:
        """Effective sample size of the weights, 1 / sum w^2 (Kish)."""
        return float(1.0 / np.sum(self.weights ** 2))

    def frame(self, names: tuple[str, ...]) -> pd.DataFrame:
        """The particles as a table: one column per parameter, then ``weight`` and ``distance``."""
        table = pd.DataFrame(self.theta, columns=list(names))
        table["weight"] = self.weights
        table["distance"] = self.distances
        return table

    def trace_row(self) -> dict[str, Any]:
        """This generation's row of the trace."""
        return {"generation": self.number, "epsilon": self.epsilon, "acceptance_rate": self.acceptance_rate,
                "simulations": self.simulations, "ess": self.ess, "seconds": self.seconds}


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file in the same folder, then rename: never a half file."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_table(df: pd.DataFrame, path: Path, meta: dict[str, Any]) -> None:
    """Write a table to Parquet atomically, with ``meta`` as JSON in the schema metadata."""
    table = pa.Table.from_pandas(df, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                           b"deterrence_sim": json.dumps(meta, sort_keys=True).encode()})
    write_atomic(path, lambda tmp: pq.write_table(table, tmp))


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write JSON atomically (infinite floats as null)."""
    text = json.dumps(_finite(data), indent=2, sort_keys=True) + "\n"
    write_atomic(path, lambda tmp: tmp.write_text(text))


def as_json(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` as it reads back from JSON (tuples as lists, infinite floats as None)."""
    return json.loads(json.dumps(_finite(data), sort_keys=True))


def read_json(path: Path) -> dict[str, Any]:
    """Read a JSON file written by :func:`write_json`."""
    return json.loads(path.read_text())


def generation_dir(out: Path, number: int) -> Path:
    """The folder of generation ``number``."""
    return out / "generations" / f"{number:03d}"


def write_generation(out: Path, gen: Generation, names: tuple[str, ...], meta: dict[str, Any]) -> None:
    """Write a finished generation: its particles, then (last) its summary with their checksum."""
    folder = generation_dir(out, gen.number)
    folder.mkdir(parents=True, exist_ok=True)
    write_table(gen.frame(names), folder / PARTICLES, {**meta, "generation": gen.number})
    summary = {**gen.trace_row(), "sha256": _sha256(folder / PARTICLES)}
    write_json(folder / GENERATION, summary)


def read_generations(out: Path, names: tuple[str, ...]) -> list[Generation]:
    """The finished generations 0, 1, ... in order, up to the first missing or damaged one."""
    found = []
    while True:
        folder = generation_dir(out, len(found))
        try:
            summary = read_json(folder / GENERATION)
            if summary["sha256"] != _sha256(folder / PARTICLES):
                break
            table = pq.read_table(folder / PARTICLES).to_pandas()
        except (OSError, ValueError, KeyError, pa.ArrowException):
            break
        if list(table.columns) != [*names, "weight", "distance"]:
            break
        epsilon = np.inf if summary["epsilon"] is None else float(summary["epsilon"])
        columns = [table[c].to_numpy(dtype=float) for c in (list(names), "weight", "distance")]
        found.append(Generation(len(found), *columns, epsilon, int(summary["simulations"]),
                                float(summary["seconds"])))
    return found


def trace_frame(generations: list[Generation]) -> pd.DataFrame:
    """The trace: one row per generation, the columns of :data:`TRACE_COLUMNS`."""
    rows = [g.trace_row() for g in generations]
    return pd.DataFrame(rows, columns=list(TRACE_COLUMNS)).astype(
        {"generation": "int64", "simulations": "int64", "epsilon": "float64", "acceptance_rate": "float64",
         "ess": "float64", "seconds": "float64"})


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _finite(obj: Any) -> Any:
    if isinstance(obj, float) and not np.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v) for v in obj]
    return obj
