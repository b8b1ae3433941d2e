"""Property-based fuzzing of the configuration (hypothesis), through the Python API and the CLI.

Generated override lists mix wrong types, out-of-range values, non-finite numbers, unknown keys,
deleted fields, dangling references and unknown presets. Every case either composes a valid
scenario or raises ConfigError (a ValueError) with one line naming the field; on the command line
the same cases exit with code 2, one line on stderr and nothing written.
"""

from __future__ import annotations

import dataclasses
import os
import random
import re
import typing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deterrence_sim as ds
from deterrence_sim.assets.ground_sensors import GroundSensorsConfig
from deterrence_sim.config import (
    AttackConfig,
    CommitmentConfig,
    GuarantorConfig,
    MonitoringConfig,
    SimConfig,
    TheaterConfig,
)
from deterrence_sim.effects.sanctions import SanctionsConfig
from test_cli import run_cli

NODES = {  # a path prefix in the default scenario and the dataclass behind it
    "attack": AttackConfig, "theater": TheaterConfig, "monitoring": MonitoringConfig,
    "sim": SimConfig, "monitoring.assets.ground_sensors": GroundSensorsConfig,
    "guarantee.commitments.binding_support": CommitmentConfig, "theater.guarantors.france": GuarantorConfig,
    "guarantee.commitments.binding_support.effects.sanctions": SanctionsConfig,
}
FIELDS = [(prefix, f.name) for prefix, node in NODES.items() for f in dataclasses.fields(node)
          if not dataclasses.is_dataclass(typing.get_type_hints(node).get(f.name))
          and typing.get_origin(typing.get_type_hints(node).get(f.name)) is not list]
BAD_VALUES = st.sampled_from(["abc", "-1", "-0.5", "1.5", "2", "1e400", "nan", "inf", "-inf", "[1,2]",
                              "{a:1}", "true", "''", "null", "0.5", "0", "100000", "3.7"])
TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)

override = st.one_of(
    st.builds(lambda f, v: f"{f[0]}.{f[1]}={v}", st.sampled_from(FIELDS), BAD_VALUES),
    st.builds(lambda f, k: f"+{f[0]}.{k}=1", st.sampled_from(FIELDS), TEXT),          # unknown key
    st.builds(lambda f: f"~{f[0]}.{f[1]}", st.sampled_from(FIELDS)),                  # deleted field
    st.builds(lambda n: f"guarantee.commitments.binding_support.guarantors=[us,{n}]", TEXT),  # dangling
    st.builds(lambda n: f"monitoring.assets.drone_patrols.owner={n}", TEXT),          # dangling
    st.builds(lambda n: f"monitoring.assets.drone_patrols.kind={n}", TEXT),           # unknown kind
    st.builds(lambda n: f"+guarantee.commitments.binding_support.effects.{n}={{punishment: 1}}", TEXT),
    st.builds(lambda g, n: f"{g}={n}", st.sampled_from(["attack", "monitoring", "guarantee"]), TEXT),
    st.builds(lambda d: f"attack.revisionism={d}",
              st.sampled_from(["{dist:beta,a:0,b:1}", "{dist:normal,mu:0}", "{dist:uniform,low:2,high:1}",
                               "{dist:triangular,low:0,mode:2,high:1}", "{dist:beta}"])),
)
CASES = st.lists(override, min_size=1, max_size=3)
SMALL = ["sim.replications=1", "sim.horizon_days=1"]
TRIED = {"api": 0, "api_errors": 0, "cli": 0}
#: Generated API cases per run; raise it for a longer campaign (docs/robustness.md).
EXAMPLES = int(os.environ.get("DETERRENCE_SIM_FUZZ_EXAMPLES", "30"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CASES)
def test_api_gives_a_scenario_or_one_clear_line(overrides: list[str]) -> None:
    TRIED["api"] += 1
    try:
        scenario = ds.compose_scenario([*overrides, *SMALL])
    except ds.ConfigError as exc:
        TRIED["api_errors"] += 1
        message = str(exc)
        assert isinstance(exc, ValueError)
        assert "\n" not in message
        assert re.match(r"^[\w.\[\]/-]+: .+; allowed: .+", message), message   # field, value, allowed
        return
    assert isinstance(scenario, ds.ScenarioConfig)
    ds.config.validate(scenario)


@pytest.mark.parametrize("seed", range(8))
def test_cli_exit_2_one_line_nothing_written(tmp_path: Path, seed: int) -> None:
    overrides = _case(seed)
    TRIED["cli"] += 1
    proc = run_cli(*overrides, *SMALL, f"hydra.run.dir={tmp_path / 'out'}", cwd=tmp_path)
    try:
        ds.compose_scenario([*overrides, *SMALL])
        valid = True
    except ds.ConfigError as exc:
        valid, message = False, str(exc)
    if valid:
        assert proc.returncode == 0, proc.stderr
        assert (tmp_path / "out" / "manifest.json").exists()
    else:
        assert proc.returncode == 2
        assert proc.stderr.strip().splitlines() == [f"deterrence-sim: error: {message}"]
        assert list(tmp_path.iterdir()) == []


def _case(seed: int) -> list[str]:
    """A reproducible case of each kind for the (slower) command-line check."""
    rng = random.Random(seed)
    field = FIELDS[rng.randrange(len(FIELDS))]
    kinds = [f"{field[0]}.{field[1]}=abc", f"{field[0]}.{field[1]}=-1", f"+{field[0]}.zz{seed}=1",
             f"guarantee.commitments.binding_support.guarantors=[us,nowhere{seed}]",
             f"{field[0]}.{field[1]}=nan", f"monitoring.assets.drone_patrols.owner=nobody{seed}",
             f"attack=profile{seed}",
             f"{field[0]}.{field[1]}=1e400"]
    return [kinds[seed % len(kinds)]]


def teardown_module() -> None:
    print(f"\nconfig fuzzing: {TRIED['api']} API cases ({TRIED['api_errors']} rejected), "
          f"{TRIED['cli']} CLI cases")
