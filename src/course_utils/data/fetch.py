"""Find a data file: the mirror named by ``COURSE_DATA_DIR``, then the cache, then a download.

Every file is checked before it is used (:mod:`.file_checks`: checksum and the content check of
its registry entry); downloads are atomic (:mod:`.download`). In the smoke profile a file that
cannot be had is replaced by a generated stand-in, said aloud (:func:`locate_or_standin`).
"""

from __future__ import annotations

import http.client
import os
import urllib.error
from pathlib import Path

from ..profiles import Profile
from .download import download
from .errors import CourseDataError, DataIntegrityError, DataMirrorError, DataUnavailableError
from .file_checks import check_cached_file, check_mirror_file
from .folders import MIRROR_ENV_VAR, cache_dir, mirror_dir
from .part_files import remove_stale_parts
from .registry import RemoteFile, Validator
from .standins import note_standin


def locate(remote: RemoteFile, *, validate: Validator | None = None) -> Path:
    """The path of ``remote``: from the mirror, the cache, or a fresh download, in that order.

    Each is checked first (see :mod:`.file_checks`); ``validate`` defaults to the content check
    of the file's registry entry (``remote.validate``), if any.
    """
    validate = validate or remote.validate
    cached = cache_dir() / remote.dataset / remote.name
    remove_stale_parts(cached.parent, remote.name)  # left by a download that was killed
    looked_in = []
    mirror = mirror_dir()
    if mirror is None:
        looked_in.append(f"no mirror ({MIRROR_ENV_VAR} is not set)")
    elif (found := _from_mirror(mirror, remote, validate)) is not None:
        return found
    else:
        looked_in.append(f"mirror {mirror / remote.dataset / remote.name} (not there)")
    if _existing(cached, "cache", DataIntegrityError):
        check_cached_file(cached, remote, validate)
        return cached
    looked_in.append(f"cache {cached} (not there)")
    return _download(remote, cached, validate, looked_in)


def locate_or_standin(
    remote: RemoteFile, profile: Profile, *, validate: Validator | None = None
) -> Path | None:
    """The file's path; or ``None``, said aloud, when the smoke profile must use a stand-in.

    Only a file that cannot be had falls back; a corrupt one is an error in every profile.
    """
    try:
        return locate(remote, validate=validate)
    except DataUnavailableError as error:
        if not profile.allows_standins:
            raise
        note_standin(
            remote.dataset,
            f"the real data is not available ({str(error).splitlines()[0]}), and the smoke "
            "profile carries on without it",
        )
        return None


def _from_mirror(mirror: Path, remote: RemoteFile, validate: Validator | None) -> Path | None:
    """The mirror's copy, checked; ``None`` if the mirror does not hold the file."""
    candidate = mirror / remote.dataset / remote.name
    if not _existing(candidate, "mirror", DataMirrorError):
        return None
    if not os.access(candidate, os.R_OK):
        raise DataMirrorError(
            f"{candidate} exists but cannot be read by this user: fix its permissions."
        )
    check_mirror_file(candidate, mirror, remote, validate)
    return candidate


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


def _download(
    remote: RemoteFile, cached: Path, validate: Validator | None, looked_in: list[str]
) -> Path:
    """Download into the cache; a network failure is explained with where else was looked."""
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
