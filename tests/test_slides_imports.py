"""The slides package stays readable: modules that import each other one way only, each with a
docstring saying its job, and functions short enough to read at once."""

from __future__ import annotations

import ast
from pathlib import Path

import course_utils.slides

PACKAGE = Path(course_utils.slides.__file__).parent
MODULES = {path.stem: ast.parse(path.read_text()) for path in sorted(PACKAGE.glob("*.py"))}


def _siblings(tree: ast.Module) -> set[str]:
    """The modules of the package that ``tree`` imports (``from .x import ...``)."""
    return {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
    }


def test_no_module_of_the_slides_imports_itself_back():
    graph = {name: _siblings(tree) - {"__init__"} for name, tree in MODULES.items()}

    def reachable(start: str) -> set[str]:
        seen, todo = set(), list(graph[start])
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo += graph.get(name, ())
        return seen

    assert sorted(name for name in graph if name in reachable(name)) == []
    # the command sits on top: only the package's entry points import it
    assert {name for name, imported in graph.items() if "cli" in imported} <= {
        "__init__",
        "__main__",
    }


def test_every_module_says_its_job_and_its_functions_are_short():
    for name, tree in MODULES.items():
        assert ast.get_docstring(tree), f"{name}.py has no docstring"
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                length = node.end_lineno - node.lineno + 1
                assert length <= 40, f"{name}.{node.name} is {length} lines"
