"""``python -m course_utils.runner``: the run's exit status reaches the shell."""

import sys

from .command import main

sys.exit(main())
