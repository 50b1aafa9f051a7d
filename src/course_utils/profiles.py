"""Run profiles: ``full`` (the default) trains for real; ``smoke`` shrinks sizes for CI.

A profile only ever changes sizes (how much data, how many epochs), never which code runs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

PROFILE_ENV_VAR = "COURSE_PROFILE"
PROFILES = {
    "full": "the whole data set and the epochs each lesson needs (the default)",
    "smoke": "tiny data and one or two epochs, so that every cell runs in seconds (CI)",
}


class ProfileError(ValueError):
    """Raised for a ``COURSE_PROFILE`` value that names no profile."""


@dataclass(frozen=True)
class Profile:
    """The active run profile; ``choose`` picks the size that belongs to it.

    One rule wherever a profile is named (``COURSE_PROFILE``, ``make ... PROFILE=``, the
    runner's ``--profile``): case and surrounding spaces do not matter, and empty means ``full``.
    """

    name: str

    def __post_init__(self) -> None:
        normalised = str(self.name).strip().lower() or "full"
        if normalised not in PROFILES:
            valid = "; ".join(f"{name}: {what}" for name, what in PROFILES.items())
            raise ProfileError(
                f"Unknown run profile {self.name!r}. Valid profiles are {valid}. "
                f"Set {PROFILE_ENV_VAR} (or PROFILE= for make, --profile for the runner) to one "
                f"of: {', '.join(PROFILES)}."
            )
        object.__setattr__(self, "name", normalised)

    @property
    def is_smoke(self) -> bool:
        return self.name == "smoke"

    @property
    def allows_standins(self) -> bool:
        """Only the smoke profile may run on generated stand-in data."""
        return self.is_smoke

    def choose(self, *, full: T, smoke: T) -> T:
        """Return ``full`` or ``smoke``, whichever belongs to this profile."""
        return smoke if self.is_smoke else full


def active_profile() -> Profile:
    """The profile named by ``COURSE_PROFILE`` (``full`` when unset or empty)."""
    return Profile(os.environ.get(PROFILE_ENV_VAR, ""))
