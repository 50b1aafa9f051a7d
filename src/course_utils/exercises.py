"""The exercise cells of the course's notebooks: the nbgrader metadata each kind of cell carries,
which kind a cell is, where its solution regions are, and the checks that find a badly marked
notebook before nbgrader does, with a message that names the notebook, the cell and the fix.

The course marks its exercises in nbgrader's own format (nbgrader 0.9.6, cell metadata schema 3),
so that ``nbgrader generate_assignment`` makes the student edition and an instructor can grade
with nbgrader on a JupyterHub. Each kind below is one of the cell types of nbgrader's "Create
Assignment" toolbar, with the metadata that toolbar writes:

=================  ==========================  =====  ========  ======  ======
kind               nbgrader's toolbar name     grade  solution  locked  points
=================  ==========================  =====  ========  ======  ======
``"solution"``     Autograded answer (code)    false  true      false   -
``"answer"``       Manually graded answer      true   true      false   yes
``"tests"``        Autograder tests (code)     true   false     true    yes
``"read-only"``    Read-only                   false  false     true    -
``"task"``         Manually graded task        false  false     true    yes
=================  ==========================  =====  ========  ======  ======

nbgrader has no kind for an exercise's statement or its hints, so the course tags them (cell
tags ``exercise`` and ``hint``, seen in JupyterLab's property inspector); they are also
read-only, so that a student cannot edit them and autograding restores them. A code solution
keeps the code the student starts from, and ``### BEGIN SOLUTION`` / ``### END SOLUTION`` lines
around what they must write; a written answer holds the model answer whole (the student sees
only :data:`TEXT_STUB`). A test cell may hide some asserts between ``### BEGIN HIDDEN TESTS`` and
``### END HIDDEN TESTS``: the student edition leaves them out, autograding puts them back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import nbformat

SCHEMA_VERSION = 3
"""The cell metadata schema nbgrader 0.9 reads; a notebook with another is refused by it."""

BEGIN_SOLUTION, END_SOLUTION = "BEGIN SOLUTION", "END SOLUTION"
BEGIN_HIDDEN_TESTS, END_HIDDEN_TESTS = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
# nbgrader finds a delimiter anywhere in a line (not only after ###), so the checks here do too.

CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
"""What nbgrader 0.9.6 puts in place of each solution region of a Python code cell (indented
as the ``BEGIN SOLUTION`` line was), or of a whole solution cell without regions."""

TEXT_STUB = "YOUR ANSWER HERE"
"""What nbgrader 0.9.6 puts in place of a written answer (a markdown solution cell)."""

EXERCISE_TAG, HINT_TAG = "exercise", "hint"

GRADE_ID_PATTERN = re.compile(r"^[a-zA-Z0-9_\-]+$")
"""nbgrader's schema allows only these characters in a grade_id (and it must not be empty)."""

# The keys nbgrader's schema 3 allows; any other key makes generate_assignment refuse the notebook.
ALLOWED_KEYS = {
    "schema_version", "grade", "locked", "solution", "task", "grade_id", "points", "checksum",
    "cell_type",
}  # fmt: skip

_FLAGS = {  # kind: (grade, solution, locked, task, has points)
    "solution": (False, True, False, False, False),
    "answer": (True, True, False, False, True),
    "tests": (True, False, True, False, True),
    "read-only": (False, False, True, False, False),
    "task": (False, False, True, True, True),
}
KINDS = tuple(_FLAGS)


class MarkingError(ValueError):
    """A notebook whose exercise cells nbgrader would refuse or mishandle; the message lists
    every problem found, each with its notebook, cell and what to change."""


