"""Statistics of deterrence_sim.analysis against hand-computed and published values, and coverage."""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import deterrence_sim as ds
from deterrence_sim.analysis import (
    SweepError,
    SweepWarning,
    early_warning,
    kaplan_meier,
    mechanism_note,
    paired_mean_difference,
    paired_risk_difference,
    period_hazard,
    read_sweep,
)
from sweep_builder import DESIGNS, HORIZON, REPLICATIONS, copy_sweep, tiny_sweep

SRC = Path(__file__).resolve().parents[1] / "src" / "deterrence_sim"


# --- Kaplan–Meier -------------------------------------------------------------------------------

def test_kaplan_meier_matches_a_hand_computed_example_with_censoring():
    # events at 3, 5, 8, 12, 12; censored at 5, 10, 15
    km = kaplan_meier([3, 5, 5, 8, 10, 12, 12, 15], [1, 1, 0, 1, 0, 1, 1, 0])
    expected = [1, 7 / 8, 7 / 8 * 6 / 7, 7 / 8 * 6 / 7 * 4 / 5, 0.6, 0.6 * 1 / 3, 0.2]
    np.testing.assert_allclose(km.survival, expected)
    assert km.day.tolist() == [0, 3, 5, 8, 10, 12, 15]
    assert km.at_risk.tolist() == [8, 8, 7, 5, 4, 3, 1]
    assert km.median().estimate == 12
    # area under the steps: 3·1 + 2·0.875 + 3·0.75 + 2·0.6 + 2·0.6 + 3·0.2
    assert km.restricted_mean(15) == pytest.approx(10.0)
    assert km.collapse_by(9).estimate == pytest.approx(0.4)
    assert np.isnan(km.collapse_by(16).estimate)  # beyond follow-up


def test_kaplan_meier_band_is_the_exponential_greenwood_interval():
    km = kaplan_meier([3, 5, 5, 8, 10, 12, 12, 15], [1, 1, 0, 1, 0, 1, 1, 0])
    # independent formula: V = Σ d/(n(n−d)) / (ln S)², band S^exp(±z√V), at day 8
    s = 0.6
    v = (1 / (8 * 7) + 1 / (7 * 6) + 1 / (5 * 4)) / np.log(s) ** 2
    z = stats.norm.ppf(0.975)
    i = km.day.tolist().index(8)
    assert km.low[i] == pytest.approx(s ** np.exp(z * np.sqrt(v)))
    assert km.high[i] == pytest.approx(s ** np.exp(-z * np.sqrt(v)))


def test_kaplan_meier_reproduces_the_published_6mp_leukaemia_curve():
    # Freireich et al. (1963), 6-MP arm (n = 21), as tabulated in Kleinbaum & Klein, Survival Analysis
    times = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
    event = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
    km = kaplan_meier(times, event)
    published = {6: 0.857, 7: 0.807, 10: 0.753, 13: 0.690, 16: 0.627, 22: 0.538, 23: 0.448}
    for day, value in published.items():
        assert 1 - km.collapse_by(day).estimate == pytest.approx(value, abs=5e-4)


def test_band_at_the_edges_is_the_wilson_interval():
    no_collapse = kaplan_meier([365] * 100, [False] * 100)
    assert no_collapse.collapse_by(365).estimate == 0
    assert no_collapse.collapse_by(365).high == pytest.approx(ds.analysis.proportion(0, 100).high)
    all_collapse = kaplan_meier(np.arange(1, 51), [True] * 50)
    assert all_collapse.collapse_by(50).low == pytest.approx(ds.analysis.proportion(50, 50).low)
    assert all_collapse.collapse_by(400).estimate == 1.0  # defined beyond follow-up once all collapsed


