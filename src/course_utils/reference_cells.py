"""NumPy reference LSTM and GRU cells that take Keras's own weights and match Keras.

Pass a layer's weights as they come: ``lstm(x, *layer.get_weights())`` (kernel, recurrent_kernel,
bias; bias may be left out for ``use_bias=False``). Everything is computed in float64. Keras's
gate blocks along the last axis: LSTM ``i, f, c, o``; GRU ``z, r, h``. No masking, dropout or
``go_backwards``: these cells show the equations, not every option of the layers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np

State = np.ndarray | Sequence[np.ndarray]


class LSTMStep(NamedTuple):
    """One LSTM step: new hidden and cell states, and the four gates (each ``(batch, units)``)."""

    h: np.ndarray
    c: np.ndarray
    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray


class GRUStep(NamedTuple):
    """One GRU step: new hidden state, update gate ``z``, reset gate ``r``, candidate."""

    h: np.ndarray
    z: np.ndarray
    r: np.ndarray
    h_tilde: np.ndarray


def sigmoid(a: np.ndarray) -> np.ndarray:
    """The logistic function, written with ``tanh`` so it never overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * a))


def split_gates(matrix: np.ndarray, n_gates: int) -> list[np.ndarray]:
    """Cut the last axis into ``n_gates`` equal blocks (LSTM ``i, f, c, o``; GRU ``z, r, h``)."""
    matrix = np.asarray(matrix)
    if matrix.ndim == 0 or matrix.shape[-1] % n_gates:
        raise ValueError(
            f"cannot cut a last axis of shape {matrix.shape} into {n_gates} equal gate blocks"
        )
    return np.split(matrix, n_gates, axis=-1)


def concatenated_lstm_weights(kernel: np.ndarray, recurrent_kernel: np.ndarray) -> np.ndarray:
    """The lecture's ``W`` transposed, for rows: ``[h_{t-1}, x_t] @ W + bias`` = gate
    pre-activations (i, f, c, o); the lecture's column form is ``W.T @ [h_{t-1}; x_t]``.

    Rows ``0..units-1`` are Keras's ``recurrent_kernel``, the remaining ``features`` rows its
    ``kernel``: shape ``(units + features, 4 * units)``.
    """
    kernel, recurrent_kernel = _as_float(kernel), _as_float(recurrent_kernel)
    units = _units(recurrent_kernel, 4, "LSTM")
    if kernel.ndim != 2 or kernel.shape[1] != 4 * units:
        raise ValueError(
            f"LSTM kernel should have shape (features, {4 * units}) (4 * units with "
            f"units={units}), got {kernel.shape}"
        )
    return np.concatenate([recurrent_kernel, kernel], axis=0)


# --------------------------------------------------------------------------- checks


def _as_float(array) -> np.ndarray:
    return np.asarray(array, dtype=np.float64)


def _expect(what: str, array: np.ndarray, shape: tuple[int, ...], hint: str = "") -> None:
    if array.shape != shape:
        raise ValueError(f"{what} should have shape {shape}, got {array.shape}{hint}")


def _units(recurrent_kernel: np.ndarray, n_gates: int, cell: str) -> int:
    """Units read off the recurrent kernel, which must be ``(units, n_gates * units)``."""
    shape = recurrent_kernel.shape
    if len(shape) != 2 or shape[1] != n_gates * shape[0]:
        raise ValueError(
            f"{cell} recurrent_kernel should have shape (units, {n_gates} * units), got {shape}"
        )
    return shape[0]


def _check_cell(
    x_t: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray | None,
    n_gates: int,
    cell: str,
    bias_shape: Callable[[int], tuple[int, ...]] | None = None,
    bias_hint: str = "",
) -> int:
    """Check one step's input and weights against each other; returns the number of units."""
    if x_t.ndim != 2:
        raise ValueError(f"{cell} step input should be (batch, features), got shape {x_t.shape}")
    units = _units(recurrent_kernel, n_gates, cell)
    width = f" (features={x_t.shape[1]}, {n_gates} * units with units={units})"
    _expect(f"{cell} kernel", kernel, (x_t.shape[1], n_gates * units), width)
    if bias is not None:
        expected = bias_shape(units) if bias_shape else (n_gates * units,)
        _expect(f"{cell} bias", bias, expected, bias_hint)
    return units


