"""The package's shape: no import cycles (function-level imports included) and no module
past 400 lines, so that each module keeps one job."""

from __future__ import annotations

import ast
from pathlib import Path

from camp.paths import PACKAGE_DIR

MAX_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE_DIR.rglob("*.py"):
        if "_bundled" in path.parts:
            continue
        parts = path.relative_to(PACKAGE_DIR).with_suffix("").parts
        name = ".".join(("camp", *parts)).removesuffix(".__init__")
        found[name] = path
    return found


def _imports(path: Path, known: set[str]) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("camp"):
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name in known and name != "camp"}


def test_no_import_cycles():
    modules = _modules()
    graph = {name: _imports(path, set(modules)) - {name} for name, path in modules.items()}
    cycles: list[list[str]] = []
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(name: str) -> None:
        state[name] = "open"
        stack.append(name)
        for target in sorted(graph[name]):
            if state.get(target) == "open":
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name)
    assert not cycles, "\n".join(" -> ".join(cycle) for cycle in cycles)


def test_no_module_is_longer_than_400_lines():
    long = {
        name: count
        for name, path in _modules().items()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, long


def test_every_functools_cache_is_registered_so_tests_can_empty_it():
    import importlib

    from camp import caches

    unregistered = []
    for name in _modules():
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            defined_here = getattr(value, "__module__", None) == name
            if defined_here and hasattr(value, "cache_info") and not caches.is_registered(value):
                unregistered.append(f"{name}.{attribute}")
    assert not unregistered, f"register with camp.caches: {unregistered}"
