"""The Solara page rendered without a browser (as Mesa's own tests of SolaraViz do): controls, panels,
Step and Reset."""

from __future__ import annotations

import json

import ipyvuetify as v
import ipywidgets as widgets
import pytest
import solara

from deterrence_sim.view import OVERRIDES_ENV
from deterrence_sim.view.app import Page
from deterrence_sim.view.panels import PANELS

SMALL = ["sim.replications=30", "sim.horizon_days=20", "theater.n_sectors=10", "attack=revisionist"]


@pytest.fixture
def page(monkeypatch):
    """The page in Solara's app layout (where SolaraViz puts its controls), and its render context."""
    monkeypatch.setenv(OVERRIDES_ENV, json.dumps(SMALL))
    _, rc = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    return rc


def images(rc) -> list[bytes]:
    return [bytes(image.value) for image in rc.find(widgets.Image).widgets]


def text(rc) -> str:
    return " ".join(str(child) for html in rc.find(v.Html).widgets for child in html.children)


def button(rc, label: str):
    found = rc.find(v.Btn, children=[label])
    found.assert_single()
    return found.widget


def test_page_renders_the_controls_and_every_panel(page) -> None:
    assert [b.children for b in page.find(v.Btn).widgets] == [["Reset"], ["▶"], ["Step"]]
    selects = {s.label: s.v_model for s in page.find(v.Select).widgets}
    assert selects == {"theater preset": "ukraine_2026", "attack preset": "revisionist",
                       "monitoring preset": "us_led_tech", "guarantee preset": "paris_package"}
    fields = {f.label: f.v_model for f in page.find(v.TextField).widgets}
    assert fields == {"attack.temperature (blank: the preset's)": "", "seed": "20260106",
                      "follow replication (number)": "0"}
    assert page.find(v.Slider, label="replications").widget.v_model == 30
    pngs = images(page)
    assert len(pngs) == len(PANELS) and all(p.startswith(b"\x89PNG") for p in pngs)
    assert "Day 0 of 20" in text(page) and "30 replications" in text(page)
    assert not page.find(v.Alert).widgets        # no error shown


def test_step_advances_one_day_and_redraws_every_panel(page) -> None:
    before = images(page)
    button(page, "Step").click()
    assert "Day 1 of 20" in text(page)
    assert all(a != b for a, b in zip(before, images(page), strict=True))
    assert not page.find(v.Alert).widgets


def test_reset_builds_the_chosen_scenario_and_a_bad_choice_is_shown_not_applied(page) -> None:
    page.find(v.Select, label="guarantee preset").widget.v_model = "none"
    button(page, "Step").click()
    button(page, "Reset").click()
    assert "Day 0 of 20" in text(page) and "guarantee=none" in text(page)
    temperature = page.find(v.TextField, label="attack.temperature (blank: the preset's)").widget
    temperature.v_model = "-1"
    temperature.fire_event("keyup.enter", None)
    button(page, "Reset").click()
    alert = page.find(v.Alert).widget
    message = " ".join(map(str, alert.children))
    assert message.startswith("attack.temperature: invalid value -1; allowed:")
    assert "guarantee=paris_package" in text(page)     # the scenario the view started with
