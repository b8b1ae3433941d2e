"""Math of the escalation ladder after a direct clash: incident, limited exchange, wider war.

A clash between a guarantor's forces and the aggressor puts the pair on rung 1 (an incident). On
each rung below the top, the aggressor chooses to go up or to back down, and if it goes up the
guarantors choose to match or to back down; both matching at rung 2 is a wider war (rung 3).
Going up from rung ``k`` risks the share ``k / 2`` of what a wider war would cost (half of it from
an incident, all of it from a limited exchange, where matching means war); standing firm is worth
the side's resolve. Choices follow the logit rule of :mod:`~deterrence_sim.core.decision`.
"""

from __future__ import annotations

import numpy as np

WIDER_WAR = 3
"""The top rung: a wider war between the guarantors and the aggressor."""


def escalation_utility(resolve, wider_war_loss, rung):
    """Utility of going up from ``rung`` rather than backing down: ``resolve - (rung / 2) * loss``.

    Examples
    --------
    >>> float(escalation_utility(6.0, 60.0, 1)), float(escalation_utility(6.0, 60.0, 2))
    (-24.0, -54.0)
    """
    return np.subtract(resolve, np.multiply(np.divide(rung, 2.0), wider_war_loss))


def wider_war_probability(aggressor_up, guarantors_match):
    """Chance that a clash ends in a wider war: both sides go up at rung 1 and again at rung 2.

    ``aggressor_up`` and ``guarantors_match`` are pairs (rung 1, rung 2) of probabilities.

    Examples
    --------
    >>> wider_war_probability((0.5, 0.2), (0.8, 0.5))
    0.04
    """
    (a1, a2), (g1, g2) = aggressor_up, guarantors_match
    return a1 * g1 * a2 * g2
