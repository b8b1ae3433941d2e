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
from pathlib import Path
from typing import Any

import hydra
import yaml
from hydra import compose, initialize_config_dir
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
    compose_scenario,
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
from deterrence_sim.outputs import git_revision, versions, write_atomic, write_outputs
from deterrence_sim.progress import Progress
from deterrence_sim.simulation import simulate_scenario
from deterrence_sim.sweep import FAILURE, SweepError, collect, finished_manifest, sweep_name, write_collected

# The schemas must be in Hydra's ConfigStore wherever Hydra composes: here, and in the launcher's
# worker processes, which import this module to find the task function.
register_schemas()

EXIT_BAD_INPUT = 2
EXIT_JOB_FAILED = 1
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
    (out_dir / FAILURE).unlink(missing_ok=True)
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
    result = simulate_scenario(scenario, progress=Progress("simulating", "replication-days"))
    write_outputs(result, out_dir, overrides=overrides)
    title = (f"attack={scenario.attack.name} monitoring={scenario.monitoring.name} "
             f"guarantee={scenario.guarantee.name} seed={scenario.sim.seed}")
    print(title)
    from deterrence_sim.analysis import headline  # SciPy's statistics: imported only when used

    print(headline(result.runs, scenario.sim.horizon_days).to_string(index=False))
    print(f"outputs: {out_dir}")


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


def plan_jobs(overrides: list[str]) -> tuple[list[list[str]], dict[str, Any] | None]:
    """The override list of every job of a sweep, in Hydra's order (config params, then CLI), and
    the joblib launcher's settings if that launcher runs them (else None).

    Raises ConfigError for an override that does not parse or a config that does not compose.
    """
    check_group_choices(overrides)
    parser = OverridesParser.create()
    try:
        parsed = parser.parse_overrides(overrides)
        fixed = [o.input_line for o in parsed if not o.is_sweep_override()]
        with initialize_config_dir(config_dir=str(config_dir()), version_base="1.3"):
            cfg = compose(config_name="config", overrides=expand_overrides(fixed),
                          return_hydra_config=True)
        check_no_code(OmegaConf.to_container(cfg.hydra, resolve=False))
        callbacks = set(cfg.hydra.callbacks or {})
        if callbacks != {"consolidate"}:
            raise ConfigError(f"hydra.callbacks: invalid value {sorted(callbacks)}; allowed: "
                              "['consolidate'] (this tool's own callback)")
        params = cfg.hydra.sweeper.params
        params = OmegaConf.to_container(params) if params is not None else {}
        lines = [f"{k}={v}" for k, v in params.items()] + list(overrides)
        jobs = BasicSweeper.split_arguments(parser.parse_overrides(lines), None)[0]
        launcher = OmegaConf.to_container(cfg.hydra.launcher, resolve=True)
        joblib = launcher.pop("_target_").endswith("JoblibLauncher")
        return jobs, {**launcher, "backend": "loky"} if joblib else None
    except (HydraException, OmegaConfBaseException, ValueError) as exc:
        raise explain(exc) from None


def _preflight_sweep(overrides: list[str]) -> list[list[str]]:
    """Plan the jobs, then compose and validate each distinct one (about 0.3 s per job).

    Under the joblib launcher the checks run in its worker processes, started here with its own
    settings so that loky hands the same, already warm, workers to the launch.
    """
    jobs, joblib = plan_jobs(overrides)
    os.environ[JOBS_ENV] = str(len(jobs))   # before any worker starts: the workers inherit it
    os.environ[START_ENV] = str(time.time())
    distinct = [list(job) for job in dict.fromkeys(
        tuple(o for o in job if not o.startswith("hydra")) for job in jobs)]
    if joblib is None or len(distinct) < 2:
        for job in distinct:
            compose_scenario(job)
    else:
        Parallel(**joblib)(delayed(_check)(job) for job in distinct)
    return jobs


def _check(job: list[str]) -> None:
    """Compose and validate one job (in a worker process); raises ConfigError if it is bad."""
    compose_scenario(job)


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
    """Console-script entry point: check every job's overrides, then hand over to Hydra."""
    args, unknown = get_args_parser().parse_known_args(sys.argv[1:])
    if args.help:
        print(help_text(), end="")
        return
    overrides = [*args.overrides, *(u for u in unknown if not u.startswith("-"))]
    flags = [a for a in sys.argv[1:] if a not in overrides]
    expanded = expand_overrides(overrides)
    informational = args.help or args.hydra_help or args.cfg or args.info or args.shell_completion
    sweep_dir = None
    try:
        if args.config_path or args.config_name or args.config_dir:
            raise ConfigError("--config-path/--config-name/--config-dir: not supported; allowed: "
                              "overrides, and extra presets through hydra.searchpath=[file://DIR]")
        if args.multirun and not informational:
            jobs = _preflight_sweep(expanded)
            given = [o.split("=", 1)[1] for o in expanded if o.startswith("hydra.sweep.dir=")]
            sweep_dir = Path(given[-1]) if given else Path("multirun") / sweep_name(expanded)
            if not given:
                expanded.append(f"hydra.sweep.dir={sweep_dir}")
            print(f"sweep: {len(jobs)} jobs in {sweep_dir}", flush=True)
        elif not informational:
            _preflight_sweep(expanded)   # one job: the same checks
    except ConfigError as exc:
        fail(str(exc))
    sys.argv[1:] = [*flags, *expanded]  # Hydra gets exactly the overrides that were checked
    run()
    if sweep_dir is not None:
        summary = json.loads((sweep_dir / "sweep.json").read_text())
        if summary.get("failed", 0) or summary.get("damaged", 0) or summary.get("unfinished", 0):
            print(f"deterrence-sim: some jobs did not finish, see {sweep_dir / 'failures.csv'}",
                  file=sys.stderr)
            raise SystemExit(EXIT_JOB_FAILED)


def collect_main() -> None:
    """``deterrence-sim-collect SWEEP_DIR``: consolidate a partial or finished sweep."""
    prog = "deterrence-sim-collect"
    if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
        fail("usage: deterrence-sim-collect SWEEP_DIR", prog)
    try:
        collected = collect(sys.argv[1])
    except SweepError as exc:
        fail(str(exc), prog)
    if collected.runs.empty:
        fail(f"{sys.argv[1]}: no finished job to collect", prog)
    write_collected(sys.argv[1], collected)
    counts = collected.jobs["status"].value_counts().to_dict()
    print(", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
          + f"; {len(collected.runs):,} replications in {Path(sys.argv[1]) / RUNS}")


if __name__ == "__main__":
    main()