def test_kaplan_meier_rejects_bad_arguments():
    with pytest.raises(ValueError) as err:
        kaplan_meier([1, 2], [1, 0], confidence=95)
    assert str(err.value) == "confidence: invalid value 95; allowed: a number in (0, 1)"
    with pytest.raises(ValueError) as err:
        kaplan_meier([1, 2], [1])
    assert str(err.value) == ("duration, collapsed: invalid value: shapes (2,) and (1,); allowed: 1-d, "
                              "non-empty and of equal length")


# --- coverage on synthetic data with a known truth ----------------------------------------------

SAMPLES = 200


def _covered_enough(hits: int) -> None:
    """95% intervals over 200 samples: the count of hits is Bin(200, 0.95) if coverage is right."""
    low = stats.binom.ppf(0.001, SAMPLES, 0.95)
    assert low <= hits, f"coverage {hits}/{SAMPLES} below the binomial tolerance {low:.0f}"
    assert hits <= SAMPLES


def test_kaplan_meier_band_covers_the_true_risk_with_random_censoring():
    rng = np.random.default_rng(1)
    rate, t = 1 / 600, 300.0
    truth = 1 - np.exp(-rate * t)
    hits = 0
    for _ in range(SAMPLES):
        event_time = rng.exponential(1 / rate, 150)
        censor = np.minimum(rng.uniform(100, 1500, 150), 730)
        duration = np.ceil(np.minimum(event_time, censor))
        r = kaplan_meier(duration, event_time <= censor).collapse_by(t)
        hits += r.low <= truth <= r.high
    _covered_enough(hits)


def test_paired_risk_interval_covers_the_true_difference():
    rng = np.random.default_rng(2)
    # baseline collapses w.p. 0.4; the design prevents 60% of them and causes 5% new ones
    truth = 0.4 * -0.6 + 0.6 * 0.05
    hits = 0
    for _ in range(SAMPLES):
        base = rng.random(120) < 0.4
        design = np.where(base, rng.random(120) >= 0.6, rng.random(120) < 0.05)
        e = paired_risk_difference(base, design)
        hits += e.ci_low <= truth <= e.ci_high
    _covered_enough(hits)


def test_paired_mean_interval_covers_the_true_difference():
    rng = np.random.default_rng(3)
    hits = 0
    for _ in range(SAMPLES):
        base = rng.gamma(2.0, 5.0, 100)
        design = base + rng.normal(3.0, 4.0, 100)
        e = paired_mean_difference(base, design)
        hits += e.ci_low <= 3.0 <= e.ci_high
    _covered_enough(hits)


def test_paired_tests_match_mcnemar_and_the_paired_t_test():
    base = np.array([1] * 30 + [0] * 70, bool)
    design = base.copy()
    design[:12] = False      # 12 pairs only the baseline collapses
    design[30:33] = True     # 3 pairs only the design collapses
    e = paired_risk_difference(base, design)
    assert e.difference == pytest.approx((3 - 12) / 100)
    assert e.p_value == pytest.approx(stats.binomtest(3, 15, 0.5).pvalue)
    x, y = np.arange(10.0), np.arange(10.0) ** 1.1
    assert paired_mean_difference(x, y).p_value == pytest.approx(stats.ttest_rel(y, x).pvalue)


# --- on a real sweep ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def runs() -> pd.DataFrame:
    return ds.load_sweep(tiny_sweep())


def test_load_sweep_gives_one_tidy_row_per_replication(runs):
    assert len(runs) == len(DESIGNS) * REPLICATIONS
    assert sorted(runs["guarantee"].unique()) == sorted(DESIGNS)
    assert {"job", "theater", "attack", "monitoring", "sim.horizon_days"} <= set(runs.columns)
    assert (runs.groupby("guarantee")["replication"].nunique() == REPLICATIONS).all()


def test_job_folders_read_like_the_consolidated_table(tmp_path, runs):
    from_jobs = read_sweep(copy_sweep(tmp_path, consolidated=False))
    assert from_jobs.problems == []
    mine = from_jobs.runs.sort_values(["job", "replication"], ignore_index=True)
    theirs = runs.sort_values(["job", "replication"], ignore_index=True)
    pd.testing.assert_frame_equal(mine, theirs[mine.columns], check_dtype=False)


