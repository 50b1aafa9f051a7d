"""Plumbing for the recurrent-networks course; the lessons themselves live in the notebooks."""

from .environment import describe_device, gpu_available, import_tensorflow_quietly, setup
from .profiles import Profile, ProfileError, active_profile
from .results import record, record_timing

__all__ = [
    "Profile",
    "ProfileError",
    "active_profile",
    "describe_device",
    "gpu_available",
    "import_tensorflow_quietly",
    "record",
    "record_timing",
    "setup",
]
