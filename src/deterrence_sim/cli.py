"""The command line: ``deterrence-sim [overrides]`` runs one scenario, ``-m`` sweeps, through Hydra.

Every override of every job is checked before Hydra starts (and before anything is written): a bad
one gives one line on stderr and exit code 2. In a sweep, finished jobs are skipped, a failing job
is recorded and the others go on, and the sweep ends with one consolidated table.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import hydra
import yaml
from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra._internal.utils import get_args_parser
from hydra.core.hydra_config import HydraConfig
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException
from hydra.types import RunMode
from joblib import Parallel, delayed
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from deterrence_sim.api import (
    check_group_choices,
    check_searchpath,
    collapse_overrides,
    compose_config,
    config_dir,
    expand_overrides,
    explain,
    presets,
    to_scenario,
)
from deterrence_sim.assets import KINDS
from deterrence_sim.config import ConfigError, ScenarioConfig, config_dict
from deterrence_sim.effects import EFFECTS
from deterrence_sim.folders import MANIFEST, RUNS
from deterrence_sim.hydra_config import register_schemas
from deterrence_sim.outputs import (
    FolderInUse,
    git_revision,
    hold_folder,
    start_outputs,
    versions,
    write_atomic,
    write_outputs,
)
from deterrence_sim.progress import Progress, format_duration
from deterrence_sim.simulation import simulate_scenario
from deterrence_sim.sweep import FAILURE, SweepError, collect, finished_manifest, sweep_name, write_collected

# The schemas must be in Hydra's ConfigStore wherever Hydra composes: here, and in the launcher's
# worker processes, which import this module to find the task function.
register_schemas()

EXIT_BAD_INPUT = 2
EXIT_JOB_FAILED = 1
EXIT_INTERRUPTED = 130                     # 128 + SIGINT, as shells report Ctrl-C
ESTIMATE_ABOVE = 20_000_000                # replication-days (half a minute or more): these get an estimate
MEASURE_S = 1.0                            # seconds of simulation the estimate is measured on
JOBS_ENV = "DETERRENCE_SIM_SWEEP_JOBS"     # handed to the jobs, whichever launcher runs them
START_ENV = "DETERRENCE_SIM_SWEEP_START"


def fail(message: str, prog: str = "deterrence-sim") -> None:
    """Print one line naming what is wrong and exit with code 2."""
    print(f"{prog}: error: {message}", file=sys.stderr)
    raise SystemExit(EXIT_BAD_INPUT)


def _already_done(job_dir: Path, scenario: ScenarioConfig) -> bool:
    """True if this job folder holds intact outputs of the same config and code."""
    manifest = finished_manifest(job_dir)
    return (manifest is not None and manifest["config"] == config_dict(scenario)
            and manifest["versions"].get("deterrence-sim") == versions()["deterrence-sim"]
            and manifest.get("git_revision") == git_revision())


def _run_job(scenario: ScenarioConfig, out_dir: Path, overrides: list[str]) -> None:
    """One sweep job: skip it if done, else simulate; record a failure instead of raising."""
    total = os.environ.get(JOBS_ENV, "?")
    tag = f"[job {out_dir.name}/{total}] {' '.join(overrides)}"
    if _already_done(out_dir, scenario):
        print(f"{tag}: finished earlier, skipped", flush=True)
        return
    start_outputs(out_dir)   # from here on the job is unfinished until its new manifest is written
    start = time.monotonic()
    try:
        write_outputs(simulate_scenario(scenario), out_dir, overrides=overrides)
    except Exception as exc:  # a failed job is recorded and the sweep goes on
        error = f"{type(exc).__name__}: {exc}"
        record = {"job": int(out_dir.name), "overrides": overrides, "error": error,
                  "traceback": traceback.format_exc()}
        text = json.dumps(record, indent=2) + "\n"
        write_atomic(out_dir / FAILURE, lambda tmp: tmp.write_text(text))
        print(f"{tag}: FAILED: {error}", file=sys.stderr, flush=True)
        return
    print(f"{tag}: done in {time.monotonic() - start:.1f} s; {_sweep_progress(out_dir.parent)}",
          flush=True)


def _sweep_progress(sweep_dir: Path) -> str:
    """Jobs finished so far in the whole sweep (whatever process ran them) and the time left."""
    total = int(os.environ.get(JOBS_ENV, "0"))
    started = float(os.environ.get(START_ENV, time.time()))
    done = sum(1 for p in sweep_dir.iterdir() if (p / MANIFEST).exists())
    elapsed = time.time() - started
    left = elapsed * (total - done) / done if done and total >= done else float("nan")
    return f"{done}/{total} jobs finished, ~{left:.0f} s left"


@hydra.main(config_path=str(config_dir()), config_name="config", version_base="1.3")
def run(cfg: DictConfig) -> None:
    """Hydra task: simulate the composed scenario and write its outputs to the job's folder."""
    try:
        scenario = to_scenario(cfg)
    except ConfigError as exc:
        fail(str(exc))
    hydra_cfg = HydraConfig.get()
    out_dir = Path(hydra_cfg.runtime.output_dir)
    overrides = list(hydra_cfg.overrides.task)
    if hydra_cfg.mode == RunMode.MULTIRUN:
        _run_job(scenario, out_dir, overrides)
        return
    start_outputs(out_dir)
    result = simulate_scenario(scenario, progress=Progress("simulating", "replication-days"))
    write_outputs(result, out_dir, overrides=overrides)
    print(run_title(scenario, overrides))
    from deterrence_sim.analysis import headline  # SciPy's statistics: imported only when used

    print(headline(result.runs, scenario.sim.horizon_days).to_string(index=False))
    print(f"outputs: {out_dir}")


