"""Running an exploration: its folder, its chunks across local cores, and its consolidated outputs.

:func:`start` claims the folder and writes the plan into ``manifest.json`` (status ``running``) and
the points into ``design.parquet``; :func:`run_local` runs the unfinished chunks in worker processes
(joblib, as the joblib launcher runs a sweep's jobs), reporting progress with the time left; the
command line can instead hand them to a Hydra launcher (:mod:`deterrence_sim.exploration.cli`).
:func:`finish` stacks the chunks into ``runs.parquet`` and ``points.parquet``, writes
``indices.csv``, ``discovery.csv`` and the figures, and, last, the finished manifest with the
SHA-256 of every chunk and table. :func:`explore` is all of it for notebooks.
"""

from __future__ import annotations

import hashlib
import json
import signal
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from joblib import Parallel, delayed

from deterrence_sim.api import as_overrides, with_searchpath
from deterrence_sim.config import ConfigError
from deterrence_sim.exploration.chunks import chunk_files, finished_chunk, read_chunks, run_chunk
from deterrence_sim.exploration.plan import DESIGN_COLUMN, Chunk, Plan, make_plan
from deterrence_sim.folders import MANIFEST
from deterrence_sim.outputs import (
    FolderInUse,
    git_revision,
    hold_folder,
    versions,
    write_atomic,
    write_parquet,
)
from deterrence_sim.progress import Progress

KIND = "exploration"
DESIGN_FILE, RUNS_FILE, POINTS_FILE = "design.parquet", "runs.parquet", "points.parquet"
INDICES_FILE, DISCOVERY_FILE, FIGURES = "indices.csv", "discovery.csv", "figures"


def code_identity() -> dict[str, Any]:
    """The code a chunk was computed with: the package's version and the source revision."""
    return {"version": versions()["deterrence-sim"], "git_revision": git_revision()}


def check_folder(plan: Plan) -> None:
    """A folder that holds another exploration (another plan) is refused, so none is overwritten.

    Raises
    ------
    ConfigError
        Naming the folder and how to go on.
    """
    try:
        old = json.loads((plan.folder / MANIFEST).read_text())
    except FileNotFoundError:
        if plan.folder.is_dir() and any(p.name != ".deterrence-sim.lock" for p in plan.folder.iterdir()):
            raise ConfigError(f"explore.out: invalid value '{plan.folder}': the folder holds other files; "
                              "allowed: a new or empty folder, or an exploration's folder to resume "
                              "it") from None
        return
    except (OSError, ValueError):
        old = {}
    if not isinstance(old, dict) or old.get("kind") != KIND:
        raise ConfigError(f"explore.out: invalid value '{plan.folder}': it holds something else than an "
                          "exploration; allowed: a new or empty folder, or an exploration's folder to "
                          "resume it")
    if old.get("plan") != plan.digest:
        raise ConfigError(f"explore.out: invalid value '{plan.folder}': it holds another exploration (a "
                          "different config, scenario or design); allowed: the same command to resume it, "
                          "or another folder (explore.out=DIR)")


def start(plan: Plan, command: str) -> tuple[IO[str], dict[str, Any], list[Chunk]]:
    """Claim the folder (a lock held until the process ends), write the plan, find what is left.

    Returns the lock, the manifest and the unfinished chunks.

    Raises
    ------
    ConfigError
        If the folder holds another exploration.
    FolderInUse
        If another process is writing the folder.
    """
    check_folder(plan)
    lock = hold_folder(plan.folder)
    code = code_identity()
    todo = [c for c in plan.chunks if finished_chunk(plan.folder, c, plan.digest, code) is None]
    attempts = _earlier(plan.folder).get("attempts", [])
    attempts.append({"started": time.time(), "chunks_to_run": len(todo)})
    manifest = {"kind": KIND, "status": "running", **plan.describe(), "command": command,
                "versions": versions(), "git_revision": code["git_revision"], "started": time.time(),
                "attempts": attempts}
    design_path = plan.folder / DESIGN_FILE
    if not design_path.exists():
        points = plan.points.copy()
        points.attrs["design"] = plan.design.attrs["design"]
        write_parquet(points, design_path, {"plan": plan.digest})
    _write_manifest(plan.folder, manifest)
    return lock, manifest, todo


def _earlier(folder: Path) -> dict[str, Any]:
    """The manifest an earlier attempt left (its ``attempts``: when each started and ended), or {}."""
    try:
        return json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}


def _write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n"
    write_atomic(folder / MANIFEST, lambda tmp: tmp.write_text(text))


