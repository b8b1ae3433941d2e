"""Scenario discovery: PRIM recovers a known box, pasting undoes over-peeling, CART reads as rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from deterrence_sim.analysis import cart, failure_conditions, prim

BOX = {"a": (0.2, 0.5), "b": (0.6, 0.9)}   # the cases live here; c is irrelevant


def known_box(seed: int, n: int = 2000, noise: float = 0.05) -> tuple[pd.DataFrame, np.ndarray]:
    """U[0,1]^3 points; y = 1 inside BOX, with a share ``noise`` of labels flipped everywhere."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.random((n, 3)), columns=["a", "b", "c"])
    inside = np.all([x[p].between(lo, hi) for p, (lo, hi) in BOX.items()], axis=0)
    return x, inside ^ (rng.random(n) < noise)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_prim_recovers_a_known_box_through_noise(seed):
    x, y = known_box(seed)
    res = prim(x, y, min_density=0.9)
    limits = res.box.limits.set_index("parameter")
    assert sorted(limits.index) == ["a", "b"]                     # c is not restricted
    for p, (lo, hi) in BOX.items():
        assert limits.loc[p, "low"] == pytest.approx(lo, abs=0.05)
        assert limits.loc[p, "high"] == pytest.approx(hi, abs=0.05)
    inside = np.all([x[p].between(lo, hi) for p, (lo, hi) in BOX.items()], axis=0)
    assert res.box.density >= 0.9 and res.box.coverage > 0.5
    assert res.box.mass == pytest.approx(inside.mean(), abs=0.02)
    assert limits.loc["a", "rule"].startswith("0.") and " <= a <= " in limits.loc["a", "rule"]


def test_the_peeling_trajectory_trades_coverage_for_density():
    x, y = known_box(0)
    t = prim(x, y).trajectory
    assert t.columns.tolist() == ["step", "coverage", "density", "mass", "n_points", "n_restricted"]
    first = t.iloc[0]
    assert (first["coverage"], first["mass"], first["n_restricted"]) == (1.0, 1.0, 0)
    assert first["density"] == pytest.approx(y.mean())
    assert t["mass"].is_monotonic_decreasing and t["coverage"].is_monotonic_decreasing
    assert (t["mass"].iloc[:-1] >= 0.05).all() and t["mass"].iloc[-1] >= 0.05   # min_mass holds
    assert t["density"].iloc[-1] > 0.9 and t["n_restricted"].max() >= 2
    assert t["n_points"].iloc[0] == len(x)


def test_pasting_undoes_peels_that_went_too_far():
    x, y = known_box(3, noise=0.0)
    res = prim(x, y)
    last = int(res.trajectory["step"].iloc[-1])    # peeled on to min_mass: well inside the box
    peeled, pasted = res.box_at(last), res.box_at(last, paste=True)
    assert peeled.density == 1.0 and peeled.coverage < 0.6 and not peeled.pasted
    assert pasted.pasted and pasted.density == 1.0 and pasted.coverage > 0.85
    assert peeled.limits.set_index("parameter").loc["a", "low"] > 0.3
    assert pasted.limits.set_index("parameter").loc["a", "low"] == pytest.approx(0.2, abs=0.02)
    assert res.box.density == 1.0 and res.box.coverage > 0.9   # the default box: the densest, largest


def test_selecting_a_box_by_density():
    x, y = known_box(1)
    res = prim(x, y)
    t = res.trajectory
    wide = res.select(0.5, paste=False)
    eligible = t[t["density"] >= 0.5]
    assert wide.step == eligible.loc[eligible["coverage"].idxmax(), "step"]
    assert res.select(0.0, paste=False).step == 0 and res.select(0.0).limits.empty
    with pytest.raises(ValueError, match=r"^min_density: invalid value 1.5; allowed: at most the highest "
                                         r"density of the trajectory, 0\.\d{3} \(step \d+\)$"):
        res.select(1.5)


def test_prim_edge_cases():
    x, _ = known_box(0, n=200)
    with pytest.raises(ValueError, match=r"^y: no point is a case \(all 0\); allowed: at least one case"):
        prim(x, np.zeros(200, bool))
    everywhere = prim(x, np.ones(200, bool))
    assert (everywhere.trajectory["density"] == 1.0).all()
    assert everywhere.box.step == 0 and everywhere.box.limits.empty
    assert (everywhere.box.coverage, everywhere.box.density, everywhere.box.mass) == (1.0, 1.0, 1.0)
    assert str(everywhere.box) == "anywhere: coverage 1.00, density 1.00, mass 1.00"
    one = prim(x, np.arange(200) == 7)                              # a single case: boxed until min_mass
    assert one.trajectory["mass"].iloc[-1] >= 0.05 and one.box.coverage == 1.0


