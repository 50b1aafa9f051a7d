"""The course's exercises: four per notebook, each with one hint and a solution, marked in
nbgrader's format so that ``make student`` can blank the solutions, and written so that the
student edition still runs: a code solution lives inside a function, which only the exercise's
test cell calls. (The edition itself, made by nbgrader, is tested in tests/test_student.py.)"""

import ast
from pathlib import Path

import nbformat
import pytest

from course_utils.exercises import (
    BEGIN_SOLUTION,
    CODE_STUB,
    END_SOLUTION,
    cell_kind,
    exercise_cells,
    marking_problems,
    replace_regions,
)

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
EXERCISES_PER_NOTEBOOK = 4


def read(path):
    return nbformat.read(path, as_version=4)


@pytest.fixture(params=NOTEBOOKS, ids=lambda path: path.stem)
def notebook(request):
    return request.param, read(request.param)


def groups(nb) -> list[list]:
    """Each exercise's cells: its statement and every cell after it up to the next statement, or
    up to the first cell after it that belongs to no exercise (the References)."""
    cells = exercise_cells(nb)
    belongs = set(cells.exercises + cells.hints + cells.solutions + cells.answers + cells.tests)
    found = []
    for number, start in enumerate(cells.exercises):
        end = cells.exercises[number + 1] if number + 1 < len(cells.exercises) else len(nb.cells)
        stop = next((i for i in range(start + 1, end) if i not in belongs), end)
        found.append([nb.cells[i] for i in range(start, stop)])
    return found


def test_forty_exercises_in_all():
    assert sum(len(exercise_cells(read(p)).exercises) for p in NOTEBOOKS) == 40


def test_four_exercises_each_with_one_hint_right_after_it_and_a_solution(notebook):
    path, nb = notebook
    exercises = groups(nb)
    assert len(exercises) == EXERCISES_PER_NOTEBOOK, path.name
    for number, cells in enumerate(exercises, start=1):
        where = f"{path.name}, exercise {number}"
        assert cells[0].source.startswith(f"### Exercise {number}:"), where
        hints = [c for c in cells if "hint" in c.metadata.get("tags", [])]
        assert len(hints) == 1 and cells[1] is hints[0], f"{where}: one hint, right after it"
        assert hints[0].source.startswith("**Hint.**"), where
        kinds = [cell_kind(c) for c in cells[2:]]
        assert {"solution", "answer"} & set(kinds), f"{where}: no solution region"
        assert all(kind in ("solution", "answer", "tests") for kind in kinds), (where, kinds)


def test_a_code_solution_has_its_test_and_a_test_its_solution(notebook):
    path, nb = notebook
    for number, cells in enumerate(groups(nb), start=1):
        kinds = [cell_kind(c) for c in cells]
        assert ("solution" in kinds) == ("tests" in kinds), f"{path.name}, exercise {number}"
        for kind, cell in zip(kinds, cells, strict=True):
            if kind == "solution":
                assert BEGIN_SOLUTION in cell.source and END_SOLUTION in cell.source
            if kind == "answer":
                assert cell.source.startswith("**Answer.**"), f"{path.name}, exercise {number}"


def test_nbgrader_would_accept_the_marking(notebook):
    path, nb = notebook
    assert marking_problems(nb, path.name) == []


def raises_outside_a_function(source: str) -> list[int]:
    """Lines of ``source`` with a ``raise NotImplementedError`` that a top-level statement
    reaches, i.e. not inside a ``def`` (a class body or loop runs when the cell runs)."""
    tree = ast.parse(source)
    inside = {
        id(node)
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
    }
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Raise) and id(node) not in inside
    ]


def test_with_the_solutions_blanked_the_solution_cells_still_run(notebook):
    """In the student edition a solution region becomes nbgrader's stub, which raises
    NotImplementedError: inside a function it raises only when the test cell calls it, so the
    student edition runs top to bottom with only test cells failing."""
    path, nb = notebook
    for cell in nb.cells:
        if cell_kind(cell) == "solution":
            blanked = replace_regions(cell.source, BEGIN_SOLUTION, END_SOLUTION, CODE_STUB)
            assert "NotImplementedError" in blanked
            assert raises_outside_a_function(blanked) == [], (path.name, cell.id)


def test_the_checker_finds_a_stub_outside_a_function():
    assert raises_outside_a_function("x = 1\nraise NotImplementedError()") == [2]
    assert raises_outside_a_function("def f():\n    raise NotImplementedError()") == []
