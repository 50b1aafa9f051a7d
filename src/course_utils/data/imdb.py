"""IMDB reviews through the course's data layer, with ``keras.datasets.imdb`` semantics."""

from __future__ import annotations

import json
import operator
import pickle
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..profiles import Profile, active_profile
from ..windows import whole_number
from .fetch import DataIntegrityError, register_validator
from .registry import IMDB, IMDB_WORD_INDEX
from .safe_npz import load_npz
from .standins import imdb_standin, imdb_standin_word_index, locate_or_standin

_KEYS = ("x_train", "y_train", "x_test", "y_test")
REVIEWS = {"train": 25_000, "test": 25_000}  # per split, in every copy of the data set
MAX_MEMBER_BYTES = 256 * 2**20  # an array in the real file expands to about 14 MB
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError)


def validate_imdb_npz(path: Path, label: str | None = None) -> None:
    """Raise ``DataIntegrityError`` unless ``path`` has the structure of ``imdb.npz``.

    For copies that are not byte-identical to Keras's file (a mirror may hold the reviews
    re-tokenised): the four arrays ``x_train, y_train, x_test, y_test`` present, 25,000 reviews
    and as many labels in each split, labels 0 and 1 only. Cheap: reads the zip's directory,
    the arrays' headers and the labels, never the pickled reviews.
    """
    label = label or str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = {info.filename: info for info in archive.infolist()}
            missing = [key for key in _KEYS if f"{key}.npy" not in members]
            if missing:
                raise DataIntegrityError(
                    f"{label} lacks the arrays {missing}: it is not an IMDB file in the "
                    f"keras.datasets.imdb layout (x_train, y_train, x_test, y_test)."
                )
            for key in _KEYS:
                info = members[f"{key}.npy"]
                if info.file_size > MAX_MEMBER_BYTES:
                    raise DataIntegrityError(
                        f"{label}: its array {key} would expand to {info.file_size:,} bytes, "
                        f"says the zip's directory; no IMDB array comes near "
                        f"{MAX_MEMBER_BYTES:,}, and nothing over that is read."
                    )
            for split, count in REVIEWS.items():
                x_shape, x_dtype = _header(archive, f"x_{split}.npy")
                y_shape, y_dtype = _header(archive, f"y_{split}.npy")
                if x_shape[:1] != (count,) or y_shape != (count,):
                    raise DataIntegrityError(
                        f"{label} holds {x_shape[:1] or x_shape} reviews and {y_shape} labels "
                        f"in its {split} split, where IMDB has {count:,} of each: it is cut "
                        f"short or is not the IMDB data set."
                    )
                if not (x_dtype.hasobject or np.issubdtype(x_dtype, np.integer)):
                    raise DataIntegrityError(
                        f"{label}: x_{split} holds {x_dtype} values, not word-rank sequences."
                    )
                if not (np.issubdtype(y_dtype, np.integer) or y_dtype == np.bool_):
                    raise DataIntegrityError(
                        f"{label}: y_{split} holds {y_dtype} values, not 0/1 labels."
                    )
                with archive.open(f"y_{split}.npy") as stream:
                    labels = np.lib.format.read_array(stream, allow_pickle=False)
                found = np.unique(labels).tolist()
                if found != [0, 1]:
                    raise DataIntegrityError(
                        f"{label}: the labels of its {split} split are {found[:10]}, where IMDB "
                        f"has 0 (negative) and 1 (positive)."
                    )
    except DataIntegrityError:
        raise
    except (*_ZIP_ERRORS, ValueError) as error:
        raise DataIntegrityError(
            f"{label} is not a readable IMDB .npz archive ({error})."
        ) from None


def _header(archive: zipfile.ZipFile, member: str) -> tuple[tuple[int, ...], np.dtype]:
    """An ``.npy`` member's shape and dtype, read from its header alone."""
    with archive.open(member) as stream:
        version = np.lib.format.read_magic(stream)
        read = (
            np.lib.format.read_array_header_1_0
            if version == (1, 0)
            else np.lib.format.read_array_header_2_0
        )
        shape, _fortran_order, dtype = read(stream)
    return shape, dtype


