"""ABC-SMC with an adaptive tolerance, simulating whole populations of particles in one call.

The sampler is population Monte Carlo ABC (Beaumont, Cornuet, Marin and Robert 2009,
Biometrika 96(4)) with the tolerance schedule of Drovandi and Pettitt (2011, Biometrics 67(1)):

1. Generation 0 draws ``population_size`` particles from the prior and simulates them (tolerance
   infinite: every particle is kept, with equal weights).
2. Generation t sets its tolerance ``epsilon_t`` to the weighted ``quantile`` of the distances of
   generation t - 1 (the median by default). It proposes particles by drawing one of generation
   t - 1 by its weight and moving it with a multivariate normal kernel whose covariance is twice
   the weighted covariance of generation t - 1; proposals outside the prior's support are drawn
   again without being simulated. Proposals are simulated in batches, one call of the simulator
   per batch, until ``population_size`` have a distance <= ``epsilon_t``. Their importance weights
   are

   .. math:: w_i \\propto \\frac{\\pi(\\theta_i)}{\\sum_j w_j^{(t-1)} K(\\theta_i \\mid \\theta_j^{(t-1)})}.

3. It stops after the first generation with ``epsilon <= min_epsilon``, after
   ``max_generations`` generations, when a generation's acceptance rate falls below
   ``min_acceptance`` (a generation that cannot reach it is abandoned as soon as that is certain:
   after ``population_size / min_acceptance`` simulations), when ``max_simulations`` are spent, or
   when no smaller tolerance is left (all distances equal).

Random numbers: generation t proposes from a generator seeded by ``(seed, t)``, and its batch b
is simulated with the seed derived from ``(seed, t, b)``; nothing else is random. So a seed gives
the same posterior bit for bit, and a run resumed from generation t continues exactly as the
uninterrupted run would have.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from deterrence_sim.calibration import store
from deterrence_sim.calibration.priors import Prior
from deterrence_sim.calibration.store import Generation
from deterrence_sim.fields import ConfigError

Simulator = Callable[[pd.DataFrame, int], np.ndarray]
"""``simulate(params, rng_seed) -> stats``: one row of statistics per row of ``params``."""

Distance = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""``distance(stats, observed) -> distances``: one number per particle."""

STOP_EPSILON = "min_epsilon"
STOP_GENERATIONS = "max_generations"
STOP_ACCEPTANCE = "min_acceptance"
STOP_SIMULATIONS = "max_simulations"
STOP_STALLED = "no smaller tolerance"

_IDENTITY = ("population_size", "quantile", "seed", "max_batch")
_STOP_RULES = ("min_epsilon", "max_generations", "min_acceptance", "max_simulations")


@dataclass(frozen=True)
class ABCProgress:
    """What the sampler reports after each batch.

    ``seconds_left`` is the time left in this generation, from its acceptance rate so far (NaN
    before its first acceptance); how many generations remain is not known in advance, since the
    tolerance adapts, but it is at most ``generations_left``.
    """

    generation: int
    epsilon: float
    accepted: int
    population_size: int
    simulations: int
    total_simulations: int
    elapsed_s: float
    seconds_left: float
    generations_left: int

    def __str__(self) -> str:
        left = "?" if math.isnan(self.seconds_left) else f"{self.seconds_left:.0f}"
        return (f"ABC generation {self.generation} (at most {self.generations_left} more), epsilon "
                f"{self.epsilon:.4g}: {self.accepted:,}/{self.population_size:,} accepted after "
                f"{self.simulations:,} simulations, {self.elapsed_s:.0f} s elapsed, ~{left} s left in this "
                "generation")


@dataclass(frozen=True)
class ABCResult:
    """The outcome of :func:`abc_smc`.

    Attributes
    ----------
    posterior : pandas.DataFrame
        The last generation: one column per parameter (float64), then ``weight`` (normalised)
        and ``distance``.
    trace : pandas.DataFrame
        One row per generation: ``generation``, ``epsilon``, ``acceptance_rate``,
        ``simulations``, ``ess`` (effective sample size) and ``seconds``.
    stop_reason : str
        Which stopping rule ended the run.
    generations : list of Generation
        Every finished generation.
    """

    posterior: pd.DataFrame
    trace: pd.DataFrame
    stop_reason: str
    generations: list[Generation] = field(repr=False)

    @property
    def names(self) -> tuple[str, ...]:
        """The parameters, in column order."""
        return tuple(self.posterior.columns[:-2])

    def summary(self, quantiles: Sequence[float] = (0.05, 0.5, 0.95)) -> pd.DataFrame:
        """Weighted posterior mean, standard deviation and quantiles of each parameter."""
        w = self.posterior["weight"].to_numpy()
        rows = []
        for name in self.names:
            x = self.posterior[name].to_numpy()
            mean = float(w @ x)
            row = {"parameter": name, "mean": mean, "sd": float(np.sqrt(w @ (x - mean) ** 2))}
            row |= {f"q{100 * q:g}": weighted_quantile(x, w, q) for q in quantiles}
            rows.append(row)
        return pd.DataFrame(rows)