def test_a_truncated_job_is_named_and_left_out(tmp_path):
    sweep = copy_sweep(tmp_path, consolidated=False)
    path = sweep / "1" / "runs.parquet"
    path.write_bytes(path.read_bytes()[:500])
    with pytest.warns(SweepWarning, match=r"job 1: .*1/runs.parquet does not match its manifest"):
        runs = ds.load_sweep(sweep)
    assert runs["job"].unique().tolist() == [0]


def test_not_a_sweep_is_refused(tmp_path):
    allowed = ("allowed: a sweep folder (job folders 0/, 1/, ... written by deterrence-sim -m) or a run's "
               "folder")
    with pytest.raises(SweepError) as err:
        ds.load_sweep(tmp_path)
    assert str(err.value) == (f"path: invalid value '{tmp_path}': not a sweep (no job folders 0/, 1/, ... "
                              f"with manifest.json and no runs.parquet); {allowed}")
    with pytest.raises(SweepError) as err:
        ds.load_sweep(tmp_path / "nowhere")
    assert str(err.value) == f"path: invalid value '{tmp_path / 'nowhere'}': not a folder; {allowed}"
    with pytest.raises(SweepError) as err:
        ds.load_sweep(pd.DataFrame({"a": [1]}))
    assert str(err.value) == f"path: invalid value of type DataFrame; {allowed}"


def test_summarize_matches_the_plain_shares_when_censoring_is_only_at_the_horizon(runs):
    s = ds.summarize(runs, by="guarantee").set_index("guarantee")
    for design, g in runs.groupby("guarantee"):
        share = ds.analysis.proportion(int(g["collapsed"].sum()), len(g))
        assert s.loc[design, "collapse_1y"] == pytest.approx(share.estimate)
        assert s.loc[design, "collapse_horizon"] == pytest.approx(share.estimate)
        assert np.isnan(s.loc[design, "collapse_2y"])  # beyond the 365-day horizon
        assert s.loc[design, "horizon_days"] == HORIZON
        violations = (g["violations_minor"] + g["violations_serious"]).sum()
        assert s.loc[design, "detection_rate"] == pytest.approx(g["detected"].sum() / violations)
        assert s.loc[design, "guarantor_cost_bn"] == pytest.approx(g["guarantor_cost"].mean())


def test_a_design_compared_with_an_identical_copy_differs_by_exactly_zero(runs):
    twin = runs[runs["guarantee"] == "none"].assign(guarantee="none_again")
    res = ds.compare(pd.concat([runs, twin]), baseline="none")
    same = res[res["guarantee"] == "none_again"]
    assert same["metric"].tolist() == ["collapse_risk", "survival_days", "guarantor_cost", "clash_risk",
                                       "wider_war_risk"]
    assert (same["difference"] == 0.0).all()
    assert (same["p_value"] == 1.0).all()
    assert ((same["ci_low"] <= 0) & (same["ci_high"] >= 0)).all()


