"""fit_or_load trains a run once and loads it after; a change to what decides the run trains."""

from __future__ import annotations

import json

import keras
import numpy as np
import pytest

from course_utils import results
from course_utils.kept_runs import TRAINED_ENV_VAR, fit_or_load

RNG = np.random.default_rng(0)
X = RNG.integers(1, 50, size=(64, 12)).astype("int32")
Y = (X[:, -1] > 25).astype("float32")


def classifier(seed=3, units=4):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [keras.Input((12,), dtype="int32"), keras.layers.Embedding(50, 4),
         keras.layers.GRU(units), keras.layers.Dense(1, activation="sigmoid")],
        name="tiny_gru",
    )
    # eagerly: what is kept and loaded is the same either way, and tracing a GRU into a graph
    # costs seconds per model, which every test here would pay several times over
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["acc"],
                  run_eagerly=True)
    return model


def fit(model, x=X, y=Y, epochs=2):
    return fit_or_load(model, x, y, label="tiny", monitor="val_acc", patience=None,
                    test_data=(x, y), epochs=epochs, batch_size=16, validation_split=0.25,
                    verbose=0)


@pytest.fixture(autouse=True)
def kept_runs(tmp_path, monkeypatch):
    monkeypatch.setenv(TRAINED_ENV_VAR, str(tmp_path))
    results.set_notebook("04")
    return tmp_path


def test_the_second_identical_run_is_loaded_with_the_first_runs_weights_and_figures(kept_runs):
    first, where = fit(classifier())
    assert not where.loaded and where.folder.parent == kept_runs
    second, where_again = fit(classifier())
    assert where_again.loaded and where_again.trained_by == "04"
    assert "loaded from" in str(where_again) and "notebook 04" in str(where_again)
    assert second.history == first.history and second.test == first.test
    for a, b in zip(first.model.get_weights(), second.model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert second.model.evaluate(X, Y, verbose=0)[1] == pytest.approx(first.test)
    for a, b in zip(first.model.optimizer.variables, second.model.optimizer.variables,
                    strict=True):
        np.testing.assert_array_equal(a, b)  # the optimizer's state came back too


@pytest.mark.parametrize(
    "change",
    [
        lambda: fit(classifier(seed=4)),  # other initial weights
        lambda: fit(classifier(units=5)),  # another layer
        lambda: fit(classifier(), epochs=3),  # another fit setting
        lambda: fit(classifier(), x=np.flip(X, axis=1).copy()),  # other data
    ],
    ids=["seed", "layer", "epochs", "data"],
)
def test_any_change_trains_anew(change):
    fit(classifier())
    _, where = change()
    assert not where.loaded


def test_the_notebook_that_teaches_a_model_trains_it_and_keeps_it_for_the_next():
    first, _ = fit(classifier())
    model = classifier()
    retrained, where = fit_or_load(model, X, Y, label="tiny", monitor="val_acc", patience=None,
                                   test_data=(X, Y), epochs=2, batch_size=16,
                                   validation_split=0.25, verbose=0, load=False)
    assert not where.loaded and model.optimizer.iterations.numpy() > 0
    later_run, later = fit(classifier())
    assert later.loaded and later_run.history == retrained.history


def test_a_damaged_kept_run_is_replaced_by_training(kept_runs, capsys):
    _, where = fit(classifier())
    (where.folder / "run.json").write_text("{not json", encoding="utf-8")
    _, again = fit(classifier())
    assert not again.loaded and "could not be read" in capsys.readouterr().out
    assert json.loads((again.folder / "run.json").read_text())["trained_by"] == "04"
    assert not [p for p in kept_runs.iterdir() if p.name.startswith(".")]  # no staging left


def test_a_trained_model_or_unknown_data_is_refused_with_a_reason():
    model = classifier()
    model.fit(X, Y, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="not been trained"):
        fit(model)
    import tensorflow as tf

    with pytest.raises(TypeError, match="cannot tell"):
        fit_or_load(classifier(), tf.data.Dataset.from_tensor_slices((X, Y)).batch(8), None,
                 label="tiny", patience=None, epochs=1)


def test_a_load_that_fails_half_way_leaves_the_untrained_weights_to_train_from(kept_runs):
    first, where = fit(classifier())
    other = classifier(units=5)  # same embedding shape, another GRU: the load stops in the GRU
    other.optimizer.build(other.trainable_variables)
    other.save_weights(where.folder / "best.weights.h5")
    again, how = fit(classifier())
    assert not how.loaded
    assert again.history == first.history  # the same training from the same untrained weights
