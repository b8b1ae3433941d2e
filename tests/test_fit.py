"""``ds.calibrate``: what a target set fits, bad input, reproducibility, launchers, the check.

Every run here is tiny: a target set of two short horizons (20 and 40 days) written into a
temporary folder, 3 sectors, a few replications and particles.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml

import deterrence_sim as ds
from deterrence_sim import fit as fit_module
from deterrence_sim.calibration import load_targets
from deterrence_sim.config import ConfigError
from deterrence_sim.fit import FailedShares, fit_spec
from deterrence_sim.posterior_check import posterior_check, resample, shares_by_day, ship_posterior

FIT = {"scenario": ["monitoring=none", "guarantee=none", "calibration=none", "theater.n_sectors=3",
                    "theater.aggressor.capability=3", "attack.offensive_cost=0"],
       "parameters": {"attack.offensive_rate_per_day": {"dist": "uniform", "low": 0.0, "high": 0.1},
                      "theater.aggressor.regen_per_day": "config"},
       "replications_per_particle": 8,
       "abc": {"population_size": 12, "max_generations": 2},
       "check_draws": 6}
TABLE = "horizon_days,share_failed,low,high,n\n20,0.2,0.08,0.42,20\n40,0.35,0.18,0.57,20\n"


def target_set(folder: Path, name: str = "tiny", fit=FIT, table: str = TABLE) -> Path:
    """Write a target set ``name`` (CSV + provenance with a fit section) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.csv").write_text(table)
    meta = {"source": "a test", "sample": "none", "n": 20, "failure": "test", "censoring": "none"}
    if fit is not None:
        meta["fit"] = fit
    (folder / f"{name}.yaml").write_text(yaml.safe_dump(meta))
    return folder


@pytest.fixture(scope="module")
def targets(tmp_path_factory) -> Path:
    return target_set(tmp_path_factory.mktemp("targets"))


