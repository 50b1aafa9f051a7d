"""The run's console: standard output that goes quiet, instead of failing, once its reader has
gone (``make run | head``), so that the run still finishes and writes its results."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator


class SurvivesClosedPipe(io.TextIOBase):
    """A text stream that passes everything to ``stream`` until writing to it fails with a
    closed pipe, and from then on drops what it is given."""

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
def output_that_survives_a_closed_pipe() -> Iterator[None]:
    """``sys.stdout`` as a :class:`SurvivesClosedPipe` inside the block."""
    original = sys.stdout
    sys.stdout = SurvivesClosedPipe(original)
    try:
        yield
    finally:
        sys.stdout = original


def first_line(text: str) -> str:
    """The first line of a message (the whole of it comes again, once, at the end)."""
    return (text.splitlines() or [""])[0]
