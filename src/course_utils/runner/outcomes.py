"""What a run comes to: each notebook's :class:`Outcome`, and the exit statuses of the whole run.

Exit statuses (README, "Other commands"); a skip is not a failure, but a run that skipped a
notebook is not a complete run either:

- ``OK`` (0): every notebook ran;
- ``FAILED`` (1): at least one notebook failed (or the results could not all be read or
  written); the others ran and are in the table;
- ``NOTHING_RAN`` (2): a :class:`UsageError` (a bad option, an unknown profile, no notebooks,
  a build folder that cannot hold the results) stopped the run before anything ran;
- ``SKIPPED`` (3): nothing failed, but a notebook was skipped because its data could not be had;
- 128 + the signal (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP): interrupted (:mod:`.signals`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

OK, FAILED, NOTHING_RAN, SKIPPED = 0, 1, 2, 3


class UsageError(Exception):
    """Something on the command line that stops the run before anything runs; the message
    says what to do."""


@dataclass
class Outcome:
    """One notebook in one run: how it went, how long it took, and what went wrong."""

    notebook: str
    status: str  # "ok", "failed", "skipped"; in an interrupted run also "interrupted", "not run"
    seconds: float = 0.0
    message: str = ""
    executed: Path | None = None
    slow_cells: list[tuple[int, float]] = field(default_factory=list)
    last_cell: int = -1

    def fail(self, message: str) -> None:
        """Mark it failed, saying why (after anything already said)."""
        self.status = "failed"
        self.message = f"{self.message}; {message}" if self.message else message

    @property
    def ran(self) -> bool:
        """Whether the run got to it (its status says how it went), interrupted or not."""
        return self.status in ("ok", "failed", "skipped")


def with_status(outcomes: list[Outcome], status: str) -> list[Outcome]:
    return [outcome for outcome in outcomes if outcome.status == status]


def names(outcomes: list[Outcome]) -> str:
    return ", ".join(outcome.notebook for outcome in outcomes)
