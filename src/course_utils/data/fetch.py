"""Find a data file: the mirror named by ``COURSE_DATA_DIR``, then the cache, then a download.

Every file is checked before it is used, once per process and again whenever it changes on disk:
files in the cache against their published checksum, a file that a mirror holds byte-identical
(Tiny Shakespeare) against its checksum too, a file that a mirror may hold in another form
(IMDB, re-tokenised) by its structure, and a file with no published checksum (Jena) by its
content. Downloads are atomic: written beside the target under a temporary ``.part`` name (the
normal file mode, readable by others as the rest of ``data/``), checked, then renamed. Ctrl-C and
SIGTERM remove the temporary file on the way out; one left by a process killed outright (SIGKILL,
a power cut) is removed the next time that file is looked for.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import re
import secrets
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from .registry import RemoteFile

try:
    import fcntl
except ImportError:  # Windows: stale temporary files are recognised by their age alone
    fcntl = None

MIRROR_ENV_VAR = "COURSE_DATA_DIR"
CACHE_ENV_VAR = "COURSE_CACHE_DIR"
DOWNLOAD_TIMEOUT_S = 30
MARKER_NAME = "GENERATED_STANDIN.txt"  # beside a generated stand-in (see jena_standin)
# Where the lock test cannot be made, a temporary file untouched this long is abandoned: a live
# download writes at least every DOWNLOAD_TIMEOUT_S seconds or fails.
STALE_PART_AGE_S = 3600
_CHUNK = 1 << 20

# validate(path, label): raise DataIntegrityError("<label>: what is wrong") unless the content is
# right. ``label`` names the file in messages (a download's temporary name means nothing to anyone).
Validator = Callable[[Path, str], None]

VALIDATORS: dict[str, Validator] = {}  # relative path -> content check, filled by the loaders


class CourseDataError(RuntimeError):
    """Any problem getting a data file; the message says what is wrong and how to fix it."""


class DataUnavailableError(CourseDataError):
    """A data file could be found neither in a mirror, nor in the cache, nor by download."""


class DataIntegrityError(CourseDataError):
    """A data file exists but is not what it should be (checksum or content)."""


class DataMirrorError(CourseDataError):
    """``COURSE_DATA_DIR`` names something that is not a readable mirror."""


def register_validator(remote: RemoteFile, validate: Validator) -> None:
    """Check ``remote``'s content with ``validate`` wherever found: mirror, cache, download."""
    VALIDATORS[remote.relative_path] = validate


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


_checked: set[tuple] = set()


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


def _existing(path: Path, where: str, error: type[CourseDataError]) -> bool:
    """Whether a file is at ``path``; something else there (a folder, a broken link) is an error."""
    if path.is_file():
        return True
    if not (path.exists() or path.is_symlink()):
        return False
    what = "a broken link" if not path.exists() else "a folder" if path.is_dir() else "not a file"
    fix = (
        "run again to download the file there"
        if where == "cache"
        else f"put the file there, or unset {MIRROR_ENV_VAR} to use data/ and downloads"
    )
    raise error(
        f"{path} is {what}, where the {where} should hold the file {path.name}. "
        f"Move it out of the way, then {fix}."
    )


def locate(remote: RemoteFile, *, validate: Validator | None = None) -> Path:
    """The path of ``remote``: from the mirror, the cache, or a fresh download, in that order.

    Each is checked first (see the module's docstring); ``validate`` defaults to the content
    check registered for the file, if any.
    """
    validate = validate or VALIDATORS.get(remote.relative_path)
    cached = cache_dir() / remote.dataset / remote.name
    remove_stale_parts(cached.parent, remote.name)  # left by a download that was killed
    looked_in = []
    mirror = mirror_dir()
    if mirror is not None:
        candidate = mirror / remote.dataset / remote.name
        if _existing(candidate, "mirror", DataMirrorError):
            if not os.access(candidate, os.R_OK):
                raise DataMirrorError(
                    f"{candidate} exists but cannot be read by this user: fix its permissions."
                )
            _check_mirror_file(candidate, mirror, remote, validate)
            return candidate
        looked_in.append(f"mirror {candidate} (not there)")
    else:
        looked_in.append(f"no mirror ({MIRROR_ENV_VAR} is not set)")

    if _existing(cached, "cache", DataIntegrityError):
        _check_cached_file(cached, remote, validate)
        return cached
    looked_in.append(f"cache {cached} (not there)")

    try:
        return download(remote, cached, validate=validate)
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
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


def _check_mirror_file(
    path: Path, mirror: Path, remote: RemoteFile, validate: Validator | None
) -> None:
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


def _check_cached_file(path: Path, remote: RemoteFile, validate: Validator | None) -> None:
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


