"""Writing a run's outputs: Parquet tables and a manifest, atomically (I/O at the edge).

One process at a time writes into a folder: :func:`hold_folder` takes an operating-system lock
(``fcntl.flock``) that is released when the process ends, however it ends, so a killed run never
leaves a stale lock. Every temporary file has a name of its own writer (process id and a random
part), so two writers can never rename each other's half-written files into place.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import platform
import subprocess
import time
import uuid
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from deterrence_sim.calibration.posterior import load_posterior
from deterrence_sim.config import config_dict
from deterrence_sim.folders import DAILY, FAILURE, MANIFEST, RUNS, TRACES
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


LOCK = ".deterrence-sim.lock"
"""The lock file of a folder being written by a run or a sweep; it holds the writer's process id."""


class FolderInUse(Exception):
    """Another process holds the folder's lock (``pid``: its process id, "" if not known yet)."""

    def __init__(self, folder: Path, pid: str) -> None:
        super().__init__(f"{folder} is in use by process {pid or '(unknown)'}")
        self.folder, self.pid = folder, pid


def hold_folder(folder: Path) -> IO[str]:
    """Lock ``folder`` for this process: the lock lasts until the returned file is closed or the
    process ends (the operating system releases it even after ``kill -9``).

    Raises
    ------
    FolderInUse
        At once, without waiting, if another process holds the lock.
    """
    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / LOCK, "a+")  # held open: the lock lives as long as the file
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        pid = _holder(handle)
        handle.close()
        raise FolderInUse(folder, pid) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


def _holder(handle: IO[str], wait_s: float = 1.0) -> str:
    """The process id written in a held lock file (the holder writes it just after locking)."""
    deadline = time.monotonic() + wait_s
    while True:
        handle.seek(0)
        pid = handle.read().strip()
        if pid or time.monotonic() > deadline:
            return pid
        time.sleep(0.02)


def start_outputs(out_dir: Path) -> None:
    """Mark ``out_dir`` unfinished before its outputs are (re)written: remove its manifest and any
    failure record, so that a run stopped at any point never looks finished."""
    for name in (MANIFEST, FAILURE):
        (out_dir / name).unlink(missing_ok=True)


def write_atomic(path: Path, write) -> None:
    """Write through a temporary file in the same folder, then rename: never a half file.

    The temporary name is this writer's own (``.NAME.PID-RANDOM.tmp``).
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")
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

    The manifest is removed first and written only once the tables are complete, so its presence
    marks a finished run. Tables carry the config, seed and version in their Parquet metadata too.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    start_outputs(out_dir)
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
    if result.config.calibration.posterior:     # which posterior, to the byte
        manifest["calibration_sha256"] = load_posterior(result.config.calibration.posterior).sha256
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    write_atomic(out_dir / MANIFEST, lambda tmp: tmp.write_text(text))
    return out_dir / MANIFEST
