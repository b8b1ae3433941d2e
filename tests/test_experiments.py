"""The findings pages of experiments/: each generator runs on a small real sweep, every number it
prints is the analysis' number, and bad input gives one line and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import deterrence_sim as ds
from deterrence_sim.analysis import all_or_nothing, early_warning, period_hazard
from deterrence_sim.analysis.sweeps import calibration_label
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
    manifest = json.loads((tiny_sweep() / "0" / "manifest.json").read_text())
    assert f"; calibration {calibration_label(manifest['config'])}." in text
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


# --- experiments/monitoring_value -------------------------------------------------------------

@pytest.fixture(scope="module")
def monitoring():
    return load_script(EXPERIMENTS / "monitoring_value" / "make_findings.py")


@pytest.fixture(scope="module")
def monitoring_sweep(tmp_path_factory) -> Path:
    """A small monitoring-value grid run in-process: 2 presets x 2 jamming levels x 2 designs."""
    runs = pd.concat([ds.simulate([f"monitoring={m}", f"monitoring.jamming_median={j}", f"guarantee={g}",
                                   "attack=revisionist", "sim.horizon_days=150"], replications=30).runs
                      for m in ("none", "us_led_tech") for j in (0, 0.75) for g in ("none", "sanctions")],
                     ignore_index=True)
    sweep = tmp_path_factory.mktemp("monitoring") / "sweep"
    sweep.mkdir()
    job = runs.groupby(["monitoring", "monitoring.jamming_median", "guarantee"]).ngroup()
    runs.assign(job=job).to_parquet(sweep / "runs.parquet")
    return sweep


def test_the_monitoring_value_preset_sets_the_swept_jamming_over_the_presets_own():
    scenario = ds.compose_scenario(["+experiment=monitoring_value", "monitoring=us_led_tech_jammed",
                                    "monitoring.jamming_median=0"])
    assert scenario.monitoring.jamming_median == 0 and scenario.sim.replications == 300
    assert scenario.monitoring.assets["drone_patrols"].loss_rate_per_day == 0.08   # the preset's own


def test_monitoring_findings_give_paired_differences_from_the_sweep(monitoring, monitoring_sweep, tmp_path):
    out = tmp_path / "FINDINGS.md"
    monitoring.main([str(monitoring_sweep), "--out", str(out)])
    text = out.read_text()
    assert monitoring.REGENERATE in text.splitlines()[2]
    runs = ds.load_sweep(monitoring_sweep)
    cell = runs[(runs["guarantee"] == "none") & (runs["monitoring.jamming_median"] == 0.75)]
    base, tech = (cell[cell["monitoring"] == m].set_index("replication") for m in ("none", "us_led_tech"))
    collapse = (tech["collapsed"].astype(int) - base["collapsed"].astype(int)).mean()
    surprise = (tech["surprise_offensive"].astype(int) - base["surprise_offensive"].astype(int)).mean()
    row = next(line for line in text.splitlines() if line.startswith("| revisionist | none | 0.75 |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[3] == f"{100 * base['collapsed'].mean():.1f}% → {100 * tech['collapsed'].mean():.1f}%"
    assert cells[4].startswith(f"{100 * collapse:+.1f} [") and cells[5].startswith(f"{100 * surprise:+.1f} [")
    # no asset, nothing to jam: the same replications at every jamming level
    assert "every jamming level gives the same replications, exactly" in text
    for section in ("Answers", "What us_led_tech buys", "Every preset against no monitoring",
                    "What jamming takes away", "Where monitoring does not matter, and why"):
        assert f"## {section}" in text


def test_monitoring_findings_refuse_a_sweep_of_another_study_in_one_line(monitoring, monitoring_sweep,
                                                                           tmp_path, capsys):
    for argv, message in (
        ([str(tiny_sweep())], "the sweep has no column 'monitoring.jamming_median': not a monitoring_value "
                              "sweep (deterrence-sim +experiment=monitoring_value -m)"),
        ([str(monitoring_sweep), "--baseline", "osce_observers"],
         "monitoring 'osce_observers' is not in the sweep (none, us_led_tech)"),
    ):
        with pytest.raises(SystemExit) as exc:
            monitoring.main([*argv, "--out", str(tmp_path / "FINDINGS.md")])
        assert exc.value.code == 2
        assert capsys.readouterr().err == f"make_findings: error: {message}\n"
    assert not (tmp_path / "FINDINGS.md").exists()
