"""The two configurations a model is timed in, and the timing itself: training batches, one at a
time, after a compiling first batch and a few more to warm up.

- ``seed``: the plain configuration the course started from: the model compiled with
  ``jit_compile=False`` and TensorFlow's own thread settings (inter-op and intra-op 0: it picks).
- ``course``: what the notebooks do now: the model compiled as its notebook compiles it (the
  builders and notebook 10 ask for ``jit_compile=True``, except for IMDB in batches of similar
  length; notebook 01 leaves Keras's "auto", which is off on a CPU), TensorFlow running one op
  at a time (:func:`course_utils.environment.run_one_op_at_a_time`: inter-op 1, intra-op left to
  TensorFlow), and IMDB batches as long as the notebook's (its similar-length batches' mean).

In both, ``COURSE_INTRA_OP_THREADS`` (when set) holds each op to that many cores, as ``make run``
holds two notebooks side by side. TensorFlow takes thread settings only before its first op, once
per process, so each configuration lives in a process of its own (:mod:`.worker`).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from ..arguments import whole_number


@dataclass(frozen=True)
class Configuration:
    name: str
    one_op_at_a_time: bool  # run_one_op_at_a_time before TensorFlow's first op
    jit_compile: bool | None  # False: forced off; None: as the notebook compiles the model
    similar_lengths: bool  # batches as long as the notebook's similar-length batches, or 500
    description: str


SEED = Configuration(
    "seed", one_op_at_a_time=False, jit_compile=False, similar_lengths=False,
    description="jit_compile=False, TensorFlow's default threads, IMDB padded to 500",
)
COURSE = Configuration(
    "course", one_op_at_a_time=True, jit_compile=None, similar_lengths=True,
    description="compiled as the notebook compiles it (XLA where it asks for jit_compile=True), "
    "one op at a time (run_one_op_at_a_time: inter-op threads 1), IMDB in batches of similar "
    "length where the notebook uses them (timed at their mean length)",
)
CONFIGURATIONS = {configuration.name: configuration for configuration in (SEED, COURSE)}


def median_batch_seconds(batch_seconds: list[float]) -> float:
    """The median of the timed batches: steadier than the mean on a machine that does other
    work (one slow batch moves it little)."""
    if not batch_seconds:
        raise ValueError("no batch was timed: time at least one (--steps 1)")
    return statistics.median(batch_seconds)


def seconds_per_epoch(batch_seconds: list[float], batches_per_epoch: int) -> float:
    """Median seconds per batch times the batches in one of the notebook's epochs."""
    batches_per_epoch = whole_number(batches_per_epoch, "batches_per_epoch", minimum=1)
    return median_batch_seconds(batch_seconds) * batches_per_epoch


def compile_seconds(first_batch: float, batch_seconds: list[float]) -> float:
    """What the first batch took beyond a steady one: tracing, and XLA's compiling when on."""
    return max(first_batch - median_batch_seconds(batch_seconds), 0.0)


class Timed:
    """A model of the catalogue, built and compiled in this process's configuration, with one
    batch of its real shapes; the first batch (which compiles) is run and timed on creation."""

    def __init__(self, spec, configuration: Configuration, *, warmup: int, seed: int = 0):
        import keras
        import numpy as np
        import tensorflow as tf

        warmup = whole_number(warmup, "warmup", minimum=1)
        keras.utils.set_random_seed(seed)  # as the notebooks seed before building
        self.model = spec.build()
        if configuration.jit_compile is not None:
            self.model.jit_compile = configuration.jit_compile  # read when the first batch runs
        x, y = spec.batch(np.random.default_rng(seed))
        if configuration.similar_lengths and spec.similar_length_steps:
            x = x[:, -spec.similar_length_steps:]  # the padding goes in front: keep the end
        self._x, self._y = tf.constant(x), tf.constant(y)
        started = time.perf_counter()
        self._step()
        self.first_batch_seconds = time.perf_counter() - started
        for _ in range(warmup - 1):
            self._step()

    def _step(self) -> None:
        # train_on_batch returns the loss as a Python float: the step has finished when it does
        self.model.train_on_batch(self._x, self._y)

    def time(self, steps: int) -> list[float]:
        """Seconds of each of ``steps`` training batches."""
        seconds = []
        for _ in range(whole_number(steps, "steps", minimum=1)):
            started = time.perf_counter()
            self._step()
            seconds.append(time.perf_counter() - started)
        return seconds

    @property
    def jit_compile(self) -> bool:
        """Whether XLA compiled the training step (Keras's answer, after compiling)."""
        return bool(self.model.jit_compile)

    @property
    def params(self) -> int:
        return self.model.count_params()
