"""What the end of a run prints: the results and notebooks tables, each skipped and failed
notebook's whole message, the problems, and one last line that says how the run went and
gives its exit status (the statuses are in :mod:`.outcomes`)."""

from __future__ import annotations

from pathlib import Path

from .. import results
from .outcomes import FAILED, OK, SKIPPED, Outcome, names, with_status
from .signals import Interrupted


def _table_cell(text: str) -> str:
    return (text.splitlines() or [""])[0].replace("|", "\\|")


def notebooks_table(outcomes: list[Outcome]) -> str:
    """Each notebook's status and wall time, with the first line of what went wrong."""
    lines = ["| notebook | status | wall time | note |", "| --- | --- | ---: | --- |"]
    for o in outcomes:
        wall = f"{o.seconds / 60:.1f} min ({o.seconds:.0f} s)" if o.seconds else ""
        lines.append(f"| {o.notebook} | {o.status} | {wall} | {_table_cell(o.message)} |")
    return "\n".join(lines) + "\n"


def tables(gathered: list[results.Result], outcomes: list[Outcome]) -> str:
    """The results table, then the notebooks table (Markdown): results.md and the console."""
    return results.markdown_table(gathered) + "\n" + notebooks_table(outcomes)


def print_report(
    heading: str, table: str, total: float, outcomes: list[Outcome], problems: list[str]
) -> None:
    """The tables, the total time, and every message in full (the console showed first lines)."""
    print(f"\n{heading}:\n")
    print(table)
    print(f"Total: {total:.0f} s ({total / 60:.1f} min)")
    for o in with_status(outcomes, "skipped"):
        print(f"SKIPPED {o.notebook}: its data is not available.\n{o.message}\n")
    for o in with_status(outcomes, "failed"):
        copy_note = f"\n  (executed copy with the error: {o.executed})" if o.executed else ""
        print(f"FAILED {o.notebook}: {o.message}{copy_note}")
    for problem in problems:
        print(f"PROBLEM: {problem}")


def last_line(
    outcomes: list[Outcome],
    problems: list[str],
    interrupted: Interrupted | None,
    *,
    profile: str,
    total: float,
    build: Path,
    run_dir: Path,
) -> tuple[int, str]:
    """The run's exit status, and the line that says how it went (printed last)."""
    if interrupted is not None:
        return interrupted.exit_status, _interrupted_line(outcomes, interrupted, build, run_dir)
    failed, skipped = with_status(outcomes, "failed"), with_status(outcomes, "skipped")
    if failed or problems:
        also = f"; {len(skipped)} skipped ({names(skipped)})" if skipped else ""
        what = f"{len(failed)} of {len(outcomes)} notebook(s) failed ({names(failed)})"
        if not failed:
            what = "the results could not all be read or written"
        return FAILED, f"FAILED: {what}{also}: see the messages above. Exit status {FAILED}."
    if skipped:
        return SKIPPED, (
            f"INCOMPLETE: {len(skipped)} of {len(outcomes)} notebook(s) skipped because their "
            f"data could not be had ({names(skipped)}): their results are missing from the "
            f"table; see the messages above. Exit status {SKIPPED}."
        )
    return (
        OK,
        f"OK: all {len(outcomes)} notebook(s) ran, profile {profile}, in {total / 60:.1f} min.",
    )


def _interrupted_line(
    outcomes: list[Outcome], interrupted: Interrupted, build: Path, run_dir: Path
) -> str:
    during = next((o.notebook for o in outcomes if o.status == "interrupted"), "")
    ran = [o for o in outcomes if o.ran]
    return (
        f"INTERRUPTED ({interrupted.name}) during {during}, after {len(ran)} of "
        f"{len(outcomes)} notebook(s): {build}/results.json and results.md were not touched; "
        f"this run's records so far are in {run_dir}. Exit status {interrupted.exit_status}."
    )


def interrupted_while_writing(interrupted: Interrupted, run_dir: Path) -> str:
    """The last line when a second stop signal came while the results were written."""
    return (
        f"INTERRUPTED ({interrupted.name}) while the results were written: each file is whole, "
        f"either the previous one or this run's; this run's records are in {run_dir}. "
        f"Exit status {interrupted.exit_status}."
    )
