"""``python -m course_utils.cudnn``: on a GPU, check what cuDNN does with masked batches, measure
the timing table, and write both into ``cudnn_timings.json``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .masking import check_masking
from .speed import WORKLOAD, measure
from .timings_file import TIMINGS_FILE, format_timings, write_timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.cudnn",
        description="On a GPU: check what cuDNN does with masked batches, measure the cuDNN "
        "timing table, and write both into cudnn_timings.json.",
    )
    parser.add_argument("--output", type=Path, default=TIMINGS_FILE)
    parser.add_argument("--epochs", type=int, default=WORKLOAD["epochs"])
    args = parser.parse_args(argv)

    if not _gpu_visible():
        print(
            "No GPU visible to TensorFlow: cuDNN runs only on an NVIDIA GPU, so this machine "
            "can measure neither the table nor the masking outcomes. Nothing written to "
            f"{args.output}.",
            file=sys.stderr,
        )
        return 1
    print("Masked batches: 14 cases, one training step or call each...")
    masking = check_masking()
    print("Timings:")
    table = measure(epochs=args.epochs)
    table["masking"] = masking
    write_timings(table, args.output)
    print(format_timings(table))
    differ = sum(not case["as_predicted"] for case in masking)
    if differ:
        print(f"{differ} masking case(s) did not do what the Keras source predicts: read them.")
    print(f"Written to {args.output}: commit it.")
    return 0


def _gpu_visible() -> bool:
    """Keras's own test (keras/src/backend/tensorflow/rnn.py, ``_is_gpu_available``)."""
    from ..environment import import_tensorflow_quietly

    return bool(import_tensorflow_quietly().config.list_logical_devices("GPU"))


if __name__ == "__main__":
    sys.exit(main())
