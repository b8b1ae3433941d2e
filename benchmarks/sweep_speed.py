"""Wall time of a 24-job sweep with the basic launcher and with joblib (issue 3's measurement).

Run: ``.venv/bin/python benchmarks/sweep_speed.py`` (takes about three minutes). Prints, for each
launcher, the whole command's wall time split into checking every job before the launch, running
the jobs and consolidating; then the speed-up and the overhead per job (sweep time less the
simulation time the jobs report, over the number of jobs).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

GRID = ["-m", "guarantee=none,assurances,sanctions,arms_surge,collective_defence,paris_package",
        "attack=opportunist,revisionist", "monitoring=us_led_tech,us_led_tech_jammed",
        "sim.replications=1000"]
JOBS = 24


@dataclass
class Timing:
    """Seconds from the command's start: jobs checked, last job done, command finished."""

    checked: float
    last_job: float
    wall: float
    simulating: float   # sum of the jobs' own simulation times

    def line(self, name: str) -> str:
        return (f"{name:6s}: {self.wall:6.1f} s = {self.checked:4.1f} s checking + "
                f"{self.last_job - self.checked:5.1f} s jobs + {self.wall - self.last_job:4.1f} s "
                f"consolidating ({self.simulating:.1f} s simulating)")


def timed_sweep(script: str, launcher: list[str], where: Path) -> Timing:
    start = time.perf_counter()
    checked = last_job = simulating = 0.0
    with subprocess.Popen([script, *GRID, *launcher, f"hydra.sweep.dir={where}"], text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as proc:
        for line in proc.stdout:
            now = time.perf_counter() - start
            if line.startswith("sweep: "):
                checked = now
            if done := re.search(r"done in ([\d.]+) s", line):
                last_job, simulating = now, simulating + float(done.group(1))
    if proc.returncode:
        raise SystemExit(f"the sweep failed with exit status {proc.returncode}")
    return Timing(checked, last_job, time.perf_counter() - start, simulating)


def main() -> None:
    script = shutil.which("deterrence-sim", path=str(Path(sys.executable).parent))
    with tempfile.TemporaryDirectory() as tmp:
        basic = timed_sweep(script, [], Path(tmp) / "basic")
        joblib = timed_sweep(script, ["hydra/launcher=joblib"], Path(tmp) / "joblib")
    print(basic.line("basic"))
    print(joblib.line("joblib"))
    print(f"speed-up: {basic.wall / joblib.wall:.2f}x over the whole command, "
          f"{(basic.last_job - basic.checked) / (joblib.last_job - joblib.checked):.2f}x over the jobs")
    print(f"overhead per job (basic): {(basic.wall - basic.simulating) / JOBS:.2f} s")


if __name__ == "__main__":
    main()
