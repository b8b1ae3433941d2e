"""Beta-Bernoulli beliefs with forgetting: how the aggressor learns what monitoring and guarantees do.

A belief is a Beta(alpha, beta) over a probability (of being detected, of a commitment being
honoured). After each observed trial the pseudo-counts are discounted by the forgetting factor
``lam`` and the outcome is added: ``alpha <- lam * alpha + x``, ``beta <- lam * beta + (1 - x)``.
With ``lam = 1`` this is the exact conjugate update, ``Beta(a, b) -> Beta(a + 1, b)`` after a success.
"""

from __future__ import annotations

import numpy as np


def beta_update(alpha, beta, outcome, forgetting=1.0):
    """Updated ``(alpha, beta)`` after observing Bernoulli ``outcome`` (bool or 0/1 array).

    Examples
    --------
    >>> beta_update(2.0, 3.0, True)
    (3.0, 3.0)
    >>> beta_update(2.0, 3.0, False)
    (2.0, 4.0)
    >>> beta_update(2.0, 3.0, True, forgetting=0.5)
    (2.0, 1.5)
    """
    x = np.asarray(outcome, dtype=float)
    new_alpha = forgetting * np.asarray(alpha, dtype=float) + x
    new_beta = forgetting * np.asarray(beta, dtype=float) + (1.0 - x)
    if np.ndim(new_alpha) == 0:
        return float(new_alpha), float(new_beta)
    return new_alpha, new_beta


def beta_mean(alpha, beta):
    """Mean ``alpha / (alpha + beta)`` of a Beta belief.

    Examples
    --------
    >>> float(beta_mean(1.0, 3.0))
    0.25
    """
    return np.divide(alpha, np.add(alpha, beta))