def test_wider_war_risk_is_paired_by_the_horizon_and_matches_a_hand_count():
    n = 8
    base = pd.DataFrame({"replication": range(n), "guarantee": "none", "collapsed": False,
                         "duration_days": 365, "guarantor_cost": 0.0, "direct_clash": False,
                         "wider_war": False, "wider_war_day": pd.array([None] * n, dtype="Int64"),
                         "sim.horizon_days": 365})
    # wars in pairs 0-3 under the design, one in pair 4 under the baseline; pair 3's war is on day 300
    war = np.array([1, 1, 1, 1, 0, 0, 0, 0], bool)
    design = base.assign(guarantee="force", direct_clash=war, wider_war=war, collapsed=war,
                         wider_war_day=pd.array([10, 50, 90, 300, None, None, None, None], dtype="Int64"),
                         duration_days=np.where(war, [10, 50, 90, 300, 0, 0, 0, 0], 365))
    base.loc[4, ["wider_war", "collapsed", "direct_clash"]] = True
    base["wider_war_day"] = pd.array([None] * 4 + [20] + [None] * 3, dtype="Int64")
    base.loc[4, "duration_days"] = 20
    e = ds.compare(pd.concat([base, design]), baseline="none").set_index("metric").loc["wider_war_risk"]
    ref = paired_risk_difference(base["wider_war"], design["wider_war"])
    assert (e["difference"], e["ci_low"], e["ci_high"]) == (3 / 8, ref.ci_low, ref.ci_high)
    assert (e["baseline_value"], e["design_value"]) == (1 / 8, 4 / 8)
    assert e["p_value"] == pytest.approx(stats.binomtest(4, 5, 0.5).pvalue)
    # a shorter baseline horizon cuts the pairs at 200 days: the day-300 war no longer counts
    short = base.assign(**{"sim.horizon_days": 200})
    e = ds.compare(pd.concat([short, design]), baseline="none", within=[]).set_index("metric").loc[
        "wider_war_risk"]
    assert (e["baseline_value"], e["design_value"]) == (1 / 8, 3 / 8)
    # without the column (a sweep from before issue 11) there is no wider-war metric
    old = pd.concat([base, design]).drop(columns=["wider_war", "wider_war_day"])
    assert "wider_war_risk" not in set(ds.compare(old, baseline="none")["metric"])
    summary = ds.summarize(pd.concat([base, design]).assign(
        violations_minor=0, violations_serious=0, detected=0, verified=0,
        mean_verification_delay_days=np.nan, responses_triggered=0, responses_honoured=0),
        by="guarantee").set_index("guarantee")
    assert summary.loc["force", "wider_war"] == 0.5 and summary.loc["none", "wider_war"] == 1 / 8
    wilson = ds.analysis.proportion(4, 8)
    assert (summary.loc["force", "wider_war_low"], summary.loc["force", "wider_war_high"]) == pytest.approx(
        (wilson.low, wilson.high))


def test_hazard_per_period_matches_the_days_in_ceasefire_of_the_daily_table():
    # an independent count: the model's own daily table (replications in ceasefire, collapses per day)
    res = ds.simulate(["monitoring=none", "guarantee=none", "attack=revisionist", "sim.horizon_days=200"],
                      replications=40)
    h = period_hazard(res.runs, period_days=60)
    assert h[["start_day", "end_day"]].values.tolist() == [[0, 60], [60, 120], [120, 200]]  # 20 left: joined
    daily = res.daily.set_index("day")
    for r in h.itertuples():
        days = daily.loc[r.start_day + 1:r.end_day]
        assert r.exposure_days == days["in_ceasefire"].sum()
        assert r.collapses == days["collapses"].sum()
        assert r.at_risk == days["in_ceasefire"].iloc[0]
    assert h["collapses"].sum() == res.runs["collapsed"].sum() > 0
    # Garwood's interval: the Poisson rates at which d or more (d or fewer) events have chance 2.5%
    r = h[h["collapses"] > 0].iloc[0]
    mean_low, mean_high = r.hazard_low * r.exposure_days, r.hazard_high * r.exposure_days
    assert stats.poisson.sf(r.collapses - 1, mean_low) == pytest.approx(0.025)
    assert stats.poisson.cdf(r.collapses, mean_high) == pytest.approx(0.025)
    wilson = ds.analysis.proportion(int(r.collapses), int(r.at_risk))
    assert (r.collapse_share_low, r.collapse_share_high) == pytest.approx((wilson.low, wilson.high))
    by = period_hazard(pd.concat([res.runs, res.runs.assign(attack="copy")]), by="attack", period_days=60)
    assert by["attack"].tolist() == ["copy"] * 3 + ["revisionist"] * 3
    with pytest.raises(ValueError, match=r"^period_days: invalid value 0; allowed: a whole number > 0$"):
        period_hazard(res.runs, period_days=0)


