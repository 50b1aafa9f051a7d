"""``--jobs 2``: notebooks side by side, each in its own kernel on its share of the cores; the
order their metadata asks for (kept runs loaded after they are trained, some notebooks alone);
a stop signal stopping every kernel at once."""

import json
import os
import signal
from pathlib import Path

import pytest

from course_utils import runner
from course_utils.environment import INTRA_OP_THREADS_ENV_VAR, use_the_cores_given
from course_utils.runner.schedule import Planned, next_to_start, plan, threads_each
from tests.test_runner import last_line, leftovers, recording, write_notebook


def planned(name, after=(), alone=""):
    return Planned(Path(f"{name}.ipynb"), frozenset(after), alone)


def started_in_turn(plans, jobs, finish_order):
    """Simulate a run: start what may start, then finish the running notebook that comes first
    in ``finish_order``; return the groups that were running together, in the order seen."""
    waiting, running, finished, seen = list(plans), [], set(), []
    while waiting or running:
        while (nxt := next_to_start(waiting, running, finished, jobs)) is not None:
            waiting.remove(nxt)
            running.append(nxt)
        seen.append(sorted(p.name for p in running))
        done = min(running, key=lambda p: finish_order.index(p.name))
        running.remove(done)
        finished.add(done.name)
    return seen


def test_two_jobs_start_in_order_and_fill_the_free_job():
    plans = [planned(n) for n in ("a", "b", "c")]
    assert started_in_turn(plans, 2, ["b", "a", "c"]) == [["a", "b"], ["a", "c"], ["c"]]
    assert started_in_turn(plans, 1, ["a", "b", "c"]) == [["a"], ["b"], ["c"]]


def test_a_notebook_waits_for_the_notebook_whose_run_it_loads_and_others_overtake_it():
    plans = [planned("04"), planned("05", after=["04"]), planned("06")]
    assert started_in_turn(plans, 2, ["06", "04", "05"]) == [["04", "06"], ["04"], ["05"]]
    # not in this run (or finished earlier): nothing to wait for
    assert next_to_start([planned("05", after=["04"])], [], set(), 2).name == "05"


def test_a_notebook_that_runs_alone_has_the_machine_to_itself():
    plans = [planned("01", alone="uses both cores"), planned("02"), planned("03"),
             planned("10", alone="uses both cores")]
    assert started_in_turn(plans, 2, ["01", "02", "03", "10"]) == [
        ["01"], ["02", "03"], ["03"], ["10"]
    ]


def test_notebooks_that_wait_for_each_other_start_in_the_order_given():
    plans = [planned("a", after=["b"]), planned("b", after=["a"])]
    assert started_in_turn(plans, 2, ["a", "b"]) == [["a"], ["b"]]


def test_each_of_the_jobs_gets_its_share_of_the_cores():
    assert [threads_each(2, 2), threads_each(2, 8), threads_each(4, 2), threads_each(3, None)] == [
        1, 4, 1, 1
    ]


def test_the_course_notebooks_say_whose_runs_they_load_and_which_run_alone():
    plans = {p.name[:2]: p for p in map(plan, sorted(Path("notebooks").glob("[0-9][0-9]_*.ipynb")))}
    assert plans["05"].after == {"04_lstm"}
    assert plans["08"].after == plans["09"].after == {"06_dropout"}
    assert {n for n, p in plans.items() if p.alone} == {"01", "10"}


def test_the_cores_given_must_be_a_number(monkeypatch):
    monkeypatch.setenv(INTRA_OP_THREADS_ENV_VAR, "two")
    with pytest.raises(ValueError, match="is not a number of cores"):
        use_the_cores_given(None)


WAIT_FOR = (
    "import pathlib, time\n"
    "deadline = time.time() + 60\n"
    "while not pathlib.Path({path!r}).exists():\n"
    "    assert time.time() < deadline, 'the other notebook never ran beside this one'\n"
    "    time.sleep(0.1)"
)


