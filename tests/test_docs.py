"""The generated docs stay true to the code: the analysis tour runs, the parameter page is current."""

from __future__ import annotations

import re
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
