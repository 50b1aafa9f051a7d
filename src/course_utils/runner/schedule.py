"""Which notebook to start next when notebooks run side by side (``--jobs 2``).

A notebook says two things about itself in its metadata (``course``):

- ``loads_runs_from``: the notebooks whose kept runs it loads (:mod:`course_utils.kept_runs`).
  When one of them is in the same run, it starts only after that one has finished, so that it
  loads the run instead of training the same model again beside it.
- ``runs_alone``: why it should have the machine to itself (its model keeps every core busy,
  so sharing them would slow it more than the other notebook gains). Nothing starts beside it.

Notebooks otherwise start in the order given, each as soon as a job is free.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..notebooks import NotebookUnreadable, read_notebook


@dataclass(frozen=True)
class Planned:
    """One notebook of the run, with what its metadata says about when it may start."""

    path: Path
    after: frozenset[str] = frozenset()  # the stems of the notebooks whose runs it loads
    alone: str = ""  # why it runs alone; empty when it may share the machine

    @property
    def name(self) -> str:
        return self.path.stem


def plan(path: Path) -> Planned:
    """``path`` with its ``loads_runs_from`` and ``runs_alone`` (none for an unreadable file:
    the runner reports that one when it comes to it)."""
    try:
        notebook, _ = read_notebook(path)
    except NotebookUnreadable:
        return Planned(path)
    course = notebook.metadata.get("course", {})
    return Planned(
        path, frozenset(course.get("loads_runs_from", [])), str(course.get("runs_alone") or "")
    )


def next_to_start(
    waiting: list[Planned], running: list[Planned], finished: set[str], jobs: int
) -> Planned | None:
    """The first of ``waiting`` that may start now beside ``running``, or ``None``.

    It waits while every job is busy, while a notebook that runs alone is running, for a
    notebook that runs alone until nothing else runs, and for the notebooks whose runs it loads
    while any of them is still in the run (``waiting`` or ``running``) and not ``finished``
    (unless nothing runs: notebooks that wait for each other start in the order given).
    """
    if len(running) >= jobs or any(p.alone for p in running):
        return None
    unfinished = {p.name for p in (*waiting, *running)} - finished
    for candidate in waiting:
        if candidate.after & unfinished:
            continue
        if candidate.alone and running:
            return None  # keep the order: nothing overtakes a notebook waiting for the machine
        return candidate
    if not running and waiting:
        return waiting[0]  # they wait for each other: the order given decides
    return None


def threads_each(jobs: int, cpus: int | None) -> int:
    """Cores for each of ``jobs`` notebooks running side by side on ``cpus`` cores (at least 1)."""
    return max(1, (cpus or 1) // max(1, jobs))
