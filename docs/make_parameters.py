"""Write docs/parameters.md and docs/outputs.md from the code, the presets and the table of sources.

    python docs/make_parameters.py [OUT_DIR]      (default: docs/)

Re-run after a schema, a preset, a source or an output changes: tests/test_docs.py checks that the
committed pages are what this writes.

What it documents, and how it finds it (nothing below lists nodes, kinds or presets by hand):

- Nodes: it walks the schema from :class:`ScenarioConfig`: a field whose type is a dataclass is a
  node of its own (``theater.aggressor``); a mapping field is a named collection whose entries take
  their schema from ``ENTRIES`` (guarantors, commitments; every asset kind of ``assets.KINDS`` and
  every effect type of ``effects.EFFECTS``, as registered by their modules; the aid pledges,
  numbers declared by ``config.AID``). A new field, kind or effect type appears by itself; a new
  named collection needs one line in ``ENTRIES`` (the generator says so).
- Presets: every YAML of ``conf/<group>/`` for each group of ``ScenarioConfig`` (theater, attack,
  monitoring, guarantee, sim, calibration), composed through Hydra (``ds.compose_scenario(["<group>=<name>"])``)
  so the tables show what runs. Building blocks (``conf/commitment/``, ``conf/financing/``, or any
  other group a preset's defaults list places with ``/<group>@<key>``) are found from those
  defaults lists and composed alone into the parent group's emptiest preset. Experiments
  (``# @package _global_`` files) are listed. Each table gets one column per preset or entry.

Where a new parameter's source note goes: ``SOURCES`` below, keyed by the parameter's path, with
``*`` for the name of an entry of a named collection (a note for one entry only may use its full
path, which is looked up first):

- a field of the theatre or of its forces (a build-up rate, an early-warning delay):
  ``theater.<field>``, ``theater.aggressor.<field>``, ``theater.defender.<field>``;
- a field of a guarantor: ``theater.guarantors.*.<field>``;
- a field of the aggressor profile (an escalation ladder's rungs): ``attack.<field>``;
- a field of the monitoring design: ``monitoring.<field>``;
- a field of an asset kind, common or the kind's own: ``monitoring.assets.*.<field>``;
- a field of a commitment: ``guarantee.commitments.*.<field>``;
- a field of an effect type, common or the type's own: ``guarantee.commitments.*.effects.*.<field>``;
- a guarantor's aid pledge: ``guarantee.aid_bn_per_year.<guarantor>`` (no ``*``: each pledge
  needs its own source);
- a run setting: ``sim.<field>``.

A note is ``note(text, facts)``; ``facts`` maps a preset (``"theater=ukraine_2026"``,
``"commitment=sanctions_snapback"``) to the values its text quotes (``{path: value}``, a path may
end in a distribution's key such as ``.mode``; a value may be a predicate). Write "**assumption**"
(``A``) where the number is a modelling judgement. The generator raises :class:`SourceError`
if a numeric field of any schema or a numeric value of any preset has no note, if a note matches
no parameter, or if a fact no longer holds. Non-numeric fields (names, switches, choices) need a
line in ``MEANINGS``; every output column one in ``columns.py`` (and trace columns in
``TRACE_COLUMNS`` below).
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import math
import sys
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, fields, is_dataclass
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

import numpy as np
import yaml

import deterrence_sim as ds
from deterrence_sim.api import config_dir, presets
from deterrence_sim.assets import KINDS, AssetConfig
from deterrence_sim.calibration.posterior import load_posterior
from deterrence_sim.columns import DAILY_COLUMNS, OUTPUTS, PARAM_PREFIX, RECORDED, RUN_COLUMNS
from deterrence_sim.config import (
    AID,
    MAX_TRACED,
    CommitmentConfig,
    ConfigError,
    GuarantorConfig,
    ScenarioConfig,
    config_dict,
    parameters,
)
from deterrence_sim.core.decision import p_win
from deterrence_sim.core.distributions import DISTRIBUTIONS, Range, is_distribution, sample
from deterrence_sim.effects import EFFECTS, EffectConfig
from deterrence_sim.fields import field_table
from deterrence_sim.folders import PRESET_COLUMNS
from deterrence_sim.simulation import simulate_scenario

ROOT = Path(__file__).resolve().parents[1]


class SourceError(RuntimeError):
    """A parameter without a source note, a note without a parameter, or a fact that no longer holds."""


# =========================================================================== schema of the collections


@dataclass(frozen=True)
class Registry:
    """Entries whose class is chosen by a key field (``kind``, ``type``) among registered plug-ins."""

    base: type                      # the fields every entry has
    kinds: Mapping[str, Any]        # name -> registered class, its config in ``.config``
    key: str                        # the field naming the kind


ENTRIES: dict[str, Any] = {
    "TheaterConfig.guarantors": GuarantorConfig,
    "MonitoringConfig.assets": Registry(AssetConfig, KINDS, "kind"),
    "GuaranteeConfig.commitments": CommitmentConfig,
    "CommitmentConfig.effects": Registry(EffectConfig, EFFECTS, "type"),
    "GuaranteeConfig.aid_bn_per_year": AID,          # a number per guarantor
}
"""Named collections (mapping fields of a schema, by ``Class.field``): the schema of their entries."""


def entry_spec(cls: type, name: str) -> Any:
    """The entry schema of collection field ``name`` of ``cls`` (or of a class it extends), or None."""
    return next((ENTRIES[f"{k.__name__}.{name}"] for k in cls.__mro__ if f"{k.__name__}.{name}" in ENTRIES), None)


# =========================================================================== sources

A = "**assumption**"
EUR, GBP, UAH = 1.163, 1.267, 42.3   # USD per EUR and per GBP, UAH per USD, as implied by the sources
T = "theater=ukraine_2026"
ATTACKS = ("attack=cautious", "attack=opportunist", "attack=revisionist")
FIN = "financing=paris_2026"


@dataclass(frozen=True)
class Note:
    text: str
    facts: Mapping[str, Mapping[str, Any]] = dataclasses.field(default_factory=dict)


def note(text: str, facts: Mapping[str, Mapping[str, Any]] | None = None) -> Note:
    """A source note and the preset values its text quotes (checked on every run)."""
    return Note(text, facts or {})


def tri(low: float, mode: float, high: float) -> dict[str, Any]:
    return {"dist": "triangular", "low": low, "mode": mode, "high": high}


def beta(a: float, b: float) -> dict[str, Any]:
    return {"dist": "beta", "a": a, "b": b}


def link(label: str, url: str) -> str:
    return f"[{label}]({url})"


IISS26 = link("IISS Military Balance 2026 via Defense News",
              "https://www.defensenews.com/global/europe/2026/02/24/russias-defense-spending-surge-tapers-off-in-2025-analysts-find/")
KIEL25 = link("Kiel Institute via Deutschland in English",
              "https://deutschlandinenglish.com/p/germany-leads-surge-in-european-military-aid-to-ukraine-amid-rising-security-concerns")
KIEL_CPH = link("Kiel Institute via Copenhagen News Network",
                "https://www.copenhagennewsnetwork.com/article/875279183-kiel-institute-reports-flags-sharp-drop-in-europe-s-ukraine-support")
MOSCOW_TIMES = link("Medvedev and Putin via The Moscow Times",
                    "https://www.themoscowtimes.com/2026/01/16/russias-new-military-recruits-dipped-in-2025-figures-show-a91703")
TASS = link("Svyrydenko via TASS", "https://tass.com/world/2053283")
EU_LOAN = 90, 60       # EUR bn: the loan for 2026-27, its military part
AID_2025 = 29 * EUR    # European military aid in 2025 (Kiel), USD bn
# Build-ups, warning and surprise
KUWAIT_WP = link("Washington Post, 3 August 1990",
                 "https://www.washingtonpost.com/archive/politics/1990/08/03/situation-in-brief/5b910fd2-9467-4db0-9818-98b97aa654d5/")
KUWAIT_EPSTEIN = link("E. J. Epstein on the 1990 warning", "http://edwardjayepstein.com/2002question/intelligence_failure.htm")
RUSSIA_2021 = link("Lysning timeline", "https://lysning.org/prerender/en/timeline/2021-04-15-russian-buildup.html")
MAXAR_ABC = link("Maxar imagery via ABC News",
                 "https://www.abc.net.au/news/2022-02-23/satellite-images-russian-troops-surround-ukraine/100827810")
BARBAROSSA = link("Operation Barbarossa, German preparations (Wikipedia text via LiquiSearch)",
                  "https://liquisearch.com/operation_barbarossa/german_preparations")
YOM_KIPPUR = link("Luttwak in Tablet", "https://www.tabletmag.com/sections/israel-middle-east/articles/yom-kippur-intelligence-failure")
YOM_KIPPUR_EXERCISE = link("review of Rabinovich, The Yom Kippur War", "https://readsomethinginteresting.com/acx/118")
BETTS = link("Betts, Surprise Attack (Brookings, 1982), Foreign Affairs review",
             "https://www.foreignaffairs.com/reviews/capsule-review/1982-12-01/surprise-attack")
GRABO = link("Grabo, Anticipating Surprise (2002), summary",
             "https://emsenn.net/militarism/disciplines/intelligence/works/grabo-anticipating-surprise")
DUPUY = link("Dupuy, Understanding War (1987), via the Dupuy Institute",
             "https://dupuyinstitute.org/2019/04/08/dupuys-verities-surprise/")
US_2021 = link("Bloomberg via Stars and Stripes",
               "https://stripes.com/theaters/us/2022-02-24/intelligence-community-made-right-call-on-russia-invasion-5132297.html")
HAINES = link("Haines via CNN",
              "https://edition.cnn.com/europe/live-news/russia-ukraine-war-news-06-07-22/h_8ebf3ff2546f70f666dd865598d13545")
PLANET = link("BBC on Planet's constellation", "https://feeds.bbci.co.uk/news/science-environment-52980567")
CAPELLA = link("AFP via Taipei Times", "https://www.taipeitimes.com/News/world/archives/2022/03/06/2003774293")
HODGES = link("Hodges via Onet",
              "https://wiadomosci.onet.pl/swiat/amerykanski-general-o-zagrozeniu-ze-strony-rosji-takie-kraje-jak-polska-beda-musialy/wfrgtcn")
# Escalation after incidents between major powers
SU24 = link("Russia's decree of 28 November 2015 and its lifting, via BRICS-info",
            "http://www.brics-info.org/putin-cancels-ban-on-charter-flights-between-russia-turkey/")
KHASHAM = link("Battle of Khasham (Wikipedia)", "https://en.wikipedia.org/wiki/Battle_of_Khasham")


def logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))

SOURCES: dict[str, Note] = {
    # ------------------------------------------------------------------ theater
    "theater.n_sectors": note(
        f"{A}: model resolution (design brief): 40 sectors of about 31 km on a contact line of ~1,250 km "
        "(the length Ukraine's commander-in-chief Syrskyi gave for the active front in 2025)",
        {T: {"theater.n_sectors": 40}}),
    "theater.sector_value_low": note(f"{A}: strategic value spread 3:1 between sectors, mean 1",
                                     {T: {"theater.sector_value_low": 0.5, "theater.sector_value_high": 1.5}}),
    "theater.sector_value_high": note(f"{A} (see `sector_value_low`)"),
    "theater.visibility_low": note(f"{A}: towns and forest (the valuable sectors) are harder to watch than open steppe"),
    "theater.visibility_high": note(A),
    "theater.cloud_median": note(
        f"{A}, order of magnitude: a cloud climatology for Ukraine was not found; globally about 55 % of the "
        "Earth's surface is under opaque cloud and 20 % more under cirrus or thin cloud "
        f"({link('arXiv 2106.08408', 'https://ar5iv.labs.arxiv.org/html/2106.08408')})"),
    "theater.cloud_seasonal_amplitude": note(
        f"{A}: overcast winters; with the median 0.6 the seasonal median runs from 0.75 in early January to "
        "0.45 in early July", {T: {"theater.cloud_median": 0.6, "theater.cloud_seasonal_amplitude": 0.15}}),
    "theater.cloud_logit_sd": note(f"{A}: day-to-day variability of cloud"),
    "theater.start_day_of_year": note(
        f"seed document: the Paris summit was on 6 January 2026 (that the ceasefire starts that day is an {A})",
        {T: {"theater.start_day_of_year": 6}}),
    "theater.ground_km_per_serious": note(f"{A}: a raid or local push takes a few hundred metres"),
    # ------------------------------------------------------------------ theater.aggressor
    "theater.aggressor.capability": note(
        f"spending ratios of Russia to Ukraine: {IISS26}: USD 186 bn to 44.4 bn in 2025, 186/44.4 = "
        f"{186 / 44.4:.1f} own funds only, and 186/(44.4 + {AID_2025:.1f}) = {186 / (44.4 + AID_2025):.1f} with "
        f"2025's European military aid (EUR 29 bn × {EUR}, {KIEL25}); SIPRI 2023 including aid: "
        f"1/0.91 = {1 / 0.91:.1f} ({link('via IMI', 'https://www.imi-online.de/2024/04/22/sipri-neuer-report/')}); "
        f"combat-ready tanks about 2:1 ({link('IISS Military Balance 2024 via Reuters', 'https://ogreszinas.news/?p=19081')}). "
        f"Low 1.2, mode 2.0, high 3.0; collapsing them into one index is an {A}. At the attack profiles' "
        "κ = 4 and ρ* = 3, p_win = 0.02 / 0.16 / 0.50 at 1.2 / 2 / 3, so the upper tail matters most",
        {T: {"theater.aggressor.capability": tri(1.2, 2.0, 3.0),
             "theater.aggressor.capability.low": lambda x: round(float(p_win(x, 4, 3)), 2) == 0.02,
             "theater.aggressor.capability.mode": lambda x: round(float(p_win(x, 4, 3)), 2) == 0.16,
             "theater.aggressor.capability.high": lambda x: round(float(p_win(x, 4, 3)), 2) == 0.50},
         **{a: {"attack.win_steepness": 4, "attack.required_force_ratio": 3} for a in ATTACKS}}),
    "theater.aggressor.regen_per_day": note(
        "equilibrium A* = regen / depreciation of 1.1 / 2.2 / 4.0 at depreciation 0.0027, i.e. regen "
        f"{1.1 * 0.0027:.4f} / {2.2 * 0.0027:.4f} / {4.0 * 0.0027:.4f}: Russia's spending valued at the "
        f"defender's cost of capability (`efficiency_per_bn`). Mode: USD 186 bn in 2025 ({IISS26}) × 0.011 = "
        f"{186 * 0.011:.2f}, or 186/80 = {186 / 80:.2f} at the old 1/80, hence 2.2; low: the 2026 national-defence "
        f"line of RUB 13 trn ≈ USD 134 bn ({link('Ragex', 'https://ragex.co/global/russia-claims-defense-budget-cut')}; "
        f"−6.7 % in the draft budget, {link('Die Welt via IMI', 'https://www.imi-online.de/2025/10/10/russland-rueckgang/')}) "
        f"× 0.008 = {134 * 0.008:.1f}; high: 186 × 0.0145 × 1.5 = {186 * 0.0145 * 1.5:.1f}, with a partial "
        f"purchasing-power advantage of 1.5 (IISS puts Russia's at 3.17). Valuing spending as capability is an {A}",
        {T: {"theater.aggressor.regen_per_day": tri(0.0030, 0.0059, 0.0108),
             "theater.aggressor.depreciation_per_day.mode": 0.0027,
             "theater.defender.efficiency_per_bn": tri(0.008, 0.011, 0.0145)}}),
    "theater.aggressor.depreciation_per_day": note(
        f"{A}, wide: wear, demobilisation and readiness decay on a time scale of 1/0.0045 = {1 / 0.0045:.0f} "
        f"to 1/0.0015 = {1 / 0.0015:.0f} days (0.6–1.8 years), mode 0.0027 ≈ 1/365. Anchors: wartime "
        f"personnel outflow 422,704 contracts / 700,000 troops = {422704 / 700000:.2f} a year = "
        f"{422704 / 700000 / 365:.4f}/day ({MOSCOW_TIMES}); equipment depreciation 0.05–0.19 a year, at most "
        f"{0.19 / 365:.4f}/day ({link('BEA', 'http://www.bea.gov/scb/account_articles/national/0797fr/table3.htm')}); "
        "readiness decay itself was not found",
        {T: {"theater.aggressor.depreciation_per_day": tri(0.0015, 0.0027, 0.0045)}}),
    # ------------------------------------------------------------------ theater.defender
    "theater.defender.capability": note(
        "the unit of force (definition): Ukraine's force in January 2026, about 800,000 troops "
        f"({link('Zelensky via LIGA.net', 'https://news.liga.net/en/politics/news/zelenskyy-in-peaceful-terms-the-number-of-the-armed-forces-is-800-000-the-same-as-now')}), "
        "with the equipment that 2025's spending and aid kept in being", {T: {"theater.defender.capability": 1.0}}),
    "theater.defender.own_budget_bn_per_year": note(
        f"Ukraine's 2026 budget: defence UAH 2.8 trn / {UAH} = USD {2800 / UAH:.0f} bn, all of it own revenue "
        f"({TASS}), so high 67 (own revenue ≈ USD 67 bn); {IISS26}: USD 44.4 bn in 2025; NATO's Turner: "
        "Ukraine covers half of a USD 120 bn 2026 need, 60 "
        f"({link('Censor.NET', 'https://censor.net/en/news/3583257/purl-initiative-us-weapons-already-arriving-in-ukraine-says-nato')}); "
        f"mode 55 between them; low 35 = 2025's 44.4 less ~20 % for cuts after a ceasefire ({A})",
        {T: {"theater.defender.own_budget_bn_per_year": tri(35, 55, 67)}}),
    "theater.defender.efficiency_per_bn": note(
        "set so that 2025's own spending plus military aid sustains today's force: ε = 1/(own + aid) = "
        f"1/(44.4 + {AID_2025:.1f}) = {1 / (44.4 + AID_2025):.4f}, 1/(69.9 + {AID_2025:.1f}) = "
        f"{1 / (69.9 + AID_2025):.4f} (the Rada's UAH 2.95 trn for 2025, {TASS}), 1/(55 + {AID_2025:.1f}) = "
        f"{1 / (55 + AID_2025):.4f} → mode 0.011 (aid: EUR 29 bn × {EUR}, {KIEL25}); low 1/120 = "
        f"{1 / 120:.4f} at Kyiv's USD 120 bn need; high 1/69 = {1 / 69:.4f}, as in peace the same money keeps "
        f"more. Treating 2025's flows as a steady state is an {A}",
        {T: {"theater.defender.efficiency_per_bn": tri(0.008, 0.011, 0.0145)}}),
    "theater.defender.depreciation_per_day": note(
        f"{A}: as the aggressor's (same range, drawn independently); it sets only the speed of adjustment: "
        "the equilibrium ε·(B + Σ aid·will) does not depend on it",
        {T: {"theater.defender.depreciation_per_day": tri(0.0015, 0.0027, 0.0045)}}),
    "theater.defender.attrition_minor": note(
        "Minsk-era ceasefire losses: 582 casualties in 4,257 attacks (July 2019–July 2020) = "
        f"{582 / 4257:.3f} per attack, 199 in 1,995 (2020–21) = {199 / 1995:.3f} "
        f"({link('Interfax-Ukraine', 'https://en.interfax.com.ua/news/general/758019.html')}, "
        f"{link('Kyiv Post', 'https://archive.kyivpost.com/ukraine-politics/russian-backed-militants-kill-45-ukrainian-soldiers-during-year-long-ceasefire-in-donbas.html')}); "
        f"at 800,000 troops = 1 that is {199 / 1995 / 8e5:.1e} to {582 / 4257 / 8e5:.1e} of the force per attack. "
        f"The mode 1e-05 allows ~100× for drone-era lethality and materiel ({A}, deliberately wide: triangular "
        "from 1e-07, about the Minsk-era rate, to 2e-04, the old preset's value; bounded, so that violations "
        "alone cannot destroy the defender)",
        {T: {"theater.defender.attrition_minor": tri(1.0e-7, 1.0e-5, 2.0e-4)}}),
    "theater.defender.attrition_serious": note(
        f"{A}: casualties per raid or local push were not found; about 10× a minor violation's (triangular "
        "1e-06, 1e-04, 2e-03, drawn independently of it)",
        {T: {"theater.defender.attrition_serious": tri(1.0e-6, 1.0e-4, 2.0e-3)}}),
    "theater.defender.p_retaliate": note(
        f"{A}; qualitative only: the OSCE SMM recorded violations by both sides, mostly without attributing "
        "them, and truces held about two weeks on average (SMM deputy chief Hug, 2018, "
        f"{link('via LB.ua', 'https://en.lb.ua/news/2018/08/09/6414_osce_says_effect_harvest.html')})"),
    "theater.defender.p_spontaneous_per_sector_day": note(
        f"{A}: 0.0005 × 40 sectors = 0.02 a day ≈ {0.0005 * 40 * 365:.0f} a year on the whole line (range "
        f"{0.0001 * 40 * 365:.1f}–{0.0025 * 40 * 365:.0f} a year). For scale: the OSCE counted 299,633 "
        "ceasefire violations (both sides) in 2019 and 134,767 in 2020, 623 a day before the 27 July 2020 "
        f"ceasefire and 33 after ({link('Kyiv Post', 'https://www.kyivpost.com/post/9363')})",
        {T: {"theater.defender.p_spontaneous_per_sector_day": tri(0.0001, 0.0005, 0.0025),
             "theater.n_sectors": 40}}),
    "theater.defender.warned_capability_gain": note(
        "direction: 'surprise substantially enhances combat power ... the greatest of all combat multipliers' "
        f"({DUPUY}), so a defender warned in time fights better than a surprised one; Dupuy's quantified surprise "
        f"factors were not found, so the size, 30 % more capability against a warned offensive (alert, dispersal, "
        f"reserves), is an {A}. Warning buys it only if acted on: surprise usually succeeds because leaders hesitate "
        f"to respond, not for lack of intelligence ({BETTS})",
        {T: {"theater.defender.warned_capability_gain": 0.3}}),
    # ------------------------------------------------------------------ theater.guarantors
    "theater.guarantors.*.political_will": note(
        f"{A}: each guarantor's hidden resolve on day 0, drawn per replication; beta means UK 0.75, "
        "France 0.71, Germany and the EU 0.625, US 0.5",
        {T: {"theater.guarantors.uk.political_will": beta(6, 2),
             "theater.guarantors.france.political_will": beta(5, 2),
             "theater.guarantors.germany.political_will": beta(5, 3),
             "theater.guarantors.eu.political_will": beta(5, 3),
             "theater.guarantors.us.political_will": beta(3, 3)}}),
    "theater.guarantors.*.cost_tolerance_bn_per_year": note(
        f"{A}, of the order of each state's pledged aid or a few times more (EU 60, Germany 15, UK and France "
        "10 bn USD/yr against the `paris_2026` financing modes 35, 13.4, 3.8 and 2.5); the US value (30) has "
        "no such anchor",
        {T: {"theater.guarantors.eu.cost_tolerance_bn_per_year": 60,
             "theater.guarantors.germany.cost_tolerance_bn_per_year": 15,
             "theater.guarantors.uk.cost_tolerance_bn_per_year": 10,
             "theater.guarantors.france.cost_tolerance_bn_per_year": 10,
             "theater.guarantors.us.cost_tolerance_bn_per_year": 30},
         FIN: {"guarantee.aid_bn_per_year.eu.mode": 35, "guarantee.aid_bn_per_year.germany.mode": 13.4,
               "guarantee.aid_bn_per_year.uk.mode": 3.8, "guarantee.aid_bn_per_year.france.mode": 2.5}}),
    "theater.guarantors.*.rally_per_flagrant": note(A),
    "theater.guarantors.*.fatigue": note(A),
    "theater.guarantors.*.drift_per_day": note(
        f"{A}: shocks to will fade on a time scale 1/drift = 100 days",
        {T: {"theater.guarantors": lambda gs: all(g["drift_per_day"] == 0.01 for g in gs.values())}}),
    "theater.guarantors.*.will_per_clash": note(
        f"{A}: a direct clash lowers every guarantor's will by 0.05 (fear a little stronger than the rally; a "
        "positive value makes clashes rally). How publics answer a clash with the aggressor's forces was not found",
        {T: {"theater.guarantors": lambda gs: all(g["will_per_clash"] == -0.05 for g in gs.values())}}),
    "theater.guarantors.*.escalation_resolve": note(
        f"{A}, deliberately wide (triangular 10, 30, 80): with `wider_war_loss` 40 and the escalation "
        f"temperature 3, a guarantor at full will and the mode's resolve matches the aggressor from an "
        f"incident with probability σ((30 − 40/2)/3) = {logistic(10 / 3):.2f} and from a limited exchange with "
        f"σ((30 − 40)/3) = {logistic(-10 / 3):.3f}; at the top of the range, σ((80 − 40)/3) ≈ 1. Resolve is "
        "`will × escalation_resolve`, so it erodes with will (model.md, escalation ladder). No record of how "
        "resolute publics are in a clash with the aggressor was found",
        {T: {"theater.guarantors": lambda gs: all(g["wider_war_loss"] == 40 for g in gs.values())},
         **{a: {"attack.escalation_temperature": 3} for a in ATTACKS}}),
    "theater.guarantors.*.wider_war_loss": note(f"{A} (utility units; see `escalation_resolve`)"),
    # ------------------------------------------------------------------ attack
    "attack.revisionism": note(
        f"{A}: the aggressor's hidden type, drawn per replication; means 0.25 (cautious), 0.5 (opportunist), "
        "0.75 (revisionist)",
        {"attack=cautious": {"attack.revisionism": beta(2, 6)},
         "attack=opportunist": {"attack.revisionism": beta(3, 3)},
         "attack=revisionist": {"attack.revisionism": beta(6, 2)}}),
    "attack.opportunity_rate_per_sector_day": note(A),
    "attack.gain_minor": note(f"{A} (utility units; 1 = the gain scale of one unit of sector value)"),
    "attack.gain_serious": note(A),
    "attack.denial_minor": note(A),
    "attack.denial_serious": note(A),
    "attack.temperature": note(A),
    "attack.offensive_gain": note(A),
    "attack.offensive_fail_loss": note(A),
    "attack.offensive_cost": note(A),
    "attack.offensive_rate_per_day": note(
        f"{A}: the war option is weighed every ~100 / 50 / 33 days (cautious / opportunist / revisionist)",
        {"attack=cautious": {"attack.offensive_rate_per_day": 0.01},
         "attack=opportunist": {"attack.offensive_rate_per_day": 0.02},
         "attack=revisionist": {"attack.offensive_rate_per_day": 0.03}}),
    "attack.offensive_temperature": note(A),
    "attack.win_steepness": note(A),
    "attack.required_force_ratio": note(
        "the attacker's 3:1 rule of thumb (Mearsheimer, \"Assessing the Conventional Balance: The 3:1 Rule "
        "and Its Critics\", *International Security* 13(4), 1989)",
        {a: {"attack.required_force_ratio": 3} for a in ATTACKS}),
    "attack.window_weight": note(
        f"{A}: 0 switches the preventive-war term off; only the revisionist profile uses it (20)",
        {"attack=cautious": {"attack.window_weight": 0}, "attack=opportunist": {"attack.window_weight": 0},
         "attack=revisionist": {"attack.window_weight": 20}}),
    "attack.lookahead_days": note(A),
    "attack.buildup_days": note(
        "days of massing before a major offensive. Iraq 1990: a KH-11 pass saw troops assembling at the Kuwaiti border "
        f"on 17 July, the invasion came on 2 August, 16 days later ({KUWAIT_EPSTEIN}; 'tens of thousands of troops' "
        f"moved to the border on 21 July, 12 days before, {KUWAIT_WP}). Longer: Russia massed from October 2021 "
        f"to 24 February 2022, about four months ({RUSSIA_2021}; Maxar images of the force in Belarus from 30 "
        f"January, {MAXAR_ABC}); Germany had 680,000 troops on the Romanian–Soviet border by the third week of "
        f"February 1941 and attacked on 22 June, about four months ({BARBAROSSA}). The range 1–8 weeks, mode 3, "
        "is for a renewed offensive by forces already near the line (the 1990 scale), not for an invasion force "
        f"brought from afar; its shape is an {A}",
        {a: {"attack.buildup_days": tri(7, 21, 56)} for a in ATTACKS}),
    "attack.buildup_signature": note(
        f"{A}: beta(4, 2), mean 0.67: large build-ups were seen in every case above (a satellite pass in 1990; "
        f"commercial imagery for weeks in 2021–22, {MAXAR_ABC}; in 1973 a build-up 'assembled day by day in full "
        f"view of Israeli frontline troops', {YOM_KIPPUR}), and the failures were of belief, not of sight "
        f"({BETTS}); the low tail stands for concealment and exercises as cover (the Egyptian crossing preparations "
        f"were dismissed as an exercise, {YOM_KIPPUR_EXERCISE})",
        {a: {"attack.buildup_signature": beta(4, 2)} for a in ATTACKS}),
    "attack.buildup_cost_per_day": note(
        f"{A} (utility): 0.1 a day, so a build-up of the modal 21 days costs 2.1, a sixth of the opportunist's "
        "`offensive_cost` 12",
        {"attack=opportunist": {"attack.buildup_cost_per_day": 0.1, "attack.buildup_days.mode": 21,
                                "attack.offensive_cost": 12}}),
    "attack.abort_cost": note(
        f"{A} (utility): 3, a quarter of `offensive_cost`. Standing a seen build-up down happens: Russia pulled part "
        f"of its spring 2021 build-up back in late April, leaving heavy equipment in place ({RUSSIA_2021})",
        {"attack=opportunist": {"attack.abort_cost": 3, "attack.offensive_cost": 12}}),
    "attack.prior_warning_alpha": note(
        f"{A}: no view on day 0 of whether a build-up will be seen in time; Beta(1, 1), mean 0.5, in every profile",
        {a: {"attack.prior_warning_alpha": 1, "attack.prior_warning_beta": 1} for a in ATTACKS}),
    "attack.prior_warning_beta": note(f"{A} (see `prior_warning_alpha`)"),
    "attack.escalation_resolve": note(
        f"{A}, kept low by the record of clashes between major powers' forces that did not escalate: Russia "
        f"answered Turkey's downing of its Su-24 (24 November 2015) with economic sanctions (food imports, charter "
        f"flights, visas), lifted from mid-2016 ({SU24}); US strikes that killed Russian contractors near Khasham "
        f"(7 February 2018) drew a denial that Russian servicemen were there ({KHASHAM}). With `wider_war_loss` 60 and "
        f"temperature 3, going up from an incident at the mode 10 has probability σ((10 − 30)/3) = "
        f"{logistic(-20 / 3):.4f}; the revisionist's mode 25 gives σ((25 − 30)/3) = {logistic(-5 / 3):.2f}",
        {"attack=opportunist": {"attack.escalation_resolve": tri(0, 10, 60), "attack.wider_war_loss": 60,
                                "attack.escalation_temperature": 3},
         "attack=cautious": {"attack.escalation_resolve": tri(0, 10, 60)},
         "attack=revisionist": {"attack.escalation_resolve": tri(5, 25, 90), "attack.wider_war_loss": 60}}),
    "attack.wider_war_loss": note(
        f"{A} (utility): 60, three fifths of the value of winning a major offensive (`offensive_gain` 100)",
        {a: {"attack.wider_war_loss": 60, "attack.offensive_gain": 100} for a in ATTACKS}),
    "attack.escalation_temperature": note(
        f"{A}: the logit noise of both sides' moves on the escalation ladder (the guarantors use the aggressor "
        "profile's value too)"),
    "attack.prior_detect_alpha": note(
        f"{A}: what the aggressor assumes on day 0; prior mean chance of being seen 0.80 / 0.50 / 0.33 "
        "(cautious / opportunist / revisionist)",
        {"attack=cautious": {"attack.prior_detect_alpha": 4, "attack.prior_detect_beta": 1},
         "attack=opportunist": {"attack.prior_detect_alpha": 1, "attack.prior_detect_beta": 1},
         "attack=revisionist": {"attack.prior_detect_alpha": 1, "attack.prior_detect_beta": 2}}),
    "attack.prior_detect_beta": note(f"{A} (see `prior_detect_alpha`)"),
    "attack.prior_credibility_alpha": note(
        f"{A}: prior mean credibility 0.60 / 0.50 / 0.25 (cautious / opportunist / revisionist)",
        {"attack=cautious": {"attack.prior_credibility_alpha": 3, "attack.prior_credibility_beta": 2},
         "attack=opportunist": {"attack.prior_credibility_alpha": 1, "attack.prior_credibility_beta": 1},
         "attack=revisionist": {"attack.prior_credibility_alpha": 1, "attack.prior_credibility_beta": 3}}),
    "attack.prior_credibility_beta": note(f"{A} (see `prior_credibility_alpha`)"),
    "attack.forgetting": note(
        f"{A}: λ < 1 keeps an effective memory of about 1/(1 − λ) observations per belief, 50 at λ = 0.98 "
        "(opportunist, revisionist); at λ = 1 (cautious) nothing is forgotten",
        {"attack=cautious": {"attack.forgetting": 1.0}, "attack=opportunist": {"attack.forgetting": 0.98},
         "attack=revisionist": {"attack.forgetting": 0.98}}),
    # ------------------------------------------------------------------ monitoring
    "monitoring.verification_delay_days": note(
        f"{A}; the OSCE preset is slower (7 days), reflecting an observer mission's reporting chain",
        {"monitoring=osce_observers": {"monitoring.verification_delay_days": 7}}),
    "monitoring.corroborated_delay_days": note(A),
    "monitoring.p_verify_single": note(A),
    "monitoring.p_verify_false_alarm": note(A),
    "monitoring.p_wrong_side": note(A),
    "monitoring.jamming_median": note(
        f"{A} (`us_led_tech_jammed` assumes heavy electronic warfare, 0.7); qualitatively grounded in the "
        "OSCE SMM's reports of GPS jamming of its UAVs",
        {"monitoring=us_led_tech_jammed": {"monitoring.jamming_median": 0.7}}),
    "monitoring.jamming_logit_sd": note(A),
    "monitoring.extra_cloud": note(f"{A}: `us_led_tech_jammed` adds 0.2 of winter overcast",
                                   {"monitoring=us_led_tech_jammed": {"monitoring.extra_cloud": 0.2}}),
    "monitoring.warning_delay_days": note(
        f"{A}: 2 days, the fast end, for a standing technical mechanism with set procedures. For scale: in 1990, "
        "6 days from the first satellite sighting (17 July) to twice-daily DIA briefings (23 July) and 15 days to "
        f"the national intelligence officer's warning that Iraq would invade within 24 hours (1 August) "
        f"({KUWAIT_EPSTEIN}); in 2021 the US warned its allies privately in November, publicly from December "
        f"({US_2021})",
        {"monitoring=us_led_tech": {"monitoring.warning_delay_days": 2}}),
    "monitoring.p_verify_warning": note(
        f"{A}: 0.7. Single indicators are rarely diagnostic, warning rests on several that agree ({GRABO}), and "
        f"warnings that were there have often not been believed ({BETTS}): in early 2022 allies' scepticism made "
        f"the US declassify what it saw ({HAINES}). A sighting by two or more assets is verified without this draw",
        {"monitoring=us_led_tech": {"monitoring.p_verify_warning": 0.7}}),
    # ------------------------------------------------------------------ monitoring.assets
    "monitoring.assets.*.kind": note(
        "seed document: drones, sensors and satellites (the US-led mechanism); the OSCE SMM used patrols and UAVs"),
    "monitoring.assets.*.owner": note(f"{A}: who pays the running cost; the US leads the mechanism (seed document)"),
    "monitoring.assets.*.coverage_share": note(
        "the OSCE SMM's access was restricted, above all in non-government-controlled areas (SMM reports); "
        f"the shares themselves are an {A}"),
    "monitoring.assets.*.looks_per_day": note(
        f"{A}; satellite revisits as an order of magnitude: Sentinel-2 A+B every 2–3 days at mid-latitudes, "
        "Planet's ~200 satellites near-daily "
        f"({link('Estron', 'https://estron.com.tr/en/neden/uydu-tarama-sikligi.html')}), so 1–3 optical looks "
        "a day is plausible (`optical_satellites`: 2)",
        {"monitoring=us_led_tech": {"monitoring.assets.optical_satellites.looks_per_day": 2}}),
    "monitoring.assets.*.p_detect_minor": note(A),
    "monitoring.assets.*.p_detect_serious": note(A),
    "monitoring.assets.*.exposure_days": note(A),
    "monitoring.assets.*.false_alarms_per_sector_day": note(A),
    "monitoring.assets.*.attribution_accuracy": note(
        "SMM reports mostly recorded violations without attributing them (`observer_patrols`: 0.4); "
        f"values {A}", {"monitoring=osce_observers": {"monitoring.assets.observer_patrols.attribution_accuracy": 0.4}}),
    "monitoring.assets.*.p_detect_buildup": note(
        f"{A}, per look at full signature (optical 0.3, radar 0.25, drones 0.15, ground sensors and observers 0.05, "
        "the kinds' defaults); order of magnitude: build-ups have been caught on single satellite passes (17 July "
        f"1990, {KUWAIT_EPSTEIN}), commercial imagery followed the 2021–22 build-up for weeks ({MAXAR_ABC}), Planet "
        f"images the whole Earth daily at 3.7 m ({PLANET}), and radar sees through cloud and at night ({CAPELLA}). "
        f"Two clear optical passes a day at 0.3 × the mean signature 0.67 see a build-up on a given day with "
        f"1 − (1 − {0.3 * 4 / 6:.2f})² = {1 - (1 - 0.3 * 4 / 6) ** 2:.2f}",
        {"monitoring=us_led_tech": {"monitoring.assets.optical_satellites.p_detect_buildup": 0.3,
                                    "monitoring.assets.optical_satellites.looks_per_day": 2,
                                    "monitoring.assets.sar_satellites.p_detect_buildup": 0.25,
                                    "monitoring.assets.drone_patrols.p_detect_buildup": 0.15,
                                    "monitoring.assets.ground_sensors.p_detect_buildup": 0.05},
         "attack=opportunist": {"attack.buildup_signature": beta(4, 2)}}),
    "monitoring.assets.*.false_warnings_per_year": note(
        f"{A}: 0.5 a year per asset (one false build-up alarm in two years). Warning trades crying wolf against "
        f"warning too late ({GRABO}); before Barbarossa informers had given earlier dates that passed peacefully "
        f"({BARBAROSSA})"),
    "monitoring.assets.*.loss_rate_per_day": note(
        f"{A}: a fleet-wide outage with no direct source; `us_led_tech_jammed` quadruples drone losses "
        "(0.02 → 0.08). For scale: RUSI estimated that Ukraine lost ~10,000 drones a month in 2023 "
        f"({link('RUSI', 'https://rusi.org/news-and-comment/in-the-news/russia-and-ukraine-are-filling-sky-drones')})",
        {"monitoring=us_led_tech": {"monitoring.assets.drone_patrols.loss_rate_per_day": 0.02},
         "monitoring=us_led_tech_jammed": {"monitoring.assets.drone_patrols.loss_rate_per_day": 0.08}}),
    "monitoring.assets.*.replacement_days": note(A),
    "monitoring.assets.*.cost_bn_per_year": note(f"{A}, order of magnitude"),
    "monitoring.assets.observer_patrols.cost_bn_per_year": note(
        f"the OSCE SMM's budget, ~EUR 100 m a year (EUR 105.5 m for 2017–18, budgeting up to 800 monitors, per "
        f"the Czech mission to the OSCE, 2017): 105.5 × {EUR} = USD {105.5 * EUR / 1000:.2f} bn",
        {"monitoring=osce_observers": {"monitoring.assets.observer_patrols.cost_bn_per_year": 0.12}}),
    "monitoring.assets.*.jam_sensitivity": note(
        "SMM UAVs met GPS interference on many flights (SMM spot reports, e.g. 2 February 2022); FPV sorties: "
        "'up to 31 % lost to enemy jamming' (asb-media, a weak source); at jamming 0.5 a drone fleet's 0.6 "
        f"loses 30 % of its sorties, consistent with that; values {A}",
        {"monitoring=us_led_tech": {"monitoring.assets.drone_patrols.jam_sensitivity": 0.6}}),
    "monitoring.assets.*.cloud_sensitivity": note(
        f"{A}: drones are partly grounded by low cloud (`smm_drones`: 0.5). Satellites have no such field: an "
        "optical pass sees nothing through cloud, radar sees through it (their detection laws)",
        {"monitoring=osce_observers": {"monitoring.assets.smm_drones.cloud_sensitivity": 0.5}}),
    # ------------------------------------------------------------------ guarantee.aid_bn_per_year
    "guarantee.aid_bn_per_year.eu": note(
        f"the EUR {EU_LOAN[0]} bn Ukraine Support Loan for 2026–27 "
        f"({link('European Council, 18–19 Dec 2025, via SIEPS', 'https://sieps.se/en/publications/2026/eu-foreign-policy-via-enhanced-cooperation')}), "
        f"about EUR {EU_LOAN[1]} bn of it military "
        f"({link('Commission proposal of 14 Jan 2026, via Euromaidan Press', 'https://euromaidanpress.com/2026/01/14/eu-to-lend-ukraine-e90b-and-most-of-it-is-for-weapons')}): "
        f"{EU_LOAN[1]}/2 × {EUR} = {EU_LOAN[1] / 2 * EUR:.1f} → mode 35; high: the whole EUR 45 bn a year × {EUR} "
        f"= {45 * EUR:.1f}, as budget support frees own revenue for defence; low 25 as the first tranche comes "
        f"only in Q2 2026 ({link('Babel', 'https://babel.ua/en/news/124308-the-european-commission-will-provide-ukraine-with-90-billion-in-support-in-2026-2027-where-will-the-funds-be-directed')}; "
        f"how much less arrives is an {A})",
        {FIN: {"guarantee.aid_bn_per_year.eu": tri(25, 35, 52)}}),
    "guarantee.aid_bn_per_year.germany": note(
        "the 2026 federal budget's EUR 11.5 bn for Ukraine "
        f"({link('news.by', 'https://news.by/eng/news/v_mire/germany-approves-budget-2026-with-record-aid-to-ukraine')}): "
        f"11.5 × {EUR} = {11.5 * EUR:.1f} (mode); the draft's EUR 8.5 bn × {EUR} = {8.5 * EUR:.1f} and "
        f"Germany's ≈ EUR 9 bn of military aid in 2025 × {EUR} = {9 * EUR:.1f} ({KIEL25}) give low 10; high 15 "
        f"for ~EUR 1.3 bn more of PURL or supplementary packages ({A})",
        {FIN: {"guarantee.aid_bn_per_year.germany": tri(10, 13.4, 15)}}),
    "guarantee.aid_bn_per_year.uk": note(
        "'£3 billion per year, for as long as it takes' (Reeves, 30 October 2024 budget, "
        f"{link('Kyiv Independent', 'https://kyivindependent.com/uk-promises-3-8-billion-per-year-in-military-aid-to-ukraine')}), "
        f"to 2030–31: 3 × {GBP} = {3 * GBP:.1f} (mode); low 3.0 if only part is delivered; high 5.5 for 2025's "
        f"above-pledge pace ({KIEL_CPH}) and part of the £2.26 bn ERA loan (how much is an {A})",
        {FIN: {"guarantee.aid_bn_per_year.uk": tri(3.0, 3.8, 5.5)}}),
    "guarantee.aid_bn_per_year.france": note(
        "EUR 1.7 bn in 2022, 2.1 bn in 2023, 'more than 2 bn' in 2024, short of the 'up to 3 bn' of the "
        "February 2024 agreement (Lecornu, "
        f"{link('via ua2day', 'https://ua2day.news/france-will-reduce-military-aid-to-ukraine-in-2024-to-more-than-eur2-billion-minister-of-defense-lecornu')}): "
        f"2–2.1 × {EUR} = {2 * EUR:.1f}–{2.1 * EUR:.1f} → mode 2.5; 3 × {EUR} = {3 * EUR:.1f}; high 4.0 for a "
        f"2025-style doubling of monthly allocations ({KIEL_CPH}); low 1.5, 2022's level less slippage ({A})",
        {FIN: {"guarantee.aid_bn_per_year.france": tri(1.5, 2.5, 4.0)}}),
    "guarantee.aid_bn_per_year.us": note(
        "NDAA FY2026: USD 400 m of USAI a year for FY2026 and FY2027 "
        f"({link('Caliber.az', 'https://caliber.az/en/post/us-defence-bill-proposes-400-million-in-ukraine-support-for-2026-2027')}) "
        f"→ mode 0.4; high 1.0 if another USD 400 m 'for other needs' "
        f"({link('online.ua', 'https://news.online.ua/en/the-us-house-of-representatives-has-approved-the-defense-budget-what-assistance-can-ukraine-receive-899604/')}) "
        f"and small extras are disbursed ({A}); low 0: funds not spent (Kiel: no new US aid since 20 January "
        "2025). PURL purchases of US weapons are paid by allies and belong to their rows",
        {FIN: {"guarantee.aid_bn_per_year.us": tri(0, 0.4, 1.0)}}),
    # ------------------------------------------------------------------ guarantee.commitments
    "guarantee.commitments.*.guarantors": note(
        "seed document: the US backs the coalition's guarantees; the UK and France lead the Coalition of the "
        f"Willing and its planned force; who joins each commitment is an {A}"),
    "guarantee.commitments.*.trigger_severity": note(
        f"{A} (the sanctions snap-back counts repeated minor violations)",
        {"commitment=sanctions_snapback": {"guarantee.commitments.sanctions_snapback.trigger_severity": "minor"}}),
    "guarantee.commitments.*.rule": note(A),
    "guarantee.commitments.*.trigger_count": note(A),
    "guarantee.commitments.*.trigger_window_days": note(A),
    "guarantee.commitments.*.response_delay_days": note(A),
    "guarantee.commitments.*.bindingness": note(
        f"{A}: 0 political (Budapest-memorandum-style assurances), 0.3 pre-agreed sanctions or arms pledges, "
        "0.6–0.7 legally binding (the Paris declaration's 'binding commitments'; Article 5-like), 0.8 a "
        "tripwire force",
        {f"commitment={c}": {f"guarantee.commitments.{c}.bindingness": b} for c, b in (
            ("political_assurances", 0.0), ("sanctions_snapback", 0.3), ("arms_surge", 0.3),
            ("binding_support", 0.6), ("collective_defence", 0.7), ("reassurance_force", 0.8))}),
    # ------------------------------------------------------------------ guarantee.commitments.*.effects
    "guarantee.commitments.*.effects.*.punishment": note(
        f"{A} (utility units, comparable to `attack.gain_*` and `attack.offensive_*`)"),
    "guarantee.commitments.*.effects.*.punishment_offensive": note(A),
    "guarantee.commitments.*.effects.*.cost_bn_per_response": note(f"{A} (order of magnitude)"),
    "guarantee.commitments.*.effects.*.standing_cost_bn_per_year": note(
        f"{A}, order of magnitude: a brigade-scale force abroad costs a few bn a year (the reassurance force: 6)",
        {"commitment=reassurance_force": {
            "guarantee.commitments.reassurance_force.effects.reassurance_force.standing_cost_bn_per_year": 6}}),
    "guarantee.commitments.*.effects.*.clash_risk": note(A),
    "guarantee.commitments.*.effects.*.capability": note(f"{A}: 5 % of the defender's day-0 force per response",
                                                         {"commitment=arms_surge": {
                                                             "guarantee.commitments.arms_surge.effects.arms_surge.capability": 0.05}}),
    "guarantee.commitments.*.effects.*.sectors": note(
        f"{A}: a force in the 4 most valuable of 40 sectors, 10 % of the line",
        {"commitment=reassurance_force": {
            "guarantee.commitments.reassurance_force.effects.reassurance_force.sectors": 4},
         T: {"theater.n_sectors": 40}}),
    "guarantee.commitments.*.effects.*.local_denial": note(A),
    "guarantee.commitments.*.effects.*.drag_per_day": note(
        f"order of magnitude only ({A}): Russia's real defence-spending growth slowed to 3 % in 2025 'in the "
        f"face of Western sanctions' ({IISS26}); the effect of a new snap-back was not found. Removing 5–10 % of "
        f"the mode regeneration 0.0059 gives {0.05 * 0.0059:.4f}–{0.10 * 0.0059:.4f}/day; the presets' 0.0005 "
        f"(assurances), 0.001 (the type's default) and 0.002 (snap-back, {100 * 0.002 / 0.0059:.0f} % of 0.0059) lie at and above that",
        {"commitment=political_assurances": {
            "guarantee.commitments.political_assurances.effects.sanctions.drag_per_day": 0.0005},
         "commitment=binding_support": {"guarantee.commitments.binding_support.effects.sanctions.drag_per_day": 0.001},
         "commitment=sanctions_snapback": {
             "guarantee.commitments.sanctions_snapback.effects.sanctions.drag_per_day": 0.002},
         T: {"theater.aggressor.regen_per_day.mode": 0.0059}}),
    "guarantee.commitments.*.effects.*.duration_days": note(A),
    "guarantee.commitments.*.effects.*.forward_denial": note(
        f"{A}: 0.1, a fifth of the force's `local_denial`. Acting on warning is what moves forces forward in time: "
        f"without it NATO reinforcements take about two weeks, with leaders acting before an attack much less "
        f"({HODGES})",
        {"commitment=reassurance_force": {
            "guarantee.commitments.reassurance_force.effects.reassurance_force.forward_denial": 0.1,
            "guarantee.commitments.reassurance_force.effects.reassurance_force.local_denial": 0.5}}),
    # ------------------------------------------------------------------ sim
    "sim.replications": note(
        "precision: the 95 % half-width of a collapse probability is at most 1.96·√(0.25/1000) = "
        f"{196 * math.sqrt(0.25 / 1000):.1f} percentage points", {"sim=default": {"sim.replications": 1000}}),
    "sim.seed": note("the date of the Paris summit, 6 January 2026 (any integer works)",
                     {"sim=default": {"sim.seed": 20260106}}),
    "sim.horizon_days": note("design brief: two years; replications still in ceasefire then are censored",
                             {"sim=default": {"sim.horizon_days": 730}}),
    "sim.block_size": note("performance and memory trade-off; changing it changes which draws a replication gets"),
    "sim.first_block": note("run setting: the first block a job runs, to split one scenario over several jobs"),
}

# =========================================================================== meanings of non-numeric fields

MEANINGS: dict[str, tuple[str | None, str]] = {
    "AttackConfig.learns": (None, "whether beliefs are updated at all (false: the priors are kept)"),
    "AssetConfig.owner": ("`defender` or a guarantor's name",
                          "who pays its running cost (a defender-owned asset costs no guarantor)"),
    "CommitmentConfig.guarantors": ("a non-empty list of guarantor names", "members; the first is the lead nation"),
    "CommitmentConfig.trigger_severity": (None, "lowest verified rung that counts toward the trigger"),
    "CommitmentConfig.rule": (None, "how the members' decisions combine (majority: more than half)"),
    "SimConfig.trace": (f"up to {MAX_TRACED} replication indices of this run",
                        "replications whose every day is written to `traces.parquet` (see outputs.md)"),
    "TheaterConfig.guarantors": (None, "the guarantor states, by name"),
    "MonitoringConfig.assets": (None, "the monitoring assets, by name; each one's `kind` picks its detection law"),
    "GuaranteeConfig.aid_bn_per_year": (None, "aid pledged to the defender by each guarantor (bn USD/yr), "
                                              "delivered in proportion to its political will"),
    "GuaranteeConfig.commitments": (None, "the commitments, by name"),
    "CommitmentConfig.effects": (None, "what an honoured response does, by name; each one's `type` (default: "
                                       "its name) picks its behaviour"),
    "CommitmentConfig.pre_empts": (None, "whether a verified warning of a build-up (true or false) calls a decision "
                                         "to act before the attack (model.md, action before the attack)"),
    "CalibrationConfig.posterior": ("a shipped posterior's name, or a path to a `.parquet` table; empty: none",
                                    "the weighted particles the calibrated parameters are drawn from, one particle "
                                    "per replication (model.md, random numbers and the calibration draw)"),
    "CalibrationConfig.keep": ("parameter paths; filled in from the overrides",
                               "parameters the posterior names that keep the scenario's own value, because "
                               "an override set them (model.md, initialization)"),
}
"""Allowed values (None: from the type) and meaning of each non-numeric field, by ``Class.field``."""

LAWS = {
    "uniform": ("low, high", "uniform on [low, high]", {"dist": "uniform", "low": 0.2, "high": 0.6}),
    "triangular": ("low, mode, high", "triangular on [low, high], peak at mode", tri(0.003, 0.0059, 0.0108)),
    "normal": ("mean, sd", "normal, truncated to the field's range", {"dist": "normal", "mean": 0.9, "sd": 0.2}),
    "lognormal": ("median, sigma", "median · exp(sigma · Z), Z standard normal; support (0, inf)",
                  {"dist": "lognormal", "median": 1e-5, "sigma": 2.0}),
    "beta": ("a, b", "beta on [0, 1]", beta(3, 3)),
    "choice": ("values [, weights]", "one of the values, with the given weights (default: equal)",
               {"dist": "choice", "values": [1, 3, 7], "weights": [1, 2, 1]}),
}
"""Each family of ``core.distributions``: its keys, its law, an example (shown as the tables show it)."""

# =========================================================================== values as the tables show them

GRID = (np.arange(20_000) + 0.5) / 20_000   # fixed uniforms: the page never depends on a seed


def num(x: Any) -> str:
    """A number as given in a config (no trailing zeros; 1e-05 stays short)."""
    if isinstance(x, bool):
        return str(x).lower()
    if isinstance(x, int):
        return str(x)
    return f"{x:g}"


def sig(x: float) -> str:
    """A computed number to three significant digits."""
    return f"{x:.3g}"


def dist_name(spec: Mapping[str, Any], allowed: Range) -> str:
    kind = spec["dist"]
    if kind == "triangular":
        return f"triangular({num(spec['low'])}, {num(spec['mode'])}, {num(spec['high'])})"
    if kind == "uniform":
        return f"uniform({num(spec['low'])}, {num(spec['high'])})"
    if kind == "normal":
        return f"normal({num(spec['mean'])}, {num(spec['sd'])}) truncated to {allowed.interval()}"
    if kind == "lognormal":
        return f"lognormal(median {num(spec['median'])}, σ {num(spec['sigma'])})"
    if kind == "beta":
        return f"beta({num(spec['a'])}, {num(spec['b'])})"
    if kind == "choice":
        weights = spec.get("weights")
        w = f" w {':'.join(num(x) for x in weights)}" if weights else ""
        return f"choice({', '.join(num(v) for v in spec['values'])}{w})"
    raise SourceError(f"distribution family {kind!r} has no display in docs/make_parameters.py (dist_name)")


ANY = Range()


def describe(spec: Any, allowed: Range = ANY, integer: bool = False) -> str:
    """A distribution as the tables show it: its law, its mean (median for a lognormal), its 5-95 % range.

    Computed by ``core.distributions.sample`` on a fixed grid of uniforms, so the page is reproducible.
    """
    if not is_distribution(spec):
        return num(spec)
    q05, q50, q95 = sample(spec, np.array([0.05, 0.5, 0.95]), allowed, integer)
    centre = (f"median {sig(q50)}" if spec["dist"] == "lognormal"
              else f"mean {sig(float(sample(spec, GRID, allowed, integer).mean()))}")
    return f"{dist_name(spec, allowed)}, {centre}, 5–95 % {sig(q05)}–{sig(q95)}"


def show(value: Any, f: dataclasses.Field | None = None) -> str:
    """Any config value as a table cell."""
    if f is not None and "range" in f.metadata:
        return describe(value, f.metadata["range"], f.metadata["integer"])
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, bool | int | float):
        return num(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) if value else "—"
    if isinstance(value, Mapping):
        return ", ".join(value) if value else "—"
    return str(value) if value != "" else "—"


def source_path(obj: Any) -> str:
    """Where a class is defined, relative to the repository when it is in it (a plug-in may not be)."""
    if obj.__module__.startswith("deterrence_sim."):     # the same page from an installed package
        return "src/" + obj.__module__.replace(".", "/") + ".py"
    path = Path(inspect.getsourcefile(obj)).resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def first_paragraph(obj: Any) -> str:
    doc = inspect.getdoc(obj) or ""
    return " ".join(doc.split("\n\n")[0].split())


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table(head: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head),
            *("| " + " | ".join(cell(c) for c in row) + " |" for row in rows), ""]


# =========================================================================== presets


@dataclass
class Preset:
    group: str
    name: str
    scenario: ScenarioConfig
    comment: str

    @property
    def id(self) -> str:
        return f"{self.group}={self.name}"

    @property
    def plain(self) -> dict[str, Any]:
        return config_dict(self.scenario)


@dataclass
class Block:
    """A building-block group and where its presets go (``guarantee.commitments.{name}``)."""

    group: str
    parent: str        # the group whose presets place it
    place: str         # the path a preset goes to; ``{name}``: the preset's name

    def path(self, name: str) -> str:
        return self.place.format(name=name)

    @property
    def pattern(self) -> str:
        """The schema path of the place: ``guarantee.commitments`` (entries) or the mapping itself."""
        return self.place.removesuffix(".{name}")


def yaml_comment(path: Path) -> str:
    """The leading comment of a preset file (what it is), without Hydra's ``@package`` line."""
    lines = []
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            break
        text = line.removeprefix("#").removeprefix(" ")
        if not text.startswith(("@package", " ")):     # an indented line is a command: left out
            lines.append(text)
    return " ".join(" ".join(lines).split())


