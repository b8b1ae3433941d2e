"""How the batched core scales: time against replications, sectors and days; memory against days.

Run from the repository root (about five minutes on the 2-core development machine)::

    python benchmarks/scaling.py --out docs/img/scaling.png

It prints a Markdown table (the one in docs/performance.md) and writes the plot. Every point is the
default scenario (opportunist x us_led_tech x paris_package) with one quantity varied; each time is
the best of ``--repeats`` wall-clock runs of ``simulation.simulate_scenario`` in one block (other users
of the machine only ever add time). Each sweep is fitted by a straight line ``t = a + b x``
(least squares): linear scaling means the points lie on it; ``a`` is the fixed cost per simulated
day times the days, which is what small runs pay. Peak memory is traced with ``tracemalloc`` in a
separate run at 1,000 replications. A few replications of this scenario collapse (20 of 1,000
within 730 days); a collapsed replication stays in its block, masked, until every one has collapsed
or the horizon is reached, so the work is still replications x sectors x days.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
import tracemalloc
from pathlib import Path

import numpy as np

from deterrence_sim import compose_scenario
from deterrence_sim.simulation import simulate_scenario

SWEEPS = {   # quantity varied: (values, fixed replications, sectors, days)
    "replications": ([1_000, 4_000, 8_000, 16_000, 32_000], None, 40, 182),
    "sectors": ([10, 40, 80, 160, 320], 4_000, None, 182),
    "days": ([91, 182, 365, 730], 4_000, 40, None),
}


def scenario(replications: int, sectors: int, days: int):
    base = compose_scenario([])
    sim = dataclasses.replace(base.sim, replications=replications, block_size=replications,
                              horizon_days=days)
    theater = dataclasses.replace(base.theater, n_sectors=sectors)
    return dataclasses.replace(base, sim=sim, theater=theater)


def seconds(sc, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        simulate_scenario(sc)
        best = min(best, time.perf_counter() - start)
    return best


def peak_mib(sc) -> float:
    tracemalloc.start()
    simulate_scenario(sc)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def measure(repeats: int) -> list[dict]:
    rows = []
    for varied, (values, r_fixed, s_fixed, d_fixed) in SWEEPS.items():
        for v in values:
            r, s, d = (v if r_fixed is None else r_fixed, v if s_fixed is None else s_fixed,
                       v if d_fixed is None else d_fixed)
            t = seconds(scenario(r, s, d), repeats)
            row = {"varied": varied, "replications": r, "sectors": s, "days": d, "seconds": t,
                   "ns_per_sector_day": t / (r * s * d) * 1e9}
            if varied == "days":
                row["peak_mib"] = peak_mib(scenario(1_000, s, d))
            rows.append(row)
            print(f"  {varied}={v}: {t:.2f} s", flush=True)
    for varied in SWEEPS:
        pts = [r for r in rows if r["varied"] == varied]
        slope, intercept = np.polyfit([r[varied] for r in pts], [r["seconds"] for r in pts], 1)
        for r in pts:
            r["fit"] = intercept + slope * r[varied]
            r["slope"], r["intercept"] = slope, intercept
    return rows


def table(rows: list[dict]) -> str:
    lines = ["| varied | replications | sectors | days | time (s) | straight-line fit (s) "
             "| ns per sector-day "
             "| peak memory |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        mem = f"{r['peak_mib']:.1f} MiB" if "peak_mib" in r else ""
        lines.append(f"| {r['varied']} | {r['replications']:,} | {r['sectors']} | {r['days']} | "
                     f"{r['seconds']:.2f} | {r['fit']:.2f} | {r['ns_per_sector_day']:.0f} | {mem} |")
    return "\n".join(lines)


def plot(rows: list[dict], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 4, figsize=(16, 3.8), layout="constrained")
    for ax, varied in zip(axes, SWEEPS, strict=False):
        pts = [r for r in rows if r["varied"] == varied]
        x = np.array([r[varied] for r in pts])
        ax.plot(x, [r["seconds"] for r in pts], "o", color="black", label="measured")
        grid = np.linspace(0, x.max(), 50)
        ax.plot(grid, pts[0]["intercept"] + pts[0]["slope"] * grid, "-", color="grey",
                label=f"t = {pts[0]['intercept']:.2f} s + {pts[0]['slope'] * 1e3:.3g} ms x {varied}")
        ax.set_xlim(0, None)
        ax.set_ylim(0, None)
        ax.set_xlabel(varied)
        ax.set_ylabel("wall time (s)")
        fixed = {k: pts[0][k] for k in ("replications", "sectors", "days") if k != varied}
        ax.set_title(", ".join(f"{k} = {v:,}" for k, v in fixed.items()), fontsize=9)
        ax.legend(fontsize=8, loc="upper left")
    pts = [r for r in rows if r["varied"] == "days"]
    axes[3].plot([r["days"] for r in pts], [r["peak_mib"] for r in pts], "o-", color="black")
    axes[3].set_xlim(0, None)
    axes[3].set_ylim(0, 2 * max(r["peak_mib"] for r in pts))
    axes[3].set_xlabel("days")
    axes[3].set_ylabel("peak traced memory (MiB)")
    axes[3].set_title("replications = 1,000, sectors = 40", fontsize=9)
    fig.suptitle("deterrence-sim batched core, default scenario: time is linear in replications, "
                 "sectors and days; memory is flat in days", fontsize=10)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/img/scaling.png"))
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    rows = measure(args.repeats)
    print(table(rows))
    plot(rows, args.out)
    print(f"plot: {args.out}")


if __name__ == "__main__":
    main()