def download(remote: RemoteFile, target: Path, *, validate: Validator | None = None) -> Path:
    """Download ``remote`` to ``target`` atomically, checking checksum and content first."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise DataIntegrityError(
            f"Cannot download {remote.relative_path}: {target.parent} (or a folder above it) is "
            f"a file, where the cache keeps a folder. Move that file away and run again."
        ) from None
    remove_stale_parts(target.parent, target.name)
    label = "the downloaded file"
    request = urllib.request.Request(remote.url, headers={"User-Agent": "rnn-course"})
    with contextlib.ExitStack() as stack:
        stack.enter_context(removed_on_sigterm())
        try:
            sink, temporary = stack.enter_context(part_file(target))
        except OSError as error:
            raise DataUnavailableError(
                f"Cannot download {remote.relative_path}: the cache folder {target.parent} is not "
                f"writable ({error.strerror or error}). Make it writable, or set {CACHE_ENV_VAR} "
                f"to a folder you can write to, or {MIRROR_ENV_VAR} to a mirror that holds it."
            ) from None
        response = stack.enter_context(urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_S))
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
        sink.flush()
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
        os.fsync(sink.fileno())
        os.replace(temporary, target)
    # A marker left beside the target described a generated file; this one is downloaded.
    (target.parent / MARKER_NAME).unlink(missing_ok=True)
    return target


# --- temporary files -------------------------------------------------------------------------

_PART = re.compile(r"\.(?P<name>.+)\.(?:[0-9a-f]{16}|[a-z0-9_]{8})\.part")  # ours, and mkstemp's


def part_name(name: str) -> str:
    """A fresh temporary name for ``name``: ``.<name>.<16 hex digits>.part``."""
    return f".{name}.{secrets.token_hex(8)}.part"


@contextlib.contextmanager
def part_file(target: Path) -> Iterator[tuple[BinaryIO, Path]]:
    """A new temporary file beside ``target``, open for writing and locked while in use.

    Created with the normal mode (``0o666`` less the umask: ``0o644`` usually), like any file the
    user writes, so that a ``data/`` folder copied to a shared drive is readable by everyone. On
    the way out it is removed, unless it was renamed into place. The lock tells
    :func:`remove_stale_parts` in other processes that it is in use.
    """
    while True:
        temporary = target.parent / part_name(target.name)
        descriptor = os.open(temporary, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)
        _try_lock(descriptor)
        if os.fstat(descriptor).st_nlink:  # not removed as stale before the lock was taken
            break
        os.close(descriptor)
    try:
        with os.fdopen(descriptor, "wb") as sink:
            try:
                yield sink, temporary
            finally:
                temporary.unlink(missing_ok=True)  # before closing: never there unlocked
    finally:
        temporary.unlink(missing_ok=True)


def _try_lock(descriptor: int) -> bool | None:
    """Lock without waiting: True if locked, False if another process holds it, None if the file
    system cannot lock (or there is no ``fcntl``)."""
    if fcntl is None:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    except OSError:
        return None


def remove_stale_parts(folder: Path, name: str) -> list[Path]:
    """Remove the temporary files of ``name`` that no live process is writing; return them.

    Only files named as :func:`part_file` (or an older ``mkstemp``) names them for ``name``
    are considered: ``.<name>.<16 hex digits>.part`` or ``.<name>.<8 letters>.part``. One is
    abandoned when its lock can be taken (its writer has ended), or, where locks do not work,
    when nothing has written to it for ``STALE_PART_AGE_S`` seconds.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _PART.fullmatch(entry.name)
        if not match or match["name"] != name or not entry.is_file(follow_symlinks=False):
            continue
        path = Path(entry.path)
        try:
            descriptor = os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            locked = _try_lock(descriptor)
            if locked is None:
                locked = time.time() - os.fstat(descriptor).st_mtime > STALE_PART_AGE_S
            if locked:
                path.unlink(missing_ok=True)
                removed.append(path)
        except OSError:
            pass
        finally:
            os.close(descriptor)
    return removed


class _Terminated(BaseException):
    """SIGTERM arrived inside :func:`removed_on_sigterm`: unwind, removing temporary files."""


@contextlib.contextmanager
def removed_on_sigterm() -> Iterator[None]:
    """Let SIGTERM unwind this block as Ctrl-C does, so that its temporary files are removed.

    Then the signal is delivered again to the handler that was there before: by default the
    process ends as SIGTERM ends it. Only on the main thread (the only one Python lets set
    handlers), and only where SIGTERM is handled by Python's default or a Python function; the
    previous handler is restored on the way out.
    """
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.getsignal(signal.SIGTERM)
    if previous is None or previous is signal.SIG_IGN:
        yield
        return

    def unwind(signum, frame):
        raise _Terminated(signum, frame)

    try:
        signal.signal(signal.SIGTERM, unwind)
    except ValueError:  # not the main interpreter
        yield
        return
    try:
        yield
    except _Terminated as stop:
        signal.signal(signal.SIGTERM, previous)
        if previous is signal.SIG_DFL:
            os.kill(os.getpid(), signal.SIGTERM)
            raise SystemExit(128 + signal.SIGTERM) from None  # if the signal is blocked here
        previous(*stop.args)
        raise InterruptedError("stopped by SIGTERM before it finished") from None
    finally:
        signal.signal(signal.SIGTERM, previous)


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
