"""``python -m course_utils.data [dataset ...]``: fill the cache (``data/``) with every data set.

The filled cache is itself a mirror: copy it to an offline machine and point
``COURSE_DATA_DIR`` at it.
"""

from __future__ import annotations

import argparse
import os
import sys

from .errors import CourseDataError, DataUnavailableError
from .fetch import locate
from .folders import MIRROR_ENV_VAR, cache_dir
from .registry import REGISTRY, files_of
from .standins import MARKER_NAME


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.data",
        description="Download the course's data sets into the cache (data/), checking each.",
    )
    parser.add_argument(
        "datasets",
        nargs="*",
        metavar="dataset",
        help=f"data sets to get (default: all): {', '.join(sorted(REGISTRY))}",
    )
    args = parser.parse_args(argv)
    unknown = [name for name in args.datasets if name not in REGISTRY]
    if unknown:
        parser.error(
            f"no data set named {', '.join(map(repr, unknown))}. "
            f"Known data sets: {', '.join(sorted(REGISTRY))}."
        )  # exits with status 2
    os.environ.pop(MIRROR_ENV_VAR, None)  # fill the cache itself, not read through a mirror
    print(f"Filling the data cache {cache_dir()}")
    problems = 0
    for name in args.datasets or sorted(REGISTRY):
        for remote in files_of(name):
            try:
                path = locate(remote)
                print(f"  ok      {remote.relative_path} ({path.stat().st_size / 1e6:.1f} MB)")
                if (path.parent / MARKER_NAME).exists():
                    print(f"          but it is a GENERATED STAND-IN ({path.parent / MARKER_NAME})")
            except CourseDataError as error:
                problems += 1
                status = "MISSING" if isinstance(error, DataUnavailableError) else "REFUSED"
                print(f"  {status:<7} {remote.relative_path}\n{error}\n")
    return 1 if problems else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        print("\nInterrupted: nothing half-written was kept; run again to go on.", file=sys.stderr)
        sys.exit(130)