def group_fields() -> list[str]:
    return [f.name for f in fields(ScenarioConfig)]


def find_blocks() -> dict[str, Block]:
    """Building-block groups, from the ``/<group>@<key>`` entries of the presets' defaults lists."""
    conf = config_dir()
    blocks: dict[str, Block] = {}
    for parent in group_fields():
        for name in presets(parent):
            data = yaml.safe_load((conf / parent / f"{name}.yaml").read_text()) or {}
            for item in data.get("defaults", []):
                if not isinstance(item, Mapping):
                    continue
                for key in item:
                    group, _, package = str(key).lstrip("/").partition("@")
                    if not str(key).startswith("/") or not (conf / group).is_dir():
                        continue        # a schema from the ConfigStore (asset, effect, guarantor)
                    parts = f"{parent}.{package or group}".split(".")
                    entry = ".".join(parts[:-1]) in collections()   # one entry of a collection
                    place = ".".join(parts[:-1]) + ".{name}" if entry else ".".join(parts)
                    blocks.setdefault(group, Block(group, parent, place))
    return blocks


def compose(overrides: list[str]) -> ScenarioConfig:
    try:
        return ds.compose_scenario(overrides)
    except ConfigError as exc:
        raise SourceError(f"preset does not compose ({' '.join(overrides)}): {exc}") from None


