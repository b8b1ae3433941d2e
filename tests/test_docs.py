"""The generated docs stay true to the code: the analysis tour runs, the parameter and output pages are
current, and the parameter page cannot be written while a parameter lacks its source."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from sweep_builder import load_script, tiny_sweep

DOCS = Path(__file__).parents[1] / "docs"
GENERATOR = DOCS / "make_analysis_example.py"


def test_every_cell_of_the_analysis_tour_runs_and_prints(tmp_path: Path) -> None:
    tour = load_script(GENERATOR)
    out = tmp_path / "analysis.md"
    tour.main([str(tiny_sweep()), "--out", str(out)])
    page = out.read_text()
    outputs = page.split("```text\n")[1:]
    assert len(outputs) == len(tour.CELLS)
    assert all(block.split("```")[0].strip() for block in outputs)   # every cell printed something
    assert "paris_package" in page and "Traceback" not in page


@pytest.fixture(scope="module")
def parameters_generator():
    """docs/make_parameters.py as a module, and every preset it composes (composed once)."""
    spec = importlib.util.spec_from_file_location("make_parameters", DOCS / "make_parameters.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module          # its dataclasses look their module up
    spec.loader.exec_module(module)
    loaded = module.load_presets()
    yield module, loaded
    del sys.modules[spec.name]


def test_parameters_and_outputs_pages_are_what_the_code_and_presets_say(parameters_generator, monkeypatch,
                                                                          tmp_path: Path, capsys) -> None:
    """docs/parameters.md and docs/outputs.md are generated; re-run the generator after a change."""
    gen, loaded = parameters_generator
    monkeypatch.setattr(gen, "load_presets", lambda: loaded)      # composed once, in the fixture
    gen.main([str(tmp_path)])
    for page in ("parameters.md", "outputs.md"):
        assert (tmp_path / page).read_text() == (DOCS / page).read_text(), \
            f"docs/{page} is stale: run python docs/make_parameters.py"


def test_parameters_page_refuses_a_parameter_without_a_source(parameters_generator, monkeypatch) -> None:
    gen, (presets, *_) = parameters_generator
    gen.check_sources(presets)                                   # as shipped: every parameter has one
    monkeypatch.delitem(gen.SOURCES, "theater.aggressor.regen_per_day")       # a schema field
    monkeypatch.delitem(gen.SOURCES, "guarantee.aid_bn_per_year.uk")          # a preset's pledge
    with pytest.raises(gen.SourceError) as caught:
        gen.check_sources(presets)
    message = str(caught.value)
    assert "no source note" in message
    assert "theater.aggressor.regen_per_day" in message and "guarantee.aid_bn_per_year.uk" in message


def test_parameters_page_refuses_a_stale_note_or_fact(parameters_generator, monkeypatch) -> None:
    gen, (presets, *_) = parameters_generator
    monkeypatch.setitem(gen.SOURCES, "attack.retired_field", gen.note(gen.A))
    monkeypatch.setitem(gen.SOURCES, "attack.temperature", gen.note(
        "quotes 0.9", {"attack=opportunist": {"attack.temperature": 0.9}}))
    with pytest.raises(gen.SourceError) as caught:
        gen.check_sources(presets)
    message = str(caught.value)
    assert "attack.retired_field" in message
    assert "attack.temperature = 0.9 in attack=opportunist" in message


def test_readme_replays_one_replication_from_its_trace(capsys) -> None:
    """The README's pandas example runs, and its replay agrees with the runs table."""
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    block = re.search(r"## Follow one replication in pandas.*?```python\n(.*?)```", readme, re.S).group(1)
    scope: dict = {}
    exec(block, scope)
    runs = scope["result"].runs.set_index("replication")
    assert len(scope["held"]) == runs.loc[5, "duration_days"]
    assert scope["offensive"] == ([runs.loc[5, "collapse_day"]] if runs.loc[5, "collapsed"] else [])
    assert scope["hit"].sum() == runs.loc[5, "violations_serious"]
    assert len(scope["weekly"]) == -(-len(scope["held"]) // 7)
    assert capsys.readouterr().out.startswith(f"{len(scope['held'])} {scope['offensive']} ")
