"""Reading an exploration folder and analysing it: indices, failure boxes, response curves.

An exploration folder (written by ``deterrence-sim-explore``) holds ``manifest.json`` (``"kind":
"exploration"``: the config, each design's scenario, how the design matrix was made, the chunks
and the SHA-256 of every file), ``design.parquet`` (the points' parameter values), ``runs.parquet``
(one row per design, point and replication) and ``points.parquet`` (one row per design and point:
parameter values and outcomes with intervals). Only files are read here: no model, no Mesa, no
Hydra. The same functions give the exploration's ``indices.csv`` and ``discovery.csv`` and the
report's sections, so both say the same.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from deterrence_sim.analysis.designs import DesignInfo
from deterrence_sim.analysis.discovery import FailureConditions, failure_conditions
from deterrence_sim.analysis.outcomes import OUTCOMES, PARAM_PREFIX
from deterrence_sim.analysis.sensitivity import morris_indices, response_curve, sobol_indices, tornado
from deterrence_sim.analysis.sweeps import calibration_label, listed_values
from deterrence_sim.folders import MANIFEST

KIND = "exploration"
"""The manifest's ``kind`` that marks an exploration folder."""

DESIGN_COLUMN = "guarantee"
DESIGN_FILE, RUNS_FILE, POINTS_FILE = "design.parquet", "runs.parquet", "points.parquet"
TABLES = (DESIGN_FILE, RUNS_FILE, POINTS_FILE)
EXPLORATION_FOLDER = "an exploration folder (written by deterrence-sim-explore, with manifest.json)"


class ExplorationError(ValueError):
    """The folder is not a finished exploration, or a file of it is damaged; one line."""


@dataclass
class Exploration:
    """What an exploration folder holds.

    Attributes
    ----------
    path : Path
    manifest : dict
        The manifest: ``explore`` (the config), ``designs`` (each design's overrides and scenario),
        ``design`` (how the matrix was made), ``seed``, ``horizon_days``, ``versions``,
        ``git_revision``, ``chunks``, ``files``.
    design : DataFrame
        One row per point, one column per parameter path: the values the points set.
    runs : DataFrame
        One row per design, point and replication (``guarantee``, ``point``, the run outputs,
        ``param.<path>``); ``attrs["horizon_days"]``.
    points : DataFrame
        One row per design and point: ``guarantee``, ``point``, ``replications``, ``param.<path>``
        and each outcome with ``_low``/``_high``.
    """

    path: Path
    manifest: dict[str, Any]
    design: pd.DataFrame
    runs: pd.DataFrame
    points: pd.DataFrame
    problems: list[str] = field(default_factory=list)

    @property
    def info(self) -> DesignInfo:
        """How the design matrix was made."""
        return DesignInfo.from_dict(self.manifest["design"])

    @property
    def method(self) -> str:
        return self.info.method

    @property
    def designs(self) -> list[str]:
        """The guarantee designs, in the order run."""
        return list(self.manifest["designs"])

    @property
    def outcomes(self) -> list[str]:
        """The outcomes analysed (those the runs can give)."""
        return [o for o in self.manifest["explore"]["outcomes"] if o in self.points.columns]

    @property
    def parameters(self) -> list[str]:
        return self.info.names

    @property
    def calibration(self) -> str:
        """Which calibration the designs' scenarios drew their calibrated parameters from."""
        return listed_values(calibration_label(d.get("config")) for d in self.manifest["designs"].values())

    @property
    def horizon(self) -> int:
        return int(self.manifest["horizon_days"])

    def design_points(self, design: str) -> pd.DataFrame:
        """One design's rows of :attr:`points`, in point order."""
        return self.points[self.points[DESIGN_COLUMN] == design].reset_index(drop=True)


