"""The notebook nbval executes: the student edition and the instructor's, in one run.

A notebook and its student edition differ only in their exercises' answer cells (code
solutions, written answers, hidden tests:
:func:`~course_utils.student_checks.expected_student_source` says how). Executing both would
double ``make test``'s slowest step for cells that are the same. So nbval runs one notebook
that holds every cell once and each exercise twice, in place: first
its answer cells as the student gets them (nbgrader's stubs; the test cells tagged
``raises-exception``, since they call a function that is not written yet), then as the
instructor wrote them (the solutions run and the tests must pass). Up to each exercise the run
is the student edition's, top to bottom; after it, the instructor's.

:func:`student_failures` then reads the executed notebook and says which cells of the student's
part failed other than its test cells, and which test cells did not fail as a blank answer must.

``python -m course_utils.both_editions OUT_DIR NOTEBOOK...`` writes one such notebook per
notebook into ``OUT_DIR``, and ``--check DIR`` checks them once nbval has executed them (``make
nbval`` does both).
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import nbformat

from .exercises import cell_kind
from .notebooks import notebook_text
from .results import write_atomically
from .student_checks import expected_student_source

ANSWER_KINDS = ("solution", "answer", "tests")
STUDENT_ID_SUFFIX = "-student"
RAISES_TAG = "raises-exception"  # nbval lets a cell with this tag fail


def _as_the_student_gets_it(cell) -> nbformat.NotebookNode:
    student = copy.deepcopy(cell)
    student.source = expected_student_source(cell)
    student.id = f"{cell.id}{STUDENT_ID_SUFFIX}"
    if cell_kind(cell) == "tests":
        student.metadata["tags"] = [*student.metadata.get("tags", []), RAISES_TAG]
    return student


def both_editions(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``notebook`` with each run of answer cells preceded by the same cells as the student
    edition has them."""
    combined = copy.deepcopy(notebook)
    cells, waiting = [], []  # waiting: the instructor's answer cells since the last other cell
    for cell in combined.cells:
        if cell_kind(cell) in ANSWER_KINDS:
            waiting.append(cell)
            continue
        cells += [_as_the_student_gets_it(c) for c in waiting] + waiting
        waiting = []
        cells.append(cell)
    cells += [_as_the_student_gets_it(c) for c in waiting] + waiting
    combined.cells = cells
    return combined


def _error(cell) -> str:
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    return errors[0].get("ename", "") if errors else ""


def student_failures(executed: nbformat.NotebookNode) -> list[str]:
    """What went wrong in the student's part of an executed :func:`both_editions` notebook: a
    cell other than a test cell that raised, or a test cell that did not raise
    NotImplementedError (it must call the blank function)."""
    problems = []
    for cell in executed.cells:
        if not str(cell.get("id", "")).endswith(STUDENT_ID_SUFFIX) or cell.cell_type != "code":
            continue
        error, kind = _error(cell), cell_kind(cell)
        if kind == "tests" and error != "NotImplementedError":
            problems.append(
                f"test cell {cell.id}: raised {error or 'nothing'} with the answer left blank, "
                f"not NotImplementedError: it must call the function the student writes"
            )
        elif kind != "tests" and error:
            problems.append(f"cell {cell.id}: {error} in the student edition")
    return problems


USAGE = (
    "usage: python -m course_utils.both_editions OUT_DIR NOTEBOOK...  (write what nbval runs)\n"
    "       python -m course_utils.both_editions --check DIR            (check it, executed)"
)


def write(out: Path, paths: list[Path]) -> None:
    """One :func:`both_editions` notebook per path, into ``out`` under the same name."""
    out.mkdir(parents=True, exist_ok=True)
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        write_atomically(out / path.name, notebook_text(both_editions(notebook)))


def check(folder: Path) -> list[str]:
    """:func:`student_failures` of every executed notebook in ``folder``, each named."""
    notebooks = sorted(folder.glob("*.ipynb"))
    if not notebooks:
        return [f"no executed notebooks in {folder}: run nbval first (make nbval)"]
    return [
        f"{path.name}: {problem}"
        for path in notebooks
        for problem in student_failures(nbformat.read(path, as_version=4))
    ]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) == 2 and args[0] == "--check":
        problems = check(Path(args[1]))
        for problem in problems:
            print(f"STUDENT EDITION: {problem}")
        if not problems:
            print("The student edition ran: only its test cells failed, each on a blank answer.")
        return 1 if problems else 0
    if len(args) < 2 or args[0].startswith("-"):
        print(USAGE, file=sys.stderr)
        return 2
    write(Path(args[0]), [Path(a) for a in args[1:]])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
