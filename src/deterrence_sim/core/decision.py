"""Decision math of the aggressor: logit (quantal-response) choice and expected-utility deterrence.

The aggressor compares the utility of complying (0, less expected punishment after a false alarm),
a minor violation and a serious violation in every sector, and of a major offensive for the whole
theater. Choices follow a logit rule with temperature ``tau``; at ``tau = 0`` it is the exact best
response, ties going to the lower rung (compliance wins a tie).
"""

from __future__ import annotations

import numpy as np


def rung_probabilities(u_comply, u_minor, u_serious, temperature):
    """Logit probabilities of a minor and a serious violation, given the three utilities.

    Parameters
    ----------
    u_comply, u_minor, u_serious : ndarray
        Utilities of the three rungs, broadcastable to one shape.
    temperature : float or ndarray
        Decision noise ``tau >= 0`` (one per choice, or one for all);
        ``P(a) = exp(U_a / tau) / sum_b exp(U_b / tau)``, the best response where ``tau = 0``.

    Returns
    -------
    (p_minor, p_serious) : tuple of ndarray

    Examples
    --------
    >>> import numpy as np
    >>> rung_probabilities(np.zeros(1), np.zeros(1), np.zeros(1), 1.0)
    (array([0.33333333]), array([0.33333333]))
    >>> rung_probabilities(np.zeros(2), np.array([1.0, 0.0]), np.array([0.5, 0.0]), 0.0)
    (array([1., 0.]), array([0., 0.]))
    >>> rung_probabilities(np.zeros(2), np.ones(2), np.zeros(2), np.array([0.0, 1.0]))[0].round(3)
    array([1.   , 0.576])
    """
    t = np.asarray(temperature, dtype=np.asarray(u_minor).dtype)
    best_minor = (u_minor > u_comply) & (u_minor >= u_serious)
    best_serious = (u_serious > u_comply) & (u_serious > u_minor)
    if t.ndim == 0 and t == 0.0:
        return best_minor.astype(u_minor.dtype), best_serious.astype(u_serious.dtype)
    hot = t > 0.0
    t = np.where(hot, t, 1.0)
    top = np.maximum(np.maximum(u_comply, u_minor), u_serious)
    e0 = np.exp((u_comply - top) / t)
    e1 = np.exp((u_minor - top) / t)
    e2 = np.exp((u_serious - top) / t)
    total = e0 + e1 + e2
    if t.ndim == 0:
        return e1 / total, e2 / total
    return np.where(hot, e1 / total, best_minor), np.where(hot, e2 / total, best_serious)


def logit_probability(utility, temperature):
    """Probability of taking an action of ``utility`` against a status quo of 0: ``sigma(U / tau)``.

    At ``tau = 0`` it is 1 for ``U > 0`` and 0 otherwise; ``tau`` may differ per element.

    Examples
    --------
    >>> float(logit_probability(0.0, 2.0)), float(logit_probability(-1.0, 0.0))
    (0.5, 0.0)
    """
    utility = np.asarray(utility, dtype=float)
    t = np.asarray(temperature, dtype=float)
    if t.ndim == 0 and t == 0.0:
        return (utility > 0.0).astype(float)
    hot = t > 0.0
    p = 0.5 * (1.0 + np.tanh(utility / (2.0 * np.where(hot, t, 1.0))))
    return p if t.ndim == 0 else np.where(hot, p, (utility > 0.0).astype(float))


def p_win(force_ratio, steepness, required_ratio):
    """The aggressor's chance of winning a major offensive at attacker/defender ``force_ratio``.

    ``p_win = sigma(kappa * (ln(A/D) - ln(rho*)))``: one half at the rule-of-thumb ratio ``rho*``.

    Examples
    --------
    >>> float(p_win(3.0, 4.0, 3.0))
    0.5
    """
    x = steepness * (np.log(force_ratio) - np.log(required_ratio))
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def deterrence_credibility_threshold(gain, status_quo, punishment):
    """Smallest credibility ``q`` of a binding threat that deters an attack.

    An attack wins ``G`` if the threat is not carried out and loses ``P`` if it is; the status quo
    is worth ``U_sq``. Deterrence holds iff ``(1 - q) G - q P <= U_sq``, i.e.
    ``q >= (G - U_sq) / (G + P)`` (expected-utility deterrence, Schelling; Huth).

    Examples
    --------
    >>> deterrence_credibility_threshold(10.0, 0.0, 30.0)
    0.25
    """
    return (gain - status_quo) / (gain + punishment)


def inspection_detection_threshold(gain, sanction, false_alarm_rate, false_alarm_cost):
    """Smallest detection probability ``D`` at which an inspection can deter at all.

    The inspectee gains ``g`` from an undetected violation and loses ``s`` if caught; complying
    still costs ``h`` with false-alarm probability ``a``. Violation pays ``(1 - D) g - D s`` against
    ``-a h`` for compliance, so deterrence needs ``D > (g + a h) / (g + s)`` (Avenhaus et al.).

    Examples
    --------
    >>> inspection_detection_threshold(1.0, 3.0, 0.0, 0.0)
    0.25
    """
    return (gain + false_alarm_rate * false_alarm_cost) / (gain + sanction)
