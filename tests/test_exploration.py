"""deterrence-sim-explore and ds.explore: bad input, a tiny end-to-end run, chunking, resume, Ctrl-C,
launcher jobs, and the report on an exploration's folder."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import deterrence_sim as ds
from deterrence_sim.analysis.designs import METHODS, DesignInfo, make_design, sobol_design
from deterrence_sim.analysis.explorations import (
    Exploration,
    ExplorationError,
    discovery_table,
    failures,
    read_exploration,
)
from deterrence_sim.analysis.outcomes import OUTCOMES
from deterrence_sim.api import presets
from deterrence_sim.config import ConfigError
from deterrence_sim.exploration.cli import main
from deterrence_sim.exploration.config import METHOD_NAMES, OUTCOME_NAMES
from deterrence_sim.exploration.plan import make_plan
from deterrence_sim.outputs import hold_folder
from deterrence_sim.report import main as report_main
from deterrence_sim.report.exploration import failures_section
from sweep_builder import run_main

ERROR = "deterrence-sim-explore: error: "
SCENARIO = ["sim.horizon_days=30", "theater.n_sectors=4"]
TINY = ["explore.n=4", "explore.replications_per_point=3", "explore.designs=[none,paris_package]", *SCENARIO]
TABLES = ("design.parquet", "runs.parquet", "points.parquet")


def run_explore(argv: list[str], capsys) -> tuple[int, str, str]:
    return run_main(main, argv, capsys)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    """Sobol', N = 4, 4 parameters (24 points) x 2 designs x 3 replications, in chunks of 7 points on
    two local workers."""
    out = tmp_path_factory.mktemp("explore") / "tiny"
    main([*TINY, "explore.chunk_points=7", "explore.n_jobs=2", f"explore.out={out}"])
    return out


def test_the_config_lists_are_the_analysis_lists():
    assert list(OUTCOME_NAMES) == list(OUTCOMES) and list(METHOD_NAMES) == list(METHODS)


@pytest.mark.parametrize("preset", presets("explore"))
def test_every_preset_plans(preset, tmp_path):
    plan = make_plan([f"explore={preset}"], out=tmp_path / preset)
    assert len(plan.points) == plan.explore.n_points() and plan.chunks
    assert not (tmp_path / preset).exists()               # planning writes nothing
    if preset == "what_matters":
        assert plan.explore.method == "sobol" and plan.explore.n == 1024
        assert len(plan.explore.parameters) == 12
        assert list(plan.scenarios) == ["paris_package", "none"] and len(plan.points) == 1024 * 14


def test_the_manifest_keeps_the_parameters_in_column_order(tmp_path):
    """The indices are computed by column position and named by the design's order of parameters,
    so that order must survive the manifest's JSON (written with sorted keys)."""
    plan = make_plan(["explore=what_matters"], out=tmp_path / "wm")
    columns = list(plan.design.columns)
    assert columns != sorted(columns)                      # what_matters lists them out of order
    manifest = json.loads(json.dumps(plan.describe(), sort_keys=True, default=str))
    info = DesignInfo.from_dict(manifest["design"])
    assert info.names == columns
    pd.testing.assert_frame_equal(make_design(info), plan.design, check_like=False)


