"""Execute the course's notebooks headless, one after another, and print the results table.

``python -m course_utils.runner [--profile full|smoke] [--build DIR] [notebooks ...]`` (``make run``
calls it). Before running, every data set a notebook declares in its metadata (``course.datasets``)
is resolved; a notebook whose data cannot be had is skipped with the data layer's own message. A
notebook that cannot run (not there, not a notebook, a failing or timed-out cell, a dead kernel) is
reported as failed, and the run goes on with the next one.

Each run keeps its records in a folder of its own, ``<build>/runs/<started>-<id>/`` (the results
files its notebooks write, and its own ``results.json`` and ``results.md``), and only at the end
replaces ``<build>/results.json`` and ``<build>/results.md``, each written whole and then renamed.
It deletes nothing, so runs that overlap (even with the same ``--build``) cannot lose each other's
results. Exit status: 0 every notebook ran; 1 a notebook failed; 2 nothing ran (a bad option, an
unknown profile, no notebooks, an unusable ``--build``); 3 none failed but some were skipped (their
data could not be had); 128 + the signal (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP) interrupted: the
kernel is stopped, what finished is in the run's folder, and the gathered files are not touched.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import contextlib
import copy
import io
import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from . import results
from .data import CourseDataError, DataUnavailableError, files_of
from .data.ensure import ensure
from .data.fetch import MIRROR_ENV_VAR
from .notebooks import checked_cells_that_differ, keep_checked_outputs
from .profiles import PROFILE_ENV_VAR, Profile, ProfileError

SLOW_CELL_S = 5.0
DEFAULT_CELL_TIMEOUT_S = 3600

# Exit statuses (README, "Other commands"): a skip is not a failure, but a run that skipped a
# notebook is not a complete run either.
OK, FAILED, NOTHING_RAN, SKIPPED = 0, 1, 2, 3
# Ctrl-C, kill, and a closed terminal stop a run the same way (exit status 128 + the signal).
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@dataclass
class Outcome:
    notebook: str
    status: str  # "ok", "failed", "skipped"; in an interrupted run also "interrupted", "not run"
    seconds: float = 0.0
    message: str = ""
    executed: Path | None = None
    slow_cells: list[tuple[int, float]] = field(default_factory=list)
    last_cell: int = -1


class NotebookUnreadable(Exception):
    """A notebook path that names no readable notebook; the message says what to do."""


class UsageError(Exception):
    """Something on the command line that stops the run before anything runs."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, SIGTERM or SIGHUP: stop the run, keep what finished, replace nothing."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def declared_datasets(notebook: nbformat.NotebookNode) -> list[str]:
    return list(notebook.metadata.get("course", {}).get("datasets", []))


def missing_data(datasets: list[str], profile: Profile) -> str | None:
    """The data layer's message for the first unavailable file, or ``None`` when all are there.

    In the smoke profile nothing is missing: the notebooks fall back to stand-ins themselves.
    """
    for dataset in datasets:
        for remote in files_of(dataset):
            try:
                ensure(remote)
            except DataUnavailableError as error:
                if profile.allows_standins:
                    print(f"  {remote.relative_path} unavailable: the notebook will use a stand-in")
                    break
                return str(error)
            except CourseDataError as error:  # a corrupt file or a broken mirror: no fallback
                return str(error)
    return None


def read_notebook(path: Path) -> tuple[nbformat.NotebookNode, bytes]:
    """The notebook at ``path`` and the bytes it was read from.

    Raises :class:`NotebookUnreadable` saying what is wrong with which file and what to do.
    """
    if not path.exists():
        raise NotebookUnreadable(
            f"{path} does not exist: check the path (the course's notebooks are "
            f"notebooks/NN_topic.ipynb, run from the checkout's top folder)."
        )
    if path.is_dir():
        raise NotebookUnreadable(
            f"{path} is a folder, not a notebook: name the .ipynb files inside it instead."
        )
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise NotebookUnreadable(
            f"{path} cannot be read ({error.strerror}): fix its permissions."
        ) from None
    try:
        notebook = nbformat.reads(raw.decode("utf-8"), as_version=4)
        nbformat.validate(notebook)
    except Exception as error:  # nbformat raises many kinds for a file that is not a notebook
        reason = (str(error).strip().splitlines() or [""])[0][:200]
        raise NotebookUnreadable(
            f"{path} is not a valid notebook ({type(error).__name__}: {reason}). It may have been "
            f"cut short or edited by hand: restore it (e.g. from git) or open it in JupyterLab "
            f"to see what is wrong."
        ) from None
    return notebook, raw


