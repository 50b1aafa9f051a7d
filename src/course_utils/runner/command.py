"""The command line, ``python -m course_utils.runner [--profile full|smoke] [--build DIR]
[--cell-timeout SECONDS] [--jobs N] [--store-checked] [notebooks ...]``: its options, the usage
errors that stop a run before anything runs (exit status 2, nothing written), :func:`run` and
:func:`main`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..profiles import PROFILE_ENV_VAR, Profile, ProfileError
from .all_notebooks import Settings, run_notebooks
from .outcomes import NOTHING_RAN, UsageError
from .run_folder import make_run_folder
from .signals import as_interrupted

DEFAULT_CELL_TIMEOUT_S = 3600
DESCRIPTION = (
    "Execute the course's notebooks headless, in turn or side by side, and print the results table."
)


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


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of notebooks to run at a time (1 or more; 2 fills a "
            f"2-core machine)"
        )
    return int(text)


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m course_utils.runner", description=DESCRIPTION)
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
        "--jobs",
        type=_jobs,
        default=1,
        help="notebooks to run at a time, each in its own kernel (default 1: one after another)",
    )
    parser.add_argument(
        "--store-checked",
        action="store_true",
        help="write the fresh outputs of checked cells back into the source notebooks",
    )
    return parser


def _same_path(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve()
    except (OSError, RuntimeError):  # a path that cannot be resolved is not the notebook
        return False


def _checked(args: argparse.Namespace) -> tuple[Settings, list[Path]]:
    """The run's settings and notebooks; :class:`UsageError` for an unknown profile, no
    notebooks, or a build folder whose executed copies would overwrite a notebook."""
    try:
        profile = Profile(args.profile)
    except ProfileError as error:  # stop before anything runs, listing the valid profiles
        raise UsageError(str(error)) from None
    notebooks = args.notebooks or sorted(Path("notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        raise UsageError("No notebooks to run (looked for notebooks/NN_*.ipynb).")
    build: Path = args.build
    overwritten = [p for p in notebooks if _same_path(build / "notebooks" / p.name, p)]
    if overwritten:
        raise UsageError(
            f"--build {build} would write the executed copy of {overwritten[0]} over the notebook "
            f"itself: name another folder with --build (the default is build)."
        )
    settings = Settings(profile, build, args.cell_timeout, args.store_checked, args.jobs)
    return settings, notebooks


def run(argv: list[str] | None = None) -> tuple[int, dict | None]:
    """Run the notebooks ``argv`` names, as ``python -m course_utils.runner`` would, and return
    its exit status and the run's summary (what results.json holds), ``None`` when nothing ran
    or the run was interrupted: for callers that go on with the executed notebooks (``make
    slides``). A bad option exits through argparse (``SystemExit(2)``), as on the command line.
    """
    args = parser().parse_args(argv)
    try:
        settings, notebooks = _checked(args)
        run_dir = make_run_folder(settings.build)
    except UsageError as error:
        print(error, file=sys.stderr)
        return NOTHING_RAN, None
    return run_notebooks(notebooks, settings, run_dir)


def main(argv: list[str] | None = None) -> int:
    """:func:`run`, returning its exit status only."""
    try:
        return run(argv)[0]
    except KeyboardInterrupt as error:  # before the run had a folder: nothing was written
        interrupted = as_interrupted(error)
        print(f"Interrupted ({interrupted.name}) before anything ran.", file=sys.stderr)
        return interrupted.exit_status