def _check_state(name: str, state: np.ndarray, batch: int, units: int) -> None:
    _expect(f"state {name}", state, (batch, units), " (batch, units)")


def _check_sequence(x: np.ndarray) -> None:
    if x.ndim != 3:
        raise ValueError(f"x should be (batch, time, features), got shape {x.shape}")
    if x.shape[1] == 0:
        raise ValueError("x should have at least one time step, got time = 0")


def _initial_states(
    initial_state: State | None, n_states: int, batch: int, units: int
) -> list[np.ndarray]:
    if initial_state is None:
        return [np.zeros((batch, units)) for _ in range(n_states)]
    if isinstance(initial_state, np.ndarray) and initial_state.ndim == 2:
        initial_state = [initial_state]
    states = [_as_float(s) for s in initial_state]
    if len(states) != n_states:
        raise ValueError(f"initial_state should hold {n_states} array(s), got {len(states)}")
    for k, state in enumerate(states):
        _check_state(f"initial_state[{k}]", state, batch, units)
    return states


def _finish(
    outputs: list[np.ndarray], states: list[np.ndarray], return_sequences: bool, return_state: bool
):
    output = np.stack(outputs, axis=1) if return_sequences else outputs[-1]
    return (output, *states) if return_state else output


# --------------------------------------------------------------------------- LSTM


def lstm_step(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    c_prev: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray | None = None,
) -> LSTMStep:
    """One LSTM step: ``c = f*c_prev + i*g``, ``h = o*tanh(c)``; gates sigmoid, ``g`` tanh."""
    x_t, h_prev, c_prev, kernel, recurrent_kernel = map(
        _as_float, (x_t, h_prev, c_prev, kernel, recurrent_kernel)
    )
    bias = None if bias is None else _as_float(bias)
    units = _check_cell(x_t, kernel, recurrent_kernel, bias, 4, "LSTM")
    _check_state("h_prev", h_prev, x_t.shape[0], units)
    _check_state("c_prev", c_prev, x_t.shape[0], units)
    a = x_t @ kernel + h_prev @ recurrent_kernel
    if bias is not None:
        a = a + bias
    a_i, a_f, a_g, a_o = split_gates(a, 4)
    i, f, g, o = sigmoid(a_i), sigmoid(a_f), np.tanh(a_g), sigmoid(a_o)
    c = f * c_prev + i * g
    return LSTMStep(h=o * np.tanh(c), c=c, i=i, f=f, g=g, o=o)


def _lstm_steps(x, kernel, recurrent_kernel, bias, initial_state) -> list[LSTMStep]:
    x = _as_float(x)
    _check_sequence(x)
    units = _units(_as_float(recurrent_kernel), 4, "LSTM")
    h, c = _initial_states(initial_state, 2, x.shape[0], units)
    steps = []
    for t in range(x.shape[1]):
        step = lstm_step(x[:, t], h, c, kernel, recurrent_kernel, bias)
        h, c = step.h, step.c
        steps.append(step)
    return steps


def lstm(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray | None = None,
    *,
    initial_state: Sequence[np.ndarray] | None = None,
    return_sequences: bool = False,
    return_state: bool = False,
):
    """Run an LSTM over ``x`` (batch, time, features); ``initial_state`` is ``[h0, c0]``.

    Returns the last output, or all outputs with ``return_sequences``; with ``return_state``:
    ``(output, h, c)``, a tuple as Keras 3 gives.
    """
    steps = _lstm_steps(x, kernel, recurrent_kernel, bias, initial_state)
    outputs = [step.h for step in steps]
    return _finish(outputs, [steps[-1].h, steps[-1].c], return_sequences, return_state)


