"""Get any registered file, with the content check that its loader registered for it."""

from __future__ import annotations

from pathlib import Path

from . import imdb as _imdb  # noqa: F401 - registers the IMDB checks
from . import jena as _jena  # noqa: F401 - registers the Jena check
from .fetch import VALIDATORS, locate
from .registry import RemoteFile

__all__ = ["VALIDATORS", "ensure"]


def ensure(remote: RemoteFile) -> Path:
    """``locate(remote)``: mirror, cache or download, each checked (content checks included)."""
    return locate(remote)
