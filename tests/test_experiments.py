"""The findings pages of experiments/: each generator runs on a small real sweep, every number it
prints is the analysis' number, and bad input gives one line and exit code 2."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import deterrence_sim as ds
from deterrence_sim.analysis import all_or_nothing, early_warning, period_hazard
from sweep_builder import load_script, tiny_sweep

EXPERIMENTS = Path(__file__).resolve().parents[1] / "experiments"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def paris():
    return load_script(EXPERIMENTS / "paris_2026" / "make_findings.py")


def test_paris_findings_are_generated_from_the_tiny_sweep(paris, tmp_path, capsys):
    out = tmp_path / "FINDINGS.md"
    paris.main([str(tiny_sweep()), "--out", str(out)])
    text = out.read_text()
    runs = ds.load_sweep(tiny_sweep())
    base = runs.loc[runs["guarantee"] == "none", "collapsed"].mean()
    assert f"from {100 * base:.1f}% [" in text
    assert paris.REGENERATE in text.splitlines()[2]              # the one-line command, in the header
    war = runs.loc[runs["guarantee"] == "paris_package", "wider_war"].mean()
    assert f"a wider-war risk of {100 * war:.1f}% [" in text
    extreme, cells = all_or_nothing(runs, ["guarantee"])
    assert f"In **{extreme} of {cells}** guarantee cells" in text
    funnel = early_warning(runs, ["guarantee"])
    section = text.split("## All-or-nothing cells")[1].split("\n## ")[0]
    rows = [line for line in section.splitlines() if line.startswith(("| none |", "| paris_package |"))]
    assert len(rows) == extreme        # one explained row per all-or-nothing cell
    for line in rows:
        design = line.split("|")[1].strip()
        started = funnel.set_index("guarantee").loc[design, "buildups_started"]
        assert f"{started:,} build-ups in" in line
    assert "The sweep has no cell without monitoring and without a guarantee." in text  # all us_led_tech
    for section in ("All-or-nothing cells", "Robustness", "Cost-effectiveness", "Escalation risk"):
        assert f"## {section}" in text
    with pytest.raises(SystemExit) as exc:
        paris.main([str(tiny_sweep()), "--design", "nato", "--out", str(tmp_path / "other.md")])
    assert exc.value.code == 2
    assert capsys.readouterr().err == ("make_findings: error: guarantee 'nato' is not in the sweep (none, "
                                       "paris_package)\n")
    assert not (tmp_path / "other.md").exists()


def test_paris_findings_give_the_bare_truce_hazard_per_attack_profile(paris, tmp_path):
    bare = ["monitoring=none", "sim.horizon_days=200"]
    runs = pd.concat([ds.simulate([*bare, f"guarantee={g}", f"attack={a}"], replications=30).runs
                      for a in ("cautious", "revisionist") for g in ("none", "sanctions")], ignore_index=True)
    sweep = tmp_path / "sweep"
    sweep.mkdir()
    runs.assign(job=runs.groupby(["attack", "guarantee"]).ngroup()).to_parquet(sweep / "runs.parquet")
    out = tmp_path / "page" / "FINDINGS.md"
    out.parent.mkdir()
    paris.main([str(sweep), "--out", str(out), "--design", "sanctions"])
    text = out.read_text()
    assert "](figures/bare_truce_hazard.png)" in text
    assert (out.parent / "figures" / "bare_truce_hazard.png").read_bytes().startswith(PNG)
    bare = runs[runs["guarantee"] == "none"]
    table = period_hazard(bare, by=["attack"], period_days=paris.PERIOD_DAYS)
    assert len(table) == 2 * 2                                # 1-90 and 91-200 per attack profile
    for r in table.itertuples():
        row = (f"| {r.attack} | {r.start_day + 1}–{r.end_day} | {r.at_risk:,} | {r.collapses:,} | "
               f"{100 * r.collapse_share:.1f}% [")
        assert row in text, row
    assert sum(line.startswith(("- cautious: ", "- revisionist: ")) for line in text.splitlines()) == 2
