"""The real console script, run in a subprocess: outputs, reproducibility, bad input."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

SCRIPT = shutil.which("deterrence-sim", path=str(Path(sys.executable).parent))
SMALL = ["sim.replications=50", "sim.horizon_days=60", "sim.block_size=25"]
TINY = ["theater.n_sectors=5", "sim.horizon_days=30", "sim.replications=20"]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    assert SCRIPT, "the deterrence-sim console script is not installed next to this Python"
    return subprocess.run([SCRIPT, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def start_cli(*args: str, cwd: Path) -> subprocess.Popen:
    """The console script in its own process group, with Ctrl-C (SIGINT) handled as in a terminal
    (a test runner started in the background may pass SIGINT on as ignored)."""
    assert SCRIPT, "the deterrence-sim console script is not installed next to this Python"
    return subprocess.Popen([SCRIPT, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def wait_for(condition, timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def ctrl_c(proc: subprocess.Popen) -> tuple[int, str, str]:
    """Press Ctrl-C: SIGINT to the whole process group, as a terminal does; (code, stdout, stderr)."""
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out, err


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


# --- messages that name the field, the value and what is allowed, exactly ----------------------

@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("sim.replications=1e8", "sim.replications: invalid value 100000000.0; allowed: a whole number "
                                 "in [1, 10000000] (fixed for the whole run, not a distribution)"),
        ("sim.replications=1e6", "sim.replications: invalid value 1000000.0; allowed: a whole number in "
                                 "[1, 10000000] (fixed for the whole run, not a distribution), written "
                                 "without a decimal point or exponent (1000000)"),
        ("attack.name=атака", "attack.name: invalid value 'атака': text with spaces, symbols or "
                              "non-ASCII letters must be quoted; allowed: quoted text, e.g. "
                              "\"attack.name='атака'\""),
        ("hydra.searchpath=[file://nowhere]", "hydra.searchpath: invalid value 'file://nowhere': no "
                                              "such folder; allowed: folders of presets, as "
                                              "[file://DIR, ...] (DIR/guarantee/NAME.yaml, ...)"),
    ],
)
def test_bad_input_message_is_exactly_one_line(tmp_path: Path, override: str, message: str) -> None:
    proc = run_cli(override, f"hydra.run.dir={tmp_path / 'out'}", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == f"deterrence-sim: error: {message}\n"
    assert list(tmp_path.iterdir()) == []


def test_quoted_non_ascii_text_is_accepted(tmp_path: Path) -> None:
    proc = run_cli("attack.name='атака'", *TINY, f"hydra.run.dir={tmp_path / 'out'}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads((tmp_path / "out" / "manifest.json").read_text())["config"]["attack"]["name"] == "атака"


# --- the printed summary -----------------------------------------------------------------------


def test_run_summary_shows_every_override(tmp_path: Path) -> None:
    proc = run_cli("monitoring.assets=[]", "attack.temperature=0.2",
                   "attack.revisionism={dist:uniform,low:0.2,high:0.6}", *TINY,
                   f"hydra.run.dir={tmp_path / 'out'}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == ("scenario: theater=ukraine_2026 attack=opportunist monitoring=us_led_tech "
                        "guarantee=paris_package seed=20260106")
    assert lines[1] == ("overrides: monitoring.assets={} attack.temperature=0.2 "
                        "attack.revisionism={dist:uniform,low:0.2,high:0.6} theater.n_sectors=5 "
                        "sim.horizon_days=30 sim.replications=20")


# --- presets of the user's own, from a folder of theirs ----------------------------------------

MY_DESIGN = """\
# sanctions snap-back plus the Paris package's financing
defaults:
  - sanctions
  - _self_
