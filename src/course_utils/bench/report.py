"""The bench's results: one row per model, the printed table, and the JSON file (written whole,
then renamed into place)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .timing import compile_seconds, median_batch_seconds, seconds_per_epoch


def measured(first_batch: float, batch_seconds: list[float], batches_per_epoch: int,
             jit_compile: bool) -> dict:
    """One configuration's figures for one model."""
    return {
        "seconds_per_epoch": seconds_per_epoch(batch_seconds, batches_per_epoch),
        "median_batch_seconds": median_batch_seconds(batch_seconds),
        "compile_seconds": compile_seconds(first_batch, batch_seconds),
        "first_batch_seconds": first_batch,
        "batch_seconds": batch_seconds,
        "jit_compile": jit_compile,
    }


def ratio(row: dict) -> float | None:
    """Seed seconds per epoch over course seconds per epoch: above 1, the course is faster."""
    if "seed" not in row or "course" not in row:
        return None
    return row["seed"]["seconds_per_epoch"] / row["course"]["seconds_per_epoch"]


def describe_ratio(value: float | None) -> str:
    """``"1.8x faster"``, ``"1.2x slower"`` or ``"same"`` (within 2%)."""
    if value is None:
        return ""
    if abs(value - 1) < 0.02:
        return "same"
    return f"{value:.1f}x faster" if value > 1 else f"{1 / value:.1f}x slower"


HEADINGS = ("model", "notebook", "batches/epoch", "seed s/epoch", "course s/epoch",
            "seed/course", "course XLA", "compile s seed/course")
RIGHT = {"batches/epoch", "seed s/epoch", "course s/epoch"}


def table(report: dict) -> str:
    """The printed table, with what each configuration used and the machine above it."""
    lines = [
        f"Seconds per epoch of each model at full size, {report['date']}, {report['machine']}",
        f"TensorFlow {report['versions']['tensorflow']}, Keras {report['versions']['keras']}; "
        f"{report['settings']['steps']} timed batches after {report['settings']['warmup']} "
        "warm-up (the first compiles); seconds per epoch = median seconds per batch x batches "
        "per epoch (training batches only, no validation pass)",
    ]
    for name, setup in report["configurations"].items():
        lines.append(
            f"  {name}: {setup['description']}; inter-op threads "
            f"{_threads(setup['inter_op_threads'])}, intra-op {_threads(setup['intra_op_threads'])}"
        )
    rows = [HEADINGS]
    for row in report["models"]:
        seed, course = row.get("seed"), row.get("course")
        if "error" in row:
            rows.append((row["name"], row["notebooks"], f"{row['batches_per_epoch']:,}",
                         "failed:", row["error"][:60], "", "", ""))
            continue
        rows.append((
            row["name"],
            row["notebooks"],
            f"{row['batches_per_epoch']:,}",
            seconds(seed["seconds_per_epoch"]),
            seconds(course["seconds_per_epoch"]),
            describe_ratio(ratio(row)),
            "on" if course["jit_compile"] else "off",
            f"{seconds(seed['compile_seconds'])} / {seconds(course['compile_seconds'])}",
        ))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(HEADINGS))]
    for r in rows:
        cells = [
            str(cell).rjust(width) if HEADINGS[i] in RIGHT else str(cell).ljust(width)
            for i, (cell, width) in enumerate(zip(r, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    seed_total = sum(r["seed"]["seconds_per_epoch"] for r in report["models"] if "error" not in r)
    course_total = sum(
        r["course"]["seconds_per_epoch"] for r in report["models"] if "error" not in r
    )
    if course_total:
        lines.append(
            f"one epoch of each model above: seed {seconds(seed_total)} s, course "
            f"{seconds(course_total)} s "
            f"({describe_ratio(seed_total / course_total)})"
        )
    load = report.get("load_average")
    if load:
        lines.append(
            f"load average (1 min) {load['start']:.1f} before timing, {load['end']:.1f} after, on "
            f"{report['cpus']} cores; the bench keeps about one busy, so more means that other "
            "programs shared the CPU and the figures are rough"
        )
    return "\n".join(lines)


def seconds(value: float) -> str:
    """Two decimals under 10 s, one under 1,000 s, none above."""
    return f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 1000 else f"{value:,.0f}"


def _threads(value: int) -> str:
    return f"{value}" if value else "0 (TensorFlow's choice)"


def write_json(report: dict, path: Path) -> None:
    """Write ``report`` to ``path`` whole: a temporary file beside it, then one rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(report, stream, indent=2)
            stream.write("\n")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary file, not mkstemp's 0600
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