def run_title(scenario: ScenarioConfig, overrides: list[str]) -> str:
    """The lines above a run's summary: the presets and seed, then every override as given.

    A preset's name alone would hide a change made inside it (``monitoring.assets=[]``).
    """
    presets = " ".join(f"{group}={getattr(scenario, group).name}"
                       for group in ("theater", "attack", "monitoring", "guarantee"))
    shown = " ".join(collapse_overrides(overrides)) or "none"
    return f"scenario: {presets} seed={scenario.sim.seed}\noverrides: {shown}"


#: Packages whose classes a config may name (``_target_``): Hydra, its plugins, and this tool.
REGISTERED = ("hydra.", "hydra_plugins.", "deterrence_sim.")
#: Keys that make Hydra or logging import and call something.
CODE_KEYS = {"_target_", "_partial_", "_args_", "_recursive_", "_convert_", "()", "class", "filters"}


def check_no_code(hydra_cfg: Any, path: str = "hydra") -> None:
    """Refuse a config that would import or call anything but a registered component.

    Only Hydra's own classes, its plugins and ``deterrence_sim`` may be named by ``_target_``; only
    this tool's callbacks may run; logging may not name factories or classes of its own.
    """
    if isinstance(hydra_cfg, dict):
        for key, value in hydra_cfg.items():
            where = f"{path}.{key}"
            if key == "_target_" and not str(value).startswith(REGISTERED):
                raise ConfigError(f"{where}: invalid value {value!r}; allowed: a class of hydra, "
                                  "hydra_plugins or deterrence_sim")
            if key in ("()", "filters") or (key == "class" and "logging" in path
                                            and not str(value).startswith("logging.")):
                raise ConfigError(f"{where}: invalid value {value!r}; allowed: the standard "
                                  "logging handlers (no factories)")
            check_no_code(value, where)
    elif isinstance(hydra_cfg, list):
        for i, value in enumerate(hydra_cfg):
            check_no_code(value, f"{path}[{i}]")


