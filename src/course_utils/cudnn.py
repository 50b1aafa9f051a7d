"""cuDNN on the TensorFlow backend: when Keras can use it, what a mask must look like, and the
measured speed-up.

Keras 3 has no ``CuDNNLSTM``/``CuDNNGRU`` layers: ``LSTM`` and ``GRU`` pick the cuDNN kernel
themselves on a GPU when their configuration allows it, as ``tf.keras`` did since TensorFlow 2.0;
what Keras 3 adds is the ``use_cudnn`` argument ("auto", True, False). The timings and the
masking outcomes measured on a GPU are kept in ``cudnn_timings.json`` beside this file, with the
hardware, versions and date; ``python -m course_utils.cudnn`` measures both anew (on a GPU only).

Source references are to the pinned Keras: ``keras/src/layers/rnn/lstm.py`` and ``gru.py``
(``inner_loop``), ``keras/src/backend/tensorflow/rnn.py`` (``cudnn_ok``, ``lstm``, ``gru``,
``_assert_valid_mask``) and ``keras/src/trainers/trainer.py`` (the ``jit_compile`` setter).
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

TIMINGS_FILE = Path(__file__).with_name("cudnn_timings.json")
WORKLOAD = {"reviews": 8_192, "maxlen": 500, "batch_size": 128, "epochs": 3}

# Every row of the table is compiled with this, so that the rows differ in the kernel alone.
# On a GPU, Keras keeps XLA off for an LSTM/GRU whose activations, unroll and bias allow cuDNN,
# recurrent_dropout or not (LSTM.__init__/GRU.__init__ set supports_jit=False without looking
# at recurrent_dropout), and the jit_compile setter turns True into False for such a model;
# left at "auto", the use_cudnn=False row alone would be compiled by XLA. False is the one
# value every row can have.
JIT_COMPILE = False

# Each configuration: (name, layer class, keyword arguments).
CONFIGURATIONS = (
    ("LSTM(32), cuDNN (use_cudnn='auto')", "LSTM", {}),
    ("LSTM(32), use_cudnn=False", "LSTM", {"use_cudnn": False}),
    ("LSTM(32), recurrent_dropout=0.2", "LSTM", {"recurrent_dropout": 0.2}),
    ("GRU(32), cuDNN (use_cudnn='auto')", "GRU", {}),
    ("GRU(32), use_cudnn=False", "GRU", {"use_cudnn": False}),
    ("GRU(32), recurrent_dropout=0.2", "GRU", {"recurrent_dropout": 0.2}),
)

# The masked batches of the masking check: how the padding (token 0, masked) is placed.
PADDINGS = ("right-padded", "left-padded", "a fully masked row")
MASK_ASSERTION = "does not correspond to right-padded sequences"  # _assert_valid_mask's message


def cudnn_blockers(layer) -> list[str]:
    """What in an ``LSTM``/``GRU`` layer's configuration rules the cuDNN kernel out (empty: none).

    The rules of the TensorFlow backend: ``use_cudnn`` and ``recurrent_dropout`` are checked in
    ``LSTM.inner_loop``/``GRU.inner_loop``; activations, ``unroll``, ``use_bias`` and the GRU's
    ``reset_after`` in ``_do_lstm_arguments_support_cudnn``/``_do_gru_arguments_support_cudnn``
    (keras/src/backend/tensorflow/rnn.py), which accept Keras's, ``keras.ops``' and TensorFlow's
    ``tanh`` and ``sigmoid`` alike. Not seen here: whether a GPU is visible when the layer is
    traced, and the mask, which must be right-padded (see ``predicted_on_gpu``).
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


