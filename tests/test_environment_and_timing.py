import os

import numpy as np
import pytest

import course_utils
from course_utils import results
from course_utils.data import __main__ as make_data
from course_utils.data import fetch


def test_setup_names_the_notebook_and_reports_profile_and_device(capsys, monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "smoke")
    profile = course_utils.setup("42")
    line = capsys.readouterr().out
    assert profile.name == "smoke"
    assert line.startswith("Notebook 42 | profile: smoke | TensorFlow ")
    assert "CPU" in line or "GPU" in line
    assert results._current_notebook == "42"
    os.write(2, b"")  # file descriptor 2 is usable again after the quiet import


def test_epoch_timer_times_every_epoch():
    import keras

    from course_utils.timing import EpochTimer

    timer = EpochTimer()
    with pytest.raises(ValueError, match="callbacks"):
        _ = timer.seconds_per_epoch
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(np.zeros((8, 3)), np.zeros(8), epochs=3, verbose=0, callbacks=[timer])
    assert len(timer.epoch_seconds) == 3 and all(s > 0 for s in timer.epoch_seconds)
    assert timer.seconds_per_epoch == float(np.median(timer.epoch_seconds[1:]))


def test_make_data_fills_the_cache_and_reports_what_is_missing(
    file_server, closed_port_url, monkeypatch, capsys
):
    folder, base = file_server
    (folder / "a.txt").write_text("alpha")
    good = fetch.RemoteFile("alpha", "a.txt", f"{base}/a.txt", None, None, "a file")
    bad = fetch.RemoteFile("beta", "b.txt", closed_port_url, None, None, "another")
    monkeypatch.setattr(make_data, "REGISTRY", {"alpha": (good,), "beta": (bad,)})
    monkeypatch.setattr(
        make_data, "files_of", lambda name: {"alpha": (good,), "beta": (bad,)}[name]
    )
    monkeypatch.setenv("COURSE_DATA_DIR", str(folder))  # ignored: make data fills the cache
    assert make_data.main([]) == 1
    out = capsys.readouterr().out
    assert "ok      alpha/a.txt" in out and "MISSING beta/b.txt" in out
    assert (fetch.cache_dir() / "alpha" / "a.txt").read_text() == "alpha"
    assert make_data.main(["alpha"]) == 0
