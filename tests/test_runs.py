"""The training-run record: fit_and_keep_best, best epoch and value, the table and the plot."""

import keras
import matplotlib
import numpy as np
import pytest

from course_utils.runs import TrainingRun, fit_and_keep_best, plot_runs, runs_table, side

matplotlib.use("Agg")


def tiny_regression():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, name="out")], name="tiny")
    model.compile(keras.optimizers.SGD(0.5), "mse")
    x = np.random.default_rng(0).normal(size=(64, 2))
    y = x @ np.array([1.0, -2.0])
    noisy = (x[:8], y[:8] + 100 * np.random.default_rng(1).normal(size=8))
    return model, x, y, noisy


def test_it_stops_early_restores_the_best_weights_and_scores_them_on_the_test_data():
    model, x, y, noisy = tiny_regression()
    run = fit_and_keep_best(
        model, x, y, label="tiny", validation_data=noisy, epochs=30, patience=1,
        test_data=noisy, verbose=0,
    )
    assert run.epochs_run < 30 and run.seconds_per_epoch > 0
    assert run.best() == min(run.history["val_loss"])
    assert run.best_epoch == run.history["val_loss"].index(run.best()) + 1
    assert run.test == pytest.approx(run.best(), rel=1e-4)  # the kept weights are the best's
    assert run.best("loss") == run.history["loss"][run.best_epoch - 1]


def test_without_patience_every_epoch_runs_and_the_best_is_still_kept():
    model, x, y, noisy = tiny_regression()
    run = fit_and_keep_best(
        model, x, y, label="tiny", validation_data=noisy, epochs=6, patience=None, verbose=0
    )
    assert run.epochs_run == 6 and run.test is None
    assert model.evaluate(*noisy, verbose=0) == pytest.approx(run.best(), rel=1e-4)


def test_accuracies_are_best_when_highest():
    history = {"val_acc": [0.5, 0.8, 0.7], "val_loss": [0.9, 0.4, 0.3]}
    run = TrainingRun("r", keras.Sequential([keras.Input((1,))]), history, 1.0, "val_acc")
    assert run.best_epoch == 2 and run.best() == 0.8 and run.best("val_loss") == 0.4
    assert TrainingRun("r", run.model, history, 1.0, "val_loss").best_epoch == 3


def test_a_monitor_the_history_lacks_is_named():
    with pytest.raises(KeyError, match="no 'val_mae'.*val_loss"):
        TrainingRun("r", None, {"val_loss": [1.0]}, 1.0, "val_mae")


def test_the_table_shows_every_run_through_the_scale():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    runs = [
        TrainingRun("dense", model, {"val_loss": [0.4, 0.3, 0.35]}, 1.25, test=0.32),
        TrainingRun("GRU(32)", model, {"val_loss": [0.5]}, 4.0),
    ]
    table = runs_table(runs, scale=lambda v: 10 * v, unit="°C", digits=2).splitlines()
    assert "best val loss (°C)" in table[0] and "best epoch  best val" in table[0]
    assert table[1].split() == ["dense", "4", "1.2", "2", "of", "3", "3.00", "3.20"]
    assert table[2].split() == ["GRU(32)", "4", "4.0", "1", "of", "1", "5.00"]


def test_the_plot_has_a_curve_per_run_and_the_baseline():
    model = keras.Sequential([keras.Input((1,))])
    runs = [
        TrainingRun("a", model, {"val_loss": [3.0, 2.0]}, 1.0),
        TrainingRun("b", model, {"val_loss": [2.5, 2.6, 2.7]}, 1.0),
    ]
    figure = plot_runs(runs, baseline=("naive", 2.2), ylabel="MAE", title="validation MAE")
    axis = figure.axes[0]
    labels = [text.get_text() for text in axis.get_legend().get_texts()]
    assert labels == ["a", "b", "naive"]
    assert axis.get_title() == "validation MAE" and axis.get_xlim() == (0.5, 3.5)


@pytest.mark.parametrize(
    ("value", "other", "expected"),
    [(2.314, 2.319, "below"), (2.316, 2.319, "level with"), (2.4, 2.3, "above")],
)
def test_side_compares_the_printed_figures(value, other, expected):
    assert side(value, other) == expected
