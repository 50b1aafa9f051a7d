"""The registry: every file the course reads, where it comes from, and how to check it.

Each entry carries its own content check (``validate``); the checks live with their data
set's format (:mod:`.imdb_checks`, :mod:`.jena_zip`), which import nothing from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .imdb_checks import validate_imdb_npz, validate_word_index
from .jena_format import ZIP_NAME
from .jena_zip import validate_jena_zip

# validate(path, label): raise DataIntegrityError("<label>: what is wrong") unless the content is
# right. ``label`` names the file in messages (a download's temporary name means nothing to anyone).
Validator = Callable[[Path, str], None]

KERAS_DATASETS = "https://storage.googleapis.com/tensorflow/tf-keras-datasets"


@dataclass(frozen=True)
class RemoteFile:
    """One file of a data set: cached as ``<cache>/<dataset>/<name>``, fetched from ``url``.

    ``checksum`` is the published hex digest (64 characters: sha256, 32: md5, as Keras publishes
    them), or ``None`` when nobody publishes one. ``validate`` checks the content wherever the
    file is found (mirror, cache, download); it is the only check of a file without a checksum.
    ``mirror_may_differ``: a classroom mirror may hold this file in another form (IMDB
    re-tokenised from the review texts), so a mirror's copy is checked by its structure, not by
    the checksum; other files are checked against the checksum wherever they are found.
    """

    dataset: str
    name: str
    url: str
    checksum: str | None
    size: int | None
    description: str
    mirror_may_differ: bool = False
    validate: Validator | None = None

    @property
    def relative_path(self) -> str:
        return f"{self.dataset}/{self.name}"


IMDB = RemoteFile(
    dataset="imdb",
    name="imdb.npz",
    url=f"{KERAS_DATASETS}/imdb.npz",
    checksum="69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
    size=None,
    description="IMDB movie reviews as word-rank sequences, in the keras.datasets.imdb layout",
    mirror_may_differ=True,
    validate=validate_imdb_npz,
)
IMDB_WORD_INDEX = RemoteFile(
    dataset="imdb",
    name="imdb_word_index.json",
    url=f"{KERAS_DATASETS}/imdb_word_index.json",
    checksum="bfafd718b763782e994055a2d397834f",
    size=None,
    description="word -> frequency rank for the IMDB reviews",
    mirror_may_differ=True,
    validate=validate_word_index,
)
TINY_SHAKESPEARE = RemoteFile(
    dataset="tinyshakespeare",
    name="input.txt",
    url="https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt",
    checksum="86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
    size=1_115_394,
    description="Tiny Shakespeare: 40,000 lines of the plays, the usual character-level corpus",
)
JENA_CLIMATE = RemoteFile(
    dataset="jena_climate",
    name=ZIP_NAME,
    url=f"{KERAS_DATASETS}/{ZIP_NAME}",
    checksum=None,  # none is published: the content check is all there is
    size=None,
    description="Jena weather station, 14 quantities every 10 minutes, 2009-2016",
    validate=validate_jena_zip,
)

REGISTRY: dict[str, tuple[RemoteFile, ...]] = {
    "imdb": (IMDB, IMDB_WORD_INDEX),
    "tinyshakespeare": (TINY_SHAKESPEARE,),
    "jena_climate": (JENA_CLIMATE,),
}


def files_of(dataset: str) -> tuple[RemoteFile, ...]:
    """The registered files of ``dataset``; a clear error for a name the registry lacks."""
    try:
        return REGISTRY[dataset]
    except KeyError:
        raise KeyError(
            f"No data set named {dataset!r}. Known data sets: {', '.join(sorted(REGISTRY))}."
        ) from None
