"""Write docs/parameters.md from the field metadata in config.py, the conf/ presets and the table of
sources below.

    python docs/make_parameters.py [OUT]      (default docs/parameters.md)

Re-run after a field or a preset changes (a test checks that the committed page is what this
writes). It asserts the facts the source notes rely on, so a re-tuned value whose note no longer
fits is flagged.
"""

from __future__ import annotations

import sys
from dataclasses import MISSING, fields
from pathlib import Path

import yaml

from deterrence_sim.config import (
    AggressorForces,
    AssetConfig,
    AssetKind,
    AttackConfig,
    CommitmentConfig,
    DecisionRule,
    DefenderForces,
    GuaranteeConfig,
    GuarantorConfig,
    MonitoringConfig,
    Severity,
    SimConfig,
    TheaterConfig,
    field_table,
)

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "conf"
OUT = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "parameters.md")


def load(group: str, name: str) -> dict:
    return yaml.safe_load((CONF / group / f"{name}.yaml").read_text())


def fmt(v) -> str:
    if isinstance(v, dict) and "dist" in v:
        if v["dist"] == "beta":
            a, b = v["a"], v["b"]
            return f"beta({a:g}, {b:g}), mean {a / (a + b):.2f}"
        if v["dist"] == "uniform":
            return f"uniform({v['low']:g}, {v['high']:g})"
        return f"triangular({v['low']:g}, {v['mode']:g}, {v['high']:g})"
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, list):
        return ", ".join(str(x) for x in v) if v else "(empty)"
    if hasattr(v, "name") and hasattr(v, "value"):
        return v.name
    return str(v)


# Non-numeric fields (no unit/range metadata): allowed values and meaning, by (class, field).
EXTRA = {
    ("TheaterConfig", "name"): ("text", "label of the theatre preset"),
    ("TheaterConfig", "guarantors"): ("list", "the guarantor states (see theater.guarantors[])"),
    ("GuarantorConfig", "name"): ("text, unique, not `defender`", "name used by assets, aid and commitments"),
    ("AttackConfig", "name"): ("text", "label of the aggressor profile"),
    ("AttackConfig", "learns"): ("true / false", "whether beliefs are updated at all (false: priors kept)"),
    ("MonitoringConfig", "name"): ("text", "label of the monitoring preset"),
    ("MonitoringConfig", "assets"): ("list", "the monitoring assets (see monitoring.assets[])"),
    ("AssetConfig", "name"): ("text", "label of the asset"),
    ("AssetConfig", "kind"): (", ".join(k.name for k in AssetKind),
                              "label only: behaviour comes from the numeric fields"),
    ("AssetConfig", "owner"): ("`defender` or a guarantor's name",
                               "who pays its running cost (a defender-owned asset costs no guarantor)"),
    ("GuaranteeConfig", "name"): ("text", "label of the guarantee design"),
    ("GuaranteeConfig", "aid_bn_per_year"): ("map guarantor name -> bn USD/yr >= 0",
                                             "pledged financing of the defender, delivered x political will"),
    ("GuaranteeConfig", "commitments"): ("list", "the commitments (see guarantee.commitments[])"),
    ("CommitmentConfig", "name"): ("text", "label of the commitment"),
    ("CommitmentConfig", "guarantors"): ("non-empty list of guarantor names",
                                         "members; the first is the lead nation"),
    ("CommitmentConfig", "trigger_severity"): (", ".join(s.name for s in Severity),
                                               "lowest verified rung that counts toward the trigger"),
    ("CommitmentConfig", "rule"): (", ".join(r.name for r in DecisionRule),
                                   "how members' decisions combine (majority = more than half)"),
}