def epoch_seconds(
    layer_name: str,
    options: dict,
    *,
    reviews: int,
    maxlen: int,
    batch_size: int,
    epochs: int,
    seed: int = 0,
    jit_compile: bool = JIT_COMPILE,
) -> float:
    """Median seconds per epoch (after the first) of the IMDB model of notebooks 03-05 with the
    given recurrent layer, on random reviews of the IMDB shape (speed does not depend on words),
    compiled with ``jit_compile``; raises if Keras compiled it otherwise."""
    import keras
    import numpy as np

    from .timing import EpochTimer

    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 10_000, size=(reviews, maxlen))
    y = rng.integers(0, 2, size=reviews)
    model = keras.Sequential(
        [
            keras.Input(shape=(maxlen,), dtype="int32"),
            keras.layers.Embedding(10_000, 32),
            getattr(keras.layers, layer_name)(32, **options),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", jit_compile=jit_compile)
    timer = EpochTimer()
    model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0, callbacks=[timer])
    if bool(model.jit_compile) != jit_compile:
        raise RuntimeError(
            f"{layer_name}({options}) was compiled with jit_compile={model.jit_compile}, not "
            f"{jit_compile}: its row would not be comparable with the others"
        )
    return timer.seconds_per_epoch


def _versions() -> dict:
    import keras
    import tensorflow as tf

    build = tf.sysconfig.get_build_info()
    return {
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "cuda": build.get("cuda_version"),
        "cudnn": build.get("cudnn_version"),
        "python": platform.python_version(),
    }


def measure(**workload) -> dict:
    """Time every configuration on this machine (``WORKLOAD`` sizes unless overridden), each
    compiled with ``jit_compile=JIT_COMPILE``; the result has the layout of
    ``cudnn_timings.json`` (without the masking outcomes)."""
    from .environment import describe_device

    workload = {**WORKLOAD, **workload}
    rows = []
    for name, layer_name, options in CONFIGURATIONS:
        started = time.perf_counter()
        seconds = epoch_seconds(layer_name, options, **workload, jit_compile=JIT_COMPILE)
        rows.append(
            {
                "configuration": name,
                "seconds_per_epoch": round(seconds, 3),
                "jit_compile": JIT_COMPILE,
            }
        )
        print(f"  {name:<40} {seconds:7.2f} s/epoch  ({time.perf_counter() - started:.0f} s)")
    return {
        "status": "measured",
        "device": describe_device(),
        "versions": _versions(),
        "date": datetime.now(UTC).date().isoformat(),
        "jit_compile": JIT_COMPILE,
        "workload": workload,
        "rows": rows,
    }


# --- masks and cuDNN ------------------------------------------------------------------------


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


# --- the file and its table -----------------------------------------------------------------


def recorded_timings(path: Path = TIMINGS_FILE) -> dict:
    """The last table measured on a GPU (``status`` says whether there is one)."""
    return json.loads(path.read_text(encoding="utf-8"))


def write_timings(table: dict, path: Path = TIMINGS_FILE) -> None:
    """Write a measured table (timings and masking outcomes) as ``recorded_timings`` reads it."""
    if table.get("status") != "measured" or "GPU" not in str(table.get("device")):
        raise ValueError("only a table measured on a GPU is written")
    path.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def format_timings(table: dict) -> str:
    """The table as text: hardware, versions and date, then seconds per epoch, speed-ups and
    whether each row was compiled by XLA (``jit_compile``)."""
    jit = table.get("jit_compile", JIT_COMPILE)
    if table.get("status") != "measured":
        note = f"No GPU timings recorded yet: {table.get('note', '')}".strip()
        plan = f"Every row is to be compiled with jit_compile={jit}, so that rows differ in kernel."
        return "\n".join([*textwrap.wrap(note, 92), plan])
    versions = ", ".join(f"{k} {v}" for k, v in table["versions"].items() if v)
    lines = [
        f"Measured on {table['device']} ({versions}), {table['date']}:",
        f"  workload: {table['workload']}; every row compiled with jit_compile={jit}",
        f"  {'configuration':<40} {'s/epoch':>7}  {'jit_compile':>11}",
    ]
    by_name = {row["configuration"]: row["seconds_per_epoch"] for row in table["rows"]}
    for row in table["rows"]:
        cell = row["configuration"].split(",")[0]
        fastest = by_name.get(f"{cell}, cuDNN (use_cudnn='auto')")
        ratio = f"{row['seconds_per_epoch'] / fastest:5.1f}x the cuDNN time" if fastest else ""
        lines.append(
            f"  {row['configuration']:<40} {row['seconds_per_epoch']:7.2f}  "
            f"{row.get('jit_compile', jit)!s:>11}  {ratio}"
        )
    if table.get("masking"):
        lines += ["", format_masking(table["masking"])]
    return "\n".join(lines)


def format_masking(cases: list[dict]) -> str:
    """The masking outcomes, one line per case, with the source's prediction for a GPU."""
    lines = ["Masked batches (Embedding(mask_zero=True) → layer(8)):"]
    for case in cases:
        label = f"{case['layer']} {case['padding']}, use_cudnn={case['use_cudnn']!r}"
        label += f", {case['call']}"
        lines.append(f"  {label:<52} {case['kernel']}, {case['outcome']}")
        if "predicted_on_gpu" in case and not case.get("as_predicted"):
            lines.append(f"  {'':<52} (the source predicts on a GPU: {case['predicted_on_gpu']})")
    return "\n".join(lines)


def _gpu_visible() -> bool:
    """Keras's own test (keras/src/backend/tensorflow/rnn.py, ``_is_gpu_available``)."""
    from .environment import import_tensorflow_quietly

    return bool(import_tensorflow_quietly().config.list_logical_devices("GPU"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="On a GPU: check what cuDNN does with masked batches, measure the cuDNN "
        "timing table, and write both into cudnn_timings.json."
    )
    parser.add_argument("--output", type=Path, default=TIMINGS_FILE)
    parser.add_argument("--epochs", type=int, default=WORKLOAD["epochs"])
    args = parser.parse_args(argv)

    if not _gpu_visible():
        print(
            "No GPU visible to TensorFlow: cuDNN runs only on an NVIDIA GPU, so this machine "
            "can measure neither the table nor the masking outcomes. Nothing written to "
            f"{args.output}.",
            file=sys.stderr,
        )
        return 1
    print("Masked batches: 14 cases, one training step or call each...")
    masking = check_masking()
    print("Timings:")
    table = measure(epochs=args.epochs)
    table["masking"] = masking
    write_timings(table, args.output)
    print(format_timings(table))
    differ = sum(not case["as_predicted"] for case in masking)
    if differ:
        print(f"{differ} masking case(s) did not do what the Keras source predicts: read them.")
    print(f"Written to {args.output}: commit it.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
