"""What the report of an exploration says: what drives the outcome, and where each design fails.

:func:`build_exploration_document` reads an :class:`~deterrence_sim.analysis.explorations.Exploration`
and returns a :class:`~deterrence_sim.report.document.Document` of four sections: what was run, what
drives the outcome (Sobol' indices at N/2 and N, Morris μ* and σ, or the one-at-a-time tornado; the
response curves in numeric order), where each design fails (PRIM's box with its coverage/density
trade-off, CART's rules) and the limitations. ``deterrence-sim-explore`` writes the same figures
into the exploration's ``figures/``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from deterrence_sim.analysis.discovery import FailureConditions
from deterrence_sim.analysis.explorations import (
    DESIGN_COLUMN,
    Exploration,
    exploration_indices,
    failures,
    parameter_table,
    ranking,
    response_curves,
)
from deterrence_sim.analysis.outcomes import OUTCOMES
from deterrence_sim.report import explore_figures as figs
from deterrence_sim.report.document import Bullets, Document, Figure, Paragraph, Section, Table, slug

METHOD_TEXT = {
    "sobol": "Sobol' indices (Saltelli's design, first-order S1 and total ST, bootstrap 95% intervals)",
    "morris": "Morris elementary effects (μ*: mean absolute effect, σ: their spread)",
    "oat": "one at a time around the base case (the tornado), paired on common random numbers",
    "lhs": "a Latin hypercube sample, for scenario discovery",
    "sobol_sequence": "a scrambled Sobol' sequence, for scenario discovery",
}


def build_exploration_document(expl: Exploration, indices: pd.DataFrame | None = None,
                               found: dict[str, FailureConditions | str] | None = None) -> Document:
    """The report of an exploration (``indices`` and ``found`` are computed if not given)."""
    indices = exploration_indices(expl) if indices is None else indices
    found = failures(expl) if found is None else found
    cfg = expl.manifest["explore"]
    n = len(expl.design)
    return Document(
        title=f"Exploration '{cfg['name']}': what drives the outcome, and where each design fails",
        subtitle=(f"{METHOD_TEXT[expl.method]}; {len(expl.parameters)} parameters, {n:,} points × "
                  f"{len(expl.designs)} design(s) × {expl.manifest['replications_per_point']} replications; "
                  f"horizon {expl.horizon} days; folder {expl.path}"),
        sections=[run_section(expl), drivers_section(expl, indices), failures_section(expl, found),
                  limitations_section(expl)])


def run_section(expl: Exploration) -> Section:
    """The method, the parameters and their ranges, the designs, seeds and versions."""
    m, info = expl.manifest, expl.info
    settings = [("method", expl.method), ("N (sample size)", "–" if info.method == "oat" else f"{info.n:,}"),
                ("points per "
                 "design", f"{len(expl.design):,}"), ("designs (guarantee)", ", ".join(expl.designs)),
                ("replications per point", str(m["replications_per_point"])),
                ("replications in total", f"{len(expl.runs):,}"), ("horizon (days)", str(expl.horizon)),
                ("seed of the design", str(m["seed"]["design"])),
                ("seed of the simulation", str(m["seed"]["simulation"])),
                ("scenario overrides", " ".join(m.get("overrides") or []) or "none"),
                ("calibration", expl.calibration),
                ("outcomes", ", ".join(expl.outcomes)), ("git revision", str(m.get("git_revision"))),
                ("deterrence-sim", str(m.get("versions", {}).get("deterrence-sim")))]
    params = parameter_table(expl)
    shown = params.assign(low=params["low"].map(_g), high=params["high"].map(_g))
    if "base" in shown:
        shown["base"] = shown["base"].map(_g)
    blocks = [Paragraph("Every point sets the uncertain parameters below in all of its replications; the "
                        f"same points run under each design ({', '.join(expl.designs)}), and replication j "
                        "of every point under every design meets the same random numbers (common random "
                        f"numbers), so designs and points are compared pair by pair. {_design_text(expl)}"),
              Table("settings", "Settings", pd.DataFrame(settings, columns=["setting", "value"])),
              Table("parameters", "Uncertain parameters and their ranges (sampled uniformly)", shown, params)]
    if params["rounded"].any():
        blocks.append(Paragraph("Whole-number parameters are rounded to the nearest whole number at each "
                                "point: " + ", ".join(params.loc[params["rounded"], "parameter"]) + "."))
    return Section("What was run", blocks)


def _design_text(expl: Exploration) -> str:
    info, d = expl.info, len(expl.parameters)
    if info.method == "sobol":
        return (f"Saltelli's design of base size N = {info.n} has N(D + 2) = {len(expl.design):,} points for "
                f"D = {d}; its first N/2 blocks are the design of size N/2, so the indices are also given at "
                f"N/2 = {info.n // 2} as a check of convergence.")
    if info.method == "morris":
        return (f"{info.n} Morris trajectories on a grid of {info.levels} levels: r(D + 1) = "
                f"{len(expl.design):,} points.")
    if info.method == "oat":
        return ("Point 0 is the base case; each parameter is then set to its low and its high end: 1 + 2D = "
                f"{1 + 2 * d} points.")
    return f"{len(expl.design):,} points spread over the parameter space."


def drivers_section(expl: Exploration, indices: pd.DataFrame) -> Section:
    """What drives the outcome: the ranking per design and outcome, its figure, the response curves."""
    blocks: list = []
    if indices.empty:
        blocks.append(Paragraph(f"A {expl.method} design is for scenario discovery and gives no importance "
                                "indices; the response curves below show each parameter's effect on its "
                                "own."))
    else:
        blocks.append(Paragraph(_reading(expl.method)))
    for outcome in expl.outcomes if not indices.empty else []:
        for design in expl.designs:
            top = ranking(indices, design, outcome)
            label = f"{figs.outcome_label(outcome)} under {design}"
            if top.empty or expl.design_points(design)[outcome].nunique() <= 1:
                blocks.append(Paragraph(f"{label}: the outcome is the same at every point "
                                        f"({_constant(expl, design, outcome)}), so no parameter drives it."))
                continue
            blocks.append(Table(f"ranking_{slug(design)}_{outcome}", f"What drives {label}",
                                _ranking_display(top, expl.method), top))
            rows = indices[(indices[DESIGN_COLUMN] == design) & (indices["outcome"] == outcome)]
            blocks.append(_driver_figure(expl.method, rows, design, outcome, label))
    if expl.method != "oat":
        outcome = expl.manifest["explore"]["failure_outcome"]
        if outcome in expl.outcomes:
            blocks.append(Paragraph(f"Response curves: {figs.outcome_label(outcome)} against each "
                                    "parameter's value (numeric axis; continuous designs in bins of about "
                                    "equal count), averaged over the other parameters, one line per design, "
                                    "95% intervals."))
            for parameter, curve in response_curves(expl, outcome).items():
                blocks.append(Figure(f"response_{outcome}_{slug(parameter)}",
                                     f"{figs.outcome_label(outcome)} by {parameter}",
                                     figs.response_curve_figure(curve, parameter, by=DESIGN_COLUMN)))
    return Section("What drives the outcome", blocks)


def _reading(method: str) -> str:
    if method == "sobol":
        return ("S1 is the share of the outcome's variance that a parameter explains alone, ST the share it "
                "explains with all its interactions; parameters are ranked by ST at the largest N. An ST "
                "interval that includes 0 means the parameter may not matter at all; the indices at N/2 "
                "show whether N was large enough (they should agree within their intervals). The outcome of "
                "a point is estimated from a few replications: that noise is shared out as if it were "
                "interaction, so small ST values are not to be read closely.")
    if method == "morris":
        return ("μ* ranks the parameters by the mean absolute change in the outcome when the parameter "
                "moves one grid step (in units of its range); σ above μ* flags an effect that depends on "
                "the other parameters or is not linear.")
    return ("Each bar is the paired change in the outcome from the base case when one parameter moves to "
            "the low or high end of its range (Agresti–Min or paired-t 95% intervals); parameters are "
            "ranked by the swing between the two ends.")


def _ranking_display(top: pd.DataFrame, method: str) -> pd.DataFrame:
    if method == "sobol":
        return pd.DataFrame({"rank": np.arange(1, len(top) + 1), "parameter": top["parameter"],
                             "ST [95% CI]": _triples(top, "ST"), "S1 [95% CI]": _triples(top, "S1"),
                             f"ST at N = {int(top['n'].min()) // 2 or 1}": top["ST_half"].map(_f)})
    if method == "morris":
        return pd.DataFrame({"rank": np.arange(1, len(top) + 1), "parameter": top["parameter"],
                             "μ* [95% CI]": _triples(top, "mu_star"), "μ": top["mu"].map(_f),
                             "σ": top["sigma"].map(_f)})
    return pd.DataFrame({"rank": np.arange(1, len(top) + 1), "parameter": top["parameter"],
                         "range": [f"[{_g(a)}, {_g(b)}]"
                                   for a, b in zip(top["low"], top["high"], strict=True)],
                         "at low": top["at_low"].map(_f), "at base": top["at_base"].map(_f),
                         "at high": top["at_high"].map(_f),
                         "swing [95% CI]": [f"{_f(s)} [{_f(lo)}, {_f(hi)}]" for s, lo, hi in
                                            zip(top["swing"], top["swing_ci_low"], top["swing_ci_high"],
                                                strict=True)]})


def _driver_figure(method: str, rows: pd.DataFrame, design: str, outcome: str, label: str) -> Figure:
    name = f"{'tornado' if method == 'oat' else method}_{slug(design)}_{outcome}"
    if method == "sobol":
        return Figure(name, f"Sobol' indices of {label}, at N/2 and N, with 95% intervals",
                      figs.sobol_figure(rows, title=f"Sobol' indices: {label}"))
    if method == "morris":
        return Figure(name, f"Morris screening of {label}: μ* against σ",
                      figs.morris_figure(rows, title=f"Morris screening: {label}"))
    return Figure(name, f"Tornado of {label}", figs.tornado_figure(rows, title=f"One at a time: {label}"))


def failures_section(expl: Exploration, found: dict[str, FailureConditions | str]) -> Section:
    """Where each design fails: PRIM's chosen box (limits, coverage, density), its trade-off, CART's rules."""
    cfg = expl.manifest["explore"]
    outcome, threshold = cfg["failure_outcome"], cfg["failure_threshold"]
    blocks: list = [Paragraph(
        f"A point fails under a design when its {figs.outcome_label(outcome)} exceeds {threshold:g}. PRIM "
        "(Friedman and Fisher's patient rule induction) peels the parameter space towards the failing "
        "points and pastes back what it peeled too far; the box shown is the one of largest coverage (the "
        "share of all failing points inside it) whose density (the share of its points that fail) reaches "
        "0.8, or the densest one. CART (a shallow classification tree) describes the same points as rules; "
        "its leaves that predict failure are listed, densest first.")]
    for design, res in found.items():
        if isinstance(res, str):
            blocks.append(Paragraph(f"{design}: {res}."))
            continue
        box = res.box
        rules = " and ".join(box.limits["rule"]) or "anywhere in the explored space"
        blocks.append(Paragraph(f"{design}: {res.n_cases} of {res.n_points} points fail. PRIM's box: {rules} "
                                f"(coverage {box.coverage:.2f}, density {box.density:.2f}, mass "
                                f"{box.mass:.2f}: {box.n_points} points)."))
        limits = box.limits.assign(low=box.limits["low"].map(_g), high=box.limits["high"].map(_g))
        blocks.append(Table(f"prim_{slug(design)}", f"PRIM's box for {design}: the restricted parameters",
                            limits[["parameter", "low", "high", "rule"]], box.limits))
        blocks.append(Figure(f"prim_{slug(design)}",
                             f"PRIM's peeling trajectory for {design}: coverage against density; the chosen "
                             "box ringed",
                             figs.prim_tradeoff_figure(res.prim.trajectory, chosen=box.step,
                                                       title=f"PRIM: where {design} fails")))
        leaves = res.cart.leaves[res.cart.leaves["predicted"]]
        shown = pd.DataFrame({"rule": leaves["rule"], "points": leaves["n_points"],
                              "coverage": leaves["coverage"].map(_f), "density": leaves["density"].map(_f)})
        blocks.append(Table(f"cart_{slug(design)}", f"CART: the leaves where {design} fails", shown,
                            res.cart.leaves))
    return Section("Where each design fails", blocks)


def limitations_section(expl: Exploration) -> Section:
    """What the numbers cannot say."""
    k = expl.manifest["replications_per_point"]
    items = [
        "These are outcomes of a model under the ranges chosen here, not forecasts: a parameter that "
        "matters little within its range may matter much over a wider one.",
        f"Each point's outcome is estimated from {k} replications: a risk near 50% carries a standard error "
        f"of about {50 / np.sqrt(k):.0f} percentage points at each point. The indices average that noise out "
        "over many points but count it as variance; more replications per point sharpen them.",
        f"Nothing is known beyond the horizon ({expl.horizon} days).",
        "The uncertain parameters are sampled independently and uniformly over their ranges; parameters not "
        "listed keep the scenario's values or distributions (drawn per replication).",
    ]
    if expl.method == "sobol":
        items.append("Bootstrap intervals of the Sobol' indices do not include the noise of the "
                     "replications; compare the indices at N/2 and N.")
    return Section("Limitations", [Bullets(items)])


def _constant(expl: Exploration, design: str, outcome: str) -> str:
    values = expl.design_points(design)[outcome]
    return f"{_f(float(values.iloc[0]))}" if len(values) else "no points"


def _triples(df: pd.DataFrame, name: str) -> list[str]:
    return [f"{_f(e)} [{_f(lo)}, {_f(hi)}]" for e, lo, hi in
            zip(df[name], df[f"{name}_low"], df[f"{name}_high"], strict=True)]


def _f(x: float) -> str:
    return "–" if not np.isfinite(x) else f"{x:.3f}"


def _g(x: float) -> str:
    return f"{x:.4g}"


__all__ = ["OUTCOMES", "build_exploration_document"]
