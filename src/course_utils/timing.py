"""Seconds per epoch, measured by a Keras callback."""

from __future__ import annotations

import statistics
import time

import keras


class EpochTimer(keras.callbacks.Callback):
    """Times each epoch of ``fit``; the first epoch also pays for tracing, so it is kept apart."""

    def __init__(self) -> None:
        super().__init__()
        self.epoch_seconds: list[float] = []

    def on_epoch_begin(self, epoch, logs=None) -> None:
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None) -> None:
        self.epoch_seconds.append(time.perf_counter() - self._start)

    @property
    def seconds_per_epoch(self) -> float:
        """Median epoch time, leaving out the first epoch when there are later ones."""
        if not self.epoch_seconds:
            raise ValueError("no epoch has been timed yet: pass the timer to fit(callbacks=[...])")
        steady = self.epoch_seconds[1:] or self.epoch_seconds
        return statistics.median(steady)


def fit_timed(model, *args, monitor: str = "val_loss", patience: int | None = 2, **fit_kwargs):
    """``model.fit(*args, **fit_kwargs)``, timing every epoch and keeping the best epoch.

    The weights of the epoch with the best ``monitor`` value are restored at the end; with a
    ``patience``, training also stops once ``monitor`` has not improved for that many epochs
    (``None``: run every epoch). Returns ``(history, seconds_per_epoch)``.
    """
    timer = EpochTimer()
    best = keras.callbacks.EarlyStopping(
        monitor=monitor,
        patience=patience if patience is not None else 10**9,
        restore_best_weights=True,
    )
    callbacks = [timer, best, *fit_kwargs.pop("callbacks", [])]
    if args and type(args[0]).__module__.startswith("tensorflow"):
        fit_kwargs.setdefault("shuffle", False)  # a tf.data pipeline shuffles (or not) itself
    history = model.fit(*args, callbacks=callbacks, **fit_kwargs)
    return history, timer.seconds_per_epoch