def weighted_quantile(values: Sequence[float], weights: Sequence[float], q: float) -> float:
    """The ``q`` quantile of a weighted sample: the smallest value whose cumulative weight >= q.

    Examples
    --------
    >>> weighted_quantile([3.0, 1.0, 2.0], [0.2, 0.5, 0.3], 0.5)
    1.0
    >>> weighted_quantile([3.0, 1.0, 2.0], [0.2, 0.5, 0.3], 0.6)
    2.0
    """
    x, w = np.asarray(values, dtype=float), np.asarray(weights, dtype=float)
    order = np.argsort(x, kind="stable")
    cum = np.cumsum(w[order]) / np.sum(w)
    return float(x[order][min(int(np.searchsorted(cum, q, side="left")), x.size - 1)])


def abc_smc(simulate: Simulator, prior: Prior, observed: Sequence[float], distance: Distance, *,
            population_size: int = 500, seed: int = 0, out: Path | str | None = None,
            quantile: float = 0.5, min_epsilon: float = 0.0, max_generations: int = 20,
            min_acceptance: float = 0.01, max_simulations: int | None = None,
            max_batch: int | None = None, meta: Mapping[str, Any] | None = None,
            progress: Callable[[ABCProgress], None] | None = None,
            clock: Callable[[], float] = time.monotonic) -> ABCResult:
    """Sample the ABC posterior of ``prior`` given ``observed`` statistics by ABC-SMC.

    Parameters
    ----------
    simulate : callable
        ``simulate(params, rng_seed)``: ``params`` is a DataFrame with one float64 column per
        parameter (``prior.names``) and one row per particle, ``rng_seed`` an int in
        [0, 2**63); returns an array of shape ``(len(params), len(observed))``. It must be a
        function of its arguments only, and the rows must be independent draws: particles must
        not share random numbers (see docs/decisions.md, "Calibration").
    prior : Prior
        The priors of the parameters (:meth:`Prior.from_spec`).
    observed : sequence of float
        The observed summary statistics.
    distance : callable
        ``distance(stats, observed)`` -> one distance per row, e.g. :class:`SurvivalDistance`.
    population_size : int, default 500
        Particles per generation, >= 2.
    seed : int, default 0
        Root seed, in [0, 2**63).
    out : path, optional
        Folder to write each finished generation to (see :mod:`deterrence_sim.calibration.store`)
        and to resume from: a folder holding a run with the same settings is continued from its
        last finished generation.
    quantile : float, default 0.5
        Quantile of the previous generation's distances that sets the next tolerance, in (0, 1).
    min_epsilon, max_generations, min_acceptance, max_simulations
        Stopping rules (see the module's description); they may change when a run is resumed.
    max_batch : int, optional
        Most particles per call of ``simulate`` (default ``10 * population_size``).
    meta : mapping, optional
        JSON-ready description of the simulator and targets (scenario, replications, target
        set, ...), stored with the run; resuming requires the same.
    progress : callable, optional
        Called with an :class:`ABCProgress` after each batch.
    clock : callable, default time.monotonic
        Wall clock (seconds), for the progress reports and the trace's ``seconds``.

    Returns
    -------
    ABCResult

    Examples
    --------
    Failure times exponential with rate ``lam`` per year; 62 cases, 24 failed within a year:

    >>> from deterrence_sim.calibration import Prior, SurvivalDistance
    >>> def simulate(params, rng_seed):
    ...     rng = np.random.default_rng(rng_seed)
    ...     years = rng.exponential(size=(len(params), 62)) / params[["lam"]].to_numpy()
    ...     return (years <= 1.0).mean(axis=1, keepdims=True)
    >>> prior = Prior.from_spec({"lam": {"dist": "uniform", "low": 0.0, "high": 2.0}})
    >>> result = abc_smc(simulate, prior, [24 / 62], SurvivalDistance((24 / 62,), (62,)),
    ...                  population_size=200, seed=1)
    >>> result.stop_reason, float(result.trace["epsilon"].iloc[-1])
    ('min_epsilon', 0.0)
    >>> round(float(result.summary()["mean"].iloc[0]), 1)   # exact posterior mean: 0.50
    0.5
    """
    obs = np.asarray(observed, dtype=float)
    settings = _check_settings(population_size=population_size, seed=seed, quantile=quantile,
                               min_epsilon=min_epsilon, max_generations=max_generations,
                               min_acceptance=min_acceptance, max_simulations=max_simulations,
                               max_batch=10 * population_size if max_batch is None else max_batch)
    if obs.ndim != 1 or obs.size == 0 or not np.all(np.isfinite(obs)):
        raise ConfigError(f"observed: invalid value {observed!r}; allowed: a non-empty list of finite "
                          "numbers")
    identity = {**{k: settings[k] for k in _IDENTITY}, "names": list(prior.names), "prior": prior.spec,
                "observed": obs.tolist(), "distance": repr(distance), "meta": dict(meta or {})}
    stops = {k: settings[k] for k in _STOP_RULES}
    folder = Path(out) if out is not None else None
    gens = _open(folder, identity, stops, prior.names) if folder else []
    if folder and gens and (folder / store.RESULT).is_file():
        done = store.read_json(folder / store.RESULT)
        if done.get("stop_rules") == stops and done.get("generations") == len(gens):
            return _result(gens, prior.names, done["stop_reason"])
    if folder:
        (folder / store.RESULT).unlink(missing_ok=True)
    sampler = _Sampler(simulate, prior, obs, distance, settings, progress, clock)
    meta_out = {"identity": identity}
    while True:
        reason = _stop_after(gens, stops)
        epsilon = np.inf if not gens else _next_epsilon(gens[-1], quantile, min_epsilon)
        if not reason and epsilon is None:
            reason = STOP_STALLED
        if reason:
            break
        gen, reason = sampler.generation(len(gens), epsilon, gens[-1] if gens else None,
                                         sum(g.simulations for g in gens))
        if gen is None:
            break
        gens.append(gen)
        if folder:
            store.write_generation(folder, gen, prior.names, meta_out)
            store.write_table(store.trace_frame(gens), folder / store.TRACE, meta_out)
    result = _result(gens, prior.names, reason)
    if folder:
        store.write_table(result.posterior, folder / store.POSTERIOR, {**meta_out, "stop_reason": reason})
        store.write_json(folder / store.RESULT, {"stop_reason": reason, "stop_rules": stops,
                                                 "generations": len(gens),
                                                 "simulations": int(result.trace["simulations"].sum())})
    return result


