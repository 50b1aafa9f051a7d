"""Seconds per epoch of notebook 03's IMDB model with each recurrent layer configuration."""

from __future__ import annotations

import platform
import time
import warnings
from datetime import UTC, datetime

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

# What the jit_compile setter warns when a model cannot be compiled by XLA (trainer.py).
_NO_JIT_WARNING = "Model doesn't support `jit_compile=True`"


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
    """Median seconds per epoch (after the first) of the IMDB model of notebooks 03-05
    (``models.sentiment_model``) with the given recurrent layer, on random reviews of the IMDB
    shape (speed does not depend on words), compiled with ``jit_compile``; raises if Keras
    compiled it otherwise."""
    import keras
    import numpy as np

    from ..models import sentiment_model
    from ..timing import EpochTimer

    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 10_000, size=(reviews, maxlen))
    y = rng.integers(0, 2, size=reviews)
    layer = getattr(keras.layers, layer_name)(32, **options, name=layer_name.lower())
    with warnings.catch_warnings():
        # sentiment_model compiles with jit_compile=True as the notebooks do; on a GPU Keras
        # warns that a cuDNN-capable layer cannot have it. The table's value is set just below.
        warnings.filterwarnings("ignore", message=_NO_JIT_WARNING)
        model = sentiment_model(layer, f"imdb_{layer_name.lower()}", maxlen=maxlen)
    model.jit_compile = jit_compile  # read when fit builds its train step
    timer = EpochTimer()
    model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0, callbacks=[timer])
    if bool(model.jit_compile) != jit_compile:
        raise RuntimeError(
            f"{layer_name}({options}) was compiled with jit_compile={model.jit_compile}, not "
            f"{jit_compile}: its row would not be comparable with the others"
        )
    return timer.seconds_per_epoch


def measure(**workload) -> dict:
    """Time every configuration on this machine (``WORKLOAD`` sizes unless overridden), each
    compiled with ``jit_compile=JIT_COMPILE``; the result has the layout of
    ``cudnn_timings.json`` (without the masking outcomes)."""
    from ..environment import describe_device

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
