"""Checking what the analysis functions are given, and whether designs can be paired at all.

Bad arguments raise :class:`AnalysisError` (a ``ValueError``) with one line of the form
``argument: invalid value ...; allowed: ...``. A comparison that can pair nothing says why, naming
the columns that split the designs into scenarios of their own.
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Iterable, Sequence
from numbers import Integral, Real

import pandas as pd

from deterrence_sim.analysis.sweeps import groups, match_value, sorted_values

TABLE = "a table of replications (ds.simulate(...).runs or ds.load_sweep(...))"
RISK_COLUMNS = ("duration_days", "collapsed")
PAIR_COLUMNS = ("replication", "collapsed", "duration_days", "guarantor_cost", "direct_clash")
SUMMARY_COLUMNS = ("duration_days", "collapsed", "violations_minor", "violations_serious", "detected",
                   "verified", "mean_verification_delay_days", "responses_triggered",
                   "responses_honoured", "guarantor_cost", "direct_clash")
FUNNEL_COLUMNS = ("duration_days", "violations_minor", "violations_serious", "detected", "verified",
                  "mean_verification_delay_days", "responses_triggered", "responses_honoured")


class AnalysisError(ValueError):
    """An argument of an analysis function is wrong; one line: argument, value, what is allowed."""


class PairingWarning(UserWarning):
    """Some designs (or scenarios) have no baseline to be paired with, and are left out."""


def check_table(df: object, needed: Sequence[str]) -> pd.DataFrame:
    """``df`` is a DataFrame with the columns ``needed``.

    Examples
    --------
    >>> check_table(pd.DataFrame({"collapsed": [True]}), ["collapsed", "duration_days"])
    Traceback (most recent call last):
    ...
    deterrence_sim.analysis.checks.AnalysisError: df: invalid value: a table without duration_days; \
allowed: a table of replications (ds.simulate(...).runs or ds.load_sweep(...))
    """
    if not isinstance(df, pd.DataFrame):
        raise AnalysisError(f"df: invalid value of type {type(df).__name__}; allowed: {TABLE}")
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise AnalysisError(f"df: invalid value: a table without {', '.join(missing)}; allowed: {TABLE}")
    return df


def check_columns(df: pd.DataFrame, argument: str, names: str | Iterable[str] | None) -> list[str]:
    """The column names given as ``argument`` (one name or several), each a column of ``df``.

    Examples
    --------
    >>> df = pd.DataFrame(columns=["guarantee", "attack", "collapsed"])
    >>> check_columns(df, "by", "guarante")
    Traceback (most recent call last):
    ...
    deterrence_sim.analysis.checks.AnalysisError: by: invalid value 'guarante' (did you mean \
'guarantee'?); allowed: a column of the table: guarantee, attack, collapsed
    """
    given = [] if names is None else [names] if isinstance(names, str) else names
    try:
        columns = list(given)
    except TypeError:
        columns = [names]
    for name in columns:
        if name not in df.columns:
            close = difflib.get_close_matches(str(name), map(str, df.columns), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise AnalysisError(f"{argument}: invalid value {names!r}{hint}; allowed: a column of the "
                                f"table: {', '.join(map(str, df.columns))}")
    return columns


def check_baseline(df: pd.DataFrame, by: str, baseline: object) -> str:
    """The value of column ``by`` that ``baseline`` names, as text: the same text, else the same
    number (``12`` finds ``12.0``); a one-line error listing the values (in numeric order) if none.

    >>> check_baseline(pd.DataFrame({"t": [2.0, 12.0]}), "t", 12)
    '12.0'
    """
    values = sorted_values(map(str, df[by].unique()))
    found = match_value(values, baseline)
    if found is None:
        raise AnalysisError(f"baseline: invalid value {baseline!r}; allowed: a value of {by}: "
                            f"{', '.join(values)}")
    return found


def check_fraction(argument: str, value: object) -> None:
    """``value`` is a number strictly between 0 and 1 (a confidence level, a margin)."""
    if isinstance(value, bool) or not isinstance(value, Real) or not 0.0 < float(value) < 1.0:
        raise AnalysisError(f"{argument}: invalid value {value!r}; allowed: a number in (0, 1)")


def check_positive(argument: str, value: object, whole: bool = False) -> None:
    """``value`` is a positive number (a whole one with ``whole``)."""
    kind = Integral if whole else Real
    if isinstance(value, bool) or not isinstance(value, kind) or not float(value) > 0:
        raise AnalysisError(f"{argument}: invalid value {value!r}; allowed: a "
                            f"{'whole ' if whole else ''}number > 0")


def check_pairable(df: pd.DataFrame, by: str, within: list[str], baseline: str | None,
                   strict: bool = True) -> None:
    """Say why designs cannot be compared within scenarios, instead of returning nothing.

    Designs are compared only inside a scenario (a combination of ``within`` values), with the
    ``baseline`` or, without one, with each other. If no scenario holds two designs to compare,
    the ``within`` columns that move with ``by`` are named: :class:`AnalysisError` with
    ``strict``, else a :class:`PairingWarning`. A design left without a baseline in some scenarios,
    or a table with nothing but the baseline, gives a :class:`PairingWarning`.

    Examples
    --------
    >>> runs = pd.DataFrame({"aid": ["none", "some"], "guarantee.aid_bn_per_year": [0, 10],
    ...                      "replication": [0, 0]})
    >>> check_pairable(runs, "aid", ["guarantee.aid_bn_per_year"], "none")
    Traceback (most recent call last):
    ...
    deterrence_sim.analysis.checks.AnalysisError: within: invalid value ['guarantee.aid_bn_per_year']: \
