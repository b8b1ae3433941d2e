"""The real console script, run in a subprocess: outputs, reproducibility, bad input."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

SCRIPT = shutil.which("deterrence-sim", path=str(Path(sys.executable).parent))
SMALL = ["sim.replications=50", "sim.horizon_days=60", "sim.block_size=25"]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    assert SCRIPT, "the deterrence-sim console script is not installed next to this Python"
    return subprocess.run([SCRIPT, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    cwd = tmp_path_factory.mktemp("cli")
    out = cwd / "out"
    proc = run_cli(*SMALL, f"hydra.run.dir={out}", cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    assert "collapse within" in proc.stdout
    return out


def test_writes_runs_daily_and_manifest(run_dir: Path) -> None:
    runs = pd.read_parquet(run_dir / "runs.parquet")
    daily = pd.read_parquet(run_dir / "daily.parquet")
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert len(runs) == 50 and runs["replication"].tolist() == list(range(50))
    assert len(daily) == 60 and daily["day"].tolist() == list(range(1, 61))
    required = {"replication", "collapsed", "collapse_day", "duration_days", "violations_minor",
                "violations_serious", "detected", "verified", "false_alarms", "misattributed",
                "responses_triggered", "responses_honoured", "guarantor_cost", "aggressor_cost",
                "direct_clash", "ground_lost_km"}
    assert required <= set(runs.columns)
    assert manifest["seed"] == 20260106 and manifest["replications"] == 50
    assert manifest["config"]["guarantee"]["name"] == "paris_package"
    assert set(manifest["versions"]) >= {"python", "numpy", "mesa", "hydra-core"}
    assert "git_revision" in manifest
    assert manifest["overrides"] == SMALL


def test_same_config_and_seed_give_identical_files(run_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "again"
    proc = run_cli(*SMALL, f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for name in ("runs.parquet", "daily.parquet"):
        assert (out / name).read_bytes() == (run_dir / name).read_bytes(), name


def test_parquet_metadata_carries_config_and_seed(run_dir: Path) -> None:
    import pyarrow.parquet as pq

    meta = json.loads(pq.read_schema(run_dir / "runs.parquet").metadata[b"deterrence_sim"])
    assert meta["seed"] == 20260106
    assert meta["config"]["attack"]["name"] == "opportunist"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("attack.temperature=warm", r"attack\.temperature: invalid value 'warm'; allowed: a number"),
        ("monitoring.p_verify_single=1.5",
         r"monitoring\.p_verify_single: invalid value 1\.5; allowed: a number in \[0, 1\]"),
        ("guarantee.commitments.binding_support.response_delay_days=-3",
         r"guarantee\.commitments\.binding_support\.response_delay_days: invalid value -3; allowed"),
        ("+attack.bluff=1", r"attack\.bluff: unknown key; allowed: name, revisionism"),
        ("attack=kamikaze", r"attack: unknown preset 'kamikaze'; allowed: cautious, opportunist"),
        ("guarantee.commitments.binding_support.guarantors=[us,poland]",
         r"guarantee\.commitments\.binding_support\.guarantors\[1\]: invalid value 'poland'; "
         r"allowed: us, uk"),
        ("guarantee.commitments.binding_support.rule=dictator",
         r"guarantee\.commitments\.binding_support\.rule: invalid value 'dictator'; allowed: lead_nation"),
        ("theater.aggressor.regen_per_day={dist:weibull,k:2}",
         r"theater\.aggressor\.regen_per_day: invalid value \{'dist': 'weibull', 'k': 2\}; allowed: "
         r"a number, or one of"),
        ("guarantee.commitments.binding_support.effects.military_response.type=nuke",
         r"guarantee\.commitments\.binding_support\.effects\.military_response\.type: invalid value 'nuke'"),
        ("+monitoring.assets.x={kind: blimp}", r"monitoring\.assets\.x\.kind: invalid value 'blimp'"),
        ("sim.replications=2.5", r"sim\.replications: invalid value 2\.5; allowed: a whole number"),
    ],
)
def test_bad_input_one_line_exit_2_nothing_written(tmp_path: Path, override: str,
                                                   message: str) -> None:
    proc = run_cli(override, f"hydra.run.dir={tmp_path / 'out'}", cwd=tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("deterrence-sim: error: ")
    assert re.search(message, lines[0]), lines[0]
    assert "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_help_names_the_tool_and_its_groups_and_writes_nothing(tmp_path: Path) -> None:
    proc = run_cli("--help", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("deterrence-sim: agent-based simulation of ceasefire deterrence.")
    assert "guarantee: arms_surge, assurances, collective_defence, none, paris_package" in proc.stdout
    assert list(tmp_path.iterdir()) == []
