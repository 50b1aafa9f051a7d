"""The command ``python -m course_utils.slides`` that ``make slides`` and ``make slides-test`` run.

``python -m course_utils.slides [--profile full|smoke] [--build DIR] [notebooks ...]`` executes
the notebooks with the runner (:func:`course_utils.runner.run`, given the same arguments), then
renders each one that ran into ``DIR/slides/`` with the run's results table on the start page.
With ``--executed FOLDER`` nothing runs: the executed copies in that folder are rendered, with
the results recorded in ``--results FOLDER`` (``make slides-test`` renders nbval's run).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .. import results, runner
from ..profiles import PROFILE_ENV_VAR, Profile, ProfileError
from .build import build
from .errors import SlidesError
from .index import Deck, title_of


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.slides",
        description="Render the executed notebooks as offline reveal.js decks and HTML pages.",
    )
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--profile", default=os.environ.get(PROFILE_ENV_VAR, "full"))
    parser.add_argument("--build", type=Path, default=Path("build"))
    parser.add_argument(
        "--jobs", default="1", help="notebooks to run at a time (the runner's --jobs)"
    )
    parser.add_argument(
        "--executed",
        type=Path,
        help="render the executed notebooks in this folder instead of running them",
    )
    parser.add_argument(
        "--results", type=Path, help="with --executed: the folder of recorded results to show"
    )
    return parser


def results_table(summary: dict) -> str:
    """The run's results and each notebook's wall time as Markdown, from the runner's summary
    (this run's own, whatever other runs wrote into build/ meanwhile)."""
    recorded = [results.Result(**entry) for entry in summary["results"]]
    wall_times = {e["notebook"]: e["seconds"] for e in summary["notebooks"] if e["seconds"]}
    return results.markdown_table(recorded, wall_times)


def decks_from_run(notebooks: list[Path], summary: dict) -> list[Deck]:
    """One deck per notebook, with what the run said of it and where its executed copy is."""
    outcomes = {entry["notebook"]: entry for entry in summary["notebooks"]}
    decks = []
    for path in notebooks:
        outcome = outcomes.get(path.stem, {"status": "failed", "message": "did not run"})
        executed = Path(outcome["executed"]) if outcome.get("executed") else None
        decks.append(
            Deck(
                path.stem,
                path,
                outcome["status"],
                outcome["message"],
                title=title_of(path),
                executed=executed,
            )
        )
    return decks


def _decks_from_folder(notebooks: list[Path], executed: Path) -> list[Deck]:
    return [
        Deck(path.stem, path, "ok", title=title_of(path), executed=executed / path.name)
        for path in notebooks
    ]


def _report(decks: list[Deck], build_dir: Path, seconds: float) -> int:
    """Say where the decks are and which notebooks have none; 1 when some have none."""
    rendered = [deck for deck in decks if deck.deck]
    print(
        f"{len(rendered)} deck(s) in {seconds:.0f} s; open "
        f"{(build_dir / 'index.html').resolve()} (or copy {build_dir / 'slides'} as a whole)"
    )
    for deck in decks:
        if deck.status != "ok":
            first_line = (deck.message.splitlines() or [""])[0]
            print(f"NOT RENDERED {deck.name}: {deck.status}: {first_line}")
    return 0 if len(rendered) == len(decks) else 1


def _render(decks: list[Deck], build_dir: Path, profile: str, results_markdown: str) -> int:
    """Build the slides folder and report; 1 when the build stopped or a notebook has no deck."""
    start = time.perf_counter()
    print(f"Rendering {len(decks)} notebook(s) into {build_dir / 'slides'}")
    try:
        build(decks, build_dir, profile, results_markdown)
    except SlidesError as error:
        print(f"make slides: {error}", file=sys.stderr)
        return 1
    return _report(decks, build_dir, time.perf_counter() - start)


def _render_executed(args: argparse.Namespace, notebooks: list[Path]) -> int:
    """``--executed``: render the copies in that folder, with the results in ``--results``."""
    try:
        profile = Profile(args.profile)
    except ProfileError as error:
        print(error, file=sys.stderr)
        return 2
    if not notebooks:
        print("No notebooks to render (looked for notebooks/NN_*.ipynb).", file=sys.stderr)
        return 1
    try:
        table = results.markdown_table(results.gather(args.results)) if args.results else ""
    except results.ResultsFileError as error:
        print(f"make slides: {error}", file=sys.stderr)
        return 1
    return _render(_decks_from_folder(notebooks, args.executed), args.build, profile.name, table)


def main(argv: list[str] | None = None) -> int:
    """Run the notebooks (or take them executed) and render them. The exit status is the
    runner's when it ran them and said other than 0, else 1 when a notebook has no deck."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = _parser()
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted(Path("notebooks").glob("[0-9][0-9]_*.ipynb"))
    if args.executed is not None:
        return _render_executed(args, notebooks)
    if args.results is not None:
        parser.error("--results goes with --executed: a run shows its own results")
    status, summary = runner.run(argv)  # the runner reads the same arguments
    if summary is None:  # nothing ran, or it was interrupted: the runner has said why
        return status
    decks = decks_from_run(notebooks, summary)
    not_rendered = _render(decks, args.build, summary["profile"], results_table(summary))
    return status or not_rendered
