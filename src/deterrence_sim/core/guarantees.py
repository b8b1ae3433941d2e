"""Math of guarantee commitments: who honours, and how a coalition's decisions combine."""

from __future__ import annotations

from enum import Enum

import numpy as np


class DecisionRule(Enum):
    """How the guarantors' individual decisions combine into one response."""

    lead_nation = "lead_nation"
    majority = "majority"
    unanimity = "unanimity"


def honour_probability(political_will, bindingness):
    """Chance a guarantor honours: ``h = w + b (1 - w)``.

    Political will ``w`` carries it alone for a political promise (``b = 0``); a legally binding or
    automatic commitment raises it toward certainty.

    Examples
    --------
    >>> honour_probability(0.5, 0.0), honour_probability(0.5, 0.6)
    (0.5, 0.8)
    """
    return political_will + bindingness * (1.0 - political_will)


def coalition_decision(honours, rule):
    """Combine the guarantors' individual decisions (first axis) under a decision rule.

    ``lead_nation`` follows the first guarantor listed; ``majority`` needs more than half;
    ``unanimity`` needs all.

    Examples
    --------
    >>> import numpy as np
    >>> h = np.array([[True, False], [True, True], [False, True]])
    >>> coalition_decision(h, DecisionRule.lead_nation)
    array([ True, False])
    >>> coalition_decision(h, DecisionRule.majority)
    array([ True,  True])
    >>> coalition_decision(h, DecisionRule.unanimity)
    array([False, False])
    """
    if rule is DecisionRule.lead_nation:
        return honours[0].copy()
    if rule is DecisionRule.majority:
        return 2 * np.count_nonzero(honours, axis=0) > honours.shape[0]
    return np.all(honours, axis=0)
