"""The data layer: a registry of files, a mirror -> cache -> download resolver, and loaders."""

from .errors import CourseDataError, DataIntegrityError, DataMirrorError, DataUnavailableError
from .fetch import locate
from .folders import cache_dir, mirror_dir
from .imdb import decode_review, load_imdb, load_imdb_padded, load_imdb_word_index
from .jena import load_jena_climate
from .jena_clean import JenaFaults, clean_jena, describe_faults
from .jena_zip import validate_jena_zip
from .registry import REGISTRY, RemoteFile, files_of
from .standins import standins_in_use
from .text import load_tiny_shakespeare

__all__ = [
    "REGISTRY",
    "CourseDataError",
    "DataIntegrityError",
    "DataMirrorError",
    "DataUnavailableError",
    "JenaFaults",
    "RemoteFile",
    "cache_dir",
    "clean_jena",
    "decode_review",
    "describe_faults",
    "files_of",
    "load_imdb",
    "load_imdb_padded",
    "load_imdb_word_index",
    "load_jena_climate",
    "load_tiny_shakespeare",
    "locate",
    "mirror_dir",
    "standins_in_use",
    "validate_jena_zip",
]
