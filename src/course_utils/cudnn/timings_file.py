"""``cudnn_timings.json``: the last timings and masking outcomes measured on a GPU, read,
written, and shown as a table."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from .speed import JIT_COMPILE

TIMINGS_FILE = Path(__file__).resolve().parent.parent / "cudnn_timings.json"


def recorded_timings(path: Path = TIMINGS_FILE) -> dict:
    """The last table measured on a GPU (``status`` says whether there is one)."""
    return json.loads(path.read_text(encoding="utf-8"))


def write_timings(table: dict, path: Path = TIMINGS_FILE) -> None:
    """Write a measured table (timings and masking outcomes) as ``recorded_timings`` reads it."""
    if table.get("status") != "measured" or "GPU" not in str(table.get("device")):
        raise ValueError("only a table measured on a GPU is written")
    path.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def format_timings(table: dict) -> str:
    """The table as text: hardware, versions and date, then seconds per epoch, speed-ups and
    whether each row was compiled by XLA (``jit_compile``)."""
    jit = table.get("jit_compile", JIT_COMPILE)
    if table.get("status") != "measured":
        note = f"No GPU timings recorded yet: {table.get('note', '')}".strip()
        plan = f"Every row is to be compiled with jit_compile={jit}, so that rows differ in kernel."
        return "\n".join([*textwrap.wrap(note, 92), plan])
    versions = ", ".join(f"{k} {v}" for k, v in table["versions"].items() if v)
    lines = [
        f"Measured on {table['device']} ({versions}), {table['date']}:",
        f"  workload: {table['workload']}; every row compiled with jit_compile={jit}",
        f"  {'configuration':<40} {'s/epoch':>7}  {'jit_compile':>11}",
    ]
    by_name = {row["configuration"]: row["seconds_per_epoch"] for row in table["rows"]}
    for row in table["rows"]:
        cell = row["configuration"].split(",")[0]
        fastest = by_name.get(f"{cell}, cuDNN (use_cudnn='auto')")
        ratio = f"{row['seconds_per_epoch'] / fastest:5.1f}x the cuDNN time" if fastest else ""
        lines.append(
            f"  {row['configuration']:<40} {row['seconds_per_epoch']:7.2f}  "
            f"{row.get('jit_compile', jit)!s:>11}  {ratio}"
        )
    if table.get("masking"):
        lines += ["", format_masking(table["masking"])]
    return "\n".join(lines)


def format_masking(cases: list[dict]) -> str:
    """The masking outcomes, one line per case, with the source's prediction for a GPU."""
    lines = ["Masked batches (Embedding(mask_zero=True) → layer(8)):"]
    for case in cases:
        label = f"{case['layer']} {case['padding']}, use_cudnn={case['use_cudnn']!r}"
        label += f", {case['call']}"
        lines.append(f"  {label:<52} {case['kernel']}, {case['outcome']}")
        if "predicted_on_gpu" in case and not case.get("as_predicted"):
            lines.append(f"  {'':<52} (the source predicts on a GPU: {case['predicted_on_gpu']})")
    return "\n".join(lines)
