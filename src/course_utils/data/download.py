"""Downloading a registered file into the cache: atomic, checked before it takes the file's place.

The bytes go to a temporary ``.part`` file beside the target (see :mod:`.part_files`), which is
checked (length, checksum, content) and only then renamed into place; a download that fails
or is stopped leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import sys
import urllib.request
from pathlib import Path
from typing import BinaryIO

from .errors import DataIntegrityError, DataUnavailableError
from .file_checks import verify_checksum
from .folders import CACHE_ENV_VAR, MIRROR_ENV_VAR
from .part_files import part_file, remove_stale_parts, removed_on_sigterm
from .registry import RemoteFile, Validator
from .standins import MARKER_NAME

DOWNLOAD_TIMEOUT_S = 30
_CHUNK = 1 << 20


def download(remote: RemoteFile, target: Path, *, validate: Validator | None = None) -> Path:
    """Download ``remote`` to ``target`` atomically, checking checksum and content first.

    Network failures propagate as ``urllib``/``OSError`` errors for the caller to explain.
    """
    _make_folder(remote, target.parent)
    remove_stale_parts(target.parent, target.name)
    request = urllib.request.Request(remote.url, headers={"User-Agent": "rnn-course"})
    with contextlib.ExitStack() as stack:
        stack.enter_context(removed_on_sigterm())
        sink, temporary = _open_part(stack, remote, target)
        response = stack.enter_context(urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_S))
        _receive(response, sink, remote)
        sink.flush()
        _check_download(temporary, remote, validate, target)
        os.fsync(sink.fileno())
        os.replace(temporary, target)
    # A marker left beside the target described a generated file; this one is downloaded.
    (target.parent / MARKER_NAME).unlink(missing_ok=True)
    return target


def _make_folder(remote: RemoteFile, folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise DataIntegrityError(
            f"Cannot download {remote.relative_path}: {folder} (or a folder above it) is "
            f"a file, where the cache keeps a folder. Move that file away and run again."
        ) from None


def _open_part(
    stack: contextlib.ExitStack, remote: RemoteFile, target: Path
) -> tuple[BinaryIO, Path]:
    try:
        return stack.enter_context(part_file(target))
    except OSError as error:
        raise DataUnavailableError(
            f"Cannot download {remote.relative_path}: the cache folder {target.parent} is not "
            f"writable ({error.strerror or error}). Make it writable, or set {CACHE_ENV_VAR} "
            f"to a folder you can write to, or {MIRROR_ENV_VAR} to a mirror that holds it."
        ) from None


def _receive(response, sink: BinaryIO, remote: RemoteFile) -> None:
    """Copy the response into ``sink`` with a progress bar; refuse a transfer cut short."""
    announced = int(response.headers.get("Content-Length") or 0)
    progress = _Progress(remote.relative_path, announced or remote.size)
    received = 0
    while chunk := response.read(_CHUNK):
        sink.write(chunk)
        received += len(chunk)
        progress.advance(len(chunk))
    progress.finish()
    if announced and received != announced:
        raise DataUnavailableError(
            f"The download of {remote.relative_path} from {remote.url} was cut short "
            f"({received:,} of {announced:,} bytes), so nothing was saved. Run again to retry."
        )


def _check_download(
    temporary: Path, remote: RemoteFile, validate: Validator | None, target: Path
) -> None:
    label = "the downloaded file"  # the temporary name means nothing to anyone
    try:
        verify_checksum(temporary, remote, label)
        if validate is not None:
            validate(temporary, label)
    except DataIntegrityError as error:
        raise DataIntegrityError(
            f"The download of {remote.relative_path} from {remote.url} was refused, so "
            f"nothing was saved: {error} The transfer may have been cut short or "
            f"altered on the way: run again to retry. If it fails the same way, that address "
            f"no longer serves the expected file: save a good copy as {target}, or set "
            f"{MIRROR_ENV_VAR} to a mirror that holds one."
        ) from None


class _Progress:
    """A one-line text progress bar that works in a terminal and in a notebook."""

    def __init__(self, label: str, total: int | None, width: int = 30) -> None:
        self.label, self.total, self.width, self.done, self._shown = label, total, width, 0, -1

    def advance(self, count: int) -> None:
        self.done += count
        if self.total:
            percent = min(100, 100 * self.done // self.total)
            if percent != self._shown:
                self._shown = percent
                bar = "#" * (self.width * percent // 100)
                sys.stdout.write(
                    f"\rDownloading {self.label} [{bar:<{self.width}}] {percent:3d}% "
                    f"of {self.total / 1e6:.1f} MB"
                )
                sys.stdout.flush()
        elif self.done // _CHUNK != (self.done - count) // _CHUNK:
            sys.stdout.write(f"\rDownloading {self.label}: {self.done / 1e6:.1f} MB")
            sys.stdout.flush()

    def finish(self) -> None:
        sys.stdout.write("\n")
        sys.stdout.flush()
