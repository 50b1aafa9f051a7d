"""Where the course's checkout is: data/, build/ and node_modules/ live beside the package."""

from __future__ import annotations

from pathlib import Path


def repository_root() -> Path | None:
    """The course checkout this package lives in, or ``None`` when installed elsewhere."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "src" / "course_utils").is_dir() else None
