"""Checks of the sizes and counts the helpers are given, with errors that say how to fix them."""

from __future__ import annotations

import numpy as np


def whole_number(value, name: str, *, minimum: int | None = None) -> int:
    """``value`` as an ``int`` if it is a whole number (an ``int`` or a NumPy integer; not a bool,
    nor a float such as ``3.0``) of at least ``minimum``; otherwise a clear error."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(
            f"{name} must be a whole number (an int), got {value!r} ({type(value).__name__})"
            + (f": use {int(value)}" if isinstance(value, float) and value.is_integer() else "")
        )
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)
