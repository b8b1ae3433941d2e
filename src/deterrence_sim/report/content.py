"""What the design-comparison report says: its sections, computed from a sweep.

Each ``*_section`` function takes the sweep's replications (and what it needs besides) and returns
one :class:`~deterrence_sim.report.document.Section`; :func:`build_document` puts them in order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from deterrence_sim.analysis import (
    Sweep,
    all_or_nothing,
    compare,
    cost_effectiveness,
    funnel,
    robustness,
    summarize,
    survival,
)
from deterrence_sim.analysis.sweeps import (
    calibration_label,
    design_columns,
    groups,
    is_design,
    listed_values,
    match_value,
    sorted_values,
    varying_columns,
)
from deterrence_sim.report import figures
from deterrence_sim.report.document import Bullets, Document, Figure, Paragraph, Section, Table, slug

NA = "–"


def build_document(sweep: Sweep, baseline: str = "none", by: str = "guarantee",
                   confidence: float = 0.95) -> Document:
    """The full report of a sweep: every section, in reading order.

    Values of ``by`` are listed in numeric order when they are numbers, and a numeric ``baseline``
    matches numerically (``12`` finds ``12.0``). Only designs (:data:`DESIGN_PRESETS
    <deterrence_sim.analysis.sweeps.DESIGN_PRESETS>`) get a cost-effectiveness section: the values
    of a swept parameter or scenario are not something the guarantors buy.

    Raises
    ------
    ValueError
        If ``by`` is not a column of the sweep or ``baseline`` is not one of its values.
    """
    runs = sweep.runs
    if by not in runs.columns:
        raise ValueError(f"--by: invalid value {by!r}; allowed: a design column of the sweep: "
                         f"{', '.join(design_columns(runs))}")
    runs = runs.assign(**{by: runs[by].astype(str)})  # a swept number is a design label here
    sweep = Sweep(path=sweep.path, runs=runs, manifests=sweep.manifests, problems=sweep.problems)
    designs = sorted_values(runs[by].unique())
    found = match_value(designs, baseline)
    if found is None:
        raise ValueError(f"--baseline: invalid value {baseline!r}; allowed: a value of {by} in the sweep: "
                         f"{', '.join(designs)}")
    baseline, design = found, is_design(by)
    within = varying_columns(runs, exclude=(by,))
    summary = summarize(runs, by=[*within, by], confidence=confidence)
    effects = compare(runs, baseline=baseline, by=by, within=within, confidence=confidence)
    horizon = int(summary["horizon_days"].min())
    sections = [
        run_section(sweep, by),
        executive_section(summary, effects, by, within, baseline, horizon, design=design),
        survival_section(runs, by, within, baseline, confidence),
        funnel_section(runs, by),
        *([cost_section(runs, by, within, baseline, effects)] if design else []),
        robustness_section(runs, summary, by, within, horizon),
        limitations_section(sweep, by, within, horizon),
        jobs_section(sweep),
    ]
    n = len(runs)
    return Document(title=(f"Comparison of {by} designs against '{baseline}'" if design
                           else f"Effect of {by}: each value against {by} = {baseline}"),
                    subtitle=f"{n} replications, {len(designs)} designs, "
                             f"{_count(runs, within)} scenario(s); horizon {horizon} days; "
                             f"sweep {sweep.path}",
                    sections=sections)


def run_section(sweep: Sweep, by: str) -> Section:
    """What was run: the grid, replications, seeds, horizon, versions, and any skipped job."""
    runs, manifests = sweep.runs, sweep.manifests
    configs = [m["config"] for m in manifests.values()]
    grid = [(c, listed_values(runs[c].dropna().unique(), NA)) for c in design_columns(runs)]
    grid += [("jobs read", f"{runs['job'].nunique() if 'job' in runs else len(manifests)}"),
             ("replications per job",
              listed_values([m.get("replications") for m in manifests.values()], NA)),
             ("replications in total", f"{len(runs)}"),
             ("seed", listed_values([m.get("seed") for m in manifests.values()], NA)),
             ("horizon (days)", listed_values([c.get("sim", {}).get("horizon_days") for c in configs], NA)),
             ("calibration", listed_values([calibration_label(c) for c in configs], NA)),
             ("git revision", listed_values([m.get("git_revision") for m in manifests.values()], NA))]
    versions: dict[str, set[str]] = {}
    for m in manifests.values():
        for package, version in (m.get("versions") or {}).items():
            versions.setdefault(package, set()).add(str(version))
    blocks = [Paragraph(f"Each row of the sweep is one replication; designs ({by}) are compared on "
                        "common random numbers: a replication with the same seed and index meets the "
                        "same weather, aggressor dice and detection dice under every design, and (with a "
                        "calibration) draws the same particle of its posterior."),
              Table("grid", "Grid and settings", pd.DataFrame(grid, columns=["setting", "values"])),
              Table("versions", "Package versions (from the job manifests)",
                    pd.DataFrame(sorted((p, ", ".join(sorted(v))) for p, v in versions.items()),
                                 columns=["package", "version"]))]
    if sweep.problems:
        blocks += [Paragraph(f"{len(sweep.problems)} job(s) could not be used and are left out:"),
                   Bullets(list(sweep.problems))]
    return Section("What was run", blocks)


def executive_section(summary: pd.DataFrame, effects: pd.DataFrame, by: str, within: list[str],
                      baseline: str, horizon: int, design: bool = True) -> Section:
    """Designs × scenarios: collapse risk, wider-war risk and cost, effects against the baseline.

    ``summary`` rows come in scenario order (:func:`~deterrence_sim.analysis.sweeps.groups`); with
    ``design`` False, ``by`` is a parameter and the section says why there is no cost-effectiveness.
    Wider-war risk is shown when the sweep records it (``wider_war``; from issue 11 on).
    """
    label = _labeller(within)
    summary = summary.assign(scenario=label(summary))
    war = "wider_war" in summary.columns
    order, scenarios = _order(summary[by].unique(), baseline), list(dict.fromkeys(summary["scenario"]))
    pivot = summary.pivot(index=by, columns="scenario", values="collapse_horizon").loc[order, scenarios]
    shown = summary.assign(cell=[_pct(r.collapse_horizon, r.collapse_horizon_low, r.collapse_horizon_high)
                                 for r in summary.itertuples()])
    matrix = shown.pivot(index=by, columns="scenario", values="cell").loc[order, scenarios]
    keys = [*within, by]
    effect = {metric: {tuple(e[c] for c in keys): e
                       for e in effects[effects["metric"] == metric].to_dict("records")}
              for metric in ("collapse_risk", "wider_war_risk")}

    def paired(metric: str, r: dict) -> str:
        e = effect[metric].get(tuple(r[c] for c in keys))
        if r[by] == baseline:
            return "baseline"
        return _pp(e["difference"], e["ci_low"], e["ci_high"]) if e is not None else NA

    rows = []
    for r in summary.to_dict("records"):
        e = effect["collapse_risk"].get(tuple(r[c] for c in keys))
        row = {"scenario": r["scenario"], by: r[by],
               "collapse risk % [95% CI]": _pct(r["collapse_horizon"], r["collapse_horizon_low"],
                                                r["collapse_horizon_high"]),
               "effect vs baseline, pp [95% CI]": paired("collapse_risk", r),
               "p (McNemar)": _p(e["p_value"]) if e is not None and r[by] != baseline else ""}
        if war:
            row["wider-war risk % [95% CI]"] = _pct(r["wider_war"], r["wider_war_low"], r["wider_war_high"])
            row["wider-war effect, pp [95% CI]"] = paired("wider_war_risk", r)
        row["guarantor cost, bn USD [95% CI]"] = _num(r["guarantor_cost_bn"], r["guarantor_cost_bn_low"],
                                                      r["guarantor_cost_bn_high"])
        row["clash risk % [95% CI]"] = _pct(r["direct_clash"], r["direct_clash_low"], r["direct_clash_high"])
        rows.append(row)
    rank = {d: i for i, d in enumerate(order)}
    place = {s: i for i, s in enumerate(scenarios)}
    detail = (pd.DataFrame(rows).assign(_rank=lambda d: d[by].map(rank),
                                        _place=lambda d: d["scenario"].map(place))
              .sort_values(["_place", "_rank"], kind="stable").drop(columns=["_place", "_rank"]))
    best = [f"{s}: lowest collapse risk with {', '.join(map(str, g.index[g == g.min()]))} "
            f"({100 * g.min():.1f}%)" for s, g in pivot.items() if g.notna().any()]
    blocks: list = [
        Paragraph(f"Collapse risk is the probability that the ceasefire collapses within {horizon} days "
                  "(Kaplan–Meier, 95% exponential-Greenwood interval). The effect is the paired difference "
                  f"from '{baseline}' in percentage points (negative = fewer collapses), with the "
                  "Agresti–Min 95% interval and the exact McNemar p-value."
                  + (" Wider-war risk is the share of replications in which a direct clash between a "
                     "guarantor and the aggressor escalated into a wider war (Wilson 95% interval); a "
                     "wider war also ends the ceasefire, so it is part of the collapse risk. Its effect is "
                     "paired the same way." if war else "")),
        Bullets([*best, *(_wider_war_bullets(summary, by) if war else [])]),
        *([] if design else [Paragraph(
            f"{by} is not a guarantee design but a parameter of the scenario: its values are compared to "
            "show how much the outcome depends on it, and there is no cost-effectiveness section.")]),
        Table("executive", f"Collapse risk within {horizon} days, % [95% CI]: {by} × scenario",
              matrix.reset_index(), pivot.reset_index()),
    ]
    if war:
        risk = summary.pivot(index=by, columns="scenario", values="wider_war").loc[order, scenarios]
        cells = summary.assign(cell=[_pct(r.wider_war, r.wider_war_low, r.wider_war_high)
                                     for r in summary.itertuples()])
        blocks.append(Table("wider_war", f"Wider-war risk within {horizon} days, % [95% CI]: {by} × scenario",
                            cells.pivot(index=by, columns="scenario", values="cell").loc[order, scenarios]
                            .reset_index(), risk.reset_index()))
    return Section("Executive summary", [
        *blocks,
        Table("effects", "Effects against the baseline: collapse, wider war, cost and clash risk", detail,
              effects),
        Paragraph("Every measure per scenario and design (collapse within 1 and 2 years, median survival, "
                  "violations per month, detection and verification rates, verification delay, share of "
                  f"responses honoured, cost, clash{' and wider-war' if war else ''} risk, with "
                  "intervals) is in tables/summary.csv."),
        Table("summary", "All summary measures per scenario and design", None,
              summary.drop(columns="scenario")),
    ])


def _wider_war_bullets(summary: pd.DataFrame, by: str) -> list[str]:
    """One line on the wider-war risk: where it is highest, or that it never happened."""
    if not (summary["wider_war"] > 0).any():
        return ["No replication of any design ended in a wider war."]
    top = summary.loc[summary["wider_war"].idxmax()]
    return [f"Highest wider-war risk: {top[by]} in {top['scenario']} ({100 * top['wider_war']:.1f}%, 95% CI "
            f"{100 * top['wider_war_low']:.1f} to {100 * top['wider_war_high']:.1f})"]


def survival_section(runs: pd.DataFrame, by: str, within: list[str], baseline: str,
                     confidence: float) -> Section:
    """Kaplan–Meier curves per scenario, and log-rank tests of each design against the baseline."""
    res = survival(runs, by=by, within=within, baseline=baseline, confidence=confidence)
    blocks: list = [Paragraph("Share of replications still in ceasefire by day, with shaded 95% pointwise "
                              "bands. Log-rank tests treat the designs as independent samples and are "
                              "therefore conservative under common random numbers.")]
    for i, (key, curves) in enumerate(groups(res.curves, within), 1):
        title = _title(within, key)
        blocks.append(Figure(f"survival_{i:02d}_{slug(title)}", f"Survival of the ceasefire: {title}",
                             figures.survival_figure(curves, by, title, baseline)))
    tests = res.tests.assign(p=lambda t: t["p_value"].map(_p), z=lambda t: t["statistic"].round(2))
    blocks.append(Table("logrank", f"Log-rank tests against '{baseline}' (z > 0: more collapses)",
                        tests[[*within, by, "versus", "z", "p"]], res.tests))
    blocks.append(Table("survival_curves", "Survival curve points", None, res.curves))
    return Section("Survival curves", blocks)


def funnel_section(runs: pd.DataFrame, by: str) -> Section:
    """The detection → verification → response funnel per monitoring preset."""
    column = "monitoring" if "monitoring" in runs.columns else by
    pooled = funnel(runs, by=column)
    detail = funnel(runs, by=list(dict.fromkeys([column, by])))
    return Section("Detection → verification → response", [
        Paragraph("Aggressor violations, those detected by at least one asset, those verified, the "
                  "commitment triggers and the triggers honoured, per month of ceasefire (pooled over "
                  f"all other settings), per {column} preset. Shares: detected of violations, verified of "
                  "detected, honoured of triggered."),
        Figure("funnel", f"Funnel per {column} preset (log-scaled axis)",
               figures.funnel_figure(pooled, column)),
        Table("funnel", f"Funnel per {column} and {by}", _rounded(detail), detail),
    ])


def cost_section(runs: pd.DataFrame, by: str, within: list[str], baseline: str,
                 effects: pd.DataFrame | None = None) -> Section:
    """Collapse risk averted per 10 bn USD of added guarantor cost, with bootstrap intervals, and
    beside it the change in wider-war risk (``effects``: :func:`~deterrence_sim.analysis.compare`)."""
    ce = cost_effectiveness(runs, baseline=baseline, by=by, within=within)
    if ce.empty:
        return Section("Cost-effectiveness", [Paragraph("No design other than the baseline was run.")])
    shown = pd.DataFrame({
        "scenario": _labeller(within)(ce), by: ce[by],
        "risk averted, pp [95% CI]": _triples(ce, "risk_averted_pp"),
        "added cost, bn USD [95% CI]": _triples(ce, "added_cost_bn"),
        "m USD per pp averted [95% CI]": _triples(ce, "cost_per_pp_musd"),
        "pp averted per 10 bn USD [95% CI]": _triples(ce, "pp_per_cost")})
    war = (effects[effects["metric"] == "wider_war_risk"] if effects is not None
           else pd.DataFrame(columns=["metric"]))
    if len(war):
        keys = [*within, by]
        found = {tuple(e[c] for c in keys): e for e in war.to_dict("records")}
        changes = [found.get(tuple(r[c] for c in keys)) for r in ce.to_dict("records")]
        shown["wider-war risk added, pp [95% CI]"] = [
            _pp(e["difference"], e["ci_low"], e["ci_high"]) if e is not None else NA for e in changes]
        for name, column in (("", "difference"), ("_low", "ci_low"), ("_high", "ci_high")):
            ce[f"wider_war_added_pp{name}"] = [100 * e[column] if e is not None else np.nan for e in changes]
    shown["note"] = ce["note"]
    return Section("Cost-effectiveness", [
        Paragraph("Risk averted is the baseline's collapse risk minus the design's (percentage points, pp); "
                  "added cost is the mean paired difference in guarantor cost over the run. Their ratio is "
                  "given both ways: million USD of added cost per pp of risk averted (stable when the added "
                  "cost is small), and pp averted per 10 bn USD. Intervals: 2,000 bootstrap resamples of "
                  "the paired replications (seed 0). A design that keeps the ceasefire alive longer also "
                  "pays for it longer, which raises its cost."
                  + (" Beside them, the wider-war risk the design adds (paired difference, Agresti–Min "
                     "interval): a design can buy a lower collapse risk with a higher risk of war with "
                     "the guarantors." if len(war) else "")),
        Figure("cost_effectiveness", "Added guarantor cost against collapse risk averted",
               figures.cost_effectiveness_figure(ce, by, within)),
        Table("cost_effectiveness", "Cost-effectiveness against the baseline", shown, ce),
    ])


def robustness_section(runs: pd.DataFrame, summary: pd.DataFrame, by: str, within: list[str],
                       horizon: int) -> Section:
    """Worst case and regret of each design across the scenarios (``summary``: per scenario and design)."""
    table = robustness(runs, by=by, within=within)
    shown = pd.DataFrame({by: table[by], "scenarios": table["scenarios"],
                          "mean risk %": _pcts(table["mean_risk"]),
                          "worst risk %": _pcts(table["worst_risk"]),
                          "worst in": table["worst_scenario"], "best in (scenarios)": table["best_in"],
                          "max regret, pp": _pcts(table["max_regret"]),
                          "max regret in": table["max_regret_scenario"]})
    blocks: list = [Paragraph(f"For each scenario the best design is the one with the lowest collapse risk "
                              f"within {horizon} days; a design's regret there is how much higher its risk "
                              "is (percentage points). Designs are sorted by maximum regret: the first is "
                              "never far from the best, whichever scenario comes true.")]
    blocks.append(Table("robustness", "Worst case and regret per design (risks in %)", shown, table))
    if within:
        per = summary.assign(scenario=_labeller(within)(summary))
        risk = per.pivot(index=by, columns="scenario", values="collapse_horizon").loc[
            sorted_values(per[by]), list(dict.fromkeys(per["scenario"]))]
        blocks.append(Figure("regret", "Regret (pp of collapse risk) of each design in each scenario",
                             figures.regret_figure((risk - risk.min(axis=0)).T)))
    else:
        blocks.append(Paragraph("Only one scenario was run, so worst case and regret are that scenario's."))
    return Section("Robustness: where each design fails", blocks)


def limitations_section(sweep: Sweep, by: str, within: list[str], horizon: int) -> Section:
    """What the numbers cannot say."""
    runs = sweep.runs
    n = int(runs.groupby([*within, by]).size().min()) if len(runs) else 0
    items = [
        "These are outcomes of a model (docs/model.md), not forecasts: they compare designs under the "
        "model's assumptions and parameter ranges, and are only as good as those.",
        f"Nothing is known beyond the horizon ({horizon} days): replications still in ceasefire then are "
        "censored, and a design that only delays collapse looks as good as one that prevents it.",
        f"The smallest group has {n} replications; a risk near 50% then carries an interval of about "
        f"±{196 * np.sqrt(0.25 / max(n, 1)):.0f} percentage points. Paired effects are sharper.",
        "Intervals are pointwise (per design and scenario), not adjusted for the many comparisons shown.",
        "Risk averted per unit of cost is unstable when the added cost is near zero, and cost per unit of "
        "risk averted when the risk averted is near zero (both flagged in the table); worst case and "
        "regret use point estimates.",
        "Guarantor cost accrues for as long as the ceasefire holds, so effective designs carry more of it.",
    ]
    if "wider_war" in runs.columns:
        items.append("A wider war between guarantors and the aggressor ends the ceasefire too: it is counted "
                     "in the collapse risk, and its own risk is shown beside it.")
    extreme, cells = all_or_nothing(runs, [*within, by]) if len(runs) else (0, 0)
    if extreme:
        items.append(f"In {extreme} of {cells} design × scenario cells the ceasefire collapses in fewer than "
                     "1% or more than 99% of the replications. Outcomes that close to certain reflect the "
                     "model's calibration, most of whose behavioural values are assumptions "
                     "(docs/parameters.md), more than anything known about the world: read the ranking "
                     "of the designs, not the levels.")
    if sweep.problems:
        items.append(f"{len(sweep.problems)} job(s) of the sweep were missing or unreadable and are left out "
                     "(see 'What was run').")
    versions = {tuple(sorted((m.get("versions") or {}).items())) for m in sweep.manifests.values()}
    revisions = {m.get("git_revision") for m in sweep.manifests.values()}
    if len(versions) > 1 or len(revisions) > 1:
        items.append("The jobs ran with different package versions or source revisions (see 'What was "
                     "run'): results may mix two versions of the model.")
    if any(str(r).endswith("-dirty") for r in revisions):
        items.append("Some jobs ran from a source checkout with uncommitted changes ('-dirty' revision).")
    return Section("Limitations", [Bullets(items)])


def jobs_section(sweep: Sweep) -> Section:
    """Appendix: every job's overrides."""
    rows = [{"job": job, "replications": m.get("replications"), "seed": m.get("seed"),
             "overrides": " ".join(m.get("overrides") or [])} for job, m in sweep.manifests.items()]
    return Section("Appendix: jobs", [Table("jobs", "Jobs and their overrides", pd.DataFrame(rows))])


