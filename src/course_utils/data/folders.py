"""Where data lives: the read-only mirror (``COURSE_DATA_DIR``) and the cache (``data/``)."""

from __future__ import annotations

import os
from pathlib import Path

from ..checkout import repository_root
from .errors import DataMirrorError

MIRROR_ENV_VAR = "COURSE_DATA_DIR"
CACHE_ENV_VAR = "COURSE_CACHE_DIR"


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
