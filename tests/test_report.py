"""deterrence-sim-report end to end on a tiny real sweep: files, content, bad input, a real browser."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import deterrence_sim as ds
from deterrence_sim.analysis import read_sweep
from deterrence_sim.analysis.sweeps import calibration_label
from deterrence_sim.report import build_document, main
from sweep_builder import DESIGNS, HORIZON, copy_sweep, run_main, script, tiny_sweep

PNG = b"\x89PNG\r\n\x1a\n"
ERROR = "deterrence-sim-report: error: "


def run_report(argv: list[str], capsys) -> tuple[int, str, str]:
    return run_main(main, argv, capsys)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    main([str(tiny_sweep()), "--baseline", "none", "--out", str(out)])
    return out


def test_report_writes_html_markdown_figures_and_tables(report):
    assert (report / "report.html").is_file() and (report / "report.md").is_file()
    figures = sorted(p.name for p in (report / "figures").glob("*.png"))
    assert figures == ["cost_effectiveness.png", "funnel.png", "survival_01_all-scenarios.png"]
    assert all((report / "figures" / f).read_bytes().startswith(PNG) for f in figures)
    tables = {p.stem for p in (report / "tables").glob("*.csv")}
    assert {"executive", "wider_war", "effects", "summary", "survival_curves", "logrank", "funnel",
            "cost_effectiveness", "robustness", "grid", "versions", "jobs"} <= tables
    md = (report / "report.md").read_text()
    for f in figures:
        assert f"](figures/{f})" in md


def test_html_is_self_contained(report):
    html = (report / "report.html").read_text()
    sources = re.findall(r'<img src="([^"]+)"', html)
    assert len(sources) == 3
    for src in sources:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1]).startswith(PNG)
    assert not re.search(r'(src|href)="(?!data:|#)', html), "a resource outside the file"
    assert "<script" not in html
    assert "default-src 'none'" in html  # the browser may load nothing from the network


def test_report_numbers_come_from_the_sweep(report):
    runs = ds.load_sweep(tiny_sweep())
    executive = pd.read_csv(report / "tables" / "executive.csv").set_index("guarantee")
    for design in DESIGNS:
        share = runs.loc[runs["guarantee"] == design, "collapsed"].mean()
        assert executive.loc[design].iloc[0] == pytest.approx(share)
    effects = pd.read_csv(report / "tables" / "effects.csv")
    assert effects["guarantee"].unique().tolist() == ["paris_package"]
    assert "wider_war_risk" in effects["metric"].tolist()
    grid = pd.read_csv(report / "tables" / "grid.csv").set_index("setting")["values"]
    assert grid["guarantee"] == ", ".join(sorted(DESIGNS))
    assert grid["horizon (days)"] == str(HORIZON)
    manifest = json.loads((tiny_sweep() / "0" / "manifest.json").read_text())
    assert grid["calibration"] == calibration_label(manifest["config"])        # which calibration ran
    text = (report / "report.md").read_text()
    for section in ("What was run", "Executive summary", "Survival curves", "Detection → verification",
                    "Cost-effectiveness", "Robustness", "Limitations"):
        assert f"## {section}" in text


def test_wider_war_risk_stands_beside_collapse_risk_and_cost(report):
    runs = ds.load_sweep(tiny_sweep())
    war = runs.groupby("guarantee")["wider_war"].mean()
    matrix = pd.read_csv(report / "tables" / "wider_war.csv").set_index("guarantee")
    assert matrix.iloc[:, 0].to_dict() == pytest.approx(war.to_dict())
    effect = pd.read_csv(report / "tables" / "effects.csv").set_index("metric").loc["wider_war_risk"]
    paired = runs.pivot(index="replication", columns="guarantee", values="wider_war").astype(int)
    assert effect["difference"] == pytest.approx((paired["paris_package"] - paired["none"]).mean())
    assert effect["n_pairs"] == len(paired)
    summary = pd.read_csv(report / "tables" / "summary.csv").set_index("guarantee")
    assert summary["wider_war"].to_dict() == pytest.approx(war.to_dict())
    assert (summary["wider_war_low"] <= summary["wider_war"]).all()
    cost = pd.read_csv(report / "tables" / "cost_effectiveness.csv").iloc[0]
    assert cost["wider_war_added_pp"] == pytest.approx(100 * effect["difference"])
    md = (report / "report.md").read_text()
    header = next(line for line in md.splitlines() if line.startswith("| scenario | guarantee | collapse"))
    cells = [c.strip() for c in header.strip("|").split("|")]
    assert cells[2:] == ["collapse risk % [95% CI]", "effect vs baseline, pp [95% CI]", "p (McNemar)",
                         "wider-war risk % [95% CI]", "wider-war effect, pp [95% CI]",
                         "guarantor cost, bn USD [95% CI]", "clash risk % [95% CI]"]
    assert "**Wider-war risk within 365 days, % [95% CI]: guarantee × scenario**" in md
    assert "wider-war risk added, pp [95% CI]" in md


def test_labels_are_escaped(tmp_path, capsys):
    sweep = copy_sweep(tmp_path, consolidated=False)
    nasty = '<img src=x onerror=alert(1)>"&design$'
    manifest_path = sweep / "1" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["config"]["guarantee"]["name"] = nasty
    manifest_path.write_text(json.dumps(manifest))
    code, _, err = run_report([sweep, "--out", tmp_path / "out"], capsys)
    assert code == 0, err
    html = (tmp_path / "out" / "report.html").read_text()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;&quot;&amp;design$" in html
    md = (tmp_path / "out" / "report.md").read_text()
    assert "\\<img src=x onerror=alert(1)>\"&design$" in md   # Markdown's own escape: shown as text
    assert not re.search(r"(?<!\\)<img", md) and "&lt;" not in md and "&amp;" not in md


def test_markdown_shows_text_as_written_not_html_escaped(report):
    md = (report / "report.md").read_text()
    assert not re.search(r"&(lt|gt|amp|quot);", md)
    from deterrence_sim.report.document import Document, Paragraph, Section, Table, render_markdown

    doc = Document("t", "s", [Section("x", [Paragraph("p < 0.001 & q > 2"),
                                           Table("n", "c", pd.DataFrame({"p": ["< 0.001", "a|b"]}))])])
    text = render_markdown(doc)
    assert "p < 0.001 & q > 2\n" in text and "| < 0.001 |" in text and "| a\\|b |" in text


@pytest.mark.parametrize("damage", ["truncate", "unfinished"])
def test_a_damaged_job_is_named_and_the_rest_reported(tmp_path, capsys, damage):
    sweep = copy_sweep(tmp_path, consolidated=False)
    if damage == "truncate":
        runs = sweep / "1" / "runs.parquet"
        runs.write_bytes(runs.read_bytes()[:300])
    else:
        (sweep / "1" / "manifest.json").unlink()
    code, out, err = run_report([sweep, "--out", tmp_path / "out"], capsys)
    assert code == 0
    lines = err.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("deterrence-sim-report: warning: job 1: ")
    # what is left is the baseline alone, and the report says so
    assert lines[1] == ("deterrence-sim-report: warning: guarantee: only the baseline 'none' is in the "
                        "table; nothing to compare")
    assert ("does not match its manifest" if damage == "truncate" else "unfinished") in lines[0]
    assert "report.html" in out
    md = (tmp_path / "out" / "report.md").read_text()
    assert "job 1: " in md and "## Limitations" in md
    assert (tmp_path / "out" / "figures" / "survival_01_all-scenarios.png").exists()


def _bad_sweeps(tmp: Path) -> dict[str, tuple[list[object], str]]:
    empty = tmp / "empty"
    empty.mkdir()
    hydra_only = tmp / "hydra_only"
    hydra_only.mkdir()
    (hydra_only / "multirun.yaml").write_text("{}\n")
    broken = copy_sweep(tmp, consolidated=False)
    for job in ("0", "1"):
        (broken / job / "runs.parquet").write_bytes(b"not parquet")
    sweep_dir = "a sweep folder (job folders 0/, 1/, ... written by deterrence-sim -m) or a run's folder"
    return {
        "missing folder": ([tmp / "nowhere"], f"SWEEP_DIR: invalid value '{tmp / 'nowhere'}': not a folder; "
                                              f"allowed: {sweep_dir}"),
        "not a sweep": ([empty], f"SWEEP_DIR: invalid value '{empty}': not a sweep (no job folders 0/, 1/, "
                                 f"... with manifest.json and no runs.parquet); allowed: {sweep_dir}"),
        "empty sweep": ([hydra_only], f"SWEEP_DIR: invalid value '{hydra_only}': an empty sweep (no job "
                                      f"folders yet); allowed: {sweep_dir}"),
        "baseline not in sweep": ([tiny_sweep(), "--baseline", "nato"],
                                  "--baseline: invalid value 'nato'; allowed: a value of guarantee in "
                                  "the sweep: none, paris_package"),
        "unknown design column": ([tiny_sweep(), "--by", "weather"],
                                  "--by: invalid value 'weather'; allowed: a design column of the sweep: "
                                  "theater, attack, monitoring, guarantee, sim.horizon_days"),
        "nothing readable": ([broken], f"SWEEP_DIR: invalid value '{broken}': no job of the sweep could be "
                                       "read; allowed: a sweep with at least one readable job"),
        "unknown option": ([tiny_sweep(), "--colour"],
                           "arguments: invalid value: unrecognized arguments: --colour; allowed: SWEEP_DIR "
                           "[--baseline NAME] [--by COLUMN] [--out DIR], or EXPLORE_DIR [--out DIR] (see "
                           "deterrence-sim-report --help)"),
    }


def test_bad_input_gives_one_line_and_exit_2(tmp_path, capsys):
    for case, (argv, message) in _bad_sweeps(tmp_path).items():
        code, out, err = run_report([*argv, "--out", tmp_path / "out"], capsys)
        assert code == 2, case
        errors = [line for line in err.splitlines() if not line.startswith("deterrence-sim-report: warning:")]
        assert errors == [ERROR + message], case
        assert "Traceback" not in err and out == ""
    assert not (tmp_path / "out" / "report.html").exists()


def test_console_script_is_installed_and_fails_cleanly(tmp_path):
    done = subprocess.run([script("deterrence-sim-report"), str(tmp_path)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith(ERROR) and done.stderr.count("\n") == 1


# --- a real browser -----------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PROBE = """<script nonce="probe">
window.addEventListener("error", function (e) { document.body.setAttribute("data-js-error", e.message); });
window.addEventListener("load", function () {
  var images = Array.prototype.slice.call(document.images);
  document.body.setAttribute("data-images", images.length);
  document.body.setAttribute("data-loaded", images.filter(function (i) {
    return i.complete && i.naturalWidth > 0; }).length);
});
</script>"""


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")
def test_report_opens_in_headless_chromium_with_every_figure_and_no_console_message(report, tmp_path):
    # The report has no script; a copy gets a probe allowed by a nonce, under the report's own policy
    html = (report / "report.html").read_text()
    assert "style-src 'unsafe-inline'\"" in html
    policy = "style-src 'unsafe-inline'\""
    probed = (html.replace(policy, policy[:-1] + "; script-src 'nonce-probe'\"")
              .replace("</body>", PROBE + "\n</body>"))
    page = tmp_path / "probed.html"
    page.write_text(probed)
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
         f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
         "--virtual-time-budget=10000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    body = re.search(r"<body[^>]*>", done.stdout)
    assert body, done.stdout[:500]
    attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', body.group(0)))
    assert attrs.get("data-images") == "3"
    assert attrs.get("data-loaded") == "3", "a figure did not load"
    assert "data-js-error" not in attrs
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line]
    assert console == [], console


# --- a sweep over a numeric parameter -----------------------------------------------------------

TEMPERATURES = (0.0, 10.0, 12.0, 2.0, 20.0)   # the order a sweep lists them in, not numeric


def numeric_sweep(designs: Sequence[str] = ("none",), replications: int = 40) -> pd.DataFrame:
    """Runs of a sweep over attack.temperature (floats), paired on common random numbers."""
    rows = []
    u = np.random.default_rng(0).random(replications)
    for t in TEMPERATURES:
        for k, guarantee in enumerate(designs):
            collapsed = u < 0.1 + t / 40 - 0.05 * k
            rows.append(pd.DataFrame({
                "job": len(rows), "theater": "ukraine_2026", "attack": "opportunist", "monitoring": "none",
                "guarantee": guarantee, "attack.temperature": t, "replication": np.arange(replications),
                "collapsed": collapsed, "duration_days": np.where(collapsed, 100, HORIZON),
                "violations_minor": 5, "violations_serious": 1, "detected": 3, "verified": 2,
                "mean_verification_delay_days": 1.5, "responses_triggered": 1, "responses_honoured": 1,
                "guarantor_cost": 1.0 + k, "direct_clash": False}))
    return pd.concat(rows, ignore_index=True)


def write_numeric_sweep(tmp_path: Path, designs: Sequence[str] = ("none",)) -> Path:
    folder = tmp_path / "sweep"
    folder.mkdir()
    numeric_sweep(designs).to_parquet(folder / "runs.parquet")
    return folder


def test_a_numeric_parameter_is_ordered_numerically_and_matched_as_a_number(tmp_path, capsys):
    sweep = write_numeric_sweep(tmp_path)
    code, _, err = run_report([sweep, "--by", "attack.temperature", "--baseline", "12",
                               "--out", tmp_path / "out"], capsys)
    assert code == 0, err
    tables = tmp_path / "out" / "tables"
    executive = pd.read_csv(tables / "executive.csv", dtype=str)
    assert executive["attack.temperature"].tolist() == ["12.0", "0.0", "2.0", "10.0", "20.0"]
    effects = pd.read_csv(tables / "effects.csv", dtype={"attack.temperature": str})
    assert effects["attack.temperature"].drop_duplicates().tolist() == ["0.0", "2.0", "10.0", "20.0"]
    grid = pd.read_csv(tables / "grid.csv").set_index("setting")["values"]
    assert grid["attack.temperature"] == "0.0, 2.0, 10.0, 12.0, 20.0"
    md = (tmp_path / "out" / "report.md").read_text()
    assert md.startswith("# Effect of attack.temperature: each value against attack.temperature = 12.0")
    assert "## Cost-effectiveness" not in md and not (tables / "cost_effectiveness.csv").exists()
    assert not (tables / "wider_war.csv").exists()    # a table without wider_war: no such column shown
    assert "wider-war" not in md
    assert "attack.temperature is not a guarantee design but a parameter" in md
    with pytest.raises(ValueError, match=r"^--baseline: invalid value '13'; allowed: a value of "
                                         r"attack\.temperature in the sweep: 0\.0, 2\.0, 10\.0, 12\.0, "
                                         r"20\.0$"):
        build_document(read_sweep(sweep), baseline="13", by="attack.temperature")


def test_designs_compared_across_numeric_scenarios_keep_the_numeric_order(tmp_path):
    document = build_document(read_sweep(write_numeric_sweep(tmp_path, ("none", "paris_package"))))
    tables = {t.name: t for t in document.tables()}
    assert list(tables["executive"].data.columns[1:]) == ["0.0", "2.0", "10.0", "12.0", "20.0"]
    assert tables["cost_effectiveness"].data["attack.temperature"].tolist() == [0.0, 2.0, 10.0, 12.0, 20.0]
    survival = [f.name for f in document.figures() if f.name.startswith("survival_")]
    assert survival == [f"survival_{i:02d}_attack-temperature-{t}-0" for i, t in
                        enumerate((0, 2, 10, 12, 20), 1)]
    assert "Cost-effectiveness" in [s.title for s in document.sections]