def _first_line(cell) -> str:
    lines = [line for line in cell.source.splitlines() if line.strip() and not line.startswith("#")]
    return (lines[0] if lines else "").strip()[:60]


def _notebook_text(notebook: nbformat.NotebookNode) -> str:
    text = nbformat.writes(notebook)
    return text if text.endswith("\n") else text + "\n"  # as nbformat.write leaves a file


class _Client(NotebookClient):
    """nbclient's client, except that Ctrl-C, SIGTERM or SIGHUP stops the run.

    nbclient's own handler only shuts the kernel down and lets execution carry on, so the
    runner took a Ctrl-C for a crashed notebook and went on with the next one. Here the signal
    is remembered, the kernel is killed at once, and the execution is cancelled.
    """

    signal_received: int | None = None
    ignored_signals: frozenset[int] = frozenset()  # ignored where the run started: stay ignored

    def _catch_signals(self) -> None:
        task, loop = asyncio.current_task(), asyncio.get_running_loop()

        def on_signal(signum: int) -> None:
            if self.signal_received is None and task is not None:
                self.signal_received = signum
                self.shutdown_kernel = "immediate"
                task.cancel()

        for signum in STOP_SIGNALS:
            handler = (lambda signum: None) if signum in self.ignored_signals else on_signal
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, handler, signum)  # replaces nbclient's

    async def _abandon_start(self) -> None:
        """Interrupted while the kernel started, before nbclient's own clean-up applies: kill
        the kernel and leave no signal handler or exit hook of this client behind."""
        if self.km is not None:
            with contextlib.suppress(Exception):
                self.shutdown_kernel = "immediate"
                await self._async_cleanup_kernel()
        atexit.unregister(self._cleanup_kernel)
        loop = asyncio.get_running_loop()
        for signum in STOP_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signum)

    async def _async_handle_timeout(self, timeout, cell=None):
        self.shutdown_kernel = "immediate"  # a busy kernel would only complain on its way out
        return await super()._async_handle_timeout(timeout, cell)

    async def async_start_new_kernel(self, **kwargs) -> None:
        self._catch_signals()
        try:
            await super().async_start_new_kernel(**kwargs)
        except asyncio.CancelledError:
            await self._abandon_start()
            raise

    async def async_start_new_kernel_client(self):
        try:
            return await super().async_start_new_kernel_client()
        except asyncio.CancelledError:
            await self._abandon_start()
            raise


def _raise_interrupted(signum: int, frame) -> None:
    raise Interrupted(signum)


@contextlib.contextmanager
def _signal_handlers(handler) -> Iterator[None]:
    """``handler`` for the stop signals inside the block, the previous ones after it (in the
    main thread only: elsewhere Python cannot set handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.getsignal(s) for s in STOP_SIGNALS}
    for signum, before in previous.items():
        if before != signal.SIG_IGN:  # ignored by whoever started the run (a background job)
            signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, before in previous.items():
            if before is not None:
                signal.signal(signum, before)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold a first stop signal back while the gathered files are written (milliseconds),
    so that results.json and results.md come from the same run; a second one stops at once."""
    held: list[int] = []

    def hold(signum: int, frame) -> None:
        if held:
            raise Interrupted(signum)
        held.append(signum)

    with _signal_handlers(hold):
        yield


