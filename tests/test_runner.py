"""The runner end to end on small notebooks: results table, clear data errors, checked cells, and
what it does when things go wrong (bad notebooks, dead kernels, Ctrl-C, overlapping runs)."""

import json
import os
import signal
import subprocess
import sys
import time

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from course_utils import runner, slides
from course_utils.data.registry import RemoteFile
from course_utils.notebooks import NotebookUnreadable, notebook_text, read_notebook
from course_utils.profiles import Profile
from course_utils.runner import console, data_check, one_notebook, report, run_folder, signals
from course_utils.runner.signals import Interrupted


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


def recording(notebook_id, value=42.0):
    return [
        f"from course_utils import results\nresults.set_notebook('{notebook_id}')",
        f"results.record('answer', {value}, unit='widgets', reference=40.0,\n"
        "               reference_source='guess', data=())",
    ]


RECORDING = [*recording("90"), "# NBVAL_CHECK_OUTPUT\nprint('same in every profile')"]


def leftovers(folder):
    """Temporary files a write left behind (there must be none)."""
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp"))


def last_line(text):
    return text.rstrip("\n").splitlines()[-1]


def test_runs_notebooks_and_writes_the_results_table(tmp_path, capsys):
    notebook = write_notebook(tmp_path / "90_demo.ipynb", RECORDING)
    build = str(tmp_path / "build")
    runner.main([str(notebook), "--profile", "smoke", "--build", build])
    summary = json.loads((tmp_path / "build" / "results.json").read_text())
    assert summary["notebooks"][0]["status"] == "failed"  # the checked cell has no stored output
    assert "checked cell(s) [2]" in summary["notebooks"][0]["message"]

    assert (
        runner.main([str(notebook), "--profile", "smoke", "--build", build, "--store-checked"]) == 0
    )
    stored = nbformat.read(notebook, as_version=4)
    assert stored.cells[2].outputs[0].text == "same in every profile\n"
    assert stored.cells[1].outputs == [] and stored.cells[1].execution_count is None

    assert runner.main([str(notebook), "--profile", "smoke", "--build", build]) == 0
    table = (tmp_path / "build" / "results.md").read_text()
    assert "| 90 | answer | 42.0 | widgets | 40.0 widgets | guess | smoke |" in table
    assert "| 90_demo | ok |" in table
    assert (tmp_path / "build" / "notebooks" / "90_demo.ipynb").exists()
    out = capsys.readouterr().out
    assert "Results (profile smoke)" in out and last_line(out).startswith("OK: all 1 notebook")
    assert len(list((tmp_path / "build" / "runs").iterdir())) == 3  # one folder per run
    assert leftovers(tmp_path) == []


def test_a_full_run_that_skips_a_notebook_says_so_last_and_exits_3(
    tmp_path, monkeypatch, capsys, closed_port_url
):
    unreachable = RemoteFile("jena_climate", "x.zip", closed_port_url, None, None, "weather")
    monkeypatch.setattr(runner.data_check, "files_of", lambda dataset: (unreachable,))
    notebook = write_notebook(tmp_path / "91_needs_data.ipynb", ["1/0"], datasets=["jena_climate"])
    status = runner.main([str(notebook), "--profile", "full", "--build", str(tmp_path / "build")])
    out = capsys.readouterr().out
    assert status == runner.SKIPPED == 3
    assert "SKIPPED 91_needs_data" in out and "Could not get jena_climate/x.zip" in out
    assert "make data" in out and "Traceback" not in out
    assert last_line(out).startswith("INCOMPLETE: 1 of 1 notebook(s) skipped")
    assert "91_needs_data" in last_line(out) and "Exit status 3" in last_line(out)
    summary = json.loads((tmp_path / "build" / "results.json").read_text())
    assert summary["notebooks"][0]["status"] == "skipped"


def test_a_failing_cell_is_reported_in_one_line(tmp_path, capsys):
    notebook = write_notebook(
        tmp_path / "92_broken.ipynb", ["x = 1", "raise ValueError('window too long')"]
    )
    status = runner.main([str(notebook), "--profile", "smoke", "--build", str(tmp_path / "build")])
    assert status == 1
    out = capsys.readouterr().out
    assert "cell 1: ValueError: window too long" in out
    assert last_line(out).startswith("FAILED: 1 of 1 notebook(s) failed (92_broken)")


