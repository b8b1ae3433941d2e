"""``deterrence-sim-calibrate``: the folder it writes, bad input, Ctrl-C and resuming."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from deterrence_sim import calibrate_cli
from deterrence_sim.fit import FailedShares
from test_fit import FIT, target_set

TINY = ["--population", "10", "--max-generations", "2"]


@pytest.fixture(scope="module")
def targets(tmp_path_factory) -> Path:
    return target_set(tmp_path_factory.mktemp("targets"))


def run_main(*argv: str) -> int:
    try:
        calibrate_cli.main(list(argv))
    except SystemExit as exit_:
        return int(exit_.code)
    return 0


def test_the_console_script_writes_the_folder_and_the_shipped_posterior(targets: Path,
                                                                         tmp_path: Path) -> None:
    out, shipped = tmp_path / "fit", tmp_path / "posteriors" / "tiny.parquet"
    done = subprocess.run([sys.executable, "-m", "deterrence_sim.calibrate_cli", "tiny", "--targets-dir",
                           str(targets), "--out", str(out), "--posterior", str(shipped), *TINY],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    for name in ("posterior.parquet", "trace.parquet", "trace.csv", "posterior_summary.csv", "check.csv",
                 "check_curve.parquet", "cost.json", "provenance.json", "README.md", "figures/check.png",
                 "figures/prior_posterior.png", "figures/trace.png", "generations/001/particles.parquet"):
        assert (out / name).is_file(), name
    assert "posterior predictive check:" in done.stdout and "sector-days" in done.stdout
    assert "calibrating: generation" in done.stderr                 # progress, with the time left
    cost = json.loads((out / "cost.json").read_text())
    assert cost["sector_days"] == (cost["simulated_particles"] + 6) * 8 * 40 * 3   # ABC + 6 check draws
    side = yaml.safe_load(shipped.with_suffix(".yaml").read_text())
    assert side["seed"] == 20260106 and side["targets"] == "tiny" and side["cost"]["wall_seconds"] > 0
    pd.testing.assert_frame_equal(pd.read_parquet(shipped), pd.read_parquet(out / "posterior.parquet"))
    page = (out / "README.md").read_text()
    assert "## Posterior predictive check" in page and "figures/prior_posterior.png" in page


@pytest.mark.parametrize(("argv", "message"), [
    (["no_such_set"], "targets: invalid value 'no_such_set'; allowed: one of "),
    (["bad_table"], "bad_table.csv share_failed[1]: invalid value 0.1; allowed: a share >= 0.2"),
    (["no_mass"], "no_mass.yaml fit.parameters.attack.offensive_rate_per_day: invalid value "),
    (["bad_path"], "bad_path.yaml fit.parameters.attack.offensive_rate: unknown parameter; allowed: "),
    (["tiny", "--population", "1"], "population_size: invalid value 1; allowed: an integer >= 2"),
    (["tiny", "attack.temperature=-1"], "attack.temperature: invalid value -1"),
])
def test_bad_input_one_line_exit_2_nothing_written(targets: Path, tmp_path: Path, capsys, argv,
                                                   message) -> None:
    target_set(targets, "bad_table", table="horizon_days,share_failed,low,high,n\n20,0.2,0.1,0.4,20\n"
                                           "40,0.1,0.05,0.3,20\n")
    target_set(targets, "no_mass", fit={**FIT, "parameters": {
        "attack.offensive_rate_per_day": {"dist": "lognormal", "median": 0.02, "sigma": 0.0}}})
    target_set(targets, "bad_path", fit={**FIT, "parameters": {
        "attack.offensive_rate": {"dist": "uniform", "low": 0, "high": 1}}})
    code = run_main(*argv, "--targets-dir", str(targets), "--out", str(tmp_path / "out"))
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert err[0].startswith(f"deterrence-sim-calibrate: error: {message}"), err[0]
    assert not (tmp_path / "out").exists()


def test_ctrl_c_keeps_the_finished_generations_and_the_same_command_resumes(targets: Path, tmp_path: Path,
                                                                             capsys, monkeypatch) -> None:
    argv = ["tiny", "--targets-dir", str(targets), *TINY, "--check-draws", "2"]
    assert run_main(*argv, "--out", str(tmp_path / "whole")) == 0
    real = FailedShares.__call__
    first = tmp_path / "cut" / "generations" / "000" / "generation.json"

    def interrupted(self, params, rng_seed):
        if first.is_file():                  # Ctrl-C in generation 1
            raise KeyboardInterrupt
        return real(self, params, rng_seed)

    monkeypatch.setattr(FailedShares, "__call__", interrupted)
    capsys.readouterr()
    assert run_main(*argv, "--out", str(tmp_path / "cut")) == 130
    err = capsys.readouterr().err
    assert "interrupted: 1 finished generation(s) kept in" in err and "resume from generation 1" in err
    assert (tmp_path / "cut" / "generations" / "000" / "generation.json").is_file()
    assert not (tmp_path / "cut" / "generations" / "001").exists()
    monkeypatch.setattr(FailedShares, "__call__", real)
    assert run_main(*argv, "--out", str(tmp_path / "cut")) == 0
    assert "resuming after generation 0" in capsys.readouterr().err
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "cut" / "posterior.parquet"),
                                  pd.read_parquet(tmp_path / "whole" / "posterior.parquet"), check_exact=True)
