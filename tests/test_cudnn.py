"""The cuDNN eligibility check against Keras's own rules, the masked batches against Keras's own
mask checks, what runs on a CPU, and the recorded GPU table (timings and masking outcomes)."""

import importlib
import json

import keras
import numpy as np
import pytest
import tensorflow as tf

from course_utils import cudnn, models
from course_utils.cudnn import masking, speed
from course_utils.cudnn.__main__ import main

tf_rnn = importlib.import_module("keras.src.backend.tensorflow.rnn")  # the module, not rnn()
ON_A_GPU = bool(tf.config.list_logical_devices("GPU"))
cpu_only = pytest.mark.skipif(ON_A_GPU, reason="shows what happens without a GPU")

LAYERS = [
    keras.layers.LSTM(4),
    keras.layers.GRU(4),
    keras.layers.GRU(4, reset_after=False),
    keras.layers.LSTM(4, activation="relu"),
    keras.layers.GRU(4, recurrent_activation="hard_sigmoid"),
    keras.layers.LSTM(4, unroll=True),
    keras.layers.GRU(4, use_bias=False),
    keras.layers.LSTM(4, recurrent_dropout=0.2),
    keras.layers.GRU(4, dropout=0.3),
    keras.layers.LSTM(4, use_cudnn=False),
    # Keras accepts the tanh and sigmoid of keras.ops and of TensorFlow as well as its own
    keras.layers.LSTM(4, activation=keras.ops.tanh, recurrent_activation=tf.sigmoid),
    keras.layers.GRU(4, activation=tf.tanh, recurrent_activation=keras.ops.sigmoid),
    keras.layers.GRU(4, activation=tf.nn.relu),
]


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: str(layer.get_config()["name"]))
def test_blockers_agree_with_the_tensorflow_backend(layer):
    cell = layer.cell
    if isinstance(layer, keras.layers.GRU):
        keras_says = tf_rnn._do_gru_arguments_support_cudnn(
            cell.activation,
            cell.recurrent_activation,
            layer.unroll,
            cell.use_bias,
            cell.reset_after,
        )
    else:
        keras_says = tf_rnn._do_lstm_arguments_support_cudnn(
            cell.activation, cell.recurrent_activation, layer.unroll, cell.use_bias
        )
    # and what LSTM.inner_loop / GRU.inner_loop check before calling the backend
    keras_says = keras_says and layer.use_cudnn is not False and not cell.recurrent_dropout
    assert (cudnn.cudnn_blockers(layer) == []) == bool(keras_says)


def test_blockers_name_each_reason():
    layer = keras.layers.LSTM(4, activation="relu", recurrent_dropout=0.1, unroll=True)
    assert cudnn.cudnn_blockers(layer) == [
        "recurrent_dropout > 0",
        "activation=relu, not tanh",
        "unroll=True",
    ]
    assert cudnn.cudnn_blockers(keras.layers.GRU(4, reset_after=False)) == ["reset_after=False"]


# --- masks ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("padding", "right_padded", "fully_masked_row"),
    [
        ("right-padded", True, False),
        ("left-padded", False, False),
        ("a fully masked row", True, True),
    ],
)
def test_masked_batches_pass_kerass_mask_checks_as_named(padding, right_padded, fully_masked_row):
    batch = cudnn.masked_batch(padding)
    mask = tf.constant(batch != 0)
    assert bool(tf_rnn._is_sequence_right_padded(mask)) is right_padded
    assert bool(tf_rnn._has_fully_masked_sequence(mask)) is fully_masked_row
    # and so Keras's cuDNN path would accept only the right-padded one
    valid = right_padded and not fully_masked_row
    assert (padding == "right-padded") is valid