def execute(
    path: Path,
    output_dir: Path,
    profile: Profile,
    cell_timeout: int,
    store_checked: bool = False,
    kernel_env: dict[str, str] | None = None,
) -> Outcome:
    """Run one notebook into ``output_dir``; whatever goes wrong is reported in one line.

    A checked cell (``# NBVAL_CHECK_OUTPUT``) whose output differs from the stored one fails the
    notebook: checked outputs must not depend on the profile. With ``store_checked`` the fresh
    outputs are written back into the source notebook instead (after editing a checked cell).
    A stop signal (Ctrl-C, SIGTERM, SIGHUP) raises :class:`Interrupted` and writes nothing.
    """
    outcome = Outcome(notebook=path.stem, status="ok")
    try:
        source, raw = read_notebook(path)
    except NotebookUnreadable as error:
        outcome.status, outcome.message = "failed", str(error)
        return outcome
    notebook = copy.deepcopy(source)
    try:
        reason = missing_data(declared_datasets(notebook), profile)
    except KeyError as error:  # files_of: a data set the registry does not know
        outcome.status = "failed"
        outcome.message = (
            f"{path} names an unknown data set in its metadata (course.datasets): "
            f"{error.args[0]} Fix the notebook's metadata."
        )
        return outcome
    if reason:
        outcome.status, outcome.message = "skipped", reason
        return outcome

    started: dict[int, float] = {}

    def on_start(cell, cell_index):
        started[cell_index] = time.perf_counter()
        outcome.last_cell = cell_index

    def on_executed(cell, cell_index, execute_reply):
        seconds = time.perf_counter() - started.get(cell_index, time.perf_counter())
        if cell.cell_type == "code" and seconds >= SLOW_CELL_S:
            outcome.slow_cells.append((cell_index, seconds))
            print(f"    cell {cell_index:>3} {seconds:6.1f} s  {_first_line(cell)}", flush=True)

    client = _Client(
        notebook,
        timeout=cell_timeout,
        kernel_name="python3",
        extra_arguments=["--Application.log_level=ERROR"],  # no start-up chatter from the kernel
        resources={"metadata": {"path": str(path.parent)}},
        on_cell_start=on_start,
        on_cell_executed=on_executed,
    )
    start = time.perf_counter()
    main_thread = threading.current_thread() is threading.main_thread()
    signals = STOP_SIGNALS if main_thread else ()
    handlers = {signum: signal.getsignal(signum) for signum in signals}
    client.ignored_signals = frozenset(s for s, h in handlers.items() if h == signal.SIG_IGN)
    try:
        client.execute(**({"env": kernel_env} if kernel_env is not None else {}))
    except CellExecutionError as error:
        outcome.status = "failed"
        outcome.message = f"cell {outcome.last_cell}: {error.ename}: {error.evalue}"
    except CellTimeoutError:
        outcome.status = "failed"
        outcome.message = (
            f"cell {outcome.last_cell} ran longer than the cell timeout ({cell_timeout} s) and was "
            f"stopped: make it faster, or allow more with "
            f"`python -m course_utils.runner --cell-timeout SECONDS ...`."
        )
    except DeadKernelError:
        outcome.status = "failed"
        outcome.message = (
            f"the kernel died while running cell {outcome.last_cell} (out of memory, or a crash "
            f"in native code): run {path} in JupyterLab to see where."
        )
    except asyncio.CancelledError:
        if client.signal_received is None:
            raise
    except Exception as error:  # the kernel would not start, or nbclient failed: say so, go on
        outcome.status = "failed"
        outcome.message = (
            f"could not be run ({type(error).__name__}: "
            f"{(str(error).strip().splitlines() or [''])[0][:200]})."
        )
    finally:  # nbclient leaves the signals it handled at their defaults: restore the run's own
        for signum, handler in handlers.items():
            if handler is not None:
                signal.signal(signum, handler)
    if client.signal_received is not None:
        raise Interrupted(client.signal_received)
    outcome.seconds = time.perf_counter() - start

    if outcome.status == "ok" and store_checked:
        try:
            unchanged = path.read_bytes() == raw
        except OSError:
            unchanged = False
        if unchanged:
            try:
                stored = _notebook_text(keep_checked_outputs(source, notebook))
                results.write_atomically(path, stored)
                print(f"  stored the outputs of the checked cells in {path}")
            except OSError as error:
                outcome.status = "failed"
                outcome.message = (
                    f"its checked outputs could not be stored in {path} ({error.strerror}): "
                    f"make it (and its folder) writable and run make checked on it again."
                )
        else:
            outcome.status = "failed"
            outcome.message = (
                f"{path} changed while it ran, so its checked outputs were not stored (that "
                f"would undo the change): run make checked on it again."
            )
    elif outcome.status == "ok":
        differing = checked_cells_that_differ(source, notebook)
        if differing:
            outcome.status = "failed"
            outcome.message = (
                f"checked cell(s) {differing} print something other than the stored output "
                f"(profile {profile.name}); a checked cell must print the same in every profile"
            )
    executed = output_dir / path.name
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        results.write_atomically(executed, _notebook_text(notebook))
        outcome.executed = executed
    except OSError as error:
        outcome.status = "failed"
        outcome.message = (
            f"{outcome.message + '; ' if outcome.message else ''}its executed copy could not be "
            f"written to {executed} ({error.strerror}): make that folder writable."
        )
    return outcome