def schema_table(cls) -> list[str]:
    rows = {r["field"]: r for r in field_table(cls)}
    out = ["| field | unit | allowed | meaning | code default |", "|---|---|---|---|---|"]
    for f in fields(cls):
        if f.name in rows:
            r = rows[f.name]
            unc = " *(uncertain: number or distribution)*" if f.metadata.get("uncertain") else ""
            out.append(f"| `{f.name}` | {r['unit']} | {r['allowed']} | {r['meaning']}{unc} | {fmt(r['default'])} |")
        else:
            allowed, meaning = EXTRA.get((cls.__name__, f.name), ("", ""))
            if f.default is not MISSING:
                d = fmt(f.default)
            elif f.default_factory is not MISSING:
                val = f.default_factory()
                d = "(empty)" if not val else ("(nested)" if not isinstance(val, list | dict) else fmt(val))
            else:
                d = ""
            if f.name in ("aggressor", "defender"):
                continue
            out.append(f"| `{f.name}` | — | {allowed} | {meaning} | {d} |")
    return out


def values_table(names: list[str], columns: dict[str, dict], sources: dict[str, str]) -> list[str]:
    head = "| field | " + " | ".join(columns) + " | source |"
    out = [head, "|---" * (len(columns) + 2) + "|"]
    for n in names:
        vals = [fmt(c.get(n, "—")) if n in c else "—" for c in columns.values()]
        out.append(f"| `{n}` | " + " | ".join(vals) + f" | {sources.get(n, '**assumption**')} |")
    return out


def numeric_names(cls) -> list[str]:
    return [r["field"] for r in field_table(cls)]


A = "**assumption**"

