"""The NumPy reference cells against real float64 Keras layers, with the same weights."""

from __future__ import annotations

import functools
import zlib

import numpy as np
import pytest

from course_utils.environment import import_tensorflow_quietly
from course_utils.reference_cells import (
    GRUStep,
    LSTMStep,
    concatenated_lstm_weights,
    gru,
    gru_step,
    lstm,
    lstm_gate_activations,
    lstm_step,
    split_gates,
)

from .reference_maths import simple_rnn, simple_rnn_step

import_tensorflow_quietly()
import keras  # noqa: E402  (after TensorFlow's start-up logging is silenced)

RTOL, ATOL = 1e-10, 1e-12

# name -> (Keras layer, reference function, extra keyword arguments, number of states)
CELLS = {
    "simple_rnn": (keras.layers.SimpleRNN, simple_rnn, {}, 1),
    "lstm": (keras.layers.LSTM, lstm, {}, 2),
    "gru": (keras.layers.GRU, gru, {"reset_after": True}, 1),
    "gru_reset_before": (keras.layers.GRU, gru, {"reset_after": False}, 1),
}
# (batch, time, features, units)
SIZES = [(1, 1, 1, 1), (3, 6, 3, 4), (3, 20, 5, 7), (1, 6, 5, 4)]
# every size with the default return and with everything returned; the mixed flags on one size
CASES = [(size, flag, flag) for size in SIZES for flag in (False, True)] + [
    (SIZES[2], True, False),
    (SIZES[2], False, True),
]


def case_id(value) -> str:
    return "b{}-t{}-f{}-u{}".format(*value) if isinstance(value, tuple) else str(value)


def random_weights(shapes, seed: int) -> list[np.ndarray]:
    """Weights scaled by fan-in so pre-activations stay of order 1; biases clearly non-zero."""
    rng = np.random.default_rng(seed)
    kernel, recurrent = shapes[0], shapes[1]
    scale = 1.5 / np.sqrt(kernel[0] + recurrent[0])
    weights = [rng.uniform(-scale, scale, kernel), rng.uniform(-scale, scale, recurrent)]
    return weights + [rng.uniform(-0.8, 0.8, shape) for shape in shapes[2:]]


def make_layer(cell: str, features: int, units: int, sequences=False, state=False, bias=True):
    """A float64 Keras layer with random weights (seeded by its arguments)."""
    layer_class, _, kwargs, _ = CELLS[cell]
    layer = layer_class(
        units,
        dtype="float64",
        return_sequences=sequences,
        return_state=state,
        use_bias=bias,
        **kwargs,
    )
    layer.build((None, None, features))
    seed = zlib.crc32(f"{cell}-{features}-{units}-{sequences}-{state}-{bias}".encode())
    layer.set_weights(random_weights([w.shape for w in layer.get_weights()], seed))
    return layer


keras_layer = functools.cache(make_layer)  # built once per set of arguments; never modified