class _Sampler:
    """One generation at a time: propose, simulate in batches, accept, weight."""

    def __init__(self, simulate: Simulator, prior: Prior, observed: np.ndarray, distance: Distance,
                 settings: dict[str, Any], progress: Callable[[ABCProgress], None] | None,
                 clock: Callable[[], float]) -> None:
        self.simulate, self.prior, self.observed, self.distance = simulate, prior, observed, distance
        self.s, self.progress, self.clock = settings, progress, clock

    def generation(self, number: int, epsilon: float, prev: Generation | None,
                   spent: int) -> tuple[Generation | None, str]:
        """Run generation ``number`` at ``epsilon``; (None, reason) if it is abandoned."""
        n, seed = self.s["population_size"], self.s["seed"]
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(number, 0))))
        chol = None if prev is None else _cholesky(2.0 * weighted_moments(prev.theta, prev.weights)[1])
        floor = self.s["min_acceptance"]
        cap = math.inf if prev is None or floor == 0 else math.ceil(n / floor)
        budget = math.inf if self.s["max_simulations"] is None else self.s["max_simulations"] - spent
        guess = 1.0 if prev is None else prev.acceptance_rate      # optimistic: better a second batch
        #                                                             than simulations thrown away
        thetas, dists, accepted, sims, batch, start = [], [], 0, 0, 0, self.clock()
        while accepted < n:
            rate = (accepted + 1) / (sims + 1 / guess)
            want = n - accepted if prev is None else math.ceil((1.1 if sims else 1.0) * (n - accepted) / rate)
            size = min(want, self.s["max_batch"], cap - sims, budget - sims)
            if size <= 0:
                return None, STOP_ACCEPTANCE if sims >= cap else STOP_SIMULATIONS
            theta = self.prior.sample(rng, size) if prev is None else self._perturb(rng, prev, chol, size)
            d = self._distances(theta, _sim_seed(seed, number, batch))
            keep = np.flatnonzero(d <= epsilon)[: n - accepted]
            thetas.append(theta[keep])
            dists.append(d[keep])
            accepted, sims, batch = accepted + keep.size, sims + size, batch + 1
            if self.progress:
                elapsed = self.clock() - start
                left = elapsed * (n - accepted) / accepted if accepted else math.nan
                self.progress(ABCProgress(number, epsilon, accepted, n, sims, spent + sims, elapsed, left,
                                          self.s["max_generations"] - number - 1))
        theta = np.concatenate(thetas)
        weights = (np.full(n, 1.0 / n) if prev is None
                   else importance_weights(theta, self.prior.logpdf(theta), prev, chol))
        return Generation(number, theta, weights, np.concatenate(dists), epsilon, sims,
                          self.clock() - start), ""

    def _perturb(self, rng: np.random.Generator, prev: Generation, chol: np.ndarray, size: int) -> np.ndarray:
        """``size`` proposals inside the prior's support (moves outside it are redrawn)."""
        found, have = [], 0
        for _ in range(10_000):
            k = size - have
            idx = rng.choice(prev.weights.size, size=k, p=prev.weights)
            move = np.einsum("ij,nj->ni", chol, rng.standard_normal((k, chol.shape[0])), optimize=False)
            cand = prev.theta[idx] + move
            cand = cand[np.isfinite(self.prior.logpdf(cand))]
            found.append(cand)
            have += cand.shape[0]
            if have >= size:
                return np.concatenate(found)[:size]
        raise RuntimeError("abc_smc: the perturbation kernel almost never lands inside the prior's support")

    def _distances(self, theta: np.ndarray, rng_seed: int) -> np.ndarray:
        stats = np.asarray(self.simulate(self.prior.frame(theta), rng_seed), dtype=float)
        want = (theta.shape[0], self.observed.size)
        if stats.shape != want:
            raise ValueError(f"simulate: returned shape {stats.shape}; allowed: {want}, one row of "
                             f"{self.observed.size} statistics per particle")
        if not np.all(np.isfinite(stats)):
            row = int(np.flatnonzero(~np.all(np.isfinite(stats), axis=1))[0])
            raise ValueError(f"simulate: returned {stats[row].tolist()} for particle {row}; allowed: finite "
                             "statistics")
        d = np.asarray(self.distance(stats, self.observed), dtype=float)
        if d.shape != (theta.shape[0],) or np.any(np.isnan(d)) or np.any(d < 0):
            raise ValueError(f"distance: returned shape {d.shape} or NaN or negative values; allowed: "
                             f"{theta.shape[0]} distances >= 0")
        return d


