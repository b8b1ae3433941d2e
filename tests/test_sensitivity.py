"""Design matrices, exploration outcomes, Sobol' and Morris indices, tornado and response curves.

The Sobol' test runs the Ishigami function, whose indices are known in closed form, through the
path a model run takes: design -> a table shaped like ``deterrence_sim.evaluate``'s -> point
outcomes -> indices.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from deterrence_sim.analysis import (
    DesignInfo,
    design_info,
    lhs_design,
    morris_design,
    morris_indices,
    oat_design,
    paired_mean_difference,
    paired_risk_difference,
    point_outcomes,
    proportion,
    replication_outcomes,
    response_curve,
    sobol_design,
    sobol_indices,
    sobol_sequence_design,
    tornado,
)

HORIZON = 365
PI = np.pi
ISHIGAMI_RANGES = {"x1": (-PI, PI), "x2": (-PI, PI), "x3": (-PI, PI)}
# a = 7, b = 0.1 (Ishigami and Homma 1990; values as tabulated by Saltelli et al. 2008)
ISHIGAMI_S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ISHIGAMI_ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}


def fake_evaluate(points: pd.DataFrame, cost, collapse=None, replications: int = 1,
                  seed: int = 0) -> pd.DataFrame:
    """A stand-in for ``deterrence_sim.evaluate``: its output columns, in shuffled row order.

    ``cost(points)`` fills guarantor_cost; ``collapse(points, u)`` with u the replication's shared
    uniform (common random numbers: replication j has the same u at every point) says who collapses.
    """
    u = np.random.default_rng(seed).random(replications)
    n = len(points)
    grid = pd.DataFrame(np.tile(points.to_numpy(), (replications, 1)), columns=points.columns)
    runs = grid.rename(columns=lambda c: f"param.{c}")
    runs.insert(0, "point", np.tile(np.arange(n), replications))
    runs.insert(1, "replication", np.repeat(np.arange(replications), n))
    collapsed = (np.zeros(len(grid), bool) if collapse is None
                 else np.asarray(collapse(grid, np.repeat(u, n)), bool))
    runs["collapsed"] = collapsed
    runs["collapse_day"] = pd.array(np.where(collapsed, 100, None), dtype="Int64")
    runs["duration_days"] = np.where(collapsed, 100, HORIZON)
    runs["guarantor_cost"] = np.asarray(cost(grid), float)
    runs = runs.sample(frac=1.0, random_state=seed, ignore_index=True)
    runs.attrs["horizon_days"] = HORIZON
    return runs


def ishigami(x: pd.DataFrame, a: float = 7.0, b: float = 0.1) -> pd.Series:
    return np.sin(x["x1"]) + a * np.sin(x["x2"]) ** 2 + b * x["x3"] ** 4 * np.sin(x["x1"])


# --- designs --------------------------------------------------------------------------------------

def test_sobol_design_is_saltelli_and_its_first_half_is_the_design_at_half_size():
    ranges = {"a": (0.0, 1.0), "b": (10.0, 20.0), "c": (-1.0, 1.0)}
    x = sobol_design(ranges, n=16, seed=5)
    d = len(ranges)
    assert x.shape == (16 * (d + 2), d) and x.index.name == "point"
    blocks = x.to_numpy().reshape(16, d + 2, d)
    a, b = blocks[:, 0], blocks[:, -1]
    for j in range(d):  # row j + 1 of a block is A with column j from B
        expected = a.copy()
        expected[:, j] = b[:, j]
        np.testing.assert_array_equal(blocks[:, j + 1], expected)
    pd.testing.assert_frame_equal(x.iloc[: 8 * (d + 2)], sobol_design(ranges, n=8, seed=5))
    assert not sobol_design(ranges, n=16, seed=6).equals(x)


@pytest.mark.parametrize("make", [
    lambda r, s: sobol_design(r, n=8, seed=s),
    lambda r, s: morris_design(r, n_trajectories=6, levels=6, seed=s),
    lambda r, s: lhs_design(r, n=50, seed=s),
    lambda r, s: sobol_sequence_design(r, n=32, seed=s),
])
def test_designs_are_reproducible_stay_in_range_and_record_how_they_were_made(make):
    ranges = {"attack.temperature": (0.0, 2.0), "theater.guarantors.uk.political_will": (0.2, 0.9)}
    x = make(ranges, 3)
    pd.testing.assert_frame_equal(x, make(ranges, 3))
    assert not x.equals(make(ranges, 4))
    assert x.columns.tolist() == list(ranges)
    for path, (lo, hi) in ranges.items():
        assert x[path].between(lo, hi).all()
    info = design_info(x)
    assert info.n_points == len(x) and info.ranges == ranges
    pd.testing.assert_frame_equal(x, design_info_frame(info))


def design_info_frame(info: DesignInfo) -> pd.DataFrame:
    from deterrence_sim.analysis.designs import make_design

    return make_design(DesignInfo.from_dict(info.to_dict()))


def test_lhs_puts_one_point_in_every_stratum_and_morris_stays_on_its_grid():
    x = lhs_design({"a": (0.0, 1.0), "b": (5.0, 6.0)}, n=20, seed=1)
    for col, lo in (("a", 0.0), ("b", 5.0)):
        assert sorted(np.floor((x[col] - lo) * 20).astype(int)) == list(range(20))
    m = morris_design({"a": (0.0, 1.0), "b": (0.0, 1.0)}, n_trajectories=8, levels=4, seed=1)
    assert set(np.round(m.to_numpy().ravel() * 3, 9)) <= {0.0, 1.0, 2.0, 3.0}
    steps = np.diff(m.to_numpy().reshape(8, 3, 2), axis=1)  # each step moves one parameter by ±Δ
    assert ((np.abs(steps) > 0).sum(axis=2) == 1).all()
    np.testing.assert_allclose(np.abs(steps).max(axis=2), 2 / 3)


def test_one_at_a_time_design_and_its_layout():
    x = oat_design({"a": 0.5, "b": 2.0, "c": 0.0}, {"a": (0.0, 1.0), "b": (1.0, 4.0), "c": (-1.0, 1.0)})
    assert len(x) == 7 and x.iloc[0].tolist() == [0.5, 2.0, 0.0]
    assert x.iloc[5].tolist() == [0.5, 2.0, -1.0] and x.iloc[6].tolist() == [0.5, 2.0, 1.0]
    assert design_info(x).base == {"a": 0.5, "b": 2.0, "c": 0.0}


@pytest.mark.parametrize(("call", "message"), [
    (lambda: sobol_design({"a": (0, 1)}, n=1000), "n: invalid value 1000; allowed: a power of two of at "
                                                   "least 4 (4, 8, 16, ..., 1024, ...)"),
    (lambda: sobol_design({"a": (0, 1)}, n=2), "n: invalid value 2; allowed: a power of two"),
    (lambda: sobol_design({"a": (0, 1)}, n=8.0), "n: invalid value 8.0; allowed: a power of two"),
    (lambda: sobol_sequence_design({"a": (0, 1)}, n=100), "n: invalid value 100; allowed: a power of two"),
    (lambda: sobol_design({"a": (1, 1)}, n=8), "ranges['a']: invalid value (1, 1); allowed: (low, high) "
                                               "with finite numbers low < high"),
    (lambda: sobol_design({"a": (0, float("nan"))}, n=8), "ranges['a']: invalid value (0, nan)"),
    (lambda: sobol_design({"a": "01"}, n=8), "ranges['a']: invalid value '01'"),
    (lambda: sobol_design({}, n=8), "ranges: invalid value {}; allowed: a non-empty mapping"),
    (lambda: sobol_design({"a": (0, 1)}, n=8, seed=-1), "seed: invalid value -1; allowed: an integer of "
                                                        "at least 0"),
    (lambda: morris_design({"a": (0, 1)}, n_trajectories=1), "n_trajectories: invalid value 1; allowed: "
                                                             "an integer of at least 2"),
    (lambda: morris_design({"a": (0, 1)}, 10, levels=5), "levels: invalid value 5; allowed: an even "
                                                         "integer of at least 2 (4 is usual)"),
    (lambda: lhs_design({"a": (0, 1)}, n=1), "n: invalid value 1; allowed: an integer of at least 2"),
    (lambda: oat_design({"a": 0.5}, {"a": (0, 1), "b": (0, 1)}), "base: no value for b; allowed: a value "
                                                                 "for every parameter of ranges"),
    (lambda: oat_design({"a": 2.0}, {"a": (0, 1)}), "base['a']: invalid value 2.0; allowed: a number in "
                                                     "[0.0, 1.0]"),
    (lambda: design_info(pd.DataFrame({"a": [1.0]})), "design: the table has no attrs['design']"),
    (lambda: sobol_indices({"method": "grid", "ranges": {"a": (0, 1)}, "n": 4}, [1.0]),
     "design: invalid method 'grid'; allowed: 'sobol' (a table from sobol_design)"),
])
def test_bad_design_input_gives_one_line_naming_the_argument(call, message):
    with pytest.raises(ValueError) as err:
        call()
    assert str(err.value).startswith(message) and "\n" not in str(err.value)


def test_a_design_survives_a_parquet_file(tmp_path):
    x = sobol_design({"a": (0.0, 1.0), "b": (0.0, 2.0)}, n=8, seed=2)
    x.to_parquet(tmp_path / "points.parquet")
    back = pd.read_parquet(tmp_path / "points.parquet")
    assert design_info(back) == design_info(x)
    y = back["a"] + back["b"]
    pd.testing.assert_frame_equal(sobol_indices(back, y), sobol_indices(x, y))


# --- outcomes -------------------------------------------------------------------------------------

def runs_table() -> pd.DataFrame:
    """Two points of four replications, hand-checkable; horizon 365, looked at to 300 below."""
    runs = pd.DataFrame({
        "point": [0, 0, 0, 0, 1, 1, 1, 1], "replication": [0, 1, 2, 3] * 2,
        "param.attack.temperature": [0.1] * 4 + [0.9] * 4,
        "param.attack.revisionism": [0.2, 0.7, 0.4, 0.3, 0.5, 0.1, 0.6, 0.8],   # a distribution: varies
        "collapsed": [False, True, False, False, True, True, True, False],
        "duration_days": [365, 320, 365, 365, 40, 100, 310, 365],
        "guarantor_cost": [2.0, 1.0, 2.0, 3.0, 0.5, 0.5, 1.5, 2.5],
        "wider_war": [False, False, False, False, True, False, True, False],
        "wider_war_day": pd.array([None, None, None, None, 30, None, 350, None], dtype="Int64"),
    })
    runs.attrs["horizon_days"] = 365
    return runs


def test_point_outcomes_match_hand_computed_values():
    pts = point_outcomes(runs_table())
    assert pts["point"].tolist() == [0, 1] and pts["replications"].tolist() == [4, 4]
    assert "param.attack.temperature" in pts and "param.attack.revisionism" not in pts
    assert pts["collapse_risk"].tolist() == [0.25, 0.75]
    assert pts["wider_war_risk"].tolist() == [0.0, 0.5]
    assert pts["days_to_collapse"].tolist() == [(365 * 3 + 320) / 4, (40 + 100 + 310 + 365) / 4]
    assert pts["guarantor_cost"].tolist() == [2.0, 1.25]
    short = point_outcomes(runs_table(), horizon=300)  # collapse by day 300, war by day 300
    assert short["collapse_risk"].tolist() == [0.0, 0.5] and short["wider_war_risk"].tolist() == [0.0, 0.25]
    assert short["days_to_collapse"].tolist() == [300.0, (40 + 100 + 300 + 300) / 4]


def test_point_outcomes_of_several_designs_run_on_the_same_points():
    runs = runs_table()
    both = pd.concat([runs.assign(guarantee="paris_package", collapsed=False, duration_days=365),
                      runs.assign(guarantee="none")], ignore_index=True)
    both.attrs["horizon_days"] = 365
    pts = point_outcomes(both, by=["guarantee"])
    assert pts[["guarantee", "point"]].values.tolist() == [["none", 0], ["none", 1], ["paris_package", 0],
                                                          ["paris_package", 1]]
    assert pts["collapse_risk"].tolist() == [0.25, 0.75, 0.0, 0.0]
    assert pts["replications"].tolist() == [4, 4, 4, 4]


def test_point_intervals_are_wilson_and_t_intervals():
    pts = point_outcomes(runs_table()).set_index("point")
    wilson = proportion(3, 4)
    assert (pts.loc[1, "collapse_risk_low"], pts.loc[1, "collapse_risk_high"]) == pytest.approx(
        (wilson.low, wilson.high))
    ci = stats.ttest_1samp([0.5, 0.5, 1.5, 2.5], 0).confidence_interval(0.95)
    assert (pts.loc[1, "guarantor_cost_low"], pts.loc[1, "guarantor_cost_high"]) == pytest.approx(
        (ci.low, ci.high))


def test_outcome_errors_name_the_argument_and_what_is_allowed():
    runs = runs_table()
    with pytest.raises(ValueError, match=r"^outcomes: invalid value 'risk'; allowed: collapse_risk, "
                                         r"wider_war_risk, guarantor_cost, days_to_collapse$"):
        point_outcomes(runs, outcomes=["collapse_risk", "risk"])
    with pytest.raises(ValueError, match=r"^outcomes: 'wider_war_risk' needs the runs table's wider_war"):
        point_outcomes(runs.drop(columns=["wider_war"]), outcomes=["wider_war_risk"])
    assert "wider_war_risk" not in point_outcomes(runs.drop(columns=["wider_war"]))
    with pytest.raises(ValueError, match=r"^horizon: invalid value 400; allowed: a number of days in "
                                         r"\(0, 365\] \(nothing is known beyond the simulated horizon\)$"):
        replication_outcomes(runs, horizon=400)
    with pytest.raises(ValueError, match=r"^runs: no column 'point'"):
        point_outcomes(runs.drop(columns=["point"]))


# --- Sobol' ---------------------------------------------------------------------------------------

def test_ishigami_indices_through_the_exploration_path():
    x = sobol_design(ISHIGAMI_RANGES, n=2048, seed=1)
    runs = fake_evaluate(x, ishigami)            # one row per point and replication, shuffled
    points = point_outcomes(runs, outcomes=["guarantor_cost"]).set_index("point")
    res = sobol_indices(x, points["guarantor_cost"])
    assert res["outcome"].unique().tolist() == ["guarantor_cost"]
    assert res["n"].tolist() == [1024] * 3 + [2048] * 3
    assert res["n_points"].tolist() == [1024 * 5] * 3 + [2048 * 5] * 3
    for n, g in res.groupby("n"):
        g = g.set_index("parameter")
        for p in ISHIGAMI_RANGES:
            for k, truth in (("S1", ISHIGAMI_S1[p]), ("ST", ISHIGAMI_ST[p])):
                assert g.loc[p, f"{k}_low"] <= truth <= g.loc[p, f"{k}_high"], (n, p, k)
                if n == 2048:
                    assert g.loc[p, k] == pytest.approx(truth, abs=0.03), (p, k)
    half, full = (res[res["n"] == n].set_index("parameter") for n in (1024, 2048))
    assert (full["ST_conf"] < half["ST_conf"]).all() and (full["S1_conf"] < half["S1_conf"]).all()
    direct = sobol_indices(x, point_outcomes(runs))            # the points table as it comes
    assert direct["outcome"].unique().tolist() == ["collapse_risk", "guarantor_cost", "days_to_collapse"]
    assert direct.loc[direct["outcome"] != "guarantor_cost", "S1"].isna().all()   # nothing collapses
    pd.testing.assert_frame_equal(direct[direct["outcome"] == "guarantor_cost"].reset_index(drop=True), res)


def test_the_indices_at_half_size_are_those_of_the_design_at_half_size():
    ranges = {"a": (0.0, 1.0), "b": (0.0, 1.0)}
    big, small = sobol_design(ranges, n=64, seed=3), sobol_design(ranges, n=32, seed=3)

    def f(x):
        return x["a"] * np.exp(x["b"])

    at_half = sobol_indices(big, f(big)).query("n == 32").reset_index(drop=True)
    pd.testing.assert_frame_equal(at_half, sobol_indices(small, f(small), convergence=False))


def test_sobol_of_several_outcomes_and_of_a_constant_one():
    x = sobol_design({"a": (0.0, 1.0), "b": (0.0, 1.0)}, n=256, seed=0)
    y = pd.DataFrame({"collapse_risk": x["a"] ** 3, "guarantor_cost": 1.0}, index=x.index)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = sobol_indices(x, y, convergence=False)
    risk = res[res["outcome"] == "collapse_risk"].set_index("parameter")
    assert risk.loc["a", "S1"] == pytest.approx(1, abs=0.05) and abs(risk.loc["b", "ST"]) < 1e-12
    assert res.loc[res["outcome"] == "guarantor_cost", ["S1", "ST", "S1_conf"]].isna().all().all()


def test_sobol_refuses_outcomes_that_do_not_fit_the_design():
    x = sobol_design({"a": (0.0, 1.0)}, n=8, seed=0)
    with pytest.raises(ValueError, match=r"^y: invalid shape \(10,\); allowed: one value per point of the "
                                         r"design \(24,\)$"):
        sobol_indices(x, np.ones(10))
    partial = pd.Series(1.0, index=range(20), name="collapse_risk")  # a chunk still missing
    with pytest.raises(ValueError, match=r"^y: collapse_risk has no finite value at 4 of 24 points "
                                         r"\(first: point 20\)"):
        sobol_indices(x, partial)
    twice = pd.DataFrame({"point": list(range(24)) * 2, "collapse_risk": 0.5})   # two designs' points
    with pytest.raises(ValueError, match=r"^y: point 0 has 2 values; allowed: one per point \(take one "
                                         r"design's points at a time\)$"):
        sobol_indices(x, twice)
    with pytest.raises(ValueError, match=r"^design: 20 rows; allowed: the 24 rows"):
        sobol_indices(x.iloc[:20], np.ones(24))


# --- Morris ---------------------------------------------------------------------------------------

def test_morris_ranks_effects_and_flags_interaction():
    ranges = {"a": (0.0, 1.0), "b": (0.0, 1.0), "c": (0.0, 1.0)}
    x = morris_design(ranges, n_trajectories=20, levels=4, seed=3)
    y = 2 * x["a"] + 4 * x["a"] * x["b"]          # c does nothing; a and b interact
    res = morris_indices(x, y).set_index("parameter")
    assert res.loc["c", "mu_star"] == 0 and res.loc["c", "sigma"] == 0
    assert res.loc["a", "mu_star"] > res.loc["b", "mu_star"] > 0
    assert res.loc["a", "sigma"] > 0 and res.loc["b", "sigma"] > 0
    assert (res["mu_star_low"] <= res["mu_star"]).all() and (res["mu_star"] <= res["mu_star_high"]).all()
    again = morris_indices(design_info(x), y.to_numpy()).set_index("parameter")  # the design drawn again
    pd.testing.assert_frame_equal(again.drop(columns="outcome"), res.drop(columns="outcome"))


# --- tornado and response curves ------------------------------------------------------------------

def test_tornado_pairs_replications_on_common_random_numbers():
    ranges = {"attack.temperature": (0.0, 1.0), "monitoring.jamming_median": (0.0, 1.0),
              "attack.revisionism": (0.0, 1.0)}
    x = oat_design({"attack.temperature": 0.5, "monitoring.jamming_median": 0.5,
                    "attack.revisionism": 0.5}, ranges)

    def collapse(points, u):  # collapses when the shared uniform is below the risk
        return u < 0.2 + 0.6 * points["attack.revisionism"] * 0.5 + 0.1 * points["attack.temperature"]

    runs = fake_evaluate(x, cost=lambda p: 1 + p["attack.temperature"], collapse=collapse,
                         replications=400, seed=2)
    res = tornado(runs, x, "collapse_risk")
    assert res["parameter"].tolist() == ["attack.revisionism", "attack.temperature",
                                         "monitoring.jamming_median"]   # by the size of the swing
    per = replication_outcomes(runs).pivot(index="replication", columns="point",
                                           values="collapsed_by_horizon")
    rev = res.set_index("parameter").loc["attack.revisionism"]
    expected = paired_risk_difference(per[5], per[6])
    assert (rev["swing"], rev["swing_ci_low"], rev["swing_ci_high"], rev["swing_p_value"]) == pytest.approx(
        (expected.difference, expected.ci_low, expected.ci_high, expected.p_value))
    assert rev["at_low"] == per[5].mean() and rev["at_high"] == per[6].mean() and rev["n_pairs"] == 400
    nothing = res.set_index("parameter").loc["monitoring.jamming_median"]
    assert nothing["swing"] == 0 and nothing["swing_p_value"] == 1.0
    cost = tornado(runs, x, "guarantor_cost").set_index("parameter").loc["attack.temperature"]
    shift = paired_mean_difference(np.ones(400), np.full(400, 2.0))
    assert cost["swing"] == pytest.approx(1.0) and cost["swing_ci_low"] == shift.ci_low


def test_tornado_refuses_a_missing_point_and_another_design():
    x = oat_design({"a": 0.5}, {"a": (0.0, 1.0)})
    runs = fake_evaluate(x, cost=lambda p: 1.0, replications=3)
    with pytest.raises(ValueError, match=r"^runs: no replication of point 2; allowed: runs of every point"):
        tornado(runs[runs["point"] != 2], x)
    with pytest.raises(ValueError, match=r"^design: invalid method 'lhs'; allowed: 'oat' \(a table from "
                                         r"oat_design\)$"):
        tornado(runs, lhs_design({"a": (0.0, 1.0)}, n=3))
    with pytest.raises(ValueError, match=r"^outcome: invalid value 'cost'; allowed: collapse_risk"):
        tornado(runs, x, "cost")


def test_response_curve_orders_values_numerically():
    values = [0.0, 10.0, 12.0, 2.0, 20.0]
    runs = pd.DataFrame({"attack.temperature": np.repeat(values, 4), "guarantee": "none",
                         "collapsed": np.tile([True, False, False, False], 5),
                         "duration_days": np.tile([50, 365, 365, 365], 5), "guarantor_cost": 1.0})
    curve = response_curve(runs, "attack.temperature")
    assert curve["value"].tolist() == [0.0, 2.0, 10.0, 12.0, 20.0]
    assert (curve["estimate"] == 0.25).all() and (curve["replications"] == 4).all()
    as_text = runs.assign(**{"attack.temperature": runs["attack.temperature"].astype(str)})
    assert response_curve(as_text, "attack.temperature")["value"].tolist() == [0.0, 2.0, 10.0, 12.0, 20.0]
    two = pd.concat([runs, runs.assign(guarantee="paris_package", collapsed=False, duration_days=365)])
    by = response_curve(two, "attack.temperature", by=["guarantee"])
    assert by["guarantee"].tolist() == ["none"] * 5 + ["paris_package"] * 5
    assert by["estimate"].tolist() == [0.25] * 5 + [0.0] * 5


def test_response_curve_bins_a_continuous_design_and_refuses_text():
    x = lhs_design({"attack.temperature": (0.0, 1.0)}, n=200, seed=0)
    runs = fake_evaluate(x, cost=lambda p: 10 * p["attack.temperature"], replications=2)
    curve = response_curve(runs, "attack.temperature", "guarantor_cost", bins=4)
    assert len(curve) == 4 and curve["value"].is_monotonic_increasing
    assert (curve["replications"] == 100).all()
    assert curve["estimate"].to_numpy() == pytest.approx(10 * curve["value"].to_numpy())
    text = pd.DataFrame({"attack.name": ["a", "b"], "collapsed": False, "duration_days": 365,
                         "guarantor_cost": 0.0})
    with pytest.raises(ValueError, match=r"^parameter: 'attack.name' has the value 'a'; allowed: numbers"):
        response_curve(text, "attack.name")
    with pytest.raises(ValueError, match=r"^parameter: invalid value 'attack.tempo'; allowed: "
                                         r"attack.temperature$"):
        response_curve(runs, "attack.tempo")