def validate_word_index(path: Path, label: str | None = None) -> None:
    """Raise ``DataIntegrityError`` unless ``path`` is a JSON object of words and ranks from 1."""
    label = label or str(path)
    if path.stat().st_size > MAX_MEMBER_BYTES:
        raise DataIntegrityError(
            f"{label} holds {path.stat().st_size:,} bytes; the IMDB word index has about 2 MB, "
            f"and nothing over {MAX_MEMBER_BYTES:,} is read."
        )
    try:
        index = json.loads(path.read_bytes().decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise DataIntegrityError(f"{label} is not a readable JSON file ({error}).") from None
    if not isinstance(index, dict) or not index:
        raise DataIntegrityError(
            f"{label} holds a JSON {type(index).__name__}{' that is empty' if not index else ''}, "
            f"not the word -> rank object of the IMDB word index."
        )
    for word, rank in index.items():
        if type(rank) is not int or rank < 1:
            raise DataIntegrityError(
                f"{label} gives the word {word!r} the rank {rank!r}: ranks are whole numbers "
                f"from 1. It is not the IMDB word index."
            )


def _raw_arrays(profile: Profile) -> tuple[dict[str, np.ndarray], str]:
    """The stored arrays and where they come from, or a generated stand-in (smoke profile)."""
    path = locate_or_standin(IMDB, profile)
    if path is None:
        return imdb_standin(), "the generated stand-in"
    try:
        arrays = load_npz(path, _KEYS)
    except (*_ZIP_ERRORS, pickle.UnpicklingError, ValueError) as error:
        raise DataIntegrityError(
            f"{path} is not a readable IMDB .npz archive ({error}). Replace it with a fresh copy."
        ) from None
    missing = [key for key in _KEYS if key not in arrays]
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
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """``(x_train, y_train), (x_test, y_test)`` exactly as ``keras.datasets.imdb.load_data``.

    Note Keras's ``maxlen``: it *drops* reviews of ``maxlen`` words or more, it does not
    truncate them (``keras.utils.pad_sequences`` truncates).
    """
    for name, value in {"skip_top": skip_top, "index_from": index_from}.items():
        whole_number(value, name, minimum=0)
    for name, value in {"num_words": num_words, "maxlen": maxlen}.items():
        if value is not None:
            whole_number(value, name, minimum=0)
    for name, value in {"start_char": start_char, "oov_char": oov_char}.items():
        if value is not None:
            whole_number(value, name, minimum=0)
    arrays, source = _raw_arrays(profile or active_profile())

    rng = np.random.RandomState(seed)
    splits = []
    for x_key, y_key in (("x_train", "y_train"), ("x_test", "y_test")):
        order = np.arange(len(arrays[x_key]))
        rng.shuffle(order)  # one generator for both splits, as Keras does
        splits.append((arrays[x_key][order], np.asarray(arrays[y_key])[order]))

    prefix = [start_char] if start_char is not None else []
    kept = []
    for sequences, labels in splits:
        try:
            pairs = [
                (prefix + [operator.index(w) + index_from for w in seq], y)
                for seq, y in zip(sequences, labels, strict=True)
            ]
        except (TypeError, ValueError) as error:
            raise DataIntegrityError(
                f"{source} holds a review that is not a sequence of whole-number word ranks, or "
                f"not one label per review ({error}). Replace it with a fresh copy."
            ) from None
        if maxlen:
            pairs = [(seq, y) for seq, y in pairs if len(seq) < maxlen]
        kept.append(pairs)
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


def load_imdb_padded(
    num_words: int, maxlen: int, *, limit: int | None = None, profile: Profile | None = None
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
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


register_validator(IMDB, validate_imdb_npz)
register_validator(IMDB_WORD_INDEX, validate_word_index)