def weighted_moments(theta: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean and covariance (weights normalised to 1) of the rows of ``theta``."""
    w = weights / np.sum(weights)
    mean = np.einsum("n,ni->i", w, theta, optimize=False)
    c = theta - mean
    return mean, np.einsum("n,ni,nj->ij", w, c, c, optimize=False)


def importance_weights(theta: np.ndarray, log_prior: np.ndarray, prev: Generation,
                       chol: np.ndarray) -> np.ndarray:
    """Normalised weights ``prior / sum_j w_j K(theta | theta_j)`` with a normal kernel ``K``.

    ``chol`` is the lower Cholesky factor of the kernel's covariance. Computed in logs and in
    blocks of rows, so thousands of particles need little memory.
    """
    inv = np.linalg.inv(chol)
    d = theta.shape[1]
    log_const = -0.5 * d * np.log(2 * np.pi) - np.sum(np.log(np.diag(chol)))
    log_prev = np.log(prev.weights)
    log_mix = np.empty(theta.shape[0])
    for lo in range(0, theta.shape[0], 256):
        diff = theta[lo:lo + 256, None, :] - prev.theta[None, :, :]
        z = np.einsum("kd,cnd->cnk", inv, diff, optimize=False)
        log_k = log_const - 0.5 * np.einsum("cnk,cnk->cn", z, z, optimize=False)
        log_mix[lo:lo + 256] = special.logsumexp(log_k + log_prev, axis=1)
    log_w = log_prior - log_mix
    w = np.exp(log_w - np.max(log_w))
    return w / np.sum(w)


def _cholesky(cov: np.ndarray) -> np.ndarray:
    """Lower Cholesky factor, with a growing ridge if ``cov`` is (numerically) singular."""
    ridge = 0.0
    scale = max(float(np.max(np.diag(cov))), 1e-300)
    for _ in range(20):
        try:
            return np.linalg.cholesky(cov + ridge * np.eye(cov.shape[0]))
        except np.linalg.LinAlgError:
            ridge = 1e-12 * scale if ridge == 0.0 else 10.0 * ridge
    raise RuntimeError("abc_smc: the particles' covariance is not positive definite")


def _next_epsilon(last: Generation, quantile: float, min_epsilon: float) -> float | None:
    """The next tolerance: the weighted quantile of the last distances, or the largest distance
    below the last tolerance when the quantile does not go below it; None if nothing is below.

    Distances within a relative 1e-9 of the last tolerance count as equal to it: the same counts
    can give distances that differ in the last bit, and a generation that lowers the tolerance by
    one bit would be wasted."""
    ceiling = last.epsilon * (1.0 - 1e-9)          # distances 1e-9 apart are the same distance
    eps = weighted_quantile(last.distances, last.weights, quantile)
    if eps >= ceiling:
        below = last.distances[last.distances < ceiling]
        if below.size == 0:
            return None
        eps = float(below.max())
    eps = max(eps, min_epsilon)
    return None if eps >= ceiling else eps


def _stop_after(gens: list[Generation], stops: dict[str, Any]) -> str:
    if not gens:
        return ""
    last = gens[-1]
    if last.epsilon <= stops["min_epsilon"]:
        return STOP_EPSILON
    if len(gens) >= stops["max_generations"]:
        return STOP_GENERATIONS
    if last.number and last.acceptance_rate < stops["min_acceptance"]:
        return STOP_ACCEPTANCE
    if stops["max_simulations"] is not None and sum(g.simulations for g in gens) >= stops["max_simulations"]:
        return STOP_SIMULATIONS
    return ""


def _sim_seed(seed: int, generation: int, batch: int) -> int:
    state = np.random.SeedSequence(seed, spawn_key=(generation, 1, batch)).generate_state(1, np.uint64)
    return int(state[0] >> np.uint64(1))


def _result(gens: list[Generation], names: tuple[str, ...], reason: str) -> ABCResult:
    if not gens:
        raise RuntimeError(f"abc_smc: no generation finished ({reason})")
    return ABCResult(gens[-1].frame(names), store.trace_frame(gens), reason, gens)


def _open(folder: Path, identity: dict[str, Any], stops: dict[str, Any],
          names: tuple[str, ...]) -> list[Generation]:
    """Start a run in ``folder``, or read the finished generations of the same run there."""
    settings = folder / store.SETTINGS
    if settings.is_file():
        old = store.read_json(settings)["identity"]
        new = store.as_json(identity)
        changed = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
        if changed:
            raise ConfigError(f"out: invalid value '{folder}': it holds a calibration with other "
                              f"{', '.join(changed)}; allowed: the same settings to resume, or a new folder")
        return store.read_generations(folder, names)
    if folder.exists() and any(folder.iterdir()):
        raise ConfigError(f"out: invalid value '{folder}': a folder that holds no calibration; allowed: a "
                          "new or empty folder, or the folder of a calibration to resume")
    folder.mkdir(parents=True, exist_ok=True)
    store.write_json(settings, {"identity": identity, "stop_rules": stops})
    return []


def _check_settings(**s: Any) -> dict[str, Any]:
    rules = {
        "population_size": (lambda v: _is_int(v) and v >= 2, "an integer >= 2"),
        "seed": (lambda v: _is_int(v) and 0 <= v < 2 ** 63, "an integer in [0, 2**63)"),
        "quantile": (lambda v: _is_num(v) and 0 < v < 1, "a number in (0, 1)"),
        "min_epsilon": (lambda v: _is_num(v) and v >= 0, "a number >= 0"),
        "max_generations": (lambda v: _is_int(v) and v >= 1, "an integer >= 1"),
        "min_acceptance": (lambda v: _is_num(v) and 0 <= v < 1, "a number in [0, 1)"),
        "max_simulations": (lambda v: v is None or (_is_int(v) and v >= s["population_size"]),
                            "None or an integer >= population_size"),
        "max_batch": (lambda v: _is_int(v) and v >= 1, "an integer >= 1"),
    }
    for key, (ok, allowed) in rules.items():
        if not ok(s[key]):
            raise ConfigError(f"{key}: invalid value {s[key]!r}; allowed: {allowed}")
    return {k: (float(v) if k in ("quantile", "min_epsilon", "min_acceptance") else v) for k, v in s.items()}


def _is_int(v: Any) -> bool:
    return isinstance(v, int | np.integer) and not isinstance(v, bool)


def _is_num(v: Any) -> bool:
    number = isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool)
    return number and bool(np.isfinite(v))
