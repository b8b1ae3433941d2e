"""Slow variables: military capability and political will, advanced one day at a time."""

from __future__ import annotations

import numpy as np

#: Capabilities never fall below this, so force ratios stay finite.
MIN_CAPABILITY = 1e-3


def capability_step(capability, inflow, depreciation_per_day, losses):
    """Next day's capability: ``x + inflow - depreciation * x - losses``, floored at a small positive.

    With constant inflow the capability relaxes to ``inflow / depreciation`` on a time scale of
    ``1 / depreciation`` days.

    Examples
    --------
    >>> import numpy as np
    >>> capability_step(np.array([1.0]), 0.01, 0.01, 0.0)
    array([1.])
    >>> capability_step(np.array([1.0]), 0.0, 0.0, 5.0)
    array([0.001])
    """
    x = capability + inflow - depreciation_per_day * capability - losses
    return np.maximum(x, MIN_CAPABILITY)


def political_will_step(will, will0, rally, flagrant, fatigue, cost_today, tolerance_per_day, drift):
    """Next day's political will of a guarantor, clipped to [0, 1].

    ``w <- clip(w + rally * flagrant - fatigue * cost / tolerance - drift * (w - w0), 0, 1)``: it rallies
    after flagrant (verified serious) violations, erodes with cost relative to what the public
    tolerates, and drifts back to its baseline ``w0``.

    Examples
    --------
    >>> import numpy as np
    >>> political_will_step(np.array([0.5]), 0.5, 0.1, 2, 0.0, 0.0, 1.0, 0.0)
    array([0.7])
    >>> political_will_step(np.array([0.5]), 0.5, 0.0, 0, 0.1, 3.0, 1.0, 0.0)
    array([0.2])
    """
    w = will + rally * flagrant - fatigue * cost_today / tolerance_per_day - drift * (will - will0)
    return np.clip(w, 0.0, 1.0)


def project(capability, inflow, depreciation_per_day, days):
    """Capability ``days`` ahead under ``x' = inflow - depreciation * x`` (closed form), floored.

    ``x(H) = x* + (x - x*) (1 - depreciation)**H`` with ``x* = inflow / depreciation``; linear,
    ``x + inflow * H``, where nothing wears out. Every argument may be one value per replication.

    Examples
    --------
    >>> import numpy as np
    >>> project(np.array([1.0, 1.0]), 0.01, np.array([0.01, 0.0]), 100)
    array([1., 2.])
    """
    depreciation = np.asarray(depreciation_per_day, dtype=float)
    worn = depreciation > 0.0
    target = np.divide(inflow, np.where(worn, depreciation, 1.0))
    relaxed = target + (capability - target) * (1.0 - depreciation) ** days
    return np.maximum(np.where(worn, relaxed, capability + np.multiply(inflow, days)), MIN_CAPABILITY)