def read_exploration(path: str | Path, argument: str = "path") -> Exploration:
    """Read a finished exploration folder, checking every table against its manifest.

    Raises
    ------
    ExplorationError
        One line naming ``argument`` if the folder is not an exploration, is unfinished (resume it
        with the same command), or a table is missing or does not match its checksum.
    """
    folder = Path(path)
    manifest = exploration_manifest(folder)
    if manifest is None:
        raise ExplorationError(f"{argument}: invalid value '{folder}': not an exploration (no {MANIFEST} of "
                               f"kind '{KIND}'); allowed: {EXPLORATION_FOLDER}")
    if manifest.get("status") != "finished":
        raise ExplorationError(f"{argument}: invalid value '{folder}': the exploration is unfinished; "
                               "allowed: a finished exploration (run the same deterrence-sim-explore "
                               "command again to finish it)")
    tables = {}
    for name in TABLES:
        file = folder / name
        try:
            digest = hashlib.sha256(file.read_bytes()).hexdigest()
        except OSError as exc:
            raise ExplorationError(f"{argument}: invalid value '{folder}': {file} is unreadable "
                                   f"({type(exc).__name__}); allowed: {EXPLORATION_FOLDER}") from None
        if digest != manifest.get("files", {}).get(name):
            raise ExplorationError(f"{argument}: invalid value '{folder}': {file} does not match its "
                                   f"manifest (truncated or modified); allowed: {EXPLORATION_FOLDER}")
        tables[name] = pd.read_parquet(file)
    runs = tables[RUNS_FILE]
    runs.attrs["horizon_days"] = int(manifest["horizon_days"])
    design = tables[DESIGN_FILE]
    design.attrs["design"] = manifest["design"]
    return Exploration(folder, manifest, design, runs, tables[POINTS_FILE])


