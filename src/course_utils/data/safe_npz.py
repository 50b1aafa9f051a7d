"""Read ``.npz`` archives of ragged object arrays without ``allow_pickle=True``.

Numeric members load with pickling switched off. Object members (the ragged IMDB sequences) are
pickle streams; they go through an unpickler that can rebuild NumPy arrays and plain Python
lists and ints, and refuses every other global, so a tampered file cannot run code.
"""

from __future__ import annotations

import io
import pickle
import zipfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np

_ARRAY_GLOBALS = frozenset(
    {
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),  # files written by NumPy 1.x
        ("numpy._core.multiarray", "_reconstruct"),  # files written by NumPy 2.x
    }
)


class _ArrayOnlyUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):  # noqa: ANN201 - pickle's own signature
        if (module, name) in _ARRAY_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"refusing to load {module}.{name}: only NumPy arrays may be rebuilt from this file"
        )


def read_npy_header(stream) -> tuple[tuple[int, ...], bool, np.dtype]:
    """An ``.npy`` stream's shape, Fortran order and dtype, read from its header alone."""
    version = np.lib.format.read_magic(stream)
    # Format 3.0 differs from 2.0 only in the header's text encoding, so 2.0's reader fits both.
    if version == (1, 0):
        return np.lib.format.read_array_header_1_0(stream)
    return np.lib.format.read_array_header_2_0(stream)


def _read_member(raw: bytes) -> np.ndarray:
    stream = io.BytesIO(raw)
    _shape, _fortran_order, dtype = read_npy_header(stream)
    if not dtype.hasobject:
        stream.seek(0)
        return np.lib.format.read_array(stream, allow_pickle=False)
    array = _ArrayOnlyUnpickler(stream).load()
    if not isinstance(array, np.ndarray):
        raise pickle.UnpicklingError("member does not hold a NumPy array")
    return array


def load_npz(path: Path, keys: Iterable[str] | None = None) -> dict[str, np.ndarray]:
    """The arrays in the archive at ``path`` (those named in ``keys``, or all), keyed by member
    name without ``.npy``; a key the archive lacks is left out."""
    wanted = None if keys is None else {f"{key}.npy" for key in keys}
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith(".npy") and (wanted is None or member in wanted):
                arrays[member.removesuffix(".npy")] = _read_member(archive.read(member))
    return arrays