def lstm_gate_activations(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray | None = None,
    *,
    initial_state: Sequence[np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """Every step's gates and states, each ``(batch, time, units)``, for heat maps.

    Keys: ``input``, ``forget``, ``candidate``, ``output``, ``cell``, ``hidden``.
    """
    steps = _lstm_steps(x, kernel, recurrent_kernel, bias, initial_state)
    fields = {
        "input": "i",
        "forget": "f",
        "candidate": "g",
        "output": "o",
        "cell": "c",
        "hidden": "h",
    }
    return {
        key: np.stack([getattr(step, field) for step in steps], axis=1)
        for key, field in fields.items()
    }


# --------------------------------------------------------------------------- GRU


def _gru_bias_shape(reset_after: bool) -> Callable[[int], tuple[int, ...]]:
    return (lambda units: (2, 3 * units)) if reset_after else (lambda units: (3 * units,))


def gru_step(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray | None = None,
    *,
    reset_after: bool = True,
) -> GRUStep:
    """One GRU step, Keras's convention: ``h = z*h_prev + (1-z)*h_tilde``.

    ``reset_after=True`` (Keras's default, bias ``(2, 3*units)``: input row, recurrent row):
    ``r`` multiplies ``h_prev @ U_h + b_rh``; ``reset_after=False`` (bias ``(3*units,)``):
    ``r`` multiplies ``h_prev`` before ``@ U_h``.
    """
    x_t, h_prev, kernel, recurrent_kernel = map(_as_float, (x_t, h_prev, kernel, recurrent_kernel))
    bias = None if bias is None else _as_float(bias)
    hint = (
        " (input and recurrent rows): was the layer built with reset_after=False?"
        if reset_after
        else ": was the layer built with reset_after=True?"
    )
    units = _check_cell(
        x_t, kernel, recurrent_kernel, bias, 3, "GRU", _gru_bias_shape(reset_after), hint
    )
    _check_state("h_prev", h_prev, x_t.shape[0], units)
    input_bias, recurrent_bias = _gru_biases(bias, units, reset_after)
    x_z, x_r, x_h = split_gates(x_t @ kernel + input_bias, 3)
    u_z, u_r, u_h = split_gates(recurrent_kernel, 3)
    b_z, b_r, b_h = split_gates(recurrent_bias, 3)
    z = sigmoid(x_z + h_prev @ u_z + b_z)
    r = sigmoid(x_r + h_prev @ u_r + b_r)
    if reset_after:
        h_tilde = np.tanh(x_h + r * (h_prev @ u_h + b_h))
    else:
        h_tilde = np.tanh(x_h + (r * h_prev) @ u_h)
    return GRUStep(h=z * h_prev + (1.0 - z) * h_tilde, z=z, r=r, h_tilde=h_tilde)


def _gru_biases(
    bias: np.ndarray | None, units: int, reset_after: bool
) -> tuple[np.ndarray, np.ndarray]:
    """(input bias, recurrent bias): Keras's two rows with ``reset_after``, else one and zeros."""
    if bias is None:
        return np.zeros(3 * units), np.zeros(3 * units)
    if reset_after:
        return bias[0], bias[1]
    return bias, np.zeros(3 * units)


def gru(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray | None = None,
    *,
    reset_after: bool = True,
    initial_state: State | None = None,
    return_sequences: bool = False,
    return_state: bool = False,
):
    """Run a GRU over ``x`` (batch, time, features); returns what Keras's layer returns.

    Last output, or every output with ``return_sequences``; with ``return_state``: ``(output, h)``.
    """
    x = _as_float(x)
    _check_sequence(x)
    units = _units(_as_float(recurrent_kernel), 3, "GRU")
    (h,) = _initial_states(initial_state, 1, x.shape[0], units)
    outputs = []
    for t in range(x.shape[1]):
        h = gru_step(x[:, t], h, kernel, recurrent_kernel, bias, reset_after=reset_after).h
        outputs.append(h)
    return _finish(outputs, [h], return_sequences, return_state)