def test_early_warning_counts_the_funnel_and_names_the_mechanism(runs):
    table = early_warning(runs, "guarantee").set_index("guarantee")
    for design, g in runs.groupby("guarantee"):
        row = table.loc[design]
        assert row["buildups_started"] == g["buildups_started"].sum()
        assert row["buildups_aborted"] == g["buildups_aborted"].sum()
        assert row["offensives"] == (g["collapsed"] & ~g["wider_war"]).sum()
        assert row["surprise"] + row["warned"] == row["offensives"]
        assert row["with_buildup"] == (g["buildups_started"] > 0).sum()
    base = {"replications": 100, "collapsed": 0, "with_buildup": 0, "buildups_started": 0,
            "buildups_detected": 0, "buildups_aborted": 0, "offensives": 0, "surprise": 0, "warned": 0,
            "median_warning_days": np.nan, "median_collapse_day": np.nan, "clashes": 0, "wider_wars": 0}
    cases = {
        "no build-up is ever started": {},
        "every build-up is seen and stood down": dict(with_buildup=30, buildups_started=40,
                                                      buildups_detected=40, buildups_aborted=40),
        "build-ups are rare (U_build below zero in nearly every replication) and every one is seen": dict(
            with_buildup=5, buildups_started=6, buildups_detected=6, buildups_aborted=6),
        "build-ups are started and none is seen": dict(collapsed=100, with_buildup=100, buildups_started=100,
                                                       offensives=100, surprise=100,
                                                       median_collapse_day=120.0),
        "build-ups are seen but seldom stood down": dict(collapsed=100, with_buildup=100,
                                                         buildups_started=110, buildups_detected=110,
                                                         buildups_aborted=10, offensives=100, warned=100,
                                                         median_warning_days=20.0),
        "seen build-ups are stood down, but the aggressor starts again (4.0 per": dict(
            collapsed=100, with_buildup=100, buildups_started=400, buildups_detected=400,
            buildups_aborted=300, offensives=100, warned=100),
        "clashes climb the escalation ladder": dict(collapsed=100, clashes=100, wider_wars=100),
    }
    for lead, counts in cases.items():
        assert mechanism_note({**base, **counts}).startswith(lead), lead
    note = mechanism_note({**base, **cases["build-ups are seen but seldom stood down"]})
    assert note.endswith("110 build-ups in 100 of 100 replications; 110 seen (100%), 10 stood down (9% of "
                         "those seen); 100 offensives, 0 by surprise and 100 after a warning, median "
                         "warning 20 days")
    one = mechanism_note({**base, "with_buildup": 1, "buildups_started": 1, "buildups_detected": 1,
                          "buildups_aborted": 1})
    assert one.endswith(": 1 build-up in 1 of 100 replications; 1 seen (100%), 1 stood down (100% of those "
                        "seen)")


def test_compare_pairs_replications_whatever_the_row_order(runs):
    shuffled = runs.sample(frac=1.0, random_state=0)
    a = ds.compare(runs, baseline="none")
    b = ds.compare(shuffled, baseline="none")
    pd.testing.assert_frame_equal(a, b)
    risk = a.set_index("metric").loc["collapse_risk"]
    base = runs[runs["guarantee"] == "none"].set_index("replication")["collapsed"]
    other = runs[runs["guarantee"] == "paris_package"].set_index("replication")["collapsed"]
    assert risk["difference"] == pytest.approx((other.astype(int) - base.astype(int)).mean())
    assert risk["n_pairs"] == REPLICATIONS


def test_compare_refuses_an_unknown_baseline_and_an_ambiguous_pairing(runs):
    with pytest.raises(ValueError) as err:
        ds.compare(runs, baseline="nothing")
    assert str(err.value) == ("baseline: invalid value 'nothing'; allowed: a value of guarantee: none, "
                              "paris_package")
    doubled = pd.concat([runs, runs.assign(**{"attack.temperature": 0.1})])
    doubled["attack.temperature"] = doubled["attack.temperature"].fillna(0.3)
    with pytest.raises(ValueError) as err:
        ds.compare(doubled, baseline="none", within=[])
    assert str(err.value) == ("within: invalid value []: the replications of guarantee='none' are not "
                              "unique within (replication), so they cannot be paired; allowed: within "
                              "with attack.temperature added")


