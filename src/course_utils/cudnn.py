"""cuDNN on the TensorFlow backend: when Keras can use it, and the measured speed-up.

Keras 3 has no ``CuDNNLSTM``/``CuDNNGRU`` layers: ``LSTM`` and ``GRU`` pick the cuDNN kernel
themselves (``use_cudnn="auto"``) on a GPU when their configuration allows it. The timings
measured on a GPU are kept in ``cudnn_timings.json`` beside this file, with the hardware,
versions and date; ``python -m course_utils.cudnn`` measures them anew (on a GPU only).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

TIMINGS_FILE = Path(__file__).with_name("cudnn_timings.json")
WORKLOAD = {"reviews": 8_192, "maxlen": 500, "batch_size": 128, "epochs": 3}

# Each configuration: (name, layer class, keyword arguments).
CONFIGURATIONS = (
    ("LSTM(32), cuDNN (use_cudnn='auto')", "LSTM", {}),
    ("LSTM(32), use_cudnn=False", "LSTM", {"use_cudnn": False}),
    ("LSTM(32), recurrent_dropout=0.2", "LSTM", {"recurrent_dropout": 0.2}),
    ("GRU(32), cuDNN (use_cudnn='auto')", "GRU", {}),
    ("GRU(32), use_cudnn=False", "GRU", {"use_cudnn": False}),
    ("GRU(32), recurrent_dropout=0.2", "GRU", {"recurrent_dropout": 0.2}),
)


def cudnn_blockers(layer) -> list[str]:
    """What in an ``LSTM``/``GRU`` layer's configuration rules the cuDNN kernel out (empty: none).

    The data can still rule it out at run time: no GPU, or a mask that is not right-padded.
    """
    import keras

    cell = layer.cell
    blockers = []
    if layer.use_cudnn is False:
        blockers.append("use_cudnn=False")
    if cell.recurrent_dropout:
        blockers.append("recurrent_dropout > 0")
    if cell.activation is not keras.activations.tanh:
        blockers.append(f"activation={cell.activation.__name__}, not tanh")
    if cell.recurrent_activation is not keras.activations.sigmoid:
        blockers.append(f"recurrent_activation={cell.recurrent_activation.__name__}, not sigmoid")
    if layer.unroll:
        blockers.append("unroll=True")
    if not cell.use_bias:
        blockers.append("use_bias=False")
    if isinstance(layer, keras.layers.GRU) and not cell.reset_after:
        blockers.append("reset_after=False")
    return blockers


def epoch_seconds(
    layer_name: str,
    options: dict,
    *,
    reviews: int,
    maxlen: int,
    batch_size: int,
    epochs: int,
    seed: int = 0,
) -> float:
    """Median seconds per epoch (after the first) of the IMDB model of notebooks 03-05 with the
    given recurrent layer, on random reviews of the IMDB shape (speed does not depend on words)."""
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
    model.compile(optimizer="rmsprop", loss="binary_crossentropy")
    timer = EpochTimer()
    model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0, callbacks=[timer])
    return timer.seconds_per_epoch


def measure(**workload) -> dict:
    """Time every configuration on this machine (``WORKLOAD`` sizes unless overridden); the
    result has the layout of ``cudnn_timings.json``."""
    import keras
    import tensorflow as tf

    from .environment import describe_device

    workload = {**WORKLOAD, **workload}
    rows = []
    for name, layer_name, options in CONFIGURATIONS:
        started = time.perf_counter()
        seconds = epoch_seconds(layer_name, options, **workload)
        rows.append({"configuration": name, "seconds_per_epoch": round(seconds, 3)})
        print(f"  {name:<40} {seconds:7.2f} s/epoch  ({time.perf_counter() - started:.0f} s)")
    build = tf.sysconfig.get_build_info()
    return {
        "status": "measured",
        "device": describe_device(),
        "versions": {
            "tensorflow": tf.__version__,
            "keras": keras.__version__,
            "cuda": build.get("cuda_version"),
            "cudnn": build.get("cudnn_version"),
            "python": platform.python_version(),
        },
        "date": datetime.now(UTC).date().isoformat(),
        "workload": workload,
        "rows": rows,
    }


def recorded_timings(path: Path = TIMINGS_FILE) -> dict:
    """The last table measured on a GPU (``status`` says whether there is one)."""
    return json.loads(path.read_text(encoding="utf-8"))


def format_timings(table: dict) -> str:
    """The table as text: hardware, versions and date, then seconds per epoch and speed-ups."""
    if table.get("status") != "measured":
        return f"No GPU timings recorded yet: {table.get('note', '')}".strip()
    versions = ", ".join(f"{k} {v}" for k, v in table["versions"].items() if v)
    lines = [
        f"Measured on {table['device']} ({versions}), {table['date']}:",
        f"  workload: {table['workload']}",
    ]
    by_name = {row["configuration"]: row["seconds_per_epoch"] for row in table["rows"]}
    for row in table["rows"]:
        cell = row["configuration"].split(",")[0]
        fastest = by_name.get(f"{cell}, cuDNN (use_cudnn='auto')")
        ratio = f"{row['seconds_per_epoch'] / fastest:5.1f}x the cuDNN time" if fastest else ""
        lines.append(
            f"  {row['configuration']:<40} {row['seconds_per_epoch']:7.2f} s/epoch  {ratio}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure the cuDNN timing table on a GPU.")
    parser.add_argument("--output", type=Path, default=TIMINGS_FILE)
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args(argv)
    from .environment import gpu_available

    if not gpu_available():
        print("No GPU visible: the cuDNN table can only be measured on a GPU.", file=sys.stderr)
        return 1
    table = measure(epochs=args.epochs)
    args.output.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    print(format_timings(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
