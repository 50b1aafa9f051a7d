"""Batches of reviews of similar length, so that a batch is little padding.

Padded to 500 words, the average IMDB batch is more than half zeros, and a recurrent layer reads
every one of them. Here the reviews are shuffled, cut into chunks of ``chunk_batches`` batches,
sorted by length within each chunk and batched, and each batch is padded only to its longest
review. Every review is cut and padded exactly as ``keras.utils.pad_sequences(reviews, maxlen)``
would (its last ``maxlen`` words kept, zeros in front), only with fewer zeros. Notebook 05 teaches
it and uses it from there on; notebook 08 too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import keras
import numpy as np
import tensorflow as tf


class SimilarLengthBatches:
    """``reviews`` (word-index sequences) and their ``labels`` in batches of similar length.

    With ``shuffle`` (training) every epoch draws a new order from ``seed``, and every
    :meth:`dataset` starts from ``seed`` again: two models trained on two datasets of the same
    batches see the same batches in the same order. Without ``shuffle`` (validation, test) the
    reviews are sorted by length once, which pads least."""

    def __init__(
        self,
        reviews: Sequence[Sequence[int]],
        labels: np.ndarray,
        *,
        maxlen: int,
        batch_size: int = 128,
        chunk_batches: int = 20,
        shuffle: bool = True,
        seed: int = 0,
    ) -> None:
        if len(reviews) != len(labels):
            raise ValueError(
                f"{len(reviews)} reviews but {len(labels)} labels: give one label per review"
            )
        if len(reviews) == 0:
            raise ValueError("no reviews to batch")
        if min(maxlen, batch_size, chunk_batches) < 1:
            raise ValueError(
                f"maxlen, batch_size and chunk_batches must be at least 1, got {maxlen}, "
                f"{batch_size} and {chunk_batches}"
            )
        # pad_sequences' cut (truncating="pre": the last maxlen words), without its padding
        self.rows = [np.asarray(review, dtype="int32")[-maxlen:] for review in reviews]
        self.lengths = np.array([len(row) for row in self.rows])
        if self.lengths.min() == 0:
            raise ValueError("a review has no words: drop empty reviews before batching")
        self.labels = np.asarray(labels)
        self.maxlen, self.batch_size, self.chunk_batches = maxlen, batch_size, chunk_batches
        self.shuffle, self.seed = shuffle, seed

    def __len__(self) -> int:
        """Batches per epoch."""
        return -(-len(self.rows) // self.batch_size)

    def batch_order(self, rng: np.random.Generator) -> list[np.ndarray]:
        """The review indices of each batch of one epoch, drawn from ``rng`` when shuffled:
        shuffle, cut into chunks of ``chunk_batches`` batches, sort each chunk by length, batch,
        shuffle the batches."""
        if not self.shuffle:
            order = np.argsort(self.lengths, kind="stable")
            return [order[i:i + self.batch_size] for i in range(0, len(order), self.batch_size)]
        order = rng.permutation(len(self.rows))
        chunk = self.batch_size * self.chunk_batches
        batches = []
        for start in range(0, len(order), chunk):
            part = order[start:start + chunk]
            part = part[np.argsort(self.lengths[part], kind="stable")]
            batches += [part[i:i + self.batch_size] for i in range(0, len(part), self.batch_size)]
        return [batches[i] for i in rng.permutation(len(batches))]

    def padded(self, indices: np.ndarray) -> np.ndarray:
        """The reviews at ``indices``, zeros in front up to the longest of them."""
        longest = int(self.lengths[indices].max())
        return keras.utils.pad_sequences([self.rows[i] for i in indices], maxlen=longest)

    def dataset(self) -> tf.data.Dataset:
        """What ``fit`` reads: a ``tf.data.Dataset`` whose every pass is the next epoch."""
        rng = np.random.default_rng(self.seed)

        def one_epoch():
            for indices in self.batch_order(rng):
                yield self.padded(indices), self.labels[indices]

        signature = (
            tf.TensorSpec(shape=(None, None), dtype=tf.int32),
            tf.TensorSpec(shape=(None,), dtype=tf.as_dtype(self.labels.dtype)),
        )
        data = tf.data.Dataset.from_generator(one_epoch, output_signature=signature)
        return data.apply(tf.data.experimental.assert_cardinality(len(self))).prefetch(2)

    def steps_read(self) -> int:
        """Time steps a recurrent layer reads in the first epoch, padding included."""
        first = self.batch_order(np.random.default_rng(self.seed))
        return int(sum(self.lengths[indices].max() * len(indices) for indices in first))

    def steps_read_padded_to_maxlen(self) -> int:
        """The same with every review padded to ``maxlen``, as ``pad_sequences`` does."""
        return len(self.rows) * self.maxlen

    def fingerprint(self) -> str:
        """A sha256 of the reviews, labels and settings (what :mod:`course_utils.kept_runs`
        keys a run on)."""
        digest = hashlib.sha256()
        for row in self.rows:
            digest.update(len(row).to_bytes(4, "little"))
            digest.update(row.tobytes())
        digest.update(np.ascontiguousarray(self.labels).tobytes())
        digest.update(repr((self.labels.dtype.str, self.maxlen, self.batch_size,
                            self.chunk_batches, self.shuffle, self.seed)).encode())
        return digest.hexdigest()


def similar_length_splits(
    train: tuple[Sequence[Sequence[int]], np.ndarray],
    test: tuple[Sequence[Sequence[int]], np.ndarray],
    *,
    maxlen: int,
    validation_split: float = 0.2,
    batch_size: int = 128,
    seed: int = 0,
) -> dict[str, SimilarLengthBatches]:
    """Training, validation and test batches as notebook 05 builds them: the last
    ``validation_split`` of the training reviews held out, as ``fit(validation_split=...)``
    holds them out; only the training batches are shuffled."""
    if not 0 < validation_split < 1:
        raise ValueError(f"validation_split must lie between 0 and 1, got {validation_split}")
    (reviews, labels), (test_reviews, test_labels) = train, test
    split = int(np.floor(len(reviews) * (1.0 - validation_split)))  # as Keras splits
    kept = dict(maxlen=maxlen, batch_size=batch_size)
    return {
        "train": SimilarLengthBatches(reviews[:split], labels[:split], seed=seed, **kept),
        "validation": SimilarLengthBatches(reviews[split:], labels[split:], shuffle=False, **kept),
        "test": SimilarLengthBatches(test_reviews, test_labels, shuffle=False, **kept),
    }