def test_notebooks_that_cannot_run_fail_alone_and_the_others_are_recorded(tmp_path, capsys):
    """Missing, a folder, not JSON, a dying kernel, a corrupt results file: each is one failed
    row, the run goes on, and the good notebook's results are kept."""
    build = tmp_path / "build"
    (build / "results").mkdir(parents=True)  # what a notebook run in JupyterLab recorded
    (build / "results" / "03.json").write_text("[]")
    (build / "runs" / "another-run").mkdir(parents=True)
    (build / "results.json").write_text('{"previous": true}')
    (tmp_path / "95_not_json.ipynb").write_text('{"cells": [')
    (tmp_path / "96_folder.ipynb").mkdir()
    notebooks = [
        tmp_path / "99_missing.ipynb",
        write_notebook(tmp_path / "93_dies.ipynb", ["import os\nos._exit(1)"]),
        tmp_path / "95_not_json.ipynb",
        tmp_path / "96_folder.ipynb",
        write_notebook(
            tmp_path / "97_corrupt_results.ipynb",
            [
                "import os, pathlib\n"
                "pathlib.Path(os.environ['COURSE_RESULTS_DIR'], '97.json').write_text('[{')"
            ],
        ),
        write_notebook(tmp_path / "98_good.ipynb", recording("98")),
    ]
    status = runner.main([*map(str, notebooks), "--profile", "smoke", "--build", str(build)])
    out = capsys.readouterr().out

    assert status == runner.FAILED
    summary = json.loads((build / "results.json").read_text())
    rows = {row["notebook"]: row for row in summary["notebooks"]}
    assert [row["status"] for row in summary["notebooks"]] == ["failed"] * 5 + ["ok"]
    assert "does not exist: check the path" in rows["99_missing"]["message"]
    assert "the kernel died while running cell 0" in rows["93_dies"]["message"]
    assert "is not a valid notebook (NotJSONError" in rows["95_not_json"]["message"]
    assert "is a folder, not a notebook" in rows["96_folder"]["message"]
    assert "97.json is not a results file" in rows["97_corrupt_results"]["message"]
    assert [(r["notebook"], r["value"]) for r in summary["results"]] == [("98", 42.0)]
    assert "| 99_missing | failed |" in (build / "results.md").read_text()
    assert "Traceback" not in out and "cannot run and will be reported as failed" in out
    assert last_line(out).startswith("FAILED: 5 of 6 notebook(s) failed (99_missing, 93_dies")

    # nothing the run did not make is gone, and its own records sit in a folder of their own
    assert (build / "results" / "03.json").read_text() == "[]"
    assert (build / "runs" / "another-run").is_dir()
    run_folder = build / "runs" / summary["run_folder"].split("/")[-1]
    assert json.loads((run_folder / "results.json").read_text()) == summary
    assert (run_folder / "results" / "98.json").exists()
    assert leftovers(tmp_path) == []


