"""Which ``LSTM``/``GRU`` configurations the TensorFlow backend may run with the cuDNN kernel."""

from __future__ import annotations


def cudnn_blockers(layer) -> list[str]:
    """What in an ``LSTM``/``GRU`` layer's configuration rules the cuDNN kernel out (empty: none).

    The rules of the TensorFlow backend: ``use_cudnn`` and ``recurrent_dropout`` are checked in
    ``LSTM.inner_loop``/``GRU.inner_loop``; activations, ``unroll``, ``use_bias`` and the GRU's
    ``reset_after`` in ``_do_lstm_arguments_support_cudnn``/``_do_gru_arguments_support_cudnn``
    (keras/src/backend/tensorflow/rnn.py), which accept Keras's, ``keras.ops``' and TensorFlow's
    ``tanh`` and ``sigmoid`` alike. Not seen here: whether a GPU is visible when the layer is
    traced, and the mask, which must be right-padded (see ``masking.predicted_on_gpu``).
    """
    import keras
    import tensorflow as tf

    tanh = (keras.activations.tanh, keras.ops.tanh, tf.tanh)
    sigmoid = (keras.activations.sigmoid, keras.ops.sigmoid, tf.sigmoid)
    cell = layer.cell
    blockers = []
    if layer.use_cudnn is False:
        blockers.append("use_cudnn=False")
    if cell.recurrent_dropout:
        blockers.append("recurrent_dropout > 0")
    if cell.activation not in tanh:
        blockers.append(f"activation={_name(cell.activation)}, not tanh")
    if cell.recurrent_activation not in sigmoid:
        blockers.append(f"recurrent_activation={_name(cell.recurrent_activation)}, not sigmoid")
    if layer.unroll:
        blockers.append("unroll=True")
    if not cell.use_bias:
        blockers.append("use_bias=False")
    if isinstance(layer, keras.layers.GRU) and not cell.reset_after:
        blockers.append("reset_after=False")
    return blockers


def _name(function) -> str:
    return getattr(function, "__name__", repr(function))