def nbgrader_metadata(kind: str, grade_id: str, points: float | None = None) -> dict:
    """The ``nbgrader`` cell metadata of one kind of cell, exactly as nbgrader's toolbar writes
    it, to paste into a notebook (``cell.metadata["nbgrader"] = nbgrader_metadata(...)``)."""
    if kind not in _FLAGS:
        raise ValueError(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
    if not GRADE_ID_PATTERN.match(grade_id):
        raise ValueError(f"grade_id {grade_id!r}: letters, digits, '_' and '-' only")
    grade, solution, locked, task, has_points = _FLAGS[kind]
    if has_points and points is None:
        raise ValueError(f"a {kind!r} cell is worth points: give points=")
    if not has_points and points is not None:
        raise ValueError(f"a {kind!r} cell is worth no points (its tests are)")
    metadata = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": SCHEMA_VERSION,
        "solution": solution,
        "task": task,
    }
    if has_points:
        metadata["points"] = points
    return metadata


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def cell_kind(cell) -> str:
    """The kind of exercise cell ``cell`` is by its nbgrader metadata (one of :data:`KINDS`), as
    nbgrader's toolbar names it; ``""`` for a cell nbgrader leaves alone."""
    meta = _nbgrader(cell)
    if meta.get("task"):
        return "task"
    if meta.get("solution"):
        return "answer" if meta.get("grade") else "solution"
    if meta.get("grade"):
        return "tests"
    return "read-only" if meta.get("locked") else ""


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


@dataclass
class ExerciseCells:
    """The indices of a notebook's exercise cells, by kind: statements and hints by the course's
    tags, the rest by nbgrader metadata."""

    exercises: list[int] = field(default_factory=list)
    hints: list[int] = field(default_factory=list)
    solutions: list[int] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    tests: list[int] = field(default_factory=list)
    read_only: list[int] = field(default_factory=list)

    @property
    def secret(self) -> list[int]:
        """The cells whose instructor text (some or all of it) the student edition must not show."""
        return sorted(self.solutions + self.answers)


def exercise_cells(notebook: nbformat.NotebookNode) -> ExerciseCells:
    """Which cells of ``notebook`` are exercise statements, hints, code solutions, written
    answers, autograded tests and read-only cells."""
    found = ExerciseCells()
    by_kind = {"solution": found.solutions, "answer": found.answers, "tests": found.tests}
    for index, cell in enumerate(notebook.cells):
        if EXERCISE_TAG in _tags(cell):
            found.exercises.append(index)
        if HINT_TAG in _tags(cell):
            found.hints.append(index)
        kind = cell_kind(cell)
        if kind in by_kind:
            by_kind[kind].append(index)
        elif kind == "read-only":
            found.read_only.append(index)
    return found


class UnbalancedRegion(ValueError):
    """A ``BEGIN ...`` line with no ``END ...`` after it, a second ``BEGIN`` inside a region, or
    an ``END`` with no ``BEGIN``."""


def regions(source: str, begin: str, end: str) -> list[tuple[int, int]]:
    """The regions of ``source`` between a line holding ``begin`` and the next holding ``end``,
    as (begin line, end line) pairs, 0-based; the rule nbgrader applies. Raises
    :class:`UnbalancedRegion`, which nbgrader would reject (BEGIN without END, nested BEGIN) or
    silently mangle (an END without BEGIN: nbgrader drops that line and keeps the rest)."""
    found, start = [], None
    for number, line in enumerate(source.split("\n")):
        if begin in line:
            if start is not None:
                raise UnbalancedRegion(
                    f"line {number + 1} opens a second {begin} before line {start + 1}'s closes"
                )
            start = number
        elif end in line:
            if start is None:
                raise UnbalancedRegion(f"line {number + 1} has {end} with no {begin} before it")
            found.append((start, number))
            start = None
    if start is not None:
        raise UnbalancedRegion(f"line {start + 1} has {begin} with no {end} after it")
    return found


def replace_regions(source: str, begin: str, end: str, stub: str | None) -> str:
    """``source`` with each region replaced by ``stub`` indented as its ``begin`` line (or
    removed, when ``stub`` is None): what nbgrader's student edition should hold."""
    lines = source.split("\n")
    kept, previous_end = [], -1
    for first, last in regions(source, begin, end):
        kept.extend(lines[previous_end + 1 : first])
        if stub is not None:
            indent = re.match(r"\s*", lines[first]).group(0)
            kept.extend(indent + line for line in stub.split("\n"))
        previous_end = last
    kept.extend(lines[previous_end + 1 :])
    return "\n".join(kept)