def test_a_cell_past_the_timeout_fails_its_notebook_and_says_how_to_allow_more(tmp_path, capsys):
    notebook = write_notebook(tmp_path / "94_slow.ipynb", ["import time\ntime.sleep(60)"])
    argv = [str(notebook), "--profile", "smoke", "--build", str(tmp_path / "build")]
    assert runner.main([*argv, "--cell-timeout", "1"]) == runner.FAILED
    message = json.loads((tmp_path / "build" / "results.json").read_text())["notebooks"][0]
    assert "cell 0 ran longer than the cell timeout (1 s)" in message["message"]
    assert "--cell-timeout SECONDS" in message["message"]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_an_interrupted_run_keeps_the_previous_results_and_says_so(tmp_path, capsys, signum):
    """Ctrl-C (or SIGTERM, or a closed terminal) mid-notebook: the kernel goes, the run stops,
    what finished is kept in the run's folder, and the gathered files stay as they were."""
    build = tmp_path / "build"
    build.mkdir()
    (build / "results.json").write_text('{"previous": true}')
    (build / "results.md").write_text("previous")
    first = write_notebook(tmp_path / "01_first.ipynb", recording("01"))
    interrupted = write_notebook(
        tmp_path / "02_interrupted.ipynb",
        [f"import os, time\nos.kill(os.getppid(), {int(signum)})\ntime.sleep(60)"],
    )
    never = write_notebook(tmp_path / "03_never.ipynb", ["1"])
    handlers = [signal.getsignal(s) for s in runner.STOP_SIGNALS]

    status, summary = runner.run(
        [str(first), str(interrupted), str(never), "--profile", "smoke", "--build", str(build)]
    )
    out = capsys.readouterr().out

    assert status == 128 + signum and summary is None
    assert (build / "results.json").read_text() == '{"previous": true}'
    assert (build / "results.md").read_text() == "previous"
    assert not (build / "notebooks" / "02_interrupted.ipynb").exists()
    assert last_line(out).startswith(f"INTERRUPTED ({signum.name}) during 02_interrupted")
    assert "not touched" in last_line(out)
    (run_folder,) = (build / "runs").iterdir()
    record = json.loads((run_folder / "results.json").read_text())
    assert record["complete"] is False
    assert [row["status"] for row in record["notebooks"]] == ["ok", "interrupted", "not run"]
    assert [r["notebook"] for r in record["results"]] == ["01"]
    assert [signal.getsignal(s) for s in runner.STOP_SIGNALS] == handlers
    assert leftovers(tmp_path) == []


def test_a_signal_dealt_with_between_runs_does_not_stop_the_next_run(tmp_path, capsys):
    """A stop signal that came between two runs in one process and was dealt with then (held
    while a run wrote its results, or handled by the caller) must not stop the next run."""
    notebook = write_notebook(tmp_path / "90_quick.ipynb", ["1"])
    argv = [str(notebook), "--profile", "smoke", "--build", str(tmp_path / "build")]
    assert runner.main(argv) == runner.OK
    with signals.handling_stop_signals(lambda signum, frame: None):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.1)
    assert runner.main(argv) == runner.OK


def test_overlapping_runs_with_the_same_build_keep_each_others_results(tmp_path, capsys):
    """A second run starts and finishes while the first is still running (its notebook starts
    it): neither loses its results, and results.json is whole and from the run that ended last."""
    build = tmp_path / "build"
    inner = write_notebook(tmp_path / "02_inner.ipynb", recording("02", 2.0))
    nested_run = (
        f"import subprocess, sys\n"
        f"done = subprocess.run([sys.executable, '-m', 'course_utils.runner', {str(inner)!r},\n"
        f"    '--profile', 'smoke', '--build', {str(build)!r}], capture_output=True, text=True)\n"
        f"assert done.returncode == 0, done.stdout + done.stderr"
    )
    outer = write_notebook(
        tmp_path / "01_outer.ipynb",
        [*recording("01", 1.0), nested_run, "results.record('after', 3.0, data=())"],
    )
    assert runner.main([str(outer), "--profile", "smoke", "--build", str(build)]) == 0

    records = {
        tuple(n["notebook"] for n in json.loads((f / "results.json").read_text())["notebooks"]): f
        for f in (build / "runs").iterdir()
    }
    assert set(records) == {("01_outer",), ("02_inner",)}
    assert sorted(p.name for p in (records[("01_outer",)] / "results").iterdir()) == ["01.json"]
    assert sorted(p.name for p in (records[("02_inner",)] / "results").iterdir()) == ["02.json"]
    gathered = json.loads((build / "results.json").read_text())
    assert [(r["name"], r["value"]) for r in gathered["results"]] == [
        ("answer", 1.0),
        ("after", 3.0),
    ]
    assert leftovers(tmp_path) == []


def test_store_checked_never_overwrites_a_notebook_edited_while_it_ran(tmp_path, capsys):
    notebook = tmp_path / "93_edited.ipynb"
    edit = (
        "import pathlib\n"
        "p = pathlib.Path('93_edited.ipynb')\n"
        "p.write_text(p.read_text().replace('first version', 'edited meanwhile'))"
    )
    write_notebook(notebook, ["# NBVAL_CHECK_OUTPUT\nprint('first version')", edit])
    argv = [str(notebook), "--profile", "smoke", "--build", str(tmp_path / "build")]
    assert runner.main([*argv, "--store-checked"]) == 1
    assert "changed while it ran" in capsys.readouterr().out
    stored = nbformat.read(notebook, as_version=4)
    assert "edited meanwhile" in stored.cells[0].source and stored.cells[0].outputs == []