def test_two_jobs_run_notebooks_side_by_side_each_on_its_share(tmp_path, capsys):
    """Each notebook waits for a file the other writes: they can only both finish side by side.
    The third loads the first's runs, so it starts after it; the fourth runs alone with every
    core (no share named in its environment)."""
    a_file, b_file = tmp_path / "a.txt", tmp_path / "b.txt"
    threads = "import os\nprint(os.environ.get('COURSE_INTRA_OP_THREADS'))"
    first = write_notebook(tmp_path / "01_a.ipynb", [
        *recording("01", 1.0), f"open({str(a_file)!r}, 'w').close()",
        WAIT_FOR.format(path=str(b_file)), "time.sleep(1)", threads,
    ])
    second = write_notebook(tmp_path / "02_b.ipynb", [
        f"open({str(b_file)!r}, 'w').close()", WAIT_FOR.format(path=str(a_file)),
    ])
    third = write_notebook(tmp_path / "03_c.ipynb", [
        f"import pathlib\nassert (pathlib.Path({str(tmp_path)!r}) / 'build' / 'notebooks' / "
        "'01_a.ipynb').exists(), 'started before 01_a had finished'",
    ])
    fourth = write_notebook(tmp_path / "04_d.ipynb", [threads])
    for path, key, value in [(third, "loads_runs_from", ["01_a"]), (fourth, "runs_alone", "why")]:
        notebook = json.loads(path.read_text())
        notebook["metadata"]["course"][key] = value
        path.write_text(json.dumps(notebook))
    build = tmp_path / "build"

    status, summary = runner.run([str(p) for p in (first, second, third, fourth)]
                                 + ["--profile", "smoke", "--build", str(build), "--jobs", "2"])
    out = capsys.readouterr().out

    assert status == runner.OK, out
    assert [n["notebook"] for n in summary["notebooks"]] == ["01_a", "02_b", "03_c", "04_d"]
    assert [r["notebook"] for r in summary["results"]] == ["01"]
    executed = {p.stem: json.loads(p.read_text()) for p in (build / "notebooks").iterdir()}
    share = threads_each(2, os.cpu_count())
    assert "".join(executed["01_a"]["cells"][-1]["outputs"][0]["text"]) == f"{share}\n"
    assert "".join(executed["04_d"]["cells"][-1]["outputs"][0]["text"]) == "None\n"
    assert "[4/4] 04_d (alone: why)" in out and "01_a done in" in out
    assert last_line(out).startswith("OK: all 4 notebook(s) ran")
    assert leftovers(tmp_path) == []


def test_a_stop_signal_stops_every_notebook_running_side_by_side(tmp_path, capsys):
    signals_first = write_notebook(tmp_path / "01_signals.ipynb", [
        f"import os, time\ntime.sleep(2)\nos.kill(os.getppid(), {int(signal.SIGTERM)})\n"
        "time.sleep(60)",
    ])
    sleeps = write_notebook(tmp_path / "02_sleeps.ipynb", ["import time\ntime.sleep(60)"])
    never = write_notebook(tmp_path / "03_never.ipynb", ["1"])
    build = tmp_path / "build"
    handlers = [signal.getsignal(s) for s in runner.STOP_SIGNALS]

    status, summary = runner.run([str(signals_first), str(sleeps), str(never), "--profile",
                                  "smoke", "--build", str(build), "--jobs", "2"])
    out = capsys.readouterr().out

    assert status == 128 + signal.SIGTERM and summary is None
    (run_folder,) = (build / "runs").iterdir()
    record = json.loads((run_folder / "results.json").read_text())
    # 02_sleeps would have finished "ok" after its minute had its kernel not been stopped
    assert [n["status"] for n in record["notebooks"]] == ["interrupted", "interrupted", "not run"]
    assert last_line(out).startswith("INTERRUPTED (SIGTERM) during 01_signals")
    assert not (build / "results.json").exists()
    assert [signal.getsignal(s) for s in runner.STOP_SIGNALS] == handlers


def test_jobs_must_be_a_whole_number_above_zero(capsys):
    with pytest.raises(SystemExit) as stopped:
        runner.run(["--jobs", "0"])
    assert stopped.value.code == 2
    assert "is not a number of notebooks to run at a time" in capsys.readouterr().err
