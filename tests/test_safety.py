"""Robustness and safety: extreme but valid inputs, and no code from configs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import deterrence_sim as ds
from deterrence_sim.api import scenario_design
from deterrence_sim.columns import OUTPUTS
from test_cli import run_cli

#: Columns that are missing by meaning (no collapse, nothing verified, no warned offensive, no
#: wider war, no guarantors/commitments): the ones whose documented meaning says when they are missing.
MAY_BE_MISSING = {o.name for o in OUTPUTS if "missing" in o.meaning}
#: Daily means of what a design may lack (no guarantors, no commitments, no assets): all missing then.
ABSENT_IN_SOME_DESIGNS = ["political_will_mean", "credibility_belief_mean", "assets_active_mean"]


def assert_finite(result: ds.SimulationResult, design: dict) -> None:
    runs = result.runs.drop(columns=list(design))   # the scenario's design columns lead the tables
    for col in runs.columns:
        values = runs[col].to_numpy(dtype=float, na_value=np.nan)
        if col in MAY_BE_MISSING:
            values = values[~np.isnan(values)]
        assert np.isfinite(values).all(), col
    assert runs.loc[~runs["collapsed"], "collapse_day"].isna().all()
    absent = [c for c in ABSENT_IN_SOME_DESIGNS if result.daily[c].isna().all()]
    daily = result.daily.drop(columns=["hazard", *design, *absent]).to_numpy(dtype=float)
    live = result.daily["in_ceasefire"].to_numpy() > 0
    assert np.isfinite(daily[live]).all()


ASSETS = ("drone_patrols", "ground_sensors", "optical_satellites", "sar_satellites")
EFFECTS = {"binding_support": ("sanctions", "arms_surge", "military_response"),
           "reassurance_force": ("reassurance_force",)}
EXTREMES = {
    "detection certain": [f"monitoring.assets.{a}.{f}={v}" for a in ASSETS for f, v in (
        ("p_detect_minor", 1), ("p_detect_serious", 1), ("looks_per_day", 1000))],
    "detection impossible": [f"monitoring.assets.{a}.p_detect_{r}=0" for a in ASSETS
                             for r in ("minor", "serious")],
    "no assets": ["monitoring=none"],
    "one sector": ["theater.n_sectors=1",
                   "guarantee.commitments.reassurance_force.effects.reassurance_force.sectors=1"],
    "one day": ["sim.horizon_days=1"],
    "zero costs": [f"guarantee.commitments.{k}.effects.{e}.{c}=0" for k, es in EFFECTS.items() for e in es
                   for c in ("cost_bn_per_response", "standing_cost_bn_per_year")]
                  + ["guarantee.aid_bn_per_year={}"]
                  + [f"monitoring.assets.{a}.cost_bn_per_year=0" for a in ASSETS],
    "enormous costs": [f"guarantee.commitments.{k}.effects.{e}.{c}=1e12" for k, es in EFFECTS.items()
                       for e in es for c in ("cost_bn_per_response", "standing_cost_bn_per_year",
                                             "punishment", "punishment_offensive")],
    "zero temperature": ["attack.temperature=0", "attack.offensive_temperature=0"],
    "everything collapses at once": ["attack.offensive_rate_per_day=1", "attack.offensive_cost=0",
                                     "attack.offensive_fail_loss=0", "attack.revisionism=1",
                                     "guarantee=none"],
    "no guarantors": ["theater.guarantors={}", "monitoring=none", "guarantee=none"],
    "no forgetting, no learning": ["attack.learns=false", "attack.forgetting=1e-9"],
    "every parameter at once uncertain": [
        "theater.aggressor.regen_per_day={dist:lognormal,median:0.006,sigma:1}",
        "attack.temperature={dist:normal,mean:0,sd:5}", "attack.revisionism={dist:beta,a:0.1,b:0.1}",
        "monitoring.verification_delay_days={dist:choice,values:[0,365]}",
        "guarantee.commitments.binding_support.response_delay_days={dist:uniform,low:0,high:365}"],
}


@pytest.mark.parametrize("overrides", list(EXTREMES.values()), ids=list(EXTREMES))
@pytest.mark.parametrize("replications", [1, 50])
def test_extreme_but_valid_inputs_give_finite_outputs(overrides: list[str], replications: int) -> None:
    overrides = [*overrides, "sim.horizon_days=" + ("1" if "sim.horizon_days=1" in overrides else "60"),
                 f"sim.replications={replications}", "sim.seed=5"]
    result = ds.simulate(overrides)
    assert len(result.runs) == replications
    assert_finite(result, scenario_design(result.config, overrides))


@pytest.mark.parametrize(("override", "field"), [
    ("+hydra.callbacks.evil._target_=os.system", "hydra.callbacks.evil._target_: invalid value 'os.system'"),
    ("hydra.launcher._target_=builtins.eval", "hydra.launcher._target_: invalid value 'builtins.eval'"),
    ("+hydra.job_logging.handlers.x.class=os.system",
     "hydra.job_logging.handlers.x.class: invalid value 'os.system'"),
])
def test_config_cannot_name_code(tmp_path: Path, override: str, field: str) -> None:
    proc = run_cli(override, "sim.replications=2", f"hydra.run.dir={tmp_path / 'out'}", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [f"deterrence-sim: error: {field}; allowed: "
                                                + proc.stderr.split("allowed: ", 1)[1].strip()]
    assert list(tmp_path.iterdir()) == []


def test_own_config_dirs_are_refused(tmp_path: Path) -> None:
    proc = run_cli("--config-dir", str(tmp_path), cwd=tmp_path)
    assert proc.returncode == 2 and "--config-dir: not supported" in proc.stderr
    assert list(tmp_path.iterdir()) == []


EVIL_PRESET = """\
# @package _global_
name: evil
hydra:
  callbacks:
    evil:
      _target_: os.system
"""


@pytest.mark.parametrize("args", [["guarantee=evil"], ["-m", "guarantee=none,evil"]])
def test_a_users_own_preset_is_checked_like_a_built_in_one(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "mine" / "guarantee").mkdir(parents=True)
    (tmp_path / "mine" / "guarantee" / "evil.yaml").write_text(EVIL_PRESET)
    proc = run_cli("hydra.searchpath=[file://mine]", *args, "sim.replications=2", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == ("deterrence-sim: error: hydra.callbacks.evil._target_: invalid value "
                           "'os.system'; allowed: a class of hydra, hydra_plugins or deterrence_sim\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]
