"""Temporary ``.part`` files: how a file is written atomically, and how no half-written one stays.

A file is written beside its target under a temporary name, locked while in use, then renamed
into place. Ctrl-C and SIGTERM (:func:`removed_on_sigterm`) remove the temporary file on the way
out; one left by a process killed outright (SIGKILL, a power cut) is removed by
:func:`remove_stale_parts` the next time that file is looked for.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

try:
    import fcntl
except ImportError:  # Windows: stale temporary files are recognised by their age alone
    fcntl = None

# Where the lock test cannot be made, a temporary file untouched this long is abandoned: a live
# download writes at least every DOWNLOAD_TIMEOUT_S (30) seconds or fails.
STALE_PART_AGE_S = 3600

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
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    removed: list[Path] = []
    for entry in entries:
        match = _PART.fullmatch(entry.name)
        ours = match and match["name"] == name and entry.is_file(follow_symlinks=False)
        if ours and _remove_if_abandoned(Path(entry.path)):
            removed.append(Path(entry.path))
    return removed


def _remove_if_abandoned(path: Path) -> bool:
    """Remove the temporary file at ``path`` if its writer has ended; whether it was removed."""
    try:
        descriptor = os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        abandoned = _try_lock(descriptor)
        if abandoned is None:
            abandoned = time.time() - os.fstat(descriptor).st_mtime > STALE_PART_AGE_S
        if abandoned:
            path.unlink(missing_ok=True)
        return bool(abandoned)
    except OSError:
        return False
    finally:
        os.close(descriptor)


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
