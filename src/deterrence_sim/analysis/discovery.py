"""Scenario discovery: where in parameter space an outcome of interest happens (PRIM and CART).

Both methods take a table of points (one row per point, a column per parameter) and a 0/1 case of
interest per point, e.g. "this design's collapse risk exceeds 30 %", and describe the cases as
boxes, limits on a few parameters, judged by

- coverage: the share of all cases that fall in the box;
- density: the share of the points in the box that are cases;
- mass: the share of all points that fall in the box.

PRIM is implemented here from Friedman and Fisher (1999) (the EMA Workbench's PRIM depends on a
GPL-3 package, and the ``prim`` package is GPL-3); CART is scikit-learn's decision tree, imported
only when used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from deterrence_sim.analysis.outcomes import OUTCOMES, PARAM_PREFIX, check_outcomes

TRAJECTORY_COLUMNS = ("step", "coverage", "density", "mass", "n_points", "n_restricted")


@dataclass(frozen=True)
class Box:
    """A box of parameter space and how well it describes the cases.

    Attributes
    ----------
    limits : DataFrame
        One row per restricted parameter: ``parameter``, ``low``, ``high`` (the box is
        ``low <= x <= high``; a side that is not restricted holds the data's smallest or largest
        value) and ``rule``, the restriction as text (``0.2 <= a <= 0.5``, ``b >= 0.6``).
    coverage, density, mass : float
    n_points : int
        Points in the box.
    step : int
        The step of the peeling trajectory it comes from (PRIM), or the leaf (CART).
    pasted : bool
        Whether PRIM's pasting widened it after peeling.
    """

    limits: pd.DataFrame
    coverage: float
    density: float
    mass: float
    n_points: int
    step: int
    pasted: bool = False

    def __str__(self) -> str:
        rules = " and ".join(self.limits["rule"]) or "anywhere"
        return (f"{rules}: coverage {self.coverage:.2f}, density {self.density:.2f}, "
                f"mass {self.mass:.2f}")


@dataclass(frozen=True)
class PrimResult:
    """PRIM's peeling trajectory and the box chosen from it.

    Attributes
    ----------
    trajectory : DataFrame
        One row per peeling step (step 0 is the whole space): ``step``, ``coverage``,
        ``density``, ``mass``, ``n_points``, ``n_restricted`` (parameters restricted).
    box : Box
        The chosen box, after pasting (see :func:`prim`).
    lows, highs : ndarray
        The limits of every step's box, shape (steps, parameters), for :meth:`select`.
    """

    trajectory: pd.DataFrame
    box: Box
    x: pd.DataFrame
    y: np.ndarray
    lows: np.ndarray
    highs: np.ndarray
    paste_alpha: float

    def select(self, min_density: float, paste: bool = True) -> Box:
        """The box of largest coverage whose density is at least ``min_density``, pasted.

        Raises
        ------
        ValueError
            If no step reaches ``min_density``.
        """
        return self.box_at(_step_for(self.trajectory, min_density), paste=paste)

    def box_at(self, step: int, paste: bool = False) -> Box:
        """The box of peeling step ``step``, pasted if ``paste``."""
        return _box_at(self.x, self.y, self.lows[step], self.highs[step], step,
                       self.paste_alpha if paste else None)


def prim(x: pd.DataFrame, y, *, min_density: float | None = None, alpha: float = 0.05,
         paste_alpha: float = 0.05, min_mass: float = 0.05) -> PrimResult:
    """Patient Rule Induction Method: peel a box towards the cases, then paste it back out.

    Parameters
    ----------
    x : DataFrame
        One row per point, one numeric column per parameter.
    y : array_like
        The case of interest per point (bool or 0/1; any non-negative number works, PRIM then
        seeks a high mean).
    min_density : float, optional
        Choose the box of largest coverage with at least this density (:meth:`PrimResult.select`);
        by default the densest box (of those, the largest).
    alpha : float, default 0.05
        Peeling quantile: each step removes about this share of the box's points.
    paste_alpha : float, default 0.05
        Pasting quantile: each paste adds about this share of the box's points.
    min_mass : float, default 0.05
        Stop peeling before the box holds less than this share of all points.

    Returns
    -------
    PrimResult

    Raises
    ------
    ValueError
        If ``x`` is not numeric or holds NaN, ``y`` has the wrong length, a negative or missing
        value, or no case at all; or ``alpha``, ``paste_alpha``, ``min_mass`` are out of (0, 1).

    Notes
    -----
    Peeling (Friedman and Fisher 1999): for each parameter j, two candidate boxes remove the
    points of the current box below its :math:`α` quantile, or above its :math:`1 - α` quantile,
    of :math:`x_j` (at least one point). The candidate with the highest mean of y is taken (of
    equals, the one keeping more points), provided it keeps at least ``min_mass`` of all points;
    peeling stops when no candidate does. Each step is a row of the trajectory; steps trade
    coverage for density (once the density cannot rise any more, only coverage is lost).

    Pasting: from the chosen box, for each parameter and side, widen the box to take in the
    ``paste_alpha`` share (of the box's count, at least one point) of the nearest points outside
    that side and inside every other limit; take the widening with the highest mean, as long as
    the mean does not fall. This undoes peels that went too far, which the greedy peeling cannot.

    With all points cases, every step has density 1 and the box chosen is the whole space (no
    parameter restricted, coverage 1).

    References
    ----------
    Friedman, J. H. and Fisher, N. I. (1999). Bump hunting in high-dimensional data. Statistics
    and Computing 9, 123-143.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = pd.DataFrame(rng.random((2000, 2)), columns=["a", "b"])
    >>> res = prim(x, (x["a"] > 0.7) & (x["b"] < 0.4))
    >>> res.box.limits[["parameter", "low", "high"]].round(1).values.tolist()
    [['a', 0.7, 1.0], ['b', 0.0, 0.4]]
    >>> round(res.box.density, 2), round(res.box.coverage, 2)
    (1.0, 1.0)
    """
    X, yv = _checked(x, y)
    for name, value in (("alpha", alpha), ("paste_alpha", paste_alpha), ("min_mass", min_mass)):
        if not 0 < value < 1:
            raise ValueError(f"{name}: invalid value {value!r}; allowed: a share in (0, 1)")
    n = len(yv)
    inside = np.ones(n, dtype=bool)
    lo, hi = X.min(axis=0), X.max(axis=0)
    lows, highs = [lo.copy()], [hi.copy()]
    while True:
        best = None  # (mean, kept, j, keep-mask)
        idx = np.flatnonzero(inside)
        k = max(1, int(alpha * idx.size))
        for j in range(X.shape[1]):
            v = X[idx, j]
            part = np.partition(v, (k - 1, v.size - k))
            for keep in (v > part[k - 1], v < part[v.size - k]):
                kept = int(keep.sum())
                if kept == 0 or kept == v.size or kept < min_mass * n:
                    continue
                mean = yv[idx[keep]].mean()
                if best is None or (mean, kept) > (best[0], best[1]):
                    best = (mean, kept, j, keep)
        if best is None:
            break
        _, _, j, keep = best
        inside[idx[~keep]] = False
        lo[j], hi[j] = X[inside, j].min(), X[inside, j].max()
        lows.append(lo.copy())
        highs.append(hi.copy())
    full_lo, full_hi = lows[0], highs[0]
    rows = []
    for step, (a, b) in enumerate(zip(lows, highs, strict=True)):
        m = _inside(X, a, b)
        rows.append({"step": step, "coverage": yv[m].sum() / yv.sum(), "density": yv[m].mean(),
                     "mass": m.mean(), "n_points": int(m.sum()),
                     "n_restricted": int(np.sum((a > full_lo) | (b < full_hi)))})
    trajectory = pd.DataFrame(rows, columns=list(TRAJECTORY_COLUMNS))
    step = _step_for(trajectory, trajectory["density"].max() if min_density is None else min_density)
    box = _box_at(x, yv, lows[step], highs[step], step, paste_alpha)
    return PrimResult(trajectory, box, x, yv, np.array(lows), np.array(highs), paste_alpha)


@dataclass(frozen=True)
class CartResult:
    """A fitted classification tree and its leaves read as boxes.

    Attributes
    ----------
    leaves : DataFrame
        One row per leaf, densest first: ``leaf``, ``rule`` (text), ``n_points``, ``mass``,
        ``coverage``, ``density``, ``predicted`` (the tree's class: a case or not).
    limits : DataFrame
        The leaves' limits, one row per leaf and restricted parameter: ``leaf``, ``parameter``,
        ``low``, ``high`` (``-inf``/``inf`` on an open side).
    tree : sklearn.tree.DecisionTreeClassifier
    """

    leaves: pd.DataFrame
    limits: pd.DataFrame
    tree: object

    def box(self, leaf: int | None = None) -> Box:
        """A leaf as a :class:`Box` (by default the densest leaf predicted to be a case)."""
        leaves = self.leaves
        rows = leaves[leaves["predicted"]] if leaf is None else leaves[leaves["leaf"] == leaf]
        if rows.empty:
            allowed = ", ".join(map(str, leaves["leaf"])) if leaf is not None else "a tree with a case leaf"
            raise ValueError(f"leaf: invalid value {leaf!r}; allowed: {allowed}")
        r = rows.iloc[0]
        lim = self.limits[self.limits["leaf"] == r["leaf"]].drop(columns="leaf")
        lim = lim.assign(rule=[_rule(p, lo, hi, np.isfinite(lo), np.isfinite(hi), "<")
                               for p, lo, hi in lim[["parameter", "low", "high"]].itertuples(index=False)])
        return Box(lim.reset_index(drop=True), float(r["coverage"]), float(r["density"]), float(r["mass"]),
                   int(r["n_points"]), int(r["leaf"]))


def cart(x: pd.DataFrame, y, *, max_depth: int = 4, min_leaf: float = 0.02,
         random_state: int = 0) -> CartResult:
    """A shallow classification tree of the cases (scikit-learn's CART), read as boxes.

    Parameters
    ----------
    x : DataFrame
        One row per point, one numeric column per parameter.
    y : array_like of bool
        The case of interest per point.
    max_depth : int, default 4
        Depth of the tree: a box limited on both sides in two parameters needs 4.
    min_leaf : float, default 0.02
        Smallest leaf, as a share of the points (``min_samples_leaf``).
    random_state : int, default 0
        Seed of the tree's tie-breaking among equally good splits: the same tree every time.

    Returns
    -------
    CartResult

    Notes
    -----
    Gini impurity, the tree's split points lie halfway between neighbouring data values (so a
    leaf's limits are ``low < x <= high``). A leaf is a box; its coverage, density and mass are
    computed as for PRIM.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = pd.DataFrame(rng.random((1000, 2)), columns=["a", "b"])
    >>> res = cart(x, x["a"] > 0.6, max_depth=1)
    >>> res.leaves[["rule", "density", "predicted"]].round(2).values.tolist()
    [['a > 0.6', 1.0, True], ['a <= 0.6', 0.0, False]]
    """
    X, yv = _checked(x, y)
    if not 0 < min_leaf < 0.5:
        raise ValueError(f"min_leaf: invalid value {min_leaf!r}; allowed: a share of the points in (0, 0.5)")
    if not np.isin(yv, (0.0, 1.0)).all():
        raise ValueError("y: invalid values; allowed: bool or 0/1 (CART classifies cases)")
    from sklearn.tree import DecisionTreeClassifier

    tree = DecisionTreeClassifier(max_depth=max_depth, min_samples_leaf=min_leaf, random_state=random_state)
    tree.fit(X, yv.astype(int))
    t = tree.tree_
    names = list(map(str, x.columns))
    leaf_of = tree.apply(X)
    rows, limits = [], []
    stack = [(0, np.full(len(names), -np.inf), np.full(len(names), np.inf))]
    while stack:
        node, lo, hi = stack.pop()
        left, right = t.children_left[node], t.children_right[node]
        if left == right:  # a leaf
            m = leaf_of == node
            restricted = np.isfinite(lo) | np.isfinite(hi)
            rule = " and ".join(_rule(names[j], lo[j], hi[j], np.isfinite(lo[j]), np.isfinite(hi[j]), "<")
                                for j in np.flatnonzero(restricted)) or "anywhere"
            rows.append({"leaf": int(node), "rule": rule, "n_points": int(m.sum()), "mass": m.mean(),
                         "coverage": yv[m].sum() / yv.sum() if yv.sum() else np.nan,
                         "density": yv[m].mean() if m.any() else np.nan,
                         "predicted": bool(tree.classes_[np.argmax(t.value[node][0])] == 1)})
            limits += [{"leaf": int(node), "parameter": names[j], "low": lo[j], "high": hi[j]}
                       for j in np.flatnonzero(restricted)]
            continue
        j, cut = t.feature[node], t.threshold[node]
        lo_r, hi_l = lo.copy(), hi.copy()
        hi_l[j], lo_r[j] = min(hi[j], cut), max(lo[j], cut)
        stack += [(right, lo_r, hi.copy()), (left, lo.copy(), hi_l)]
    leaves = (pd.DataFrame(rows).sort_values(["density", "n_points"], ascending=False, kind="stable")
              .reset_index(drop=True))
    return CartResult(leaves, pd.DataFrame(limits, columns=["leaf", "parameter", "low", "high"]), tree)


@dataclass(frozen=True)
class FailureConditions:
    """Where an outcome exceeds a threshold: the question, PRIM's answer and CART's."""

    outcome: str
    threshold: float
    n_points: int
    n_cases: int
    prim: PrimResult
    cart: CartResult

    @property
    def box(self) -> Box:
        """PRIM's chosen box."""
        return self.prim.box


def failure_conditions(points: pd.DataFrame, threshold: float, outcome: str = "collapse_risk", *,
                       parameters: Sequence[str] | None = None, min_density: float = 0.8,
                       **prim_options) -> FailureConditions:
    """The conditions under which a design's outcome exceeds ``threshold`` (PRIM and CART).

    Parameters
    ----------
    points : DataFrame
        One design's points (:func:`~deterrence_sim.analysis.outcomes.point_outcomes`): the
        ``param.<path>`` columns and the outcome; run it once per design to compare designs.
    threshold : float
        A point is a case when its outcome is above this, e.g. a collapse risk above 0.3.
    outcome : str, default "collapse_risk"
        One of :data:`~deterrence_sim.analysis.outcomes.OUTCOMES`.
    parameters : sequence of str, optional
        Parameter paths to search over; by default every ``param.`` column that varies. The boxes
        name the paths without the ``param.`` prefix.
    min_density : float, default 0.8
        PRIM's box: the largest coverage with at least this density (or the densest box if no
        step reaches it).
    **prim_options
        ``alpha``, ``paste_alpha``, ``min_mass`` of :func:`prim`.

    Returns
    -------
    FailureConditions

    Raises
    ------
    ValueError
        If the outcome is unknown or missing, or no point's outcome exceeds ``threshold``.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> pts = pd.DataFrame(rng.random((1000, 2)), columns=["param.attack.temperature", "param.x"])
    >>> pts["collapse_risk"] = np.where(pts["param.attack.temperature"] > 0.8, 0.6, 0.1)
    >>> found = failure_conditions(pts, threshold=0.3, min_density=1.0)
    >>> print(found.box)
    attack.temperature >= 0.8: coverage 1.00, density 1.00, mass 0.19
    >>> found.cart.leaves.loc[0, "rule"]
    'attack.temperature > 0.8'

    """
    (name,) = check_outcomes(outcome)
    if name not in points.columns:
        raise ValueError(f"outcome: {name!r} is not a column of points; allowed: "
                         f"{', '.join(c for c in OUTCOMES if c in points.columns) or 'an outcome column'}")
    if parameters is None:
        columns = [c for c in points.columns if str(c).startswith(PARAM_PREFIX) and points[c].nunique() > 1]
    else:
        columns = [c if c in points.columns else f"{PARAM_PREFIX}{c}" for c in parameters]
        unknown = [p for p, c in zip(parameters, columns, strict=True) if c not in points.columns]
        if unknown:
            raise ValueError(f"parameters: invalid value {unknown[0]!r}; allowed: "
                             f"{', '.join(_paths(points)) or 'a param. column of points'}")
    if not columns:
        raise ValueError("parameters: no parameter varies across the points; allowed: points with "
                         "param.<path> columns that vary")
    values = points[name].to_numpy(float)
    cases = values > threshold
    if not cases.any():
        raise ValueError(f"threshold: invalid value {threshold!r}; allowed: below the highest {name} of "
                         f"any point ({np.nanmax(values):.3g}), so that some points are cases")
    x = points[columns].rename(columns=lambda c: str(c).removeprefix(PARAM_PREFIX))
    found = prim(x, cases, **prim_options)
    if found.trajectory["density"].max() >= min_density:
        found = replace(found, box=found.select(min_density))
    return FailureConditions(name, float(threshold), len(points), int(cases.sum()), found, cart(x, cases))


def _checked(x: pd.DataFrame, y) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(x, pd.DataFrame) or x.shape[1] == 0 or len(x) == 0:
        raise ValueError("x: invalid value; allowed: a DataFrame with a row per point and a numeric "
                         "column per parameter")
    text = [c for c in x.columns if not pd.api.types.is_numeric_dtype(x[c])]
    if text:
        raise ValueError(f"x: column {text[0]!r} is not numeric; allowed: numeric parameters")
    X = x.to_numpy(float)
    if not np.isfinite(X).all():
        raise ValueError(f"x: {int((~np.isfinite(X)).any(axis=1).sum())} points have a missing or infinite "
                         "value; allowed: finite numbers")
    yv = np.asarray(y, dtype=float).ravel()
    if yv.size != len(x):
        raise ValueError(f"y: {yv.size} values; allowed: one per point of x ({len(x)})")
    if not np.isfinite(yv).all() or (yv < 0).any():
        raise ValueError("y: invalid values; allowed: finite, non-negative numbers (bool or 0/1 for cases)")
    if yv.sum() == 0:
        raise ValueError("y: no point is a case (all 0); allowed: at least one case to describe")
    return X, yv


def _step_for(trajectory: pd.DataFrame, min_density: float) -> int:
    """The step of largest coverage (the first of equals) with at least ``min_density``."""
    ok = trajectory.index[trajectory["density"] >= min_density - 1e-12]
    if not len(ok):
        best = trajectory.loc[trajectory["density"].idxmax()]
        raise ValueError(f"min_density: invalid value {min_density!r}; allowed: at most the highest "
                         f"density of the trajectory, {best['density']:.3f} (step {int(best['step'])})")
    return int(trajectory.loc[ok, "coverage"].idxmax())


def _inside(X: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return np.all((X >= lo) & (X <= hi), axis=1)


def _paste(X: np.ndarray, y: np.ndarray, lo: np.ndarray, hi: np.ndarray, alpha: float):
    """Widen the box one side at a time while its mean does not fall (see :func:`prim`)."""
    while True:
        inside = _inside(X, lo, hi)
        mean, n_box = y[inside].mean(), int(inside.sum())
        k = max(1, int(alpha * n_box))
        best = None  # (mean, j, side, new limit)
        for j in range(X.shape[1]):
            others = np.all(np.delete((X >= lo) & (X <= hi), j, axis=1), axis=1)
            for side in ("low", "high"):
                outside = others & ((X[:, j] < lo[j]) if side == "low" else (X[:, j] > hi[j]))
                v = X[outside, j]
                if not v.size:
                    continue
                limit = np.sort(v)[-min(k, v.size)] if side == "low" else np.sort(v)[min(k, v.size) - 1]
                added = outside & ((X[:, j] >= limit) if side == "low" else (X[:, j] <= limit))
                new_mean = (y[inside].sum() + y[added].sum()) / (n_box + added.sum())
                if best is None or new_mean > best[0]:
                    best = (new_mean, j, side, limit)
        if best is None or best[0] < mean:
            return lo, hi
        _, j, side, limit = best
        if side == "low":
            lo[j] = limit
        else:
            hi[j] = limit


def _box_at(x: pd.DataFrame, y: np.ndarray, lo: np.ndarray, hi: np.ndarray, step: int,
            paste_alpha: float | None) -> Box:
    """The box ``lo <= x <= hi`` of peeling step ``step``, pasted unless ``paste_alpha`` is None."""
    X = x.to_numpy(float)
    pasted = False
    if paste_alpha is not None:
        new_lo, new_hi = _paste(X, y, lo.copy(), hi.copy(), paste_alpha)
        pasted = bool(np.any(new_lo != lo) or np.any(new_hi != hi))
        lo, hi = new_lo, new_hi
    full_lo, full_hi = X.min(axis=0), X.max(axis=0)
    m = _inside(X, lo, hi)
    rows = [{"parameter": str(name), "low": float(lo[j]), "high": float(hi[j]),
             "rule": _rule(str(name), lo[j], hi[j], lo[j] > full_lo[j], hi[j] < full_hi[j], "<=")}
            for j, name in enumerate(x.columns) if lo[j] > full_lo[j] or hi[j] < full_hi[j]]
    return Box(pd.DataFrame(rows, columns=["parameter", "low", "high", "rule"]), float(y[m].sum() / y.sum()),
               float(y[m].mean()), float(m.mean()), int(m.sum()), step, pasted)


def _rule(name: str, lo: float, hi: float, low_set: bool, high_set: bool, lower: str) -> str:
    """``0.2 <= a <= 0.5``, ``a >= 0.2`` or ``a <= 0.5`` (CART: ``0.2 < a <= 0.5``), 3 significant digits."""
    if low_set and high_set:
        return f"{lo:.3g} {lower} {name} <= {hi:.3g}"
    if low_set:
        return f"{name} {'>=' if lower == '<=' else '>'} {lo:.3g}"
    return f"{name} <= {hi:.3g}"


def _paths(points: pd.DataFrame) -> list[str]:
    return [str(c).removeprefix(PARAM_PREFIX) for c in points.columns if str(c).startswith(PARAM_PREFIX)]
