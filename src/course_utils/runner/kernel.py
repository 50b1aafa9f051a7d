"""Run a notebook's cells in a Jupyter kernel (nbclient): print the slow cells as they finish,
stop at once on a stop signal, and say in one line why a notebook could not run through.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from .signals import STOP_SIGNALS, Interrupted, handlers_restored, ignored

SLOW_CELL_S = 5.0


class StoppableClient(NotebookClient):
    """nbclient's client, except that Ctrl-C, SIGTERM or SIGHUP stops the run.

    nbclient's own handler only shuts the kernel down and lets execution carry on, so the
    runner took a Ctrl-C for a crashed notebook and went on with the next one. Here the signal
    is remembered, the kernel is killed at once, and the execution is cancelled.
    """

    signal_received: int | None = None
    ignored_signals: frozenset[int] = frozenset()  # ignored where the run started: stay ignored
    _signal_loop: asyncio.AbstractEventLoop | None = None
    _on_signal = None
    _stop_asked: int | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._stop_lock = threading.Lock()

    def _catch_signals(self) -> None:
        task, loop = asyncio.current_task(), asyncio.get_running_loop()

        def on_signal(signum: int) -> None:
            if self.signal_received is None and task is not None:
                self.signal_received = signum
                self.shutdown_kernel = "immediate"
                task.cancel()

        with self._stop_lock:
            self._signal_loop, self._on_signal = loop, on_signal
            if self._stop_asked is not None:  # asked before its kernel started
                loop.call_soon(on_signal, self._stop_asked)
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
        self.forget_signals()

    def forget_signals(self) -> None:
        """Take this client's handlers off its event loop (nbclient takes off SIGINT's and
        SIGTERM's only). jupyter_core keeps one loop per thread, and a handler left on it keeps
        the loop's wakeup pipe set: a signal that came between notebooks, and was dealt with
        then, would reach the next notebook's client as if it had just come."""
        with self._stop_lock:
            loop, self._signal_loop, self._on_signal = self._signal_loop, None, None
        if loop is None:
            return
        for signum in STOP_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signum)

    def stop(self, signum: int) -> None:
        """Stop this client as a stop signal would, from any thread: the runner's main thread
        gets the signals, and a notebook running beside another runs in a thread of its own
        (where Python cannot catch signals). Once the client is done, this does nothing."""
        with self._stop_lock:
            self._stop_asked = signum
            if self._signal_loop is not None:
                self._signal_loop.call_soon_threadsafe(self._on_signal, signum)

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


class StopSwitch:
    """Stops every client attached to it, and every client attached later, from any thread:
    how the main thread stops the notebooks running beside each other in threads of their own."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: list[StoppableClient] = []
        self.signum: int | None = None

    def attach(self, client: StoppableClient) -> None:
        with self._lock:
            self._clients.append(client)
            if self.signum is not None:
                client.stop(self.signum)

    def detach(self, client: StoppableClient) -> None:
        with self._lock:
            self._clients.remove(client)

    def throw(self, signum: int) -> None:
        with self._lock:
            self.signum = signum
            for client in self._clients:
                client.stop(signum)


def _source_line(cell: nbformat.NotebookNode) -> str:
    """The first line of a cell's code that is not a comment, to name a slow cell."""
    lines = [line for line in cell.source.splitlines() if line.strip() and not line.startswith("#")]
    return (lines[0] if lines else "").strip()[:60]


@dataclass
class CellTimes:
    """The cell running now (``last_cell``) and the code cells that took ``SLOW_CELL_S`` or more,
    each printed as it finishes: nbclient's ``on_cell_start`` and ``on_cell_executed`` hooks."""

    last_cell: int = -1
    slow_cells: list[tuple[int, float]] = field(default_factory=list)
    label: str = ""  # the notebook's name, when notebooks run side by side
    _started: dict[int, float] = field(default_factory=dict)

    def on_start(self, cell, cell_index: int) -> None:
        self._started[cell_index] = time.perf_counter()
        self.last_cell = cell_index

    def on_executed(self, cell, cell_index: int, execute_reply) -> None:
        seconds = time.perf_counter() - self._started.get(cell_index, time.perf_counter())
        if cell.cell_type == "code" and seconds >= SLOW_CELL_S:
            self.slow_cells.append((cell_index, seconds))
            whose = f"{self.label} " if self.label else ""
            print(f"    {whose}cell {cell_index:>3} {seconds:6.1f} s  {_source_line(cell)}",
                  flush=True)


def _why_it_stopped(error: Exception, path: Path, cell: int, cell_timeout: int) -> str:
    """One line saying why the notebook at ``path`` did not run through, and what to do."""
    if isinstance(error, CellExecutionError):
        return f"cell {cell}: {error.ename}: {error.evalue}"
    if isinstance(error, CellTimeoutError):
        return (
            f"cell {cell} ran longer than the cell timeout ({cell_timeout} s) and was "
            f"stopped: make it faster, or allow more with "
            f"`python -m course_utils.runner --cell-timeout SECONDS ...`."
        )
    if isinstance(error, DeadKernelError):
        return (
            f"the kernel died while running cell {cell} (out of memory, or a crash "
            f"in native code): run {path} in JupyterLab to see where."
        )
    # the kernel would not start, or nbclient failed
    reason = (str(error).strip().splitlines() or [""])[0][:200]
    return f"could not be run ({type(error).__name__}: {reason})."


def run_cells(
    notebook: nbformat.NotebookNode,
    path: Path,
    cell_timeout: int,
    kernel_env: dict[str, str] | None,
    times: CellTimes,
    stop_switch: StopSwitch | None = None,
) -> str:
    """Execute ``notebook`` (read from ``path``) in place, in a kernel started in its folder.

    Returns ``""`` when every cell ran, else one line saying why it stopped. A stop signal (or
    ``stop_switch`` thrown in another thread) kills the kernel and raises :class:`Interrupted`;
    the run's own signal handlers are put back.
    """
    client = StoppableClient(
        notebook,
        timeout=cell_timeout,
        kernel_name="python3",
        extra_arguments=["--Application.log_level=ERROR"],  # no start-up chatter from the kernel
        resources={"metadata": {"path": str(path.parent)}},
        on_cell_start=times.on_start,
        on_cell_executed=times.on_executed,
    )
    stopped_because = ""
    if stop_switch is not None:
        stop_switch.attach(client)
    with handlers_restored() as handlers:
        client.ignored_signals = ignored(handlers)
        try:
            client.execute(**({"env": kernel_env} if kernel_env is not None else {}))
        except asyncio.CancelledError:
            if client.signal_received is None:
                raise
        except Exception as error:
            stopped_because = _why_it_stopped(error, path, times.last_cell, cell_timeout)
        finally:
            client.forget_signals()
            if stop_switch is not None:
                stop_switch.detach(client)
    if client.signal_received is not None:
        raise Interrupted(client.signal_received)
    return stopped_because
