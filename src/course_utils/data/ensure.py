"""Get any registered file, with the content check that a file without a checksum needs."""

from __future__ import annotations

from pathlib import Path

from .fetch import Validator, locate
from .jena import validate_jena_zip
from .registry import JENA_CLIMATE, RemoteFile

# Files without a published checksum: their content is checked before a download is kept.
VALIDATORS: dict[str, Validator] = {JENA_CLIMATE.relative_path: validate_jena_zip}


def ensure(remote: RemoteFile) -> Path:
    """``locate(remote)`` with the file's content validator, if it has one."""
    return locate(remote, validate=VALIDATORS.get(remote.relative_path))
