"""The explore path against a Hydra multirun with one job per point, measured in one run (``make bench``).

The same points (a Sobol' design of the 12 parameters of ``explore=what_matters``, N = 64: 896
points, 8 replications each, on the default scenario: paris_package, 40 sectors, 730 days) run

- through ``deterrence-sim-explore`` (all of it: composing and checking, the chunks on both
  cores, the tables, the indices and the figures), and
- on a sample of them (the first ``SAMPLE`` points) as ``deterrence-sim -m`` with one job per
  point: each point is an experiment preset of its own (``+experiment=pt_0,pt_1,...`` from a
  folder on ``hydra.searchpath``) that sets its 12 values (kept over the calibration's draw:
  ``calibration.keep``) and ``sim.replications=8``, run by the
  joblib launcher on both cores (composing, checking and consolidating included).

Each side's wall time is divided by its number of points. The sample's rows must be the explore
path's rows of the same points (same values, same random numbers), so the two do the same work.
The aim is a speed-up of at least 50 per point.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import yaml

from deterrence_sim.exploration.plan import make_plan

EXPLORE = ["explore=what_matters", "explore.designs=[]", "explore.n=64", "explore.replications_per_point=8"]
SAMPLE = 12                          # points run as multirun jobs
OUTPUTS = ["collapsed", "duration_days", "guarantor_cost", "wider_war", "violations_minor", "detected"]


def _nested(path: str, value: float) -> dict:
    out: dict = {}
    node = out
    *head, last = path.split(".")
    for key in head:
        node = node.setdefault(key, {})
    node[last] = value
    return out


def _merge(a: dict, b: dict) -> dict:
    for key, value in b.items():
        a[key] = _merge(a.get(key, {}), value) if isinstance(value, dict) else value
    return a


def write_point_presets(points: pd.DataFrame, folder: Path, replications: int) -> list[str]:
    """One experiment preset per point (``folder/experiment/pt_<i>.yaml``); their names."""
    (folder / "experiment").mkdir(parents=True)
    names = []
    for i, row in points.iterrows():
        # the point's values, kept over the calibration's draw (as a point of ds.evaluate is)
        tree: dict = {"sim": {"replications": replications},
                      "calibration": {"keep": [str(path) for path in row.index]}}
        for path, value in row.items():
            _merge(tree, _nested(str(path), float(value)))
        text = "# @package _global_\n" + yaml.safe_dump(tree, sort_keys=False)
        (folder / "experiment" / f"pt_{i}.yaml").write_text(text)
        names.append(f"pt_{i}")
    return names


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=3600)
    assert done.returncode == 0, done.stderr[-2000:]
    return time.perf_counter() - start


def test_explore_path_against_one_multirun_job_per_point(benchmark, tmp_path: Path) -> None:
    plan = make_plan(EXPLORE, out=tmp_path / "explore")
    k, n_points = plan.explore.replications_per_point, len(plan.points)
    explore_cmd = [sys.executable, "-m", "deterrence_sim.exploration", *EXPLORE, f"explore.out={plan.folder}"]
    explore_s = benchmark.pedantic(timed, args=(explore_cmd, tmp_path), rounds=1, iterations=1)

    names = write_point_presets(plan.points.iloc[:SAMPLE], tmp_path / "presets", k)
    script = shutil.which("deterrence-sim", path=str(Path(sys.executable).parent))
    sweep = tmp_path / "multirun"
    multirun_s = timed([script, "-m", f"+experiment={','.join(names)}",
                        f"hydra.searchpath=[file://{tmp_path / 'presets'}]", "hydra/launcher=joblib",
                        f"hydra.sweep.dir={sweep}"], tmp_path)

    explored = pd.read_parquet(plan.folder / "runs.parquet")
    jobs = pd.read_parquet(sweep / "runs.parquet")
    for i in range(len(names)):                            # the same points do the same work
        mine = explored[explored["point"] == i].reset_index(drop=True)
        theirs = jobs[jobs["job"] == i]                    # job i ran experiment pt_i
        pd.testing.assert_frame_equal(mine[OUTPUTS], theirs[OUTPUTS].reset_index(drop=True),
                                      check_exact=False, rtol=1e-9)

    per_point_explore, per_point_multirun = explore_s / n_points, multirun_s / SAMPLE
    ratio = per_point_multirun / per_point_explore
    info = benchmark.extra_info
    info.update({"points_explored": n_points, "replications_per_point": k, "explore_s": round(explore_s, 1),
                 "explore_ms_per_point": round(per_point_explore * 1e3, 1), "multirun_points": SAMPLE,
                 "multirun_s": round(multirun_s, 1), "multirun_ms_per_point": round(per_point_multirun * 1e3),
                 "x_faster_per_point": round(ratio, 1)})
    print("explore vs multirun: " + ", ".join(f"{key} = {value}" for key, value in info.items()))
    assert ratio >= 50, f"the explore path is only {ratio:.1f}x faster per point than one job per point"