# --------------------------------------------------------------------------- sources
THEATER_SRC = {
    "n_sectors": "model resolution chosen in the design brief (40 sectors of ~31 km); " + A,
    "front_length_km": "length of the 2025 contact line, ~1,200–1,300 km on ISW / DeepState maps; "
                       "Ukraine's commander-in-chief Syrskyi put the active front at nearly 1,250 km in 2025. "
                       "*Descriptive only: no formula uses it*",
    "sector_value_low": A + ": strategic value spread 3:1 between sectors, mean 1",
    "sector_value_high": A + " (see `sector_value_low`)",
    "visibility_low": A + ": towns and forest (valuable sectors) are harder to watch than open steppe",
    "visibility_high": A,
    "cloud_median": "order of magnitude from satellite cloud climatology for Ukraine (annual mean cloud "
                    "fraction ~60–65 %); not fitted to a data set",
    "cloud_seasonal_amplitude": "order of magnitude, same climatology: ~75 % cloud in winter, ~45 % in summer; "
                                "the cosine shape is an " + A,
    "cloud_logit_sd": A + ": day-to-day variability of cloud",
    "start_day_of_year": "seed document: the Paris summit was on 6 January 2026 (that the ceasefire starts "
                         "that day is an " + A + ")",
    "ground_km_per_serious": A + ": a raid or local push takes a few hundred metres",
}
AGG_SRC = {
    "capability": A + ": attacker/defender force index 2:1 on the day of the ceasefire",
    "regen_per_day": A + ": set so that the equilibrium `regen / depreciation` is {eq:.2g} "
                     "(post-war reconstitution above today's level)",
    "depreciation_per_day": A + ": ~1/365, a one-year time scale for equipment and readiness",
}
DEF_SRC = {
    "capability": "the unit of force (definition)",
    "own_budget_bn_per_year": A + ", anchored on Ukraine's 2026 state budget: UAH 2.8 trillion (~USD 66 bn) "
                              "for defence (Verkhovna Rada, Dec 2025), part of it financed by foreign loans; "
                              "the value is the part Ukraine funds itself",
    "efficiency_per_bn": A + ": 1/{inv:.0f}, i.e. a capability of 1.0 is sustained by USD {inv:.0f} bn a year "
                         "(own budget + aid). Order of magnitude: Kyiv put its 2026 war needs at ~USD 120 bn "
                         "including partners' aid (PM Svyrydenko, 2025)",
    "depreciation_per_day": A + ": ~1/365, as for the aggressor",
    "attrition_minor": A,
    "attrition_serious": A + ": {ratio:g}× a minor violation",
    "p_retaliate": A,
    "p_spontaneous_per_sector_day": A + ": about one unprovoked minor violation every "
                                    "{every:.0f} days on the whole line",
}
GUAR_SRC = {
    "political_will": A + ": hidden resolve type, drawn per replication; {order}",
    "cost_tolerance_bn_per_year": A + ", of the order of (a few times) each state's current aid: UK GBP 3 bn/yr, "
                                  "Germany's EUR 11.5 bn 2026 line, the EU's EUR 45 bn/yr (EUR 90 bn loan over "
                                  "2026–27); the US value has no such anchor",
    "rally_per_flagrant": A,
    "fatigue": A,
    "drift_per_day": A + ": shocks to will fade on a time scale of 1/drift ≈ {mem} days",
}
ATTACK_SRC = {
    "revisionism": A + ": hidden type drawn per replication",
    "opportunity_rate_per_sector_day": A,
    "gain_minor": A + " (utility units; 1 = gain scale of one unit of sector value)",
    "gain_serious": A,
    "denial_minor": A,
    "denial_serious": A,
    "temperature": A,
    "offensive_gain": A,
    "offensive_fail_loss": A,
    "offensive_cost": A,
    "offensive_rate_per_day": A + ": the war option is weighed every ~{days} days",
    "offensive_temperature": A,
    "win_steepness": A,
    "required_force_ratio": "the attacker's 3:1 rule of thumb (see Mearsheimer, \"Assessing the Conventional "
                            "Balance: The 3:1 Rule and Its Critics\", *International Security* 13(4), 1989)",
    "window_weight": A + ": 0 switches the preventive-war term off; only the revisionist profile uses it",
    "lookahead_days": A,
    "prior_detect_alpha": A + ": what the aggressor assumes on day 0; prior mean chance of being seen {pd}",
    "prior_detect_beta": A,
    "prior_credibility_alpha": A + ": prior mean credibility {pc}",
    "prior_credibility_beta": A,
    "forgetting": A + ": λ < 1 keeps an effective memory of ~1/(1 − λ) observations per belief{fm}",
    "learns": "model switch",
}
MON_SRC = {
    "verification_delay_days": A + "; the OSCE preset is slower (a week), reflecting an observer mission's "
                               "reporting chain",
    "corroborated_delay_days": A,
    "p_verify_single": A,
    "p_verify_false_alarm": A,
    "p_wrong_side": A,
    "jamming_median": A + " (scenario: `us_led_tech_jammed` assumes heavy EW). Qualitatively grounded in "
                      "the OSCE SMM's reports of GPS jamming of its UAVs",
    "jamming_logit_sd": A,
    "extra_cloud": A + ": `us_led_tech_jammed` adds winter overcast",
}
ASSET_SRC = {
    "kind": "seed document: drones, sensors and satellites (US-led mechanism); OSCE SMM: patrols and UAVs",
    "owner": A + " (who pays; the US leads the mechanism per the seed document)",
    "coverage_share": "OSCE: the SMM's access was restricted, above all in non-government-controlled areas "
                      "(SMM reports); the shares themselves are " + A,
    "looks_per_day": A + "; satellite revisits are order of magnitude for commercial constellations "
                     "(optical: a few looks a day, SAR: about daily)",
    "p_detect_minor": A,
    "p_detect_serious": A,
    "exposure_days": A,
    "cloud_sensitivity": "physics: optical sensors cannot see through cloud (1.0), radar (SAR) nearly can "
                         "(0.05); drones and patrols partly; values " + A,
    "jam_sensitivity": "SMM UAVs met GPS interference on many flights (SMM spot reports, e.g. 2 Feb 2022); "
                       "values " + A,
    "false_alarms_per_sector_day": A,
    "attribution_accuracy": "OSCE: SMM reports mostly recorded violations without attributing them; "
                            "values " + A,
    "loss_rate_per_day": A + " (see `us_led_tech_jammed` below)",
    "replacement_days": A,
    "cost_bn_per_year": "OSCE observers: the SMM's budget, ~EUR 100 m a year (EUR 105.5 m for 2017–18, budgeting up "
                        "to 800 monitors, per the Czech mission to the OSCE, 2017). Others: order of magnitude, " + A,
}
COMMIT_SRC = {
    "guarantors": "seed document: the US backs the coalition's guarantees; the UK and France lead the Coalition of "
                  "the Willing and its planned force; membership of each commitment is an " + A,
    "trigger_severity": A + " (sanctions snap-back: repeated minor violations suffice)",
    "rule": A,
    "trigger_count": A,
    "trigger_window_days": A,
    "response_delay_days": A,
    "bindingness": A + ": 0 political (Budapest-memorandum-style assurances), 0.6–0.7 legally binding "
                   "(the Paris declaration's 'binding commitments'; Article 5-like), 0.8 a tripwire force",
    "punishment": A + " (utility units, comparable to `attack.gain_*`)",
    "punishment_offensive": A,
    "sanctions_drag_per_day": A,
    "denial_boost": A,
    "effect_days": A,
    "presence_sectors": A + ": a force in the most valuable sectors ({ps})",
    "presence_denial": A,
    "cost_bn_per_response": A + " (order of magnitude)",
    "standing_cost_bn_per_year": A + " (order of magnitude: a brigade-scale force abroad costs a few bn a year)",
    "clash_risk": A,
}
AID_SRC = {
    "eu": "the EUR 90 bn EU loan to Ukraine for 2026–27 agreed on 18–19 December 2025, spread over two years "
          "(EUR 45 bn/yr, taken 1:1 as USD; it covers budget as well as military needs)",
    "germany": "Germany's 2026 budget line for Ukraine, ~EUR 11.5 bn (Bundestag budget committee, Nov 2025)",
    "uk": "the UK's GBP 3 bn a year of military aid 'for as long as it takes' (2024 pledge, confirmed to "
          "2030–31), ~USD 4 bn",
    "france": "order of magnitude: up to EUR 3 bn for 2024 in the Feb 2024 French–Ukrainian security "
              "agreement (actual 2024 aid just over EUR 2 bn)",
    "us": A + ": no direct US financing in any preset (the seed document leaves financing open)",
}
SIM_SRC = {
    "replications": "precision: the 95 % half-width of a collapse probability is at most "
                    "1.96·√(0.25/R) ≈ {hw:.1f} percentage points",
    "seed": "the date of the Paris summit, 6 January 2026 (any integer works)",
    "horizon_days": "design brief: two years; replications still in ceasefire then are censored",
    "block_size": "performance and memory trade-off; changing it changes the random streams",
    "first_block": "run setting: the first block a job runs, to split one scenario over several jobs",
}


