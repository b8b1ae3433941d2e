"""Each replication's parameter values: drawn from distributions, or set by points to evaluate.

A scenario's numeric parameters are numbers or distributions (:mod:`deterrence_sim.config`).
:func:`resolve` gives the model a copy of the scenario in which every parameter that varies
between replications is an array of shape ``(R,)``: a distribution is sampled by the inverse CDF
from the counter stream ``param:<path>`` at each replication's position in its block, so adding or
removing one uncertain parameter changes no other parameter's draws, and two designs draw the same
values; a calibrated parameter takes the values of the posterior particle the replication draws
(:mod:`deterrence_sim.calibration.posterior`); a parameter set by :func:`check_points` takes each
point's value for that point's replications (points first, then the calibration). Parameters
that do not vary stay plain numbers and cost nothing extra.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from typing import Any

import numpy as np
import pandas as pd

from deterrence_sim.calibration.posterior import load_posterior
from deterrence_sim.config import ConfigError, Parameter, ScenarioConfig, parameters
from deterrence_sim.core.distributions import is_distribution, sample
from deterrence_sim.core.rng import Dice


def resolve(scenario: ScenarioConfig, dice: Dice,
            points: Mapping[str, np.ndarray] | None = None) -> tuple[ScenarioConfig, dict[str, np.ndarray]]:
    """The scenario with one value per replication for every parameter that varies.

    Parameters
    ----------
    scenario : ScenarioConfig
        The validated scenario.
    dice : Dice
        The model's counter uniforms (its block, replications and their positions).
    points : mapping of str to ndarray, optional
        Values for whole replications, one per replication, by parameter path (from
        :func:`check_points`, repeated over each point's replications).

    Returns
    -------
    scenario : ScenarioConfig
        A copy whose varying parameters are arrays of shape ``(R,)`` (int64 for whole-number
        fields); the others are untouched.
    values : dict of str to ndarray
        The varying parameters' values by path (the ``param.<path>`` columns of the runs table).
    """
    points = points or {}
    values: dict[str, np.ndarray] = {}
    calibrated = _calibrated(scenario, dice)
    for p in parameters(scenario):
        if p.path in points:
            x = np.asarray(points[p.path], dtype=float)
        elif p.path in calibrated:
            x = calibrated[p.path]
        elif is_distribution(p.value):
            x = sample(p.value, dice.replications(f"param:{p.path}", 0), p.allowed, p.integer)
        else:
            continue
        values[p.path] = x.astype(np.int64) if p.integer else x
    return _substitute(scenario, values, ""), values


def _calibrated(scenario: ScenarioConfig, dice: Dice) -> dict[str, np.ndarray]:
    """The calibrated parameters' values: each replication's particle of the posterior (those the
    scenario keeps, because an override set them, left out)."""
    if not scenario.calibration.posterior:
        return {}
    post = load_posterior(scenario.calibration.posterior)
    particle = post.draw(dice.replications("calibration", 0))
    kept = set(scenario.calibration.keep)
    return {path: post.values[particle, j] for j, path in enumerate(post.paths) if path not in kept}


def _substitute(node: Any, values: Mapping[str, Any], path: str) -> Any:
    """A copy of ``node`` with the values at the given paths replaced (untouched nodes are shared)."""
    prefix = f"{path}." if path else ""
    if not any(key.startswith(prefix) for key in values):
        return node
    new = copy.copy(node)
    for f in fields(node):
        here = f"{prefix}{f.name}"
        value = getattr(node, f.name)
        if here in values:
            setattr(new, f.name, values[here])
        elif is_dataclass(value):
            setattr(new, f.name, _substitute(value, values, here))
        elif isinstance(value, Mapping):
            setattr(new, f.name, {key: values.get(f"{here}.{key}", item) if not is_dataclass(item)
                                  else _substitute(item, values, f"{here}.{key}")
                                  for key, item in value.items()})
    return new


def check_points(scenario: ScenarioConfig, points: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each column of a points table as float64 values, checked against its parameter's field.

    Raises
    ------
    ConfigError
        One line for the first column that is not a parameter of the scenario (or a fixed one), or
        the first value that is missing, out of range or not whole where a whole number is due.

    Examples
    --------
    >>> import pandas as pd
    >>> from deterrence_sim.config import ScenarioConfig
    >>> check_points(ScenarioConfig(), pd.DataFrame({"attack.temperature": [0.1, 0.4]}))
    {'attack.temperature': array([0.1, 0.4])}
    >>> check_points(ScenarioConfig(), pd.DataFrame({"attack.temperatur": [0.1]}))
    Traceback (most recent call last):
    ...
    deterrence_sim.fields.ConfigError: points.attack.temperatur: unknown parameter; allowed: \
a parameter path such as attack.temperature (closest: attack.temperature)
    """
    known = {p.path: p for p in parameters(scenario)}
    out = {}
    for name in points.columns:
        p = known.get(str(name))
        if p is None or p.fixed:
            raise ConfigError(f"points.{name}: unknown parameter; allowed: a parameter path such as "
                              f"attack.temperature{_closest(str(name), known, p)}")
        out[p.path] = _checked_column(p, points[name])
    return out


def _closest(name: str, known: Mapping[str, Parameter], fixed: Parameter | None) -> str:
    if fixed is not None:
        return f" ({name} is fixed for the whole run)"
    import difflib

    near = difflib.get_close_matches(name, [k for k, p in known.items() if not p.fixed], n=1)
    return f" (closest: {near[0]})" if near else ""


def _checked_column(p: Parameter, column: pd.Series) -> np.ndarray:
    try:
        values = column.to_numpy(dtype=float)
    except (TypeError, ValueError):
        bad = next(v for v in column if not _is_number(v))
        raise ConfigError(f"points.{p.path}: invalid value {bad!r}; allowed: {p.allowed}") from None
    for row, x in enumerate(values):
        whole = not p.integer or float(x).is_integer()
        if not math.isfinite(x) or not p.allowed.contains(x) or not whole:
            what = ("a whole " + str(p.allowed).removeprefix("a ")) if p.integer else str(p.allowed)
            raise ConfigError(f"points.{p.path}: invalid value {float(x)!r} (row {row}); allowed: {what}")
    return values


def _is_number(v: Any) -> bool:
    try:
        float(v)
    except (TypeError, ValueError):
        return False
    return True
