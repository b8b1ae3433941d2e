"""``deterrence-sim-explore [overrides]``: a sensitivity analysis or scenario discovery, in batched calls.

Every override is checked before anything is written (method, N for that method, outcomes, each
parameter path and range against every design's scenario): a bad one gives one line on stderr and
exit code 2. The design matrix then runs in chunks of batched models, across local cores, or as jobs
of a Hydra launcher (``hydra/launcher=submitit_slurm`` on a cluster), with progress and the time left;
Ctrl-C stops it without a traceback, and the same command resumes it, running only the chunks that
did not finish.
"""

from __future__ import annotations

import json
import shlex
import sys
import time
import traceback
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from deterrence_sim.api import config_dir, expand_overrides, presets, to_scenario
from deterrence_sim.cli import EXIT_INTERRUPTED, EXIT_JOB_FAILED, fail
from deterrence_sim.config import ConfigError, config_dict
from deterrence_sim.exploration.chunks import chunk_files, finished_chunk, run_chunk
from deterrence_sim.exploration.plan import DESIGN_COLUMN, GROUP, Chunk, Plan, make_plan
from deterrence_sim.exploration.run import (
    DESIGN_FILE,
    code_identity,
    finish,
    run_local,
    start,
    unfinished,
)
from deterrence_sim.folders import MANIFEST
from deterrence_sim.hydra_config import register_schemas
from deterrence_sim.outputs import FolderInUse, write_atomic
from deterrence_sim.progress import Progress, format_duration

register_schemas()   # the launcher's job processes import this module to find the task function

PROG = "deterrence-sim-explore"
JOB_KEY = "explore_job"
"""The key the launcher's jobs get their folder and chunk under (``+explore_job.chunk=...``)."""
FAILURE_SUFFIX = ".failure.json"

__all__ = ["chunk_job", "main"]


def help_text() -> str:
    """``deterrence-sim-explore --help``."""
    return f"""{PROG}: which parameters drive the outcome, and where each guarantee design fails.

Draws a design matrix over a scenario's uncertain parameters, runs it in batched models under each
guarantee design (the same points and random numbers for all), and writes points.parquet,
runs.parquet, indices.csv, discovery.csv, figures/ and manifest.json into one folder.

  {PROG}                                   # explore=default: a small Sobol' study
  {PROG} explore=what_matters              # 12 parameters, N = 1,024, paris_package and none
  {PROG} explore=tornado attack=revisionist sim.horizon_days=365
  {PROG} explore=discovery explore.n=500 explore.failure_threshold=0.3
  {PROG} explore=what_matters hydra/launcher=submitit_slurm   # chunks as SLURM jobs
  deterrence-sim-report EXPLORE_DIR        # what drives the outcome; where each design fails

Presets (explore=NAME): {', '.join(presets(GROUP))}. Fields (explore.KEY=VALUE): method (sobol, morris,
lhs, sobol_sequence, oat), n, levels, parameters={{PATH:[LOW,HIGH],...}}, base, outcomes, designs,
replications_per_point, seed, failure_outcome, failure_threshold, chunk_points, n_jobs, out.
Any scenario override (attack=revisionist, sim.horizon_days=365) applies to every design.
The output folder is explore.out, else explorations/<preset>[-<digest of the overrides>]; running the
same command again resumes an interrupted exploration. Bad input: one line, exit code 2, nothing written.
"""


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    args = list(sys.argv[1:] if argv is None else argv)
    if any(a in ("-h", "--help") for a in args):
        print(help_text(), end="")
        return
    flags = [a for a in args if a.startswith("-")]
    if flags:
        fail(f"arguments: invalid value {flags[0]!r}; allowed: overrides only (explore=NAME, "
             "explore.KEY=VALUE, scenario overrides such as attack=revisionist), or --help", PROG)
    lock = None
    try:
        plan = make_plan(args)
        lock, manifest, todo = start(plan, " ".join([PROG, *map(shlex.quote, args)]))
    except ConfigError as exc:
        fail(str(exc), PROG)
    except FolderInUse as exc:
        fail(f"explore.out: invalid value '{exc.folder}': in use by process {exc.pid or '(unknown)'}; "
             "allowed: a folder that no other exploration is writing (wait for it to end, or choose "
             "another)", PROG)
    except KeyboardInterrupt:
        _interrupted(None, None)
    print(_title(plan, todo), flush=True)
    try:
        if todo and plan.launcher:
            _launch(plan, todo)
        elif todo:
            run_local(plan, todo, Progress("exploring", "replications"))
        left = unfinished(plan)
        if left:
            _failed(plan, left)
        manifest = finish(plan, manifest)
    except KeyboardInterrupt:
        _interrupted(plan, manifest)
    print(_summary(plan, manifest))
    del lock


def _title(plan: Plan, todo: list[Chunk]) -> str:
    cfg = plan.explore
    n = "" if cfg.method == "oat" else f", N = {cfg.sample_size:,}"
    earlier = len(plan.chunks) - len(todo)
    resumed = f"; {earlier} finished earlier" if earlier else ""
    where = f"as {plan.launcher[0]} jobs" if plan.launcher else "on local cores"
    return (f"explore: {cfg.method} over {len(cfg.parameters)} parameters{n}: {len(plan.points):,} points x "
            f"{len(plan.scenarios)} design(s) ({', '.join(plan.scenarios)}) x {cfg.replications_per_point} "
            f"replications = {plan.replications:,} replications of {plan.horizon} days, in "
            f"{len(plan.chunks)} chunks {where}{resumed}; folder {plan.folder}")


