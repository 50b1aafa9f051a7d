"""One process per configuration: ``python -m course_utils.bench.worker seed|course`` sets
TensorFlow's threads before its first op, then answers requests, one JSON line in, one out.

The command (:mod:`.__main__`) keeps one worker per configuration and asks them in turn, a batch
at a time, so that both configurations of a model are timed side by side and a change in the
machine's load (another program starting) falls on both alike. A worker that waits for its next
request uses no CPU.

Requests: ``{"op": "build", "model": NAME, "warmup": N}`` (build, compile, run the first batch
and the warm-up), ``{"op": "time", "steps": N}``, ``{"op": "drop"}``; end of input ends it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import traceback
from pathlib import Path

from .timing import CONFIGURATIONS


class WorkerError(RuntimeError):
    """A worker could not answer: it stopped, or the request failed (its message says why)."""


def serve(configuration_name: str) -> int:
    """The worker's side: set up TensorFlow, say so, then answer requests until input ends."""
    configuration = CONFIGURATIONS[configuration_name]
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the command's to handle: it ends us
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything else printed (Keras, TensorFlow) goes to stderr, not the replies

    from ..environment import (
        describe_device,
        import_tensorflow_quietly,
        run_one_op_at_a_time,
        use_the_cores_given,
    )

    tf = import_tensorflow_quietly()
    if configuration.one_op_at_a_time:
        run_one_op_at_a_time(tf)
    use_the_cores_given(tf)  # both configurations alike (see .timing)
    import keras

    from .catalogue import BY_NAME
    from .timing import Timed

    threading = tf.config.threading
    _reply(replies, {
        "configuration": configuration.name,
        "description": configuration.description,
        "inter_op_threads": threading.get_inter_op_parallelism_threads(),
        "intra_op_threads": threading.get_intra_op_parallelism_threads(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "device": describe_device(),
    })
    timed = None
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if request["op"] == "build":
                timed = None
                keras.backend.clear_session()
                spec = BY_NAME[request["model"]]
                timed = Timed(spec, configuration, warmup=request["warmup"])
                answer = {
                    "first_batch_seconds": timed.first_batch_seconds,
                    "jit_compile": timed.jit_compile,
                    "params": timed.params,
                }
            elif request["op"] == "time":
                if timed is None:
                    raise WorkerError("no model built: send a build request first")
                answer = {"batch_seconds": timed.time(request["steps"])}
            elif request["op"] == "drop":
                timed = None
                keras.backend.clear_session()
                answer = {}
            else:
                raise WorkerError(f"unknown request {request!r}")
        except Exception as error:  # any failure is this model's: reported, the next one runs
            timed = None
            traceback.print_exc()  # on stderr, which the command shares
            answer = {"error": f"{type(error).__name__}: {error}"}
        _reply(replies, answer)
    return 0


def _reply(stream, message: dict) -> None:
    stream.write(json.dumps(message) + "\n")


class Worker:
    """The command's side: a worker process for one configuration."""

    def __init__(self, configuration_name: str):
        self.name = configuration_name
        source = str(Path(__file__).resolve().parents[2])  # src/, for a checkout not installed
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [source, env.get("PYTHONPATH")]))
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "course_utils.bench.worker", configuration_name],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1, env=env,
        )
        self.setup: dict | None = None

    def ready(self) -> dict:
        """The worker's set-up (threads, versions, device), once TensorFlow is imported."""
        if self.setup is None:
            self.setup = self._read()
        return self.setup

    def ask(self, **request) -> dict:
        self.ready()
        try:
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
        except (BrokenPipeError, OSError) as error:
            raise self._stopped() from error
        answer = self._read()
        if "error" in answer:
            raise WorkerError(answer["error"])
        return answer

    def _read(self) -> dict:
        line = self._process.stdout.readline()
        if not line:
            raise self._stopped()
        return json.loads(line)

    def _stopped(self) -> WorkerError:
        status = self._process.wait()
        return WorkerError(
            f"the {self.name} worker stopped (exit status {status}; its messages are above)"
        )

    def close(self, *, at_once: bool = False) -> None:
        """End the worker: close its input and let it finish its request, or with ``at_once``
        stop it now; one that has not ended within 30 s is stopped."""
        if self._process.poll() is None:
            if at_once:
                self._process.kill()
            else:
                with contextlib.suppress(OSError):
                    self._process.stdin.close()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            with contextlib.suppress(OSError):
                stream.close()


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CONFIGURATIONS:
        sys.exit(f"usage: python -m course_utils.bench.worker {'|'.join(CONFIGURATIONS)}")
    sys.exit(serve(sys.argv[1]))
