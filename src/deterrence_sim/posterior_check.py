"""After a calibration: the posterior predictive check, the folder's tables and figures, the shipped file.

:func:`posterior_check` draws particles from the posterior by weight and simulates, for each, as
many independent replications as the targets have cases (62 ceasefires for
``fortna_civil_no_pk``). Each draw is one "reference class" the calibrated model could have
produced; the spread of their shares failed is the posterior predictive band, the interval a new
sample of that size would fall in, which is what the targets' own intervals are to be compared
with. :func:`write_outputs` writes the check, the trace, the posterior summary, the figures and a
page into the calibration's folder; :func:`ship_posterior` copies the posterior where runs find it
(``calibration=<name>``), its provenance in the Parquet metadata and in a YAML file beside it.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from deterrence_sim.calibration import store
from deterrence_sim.calibration.posterior import WEIGHT
from deterrence_sim.fit import Calibration, FitSpec, with_seed
from deterrence_sim.launch import launch_evaluation, parts_for
from deterrence_sim.outputs import git_revision, versions
from deterrence_sim.simulation import evaluate_points

CHECK_STREAM = 7
"""Spawn key of the check's random numbers (particle draws and simulation seed) under the ABC seed."""

EXTRA_HORIZONS = (90, 180)
"""Horizons (days) the check also reports: shares the calibration did not see."""


@dataclass(frozen=True)
class PosteriorCheck:
    """The posterior predictive check.

    Attributes
    ----------
    curve : pandas.DataFrame
        One row per day 0..horizon: ``day``, ``share_failed`` (mean over all draws and
        replications), ``band_low``/``band_high`` (2.5 and 97.5 % of the draws' shares) and
        ``inner_low``/``inner_high`` (25 and 75 %).
    table : pandas.DataFrame
        One row per horizon (the targets', then :data:`EXTRA_HORIZONS` within the horizon):
        ``horizon_days``, ``target``, ``target_low``, ``target_high`` (NaN where the set has none),
        ``model``, ``band_low``, ``band_high`` and ``inside`` (the target within the band).
    draws, replications : int
        Particles drawn, and replications simulated for each.
    """

    curve: pd.DataFrame
    table: pd.DataFrame
    draws: int
    replications: int


