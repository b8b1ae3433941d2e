"""The model works with Mesa's own tools: steps, running, DataCollector, agents by type, batch_run."""

from __future__ import annotations

import mesa
import numpy as np
import pytest

import deterrence_sim as ds
from deterrence_sim.agents import (
    Aggressor,
    Defender,
    GuaranteeCommitment,
    Guarantor,
    MonitoringAsset,
)
from deterrence_sim.columns import DAILY_MEANS

SMALL = ["theater.n_sectors=5", "sim.horizon_days=12"]


@pytest.fixture
def model():
    return ds.CeasefireModel(ds.compose_scenario(SMALL), 30, 0)


def test_steps_are_days_and_running_stops_at_the_horizon(model):
    assert model.steps == 0 and model.running
    while model.running:
        model.step()
    assert model.steps == 12 and not model.running
    totals = {k: v.copy() for k, v in model.recorder.totals.items()}
    model.step()                                       # past the end: nothing happens
    model.step()
    assert model.steps == 12
    for name, total in model.recorder.totals.items():
        np.testing.assert_array_equal(total, totals[name])


def test_running_stops_when_every_replication_has_collapsed():
    sc = ds.compose_scenario(["attack=revisionist", "guarantee=none", "monitoring=none",
                              "attack.offensive_rate_per_day=1", "attack.offensive_temperature=0",
                              "attack.offensive_cost=0", "theater.aggressor.capability=50",
                              "theater.n_sectors=3", "sim.horizon_days=400"])
    model = ds.CeasefireModel(sc, 20, 0).run_model()
    assert not model.running and model.steps < 400 and not model.in_ceasefire.any()


def test_datacollector_holds_the_daily_means(model):
    model.run_model()
    frame = model.datacollector.get_model_vars_dataframe()
    assert len(frame) == model.steps + 1                # day 0, then one row per day
    assert set(frame.columns) == {"share_in_ceasefire", *DAILY_MEANS}
    daily = model.recorder.daily_sums / model.recorder.in_ceasefire[:, None]
    for i, name in enumerate(DAILY_MEANS):
        np.testing.assert_allclose(frame[name].to_numpy()[1:], daily[:, i], rtol=1e-12)
    live = model.recorder.in_ceasefire - model.recorder.collapses
    np.testing.assert_allclose(frame["share_in_ceasefire"].to_numpy()[1:], live / model.n)


def test_agents_are_found_by_type(model):
    counts = {cls: len(model.agents_by_type[cls]) for cls in model.agents_by_type}
    assert counts == {Guarantor: 5, Defender: 1, MonitoringAsset: 4, GuaranteeCommitment: 2,
                      Aggressor: 1}


def test_batch_run_runs_the_model_from_keyword_arguments():
    rows = mesa.batch_run(ds.batch_model, {"guarantee": ["none", "paris_package"],
                                           "attack.temperature": [0.2, 0.9], "replications": 10,
                                           "theater.n_sectors": 4, "sim.horizon_days": 6},
                          iterations=1, max_steps=100, number_processes=1, display_progress=False)
    assert len(rows) == 4
    assert {(r["guarantee"], r["attack.temperature"]) for r in rows} == {
        (g, t) for g in ("none", "paris_package") for t in (0.2, 0.9)}
    assert all(0.0 <= r["share_in_ceasefire"] <= 1.0 and "force_ratio" in r for r in rows)


def test_batch_model_refuses_bad_keyword_arguments_with_one_line():
    with pytest.raises(ds.ConfigError, match=r"^attack\.temperature: invalid value -1; allowed: "):
        ds.batch_model(**{"attack.temperature": -1})