def test_survival_curves_and_log_rank_agree_with_scipy(runs):
    res = ds.survival(runs, baseline="none")
    test = res.tests.iloc[0]
    assert (test["guarantee"], test["versus"]) == ("paris_package", "none")

    def data(design):
        g = runs[runs["guarantee"] == design]
        return stats.CensoredData(uncensored=g.loc[g["collapsed"], "duration_days"].to_numpy(float),
                                  right=g.loc[~g["collapsed"], "duration_days"].to_numpy(float))

    ref = stats.logrank(data("paris_package"), data("none"))
    assert test["statistic"] == pytest.approx(ref.statistic)
    assert test["p_value"] == pytest.approx(ref.pvalue)
    curve = res.curves[res.curves["guarantee"] == "none"]
    assert curve["day"].iloc[-1] == HORIZON and curve["survival"].is_monotonic_decreasing


def test_cost_effectiveness_is_reproducible_and_consistent_with_compare(runs):
    a = ds.cost_effectiveness(runs, baseline="none", seed=1)
    b = ds.cost_effectiveness(runs, baseline="none", seed=1)
    pd.testing.assert_frame_equal(a, b)
    effects = ds.compare(runs, baseline="none").set_index("metric")
    row = a.iloc[0]
    assert row["risk_averted_pp"] == pytest.approx(-100 * effects.loc["collapse_risk", "difference"])
    assert row["added_cost_bn"] == pytest.approx(effects.loc["guarantor_cost", "difference"])
    assert row["risk_averted_pp_low"] <= row["risk_averted_pp"] <= row["risk_averted_pp_high"]


