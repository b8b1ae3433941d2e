"""Wall time of a 24-job sweep with the basic launcher and with joblib (issue 3's measurement).

Run: ``.venv/bin/python benchmarks/sweep_speed.py`` (takes a few minutes). Prints both times, the
ratio, and the overhead per job (sweep time less the simulation time the jobs report).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GRID = ["-m", "guarantee=none,assurances,sanctions,arms_surge,collective_defence,paris_package",
        "attack=opportunist,revisionist", "monitoring=us_led_tech,us_led_tech_jammed",
        "sim.replications=1000"]


def timed_sweep(script: str, launcher: list[str], where: Path) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.run([script, *GRID, *launcher, f"hydra.sweep.dir={where}"],
                          capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    simulated = sum(float(s) for s in re.findall(r"done in ([\d.]+) s", proc.stdout))
    return wall, simulated


def main() -> None:
    script = shutil.which("deterrence-sim", path=str(Path(sys.executable).parent))
    with tempfile.TemporaryDirectory() as tmp:
        basic, basic_sim = timed_sweep(script, [], Path(tmp) / "basic")
        joblib, _ = timed_sweep(script, ["hydra/launcher=joblib"], Path(tmp) / "joblib")
    jobs = 24
    print(f"basic launcher : {basic:7.1f} s ({basic_sim:.1f} s simulating)")
    print(f"joblib launcher: {joblib:7.1f} s")
    print(f"speed-up       : {basic / joblib:7.2f} x")
    print(f"overhead per job (basic): {(basic - basic_sim) / jobs:.2f} s")


if __name__ == "__main__":
    main()