def test_masked_batches_have_rows_of_different_lengths():
    batch = cudnn.masked_batch("left-padded", rows=4, steps=8)
    assert batch.shape == (4, 8) and batch.dtype == np.int32
    assert (batch != 0).sum(axis=1).tolist() == [8, 6, 4, 2]
    assert cudnn.mask_picture(batch[1:2]) == "··▮▮▮▮▮▮"
    with pytest.raises(ValueError, match="padding must be one of"):
        cudnn.masked_batch("middle")


@cpu_only
def test_a_left_padded_masked_batch_trains_on_the_cpus_generic_loop():
    case = cudnn.masking_outcome("LSTM", "left-padded", "auto")
    assert case["kernel"] == "generic loop" and case["outcome"] == "trained"


@cpu_only
def test_use_cudnn_true_without_a_gpu_fails_with_kerass_message():
    case = cudnn.masking_outcome("GRU", "right-padded", True, call="eager")
    assert case["outcome"].startswith("failed: ValueError: use_cudnn=True was specified, but")


def test_the_gpu_predictions_follow_the_source():
    mask_failure = "cuDNN, failed: InvalidArgumentError from Keras's mask assertion"
    assert cudnn.predicted_on_gpu("right-padded") == "cuDNN, trained"
    assert cudnn.predicted_on_gpu("left-padded").startswith(mask_failure)
    assert cudnn.predicted_on_gpu("a fully masked row").startswith(mask_failure)
    for padding in cudnn.PADDINGS:
        assert cudnn.predicted_on_gpu(padding, False) == "generic loop, trained"
    assert cudnn.predicted_on_gpu("left-padded", "auto", "eager") == "not traced, ran"
    assert cudnn.predicted_on_gpu("left-padded", True, "eager").endswith("failed: ValueError")


def test_check_masking_runs_every_case_and_compares_it_with_the_prediction(monkeypatch):
    def on_a_cpu(layer, padding, use_cudnn="auto", *, call="fit"):
        kernel = "not traced" if call == "eager" else "generic loop"
        outcome = "ran" if call == "eager" else "trained"
        return {
            "layer": layer,
            "padding": padding,
            "use_cudnn": use_cudnn,
            "call": call,
            "kernel": kernel,
            "outcome": outcome,
        }

    monkeypatch.setattr(masking, "masking_outcome", on_a_cpu)
    cases = cudnn.check_masking()
    assert len(cases) == 2 * (3 * 2 + 1)
    as_predicted = {
        (c["layer"], c["padding"], c["use_cudnn"], c["call"]) for c in cases if c["as_predicted"]
    }
    # a CPU matches the GPU prediction wherever the generic loop is predicted, nowhere else
    assert ("LSTM", "left-padded", False, "fit") in as_predicted
    assert ("GRU", "left-padded", "auto", "eager") in as_predicted
    assert ("LSTM", "right-padded", "auto", "fit") not in as_predicted
    assert ("GRU", "a fully masked row", "auto", "fit") not in as_predicted
    text = cudnn.format_masking(cases)
    assert "the source predicts on a GPU: cuDNN, trained" in text


# --- timings ----------------------------------------------------------------------------------


def test_epoch_seconds_times_a_tiny_run_of_notebook_03s_model(monkeypatch):
    built = []
    saved = models.sentiment_model

    def keeping(*args, **kwargs):
        built.append(saved(*args, **kwargs))
        return built[-1]

    monkeypatch.setattr(models, "sentiment_model", keeping)
    seconds = cudnn.epoch_seconds("GRU", {}, reviews=64, maxlen=12, batch_size=32, epochs=2)
    assert seconds > 0
    (model,) = built  # the saved definition, not a copy of it
    assert [layer.name for layer in model.layers] == ["embedding", "gru", "positive"]
    assert model.jit_compile is cudnn.JIT_COMPILE  # the table's setting, not the notebook's


@cpu_only
def test_recurrent_dropout_itself_runs_under_xla_on_a_cpu():
    """So the table's jit_compile=False is not forced by recurrent_dropout: on a GPU it is
    forced by Keras keeping XLA off for layers that may use cuDNN (see JIT_COMPILE)."""
    seconds = cudnn.epoch_seconds(
        "LSTM",
        {"recurrent_dropout": 0.2},
        reviews=64,
        maxlen=12,
        batch_size=32,
        epochs=1,
        jit_compile=True,
    )
    assert seconds > 0


