"""Mechanisms are plug-ins: a new asset kind or effect type is one module plus YAML.

The how-to in docs/model.md ("Adding a detection law or an effect type") is followed here to the
letter: its code blocks are run as modules of their own (no file under ``src/`` is edited), and
the overrides it gives are run through the real model.
"""

from __future__ import annotations

import re
import shlex
import sys
import types
from pathlib import Path

import numpy as np
import pytest

import deterrence_sim as ds
from deterrence_sim.assets import KINDS
from deterrence_sim.effects import EFFECTS

HOWTO = Path(__file__).resolve().parents[1] / "docs" / "model.md"


def _howto_blocks() -> dict[str, str]:
    """The how-to's fenced blocks, by the file name written on their first line."""
    text = HOWTO.read_text()
    section = text[text.index("Adding a detection law or an effect type"):]
    blocks = re.findall(r"```(\w+)\n(.*?)```", section, re.S)
    return {lang if lang == "shell" else body.splitlines()[0].lstrip("# ").strip(): body
            for lang, body in blocks}


def _load(name: str, source: str) -> types.ModuleType:
    module = types.ModuleType(name)
    sys.modules[name] = module
    exec(compile(source, name, "exec"), module.__dict__)
    return module


@pytest.fixture
def howto():
    blocks = _howto_blocks()
    before = (dict(KINDS), dict(EFFECTS))
    yield blocks
    KINDS.clear()
    KINDS.update(before[0])
    EFFECTS.clear()
    EFFECTS.update(before[1])


def test_the_howto_adds_an_asset_kind_with_its_own_law(howto):
    _load("howto_aerostat", howto["src/deterrence_sim/assets/aerostat.py"])
    assert "aerostat" in KINDS
    override = shlex.split(re.search(r"deterrence-sim (.*aerostat.*)", howto["shell"]).group(1))
    base = ["monitoring=none", "guarantee=none", "attack.offensive_rate_per_day=0",
            "theater.n_sectors=10", "sim.horizon_days=60", "monitoring.jamming_median=0",
            "attack.temperature=1", "attack.opportunity_rate_per_sector_day=0.3"]
    runs = ds.simulate([*base, *override], replications=100).runs
    asset = ds.compose_scenario([*base, *override]).monitoring.assets
    balloons = next(a for a in asset.values() if a.kind == "aerostat")
    covered = runs["violations_minor"].sum() + runs["violations_serious"].sum()
    assert covered > 1000 and runs["detected"].sum() > 0
    # No jamming and full coverage: the law is 1 - exp(-looks p T), per rung.
    p1 = 1 - np.exp(-balloons.looks_per_day * balloons.p_detect_minor * balloons.exposure_days)
    p2 = 1 - np.exp(-balloons.looks_per_day * balloons.p_detect_serious * balloons.exposure_days)
    n1, n2 = runs["violations_minor"].sum(), runs["violations_serious"].sum()
    expected = n1 * p1 + n2 * p2
    assert abs(runs["detected"].sum() - expected) < 4 * np.sqrt(n1 * p1 * (1 - p1) + n2 * p2 * (1 - p2))


def test_the_howto_asset_kind_states_how_it_sees_a_build_up(howto):
    """The aerostat's ``buildup_look``: with no jamming, a build-up of full signature and ``d`` days
    under watch is seen with ``1 - (1 - p_buildup)**(looks * d)``."""
    _load("howto_aerostat", howto["src/deterrence_sim/assets/aerostat.py"])
    override = shlex.split(re.search(r"deterrence-sim (.*aerostat.*)", howto["shell"]).group(1))
    days = 10
    base = ["monitoring=none", "guarantee=none", "monitoring.jamming_median=0", "theater.n_sectors=6",
            "attack.offensive_rate_per_day=1", "attack.offensive_temperature=1e6", "attack.abort_cost=1e12",
            f"attack.buildup_days={days}", "attack.buildup_signature=1", "sim.horizon_days=150"]
    override = [o.replace("}", ", p_detect_buildup: 0.01}") for o in override]   # seen in some, not all
    scenario = ds.compose_scenario([*base, *override])
    balloons = next(a for a in scenario.monitoring.assets.values() if a.kind == "aerostat")
    runs = ds.simulate([*base, *override], replications=2000, seed=5).runs
    started = runs["buildups_started"].sum()
    assert started >= 1900 and runs["buildups_aborted"].sum() == 0     # nothing stands down
    p = 1 - (1 - balloons.p_detect_buildup) ** (balloons.looks_per_day * days)
    seen = runs["buildups_detected"].sum() / started
    assert abs(seen - p) < 4 * np.sqrt(p * (1 - p) / started), (seen, p)


def test_the_howto_adds_an_effect_type_that_acts(howto):
    _load("howto_air_defence", howto["src/deterrence_sim/effects/air_defence.py"])
    assert "air_defence" in EFFECTS
    override = shlex.split(re.search(r"deterrence-sim (.*air_defence.*)", howto["shell"]).group(1))
    added = override
    base = ["attack=revisionist", "attack.offensive_rate_per_day=0", "guarantee=paris_package",
            "theater.n_sectors=20", "sim.horizon_days=120"]
    without = ds.simulate(base, replications=150).runs
    with_it = ds.simulate([*base, *added], replications=150).runs
    gain = with_it["final_defender_capability"] - without["final_defender_capability"]
    assert with_it["responses_honoured"].sum() > 100 and gain.mean() > 0.01
    assert (with_it["guarantor_cost"] - without["guarantor_cost"]).mean() > 0.5   # it costs 0.5 a response


def test_unknown_kind_and_type_name_what_is_registered():
    with pytest.raises(ds.ConfigError, match=r"^monitoring\.assets\.x\.kind: invalid value 'zeppelin'; "
                                             r"allowed: drone_fleet, "):
        ds.compose_scenario(["+monitoring.assets.x={kind: zeppelin}"])
    with pytest.raises(ds.ConfigError, match=r"^guarantee\.commitments\.binding_support\.effects\."
                                             r"ultimatum\.type: invalid value 'ultimatum'; allowed: "):
        ds.compose_scenario(["+guarantee.commitments.binding_support.effects.ultimatum={punishment: 1}"])
