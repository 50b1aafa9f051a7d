"""Masked batches and the cuDNN kernel: what each padding does on this machine, and what the
pinned Keras source predicts on a GPU."""

from __future__ import annotations

import re

from .speed import JIT_COMPILE

# The masked batches of the masking check: how the padding (token 0, masked) is placed.
PADDINGS = ("right-padded", "left-padded", "a fully masked row")
MASK_ASSERTION = "does not correspond to right-padded sequences"  # _assert_valid_mask's message


def masked_batch(padding: str, *, rows: int = 4, steps: int = 8, seed: int = 0):
    """Token ids (0 is padding, masked by ``mask_zero=True``) of ``rows`` sequences of different
    lengths, ``steps`` long, padded at the end ("right-padded"), at the start ("left-padded"),
    or at the end with the last row all padding ("a fully masked row")."""
    import numpy as np

    if padding not in PADDINGS:
        raise ValueError(f"padding must be one of {PADDINGS}, not {padding!r}")
    rng = np.random.default_rng(seed)
    lengths = np.linspace(steps, 2, rows).round().astype(int)
    batch = np.zeros((rows, steps), dtype="int32")
    for row, length in enumerate(lengths):
        tokens = rng.integers(1, 100, size=length)
        if padding == "left-padded":
            batch[row, steps - length :] = tokens
        else:
            batch[row, :length] = tokens
    if padding == "a fully masked row":
        batch[-1] = 0
    return batch


def mask_picture(batch) -> str:
    """Each row's mask in one word: ``▮`` a step the layer reads, ``·`` a masked one."""
    return " ".join("".join("▮" if token else "·" for token in row) for row in batch)


def _masked_model(layer_name: str, use_cudnn, steps: int):
    """A small probe, not the IMDB model: Embedding(mask_zero=True) -> layer(8) -> Dense."""
    import keras

    keras.utils.set_random_seed(0)
    return keras.Sequential(
        [
            keras.Input(shape=(steps,), dtype="int32", name="tokens"),
            keras.layers.Embedding(100, 8, mask_zero=True, name="embedding"),
            getattr(keras.layers, layer_name)(8, use_cudnn=use_cudnn, name="recurrent"),
            keras.layers.Dense(1, name="score"),
        ],
        name=f"masked_{layer_name.lower()}",
    )


def traced_kernel(model, batch) -> str:
    """Which recurrent kernel ``model`` puts in its graph when traced on ``batch``: "cuDNN" (a
    ``CudnnRNNV3`` op), "generic loop" (a ``While`` loop), or what failed."""
    import tensorflow as tf

    try:
        graph = (
            tf.function(lambda t: model(t, training=True))
            .get_concrete_function(tf.constant(batch))
            .graph
        )
    except Exception as error:  # e.g. use_cudnn=True without a GPU
        return f"not traced: {_describe_failure(error)}"
    types = {op.type for op in graph.get_operations()}
    if any(kind.startswith("CudnnRNN") for kind in types):
        return "cuDNN"
    if types & {"While", "StatelessWhile"}:
        return "generic loop"
    return "unknown: " + ", ".join(sorted(types))


def _describe_failure(error: BaseException) -> str:
    """The error's type and its core sentence (Keras prints the original message in bold inside
    its "Exception encountered when calling ..." wrapper, and tf.function adds a traceback)."""
    text = str(error)
    if MASK_ASSERTION in text:
        return f"{type(error).__name__} from Keras's mask assertion (_assert_valid_mask)"
    bold = re.search(r"\x1b\[1m(.*?)\x1b\[0m", text, flags=re.DOTALL)
    if bold:
        text = bold.group(1)
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("Exception encountered", "in user code", "File ")):
            return f"{type(error).__name__}: {line[:200]}"
    return type(error).__name__


def masking_outcome(layer_name: str, padding: str, use_cudnn="auto", *, call="fit") -> dict:
    """Build Embedding(mask_zero=True) → ``layer_name``(8) → Dense on ``masked_batch(padding)``
    and either train it for one step (``call="fit"``: Keras's traced train step) or call it
    once eagerly (``call="eager"``). Returns the case, the kernel (for "fit": the one a trace of
    the model holds; "eager" is not traced) and the outcome ("trained", "ran" or what failed)."""
    import numpy as np

    batch = masked_batch(padding)
    model = _masked_model(layer_name, use_cudnn, batch.shape[1])
    case = {"layer": layer_name, "padding": padding, "use_cudnn": use_cudnn, "call": call}
    case["kernel"] = "not traced" if call == "eager" else traced_kernel(model, batch)
    try:
        if call == "eager":
            model(batch, training=True)
            case["outcome"] = "ran"
        else:
            model.compile(optimizer="rmsprop", loss="mse", jit_compile=JIT_COMPILE)
            targets = np.zeros((len(batch), 1), "float32")
            model.fit(batch, targets, epochs=1, batch_size=len(batch), verbose=0)
            case["outcome"] = "trained"
    except Exception as error:  # recorded, not raised: the table is what was observed
        case["outcome"] = "failed: " + _describe_failure(error)
    return case


def predicted_on_gpu(padding: str, use_cudnn="auto", call: str = "fit") -> str:
    """The "kernel, outcome" that the pinned Keras source predicts for ``masking_outcome``'s case on
    a GPU (read from keras/src/backend/tensorflow/rnn.py and lstm.py/gru.py, not run here).

    With ``use_cudnn`` "auto" or True the traced step holds the cuDNN op and, before it,
    ``_assert_valid_mask``: a ``tf.Assert`` that the mask is right-padded with no row fully
    masked. In a traced train step it fails when the step runs, and ``fit`` stops. Called
    eagerly, the assertion raises inside ``lstm()``/``gru()``, whose ``except
    InvalidArgumentError`` turns it into ``NotImplementedError``: "auto" then falls back to the
    generic loop, True raises ``ValueError``. ``use_cudnn=False`` never tries cuDNN.
    """
    if call == "eager":
        bad_mask = padding != "right-padded" and use_cudnn is True
        return "not traced, " + ("failed: ValueError" if bad_mask else "ran")
    if use_cudnn is False:
        return "generic loop, trained"
    if padding == "right-padded":
        return "cuDNN, trained"
    return "cuDNN, failed: InvalidArgumentError from Keras's mask assertion (_assert_valid_mask)"


def check_masking(layers=("LSTM", "GRU")) -> list[dict]:
    """Every masking case for ``layers``: each padding with ``use_cudnn`` "auto" and False in
    ``fit``, and the left-padded batch called eagerly; each with the source's prediction for a
    GPU and whether this machine did as predicted (on a CPU: never where cuDNN is predicted)."""
    cases = [
        (layer, padding, use_cudnn, "fit")
        for layer in layers
        for padding in PADDINGS
        for use_cudnn in ("auto", False)
    ]
    cases += [(layer, "left-padded", "auto", "eager") for layer in layers]
    results = []
    for layer, padding, use_cudnn, call in cases:
        result = masking_outcome(layer, padding, use_cudnn, call=call)
        result["predicted_on_gpu"] = predicted_on_gpu(padding, use_cudnn, call)
        result["as_predicted"] = f"{result['kernel']}, {result['outcome']}".startswith(
            result["predicted_on_gpu"]
        )
        results.append(result)
    return results
