"""What the redesign costs, measured side by side in one benchmark run (``make bench`` only).

- The default scenario at R = 10,000 (one block) on this revision and on earlier ones: the revision
  before the core redesign (issue "Core redesign") and the one before the early-warning and
  escalation mechanisms (issue "Mechanisms the mission asks about"). Each earlier revision is
  checked out into a temporary git worktree and run in a subprocess with its own sources first on
  ``PYTHONPATH`` (the same packages); the time counted is the simulation's, not the start-up's.
- Uncertainty: the default scenario (its theatre ranges and types drawn per replication) against the
  same scenario with every parameter fixed at its distribution's median.
- ``ds.evaluate`` on 1,000 points x 10 replications against one 10,000-replication scenario.

Revisions can be changed with ``DETERRENCE_SIM_REV_BEFORE_CORE`` / ``DETERRENCE_SIM_REV_BEFORE_MECHANISMS``.
Sector-days count horizon x sectors x replications, as in ``test_core_speed.py``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from deterrence_sim import compose_scenario
from deterrence_sim.config import parameters
from deterrence_sim.core.distributions import is_distribution, sample
from deterrence_sim.parameters import _substitute
from deterrence_sim.simulation import evaluate_points, simulate_scenario

ROOT = Path(__file__).resolve().parents[1]
R = 10_000
REVISIONS = {
    "before_core_redesign": os.environ.get("DETERRENCE_SIM_REV_BEFORE_CORE", "3efb633"),
    "before_mechanisms": os.environ.get("DETERRENCE_SIM_REV_BEFORE_MECHANISMS", "a29e853"),
}
MEASURED: dict[str, float] = {}

#: Run in the subprocess: the revision's own default scenario at R in one block, best of 2.
TIMER = """
import dataclasses, json, time
from deterrence_sim import compose_scenario
try:
    from deterrence_sim.simulation import simulate_scenario
except ImportError:
    from deterrence_sim.results import simulate_scenario
sc = compose_scenario([])
sc = dataclasses.replace(sc, sim=dataclasses.replace(sc.sim, replications={r}, block_size={r}))
best = float("inf")
for _ in range(2):
    t = time.perf_counter(); simulate_scenario(sc); best = min(best, time.perf_counter() - t)
print(json.dumps({{"seconds": best, "sector_days": sc.sim.horizon_days * sc.theater.n_sectors * {r}}}))
"""


def _sector_days_per_second(seconds: float, scenario) -> float:
    return scenario.sim.horizon_days * scenario.theater.n_sectors * scenario.sim.replications / seconds


def _scenario(replications: int = R, block_size: int = R, overrides=()):
    sc = compose_scenario(list(overrides))
    return dataclasses.replace(sc, sim=dataclasses.replace(sc.sim, replications=replications,
                                                           block_size=block_size))


def test_this_revision(benchmark) -> None:
    sc = _scenario()
    benchmark.pedantic(simulate_scenario, args=(sc,), rounds=2, iterations=1)
    rate = _sector_days_per_second(benchmark.stats["min"], sc)
    MEASURED["this"] = rate
    benchmark.extra_info["sector_days_per_second"] = round(rate)


@pytest.mark.parametrize("label", list(REVISIONS))
def test_earlier_revision(benchmark, label: str) -> None:
    rev = REVISIONS[label]
    known = subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", f"{rev}^{{commit}}"],
                           capture_output=True)
    if known.returncode:
        pytest.skip(f"revision {rev} is not in this clone's history")
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), rev],
                       check=True)
        try:
            env = {**os.environ, "PYTHONPATH": str(tree / "src")}

            def run() -> dict:
                out = subprocess.run([sys.executable, "-c", TIMER.format(r=R)], env=env, cwd=tmp,
                                     capture_output=True, text=True, check=True)
                return json.loads(out.stdout.strip().splitlines()[-1])

            result = benchmark.pedantic(run, rounds=1, iterations=1)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                           capture_output=True)
    rate = result["sector_days"] / result["seconds"]
    benchmark.extra_info["revision"] = rev
    benchmark.extra_info["sector_days_per_second"] = round(rate)
    if "this" in MEASURED:
        benchmark.extra_info["this_over_earlier"] = round(MEASURED["this"] / rate, 3)
        print(f"{label} ({rev}): {rate / 1e6:.1f} M sector-days/s; this revision "
              f"{MEASURED['this'] / 1e6:.1f} M ({MEASURED['this'] / rate:.3f}x)")


def _all_fixed(sc):
    """The scenario with every distribution replaced by its median (whole numbers rounded)."""
    median = {p.path: float(sample(p.value, np.array([0.5]), p.allowed, p.integer)[0])
              for p in parameters(sc) if is_distribution(p.value)}
    median = {k: int(v) if float(v).is_integer() else v for k, v in median.items()}
    return _substitute(sc, median, ""), len(median)


@pytest.mark.parametrize("uncertain", [False, True], ids=["all_fixed", "default_uncertain"])
def test_cost_of_uncertain_parameters(benchmark, uncertain: bool) -> None:
    sc = _scenario()
    fixed, drawn = _all_fixed(sc)
    scenario = sc if uncertain else fixed
    benchmark.pedantic(simulate_scenario, args=(scenario,), rounds=2, iterations=1)
    key = "uncertain" if uncertain else "fixed"
    MEASURED[key] = benchmark.stats["min"]
    benchmark.extra_info["uncertain_parameters"] = drawn if uncertain else 0
    if {"fixed", "uncertain"} <= MEASURED.keys():
        benchmark.extra_info["uncertain_over_fixed"] = round(MEASURED["uncertain"] / MEASURED["fixed"], 3)


@pytest.mark.parametrize("how", ["one_scenario", "evaluate_1000_points"])
def test_evaluate_costs_what_a_scenario_costs(benchmark, how: str) -> None:
    sc = _scenario()
    if how == "one_scenario":
        benchmark.pedantic(simulate_scenario, args=(sc,), rounds=1, iterations=1)
    else:
        rng = np.random.default_rng(0)
        points = pd.DataFrame({"attack.temperature": rng.uniform(0.1, 1.0, 1000),
                               "attack.offensive_cost": rng.uniform(5.0, 20.0, 1000)})
        benchmark.pedantic(evaluate_points, args=(sc, points, 10), rounds=1, iterations=1)
    MEASURED[how] = benchmark.stats["min"]
    if {"one_scenario", "evaluate_1000_points"} <= MEASURED.keys():
        benchmark.extra_info["evaluate_over_scenario"] = round(
            MEASURED["evaluate_1000_points"] / MEASURED["one_scenario"], 3)
