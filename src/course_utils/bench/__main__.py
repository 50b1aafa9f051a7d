"""``python -m course_utils.bench [--models NAME ...] [--steps N] [--warmup N] [--json PATH]``:
seconds per epoch of each model of the course at full size, in the seed's plain configuration
and in the course's, measured side by side in one run, as a table and a JSON file.

Exit status: 0 every model measured; 1 at least one failed (its row says why, the others are
measured); 2 a bad option, nothing measured; 130 stopped by Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from datetime import datetime
from pathlib import Path

from ..arguments import whole_number
from .catalogue import MODELS, select
from .report import measured, table, write_json
from .timing import COURSE, SEED
from .worker import Worker, WorkerError

DEFAULT_JSON = Path("build") / "bench.json"


def _count(minimum: int):
    """An argparse type: a whole number of at least ``minimum``, or a clear error."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        try:
            return whole_number(value, "the count", minimum=minimum)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return parse


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.bench",
        description="Seconds per epoch of each model of the course at full size (synthetic "
        "batches of the real shapes, no data set needed), in the seed's configuration "
        "(jit_compile=False, TensorFlow's default threads) and the course's (XLA where the "
        "notebook asks for it, one op at a time), timed in turns in one run.",
    )
    parser.add_argument("--models", nargs="+", metavar="NAME",
                        help="the models to time (default: all; --list names them)")
    parser.add_argument("--steps", type=_count(1), default=10,
                        help="timed training batches per model and configuration (default 10)")
    parser.add_argument("--warmup", type=_count(1), default=3,
                        help="untimed batches first, the compiling one included (default 3)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON,
                        help=f"where the results are written (default {DEFAULT_JSON})")
    parser.add_argument("--list", action="store_true", help="list the models and stop")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        models = select(args.models)
    except KeyError as error:
        parser().error(error.args[0])
    if args.list:
        for model in MODELS:
            print(f"{model.name:<24}{', '.join(model.notebooks):<12}{model.label}")
        return 0
    problem = _unwritable(args.json)
    if problem:
        parser().error(f"--json {args.json}: {problem}")

    workers = {}
    stopped = False
    try:
        for configuration in (SEED, COURSE):  # both import TensorFlow at once
            workers[configuration.name] = Worker(configuration.name)
        report = _run(models, workers, steps=args.steps, warmup=args.warmup)
    except KeyboardInterrupt:
        stopped = True
        print("\nStopped: nothing written.", file=sys.stderr)
        return 130
    except WorkerError as error:  # a worker could not even start
        print(f"The bench could not run: {error}", file=sys.stderr)
        return 1
    finally:
        for worker in workers.values():
            worker.close(at_once=stopped)
    print(table(report))
    write_json(report, args.json)
    print(f"written to {args.json}")
    failed = [row["name"] for row in report["models"] if "error" in row]
    if failed:
        print(f"{len(failed)} model(s) failed: {', '.join(failed)} (see their rows)",
              file=sys.stderr)
    return 1 if failed else 0


def _unwritable(path: Path) -> str | None:
    """Why the JSON file cannot be written there, checked before minutes of timing."""
    if path.is_dir():
        return "is a folder; name a file"
    folder = path.parent
    while not folder.exists():
        folder = folder.parent
    if not folder.is_dir():
        return f"{folder} is not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"{folder} is not writable"
    return None


def _run(models, workers: dict, *, steps: int, warmup: int) -> dict:
    setups = {name: worker.ready() for name, worker in workers.items()}
    load_start = _load()
    rows = []
    for number, spec in enumerate(models, 1):
        started = time.perf_counter()
        print(f"[{number}/{len(models)}] {spec.name} (notebook {spec.notebook}): compiling, "
              f"then {steps} batches in each configuration...", file=sys.stderr, flush=True)
        rows.append(_measure(spec, workers, steps=steps, warmup=warmup))
        print(f"    {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    seed_setup = setups[SEED.name]
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": _machine(seed_setup["device"]),
        "cpus": os.cpu_count(),
        "versions": {"tensorflow": seed_setup["tensorflow"], "keras": seed_setup["keras"],
                     "python": platform.python_version()},
        "settings": {"steps": steps, "warmup": warmup},
        "configurations": {
            name: {key: setup[key] for key in
                   ("description", "inter_op_threads", "intra_op_threads")}
            for name, setup in setups.items()
        },
        "load_average": {"start": load_start, "end": _load()} if load_start is not None else None,
        "models": rows,
    }


def _measure(spec, workers: dict, *, steps: int, warmup: int) -> dict:
    """Both configurations of one model: each compiles and warms up, then they take turns, a
    batch each, so that a change in the machine's load falls on both alike."""
    row = {
        "name": spec.name,
        "notebook": spec.notebook,
        "notebooks": ", ".join(spec.notebooks),
        "label": spec.label,
        "also": list(spec.also),
        "batch_size": spec.batch_size,
        "batches_per_epoch": spec.batches_per_epoch,
    }
    try:
        built = {name: worker.ask(op="build", model=spec.name, warmup=warmup)
                 for name, worker in workers.items()}
        seconds = {name: [] for name in workers}
        for _ in range(steps):
            for name, worker in workers.items():
                seconds[name] += worker.ask(op="time", steps=1)["batch_seconds"]
    except WorkerError as error:
        row["error"] = str(error)
        for name, worker in list(workers.items()):
            try:
                worker.ask(op="drop")
            except WorkerError:  # it stopped: start a fresh one for the next model
                worker.close()
                workers[name] = Worker(name)
        return row
    for worker in workers.values():
        worker.ask(op="drop")
    row["params"] = built[SEED.name]["params"]
    for name in workers:
        row[name] = measured(built[name]["first_batch_seconds"], seconds[name],
                             spec.batches_per_epoch, built[name]["jit_compile"])
    row["ratio"] = row[SEED.name]["seconds_per_epoch"] / row[COURSE.name]["seconds_per_epoch"]
    return row


def _load() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def _machine(device: str) -> str:
    """The processor's name where Linux says it, and the device line the notebooks print."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return f"{line.split(':', 1)[1].strip()}, {device}"
    except OSError:
        pass
    return f"{platform.machine()} {platform.processor()}".strip() + f", {device}"


if __name__ == "__main__":
    sys.exit(main())
