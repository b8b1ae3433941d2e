"""Detection physics of monitoring assets: revisits, fusion of independent sources.

An asset that looks at a sector ``looks_per_day`` times a day, each look seeing an event with
probability ``p_detect`` unless it is obscured, and an event that stays observable for
``exposure_days``, detects it with the Poisson-revisit probability of :func:`revisit_detection`.
Independent assets combine as in :func:`fuse_independent`; verification needs corroboration, so the
chance that two or more sources see the same event (:func:`at_least_two`) matters too.
"""

from __future__ import annotations

import numpy as np


def revisit_detection(looks_per_day, p_detect, obscured, exposure_days):
    """Probability that at least one look detects an event.

    Parameters
    ----------
    looks_per_day : array_like
        Revisit rate of the sector (looks/day), >= 0.
    p_detect : array_like
        Probability that one unobscured look sees the event, in [0, 1].
    obscured : array_like
        Share of looks lost (cloud for optical sensors, jamming for drones), in [0, 1].
    exposure_days : array_like
        How long the event stays observable (days), > 0.

    Returns
    -------
    ndarray
        ``P = 1 - exp(-looks_per_day * p_detect * (1 - obscured) * exposure_days)``.

    Notes
    -----
    Looks arrive as a Poisson process; each sees the event independently, so the number of
    successful looks in the exposure window is Poisson with the mean in the exponent.

    Examples
    --------
    Two looks a day at 50% each, clear sky, one day of exposure:

    >>> float(revisit_detection(2.0, 0.5, 0.0, 1.0))
    0.6321205588285577
    """
    rate = np.multiply(looks_per_day, p_detect) * np.subtract(1.0, obscured)
    return -np.expm1(-rate * exposure_days)


def fuse_independent(p, axis=0):
    """Probability that at least one of several independent sources detects: ``1 - prod(1 - p_i)``.

    Examples
    --------
    >>> float(fuse_independent([0.5, 0.5]))
    0.75
    """
    return 1.0 - np.prod(np.subtract(1.0, p), axis=axis)


def at_least_two(p, axis=0):
    """Probability that two or more independent sources detect (needed for corroboration).

    Computed by the exact recursion over sources for ``P(none)`` and ``P(exactly one)``, so it holds
    for ``p_i = 1`` too.

    Examples
    --------
    >>> float(at_least_two([0.5, 0.5]))
    0.25
    >>> float(at_least_two([1.0, 1.0, 0.0]))
    1.0
    """
    p = np.moveaxis(np.asarray(p, dtype=float), axis, 0)
    none = np.ones(p.shape[1:])
    one = np.zeros(p.shape[1:])
    for p_i in p:  # over sources (a handful), never over events
        one = one * (1.0 - p_i) + none * p_i
        none = none * (1.0 - p_i)
    return 1.0 - none - one


def buildup_detection(q, looks_per_day, days=1.0):
    """Probability that at least one of ``looks_per_day * days`` looks sees a build-up.

    Each look sees it independently with probability ``q`` (the kind's law: the look's chance at
    full signature, scaled by the build-up's signature and what cloud or jamming take away), so
    ``P = 1 - (1 - q)**(looks_per_day * days)``; across independent assets, combine with
    :func:`fuse_independent`, giving ``1 - prod_i (1 - q_i)**(d looks_i)`` over ``d`` days.

    Examples
    --------
    Two passes a day at 30 %, for a week:

    >>> round(float(buildup_detection(0.3, 2.0, 7)), 4)
    0.9932
    """
    return 1.0 - np.power(np.subtract(1.0, q), np.multiply(looks_per_day, days))
