"""Why a cell of a sweep comes out as it does, read off the run outputs of the early-warning and
escalation mechanisms: build-ups started, seen and stood down, offensives with and without warning,
clashes and wider wars.

:func:`early_warning` counts them per group; :func:`mechanism_note` turns one group's counts into
a sentence naming the mechanism that decides it. Only the outputs are read: the aggressor's
utilities (``U_build``, ``U_go``, ``U_abort``; docs/model.md) are named where the counts pin them
down, never computed here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from deterrence_sim.analysis.checks import check_columns, check_table
from deterrence_sim.analysis.sweeps import groups

WARNING_COLUMNS = ("collapsed", "duration_days", "buildups_started", "buildups_detected",
                   "buildups_aborted", "warnings", "false_warnings", "surprise_offensive",
                   "warning_days", "responses_triggered", "responses_honoured", "direct_clash",
                   "wider_war")
"""Run columns :func:`early_warning` reads (from issue 11 on)."""
RARE = 0.05
"""Build-ups are 'rare' in a group when at most this share of its replications starts one."""


def early_warning(df: pd.DataFrame, by: Sequence[str] | str) -> pd.DataFrame:
    """Per group: the build-up → warning → offensive funnel, and what followed clashes.

    Parameters
    ----------
    df : DataFrame
        Replications with the columns of :data:`WARNING_COLUMNS`.
    by : str or sequence of str
        Grouping columns.

    Returns
    -------
    DataFrame
        One row per group: the ``by`` columns and

        - ``replications``; ``collapsed`` (count) and ``collapse_share``;
        - ``with_buildup``: replications that started at least one build-up;
        - ``buildups_started``, ``buildups_detected``, ``buildups_aborted``, ``warnings``,
          ``false_warnings`` (totals over the group);
        - ``offensives``: replications ended by a major offensive (collapsed without a wider war);
          ``surprise``: of those, the ones without a verified warning; ``warned`` the others;
        - ``median_warning_days``: over the warned offensives (NaN without one);
        - ``median_collapse_day`` over the collapsed replications (NaN without one);
        - ``responses_triggered``, ``responses_honoured`` (totals);
        - ``clashes``: replications with a direct clash; ``wider_wars``: replications ended by one.

    Examples
    --------
    >>> runs = pd.DataFrame({"g": "a", "collapsed": [True, False], "duration_days": [40, 730],
    ...     "buildups_started": [2, 1], "buildups_detected": [2, 1], "buildups_aborted": [1, 1],
    ...     "warnings": [2, 1], "false_warnings": 0, "surprise_offensive": False,
    ...     "warning_days": pd.array([12, None], dtype="Int64"), "responses_triggered": 0,
    ...     "responses_honoured": 0, "direct_clash": False, "wider_war": False})
    >>> row = early_warning(runs, "g").iloc[0]
    >>> [int(row[c]) for c in ("buildups_started", "buildups_aborted", "offensives", "surprise")]
    [3, 2, 1, 0]
    >>> float(row["median_warning_days"])
    12.0
    """
    check_table(df, WARNING_COLUMNS)
    by = check_columns(df, "by", by)
    rows = []
    for key, g in groups(df, by):
        collapsed = g["collapsed"].to_numpy(bool)
        war = g["wider_war"].to_numpy(bool)
        offensive = collapsed & ~war
        surprise = g["surprise_offensive"].to_numpy(bool) & offensive
        warning_days = pd.to_numeric(g["warning_days"], errors="coerce").to_numpy(float)
        warning_days = warning_days[offensive & ~surprise]
        days = g["duration_days"].to_numpy(float)[collapsed]
        rows.append({
            **dict(zip(by, key, strict=True)), "replications": len(g), "collapsed": int(collapsed.sum()),
            "collapse_share": float(collapsed.mean()),
            "with_buildup": int((g["buildups_started"] > 0).sum()),
            **{c: int(g[c].sum()) for c in ("buildups_started", "buildups_detected", "buildups_aborted",
                                            "warnings", "false_warnings")},
            "offensives": int(offensive.sum()), "surprise": int(surprise.sum()),
            "warned": int((offensive & ~surprise).sum()),
            "median_warning_days": _median(warning_days), "median_collapse_day": _median(days),
            "responses_triggered": int(g["responses_triggered"].sum()),
            "responses_honoured": int(g["responses_honoured"].sum()),
            "clashes": int(g["direct_clash"].astype(bool).sum()), "wider_wars": int(war.sum()),
        })
    return pd.DataFrame(rows)


def mechanism_note(row: pd.Series | dict) -> str:
    """One sentence on what decides a group, from its :func:`early_warning` row.

    The first clause names the deciding mechanism; the counts follow.

    - No build-up at all: the aggressor's value of preparing an offensive, ``U_build`` (the war
      utility, seen in time or not, less the build-up's cost), is so far below zero that the logit
      rule never starts one; what collapse there is comes from wider wars.
    - Build-ups but no offensive: every build-up was seen and stood down (``U_go < U_abort`` once
      warned), or ran out of time at the horizon; when at most :data:`RARE` of the replications
      start one, the rarity of build-ups is named first.
    - Offensives that were never seen: no asset saw the build-ups, so they came by surprise.
    - Offensives that were seen: the warning came, but going on was worth more than stopping.
    - Wider wars: clashes climbed the escalation ladder to the top.

    Examples
    --------
    >>> mechanism_note({"replications": 100, "collapsed": 0, "with_buildup": 0, "buildups_started": 0,
    ...     "buildups_detected": 0, "buildups_aborted": 0, "offensives": 0, "surprise": 0, "warned": 0,
    ...     "median_warning_days": np.nan, "median_collapse_day": np.nan, "clashes": 0, "wider_wars": 0,
    ...     "responses_triggered": 0, "responses_honoured": 0}).split(": ")
    ["no build-up is ever started (U_build stays far below zero at the aggressor's temperature)",
     '0 build-ups in 100 replications']
    """
    r = dict(row)
    n, started, seen, aborted = r["replications"], r["buildups_started"], r["buildups_detected"], \
        r["buildups_aborted"]
    offensives, surprise, warned, wars = r["offensives"], r["surprise"], r["warned"], r["wider_wars"]
    facts = [f"{_many(started, 'build-up')} in {r['with_buildup']:,} of {n:,} replications" if started
             else f"0 build-ups in {n:,} replications"]
    if started:
        facts.append(f"{seen:,} seen ({_share(seen, started)}), {aborted:,} stood down "
                     f"({_share(aborted, seen)} of those seen)" if seen else "none seen")
    if offensives:
        day = r["median_collapse_day"]
        timing = f", median day {day:.0f}" if np.isfinite(day) else ""
        warning = (f", median warning {r['median_warning_days']:.0f} days"
                   if warned and np.isfinite(r["median_warning_days"]) else "")
        facts.append(f"{_many(offensives, 'offensive')}, {surprise:,} by surprise and {warned:,} after a "
                     f"warning{warning}{timing}")
    if r["clashes"]:
        facts.append(f"{r['clashes']:,} replications with a direct clash, {wars:,} ending in a wider war")
    return f"{_lead(r)}: {'; '.join(facts)}"


def _lead(r: dict) -> str:
    """The clause naming the mechanism that decides the group."""
    n, started, seen, aborted = r["replications"], r["buildups_started"], r["buildups_detected"], \
        r["buildups_aborted"]
    offensives, surprise, warned, wars = r["offensives"], r["surprise"], r["warned"], r["wider_wars"]
    if wars and wars >= offensives:
        return "clashes climb the escalation ladder to a wider war"
    if not started:
        return "no build-up is ever started (U_build stays far below zero at the aggressor's temperature)"
    if not offensives:
        rare = r["with_buildup"] <= RARE * n
        if seen == started and aborted == seen:
            return ("build-ups are rare (U_build below zero in nearly every replication) and every one is "
                    "seen and stood down" if rare else
                    "every build-up is seen and stood down (once warned, U_go < U_abort)")
        return "build-ups are seen and stood down, or still under way at the horizon"
    if r["collapsed"] < 0.5 * n:
        if warned >= surprise:
            return ("most replications never go beyond a build-up that is seen and stood down; "
                    "the few offensives come after a warning")
        return "most replications never start a build-up; the few offensives are not seen in time"
    if not seen:
        return ("build-ups are started and none is seen (no asset watches for them): offensives come "
                "by surprise")
    if aborted < 0.5 * seen:
        return "build-ups are seen but seldom stood down (U_go > U_abort even when warned)"
    per = started / max(r["with_buildup"], 1)
    return (f"seen build-ups are stood down, but the aggressor starts again ({per:.1f} per replication "
            "that starts one) until an offensive goes through")


def _many(count: int, noun: str) -> str:
    """``1 build-up``, ``3 build-ups``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _share(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "n/a"


def _median(x: np.ndarray) -> float:
    x = x[np.isfinite(x)]
    return float(np.median(x)) if x.size else np.nan
