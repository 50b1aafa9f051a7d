import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils.data import load_tiny_shakespeare, standins_in_use  # noqa: E402
from course_utils.data import text as text_module  # noqa: E402
from course_utils.data.fetch import DataUnavailableError  # noqa: E402
from course_utils.plotting import (  # noqa: E402
    epoch_axis,
    plot_history,
    plot_sliding_window,
    use_course_style,
)
from course_utils.profiles import Profile  # noqa: E402

from .conftest import real_mirror  # noqa: E402


@pytest.mark.skipif(real_mirror() is None, reason="no offline data mirror on this machine")
def test_tiny_shakespeare_from_the_mirror_is_the_published_file(monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(real_mirror()))
    text = load_tiny_shakespeare()
    assert len(text) == 1_115_394 and text.startswith("First Citizen:\nBefore we proceed")


def unreachable(monkeypatch, closed_port_url):
    remote = text_module.TINY_SHAKESPEARE
    monkeypatch.setattr(
        text_module, "TINY_SHAKESPEARE", type(remote)(**{**vars(remote), "url": closed_port_url})
    )


def test_full_profile_without_data_raises(monkeypatch, closed_port_url):
    unreachable(monkeypatch, closed_port_url)
    with pytest.raises(DataUnavailableError, match="tinyshakespeare/input.txt"):
        load_tiny_shakespeare(profile=Profile("full"))


def test_smoke_profile_generates_play_shaped_text(monkeypatch, closed_port_url, capsys):
    unreachable(monkeypatch, closed_port_url)
    text = load_tiny_shakespeare(profile=Profile("smoke"))
    assert "GENERATED STAND-IN" in capsys.readouterr().out
    assert "tinyshakespeare" in standins_in_use()
    first_block = text.split("\n\n")[0].splitlines()
    assert first_block[0].endswith(":") and first_block[0].isupper() and len(first_block) >= 2


def test_training_curves_have_one_panel_per_metric():
    use_course_style()
    history = {"loss": [2.0, 1.5, 1.2], "val_loss": [2.1, 1.7, 1.6], "accuracy": [0.5, 0.6, 0.7]}
    figure = plot_history(history, ("loss", "accuracy"), transform=None)
    left, right = figure.axes
    assert [len(line.get_xdata()) for line in left.lines] == [3, 3]
    assert len(right.lines) == 1 and right.get_xlabel() == "epoch"
    exp_figure = plot_history(history, ("loss",), transform=np.exp)
    assert np.allclose(exp_figure.axes[0].lines[0].get_ydata(), np.exp(history["loss"]))


@pytest.mark.parametrize("epochs", [1, 2, 7, 40])
def test_training_curves_tick_whole_epochs_only(epochs):
    figure = plot_history({"loss": np.linspace(1, 0.5, epochs), "val_loss": np.ones(epochs)})
    axis = figure.axes[0]
    left, right = axis.get_xlim()
    ticks = [t for t in axis.get_xticks() if left <= t <= right]
    assert ticks and all(float(t).is_integer() for t in ticks)
    assert ticks[0] <= 1 + epochs // 5 and ticks[-1] >= epochs - epochs // 5


def test_sliding_window_picture_has_a_row_per_position():
    tokens = "thou shalt not make a machine".split()
    figure = plot_sliding_window(tokens, size=3, stride=1)
    labels = [t.get_text() for t in figure.axes[0].texts if t.get_text().startswith("position")]
    assert labels == ["position 0", "position 1", "position 2", "position 3"]
    with pytest.raises(ValueError):
        plot_sliding_window(tokens, size=7)


def test_gate_heatmaps_have_a_panel_per_gate_and_a_column_per_word():
    from course_utils.plotting import plot_gate_heatmaps

    rng = np.random.default_rng(0)
    words = ["a", "fine", "film"]
    gates = {"forget": rng.random((3, 20)), "input": rng.random((3, 20))}
    figure = plot_gate_heatmaps(gates, words, units=8)
    panels = [axis for axis in figure.axes if axis.get_ylabel().endswith("unit")]
    assert len(panels) == 2
    assert panels[0].images[0].get_array().shape == (8, 3)
    assert [t.get_text() for t in panels[-1].get_xticklabels()] == words
    with pytest.raises(ValueError, match="2 words"):
        plot_gate_heatmaps(gates, words[:2])


def test_epoch_axis_counts_the_epochs_of_a_hand_drawn_plot():
    figure, axis = plt.subplots()
    axis.plot([1], [0.5], marker="o")
    axis.axhline(0.7)  # a baseline's x data are axes fractions (0 and 1), not epochs
    epoch_axis(axis)
    assert axis.get_xlabel() == "epoch" and axis.get_xlim() == (0.5, 1.5)
    axis.plot(range(1, 13), np.linspace(1, 0, 12))
    epoch_axis(axis)
    left, right = axis.get_xlim()
    assert right == 12.5
    assert all(float(t).is_integer() for t in axis.get_xticks() if left <= t <= right)
    plt.close(figure)
