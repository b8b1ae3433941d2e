"""Watch a ceasefire in the browser: a Mesa SolaraViz app (``deterrence-sim-view``, ``make view``).

The view is a thin layer over the model: it reads :class:`~deterrence_sim.model.CeasefireModel`
only through its public attributes (``datacollector``, ``steps``, ``events``, the agents and the
``tracer``), and needs the optional dependencies of the ``view`` extra
(``pip install 'deterrence-sim[view]'``).

- :mod:`deterrence_sim.view.scenario`: the controls (presets, key parameters, the followed
  replication) and the model they build; no Solara.
- :mod:`deterrence_sim.view.panels`: every panel, declared once (``PANELS``), each drawn by a
  matplotlib function of the model; no Solara.
- :mod:`deterrence_sim.view.app`: the Solara page (``solara run deterrence_sim.view.app``).
- :mod:`deterrence_sim.view.cli`: the console script, which checks the overrides first.
"""

OVERRIDES_ENV = "DETERRENCE_SIM_VIEW_OVERRIDES"
"""Environment variable in which ``deterrence-sim-view`` hands its overrides (a JSON list) to the app."""