def _positive_seconds(text: str) -> int:
    try:
        seconds = int(text)
    except ValueError:
        seconds = 0
    if seconds <= 0:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a whole number of seconds above 0: it is the longest one cell may "
            f"run (default {DEFAULT_CELL_TIMEOUT_S})"
        )
    return seconds


def _same_path(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve()
    except (OSError, RuntimeError):  # a path that cannot be resolved is not the notebook
        return False


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def make_run_folder(build: Path) -> Path:
    """A new folder ``<build>/runs/<started>-<id>`` for one run's records (``results/`` inside).

    Raises :class:`UsageError` when ``build`` cannot hold it, before anything has run.
    """
    if build.exists() and not build.is_dir():
        raise UsageError(
            f"{build} (the --build folder) is a file, not a folder: move the file away, or name "
            f"another folder with --build (it is created when missing)."
        )
    in_the_way = [
        *(
            f"{build / name} is a folder"
            for name in ("results.json", "results.md")
            if (build / name).is_dir()
        ),
        *(
            f"{build / name} is a file"
            for name in ("notebooks", "runs")
            if (build / name).exists() and not (build / name).is_dir()
        ),
    ]
    if in_the_way:
        raise UsageError(
            f"{in_the_way[0]}, so this run could not write its results there: move it away, or "
            f"name another folder with --build."
        )
    try:
        if build.is_dir() and not os.access(build, os.W_OK | os.X_OK):
            raise PermissionError(13, "Permission denied", str(build))
        runs = build / "runs"
        runs.mkdir(parents=True, exist_ok=True)
        run_dir = Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%d-%H%M%S-"), dir=runs))
        run_dir.chmod(0o777 & ~_umask())
        (run_dir / "results").mkdir()
    except OSError as error:
        raise UsageError(
            f"Cannot create this run's folder under {build} ({error.strerror or error}: "
            f"{error.filename or build}): make {build} a folder you can write to, or name another "
            f"with --build."
        ) from None
    return run_dir


def kernel_environment(profile: Profile, results_directory: Path) -> dict[str, str]:
    """The environment each notebook's kernel gets: this run's profile and results folder, and
    the data mirror as an absolute path (kernels start in the notebook's folder)."""
    env = dict(os.environ)
    env[PROFILE_ENV_VAR] = profile.name
    env[results.RESULTS_ENV_VAR] = str(results_directory.resolve())
    mirror = env.get(MIRROR_ENV_VAR, "").strip()
    if mirror:
        env[MIRROR_ENV_VAR] = str(Path(mirror).expanduser().resolve())
    return env


def _gather(directory: Path, outcomes: list[Outcome]) -> tuple[list[results.Result], list[str]]:
    """This run's recorded results; a results file that cannot be read fails its notebook."""
    gathered, problems = [], []
    for path in sorted(directory.glob("*.json")):
        try:
            gathered += results.load_results(path)
        except results.ResultsFileError as error:
            owner = next(
                (
                    o
                    for o in outcomes
                    if o.notebook == path.stem or o.notebook.startswith(f"{path.stem}_")
                ),
                None,
            )
            if owner is not None and owner.status == "ok":
                owner.status, owner.message = "failed", str(error)
            else:
                problems.append(str(error))
    return gathered, problems


def _cell(text: str) -> str:
    return (text.splitlines() or [""])[0].replace("|", "\\|")


def notebooks_table(outcomes: list[Outcome]) -> str:
    """Each notebook's status and wall time, with the first line of what went wrong."""
    lines = ["| notebook | status | wall time | note |", "| --- | --- | ---: | --- |"]
    for o in outcomes:
        wall = f"{o.seconds / 60:.1f} min ({o.seconds:.0f} s)" if o.seconds else ""
        lines.append(f"| {o.notebook} | {o.status} | {wall} | {_cell(o.message)} |")
    return "\n".join(lines) + "\n"


def _names(outcomes: list[Outcome]) -> str:
    return ", ".join(o.notebook for o in outcomes)


def run(argv: list[str] | None = None) -> tuple[int, dict | None]:
    """:func:`main`, also returning the run's summary (``None`` when nothing ran or the run was
    interrupted), for callers that go on with the executed notebooks (``make slides``)."""
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.runner", description=__doc__.splitlines()[0]
    )
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--profile", default=os.environ.get(PROFILE_ENV_VAR, "full"))
    parser.add_argument("--build", type=Path, default=Path("build"))
    parser.add_argument(
        "--cell-timeout",
        type=_positive_seconds,
        default=DEFAULT_CELL_TIMEOUT_S,
        help="the longest one cell may run, in seconds",
    )
    parser.add_argument(
        "--store-checked",
        action="store_true",
        help="write the fresh outputs of checked cells back into the source notebooks",
    )
    args = parser.parse_args(argv)

    try:
        profile = Profile(args.profile)
    except ProfileError as error:  # stop before anything runs, listing the valid profiles
        print(error, file=sys.stderr)
        return NOTHING_RAN, None
    notebooks = args.notebooks or sorted(Path("notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        print("No notebooks to run (looked for notebooks/NN_*.ipynb).", file=sys.stderr)
        return NOTHING_RAN, None
    build: Path = args.build
    overwritten = [p for p in notebooks if _same_path(build / "notebooks" / p.name, p)]
    if overwritten:
        print(
            f"--build {build} would write the executed copy of {overwritten[0]} over the notebook "
            f"itself: name another folder with --build (the default is build).",
            file=sys.stderr,
        )
        return NOTHING_RAN, None
    try:
        run_dir = make_run_folder(build)
    except UsageError as error:
        print(error, file=sys.stderr)
        return NOTHING_RAN, None
    kernel_env = kernel_environment(profile, run_dir / "results")

    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    outcomes: list[Outcome] = []
    interrupted: Interrupted | None = None
    total_start = time.perf_counter()
    with _output_that_survives_a_closed_pipe():
        try:
            with _signal_handlers(_raise_interrupted):
                _announce(notebooks, build, profile, run_dir)
                _run_all(notebooks, outcomes, build, profile, args, kernel_env)
        except KeyboardInterrupt as error:
            interrupted = error if isinstance(error, Interrupted) else Interrupted(signal.SIGINT)
            if len(outcomes) < len(notebooks):
                outcomes.append(
                    Outcome(notebook=notebooks[len(outcomes)].stem, status="interrupted")
                )
            outcomes += [
                Outcome(notebook=p.stem, status="not run") for p in notebooks[len(outcomes) :]
            ]
        total = time.perf_counter() - total_start
        try:
            with _signals_deferred():
                status, summary = _finish(
                    build, run_dir, profile, outcomes, interrupted, total, started_at
                )
        except KeyboardInterrupt as error:  # a second one while the results were written
            signum = getattr(error, "signum", signal.SIGINT)
            print(
                f"INTERRUPTED ({signal.Signals(signum).name}) while the results were written: "
                f"each file is whole, either the previous one or this run's; this run's records "
                f"are in {run_dir}. Exit status {128 + signum}."
            )
            return 128 + signum, None
    return status, (None if interrupted else summary)


def _announce(notebooks: list[Path], build: Path, profile: Profile, run_dir: Path) -> None:
    """Say what will run, and at once which notebooks cannot (not only after the others ran)."""
    print(
        f"Running {len(notebooks)} notebook(s), profile {profile.name}, into {build}/notebooks "
        f"(this run's records: {run_dir})"
    )
    cannot_run = []
    for path in notebooks:
        try:
            read_notebook(path)
        except NotebookUnreadable as error:
            cannot_run.append(str(error))
    if cannot_run:
        print(f"  {len(cannot_run)} cannot run and will be reported as failed:")
        for message in cannot_run:
            print(f"    {message}")


class _SurvivesClosedPipe(io.TextIOBase):
    """stdout that goes quiet instead of failing once its reader has gone (``make run | head``):
    the run still finishes and writes its results."""

    def __init__(self, stream) -> None:
        self.stream, self.closed_pipe = stream, False

    @property
    def encoding(self) -> str:
        return getattr(self.stream, "encoding", "utf-8")

    def isatty(self) -> bool:
        return not self.closed_pipe and self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not self.closed_pipe:
            try:
                self.stream.write(text)
            except (BrokenPipeError, ValueError):
                self._go_quiet()
        return len(text)

    def flush(self) -> None:
        if not self.closed_pipe:
            try:
                self.stream.flush()
            except (BrokenPipeError, ValueError):
                self._go_quiet()

    def _go_quiet(self) -> None:
        self.closed_pipe = True
        with contextlib.suppress(OSError, ValueError):  # so that Python's exit flush is quiet too
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())
            os.close(devnull)


@contextlib.contextmanager
def _output_that_survives_a_closed_pipe() -> Iterator[None]:
    original = sys.stdout
    sys.stdout = _SurvivesClosedPipe(original)
    try:
        yield
    finally:
        sys.stdout = original


def _run_all(
    notebooks: list[Path],
    outcomes: list[Outcome],
    build: Path,
    profile: Profile,
    args: argparse.Namespace,
    kernel_env: dict[str, str],
) -> None:
    """Run each notebook in turn, appending its outcome; nothing but an interruption stops it."""
    for number, path in enumerate(notebooks, start=1):
        print(f"[{number}/{len(notebooks)}] {path.name}", flush=True)
        try:
            outcome = execute(
                path,
                build / "notebooks",
                profile,
                args.cell_timeout,
                args.store_checked,
                kernel_env,
            )
        except KeyboardInterrupt:
            raise
        except Exception as error:  # a bug here or in a library: report it, go on
            outcome = Outcome(
                notebook=path.stem,
                status="failed",
                message=f"the runner failed on it ({type(error).__name__}: {error})",
            )
        outcomes.append(outcome)
        if outcome.status == "ok":
            print(
                f"  done in {outcome.seconds:.0f} s ({outcome.seconds / 60:.1f} min)",
                flush=True,
            )
        else:  # the whole message comes again, once, at the end
            first_line = (outcome.message.splitlines() or [""])[0]
            print(f"  {outcome.status.upper()}: {first_line}", flush=True)


def _finish(
    build: Path,
    run_dir: Path,
    profile: Profile,
    outcomes: list[Outcome],
    interrupted: Interrupted | None,
    total: float,
    started_at: str,
) -> tuple[int, dict]:
    """Write this run's records, replace the gathered files (unless interrupted), print the
    tables and the messages, and end with one line that says how the run went."""
    gathered, problems = _gather(run_dir / "results", outcomes)
    failed = [o for o in outcomes if o.status == "failed"]
    skipped = [o for o in outcomes if o.status == "skipped"]
    ran = [o for o in outcomes if o.status in ("ok", "failed", "skipped")]

    table = results.markdown_table(gathered) + "\n" + notebooks_table(outcomes)
    summary = {
        "profile": profile.name,
        "started_at": started_at,
        "total_seconds": round(total, 1),
        "run_folder": str(run_dir),
        "complete": interrupted is None,
        "notebooks": [
            {
                "notebook": o.notebook,
                "status": o.status,
                "seconds": round(o.seconds, 1),
                "message": o.message,
                "slow_cells": o.slow_cells,
                "executed": str(o.executed) if o.executed else None,
            }
            for o in outcomes
        ],
        "results": [vars(r) for r in gathered],
        "problems": problems,
    }
    markdown = f"# Results (profile {profile.name})\n\n{table}"

    contents = {
        "results.md": markdown,
        "results.json": json.dumps(summary, indent=1, ensure_ascii=False) + "\n",
    }
    written = []
    for folder in [run_dir] if interrupted else [run_dir, build]:
        try:
            for name, text in contents.items():
                target = folder / name
                results.write_atomically(target, text)
            written.append(folder)
        except OSError as error:
            problems.append(
                f"Could not write {target} ({error.strerror or error}): make {folder} a folder "
                f"you can write to; this run's results are in the tables above."
            )
    where = f"{written[-1]}/results.md and results.json" if written else "no file (see below)"
    print(f"\nResults (profile {profile.name}), also in {where}:\n")
    print(table)
    print(f"Total: {total:.0f} s ({total / 60:.1f} min)")
    for o in skipped:
        print(f"SKIPPED {o.notebook}: its data is not available.\n{o.message}\n")
    for o in failed:
        copy_note = f"\n  (executed copy with the error: {o.executed})" if o.executed else ""
        print(f"FAILED {o.notebook}: {o.message}{copy_note}")
    for problem in problems:
        print(f"PROBLEM: {problem}")

    if interrupted is not None:
        status = 128 + interrupted.signum
        during = next((o.notebook for o in outcomes if o.status == "interrupted"), "")
        print(
            f"INTERRUPTED ({signal.Signals(interrupted.signum).name}) during {during}, after "
            f"{len(ran)} of {len(outcomes)} notebook(s): {build}/results.json and results.md were "
            f"not touched; this run's records so far are in {run_dir}. Exit status {status}."
        )
        return status, summary
    if failed or problems:
        also = f"; {len(skipped)} skipped ({_names(skipped)})" if skipped else ""
        what = f"{len(failed)} of {len(outcomes)} notebook(s) failed ({_names(failed)})"
        if not failed:
            what = "the results could not all be read or written"
        print(f"FAILED: {what}{also}: see the messages above. Exit status {FAILED}.")
        return FAILED, summary
    if skipped:
        print(
            f"INCOMPLETE: {len(skipped)} of {len(outcomes)} notebook(s) skipped because their "
            f"data could not be had ({_names(skipped)}): their results are missing from the "
            f"table; see the messages above. Exit status {SKIPPED}."
        )
        return SKIPPED, summary
    print(
        f"OK: all {len(outcomes)} notebook(s) ran, profile {profile.name}, in {total / 60:.1f} min."
    )
    return OK, summary


def main(argv: list[str] | None = None) -> int:
    try:
        return run(argv)[0]
    except KeyboardInterrupt as error:  # before the run had a folder: nothing was written
        signum = getattr(error, "signum", signal.SIGINT)
        print(f"Interrupted ({signal.Signals(signum).name}) before anything ran.", file=sys.stderr)
        return 128 + signum


if __name__ == "__main__":
    sys.exit(main())
