"""Sweeps through the real console script: grid, launchers, blocks, resume, failures, bad input."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest

from test_cli import SCRIPT, ctrl_c, run_cli, start_cli, wait_for

COLLECT = str(Path(SCRIPT).with_name("deterrence-sim-collect")) if SCRIPT else None
GRID = ["guarantee=none,sanctions", "attack=cautious,opportunist",
        "sim.replications=40", "sim.horizon_days=60", "sim.block_size=20"]
TAGS = ["job", "theater", "attack", "monitoring", "guarantee"]


def sorted_rows(df: pd.DataFrame) -> pd.DataFrame:
    key = "replication" if "replication" in df.columns else "day"
    return df.sort_values(["job", key]).reset_index(drop=True)


@pytest.fixture(scope="module")
def grid(tmp_path_factory) -> Path:
    cwd = tmp_path_factory.mktemp("grid")
    proc = run_cli("-m", *GRID, f"hydra.sweep.dir={cwd / 'basic'}", cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return cwd / "basic"


def test_grid_is_consolidated_with_choices_as_columns(grid: Path) -> None:
    runs = pd.read_parquet(grid / "runs.parquet")
    daily = pd.read_parquet(grid / "daily.parquet")
    assert len(runs) == 4 * 40 and len(daily) == 4 * 60
    assert {*TAGS, "sim.replications", "sim.horizon_days"} <= set(runs.columns)
    combos = runs.groupby(["guarantee", "attack"]).size()
    assert combos.to_dict() == {(g, a): 40 for g in ("none", "sanctions")
                                for a in ("cautious", "opportunist")}
    assert json.loads((grid / "sweep.json").read_text())["finished"] == 4
    for job in range(4):
        assert (grid / str(job) / "manifest.json").exists()


def test_designs_in_one_sweep_share_exogenous_draws(grid: Path) -> None:
    daily = pd.read_parquet(grid / "daily.parquet")
    cautious = daily[daily["attack"] == "cautious"]
    by_design = {g: d["cloud_mean"].to_numpy()[:5] for g, d in cautious.groupby("guarantee")}
    assert (by_design["none"] == by_design["sanctions"]).all()


def test_joblib_launcher_gives_identical_tables(grid: Path, tmp_path: Path) -> None:
    out = tmp_path / "joblib"
    proc = run_cli("-m", *GRID, "hydra/launcher=joblib", f"hydra.sweep.dir={out}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for name in ("runs.parquet", "daily.parquet"):
        pd.testing.assert_frame_equal(sorted_rows(pd.read_parquet(out / name)),
                                      sorted_rows(pd.read_parquet(grid / name)), check_exact=True)


def test_submitit_local_launcher_gives_identical_tables(grid: Path, tmp_path: Path) -> None:
    out = tmp_path / "submitit"
    proc = run_cli("-m", *GRID, "hydra/launcher=submitit_local", f"hydra.sweep.dir={out}",
                   cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    pd.testing.assert_frame_equal(sorted_rows(pd.read_parquet(out / "runs.parquet")),
                                  sorted_rows(pd.read_parquet(grid / "runs.parquet")),
                                  check_exact=True)


def test_one_job_equals_four_jobs_of_one_block_each(tmp_path: Path) -> None:
    """1,000 replications in one job give exactly the rows of four jobs of 250 (one block each)."""
    common = ["guarantee=sanctions", "sim.horizon_days=60", "sim.block_size=250"]
    one = run_cli(*common, "sim.replications=1000", f"hydra.run.dir={tmp_path / 'one'}", cwd=tmp_path)
    four = run_cli("-m", *common, "sim.replications=250", "sim.first_block=0,1,2,3",
                   f"hydra.sweep.dir={tmp_path / 'four'}", cwd=tmp_path)
    assert one.returncode == 0 and four.returncode == 0, one.stderr + four.stderr
    whole = pd.read_parquet(tmp_path / "one" / "runs.parquet")
    parts = pd.read_parquet(tmp_path / "four" / "runs.parquet")
    design = [c for c in parts.columns if c in TAGS or ("." in c and not c.startswith("param."))]
    parts = parts.drop(columns=design)
    parts = parts.sort_values("replication").reset_index(drop=True)
    pd.testing.assert_frame_equal(parts, whole, check_exact=True)


def test_killed_sweep_resumes_to_identical_tables(tmp_path: Path) -> None:
    grid = ["guarantee=none,sanctions,paris_package", "attack=cautious,opportunist",
            "sim.replications=200", "sim.horizon_days=200"]
    ref = run_cli("-m", *grid, f"hydra.sweep.dir={tmp_path / 'ref'}", cwd=tmp_path)
    assert ref.returncode == 0, ref.stderr
    sweep = tmp_path / "killed"
    cmd = [SCRIPT, "-m", *grid, f"hydra.sweep.dir={sweep}"]
    proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while not (sweep / "1" / "manifest.json").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (sweep / "1" / "manifest.json").exists(), "the sweep never got going"
    assert not (sweep / "5" / "manifest.json").exists(), "the sweep finished before the kill"
    assert not (sweep / "runs.parquet").exists()
    assert (sweep / ".deterrence-sim.lock").exists()   # the killed sweep's lock file: not a stale lock
    again = run_cli("-m", *grid, f"hydra.sweep.dir={sweep}", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "finished earlier, skipped" in again.stdout
    for name in ("runs.parquet", "daily.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(sweep / name),
                                      pd.read_parquet(tmp_path / "ref" / name), check_exact=True)


def test_failing_job_is_recorded_and_others_finish(tmp_path: Path) -> None:
    sweep = tmp_path / "sweep"
    (sweep / "1" / "runs.parquet").mkdir(parents=True)   # job 1 cannot write its table
    proc = run_cli("-m", "attack=cautious,opportunist,revisionist", "sim.replications=20",
                   "sim.horizon_days=30", f"hydra.sweep.dir={sweep}", cwd=tmp_path)
    assert proc.returncode == 1
    failures = pd.read_csv(sweep / "failures.csv")
    assert failures["job"].tolist() == [1] and failures["status"].tolist() == ["failed"]
    assert "attack=opportunist" in failures["overrides"].iloc[0]
    assert "Error" in failures["error"].iloc[0]
    runs = pd.read_parquet(sweep / "runs.parquet")
    assert sorted(runs["attack"].unique()) == ["cautious", "revisionist"]


def test_collect_partial_sweep_keeps_intact_rows_and_names_damage(grid: Path, tmp_path: Path) -> None:
    import shutil

    sweep = tmp_path / "partial"
    shutil.copytree(grid, sweep)
    for name in ("runs.parquet", "daily.parquet", "sweep.json", "failures.csv"):
        (sweep / name).unlink()
    (sweep / "2" / "manifest.json").unlink()                     # unfinished
    data = (sweep / "3" / "runs.parquet").read_bytes()
    (sweep / "3" / "runs.parquet").write_bytes(data[: len(data) // 2])   # truncated
    proc = subprocess.run([COLLECT, str(sweep)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert f"job 3: {sweep / '3' / 'runs.parquet'} does not match its manifest" in proc.stderr
    runs = pd.read_parquet(sweep / "runs.parquet")
    assert sorted(runs["job"].unique()) == [0, 1]
    failures = pd.read_csv(sweep / "failures.csv").set_index("job")
    assert failures["status"].to_dict() == {2: "unfinished", 3: "damaged"}
    rest = " ".join(GRID[2:])
    assert failures["overrides"].to_dict() == {2: f"guarantee=sanctions attack=cautious {rest}",
                                               3: f"guarantee=sanctions attack=opportunist {rest}"}
    assert failures["error"].to_dict() == {
        2: f"unfinished ({sweep / '2' / 'manifest.json'} is missing)",
        3: f"{sweep / '3' / 'runs.parquet'} does not match its manifest (truncated or modified)"}


@pytest.mark.parametrize(("args", "message"), [
    (["-m", "attack=cautious,kamikaze"], "attack: unknown preset 'kamikaze'; allowed: cautious"),
    (["+experiment=nope", "-m"], "experiment: unknown preset 'nope'; allowed: demo, monitoring_value, "
     "paris_2026"),
    (["-m", "attack=cautious,opportunist", "monitoring.p_verify_single=2"],
     "monitoring.p_verify_single: invalid value 2"),
    # under joblib the jobs are checked in its worker processes; the error comes back the same
    (["-m", "attack=cautious,opportunist", "monitoring.p_verify_single=0.5,2", "hydra/launcher=joblib"],
     "monitoring.p_verify_single: invalid value 2"),
])
def test_bad_sweep_input_one_line_exit_2_earlier_sweep_intact(grid: Path, tmp_path: Path,
                                                              args: list[str], message: str) -> None:
    before = {p: p.stat().st_mtime_ns for p in grid.rglob("*")}
    proc = run_cli(*args, f"hydra.sweep.dir={grid}", cwd=tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"deterrence-sim: error: {message}"), lines
    assert {p: p.stat().st_mtime_ns for p in grid.rglob("*")} == before
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("target", "message"), [
    ("missing", "no such folder"),
    ("empty", "not a sweep (no multirun.yaml and no job folders)"),
])
def test_collect_bad_folder(tmp_path: Path, target: str, message: str) -> None:
    (tmp_path / "empty").mkdir()
    proc = subprocess.run([COLLECT, str(tmp_path / target)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2
    assert proc.stderr == (f"deterrence-sim-collect: error: SWEEP_DIR: invalid value '{tmp_path / target}': "
                           f"{message}; allowed: a sweep folder (job folders 0/, 1/, ... written by "
                           "deterrence-sim -m) or a run's folder\n")


def test_resume_reruns_only_damaged_jobs(grid: Path, tmp_path: Path) -> None:
    import shutil

    sweep = tmp_path / "damaged"
    shutil.copytree(grid, sweep)
    data = (sweep / "2" / "runs.parquet").read_bytes()
    (sweep / "2" / "runs.parquet").write_bytes(data[:100])           # truncated by a crash
    (sweep / "3" / "manifest.json").unlink()                           # killed before the manifest
    proc = run_cli("-m", *GRID, f"hydra.sweep.dir={sweep}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    skipped = [line.split("]")[0] for line in proc.stdout.splitlines() if "skipped" in line]
    rerun = [line.split("]")[0] for line in proc.stdout.splitlines() if ": done in" in line]
    assert skipped == ["[job 0/4", "[job 1/4"] and rerun == ["[job 2/4", "[job 3/4"]
    for name in ("runs.parquet", "daily.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(sweep / name), pd.read_parquet(grid / name),
                                      check_exact=True)


def test_ctrl_c_on_a_sweep_says_how_to_resume_and_the_same_command_resumes(tmp_path: Path) -> None:
    sweep = tmp_path / "sweep"
    grid = ["-m", "sim.replications=20,1000", "theater.n_sectors=5", "sim.horizon_days=365",
            f"hydra.sweep.dir={sweep}"]
    proc = start_cli(*grid, cwd=tmp_path)
    wait_for(lambda: (sweep / "0" / "manifest.json").exists() and (sweep / "1" / ".hydra").exists())
    code, _, err = ctrl_c(proc)
    assert code == 130
    assert err == (f"deterrence-sim: interrupted: 1 of 2 jobs finished in {sweep}; run the same command "
                   "again to resume (finished jobs are skipped)\n")
    assert not (sweep / "1" / "manifest.json").exists()
    assert not list(sweep.rglob(".*.tmp"))
    again = run_cli(*grid, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "[job 0/2] sim.replications=20 theater.n_sectors=5 sim.horizon_days=365: finished earlier, " \
           "skipped" in again.stdout
    assert len(pd.read_parquet(sweep / "runs.parquet")) == 1020


def test_two_sweeps_on_one_folder_at_once_the_second_is_refused_naming_the_first(tmp_path: Path) -> None:
    sweep = tmp_path / "sweep"
    grid = ["-m", "attack=cautious,opportunist", "sim.replications=1000", "sim.horizon_days=365",
            f"hydra.sweep.dir={sweep}"]
    procs = [start_cli(*grid, cwd=tmp_path) for _ in range(2)]
    results = [(p.pid, *p.communicate(timeout=300), p.returncode) for p in procs]
    codes = sorted(code for *_, code in results)
    assert codes == [0, 2], results
    (winner, *_), (_, _, refused, _) = sorted(results, key=lambda r: r[-1])
    assert refused == (f"deterrence-sim: error: hydra.sweep.dir: invalid value '{sweep}': in use by "
                       f"process {winner}; allowed: a folder that no other run or sweep is writing (wait "
                       "for it to end, or choose another hydra.sweep.dir)\n")
    runs = pd.read_parquet(sweep / "runs.parquet")
    assert runs.groupby("attack").size().to_dict() == {"cautious": 1000, "opportunist": 1000}
    assert not list(sweep.rglob(".*.tmp"))
