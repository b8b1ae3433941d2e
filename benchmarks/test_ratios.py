"""Side-by-side ratios in one benchmark run (``make bench``; disabled in ``make test``).

On the default scenario (opportunist x us_led_tech x paris_package, 40 sectors, 730 days):

- the batched NumPy core against the plain-Mesa reference (``mesa_reference.py``), same scenario;
- the core batched over R = 10,000 replications against the same core run R times with R = 1;
- sector-days per second at R = 10,000, as a fraction of this machine's ceiling.

The slow sides are measured on a sample and extrapolated: the plain-Mesa reference on 20
replications, the core at R = 1 on 20 runs (``block_size=1``: 20 models of one replication). Both
run one replication at a time, so their time is linear in the replication-days simulated; each is
scaled by its seconds per replication-day to the replication-days of the batched run it is compared
with (replications stop at their collapse, so replication-days, not replications, measure the work).

The ceiling is the time one sector-day cannot go below here: the two dense float32 uniforms the
model draws per sector-day (the aggressor's opportunity and the defender's reaction, from PCG64
generators; detection, attribution and verification draw counter uniforms only at the few events,
which the ceiling leaves out), at the cost of the PCG64 generator's raw output (32 bits each, the
bits ``Generator.random`` makes each float32 from), plus one read and one write of the per-sector
state (detection beliefs alpha, beta and their mean for two rungs in float32, and the two int8 rung
maps: 26 bytes) at the bandwidth NumPy reaches for a plain copy of a large array.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from mesa_reference import simulate_reference

from deterrence_sim import compose_scenario
from deterrence_sim.simulation import simulate_scenario

SCENARIO = compose_scenario([])
SAMPLE = 20                          # replications of each slow side actually run
UNIFORMS_PER_SECTOR_DAY = 2          # dense: aggressor's opportunity, defender's reaction
STATE_BYTES_PER_SECTOR = 2 * 3 * 4 + 2
MEASURED: dict[str, float] = {}      # filled by the benchmarks in file order, read by the last ones


def _scenario(replications: int, block_size: int):
    sim = dataclasses.replace(SCENARIO.sim, replications=replications, block_size=block_size)
    return dataclasses.replace(SCENARIO, sim=sim)


def _replication_days(runs: pd.DataFrame) -> int:
    return int(runs["duration_days"].sum())


def test_ceiling_uniforms_numpy_float32(benchmark) -> None:
    """For comparison: ``Generator.random(dtype=float32)``, which builds every float."""
    rng = np.random.default_rng(0)
    out = np.empty((UNIFORMS_PER_SECTOR_DAY, 10_000, 40), dtype=np.float32)
    benchmark.pedantic(rng.random, args=(out.shape,), kwargs={"dtype": np.float32, "out": out},
                       rounds=10, iterations=1, warmup_rounds=1)
    benchmark.extra_info["ns_per_float32_uniform"] = round(benchmark.stats["min"] / out.size * 1e9, 3)


def test_ceiling_uniforms_raw_bits(benchmark) -> None:
    """The generator itself: 32 random bits per uniform (``core.rng.Uniforms`` reads them so)."""
    bits = np.random.default_rng(0).bit_generator
    size = UNIFORMS_PER_SECTOR_DAY * 10_000 * 40
    benchmark.pedantic(bits.random_raw, args=(size // 2,), rounds=10, iterations=1, warmup_rounds=1)
    per_uniform = benchmark.stats["min"] / size
    MEASURED["ns_per_uniform"] = per_uniform * 1e9
    benchmark.extra_info["ns_per_uniform_pcg64_raw"] = round(per_uniform * 1e9, 3)


def test_ceiling_copy_bandwidth(benchmark) -> None:
    src = np.ones(2**25)                                # 256 MiB, far beyond the caches
    dst = np.empty_like(src)
    benchmark.pedantic(np.copyto, args=(dst, src), rounds=5, iterations=1, warmup_rounds=1)
    bandwidth = 2 * src.nbytes / benchmark.stats["min"]   # bytes read + written per second
    MEASURED["bandwidth"] = bandwidth
    benchmark.extra_info["copy_gb_per_s_read_plus_write"] = round(bandwidth / 1e9, 2)


def test_plain_mesa_reference_sample(benchmark) -> None:
    rows = benchmark.pedantic(simulate_reference, args=(SCENARIO, SAMPLE), rounds=1, iterations=1)
    days = int(sum(r["duration_days"] for r in rows))
    MEASURED["mesa_s_per_replication_day"] = benchmark.stats["mean"] / days
    benchmark.extra_info["replications"] = SAMPLE
    benchmark.extra_info["replication_days"] = days
    benchmark.extra_info["us_per_replication_day"] = round(benchmark.stats["mean"] / days * 1e6, 1)


def test_core_one_replication_at_a_time_sample(benchmark) -> None:
    result = benchmark.pedantic(simulate_scenario, args=(_scenario(SAMPLE, 1),), rounds=1, iterations=1)
    days = _replication_days(result.runs)
    MEASURED["r1_s_per_replication_day"] = benchmark.stats["mean"] / days
    benchmark.extra_info["runs_of_one_replication"] = SAMPLE
    benchmark.extra_info["replication_days"] = days
    benchmark.extra_info["ms_per_simulated_day"] = round(benchmark.stats["mean"] / days * 1e3, 3)


@pytest.mark.parametrize("replications", [1_000, 10_000])
def test_core_batched(benchmark, replications: int) -> None:
    scenario = _scenario(replications, replications)
    result = benchmark.pedantic(simulate_scenario, args=(scenario,), rounds=1, iterations=1)
    seconds = benchmark.stats["mean"]
    days = _replication_days(result.runs)
    info = benchmark.extra_info
    info["replication_days"] = days
    sector_days = scenario.sim.horizon_days * scenario.theater.n_sectors * replications
    info["sector_days_per_second"] = round(sector_days / seconds)
    if "mesa_s_per_replication_day" in MEASURED:
        info["x_faster_than_plain_mesa"] = round(MEASURED["mesa_s_per_replication_day"] * days / seconds)
    if "r1_s_per_replication_day" in MEASURED:
        info["x_faster_than_R_runs_of_R1"] = round(MEASURED["r1_s_per_replication_day"] * days / seconds)
    if {"ns_per_uniform", "bandwidth"} <= MEASURED.keys():
        floor = (UNIFORMS_PER_SECTOR_DAY * MEASURED["ns_per_uniform"] * 1e-9
                 + 2 * STATE_BYTES_PER_SECTOR / MEASURED["bandwidth"])
        info["ceiling_sector_days_per_second"] = round(1.0 / floor)
        info["fraction_of_ceiling"] = round(sector_days / seconds * floor, 3)
    print(f"R = {replications}: " + ", ".join(f"{k} = {v}" for k, v in info.items()))