def load_presets() -> tuple[dict[str, list[Preset]], dict[str, Block], list[tuple[str, str]],
                            list[tuple[str, str]]]:
    """Every preset of every group composed, the building blocks, the experiments and the explorations
    (``conf/explore/``: how to explore a scenario, not part of it; listed with their comment)."""
    conf = config_dir()
    out: dict[str, list[Preset]] = {}
    for group in group_fields():
        out[group] = [Preset(group, name, compose([f"{group}={name}"]), yaml_comment(conf / group / f"{name}.yaml"))
                      for name in presets(group)]
    blocks = find_blocks()
    for group, block in blocks.items():
        # compose each block alone into the parent group's preset with the fewest blocks of its own
        base = min(presets(block.parent), key=lambda n: str(
            (yaml.safe_load((conf / block.parent / f"{n}.yaml").read_text()) or {}).get("defaults")).count("@"))
        out[group] = [Preset(group, name, compose([f"{block.parent}={base}", f"+{group}@{block.path(name)}={name}"]),
                      yaml_comment(conf / group / f"{name}.yaml")) for name in presets(group)]
    experiments = []
    explorations = [(f"explore={f.stem}", yaml_comment(f)) for f in sorted((conf / "explore").glob("*.yaml"))]
    for group in sorted(p.name for p in conf.iterdir() if p.is_dir()):
        if group in out or group == "explore":
            continue
        files = sorted((conf / group).glob("*.yaml"))
        if files and all("@package _global_" in f.read_text().split("\n", 1)[0] for f in files):
            experiments += [(f"+{group}={f.stem}", yaml_comment(f)) for f in files]
        else:
            raise SourceError(f"conf/{group}/: neither a group of ScenarioConfig, nor a building block placed by a "
                              "preset's defaults list, nor experiments (# @package _global_); say in "
                              "docs/make_parameters.py how to document it")
    return out, blocks, experiments, explorations


