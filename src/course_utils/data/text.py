"""Tiny Shakespeare, the running text of notebooks 01 and 10."""

from __future__ import annotations

from ..profiles import Profile, active_profile
from .errors import DataIntegrityError
from .fetch import locate_or_standin
from .registry import TINY_SHAKESPEARE
from .text_standin import shakespeare_standin


def load_tiny_shakespeare(*, profile: Profile | None = None) -> str:
    """The whole corpus as one string (1,115,394 characters of the plays)."""
    path = locate_or_standin(TINY_SHAKESPEARE, profile or active_profile())
    if path is None:
        return shakespeare_standin()
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DataIntegrityError(f"{path} is not UTF-8 text ({error}). Replace it.") from None
