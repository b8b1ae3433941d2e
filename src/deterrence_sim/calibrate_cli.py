"""``deterrence-sim-calibrate TARGETS [overrides] --out DIR``: calibrate to a target set.

Runs ABC-SMC on the parameters the target set is about (:mod:`deterrence_sim.fit`), then the
posterior predictive check, and writes the folder: the sampler's generations, ``posterior.parquet``,
``trace.csv``, ``posterior_summary.csv``, ``check.csv``, figures and ``README.md``. With
``--posterior FILE`` the posterior is also written where runs find it (``make calibrate``: the
shipped one). Overrides are the command line's (``sim.seed=7`` sets the seed); ``hydra/launcher=...``
and ``hydra.launcher.*`` overrides split each population over that launcher's jobs.

Bad input (an unknown target set, a malformed table, a prior with no mass, an unknown parameter, a
folder holding another calibration): one line, exit code 2, nothing written. Ctrl-C keeps every
finished generation; the same command resumes from the last one.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from deterrence_sim.config import ConfigError
from deterrence_sim.launch import is_launcher_override

PROG = "deterrence-sim-calibrate"
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130
USAGE = ("TARGETS [OVERRIDES ...] --out DIR [--population N] [--replications K] [--max-generations G] "
         "[--min-acceptance A] [--max-simulations S] [--jobs J] [--check-draws D] [--posterior FILE] "
         "[--targets-dir DIR]")


def _fail(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    raise SystemExit(EXIT_BAD_INPUT)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        _fail(f"arguments: invalid value: {message}; allowed: {USAGE} (see {PROG} --help)")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = _Parser(prog=PROG, description="Calibrate deterrence-sim to a target set of ceasefire failure "
                "shares by ABC-SMC; writes the posterior, the trace, a posterior predictive check and "
                "figures into --out. Re-running the same command on the same --out resumes it.")
    p.add_argument("targets", metavar="TARGETS",
                   help="target set: a name (fortna_civil_no_pk) or a .csv file")
    p.add_argument("overrides", nargs="*", metavar="OVERRIDES",
                   help="scenario overrides (sim.seed=7), and hydra/launcher=joblib or "
                        "hydra/launcher=submitit_slurm with hydra.launcher.* settings to split populations")
    p.add_argument("--out", required=True, type=Path,
                   help="folder of the calibration (new, or one to resume)")
    p.add_argument("--population", type=int, help="particles per generation")
    p.add_argument("--replications", type=int, help="replications per particle (default: the targets' n)")
    p.add_argument("--max-generations", type=int)
    p.add_argument("--min-acceptance", type=float)
    p.add_argument("--max-simulations", type=int, help="stop once this many particles were simulated")
    p.add_argument("--jobs", type=int, help="launcher jobs at once (default: the CPUs)")
    p.add_argument("--check-draws", type=int, help="posterior draws of the predictive check")
    p.add_argument("--posterior", type=Path, metavar="FILE",
                   help="also write the posterior here, with its provenance (FILE.yaml beside it)")
    p.add_argument("--targets-dir", type=Path, action="append", default=[],
                   help="a folder of your own target sets (NAME.csv + NAME.yaml); may repeat")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    args = parse_args(argv)
    from deterrence_sim import fit as cal  # Hydra, SciPy: after the arguments parse
    from deterrence_sim.calibration import store
    from deterrence_sim.posterior_check import posterior_check, ship_posterior, write_outputs

    launcher = [o for o in args.overrides if is_launcher_override(o)]
    scenario = [o for o in args.overrides if not is_launcher_override(o)]
    out: Path = args.out
    done_before = _finished_generations(out, store)
    finished = (out / store.RESULT).is_file()
    try:
        spec = cal.fit_spec(args.targets, scenario, replications=args.replications,
                            target_dirs=args.targets_dir, population_size=args.population,
                            max_generations=args.max_generations, min_acceptance=args.min_acceptance,
                            max_simulations=args.max_simulations)
        if args.check_draws is not None and args.check_draws < 1:
            raise ConfigError(f"--check-draws: invalid value {args.check_draws}; allowed: a whole "
                              "number >= 1")
        if args.jobs is not None and args.jobs < 1:
            raise ConfigError(f"--jobs: invalid value {args.jobs}; allowed: a whole number >= 1")
        _say(f"{PROG}: fitting {', '.join(spec.prior.names)} to {spec.targets.name} "
             f"({spec.replications} replications per particle, {spec.abc['population_size']} particles, "
             f"{spec.sector_days_per_particle:,} sector-days per particle, seed {spec.seed})"
             + ("; finished earlier: only the check is run again" if finished
                else f"; resuming after generation {done_before - 1}" if done_before else ""))
        start = time.monotonic()
        fit = cal.run_calibration(spec, out=out, launcher=launcher, jobs=args.jobs, progress=True)
    except ConfigError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _interrupted(out, store)
    _say(f"{PROG}: ABC stopped ({fit.result.stop_reason}) after {len(fit.result.trace)} generations; "
         "posterior predictive check ...")
    try:
        check_start = time.monotonic()
        check = posterior_check(fit.spec, fit.result.posterior, draws=args.check_draws, launcher=launcher,
                                jobs=fit_jobs(launcher, args.jobs), work_dir=out / "jobs")
    except KeyboardInterrupt:
        _interrupted(out, store)
    check_seconds = time.monotonic() - check_start
    check_sector_days = check.draws * fit.spec.sector_days_per_particle
    cost = {"wall_seconds": round(time.monotonic() - start, 1), "abc_seconds": round(fit.seconds, 1),
            "check_seconds": round(check_seconds, 1), "simulated_particles": fit.simulated_particles,
            "sector_days": fit.sector_days + check_sector_days, "abc_sector_days": fit.sector_days,
            "check_sector_days": check_sector_days, "resumed_after_generations": done_before,
            "launcher": launcher, "jobs": fit_jobs(launcher, args.jobs)}
    cost["cpu_seconds"] = round(_cpu_seconds(), 1)
    cost = _with_earlier(cost, out, store)
    write_outputs(fit, check, out, cost)
    if args.posterior is not None:
        ship_posterior(fit, args.posterior, cost, out)
    _report(fit, check, cost, out, args.posterior)


def fit_jobs(launcher: list[str], jobs: int | None) -> int:
    """Jobs at once: as given, else the CPUs under a launcher, else 1."""
    from deterrence_sim.fit import _cpus

    return jobs if jobs is not None else (_cpus() if launcher else 1)


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (joblib's workers are stopped first, so
    that theirs counts): on a shared machine, the figure that wall time cannot give."""
    import resource

    if "joblib" in sys.modules:
        from joblib.externals.loky import get_reusable_executor

        get_reusable_executor().shutdown(wait=True)
    used = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in used)