BAD = {
    "unknown path": (["explore.parameters.attack.temperatur=[0.1,1]"],
                     "explore.parameters.attack.temperatur: unknown parameter; allowed: a numeric parameter "
                     "of the scenario (closest: attack.temperature)"),
    "path of one design only": (
        ["explore.designs=[paris_package,none]",
         "explore.parameters.guarantee.commitments.reassurance_force.bindingness=[0.1,0.9]"],
        "explore.parameters.guarantee.commitments.reassurance_force.bindingness: unknown parameter under "
        "guarantee=none; allowed: a numeric parameter of the scenario (the paths are listed in "
        "docs/parameters.md)"),
    "fixed field": (["explore.parameters.sim.horizon_days=[10,20]"],
                    "explore.parameters.sim.horizon_days: unknown parameter; allowed: a numeric parameter "
                    "of the scenario (sim.horizon_days is fixed for the whole run)"),
    "range outside the field's": (["explore.parameters.attack.revisionism=[0.5,1.5]"],
                                  "explore.parameters.attack.revisionism: invalid value [0.5, 1.5]: outside "
                                  "the field's range; allowed: a range within [0, 1]"),
    "low >= high": (["explore.parameters.attack.temperature=[0.8,0.8]"],
                    "explore.parameters.attack.temperature: invalid value [0.8, 0.8]; allowed: [low, high] "
                    "with finite numbers low < high"),
    "not a range": (["explore.parameters={attack.temperature:5}"],
                    "explore.parameters.attack.temperature: invalid value 5; allowed: [low, high] with "
                    "finite numbers low < high"),
    "N for sobol": (["explore.n=100"],
                    "explore.n: invalid value 100 for method sobol; allowed: a power of two of at least 4 "
                    "(4, 8, 16, ..., 1024, ...): N(D + 2) points, and N/2 is the convergence check"),
    "N for morris": (["explore.method=morris", "explore.n=1"],
                     "explore.n: invalid value 1 for method morris; allowed: a whole number of "
                     "trajectories, at least 2 (10 to 50 is usual)"),
    "N for oat": (["explore.method=oat"],
                  "explore.n: invalid value 16 for method oat; allowed: null (a one-at-a-time design has 1 "
                  "+ 2D points: the base case and each parameter at its low and high end)"),
    "N not a number": (["explore.n=many"],
                       "explore.n: invalid value 'many'; allowed: a whole number in [1, 10000000], or null"),
    "unknown method": (["explore.method=fast"],
                       "explore.method: invalid value 'fast'; allowed: sobol, morris, lhs, sobol_sequence, "
                       "oat"),
    "unknown outcome": (["explore.outcomes=[collapse_risk,happiness]"],
                        "explore.outcomes: invalid value 'happiness'; allowed: collapse_risk, "
                        "wider_war_risk, guarantor_cost, days_to_collapse"),
    "unknown preset": (["explore=everything"], "explore: unknown preset 'everything'; allowed: "
                       + ", ".join(presets("explore"))),
    "unknown key": (["explore.speed=2"],
                    "explore.speed: unknown key; allowed: method, n, levels, parameters, base, outcomes, "
                    "replications_per_point, seed, designs, failure_outcome, failure_threshold, "
                    "chunk_points, n_jobs, out"),
    "unknown design": (["explore.designs=[none,nato]"],
                       "explore.designs: invalid value 'nato'; allowed: guarantee presets (arms_surge, "
                       "assurances, collective_defence, none, paris_package, reassurance_force, sanctions)"),
    "replications": (["explore.replications_per_point=0"],
                     "explore.replications_per_point: invalid value 0; allowed: a whole number in [1, "
                     "10000000]"),
    "bad scenario override": (["attack.temperature=-1"],
                              "attack.temperature: invalid value -1; allowed: a number >= 0, or a "
                              "distribution"),
    "a flag": (["--fast"], "arguments: invalid value '--fast'; allowed: overrides only (explore=NAME, "
               "explore.KEY=VALUE, scenario overrides such as attack=revisionist), or --help"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_input_gives_one_line_exit_2_and_writes_nothing(case, tmp_path, monkeypatch, capsys):
    argv, message = BAD[case]
    monkeypatch.chdir(tmp_path)
    code, out, err = run_explore(argv, capsys)
    assert code == 2
    assert err.splitlines() == [ERROR + message] and out == ""
    assert list(tmp_path.iterdir()) == []


def test_a_folder_in_use_or_of_another_exploration_is_refused(tiny, tmp_path, capsys):
    code, _, err = run_explore([*TINY, "explore.seed=1", f"explore.out={tiny}"], capsys)
    assert code == 2 and err.splitlines() == [
        f"{ERROR}explore.out: invalid value '{tiny}': it holds another exploration (a different config, "
        "scenario or design); allowed: the same command to resume it, or another folder (explore.out=DIR)"]
    lock = hold_folder(tmp_path / "busy")
    try:
        code, _, err = run_explore([*TINY, f"explore.out={tmp_path / 'busy'}"], capsys)
    finally:
        lock.close()
    assert code == 2 and err.startswith(f"{ERROR}explore.out: invalid value '{tmp_path / 'busy'}': in use by "
                                        f"process {os.getpid()}")


def test_the_folder_holds_points_runs_indices_figures_and_a_manifest(tiny):
    manifest = json.loads((tiny / "manifest.json").read_text())
    assert manifest["kind"] == "exploration" and manifest["status"] == "finished"
    assert manifest["seed"] == {"design": 0, "simulation": 20260106}
    assert manifest["design"]["method"] == "sobol" and manifest["design"]["n"] == 4
    assert set(manifest["designs"]) == {"none", "paris_package"}
    assert manifest["designs"]["none"]["overrides"] == [*SCENARIO, "guarantee=none"]
    assert {"git_revision", "versions", "command", "plan"} <= set(manifest)
    chunks = manifest["chunks"]
    assert [(c["design"], c["start"], c["stop"]) for c in chunks] == [
        (d, a, b) for d in ("none", "paris_package") for a, b in ((0, 7), (7, 14), (14, 21), (21, 24))]
    assert all(len(c["sha256"]) == 64 for c in chunks)
    expl = read_exploration(tiny)
    assert expl.points.shape[0] == 2 * 24 and (expl.points["replications"] == 3).all()
    assert len(expl.runs) == 2 * 24 * 3
    assert {"param.attack.revisionism", "collapse_risk", "collapse_risk_low", "wider_war_risk",
            "guarantor_cost", "days_to_collapse"} <= set(expl.points.columns)
    indices = pd.read_csv(tiny / "indices.csv")
    assert set(indices["guarantee"]) == {"none", "paris_package"} and set(indices["n"]) == {2, 4}
    assert {"S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"} <= set(indices.columns)
    assert (tiny / "discovery.csv").exists()
    figures = {p.name for p in (tiny / "figures").glob("*.png")}
    assert "sobol_paris_package_guarantor_cost.png" in figures
    assert "response_collapse_risk_attack-revisionism.png" in figures


def test_paired_designs_share_their_points_and_random_numbers(tiny):
    runs = read_exploration(tiny).runs
    none, paris = (runs[runs["guarantee"] == g].reset_index(drop=True) for g in ("none", "paris_package"))
    assert (none["param.attack.revisionism"] == paris["param.attack.revisionism"]).all()
    # the drawn parameters that both scenarios share are the same in replication j of each point
    assert (none["param.theater.aggressor.capability"] == paris["param.theater.aggressor.capability"]).all()


def test_the_rows_are_those_of_ds_evaluate_whatever_the_chunks(tiny, tmp_path, capsys):
    """One chunk per design on one worker gives exactly the rows of seven-point chunks on two."""
    whole = tmp_path / "whole"
    code, _, err = run_explore([*TINY, "explore.chunk_points=24", "explore.n_jobs=1", f"explore.out={whole}"],
                               capsys)
    assert code == 0, err
    for name in TABLES:
        pd.testing.assert_frame_equal(pd.read_parquet(whole / name), pd.read_parquet(tiny / name),
                                      check_exact=True)
    pd.testing.assert_frame_equal(pd.read_csv(whole / "indices.csv"), pd.read_csv(tiny / "indices.csv"),
                                  check_exact=True)
    design = pd.read_parquet(tiny / "design.parquet")
    direct = ds.evaluate(design, [*SCENARIO, "guarantee=none"], replications_per_point=3)
    runs = pd.read_parquet(tiny / "runs.parquet")
    mine = runs[runs["guarantee"] == "none"].drop(columns="guarantee").dropna(axis=1, how="all")
    pd.testing.assert_frame_equal(mine.reset_index(drop=True), direct[mine.columns], check_exact=True)


def test_a_resumed_exploration_runs_only_unfinished_chunks(tiny, tmp_path, monkeypatch, capsys):
    import deterrence_sim.exploration.run as run

    folder = tmp_path / "resumed"
    shutil.copytree(tiny, folder)
    (folder / "chunks" / "00001.json").unlink()                       # unfinished
    data = (folder / "chunks" / "00006.parquet").read_bytes()
    (folder / "chunks" / "00006.parquet").write_bytes(data[: len(data) // 2])   # truncated
    for name in ("runs.parquet", "points.parquet"):
        (folder / name).unlink()
    ran = []
    real = run.run_chunk
    monkeypatch.setattr(run, "run_chunk", lambda folder, chunk, *a, **k: ran.append(chunk.number)
                        or real(folder, chunk, *a, **k))
    argv = [*TINY, "explore.chunk_points=7", "explore.n_jobs=1", f"explore.out={folder}"]
    code, out, err = run_explore(argv, capsys)
    assert code == 0, err
    assert sorted(ran) == [1, 6] and "6 finished earlier" in out
    for name in TABLES:
        pd.testing.assert_frame_equal(pd.read_parquet(folder / name), pd.read_parquet(tiny / name),
                                      check_exact=True)


def test_ctrl_c_stops_without_a_traceback_and_the_command_resumes(tiny, tmp_path, capsys):
    folder = tmp_path / "stopped"
    argv = [*TINY, "explore.chunk_points=3", "explore.n_jobs=2", f"explore.out={folder}"]
    proc = subprocess.Popen([sys.executable, "-m", "deterrence_sim.exploration", *argv], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while not list((folder / "chunks").glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGINT)                                  # Ctrl-C in a terminal
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "Traceback" not in err, err
    (line,) = err.splitlines()
    assert line.startswith("deterrence-sim-explore: interrupted: ") and line.endswith(
        f"of 16 chunks finished in {folder}; run the same command again to resume (finished chunks are kept)")
    finished = int(line.split("interrupted: ")[1].split(" of ")[0])
    assert 1 <= finished < 16
    code, out, err = run_explore(argv, capsys)
    assert code == 0, err
    assert f"{finished} finished earlier" in out
    for name in TABLES:
        pd.testing.assert_frame_equal(pd.read_parquet(folder / name), pd.read_parquet(tiny / name),
                                      check_exact=True)


def test_launcher_jobs_give_the_same_tables(tiny, tmp_path):
    """The chunks as Hydra launcher jobs (joblib here; submitit_slurm on a cluster)."""
    folder = tmp_path / "jobs"
    proc = subprocess.run([sys.executable, "-m", "deterrence_sim.exploration", *TINY,
                           "explore.chunk_points=12", f"explore.out={folder}", "hydra/launcher=joblib",
                           "hydra.launcher.n_jobs=2"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "in 4 chunks as hydra/launcher=joblib jobs" in proc.stdout
    assert sorted(p.name for p in (folder / "jobs").iterdir() if p.is_dir()) == ["0", "1", "2", "3"]
    for name in TABLES:
        pd.testing.assert_frame_equal(pd.read_parquet(folder / name), pd.read_parquet(tiny / name),
                                      check_exact=True)


def test_the_python_api_returns_the_exploration(tiny, tmp_path):
    expl = ds.explore([*TINY, "explore.chunk_points=7"], out=tmp_path / "api", n_jobs=1, progress=False)
    assert isinstance(expl, Exploration) and expl.designs == ["none", "paris_package"]
    pd.testing.assert_frame_equal(expl.points, read_exploration(tiny).points, check_exact=True)
    with pytest.raises(ConfigError, match=r"^hydra/launcher: invalid override 'hydra/launcher=joblib' in "
                                          r"ds.explore; allowed: no launcher"):
        ds.explore([*TINY, "hydra/launcher=joblib"], out=tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_the_report_says_what_drives_the_outcome_and_where_each_design_fails(tiny, tmp_path, capsys):
    try:
        report_main([str(tiny), "--out", str(tmp_path / "report")])
    except SystemExit as exc:                                           # pragma: no cover - shown on failure
        pytest.fail(f"exit {exc.code}: {capsys.readouterr().err}")
    md = (tmp_path / "report" / "report.md").read_text()
    assert "## What drives the outcome" in md and "## Where each design fails" in md
    assert "What drives guarantor cost (bn USD) under paris_package" in md
    assert "(figures/sobol_paris_package_guarantor_cost.png)" in md
    assert (tmp_path / "report" / "report.html").read_text().count("<img") == md.count("![")


def test_the_report_refuses_sweep_options_and_a_damaged_exploration(tiny, tmp_path, capsys):
    for argv, message in (([tiny, "--baseline", "none"],
                           "--baseline: invalid value 'none' for an exploration; allowed: no --baseline"),):
        with pytest.raises(SystemExit) as exc:
            report_main([str(a) for a in argv])
        assert exc.value.code == 2 and capsys.readouterr().err.startswith(
            f"deterrence-sim-report: error: {message}")
    damaged = tmp_path / "damaged"
    shutil.copytree(tiny, damaged)
    (damaged / "points.parquet").write_bytes(b"PAR1")
    with pytest.raises(ExplorationError, match=r"points.parquet does not match its manifest"):
        read_exploration(damaged)


def synthetic_exploration(tmp_path: Path) -> Exploration:
    """An exploration whose outcome is known: paris_package fails where a > 0.7 and b < 0.4."""
    x = sobol_design({"a": (0.0, 1.0), "b": (0.0, 1.0), "c": (0.0, 1.0)}, n=256, seed=3)
    fail = (x["a"] > 0.7) & (x["b"] < 0.4)
    frames = []
    for design, risk in (("paris_package", np.where(fail, 0.6, 0.05)), ("none", np.full(len(x), 0.9))):
        frames.append(pd.DataFrame({"guarantee": design, "point": np.arange(len(x)), "replications": 10,
                                    **{f"param.{k}": x[k].to_numpy() for k in x}, "collapse_risk": risk}))
    manifest = {"design": x.attrs["design"], "designs": {"paris_package": {}, "none": {}},
                "horizon_days": 730,
                "explore": {"name": "synthetic", "outcomes": ["collapse_risk"],
                            "failure_outcome": "collapse_risk", "failure_threshold": 0.3, "seed": 0},
                "replications_per_point": 10, "seed": {"design": 3, "simulation": 1}}
    return Exploration(tmp_path, manifest, x.reset_index(drop=True), pd.DataFrame(), pd.concat(frames))


def test_failure_boxes_find_a_known_box(tmp_path):
    found = failures(synthetic_exploration(tmp_path))
    assert found["none"] == "collapse_risk exceeds 0.3 at every point (lowest: 0.9)"
    box = found["paris_package"].box          # the largest box with at least 80 % failing points
    limits = box.limits.set_index("parameter")
    assert list(limits.index) == ["a", "b"] and box.coverage == 1.0 and 0.8 <= box.density < 1.0
    assert 0.6 < limits.loc["a", "low"] <= 0.7 and 0.4 <= limits.loc["b", "high"] < 0.5
    table = discovery_table(found)
    assert table["method"].tolist()[:2] == ["prim", "cart"] and table["method"].iloc[-1] == "none"
    assert "a > 0.7" in table.loc[1, "rule"] and "b <= 0.4" in table.loc[1, "rule"]
    section = failures_section(synthetic_exploration(tmp_path), found)
    assert section.title == "Where each design fails"
    assert any(getattr(b, "name", "") == "prim_paris_package" for b in section.blocks)


def test_the_findings_of_what_matters_are_generated_from_the_folder(tiny, tmp_path, capsys):
    from sweep_builder import load_script

    root = Path(__file__).resolve().parents[1]
    script = load_script(root / "experiments" / "what_matters" / "make_findings.py")
    out = tmp_path / "FINDINGS.md"
    script.main([str(tiny), "--out", str(out), "--threshold", "0.0"])
    text = out.read_text()
    for heading in ("## What was run", "## The Sobol' ranking", "### Collapse risk under `paris_package`",
                    "### Wider-war risk under `none`", "## Where `paris_package` fails", "## Reproduce"):
        assert heading in text
    assert ("Saltelli's design of base size N = 4, 24 points, each run under `none` and `paris_package`"
            in text)
    expl = read_exploration(tiny)
    calibrations = {d["config"]["calibration"]["name"] for d in expl.manifest["designs"].values()}
    assert calibrations == {ds.compose_scenario([]).calibration.name}     # the default scenario's
    assert f"; calibration {expl.calibration}." in text
    with pytest.raises(SystemExit) as exc:
        script.main([str(tiny), "--design", "nato"])
    assert exc.value.code == 2 and capsys.readouterr().err.startswith(
        "make_findings: error: --design: invalid value 'nato'; allowed: a design of the exploration")