def plain(x: Any) -> Any:
    """A config node, or a mapping of them or of numbers, as plain data (to compare and to quote)."""
    if is_dataclass(x):
        return config_dict(x)
    if isinstance(x, Mapping):
        return {k: plain(v) for k, v in x.items()}
    return x


def get(data: Any, path: str) -> Any:
    """The value at a dotted path of a config node or of plain data."""
    for part in path.split("."):
        data = data[part] if isinstance(data, Mapping) else getattr(data, part)
    return data


# =========================================================================== notes: lookup and checks


def wildcard(path: str) -> tuple[str, bool]:
    """``theater.guarantors.us.fatigue`` -> ``theater.guarantors.*.fatigue``; True if the path is a pledge
    of a collection of plain numbers (which takes no generic note)."""
    parts = path.split(".")
    numbers = False
    for i in range(1, len(parts)):
        spec = collections().get(".".join(parts[:i]))
        if spec is not None:
            parts[i] = "*"
            numbers = isinstance(spec, dataclasses.Field)
    return ".".join(parts), numbers


@functools.cache
def schema_walk() -> tuple[list[tuple[str, type]], dict[str, Any]]:
    """Every schema reachable from ScenarioConfig with its path (``*`` for an entry's name), and every
    collection's path with its entry schema."""
    nodes: list[tuple[str, type]] = []
    found: dict[str, Any] = {}

    def walk(cls: type, pattern: str) -> None:
        if pattern:
            nodes.append((pattern, cls))
        hints = get_type_hints(cls)
        for f in fields(cls):
            here = f"{pattern}.{f.name}" if pattern else f.name
            hint = hints[f.name]
            if is_dataclass(hint):
                walk(hint, here)
            elif is_mapping(hint):
                spec = entry_spec(cls, f.name)
                if spec is None:
                    raise SourceError(f"{cls.__name__}.{f.name}: a named collection with no entry schema; add "
                                      "it to ENTRIES in docs/make_parameters.py")
                found[here] = spec
                if isinstance(spec, Registry):
                    walk(spec.base, f"{here}.*")
                    for kind in spec.kinds.values():
                        walk(kind.config, f"{here}.*")
                elif isinstance(spec, type):
                    walk(spec, f"{here}.*")
    walk(ScenarioConfig, "")
    return nodes, found