def run_local(plan: Plan, todo: list[Chunk], report: Callable[[int, int], None] | None = None) -> None:
    """Run the chunks ``todo`` across local cores (``explore.n_jobs`` loky processes).

    ``report(done, total)`` is called in replications of the whole exploration (finished chunks
    included) as chunks finish, or during the chunk with a single worker.
    """
    k = plan.explore.replications_per_point
    total = plan.replications
    done = total - sum(c.n_points for c in todo) * k
    code = code_identity()
    n_jobs = min(_workers(plan.explore.n_jobs), len(todo))
    if n_jobs <= 1:
        for chunk in todo:
            size = chunk.n_points * k
            inside = None if report is None else (
                lambda d, t, base=done, size=size: report(base + size * d // max(t, 1), total))
            run_chunk(plan.folder, chunk, plan.scenarios[chunk.design], plan.points, k, plan.digest, code,
                      inside)                 # the chunk's last day reports it finished
            done += size
        return
    jobs = (delayed(_worker_chunk)(plan.folder, c, plan.scenarios[c.design], plan.points, k, plan.digest,
                                   code) for c in todo)
    for record in Parallel(n_jobs=n_jobs, backend="loky", return_as="generator_unordered")(jobs):
        done += (record["stop"] - record["start"]) * k
        if report is not None:
            report(done, total)


def _worker_chunk(*args: Any) -> dict[str, Any]:
    """:func:`run_chunk` in a worker process, which leaves Ctrl-C to the parent (it stops the workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    return run_chunk(*args)


def _workers(n_jobs: int) -> int:
    """joblib's rule: -1 is every core, -2 all but one, ..."""
    import os

    cores = os.cpu_count() or 1
    return max(1, cores + 1 + n_jobs if n_jobs < 0 else n_jobs)


def unfinished(plan: Plan) -> list[Chunk]:
    """The chunks without an intact record of this plan and code."""
    code = code_identity()
    return [c for c in plan.chunks if finished_chunk(plan.folder, c, plan.digest, code) is None]


def finish(plan: Plan, manifest: dict[str, Any]) -> dict[str, Any]:
    """Stack the chunks, write the tables, the analysis and the figures, then the finished manifest.

    Returns the manifest written.
    """
    from deterrence_sim.analysis.outcomes import point_outcomes
    from deterrence_sim.exploration.results import write_results

    folder = plan.folder
    records = [json.loads(chunk_files(folder, c.number)[1].read_text()) for c in plan.chunks]
    runs = read_chunks(folder, plan.chunks)
    runs.attrs["horizon_days"] = plan.horizon
    points = point_outcomes(runs, plan.explore.outcomes, by=[DESIGN_COLUMN])
    order = {name: i for i, name in enumerate(plan.scenarios)}
    points = points.sort_values([DESIGN_COLUMN, "point"], kind="stable",
                                key=lambda s: s.map(order) if s.name == DESIGN_COLUMN else s)
    points = points.reset_index(drop=True)
    meta = {"plan": plan.digest}
    write_parquet(runs, folder / RUNS_FILE, meta)
    write_parquet(points, folder / POINTS_FILE, meta)
    attempts = [*manifest.get("attempts", [])[:-1], {**manifest["attempts"][-1], "finished": time.time()}]
    manifest = {**manifest, "status": "finished", "finished": time.time(), "attempts": attempts,
                "chunks": [{**chunk, "sha256": r["sha256"], "seconds": r["seconds"]}
                           for chunk, r in zip(manifest["chunks"], records, strict=True)]}
    files = {name: _sha256(folder / name) for name in (DESIGN_FILE, RUNS_FILE, POINTS_FILE)}
    written = write_results(folder, {**manifest, "files": files}, plan.points, runs, points)
    files.update({name: _sha256(folder / name) for name in written})
    manifest["files"] = files
    _write_manifest(folder, manifest)
    return manifest


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def explore(overrides: Sequence[str] | str = (), *, out: str | Path | None = None, n_jobs: int | None = None,
            searchpath: Any = (), progress: bool = True):
    """Run an exploration and return it, for notebooks (``deterrence-sim-explore``'s Python twin).

    Parameters
    ----------
    overrides : sequence of str, or str
        The command line's overrides: ``explore=<preset>`` (``conf/explore/``), ``explore.KEY=VALUE``
        (method, n, parameters, designs, replications_per_point, seed, outcomes, ...) and the
        scenario's own overrides (``attack=revisionist``, ``sim.horizon_days=365``).
    out : str or Path, optional
        The output folder (default: ``explore.out``, else ``explorations/<preset>[-<digest>]``). An
        unfinished exploration there is resumed: finished chunks are not run again.
    n_jobs : int, optional
        Local worker processes (default: ``explore.n_jobs``).
    searchpath : str, Path or sequence of them, optional
        Folders with presets of one's own (``DIR/explore/NAME.yaml``, ``DIR/guarantee/NAME.yaml``).
    progress : bool, default True
        Report progress with the time left on stderr.

    Returns
    -------
    Exploration
        The folder read back (:func:`deterrence_sim.analysis.explorations.read_exploration`):
        ``points`` (per design and point: parameter values and outcomes), ``runs``, ``manifest``.

    Raises
    ------
    ConfigError
        For bad input (one line; nothing written), or a folder in use or holding another exploration.

    Examples
    --------
    >>> import deterrence_sim as ds
    >>> ex = ds.explore(["explore=tornado", "sim.horizon_days=30"], out="explorations/t")  # doctest: +SKIP
    >>> ex.points[["guarantee", "point", "collapse_risk"]]                                   # doctest: +SKIP
    """
    overrides = with_searchpath(as_overrides(overrides), searchpath)
    if n_jobs is not None:
        overrides.append(f"explore.n_jobs={n_jobs}")
    plan = make_plan(overrides, out)
    if plan.launcher:
        raise ConfigError(f"{plan.launcher[0].partition('=')[0]}: invalid override {plan.launcher[0]!r} in "
                          "ds.explore; allowed: no launcher (chunks run on local cores); launcher jobs are "
                          "run by the command line, deterrence-sim-explore")
    try:
        lock, manifest, todo = start(plan, f"ds.explore({list(overrides)!r})")
    except FolderInUse as exc:
        raise ConfigError(f"out: invalid value '{plan.folder}': in use by process {exc.pid or '(unknown)'}; "
                          "allowed: a folder that no other exploration is writing") from None
    try:
        run_local(plan, todo, Progress("exploring", "replications") if progress else None)
        finish(plan, manifest)
    finally:
        lock.close()
    from deterrence_sim.analysis.explorations import read_exploration

    return read_exploration(plan.folder, argument="out")


__all__ = ["explore", "finish", "run_local", "start", "unfinished"]
