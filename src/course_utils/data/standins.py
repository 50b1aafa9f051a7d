"""Which data sets this process replaced with generated stand-ins; the marker of a generated file.

A stand-in keeps the real layout (so every code path runs) and carries just enough signal for a
model to learn something, but nothing computed on it is a result: the results helper refuses to
record figures from a notebook that used one. The generators are ``imdb_standin``,
``text_standin`` and ``jena_simulation``; a generated file written into a folder (the Jena
stand-in that ``jena_standin`` writes as a mirror) has the marker ``GENERATED_STANDIN.txt``
beside it.
"""

from __future__ import annotations

from pathlib import Path

MARKER_NAME = "GENERATED_STANDIN.txt"

_in_use: dict[str, str] = {}


def marked_as_generated(path: Path) -> bool:
    """Whether the marker of a generated stand-in lies beside ``path``."""
    return (path.parent / MARKER_NAME).is_file()


def note_standin(dataset: str, why: str) -> None:
    """Say, in the notebook's output, that ``dataset`` is a generated stand-in, and remember it."""
    if dataset in _in_use:
        return
    _in_use[dataset] = why
    print(
        f"NOTE: this run uses a GENERATED STAND-IN for {dataset}: {why}. Every cell runs, but "
        f"its figures are not results and are not recorded."
    )


def standins_in_use() -> dict[str, str]:
    """Data sets this process replaced with stand-ins, and why."""
    return dict(_in_use)
