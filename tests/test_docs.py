"""The generated docs stay true to the code: the analysis tour runs, the parameter page is current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sweep_builder import load_script, tiny_sweep

GENERATOR = Path(__file__).parents[1] / "docs" / "make_analysis_example.py"


def test_every_cell_of_the_analysis_tour_runs_and_prints(tmp_path: Path) -> None:
    tour = load_script(GENERATOR)
    out = tmp_path / "analysis.md"
    tour.main([str(tiny_sweep()), "--out", str(out)])
    page = out.read_text()
    outputs = page.split("```text\n")[1:]
    assert len(outputs) == len(tour.CELLS)
    assert all(block.split("```")[0].strip() for block in outputs)   # every cell printed something
    assert "paris_package" in page and "Traceback" not in page


def test_parameters_page_is_what_the_config_and_presets_say(tmp_path: Path) -> None:
    """docs/parameters.md is generated from config.py and conf/; re-run the generator after a change."""
    docs = Path(__file__).parents[1] / "docs"
    out = tmp_path / "parameters.md"
    subprocess.run([sys.executable, str(docs / "make_parameters.py"), str(out)], check=True,
                   capture_output=True, timeout=120)
    assert out.read_text() == (docs / "parameters.md").read_text(), \
        "docs/parameters.md is stale: run python docs/make_parameters.py"
