"""Stop signals: Ctrl-C (SIGINT), SIGTERM and a closed terminal (SIGHUP) stop a run the same way.

While the notebooks run, a stop signal raises :class:`Interrupted`; the run keeps what finished
and ends with exit status 128 + the signal. While the results are written (milliseconds) a first
signal is held back, so that results.json and results.md come from the same run, and a second
one stops at once. A signal that was ignored where the run started (a background job) stays
ignored. Python only sets handlers in the main thread: elsewhere these blocks change nothing.
(The kernel client catches the same signals in its own event loop: see :mod:`.kernel`.)
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator

STOP_SIGNALS: tuple[int, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, SIGTERM or SIGHUP: stop the run, keep what finished, replace nothing."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal_name(self.signum)

    @property
    def exit_status(self) -> int:
        return 128 + self.signum


def as_interrupted(error: KeyboardInterrupt) -> Interrupted:
    """``error`` as an :class:`Interrupted` (a plain KeyboardInterrupt is a Ctrl-C)."""
    return error if isinstance(error, Interrupted) else Interrupted(signal.SIGINT)


def signal_name(signum: int) -> str:
    return signal.Signals(signum).name


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def handlers_restored() -> Iterator[dict[int, object]]:
    """The stop signals' handlers as they are now (``{}`` outside the main thread), put back
    after the block whatever it did to them (nbclient leaves the ones it handled at default)."""
    saved = (
        {signum: signal.getsignal(signum) for signum in STOP_SIGNALS} if _in_main_thread() else {}
    )
    try:
        yield saved
    finally:
        for signum, handler in saved.items():
            if handler is not None:
                signal.signal(signum, handler)


def ignored(handlers: dict[int, object]) -> frozenset[int]:
    """The signals among ``handlers`` that were ignored (``SIG_IGN``): they must stay ignored."""
    return frozenset(signum for signum, handler in handlers.items() if handler == signal.SIG_IGN)


@contextlib.contextmanager
def handling_stop_signals(handler: Callable[[int, object], None]) -> Iterator[None]:
    """``handler`` for every stop signal not ignored, inside the block; the previous after it."""
    with handlers_restored() as saved:
        for signum in saved.keys() - ignored(saved):
            signal.signal(signum, handler)
        yield


def _raise_interrupted(signum: int, frame: object) -> None:
    raise Interrupted(signum)


def stop_signals_interrupt() -> contextlib.AbstractContextManager[None]:
    """Inside the block a stop signal raises :class:`Interrupted` (the notebooks' part)."""
    return handling_stop_signals(_raise_interrupted)


@contextlib.contextmanager
def stop_signals_held() -> Iterator[None]:
    """Hold a first stop signal back while the gathered files are written, so that
    results.json and results.md come from the same run; a second one stops at once."""
    held: list[int] = []

    def hold(signum: int, frame: object) -> None:
        if held:
            raise Interrupted(signum)
        held.append(signum)

    with handling_stop_signals(hold):
        yield