def check_hydra_node(cfg: DictConfig) -> None:
    """Refuse a composed ``hydra`` node that names code or callbacks other than this tool's."""
    check_no_code(OmegaConf.to_container(cfg.hydra, resolve=False))
    callbacks = set(cfg.hydra.callbacks or {})
    if callbacks != {"consolidate"}:
        raise ConfigError(f"hydra.callbacks: invalid value {sorted(callbacks)}; allowed: "
                          "['consolidate'] (this tool's own callback)")


@dataclass
class Plan:
    """What a command will run: every job's overrides, the launcher, and the output folders."""

    jobs: list[list[str]]
    joblib: dict[str, Any] | None   # the joblib launcher's settings, if that launcher runs the jobs
    run_dir: Path                   # hydra.run.dir, resolved (a single run's folder)
    sweep_dir: Path                 # hydra.sweep.dir, resolved


def plan_jobs(overrides: list[str]) -> Plan:
    """The override list of every job of a sweep, in Hydra's order (config params, then CLI), the
    joblib launcher's settings if that launcher runs them, and the output folders.

    Raises ConfigError for an override that does not parse or a config that does not compose.
    """
    check_group_choices(overrides)
    check_searchpath(overrides)
    parser = OverridesParser.create()
    try:
        parsed = parser.parse_overrides(overrides)
        fixed = [o.input_line for o in parsed if not o.is_sweep_override()]
        cfg = compose_config(fixed, hydra_node=True)
        check_hydra_node(cfg)
        params = cfg.hydra.sweeper.params
        params = OmegaConf.to_container(params) if params is not None else {}
        lines = [f"{k}={v}" for k, v in params.items()] + list(overrides)
        jobs = BasicSweeper.split_arguments(parser.parse_overrides(lines), None)[0]
        launcher = OmegaConf.to_container(cfg.hydra.launcher, resolve=True)
        joblib = launcher.pop("_target_").endswith("JoblibLauncher")
        return Plan(jobs, {**launcher, "backend": "loky"} if joblib else None,
                    Path(cfg.hydra.run.dir), Path(cfg.hydra.sweep.dir))
    except (HydraException, OmegaConfBaseException, ValueError) as exc:
        raise explain(exc) from None


def _preflight_sweep(overrides: list[str]) -> tuple[Plan, dict[tuple[str, ...], int]]:
    """Plan the jobs, then compose and validate each distinct one (about 0.3 s per job).

    Each job is checked with its ``hydra`` settings and ``hydra.searchpath``, so that a preset of
    the user's own is found and checked like a built-in one. Under the joblib launcher the checks
    run in its worker processes, started here with its own settings so that loky hands the same,
    already warm, workers to the launch. Returns the plan and each distinct job's size in
    replication-days.
    """
    plan = plan_jobs(overrides)
    os.environ[JOBS_ENV] = str(len(plan.jobs))   # before any worker starts: the workers inherit it
    os.environ[START_ENV] = str(time.time())
    distinct = [list(job) for job in dict.fromkeys(tuple(job) for job in plan.jobs)]
    if plan.joblib is None or len(distinct) < 2:
        sizes = [_check(job) for job in distinct]
    else:
        sizes = Parallel(**plan.joblib)(delayed(_check)(job) for job in distinct)
    return plan, {tuple(job): size for job, size in zip(distinct, sizes, strict=True)}


def _scenario(job: list[str]) -> ScenarioConfig:
    """Compose and validate one job, Hydra's settings included; raises ConfigError if it is bad."""
    cfg = compose_config(job, hydra_node=True)
    check_hydra_node(cfg)
    return to_scenario(OmegaConf.masked_copy(cfg, [key for key in cfg if key != "hydra"]))


def _check(job: list[str]) -> int:
    """Check one job (in a worker process, under joblib); its size in replication-days."""
    sim = _scenario(job).sim
    return sim.replications * sim.horizon_days


class _Measured(Exception):
    """Raised from the progress callback to stop a speed measurement."""