def _with_earlier(cost: dict, out: Path, store) -> dict:
    """The cost of the whole calibration: a resumed run adds what the runs before it spent (as far
    as a finished run wrote it down; an interrupted run's time is not known)."""
    path = out / "cost.json"
    if not cost["resumed_after_generations"] or not path.is_file():
        return cost
    earlier = store.read_json(path)
    summed = {k: cost[k] + earlier.get(k, 0)
              for k in ("abc_seconds", "simulated_particles", "abc_sector_days", "cpu_seconds")}
    total = {"wall_seconds": round(summed["abc_seconds"] + cost["check_seconds"], 1),
             "sector_days": summed["abc_sector_days"] + cost["check_sector_days"]}
    return {**cost, **summed, **total}


def _finished_generations(out: Path, store) -> int:
    if not (out / store.SETTINGS).is_file():
        return 0
    n = 0
    while (store.generation_dir(out, n) / store.GENERATION).is_file():
        n += 1
    return n


def _interrupted(out: Path, store) -> None:
    n = _finished_generations(out, store)
    if n:
        message = (f"interrupted: {n} finished generation(s) kept in {out}; run the same command again to "
                   f"resume from generation {n}")
    else:
        message = "interrupted before the first generation finished; run the same command again to start over"
    print(f"\n{PROG}: {message}", file=sys.stderr, flush=True)
    raise SystemExit(EXIT_INTERRUPTED)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _report(fit, check, cost, out: Path, shipped: Path | None) -> None:
    from deterrence_sim.report.calibration import check_rows

    trace = fit.result.trace
    print(f"posterior of {', '.join(fit.spec.prior.names)} ({fit.result.stop_reason}, "
          f"{len(trace)} generations, final tolerance {trace['epsilon'].iloc[-1]:.4g}):")
    print(fit.result.summary((0.025, 0.5, 0.975)).to_string(index=False))
    print("posterior predictive check:")
    print(check_rows(check.table).to_string(index=False))
    print(f"cost: {cost['sector_days']:,} sector-days, {cost['wall_seconds']:.0f} s wall time, "
          f"{cost['cpu_seconds']:.0f} s of CPU ({cost['simulated_particles']:,} particles in ABC, "
          f"{check.draws} in the check)")
    print(f"outputs: {out}" + (f"; posterior shipped to {shipped}" if shipped else ""))


if __name__ == "__main__":
    main()
