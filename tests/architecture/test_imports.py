"""The apps depend one way: members <- policy <- cpe <- certification, and refunds on cpe,
policy and members. A lower app announces changes with signals (``members.signals``) instead
of importing a higher one. No project module imports itself back through others (an import
circle), at module level or inside a function."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("audit", "members", "policy", "notifications", "cpe", "certification", "refunds")
# What each app may import besides itself and the project kit (``imaportal``).
ALLOWED: dict[str, set[str]] = {
    "audit": set(),
    "members": {"audit"},
    "policy": {"audit", "members"},
    "notifications": {"audit", "members", "policy"},
    "cpe": {"audit", "members", "policy", "notifications"},
    "certification": {"audit", "members", "policy", "cpe", "notifications"},
    "refunds": {"audit", "members", "policy", "cpe", "notifications"},
}
# The kit's modules that the apps use; they import no app (``imaportal.urls``, the settings,
# the demo command and the web kit are the project layer above the apps).
KIT_BELOW_APPS = (
    "dates",
    "reasons",
    "formatting",
    "validation",
    "exceptions",
    "queueing",
    "parsers",
    "uploads",
    "cache",
    "outage",
    "components",
    "signing",
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources(top: str) -> list[Path]:
    return [p for p in (ROOT / top).rglob("*.py") if "migrations" not in p.parts]


def _imports(path: Path) -> set[str]:
    """Every project module this file imports, wherever the import statement stands."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in (*APPS, "imaportal")}


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for top in (*APPS, "imaportal") for p in _sources(top)}
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for target in _imports(path):
            # ``from pkg import module`` names a module; ``from module import name`` does not.
            while target not in modules and "." in target:
                target = target.rsplit(".", 1)[0]
            if target in modules and target != name:
                graph[name].add(target)
    return graph


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_only_the_apps_below_it(app):
    wrong = sorted(
        f"{_module_name(path)} imports {target}"
        for path in _sources(app)
        for target in _imports(path)
        if target.split(".")[0] not in {app, "imaportal", *ALLOWED[app]}
    )
    assert wrong == []


def test_the_kit_below_the_apps_imports_no_app():
    wrong = sorted(
        f"imaportal.{name} imports {target}"
        for name in KIT_BELOW_APPS
        for target in _imports(ROOT / "imaportal" / f"{name}.py")
        if not target.startswith("imaportal")
    )
    assert wrong == []


def test_no_module_imports_itself_back():
    graph = _graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert [" -> ".join(c) for c in cycles] == []


def test_one_leap_day_rule() -> None:
    """Moving a date by whole years has one answer to 29 February (``imaportal.dates``); no
    app keeps a copy of it."""
    copies = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in _sources(app)
        if "replace(year=" in path.read_text()
    ]
    assert copies == []
