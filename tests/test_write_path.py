"""One write path: views never commit or roll back; the request's commit point does
(camp.transactions). A view module that calls either fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from camp.paths import PACKAGE_DIR

VIEW_MODULES = sorted(
    p for p in PACKAGE_DIR.rglob("*.py") if p.name == "views.py" or p.name.endswith("_views.py")
)


def _session_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("commit", "rollback")
        ):
            found.append(f"{path.name}:{node.lineno} {ast.unparse(node.func)}()")
    return found


def test_there_are_view_modules_to_check():
    assert len(VIEW_MODULES) >= 8


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: str(p.relative_to(PACKAGE_DIR)))
def test_views_never_commit_or_roll_back(path):
    assert _session_calls(path) == []
