"""``make student``: the student edition of the course's notebooks, made by nbgrader's own
``generate_assignment`` (so that it is exactly what nbgrader would release on a JupyterHub),
checked, and written to ``build/student/`` and ``build/student.zip``.

``python -m course_utils.student [--build DIR] [--nbgrader PATH] [notebooks ...]``

Each notebook is an nbgrader assignment of its own, named for the notebook
(``source/04_lstm/04_lstm.ipynb``): a notebook is one lesson, released, due and graded on its
own, and nbgrader's exchange lists, fetches and collects assignments as wholes. The student
edition therefore has nbgrader's release layout, ``student/<assignment>/<assignment>.ipynb``.

This module runs in the course's venv and starts nbgrader as a program from a venv of its own
(``build/nbgrader-venv``, which ``make student`` makes): nbgrader brings a Jupyter server
extension, a notebook server and a database layer that the course's JupyterLab must not load,
and ``course_utils`` (with TensorFlow behind it) has no place in nbgrader's venv. All the course
needs from nbgrader is its command line.

Nothing is half-written: the edition is made in a folder of its own under the build folder and
renamed into place only when nbgrader succeeded and every check passed. Exit statuses: 0 the
edition is in place; 1 nbgrader failed or the edition failed a check (nothing written); 2 bad
input: no notebooks, nbgrader missing, or a notebook unreadable or badly marked (nothing ran).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import nbformat

from . import exercises
from .notebooks import NotebookUnreadable, read_notebook
from .student_checks import edition_problems

STUDENT_FOLDER, STUDENT_ZIP = "student", "student.zip"
NBGRADER_ENV_VAR = "COURSE_NBGRADER"
NBGRADER_TIMEOUT_S = 600  # generate_assignment runs no notebook: minutes mean it hangs
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the same notebooks give the same zip, byte for byte


class StudentEditionError(Exception):
    """Why no student edition was written; ``status`` is the exit status (1 or 2)."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


def assignment_name(path: Path) -> str:
    """The nbgrader assignment a notebook becomes: its file name without ``.ipynb``."""
    return path.stem


def nbgrader_config() -> str:
    """An ``nbgrader_config.py`` for the course folder that pins every setting the checks rely
    on (stubs, delimiters, no header or footer), so that a site-wide or personal nbgrader
    configuration cannot change the edition behind the checks' back."""
    settings = {
        "ClearSolutions.code_stub": {"python": exercises.CODE_STUB},
        "ClearSolutions.text_stub": exercises.TEXT_STUB,
        "ClearSolutions.begin_solution_delimeter": exercises.BEGIN_SOLUTION,
        "ClearSolutions.end_solution_delimeter": exercises.END_SOLUTION,
        "ClearSolutions.enforce_metadata": True,
        "ClearHiddenTests.begin_test_delimeter": exercises.BEGIN_HIDDEN_TESTS,
        "ClearHiddenTests.end_test_delimeter": exercises.END_HIDDEN_TESTS,
        "IncludeHeaderFooter.header": "",
        "IncludeHeaderFooter.footer": "",
    }
    lines = ["# Written by course_utils.student for one run of generate_assignment.", ""]
    lines += ["c = get_config()  # noqa: F821"]
    lines += [f"c.{name} = {value!r}" for name, value in settings.items()]
    return "\n".join(lines) + "\n"


def read_instructor_notebooks(paths: list[Path]) -> dict[str, nbformat.NotebookNode]:
    """Each instructor notebook by assignment name, read and checked for marking mistakes.
    Raises :class:`StudentEditionError` (status 2) listing every problem in every notebook."""
    if not paths:
        raise StudentEditionError(
            "No notebooks: name them, or run from the checkout's top folder "
            "(it looks for notebooks/NN_*.ipynb).",
            status=2,
        )
    notebooks, problems = {}, []
    for path in paths:
        name = assignment_name(path)
        if name in notebooks:
            problems.append(f"{path}: a second notebook named {name} (assignments need one each)")
            continue
        try:
            notebooks[name], _ = read_notebook(path)
        except NotebookUnreadable as error:
            problems.append(str(error))
            continue
        problems.extend(exercises.marking_problems(notebooks[name], path.name))
    if problems:
        raise StudentEditionError(
            "Cannot make the student edition; fix these in the instructor notebooks first:\n  "
            + "\n  ".join(problems),
            status=2,
        )
    return notebooks


def find_nbgrader(path: Path) -> Path:
    """``path`` if it is an nbgrader program that can be run; otherwise say how to get one."""
    if path.is_file() and os.access(path, os.X_OK):
        return path.absolute()  # nbgrader runs in the course folder, not here
    raise StudentEditionError(
        f"nbgrader not found at {path}: `make student` installs it there (a venv of its own), "
        f"or name another with --nbgrader PATH (or {NBGRADER_ENV_VAR}).",
        status=2,
    )


def lay_out_course(notebooks: dict[str, nbformat.NotebookNode], root: Path) -> None:
    """An nbgrader course folder in ``root``: ``source/<name>/<name>.ipynb`` for each notebook,
    and the pinned ``nbgrader_config.py``."""
    for name, notebook in notebooks.items():
        folder = root / "source" / name
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / f"{name}.ipynb")
    (root / "nbgrader_config.py").write_text(nbgrader_config())


