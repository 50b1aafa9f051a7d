"""Checking a file that was found: its published checksum and its content, once per version.

A file in the cache is checked against its published checksum; a file that a mirror holds
byte-identical (Tiny Shakespeare) against its checksum too, a file that a mirror may hold in
another form (IMDB, re-tokenised) by its structure alone; every file also by its registered
content check (``RemoteFile.validate``) if it has one. A file that passed is not read again in
this process until it changes on disk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from .errors import DataIntegrityError, DataMirrorError
from .folders import MIRROR_ENV_VAR
from .registry import RemoteFile, Validator

_CHUNK = 1 << 20
_checked: set[tuple] = set()


def file_digest(path: Path, algorithm: str) -> str:
    digest = hashlib.new(algorithm)
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def checksum_algorithm(checksum: str) -> str:
    """Keras publishes sha256 (64 hex digits) and older md5 (32) digests."""
    return {64: "sha256", 32: "md5"}[len(checksum)]


def verify_checksum(path: Path, remote: RemoteFile, label: str | None = None) -> None:
    """Raise ``DataIntegrityError`` unless ``path`` has the published checksum (if any)."""
    if remote.checksum is None:
        return
    algorithm = checksum_algorithm(remote.checksum)
    actual = file_digest(path, algorithm)
    if actual != remote.checksum:
        raise DataIntegrityError(
            f"{label or path} is not the published {remote.relative_path}: its {algorithm} is "
            f"{actual}, expected {remote.checksum} (it holds {path.stat().st_size:,} bytes"
            f"{f', the published file {remote.size:,}' if remote.size else ''})."
        )


def _check_once(path: Path, remote: RemoteFile, checks: list[Callable[[], None]], where: str):
    """Run ``checks`` unless this very file (same inode, size and times) passed them before."""
    stat = path.stat()
    key = (where, remote.relative_path, str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns)
    key += (stat.st_ctime_ns,)  # a rewrite that restores size and mtime still changes ctime
    if key in _checked:
        return
    for check in checks:
        check()
    _checked.add(key)


def check_mirror_file(
    path: Path, mirror: Path, remote: RemoteFile, validate: Validator | None
) -> None:
    """Check a mirror's copy: by checksum unless ``remote.mirror_may_differ``, by ``validate``."""
    checks = []
    if not remote.mirror_may_differ:
        checks.append(lambda: verify_checksum(path, remote))
    if validate is not None:
        checks.append(lambda: validate(path, str(path)))
    try:
        _check_once(path, remote, checks, "mirror")
    except OSError as error:
        raise DataMirrorError(
            f"{path} cannot be read ({error.strerror or error}): fix its permissions, or unset "
            f"{MIRROR_ENV_VAR} to use data/ and downloads instead."
        ) from None
    except DataIntegrityError as error:
        raise DataIntegrityError(
            f"{error} It is the copy in the data mirror {MIRROR_ENV_VAR}={mirror}: replace it "
            f"there with a good copy of the file from {remote.url}, or unset {MIRROR_ENV_VAR} to "
            f"use data/ and downloads instead."
        ) from None


def check_cached_file(path: Path, remote: RemoteFile, validate: Validator | None) -> None:
    """Check the cache's copy: by its published checksum and by ``validate``."""
    checks = [lambda: verify_checksum(path, remote)]
    if validate is not None:
        checks.append(lambda: validate(path, str(path)))
    try:
        _check_once(path, remote, checks, "cache")
    except OSError as error:
        raise DataIntegrityError(
            f"{path} cannot be read ({error.strerror or error}): fix its permissions, or delete "
            f"it and run again to download it afresh."
        ) from None
    except DataIntegrityError as error:
        raise DataIntegrityError(
            f"{error} It may be a truncated or corrupt download: delete it and run again to "
            f"download it afresh from {remote.url}. If it is a copy from a data mirror, point "
            f"{MIRROR_ENV_VAR} at the mirror instead of copying files into the cache."
        ) from None