def measure_speed(scenario: ScenarioConfig, budget_s: float = MEASURE_S) -> float:
    """Replication-days simulated per second, measured on the scenario's first block for about
    ``budget_s`` seconds (at least one day of that block)."""
    start = time.monotonic()

    def stop(done: int, total: int) -> None:
        if time.monotonic() - start >= budget_s:
            raise _Measured(done)

    try:
        sim = simulate_scenario(scenario, progress=stop).config.sim
        done = sim.replications * sim.horizon_days
    except _Measured as measured:
        done = measured.args[0]
    return done / max(time.monotonic() - start, 1e-9)


def _estimate(plan: Plan, sizes: dict[tuple[str, ...], int], folder: Path, multirun: bool) -> None:
    """Before a big run or sweep starts: how long it will take, from a short measurement of speed.

    A sweep counts the jobs not finished yet, run by the joblib launcher's workers in parallel.
    """
    todo = [job for i, job in enumerate(plan.jobs)
            if not (multirun and finished_manifest(folder / str(i)))]
    total = sum(sizes[tuple(job)] for job in todo)
    if total < ESTIMATE_ABOVE:
        return
    rate = measure_speed(_scenario(todo[0]))
    workers = 1
    if plan.joblib is not None:
        n_jobs = plan.joblib.get("n_jobs") or 1
        cores = os.cpu_count() or 1
        workers = max(1, min(len(todo), cores + 1 + n_jobs if n_jobs < 0 else n_jobs))  # joblib's rule
    on = f" on {workers} workers" if workers > 1 else ""
    jobs = f" in {len(todo)} jobs" if multirun else ""
    print(f"deterrence-sim: estimated time {format_duration(total / rate / workers)}{on}: {total:,} "
          f"replication-days{jobs} at {rate:,.0f} a second (measured for {MEASURE_S:g} s); "
          "Ctrl-C stops it", file=sys.stderr, flush=True)


def _output_folder(args: Any, expanded: list[str], plan: Plan) -> tuple[str, Path]:
    """The key and folder the command writes into; sweeps are named after the command, to resume."""
    key = "hydra.sweep.dir" if args.multirun else "hydra.run.dir"
    given = any(o.startswith(f"{key}=") for o in expanded)
    if args.multirun:
        return key, plan.sweep_dir if given else Path("multirun") / sweep_name(expanded)
    return key, plan.run_dir


def _prepare(args: Any, expanded: list[str]) -> tuple[Path, IO[str], Plan, dict[tuple[str, ...], int]]:
    """Check every job, choose the output folder and hold it; the folder is passed on to Hydra
    (appended to ``expanded``) so that Hydra writes where the lock is.

    Bad input or a folder in use: one line, exit code 2, nothing written.
    """
    try:
        if args.config_path or args.config_name or args.config_dir:
            raise ConfigError("--config-path/--config-name/--config-dir: not supported; allowed: "
                              "overrides, and extra presets through hydra.searchpath=[file://DIR]")
        plan, sizes = _preflight_sweep(expanded)
        key, folder = _output_folder(args, expanded, plan)
        expanded[:] = [o for o in expanded if not o.startswith(f"{key}=")] + [f"{key}={folder}"]
        lock = hold_folder(folder)
    except ConfigError as exc:
        fail(str(exc))
    except FolderInUse as exc:
        fail(f"{key}: invalid value '{folder}': in use by process {exc.pid or '(unknown)'}; allowed: a "
             f"folder that no other run or sweep is writing (wait for it to end, or choose another {key})")
    if args.multirun:
        print(f"sweep: {len(plan.jobs)} jobs in {folder}", flush=True)
    return folder, lock, plan, sizes


