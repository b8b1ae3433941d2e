"""The view's panels draw what the model holds: today's events, the share and its band, the series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from deterrence_sim.analysis import proportion
from deterrence_sim.columns import DAILY_MEANS
from deterrence_sim.view.panels import (
    PANELS,
    _ending,
    _force_presence,
    _spans,
    line_of_contact,
    one_replication,
    series_panel,
    still_in_ceasefire,
    wilson,
)
from deterrence_sim.view.scenario import Controls, ViewedCeasefire

SMALL = ["sim.horizon_days=60", "theater.n_sectors=12", "attack=revisionist"]
# Build-ups every few days, decided by coin flips: some stood down, some launched, warnings between.
BUILDUPS = ["guarantee=reassurance_force", "attack.offensive_rate_per_day=0.2",
            "attack.offensive_temperature=1e6", "attack.buildup_days=8"]
# Attacks on the force, every response clashes, and both sides always climb: wider wars.
LADDER = ["guarantee=reassurance_force", "attack.offensive_rate_per_day=0", "attack.revisionism=1",
          "attack.opportunity_rate_per_sector_day=0.1",
          "guarantee.commitments.reassurance_force.effects.reassurance_force.clash_risk=1",
          "guarantee.commitments.reassurance_force.bindingness=0.99", "attack.escalation_temperature=0",
          "attack.escalation_resolve=1e4", "attack.wider_war_loss=0",
          "theater.guarantors.uk.escalation_resolve=1e4", "theater.guarantors.france.escalation_resolve=1e4"]


def panel(title: str):
    return next(p for p in PANELS if p.title == title)


def model_after(days: int, *overrides: str, replications: int = 60) -> ViewedCeasefire:
    start = Controls.from_overrides([*SMALL, *overrides]).values
    model = ViewedCeasefire(**{**start, "replications": replications, "follow": "3"})
    for _ in range(days):
        model.step()
    return model


@pytest.fixture(scope="module")
def model() -> ViewedCeasefire:
    return model_after(45, "guarantee=reassurance_force")


@pytest.mark.parametrize(("k", "n"), [(0, 10), (3, 10), (30, 100), (999, 1000), (1000, 1000)])
def test_wilson_band_is_the_interval_of_the_analysis(k: int, n: int) -> None:
    low, high = wilson(np.array([k]), n)
    expected = proportion(k, n)
    assert low[0] == pytest.approx(expected.low, abs=1e-9)
    assert high[0] == pytest.approx(expected.high, abs=1e-9)


@pytest.mark.parametrize("days", [0, 1, 45])
def test_every_panel_draws_a_figure_on_any_day(days: int) -> None:
    model = model_after(days, "guarantee=none")   # no commitments: credibility is missing
    for panel in PANELS:
        fig = panel.draw(model)
        assert isinstance(fig, Figure) and fig.axes
        assert f"day {days}" in " ".join(ax.get_title().lower() for ax in fig.axes), panel.title


def test_panels_are_declared_once_and_series_name_daily_outputs() -> None:
    titles = [p.title for p in PANELS]
    assert len(set(titles)) == len(titles) == 8
    series = ["Political will", "The aggressor's beliefs", "Force ratio", "Build-ups and warnings",
              "Escalation ladder"]
    model = model_after(2)
    drawn = {line.get_label().split(":")[0] for title in series
             for line in panel(title).draw(model).axes[0].lines}
    assert drawn == {"guarantors' will", "credibility", "detection", "aggressor / defender",
                     "preparing an offensive", "warned of", "replication 3",
                     "rung (1 incident, 2 limited exchange, 3 wider war)"}
    assert {"political_will", "credibility_belief", "detection_belief", "force_ratio", "preparing",
            "warned", "escalation_rung"} <= set(DAILY_MEANS)


def test_line_of_contact_shows_todays_violations_detections_and_the_force(model) -> None:
    ax = line_of_contact(model).axes[0]
    ev, s = model.events, model.theater.n_sectors
    shares = model.datacollector.model_vars["share_in_ceasefire"]
    live = round(shares[-2] * model.n)
    serious, minor = ax.containers[0], ax.containers[1]
    np.testing.assert_allclose([b.get_height() for b in serious],
                               np.count_nonzero(ev.aggressor_rung == 2, axis=0) / live)
    np.testing.assert_allclose([b.get_height() for b in minor],
                               np.count_nonzero(ev.aggressor_rung == 1, axis=0) / live)
    seen = next(line for line in ax.lines if line.get_label() == "detected")
    np.testing.assert_allclose(seen.get_ydata(), np.bincount(
        ev.aggressor_event_cells[ev.aggressor_event_seen] % s, minlength=s) / live)
    assert ev.aggressor_rung.any(), "a revisionist aggressor violates within 45 days"
    np.testing.assert_array_equal(_force_presence(model), np.arange(s) < 4)   # the preset's 4 sectors
    assert not _force_presence(model_after(0, "guarantee=sanctions")).any()


def test_share_in_ceasefire_lies_in_its_band_which_narrows_with_replications() -> None:
    widths = []
    for n in (40, 400):
        model = model_after(60, "guarantee=none", *BUILDUPS[1:], replications=n)
        ax = still_in_ceasefire(model).axes[0]
        share = ax.lines[0].get_ydata()
        band = ax.collections[0].get_paths()[0].vertices[:, 1]
        low, high = band[1:len(share) + 1], band[len(share) + 2:-1][::-1]
        assert np.all(low <= share + 1e-12) and np.all(share <= high + 1e-12)
        assert share[-1] < 1, "some ceasefires collapse within 60 days"
        widths.append(float(np.max(high - low)))
    assert widths[1] < widths[0] / 2


def test_series_panel_draws_the_mean_and_the_followed_replications_own_values(model) -> None:
    ax = series_panel("Force ratio", {"force_ratio": "ratio"}, "ratio").draw(model).axes[0]
    mean, followed = ax.lines[:2]
    np.testing.assert_array_equal(mean.get_ydata(), model.datacollector.model_vars["force_ratio"])
    trace = model.followed_trace()
    live = trace[trace["in_ceasefire"]]
    np.testing.assert_array_equal(followed.get_ydata(), live["force_ratio"])
    assert followed.get_label() == "ratio: replication 3"


def test_one_replication_shows_its_violated_sectors_day_by_day(model) -> None:
    events = one_replication(model).axes[0]
    trace = model.followed_trace()
    for collection, column in zip(events.collections, ("aggressor_minor_sectors",
                                                       "aggressor_serious_sectors",
                                                       "aggressor_seen_sectors"), strict=True):
        expected = [(day, s) for day, cell in zip(trace["day"], trace[column], strict=True) for s in cell]
        assert [tuple(xy) for xy in collection.get_offsets().tolist()] == expected
    assert any(len(cell) for cell in trace["aggressor_serious_sectors"])


@pytest.fixture(scope="module")
def buildups() -> ViewedCeasefire:
    return model_after(45, *BUILDUPS)


def test_build_up_panel_draws_the_shares_and_the_followed_ones_build_ups_and_warnings(buildups) -> None:
    model = buildups
    ax = panel("Build-ups and warnings").draw(model).axes[0]
    lines = {line.get_label(): line for line in ax.lines}
    trace = model.followed_trace()
    live = trace[trace["in_ceasefire"]]
    for column, label in (("preparing", "preparing an offensive"), ("warned", "warned of")):
        means = model.datacollector.model_vars[column]
        np.testing.assert_array_equal(lines[f"{label}: mean"].get_ydata(), means)
        np.testing.assert_array_equal(lines[f"{label}: replication 3"].get_ydata(), live[column])
    for column, label in (("buildups_started", "build-up begun"), ("warnings", "warning"),
                          ("false_warnings", "false warning"), ("buildups_aborted", "stood down")):
        marked = lines[f"replication 3: {label}"].get_xdata()
        np.testing.assert_array_equal(marked, live.loc[live[column] > 0, "day"])
    assert len(lines["replication 3: build-up begun"].get_xdata()) >= 2
    assert len(lines["replication 3: warning"].get_xdata()) >= 1
    assert max(model.datacollector.model_vars["warned"]) > 0


def test_one_replication_shades_its_build_ups_and_marks_its_warnings(buildups) -> None:
    model = buildups
    events = one_replication(model).axes[0]
    trace = model.followed_trace()
    live = trace[trace["in_ceasefire"]]
    shaded = [(round(p.get_x() + 0.5), round(p.get_x() + p.get_width() - 0.5)) for p in events.patches]
    assert shaded == _spans(live["day"].to_numpy(), live["preparing"].to_numpy()) and shaded
    warned = [line.get_xdata()[0] for line in events.lines if line.get_linestyle() == "-"]
    assert warned == live.loc[live["warnings"] > 0, "day"].tolist()


def test_a_wider_war_ends_the_followed_ceasefire_in_every_panel_that_shows_it() -> None:
    model = model_after(45, *LADDER)
    trace = model.followed_trace()
    day, cause = _ending(trace)
    assert cause == "wider war" and not trace["offensive"].any()
    assert trace.loc[trace["day"] == day, "escalation_rung"].item() == 3
    assert trace.loc[trace["day"] == day - 1, "escalation_rung"].item() == 2        # one rung a day
    ending = [line for line in still_in_ceasefire(model).axes[0].lines if line.get_linestyle() == "--"]
    assert ending[0].get_xdata()[0] == day and ending[0].get_label() == "replication 3: wider war"
    figure = one_replication(model)
    assert f"wider war on day {day}" in figure.axes[0].get_title()
    assert figure.axes[1].patches                                                # days on the ladder
    ax = panel("Escalation ladder").draw(model).axes[0]
    mean, followed = ax.lines[:2]
    np.testing.assert_array_equal(mean.get_ydata(), model.datacollector.model_vars["escalation_rung"])
    assert max(followed.get_ydata()) == 3


def test_ending_tells_an_offensive_from_a_wider_war_and_from_a_ceasefire_that_holds() -> None:
    days = [1, 2, 3, 4]
    holds = {"day": days, "offensive": [False] * 4, "escalation_rung": [0, 1, 0, 0]}
    attack = {**holds, "offensive": [False, False, True, False]}
    war = {**holds, "escalation_rung": [1, 2, 3, 3]}
    endings = [_ending(pd.DataFrame(x)) for x in (holds, attack, war)]
    assert endings == [None, (3, "offensive"), (3, "wider war")]
    assert _ending(pd.DataFrame(columns=["day", "offensive", "escalation_rung"])) is None