def schema_nodes() -> list[tuple[str, type]]:
    return schema_walk()[0]


def collections() -> dict[str, Any]:
    return schema_walk()[1]


def is_mapping(hint: Any) -> bool:
    return get_origin(hint) is dict or any(get_origin(a) is dict or a is dict for a in get_args(hint))


def lookup(path: str) -> tuple[str, Note] | None:
    """The note of a concrete or schema path: its own, else its collection's (``*``)."""
    if path in SOURCES:
        return path, SOURCES[path]
    wild, numbers = wildcard(path)
    if not numbers and wild in SOURCES:
        return wild, SOURCES[wild]
    return None


def check_sources(groups: dict[str, list[Preset]]) -> None:
    """Raise SourceError for a parameter without a note, a note without a parameter, a broken fact."""
    missing: list[str] = []
    known: set[str] = set()
    for pattern, cls in schema_nodes():
        for f in fields(cls):
            path = f"{pattern}.{f.name}"
            known.add(path)
            if "range" in f.metadata and path not in SOURCES:
                missing.append(f"{path}  (field of {cls.__name__} in {source_path(cls)})")
    for presets_ in groups.values():
        for preset in presets_:
            for p in parameters(preset.scenario):
                known.add(p.path)
                if lookup(p.path) is None:
                    missing.append(f"{p.path}  (in preset {preset.id})")
    problems = []
    if missing:
        problems.append("no source note for these parameters; add one to SOURCES in docs/make_parameters.py, "
                        "keyed by the path (* for an entry's name; write A where it is an assumption):\n  "
                        + "\n  ".join(dict.fromkeys(missing)))
    stale = [key for key in SOURCES if key not in known]
    if stale:
        problems.append("source notes for parameters that no longer exist (remove or rename them): "
                        + ", ".join(stale))
    by_id = {p.id: p for ps in groups.values() for p in ps}
    for key, n in SOURCES.items():
        for preset_id, facts in n.facts.items():
            if preset_id not in by_id:
                problems.append(f"SOURCES[{key!r}] quotes preset {preset_id}, which does not exist")
                continue
            data = by_id[preset_id].plain
            for path, expected in facts.items():
                try:
                    actual = get(data, path)
                except (KeyError, AttributeError, TypeError):
                    problems.append(f"SOURCES[{key!r}] quotes {path} of {preset_id}, which has no such value")
                    continue
                if not fact_holds(actual, expected):
                    problems.append(f"SOURCES[{key!r}] relies on {path} = {shown(expected)} in {preset_id}, but "
                                    f"it is {actual!r}: update the note (and its facts) to the new value")
    if problems:
        raise SourceError("\n".join(problems))


