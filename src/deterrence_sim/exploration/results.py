"""An exploration's analysis outputs: ``indices.csv``, ``discovery.csv`` and ``figures/*.png``.

Computed from the tables just written, by the same functions the report uses
(:mod:`deterrence_sim.analysis.explorations`, :mod:`deterrence_sim.report.exploration`), so the
folder's figures and the report's are the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from deterrence_sim.analysis.explorations import (
    Exploration,
    discovery_table,
    exploration_indices,
    failures,
)
from deterrence_sim.outputs import write_atomic
from deterrence_sim.report.exploration import build_exploration_document

INDICES_FILE, DISCOVERY_FILE, FIGURES = "indices.csv", "discovery.csv", "figures"


def write_results(folder: Path, manifest: dict[str, Any], design: pd.DataFrame, runs: pd.DataFrame,
                  points: pd.DataFrame) -> list[str]:
    """Write the indices, the failure boxes and every figure; return the tables' file names."""
    design = design.copy()
    design.attrs["design"] = manifest["design"]
    expl = Exploration(folder, manifest, design, runs, points)
    indices = exploration_indices(expl)
    found = failures(expl)
    write_atomic(folder / INDICES_FILE, lambda tmp: indices.to_csv(tmp, index=False))
    table = discovery_table(found)
    write_atomic(folder / DISCOVERY_FILE, lambda tmp: table.to_csv(tmp, index=False))
    figures = folder / FIGURES
    figures.mkdir(exist_ok=True)
    for stale in figures.glob("*.png"):
        stale.unlink()
    for figure in build_exploration_document(expl, indices, found).figures():
        write_atomic(figures / f"{figure.name}.png", lambda tmp, png=figure.png: tmp.write_bytes(png))
    return [INDICES_FILE, DISCOVERY_FILE]
