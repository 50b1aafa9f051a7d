"""Execute one notebook: from its file to an :class:`~.outcomes.Outcome` and an executed copy.

Whatever goes wrong is one line in the outcome, never an exception: a notebook that cannot be
read, data that cannot be had (:mod:`.data_check`), a failing or timed-out cell or a dead kernel
(:mod:`.kernel`), a checked cell (``# NBVAL_CHECK_OUTPUT``) whose output differs from the stored
one (checked outputs must not depend on the profile), an executed copy that cannot be written.
Only a stop signal (Ctrl-C, SIGTERM, SIGHUP) raises :class:`~.signals.Interrupted`, and then
nothing is written.
"""

from __future__ import annotations

import copy
import time
from pathlib import Path

import nbformat

from ..notebooks import (
    NotebookUnreadable,
    checked_cells_that_differ,
    keep_checked_outputs,
    notebook_text,
    read_notebook,
)
from ..profiles import Profile
from ..results import write_atomically
from .data_check import why_it_cannot_run
from .kernel import CellTimes, StopSwitch, run_cells
from .outcomes import Outcome


def execute(
    path: Path,
    output_dir: Path,
    profile: Profile,
    cell_timeout: int,
    store_checked: bool = False,
    kernel_env: dict[str, str] | None = None,
    *,
    side_by_side: StopSwitch | None = None,
) -> Outcome:
    """Run the notebook at ``path`` into ``output_dir/<its name>``, with ``kernel_env`` for its
    kernel, and say how it went. With ``store_checked`` the fresh outputs of its checked cells
    are written back into ``path`` instead of compared (after editing a checked cell). A
    notebook running ``side_by_side`` with others (in a thread of its own) names itself on
    each line it prints, and stops when that switch is thrown."""
    outcome = Outcome(notebook=path.stem, status="ok")
    try:
        source, raw = read_notebook(path)
    except NotebookUnreadable as error:
        outcome.fail(str(error))
        return outcome
    cannot_run = why_it_cannot_run(path, source, profile)
    if cannot_run:
        outcome.status, outcome.message = cannot_run
        return outcome

    times = CellTimes(label=path.stem if side_by_side else "")
    executed, start = copy.deepcopy(source), time.perf_counter()
    stopped_because = run_cells(executed, path, cell_timeout, kernel_env, times, side_by_side)
    outcome.seconds = time.perf_counter() - start
    outcome.last_cell, outcome.slow_cells = times.last_cell, times.slow_cells
    if stopped_because:
        outcome.fail(stopped_because)
    elif store_checked:
        _fail_if(outcome, store_checked_outputs(path, raw, source, executed))
    else:
        _fail_if(outcome, _checked_cells_problem(source, executed, profile))
    _write_executed_copy(outcome, executed, output_dir / path.name)
    return outcome


def _fail_if(outcome: Outcome, problem: str) -> None:
    if problem:
        outcome.fail(problem)


def _checked_cells_problem(
    source: nbformat.NotebookNode, executed: nbformat.NotebookNode, profile: Profile
) -> str:
    differing = checked_cells_that_differ(source, executed)
    if not differing:
        return ""
    return (
        f"checked cell(s) {differing} print something other than the stored output "
        f"(profile {profile.name}); a checked cell must print the same in every profile"
    )


def store_checked_outputs(
    path: Path, raw: bytes, source: nbformat.NotebookNode, executed: nbformat.NotebookNode
) -> str:
    """Write ``executed``'s checked outputs into the notebook at ``path`` (every other output
    cleared), unless the file is no longer the ``raw`` bytes it was read from: storing then
    would undo an edit made while it ran. Returns ``""`` when stored, else why not."""
    try:
        unchanged = path.read_bytes() == raw
    except OSError:
        unchanged = False
    if not unchanged:
        return (
            f"{path} changed while it ran, so its checked outputs were not stored (that "
            f"would undo the change): run make checked on it again."
        )
    try:
        write_atomically(path, notebook_text(keep_checked_outputs(source, executed)))
    except OSError as error:
        return (
            f"its checked outputs could not be stored in {path} ({error.strerror}): "
            f"make it (and its folder) writable and run make checked on it again."
        )
    print(f"  stored the outputs of the checked cells in {path}")
    return ""


def _write_executed_copy(outcome: Outcome, executed: nbformat.NotebookNode, target: Path) -> None:
    """Write the executed notebook (with its error, if a cell failed) whole to ``target``."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, notebook_text(executed))
        outcome.executed = target
    except OSError as error:
        outcome.fail(
            f"its executed copy could not be written to {target} ({error.strerror}): "
            f"make that folder writable."
        )
