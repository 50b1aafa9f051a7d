"""The data layer's imports run one way: no module imports one that imports it back, and the
command-line modules are not imported by the package (so ``python -m`` runs them cleanly)."""

import ast
import subprocess
import sys
from pathlib import Path

import course_utils.data

PACKAGE = Path(course_utils.data.__file__).parent


def imports_within_the_package() -> dict[str, set[str]]:
    """module name -> the modules of ``course_utils.data`` it imports (relative imports)."""
    modules = {path.stem for path in PACKAGE.glob("*.py")}
    graph = {}
    for name in modules:
        tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
        edges = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    edges.add(node.module.split(".")[0])
                else:
                    edges.update(alias.name for alias in node.names)
        graph[name] = edges & modules - {name}
    return graph


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), list(graph[start])
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(graph[name])
    return seen


def test_no_module_of_the_data_layer_imports_itself_back():
    graph = imports_within_the_package()
    assert "jena_format" in graph["jena_simulation"] and "jena_format" in graph["jena_csv"]
    cycles = sorted(name for name in graph if name in reachable(graph, name))
    assert cycles == []


def test_the_registry_imports_only_checks_and_formats():
    graph = imports_within_the_package()
    assert reachable(graph, "registry") <= {
        "errors",
        "imdb_checks",
        "jena_csv",
        "jena_format",
        "jena_zip",
        "safe_npz",  # the IMDB check reads .npy headers the way the restricted reader does
        "standins",
    }


def test_the_standin_command_is_not_imported_by_the_package_and_runs_without_warnings(tmp_path):
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, course_utils.data; print(sorted(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "course_utils.data.jena_standin" not in loaded
    run = subprocess.run(
        [sys.executable, "-W", "error", "-m", "course_utils.data.jena_standin", str(tmp_path)]
        + ["--days", "2"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "RuntimeWarning" not in run.stderr
