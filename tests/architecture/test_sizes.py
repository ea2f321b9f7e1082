"""Modules small enough to read, functions short enough to hold in the head: no module of
the portal's code over 400 lines and no function over 60 lines unless its docstring says
why ("Long on purpose: ..."). Migrations are generated and not counted."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
EXCUSE = "Long on purpose"


def _code() -> list[Path]:
    tops = [
        p.parent
        for p in ROOT.glob("*/apps.py")  # every Django app of the project, imaportal included
    ]
    assert len(tops) >= 5, tops
    return sorted(p for top in tops for p in top.rglob("*.py") if "migrations" not in p.parts)


def test_no_module_over_the_limit() -> None:
    too_long = {
        str(p.relative_to(ROOT)): n
        for p in _code()
        if (n := p.read_text().count("\n")) > MAX_MODULE_LINES
    }
    assert too_long == {}


def test_no_function_over_the_limit_without_a_reason() -> None:
    too_long: dict[str, int] = {}
    for path in _code():
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES and EXCUSE not in (ast.get_docstring(node) or ""):
                too_long[f"{path.relative_to(ROOT)}:{node.name}"] = length
    assert too_long == {}
