"""The calibration preset: the default scenario draws its calibrated parameters from the shipped
posterior (one weighted particle per replication, common to designs), a value one sets keeps its
value, ``calibration=none`` runs the presets' own values, and a bad posterior is one line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import deterrence_sim as ds
from deterrence_sim.api import collapse_overrides, expand_overrides, scenario_design
from deterrence_sim.calibration.posterior import load_posterior
from deterrence_sim.config import ConfigError

SMALL = ["theater.n_sectors=5", "sim.horizon_days=5"]
REGEN = "theater.aggressor.regen_per_day"


@pytest.fixture(scope="module")
def shipped():
    name = ds.compose_scenario([]).calibration.posterior
    assert name == "fortna_civil_no_pk"                    # the default scenario is calibrated
    return load_posterior(name)


def test_each_replication_takes_one_particle_of_the_shipped_posterior(shipped) -> None:
    runs = ds.simulate(SMALL, replications=2000, seed=3).runs
    drawn = runs[[f"param.{p}" for p in shipped.paths]].to_numpy()
    particles = {tuple(row) for row in np.round(shipped.values, 12)}
    assert all(tuple(row) in particles for row in np.round(drawn, 12))     # whole particles, jointly
    # by weight: the weighted mean of each parameter, within 4 standard errors of 2,000 draws
    w = np.diff(shipped.cumulative, prepend=0.0)
    for j, path in enumerate(shipped.paths):
        x = shipped.values[:, j]
        mean = float(w @ x)
        sd = float(np.sqrt(w @ (x - mean) ** 2))
        assert abs(runs[f"param.{path}"].mean() - mean) < 4 * sd / np.sqrt(len(runs)), path


def test_designs_draw_the_same_particles(shipped) -> None:
    a, b = (ds.simulate([*SMALL, f"guarantee={g}"], replications=200, seed=3).runs
            for g in ("none", "paris_package"))
    for path in shipped.paths:
        assert np.array_equal(a[f"param.{path}"], b[f"param.{path}"]), path


def test_a_calibrated_parameter_one_sets_keeps_its_value(shipped) -> None:
    overrides = [*SMALL, f"{REGEN}=0.02"]
    runs = ds.simulate(overrides, replications=300, seed=3).runs
    assert f"param.{REGEN}" not in runs                      # one number again: typed, not drawn
    model = ds.CeasefireModel(ds.compose_scenario(overrides), 50, 0)
    assert np.all(model.scenario.theater.aggressor.regen_per_day == 0.02)
    others = [p for p in shipped.paths if p != REGEN]
    base = ds.simulate(SMALL, replications=300, seed=3).runs
    for path in others:                                     # the rest of the particle still drawn
        assert np.array_equal(runs[f"param.{path}"], base[f"param.{path}"]), path
    sweep = ds.simulate([*SMALL, f"{REGEN}={{dist:uniform,low:0.01,high:0.02}}"], replications=300).runs
    assert sweep[f"param.{REGEN}"].between(0.01, 0.02).all()
    # the list is bookkeeping: not a design column, not shown as an override
    expanded = expand_overrides(overrides)
    assert expanded[-1] == f"calibration.keep=[{REGEN}]"
    assert collapse_overrides(expanded) == overrides
    assert "calibration.keep" not in scenario_design(ds.compose_scenario(overrides), overrides)
    assert "calibration.keep" not in runs.columns


def test_calibration_none_runs_the_presets_own_values(shipped) -> None:
    runs = ds.simulate([*SMALL, "calibration=none"], replications=500, seed=3).runs
    preset = ds.compose_scenario(["calibration=none"]).theater.aggressor.regen_per_day
    assert preset["dist"] == "triangular"
    assert runs[f"param.{REGEN}"].between(preset["low"], preset["high"]).all()
    particles = set(np.round(shipped.values[:, shipped.paths.index(REGEN)], 12))
    assert not set(runs[f"param.{REGEN}"].round(12)) & particles


@pytest.mark.parametrize("table, message", [
    (pd.DataFrame({REGEN: [0.004, 0.005]}), "no 'weight' column"),
    (pd.DataFrame({REGEN: [0.004, 0.005], "weight": [-1.0, 2.0]}), "weights must be finite, >= 0"),
    (pd.DataFrame({"attack.no_such_field": [1.0], "weight": [1.0]}),
     "column 'attack.no_such_field' is not a"),
])
def test_a_bad_posterior_is_one_line(tmp_path: Path, table: pd.DataFrame, message: str) -> None:
    path = tmp_path / "post.parquet"
    table.to_parquet(path)
    with pytest.raises(ConfigError) as exc:
        ds.compose_scenario([f"calibration.posterior={path}"])
    text = str(exc.value)
    assert text.startswith(f"calibration.posterior: invalid value '{path}'") and message in text
    assert "\n" not in text
