"""Writing a run's outputs: Parquet tables and a manifest, atomically (I/O at the edge)."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from deterrence_sim.config import config_dict
from deterrence_sim.folders import DAILY, MANIFEST, RUNS, TRACES
from deterrence_sim.results import SimulationResult

PACKAGES = ("deterrence-sim", "mesa", "hydra-core", "omegaconf", "numpy", "scipy", "pandas",
            "pyarrow")


def versions() -> dict[str, str]:
    """Versions of Python and of the packages that shape the results."""
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def git_revision() -> str | None:
    """The source checkout's commit (with ``-dirty`` if modified), or None outside a checkout."""
    here = Path(__file__).resolve().parent
    try:
        rev = subprocess.run(["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(here), "status", "--porcelain", "--", "."],
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{rev}-dirty" if dirty else rev


def write_atomic(path: Path, write) -> None:
    """Write through a temporary file in the same folder, then rename: never a half file."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_parquet(df, path: Path, meta: dict[str, Any]) -> None:
    """Write a table to Parquet, atomically, with ``meta`` as JSON in the schema metadata."""
    table = pa.Table.from_pandas(df, preserve_index=False)
    schema_meta = dict(table.schema.metadata or {})
    schema_meta[b"deterrence_sim"] = json.dumps(meta, sort_keys=True).encode()
    table = table.replace_schema_metadata(schema_meta)
    write_atomic(path, lambda tmp: pq.write_table(table, tmp))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_outputs(result: SimulationResult, out_dir: Path, overrides: Sequence[str] = ()) -> Path:
    """Write ``runs.parquet``, ``daily.parquet`` (and ``traces.parquet`` if the run traced
    replications) and, last, ``manifest.json`` into ``out_dir``.

    The manifest is written only once the tables are complete, so its presence marks a finished
    run. Tables carry the config, seed and version in their Parquet metadata too.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    config = config_dict(result.config)
    meta = {"config": config, "seed": result.config.sim.seed, "versions": versions()}
    files = {RUNS: result.runs, DAILY: result.daily}
    if not result.traces.empty:
        files[TRACES] = result.traces
    for name, df in files.items():
        write_parquet(df, out_dir / name, meta)
    manifest = {
        "config": config,
        "seed": result.config.sim.seed,
        "replications": result.config.sim.replications,
        "overrides": list(overrides),
        "versions": meta["versions"],
        "git_revision": git_revision(),
        "files": {name: _sha256(out_dir / name) for name in files},
    }
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    write_atomic(out_dir / MANIFEST, lambda tmp: tmp.write_text(text))
    return out_dir / MANIFEST
