"""Find a data file: the mirror named by ``COURSE_DATA_DIR``, then the cache, then a download.

Downloads are atomic (written beside the target under a temporary name, checked, then renamed),
so an interrupted or corrupt download never leaves a half-written file in the cache.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from .registry import RemoteFile

MIRROR_ENV_VAR = "COURSE_DATA_DIR"
CACHE_ENV_VAR = "COURSE_CACHE_DIR"
DOWNLOAD_TIMEOUT_S = 30
_CHUNK = 1 << 20

Validator = Callable[[Path], None]


class CourseDataError(RuntimeError):
    """Any problem getting a data file; the message says what is wrong and how to fix it."""


class DataUnavailableError(CourseDataError):
    """A data file could be found neither in a mirror, nor in the cache, nor by download."""


class DataIntegrityError(CourseDataError):
    """A data file exists but is not what it should be (checksum or content)."""


class DataMirrorError(CourseDataError):
    """``COURSE_DATA_DIR`` names something that is not a readable mirror."""


def repository_root() -> Path | None:
    """The course checkout this package lives in, or ``None`` when installed elsewhere."""
    root = Path(__file__).resolve().parents[3]
    return root if (root / "src" / "course_utils").is_dir() else None


def cache_dir() -> Path:
    """Where downloads land: ``COURSE_CACHE_DIR``, else the checkout's ``data/``."""
    if os.environ.get(CACHE_ENV_VAR):
        return Path(os.environ[CACHE_ENV_VAR]).expanduser()
    root = repository_root()
    return root / "data" if root else Path.home() / ".cache" / "rnn-course-data"


def mirror_dir() -> Path | None:
    """The read-only mirror named by ``COURSE_DATA_DIR``, checked to be a readable folder."""
    raw = os.environ.get(MIRROR_ENV_VAR, "").strip()
    if not raw:
        return None
    mirror = Path(raw).expanduser()
    if not mirror.is_dir():
        raise DataMirrorError(
            f"{MIRROR_ENV_VAR}={raw} does not name a folder. Point it at a data mirror laid out as "
            f"<mirror>/<dataset>/<file> (a copy of a `make data` cache is one), or unset it."
        )
    if not os.access(mirror, os.R_OK | os.X_OK):
        raise DataMirrorError(
            f"{MIRROR_ENV_VAR}={raw} is a folder this user cannot read. Fix its permissions "
            f"(e.g. chmod -R a+rX {raw}) or unset {MIRROR_ENV_VAR}."
        )
    return mirror


def file_digest(path: Path, algorithm: str) -> str:
    digest = hashlib.new(algorithm)
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def checksum_algorithm(checksum: str) -> str:
    """Keras publishes sha256 (64 hex digits) and older md5 (32) digests."""
    return {64: "sha256", 32: "md5"}[len(checksum)]


def verify_checksum(path: Path, remote: RemoteFile) -> None:
    """Raise ``DataIntegrityError`` unless ``path`` has the published checksum (if any)."""
    if remote.checksum is None:
        return
    algorithm = checksum_algorithm(remote.checksum)
    actual = file_digest(path, algorithm)
    if actual != remote.checksum:
        raise DataIntegrityError(
            f"{path} is not the published {remote.relative_path}: its {algorithm} is {actual}, "
            f"expected {remote.checksum}. It may be a truncated or corrupt download: delete it and "
            f"run again to download it afresh from {remote.url}. If it is a copy from a data "
            f"mirror, point {MIRROR_ENV_VAR} at the mirror instead of copying files into the cache."
        )


_verified: set[tuple[str, int, int]] = set()


def _verify_cached(path: Path, remote: RemoteFile) -> None:
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _verified:
        verify_checksum(path, remote)
        _verified.add(key)


def locate(remote: RemoteFile, *, validate: Validator | None = None) -> Path:
    """The path of ``remote``: from the mirror, the cache, or a fresh download, in that order.

    A mirror is trusted as given (classroom mirrors may hold re-tokenised copies); the cache is
    checked against the published checksum; a download is checked before it is kept.
    """
    looked_in = []
    mirror = mirror_dir()
    if mirror is not None:
        candidate = mirror / remote.dataset / remote.name
        if candidate.is_file():
            if not os.access(candidate, os.R_OK):
                raise DataMirrorError(
                    f"{candidate} exists but cannot be read by this user: fix its permissions."
                )
            return candidate
        looked_in.append(f"mirror {candidate} (not there)")
    else:
        looked_in.append(f"no mirror ({MIRROR_ENV_VAR} is not set)")

    cached = cache_dir() / remote.dataset / remote.name
    if cached.is_file():
        _verify_cached(cached, remote)
        return cached
    looked_in.append(f"cache {cached} (not there)")

    try:
        return download(remote, cached, validate=validate)
    except (urllib.error.URLError, OSError, TimeoutError) as error:
        reason = (
            error if isinstance(error, urllib.error.HTTPError) else getattr(error, "reason", error)
        )
        raise DataUnavailableError(
            f"Could not get {remote.relative_path} ({remote.description}).\n"
            f"  Looked in: {'; '.join(looked_in)}.\n"
            f"  Download from {remote.url} failed: {reason}.\n"
            f"  To fix: on a machine with internet run `make data` (it fills data/, which you can "
            f"then copy here), or save the file from the address above as {cached}, or set "
            f"{MIRROR_ENV_VAR} to a folder laid out as <dataset>/<file> that holds it."
        ) from None


def download(remote: RemoteFile, target: Path, *, validate: Validator | None = None) -> Path:
    """Download ``remote`` to ``target`` atomically, checking checksum and content first."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary_name = tempfile.mkstemp(
        prefix=f".{remote.name}.", suffix=".part", dir=target.parent
    )
    temporary = Path(temporary_name)
    try:
        request = urllib.request.Request(remote.url, headers={"User-Agent": "rnn-course"})
        with (
            os.fdopen(handle, "wb") as sink,
            urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_S) as response,
        ):
            total = int(response.headers.get("Content-Length") or 0) or remote.size
            progress = _Progress(remote.relative_path, total)
            while chunk := response.read(_CHUNK):
                sink.write(chunk)
                progress.advance(len(chunk))
            progress.finish()
        try:
            verify_checksum(temporary, remote)
        except DataIntegrityError:
            raise DataIntegrityError(
                f"The download of {remote.relative_path} from {remote.url} does not match its "
                f"published checksum {remote.checksum}, so nothing was saved. The transfer may "
                f"have been cut short or altered on the way: run again to retry."
            ) from None
        if validate is not None:
            validate(temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


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
