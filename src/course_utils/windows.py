"""Windows over running text: tokens, sliding windows, (context -> next token) pairs, partitions.

Everything here is plain NumPy so that notebooks can check Keras/``tf.data`` against it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .arguments import whole_number

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")


def tokenize(text: str) -> list[str]:
    """Lower-cased words (letters, with inner apostrophes: ``thou'rt``); punctuation dropped."""
    return _WORD.findall(text.lower())


def _check_sizes(length: int, size: int, stride: int) -> None:
    whole_number(size, "window size")
    whole_number(stride, "stride")
    if size < 1:
        raise ValueError(f"window size must be at least 1, got {size}")
    if stride < 1:
        raise ValueError(
            f"stride must be at least 1 (1 = overlapping windows, size = side by side), "
            f"got {stride}"
        )
    if size > length:
        raise ValueError(
            f"a window of {size} tokens does not fit in a sequence of {length}: "
            f"use a window of at most {length}, or a longer text"
        )


def sliding_windows(sequence: Sequence | np.ndarray, size: int, stride: int = 1) -> np.ndarray:
    """Every window of ``size`` consecutive items, one starting each ``stride`` items.

    ``stride=1`` gives overlapping windows, ``stride=size`` windows side by side; a tail too
    short for a whole window is dropped. Shape ``(n_windows, size)``.
    """
    items = np.asarray(sequence)
    _check_sizes(len(items), size, stride)
    starts = np.arange(0, len(items) - size + 1, stride)
    return items[starts[:, None] + np.arange(size)]


def next_token_pairs(
    sequence: Sequence | np.ndarray, context: int, stride: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """``(inputs, targets)``: each window's first ``context`` tokens, and the token after them."""
    windows = sliding_windows(sequence, whole_number(context, "context", minimum=1) + 1, stride)
    return windows[:, :-1], windows[:, -1]


def split_point(length: int, validation_fraction: float) -> int:
    """Where a sequence of ``length`` items is cut: the first ``1 - validation_fraction`` train."""
    length = whole_number(length, "length", minimum=0)
    if isinstance(validation_fraction, bool) or not isinstance(
        validation_fraction, int | float | np.integer | np.floating
    ):
        raise TypeError(f"validation_fraction must be a number, got {validation_fraction!r}")
    if not 0 < validation_fraction < 1:
        raise ValueError(
            f"validation_fraction must lie strictly between 0 and 1, got {validation_fraction}"
        )
    return int(round(length * (1 - validation_fraction)))


def split_then_window(
    sequence: Sequence | np.ndarray, size: int, *, validation_fraction: float, stride: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Cut the sequence once, by position, then window each side: no window crosses the cut.

    The first ``1 - validation_fraction`` of the tokens (up to :func:`split_point`) give the
    training windows, the rest the validation windows.
    """
    items = np.asarray(sequence)
    cut = split_point(len(items), validation_fraction)
    return sliding_windows(items[:cut], size, stride), sliding_windows(items[cut:], size, stride)


def sequential_partition(
    sequence: Sequence | np.ndarray, steps: int, batch_size: int, offset: int = 0
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Minibatches whose rows carry on where the same row of the previous batch stopped.

    The sequence (after ``offset``) is cut into ``batch_size`` long streams side by side; batch
    ``k`` holds steps ``k*steps ... (k+1)*steps - 1`` of every stream, and ``Y`` is ``X`` moved
    one token on. This is what a stateful RNN needs: its state at the end of row ``i`` is the
    right start for row ``i`` of the next batch.
    """
    batch_size = whole_number(batch_size, "batch_size", minimum=1)
    offset = whole_number(offset, "offset", minimum=0)
    whole_number(steps, "steps")
    items = np.asarray(sequence)[offset:]
    stream_length = max(len(items) - 1, 0) // batch_size
    _check_sizes(stream_length, steps, steps)
    inputs = items[: stream_length * batch_size].reshape(batch_size, stream_length)
    targets = items[1 : stream_length * batch_size + 1].reshape(batch_size, stream_length)
    return [
        (inputs[:, start : start + steps], targets[:, start : start + steps])
        for start in range(0, stream_length - steps + 1, steps)
    ]


def random_partition(
    sequence: Sequence | np.ndarray,
    steps: int,
    batch_size: int,
    rng: np.random.Generator,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Minibatches of non-overlapping subsequences in random order, from a random offset.

    Neighbouring rows, and the same row in consecutive batches, come from unrelated places in
    the text, so a model must not carry its state from one batch to the next.
    """
    steps = whole_number(steps, "steps", minimum=1)
    batch_size = whole_number(batch_size, "batch_size", minimum=1)
    items = np.asarray(sequence)
    offset = int(rng.integers(0, steps))
    windows = sliding_windows(items[offset:], steps + 1, steps)  # steps + 1: inputs and target
    order = rng.permutation(len(windows))
    usable = len(order) // batch_size * batch_size
    if usable == 0:
        raise ValueError(
            f"only {len(windows)} windows of {steps} steps fit: "
            f"fewer than one batch of {batch_size}"
        )
    return [
        (windows[chosen, :-1], windows[chosen, 1:])
        for chosen in order[:usable].reshape(-1, batch_size)
    ]


@dataclass(frozen=True)
class Vocabulary:
    """The ``size - 1`` most frequent tokens of a training text, plus ``<unk>`` at id 0."""

    tokens: tuple[str, ...]

    UNKNOWN = "<unk>"

    @classmethod
    def from_tokens(cls, tokens: Sequence[str], size: int) -> Vocabulary:
        whole_number(size, "vocabulary size")
        if size < 2:
            raise ValueError(f"a vocabulary needs room for <unk> and one token, got size {size}")
        common = [token for token, _ in Counter(tokens).most_common(size - 1)]
        return cls((cls.UNKNOWN, *common))

    def __len__(self) -> int:
        return len(self.tokens)

    def encode(self, tokens: Sequence[str]) -> np.ndarray:
        ids = {token: i for i, token in enumerate(self.tokens)}
        return np.array([ids.get(token, 0) for token in tokens], dtype=np.int32)

    def decode(self, ids: Sequence[int]) -> list[str]:
        return [self.tokens[int(i)] for i in ids]