def fact_holds(actual: Any, expected: Any) -> bool:
    if callable(expected):
        return bool(expected(actual))
    if isinstance(expected, Mapping):
        return isinstance(actual, Mapping) and set(actual) == set(expected) and all(
            fact_holds(actual[k], v) for k, v in expected.items())
    if isinstance(expected, int | float) and not isinstance(expected, bool):
        return isinstance(actual, int | float) and math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-15)
    return actual == expected


def shown(expected: Any) -> str:
    return "(a condition)" if callable(expected) else repr(expected)


# =========================================================================== the parameters page


@dataclass
class Column:
    """One column of a values table: a preset's node or one entry of a collection."""

    label: str
    node: Any
    path: str
    presets: list[str]


class ParametersPage:
    def __init__(self, groups: dict[str, list[Preset]], blocks: dict[str, Block],
                 experiments: list[tuple[str, str]], explorations: list[tuple[str, str]] = ()) -> None:
        self.groups, self.blocks, self.experiments = groups, blocks, experiments
        self.explorations = list(explorations)
        self.lines: list[str] = []

    def w(self, *lines: str) -> None:
        self.lines.extend(lines)

    # ------------------------------------------------------------------ tables
    def schema_table(self, cls: type, skip: set[str] = frozenset()) -> None:
        """Field, default, unit, allowed values and meaning of every field (but nested nodes)."""
        numeric = {r["field"]: r for r in field_table(cls)}
        hints = get_type_hints(cls)
        rows = []
        for f in fields(cls):
            if f.name in skip or is_dataclass(hints[f.name]):
                continue
            if f.name in numeric:
                r = numeric[f.name]
                rows.append([f"`{f.name}`", show(r["default"], f), r["unit"], r["allowed"], r["meaning"]])
            else:
                allowed, meaning = self.plain_field(cls, f, hints[f.name])
                default = f.default if f.default is not MISSING else f.default_factory()
                rows.append([f"`{f.name}`", show(default), "—", allowed, meaning])
        self.w(*table(["field", "default", "unit", "allowed", "meaning"], rows))

    def plain_field(self, cls: type, f: dataclasses.Field, hint: Any) -> tuple[str, str]:
        """Allowed values and meaning of a non-numeric field."""
        for klass in cls.__mro__:
            if f"{klass.__name__}.{f.name}" in MEANINGS:
                allowed, meaning = MEANINGS[f"{klass.__name__}.{f.name}"]
                break
        else:
            allowed, meaning = None, None
        if f.name == "name" and meaning is None:
            entry = any(cls is s or (isinstance(s, Registry) and issubclass(cls, s.base)) for s in ENTRIES.values())
            allowed, meaning = "text", ("its key in the collection (set from it)" if entry
                                        else "the preset's label (it names the preset in sweep tables)")
        for spec in ENTRIES.values():
            if isinstance(spec, Registry) and issubclass(cls, spec.base) and f.name == spec.key:
                allowed = allowed or ", ".join(sorted(spec.kinds))
                meaning = meaning or f"which {spec.key}: picks its config fields and its behaviour"
        if meaning is None:
            raise SourceError(f"{cls.__name__}.{f.name}: a non-numeric field with no meaning; add it to MEANINGS "
                              "in docs/make_parameters.py")
        if allowed is None:
            if isinstance(hint, type) and issubclass(hint, Enum):
                allowed = ", ".join(m.name for m in hint)
            elif hint is bool:
                allowed = "true, false"
            elif entry_spec(cls, f.name) is not None:
                allowed = "named entries"
            else:
                allowed = "text" if hint is str else str(hint)
        return allowed, meaning

    def values_table(self, cls: type, columns: list[Column], skip: set[str] = frozenset()) -> None:
        """One row per field (but names and nested nodes), one column per preset or entry, then the source."""
        hints = get_type_hints(cls)
        rows = []
        for f in fields(cls):
            if f.name in skip or f.name == "name" or not f.init or is_dataclass(hints[f.name]):
                continue
            cells = [self.value_cell(c, f) for c in columns]
            rows.append([f"`{f.name}`", *cells, self.source_cell(columns, f.name, "range" in f.metadata)])
        if rows:
            self.w("Values:", "")
            self.w(*table(["field", *(c.label for c in columns), "source"], rows))

    def value_cell(self, column: Column, f: dataclasses.Field) -> str:
        value = getattr(column.node, f.name)
        spec = entry_spec(type(column.node), f.name)
        if spec is not None:
            return self.collection_cell(spec, f"{column.path}.{f.name}", value)
        return show(value, f)

    def collection_cell(self, spec: Any, path: str, value: Mapping[str, Any]) -> str:
        """A collection in its parent's values table: its entries, or the building block it is."""
        if not value:
            return "—"
        if isinstance(spec, dataclasses.Field):
            block = self.block_at(wildcard(path + ".x")[0].removesuffix(".*"))
            for preset in self.groups.get(block.group, []) if block else []:
                if plain(get(preset.scenario, block.path(preset.name))) == plain(value):
                    return f"{block.group} `{preset.name}`"
            return "own pledges (see below)"
        if isinstance(spec, Registry):
            return ", ".join(f"{k} ({getattr(v, spec.key)})" if k != getattr(v, spec.key) else k
                             for k, v in value.items())
        return ", ".join(value)

    def source_cell(self, columns: list[Column], name: str, numeric: bool) -> str:
        """The notes of a row: one text, or each text with the columns it applies to."""
        notes: dict[str, list[str]] = {}
        for c in columns:
            found = lookup(f"{c.path}.{name}")
            if found is None and numeric:
                raise SourceError(f"no source note for {c.path}.{name}")
            if found is not None:
                notes.setdefault(found[1].text, []).append(c.label)
        if not notes:
            return "—"
        if len(notes) == 1:
            return next(iter(notes))
        return "; ".join(f"{', '.join(f'`{x}`' for x in labels)}: {text}" for text, labels in notes.items())

    # ------------------------------------------------------------------ sections
    def heading(self, depth: int, title: str) -> None:
        self.w("#" * min(2 + depth, 6) + " " + title.replace("*", "<name>"), "")

    def block_at(self, pattern: str) -> Block | None:
        """The building-block group placed at a collection's schema path, if any."""
        return next((b for b in self.blocks.values() if b.pattern == pattern), None)

    def blocks_list(self, block: Block | None) -> list[str]:
        if block is None:
            return []
        where = block.place.split(".", 1)[1].replace("{name}", "NAME")
        return [f"Building blocks (`conf/{block.group}/`), placed into a `{block.parent}` preset by its defaults "
                f"list (`- /{block.group}@{where}: NAME`):", "",
                *(f"- `{p.name}`: {p.comment}" for p in self.groups[block.group]), ""]

    def node(self, cls: type, pattern: str, columns: list[Column], depth: int, title: str | None = None,
             intro: list[str] = ()) -> None:
        """A node: heading, meaning, schema table, values table, derived facts, then its children."""
        self.heading(depth, title or f"`{pattern}`")
        self.w(first_paragraph(cls), "", *intro)
        self.schema_table(cls)
        self.values_table(cls, columns)
        self.w(*DERIVED.get(pattern, lambda page, cols: [])(self, columns))
        self.children(cls, pattern, columns, depth)

    def children(self, cls: type, pattern: str, columns: list[Column], depth: int) -> None:
        hints = get_type_hints(cls)
        for f in fields(cls):
            if is_dataclass(hints[f.name]):
                self.node(hints[f.name], f"{pattern}.{f.name}",
                          [Column(c.label, getattr(c.node, f.name), f"{c.path}.{f.name}", c.presets) for c in columns],
                          depth + 1)
            elif entry_spec(cls, f.name) is not None:
                self.collection(entry_spec(cls, f.name), f.name, f"{pattern}.{f.name}", columns, depth + 1)

    def collection(self, spec: Any, name: str, pattern: str, parents: list[Column], depth: int) -> None:
        block = self.block_at(pattern)
        if isinstance(spec, dataclasses.Field):
            self.numbers(spec, pattern, parents, block, depth)
            return
        columns = self.entry_columns(name, parents, block, grouped=depth == 1)
        if isinstance(spec, Registry):
            self.registry(spec, pattern, columns, depth, self.blocks_list(block))
        else:
            self.node(spec, f"{pattern}.*", columns, depth, title=f"`{pattern}.<name>`",
                      intro=self.blocks_list(block))

    def entry_columns(self, name: str, parents: list[Column], block: Block | None, grouped: bool) -> list[Column]:
        """The entries of a collection: its building blocks, then every distinct other entry of the parents.

        At the top level (``grouped``) an entry is labelled by its key, and by its presets too where one key
        has several variants; deeper down by its parent's label and its key (``binding_support.sanctions``).
        """
        columns: list[Column] = []
        by_key: dict[str, Column] = {}
        if block is not None:
            for p in self.groups[block.group]:
                path = block.path(p.name)
                by_key[p.name] = Column(p.name, get(p.scenario, path), path, [p.id])
                columns.append(by_key[p.name])
        variants: dict[tuple[str, str], Column] = {}
        for parent in parents:
            for key, item in getattr(parent.node, name).items():
                shape = repr(plain(item))
                if key in by_key and repr(plain(by_key[key].node)) == shape:
                    by_key[key].presets += parent.presets
                    continue
                label = key if grouped else f"{parent.label}.{key}"
                if (label, shape) in variants:
                    variants[(label, shape)].presets += parent.presets
                else:
                    variants[(label, shape)] = Column(label, item, f"{parent.path}.{name}.{key}", list(parent.presets))
        labels = [label for label, _ in variants]
        for (label, _), column in variants.items():
            if labels.count(label) > 1 or label in by_key:
                column.label = f"{label} ({', '.join(p.split('=', 1)[1] for p in column.presets)})"
            columns.append(column)
        return columns

    def registry(self, spec: Registry, pattern: str, columns: list[Column], depth: int, intro: list[str]) -> None:
        """A collection of plug-ins: the fields they all have, then each registered kind and its entries."""
        self.heading(depth, f"`{pattern}.<name>`")
        package = inspect.getmodule(spec.base).__name__.rsplit(".", 1)[0].replace(".", "/")
        self.w(f"{first_paragraph(spec.base)} Its `{spec.key}` picks one of the {len(spec.kinds)} registered "
               f"{spec.key}s (one module each in `src/{package}/`, found without being listed), which may add "
               "fields of its own.", "", *intro, f"The fields every {spec.key} has:", "")
        self.schema_table(spec.base, skip={spec.key})
        base = {f.name for f in fields(spec.base)}
        for kind, registered in sorted(spec.kinds.items()):
            cls = registered.config
            self.heading(depth + 1, f"{spec.key} `{kind}`")
            law = " ".join((inspect.getdoc(registered) or "").split())
            self.w(f"{first_paragraph(cls)} {law} (`{source_path(cls)}`)", "")
            own = {f.name for f in fields(cls) if f.name not in base}
            if own:
                self.w(f"Fields of its own (beside those every {spec.key} has):", "")
                self.schema_table(cls, skip=base)
            mine = [c for c in columns if getattr(c.node, spec.key) == kind]
            if not mine:
                mine = [Column(f"({spec.key} defaults)", cls(), f"{pattern}.*", [])]
            self.values_table(cls, mine, skip={spec.key})
            self.children(cls, f"{pattern}.*", mine, depth + 1)

    def numbers(self, spec: dataclasses.Field, pattern: str, parents: list[Column], block: Block | None,
                depth: int) -> None:
        """A collection of plain numbers (aid pledges): one row per name, one column per block or design."""
        self.heading(depth, f"`{pattern}.<name>`")
        meta = spec.metadata
        self.w("One number per guarantor named (a guarantor not listed gives 0), a number or a distribution. "
               "Each pledge needs its own source.", "", *self.blocks_list(block))
        allowed = ("a whole " + str(meta["range"]).removeprefix("a ")) if meta["integer"] else str(meta["range"])
        self.w(*table(["field", "default", "unit", "allowed", "meaning"],
                      [["`<name>`", show(spec.default, spec), meta["unit"], allowed, meta["doc"]]]))
        columns: list[Column] = []
        if block is not None:
            columns = [Column(p.name, get(p.scenario, block.path(p.name)), block.path(p.name), [p.id])
                       for p in self.groups[block.group]]
        name = pattern.rsplit(".", 1)[-1]
        for parent in parents:
            value = getattr(parent.node, name)
            same = [c for c in columns if plain(c.node) == plain(value)]
            if same:
                same[0].presets += parent.presets
            elif value:
                columns.append(Column(parent.label, value, f"{parent.path}.{name}", list(parent.presets)))
        rows = []
        for key in dict.fromkeys(k for c in columns for k in c.node):
            found = lookup(f"{pattern}.{key}")
            if found is None:
                raise SourceError(f"no source note for {pattern}.{key}")
            rows.append([f"`{key}`", *(describe(c.node[key], meta["range"], meta["integer"]) if key in c.node
                                       else "—" for c in columns), found[1].text])
        self.w("Values:", "")
        self.w(*table(["guarantor", *(c.label for c in columns), "source"], rows))

    # ------------------------------------------------------------------ the page
    def render(self) -> str:
        w = self.w
        defaults = default_choices()
        w("# Parameters", "")
        w("Every configuration field of `deterrence-sim`, grouped as in the Hydra config tree: its default, unit, "
          "allowed range and meaning (from the schemas: `src/deterrence_sim/config.py`, the asset kinds in "
          "`src/deterrence_sim/assets/` and the effect types in `src/deterrence_sim/effects/`), then its value in "
          "every preset of `conf/` and where each number comes from. The model these parameters drive is "
          "described in [model.md](model.md); what a run writes, in [outputs.md](outputs.md). This page is "
          "written by `docs/make_parameters.py`; do not edit it by hand.", "")
        w("The default scenario (`conf/config.yaml`) composes "
          + ", ".join(f"`{g}={n}`" for g, n in defaults.items()) + ".", "")
        self.usage()
        w("## How to read the tables", "")
        w("- **Schema table**: the field's default (used where a preset does not set it), unit, allowed values "
          "and meaning. *A whole number* fields take whole numbers only (draws are rounded); *(fixed)* fields are "
          "structural and take a plain number, never a distribution.")
        w("- **Values table**: one column per preset (or per entry of a collection), as composed by Hydra, so "
          "a value a preset does not state is the schema's default. A distribution is shown with its mean (its "
          "median for a lognormal) and the 5–95 % range of its draws, computed by `core.distributions.sample` on "
          "a fixed grid of uniforms.")
        w(f"- **Source**: a named public source means the number is taken from, or scaled to, that fact; the "
          f"arithmetic is given. Money is converted at the rates the sources themselves imply: EUR 1 = USD "
          f"{EUR}, GBP 1 = USD {GBP}, USD 1 = UAH {UAH}. {A} means a modelling judgement with no empirical "
          "source: almost all behavioural and utility parameters are assumptions; they set relative magnitudes "
          "(utility units are arbitrary) and should be varied in sensitivity studies, not read as estimates. "
          "*Order of magnitude* means a public fact fixes the scale but not the exact value.")
        w("")
        w("Validation: every value is checked before a run (`config.validate`); a wrong type, an out-of-range "
          "value or distribution, an unknown key, preset or name stops the run with one line naming the field, "
          "the bad value and what is allowed. Cross-field checks: `sector_value_high >= sector_value_low` and "
          "`visibility_high >= visibility_low` (when both are numbers); guarantor names are not `defender`; asset "
          "owners are `defender` or a guarantor of the theatre, aid pledges and commitment members are guarantors "
          "of the theatre; a commitment has at least one member; a count of sectors (`effects.*.sectors`, even "
          f"at the top of its distribution) is at most `theater.n_sectors`; `sim.trace` names at most {MAX_TRACED} "
          "replications of the run.", "")
        for group in group_fields():
            self.group(group, defaults.get(group))
        if self.experiments:
            w("## Experiments", "")
            w("Sweeps that ship with the tool (`deterrence-sim +experiment=NAME -m`):", "")
            w(*(f"- `{choice}`: {comment}" for choice, comment in self.experiments), "")
        if self.explorations:
            w("## Explorations", "")
            w("Sensitivity analyses and scenario discovery that ship with the tool (`deterrence-sim-explore "
              "explore=NAME`; the fields of the `explore` node are documented in its schema, "
              "`deterrence_sim.exploration.config.ExploreConfig`):", "")
            w(*(f"- `{choice}`: {comment}" for choice, comment in self.explorations), "")
        return "\n".join(self.lines).rstrip("\n") + "\n"

    def group(self, group: str, default: str | None) -> None:
        cls = get_type_hints(ScenarioConfig)[group]
        presets_ = self.groups[group]
        intro = [f"Presets (`{group}=NAME`, in `conf/{group}/`):", "",
                 *(f"- `{p.name}`{' (default)' if p.name == default else ''}: {p.comment}" for p in presets_), ""]
        columns = [Column(p.name, get(p.scenario, group), group, [p.id]) for p in presets_]
        self.node(cls, group, columns, 0, intro=intro)

    def usage(self) -> None:
        w = self.w
        example = "theater.aggressor.regen_per_day={dist:triangular,low:0.004,mode:0.0068,high:0.009}"
        scenario = compose([example])
        assert scenario.theater.aggressor.regen_per_day == tri(0.004, 0.0068, 0.009), "the example does not compose"
        f_regen = {f.name: f for f in fields(type(scenario.theater.aggressor))}["regen_per_day"]
        refused = refusal("theater.aggressor.depreciation_per_day={dist:lognormal,median:0.0027,sigma:1}")
        fixed = refusal("sim.horizon_days={dist:uniform,low:365,high:730}")
        added = "+monitoring.assets.extra={kind:sar_satellite,owner:us}"
        assert "extra" in compose([added]).monitoring.assets, "the example of an added entry does not compose"
        normal = "attack.revisionism={dist:normal,mean:0.9,sd:0.2}"
        assert compose([normal]).attack.revisionism["dist"] == "normal"
        fixed_fields = [f"`{pattern}.{f.name}`" for pattern, cls in schema_nodes() for f in fields(cls)
                        if f.metadata.get("fixed")]
        w("## Setting parameters: numbers or distributions", "")
        paths = {"theater.guarantors.uk.political_will": 0.8, "monitoring.assets.drone_patrols.looks_per_day": 4,
                 "guarantee.commitments.binding_support.effects.sanctions.punishment": 3,
                 "guarantee.aid_bn_per_year.us": 2}
        set_ = compose([f"{k}={v}" for k, v in paths.items()])
        assert all(get(set_, k) == v for k, v in paths.items()), "an example path does not set its value"
        w("Pick a preset per group (`guarantee=sanctions`) and set any field by its path, on the command line or "
          "in `ds.simulate([...])` (the same syntax). Named entries are part of the path: "
          + ", ".join(f"`{k}={v}`" for k, v in paths.items()) + ". An entry is added with `+` and checked "
          f"against its schema (`{added}`).", "")
        w("Every numeric field that is not *(fixed)* takes either a number (the same in every replication) or "
          "a distribution, drawn once per replication:", "")
        w("```sh", f"deterrence-sim '{example}'", "```", "")
        w(f"gives each replication its own aggressor regeneration rate, {describe(tri(0.004, 0.0068, 0.009), f_regen.metadata['range'])}. "
          "Quote the override: the shell would otherwise expand the braces. A distribution replaces the preset's "
          "value whole, whatever its family. The families (`src/deterrence_sim/core/distributions.py`), with "
          "an example of each as the tables below show it:", "")
        if set(LAWS) != set(DISTRIBUTIONS):
            raise SourceError(f"LAWS in docs/make_parameters.py must describe every family of core.distributions: "
                              f"{sorted(DISTRIBUTIONS)}")
        rows = []
        for kind, (keys, law, spec) in LAWS.items():
            flow = "{" + ", ".join(f"{k}: {v}" for k, v in spec.items()) + "}"
            rows.append([f"`{kind}`", keys, law, f"`{flow}`", describe(spec, Range(0.0, 1.0) if kind == "normal"
                                                                     else Range(0.0), kind == "choice")])
        w(*table(["dist", "keys", "law", "example", "shown as"], rows))
        w("- Every replication draws its value by the inverse CDF from its own uniform of the stream "
          "`param:<path>`, so a parameter's draws do not depend on any other parameter, and two designs run on "
          "the same seed draw the same values (common random numbers).")
        w("- Every drawn value is recorded: the runs table gets a column `param.<path>` per parameter that varies "
          "between replications (for example `param.theater.aggressor.regen_per_day`), so results can be "
          "analysed against the draws ([outputs.md](outputs.md)). Values set per point by `ds.evaluate` are "
          "recorded the same way.")
        w("- Draws never leave the field's allowed range. The normal is truncated to it (`" + normal + "` on "
          "`attack.revisionism`, allowed [0, 1], draws from the normal's part inside [0, 1]). Any other family "
          "whose support leaves the range is refused before the run, for example a lognormal on a share:")
        w("", "```text", refused, "```", "")
        w("- A whole-number field rounds its draws. A *(fixed)* field (" + ", ".join(fixed_fields) + ") takes a "
          "plain number only:")
        w("", "```text", fixed, "```", "")
        w("- A calibration's posterior (a table of weighted particles, one column per parameter path) can set "
          "parameters too: with `calibration.posterior=FILE.parquet` (or a preset `calibration=NAME` that names one) "
          "each replication draws one particle by weight, from its uniform of the stream `calibration`, and takes "
          "that particle's values for the parameters the posterior names, instead of their numbers or distributions "
          "(values set per point by `ds.evaluate` still win). See [`calibration`](#calibration) below.", "")