def _labeller(within: list[str]):
    def label(df: pd.DataFrame) -> pd.Series:
        if not within:
            return pd.Series("all scenarios", index=df.index)
        return df[within].astype(str).agg(" / ".join, axis=1)
    return label


def _title(within: list[str], key: tuple) -> str:
    return ", ".join(f"{c}={v}" for c, v in zip(within, key, strict=True)) or "all scenarios"


def _order(index, baseline: str) -> list:
    """The baseline first, then the other values in numeric order (text after numbers)."""
    values = sorted_values(index)
    return [baseline, *[v for v in values if v != baseline]] if baseline in values else values


def _count(runs: pd.DataFrame, within: list[str]) -> int:
    return len(runs.groupby(within).size()) if within else 1


def _pct(est: float, low: float, high: float) -> str:
    if not np.isfinite(est):
        return NA
    return f"{100 * est:.1f} [{100 * low:.1f}, {100 * high:.1f}]"


def _pp(est: float, low: float, high: float) -> str:
    return f"{100 * est:+.1f} [{100 * low:+.1f}, {100 * high:+.1f}]"


def _num(est: float, low: float, high: float) -> str:
    """``est [low, high]`` with one decimal, or two significant digits for small estimates."""
    if not np.isfinite(est):
        return NA
    size = abs(est)
    digits = 1 if size >= 1 or size == 0 else min(6, 1 - int(np.floor(np.log10(size))))
    bounds = f" [{low:.{digits}f}, {high:.{digits}f}]" if np.isfinite(low) and np.isfinite(high) else ""
    return f"{est:.{digits}f}{bounds}"


def _triples(df: pd.DataFrame, name: str) -> list[str]:
    bounds = zip(df[name], df[f"{name}_low"], df[f"{name}_high"], strict=True)
    return [_num(e, lo, hi) for e, lo, hi in bounds]


def _pcts(x: pd.Series) -> pd.Series:
    return x.map(lambda v: f"{100 * v:.1f}" if np.isfinite(v) else NA)


def _p(p: float) -> str:
    return NA if not np.isfinite(p) else ("< 0.001" if p < 0.001 else f"{p:.3f}")


def _rounded(df: pd.DataFrame) -> pd.DataFrame:
    return df.apply(lambda c: c.round(3) if c.dtype.kind == "f" else c)