def _summary(plan: Plan, manifest: dict) -> str:
    seconds = sum(c.get("seconds") or 0 for c in manifest["chunks"])
    lines = [f"exploration: {plan.folder}",
             f"  points.parquet ({len(plan.points):,} points x {len(plan.scenarios)} designs), runs.parquet, "
             f"indices.csv, discovery.csv, figures/ ({len(list((plan.folder / 'figures').glob('*.png')))} "
             f"figures), manifest.json; {seconds:,.0f} s of simulation in the chunks",
             f"  report: deterrence-sim-report {plan.folder}"]
    return "\n".join(lines)


def _interrupted(plan: Plan | None, manifest: dict | None) -> None:
    """Ctrl-C: one line saying what is finished and how to go on; exit code 130, no traceback."""
    if plan is None:
        message = "interrupted before anything was written"
    else:
        done = len(plan.chunks) - len(unfinished(plan))
        message = (f"interrupted: {done} of {len(plan.chunks)} chunks finished in {plan.folder}; run the "
                   "same command again to resume (finished chunks are kept)")
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)
    raise SystemExit(EXIT_INTERRUPTED)


def _failed(plan: Plan, left: list[Chunk]) -> None:
    """Some chunks did not finish (a launcher job failed): say which, and how to go on; exit 1."""
    failures = [p for c in left if (p := _failure_file(plan.folder, c.number)).exists()]
    where = f"; see {failures[0]}" if failures else ""
    print(f"{PROG}: {len(left)} of {len(plan.chunks)} chunks did not finish{where}; run the same command "
          "again to run them (finished chunks are kept)", file=sys.stderr, flush=True)
    raise SystemExit(EXIT_JOB_FAILED)


def _failure_file(folder: Path, number: int) -> Path:
    return chunk_files(folder, number)[1].with_suffix(FAILURE_SUFFIX)


# --------------------------------------------------------------------------- Hydra launcher jobs


def _launch(plan: Plan, todo: list[Chunk]) -> None:
    """Run the chunks as jobs of the chosen Hydra launcher: one job per (design, chunk index).

    Each job is the design's scenario composed by Hydra with ``+explore_job.chunk=<index>``; it
    checks that it is the scenario of the plan, runs the chunk (or skips it if it finished) and
    records a failure instead of raising, so that the other jobs go on.
    """
    indices = sorted({c.index for c in todo})
    folder = plan.folder.resolve()
    overrides = expand_overrides(plan.overrides)
    designs = [f"{DESIGN_COLUMN}={','.join(plan.scenarios)}"] if plan.explore.designs else []
    argv = ["-m", *overrides, *designs, f"+{JOB_KEY}.chunk={','.join(map(str, indices))}",
            f"+{JOB_KEY}.folder='{folder}'", f"hydra.sweep.dir='{folder / 'jobs'}'",
            "~hydra.callbacks.consolidate", *plan.launcher]
    saved = sys.argv
    sys.argv = [saved[0], *argv]
    try:
        chunk_job()
    finally:
        sys.argv = saved


@hydra.main(config_path=str(config_dir()), config_name="config", version_base="1.3")
def chunk_job(cfg: DictConfig) -> None:
    """Hydra task: run one chunk of an exploration (its folder and chunk index in ``explore_job``)."""
    job = cfg[JOB_KEY]
    folder, index = Path(str(job.folder)), int(job.chunk)
    manifest = json.loads((folder / MANIFEST).read_text())
    scenario = to_scenario(OmegaConf.masked_copy(cfg, [k for k in cfg if k not in ("hydra", JOB_KEY)]))
    chosen = [o.partition("=")[2] for o in HydraConfig.get().overrides.task
              if o.startswith(f"{DESIGN_COLUMN}=")]
    design = chosen[0] if chosen and manifest["explore"]["designs"] else next(iter(manifest["designs"]))
    chunk = next(Chunk(**c) for c in manifest["chunks"] if c["design"] == design and c["index"] == index)
    tag = (f"[chunk {chunk.number + 1}/{len(manifest['chunks'])}] {design} points "
           f"{chunk.start}-{chunk.stop - 1}")
    code = code_identity()
    if finished_chunk(folder, chunk, manifest["plan"], code) is not None:
        print(f"{tag}: finished earlier, skipped", flush=True)
        return
    _failure_file(folder, chunk.number).unlink(missing_ok=True)
    try:
        if config_dict(scenario) != manifest["designs"][design]["config"]:
            raise ConfigError(f"the job's scenario differs from the plan's {design} scenario in {folder}")
        import pandas as pd

        points = pd.read_parquet(folder / DESIGN_FILE)
        record = run_chunk(folder, chunk, scenario, points, manifest["replications_per_point"],
                           manifest["plan"], code)
    except Exception as exc:  # a failed chunk is recorded and the other jobs go on
        text = json.dumps({"chunk": chunk.number, "error": f"{type(exc).__name__}: {exc}",
                           "traceback": traceback.format_exc()}, indent=2) + "\n"
        write_atomic(_failure_file(folder, chunk.number), lambda tmp: tmp.write_text(text))
        print(f"{tag}: FAILED: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        return
    print(f"{tag}: done in {record['seconds']:.1f} s; {_progress(folder, manifest, code)}", flush=True)


def _progress(folder: Path, manifest: dict, code: dict) -> str:
    """Chunks finished so far (whatever process ran them) and the time left."""
    chunks = [Chunk(**c) for c in manifest["chunks"]]
    done = sum(finished_chunk(folder, c, manifest["plan"], code) is not None for c in chunks)
    elapsed = time.time() - float(manifest.get("started", time.time()))
    left = elapsed * (len(chunks) - done) / done if done else float("nan")
    return f"{done}/{len(chunks)} chunks finished, {format_duration(left)} left" if done else ""


if __name__ == "__main__":
    main()