def exploration_manifest(folder: Path) -> dict[str, Any] | None:
    """The folder's manifest if it is an exploration's (finished or not), else None."""
    try:
        manifest = json.loads((Path(folder) / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("kind") == KIND else None


def is_exploration(folder: str | Path) -> bool:
    """True if ``folder`` holds an exploration (finished or not)."""
    return exploration_manifest(Path(folder)) is not None


def exploration_indices(expl: Exploration, *, n_resamples: int = 1000) -> pd.DataFrame:
    """What drives each outcome under each design: Sobol' indices, Morris μ*/σ or the tornado.

    Parameters
    ----------
    expl : Exploration
    n_resamples : int, default 1000
        Bootstrap resamples (Sobol', Morris).

    Returns
    -------
    DataFrame
        ``guarantee`` and ``method`` in front of the method's own table: for ``sobol`` that of
        :func:`~deterrence_sim.analysis.sensitivity.sobol_indices` (at N/2 and N), for ``morris``
        :func:`~deterrence_sim.analysis.sensitivity.morris_indices`, for ``oat``
        :func:`~deterrence_sim.analysis.sensitivity.tornado` (one block per outcome); empty for
        the sampling designs (``lhs``, ``sobol_sequence``), which are for scenario discovery.
    """
    info, frames = expl.info, []
    seed = int(expl.manifest["explore"].get("seed", 0))
    for design in expl.designs:
        if info.method == "sobol":
            table = sobol_indices(info, expl.design_points(design)[["point", *expl.outcomes]],
                                  n_resamples=n_resamples, seed=seed)
        elif info.method == "morris":
            table = morris_indices(info, expl.design_points(design)[["point", *expl.outcomes]],
                                   n_resamples=n_resamples, seed=seed)
        elif info.method == "oat":
            runs = expl.runs[expl.runs[DESIGN_COLUMN] == design]
            table = pd.concat([tornado(runs, info, outcome, horizon=expl.horizon)
                               for outcome in expl.outcomes], ignore_index=True)
        else:
            continue
        table.insert(0, "method", info.method)
        table.insert(0, DESIGN_COLUMN, design)
        frames.append(table)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[DESIGN_COLUMN, "method"])


def ranking(indices: pd.DataFrame, design: str, outcome: str) -> pd.DataFrame:
    """The parameters of one design and outcome, most important first.

    Sobol': by the total index ST at the largest N (S1 and ST with intervals, and ST at N/2);
    Morris: by μ*; one at a time: by the absolute swing. NaN indices (an outcome that never varies)
    give an empty table.
    """
    rows = indices[(indices[DESIGN_COLUMN] == design) & (indices["outcome"] == outcome)]
    if rows.empty:
        return rows
    method = rows["method"].iloc[0]
    if method == "sobol":
        top, half = rows["n"].max(), rows["n"].min()
        full = rows[rows["n"] == top].set_index("parameter")
        if full["ST"].isna().all():
            return full.iloc[0:0].reset_index()
        full = full.assign(ST_half=rows[rows["n"] == half].set_index("parameter")["ST"])
        return full.sort_values("ST", ascending=False, kind="stable").reset_index()
    if method == "morris":
        return rows.sort_values("mu_star", ascending=False, kind="stable").reset_index(drop=True)
    return rows.assign(_s=rows["swing"].abs()).sort_values("_s", ascending=False, kind="stable").drop(
        columns="_s").reset_index(drop=True)


def failures(expl: Exploration, threshold: float | None = None, outcome: str | None = None,
             min_density: float = 0.8) -> dict[str, FailureConditions | str]:
    """Where each design fails: PRIM's box and CART's rules for "outcome > threshold".

    Parameters
    ----------
    expl : Exploration
    threshold, outcome : optional
        Default: the exploration's ``failure_threshold`` and ``failure_outcome``.
    min_density : float, default 0.8
        PRIM's box: the largest coverage with at least this share of failing points (the densest
        box if none reaches it).

    Returns
    -------
    dict of str to FailureConditions or str
        By design: the conditions, or one sentence saying why there are none (no point fails, or
        every point does).
    """
    cfg = expl.manifest["explore"]
    outcome = outcome or cfg["failure_outcome"]
    threshold = cfg["failure_threshold"] if threshold is None else threshold
    found: dict[str, FailureConditions | str] = {}
    for design in expl.designs:
        pts = expl.design_points(design)
        if outcome not in pts.columns:
            found[design] = f"{outcome} was not analysed"
            continue
        values = pts[outcome].to_numpy(float)
        if not (values > threshold).any():
            found[design] = (f"{outcome} exceeds {threshold:g} at no point (highest: "
                             f"{np.nanmax(values):.3g})")
        elif (values > threshold).all():
            found[design] = (f"{outcome} exceeds {threshold:g} at every point (lowest: "
                             f"{np.nanmin(values):.3g})")
        else:
            found[design] = failure_conditions(pts, threshold, outcome, parameters=expl.parameters,
                                               min_density=min_density)
    return found


def discovery_table(found: dict[str, FailureConditions | str]) -> pd.DataFrame:
    """One row per box: PRIM's chosen box and CART's leaves predicted to fail, per design.

    Columns: ``guarantee``, ``method`` (``prim``, ``cart`` or ``none``), ``rank``, ``rule``,
    ``coverage``, ``density``, ``mass``, ``n_points``, ``outcome``, ``threshold``, ``n_cases``.
    """
    rows = []
    for design, res in found.items():
        if isinstance(res, str):
            rows.append({DESIGN_COLUMN: design, "method": "none", "rank": 0, "rule": res})
            continue
        common = {"outcome": res.outcome, "threshold": res.threshold, "n_cases": res.n_cases,
                  "points": res.n_points}
        box = res.box
        rows.append({DESIGN_COLUMN: design, "method": "prim", "rank": 0,
                     "rule": " and ".join(box.limits["rule"]) or "anywhere", "coverage": box.coverage,
                     "density": box.density, "mass": box.mass, "n_points": box.n_points, **common})
        leaves = res.cart.leaves[res.cart.leaves["predicted"]]
        for rank, leaf in enumerate(leaves.itertuples(), 1):
            rows.append({DESIGN_COLUMN: design, "method": "cart", "rank": rank, "rule": leaf.rule,
                         "coverage": leaf.coverage, "density": leaf.density, "mass": leaf.mass,
                         "n_points": leaf.n_points, **common})
    columns = [DESIGN_COLUMN, "method", "rank", "rule", "coverage", "density", "mass", "n_points",
               "outcome", "threshold", "n_cases", "points"]
    return pd.DataFrame(rows, columns=columns)


def response_curves(expl: Exploration, outcome: str, bins: int = 8) -> dict[str, pd.DataFrame]:
    """Each parameter's response curve (the outcome against its value, in numeric order), one line
    per design; continuous designs are grouped into ``bins`` bins of about equal count."""
    curves = {}
    for parameter in expl.parameters:
        distinct = expl.design[parameter].nunique()
        curves[parameter] = response_curve(expl.runs, parameter, outcome, by=[DESIGN_COLUMN],
                                           bins=None if distinct <= bins else bins, horizon=expl.horizon)
    return curves


def parameter_table(expl: Exploration) -> pd.DataFrame:
    """The uncertain parameters: path, low, high (and the base case of a one-at-a-time design)."""
    info = expl.info
    rows = [{"parameter": p, "low": lo, "high": hi, **({"base": info.base[p]} if info.base else {}),
             "rounded": p in expl.manifest.get("rounded", [])} for p, (lo, hi) in info.ranges.items()]
    return pd.DataFrame(rows)


def param_columns(df: pd.DataFrame) -> list[str]:
    """The ``param.<path>`` columns of a table."""
    return [c for c in df.columns if str(c).startswith(PARAM_PREFIX)]


__all__ = ["KIND", "OUTCOMES", "Exploration", "ExplorationError", "discovery_table", "exploration_indices",
           "exploration_manifest", "failures", "is_exploration", "parameter_table", "ranking",
           "read_exploration", "response_curves"]
