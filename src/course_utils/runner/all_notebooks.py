"""One run from start to end: the notebooks in turn, or up to ``jobs`` at a time
(:mod:`.side_by_side`); a notebook that fails is reported and the run goes on; a stop signal
stops it cleanly; then the run's records are written and reported."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..notebooks import NotebookUnreadable, read_notebook
from ..profiles import Profile
from .console import first_line, output_that_survives_a_closed_pipe
from .kernel import StopSwitch
from .one_notebook import execute
from .outcomes import Outcome
from .report import interrupted_while_writing, last_line, print_report, tables
from .run_folder import gather_run_results, kernel_environment, run_summary, write_records
from .side_by_side import run_side_by_side
from .signals import Interrupted, as_interrupted, stop_signals_held, stop_signals_interrupt


@dataclass(frozen=True)
class Settings:
    """What the command line asked for."""

    profile: Profile
    build: Path
    cell_timeout: int
    store_checked: bool = False
    jobs: int = 1  # notebooks at a time (:mod:`.side_by_side`)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Run:
    """One run under way: its settings, its folder, and each notebook's outcome so far."""

    settings: Settings
    folder: Path
    notebooks: list[Path]
    outcomes: list[Outcome] = field(default_factory=list)
    started_at: str = field(default_factory=_now)
    kernel_env: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.kernel_env = kernel_environment(self.settings.profile, self.folder / "results")


def run_notebooks(
    notebooks: list[Path], settings: Settings, run_dir: Path
) -> tuple[int, dict | None]:
    """Run ``notebooks`` in turn, recording into ``run_dir``; then write the records, print the
    report, and return the exit status and the run's summary (``None`` when interrupted)."""
    run = Run(settings, run_dir, notebooks)
    start = time.perf_counter()
    with output_that_survives_a_closed_pipe():
        interrupted = _run_each(run)
        total = time.perf_counter() - start
        try:
            with stop_signals_held():
                status, summary = _finish(run, interrupted, total)
        except KeyboardInterrupt as error:  # a second one while the results were written
            second = as_interrupted(error)
            print(interrupted_while_writing(second, run_dir))
            return second.exit_status, None
    return status, (None if interrupted else summary)


def _run_each(run: Run) -> Interrupted | None:
    """Each notebook in turn, its outcome appended; a stop signal ends the loop, and the
    notebook it stopped is ``interrupted`` and those after it ``not run``."""
    if run.settings.jobs > 1:
        return _run_side_by_side(run)
    try:
        with stop_signals_interrupt():
            _announce(run)
            for number, path in enumerate(run.notebooks, start=1):
                print(f"[{number}/{len(run.notebooks)}] {path.name}", flush=True)
                run.outcomes.append(_run_one(path, run))
                _print_progress(run.outcomes[-1])
    except KeyboardInterrupt as error:
        rest = [
            Outcome(notebook=p.stem, status="not run") for p in run.notebooks[len(run.outcomes) :]
        ]
        if rest:
            rest[0].status = "interrupted"
        run.outcomes += rest
        return as_interrupted(error)
    return None


def _run_side_by_side(run: Run) -> Interrupted | None:
    """The notebooks up to ``jobs`` at a time, their outcomes in the order given."""

    def run_one(path: Path, extra_env: dict[str, str], switch: StopSwitch) -> Outcome:
        return _run_one(path, run, extra_env, switch)

    def on_finished(outcome: Outcome) -> None:
        _print_progress(outcome, named=True)

    try:
        with stop_signals_interrupt():
            _announce(run)
            print(f"  up to {run.settings.jobs} at a time, each in a kernel of its own")
            run.outcomes, interrupted = run_side_by_side(
                run.notebooks, run.settings.jobs, run_one, on_finished
            )
    except KeyboardInterrupt as error:  # before any notebook started
        run.outcomes = [Outcome(notebook=p.stem, status="not run") for p in run.notebooks]
        return as_interrupted(error)
    return interrupted


def _announce(run: Run) -> None:
    """Say what will run, and at once which notebooks cannot (not only after the others ran)."""
    settings = run.settings
    print(
        f"Running {len(run.notebooks)} notebook(s), profile {settings.profile.name}, into "
        f"{settings.build}/notebooks (this run's records: {run.folder})"
    )
    cannot_run = []
    for path in run.notebooks:
        try:
            read_notebook(path)
        except NotebookUnreadable as error:
            cannot_run.append(str(error))
    if cannot_run:
        print(f"  {len(cannot_run)} cannot run and will be reported as failed:")
        for message in cannot_run:
            print(f"    {message}")


def _run_one(
    path: Path, run: Run, extra_env: dict[str, str] | None = None, switch: StopSwitch | None = None
) -> Outcome:
    """One notebook's outcome; a bug in the runner or a library fails that notebook alone.
    ``extra_env`` adds to its kernel's environment; ``switch`` runs it side by side."""
    settings = run.settings
    try:
        return execute(
            path,
            settings.build / "notebooks",
            settings.profile,
            settings.cell_timeout,
            settings.store_checked,
            {**run.kernel_env, **(extra_env or {})},
            side_by_side=switch,
        )
    except Exception as error:  # a bug here or in a library: report it, go on
        message = f"the runner failed on it ({type(error).__name__}: {error})"
        return Outcome(notebook=path.stem, status="failed", message=message)


def _print_progress(outcome: Outcome, named: bool = False) -> None:
    who = f"{outcome.notebook} " if named else ""
    if outcome.status == "ok":
        seconds = outcome.seconds
        print(f"  {who}done in {seconds:.0f} s ({seconds / 60:.1f} min)", flush=True)
    else:  # the whole message comes again, once, at the end
        print(f"  {who}{outcome.status.upper()}: {first_line(outcome.message)}", flush=True)


def _finish(run: Run, interrupted: Interrupted | None, total: float) -> tuple[int, dict]:
    """Write this run's records, replace the gathered files (unless interrupted), print the
    tables and the messages, and end with one line that says how the run went."""
    summary, table, written = _write_records(run, interrupted, total)
    where = f"{written[-1]}/results.md and results.json" if written else "no file (see below)"
    heading = f"Results (profile {run.settings.profile.name}), also in {where}"
    print_report(heading, table, total, run.outcomes, summary["problems"])
    status, line = last_line(
        run.outcomes,
        summary["problems"],
        interrupted,
        profile=run.settings.profile.name,
        total=total,
        build=run.settings.build,
        run_dir=run.folder,
    )
    print(line)
    return status, summary


def _write_records(
    run: Run, interrupted: Interrupted | None, total: float
) -> tuple[dict, str, list[Path]]:
    """Gather the run's results and write its records (and, unless interrupted, the build's
    gathered copies). Returns the summary, whose problems include any met writing it, the
    tables, and the folders written."""
    gathered, problems = gather_run_results(run.folder / "results", run.outcomes)
    summary = run_summary(
        run.settings.profile,
        run.started_at,
        total,
        run.folder,
        run.outcomes,
        gathered,
        problems,
        complete=interrupted is None,
    )
    table = tables(gathered, run.outcomes)
    markdown = f"# Results (profile {run.settings.profile.name})\n\n{table}"
    folders = [run.folder] if interrupted else [run.folder, run.settings.build]
    written, unwritten = write_records(folders, summary, markdown)
    problems += unwritten
    return summary, table, written