def region_lines(source: str, begin: str, end: str) -> list[str]:
    """The lines inside the regions of ``source`` (delimiter lines left out)."""
    lines = source.split("\n")
    return [line for first, last in regions(source, begin, end) for line in lines[first + 1 : last]]


def _metadata_problems(cell, where: str) -> list[str]:
    meta = _nbgrader(cell)
    problems = []
    version = meta.get("schema_version")
    if version != SCHEMA_VERSION:
        problems.append(
            f"{where}: nbgrader schema_version is {version!r}, nbgrader 0.9 needs "
            f"{SCHEMA_VERSION} (write it, or run `nbgrader update` on the notebook)"
        )
    missing = [key for key in ("grade", "locked", "solution") if key not in meta]
    if missing:
        problems.append(f"{where}: nbgrader metadata lacks {', '.join(missing)}")
    extra = sorted(set(meta) - ALLOWED_KEYS)
    if extra:
        problems.append(
            f"{where}: nbgrader metadata has keys its schema forbids ({', '.join(extra)}): "
            f"keep the course's own marks in cell tags"
        )
    if meta.get("grade") or meta.get("solution") or meta.get("locked"):
        grade_id = meta.get("grade_id", "")
        if not isinstance(grade_id, str) or not GRADE_ID_PATTERN.match(grade_id):
            problems.append(
                f"{where}: grade_id {grade_id!r} must be letters, digits, '_' or '-' (not empty)"
            )
    if meta.get("grade") and not isinstance(meta.get("points"), int | float):
        problems.append(f"{where}: a graded cell needs points (a number)")
    if meta.get("task") and cell.cell_type != "markdown":
        problems.append(f"{where}: a task cell must be markdown")
    elif cell.cell_type == "markdown" and bool(meta.get("grade")) != bool(meta.get("solution")):
        problems.append(
            f"{where}: a written answer is both grade and solution (nbgrader refuses a "
            f"markdown cell that is one without the other)"
        )
    return problems


def _region_problems(cell, where: str) -> list[str]:
    problems = []
    kind = cell_kind(cell)
    for begin, end, allowed_kinds, name in (
        (BEGIN_SOLUTION, END_SOLUTION, ("solution", "answer"), "a solution (nbgrader metadata "
         "solution: true)"),
        (BEGIN_HIDDEN_TESTS, END_HIDDEN_TESTS, ("tests",), "an autograder tests cell (grade: "
         "true, solution: false)"),
    ):  # fmt: skip
        try:
            found = regions(cell.source, begin, end)
        except UnbalancedRegion as error:
            problems.append(f"{where}: {error}")
            continue
        if found and kind not in allowed_kinds:
            problems.append(f"{where}: has a {begin} region but is not {name}")
    return problems


def _label(cell, index: int) -> str:
    grade_id = _nbgrader(cell).get("grade_id")
    return f"cell {index}" + (f" ({grade_id})" if grade_id else "")


def marking_problems(notebook: nbformat.NotebookNode, name: str) -> list[str]:
    """Everything about ``notebook``'s exercise cells that would make nbgrader refuse it or give
    a wrong student edition, one line each, naming ``name`` and the cell; [] when it is fine."""
    problems, seen_ids = [], {}
    first_code = next((i for i, c in enumerate(notebook.cells) if c.cell_type == "code"), None)
    for index, cell in enumerate(notebook.cells):
        where = f"{name}, {_label(cell, index)}"
        problems.extend(_region_problems(cell, where))
        if "nbgrader" not in cell.get("metadata", {}):
            continue
        problems.extend(_metadata_problems(cell, where))
        if index == first_code and cell_kind(cell) not in ("", "read-only"):
            problems.append(
                f"{where}: the set-up cell must reach students as it is (read-only at most)"
            )
        grade_id = _nbgrader(cell).get("grade_id")
        if cell_kind(cell) and grade_id:
            if grade_id in seen_ids:
                problems.append(
                    f"{where}: grade_id {grade_id!r} is also cell {seen_ids[grade_id]}'s; "
                    f"nbgrader needs each one once per notebook"
                )
            seen_ids.setdefault(grade_id, index)
    return problems