@pytest.mark.parametrize(("x", "y", "message"), [
    (pd.DataFrame({"a": ["low", "high"]}), [1, 0], "x: column 'a' is not numeric; allowed: numeric"),
    (pd.DataFrame({"a": [0.1, np.nan]}), [1, 0], "x: 1 points have a missing or infinite value"),
    (pd.DataFrame({"a": [0.1, 0.2]}), [1, 0, 1], r"y: 3 values; allowed: one per point of x \(2\)"),
    (pd.DataFrame({"a": [0.1, 0.2]}), [1, -1], "y: invalid values; allowed: finite, non-negative"),
    (pd.DataFrame(), [], "x: invalid value; allowed: a DataFrame with a row per point"),
])
def test_bad_input_to_prim_and_cart_gives_one_line(x, y, message):
    for method in (prim, cart):
        with pytest.raises(ValueError, match=f"^{message}"):
            method(x, y)
    with pytest.raises(ValueError, match=r"^alpha: invalid value 0; allowed: a share in \(0, 1\)$"):
        prim(pd.DataFrame({"a": [0.1, 0.2]}), [1, 0], alpha=0)


def test_cart_reads_the_box_as_rules_and_is_deterministic():
    x, y = known_box(0)
    res = cart(x, y)
    again = cart(x, y)
    pd.testing.assert_frame_equal(res.leaves, again.leaves)
    pd.testing.assert_frame_equal(res.limits, again.limits)
    assert res.leaves["mass"].sum() == pytest.approx(1.0)
    assert res.leaves["coverage"].sum() == pytest.approx(1.0)
    assert res.leaves["density"].is_monotonic_decreasing
    best = res.box()
    assert best.density > 0.9 and best.coverage > 0.6
    limits = best.limits.set_index("parameter")
    assert sorted(limits.index) == ["a", "b"]
    for p, (lo, hi) in BOX.items():
        assert limits.loc[p, "low"] == pytest.approx(lo, abs=0.02)
        assert limits.loc[p, "high"] == pytest.approx(hi, abs=0.02)
    assert res.leaves.loc[0, "rule"] == " and ".join(limits["rule"])
    assert res.leaves.loc[0, "rule"].startswith("0.2") and " < a <= 0.4" in res.leaves.loc[0, "rule"]
    with pytest.raises(ValueError, match=r"^min_leaf: invalid value 0.7; allowed: a share of the points"):
        cart(x, y, min_leaf=0.7)


def test_failure_conditions_answer_where_a_design_fails():
    x, y = known_box(2)
    points = x.rename(columns=lambda c: f"param.theater.{c}").assign(
        collapse_risk=np.where(y, 0.6, 0.1), guarantee="paris_package", point=np.arange(len(x)))
    found = failure_conditions(points, threshold=0.3, min_density=0.9)
    assert (found.outcome, found.threshold, found.n_points, found.n_cases) == (
        "collapse_risk", 0.3, len(x), int(y.sum()))
    limits = found.box.limits.set_index("parameter")
    assert sorted(limits.index) == ["theater.a", "theater.b"]
    assert limits.loc["theater.a", "low"] == pytest.approx(0.2, abs=0.05)
    assert found.cart.box().limits["parameter"].tolist() == ["theater.a", "theater.b"]
    only_a = failure_conditions(points, threshold=0.3, parameters=["theater.a"])
    assert only_a.box.limits["parameter"].tolist() == ["theater.a"]
    with pytest.raises(ValueError, match=r"^threshold: invalid value 0.7; allowed: below the highest "
                                         r"collapse_risk of any point \(0.6\), so that some points are "
                                         r"cases$"):
        failure_conditions(points, threshold=0.7)
    with pytest.raises(ValueError, match=r"^outcome: invalid value 'risk'; allowed: collapse_risk, "):
        failure_conditions(points, threshold=0.3, outcome="risk")
    with pytest.raises(ValueError, match=r"^outcome: 'wider_war_risk' is not a column of points; allowed: "
                                         r"collapse_risk$"):
        failure_conditions(points, threshold=0.3, outcome="wider_war_risk")
    with pytest.raises(ValueError, match=r"^parameters: invalid value 'theater.z'; allowed: theater.a, "
                                         r"theater.b, theater.c$"):
        failure_conditions(points, threshold=0.3, parameters=["theater.z"])
