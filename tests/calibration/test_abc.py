"""ABC-SMC mechanics: weights, schedule, stopping rules, reproducibility, resuming, bad input."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from survival_toys import cumulative_shares, simulate_exponential

from deterrence_sim.calibration import ABCProgress, Generation, Prior, SurvivalDistance, abc_smc
from deterrence_sim.calibration.abc import importance_weights, weighted_moments
from deterrence_sim.config import ConfigError

SRC = Path(__file__).resolve().parents[2] / "src" / "deterrence_sim" / "calibration"
OBSERVED = cumulative_shares(np.array([14, 11, 20, 17]))
PRIOR = Prior.from_spec({"rate": {"dist": "lognormal", "median": 0.3, "sigma": 0.6}})
DISTANCE = SurvivalDistance(tuple(OBSERVED), (62, 62, 62))
FAST = {"population_size": 100, "max_generations": 5, "min_acceptance": 0.01}


def run(out: Path | None = None, simulate=simulate_exponential, **kw):
    return abc_smc(simulate, PRIOR, OBSERVED, DISTANCE, **{"seed": 7, "out": out, **FAST, **kw})


def files(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``, by relative path."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class Interrupt(Exception):
    """Stands for Ctrl-C or a killed job."""


def interrupting(after_calls: int):
    calls = []

    def simulate(params, rng_seed):
        calls.append(len(params))
        if len(calls) > after_calls:
            raise Interrupt
        return simulate_exponential(params, rng_seed)
    return simulate, calls


# --- the algorithm ------------------------------------------------------------------------------

def test_generations_have_normalised_weights_and_a_falling_tolerance() -> None:
    result = run()
    trace = result.trace
    assert trace["generation"].tolist() == list(range(len(trace)))
    assert np.isinf(trace["epsilon"].iloc[0]) and np.all(np.diff(trace["epsilon"].to_numpy()[1:]) < 0)
    for gen in result.generations:
        assert gen.weights.shape == (100,) and gen.weights.sum() == pytest.approx(1.0)
        assert np.all(gen.distances <= gen.epsilon)
        assert gen.acceptance_rate == 100 / gen.simulations
    assert np.all(result.generations[0].weights == 0.01)
    eps1 = result.generations[1].epsilon               # the median of generation 0's distances
    assert eps1 == np.sort(result.generations[0].distances)[49]
    assert list(result.posterior.columns) == ["rate", "weight", "distance"]
    assert list(trace.columns) == ["generation", "epsilon", "acceptance_rate", "simulations", "ess",
                                   "seconds"]


def test_importance_weights_are_prior_over_the_kernel_mixture() -> None:
    rng = np.random.default_rng(0)
    prior = Prior.from_spec({"a": {"dist": "normal", "mean": 0.0, "sd": 1.0},
                             "b": {"dist": "beta", "a": 2.0, "b": 3.0}})
    prev_theta = np.column_stack([rng.normal(size=20), rng.beta(2, 3, size=20)])
    prev_w = rng.random(20)
    prev = Generation(1, prev_theta, prev_w / prev_w.sum(), np.zeros(20), 1.0, 40, 0.0)
    cov = 2 * weighted_moments(prev.theta, prev.weights)[1]
    theta = np.column_stack([rng.normal(size=7), rng.uniform(0.05, 0.95, size=7)])
    mix = sum(w * stats.multivariate_normal(t, cov).pdf(theta) for t, w in zip(prev.theta, prev.weights,
                                                                                  strict=True))
    expected = np.exp(prior.logpdf(theta)) / mix
    got = importance_weights(theta, prior.logpdf(theta), prev, np.linalg.cholesky(cov))
    np.testing.assert_allclose(got, expected / expected.sum(), rtol=1e-10)


def test_weighted_moments_match_numpy() -> None:
    rng = np.random.default_rng(1)
    x, w = rng.normal(size=(50, 3)), rng.random(50)
    mean, cov = weighted_moments(x, w)
    np.testing.assert_allclose(mean, np.average(x, axis=0, weights=w))
    np.testing.assert_allclose(cov, np.cov(x.T, aweights=w, bias=True))


# --- stopping rules -----------------------------------------------------------------------------

def test_stops_at_the_first_generation_at_or_below_min_epsilon() -> None:
    result = run(min_epsilon=1.5, max_generations=20)
    assert result.stop_reason == "min_epsilon"
    eps = result.trace["epsilon"].to_numpy()
    assert eps[-1] == 1.5 and np.all(eps[:-1] > 1.5)


def test_stops_after_max_generations() -> None:
    result = run(max_generations=3)
    assert result.stop_reason == "max_generations" and len(result.trace) == 3


def test_a_generation_that_cannot_reach_the_acceptance_floor_is_abandoned() -> None:
    result = run(max_generations=30, min_acceptance=0.05)
    assert result.stop_reason == "min_acceptance"
    assert result.trace["acceptance_rate"].min() >= 0.05 * 0.9    # kept ones: at or near the floor


def test_the_simulation_budget_is_respected() -> None:
    result = run(max_generations=30, max_simulations=3_000)
    assert result.stop_reason == "max_simulations"
    assert result.trace["simulations"].sum() <= 3_000


def test_progress_reports_each_batch_with_the_time_left() -> None:
    reports: list[ABCProgress] = []
    now = iter(np.arange(0.0, 1e6, 0.5))
    result = run(progress=reports.append, clock=lambda: float(next(now)))
    assert reports and {r.generation for r in reports} == set(range(len(result.trace)))
    last = [r for r in reports if r.accepted == r.population_size]
    assert len(last) == len(result.trace) and all(r.seconds_left == 0 for r in last)
    assert all(r.total_simulations >= r.simulations for r in reports)
    text = str(reports[-1])
    assert text.startswith(f"ABC generation {reports[-1].generation} (at most") and "s left" in text


# --- reproducibility and resuming ---------------------------------------------------------------

def test_same_seed_same_posterior_and_files_bit_for_bit(tmp_path: Path) -> None:
    a, b = run(tmp_path / "a"), run(tmp_path / "b")
    pd.testing.assert_frame_equal(a.posterior, b.posterior, check_exact=True)
    pd.testing.assert_frame_equal(a.trace.drop(columns="seconds"), b.trace.drop(columns="seconds"),
                                  check_exact=True)
    fa, fb = files(tmp_path / "a"), files(tmp_path / "b")
    timed = ("trace.parquet", "generation.json")          # hold the wall time
    assert {k: v for k, v in fa.items() if not k.endswith(timed)} == \
        {k: v for k, v in fb.items() if not k.endswith(timed)}
    assert "posterior.parquet" in fa and "generations/000/particles.parquet" in fa
    c = run(seed=8)
    assert not np.array_equal(a.posterior["rate"].to_numpy(), c.posterior["rate"].to_numpy())


def test_an_interrupted_run_keeps_its_finished_generations_and_resumes_bit_for_bit(tmp_path: Path) -> None:
    whole = run(tmp_path / "whole")
    simulate, calls = interrupting(after_calls=4)
    with pytest.raises(Interrupt):
        run(tmp_path / "cut", simulate=simulate)
    cut = tmp_path / "cut"
    before = files(cut)
    finished = sorted(p.parent.name for p in cut.glob("generations/*/generation.json"))
    assert finished and not (cut / "result.json").exists() and not (cut / "posterior.parquet").exists()
    assert not list(cut.rglob(".*.tmp"))
    for name in finished:                      # every finished generation is intact and readable
        assert before[f"generations/{name}/particles.parquet"] == \
            files(tmp_path / "whole")[f"generations/{name}/particles.parquet"]

    simulate, calls = interrupting(after_calls=10**6)
    resumed = run(cut, simulate=simulate)
    pd.testing.assert_frame_equal(resumed.posterior, whole.posterior, check_exact=True)
    assert files(cut)["posterior.parquet"] == files(tmp_path / "whole")["posterior.parquet"]
    assert sum(calls) == whole.trace["simulations"].iloc[len(finished):].sum()   # nothing simulated twice

    simulate, calls = interrupting(after_calls=0)          # finished: read back, nothing simulated
    again = run(cut, simulate=simulate)
    pd.testing.assert_frame_equal(again.posterior, whole.posterior, check_exact=True)
    assert calls == []


def test_a_damaged_generation_is_recomputed_from_the_one_before(tmp_path: Path) -> None:
    whole = run(tmp_path / "a")
    particles = tmp_path / "a" / "generations" / "002" / "particles.parquet"
    particles.write_bytes(particles.read_bytes()[:100])
    resumed = run(tmp_path / "a")
    pd.testing.assert_frame_equal(resumed.posterior, whole.posterior, check_exact=True)


def test_a_looser_stopping_rule_continues_where_the_run_stopped(tmp_path: Path) -> None:
    run(tmp_path / "a", max_generations=3)
    longer = run(tmp_path / "a", max_generations=5)
    direct = run(max_generations=5)
    pd.testing.assert_frame_equal(longer.posterior, direct.posterior, check_exact=True)
    assert len(longer.trace) == 5


def test_resuming_with_other_settings_is_refused(tmp_path: Path) -> None:
    run(tmp_path / "a", max_generations=2)
    with pytest.raises(ConfigError) as err:
        run(tmp_path / "a", max_generations=2, seed=8, population_size=50)
    assert str(err.value) == (f"out: invalid value '{tmp_path / 'a'}': it holds a calibration with other "
                              "max_batch, population_size, seed; allowed: the same settings to resume, or a "
                              "new folder")
    with pytest.raises(ConfigError, match="other meta;"):
        run(tmp_path / "a", max_generations=2, meta={"replications_per_particle": 62})


def test_a_folder_that_is_not_a_calibration_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ConfigError) as err:
        run(tmp_path)
    assert str(err.value) == (f"out: invalid value '{tmp_path}': a folder that holds no calibration; "
                              "allowed: a new or empty folder, or the folder of a calibration to resume")


# --- bad input ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("setting", "value", "allowed"), [
    ("population_size", 1, "an integer >= 2"),
    ("population_size", 10.0, "an integer >= 2"),
    ("seed", -1, "an integer in [0, 2**63)"),
    ("quantile", 1.0, "a number in (0, 1)"),
    ("min_epsilon", -0.1, "a number >= 0"),
    ("max_generations", 0, "an integer >= 1"),
    ("min_acceptance", 1.0, "a number in [0, 1)"),
    ("max_simulations", 10, "None or an integer >= population_size"),
    ("max_batch", 0, "an integer >= 1"),
])
def test_bad_settings_are_refused_in_one_line(setting: str, value: object, allowed: str) -> None:
    with pytest.raises(ConfigError) as err:
        run(**{setting: value})
    assert str(err.value) == f"{setting}: invalid value {value!r}; allowed: {allowed}"


def test_a_simulator_returning_the_wrong_shape_or_nan_is_named() -> None:
    with pytest.raises(ValueError, match=r"^simulate: returned shape \(100, 2\); allowed: \(100, 3\), one "
                                         "row of 3 statistics per particle$"):
        run(simulate=lambda params, seed: np.zeros((len(params), 2)))
    with pytest.raises(ValueError, match=r"^simulate: returned \[nan, 0.0, 0.0\] for particle 0; allowed: "):
        run(simulate=lambda params, seed: np.where(np.arange(3) == 0, np.nan, np.zeros((len(params), 3))))


def test_calibration_imports_neither_mesa_nor_hydra_nor_the_model() -> None:
    forbidden = ("mesa", "hydra", "omegaconf", "deterrence_sim.model", "deterrence_sim.agents",
                 "deterrence_sim.api", "deterrence_sim.cli", "deterrence_sim.sweep", "deterrence_sim.results",
                 "deterrence_sim.core")
    for path in SRC.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.startswith(forbidden), f"{path.name} imports {name}"
