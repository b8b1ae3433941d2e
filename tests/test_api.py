"""The Python API's arguments: overrides as text or a list, presets from the user's folder, and
tables that carry their scenario's design columns as a sweep's do."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import deterrence_sim as ds
from sweep_builder import HORIZON, REPLICATIONS, tiny_sweep

TINY = ["theater.n_sectors=5", "sim.horizon_days=30", "sim.replications=20"]
OVERRIDES_ALLOWED = ("allowed: one override as text ('guarantee=none') or a list of them "
                     "(['guarantee=none', 'sim.seed=3'])")


def test_a_single_string_is_one_override():
    one = ds.simulate("guarantee=none", replications=20, seed=3)
    listed = ds.simulate(["guarantee=none"], replications=20, seed=3)
    assert one.config.guarantee.name == "none"
    pd.testing.assert_frame_equal(one.runs, listed.runs, check_exact=True)
    assert ds.compose_scenario("attack=cautious").attack.name == "cautious"


@pytest.mark.parametrize(("overrides", "shown"), [
    (5, "5"),
    ({"guarantee": "none"}, "{'guarantee': 'none'}"),
    (["guarantee=none", 3], "['guarantee=none', 3]"),
])
def test_overrides_of_another_kind_give_one_line_naming_the_argument(overrides, shown):
    for call in (ds.simulate, ds.compose_scenario):
        with pytest.raises(ds.ConfigError) as err:
            call(overrides)
        assert str(err.value) == f"overrides: invalid value {shown}; {OVERRIDES_ALLOWED}"


def test_presets_from_the_users_folder_by_override_or_argument(tmp_path: Path):
    (tmp_path / "guarantee").mkdir()
    (tmp_path / "guarantee" / "mine.yaml").write_text("defaults:\n  - sanctions\n  - _self_\nname: mine\n")
    by_override = ds.compose_scenario([f"hydra.searchpath=[file://{tmp_path}]", "guarantee=mine"])
    by_argument = ds.compose_scenario("guarantee=mine", searchpath=tmp_path)
    assert by_override == by_argument and by_argument.guarantee.name == "mine"
    sanctions = ds.compose_scenario("guarantee=sanctions").guarantee
    assert by_argument.guarantee.commitments == sanctions.commitments
    with pytest.raises(ds.ConfigError) as err:
        ds.compose_scenario([f"hydra.searchpath=[file://{tmp_path}]"], searchpath=tmp_path)
    assert str(err.value) == (f"searchpath: invalid value {tmp_path!r} together with a hydra.searchpath "
                              "override; allowed: the searchpath argument or a hydra.searchpath override, "
                              "not both")
    with pytest.raises(ds.ConfigError) as err:
        ds.compose_scenario("guarantee=mine", searchpath=5)
    assert str(err.value) == "searchpath: invalid value 5; allowed: a folder of presets, or a list of them"
    with pytest.raises(ds.ConfigError) as err:
        ds.compose_scenario("guarantee=mine")
    assert str(err.value).startswith("guarantee: unknown preset 'mine'; allowed: arms_surge")


def test_simulated_tables_carry_the_design_columns_of_a_sweep():
    swept = ds.load_sweep(tiny_sweep())
    for design in ("none", "paris_package"):
        result = ds.simulate([f"guarantee={design}", "attack=cautious", f"sim.replications={REPLICATIONS}",
                              f"sim.horizon_days={HORIZON}"])
        same = swept[swept["guarantee"] == design].drop(columns="job").reset_index(drop=True)
        pd.testing.assert_frame_equal(result.runs, same[result.runs.columns], check_exact=True)
        others = same.drop(columns=result.runs.columns)     # another design's drawn parameters
        assert all(c.startswith("param.") for c in others) and others.isna().all().all()
    result = ds.simulate(["guarantee=none", "attack.temperature=0.20", *TINY])
    design = {"theater": "ukraine_2026", "attack": "opportunist", "monitoring": "us_led_tech",
              "guarantee": "none", "attack.temperature": 0.2, "theater.n_sectors": 5,
              "sim.horizon_days": 30, "sim.replications": 20}
    for table in (result.runs, result.daily):
        assert list(table.columns[:len(design)]) == list(design)
        assert table.iloc[:, :len(design)].drop_duplicates().to_dict("records") == [design]


def test_simulated_tables_compare_without_assigning_columns():
    runs = pd.concat([ds.simulate([f"guarantee={g}", "attack=revisionist", *TINY]).runs
                      for g in ("none", "sanctions")])
    effects = ds.compare(runs, baseline="none")
    assert effects["guarantee"].unique().tolist() == ["sanctions"]
    assert effects["n_pairs"].unique().tolist() == [20]