def resample(weights: np.ndarray, draws: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of ``draws`` particles by systematic resampling (Kitagawa 1996): each particle is
    drawn ``floor(draws w)`` or ``ceil(draws w)`` times.

    Examples
    --------
    >>> resample(np.array([0.5, 0.25, 0.25]), 4, np.random.default_rng(0)).tolist()
    [0, 0, 1, 2]
    """
    w = np.asarray(weights, dtype=float)
    cumulative = np.cumsum(w / w.sum())
    cumulative[-1] = 1.0
    u = (rng.random() + np.arange(draws)) / draws
    return np.searchsorted(cumulative, u, side="right")


def shares_by_day(runs: pd.DataFrame, horizon: int) -> np.ndarray:
    """Share of each point's replications failed by day 0..horizon, shape ``(points, horizon + 1)``.

    Examples
    --------
    >>> runs = pd.DataFrame({"point": [0, 0, 1], "collapse_day": pd.array([2, None, 1], dtype="Int64")})
    >>> shares_by_day(runs, 3)
    array([[0. , 0. , 0.5, 0.5],
           [0. , 1. , 1. , 1. ]])
    """
    point = runs["point"].to_numpy(dtype=np.int64)
    day = runs["collapse_day"].to_numpy(dtype=float, na_value=np.inf)
    n_points = int(point.max()) + 1
    failed = np.zeros((n_points, horizon + 2))
    column = np.where(np.isfinite(day), np.minimum(day, horizon + 1), horizon + 1).astype(int)
    np.add.at(failed, (point, column), 1.0)
    counts = np.bincount(point, minlength=n_points)[:, None]
    return np.cumsum(failed, axis=1)[:, : horizon + 1] / counts


def posterior_check(spec: FitSpec, posterior: pd.DataFrame, *, draws: int | None = None,
                    launcher: Sequence[str] = (), jobs: int = 1,
                    work_dir: Path | None = None) -> PosteriorCheck:
    """Simulate the calibrated scenario's posterior predictive and set it beside the targets.

    Parameters
    ----------
    spec : FitSpec
        The calibration's specification (scenario, targets, replications per particle, seed).
    posterior : pandas.DataFrame
        Weighted particles: the prior's parameter columns and ``weight``.
    draws : int, optional
        Particles drawn by weight (default ``spec.check_draws``).
    launcher, jobs, work_dir
        As for :func:`deterrence_sim.fit.calibrate`.
    """
    draws = spec.check_draws if draws is None else draws
    root = np.random.SeedSequence(spec.seed, spawn_key=(CHECK_STREAM,))
    rng = np.random.default_rng(root)
    chosen = resample(posterior[WEIGHT].to_numpy(), draws, rng)
    points = posterior.iloc[chosen][list(spec.prior.names)].reset_index(drop=True)
    scenario = with_seed(spec.scenario, int(root.generate_state(1, np.uint64)[0] >> np.uint64(1)))
    horizon = int(scenario.sim.horizon_days)
    if launcher:
        folder = (work_dir or Path("jobs")) / "check"
        parts = launch_evaluation(scenario, points, spec.replications, launcher=launcher,
                                  parts=parts_for(len(points), jobs, 64), sweep_dir=folder)
        shutil.rmtree(folder, ignore_errors=True)        # kept only if a job failed (its logs)
        with contextlib.suppress(OSError):
            folder.parent.rmdir()                         # and the work folder, once empty
        runs = pd.concat(parts, ignore_index=True)
    else:
        runs = evaluate_points(scenario, points, spec.replications, common_random_numbers=False)
    shares = shares_by_day(runs, horizon)
    curve = pd.DataFrame({"day": np.arange(horizon + 1), "share_failed": shares.mean(axis=0)})
    for name, q in (("band_low", 0.025), ("band_high", 0.975), ("inner_low", 0.25), ("inner_high", 0.75)):
        curve[name] = np.quantile(shares, q, axis=0)
    return PosteriorCheck(curve, _table(spec, curve), draws, spec.replications)


def _table(spec: FitSpec, curve: pd.DataFrame) -> pd.DataFrame:
    t = spec.targets.table.set_index("horizon_days")
    horizon = int(curve["day"].iloc[-1])
    days = sorted({*map(int, t.index), *(h for h in EXTRA_HORIZONS if h <= horizon)})
    rows = []
    for h in days:
        at = curve.iloc[h]
        target = t.loc[h] if h in t.index else None
        row = {"horizon_days": h, "target": np.nan, "target_low": np.nan, "target_high": np.nan,
               "model": at["share_failed"], "band_low": at["band_low"], "band_high": at["band_high"]}
        if target is not None:
            row |= {"target": target["share_failed"], "target_low": target["low"],
                    "target_high": target["high"]}
        rows.append(row)
    table = pd.DataFrame(rows)
    inside = (table["target"] >= table["band_low"]) & (table["target"] <= table["band_high"])
    table["inside"] = pd.array(inside, dtype="boolean")
    table.loc[table["target"].isna(), "inside"] = pd.NA
    table["calibrated"] = table["horizon_days"].isin(list(map(int, t.index)))
    return table


# --------------------------------------------------------------------------- files


def provenance(fit: Calibration, out: Path | None = None) -> dict[str, Any]:
    """JSON-ready provenance of a calibration: what was fitted to what, how, from which code."""
    spec, result = fit.spec, fit.result
    trace = result.trace
    return {"targets": spec.targets.name, "target_source": spec.targets.provenance.get("source"),
            "seed": spec.seed, "git_revision": git_revision(), "versions": versions(),
            "scenario_overrides": list(spec.overrides), "parameters": list(spec.prior.names),
            "prior": spec.prior.spec, "replications_per_particle": spec.replications,
            "abc": {k: v for k, v in spec.abc.items()}, "stop_reason": result.stop_reason,
            "generations": len(trace), "final_epsilon": float(trace["epsilon"].iloc[-1]),
            "particles": len(result.posterior), "simulations": int(trace["simulations"].sum()),
            "sector_days_per_particle": spec.sector_days_per_particle,
            "calibration_folder": str(out) if out is not None else None}


def write_outputs(fit: Calibration, check: PosteriorCheck, out: Path, cost: dict[str, Any]) -> None:
    """The calibration's tables, figures and page, into its folder ``out``."""
    from deterrence_sim.report.calibration import calibration_page, write_figures

    out.mkdir(parents=True, exist_ok=True)
    summary = fit.result.summary((0.025, 0.5, 0.975))
    fit.result.trace.to_csv(out / "trace.csv", index=False)
    summary.to_csv(out / "posterior_summary.csv", index=False)
    check.table.to_csv(out / "check.csv", index=False)
    store.write_table(check.curve, out / "check_curve.parquet", {"draws": check.draws,
                                                                 "replications": check.replications})
    store.write_json(out / "cost.json", cost)
    store.write_json(out / "provenance.json", provenance(fit, out))
    figures = write_figures(out, fit.spec.prior, fit.result.posterior, fit.result.trace, check)
    page = calibration_page(provenance(fit, out), fit.result.trace, summary, check, cost, figures)
    store.write_atomic(out / "README.md", lambda tmp: tmp.write_text(page))


def ship_posterior(fit: Calibration, dest: Path, cost: dict[str, Any], out: Path | None = None) -> Path:
    """Write the posterior to ``dest`` (``<name>.parquet``) for ``calibration=<name>``.

    Columns: the parameters, ``weight`` and ``distance``. The Parquet schema metadata
    (``deterrence_sim``) holds the provenance (:func:`provenance`: targets, seed, git revision,
    priors, settings); ``dest`` with the suffix ``.yaml`` holds the same and the cost (wall time,
    sector-days).
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    meta = provenance(fit, out)
    table = pa.Table.from_pandas(fit.result.posterior, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                           b"deterrence_sim": json.dumps(meta, sort_keys=True).encode()})
    store.write_atomic(dest, lambda tmp: pq.write_table(table, tmp))
    side = {**store.as_json(meta), "cost": store.as_json(cost),
            "summary": fit.result.summary((0.025, 0.5, 0.975)).round(6).to_dict("records")}
    text = ("# Provenance of the shipped posterior beside this file (written by deterrence-sim-calibrate;"
            " do not edit).\n" + yaml.safe_dump(side, sort_keys=False, width=100))
    store.write_atomic(dest.with_suffix(".yaml"), lambda tmp: tmp.write_text(text))
    return dest
