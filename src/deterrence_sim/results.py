"""Tidy result tables: one row per replication (``runs``) and one row per day (``daily``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from deterrence_sim.config import ScenarioConfig
from deterrence_sim.core.recorder import DAILY_MEANS, Recorder
from deterrence_sim.model import CeasefireModel

#: Columns of ``runs``, in order, with their meaning (the output contract; see docs/outputs).
RUN_COLUMNS: dict[str, str] = {
    "replication": "global replication index (block * block_size + position)",
    "block": "random-number block the replication belongs to",
    "collapsed": "a major offensive ended the ceasefire before the horizon",
    "collapse_day": "day of the offensive (1-based); missing when the ceasefire held",
    "duration_days": "days the ceasefire held: collapse_day, or the horizon if censored",
    "violations_minor": "aggressor's minor violations",
    "violations_serious": "aggressor's serious violations",
    "defender_violations_minor": "defender's minor violations (retaliation in kind and spontaneous)",
    "defender_violations_serious": "defender's serious violations (retaliation in kind)",
    "detected": "aggressor violations seen by at least one asset",
    "verified": "aggressor violations verified (corroborated, or single-source confirmed)",
    "verified_spurious": "verified reports against the aggressor that were not its violations",
    "false_alarms": "false reports raised by the assets",
    "misattributed": "detected events blamed on the wrong side",
    "mean_verification_delay_days": "mean days from detection to verification; missing if none",
    "responses_triggered": "commitment triggers (including the answer to an offensive)",
    "responses_honoured": "triggers the guarantors honoured",
    "responses_failed": "triggers the guarantors did not honour",
    "guarantor_cost": "cost to all guarantors (bn USD): aid, monitoring, forces, responses",
    "aggressor_cost": "punishment inflicted on the aggressor (utility units)",
    "direct_clash": "a direct guarantor-aggressor clash happened",
    "ground_lost_km": "ground lost by the defender to serious violations (km)",
    "final_aggressor_capability": "aggressor capability at collapse or horizon",
    "final_defender_capability": "defender capability at collapse or horizon",
    "min_political_will": "lowest political will of any guarantor; missing with none",
    "final_credibility_belief": "aggressor's mean believed credibility; missing with none",
    "revisionism": "the aggressor's drawn type",
}


@dataclass
class SimulationResult:
    """The outputs of one scenario: tidy tables and the typed configuration that produced them."""

    runs: pd.DataFrame
    daily: pd.DataFrame
    config: ScenarioConfig


def runs_table(model: CeasefireModel, first_replication: int) -> pd.DataFrame:
    """One row per replication of a finished model block."""
    t = model.recorder.totals
    n = model.n
    collapsed = ~model.in_ceasefire
    verified = t["verified"]
    with np.errstate(invalid="ignore", divide="ignore"):
        delay = np.where(verified > 0, t["verification_delay_days_sum"] / verified, np.nan)
    wills = [g.min_will for g in model.guarantors]
    columns = {
        "replication": np.arange(first_replication, first_replication + n),
        "block": np.full(n, model.block),
        "collapsed": collapsed,
        "collapse_day": pd.array(np.where(collapsed, model.collapse_day, 0), dtype="Int64"),
        "duration_days": np.where(collapsed, model.collapse_day, model.horizon_days),
        **{name: t[name].astype(np.int64) for name in (
            "violations_minor", "violations_serious", "defender_violations_minor",
            "defender_violations_serious", "detected", "verified", "verified_spurious",
            "false_alarms", "misattributed")},
        "mean_verification_delay_days": delay,
        "responses_triggered": t["responses_triggered"].astype(np.int64),
        "responses_honoured": t["responses_honoured"].astype(np.int64),
        "responses_failed": (t["responses_triggered"] - t["responses_honoured"]).astype(np.int64),
        "guarantor_cost": t["guarantor_cost"],
        "aggressor_cost": t["aggressor_cost"],
        "direct_clash": model.clash.copy(),
        "ground_lost_km": t["ground_lost_km"],
        "final_aggressor_capability": model.aggressor.capability,
        "final_defender_capability": model.defender.capability,
        "min_political_will": np.min(wills, axis=0) if wills else np.full(n, np.nan),
        "final_credibility_belief": (model.mean_credibility_belief() if model.commitments
                                     else np.full(n, np.nan)),
        "revisionism": model.aggressor.revisionism,
    }
    df = pd.DataFrame(columns)
    df.loc[~collapsed, "collapse_day"] = pd.NA
    return df


def daily_table(recorders: list[Recorder], replications: int) -> pd.DataFrame:
    """One row per day: survival and hazard, and means over replications still in ceasefire."""
    sums = sum(r.daily_sums for r in recorders)
    live = sum(r.in_ceasefire for r in recorders)
    collapses = sum(r.collapses for r in recorders)
    horizon = len(live)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / live[:, None]
        hazard = collapses / live
    df = pd.DataFrame({
        "day": np.arange(1, horizon + 1),
        "in_ceasefire": live,
        "collapses": collapses,
        "share_holding": (live - collapses) / replications,
        "hazard": hazard,
    })
    for i, name in enumerate(DAILY_MEANS):
        df[f"{name}_mean"] = means[:, i]
    return df


def simulate_scenario(scenario: ScenarioConfig,
                      progress: Callable[[int, int], None] | None = None) -> SimulationResult:
    """Run every replication of a validated scenario, block by block, and tabulate the results.

    Block ``sim.first_block + i`` holds replications ``(sim.first_block + i) * block_size`` onwards
    and has its own random streams, so a scenario split over jobs by ``first_block`` gives the same
    rows as one job. ``progress(done, total)`` is called with replication-days simulated so far.
    """
    sim = scenario.sim
    recorders, frames = [], []
    total = sim.replications * sim.horizon_days
    for i, start in enumerate(range(0, sim.replications, sim.block_size)):
        size = min(sim.block_size, sim.replications - start)
        block = sim.first_block + i
        model = CeasefireModel(scenario, size, block)
        done = start * sim.horizon_days
        model.run(None if progress is None else lambda day, d=done, n=size: progress(d + day * n, total))
        frames.append(runs_table(model, block * sim.block_size))
        recorders.append(model.recorder)
    runs = pd.concat(frames, ignore_index=True)
    return SimulationResult(runs=runs, daily=daily_table(recorders, sim.replications),
                            config=scenario)
