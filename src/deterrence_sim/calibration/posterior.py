"""A calibration's posterior as something every run can draw from.

A posterior is a Parquet table of weighted particles: one column per calibrated parameter (its
config path) and a ``weight`` column. With ``calibration=<name>`` each replication draws one
particle, with probability proportional to its weight, from the counter stream ``calibration`` at
its position (so designs and swept values draw the same particle), and takes that particle's
parameter values (:func:`deterrence_sim.parameters.resolve`). Every result then carries the
calibration's uncertainty.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from deterrence_sim.fields import ConfigError

WEIGHT = "weight"
"""The column of a particle's weight."""

NOT_PARAMETERS = (WEIGHT, "distance", "particle")
"""Columns of a posterior table that are not parameter values."""


def shipped_dir() -> Path:
    """The folder of the posteriors shipped with the package (``make calibrate`` writes here)."""
    return Path(__file__).parent / "posteriors"


def posterior_path(name: str) -> Path:
    """The file of posterior ``name``: a shipped one by name, or a path to a Parquet table."""
    path = Path(name).expanduser()
    return path if path.suffix == ".parquet" else shipped_dir() / f"{name}.parquet"


@dataclass(frozen=True)
class Posterior:
    """Weighted particles: ``values[i, j]`` is particle ``i``'s value of parameter ``paths[j]``."""

    paths: tuple[str, ...]
    values: np.ndarray
    cumulative: np.ndarray      # normalised cumulative weights, last entry 1
    sha256: str

    def draw(self, u: np.ndarray) -> np.ndarray:
        """Particle index for each uniform in ``u`` (inverse CDF of the weights).

        Examples
        --------
        >>> post = Posterior(("x",), np.array([[1.0], [2.0]]), np.array([0.25, 1.0]), "")
        >>> post.draw(np.array([0.1, 0.3, 0.9])).tolist()
        [0, 1, 1]
        """
        return np.minimum(np.searchsorted(self.cumulative, u, side="right"), len(self.cumulative) - 1)


def load_posterior(name: str, allowed: Iterable[str] = ()) -> Posterior:
    """Read and check posterior ``name``; ``allowed`` (if given) are the parameters it may set.

    Raises
    ------
    ConfigError
        One line for a missing or unreadable file, no weight column, weights that are negative,
        not finite or all zero, a parameter that is not one of ``allowed``, or a value that is not
        finite.
    """
    path = posterior_path(name)
    post = _read(str(path.resolve()) if path.exists() else str(path), name)
    allowed = set(allowed)
    for p in post.paths:
        if allowed and p not in allowed:
            raise ConfigError(f"calibration.posterior: invalid value {name!r}: column {p!r} is not a "
                              "parameter of this scenario; allowed: a posterior whose columns are "
                              "parameter paths (and weight)")
    return post


@cache
def _read(path: str, name: str) -> Posterior:
    file = Path(path)
    where = f"calibration.posterior: invalid value {name!r}"
    if not file.is_file():
        known = ", ".join(sorted(p.stem for p in shipped_dir().glob("*.parquet"))) or "(none shipped)"
        raise ConfigError(f"{where}: no such file; allowed: a shipped posterior ({known}) or a path "
                          "to a Parquet table of particles")
    try:
        table = pd.read_parquet(file)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{where}: unreadable ({type(exc).__name__}); allowed: a Parquet table "
                          "of particles") from None
    if WEIGHT not in table:
        raise ConfigError(f"{where}: no {WEIGHT!r} column; allowed: a table of particles with a "
                          f"{WEIGHT!r} column and one column per parameter")
    weights = table[WEIGHT].to_numpy(dtype=float)
    if not np.isfinite(weights).all() or (weights < 0).any() or weights.sum() <= 0:
        raise ConfigError(f"{where}: weights must be finite, >= 0 and not all 0; allowed: a table "
                          "of weighted particles")
    paths = tuple(c for c in table.columns if c not in NOT_PARAMETERS)
    values = table[list(paths)].to_numpy(dtype=float)
    if not paths or not np.isfinite(values).all():
        raise ConfigError(f"{where}: no parameter columns, or values that are not finite; allowed: "
                          "one finite value per particle and parameter")
    cumulative = np.cumsum(weights) / weights.sum()
    cumulative[-1] = 1.0
    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    return Posterior(paths, values, cumulative, digest)
