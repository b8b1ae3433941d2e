"""Layers point one way and nothing imports in a cycle (read from the source, not assumed)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "deterrence_sim"


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Every module of the package and the modules it imports (any depth in the file)."""
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
                names |= {f"{node.module}.{a.name}" for a in node.names}
        graph[_module(path)] = names
    return graph


GRAPH = _imports()
INTERNAL = {m: {n for n in names if n in GRAPH and n != m} for m, names in GRAPH.items()}


def test_no_import_cycles():
    seen, stack = set(), []

    def visit(m):
        if m in stack:
            raise AssertionError("import cycle: " + " -> ".join([*stack[stack.index(m):], m]))
        if m in seen:
            return
        stack.append(m)
        for n in INTERNAL[m]:
            if not m.startswith(n + "."):        # a package importing its own submodules
                visit(n)
        stack.pop()
        seen.add(m)

    for m in INTERNAL:
        visit(m)


def _under(prefix: str) -> list[str]:
    return [m for m in GRAPH if m == prefix or m.startswith(prefix + ".")]


@pytest.mark.parametrize(("layer", "allowed"), [
    ("deterrence_sim.core", ("deterrence_sim.core", "deterrence_sim.units")),
    ("deterrence_sim.fields", ("deterrence_sim.core", "deterrence_sim.fields")),
    ("deterrence_sim.assets", ("deterrence_sim.core", "deterrence_sim.fields", "deterrence_sim.assets",
                               "deterrence_sim.units")),
    ("deterrence_sim.effects", ("deterrence_sim.core", "deterrence_sim.fields", "deterrence_sim.effects",
                                "deterrence_sim.units")),
])
def test_lower_layers_never_read_upward(layer, allowed):
    for m in _under(layer):
        for n in INTERNAL[m]:
            assert n.startswith(allowed), f"{m} imports {n}"


@pytest.mark.parametrize("layer", ["deterrence_sim.core", "deterrence_sim.config",
                                   "deterrence_sim.analysis", "deterrence_sim.report",
                                   "deterrence_sim.folders"])
def test_math_config_and_analysis_import_neither_mesa_nor_hydra(layer):
    for m in _under(layer):
        outside = {n.split(".")[0] for n in GRAPH[m]}
        assert not outside & {"mesa", "hydra", "omegaconf"}, m


def test_analysis_reads_tables_not_model_objects():
    for m in _under("deterrence_sim.analysis") + _under("deterrence_sim.report"):
        assert not {n for n in INTERNAL[m]} & {"deterrence_sim.model", "deterrence_sim.agents",
                                               "deterrence_sim.simulation"}, m


def test_agents_read_neither_the_day_nor_flags_from_the_model():
    for path in (PACKAGE / "agents").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute):
                assert not (node.value.attr == "model" and isinstance(node.value.value, ast.Name)
                            and node.value.value.id == "self"), f"{path.name}: self.model.{node.attr}"
