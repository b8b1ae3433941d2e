"""Presets: every one composes, and each states only what differs from what it extends."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

import deterrence_sim as ds
from deterrence_sim.api import config_dir, presets
from deterrence_sim.assets import KINDS
from deterrence_sim.config import CommitmentConfig, GuarantorConfig
from deterrence_sim.effects import EFFECTS
from deterrence_sim.hydra_config import SCHEMAS

CONF = Path(config_dir())
GROUPS = ("theater", "attack", "monitoring", "guarantee", "sim")


@pytest.mark.parametrize(("group", "preset"), [(g, p) for g in GROUPS for p in presets(g)])
def test_every_preset_composes(group, preset):
    sc = ds.compose_scenario([f"{group}={preset}"])
    assert getattr(sc, group) is not None


def _defaults(node_type) -> dict:
    return {f.name: (f.default if f.default is not dataclasses.MISSING else f.default_factory())
            for f in dataclasses.fields(node_type)}


def _repeats(values: dict, defaults: dict, where: str) -> list[str]:
    return [f"{where}.{k}" for k, v in values.items() if k in defaults and not isinstance(v, dict)
            and v == defaults[k] and not isinstance(v, list | str)]


def _entries(data: dict, defaults_list: list, key: str, schema) -> list[str]:
    found = []
    for name, entry in (data.get(key) or {}).items():
        chosen = next((next(iter(d.values())) for d in defaults_list if isinstance(d, dict)
                       and f"@{key}.{name}" in next(iter(d))), None)
        if chosen is None:          # an entry of the preset this one extends: compared with it
            continue
        found += _repeats(entry or {}, _defaults(schema(chosen)), f"{key}.{name}")
    return found


def test_no_preset_repeats_a_value_it_already_has():
    repeated = []
    for path in sorted(CONF.glob("*/*.yaml")):
        group = path.parent.name
        data = yaml.safe_load(path.read_text()) or {}
        dl = data.pop("defaults", [])
        if group in SCHEMAS:
            parents = [d for d in dl if isinstance(d, str) and d not in ("_self_",)]
            for parent in parents:
                if parent.startswith("base_"):
                    repeated += _repeats(data, _defaults(SCHEMAS[group]), str(path))
                else:   # another preset of the group: compare with it
                    base = yaml.safe_load((path.parent / f"{parent}.yaml").read_text())
                    repeated += _repeats(data, base, str(path))
                    for name, entry in (data.get("assets") or {}).items():
                        repeated += _repeats(entry, base["assets"][name], f"{path}.assets.{name}")
        if group == "theater":
            repeated += _entries(data, dl, "guarantors", lambda _: GuarantorConfig)
        if group == "monitoring":
            repeated += _entries(data, dl, "assets", lambda k: KINDS[k].config)
        if group == "commitment":
            repeated += _entries(data, dl, "effects", lambda t: EFFECTS[t].config)
            repeated += _repeats(data, _defaults(CommitmentConfig), str(path))
    assert not repeated, repeated


def test_each_commitment_is_defined_once_and_designs_compose_them():
    for path in (CONF / "guarantee").glob("*.yaml"):
        assert "commitments" not in (yaml.safe_load(path.read_text()) or {}), path
    paris = ds.compose_scenario(["guarantee=paris_package"]).guarantee.commitments
    alone = ds.compose_scenario(["guarantee=reassurance_force"]).guarantee.commitments
    assert paris["reassurance_force"] == alone["reassurance_force"]


def test_the_jammed_mechanism_extends_the_us_led_one():
    jammed = ds.compose_scenario(["monitoring=us_led_tech_jammed"]).monitoring
    plain = ds.compose_scenario(["monitoring=us_led_tech"]).monitoring
    changed = {f.name for f in dataclasses.fields(plain) if getattr(plain, f.name) != getattr(jammed, f.name)}
    assert changed == {"name", "assets", "jamming_median", "extra_cloud"}
    before, after = plain.assets["drone_patrols"], jammed.assets["drone_patrols"]
    drones = [f.name for f in dataclasses.fields(before) if getattr(before, f.name) != getattr(after, f.name)]
    assert drones == ["loss_rate_per_day"]
    assert {k: v for k, v in plain.assets.items() if k != "drone_patrols"} == {
        k: v for k, v in jammed.assets.items() if k != "drone_patrols"}
