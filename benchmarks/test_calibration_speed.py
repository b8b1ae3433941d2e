"""A population of ABC particles: one batched ``ds.evaluate`` call against one ``ds.simulate`` per particle.

``make bench`` only (disabled in ``make test``). The population is what ABC-SMC simulates in one
generation of the default calibration: 1,000 particles of the ``fortna_civil_no_pk`` prior, each
with k = 62 independent replications of the bare truce (40 sectors). The horizon is one year here
(the calibration runs five), to keep the benchmark to minutes; both paths scale with it, apart from
the per-particle path's fixed cost of composing a scenario, so a longer horizon lowers the ratio
somewhat.

- **batched**: ``ds.evaluate(points, overrides, replications_per_point=62,
  common_random_numbers=False)``, one call for the whole population (what ``ds.calibrate`` does);
- **per particle**: ``ds.simulate(overrides + ["path=value", ...], replications=62)`` once per
  particle, as a sampler that calls the model once per particle would (pyABC, EMA Workbench),
  measured on a sample of particles and scaled to 1,000 (the time per particle does not depend on
  how many others there are).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

import deterrence_sim as ds
from deterrence_sim.fit import fit_spec

PARTICLES = 1_000
K = 62
SAMPLE = 10
HORIZON = 365
SPEC = fit_spec("fortna_civil_no_pk")          # the calibration's scenario and prior
OVERRIDES = [*(o for o in SPEC.overrides if not o.startswith("sim.horizon_days=")),
             f"sim.horizon_days={HORIZON}"]
POINTS = SPEC.prior.frame(SPEC.prior.sample(np.random.default_rng(12), PARTICLES))
MEASURED: dict[str, float] = {}


def _per_particle(points: pd.DataFrame) -> None:
    for i, row in points.iterrows():
        ds.simulate([*OVERRIDES, *(f"{path}={value!r}" for path, value in row.items())], replications=K,
                    seed=int(i))


def test_one_simulate_call_per_particle_sample(benchmark) -> None:
    sample = POINTS.iloc[:SAMPLE]
    benchmark.pedantic(_per_particle, args=(sample,), rounds=1, iterations=1)
    MEASURED["per_particle_s"] = benchmark.stats["mean"] / SAMPLE
    benchmark.extra_info["particles_run"] = SAMPLE
    benchmark.extra_info["s_per_particle"] = round(MEASURED["per_particle_s"], 3)
    benchmark.extra_info["extrapolated_s_for_1000"] = round(MEASURED["per_particle_s"] * PARTICLES, 1)


def test_one_batched_evaluate_call_for_the_population(benchmark) -> None:
    start = time.perf_counter()
    runs = benchmark.pedantic(ds.evaluate, args=(POINTS, OVERRIDES),
                              kwargs={"replications_per_point": K, "seed": 1, "common_random_numbers": False},
                              rounds=1, iterations=1)
    seconds = time.perf_counter() - start
    assert len(runs) == PARTICLES * K
    info = benchmark.extra_info
    sector_days = PARTICLES * K * HORIZON * 40
    info["particles"], info["replications_per_particle"], info["horizon_days"] = PARTICLES, K, HORIZON
    info["sector_days"] = sector_days
    info["sector_days_per_second"] = round(sector_days / seconds)
    if "per_particle_s" in MEASURED:
        ratio = MEASURED["per_particle_s"] * PARTICLES / seconds
        info["x_faster_than_one_simulate_per_particle"] = round(ratio, 1)
    print(", ".join(f"{k} = {v}" for k, v in info.items()))
