"""Honouring probability and the coalition decision rules, against brute-force enumeration."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from deterrence_sim.config import DecisionRule
from deterrence_sim.core.guarantees import coalition_decision, honour_probability


def test_honour_probability_formula_and_limits():
    w = np.linspace(0.0, 1.0, 11)
    for b in (0.0, 0.3, 0.9):
        np.testing.assert_allclose(honour_probability(w, b), w + b * (1.0 - w), rtol=1e-12)
    np.testing.assert_allclose(honour_probability(w, 0.0), w)              # political: will alone
    assert honour_probability(1.0, 0.5) == 1.0                             # full will: always
    assert honour_probability(0.0, 0.6) == pytest.approx(0.6)              # no will: bindingness


def test_honour_probability_rises_with_will_and_bindingness():
    w = np.linspace(0.0, 0.99, 50)
    b = np.linspace(0.0, 0.99, 50)
    h = honour_probability(w[:, None], b[None, :])
    assert np.all(np.diff(h, axis=0) > 0) and np.all(np.diff(h, axis=1) > 0)
    assert np.all((h >= 0.0) & (h <= 1.0))


def _brute_force(votes: tuple[bool, ...], rule: DecisionRule) -> bool:
    if rule is DecisionRule.lead_nation:
        return votes[0]
    if rule is DecisionRule.majority:
        return sum(votes) > len(votes) / 2
    return all(votes)


@pytest.mark.parametrize("rule", list(DecisionRule))
@pytest.mark.parametrize("n_guarantors", [1, 2, 3, 4, 5])
def test_coalition_decision_matches_enumeration(rule, n_guarantors):
    combos = list(itertools.product((False, True), repeat=n_guarantors))
    honours = np.array(combos).T                                   # guarantors x combinations
    decided = coalition_decision(honours, rule)
    assert decided.dtype == bool
    assert decided.tolist() == [_brute_force(c, rule) for c in combos]


def test_majority_needs_strictly_more_than_half():
    tie = np.array([[True], [True], [False], [False]])
    assert not coalition_decision(tie, DecisionRule.majority)[0]


def test_lead_nation_result_does_not_alias_the_input():
    honours = np.array([[True, False], [False, False]])
    out = coalition_decision(honours, DecisionRule.lead_nation)
    out[:] = False
    assert honours[0].tolist() == [True, False]