no aid value shares a scenario with the baseline 'none', because guarantee.aid_bn_per_year moves \
with aid; allowed: columns that do not move with aid, e.g. within=[]
    """
    labels = df[by].astype(str)
    if baseline is not None and (labels != str(baseline)).sum() == 0:
        warnings.warn(f"{by}: only the baseline {baseline!r} is in the table; nothing to compare",
                      PairingWarning, stacklevel=3)
        return
    paired, alone = 0, []
    for key, stratum in groups(df.assign(_label=labels), within):
        present = sorted(stratum["_label"].unique())
        if baseline is None:
            paired += len(present) > 1
            continue
        others = [d for d in present if d != str(baseline)]
        if str(baseline) in present:
            paired += len(others)
        else:
            where = ", ".join(f"{c}={v}" for c, v in zip(within, key, strict=True))
            alone += [f"{by}={d!r} ({where})" for d in others]
    if not paired and labels.nunique() > 1:
        _unpairable(df, by, within, baseline, strict)
    elif alone:
        shown = "; ".join(alone[:5]) + (f"; and {len(alone) - 5} more" if len(alone) > 5 else "")
        warnings.warn(f"no baseline {baseline!r} in the scenario of {shown}: left out",
                      PairingWarning, stacklevel=3)


def _unpairable(df: pd.DataFrame, by: str, within: list[str], baseline: str | None,
                strict: bool) -> None:
    """Raise (or warn) naming the ``within`` columns whose values each go with one design only."""
    movers = [c for c in within if df.groupby(c, dropna=False)[by].nunique().max() <= 1] or within
    keep = [c for c in within if c not in movers]
    whom = f"with the baseline {baseline!r}" if baseline is not None else "with another"
    message = (f"within: invalid value {within!r}: no {by} value shares a scenario {whom}, because "
               f"{', '.join(movers)} {'moves' if len(movers) == 1 else 'move'} with {by}; allowed: "
               f"columns that do not move with {by}, e.g. within={keep!r}")
    if strict:
        raise AnalysisError(message)
    warnings.warn(message, PairingWarning, stacklevel=4)
