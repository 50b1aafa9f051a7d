"""The cuDNN eligibility check against Keras's own rules, and the recorded GPU table."""

import json

import keras
import pytest

from course_utils import cudnn

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
]


@pytest.mark.parametrize("layer", LAYERS)
def test_blockers_agree_with_the_tensorflow_backend(layer):
    import importlib

    tf_rnn = importlib.import_module("keras.src.backend.tensorflow.rnn")  # the module, not rnn()

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
    keras_says = keras_says and layer.use_cudnn is not False and not cell.recurrent_dropout
    assert (cudnn.cudnn_blockers(layer) == []) == keras_says


def test_blockers_name_each_reason():
    layer = keras.layers.LSTM(4, activation="relu", recurrent_dropout=0.1, unroll=True)
    assert cudnn.cudnn_blockers(layer) == [
        "recurrent_dropout > 0",
        "activation=relu, not tanh",
        "unroll=True",
    ]
    assert cudnn.cudnn_blockers(keras.layers.GRU(4, reset_after=False)) == ["reset_after=False"]


def test_the_recorded_table_is_either_honestly_empty_or_complete():
    table = cudnn.recorded_timings()
    if table["status"] == "measured":
        assert "GPU" in table["device"] and table["date"] and table["versions"]["tensorflow"]
        assert {row["configuration"] for row in table["rows"]} == {
            name for name, _, _ in cudnn.CONFIGURATIONS
        }
    else:
        assert table["rows"] == [] and "not measured" in table["status"]
        assert "No GPU timings recorded yet" in cudnn.format_timings(table)


def test_a_measured_table_is_shown_with_hardware_and_speed_ups(tmp_path):
    table = {
        "status": "measured",
        "device": "GPU: Example 80GB",
        "date": "2026-01-01",
        "versions": {"tensorflow": "2.21.0", "cudnn": "9"},
        "workload": {"reviews": 10},
        "rows": [
            {"configuration": name, "seconds_per_epoch": 2.0 if "auto" in name else 10.0}
            for name, _, _ in cudnn.CONFIGURATIONS
        ],
    }
    path = tmp_path / "t.json"
    path.write_text(json.dumps(table))
    text = cudnn.format_timings(cudnn.recorded_timings(path))
    assert "GPU: Example 80GB" in text and "2026-01-01" in text
    assert "5.0x the cuDNN time" in text and "1.0x the cuDNN time" in text


def test_epoch_seconds_times_a_tiny_run():
    seconds = cudnn.epoch_seconds("GRU", {}, reviews=64, maxlen=12, batch_size=32, epochs=2)
    assert seconds > 0


def test_measuring_needs_a_gpu(capsys):
    import tensorflow as tf

    if tf.config.list_physical_devices("GPU"):
        pytest.skip("a GPU is visible here")
    assert cudnn.main([]) == 1
    assert "only be measured on a GPU" in capsys.readouterr().err