name: sanctions_and_aid
aid_bn_per_year: {eu: 45.0, germany: 11.0}
"""


def test_a_preset_from_the_users_folder_runs_sweeps_reports_and_simulates(tmp_path: Path) -> None:
    import deterrence_sim as ds

    (tmp_path / "designs" / "guarantee").mkdir(parents=True)
    (tmp_path / "designs" / "guarantee" / "sanctions_and_aid.yaml").write_text(MY_DESIGN)
    search = "hydra.searchpath=[file://designs]"
    run = run_cli(search, "guarantee=sanctions_and_aid", *TINY, "hydra.run.dir=run", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    config = json.loads((tmp_path / "run" / "manifest.json").read_text())["config"]["guarantee"]
    assert config["name"] == "sanctions_and_aid"
    assert config["aid_bn_per_year"] == {"eu": 45.0, "germany": 11.0}
    assert list(config["commitments"]) == ["sanctions_snapback"]
    sweep = run_cli("-m", search, "guarantee=none,sanctions,sanctions_and_aid", *TINY,
                    "hydra.sweep.dir=sweep", cwd=tmp_path)
    assert sweep.returncode == 0, sweep.stderr
    runs = pd.read_parquet(tmp_path / "sweep" / "runs.parquet")
    assert runs.groupby("guarantee").size().to_dict() == {"none": 20, "sanctions": 20,
                                                         "sanctions_and_aid": 20}
    report = subprocess.run([str(Path(SCRIPT).with_name("deterrence-sim-report")), "sweep",
                             "--baseline", "none", "--out", "report"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert report.returncode == 0, report.stderr
    effects = pd.read_csv(tmp_path / "report" / "tables" / "effects.csv")
    assert sorted(effects["guarantee"].unique()) == ["sanctions", "sanctions_and_aid"]
    # the API, with the override or with the searchpath argument, gives the command line's rows
    cli_runs = pd.read_parquet(tmp_path / "run" / "runs.parquet")
    folder = tmp_path / "designs"
    for result in (ds.simulate([f"hydra.searchpath=[file://{folder}]", "guarantee=sanctions_and_aid",
                                *TINY]),
                   ds.simulate(["guarantee=sanctions_and_aid", *TINY], searchpath=folder)):
        assert result.config.guarantee.name == "sanctions_and_aid"
        pd.testing.assert_frame_equal(result.runs[cli_runs.columns], cli_runs, check_exact=True)


# --- one writer per folder ---------------------------------------------------------------------

def test_a_run_into_a_folder_in_use_is_refused_at_once_naming_the_holder(tmp_path: Path) -> None:
    import os

    from deterrence_sim.outputs import hold_folder

    out = tmp_path / "out"
    lock = hold_folder(out)
    proc = run_cli(*TINY, f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == (f"deterrence-sim: error: hydra.run.dir: invalid value '{out}': in use by "
                           f"process {os.getpid()}; allowed: a folder that no other run or sweep is "
                           "writing (wait for it to end, or choose another hydra.run.dir)\n")
    assert sorted(p.name for p in out.iterdir()) == [".deterrence-sim.lock"]
    lock.close()   # released: the same command now runs
    proc = run_cli(*TINY, f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (out / "manifest.json").exists()


# --- Ctrl-C and big runs -----------------------------------------------------------------------

def test_ctrl_c_on_a_run_leaves_no_manifest_and_no_traceback(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_cli(*TINY, f"hydra.run.dir={out}", cwd=tmp_path)   # an earlier, finished run
    assert first.returncode == 0 and (out / "manifest.json").exists()
    proc = start_cli("sim.replications=5000", f"hydra.run.dir={out}", cwd=tmp_path)
    wait_for(lambda: not (out / "manifest.json").exists())   # simulating: the old run is unmarked
    code, _, err = ctrl_c(proc)
    assert code == 130
    assert err == (f"deterrence-sim: interrupted: {out} holds no finished run (no manifest.json); run "
                   f"the command again (with hydra.run.dir={out} to reuse the folder)\n")
    assert not (out / "manifest.json").exists()
    assert not list(out.glob(".*.tmp"))


def test_a_big_run_says_how_long_it_will_take_before_it_starts(tmp_path: Path) -> None:
    proc = start_cli("sim.replications=10000000", f"hydra.run.dir={tmp_path / 'out'}", cwd=tmp_path)
    line = proc.stderr.readline()
    code, _, rest = ctrl_c(proc)
    found = re.fullmatch(r"deterrence-sim: estimated time about (\d+ h \d+ min|\d+ days \d+ h): "
                         r"7,300,000,000 replication-days at ([\d,]+) a second \(measured for 1 s\); "
                         r"Ctrl-C stops it\n", line)
    assert found, line
    rate = int(found[2].replace(",", ""))
    assert 1_000 < rate < 100_000_000
    assert code == 130 and rest.startswith(f"deterrence-sim: interrupted: {tmp_path / 'out'} holds no ")
