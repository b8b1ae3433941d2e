"""Speed of the batched core on the default scenario (``make bench``; never part of ``make test``).

Reports sector-days per second and the peak traced memory at R = 1, 100, 1,000 and 10,000
replications, and the peak memory at two horizons (memory must not grow with the horizon).
"""

from __future__ import annotations

import dataclasses
import tracemalloc

import pytest

from deterrence_sim import compose_scenario
from deterrence_sim.simulation import simulate_scenario

SCENARIO = compose_scenario([])


def _scenario(replications: int, horizon_days: int = 730):
    sim = dataclasses.replace(SCENARIO.sim, replications=replications, horizon_days=horizon_days,
                              block_size=max(1000, min(replications, 10_000)))
    return dataclasses.replace(SCENARIO, sim=sim)


@pytest.mark.parametrize("replications", [1, 100, 1_000, 10_000])
def test_default_scenario(benchmark, replications: int) -> None:
    scenario = _scenario(replications)
    result = benchmark.pedantic(simulate_scenario, args=(scenario,), rounds=1 if
                                replications >= 1_000 else 3, iterations=1)
    assert len(result.runs) == replications
    days = result.daily["in_ceasefire"].sum()
    sector_days = scenario.sim.horizon_days * scenario.theater.n_sectors * replications
    benchmark.extra_info["sector_days"] = sector_days
    benchmark.extra_info["replication_days_in_ceasefire"] = int(days)
    benchmark.extra_info["sector_days_per_second"] = sector_days / benchmark.stats["mean"]


@pytest.mark.parametrize("horizon_days", [182, 730])
def test_memory_flat_in_horizon(benchmark, horizon_days: int) -> None:
    scenario = _scenario(1_000, horizon_days)

    def traced() -> int:
        tracemalloc.start()
        simulate_scenario(scenario)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    peak = benchmark.pedantic(traced, rounds=1, iterations=1)
    benchmark.extra_info["peak_traced_mib"] = round(peak / 2**20, 1)
