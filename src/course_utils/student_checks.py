"""The checks a student edition must pass before it is handed out, comparing each student notebook
with the instructor's it was made from: no solution text left, nbgrader's stubs in its place,
every other cell (set-up, statements, hints, tests) as the instructor wrote it, no outputs.

They do not trust nbgrader: they say what the student must see, cell by cell, and look for the
instructor's answers anywhere in the student's notebook, so that a change in nbgrader, in its
configuration or in how a notebook is marked cannot hand out solutions unnoticed.
"""

from __future__ import annotations

import nbformat

from .exercises import (
    BEGIN_HIDDEN_TESTS,
    BEGIN_SOLUTION,
    CODE_STUB,
    END_HIDDEN_TESTS,
    END_SOLUTION,
    TEXT_STUB,
    cell_kind,
    region_lines,
    regions,
    replace_regions,
)

_STUB_LINES = {line.strip() for line in (CODE_STUB + "\n" + TEXT_STUB).split("\n")}


def expected_student_source(cell) -> str:
    """What the student must see of an instructor's cell: solution regions replaced by the stub
    (a solution cell without regions, and a written answer, by the stub alone), hidden tests
    left out, any other cell as it is."""
    kind = cell_kind(cell)
    stub = CODE_STUB if cell.cell_type == "code" else TEXT_STUB
    source = cell.source
    if kind in ("solution", "answer"):
        if not regions(source, BEGIN_SOLUTION, END_SOLUTION):
            return stub
        source = replace_regions(source, BEGIN_SOLUTION, END_SOLUTION, stub)
    if kind == "tests":
        source = replace_regions(source, BEGIN_HIDDEN_TESTS, END_HIDDEN_TESTS, None)
    return source


def secret_lines(notebook: nbformat.NotebookNode) -> set[str]:
    """The instructor's lines a student must never see (stripped, blank ones left out): those of
    solution regions, of solution cells without regions, of written answers and of hidden tests,
    less any line the instructor also shows elsewhere (a scaffold's ``return``, say) and the
    stubs' own lines."""
    secret, shown = set(), set()
    for cell in notebook.cells:
        kind = cell_kind(cell)
        hidden: list[str] = []
        if kind in ("solution", "answer"):
            hidden = region_lines(cell.source, BEGIN_SOLUTION, END_SOLUTION) or cell.source.split(
                "\n"
            )
        elif kind == "tests":
            hidden = region_lines(cell.source, BEGIN_HIDDEN_TESTS, END_HIDDEN_TESTS)
        secret.update(line.strip() for line in hidden)
        shown.update(line.strip() for line in expected_student_source(cell).split("\n"))
    return {line for line in secret - shown - _STUB_LINES if line}


def _output_problems(cell, where: str) -> list[str]:
    if cell.cell_type != "code":
        return []
    problems = []
    if cell.get("outputs"):
        problems.append(f"{where}: still has {len(cell.outputs)} output(s)")
    if cell.get("execution_count") is not None:
        problems.append(f"{where}: still has an execution count")
    return problems


def _leaks(cell, secrets: set[str], where: str) -> list[str]:
    leaked = [line for line in cell.source.split("\n") if line.strip() in secrets]
    return [f"{where}: shows the instructor's line {line.strip()[:80]!r}" for line in leaked]


def edition_problems(
    instructor: nbformat.NotebookNode, student: nbformat.NotebookNode, name: str
) -> list[str]:
    """Each way ``student`` differs from what the student edition of ``instructor`` must be, one
    line each naming ``name`` and the cell; [] when it is right."""
    if len(student.cells) != len(instructor.cells):
        return [
            f"{name}: {len(student.cells)} cells in the student edition, "
            f"{len(instructor.cells)} in the instructor's"
        ]
    problems = []
    secrets = secret_lines(instructor)
    first_code = next((i for i, c in enumerate(instructor.cells) if c.cell_type == "code"), None)
    for index, (theirs, ours) in enumerate(zip(instructor.cells, student.cells, strict=True)):
        where = f"{name}, cell {index}"
        if ours.cell_type != theirs.cell_type:
            problems.append(
                f"{where}: a {ours.cell_type} cell, the instructor's is {theirs.cell_type}"
            )
            continue
        if index == first_code and ours.source != theirs.source:
            problems.append(f"{where}: the set-up cell differs from the instructor's")
        elif ours.source != expected_student_source(theirs):
            problems.append(f"{where} ({cell_kind(theirs) or 'plain'}): not what students must see")
        problems.extend(_output_problems(ours, where))
        problems.extend(_leaks(ours, secrets, where))
    return problems