def run_generate_assignment(nbgrader: Path, root: Path) -> str:
    """Run ``nbgrader generate_assignment`` on every assignment of the course folder ``root``
    (into ``root/release``), without a gradebook (``--no-db``: the hand-out needs none, and an
    instructor's own run records the assignment in theirs). Personal Jupyter configuration is
    kept out. Returns nbgrader's warnings; raises :class:`StudentEditionError` with its log."""
    command = [
        str(nbgrader), "generate_assignment", "*", "--no-db", "--force",
        f"--CourseDirectory.root={root}",
    ]  # fmt: skip
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(root / "jupyter-config")}
    try:
        done = subprocess.run(
            command, cwd=root, env=env, capture_output=True, text=True, timeout=NBGRADER_TIMEOUT_S
        )
    except subprocess.TimeoutExpired:
        raise StudentEditionError(
            f"nbgrader generate_assignment ran past {NBGRADER_TIMEOUT_S} s and was stopped"
        ) from None
    except OSError as error:  # not a program this system can start (a broken venv, say)
        raise StudentEditionError(f"cannot start {nbgrader}: {error.strerror}", status=2) from None
    log = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        raise StudentEditionError(
            f"nbgrader generate_assignment failed (exit status {done.returncode}); its log:\n{log}"
        )
    return "\n".join(line for line in log.splitlines() if "| WARNING]" in line)


def check_edition(notebooks: dict[str, nbformat.NotebookNode], release: Path) -> None:
    """Raise :class:`StudentEditionError` unless ``release`` holds exactly one student notebook
    per instructor notebook, each passing :func:`student_checks.edition_problems`."""
    expected = {Path(name, f"{name}.ipynb") for name in notebooks}
    found = {path.relative_to(release) for path in release.rglob("*") if path.is_file()}
    problems = [f"nbgrader wrote no {path}" for path in sorted(expected - found)]
    problems += [f"nbgrader wrote an unexpected {path}" for path in sorted(found - expected)]
    for name, instructor in notebooks.items():
        path = release / name / f"{name}.ipynb"
        if path.is_file():
            student = nbformat.read(path, as_version=4)
            problems += edition_problems(instructor, student, f"{name}.ipynb")
    if problems:
        raise StudentEditionError(
            "The student edition failed its checks (nothing was written):\n  "
            + "\n  ".join(problems)
        )


def write_zip(folder: Path, zip_path: Path) -> None:
    """Zip ``folder`` as ``student/...``, files in name order with a fixed time, so that the
    same notebooks give the same zip."""
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{STUDENT_FOLDER}/{path.relative_to(folder).as_posix()}")
            info.date_time, info.compress_type = _ZIP_TIME, zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())


def publish(release: Path, zip_path: Path, build: Path) -> None:
    """Put the checked edition in place: the old ``build/student`` moves aside and the new one
    is renamed in, then the zip replaces the old in one rename. Both are on the build folder's
    file system, so each step is a rename, never a copy half-done."""
    target = build / STUDENT_FOLDER
    if target.exists() or target.is_symlink():
        target.rename(release.parent / "previous-student")
    release.rename(target)
    os.replace(zip_path, build / STUDENT_ZIP)


def build_student_edition(paths: list[Path], build: Path, nbgrader: Path) -> dict[str, str]:
    """Make, check and publish the student edition of ``paths`` into ``build``. Returns the
    assignments and nbgrader's warnings (``{"assignments": ..., "warnings": ...}``)."""
    notebooks = read_instructor_notebooks(paths)
    nbgrader = find_nbgrader(nbgrader)
    build.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".student-", dir=build)).absolute()
    try:
        root = staging / "course"
        lay_out_course(notebooks, root)
        warnings = run_generate_assignment(nbgrader, root)
        check_edition(notebooks, root / "release")
        write_zip(root / "release", staging / STUDENT_ZIP)
        publish(root / "release", staging / STUDENT_ZIP, build)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {"assignments": ", ".join(notebooks), "warnings": warnings}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.student",
        description="Make the student edition of the notebooks with nbgrader generate_assignment.",
    )
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--build", type=Path, default=Path("build"))
    parser.add_argument(
        "--nbgrader",
        type=Path,
        help=f"the nbgrader program (default: ${NBGRADER_ENV_VAR}, else "
        f"BUILD/nbgrader-venv/bin/nbgrader)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Make the student edition; the exit status says how it went (module docstring)."""
    args = _parser().parse_args(argv)
    paths = args.notebooks or sorted(Path("notebooks").glob("[0-9][0-9]_*.ipynb"))
    default = os.environ.get(NBGRADER_ENV_VAR) or args.build / "nbgrader-venv/bin/nbgrader"
    nbgrader = args.nbgrader or Path(default)
    try:
        made = build_student_edition(paths, args.build, nbgrader)
    except StudentEditionError as error:
        print(f"make student: {error}", file=sys.stderr)
        return error.status
    if made["warnings"]:
        print(made["warnings"], file=sys.stderr)
    print(
        f"Student edition of {len(paths)} notebook(s) ({made['assignments']}) in "
        f"{args.build / STUDENT_FOLDER}/ and {args.build / STUDENT_ZIP}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
