"""A tiny real sweep for the analysis and report tests, built once per test process.

Two guarantee designs (none, paris_package) against the cautious aggressor, 100 replications each,
horizon 365 days, made by the real command line (``deterrence-sim -m``) so the tests read exactly
what users get. Tests that damage a sweep work on a copy (:func:`copy_sweep`).
"""

from __future__ import annotations

import atexit
import functools
import importlib.util
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DESIGNS = ("none", "paris_package")
REPLICATIONS = 100
HORIZON = 365


def run_main(main, argv: list, capsys) -> tuple[int, str, str]:
    """A command's ``main`` in-process: (exit code, stdout, stderr)."""
    try:
        main([str(a) for a in argv])
        code = 0
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def script(name: str) -> str:
    """Path of a console script of this environment."""
    local = Path(sys.executable).with_name(name)
    return str(local) if local.exists() else (shutil.which(name) or name)


@functools.cache
def tiny_sweep() -> Path:
    """Build the sweep (once) and return its folder; removed when the test process exits."""
    root = Path(tempfile.mkdtemp(prefix="deterrence-sim-tiny-sweep-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    sweep = root / "sweep"
    cmd = [script("deterrence-sim"), "-m", f"guarantee={','.join(DESIGNS)}", "attack=cautious",
           f"sim.replications={REPLICATIONS}", f"sim.horizon_days={HORIZON}", f"hydra.sweep.dir={sweep}"]
    done = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return sweep


def load_script(path: Path):
    """Import a script that is not part of the package (docs/, experiments/) as a module."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def copy_sweep(dest: Path, consolidated: bool = True) -> Path:
    """A private copy of the tiny sweep, with or without its consolidated tables."""
    target = dest / "sweep"
    shutil.copytree(tiny_sweep(), target)
    if not consolidated:
        for name in ("runs.parquet", "daily.parquet"):
            (target / name).unlink()
    return target