# Usage errors: nothing runs, nothing is written, the message says what to do (no kernel starts).


def test_an_unknown_profile_stops_before_anything_runs(tmp_path, capsys, monkeypatch):
    assert runner.main(["--profile", "quick", "--build", str(tmp_path / "build")]) == 2
    from_option = capsys.readouterr().err
    assert "Unknown run profile 'quick'" in from_option
    monkeypatch.setenv("COURSE_PROFILE", "quick")
    assert runner.main(["--build", str(tmp_path / "build")]) == 2
    assert capsys.readouterr().err == from_option  # one message however the profile is named
    assert not (tmp_path / "build").exists()


@pytest.mark.parametrize("how", ["environment", "option"])
def test_the_runner_takes_a_profile_as_the_notebooks_do(tmp_path, capsys, monkeypatch, how):
    """COURSE_PROFILE=SMOKE works in the notebooks, so make run takes it too."""
    argv = [str(tmp_path / "none.ipynb"), "--build", str(tmp_path / "build")]
    if how == "environment":
        monkeypatch.setenv("COURSE_PROFILE", "SMOKE")
    else:
        argv += ["--profile", " Smoke "]
    assert runner.main(argv) == 1  # the notebook is missing, but the profile was accepted
    assert json.loads((tmp_path / "build" / "results.json").read_text())["profile"] == "smoke"


@pytest.mark.parametrize("value", ["0", "-5", "1.5", "soon"])
def test_the_cell_timeout_must_be_whole_seconds_above_zero(tmp_path, capsys, value):
    with pytest.raises(SystemExit) as stopped:
        runner.main(["--cell-timeout", value, "--build", str(tmp_path / "build")])
    assert stopped.value.code == 2
    assert f"--cell-timeout: '{value}' is not a whole number of seconds above 0" in (
        capsys.readouterr().err
    )
    assert not (tmp_path / "build").exists()


def test_a_build_path_that_cannot_hold_the_results_stops_before_anything_runs(tmp_path, capsys):
    notebook = str(tmp_path / "90_x.ipynb")
    build_file = tmp_path / "build-file"
    build_file.write_text("mine")
    assert runner.main([notebook, "--build", str(build_file)]) == runner.NOTHING_RAN
    assert "is a file, not a folder" in capsys.readouterr().err
    assert build_file.read_text() == "mine"

    assert runner.main([notebook, "--build", str(build_file / "below")]) == runner.NOTHING_RAN
    assert "Cannot create this run's folder" in capsys.readouterr().err

    (tmp_path / "build" / "results.json").mkdir(parents=True)
    assert runner.main([notebook, "--build", str(tmp_path / "build")]) == runner.NOTHING_RAN
    assert "results.json is a folder" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == ["results.json"]

    (tmp_path / "notebooks").mkdir()
    source = write_notebook(tmp_path / "notebooks" / "90_x.ipynb", ["1"])
    before = source.read_bytes()
    assert runner.main([str(source), "--build", str(tmp_path)]) == runner.NOTHING_RAN
    assert "over the notebook itself" in capsys.readouterr().err
    assert source.read_bytes() == before

    # make slides stops with the runner's message instead of reading a stale results.json
    assert slides.main([str(source), "--build", str(build_file)]) == runner.NOTHING_RAN
    assert "is a file, not a folder" in capsys.readouterr().err


