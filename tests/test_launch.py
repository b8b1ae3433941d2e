"""A table of points evaluated in parts by a Hydra launcher gives the rows of one process."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd
import pytest

import deterrence_sim as ds
from deterrence_sim.calibration import failed_shares
from deterrence_sim.config import ConfigError
from deterrence_sim.launch import launch_evaluation
from deterrence_sim.simulation import evaluate_points

BASE = ["guarantee=none", "monitoring=none", "calibration=none", "theater.n_sectors=3",
        "theater.aggressor.capability=3", "sim.horizon_days=40", "sim.seed=4"]
POINTS = pd.DataFrame({"attack.offensive_rate_per_day": [0.2, 0.05, 0.1, 0.3, 0.02],
                       "attack.offensive_cost": [0.0, 4.0, 2.0, 1.0, 0.0]})


@pytest.fixture(scope="module")
def scenario():
    return ds.compose_scenario(BASE)


@pytest.fixture(scope="module")
def whole(scenario):
    return evaluate_points(scenario, POINTS, 6, common_random_numbers=False)


def test_joblib_jobs_give_the_rows_of_one_process(scenario, whole, tmp_path: Path) -> None:
    joblib = ["hydra/launcher=joblib", "hydra.launcher.n_jobs=2"]
    parts = launch_evaluation(scenario, POINTS, 6, launcher=joblib, parts=3, sweep_dir=tmp_path)
    assert len(parts) == 3 and [p["point"].min() for p in parts] == [0, 2, 4]
    pd.testing.assert_frame_equal(pd.concat(parts, ignore_index=True), whole, check_exact=True)
    assert 0 < whole["collapsed"].mean() < 1                 # something to tell the points apart
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0", "1", "2"]


def test_a_table_split_by_first_point_gives_the_rows_of_the_whole(scenario, whole) -> None:
    tail = evaluate_points(scenario, POINTS.iloc[2:].reset_index(drop=True), 6, common_random_numbers=False,
                           first_point=2)
    expected = whole[whole["point"] >= 2].reset_index(drop=True)
    expected["point"] -= 2
    pd.testing.assert_frame_equal(tail, expected, check_exact=True)
    with pytest.raises(ValueError, match=r"first_point: invalid value -1; allowed: a whole number >= 0"):
        evaluate_points(scenario, POINTS, 6, common_random_numbers=False, first_point=-1)


def test_jobs_may_send_back_a_reduction_of_their_part(scenario, whole, tmp_path: Path) -> None:
    reduce = partial(failed_shares, horizons=[20, 40])
    parts = launch_evaluation(scenario, POINTS.iloc[1:], 6, launcher=[], parts=2, sweep_dir=tmp_path,
                              reduce=reduce, first_point=1)
    expected = failed_shares(whole, [20, 40])[1:]
    assert pd.DataFrame(pd.concat(map(pd.DataFrame, parts))).to_numpy().tolist() == expected.tolist()


@pytest.mark.parametrize(("override", "message"), [
    ("hydra/launcher=nope", "hydra/launcher: unknown preset 'nope'; allowed: basic, joblib, submitit_local, "
                            "submitit_slurm"),
    ("hydra.launcher.n_jobz=2",
     "hydra.launcher.n_jobz: unknown key; allowed: a setting of the chosen launcher"),
])
def test_an_unknown_launcher_or_setting_is_refused_in_one_line(scenario, tmp_path: Path, override: str,
                                                                message: str) -> None:
    with pytest.raises(ConfigError) as err:
        launch_evaluation(scenario, POINTS, 2, launcher=[override], parts=2, sweep_dir=tmp_path)
    assert str(err.value).startswith(message)
    assert not any(tmp_path.iterdir())
