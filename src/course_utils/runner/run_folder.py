"""A run's folder, ``<build>/runs/<started>-<id>/``, and what is written into it.

The folder is made before anything runs (a build folder that cannot hold it is a
:class:`~.outcomes.UsageError`). The kernels record into its ``results/`` (their environment
says so); at the end the run's ``results.json`` and ``results.md`` are written there and, unless
the run was interrupted, over ``<build>/results.json`` and ``<build>/results.md``: each file
whole, then renamed (:func:`~course_utils.results.write_atomically`). Nothing is deleted, so
runs that overlap, even with the same build folder, keep each other's results.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from .. import results
from ..data.folders import MIRROR_ENV_VAR
from ..profiles import PROFILE_ENV_VAR, Profile
from .outcomes import Outcome, UsageError

GATHERED = ("results.json", "results.md")
BELOW_BUILD = ("notebooks", "runs")


def _check_build_can_hold_a_run(build: Path) -> None:
    """Raise :class:`UsageError` when something under ``build`` stands where a run writes."""
    if build.exists() and not build.is_dir():
        raise UsageError(
            f"{build} (the --build folder) is a file, not a folder: move the file away, or name "
            f"another folder with --build (it is created when missing)."
        )
    in_the_way = [
        *(f"{build / name} is a folder" for name in GATHERED if (build / name).is_dir()),
        *(
            f"{build / name} is a file"
            for name in BELOW_BUILD
            if (build / name).exists() and not (build / name).is_dir()
        ),
    ]
    if in_the_way:
        raise UsageError(
            f"{in_the_way[0]}, so this run could not write its results there: move it away, or "
            f"name another folder with --build."
        )


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def make_run_folder(build: Path) -> Path:
    """A new folder ``<build>/runs/<started>-<id>`` for one run's records (``results/`` inside).

    Raises :class:`UsageError` when ``build`` cannot hold it, before anything has run.
    """
    _check_build_can_hold_a_run(build)
    try:
        if build.is_dir() and not os.access(build, os.W_OK | os.X_OK):
            raise PermissionError(13, "Permission denied", str(build))
        (build / "runs").mkdir(parents=True, exist_ok=True)
        run_dir = Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%d-%H%M%S-"), dir=build / "runs"))
        run_dir.chmod(0o777 & ~_umask())  # mkdtemp's is 0o700; a run folder is like any other
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


def _notebook_that_wrote(path: Path, outcomes: list[Outcome]) -> Outcome | None:
    """The notebook whose results file ``path`` is (``03.json`` is ``03_imdb``'s), if it ran."""
    stem = path.stem
    return next(
        (o for o in outcomes if o.notebook == stem or o.notebook.startswith(f"{stem}_")), None
    )


def gather_run_results(
    directory: Path, outcomes: list[Outcome]
) -> tuple[list[results.Result], list[str]]:
    """This run's recorded results, and the problems met reading them. A results file that
    cannot be read fails the notebook that wrote it (a problem of its own when none did)."""
    gathered, problems = [], []
    for path in results.results_files(directory):
        try:
            gathered += results.load_results(path)
        except results.ResultsFileError as error:
            owner = _notebook_that_wrote(path, outcomes)
            if owner is not None and owner.status == "ok":
                owner.fail(str(error))
            else:
                problems.append(str(error))
    return gathered, problems


def run_summary(
    profile: Profile,
    started_at: str,
    total_seconds: float,
    run_dir: Path,
    outcomes: list[Outcome],
    gathered: list[results.Result],
    problems: list[str],
    complete: bool,
) -> dict:
    """What results.json says of a run (``complete`` is false when it was interrupted);
    ``problems`` is the list itself, so that problems met writing the files join it."""
    return {
        "profile": profile.name,
        "started_at": started_at,
        "total_seconds": round(total_seconds, 1),
        "run_folder": str(run_dir),
        "complete": complete,
        "notebooks": [_notebook_entry(o) for o in outcomes],
        "results": [vars(r) for r in gathered],
        "problems": problems,
    }


def _notebook_entry(outcome: Outcome) -> dict:
    return {
        "notebook": outcome.notebook,
        "status": outcome.status,
        "seconds": round(outcome.seconds, 1),
        "message": outcome.message,
        "slow_cells": outcome.slow_cells,
        "executed": str(outcome.executed) if outcome.executed else None,
    }


def write_records(
    folders: list[Path], summary: dict, markdown: str
) -> tuple[list[Path], list[str]]:
    """Write results.json and results.md into each folder, each file whole or not at all.

    Returns the folders written and, for each that could not be, what to do. A folder that
    fails does not stop the next one: the run's own records and the gathered copies are
    independent (a run folder removed mid-run still lets ``<build>/results.*`` be replaced).
    """
    contents = {
        "results.md": markdown,
        "results.json": json.dumps(summary, indent=1, ensure_ascii=False) + "\n",
    }
    written, problems = [], []
    for folder in folders:
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
    return written, problems
