"""The exploration's figures render from the analysis tables: PNG bytes of a sensible size."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from matplotlib import image

from deterrence_sim.analysis import (
    morris_design,
    morris_indices,
    oat_design,
    prim,
    response_curve,
    sobol_design,
    sobol_indices,
    tornado,
)
from deterrence_sim.report import explore_figures as ef

PNG = b"\x89PNG\r\n\x1a\n"


def runs_of(points: pd.DataFrame, replications: int = 50) -> pd.DataFrame:
    """Runs shaped like deterrence_sim.evaluate's: collapse when a shared uniform is below a risk."""
    u = np.random.default_rng(0).random(replications)
    n = len(points)
    grid = pd.DataFrame(np.tile(points.to_numpy(), (replications, 1)), columns=points.columns)
    risk = 0.2 + 0.5 * grid.iloc[:, 0] - 0.1 * grid.iloc[:, 1]
    collapsed = np.repeat(u, n) < risk
    runs = grid.rename(columns=lambda c: f"param.{c}").assign(
        point=np.tile(np.arange(n), replications), replication=np.repeat(np.arange(replications), n),
        collapsed=collapsed, duration_days=np.where(collapsed, 90, 365), guarantor_cost=1 + grid.iloc[:, 1])
    runs.attrs["horizon_days"] = 365
    return runs


def decoded(png: bytes) -> np.ndarray:
    assert png.startswith(PNG) and len(png) > 10_000
    pixels = image.imread(io.BytesIO(png))
    assert pixels.shape[0] > 400 and pixels.shape[1] > 800
    assert pixels[..., :3].std() > 0.05         # something was drawn
    return pixels


RANGES = {"attack.temperature": (0.0, 1.0), "monitoring.jamming_median": (0.0, 1.0),
          "theater.guarantors.uk.political_will": (0.2, 0.9)}


def test_tornado_figure():
    x = oat_design({"attack.temperature": 0.5, "monitoring.jamming_median": 0.5,
                    "theater.guarantors.uk.political_will": 0.5}, RANGES)
    decoded(ef.tornado_figure(tornado(runs_of(x), x)))


def test_sobol_figure_shows_both_sizes():
    x = sobol_design(RANGES, n=32, seed=0)
    y = x["attack.temperature"] + x["monitoring.jamming_median"] ** 2
    res = sobol_indices(x, y.rename("collapse_risk"), n_resamples=100)
    assert sorted(res["n"].unique()) == [16, 32]
    decoded(ef.sobol_figure(res))


def test_morris_figure_labels_every_parameter():
    x = morris_design(RANGES, n_trajectories=6, seed=0)
    res = morris_indices(x, (x["attack.temperature"] * x["monitoring.jamming_median"]).rename("y"),
                         n_resamples=100)
    decoded(ef.morris_figure(res))


@pytest.mark.parametrize("by", [None, "guarantee"])
def test_response_curve_figure(by):
    x = oat_design({"attack.temperature": 0.5, "monitoring.jamming_median": 0.5,
                    "theater.guarantors.uk.political_will": 0.5}, RANGES)
    runs = runs_of(x)
    runs = pd.concat([runs.assign(guarantee="none"), runs.assign(guarantee="paris_package $x$")])
    curve = response_curve(runs, "attack.temperature", by=[] if by is None else [by])
    decoded(ef.response_curve_figure(curve, "attack.temperature", by=by))


def test_prim_tradeoff_figure_rings_the_chosen_step():
    rng = np.random.default_rng(0)
    x = pd.DataFrame(rng.random((500, 2)), columns=["a", "b"])
    res = prim(x, (x["a"] > 0.6) & (x["b"] < 0.5))
    plain = decoded(ef.prim_tradeoff_figure(res.trajectory))
    ringed = decoded(ef.prim_tradeoff_figure(res.trajectory, chosen=res.box.step))
    assert plain.shape == ringed.shape and not np.array_equal(plain, ringed)
