"""The data layer: a registry of files, a mirror -> cache -> download resolver, and loaders."""

from .fetch import (
    CourseDataError,
    DataIntegrityError,
    DataMirrorError,
    DataUnavailableError,
    cache_dir,
    locate,
    mirror_dir,
)
from .imdb import decode_review, load_imdb, load_imdb_word_index
from .registry import REGISTRY, RemoteFile, files_of
from .standins import standins_in_use
from .text import load_tiny_shakespeare

__all__ = [
    "REGISTRY",
    "CourseDataError",
    "DataIntegrityError",
    "DataMirrorError",
    "DataUnavailableError",
    "RemoteFile",
    "cache_dir",
    "decode_review",
    "files_of",
    "load_imdb",
    "load_imdb_word_index",
    "load_tiny_shakespeare",
    "locate",
    "mirror_dir",
    "standins_in_use",
]
