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
