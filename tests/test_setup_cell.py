"""The set-up cell that opens every notebook: the same in all ten, and it never fetches code
from a repository the user did not name.

The cell is run for real, as a script in a fresh interpreter without site-packages (so the
course's own ``course_utils`` is not importable), against a local git repository standing in for
the course's, with ``git`` on ``PATH`` wrapped to log every call.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def setup_cell(path: Path) -> str:
    notebook = nbformat.read(path, as_version=4)
    return next(cell.source for cell in notebook.cells if cell.cell_type == "code")


def test_every_notebook_opens_with_the_same_setup_cell():
    first = setup_cell(NOTEBOOKS[0]).replace(f'"{NOTEBOOKS[0].name[:2]}"', '"NN"')
    for path in NOTEBOOKS[1:]:
        assert setup_cell(path).replace(f'"{path.name[:2]}"', '"NN"') == first, path.name


def test_setup_cell_names_no_repository_and_installs_nothing():
    source = setup_cell(NOTEBOOKS[0])
    assert not re.search(r"https?://", source), "a default address to clone from"
    assert "pip" not in source, "the cell must not install anything"


def _git(*args: str, cwd: Path) -> str:
    command = ["git", "-c", "user.name=course", "-c", "user.email=course@example.invalid", *args]
    return subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def course_repository(tmp_path):
    """A git repository whose ``course_utils`` says which version it is: tag v1, then v2."""
    repository = tmp_path / "course"
    package = repository / "src" / "course_utils"
    package.mkdir(parents=True)
    _git("init", "-q", cwd=repository)
    commits = {}
    for version in ("v1", "v2"):
        (package / "__init__.py").write_text(
            f"def setup(number):\n    print('course_utils {version} for', number)\n"
            f"    return 'profile'\n"
        )
        _git("add", "-A", cwd=repository)
        _git("commit", "-q", "-m", version, cwd=repository)
        _git("tag", version, cwd=repository)
        commits[version] = _git("rev-parse", "HEAD", cwd=repository).strip()
    return repository, commits


@pytest.fixture
def logged_git(tmp_path):
    """A ``PATH`` whose ``git`` logs its arguments to a file, then runs the real git."""
    real_git = subprocess.run(["which", "git"], capture_output=True, text=True).stdout.strip()
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "git.log"
    wrapper = folder / "git"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexec "{real_git}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    return f"{folder}{os.pathsep}{os.environ['PATH']}", log


def run_cell(cwd: Path, path_variable: str, **environment: str) -> subprocess.CompletedProcess:
    """The first notebook's set-up cell as a script, in ``cwd``, with no site-packages (-S) and
    no bytecode cache (-B: two versions checked out within a second look alike to it)."""
    cwd.mkdir(parents=True, exist_ok=True)
    variables = {
        key: value for key, value in os.environ.items() if not key.startswith(("COURSE_", "PYTHON"))
    }
    variables.update(PATH=path_variable, **environment)
    return subprocess.run(
        [sys.executable, "-S", "-B", "-c", setup_cell(NOTEBOOKS[0])],
        cwd=cwd,
        env=variables,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_outside_a_checkout_without_a_named_repository_it_stops_and_fetches_nothing(
    tmp_path, logged_git
):
    path_variable, log = logged_git
    outside = tmp_path / "downloads"
    result = run_cell(outside, path_variable)
    assert result.returncode != 0
    assert "course_utils is not installed" in result.stderr
    assert "make lab" in result.stderr and "COURSE_REPO" in result.stderr
    assert "COURSE_REF" in result.stderr
    assert not log.exists(), "git ran although no repository was named"
    assert list(outside.iterdir()) == []


def test_inside_a_checkout_it_uses_the_checkout(tmp_path, course_repository, logged_git):
    repository, _ = course_repository
    path_variable, log = logged_git
    result = run_cell(repository / "notebooks", path_variable)
    assert result.returncode == 0, result.stderr
    assert "course_utils v2 for 01" in result.stdout
    assert not log.exists()


def test_a_named_repository_is_cloned_at_the_named_ref(tmp_path, course_repository, logged_git):
    repository, commits = course_repository
    path_variable, log = logged_git
    colab = tmp_path / "content"
    result = run_cell(colab, path_variable, COURSE_REPO=str(repository), COURSE_REF="v1")
    assert result.returncode == 0, result.stderr
    assert f"commit {commits['v1']} (COURSE_REF=v1)" in result.stdout
    assert "nothing installed" in result.stdout
    assert "course_utils v1 for 01" in result.stdout
    clone = colab / "course-checkout"
    assert _git("rev-parse", "HEAD", cwd=clone).strip() == commits["v1"]
    assert "clone" in log.read_text()

    # Run again with another ref: the same clone moves to it.
    result = run_cell(colab, path_variable, COURSE_REPO=str(repository), COURSE_REF=commits["v2"])
    assert result.returncode == 0, result.stderr
    assert "course_utils v2 for 01" in result.stdout


def test_an_unpinned_clone_says_so(tmp_path, course_repository, logged_git):
    repository, commits = course_repository
    path_variable, _ = logged_git
    result = run_cell(tmp_path / "content", path_variable, COURSE_REPO=str(repository))
    assert result.returncode == 0, result.stderr
    assert f"commit {commits['v2']} (not pinned: set COURSE_REF" in result.stdout


def test_a_clone_of_another_repository_is_not_used(tmp_path, course_repository, logged_git):
    repository, _ = course_repository
    path_variable, _ = logged_git
    colab = tmp_path / "content"
    assert run_cell(colab, path_variable, COURSE_REPO=str(repository)).returncode == 0
    result = run_cell(colab, path_variable, COURSE_REPO=str(tmp_path / "someone-else"))
    assert result.returncode != 0
    assert "is a clone of" in result.stderr and "delete that folder" in result.stderr
    assert "course_utils v" not in result.stdout
