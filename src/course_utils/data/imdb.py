"""IMDB reviews through the course's data layer, with ``keras.datasets.imdb`` semantics."""

from __future__ import annotations

import json
import operator
import pickle
from collections.abc import Sequence

import numpy as np

from ..arguments import whole_number
from ..profiles import Profile, active_profile
from .errors import ZIP_ERRORS, DataIntegrityError
from .fetch import locate_or_standin
from .imdb_checks import ARRAY_KEYS
from .imdb_standin import imdb_standin, imdb_standin_word_index
from .registry import IMDB, IMDB_WORD_INDEX
from .safe_npz import load_npz

Split = tuple[np.ndarray, np.ndarray]


def _raw_arrays(profile: Profile) -> tuple[dict[str, np.ndarray], str]:
    """The stored arrays and where they come from, or a generated stand-in (smoke profile)."""
    path = locate_or_standin(IMDB, profile)
    if path is None:
        return imdb_standin(), "the generated stand-in"
    try:
        arrays = load_npz(path, ARRAY_KEYS)
    except (*ZIP_ERRORS, pickle.UnpicklingError, ValueError) as error:
        raise DataIntegrityError(
            f"{path} is not a readable IMDB .npz archive ({error}). Replace it with a fresh copy."
        ) from None
    missing = [key for key in ARRAY_KEYS if key not in arrays]
    if missing:
        raise DataIntegrityError(f"{path} lacks the arrays {missing}; it is not an IMDB file.")
    return arrays, str(path)


def load_imdb(
    num_words: int | None = None,
    skip_top: int = 0,
    maxlen: int | None = None,
    seed: int = 113,
    start_char: int | None = 1,
    oov_char: int | None = 2,
    index_from: int = 3,
    *,
    profile: Profile | None = None,
) -> tuple[Split, Split]:
    """``(x_train, y_train), (x_test, y_test)`` exactly as ``keras.datasets.imdb.load_data``.

    Note Keras's ``maxlen``: it *drops* reviews of ``maxlen`` words or more, it does not
    truncate them (``keras.utils.pad_sequences`` truncates).
    """
    _check_options(num_words, skip_top, maxlen, start_char, oov_char, index_from)
    arrays, source = _raw_arrays(profile or active_profile())
    prefix = [start_char] if start_char is not None else []
    kept = []
    for sequences, labels in _shuffled_splits(arrays, seed):
        pairs = _offset_pairs(sequences, labels, prefix, index_from, source)
        kept.append([(seq, y) for seq, y in pairs if len(seq) < maxlen] if maxlen else pairs)
    if maxlen and not (kept[0] and kept[1]):
        raise ValueError(f"No review is shorter than maxlen={maxlen}: increase maxlen.")
    if not num_words:
        num_words = max(max(seq) for pairs in kept for seq, _ in pairs)

    def clip(seq: list[int]) -> list[int]:
        if oov_char is not None:
            return [w if skip_top <= w < num_words else oov_char for w in seq]
        return [w for w in seq if skip_top <= w < num_words]

    result = []
    for pairs in kept:
        sequences = np.empty(len(pairs), dtype=object)
        sequences[:] = [clip(seq) for seq, _ in pairs]
        result.append((sequences, np.array([y for _, y in pairs], dtype=np.int64)))
    return result[0], result[1]


def _check_options(num_words, skip_top, maxlen, start_char, oov_char, index_from) -> None:
    """Every size and index is a whole number from 0 (those that may be ``None``, or ``None``)."""
    for name, value in {"skip_top": skip_top, "index_from": index_from}.items():
        whole_number(value, name, minimum=0)
    optional = {"num_words": num_words, "maxlen": maxlen, "start_char": start_char}
    for name, value in {**optional, "oov_char": oov_char}.items():
        if value is not None:
            whole_number(value, name, minimum=0)


def _shuffled_splits(arrays: dict[str, np.ndarray], seed: int) -> list[Split]:
    """Train and test, each shuffled as Keras does: one generator for both splits."""
    rng = np.random.RandomState(seed)
    splits = []
    for x_key, y_key in (("x_train", "y_train"), ("x_test", "y_test")):
        order = np.arange(len(arrays[x_key]))
        rng.shuffle(order)
        splits.append((arrays[x_key][order], np.asarray(arrays[y_key])[order]))
    return splits


def _offset_pairs(sequences, labels, prefix: list[int], index_from: int, source: str) -> list:
    """(review, label) pairs, each review's ranks moved up by ``index_from`` after ``prefix``."""
    try:
        return [
            (prefix + [operator.index(w) + index_from for w in seq], y)
            for seq, y in zip(sequences, labels, strict=True)
        ]
    except (TypeError, ValueError) as error:
        raise DataIntegrityError(
            f"{source} holds a review that is not a sequence of whole-number word ranks, or "
            f"not one label per review ({error}). Replace it with a fresh copy."
        ) from None


def load_imdb_padded(
    num_words: int, maxlen: int, *, limit: int | None = None, profile: Profile | None = None
) -> tuple[Split, Split]:
    """IMDB as the lecture feeds it: ``num_words`` kept, every review padded or cut to
    ``maxlen`` by ``keras.utils.pad_sequences`` (zeros first, the end kept), at most ``limit``
    reviews per split. Notebook 03 builds this step by step; later notebooks call this."""
    import keras

    whole_number(num_words, "num_words", minimum=1)
    whole_number(maxlen, "maxlen", minimum=1)
    if limit is not None:
        whole_number(limit, "limit", minimum=0)
    (x_train, y_train), (x_test, y_test) = load_imdb(num_words=num_words, profile=profile)
    keep = slice(None, limit)
    return (
        (keras.utils.pad_sequences(x_train[keep], maxlen=maxlen), y_train[keep]),
        (keras.utils.pad_sequences(x_test[keep], maxlen=maxlen), y_test[keep]),
    )


def load_imdb_word_index(*, profile: Profile | None = None) -> dict[str, int]:
    """word -> frequency rank (1 = most frequent), as ``keras.datasets.imdb.get_word_index``."""
    path = locate_or_standin(IMDB_WORD_INDEX, profile or active_profile())
    if path is None:
        return imdb_standin_word_index()
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise DataIntegrityError(
            f"{path} is not a readable word-index JSON file ({error}). Replace it."
        ) from None


def decode_review(
    sequence: Sequence[int],
    word_index: dict[str, int],
    *,
    index_from: int = 3,
    start_char: int = 1,
    oov_char: int = 2,
) -> str:
    """The words of an encoded review; ``[START]``, ``[OOV]`` for the markers, padding dropped."""
    words = {rank + index_from: word for word, rank in word_index.items()}
    words[start_char] = "[START]"
    words[oov_char] = "[OOV]"
    return " ".join(words.get(int(token), "[?]") for token in sequence if int(token) != 0)
