"""``python -m course_utils.data [dataset ...]``: fill the cache (``data/``) with every data set.

The filled cache is itself a mirror: copy it to an offline machine and point
``COURSE_DATA_DIR`` at it.
"""

from __future__ import annotations

import os
import sys

from .ensure import ensure
from .fetch import MIRROR_ENV_VAR, CourseDataError, cache_dir
from .jena import MARKER_NAME
from .registry import REGISTRY, files_of


def main(argv: list[str]) -> int:
    os.environ.pop(MIRROR_ENV_VAR, None)  # fill the cache itself, not read through a mirror
    names = argv or sorted(REGISTRY)
    print(f"Filling the data cache {cache_dir()}")
    problems = 0
    for name in names:
        for remote in files_of(name):
            try:
                path = ensure(remote)
                print(f"  ok      {remote.relative_path} ({path.stat().st_size / 1e6:.1f} MB)")
                if (path.parent / MARKER_NAME).exists():
                    print(f"          but it is a GENERATED STAND-IN ({path.parent / MARKER_NAME})")
            except CourseDataError as error:
                problems += 1
                print(f"  MISSING {remote.relative_path}\n{error}\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