def test_measure_compiles_every_row_with_the_same_jit_compile(monkeypatch):
    monkeypatch.setattr(speed, "CONFIGURATIONS", cudnn.CONFIGURATIONS[1:3])
    table = cudnn.measure(reviews=64, maxlen=12, batch_size=32, epochs=1)
    assert cudnn.JIT_COMPILE is False and table["jit_compile"] is False
    assert [row["jit_compile"] for row in table["rows"]] == [False, False]
    assert table["workload"]["reviews"] == 64 and table["versions"]["keras"]


def test_the_recorded_table_is_either_honestly_empty_or_complete():
    table = cudnn.recorded_timings()
    assert table["jit_compile"] is cudnn.JIT_COMPILE
    if table["status"] == "measured":
        assert "GPU" in table["device"] and table["date"] and table["versions"]["tensorflow"]
        assert {row["configuration"] for row in table["rows"]} == {
            name for name, _, _ in cudnn.CONFIGURATIONS
        }
        assert all(row["jit_compile"] is cudnn.JIT_COMPILE for row in table["rows"])
        assert len(table["masking"]) == 14
    else:
        assert table["rows"] == [] and table["masking"] == []
        assert "not measured" in table["status"] and table["device"] is None
        text = cudnn.format_timings(table)
        assert "No GPU timings recorded yet" in text and "jit_compile=False" in text


def measured_table():
    return {
        "status": "measured",
        "device": "GPU: Example 80GB",
        "date": "2026-01-01",
        "versions": {"tensorflow": "2.21.0", "cudnn": "9"},
        "jit_compile": False,
        "workload": {"reviews": 10},
        "rows": [
            {
                "configuration": name,
                "seconds_per_epoch": 2.0 if "auto" in name else 10.0,
                "jit_compile": False,
            }
            for name, _, _ in cudnn.CONFIGURATIONS
        ],
        "masking": [
            {
                "layer": "LSTM",
                "padding": "left-padded",
                "use_cudnn": "auto",
                "call": "fit",
                "kernel": "cuDNN",
                "outcome": "failed: InvalidArgumentError from Keras's mask "
                "assertion (_assert_valid_mask)",
                "predicted_on_gpu": "cuDNN, failed",
                "as_predicted": True,
            },
        ],
    }


def test_a_measured_table_is_written_read_and_shown_with_hardware_xla_and_speed_ups(tmp_path):
    path = tmp_path / "t.json"
    cudnn.write_timings(measured_table(), path)
    assert json.loads(path.read_text(encoding="utf-8")) == measured_table()
    text = cudnn.format_timings(cudnn.recorded_timings(path))
    assert "GPU: Example 80GB" in text and "2026-01-01" in text
    assert "every row compiled with jit_compile=False" in text
    assert "5.0x the cuDNN time" in text and "1.0x the cuDNN time" in text
    assert "LSTM left-padded, use_cudnn='auto', fit" in text and "mask assertion" in text


def test_only_a_table_measured_on_a_gpu_is_written(tmp_path):
    path = tmp_path / "t.json"
    for table in (cudnn.recorded_timings(), {**measured_table(), "device": "CPU: 2 cores"}):
        with pytest.raises(ValueError, match="only a table measured on a GPU"):
            cudnn.write_timings(table, path)
    assert not path.exists()


@cpu_only
def test_measuring_needs_a_gpu_and_writes_nothing_without_one(tmp_path, capsys):
    path = tmp_path / "timings.json"
    assert main(["--output", str(path)]) == 1
    error = capsys.readouterr().err
    assert "No GPU visible" in error and "cuDNN runs only on an NVIDIA GPU" in error
    assert "Nothing written" in error and not path.exists()
