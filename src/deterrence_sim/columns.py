"""The outputs of a run, declared once: name, unit, dtype, meaning, and how each is recorded.

The model's recording phase hands the recorder today's value of every *recorded* output (one per
replication); the recorder sums them over the days in ceasefire (``run="sum"``) and averages them
over the replications in ceasefire each day (``daily=True``). What the model knows only at the end
(``run="final"``) and what the tables compute from other columns (``run="derived"``) are declared
here too, so the runs table, the daily table, ``RUN_COLUMNS`` and the docs all read one list.

Conventions: a quantity that does not exist in a design (political will without guarantors, the
believed credibility of commitments when there are none, the share of assets up without assets)
is missing (NaN) in both tables, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Output:
    """One output of a run.

    Attributes
    ----------
    name : str
        Column name (daily means are ``<name>_mean``).
    unit : str
        Unit of one value.
    dtype : str
        pandas dtype of the runs column (``Int64`` for a count that may be missing).
    meaning : str
        What it is, in one line.
    run : str or None
        ``"sum"``: summed over the days in ceasefire into a runs column; ``"total"``: summed but
        only used to derive another column; ``"final"``: the value at collapse or the horizon;
        ``"derived"``: computed by the table from other outputs; None: no runs column.
    daily : bool
        Averaged each day over the replications in ceasefire, into ``<name>_mean``.
    """

    name: str
    unit: str
    dtype: str
    meaning: str
    run: str | None = "sum"
    daily: bool = False


OUTPUTS: tuple[Output, ...] = (
    Output("replication", "index", "int64",
           "global replication index (block * block_size + position)", "derived"),
    Output("block", "index", "int64", "random-number block the replication belongs to", "derived"),
    Output("collapsed", "flag", "bool", "a major offensive, or a wider war, ended the ceasefire "
           "before the horizon", "derived"),
    Output("collapse_day", "day", "Int64", "day the ceasefire ended (1-based); missing when it "
           "held", "derived"),
    Output("duration_days", "days", "int64",
           "days the ceasefire held: collapse_day, or the horizon if censored", "derived"),
    Output("violations_minor", "events", "int64", "aggressor's minor violations", daily=True),
    Output("violations_serious", "events", "int64", "aggressor's serious violations", daily=True),
    Output("defender_violations_minor", "events", "int64",
           "defender's minor violations (retaliation in kind and spontaneous)", daily=True),
    Output("defender_violations_serious", "events", "int64",
           "defender's serious violations (retaliation in kind)", daily=True),
    Output("detected", "events", "int64", "aggressor violations seen by at least one asset",
           daily=True),
    Output("verified", "events", "int64",
           "aggressor violations verified (corroborated, or single-source confirmed)", daily=True),
    Output("verified_spurious", "reports", "int64",
           "verified reports against the aggressor that were not its violations"),
    Output("false_alarms", "reports", "int64", "false reports raised by the assets", daily=True),
    Output("misattributed", "events", "int64", "detected events blamed on the wrong side"),
    Output("verification_delay_days_sum", "days", "float64",
           "summed delay of the verified real reports", "total"),
    Output("mean_verification_delay_days", "days", "float64",
           "mean days from detection to verification; missing if none", "derived"),
    Output("responses_triggered", "decisions", "int64",
           "commitment triggers (including the answer to an offensive)", daily=True),
    Output("responses_honoured", "decisions", "int64", "triggers the guarantors honoured", daily=True),
    Output("responses_failed", "decisions", "int64", "triggers the guarantors did not honour",
           "derived"),
    Output("guarantor_cost", "bn USD", "float64",
           "cost to all guarantors: aid, monitoring, forces, responses", daily=True),
    Output("aggressor_cost", "utility", "float64", "punishment inflicted on the aggressor"),
    Output("direct_clash", "flag", "bool", "a direct guarantor-aggressor clash happened", "final"),
    Output("ground_lost_km", "km", "float64", "ground lost by the defender to serious violations"),
    Output("buildups_started", "build-ups", "int64", "build-ups for a major offensive begun"),
    Output("buildups_detected", "build-ups", "int64", "build-ups the monitoring saw"),
    Output("buildups_aborted", "build-ups", "int64", "build-ups stood down after being seen"),
    Output("warnings", "warnings", "int64", "verified warnings of a real build-up"),
    Output("false_warnings", "warnings", "int64", "verified warnings of a build-up that was not there"),
    Output("surprise_offensive", "flag", "bool",
           "a major offensive came without a verified warning", "final"),
    Output("warning_days", "days", "Int64",
           "days from the verified warning to the offensive; missing without a warned offensive",
           "final"),
    Output("escalation_rung_max", "rung", "int64",
           "highest rung reached after a clash: 0 none, 1 incident, 2 limited exchange, 3 wider war",
           "final"),
    Output("wider_war", "flag", "bool", "a clash escalated into a wider war (it ended the ceasefire)",
           "final"),
    Output("wider_war_day", "day", "Int64", "day of the wider war; missing without one", "final"),
    Output("final_aggressor_capability", "index", "float64",
           "aggressor capability at collapse or horizon", "final"),
    Output("final_defender_capability", "index", "float64",
           "defender capability at collapse or horizon", "final"),
    Output("min_political_will", "share", "float64",
           "lowest political will of any guarantor; missing with none", "final"),
    Output("final_credibility_belief", "share", "float64",
           "aggressor's mean believed credibility of the commitments; missing with none", "final"),
    Output("political_will", "share", "float64", "mean political will of the guarantors", None,
           daily=True),
    Output("preparing", "share", "float64", "share preparing a major offensive", None, daily=True),
    Output("warned", "share", "float64", "share whose build-up a verified warning made public", None,
           daily=True),
    Output("escalation_rung", "rung", "float64", "rung of the escalation ladder (0: none)", None,
           daily=True),
    Output("credibility_belief", "share", "float64",
           "aggressor's mean believed credibility of the commitments", None, daily=True),
    Output("detection_belief", "share", "float64",
           "aggressor's mean believed chance of being seen (over sectors and rungs)", None, daily=True),
    Output("force_ratio", "ratio", "float64", "aggressor / defender capability", None, daily=True),
    Output("cloud", "share", "float64", "cloud cover", None, daily=True),
    Output("jamming", "share", "float64", "electronic-warfare pressure", None, daily=True),
    Output("assets_active", "share", "float64", "share of monitoring assets up", None, daily=True),
)
"""Every output, in the order of the runs table (then the daily-only ones)."""

BY_NAME: dict[str, Output] = {o.name: o for o in OUTPUTS}

RECORDED: tuple[str, ...] = tuple(o.name for o in OUTPUTS if o.run in ("sum", "total") or o.daily)
"""The outputs the model hands the recorder every day."""

SUMMED: tuple[str, ...] = tuple(o.name for o in OUTPUTS if o.run in ("sum", "total"))
DAILY_MEANS: tuple[str, ...] = tuple(o.name for o in OUTPUTS if o.daily)
FINAL: tuple[str, ...] = tuple(o.name for o in OUTPUTS if o.run == "final")

RUN_COLUMNS: dict[str, str] = {o.name: o.meaning for o in OUTPUTS
                               if o.run in ("sum", "final", "derived")}
"""Columns of ``runs`` before the ``param.*`` columns, in order, with their meaning."""

PARAM_PREFIX = "param."
"""Prefix of the runs columns holding each replication's value of a varying parameter."""

DAILY_COLUMNS: dict[str, str] = {
    "day": "day of the run (1-based)",
    "in_ceasefire": "replications in ceasefire at the start of the day",
    "collapses": "major offensives that day",
    "share_holding": "share of all replications still in ceasefire at the end of the day",
    "hazard": "collapses / in_ceasefire: the daily hazard of collapse",
    **{f"{o.name}_mean": f"mean over the replications in ceasefire: {o.meaning}"
       for o in OUTPUTS if o.daily},
}
"""Columns of ``daily``, in order, with their meaning."""
