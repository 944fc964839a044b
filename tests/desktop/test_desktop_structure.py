"""No two qirtas.desktop modules import each other, directly or round a longer loop (issue 17, point 7).

Every import counts: at the top, inside a function (loaded when first used) and under TYPE_CHECKING, since
a loop read only by the type checker is still two modules that each need the other to be understood."""

from __future__ import annotations

import ast

from tests.conftest import REPO

DESKTOP = REPO / "desktop"
PACKAGE = "qirtas.desktop"


def module_name(path) -> str:
    parts = path.relative_to(DESKTOP).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


def desktop_imports() -> dict[str, set[str]]:
    """Each desktop module and the desktop modules it imports."""
    modules = {module_name(path): path for path in DESKTOP.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # `from qirtas.desktop import session` names a module; `from qirtas.desktop.x import Y` one too
                targets = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            graph[name] |= {target for target in targets if target in modules and target != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_among_desktop_modules():
    graph = desktop_imports()
    assert f"{PACKAGE}.views.window" in graph and f"{PACKAGE}.actions" in graph[f"{PACKAGE}.views.window"]
    assert cycles(graph) == []


def test_the_cycle_check_finds_a_loop():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