def _interrupted(folder: Path | None, multirun: bool) -> None:
    """Ctrl-C: one line saying what is finished and how to go on; exit code 130, no traceback."""
    if folder is None:
        message = "interrupted before anything was written"
    elif multirun:
        done = sum(1 for p in folder.iterdir() if (p / MANIFEST).exists()) if folder.is_dir() else 0
        message = (f"interrupted: {done} of {os.environ.get(JOBS_ENV, '?')} jobs finished in {folder}; "
                   "run the same command again to resume (finished jobs are skipped)")
    else:
        message = (f"interrupted: {folder} holds no finished run (no {MANIFEST}); run the command again "
                   f"(with hydra.run.dir={folder} to reuse the folder)")
    print(f"deterrence-sim: {message}", file=sys.stderr, flush=True)
    raise SystemExit(EXIT_INTERRUPTED)


USER_GROUPS = ("theater", "attack", "monitoring", "guarantee", "sim", "experiment")
"""The config groups an analyst chooses from (the others are building blocks of their presets)."""


def help_text() -> str:
    """``deterrence-sim --help``: what the tool does, examples, the presets of each group, plug-ins."""
    conf = yaml.safe_load((config_dir() / "config.yaml").read_text())["hydra"]["help"]
    groups = "\n".join(f"  {g}: {', '.join(presets(g))}" for g in USER_GROUPS)
    blocks = "\n".join(f"  {what}: {', '.join(names)}" for what, names in (
        ("asset kinds", sorted(KINDS)), ("effect types", sorted(EFFECTS)),
        ("commitments", presets("commitment")), ("financing", presets("financing"))))
    return (f"{conf['header'].rstrip()}\n\nConfig groups (group=preset):\n{groups}\n\n"
            f"Building blocks of the presets:\n{blocks}\n\n`deterrence-sim --cfg job` prints the composed "
            f"config.\n{conf['footer'].rstrip()}\n")


def main() -> None:
    """Console-script entry point: check every job's overrides, hold the output folder, run Hydra."""
    args, unknown = get_args_parser().parse_known_args(sys.argv[1:])
    if args.help:
        print(help_text(), end="")
        return
    overrides = [*args.overrides, *(u for u in unknown if not u.startswith("-"))]
    flags = [a for a in sys.argv[1:] if a not in overrides]
    expanded = expand_overrides(overrides)
    informational = args.help or args.hydra_help or args.cfg or args.info or args.shell_completion
    folder, lock = None, None
    try:
        if not informational:
            folder, lock, plan, sizes = _prepare(args, expanded)
            _estimate(plan, sizes, folder, args.multirun)
        sys.argv[1:] = [*flags, *expanded]  # Hydra gets exactly the overrides that were checked
        run()
    except KeyboardInterrupt:
        _interrupted(folder, args.multirun)
    if args.multirun and folder is not None:
        summary = json.loads((folder / "sweep.json").read_text())
        if summary.get("failed", 0) or summary.get("damaged", 0) or summary.get("unfinished", 0):
            print(f"deterrence-sim: some jobs did not finish, see {folder / 'failures.csv'}",
                  file=sys.stderr)
            raise SystemExit(EXIT_JOB_FAILED)
    del lock   # held until here: the folder is ours until Hydra and the consolidation are done


def collect_main() -> None:
    """``deterrence-sim-collect SWEEP_DIR``: consolidate a partial or finished sweep."""
    prog = "deterrence-sim-collect"
    if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
        fail(f"arguments: invalid value {' '.join(sys.argv[1:])!r}; allowed: one sweep folder "
             "(deterrence-sim-collect SWEEP_DIR)", prog)
    try:
        collected = collect(sys.argv[1], argument="SWEEP_DIR")
    except SweepError as exc:
        fail(str(exc), prog)
    if collected.runs.empty:
        fail(f"SWEEP_DIR: invalid value '{sys.argv[1]}': no finished job to collect; allowed: a sweep "
             "with at least one finished job", prog)
    write_collected(sys.argv[1], collected)
    counts = collected.jobs["status"].value_counts().to_dict()
    print(", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
          + f"; {len(collected.runs):,} replications in {Path(sys.argv[1]) / RUNS}")


if __name__ == "__main__":
    main()
