"""The runner end to end on small notebooks: results table, clear data errors, checked cells."""

import json

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from course_utils import runner
from course_utils.data.registry import RemoteFile


def write_notebook(path, sources, datasets=()):
    cells = [
        new_code_cell(source, metadata={"slideshow": {"slide_type": "-"}}) for source in sources
    ]
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.metadata["course"] = {"datasets": list(datasets)}
    nbformat.write(notebook, path)
    return path


RECORDING = [
    "from course_utils import results\nresults.set_notebook('90')",
    "results.record('answer', 42.0, unit='widgets', reference=40.0,\n"
    "               reference_source='guess', data=())",
    "# NBVAL_CHECK_OUTPUT\nprint('same in every profile')",
]


def test_runs_notebooks_and_writes_the_results_table(tmp_path, capsys):
    notebook = write_notebook(tmp_path / "90_demo.ipynb", RECORDING)
    runner.main([str(notebook), "--profile", "smoke", "--build", str(tmp_path / "build")])
    summary = json.loads((tmp_path / "build" / "results.json").read_text())
    assert summary["notebooks"][0]["status"] == "failed"  # the checked cell has no stored output
    assert "checked cell(s) [2]" in summary["notebooks"][0]["message"]

    assert (
        runner.main(
            [
                str(notebook),
                "--profile",
                "smoke",
                "--build",
                str(tmp_path / "build"),
                "--store-checked",
            ]
        )
        == 0
    )
    stored = nbformat.read(notebook, as_version=4)
    assert stored.cells[2].outputs[0].text == "same in every profile\n"
    assert stored.cells[1].outputs == [] and stored.cells[1].execution_count is None

    assert (
        runner.main([str(notebook), "--profile", "smoke", "--build", str(tmp_path / "build")]) == 0
    )
    table = (tmp_path / "build" / "results.md").read_text()
    assert "| 90 | answer | 42.0 | widgets | 40.0 widgets | guess | smoke |" in table
    assert "90_demo" in table
    assert (tmp_path / "build" / "notebooks" / "90_demo.ipynb").exists()
    assert "Results (profile smoke)" in capsys.readouterr().out


def test_a_notebook_without_its_data_is_skipped_with_the_data_error(
    tmp_path, monkeypatch, capsys, closed_port_url
):
    unreachable = RemoteFile("jena_climate", "x.zip", closed_port_url, None, None, "weather")
    monkeypatch.setattr(runner, "files_of", lambda dataset: (unreachable,))
    notebook = write_notebook(tmp_path / "91_needs_data.ipynb", ["1/0"], datasets=["jena_climate"])
    status = runner.main([str(notebook), "--profile", "full", "--build", str(tmp_path / "build")])
    out = capsys.readouterr().out
    assert status == 1
    assert "SKIPPED 91_needs_data" in out and "Could not get jena_climate/x.zip" in out
    assert "make data" in out and "Traceback" not in out


def test_a_failing_cell_is_reported_in_one_line(tmp_path, capsys):
    notebook = write_notebook(
        tmp_path / "92_broken.ipynb", ["x = 1", "raise ValueError('window too long')"]
    )
    status = runner.main([str(notebook), "--profile", "smoke", "--build", str(tmp_path / "build")])
    assert status == 1
    assert "cell 1: ValueError: window too long" in capsys.readouterr().out


def test_an_unknown_profile_stops_before_anything_runs(tmp_path, capsys):
    assert runner.main(["--profile", "quick", "--build", str(tmp_path / "build")]) == 2
    assert "Unknown run profile 'quick'" in capsys.readouterr().err
    assert not (tmp_path / "build").exists()
