"""A generated stand-in for the Jena climate record, written into a folder as a data mirror.

``python -m course_utils.data.jena_standin FOLDER`` writes a full-size one (simulated weather,
:mod:`.jena_simulation`) with the marker ``GENERATED_STANDIN.txt`` beside it, so that the loader
announces it as a stand-in and no results are recorded from it.
"""

from __future__ import annotations

import argparse
import os
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from .jena_format import CSV_NAME, ROWS
from .jena_simulation import standin_csv
from .part_files import part_file, remove_stale_parts, removed_on_sigterm
from .registry import JENA_CLIMATE
from .standins import MARKER_NAME


def write_jena_standin(
    folder: str | Path, *, days: float | None = None, rows: int = ROWS, seed: int = 0
) -> Path:
    """Write ``<folder>/jena_climate/jena_climate_2009_2016.csv.zip`` and a marker beside it."""
    target = Path(folder) / JENA_CLIMATE.dataset / JENA_CLIMATE.name
    marker = target.parent / MARKER_NAME
    if target.exists() and not marker.exists():
        raise FileExistsError(
            f"{target} exists and is not marked as generated: it may be the real record. "
            f"Write the stand-in into another folder, or delete that file first."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    text = standin_csv(days=days, rows=rows, seed=seed)
    size = f"{days} days" if days is not None else f"{rows} rows"
    # The marker first: a stand-in must never stand in place without it, even if stopped here.
    marker.write_text(
        f"{target.name} in this folder is a GENERATED STAND-IN, not the Jena climate record.\n"
        f"Written by course_utils.data.jena_standin ({size}, seed {seed}) on "
        f"{datetime.now(UTC).isoformat(timespec='seconds')}.\n"
        f"The course's loader announces it as a stand-in and records no results from it.\n"
        f"Delete this folder and run `make data` (with internet) to get the real file from\n"
        f"{JENA_CLIMATE.url}\n"
    )
    remove_stale_parts(target.parent, target.name)
    with removed_on_sigterm(), part_file(target) as (sink, temporary):
        with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            archive.writestr(CSV_NAME, text)
        sink.flush()
        os.fsync(sink.fileno())
        os.replace(temporary, target)  # part_file made it readable by all, as a mirror should be
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.data.jena_standin",
        description="Write a generated stand-in for the Jena climate record into a data mirror.",
    )
    parser.add_argument("folder", type=Path, help="the mirror folder to write into")
    parser.add_argument("--rows", type=int, default=ROWS, help=f"rows to write (default {ROWS})")
    parser.add_argument("--days", type=float, help="days of 10-minute steps instead of --rows")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    try:
        path = write_jena_standin(args.folder, days=args.days, rows=args.rows, seed=args.seed)
    except (ValueError, OSError) as error:  # OSError: the folder cannot be made or written
        parser.error(str(error))
    print(
        f"Wrote {path} ({path.stat().st_size / 1e6:.1f} MB), a GENERATED STAND-IN for the Jena "
        f"climate record (seed {args.seed}), and {MARKER_NAME} beside it.\n"
        f"Use it as a data mirror, e.g. to time the full profile offline:\n"
        f"  COURSE_DATA_DIR={args.folder} make run\n"
        f"Notebooks will say that they run on a stand-in, and record no results from it."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
