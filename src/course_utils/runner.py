"""Execute the course's notebooks headless, one after another, and print the results table.

``python -m course_utils.runner [--profile full|smoke] [notebooks ...]`` (``make run`` calls it).
Before running, every data set a notebook declares in its metadata (``course.datasets``) is
resolved; a notebook whose data cannot be had is skipped with the data layer's own message.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

from . import results
from .data import CourseDataError, DataUnavailableError, files_of
from .data.ensure import ensure
from .data.fetch import MIRROR_ENV_VAR
from .notebooks import checked_cells_that_differ, keep_checked_outputs
from .profiles import PROFILE_ENV_VAR, Profile, ProfileError

SLOW_CELL_S = 5.0


@dataclass
class Outcome:
    notebook: str
    status: str  # "ok", "failed" or "skipped"
    seconds: float = 0.0
    message: str = ""
    executed: Path | None = None
    slow_cells: list[tuple[int, float]] = field(default_factory=list)
    last_cell: int = -1


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


def _first_line(cell) -> str:
    lines = [line for line in cell.source.splitlines() if line.strip() and not line.startswith("#")]
    return (lines[0] if lines else "").strip()[:60]


def execute(
    path: Path, output_dir: Path, profile: Profile, cell_timeout: int, store_checked: bool = False
) -> Outcome:
    """Run one notebook into ``output_dir``; a failing cell's error is reported in one line.

    A checked cell (``# NBVAL_CHECK_OUTPUT``) whose output differs from the stored one fails the
    notebook: checked outputs must not depend on the profile. With ``store_checked`` the fresh
    outputs are written back into the source notebook instead (after editing a checked cell).
    """
    source = nbformat.read(path, as_version=4)
    notebook = copy.deepcopy(source)
    outcome = Outcome(notebook=path.stem, status="ok")
    reason = missing_data(declared_datasets(notebook), profile)
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

    client = NotebookClient(
        notebook,
        timeout=cell_timeout,
        kernel_name="python3",
        extra_arguments=["--Application.log_level=ERROR"],  # no start-up chatter from the kernel
        resources={"metadata": {"path": str(path.parent)}},
        on_cell_start=on_start,
        on_cell_executed=on_executed,
    )
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as error:
        outcome.status = "failed"
        outcome.message = f"cell {outcome.last_cell}: {error.ename}: {error.evalue}"
    except CellTimeoutError as error:
        outcome.status, outcome.message = "failed", f"cell timed out: {error}"
    outcome.seconds = time.perf_counter() - start
    if outcome.status == "ok" and store_checked:
        nbformat.write(keep_checked_outputs(source, notebook), path)
        print(f"  stored the outputs of the checked cells in {path}")
    elif outcome.status == "ok":
        differing = checked_cells_that_differ(source, notebook)
        if differing:
            outcome.status = "failed"
            outcome.message = (
                f"checked cell(s) {differing} print something other than the stored output "
                f"(profile {profile.name}); a checked cell must print the same in every profile"
            )
    output_dir.mkdir(parents=True, exist_ok=True)
    outcome.executed = output_dir / path.name
    nbformat.write(notebook, outcome.executed)
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--profile", default=os.environ.get(PROFILE_ENV_VAR, "full"))
    parser.add_argument("--build", type=Path, default=Path("build"))
    parser.add_argument("--cell-timeout", type=int, default=3600)
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
        return 2
    notebooks = args.notebooks or sorted(Path("notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        print("No notebooks to run (looked for notebooks/NN_*.ipynb).", file=sys.stderr)
        return 1
    results_directory = args.build / "results"
    shutil.rmtree(results_directory, ignore_errors=True)
    os.environ[PROFILE_ENV_VAR] = profile.name
    if os.environ.get(MIRROR_ENV_VAR):  # kernels start in notebooks/: make a relative path absolute
        os.environ[MIRROR_ENV_VAR] = str(Path(os.environ[MIRROR_ENV_VAR]).expanduser().resolve())
    os.environ[results.RESULTS_ENV_VAR] = str(results_directory.resolve())

    print(
        f"Running {len(notebooks)} notebook(s), profile {profile.name}, into {args.build}/notebooks"
    )
    outcomes = []
    total_start = time.perf_counter()
    for number, path in enumerate(notebooks, start=1):
        print(f"[{number}/{len(notebooks)}] {path.name}", flush=True)
        outcome = execute(
            path, args.build / "notebooks", profile, args.cell_timeout, args.store_checked
        )
        outcomes.append(outcome)
        if outcome.status == "ok":
            print(f"  done in {outcome.seconds:.0f} s ({outcome.seconds / 60:.1f} min)", flush=True)
        else:  # the whole message comes again, once, at the end
            print(f"  {outcome.status.upper()}: {outcome.message.splitlines()[0]}", flush=True)
    total = time.perf_counter() - total_start

    wall_times = {o.notebook: o.seconds for o in outcomes if o.status == "ok"}
    table = results.markdown_table(results.gather(results_directory), wall_times)
    summary = {
        "profile": profile.name,
        "total_seconds": round(total, 1),
        "notebooks": [
            {
                "notebook": o.notebook,
                "status": o.status,
                "seconds": round(o.seconds, 1),
                "message": o.message,
                "slow_cells": o.slow_cells,
            }
            for o in outcomes
        ],
        "results": [vars(r) for r in results.gather(results_directory)],
    }
    args.build.mkdir(parents=True, exist_ok=True)
    (args.build / "results.md").write_text(f"# Results (profile {profile.name})\n\n{table}")
    (args.build / "results.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False))
    print(
        f"\nResults (profile {profile.name}), also in {args.build}/results.md and results.json:\n"
    )
    print(table)
    print(f"Total: {total:.0f} s ({total / 60:.1f} min)")

    failed = [o for o in outcomes if o.status == "failed"]
    skipped = [o for o in outcomes if o.status == "skipped"]
    for o in skipped:
        print(f"SKIPPED {o.notebook}: its data is not available.\n{o.message}\n")
    for o in failed:
        print(f"FAILED {o.notebook}: {o.message}\n  (executed copy with the error: {o.executed})")
    if failed or len(skipped) == len(outcomes):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
