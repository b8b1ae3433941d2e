"""The Solara page: Mesa's SolaraViz with the view's controls and panels.

``deterrence-sim-view`` starts it as ``solara run deterrence_sim.view.app``, handing the command
line's overrides over in the environment variable :data:`OVERRIDES_ENV` (a JSON list); each browser
session composes them into its own model on its first render.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence

import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from deterrence_sim.view import OVERRIDES_ENV
from deterrence_sim.view.panels import PANELS, Panel
from deterrence_sim.view.scenario import Controls, ViewedCeasefire

TITLE = "deterrence-sim: watch a ceasefire"


def overrides_from_env() -> list[str]:
    """The overrides that ``deterrence-sim-view`` handed over (none if started otherwise)."""
    return list(json.loads(os.environ.get(OVERRIDES_ENV, "[]")))


def figure_component(panel: Panel):
    """The Solara component of a panel, redrawn after every step and after a reset."""

    @solara.component
    def Figure_(model: ViewedCeasefire):
        update_counter.get()
        when = [id(model), model.steps, update_counter.value]
        figure = solara.use_memo(lambda: panel.draw(model), when)
        solara.FigureMatplotlib(figure, format="png", dependencies=when)

    Figure_.__name__ = panel.title.title().replace(" ", "").replace("'", "")
    return Figure_


@solara.component
def Status(model: ViewedCeasefire):
    """What is shown: the scenario's overrides, the day, the share still in ceasefire; any problem."""
    update_counter.get()
    share = model.datacollector.model_vars["share_in_ceasefire"][-1]
    if model.problem:
        solara.Error(model.problem)
    state = "running" if model.running else "stopped (horizon reached, or every replication collapsed)"
    with solara.Column(gap="6px"):
        solara.Text(f"Day {model.steps} of {model.horizon_days}, {state}: {share:.1%} of {model.n} "
                    f"replications still in ceasefire; following replication {model.followed}.")
        solara.Text(f"Scenario: {' '.join(model.overrides)}", style={"font-family": "monospace"})
        solara.Text("Mean lines are over the replications still in ceasefire that day; red lines "
                    "follow one replication. Presets and parameters apply on Reset.")


def components(panels: Sequence[Panel] = PANELS) -> list:
    """SolaraViz's components: the status, then one figure per panel, on one page."""
    return [(Status, 0), *((figure_component(p), 0) for p in panels)]


COMPONENTS = components()


@solara.component
def Page():
    """The app: one model per browser session, built from the command line's overrides."""
    controls = solara.use_memo(lambda: Controls.from_overrides(overrides_from_env()), [])
    model = solara.use_memo(lambda: ViewedCeasefire(**controls.values), [])
    SolaraViz(model, components=COMPONENTS, model_params=controls.model_params(), name=TITLE)
