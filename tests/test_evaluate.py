"""``ds.evaluate``: a table of points in batched models, on common random numbers or independent."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import deterrence_sim as ds
from deterrence_sim.simulation import evaluate_points

BASE = ["attack=revisionist", "theater.aggressor.capability=3", "attack.abort_cost=30",
        "theater.n_sectors=8", "sim.horizon_days=150", "sim.seed=2"]
POINTS = pd.DataFrame({"attack.temperature": [0.5, 0.5, 0.05, 0.5],      # the base: 0.5 and 12
                       "attack.offensive_cost": [12.0, 12.0, 12.0, 0.0]})


@pytest.fixture(scope="module")
def scenario():
    return ds.compose_scenario(BASE)


@pytest.fixture(scope="module")
def paired(scenario):
    return evaluate_points(scenario, POINTS, 40)


def _outputs(df):
    return df.drop(columns=[c for c in df.columns if c in ("point",) or c.startswith("param.")])


def test_rows_carry_their_point_and_its_values(paired):
    assert len(paired) == 4 * 40 and paired["point"].tolist() == sorted(paired["point"])
    assert (paired.groupby("point")["replication"].apply(list) == [list(range(40))] * 4).all()
    for col in POINTS:
        np.testing.assert_array_equal(paired[f"param.{col}"], np.repeat(POINTS[col], 40))
    assert paired.attrs["horizon_days"] == 150


def test_points_share_random_numbers_so_equal_points_give_equal_rows(paired):
    first, second = (_outputs(paired[paired["point"] == p]).reset_index(drop=True) for p in (0, 1))
    pd.testing.assert_frame_equal(first, second, check_exact=True)
    faster = paired[paired["point"] == 3]
    assert faster["collapsed"].mean() > paired[paired["point"] == 0]["collapsed"].mean()
    assert "param.attack.revisionism" in paired            # the profile's distribution, drawn too
    per_point = paired.pivot(index="replication", columns="point", values="param.attack.revisionism")
    assert (per_point.nunique(axis=1) == 1).all()         # the same type in every point


@pytest.mark.parametrize("crn", [True, False])
def test_chunking_changes_nothing(scenario, crn):
    whole = evaluate_points(scenario, POINTS, 30, common_random_numbers=crn)
    for max_rows in (30, 60):
        pd.testing.assert_frame_equal(
            whole, evaluate_points(scenario, POINTS, 30, max_rows=max_rows, common_random_numbers=crn),
            check_exact=True)


def test_independent_points_draw_their_own_numbers(scenario):
    own = evaluate_points(scenario, POINTS, 40, common_random_numbers=False)
    first, second = (own[own["point"] == p] for p in (0, 1))
    assert not np.array_equal(first["violations_minor"], second["violations_minor"])
    assert not np.array_equal(first["param.attack.revisionism"], second["param.attack.revisionism"])


def test_one_point_at_the_base_values_is_the_scenario_itself(scenario, paired):
    runs = ds.simulate(BASE, replications=40).runs
    cols = [c for c in paired.columns if c in runs.columns and not c.startswith("param.")]
    point = _outputs(paired[paired["point"] == 0]).reset_index(drop=True)
    pd.testing.assert_frame_equal(runs[cols], point[cols], check_exact=True)


def test_replications_come_in_the_scenarios_blocks(scenario):
    small_blocks = ds.compose_scenario([*BASE, "sim.block_size=16"])
    out = evaluate_points(small_blocks, POINTS.iloc[:2], 40)
    assert sorted(out["block"].unique()) == [0, 1, 2]
    assert out.groupby("point")["replication"].apply(list).tolist() == [list(range(40))] * 2


@pytest.mark.parametrize(("points", "message"), [
    (pd.DataFrame({"attack.temperatur": [0.1]}),
     r"^points\.attack\.temperatur: unknown parameter; allowed: a parameter path such as "
     r"attack\.temperature \(closest: attack\.temperature\)$"),
    (pd.DataFrame({"theater.n_sectors": [10]}),
     r"^points\.theater\.n_sectors: unknown parameter; allowed: .*\(theater\.n_sectors is fixed for "
     r"the whole run\)$"),
    (pd.DataFrame({"attack.temperature": [0.1, -1.0]}),
     r"^points\.attack\.temperature: invalid value -1\.0 \(row 1\); allowed: a number >= 0$"),
    (pd.DataFrame({"attack.forgetting": [np.nan]}),
     r"^points\.attack\.forgetting: invalid value nan \(row 0\); allowed: a number in \(0, 1\]$"),
    (pd.DataFrame({"monitoring.verification_delay_days": [2.5]}),
     r"^points\.monitoring\.verification_delay_days: invalid value 2\.5 \(row 0\); allowed: a whole "
     r"number in \[0, 365\]$"),
    (pd.DataFrame({"attack.temperature": ["warm"]}),
     r"^points\.attack\.temperature: invalid value 'warm'; allowed: a number >= 0$"),
    (pd.DataFrame(), r"^points: invalid value of shape \(0, 0\); allowed: a DataFrame with at least one row"),
])
def test_bad_points_get_one_line(points, message):
    with pytest.raises(ds.ConfigError, match=message) as info:
        ds.evaluate(points, BASE)
    assert "\n" not in str(info.value)


def test_bad_replications_per_point_get_one_line():
    with pytest.raises(ds.ConfigError, match=r"^replications_per_point: invalid value 0; allowed: "
                                             r"a whole number in \[1, 10000000\]$"):
        ds.evaluate(POINTS, BASE, replications_per_point=0)
