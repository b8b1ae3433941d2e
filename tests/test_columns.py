"""Outputs are declared once (``columns.py``): the model, the tables and the docs follow it."""

from __future__ import annotations

from pathlib import Path

import deterrence_sim as ds
from deterrence_sim.columns import DAILY_COLUMNS, FINAL, OUTPUTS, RECORDED, RUN_COLUMNS
from deterrence_sim.simulation import simulate_scenario

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_the_model_hands_over_exactly_the_declared_outputs():
    model = ds.CeasefireModel(ds.compose_scenario(["theater.n_sectors=4", "sim.horizon_days=3"]), 5)
    model.step()
    assert set(model.observe_day()) == set(RECORDED)
    assert set(model.final_values()) == set(FINAL)


def test_tables_have_the_declared_columns_in_order():
    result = simulate_scenario(ds.compose_scenario(["theater.n_sectors=4", "sim.horizon_days=5",
                                                    "sim.replications=7"]))
    declared = list(RUN_COLUMNS)
    assert list(result.runs.columns[: len(declared)]) == declared
    assert all(c.startswith("param.") for c in result.runs.columns[len(declared):])
    assert list(result.daily.columns) == list(DAILY_COLUMNS)
    for o in OUTPUTS:
        if o.name in result.runs:
            assert str(result.runs[o.name].dtype) == o.dtype, o.name


def test_missing_quantities_are_missing_in_both_tables():
    """No commitment, no asset: the belief and the share of assets up are NaN in runs and daily."""
    result = ds.simulate(["guarantee=none", "monitoring=none", "theater.n_sectors=4",
                          "sim.horizon_days=5"], replications=5)
    assert result.runs["final_credibility_belief"].isna().all()
    assert result.daily["credibility_belief_mean"].isna().all()
    assert result.daily["assets_active_mean"].isna().all()


def test_the_docs_list_every_declared_column():
    text = (DOCS / "outputs.md").read_text()
    for name in [*RUN_COLUMNS, *DAILY_COLUMNS]:
        assert f"`{name}`" in text, name