def test_analysis_and_report_import_neither_mesa_nor_hydra():
    forbidden = ("mesa", "hydra", "omegaconf", "deterrence_sim.model", "deterrence_sim.agents",
                 "deterrence_sim.api", "deterrence_sim.cli", "deterrence_sim.sweep", "deterrence_sim.results")
    for path in [*(SRC / "analysis").glob("*.py"), *(SRC / "report").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.startswith(forbidden), f"{path.name} imports {name}"


def test_no_warning_on_a_clean_sweep():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ds.load_sweep(tiny_sweep())


def test_a_scenario_split_over_jobs_is_pooled_not_stratified(runs):
    split = runs.assign(**{"sim.first_block": runs["replication"] // 50})
    pd.testing.assert_frame_equal(ds.compare(split, baseline="none"), ds.compare(runs, baseline="none"))
    assert len(ds.summarize(split)) == len(DESIGNS)


def test_a_single_run_folder_reads_as_a_one_job_sweep():
    one = read_sweep(tiny_sweep() / "0")
    assert one.problems == [] and list(one.manifests) == [0]
    assert len(one.runs) == REPLICATIONS and one.runs["guarantee"].unique().tolist() == ["none"]


# --- numeric values: ordered and matched as numbers ---------------------------------------------

def swept_temperature(values=(0.0, 10.0, 12.0, 2.0, 20.0), replications: int = 30) -> pd.DataFrame:
    u = np.random.default_rng(1).random(replications)
    return pd.concat([pd.DataFrame({
        "guarantee": "none", "attack.temperature": t, "replication": np.arange(replications),
        "collapsed": u < 0.1 + t / 40, "duration_days": np.where(u < 0.1 + t / 40, 50, 365),
        "guarantor_cost": 1.0, "direct_clash": False, "violations_minor": 3, "violations_serious": 0,
        "detected": 1, "verified": 1, "mean_verification_delay_days": 2.0, "responses_triggered": 0,
        "responses_honoured": 0}) for t in values], ignore_index=True)


def test_numeric_values_sort_numerically_and_a_numeric_baseline_matches():
    runs = swept_temperature()
    effects = ds.compare(runs, baseline="12", by="attack.temperature")
    assert effects["attack.temperature"].drop_duplicates().tolist() == ["0.0", "2.0", "10.0", "20.0"]
    assert ds.compare(runs, baseline=12, by="attack.temperature").equals(effects)
    tests = ds.survival(runs, by="attack.temperature", baseline="12").tests
    assert tests["versus"].unique().tolist() == ["12.0"]
    assert tests["attack.temperature"].tolist() == ["0.0", "2.0", "10.0", "20.0"]
    assert ds.summarize(runs)["attack.temperature"].tolist() == [0.0, 2.0, 10.0, 12.0, 20.0]
    as_text = runs.assign(**{"attack.temperature": runs["attack.temperature"].astype(str)})
    assert ds.summarize(as_text)["attack.temperature"].tolist() == ["0.0", "2.0", "10.0", "12.0", "20.0"]
    with pytest.raises(ValueError, match=r"^baseline: invalid value '13'; allowed: a value of "
                                         r"attack\.temperature: 0\.0, 2\.0, 10\.0, 12\.0, 20\.0$"):
        ds.compare(runs, baseline="13", by="attack.temperature")


def test_value_order_and_matching_rules():
    from deterrence_sim.analysis.sweeps import is_design, match_value, sorted_values

    assert sorted_values([20, "none", 3.5, None, "10", "abc"]) == [3.5, "10", 20, "abc", "none", None]
    assert match_value(["12.0", "2.0"], 12) == "12.0" and match_value(["1e1"], "10") == "1e1"
    assert match_value(["none"], "0") is None and match_value(["12", "12.0"], "12.0") == "12.0"
    assert [is_design(c) for c in ("guarantee", "monitoring", "attack", "attack.temperature")] == [
        True, True, False, False]


# --- arguments: one line naming the argument, the value and what is allowed ---------------------

def test_an_unknown_column_names_the_argument_and_the_columns(runs):
    columns = ", ".join(runs.columns)
    calls = {"summarize": lambda: ds.summarize(runs, by="guarante"),
             "funnel": lambda: ds.funnel(runs, by="guarante"),
             "robustness": lambda: ds.robustness(runs, by="guarante"),
             "compare": lambda: ds.compare(runs, by="guarante"),
             "cost_effectiveness": lambda: ds.cost_effectiveness(runs, by="guarante"),
             "survival": lambda: ds.survival(runs, by="guarante")}
    for name, call in calls.items():
        with pytest.raises(ds.AnalysisError) as err:
            call()
        assert str(err.value) == (f"by: invalid value 'guarante' (did you mean 'guarantee'?); allowed: a "
                                  f"column of the table: {columns}"), name
    with pytest.raises(ds.AnalysisError) as err:
        ds.compare(runs, within=["atack"])
    assert str(err.value).startswith("within: invalid value ['atack'] (did you mean 'attack'?); allowed: ")


@pytest.mark.parametrize(("call", "message"), [
    (lambda r: ds.summarize(r, confidence=95), "confidence: invalid value 95; allowed: a number in (0, 1)"),
    (lambda r: ds.summarize(r, years=(0, 1)), "years: invalid value (0, 1); allowed: whole numbers > 0, "
                                              "e.g. (1, 2)"),
    (lambda r: ds.summarize(r, years=2), "years: invalid value 2; allowed: whole numbers > 0, e.g. (1, 2)"),
    (lambda r: ds.compare(r, confidence=1.0), "confidence: invalid value 1.0; allowed: a number in (0, 1)"),
    (lambda r: ds.cost_effectiveness(r, n_boot=0), "n_boot: invalid value 0; allowed: a whole number > 0"),
    (lambda r: ds.cost_effectiveness(r, per_bn_usd=-1),
     "per_bn_usd: invalid value -1; allowed: a number > 0"),
    (lambda r: ds.survival(r, baseline="nato"), "baseline: invalid value 'nato'; allowed: a value of "
                                                "guarantee: none, paris_package"),
    (lambda r: ds.summarize(r[["guarantee", "collapsed"]]),
     "df: invalid value: a table without duration_days, violations_minor, violations_serious, detected, "
     "verified, mean_verification_delay_days, responses_triggered, responses_honoured, guarantor_cost, "
     "direct_clash; allowed: a table of replications (ds.simulate(...).runs or ds.load_sweep(...))"),
    (lambda r: ds.compare([1, 2]), "df: invalid value of type list; allowed: a table of replications "
                                   "(ds.simulate(...).runs or ds.load_sweep(...))"),
])
def test_bad_arguments_give_one_line(runs, call, message):
    with pytest.raises(ds.AnalysisError) as err:
        call(runs)
    assert str(err.value) == message


# --- nothing to pair: say why -------------------------------------------------------------------

@pytest.fixture(scope="module")
def lockstep(runs) -> pd.DataFrame:
    """The user's own label ``aid`` moves with an overridden value, as when aid levels are swept."""
    levels = {"none": 0.0, "paris_package": 45.0}
    return runs.assign(aid=runs["guarantee"].map({"none": "no aid", "paris_package": "aid"}),
                       **{"guarantee.aid_bn_per_year": runs["guarantee"].map(levels)})


LOCKSTEP = ("within: invalid value ['guarantee', 'guarantee.aid_bn_per_year']: no aid value shares a "
            "scenario with the baseline 'no aid', because guarantee, guarantee.aid_bn_per_year move with "
            "aid; allowed: columns that do not move with aid, e.g. within=[]")


def test_compare_and_cost_effectiveness_say_why_nothing_pairs(lockstep):
    for call in (ds.compare, ds.cost_effectiveness):
        with pytest.raises(ds.AnalysisError) as err:
            call(lockstep, baseline="no aid", by="aid")
        assert str(err.value) == LOCKSTEP
    # with the scenario columns given, the same table pairs
    paired = ds.compare(lockstep, baseline="no aid", by="aid", within=[])
    assert paired["n_pairs"].unique().tolist() == [REPLICATIONS]


def test_survival_draws_the_curves_and_warns_why_there_is_no_test(lockstep):
    with pytest.warns(ds.PairingWarning) as caught:
        res = ds.survival(lockstep, by="aid", baseline="no aid")
    assert [str(w.message) for w in caught] == [LOCKSTEP]
    assert res.tests.empty and sorted(res.curves["aid"].unique()) == ["aid", "no aid"]


def test_designs_without_a_baseline_in_their_scenario_are_named(runs):
    other = runs[runs["guarantee"] == "paris_package"].assign(attack="revisionist")
    with pytest.warns(ds.PairingWarning) as caught:
        res = ds.compare(pd.concat([runs, other]), baseline="none")
    assert [str(w.message) for w in caught] == [
        "no baseline 'none' in the scenario of guarantee='paris_package' (attack=revisionist): left out"]
    assert res["attack"].unique().tolist() == ["cautious"]


def test_only_the_baseline_warns_that_there_is_nothing_to_compare(runs):
    with pytest.warns(ds.PairingWarning, match=r"^guarantee: only the baseline 'none' is in the table; "
                                               r"nothing to compare$"):
        res = ds.compare(runs[runs["guarantee"] == "none"], baseline="none")
    assert res.empty


def test_designs_with_no_replication_in_common_are_named(runs):
    shifted = runs.assign(replication=runs["replication"] + (runs["guarantee"] == "paris_package") * 1000)
    with pytest.raises(ds.AnalysisError) as err:
        ds.compare(shifted, baseline="none")
    assert str(err.value) == ("replication: invalid value: no replication index in common with the baseline "
                              "'none' for guarantee='paris_package'; allowed: designs run with the same "
                              "replications (sim.replications, sim.block_size, sim.first_block)")
