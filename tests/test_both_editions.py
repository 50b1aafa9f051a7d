"""The notebook nbval runs (course_utils.both_editions): every exercise answered blank, as the
student edition has it, then as the instructor wrote it; executed here in a real kernel."""

import nbformat

from course_utils import both_editions
from course_utils.exercises import cell_kind
from course_utils.student_checks import expected_student_source
from tests.test_student import ANSWER_CELL, CODE, TEST_CELL, execute, instructor_notebook


def test_each_exercise_comes_blank_then_answered_in_place():
    instructor = instructor_notebook()
    combined = both_editions.both_editions(instructor)
    answers = [instructor.cells[i] for i in (CODE, ANSWER_CELL, TEST_CELL)]
    blanks = [expected_student_source(c) for c in answers]
    assert [c.source for c in combined.cells] == [
        *(c.source for c in instructor.cells[:CODE]), *blanks, *(c.source for c in answers)
    ]
    student_test = combined.cells[CODE + 2]
    assert cell_kind(student_test) == "tests"
    assert student_test.metadata["tags"] == ["raises-exception"]
    assert len({c.id for c in combined.cells}) == len(combined.cells)
    assert "raises-exception" not in instructor.cells[TEST_CELL].metadata.get("tags", [])


def test_the_student_part_fails_only_in_its_test_cell_and_the_instructors_passes(tmp_path):
    combined = both_editions.both_editions(instructor_notebook())
    errors = execute(combined, tmp_path)
    assert errors == {CODE + 2: "NotImplementedError"}  # the student's test, on the blank
    assert both_editions.student_failures(combined) == []


def test_a_test_that_does_not_call_the_students_function_is_reported(tmp_path):
    instructor = instructor_notebook()
    instructor.cells[TEST_CELL].source = "assert 2 + 2 == 4"
    combined = both_editions.both_editions(instructor)
    execute(combined, tmp_path)
    (problem,) = both_editions.student_failures(combined)
    assert "raised nothing with the answer left blank" in problem


def test_a_solution_cell_that_fails_when_blank_is_reported(tmp_path):
    solution = "### BEGIN SOLUTION\ndef double(x):\n    return x + x\n### END SOLUTION"
    combined = both_editions.both_editions(instructor_notebook(solution))
    execute(combined, tmp_path)
    problems = both_editions.student_failures(combined)
    assert any("NotImplementedError in the student edition" in p for p in problems), problems


def test_the_command_writes_the_notebooks_and_checks_them_executed(tmp_path, capsys):
    source = tmp_path / "01_demo.ipynb"
    nbformat.write(instructor_notebook(), source)
    out = tmp_path / "editions"
    assert both_editions.main([str(out), str(source)]) == 0
    written = nbformat.read(out / "01_demo.ipynb", as_version=4)
    execute(written, tmp_path)
    nbformat.write(written, out / "01_demo.ipynb")
    assert both_editions.main(["--check", str(out)]) == 0
    assert both_editions.main(["--check", str(tmp_path / "nothing")]) == 1
    assert "no executed notebooks" in capsys.readouterr().out