def node_tables(cls, columns: dict[str, dict], sources: dict[str, str],
                names: list[str] | None = None) -> list[str]:
    """A config node's schema table, then its values per preset (numeric fields unless ``names``)."""
    values = values_table(numeric_names(cls) if names is None else names, columns, sources)
    return [*schema_table(cls), "", *values, ""]


def main() -> None:
    th = load("theater", "ukraine_2026")
    attacks = {n: load("attack", n) for n in ("cautious", "opportunist", "revisionist")}
    mons = {n: load("monitoring", n) for n in ("none", "osce_observers", "us_led_tech", "us_led_tech_jammed")}
    guars = {n: load("guarantee", n) for n in ("none", "assurances", "sanctions", "arms_surge",
                                                "reassurance_force", "collective_defence", "paris_package")}
    sim = load("sim", "default")

    agg, dfd = th["aggressor"], th["defender"]
    AGG_SRC["regen_per_day"] = AGG_SRC["regen_per_day"].format(eq=agg["regen_per_day"] / agg["depreciation_per_day"])
    DEF_SRC["efficiency_per_bn"] = DEF_SRC["efficiency_per_bn"].format(inv=1 / dfd["efficiency_per_bn"])
    DEF_SRC["p_spontaneous_per_sector_day"] = DEF_SRC["p_spontaneous_per_sector_day"].format(
        every=1 / (dfd["p_spontaneous_per_sector_day"] * th["n_sectors"]))
    gm = {g["name"]: g["political_will"] for g in th["guarantors"]}
    def mean(v):
        return v["a"] / (v["a"] + v["b"]) if isinstance(v, dict) and v.get("dist") == "beta" else v
    GUAR_SRC["political_will"] = GUAR_SRC["political_will"].format(
        order="beta means, highest first: " + ", ".join(f"{k} {mean(v):.2f}" for k, v in
                                                         sorted(gm.items(), key=lambda kv: -float(mean(kv[1])))))
    drifts = {g["drift_per_day"] for g in th["guarantors"]}
    GUAR_SRC["drift_per_day"] = GUAR_SRC["drift_per_day"].format(mem=" / ".join(f"{1 / d:.0f}" for d in sorted(drifts)))
    prof = list(attacks)
    ATTACK_SRC["prior_detect_alpha"] = ATTACK_SRC["prior_detect_alpha"].format(pd=" / ".join(
        f"{a['prior_detect_alpha'] / (a['prior_detect_alpha'] + a['prior_detect_beta']):.2f}" for a in attacks.values())
        + " (" + " / ".join(prof) + ")")
    ATTACK_SRC["prior_credibility_alpha"] = ATTACK_SRC["prior_credibility_alpha"].format(pc=" / ".join(
        f"{a['prior_credibility_alpha'] / (a['prior_credibility_alpha'] + a['prior_credibility_beta']):.2f}"
        for a in attacks.values()) + " (" + " / ".join(prof) + ")")
    fms = sorted({a["forgetting"] for a in attacks.values() if a["forgetting"] < 1})
    ATTACK_SRC["forgetting"] = ATTACK_SRC["forgetting"].format(
        fm="".join(f"; λ = {f:g}: ~{1 / (1 - f):.0f}" for f in fms) + "; λ = 1: no forgetting")
    DEF_SRC["attrition_serious"] = DEF_SRC["attrition_serious"].format(
        ratio=dfd["attrition_serious"] / dfd["attrition_minor"])
    pss = sorted({c["presence_sectors"] for g in guars.values() for c in g["commitments"] if c["presence_sectors"]})
    COMMIT_SRC["presence_sectors"] = COMMIT_SRC["presence_sectors"].format(
        ps=", ".join(f"{p} of {th['n_sectors']} = {100 * p / th['n_sectors']:.0f} % of the line" for p in pss))
    rates = sorted({a["offensive_rate_per_day"] for a in attacks.values()})
    ATTACK_SRC["offensive_rate_per_day"] = ATTACK_SRC["offensive_rate_per_day"].format(
        days=" / ".join(f"{1 / r:.0f}" for r in rates))
    SIM_SRC["replications"] = SIM_SRC["replications"].format(hw=196 * (0.25 / sim["replications"]) ** 0.5)

    L: list[str] = []
    w = L.append
    w("# Parameters")
    w("")
    w("Every configuration field of `deterrence-sim`, grouped as in the Hydra config tree, with its unit, "
      "allowed range and meaning (from the field metadata in `src/deterrence_sim/config.py`), then the "
      "values of every preset in `conf/` and where each number comes from. The model these parameters "
      "drive is described in [model.md](model.md).")
    w("")
    w("The default scenario (`conf/config.yaml`) composes `theater=ukraine_2026`, `attack=opportunist`, "
      "`monitoring=us_led_tech`, `guarantee=paris_package`, `sim=default`. Pick another preset per group "
      "(`guarantee=sanctions`) or set any field (`attack.temperature=0.2`, "
      "`theater.guarantors.0.fatigue=0.005`) on the command line or in `ds.simulate([...])`.")
    w("")
    w("How to read the source column:")
    w("")
    w("- A named public source means the number is taken from, or scaled to, that fact. Monetary figures in "
      "EUR or GBP are converted only roughly to the model's unit (bn USD; EUR 1 ≈ USD 1.1–1.2, GBP 1 ≈ "
      "USD 1.3), so read them as order of magnitude in USD.")
    w("- **assumption** means the number is a modelling judgement with no empirical source. Almost all "
      "behavioural and utility parameters are assumptions: they set relative magnitudes (utility units "
      "are arbitrary) and should be varied in sensitivity studies, not read as estimates.")
    w("- *order of magnitude* means a public fact fixes the scale but not the exact value.")
    w("")
    w("*Code default* is the dataclass default, used only when a preset omits a field. Every shipped preset "
      "sets every field, so the preset values are what runs; where the two differ, the preset is the "
      "calibrated value.")
    w("")
    diffs = []
    for path, cls, node in (("theater", TheaterConfig, th), ("theater.aggressor", AggressorForces, th["aggressor"]),
                            ("theater.defender", DefenderForces, th["defender"])):
        for r in field_table(cls):
            if r["field"] in node and float(node[r["field"]]) != float(r["default"]):
                diffs.append(f"`{path}.{r['field']}` {fmt(r['default'])} → {fmt(node[r['field']])}")
    gd = {r["field"]: r["default"] for r in field_table(GuarantorConfig)}
    for f in ("cost_tolerance_bn_per_year", "rally_per_flagrant", "fatigue", "drift_per_day"):
        vals = {g[f] for g in th["guarantors"]}
        if vals != {gd[f]}:
            diffs.append(f"`theater.guarantors[].{f}` {fmt(gd[f])} → {', '.join(fmt(v) for v in sorted(vals))}")
    ad = {r["field"]: r["default"] for r in field_table(AttackConfig)}
    for f in ad:
        if f == "revisionism":
            continue
        vals = {a[f] for a in attacks.values()}
        if ad[f] not in vals:
            diffs.append(f"`attack.{f}` {fmt(ad[f])} → {', '.join(fmt(v) for v in sorted(vals))}")
    if diffs:
        w("Code defaults that no shipped preset uses (code default → preset values): " + "; ".join(diffs) + ".")
        w("")
    w("Validation: every value is checked before a run (`config.validate`); a wrong type, an out-of-range "
      "value, an unknown key or an unknown guarantor name stops the run with one line naming the field, "
      "the bad value and what is allowed. Cross-field checks: `sector_value_high >= sector_value_low`, "
      "`visibility_high >= visibility_low`, guarantor names unique and not `defender`, asset owners, aid "
      "recipients and commitment members must be known guarantors (asset owners may also be `defender`), "
      "a commitment needs at least one guarantor, and `presence_sectors <= n_sectors`.")
    w("")
    w("## Uncertain parameters: distributions drawn once per replication")
    w("")
    w("Two fields are *types* in the game-theoretic sense, unknown to the other side: "
      "`attack.revisionism` (how revisionist the aggressor really is) and "
      "`theater.guarantors[].political_will` (how resolute each guarantor really is, on day 0). Each takes "
      "either a plain number (the same in every replication) or a distribution "
      "(`src/deterrence_sim/core/types.py`):")
    w("")
    w("| form | parameters | rule |")
    w("|---|---|---|")
    w("| `0.5` | — | fixed value, must lie in the field's range |")
    w("| `{dist: beta, a: 2, b: 5}` | `a > 0`, `b > 0` | on [0, 1]; only for fields whose range contains [0, 1] |")
    w("| `{dist: uniform, low: 0.2, high: 0.6}` | `low < high` | both ends inside the field's range |")
    w("| `{dist: triangular, low: 0.2, mode: 0.3, high: 0.6}` | `low <= mode <= high`, `low < high` | both ends inside the field's range |")
    w("")
    w("The draw happens once per replication when the model is built (`CeasefireModel._build`), by the "
      "inverse CDF (`types.sample`) of one uniform per parameter and replication from the `types` random "
      "stream. Each uncertain parameter has its own row of uniforms whether it is fixed or not, so changing "
      "one parameter's distribution never shifts another's draws, and two monitoring or guarantee designs "
      "run on the same seed face exactly the same aggressor and guarantor types (common random numbers). "
      "The drawn revisionism is reported per replication (`runs.revisionism`). The aggressor never sees a "
      "guarantor's will: it learns about it only through the credibility of commitments.")
    w("")
    w("On the command line (or in `ds.simulate`), a plain number or a distribution of the same family "
      "replaces a preset's value directly: `attack.revisionism=0.3`, "
      "`'attack.revisionism={dist: beta, a: 2, b: 2}'`. Hydra merges mappings key by key, so changing the "
      "family needs the old value deleted first: "
      "`'~attack.revisionism' '+attack.revisionism={dist: uniform, low: 0.2, high: 0.6}'`.")
    w("")

    # ---------------- theater
    w("## `theater`: the contact line and its weather (preset `ukraine_2026`)")
    w("")
    L.extend(node_tables(TheaterConfig, {"ukraine_2026": th}, THEATER_SRC))
    w(f"Derived: sector length {th['front_length_km'] / th['n_sectors']:.0f} km; sector 0 is the most "
      "valuable and the least visible, values and visibilities are evenly spaced between the two ends "
      "(`theatre.sector_profile`). Median cloud on simulation day *d*: "
      "`clip(cloud_median + extra_cloud + amplitude·cos(2π·doy/365), 0.01, 0.99)` with "
      "`doy = (start_day_of_year + d − 2) mod 365`, so the peak is on 1 January.")
    w("")
    w("### `theater.aggressor`")
    w("")
    L.extend(node_tables(AggressorForces, {"ukraine_2026": agg}, AGG_SRC))
    w("### `theater.defender`")
    w("")
    L.extend(node_tables(DefenderForces, {"ukraine_2026": dfd}, DEF_SRC))
    eq_agg = agg["regen_per_day"] / agg["depreciation_per_day"]
    eq_def = dfd["efficiency_per_bn"] * dfd["own_budget_bn_per_year"]
    pkg_aid = sum(guars["paris_package"]["aid_bn_per_year"].values())
    w(f"Implied equilibria: the aggressor's capability tends to {eq_agg:.2f}; the defender's to "
      f"`efficiency × (own budget + Σ aid·will)` = {eq_def:.2f} without aid and "
      f"{dfd['efficiency_per_bn'] * (dfd['own_budget_bn_per_year'] + pkg_aid):.2f} with the full "
      f"`paris_package` financing (USD {pkg_aid:g} bn/yr) at political will 1. The force ratio thus "
      f"drifts from {agg['capability'] / dfd['capability']:g} toward {eq_agg / eq_def:.1f} without "
      "financing, which is what makes the financing question decisive.")
    w("")
    w("### `theater.guarantors[]`")
    w("")
    L.extend(schema_table(GuarantorConfig))
    w("")
    gcols = {g["name"]: g for g in th["guarantors"]}
    L.extend(values_table(numeric_names(GuarantorConfig), gcols, GUAR_SRC))
    w("")

    # ---------------- attack
    w("## `attack`: aggressor profiles")
    w("")
    w("`cautious`: modest aims, believes it is watched and that guarantees will be honoured. "
      "`opportunist` (default): no firm prior, weighs recent evidence more, probes. `revisionist`: high "
      "aims, doubts the guarantors, and weighs a closing window of opportunity (preventive war).")
    w("")
    L.extend(node_tables(AttackConfig, attacks, ATTACK_SRC, [*numeric_names(AttackConfig), "learns"]))

    # ---------------- monitoring
    w("## `monitoring`: monitoring and verification architectures")
    w("")
    w("`none`: no assets (the no-monitoring baseline; the remaining fields are inert except the EW "
      "draw). `osce_observers`: like the OSCE Special Monitoring Mission of 2014–2022. `us_led_tech` "
      "(default): the US-led mechanism of the Paris declaration, built on drones, sensors and satellites "
      "rather than troops (seed document); the split of assets between owners (US drones and optical "
      "satellites, UK ground sensors, German SAR) is an **assumption**. `us_led_tech_jammed`: the same "
      "assets under heavy electronic warfare and winter cloud.")
    w("")
    L.extend(node_tables(MonitoringConfig, mons, MON_SRC))
    w("### `monitoring.assets[]`")
    w("")
    L.extend(schema_table(AssetConfig))
    w("")
    acols = {}
    for preset in ("osce_observers", "us_led_tech"):
        for a in mons[preset]["assets"]:
            acols[f"{a['name']} ({preset})"] = a
    L.extend(values_table(["kind", "owner", *numeric_names(AssetConfig)], acols, ASSET_SRC))
    w("")
    base = {a["name"]: a for a in mons["us_led_tech"]["assets"]}
    diffs = []
    for a in mons["us_led_tech_jammed"]["assets"]:
        b = base.get(a["name"])
        if b is None:
            diffs.append(f"adds asset `{a['name']}`")
            continue
        for k, v in a.items():
            if b.get(k) != v:
                diffs.append(f"`{a['name']}.{k}` = {fmt(v)} (instead of {fmt(b.get(k))})")
    for k, v in mons["us_led_tech_jammed"].items():
        if k not in ("assets", "name") and mons["us_led_tech"].get(k) != v:
            diffs.append(f"`{k}` = {fmt(v)} (instead of {fmt(mons['us_led_tech'].get(k))})")
    w("`us_led_tech_jammed` has the same assets as `us_led_tech` except: " + "; ".join(diffs) + ".")
    w("")
    osce_cost = sum(a["cost_bn_per_year"] for a in mons["osce_observers"]["assets"])
    tech_cost = sum(a["cost_bn_per_year"] for a in mons["us_led_tech"]["assets"])
    w(f"Running costs: `osce_observers` USD {osce_cost:g} bn/yr (EU-paid); `us_led_tech` USD "
      f"{tech_cost:g} bn/yr, split by owner.")
    w("")

    # ---------------- guarantee
    w("## `guarantee`: guarantee designs")
    w("")
    w("`none`: no commitments and no financing (the no-deterrence baseline). `assurances`: political, "
      "non-binding, unanimous, slow. `sanctions`: a pre-agreed snap-back that even repeated minor "
      "violations trigger. `arms_surge`: long-term financing plus a surge of arms after serious violations. "
      "`reassurance_force`: a UK- and France-led force in the most valuable sectors (the Coalition of the "
      "Willing is led by the UK and France). `collective_defence`: a legally binding, Article 5-like "
      "commitment. `paris_package` (default): the 6 January 2026 Paris design from the seed document — "
      "binding support, a reassurance force, and financing of the army.")
    w("")
    L.extend(schema_table(GuaranteeConfig))
    w("")
    w("Financing (`aid_bn_per_year`, bn USD/yr; a guarantor not listed gives nothing):")
    w("")
    names = [g["name"] for g in th["guarantors"]]
    with_aid = {p: g["aid_bn_per_year"] for p, g in guars.items()}
    w("| guarantor | " + " | ".join(with_aid) + " | source |")
    w("|---" * (len(with_aid) + 2) + "|")
    for n in names:
        w(f"| `{n}` | " + " | ".join(fmt(a.get(n, 0)) if a else "0" for a in with_aid.values())
          + f" | {AID_SRC.get(n, A)} |")
    w("")
    w("### `guarantee.commitments[]`")
    w("")
    L.extend(schema_table(CommitmentConfig))
    w("")
    ccols = {}
    for p, g in guars.items():
        for c in g["commitments"]:
            ccols[f"{p}: {c['name']}"] = c
    # collapse identical reassurance_force columns
    rf = guars["reassurance_force"]["commitments"][0]
    same = [k for k, c in ccols.items() if k.startswith("paris_package") and c == rf]
    for k in same:
        del ccols[k]
    ccols = {(k if k.split(": ")[0] != k.split(": ")[1] else k.split(": ")[0]): v for k, v in ccols.items()}
    L.extend(values_table(["guarantors", "trigger_severity", "rule", *numeric_names(CommitmentConfig)],
                          ccols, COMMIT_SRC))
    w("")
    if same:
        w("`paris_package` holds two commitments: `binding_support` (column above) and a `reassurance_force` "
          "identical to the `reassurance_force` preset.")
    else:
        w("`paris_package`'s commitments are listed as separate columns above.")
    w("")
    w("What a punishment is worth in the aggressor's sector choice: a commitment with trigger count *n* "
      "adds `punishment / n` to the expected cost of each qualifying violation, times the believed "
      "credibility and the believed chance of being seen (see model.md, *Sector decision*).")
    w("")

    # ---------------- sim
    w("## `sim`: run settings (preset `default`)")
    w("")
    L.extend(node_tables(SimConfig, {"default": sim}, SIM_SRC))
    w("Replication *i* belongs to block `first_block + i // block_size`; each block has its own random "
      "streams derived from `seed`, the scenario's names (`theater.name`, `attack.name`) and the block "
      "index only (never from the monitoring or guarantee design, nor from the job). The same config and "
      "seed give identical outputs; a different `replications` or `block_size` gives a different "
      "(equally valid) sample, because a block's draws are laid out by its size.")
    w("")
    OUT.write_text("\n".join(L))
    print(f"wrote {OUT} ({len(L)} lines)")


if __name__ == "__main__":
    main()
