"""The student edition (``make student``): made by nbgrader 0.9.6's own generate_assignment from
fixture notebooks written here in the course's exercise format, then checked the way a student
would meet it: solutions and hidden tests gone, nbgrader's stubs in their place, statements,
hints, visible tests and the set-up cell as the instructor wrote them, no outputs, the zip
holding the same files; and the autograded test passing on the instructor's notebook and
failing on the student's. Bad input stops it with a message that says what to fix, and leaves
nothing (and any earlier edition) as it was.

nbgrader lives in a venv of its own, build/nbgrader-venv: ``make unit`` makes it and names it in
``COURSE_NBGRADER`` (then a missing one fails these tests); a bare pytest run without it skips
the tests that need it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import stat
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course_utils import exercises, student
from course_utils.student_checks import edition_problems

ROOT = Path(__file__).resolve().parents[1]

SOLUTION = '''def double(x):
    """Twice x."""
    ### BEGIN SOLUTION
    twice = x + x  # secret-solution-line
    return twice
    ### END SOLUTION'''
ANSWER = "Doubling is linear: double(a + b) == double(a) + double(b). (secret-model-answer)"
TESTS = """assert double(2) == 4
### BEGIN HIDDEN TESTS
assert double(-3) == -6  # secret-hidden-test
### END HIDDEN TESTS"""
SECRETS = ("secret-solution-line", "secret-model-answer", "secret-hidden-test")


def instructor_notebook(solution: str = SOLUTION) -> nbformat.NotebookNode:
    """A small notebook in the course's exercise format: set-up, statement, hint, code solution,
    written answer, autograded tests; the set-up cell has an output, as a run leaves it."""
    setup = new_code_cell("import math\nSETUP = 'course set-up'\nprint(SETUP)", execution_count=1)
    setup.outputs = [new_output("stream", name="stdout", text="course set-up\n")]
    cells = [
        setup,
        new_markdown_cell(
            "### Exercise 1\n\nWrite `double`, which returns twice its argument.",
            metadata={
                "tags": [exercises.EXERCISE_TAG],
                "nbgrader": exercises.nbgrader_metadata("read-only", "ex1-statement"),
            },
        ),
        new_markdown_cell(
            "<details><summary>Hint</summary>Adding a number to itself doubles it.</details>",
            metadata={
                "tags": [exercises.HINT_TAG],
                "nbgrader": exercises.nbgrader_metadata("read-only", "ex1-hint"),
            },
        ),
        new_code_cell(
            solution, metadata={"nbgrader": exercises.nbgrader_metadata("solution", "ex1-code")}
        ),
        new_markdown_cell(
            ANSWER, metadata={"nbgrader": exercises.nbgrader_metadata("answer", "ex1-why", 1)}
        ),
        new_code_cell(
            TESTS, metadata={"nbgrader": exercises.nbgrader_metadata("tests", "ex1-tests", 2)}
        ),
    ]
    kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return new_notebook(cells=cells, metadata={"kernelspec": kernelspec})


SETUP, STATEMENT, HINT, CODE, ANSWER_CELL, TEST_CELL = range(6)


def write_notebooks(folder: Path, **notebooks: nbformat.NotebookNode) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, notebook in notebooks.items():
        paths.append(folder / f"{name}.ipynb")
        nbformat.write(notebook, paths[-1])
    return paths


def nbgrader_program() -> Path:
    """The nbgrader that ``make unit`` installs; skip when a bare pytest run has none."""
    named = os.environ.get(student.NBGRADER_ENV_VAR)
    path = Path(named) if named else ROOT / "build" / "nbgrader-venv" / "bin" / "nbgrader"
    if not path.is_file():
        if named:
            pytest.fail(f"{student.NBGRADER_ENV_VAR} names {path}, which is missing")
        pytest.skip("nbgrader is not installed: `make unit` or `make student` installs it")
    return path


