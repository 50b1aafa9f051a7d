"""Reference maths that only the tests use: a SimpleRNN in NumPy, to check Keras's SimpleRNN
against. The LSTM and GRU references are in ``course_utils.reference_cells``, which notebooks 04
and 05 use; notebook 02 writes its own SimpleRNN loop on its slides."""

from __future__ import annotations

import numpy as np


def simple_rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias=None) -> np.ndarray:
    """``h_t = tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias)``, in float64."""
    x_t, h_prev, kernel, recurrent_kernel = (
        np.asarray(a, dtype=np.float64) for a in (x_t, h_prev, kernel, recurrent_kernel)
    )
    a = x_t @ kernel + h_prev @ recurrent_kernel
    return np.tanh(a if bias is None else a + np.asarray(bias, dtype=np.float64))


def simple_rnn(
    x,
    kernel,
    recurrent_kernel,
    bias=None,
    *,
    initial_state=None,
    return_sequences: bool = False,
    return_state: bool = False,
):
    """Run a SimpleRNN over ``x`` (batch, time, features); returns what Keras's layer returns:
    the last output or every output, and with ``return_state`` ``(output, h)``."""
    x = np.asarray(x, dtype=np.float64)
    h = np.zeros((x.shape[0], np.shape(recurrent_kernel)[0]))
    if initial_state is not None:
        (h,) = [initial_state] if isinstance(initial_state, np.ndarray) else initial_state
    outputs = []
    for t in range(x.shape[1]):
        h = simple_rnn_step(x[:, t], h, kernel, recurrent_kernel, bias)
        outputs.append(h)
    output = np.stack(outputs, axis=1) if return_sequences else outputs[-1]
    return (output, h) if return_state else output
