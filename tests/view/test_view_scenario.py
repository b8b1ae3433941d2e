"""The view's controls and model: started from the command line, equal to a run, bad input refused."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import deterrence_sim as ds
from deterrence_sim.view.scenario import Controls, ViewedCeasefire

SMALL = ["sim.horizon_days=40", "theater.n_sectors=12"]


def test_controls_start_at_the_command_lines_scenario() -> None:
    controls = Controls.from_overrides([*SMALL, "guarantee=reassurance_force", "attack=cautious",
                                        "attack.temperature=0.4", "sim.seed=11", "sim.trace=[7]",
                                        "sim.replications=5000"])
    v = controls.values
    assert (v["theater"], v["attack"], v["monitoring"], v["guarantee"]) == (
        "ukraine_2026", "cautious", "us_led_tech", "reassurance_force")
    assert (v["temperature"], v["seed"], v["follow"]) == ("0.4", "11", "7")
    assert v["replications"] == 1000 == controls.max_replications   # one block (sim.block_size)
    params = controls.model_params()
    assert params["base"] == controls.base
    assert "none" in params["guarantee"]["values"] and params["guarantee"]["value"] == "reassurance_force"
    assert params["replications"]["max"] == 1000


def test_a_bad_command_line_is_refused_with_one_line() -> None:
    with pytest.raises(ds.ConfigError, match=r"^attack\.temperature: invalid value -1; allowed: "):
        Controls.from_overrides(["attack.temperature=-1"])


def test_the_followed_replication_is_the_runs_trace_and_the_share_the_runs_daily_table() -> None:
    """Replication k of the view is replication k of `deterrence-sim ... sim.trace=[k]`."""
    overrides = [*SMALL, "attack=revisionist", "guarantee=none"]
    model = ViewedCeasefire(**{**Controls.from_overrides(overrides).values, "replications": 40,
                               "follow": "5"})
    while model.running:
        model.step()
    result = ds.simulate([*overrides, "sim.trace=[5]"], replications=40)
    pd.testing.assert_frame_equal(model.followed_trace(), result.traces)
    share = model.datacollector.get_model_vars_dataframe()["share_in_ceasefire"].to_numpy()
    np.testing.assert_array_equal(share[1:], result.daily["share_holding"].to_numpy())
    assert model.followed == 5 and model.problem is None


@pytest.mark.parametrize(("change", "message"), [
    ({"temperature": "-1"}, r"^attack\.temperature: invalid value -1; allowed: a number >= 0"),
    ({"follow": "40"}, r"^sim\.trace\[0\]: invalid value 40; allowed: a replication of this run, "
                       r"in \[0, 39\]"),
    ({"seed": "soon"}, r"^sim\.seed: invalid value 'soon'; allowed: a whole number"),
    ({"replications": 1001}, r"^sim\.replications: invalid value 1001; allowed: at most "
                             r"sim\.block_size=1000 in the view"),
])
def test_a_bad_control_is_not_applied_and_says_why(change: dict, message: str) -> None:
    start = Controls.from_overrides(SMALL).values
    model = ViewedCeasefire(**{**start, "replications": 40, **change})
    assert model.problem is not None
    assert re.match(message, model.problem), model.problem
    assert model.problem.endswith("(not applied; showing the scenario the view started with)")
    assert model.n == start["replications"] and model.followed == 0