def files(folder: Path) -> dict[str, str]:
    """SHA-256 of every file of a finished ABC run (the trace's wall times excepted)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*.parquet")) if p.name != "trace.parquet"}


# --- what is fitted -------------------------------------------------------------------------------

def test_the_shipped_fortna_set_fits_the_bare_truce_to_five_years() -> None:
    spec = fit_spec("fortna_civil_no_pk")
    s = spec.scenario
    assert (s.monitoring.name, s.guarantee.name, s.attack.name, s.theater.name) == (
        "none", "none", "opportunist", "ukraine_2026")
    assert s.calibration.posterior == "" and s.sim.horizon_days == 1826
    assert spec.prior.names == ("theater.aggressor.regen_per_day", "attack.required_force_ratio",
                                "attack.offensive_fail_loss")
    assert spec.abc["population_size"] == 150 and spec.abc["max_batch"] == 75
    assert spec.prior.spec["theater.aggressor.regen_per_day"]["dist"] == "triangular"   # the theatre's law
    assert spec.replications == 62 == load_targets("fortna_civil_no_pk").provenance["n"]
    assert spec.sector_days_per_particle == 62 * 1826 * 40


def test_a_user_set_names_its_scenario_parameters_and_settings(targets: Path) -> None:
    spec = fit_spec("tiny", ["attack.temperature=0.2"], target_dirs=[targets], max_generations=5)
    assert spec.scenario.theater.n_sectors == 3 and spec.scenario.attack.temperature == 0.2
    assert spec.scenario.sim.horizon_days == 40                       # the longest target
    assert spec.prior.spec["theater.aggressor.regen_per_day"]["dist"] == "triangular"
    assert spec.abc["population_size"] == 12 and spec.abc["max_generations"] == 5
    assert spec.abc["max_batch"] == 6                                 # half the population
    assert spec.replications == 8 and spec.check_draws == 6


@pytest.mark.parametrize(("change", "message"), [
    ({"targets": "no_such_set"}, "targets: invalid value 'no_such_set'; allowed: one of "),
    ({"parameters": {"attack.offensive_rate_per_dya": {"dist": "uniform", "low": 0, "high": 1}}},
     "parameters.attack.offensive_rate_per_dya: unknown parameter; allowed: a parameter path of the scenario "
     "such as theater.aggressor.regen_per_day (closest: attack.offensive_rate_per_day)"),
    ({"parameters": {"attack.offensive_rate_per_day": {"dist": "uniform", "low": 0.5, "high": 0.5}}},
     "parameters.attack.offensive_rate_per_day: invalid value {'dist': 'uniform', 'low': 0.5, 'high': 0.5}; "
     "allowed: low < high (this prior has no mass)"),
    ({"parameters": {"attack.offensive_rate_per_day": {"dist": "uniform", "low": 2.0, "high": 3.0}}},
     "allowed: a prior with mass inside the field's range [0, 1] (this one has none there)"),
    ({"parameters": {"attack.offensive_cost": "config"}},
     "parameters.attack.offensive_cost: invalid value 'config': the scenario gives it 0, not a "
     "distribution"),
    ({"parameters": {"attack.lookahead_days": {"dist": "uniform", "low": 1, "high": 9}}},
     "parameters.attack.lookahead_days: invalid parameter: it takes whole numbers"),
    ({"parameters": {"sim.seed": {"dist": "uniform", "low": 1, "high": 9}}},
     "parameters.sim.seed: unknown parameter"),
    ({"overrides": ["sim.horizon_days=30"]},
     "sim.horizon_days: invalid value 30; allowed: a horizon >= 40 days, the longest horizon of target "
     "set tiny"),
    ({"overrides": ["attack.temperatur=1"]}, "attack.temperatur: unknown key; allowed: "),
    ({"population_size": 1}, "population_size: invalid value 1; allowed: an integer >= 2"),
])
def test_bad_input_is_refused_in_one_line_and_nothing_is_written(targets: Path, tmp_path: Path, change,
                                                                  message: str) -> None:
    kw = {"targets": "tiny", "overrides": [], "target_dirs": [targets], "out": tmp_path / "out", **change}
    with pytest.raises(ConfigError, match=None) as err:
        ds.calibrate(kw.pop("targets"), kw.pop("overrides"), **kw)
    assert message in str(err.value) and "\n" not in str(err.value)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("table", "message"), [
    ("horizon_days,share_failed,low,high\n20,0.2,0.1,0.4\n", "tiny.csv: missing columns n"),
    ("horizon_days,share_failed,low,high,n\n20,1.2,0.1,0.4,20\n",
     "tiny.csv share_failed[0]: invalid value 1.2"),
    ("horizon_days,share_failed,low,high,n\n20,0.4,0.1,0.5,20\n40,0.3,0.1,0.5,20\n",
     "tiny.csv share_failed[1]: invalid value 0.3; allowed: a share >= 0.4"),
])
def test_a_malformed_target_table_is_refused(tmp_path: Path, table: str, message: str) -> None:
    folder = target_set(tmp_path / "targets", table=table)
    with pytest.raises(ConfigError) as err:
        ds.calibrate("tiny", target_dirs=[folder], out=tmp_path / "out")
    assert str(err.value).startswith(message)
    assert not (tmp_path / "out").exists()


def test_a_set_without_a_fit_section_needs_parameters(tmp_path: Path) -> None:
    folder = target_set(tmp_path, fit=None)
    with pytest.raises(ConfigError, match=r"tiny.yaml fit.parameters: invalid value None; allowed: a "
                                          r"mapping of at least one parameter path"):
        fit_spec("tiny", target_dirs=[folder])
    spec = fit_spec("tiny", ["guarantee=none", "theater.n_sectors=3"], target_dirs=[folder],
                    parameters={"attack.offensive_rate_per_day": {"dist": "uniform", "low": 0, "high": 0.1}})
    assert spec.prior.names == ("attack.offensive_rate_per_day",) and spec.replications == 62


# --- the simulator ---------------------------------------------------------------------------------

def test_particles_draw_their_own_numbers_and_batches_do_not_matter(targets: Path) -> None:
    spec = fit_spec("tiny", target_dirs=[targets])
    sim = FailedShares(spec.scenario, (20, 40), 8)
    params = pd.DataFrame({"attack.offensive_rate_per_day": [0.05, 0.05, 0.08, 0.02],
                           "theater.aggressor.regen_per_day": [0.005] * 4})
    whole = sim(params, 11)
    assert whole.shape == (4, 2) and np.all(np.diff(whole, axis=1) >= 0)
    runs = ds.evaluate(params, spec.overrides, replications_per_point=8, seed=11, common_random_numbers=False)
    np.testing.assert_array_equal(whole, ds.calibration.failed_shares(runs, [20, 40]))
    assert sim.simulated == 4


# --- the whole calibration -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fitted(targets: Path, tmp_path_factory):
    out = tmp_path_factory.mktemp("fit") / "run"
    return ds.calibrate("tiny", target_dirs=[targets], out=out), out


def test_same_seed_same_posterior_bit_for_bit(fitted, targets: Path, tmp_path: Path) -> None:
    first, out = fitted
    again = ds.calibrate("tiny", target_dirs=[targets], out=tmp_path / "again")
    pd.testing.assert_frame_equal(first.result.posterior, again.result.posterior, check_exact=True)
    assert files(out) == files(tmp_path / "again")
    other = ds.calibrate("tiny", ["sim.seed=5"], target_dirs=[targets])
    assert not other.result.posterior.equals(first.result.posterior)


def test_the_posterior_is_inside_the_prior_and_weighted(fitted) -> None:
    fit, _ = fitted
    post = fit.result.posterior
    assert list(post.columns) == ["attack.offensive_rate_per_day", "theater.aggressor.regen_per_day",
                                  "weight", "distance"]
    assert post["weight"].sum() == pytest.approx(1.0) and len(post) == 12
    assert post["attack.offensive_rate_per_day"].between(0, 0.1).all()
    assert post["theater.aggressor.regen_per_day"].between(0.0030, 0.0108).all()
    assert fit.simulated_particles == int(fit.result.trace["simulations"].sum())
    assert fit.sector_days == fit.simulated_particles * 8 * 40 * 3


def test_launcher_jobs_give_the_posterior_of_one_process(fitted, targets: Path, tmp_path: Path,
                                                          monkeypatch) -> None:
    """Populations cut into rounds of launcher jobs (here Hydra's basic launcher, in this process;
    tests/test_launch.py runs joblib's) give the same posterior bit for bit."""
    first, _ = fitted
    monkeypatch.setattr("deterrence_sim.fit.PART_SIZE", 1)          # rounds of 2 jobs x 1 particle
    rounds = []
    real = fit_module.launch_evaluation
    monkeypatch.setattr(fit_module, "launch_evaluation", lambda *a, **kw: rounds.append(kw) or real(*a, **kw))
    launched = ds.calibrate("tiny", target_dirs=[targets], out=tmp_path / "launched",
                            launcher=["hydra/launcher=basic"], jobs=2, max_generations=1)
    names = first.result.names
    pd.testing.assert_frame_equal(first.result.generations[0].frame(names), launched.result.posterior,
                                  check_exact=True)
    assert len(rounds) > len(launched.result.trace) and {kw["parts"] for kw in rounds} <= {1, 2}
    assert any(kw["first_point"] > 0 for kw in rounds)
    assert not any((tmp_path / "launched" / "jobs").iterdir())      # the rounds' folders, removed


def test_the_check_draws_particles_by_weight_and_bands_the_targets(fitted) -> None:
    fit, _ = fitted
    check = posterior_check(fit.spec, fit.result.posterior)
    assert check.draws == 6 and check.replications == 8
    c = check.curve
    assert c["day"].tolist() == list(range(41))
    assert (c["band_low"] <= c["inner_low"]).all() and (c["inner_low"] <= c["share_failed"] + 1e-12).all()
    assert (c["share_failed"] <= c["inner_high"] + 1 / 8).all() and (c["inner_high"] <= c["band_high"]).all()
    assert np.all(np.diff(c["share_failed"]) >= 0)
    t = check.table
    assert t["horizon_days"].tolist() == [20, 40] and t["calibrated"].all()
    np.testing.assert_allclose(t["target"], [0.2, 0.35])
    assert t["inside"].tolist() == list((t["target"] >= t["band_low"]) & (t["target"] <= t["band_high"]))


def test_systematic_resampling_follows_the_weights() -> None:
    idx = resample(np.array([0.1, 0.6, 0.3]), 10, np.random.default_rng(3))
    assert np.bincount(idx, minlength=3).tolist() == [1, 6, 3]


def test_shares_by_day_count_failures_up_to_each_day() -> None:
    runs = pd.DataFrame({"point": [0, 0, 0, 1], "collapse_day": pd.array([1, 3, None, None], dtype="Int64")})
    np.testing.assert_array_equal(shares_by_day(runs, 3), [[0, 1 / 3, 1 / 3, 2 / 3], [0, 0, 0, 0]])


def test_the_shipped_posterior_records_its_seed_revision_and_cost(fitted, tmp_path: Path) -> None:
    fit, out = fitted
    dest = ship_posterior(fit, tmp_path / "posteriors" / "tiny.parquet", {"wall_seconds": 1.5}, out)
    meta = pq.read_schema(dest).metadata[b"deterrence_sim"].decode()
    assert '"seed": 20260106' in meta and '"git_revision"' in meta and '"targets": "tiny"' in meta
    side = yaml.safe_load(dest.with_suffix(".yaml").read_text())
    assert side["seed"] == 20260106 and side["cost"] == {"wall_seconds": 1.5}
    assert side["parameters"] == ["attack.offensive_rate_per_day", "theater.aggressor.regen_per_day"]
    runs = ds.simulate(["guarantee=none", "monitoring=none", "theater.n_sectors=3", "sim.horizon_days=5",
                        f"calibration.posterior={dest}"], replications=30, seed=1).runs
    drawn = set(runs["param.attack.offensive_rate_per_day"].round(12))
    assert drawn <= set(fit.result.posterior["attack.offensive_rate_per_day"].round(12)) and len(drawn) > 1