def test_python_m_course_utils_runner_exits_with_the_status(tmp_path):
    """The command line make run calls: the status reaches the shell."""
    done = subprocess.run(
        [sys.executable, "-m", "course_utils.runner", "--profile", "nope"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 2 and "Unknown run profile 'nope'" in done.stderr


def test_a_reader_that_goes_away_does_not_stop_the_run(tmp_path):
    """``make run | head``: once nobody reads the output the run goes on quietly and still
    writes its results."""
    argv = [str(tmp_path / "01_missing.ipynb"), str(tmp_path / "02_missing.ipynb")]
    process = subprocess.Popen(
        [sys.executable, "-m", "course_utils.runner", *argv, "--build", str(tmp_path / "build")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    process.stdout.close()
    errors = process.stderr.read()
    assert process.wait() == runner.FAILED and "Traceback" not in errors
    summary = json.loads((tmp_path / "build" / "results.json").read_text())
    assert [row["status"] for row in summary["notebooks"]] == ["failed", "failed"]


# The runner's parts one by one, without a kernel: what each module promises on its own.


def outcome(notebook, status="ok", message="", seconds=0.0):
    return runner.Outcome(notebook=notebook, status=status, message=message, seconds=seconds)


def test_the_last_line_gives_the_exit_status_of_each_kind_of_run(tmp_path):
    where = {"profile": "smoke", "total": 90.0, "build": tmp_path, "run_dir": tmp_path / "r"}
    ok, failed, skipped = outcome("01_a"), outcome("02_b", "failed"), outcome("03_c", "skipped")

    assert report.last_line([ok], [], None, **where) == (
        runner.OK,
        "OK: all 1 notebook(s) ran, profile smoke, in 1.5 min.",
    )
    status, line = report.last_line([ok, failed, skipped], [], None, **where)
    assert status == runner.FAILED
    assert line.startswith("FAILED: 1 of 3 notebook(s) failed (02_b); 1 skipped (03_c)")
    status, line = report.last_line([ok], ["a results file could not be read"], None, **where)
    assert status == runner.FAILED
    assert line.startswith("FAILED: the results could not all be read or written")
    status, line = report.last_line([ok, skipped], [], None, **where)
    assert status == runner.SKIPPED and line.startswith("INCOMPLETE: 1 of 2 notebook(s) skipped")

    stopped = [ok, outcome("02_b", "interrupted"), outcome("03_c", "not run")]
    status, line = report.last_line(stopped, [], Interrupted(signal.SIGTERM), **where)
    assert status == 143
    assert line.startswith("INTERRUPTED (SIGTERM) during 02_b, after 1 of 3 notebook(s)")
    assert line.endswith("Exit status 143.")


def test_the_notebooks_table_keeps_one_line_per_notebook():
    table = report.notebooks_table(
        [outcome("01_a", seconds=125.0), outcome("02_b", "failed", "cell 3: a | b\nmore")]
    )
    assert "| 01_a | ok | 2.1 min (125 s) |  |" in table
    assert "| 02_b | failed |  | cell 3: a \\| b |" in table and "more" not in table


def test_an_unreadable_results_file_fails_the_notebook_that_wrote_it(tmp_path):
    (tmp_path / "01.json").write_text("[{")
    (tmp_path / "02.json").write_text(
        '[{"notebook": "02", "name": "x", "value": 1.0, "unit": "", "reference": null,'
        ' "reference_unit": "", "reference_source": "", "profile": "smoke", "recorded_at": ""}]'
    )
    (tmp_path / "07.json").write_text("not json")  # no notebook of this run wrote it
    outcomes = [outcome("01_first"), outcome("02_second")]

    gathered, problems = run_folder.gather_run_results(tmp_path, outcomes)

    assert [(r.notebook, r.name) for r in gathered] == [("02", "x")]
    assert outcomes[0].status == "failed" and "01.json is not a results file" in outcomes[0].message
    assert outcomes[1].status == "ok"
    assert len(problems) == 1 and "07.json is not a results file" in problems[0]


def test_records_are_written_whole_into_each_folder_that_can_hold_them(tmp_path):
    good, blocked = tmp_path / "run", tmp_path / "blocked"
    good.mkdir()
    blocked.write_text("a file where a folder should be")
    summary = {"profile": "smoke", "problems": []}

    written, problems = run_folder.write_records([blocked, good], summary, "# Results\n")

    assert written == [good]
    assert json.loads((good / "results.json").read_text()) == summary
    assert (good / "results.md").read_text() == "# Results\n"
    assert len(problems) == 1 and f"Could not write {blocked / 'results.md'}" in problems[0]
    assert blocked.read_text() == "a file where a folder should be"
    assert leftovers(tmp_path) == []


def test_the_kernels_get_the_profile_the_results_folder_and_an_absolute_mirror(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COURSE_DATA_DIR", "mirror")
    env = run_folder.kernel_environment(Profile("SMOKE"), tmp_path / "run" / ".." / "results")
    assert env["COURSE_PROFILE"] == "smoke"
    assert env["COURSE_RESULTS_DIR"] == str((tmp_path / "results").resolve())
    assert env["COURSE_DATA_DIR"] == str((tmp_path / "mirror").resolve())


def test_the_data_check_fails_an_unknown_data_set_and_passes_a_notebook_that_needs_none(tmp_path):
    path = write_notebook(tmp_path / "90_x.ipynb", ["1"], datasets=["no_such_data"])
    notebook, _ = read_notebook(path)
    status, message = data_check.why_it_cannot_run(path, notebook, Profile("full"))
    assert status == "failed" and "names an unknown data set" in message
    assert "no_such_data" in message and "Fix the notebook's metadata" in message
    notebook.metadata["course"]["datasets"] = []
    assert data_check.why_it_cannot_run(path, notebook, Profile("full")) is None


def test_checked_outputs_are_stored_only_over_the_file_that_was_read(tmp_path, capsys):
    path = write_notebook(tmp_path / "90_x.ipynb", ["# NBVAL_CHECK_OUTPUT\nprint(1)", "2"])
    source, raw = read_notebook(path)
    executed = nbformat.from_dict(json.loads(json.dumps(source)))
    executed.cells[0].outputs = [  # as a kernel may send one print: in pieces, with a warning
        nbformat.v4.new_output("stream", name="stdout", text="1"),
        nbformat.v4.new_output("stream", name="stderr", text="a library's warning\n"),
        nbformat.v4.new_output("stream", name="stdout", text="\n"),
    ]
    executed.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="2\n")]

    edited = raw + b" "
    message = one_notebook.store_checked_outputs(path, edited, source, executed)
    assert "changed while it ran" in message and path.read_bytes() == raw

    assert one_notebook.store_checked_outputs(path, raw, source, executed) == ""
    stored = nbformat.read(path, as_version=4)
    printed = nbformat.v4.new_output("stream", name="stdout", text="1\n")
    assert [cell.outputs for cell in stored.cells] == [[printed], []]
    assert path.read_text() == notebook_text(stored)
    assert "stored the outputs of the checked cells" in capsys.readouterr().out


def test_read_notebook_names_the_file_and_what_to_do(tmp_path):
    (tmp_path / "cut.ipynb").write_text('{"cells": [')
    with pytest.raises(NotebookUnreadable, match="cut.ipynb is not a valid notebook"):
        read_notebook(tmp_path / "cut.ipynb")
    with pytest.raises(NotebookUnreadable, match="is a folder, not a notebook"):
        read_notebook(tmp_path)
    path = write_notebook(tmp_path / "90_x.ipynb", ["1"], datasets=["imdb"])
    notebook, raw = read_notebook(path)
    assert raw == path.read_bytes() and runner.declared_datasets(notebook) == ["imdb"]
    assert notebook_text(notebook).encode() == raw  # written back, it is the same file


def test_a_first_stop_signal_is_held_while_results_are_written_and_a_second_stops(monkeypatch):
    before = {s: signal.getsignal(s) for s in runner.STOP_SIGNALS}
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as for a run started with nohup
    try:
        with pytest.raises(Interrupted) as stopped, signals.stop_signals_held():
            assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN  # stays ignored
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.1)  # held: the block goes on
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)
        assert stopped.value.signum == signal.SIGINT and stopped.value.exit_status == 130
        assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, before[signal.SIGHUP])
    assert {s: signal.getsignal(s) for s in runner.STOP_SIGNALS} == before


def test_output_goes_quiet_once_its_reader_has_gone():
    read_end, write_end = os.pipe()
    os.close(read_end)
    with open(write_end, "w", encoding="utf-8") as stream:
        quiet = console.SurvivesClosedPipe(stream)
        assert quiet.write("nobody reads this\n" * 10_000) == len("nobody reads this\n") * 10_000
        quiet.flush()
        assert quiet.closed_pipe and not quiet.isatty()
        assert quiet.write("still fine\n") == len("still fine\n")
