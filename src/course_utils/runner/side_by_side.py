"""Notebooks side by side (``--jobs N``): each in a thread of its own, with its own kernel.

A notebook that trains a small recurrent model keeps about one core busy, so on a 2-core machine
two such notebooks run side by side in little more time than one. Each gets its share of the
cores (:data:`~course_utils.environment.INTRA_OP_THREADS_ENV_VAR`), except one that runs alone,
which has them all. :mod:`.schedule` says which notebook starts when.

Stop signals reach the main thread only: it throws a :class:`~.kernel.StopSwitch` that kills
every running kernel, waits for their threads, and reports the notebooks that were running as
``interrupted`` and those that had not started as ``not run``.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from pathlib import Path

from ..environment import INTRA_OP_THREADS_ENV_VAR
from .kernel import StopSwitch
from .outcomes import Outcome
from .schedule import Planned, next_to_start, plan, threads_each
from .signals import Interrupted, as_interrupted

RunOne = Callable[[Path, dict[str, str], StopSwitch], Outcome]
"""Runs one notebook with these extra kernel environment variables, stopped by the switch."""


def run_side_by_side(
    notebooks: list[Path],
    jobs: int,
    run_one: RunOne,
    on_finished: Callable[[Outcome], None],
) -> tuple[list[Outcome], Interrupted | None]:
    """Run ``notebooks``, up to ``jobs`` at a time; return their outcomes in the order given,
    and the stop signal that interrupted the run, if one did."""
    waiting = [plan(path) for path in notebooks]
    order = {planned.name: index for index, planned in enumerate(waiting)}
    running: dict[str, Planned] = {}
    outcomes: dict[str, Outcome] = {}
    finished_queue: queue.Queue[tuple[Planned, Outcome]] = queue.Queue()
    switch = StopSwitch()
    shared = {INTRA_OP_THREADS_ENV_VAR: str(threads_each(jobs, os.cpu_count()))}

    def work(planned: Planned, extra_env: dict[str, str]) -> None:
        try:
            outcome = run_one(planned.path, extra_env, switch)
        except KeyboardInterrupt:  # the switch was thrown: its kernel is gone
            outcome = Outcome(notebook=planned.name, status="interrupted")
        except BaseException as error:  # never leave the main thread waiting for it
            outcome = Outcome(notebook=planned.name, status="failed", message=repr(error))
        finished_queue.put((planned, outcome))

    def finish(planned: Planned, outcome: Outcome) -> None:
        del running[planned.name]
        outcomes[planned.name] = outcome

    interrupted = None
    try:
        while waiting or running:
            _start_what_may(waiting, running, outcomes, jobs, len(order), shared, work)
            try:
                planned, outcome = finished_queue.get(timeout=0.5)
            except queue.Empty:
                continue
            finish(planned, outcome)
            on_finished(outcome)
    except KeyboardInterrupt as error:
        interrupted = as_interrupted(error)
        switch.throw(interrupted.signum)
        while running:  # their kernels are being killed; a second signal changes nothing
            try:
                planned, outcome = finished_queue.get(timeout=0.5)
            except (queue.Empty, KeyboardInterrupt):
                continue
            if outcome.status != "ok":
                outcome.status = "interrupted"
            finish(planned, outcome)
        for planned in waiting:
            outcomes[planned.name] = Outcome(notebook=planned.name, status="not run")
    return sorted(outcomes.values(), key=lambda o: order[o.notebook]), interrupted


def _start_what_may(
    waiting: list[Planned],
    running: dict[str, Planned],
    outcomes: dict[str, Outcome],
    jobs: int,
    total: int,
    shared: dict[str, str],
    work: Callable[[Planned, dict[str, str]], None],
) -> None:
    """Start, each in a thread, every waiting notebook that may start now."""
    while True:
        planned = next_to_start(waiting, list(running.values()), set(outcomes), jobs)
        if planned is None:
            return
        waiting.remove(planned)
        running[planned.name] = planned
        number = len(outcomes) + len(running)
        how = f"alone: {planned.alone}" if planned.alone else "may share the machine"
        print(f"[{number}/{total}] {planned.name} ({how})", flush=True)
        extra_env = {} if planned.alone else shared
        threading.Thread(target=work, args=(planned, extra_env), daemon=True).start()