def refusal(override: str) -> str:
    """The one-line error an override gets (the page shows it as an example of a refused value)."""
    try:
        ds.compose_scenario([override])
    except ConfigError as exc:
        return str(exc)
    raise SourceError(f"docs/make_parameters.py shows {override} as refused, but it composes")


def default_choices() -> dict[str, str]:
    data = yaml.safe_load((config_dir() / "config.yaml").read_text())
    out = {}
    for item in data.get("defaults", []):
        if isinstance(item, Mapping):
            for key, value in item.items():
                if key in group_fields():
                    out[key] = value
    return out


# --------------------------------------------------------------------------- derived paragraphs


def grid_quantiles(x: np.ndarray, y: np.ndarray, op: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> tuple[float, float]:
    """5 and 95 % of op(X, Y) for independent X, Y given as equally likely draws (a product grid)."""
    z = op(x[:, None], y[None, :]).ravel()
    return tuple(float(v) for v in np.quantile(z, [0.05, 0.95]))


def draws(value: Any, f: dataclasses.Field, n: int = 400) -> np.ndarray:
    u = (np.arange(n) + 0.5) / n
    return sample(value, u, f.metadata["range"], f.metadata["integer"])


def centre(value: Any, f: dataclasses.Field) -> float:
    """The mode of a triangular law, else the mean of the draws on the fixed grid (a number: itself)."""
    if is_distribution(value) and value["dist"] == "triangular":
        return float(value["mode"])
    return float(sample(value, GRID, f.metadata["range"], f.metadata["integer"]).mean())


def theater_derived(page: ParametersPage, columns: list[Column]) -> list[str]:
    return ["Sector 0 is the most valuable and the least visible; values and visibilities are evenly spaced "
            "between the two ends (`theater.sector_profile`). Median cloud on day *d*: "
            "`clip(cloud_median + extra_cloud + cloud_seasonal_amplitude·cos(2π·doy/365), 0.01, 0.99)` with "
            "`doy = (start_day_of_year + d − 2) mod 365`, so the peak is on 1 January; the day's cloud and "
            "electronic-warfare pressure are logit-normal around their medians.", ""]


def defender_derived(page: ParametersPage, columns: list[Column]) -> list[str]:
    out = []
    theaters = {p.name: p.scenario.theater for p in page.groups["theater"]}
    aid_path = next(path for path, spec in collections().items() if spec is AID)
    block = page.block_at(aid_path)
    financing = [(p.name, get(p.scenario, aid_path)) for p in page.groups[block.group]] if block else []
    for name, t in theaters.items():
        fa = {f.name: f for f in fields(t.aggressor)}
        fd = {f.name: f for f in fields(t.defender)}
        a_star = centre(t.aggressor.regen_per_day, fa["regen_per_day"]) / centre(
            t.aggressor.depreciation_per_day, fa["depreciation_per_day"])
        eff = centre(t.defender.efficiency_per_bn, fd["efficiency_per_bn"])
        own = centre(t.defender.own_budget_bn_per_year, fd["own_budget_bn_per_year"])
        a_lo, a_hi = grid_quantiles(draws(t.aggressor.regen_per_day, fa["regen_per_day"]),
                                    draws(t.aggressor.depreciation_per_day, fa["depreciation_per_day"]), np.divide)
        d_lo, d_hi = grid_quantiles(draws(t.defender.efficiency_per_bn, fd["efficiency_per_bn"]),
                                    draws(t.defender.own_budget_bn_per_year, fd["own_budget_bn_per_year"]),
                                    np.multiply)
        aid = ""
        for fin, pledges in financing:
            total = sum(centre(v, AID) for v in pledges.values())
            aid += (f"; with the `{fin}` financing at full will (modes: USD {total:.1f} bn a year), "
                    f"{eff * (own + total):.2f}")
        cap = centre(t.aggressor.capability, fa["capability"]) / centre(t.defender.capability, fd["capability"])
        out.append(f"Implied equilibria in `{name}` (model.md, capabilities): the aggressor's capability tends "
                   f"to `regen / depreciation` = {a_star:.2f} at the modes ({a_lo:.2f}–{a_hi:.2f} over 5–95 % "
                   f"of the two independent draws); the defender's to `efficiency × (own budget + Σ aid·will)` = "
                   f"{eff * own:.2f} without aid ({d_lo:.2f}–{d_hi:.2f}){aid}. The force ratio thus drifts from "
                   f"{cap:.1f} toward {a_star / (eff * own):.1f} without financing, which is what makes the "
                   "financing question decisive.")
        out.append("")
    return out


def commitment_derived(page: ParametersPage, columns: list[Column]) -> list[str]:
    return ["A commitment's punishment is the sum of its effects' `punishment`. In the aggressor's sector "
            "choice it adds `punishment / trigger_count` to the expected cost of each qualifying violation, "
            "times the believed credibility and the believed chance of being seen (model.md, sector decision). "
            "A member honours with probability `w + bindingness·(1 − w)`, `w` its political will; `rule` combines "
            "the members' decisions.", ""]


def monitoring_derived(page: ParametersPage, columns: list[Column]) -> list[str]:
    rows = []
    for c in columns:
        cost = sum(centre(a.cost_bn_per_year, {f.name: f for f in fields(a)}["cost_bn_per_year"])
                   for a in c.node.assets.values())
        rows.append(f"`{c.label}` USD {cost:g} bn")
    return ["Running costs of the assets, paid by their owners (defender-owned assets cost no guarantor): "
            + ", ".join(rows) + " a year.", ""]


def sim_derived(page: ParametersPage, columns: list[Column]) -> list[str]:
    return ["Replication *i* of a run belongs to block `first_block + i // block_size`. Every random number is a "
            "function of the root `seed`, the block, a stream name and a position only (`core.rng`): not of the "
            "design, of the scenario's labels or of the job, so two designs on the same seed see the same "
            "weather, dice and parameter draws (common random numbers), and one scenario can be split over jobs "
            "(`sim.first_block`). The same config and seed give identical outputs; a different `block_size` "
            "gives a different (equally valid) sample.", ""]


def calibration_derived(page: ParametersPage, columns: list[Column]) -> list[str]:
    return ["A posterior is checked when the config is built: a missing or unreadable file, no `weight` column, "
            "weights that are negative, not finite or all 0, a column that is not a parameter of the scenario (other "
            "than `weight`, `distance`, `particle`) or a value that is not finite stops the run with one line. Each "
            "replication's particle is drawn by the inverse CDF of the normalised weights at its position (model.md, "
            "random numbers and the calibration draw), so two designs on the same seed draw the same particles and "
            "every comparison carries the calibration's uncertainty; the drawn values are the `param.<path>` columns "
            "of the runs table.", ""]


DERIVED: dict[str, Callable[[ParametersPage, list[Column]], list[str]]] = {
    "theater": theater_derived,
    "theater.defender": defender_derived,
    "monitoring": monitoring_derived,
    "guarantee.commitments.*": commitment_derived,
    "sim": sim_derived,
    "calibration": calibration_derived,
}
"""Paragraphs computed from the presets, after a node's tables (by schema path)."""

# =========================================================================== the outputs page

RECORDING = {
    "sum": "summed over the days in ceasefire (the collapse day included)",
    "final": "read at collapse (the end of that day) or at the horizon",
    "derived": "computed when the table is built (from the block, the collapse day or other columns)",
}
DAILY_UNITS = {"day": "day", "in_ceasefire": "replications", "collapses": "replications",
               "share_holding": "share", "hazard": "1/day"}
TRACE_COLUMNS = {
    "replication": "global replication index (as in runs)",
    "day": "day of the run (1-based)",
    "in_ceasefire": "in ceasefire at the start of the day",
    "offensive": "a major offensive today (the ceasefire collapses at the end of the day)",
    "aggressor_capability": "aggressor capability at the end of the day",
    "defender_capability": "defender capability at the end of the day",
    "direct_clash_today": "a direct guarantor-aggressor clash today",
    "will.<guarantor>": "political will of each guarantor at the end of the day",
    "credibility.<commitment>": "the aggressor's believed credibility of each commitment",
    "decided.<commitment>": "the commitment was triggered today (or answers an offensive)",
    "honoured.<commitment>": "its members honoured it today",
    "active.<asset>": "the asset is up today (not lost or being replaced)",
    "aggressor_minor_sectors": "sectors of the aggressor's minor violations today",
    "aggressor_serious_sectors": "sectors of the aggressor's serious violations today",
    "defender_minor_sectors": "sectors of the defender's minor violations today",
    "defender_serious_sectors": "sectors of the defender's serious violations today",
    "aggressor_seen_sectors": "sectors of the aggressor's violations that were detected and attributed to it",
}
"""Meaning of each column of ``traces`` that is not a recorded output (``<x>``: one column per entry)."""


def tiny(overrides: list[str]) -> ds.SimulationResult:
    """A tiny run's tables as a run writes them (``ds.simulate`` would add the design columns in front)."""
    return simulate_scenario(compose(["theater.n_sectors=4", "sim.horizon_days=3", "sim.replications=2", *overrides]))


def outputs_page() -> str:
    by_run = {o.name: o for o in OUTPUTS}
    traced = tiny(["sim.trace=[0]"])
    default = compose([])
    calibrated = set(load_posterior(default.calibration.posterior).paths) - set(default.calibration.keep)
    varying = [PARAM_PREFIX + p.path for p in parameters(default)
               if is_distribution(p.value) or p.path in calibrated]
    if list(traced.runs.columns) != [*RUN_COLUMNS, *varying]:
        raise SourceError("the runs table's columns are not RUN_COLUMNS then the param.<path> columns of the "
                          f"distributions and the calibration: {list(traced.runs.columns)}")
    empty = tiny(["guarantee=none", "monitoring=none", "theater.guarantors={}"])
    missing_runs = [c for c in RUN_COLUMNS if empty.runs[c].isna().all() and not traced.runs[c].isna().all()]
    missing_daily = [c for c in DAILY_COLUMNS if empty.daily[c].isna().all() and not traced.daily[c].isna().all()]
    L: list[str] = []
    w = L.extend
    w(["# Outputs", ""])
    w(["What a run writes into its output folder, column by column. This page is written by "
       "`docs/make_parameters.py` from the declarations in `src/deterrence_sim/columns.py` (`OUTPUTS`, "
       "`RUN_COLUMNS`, `DAILY_COLUMNS`) and the traces of `src/deterrence_sim/trace.py`; do not edit it by hand. "
       "The parameters are in [parameters.md](parameters.md), the model in [model.md](model.md).", ""])
    w(["- `runs.parquet`: one row per replication;",
       "- `daily.parquet`: one row per day, over all replications;",
       "- `traces.parquet`: only when `sim.trace` names replications, one row per traced replication and day;",
       "- `manifest.json`: the resolved config, seed, overrides, package versions, git revision and the "
       "SHA-256 of the tables; written last, so its presence marks a finished run.", ""])
    w(["A sweep's consolidated tables add, in front, the columns `job`, "
       + ", ".join(f"`{g}`" for g in PRESET_COLUMNS) + " (the presets chosen) and one column per overridden "
       "value (its path).", ""])
    w(["## Missing values", ""])
    w(["A quantity that does not exist in a design is missing (NaN; `<NA>` in an `Int64` column), never 0, in the "
       "runs and the daily table alike: without guarantors, commitments or assets, "
       + ", ".join(f"`{c}`" for c in missing_runs) + " (runs) and "
       + ", ".join(f"`{c}`" for c in missing_daily) + " (daily) are missing. Likewise `collapse_day` is missing "
       "when the ceasefire held to the horizon, `mean_verification_delay_days` when nothing was verified, and "
       "the daily means on days when no replication is in ceasefire any more.", ""])
    w(["## `runs`: one row per replication", ""])
    rows = []
    for name in RUN_COLUMNS:
        o = by_run[name]
        if o.run not in RECORDING:
            raise SourceError(f"output {name}: no wording for run={o.run!r} in RECORDING (docs/make_parameters.py)")
        how = RECORDING[o.run] + ("; also a daily mean" if o.daily else "")
        rows.append([f"`{name}`", o.dtype, o.unit, o.meaning, how])
    w(table(["column", "dtype", "unit", "meaning", "how recorded"], rows))
    w(["Then one column `param.<path>` per parameter that varies between the replications of the run: each one "
       "given as a distribution (its drawn value), each one the calibration's posterior names (its particle's "
       "value), and each one set per point by `ds.evaluate` or a points table. The path is the parameter's config path "
       "(`param.theater.aggressor.regen_per_day`, `param.theater.guarantors.uk.political_will`); whole-number "
       "fields are `int64`, the others `float64`. A parameter that is a plain number has no column (its value is "
       "in the manifest). In the default scenario these are:", ""])
    w([", ".join(f"`{c}`" for c in varying) + ".", ""])
    w(["## `daily`: one row per day", ""])
    rows = []
    for name, meaning in DAILY_COLUMNS.items():
        out = by_run.get(name.removesuffix("_mean"))
        unit = out.unit if name.endswith("_mean") and out is not None else DAILY_UNITS.get(name)
        if unit is None:
            raise SourceError(f"daily column {name}: no unit; add it to DAILY_UNITS in docs/make_parameters.py")
        rows.append([f"`{name}`", str(traced.daily[name].dtype), unit, meaning])
    w(table(["column", "dtype", "unit", "meaning"], rows))
    w(["Counts are summed over the replication blocks; a mean is over the replications still in ceasefire that "
       "day, so `share_holding` is the survival function and `hazard` the daily hazard of collapse.", ""])
    w(["## `traces`: one row per traced replication and day", ""])
    w(["`sim.trace=[0,5,17]` records, for those replications (global indices), every day of the run (until the "
       "run stops, also after the replication's collapse: `in_ceasefire` is then false): today's value of every "
       "recorded output before it is summed or averaged, the state of every agent and the day's events. Tracing "
       f"costs nothing for the replications not traced; at most {MAX_TRACED} may be traced. Columns named "
       "`<x>.<name>` come once per guarantor, commitment or asset of the design.", ""])
    rows, seen = [], set()
    for col in traced.traces.columns:
        key = next((k for k in TRACE_COLUMNS if "<" in k and col.startswith(k.split("<")[0])), col)
        if key in seen:
            continue
        seen.add(key)
        dtype = traced.traces[col].dtype
        shown_type = "list of int" if dtype.kind == "O" else str(dtype)
        if key in TRACE_COLUMNS:
            rows.append([f"`{key}`", shown_type, TRACE_COLUMNS[key]])
        elif col in RECORDED:
            o = by_run[col]
            rows.append([f"`{col}`", shown_type, f"today's value ({o.unit}): {o.meaning}"])
        else:
            raise SourceError(f"trace column {col}: no meaning; add it to TRACE_COLUMNS in docs/make_parameters.py")
    w(table(["column", "dtype", "meaning"], rows))
    return "\n".join(L).rstrip("\n") + "\n"


# =========================================================================== main


def build() -> tuple[str, str]:
    """Both pages (parameters.md, outputs.md); raises SourceError if a note or a fact is missing or stale."""
    groups, blocks, experiments, explorations = load_presets()
    check_sources(groups)
    return ParametersPage(groups, blocks, experiments, explorations).render(), outputs_page()


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else ROOT / "docs"
    out.mkdir(parents=True, exist_ok=True)
    params, outputs = build()
    for name, text in (("parameters.md", params), ("outputs.md", outputs)):
        (out / name).write_text(text)
        print(f"wrote {out / name} ({text.count(chr(10))} lines)")


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except SourceError as exc:
        sys.exit(f"docs/make_parameters.py: {exc}")
