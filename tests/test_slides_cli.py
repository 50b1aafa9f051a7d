"""``python -m course_utils.slides``: the runner runs the notebooks, and the start page shows the
results that run returned (not whatever build/results.json holds by then)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course_utils import runner
from course_utils.slides import main

RESULT = {
    "notebook": "90",
    "name": "val_accuracy",
    "value": 0.8512,
    "unit": "",
    "reference": 0.846,
    "reference_unit": "",
    "reference_source": "the book",
    "profile": "smoke",
    "recorded_at": "2026-01-01T00:00:00+00:00",
}


def _notebook(path: Path, title: str) -> Path:
    cells = [
        new_markdown_cell(f"# {title}", metadata={"slideshow": {"slide_type": "slide"}}),
        new_code_cell("1 + 1", metadata={"slideshow": {"slide_type": "-"}}),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=cells), path)
    return path


@pytest.fixture
def course(tmp_path, monkeypatch):
    """Two notebooks; a build folder holding another run's results; no assets to copy."""
    monkeypatch.chdir(tmp_path)
    _notebook(Path("notebooks/90_demo.ipynb"), "90 · A demo")
    _notebook(Path("notebooks/91_other.ipynb"), "91 · Another")
    Path("build").mkdir()
    Path("build/results.json").write_text(json.dumps({"results": [], "STALE": True}))
    Path("build/results.md").write_text("# Results\n\n| STALE | run |\n| --- | --- |\n")
    monkeypatch.setattr("course_utils.slides.build.copy_assets", lambda *args: None)
    return tmp_path


def _fake_run(calls: list, status: int = runner.FAILED):
    """The runner's contract: (status, summary), having written the executed copies."""

    def run(argv):
        calls.append(list(argv))
        executed = Path("build/notebooks/90_demo.ipynb")
        executed.parent.mkdir(parents=True, exist_ok=True)
        executed.write_text(Path("notebooks/90_demo.ipynb").read_text())
        return status, {
            "profile": "smoke",
            "notebooks": [
                {
                    "notebook": "90_demo",
                    "status": "ok",
                    "seconds": 12.0,
                    "message": "",
                    "executed": str(executed),
                },
                {
                    "notebook": "91_other",
                    "status": "failed",
                    "seconds": 3.0,
                    "message": "cell 1: ValueError: no\nTraceback",
                    "executed": None,
                },
            ],
            "results": [RESULT],
        }

    return run


def test_the_index_shows_the_results_the_run_returned(course, monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(runner, "run", _fake_run(calls))
    argv = ["--profile", "smoke", "notebooks/90_demo.ipynb", "notebooks/91_other.ipynb"]
    assert main(argv) == runner.FAILED  # the runner's status: one notebook failed
    assert calls == [argv]  # the runner gets the command's own arguments
    index = Path("build/index.html").read_text()
    assert "val_accuracy" in index and "0.8512" in index
    assert "0.2 min (12 s)" in index  # the run's wall times
    assert "STALE" not in index  # another run's gathered files are not read
    assert 'href="slides/90_demo.slides.html"' in index
    assert "<em>failed</em>" in index and "cell 1: ValueError: no" in index
    built = json.loads(Path("build/slides/decks.json").read_text())
    assert built["profile"] == "smoke"
    assert [(d["status"], d["executed"]) for d in built["decks"]] == [
        ("ok", "build/notebooks/90_demo.ipynb"),
        ("failed", None),
    ]
    assert "NOT RENDERED 91_other: failed: cell 1: ValueError: no" in capsys.readouterr().out


def test_every_notebook_rendered_is_status_0(course, monkeypatch):
    monkeypatch.setattr(runner, "run", _fake_run([], status=runner.OK))
    assert main(["notebooks/90_demo.ipynb"]) == runner.OK
    assert Path("build/slides/90_demo.slides.html").exists()


def test_a_notebook_the_run_left_out_is_not_rendered(course, monkeypatch):
    monkeypatch.setattr(runner, "run", _fake_run([], status=runner.OK))
    Path("notebooks/92_new.ipynb").write_text(Path("notebooks/90_demo.ipynb").read_text())
    assert main([]) == 1  # every notebooks/NN_*.ipynb; the run said nothing of 92
    decks = json.loads(Path("build/slides/decks.json").read_text())["decks"]
    assert [d["status"] for d in decks] == ["ok", "failed", "failed"]


def test_when_nothing_ran_the_runners_status_is_the_answer(course, monkeypatch):
    monkeypatch.setattr(runner, "run", lambda argv: (runner.NOTHING_RAN, None))
    assert main(["--profile", "nope"]) == runner.NOTHING_RAN
    assert not Path("build/slides").exists()


def test_results_go_with_executed(course, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--results", "build/nbval-results"])
    assert stopped.value.code == 2
    assert "--results goes with --executed" in capsys.readouterr().err


def test_executed_copies_render_with_the_results_of_their_folder(course):
    executed, recorded = Path("executed"), Path("recorded")
    _notebook(executed / "90_demo.ipynb", "90 · A demo")
    recorded.mkdir()
    (recorded / "90.json").write_text(json.dumps([RESULT]))
    argv = ["--profile", "smoke", "--executed", str(executed), "--results", str(recorded)]
    assert main([*argv, "notebooks/90_demo.ipynb"]) == 0
    index = Path("build/slides/index.html").read_text()
    assert "val_accuracy" in index and "STALE" not in index
    assert main([*argv, "notebooks/91_other.ipynb"]) == 1  # no executed copy
    assert "missing" in Path("build/index.html").read_text()


def test_a_broken_results_file_is_reported_not_raised(course, capsys):
    Path("recorded").mkdir()
    Path("recorded/90.json").write_text("{ cut short")
    argv = ["--executed", "notebooks", "--results", "recorded", "notebooks/90_demo.ipynb"]
    assert main(argv) == 1
    assert "make slides: recorded/90.json is not a results file" in capsys.readouterr().err


def test_an_unknown_profile_stops_a_render_of_executed_copies(course, capsys):
    assert main(["--profile", "nope", "--executed", "notebooks"]) == 2
    assert "nope" in capsys.readouterr().err


def test_python_m_course_utils_slides_runs_the_command(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "course_utils.slides", "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0
    assert "--executed" in done.stdout and "--results" in done.stdout


def test_the_runner_itself_feeds_the_slides(course):
    """The real runner (a kernel runs the notebook): its summary is what the command reads."""
    assert main(["--profile", "smoke", "notebooks/90_demo.ipynb"]) == runner.OK
    (entry,) = json.loads(Path("build/slides/decks.json").read_text())["decks"]
    assert entry["status"] == "ok" and Path(entry["executed"]).exists()
    assert Path("build/slides/90_demo.slides.html").exists()
    assert "| 90_demo |" not in Path("build/index.html").read_text()  # rendered as a table
    assert "<td>90_demo</td>" in Path("build/index.html").read_text()  # with its wall time
