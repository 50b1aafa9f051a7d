"""The models later notebooks reuse, each saved here from the notebook that teaches it.

A notebook that teaches a model writes it out in full; this module holds the same definition,
word for word (``tests/test_saved_definitions.py`` checks that), so that later notebooks can
say "the same model with another layer" by calling it.
"""

from __future__ import annotations

import keras


def sentiment_model(middle, name, *, max_features=10_000, maxlen=500, mask_zero=False,
                    jit_compile=True):
    """Embedding -> `middle` -> a sigmoid neuron, compiled as in the lecture (notebook 03)."""
    model = keras.Sequential(
        [
            keras.Input(shape=(maxlen,), dtype="int32", name="review"),
            keras.layers.Embedding(max_features, 32, mask_zero=mask_zero, name="embedding"),
            middle,
            keras.layers.Dense(1, activation="sigmoid", name="positive"),
        ],
        name=name,
    )
    model.compile(
        optimizer="rmsprop", loss="binary_crossentropy", metrics=["acc"], jit_compile=jit_compile
    )
    return model


def forecaster(*middle, name, window):
    """A window of shape `window` (steps, features) -> `middle` -> one temperature, compiled
    as in the book: RMSprop, MAE (notebook 06)."""
    model = keras.Sequential(
        [
            keras.Input(shape=window, name="window"),
            *middle,
            keras.layers.Dense(1, name="temperature"),
        ],
        name=name,
    )
    model.compile(optimizer="rmsprop", loss="mae", jit_compile=True)
    return model
