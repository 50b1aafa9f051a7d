"""The content checks of the IMDB files, for copies that are not byte-identical to Keras's.

A classroom mirror may hold the reviews re-tokenised from their texts, so a mirror's copy is
checked by its structure (see ``RemoteFile.mirror_may_differ``), not by the checksum.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np

from .errors import ZIP_ERRORS, DataIntegrityError
from .safe_npz import read_npy_header

ARRAY_KEYS = ("x_train", "y_train", "x_test", "y_test")
REVIEWS = {"train": 25_000, "test": 25_000}  # per split, in every copy of the data set
MAX_MEMBER_BYTES = 256 * 2**20  # an array in the real file expands to about 14 MB


def validate_imdb_npz(path: Path, label: str | None = None) -> None:
    """Raise ``DataIntegrityError`` unless ``path`` has the structure of ``imdb.npz``.

    The four arrays ``x_train, y_train, x_test, y_test`` present, 25,000 reviews and as many
    labels in each split, labels 0 and 1 only. Cheap: reads the zip's directory, the arrays'
    headers and the labels, never the pickled reviews.
    """
    label = label or str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            _check_members(archive, label)
            for split, count in REVIEWS.items():
                _check_split(archive, split, count, label)
    except DataIntegrityError:
        raise
    except (*ZIP_ERRORS, ValueError) as error:
        raise DataIntegrityError(
            f"{label} is not a readable IMDB .npz archive ({error})."
        ) from None


def _check_members(archive: zipfile.ZipFile, label: str) -> None:
    """The four arrays are there, none expanding past ``MAX_MEMBER_BYTES`` (read unexpanded)."""
    members = {info.filename: info for info in archive.infolist()}
    missing = [key for key in ARRAY_KEYS if f"{key}.npy" not in members]
    if missing:
        raise DataIntegrityError(
            f"{label} lacks the arrays {missing}: it is not an IMDB file in the "
            f"keras.datasets.imdb layout (x_train, y_train, x_test, y_test)."
        )
    for key in ARRAY_KEYS:
        info = members[f"{key}.npy"]
        if info.file_size > MAX_MEMBER_BYTES:
            raise DataIntegrityError(
                f"{label}: its array {key} would expand to {info.file_size:,} bytes, "
                f"says the zip's directory; no IMDB array comes near "
                f"{MAX_MEMBER_BYTES:,}, and nothing over that is read."
            )


def _check_split(archive: zipfile.ZipFile, split: str, count: int, label: str) -> None:
    """One split: ``count`` reviews of word ranks and as many labels, which are 0 and 1."""
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
        raise DataIntegrityError(f"{label}: y_{split} holds {y_dtype} values, not 0/1 labels.")
    with archive.open(f"y_{split}.npy") as stream:
        labels = np.lib.format.read_array(stream, allow_pickle=False)
    found = np.unique(labels).tolist()
    if found != [0, 1]:
        raise DataIntegrityError(
            f"{label}: the labels of its {split} split are {found[:10]}, where IMDB "
            f"has 0 (negative) and 1 (positive)."
        )


def _header(archive: zipfile.ZipFile, member: str) -> tuple[tuple[int, ...], np.dtype]:
    """An ``.npy`` member's shape and dtype, read from its header alone."""
    with archive.open(member) as stream:
        shape, _fortran_order, dtype = read_npy_header(stream)
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