@contextlib.contextmanager
def built_once(folder: Path):
    """Yields True to the first process (of pytest-xdist's workers) to get here, which builds
    into ``folder``; the others wait for it and reuse what it built (False): one nbgrader run."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / f"{folder.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield not folder.exists()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def edition(tmp_path_factory):
    """The student edition of two fixture notebooks made by the real nbgrader, once per session
    (the workers of one xdist session share their parent temporary folder)."""
    nbgrader = nbgrader_program()
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = shared / "student-edition"
    with built_once(folder) as first:
        if first:
            staging = shared / "student-edition-staging"
            paths = write_notebooks(
                staging / "notebooks", **{"01_first": instructor_notebook(),
                                          "02_second": instructor_notebook()}
            )  # fmt: skip
            student.build_student_edition(paths, staging / "build", nbgrader)
            staging.rename(folder)
    return folder


def student_notebook(edition: Path, name: str = "01_first") -> nbformat.NotebookNode:
    return nbformat.read(edition / "build" / "student" / name / f"{name}.ipynb", as_version=4)


# ---- the student edition nbgrader makes ----------------------------------------------------


def test_one_assignment_per_notebook_in_nbgraders_release_layout(edition):
    files = sorted(p.relative_to(edition / "build") for p in (edition / "build").rglob("*"))
    assert sorted(str(p) for p in files if p.suffix) == [
        "student.zip",
        "student/01_first/01_first.ipynb",
        "student/02_second/02_second.ipynb",
    ]


def test_solution_region_replaced_by_nbgraders_code_stub(edition):
    cell = student_notebook(edition).cells[CODE]
    assert cell.source == (
        'def double(x):\n    """Twice x."""\n    # YOUR CODE HERE\n    raise NotImplementedError()'
    )
    assert exercises.CODE_STUB == "# YOUR CODE HERE\nraise NotImplementedError()"


def test_written_answer_replaced_by_nbgraders_text_stub(edition):
    assert student_notebook(edition).cells[ANSWER_CELL].source == "YOUR ANSWER HERE"


def test_no_solution_text_anywhere_in_the_student_files(edition):
    for path in (edition / "build" / "student").rglob("*.ipynb"):
        text = path.read_text()
        assert not [secret for secret in SECRETS if secret in text], path.name
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text


def test_visible_tests_kept_hidden_tests_left_out(edition):
    cell = student_notebook(edition).cells[TEST_CELL]
    assert cell.source == "assert double(2) == 4"
    assert cell.metadata.nbgrader["grade"] and cell.metadata.nbgrader["points"] == 2


def test_statement_and_hint_kept_and_read_only(edition):
    theirs, ours = instructor_notebook(), student_notebook(edition)
    for index in (STATEMENT, HINT):
        assert ours.cells[index].source == theirs.cells[index].source
        assert ours.cells[index].metadata.tags == theirs.cells[index].metadata.tags
        assert ours.cells[index].metadata.editable is False  # nbgrader locks read-only cells
    found = exercises.exercise_cells(ours)
    assert (found.exercises, found.hints, found.tests) == ([STATEMENT], [HINT], [TEST_CELL])


def test_setup_cell_identical_to_the_instructors(edition):
    assert student_notebook(edition).cells[SETUP].source == instructor_notebook().cells[0].source


def test_outputs_stripped(edition):
    for cell in student_notebook(edition).cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_zip_holds_the_same_files(edition):
    folder = edition / "build" / "student"
    on_disk = {
        f"student/{p.relative_to(folder).as_posix()}": p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file()
    }
    with zipfile.ZipFile(edition / "build" / "student.zip") as archive:
        zipped = {name: archive.read(name) for name in archive.namelist()}
    assert zipped == on_disk


def test_nothing_left_of_the_build_folder_it_made_the_edition_in(edition):
    assert not list((edition / "build").glob(".student-*"))


def execute(notebook: nbformat.NotebookNode, folder: Path) -> dict[int, str]:
    """Run every cell in a fresh kernel, going on past errors; the error name of each cell that
    raised, by cell index."""
    NotebookClient(
        notebook, timeout=60, kernel_name="python3", allow_errors=True,
        resources={"metadata": {"path": str(folder)}},
    ).execute()  # fmt: skip
    return {
        index: output.ename
        for index, cell in enumerate(notebook.cells)
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    }


def test_autograded_test_passes_with_the_solution_and_fails_for_the_student(edition, tmp_path):
    assert execute(instructor_notebook(), tmp_path) == {}
    assert execute(student_notebook(edition), tmp_path) == {TEST_CELL: "NotImplementedError"}


# ---- bad input: a clear message, nothing written ----------------------------------------------


def test_begin_without_end_refused_before_nbgrader_runs(tmp_path):
    unbalanced = SOLUTION.replace("    ### END SOLUTION", "")
    paths = write_notebooks(tmp_path / "nb", **{"03_broken": instructor_notebook(unbalanced)})
    with pytest.raises(student.StudentEditionError) as raised:
        student.build_student_edition(paths, tmp_path / "build", tmp_path / "no-nbgrader")
    assert raised.value.status == 2
    assert "03_broken.ipynb, cell 3 (ex1-code): line 3 has BEGIN SOLUTION with no END SOLUTION" in (
        str(raised.value)
    )
    assert not (tmp_path / "build").exists()


def test_missing_nbgrader_says_how_to_get_it(tmp_path):
    paths = write_notebooks(tmp_path / "nb", **{"01_first": instructor_notebook()})
    with pytest.raises(student.StudentEditionError, match="`make student` installs it") as raised:
        student.build_student_edition(paths, tmp_path / "build", tmp_path / "no-nbgrader")
    assert raised.value.status == 2


def test_no_notebooks_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # no notebooks/NN_*.ipynb here
    assert student.main(["--nbgrader", str(tmp_path / "nbgrader")]) == 2
    assert "No notebooks" in capsys.readouterr().err
    assert student.main([str(tmp_path / "01_gone.ipynb")]) == 2
    assert "01_gone.ipynb does not exist" in capsys.readouterr().err
    assert not (tmp_path / "build").exists()


def fake_nbgrader(folder: Path, script: str) -> Path:
    """A stand-in for nbgrader (a shell script run in the course folder) to fail on purpose."""
    path = folder / "nbgrader"
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def previous_edition(build: Path) -> Path:
    marker = build / "student" / "00_old" / "00_old.ipynb"
    marker.parent.mkdir(parents=True)
    marker.write_text("{}")
    return marker


def test_failing_nbgrader_shows_its_log_and_keeps_the_previous_edition(tmp_path):
    build = tmp_path / "build"
    marker = previous_edition(build)
    nbgrader = fake_nbgrader(tmp_path, 'echo "[GenerateAssignmentApp | ERROR] boom" >&2; exit 1')
    paths = write_notebooks(tmp_path / "nb", **{"01_first": instructor_notebook()})
    with pytest.raises(student.StudentEditionError, match=r"(?s)exit status 1.*boom") as raised:
        student.build_student_edition(paths, build, nbgrader)
    assert raised.value.status == 1
    assert marker.exists() and not (build / "student.zip").exists()
    assert sorted(p.name for p in build.iterdir()) == ["student"]


def test_checks_catch_an_edition_that_shows_the_solution(tmp_path):
    """A 'release' that is the source as it is (what a misconfigured nbgrader could give)."""
    build = tmp_path / "build"
    marker = previous_edition(build)
    nbgrader = fake_nbgrader(tmp_path, "cp -r source release")
    paths = write_notebooks(tmp_path / "nb", **{"01_first": instructor_notebook()})
    with pytest.raises(student.StudentEditionError) as raised:
        student.build_student_edition(paths, build, nbgrader)
    message = str(raised.value)
    assert "01_first.ipynb, cell 3: shows the instructor's line 'return twice'" in message
    assert "01_first.ipynb, cell 0: still has 1 output(s)" in message
    assert marker.exists() and sorted(p.name for p in build.iterdir()) == ["student"]


# ---- the course's exercise format ---------------------------------------------------------------


def test_nbgrader_metadata_of_each_kind_is_what_nbgraders_toolbar_writes():
    assert exercises.nbgrader_metadata("tests", "ex1-tests", 2) == {
        "grade": True, "grade_id": "ex1-tests", "locked": True, "points": 2,
        "schema_version": 3, "solution": False, "task": False,
    }  # fmt: skip
    assert exercises.nbgrader_metadata("solution", "ex1-code") == {
        "grade": False, "grade_id": "ex1-code", "locked": False,
        "schema_version": 3, "solution": True, "task": False,
    }  # fmt: skip
    with pytest.raises(ValueError, match="letters, digits"):
        exercises.nbgrader_metadata("solution", "exercise 1")
    with pytest.raises(ValueError, match="points"):
        exercises.nbgrader_metadata("answer", "ex1-why")


def test_exercise_cells_by_tags_and_nbgrader_metadata():
    found = exercises.exercise_cells(instructor_notebook())
    assert found.exercises == [STATEMENT] and found.hints == [HINT]
    assert (found.solutions, found.answers, found.tests) == ([CODE], [ANSWER_CELL], [TEST_CELL])
    assert found.read_only == [STATEMENT, HINT] and found.secret == [CODE, ANSWER_CELL]


def test_well_marked_fixture_has_no_marking_problems():
    assert exercises.marking_problems(instructor_notebook(), "nb.ipynb") == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda nb: nb.cells[HINT].metadata.nbgrader.update(grade_id="ex1-statement"),
         "grade_id 'ex1-statement' is also cell 1's"),
        (lambda nb: nb.cells[CODE].metadata.nbgrader.pop("schema_version"),
         "schema_version is None, nbgrader 0.9 needs 3"),
        (lambda nb: nb.cells[CODE].metadata.nbgrader.update(exercise=1),
         "keys its schema forbids (exercise)"),
        (lambda nb: nb.cells[CODE].metadata.pop("nbgrader"),
         "has a BEGIN SOLUTION region but is not a solution"),
        (lambda nb: nb.cells[TEST_CELL].metadata.nbgrader.pop("points"),
         "a graded cell needs points"),
        (lambda nb: nb.cells[ANSWER_CELL].metadata.nbgrader.update(grade=False),
         "a written answer is both grade and solution"),
        (lambda nb: nb.cells[SETUP].metadata.update(
            nbgrader=exercises.nbgrader_metadata("solution", "setup")),
         "the set-up cell must reach students as it is"),
        (lambda nb: setattr(nb.cells[CODE], "source", SOLUTION + "\n### END SOLUTION"),
         "line 7 has END SOLUTION with no BEGIN SOLUTION before it"),
        (lambda nb: setattr(nb.cells[TEST_CELL], "source", "### BEGIN HIDDEN TESTS\nassert 1"),
         "line 1 has BEGIN HIDDEN TESTS with no END HIDDEN TESTS after it"),
    ],
)  # fmt: skip
def test_marking_mistakes_are_named(change, expected):
    notebook = instructor_notebook()
    change(notebook)
    problems = exercises.marking_problems(notebook, "nb.ipynb")
    assert any(expected in problem for problem in problems), problems


def test_edition_check_accepts_the_expected_edition_and_rejects_the_instructors():
    theirs = instructor_notebook()
    expected = json.loads(json.dumps(theirs))  # a deep copy
    expected = nbformat.from_dict(expected)
    for index in (CODE, ANSWER_CELL, TEST_CELL):
        expected.cells[index].source = {
            CODE: 'def double(x):\n    """Twice x."""\n    '
            "# YOUR CODE HERE\n    raise NotImplementedError()",
            ANSWER_CELL: "YOUR ANSWER HERE",
            TEST_CELL: "assert double(2) == 4",
        }[index]
    expected.cells[SETUP].outputs, expected.cells[SETUP].execution_count = [], None
    assert edition_problems(theirs, expected, "nb.ipynb") == []
    problems = edition_problems(theirs, theirs, "nb.ipynb")
    assert "nb.ipynb, cell 4: shows the instructor's line" in "\n".join(problems)


def test_nbgrader_config_pins_what_the_checks_expect():
    config = student.nbgrader_config()
    assert "c.ClearSolutions.code_stub = {'python': '# YOUR CODE HERE\\nraise " in config
    assert "c.ClearSolutions.text_stub = 'YOUR ANSWER HERE'" in config
    assert "c.IncludeHeaderFooter.header = ''" in config