def inputs(batch: int, time: int, features: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(1000 + seed).uniform(-1.0, 1.0, (batch, time, features))


def states(batch: int, units: int, n_states: int, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(2000 + seed)
    return [rng.uniform(-0.9, 0.9, (batch, units)) for _ in range(n_states)]


def run_keras(layer, x, initial_state=None) -> list[np.ndarray] | np.ndarray:
    out = layer(x) if initial_state is None else layer(x, initial_state=initial_state)
    if isinstance(out, list | tuple):
        return [keras.ops.convert_to_numpy(o) for o in out]
    return keras.ops.convert_to_numpy(out)


def assert_same(reference, expected) -> None:
    if isinstance(expected, list):
        assert isinstance(reference, tuple) and len(reference) == len(expected)
        for ours, theirs in zip(reference, expected, strict=True):
            np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=ATOL)
    else:
        assert isinstance(reference, np.ndarray)
        np.testing.assert_allclose(reference, expected, rtol=RTOL, atol=ATOL)


def differs(ours, theirs) -> bool:
    return not np.allclose(ours, theirs, rtol=RTOL, atol=ATOL)


# --------------------------------------------------------------------------- agreement


@pytest.mark.parametrize("size, sequences, state", CASES, ids=case_id)
@pytest.mark.parametrize("cell", CELLS)
def test_reference_matches_keras(cell, size, sequences, state):
    batch, time, features, units = size
    layer = keras_layer(cell, features, units, sequences, state)
    _, reference, kwargs, _ = CELLS[cell]
    x = inputs(batch, time, features)
    ours = reference(
        x, *layer.get_weights(), return_sequences=sequences, return_state=state, **kwargs
    )
    expected = run_keras(layer, x)
    assert_same(ours, expected)
    if sequences:
        out = ours[0] if state else ours
        assert out.shape == (batch, time, units)


@pytest.mark.parametrize("size", SIZES[1:3], ids=case_id)
@pytest.mark.parametrize("cell", CELLS)
def test_initial_state_matches_keras(cell, size):
    batch, time, features, units = size
    layer = keras_layer(cell, features, units, sequences=True, state=True)
    _, reference, kwargs, n_states = CELLS[cell]
    x = inputs(batch, time, features, seed=1)
    start = states(batch, units, n_states, seed=1)
    ours = reference(
        x,
        *layer.get_weights(),
        initial_state=start,
        return_sequences=True,
        return_state=True,
        **kwargs,
    )
    assert_same(ours, run_keras(layer, x, initial_state=start))
    # the start state matters: from zeros the outputs differ
    assert differs(ours[0], run_keras(layer, x)[0])


@pytest.mark.parametrize("cell", ["lstm", "gru", "gru_reset_before", "simple_rnn"])
def test_layers_without_bias_take_their_two_weights(cell):
    layer = keras_layer(cell, 3, 4, sequences=True, bias=False)
    _, reference, kwargs, _ = CELLS[cell]
    assert len(layer.get_weights()) == 2
    x = inputs(3, 6, 3, seed=2)
    assert_same(
        reference(x, *layer.get_weights(), return_sequences=True, **kwargs), run_keras(layer, x)
    )


def test_single_array_initial_state_for_one_state_cells():
    layer = keras_layer("gru", 3, 4)
    x = inputs(3, 6, 3, seed=3)
    (h0,) = states(3, 4, 1, seed=3)
    assert_same(gru(x, *layer.get_weights(), initial_state=h0), run_keras(layer, x, [h0]))


def test_steps_match_one_keras_step():
    x = inputs(3, 1, 5, seed=4)
    layer = keras_layer("simple_rnn", 5, 7)
    h = simple_rnn_step(x[:, 0], np.zeros((3, 7)), *layer.get_weights())
    np.testing.assert_allclose(h, run_keras(layer, x), rtol=RTOL, atol=ATOL)

    layer = keras_layer("lstm", 5, 7, state=True)
    step = lstm_step(x[:, 0], np.zeros((3, 7)), np.zeros((3, 7)), *layer.get_weights())
    assert isinstance(step, LSTMStep)
    _, h, c = run_keras(layer, x)
    np.testing.assert_allclose(step.h, h, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(step.c, c, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(step.c, step.i * step.g, rtol=RTOL, atol=ATOL)  # c_prev = 0

    for cell, reset_after in [("gru", True), ("gru_reset_before", False)]:
        layer = keras_layer(cell, 5, 7)
        weights = layer.get_weights()
        step = gru_step(x[:, 0], np.zeros((3, 7)), *weights, reset_after=reset_after)
        assert isinstance(step, GRUStep)
        np.testing.assert_allclose(step.h, run_keras(layer, x), rtol=RTOL, atol=ATOL)


def test_computes_in_float64_whatever_comes_in():
    layer = keras_layer("lstm", 3, 4)
    x = inputs(3, 6, 3, seed=5).astype(np.float32)
    weights = [w.astype(np.float32) for w in layer.get_weights()]
    assert lstm(x, *weights).dtype == np.float64
    assert gru_step(x[:, 0], np.zeros((3, 4)), *keras_layer("gru", 3, 4).get_weights()).h.dtype == (
        np.float64
    )


def test_random_weights_keep_gates_away_from_saturation():
    layer = keras_layer("lstm", 5, 7)
    gates = lstm_gate_activations(inputs(3, 20, 5, seed=6), *layer.get_weights())
    for name in ("input", "forget", "output"):
        assert gates[name].min() > 0.02 and gates[name].max() < 0.98, name
        assert gates[name].std() > 0.05, name


# --------------------------------------------------------------------------- teeth


def test_swapping_lstm_input_and_forget_blocks_is_caught():
    layer = keras_layer("lstm", 3, 4, sequences=True)
    x = inputs(3, 6, 3, seed=7)
    swapped = []
    for weight in layer.get_weights():
        i, f, c, o = split_gates(weight, 4)
        swapped.append(np.concatenate([f, i, c, o], axis=-1))
    assert differs(lstm(x, *swapped, return_sequences=True), run_keras(layer, x))


def test_swapping_gru_update_and_reset_blocks_is_caught():
    layer = keras_layer("gru", 3, 4, sequences=True)
    x = inputs(3, 6, 3, seed=8)
    swapped = []
    for weight in layer.get_weights():
        z, r, h = split_gates(weight, 3)
        swapped.append(np.concatenate([r, z, h], axis=-1))
    assert differs(gru(x, *swapped, return_sequences=True), run_keras(layer, x))


def test_gru_reset_placement_is_caught_in_both_directions():
    x = inputs(3, 6, 3, seed=9)
    # A reset-after layer with no recurrent bias: only where r is applied differs.
    after = make_layer("gru", 3, 4, sequences=True)
    kernel, recurrent, bias = after.get_weights()
    after.set_weights([kernel, recurrent, np.stack([bias[0], np.zeros_like(bias[0])])])
    expected = run_keras(after, x)
    np.testing.assert_allclose(
        gru(x, *after.get_weights(), return_sequences=True), expected, rtol=RTOL, atol=ATOL
    )
    wrong = gru(x, kernel, recurrent, bias[0], reset_after=False, return_sequences=True)
    assert differs(wrong, expected)

    before = keras_layer("gru_reset_before", 3, 4, sequences=True)
    kernel, recurrent, bias = before.get_weights()
    stacked = np.stack([bias, np.zeros_like(bias)])
    wrong = gru(x, kernel, recurrent, stacked, reset_after=True, return_sequences=True)
    assert differs(wrong, run_keras(before, x))


def test_swapping_gru_bias_rows_is_caught():
    layer = keras_layer("gru", 3, 4, sequences=True)
    kernel, recurrent, bias = layer.get_weights()
    x = inputs(3, 6, 3, seed=10)
    assert differs(
        gru(x, kernel, recurrent, bias[::-1], return_sequences=True), run_keras(layer, x)
    )


def test_textbook_gru_update_with_z_and_1_minus_z_swapped_is_caught():
    layer = keras_layer("gru", 5, 7)
    x = inputs(3, 1, 5, seed=11)
    h_prev = states(3, 7, 1, seed=11)[0]
    step = gru_step(x[:, 0], h_prev, *layer.get_weights())
    expected = run_keras(layer, x, [h_prev])
    np.testing.assert_allclose(step.h, expected, rtol=RTOL, atol=ATOL)
    assert differs((1 - step.z) * h_prev + step.z * step.h_tilde, expected)


@pytest.mark.parametrize("cell", CELLS)
def test_biases_are_not_trivial_and_tolerance_is_tight(cell):
    layer = keras_layer(cell, 3, 4, sequences=True)
    _, reference, kwargs, _ = CELLS[cell]
    kernel, recurrent, bias = layer.get_weights()
    x = inputs(3, 6, 3, seed=12)
    expected = run_keras(layer, x)
    assert differs(reference(x, kernel, recurrent, return_sequences=True, **kwargs), expected)
    nudged = recurrent.copy()
    nudged[0, 0] += 1e-6
    assert differs(reference(x, kernel, nudged, bias, return_sequences=True, **kwargs), expected)


# --------------------------------------------------------------------------- LSTM views


def test_gate_activations_are_the_steps_stacked_and_hidden_is_keras_output():
    batch, time, features, units = 3, 20, 5, 7
    layer = keras_layer("lstm", features, units, sequences=True, state=True)
    weights = layer.get_weights()
    x = inputs(batch, time, features, seed=13)
    gates = lstm_gate_activations(x, *weights)
    assert set(gates) == {"input", "forget", "candidate", "output", "cell", "hidden"}
    assert all(value.shape == (batch, time, units) for value in gates.values())

    h = c = np.zeros((batch, units))
    for t in range(time):
        step = lstm_step(x[:, t], h, c, *weights)
        h, c = step.h, step.c
        for key, value in zip(gates, (step.i, step.f, step.g, step.o, step.c, step.h), strict=True):
            np.testing.assert_array_equal(gates[key][:, t], value)

    sequences, h_last, c_last = run_keras(layer, x)
    np.testing.assert_allclose(gates["hidden"], sequences, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(gates["cell"][:, -1], c_last, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(gates["hidden"][:, -1], h_last, rtol=RTOL, atol=ATOL)


def test_concatenated_weights_give_the_gate_pre_activations():
    features, units = 5, 7
    kernel, recurrent, bias = keras_layer("lstm", features, units).get_weights()
    w = concatenated_lstm_weights(kernel, recurrent)
    assert w.shape == (units + features, 4 * units)
    x_t = inputs(3, 1, features, seed=14)[:, 0]
    h_prev, c_prev = states(3, units, 2, seed=14)
    pre = np.concatenate([h_prev, x_t], axis=1) @ w + bias
    a_i, a_f, a_g, a_o = split_gates(pre, 4)
    step = lstm_step(x_t, h_prev, c_prev, kernel, recurrent, bias)
    sigmoid = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731
    np.testing.assert_allclose(sigmoid(a_i), step.i, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(sigmoid(a_f), step.f, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(np.tanh(a_g), step.g, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(sigmoid(a_o), step.o, rtol=RTOL, atol=ATOL)
    # stacking x first, h second against the same W does not reproduce them
    assert differs(np.concatenate([x_t, h_prev], axis=1) @ w + bias, pre)


def test_split_gates_cuts_keras_layout_into_blocks():
    kernel, recurrent, bias = keras_layer("lstm", 3, 4).get_weights()
    blocks = split_gates(kernel, 4)
    assert [b.shape for b in blocks] == [(3, 4)] * 4
    np.testing.assert_array_equal(np.concatenate(blocks, axis=-1), kernel)
    assert [b.shape for b in split_gates(bias, 4)] == [(4,)] * 4
    gru_bias = keras_layer("gru", 3, 4).get_weights()[2]
    assert gru_bias.shape == (2, 12)
    assert [b.shape for b in split_gates(gru_bias, 3)] == [(2, 4)] * 3
    with pytest.raises(ValueError, match=r"shape \(3, 16\) into 3 equal gate blocks"):
        split_gates(kernel, 3)


# --------------------------------------------------------------------------- errors


def test_lstm_kernel_of_the_wrong_width_names_both_shapes():
    kernel, recurrent, bias = keras_layer("lstm", 3, 4).get_weights()
    x = inputs(3, 6, 3)
    with pytest.raises(ValueError, match=r"LSTM kernel should have shape \(3, 16\).*got \(3, 12\)"):
        lstm(x, kernel[:, :12], recurrent, bias)
    with pytest.raises(ValueError, match=r"LSTM kernel should have shape \(5, 16\).*got \(3, 16\)"):
        lstm(inputs(3, 6, 5), kernel, recurrent, bias)
    with pytest.raises(ValueError, match=r"LSTM bias should have shape \(16,\), got \(12,\)"):
        lstm(x, kernel, recurrent, bias[:12])
    with pytest.raises(ValueError, match=r"LSTM kernel should have shape \(features, 16\)"):
        concatenated_lstm_weights(kernel[:, :12], recurrent)


def test_gru_weights_given_to_lstm_are_refused():
    weights = keras_layer("gru", 3, 4).get_weights()
    with pytest.raises(
        ValueError,
        match=r"LSTM recurrent_kernel should have shape \(units, 4 \* units\), got \(4, 12\)",
    ):
        lstm(inputs(3, 6, 3), *weights)


def test_gru_bias_of_the_other_reset_mode_says_so():
    after = keras_layer("gru", 3, 4).get_weights()
    before = keras_layer("gru_reset_before", 3, 4).get_weights()
    x = inputs(3, 6, 3)
    with pytest.raises(ValueError, match=r"\(2, 12\), got \(12,\).*reset_after=False"):
        gru(x, *before)
    with pytest.raises(ValueError, match=r"\(12,\), got \(2, 12\).*reset_after=True"):
        gru(x, *after, reset_after=False)


def test_bad_inputs_and_states_are_refused():
    weights = keras_layer("lstm", 3, 4).get_weights()
    with pytest.raises(
        ValueError, match=r"x should be \(batch, time, features\), got shape \(6, 3\)"
    ):
        lstm(inputs(1, 6, 3)[0], *weights)
    with pytest.raises(ValueError, match="at least one time step"):
        lstm(np.zeros((3, 0, 3)), *weights)
    with pytest.raises(ValueError, match=r"initial_state should hold 2 array\(s\), got 1"):
        lstm(inputs(3, 6, 3), *weights, initial_state=[np.zeros((3, 4))])
    with pytest.raises(ValueError, match=r"state initial_state\[1\] should have shape \(3, 4\)"):
        lstm(inputs(3, 6, 3), *weights, initial_state=[np.zeros((3, 4)), np.zeros((3, 5))])
    with pytest.raises(ValueError, match=r"state h_prev should have shape \(3, 4\), got \(4,\)"):
        lstm_step(inputs(3, 1, 3)[:, 0], np.zeros(4), np.zeros((3, 4)), *weights)
